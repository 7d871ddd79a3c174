#!/usr/bin/python
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module is implemented as an action plugin (plugins/action/drift_report.py) and runs on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: drift_report
short_description: Write the fleet drift and data-posture report (JSON, JUnit XML, Markdown, HTML, Prometheus)
version_added: 1.0.0
description:
  - Builds one report for the whole fleet, on the controller, in one pass over the per-host results
    of the playbook C(fleetpolicy.claude_code.drift), and writes it in the requested formats.
  - Per host - its status, the first that applies of V(unreachable), V(failed), V(broken) (a managed
    source Claude Code cannot parse, so it refuses to start), V(not deployed) (none of the host's files
    holds anything of ours - never rolled out, or removed), V(weakened) (what Claude Code will apply is
    weaker than the policy on a data-handling control, whether our own file was edited or another file
    overrides it), V(drifted) (a file, key, mode or owner of ours differs and weakens no control) and
    V(compliant); its reasons; the
    drifted keys (file, key, expected, found; credential-looking values masked); the managed
    sources Claude Code reads and the effective data-handling values they give; and the intended
    and effective data posture (provider, plan, profile, retention, training, each kind of optional
    traffic, what still reaches Anthropic, egress allowlist).
  - The statuses and the report are described in C(docs/drift-report.md) of this collection.
  - The JSON format follows the JSON Schema in C(docs/drift-report.schema.json) of this collection.
  - JUnit XML has one test case per host - V(not deployed), V(drifted) and V(weakened) are a C(failure);
    V(broken), V(failed) and V(unreachable) an C(error).
  - V(prometheus) writes the report as metrics in the text format the node_exporter textfile collector reads -
    per host a C(claude_code_host_status) series per status (1 for the host's), C(claude_code_host_info),
    one C(claude_code_host_weakened_control) per weakened control and C(claude_code_host_drifted_keys); the
    fleet's C(claude_code_fleet_hosts) per status and C(claude_code_report_timestamp_seconds). Write it into
    the textfile collector's directory (O(dest)); see C(docs/monitoring.md) of this collection.
  - Each run writes into a directory of its own under O(dest), named by its UTC start time
    (C(2026-12-07T021500Z); C(-2), C(-3) added when two runs start in the same second), so no run
    replaces another's report. Then a run of the whole inventory copies its files to O(dest) itself,
    where they are the latest report at paths that stay the same (C(dest/claude-code-drift.json), ...),
    each written to a temporary file and renamed over the old one, under a lock on O(dest). Old runs
    are kept; remove them yourself (for example with C(find -mtime)).
  - "A run that checks fewer hosts than the inventory holds (C(--limit), or a host pattern naming a
    group) is partial: its directory ends in C(-partial), its summary line ends in
    C((partial: N of M inventory hosts ...)), and it leaves the copies in O(dest) alone (they stay the
    last run of the whole inventory)."
  - Never connects to a host and never changes one. Files are written atomically, mode C(0644).
author:
  - fleetpolicy.claude_code contributors (@fleetpolicy)
attributes:
  check_mode:
    support: none
    description: The report is the point of a check-mode run; set C(check_mode=false) on the task (the drift playbook does).
  diff_mode:
    support: none
    description: Writes report files on the controller only; there is nothing on a host to diff.
  platform:
    support: full
    platforms: posix
    description: Runs on the controller.
options:
  hosts:
    description: The hosts to report, usually C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  dest:
    description:
      - Directory that holds a directory per run, and the latest report of the whole inventory as copies; created when missing.
      - A relative path is taken from the directory C(ansible-playbook) runs in on the controller.
    type: path
    required: true
  formats:
    description:
      - Formats to write. Files are named O(name) plus C(.json), C(.junit.xml), C(.md), C(.html) or C(.prom).
    type: list
    elements: str
    choices: [json, junit, markdown, html, prometheus]
    default: [json, junit, markdown, html]
  name:
    description: Base name of the report files.
    type: str
    default: claude-code-drift
  pattern:
    description:
      - The play's host pattern, recorded in the report's C(scope) and named in a partial run's
        summary line. The drift playbook passes C(claude_code_hosts).
    type: str
  history:
    description:
      - With V(true), each run writes its files into a directory of its own in O(dest) and copies them
        to O(dest) (the latest report of the whole inventory).
      - With V(false), each run replaces one file per format in O(dest) itself, partial or not, and
        keeps no directory per run - for a record that a timer rewrites, such as pull mode's JSON
        record and the C(.prom) file node_exporter's textfile collector reads (it reads only the files
        directly in its directory).
    type: bool
    default: true
