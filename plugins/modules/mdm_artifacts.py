#!/usr/bin/python
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# This module is implemented as an action plugin (plugins/action/mdm_artifacts.py) and runs on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: mdm_artifacts
short_description: Write Claude Code managed settings as MDM artifacts (macOS profile, Windows registry, Intune script)
version_added: 1.0.0
description:
  - For each group (or host) of O(hosts), writes under O(dest) what an MDM delivers to a laptop - the
    macOS configuration profile C(com.anthropic.claudecode.mobileconfig) (a
    C(com.apple.ManagedClient.preferences) payload for the domain C(com.anthropic.claudecode)), the
    Custom Settings C(com.anthropic.claudecode.plist) (Jamf Pro, Iru (Kandji)), the registry file
    C(ClaudeCode.reg) for C(HKEY_LOCAL_MACHINE\SOFTWARE\Policies\ClaudeCode), value C(Settings)
    (REG_SZ, one line of JSON), the same value alone in C(ClaudeCode-Settings.json) (Group Policy
    Preferences, or the text box of Anthropic's ADMX policy), the Intune platform script
    C(Set-ClaudeCodePolicy.ps1) that writes C(C:\Program Files\ClaudeCode\managed-settings.json), and that
    C(managed-settings.json) itself - then C(manifest.json), which says which hosts and groups get
    which files, with the data posture and egress of each and what differs from a push.
  - Each host's policy is read from its variables C(claude_code_<field>), as
    M(fleetpolicy.claude_code.apply) reads them (C(claude_code_extra_env) and C(claude_code_extra_settings)
    for the extras), and validated by the same policy core; every artifact parses back to the settings
    document the rollout writes for that policy (the property lists and the registry value without
    C($schema)). A bad value on any host, or one an artifact cannot carry (a null, a control character,
    a value over 1000000 characters), fails the task with one message naming the host and the variable,
    and nothing is written.
  - The registry value and the script are ASCII - other characters are written as JSON C(\uXXXX) escapes,
    which read back as the same text (Claude Code before 2.1.331 refused non-ASCII registry values).
  - Files are written atomically; a file whose bytes are already right is not rewritten, so a second
    run with the same inventory changes nothing. With C(allow_secrets), files are mode C(0600), else C(0644).
  - Runs on the controller only and never connects to a host.
author:
  - fleetpolicy.claude_code contributors (@fleetpolicy)
attributes:
  check_mode:
    support: full
    description: Says which files would be written or removed, and writes nothing.
  diff_mode:
    support: none
    description: The files are on the controller; the manifest lists their checksums.
  platform:
    support: full
    platforms: posix
    description: Runs on the controller.
options:
  hosts:
    description: The hosts to export, usually C(ansible_play_hosts_all).
    type: list
    elements: str
    required: true
  dest:
    description:
      - Directory to write to; created when missing. Required (the role takes it from C(claude_code_mdm_dir)).
      - Files that an earlier export listed in its C(manifest.json) and this one does not write are removed.
    type: path
  by:
    description:
      - V(group) - one set of files per inventory group (C(groups/<group>/)) whose hosts are all in O(hosts)
        and all get the same settings; every host must be in one. V(host) - one set per host (C(hosts/<host>/)).
    type: str
    choices: [group, host]
    default: group
  identifier:
    description: Prefix of the profiles' C(PayloadIdentifier) (PREFIX.<group or host>).
    type: str
    default: com.anthropic.claudecode.profile
  organization:
    description: C(PayloadOrganization) of the profiles; left out when unset.
    type: str
  display_name:
    description: Prefix of the profiles' C(PayloadDisplayName) ("NAME (<group or host>)").
    type: str
    default: Claude Code managed settings
notes:
  - The role C(fleetpolicy.claude_code.mdm) and the playbook C(fleetpolicy.claude_code.mdm_export) run
    this once for a play.
  - Signing the profile is left to your MDM, or to C(openssl smime -sign) (see C(docs/mdm/)).
seealso:
  - module: fleetpolicy.claude_code.apply
  - plugin: fleetpolicy.claude_code.managed_settings
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Write the artifacts of every group once, on the controller
  fleetpolicy.claude_code.mdm_artifacts:
    hosts: "{{ ansible_play_hosts_all }}"
    dest: "{{ playbook_dir }}/mdm"
    organization: Example Corp
    identifier: com.example.claudecode
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
dest:
  description: The directory written to.
  returned: success
  type: str
manifest:
  description: File name of the manifest in O(dest).
  returned: success
  type: str
  sample: manifest.json
targets:
  description: The hosts of each group (or host) that got artifacts.
  returned: success
  type: dict
  sample: {bedrock_private: [mac-01, win-01]}
groups_without_artifacts:
  description: Groups of the run that got none, and why (hosts with different settings, a host not in the run).
  returned: success
  type: dict
written:
  description: Files written (relative to O(dest)); in check mode, those that would be.
  returned: success
  type: list
  elements: str
unchanged:
  description: Files whose bytes were already right.
  returned: success
  type: list
  elements: str
removed:
  description: Files of an earlier export removed.
  returned: success
  type: list
  elements: str
"""
