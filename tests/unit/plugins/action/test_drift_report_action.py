# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift_report action reads each host's record from a real HostVars: as stored, untemplated."""

from __future__ import annotations

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
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