notes:
  - For each host it reads one host variable, C(claude_code_result) - the result the role
    C(fleetpolicy.claude_code.settings) registers (M(fleetpolicy.claude_code.apply) in check mode -
    the module's result plus the posture computed on the controller), or the failure the drift
    playbook keeps in its place. A host without it is reported V(failed).
seealso:
  - module: fleetpolicy.claude_code.apply
  - plugin: fleetpolicy.claude_code.posture
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the report once, on the controller
  fleetpolicy.claude_code.drift_report:
    hosts: "{{ ansible_play_hosts_all }}"
    dest: "{{ playbook_dir }}/reports"
  run_once: true
  delegate_to: localhost
  check_mode: false
  register: claude_code_report

- name: Say where it is
  ansible.builtin.debug:
    msg: "{{ claude_code_report.lines }}"
  run_once: true

- name: Fail each host that is not compliant (the run exits with code 2)
  ansible.builtin.fail:
    msg: "{{ claude_code_report.host_status[inventory_hostname].status }}: {{ claude_code_report.host_status[inventory_hostname].message }}"
  when: inventory_hostname in claude_code_report.not_compliant
"""

RETURN = r"""
files:
  description: The report files written, the HTML first when it is among O(formats).
  returned: always
  type: list
  elements: str
  sample: [/srv/ansible/reports/2026-12-07T021500Z/claude-code-drift.html, /srv/ansible/reports/2026-12-07T021500Z/claude-code-drift.json]
dir:
  description: The directory of this run's files (O(dest) itself when O(history=false)).
  returned: always
  type: str
  sample: /srv/ansible/reports/2026-12-07T021500Z
latest:
  description:
    - The copies of RV(files) in O(dest), the latest report; empty for a partial run, which leaves them alone.
    - With O(history=false), RV(files) themselves.
  returned: always
  type: list
  elements: str
  sample: [/srv/ansible/reports/claude-code-drift.html, /srv/ansible/reports/claude-code-drift.json]
partial:
  description: True when the run checked fewer hosts than the inventory holds.
  returned: always
  type: bool
lines:
  description:
    - What the drift playbook prints after the run - the summary line, where the report is, where its
      latest copy is (or that a partial run left the copies alone).
  returned: always
  type: list
  elements: str
  sample:
    - "COMPLIANT: 5 hosts - 5 compliant, 0 drifted, 0 weakened, 0 not deployed, 0 broken, 0 failed, 0 unreachable"
    - "report: /srv/ansible/reports/2026-12-07T021500Z/claude-code-drift.html (also claude-code-drift.md, claude-code-drift.json, claude-code-drift.junit.xml)"
    - "latest: /srv/ansible/reports/claude-code-drift.html (a copy of this run's; the other formats beside it)"
summary:
  description:
    - Host counts per status, whether the whole fleet is compliant, the summary line, and the counts per
      provider and per profile (the report's C(summary)).
  returned: always
  type: dict
  sample: {hosts: 4, compliant: 1, "not deployed": 0, drifted: 1, weakened: 0, broken: 1, failed: 0, unreachable: 1,
           compliant_fleet: false,
           line: "NOT COMPLIANT: 4 hosts - 1 compliant, 1 drifted, 0 weakened, 0 not deployed, 1 broken, 0 failed, 1 unreachable",
           by_provider: {bedrock: {compliant: 1, "not deployed": 0, drifted: 1, weakened: 0, broken: 1, failed: 0, unreachable: 1}},
           by_profile: {private: {compliant: 1, "not deployed": 0, drifted: 1, weakened: 0, broken: 1, failed: 0, unreachable: 1}}}
compliant:
  description: True when there is at least one host and every host is compliant.
  returned: always
  type: bool
not_compliant:
  description: Hosts that are not compliant (unreachable, failed, broken, not deployed, weakened or drifted).
  returned: always
  type: list
  elements: str
host_status:
  description: Status and one-line message of every host, by host name.
  returned: always
  type: dict
  sample: {web-01: {status: drifted, message: 2 drifted keys in 1 file}}
"""
