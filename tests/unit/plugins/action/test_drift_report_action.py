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
