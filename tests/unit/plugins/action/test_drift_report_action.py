# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift_report action: each host's record read from a real HostVars, as stored (untemplated); a
host's posture from its inventory when its result has none; a directory per run, the latest copies
each replaced whole, and the lines a run prints; with history off (pull mode's record), one file per
format that each run replaces."""

from __future__ import annotations

import os

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.loader import connection_loader
from ansible.template import Templar
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

from ansible_collections.fleetpolicy.claude_code.plugins.action import drift_report as A


def test_records_are_read_as_stored(tmp_path):
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  hosts:\n    ok: {}\n    never-ran: {}\n")
    loader = DataLoader()
    inv = InventoryManager(loader=loader, sources=[str(inventory)])
    variables = VariableManager(loader=loader, inventory=inv)
    stored = {"changed": False, "state": "present", "msg": "{{ not templated }}", "drift": []}
    variables.set_nonpersistent_facts("ok", {A.RESULT_VAR: stored})
    hostvars = HostVars(inventory=inv, variable_manager=variables, loader=loader)
    records = A.read_records(hostvars, ["ok", "never-ran", "not-in-inventory"])
    assert records == {"ok": stored, "never-ran": None, "not-in-inventory": None}
    assert records["ok"] is stored  # not a templated copy
    assert A.read_records({}, ["ok"]) == {"ok": None}


def test_a_host_without_a_posture_gets_it_from_its_inventory(tmp_path):
    """The apply action keeps the posture out of an unreachable (or module-failed) result, which
    Ansible prints whole: the report computes it from the host's variables, as the action would."""
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

    inventory = tmp_path / "hosts.yml"
    inventory.write_text(
        "all:\n  hosts:\n"
        "    down: {claude_code_provider: bedrock, claude_code_aws_region: eu-west-1, claude_code_profile: private,"
        " claude_code_lock_provider: 'false'}\n"
        "    down-bad: {claude_code_provider: bedrock, claude_code_profile: paranoid}\n"
        "    refused: {claude_code_provider: anthropic}\n"
    )
    loader = DataLoader()
    inv = InventoryManager(loader=loader, sources=[str(inventory)])
    variables = VariableManager(loader=loader, inventory=inv)
    hostvars = HostVars(inventory=inv, variable_manager=variables, loader=loader)
    down = {"unreachable": True, "changed": False, "state": "present", "msg": "Connection refused"}
    refused = {"failed": True, "changed": False, "msg": "field 'plan' (variable claude_code_plan): ..."}
    records = A.with_postures({"down": down, "down-bad": dict(down), "refused": refused, "gone": None}, hostvars)
    want = compute({"provider": "bedrock", "aws_region": "eu-west-1", "profile": "private", "lock_provider": False})
    assert records["down"] == dict(down, posture=want["posture"], policy=want["policy"])
    assert records["down-bad"] == down and records["refused"] is refused and records["gone"] is None


def test_each_run_has_its_own_directory(tmp_path):
    first = A._run_dir(str(tmp_path), "2026-12-07T021500Z")
    second = A._run_dir(str(tmp_path), "2026-12-07T021500Z")
    assert (os.path.basename(first), os.path.basename(second)) == ("2026-12-07T021500Z", "2026-12-07T021500Z-2")
    assert os.path.isdir(first) and os.path.isdir(second)


def test_the_latest_copies_replace_the_last_ones_whole(tmp_path, monkeypatch):
    dest = str(tmp_path)
    old = A._copy_latest(dest, {"claude-code-drift.json": "old json", "claude-code-drift.md": "old md"})
    assert old == [os.path.join(dest, "claude-code-drift.json"), os.path.join(dest, "claude-code-drift.md")]
    renames = []
    real = os.replace
    monkeypatch.setattr(A.os, "replace", lambda src, dst: (renames.append((src, dst)), real(src, dst)))
    A._copy_latest(dest, {"claude-code-drift.json": "new json", "claude-code-drift.md": "new md"})
    # each file replaced by one rename of a whole temporary file, and nothing left behind
    assert [dst for _src, dst in renames] == old
    assert sorted(os.listdir(dest)) == ["claude-code-drift.json", "claude-code-drift.md"]
    assert [open(p).read() for p in old] == ["new json", "new md"]


def test_the_lines_a_run_prints():
    scope = {"partial": False, "hosts_checked": 5, "inventory_hosts": 5, "limit": None, "pattern": "all"}
    report = {"summary": {"line": "COMPLIANT: 5 hosts - ..."}, "scope": scope}
    run = "/srv/reports/2026-12-07T021500Z"
    files = [run + "/claude-code-drift.html", run + "/claude-code-drift.json"]
    latest = ["/srv/reports/claude-code-drift.html", "/srv/reports/claude-code-drift.json"]
    assert A.lines(report, files, latest) == [
        "COMPLIANT: 5 hosts - ...",
        "report: /srv/reports/2026-12-07T021500Z/claude-code-drift.html (also claude-code-drift.json)",
        "latest: /srv/reports/claude-code-drift.html (a copy of this run's; the other formats beside it)",
    ]
    partial = dict(report, scope=dict(scope, partial=True, hosts_checked=1))
    assert A.lines(partial, [run + "-partial/claude-code-drift.html"], []) == [
        "COMPLIANT: 5 hosts - ...",
        "report: /srv/reports/2026-12-07T021500Z-partial/claude-code-drift.html",
        "a partial run: the latest report in /srv/reports is still the last run of the whole inventory",
    ]


def _run(tmp_path, **args):
    """The action on a two-host inventory, reporting on one host (a partial run, as ansible-pull's)."""
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  hosts:\n    web-01: {}\n    web-02: {}\n")
    loader = DataLoader()
    inv = InventoryManager(loader=loader, sources=[str(inventory)])
    hostvars = HostVars(inventory=inv, variable_manager=VariableManager(loader=loader, inventory=inv), loader=loader)
    task = Task()
    task.args = dict({"hosts": ["web-01"], "dest": str(tmp_path / "out"), "name": "claude-code-pull"}, **args)
    action = A.ActionModule(
        task, connection_loader.get("local", PlayContext()), PlayContext(), loader, Templar(loader=loader), None
    )
    return action.run(task_vars={"hostvars": hostvars, "groups": {"all": ["web-01", "web-02"]}})


def test_without_history_each_run_replaces_one_file_per_format(tmp_path):
    dest = tmp_path / "out"
    for _run_number in range(3):
        result = _run(tmp_path, formats=["json", "prometheus"], history=False)
        assert not result.get("failed"), result
        assert result["partial"] is True
        files = [str(dest / "claude-code-pull.json"), str(dest / "claude-code-pull.prom")]
        assert (result["files"], result["latest"], result["dir"]) == (files, files, str(dest))
        assert sorted(os.listdir(dest)) == ["claude-code-pull.json", "claude-code-pull.prom"]
    assert result["lines"][1:] == [f"report: {files[0]} (also claude-code-pull.prom)"]
    # with history (the default) the same partial run gets a directory of its own and no copies
    result = _run(tmp_path, formats=["json"])
    assert result["latest"] == [] and os.path.dirname(result["files"][0]) == result["dir"] != str(dest)
    assert os.path.basename(result["dir"]).endswith("-partial")
