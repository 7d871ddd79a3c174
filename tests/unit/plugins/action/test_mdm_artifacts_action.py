# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The mdm_artifacts action on a real inventory (InventoryManager, VariableManager, HostVars, a
Task): hosts' variables become policies as for the rollout, a bad input anywhere is refused with
one message naming the host and the variable and writes nothing, credentials are refused unless
allow_secrets and never end up in the result or the manifest."""

from __future__ import annotations

import json
import os
import plistlib

import pytest
import yaml
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.playbook.play_context import PlayContext
from ansible.playbook.task import Task
from ansible.plugins.loader import connection_loader
from ansible.template import Templar
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

from ansible_collections.fleetpolicy.claude_code.plugins.action import mdm_artifacts as A
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.mdm import read_profile, read_reg, settings_of_script

SECRET = "sk-ant-api03-MDMUNITSECRET0123456789abcdefghij"
BEDROCK = {
    "claude_code_provider": "bedrock",
    "claude_code_aws_region": "us-east-1",
    "claude_code_profile": "private",
}


def inventory(tmp_path, groups):
    """An inventory file from {group: ({host: vars}, group vars)}; returns (hostvars, groups var)."""
    children = {name: {"hosts": hosts, "vars": gvars} for name, (hosts, gvars) in groups.items()}
    path = tmp_path / "hosts.yml"
    path.write_text(yaml.safe_dump({"all": {"children": children}}))
    loader = DataLoader()
    inv = InventoryManager(loader=loader, sources=[str(path)])
    manager = VariableManager(loader=loader, inventory=inv)
    hostvars = HostVars(inventory=inv, variable_manager=manager, loader=loader)
    groups_var = {g.name: sorted(h.name for h in g.get_hosts()) for g in inv.groups.values()}
    return hostvars, groups_var, loader


def run(tmp_path, groups, check_mode=False, **args):
    hostvars, groups_var, loader = inventory(tmp_path, groups)
    task = Task()
    task.args = dict({"hosts": sorted(groups_var["all"]), "dest": str(tmp_path / "out")}, **args)
    task.check_mode = check_mode
    connection = connection_loader.get("local", PlayContext())
    action = A.ActionModule(task, connection, PlayContext(), loader, Templar(loader=loader), None)
    return action.run(task_vars={"hostvars": hostvars, "groups": groups_var})


def test_a_group_gets_artifacts_that_read_back_as_the_rollout_document(tmp_path):
    result = run(
        tmp_path,
        {
            "bedrock_private": (
                {"mac-01": {"ansible_connection": "ssh"}, "win-01": {}},
                dict(BEDROCK, claude_code_extra_settings={"permissions": {"deny": ["Read(./.env)"]}}),
            ),
        },
    )
    assert not result.get("failed"), result
    assert result["changed"] is True and result["targets"] == {"bedrock_private": ["mac-01", "win-01"]}
    expected = compute(
        {
            "provider": "bedrock",
            "aws_region": "us-east-1",
            "profile": "private",
            "settings": {"permissions": {"deny": ["Read(./.env)"]}},
        }
    )
    out = tmp_path / "out" / "groups" / "bedrock_private"
    bare = {k: v for k, v in expected["settings"].items() if k != "$schema"}
    assert read_profile((out / "com.anthropic.claudecode.mobileconfig").read_bytes())[0] == bare
    assert plistlib.loads((out / "com.anthropic.claudecode.plist").read_bytes()) == bare
    reg = read_reg((out / "ClaudeCode.reg").read_bytes())
    assert json.loads(reg["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]["Settings"]) == bare
    assert json.loads((out / "ClaudeCode-Settings.json").read_text()) == bare
    assert settings_of_script((out / "Set-ClaudeCodePolicy.ps1").read_bytes()) == expected["settings"]
    assert json.loads((out / "managed-settings.json").read_text()) == expected["settings"]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    (target,) = manifest["targets"]
    assert target["posture"] == expected["posture"] and target["egress"] == expected["egress"]
    assert manifest["hosts"] == {"mac-01": ["groups/bedrock_private"], "win-01": ["groups/bedrock_private"]}
    assert {os.path.basename(f["path"]) for f in target["files"].values()} == A.ARTIFACT_NAMES
    assert all(oct(p.stat().st_mode & 0o777) == "0o644" for p in out.iterdir())
    # a second run: the same bytes, nothing written
    again = run(
        tmp_path,
        {
            "bedrock_private": (
                {"mac-01": {}, "win-01": {}},
                dict(BEDROCK, claude_code_extra_settings={"permissions": {"deny": ["Read(./.env)"]}}),
            )
        },
    )
    assert again["changed"] is False and again["written"] == [] and len(again["unchanged"]) == 7


def test_templated_variables_are_read_in_the_host_context(tmp_path):
    result = run(
        tmp_path,
        {"fleet": ({"a": {"region": "eu-west-1"}}, dict(BEDROCK, claude_code_aws_region="{{ region }}"))},
        by="host",
    )
    assert not result.get("failed"), result
    settings = json.loads((tmp_path / "out" / "hosts" / "a" / "managed-settings.json").read_text())
    assert settings["env"]["AWS_REGION"] == "eu-west-1"


@pytest.mark.parametrize(
    ("host_vars", "message"),
    [
        (
            {"claude_code_profile": "privte"},
            "host bad-01: field 'profile' (variable claude_code_profile): got \"privte\"; allowed: standard, private, airgapped (did you mean private?)",
        ),
        (
            {"claude_code_extra_settings": {"permissions": {"defaultMode": None}}},
            "host bad-01: field 'settings.permissions.defaultMode' (variable claude_code_extra_settings): got nothing (null); "
            "a configuration profile is a property list, which has no null",
        ),
        (
            {"claude_code_extra_env": {"ACME_NOTE": "a\rb"}},
            "host bad-01: field 'env.ACME_NOTE' (variable claude_code_extra_env)",
        ),
        (
            {"claude_code_settings": {"model": "x"}},
            "host bad-01: unknown variable claude_code_settings (did you mean claude_code_extra_settings?)",
        ),
        (
            {"claude_code_env": {}},
            "host bad-01: unknown variable claude_code_env (did you mean claude_code_extra_env?)",
        ),
        (
            {"claude_code_profil": "private"},
            "host bad-01: unknown variable claude_code_profil (did you mean claude_code_profile?)",
        ),
        ({"claude_code_aws_region": "{{ nowhere }}"}, "host bad-01: variable claude_code_aws_region: "),
        (
            {"claude_code_settings_state": "gone"},
            "host bad-01: variable claude_code_settings_state: got 'gone'; allowed: present, absent",
        ),
    ],
)
def test_a_bad_input_on_one_host_writes_nothing_and_names_host_and_variable(tmp_path, host_vars, message):
    groups = {
        "good": ({"good-01": {}}, dict(BEDROCK)),
        "bad": ({"bad-01": host_vars}, dict(BEDROCK)),
    }
    result = run(tmp_path, groups)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("fleetpolicy.claude_code.mdm_artifacts: " + message), result["msg"]
    assert "\n" not in result["msg"]
    assert not (tmp_path / "out").exists()


def test_credentials_are_refused_unless_allow_secrets_and_never_shown(tmp_path):
    env = {"ANTHROPIC_API_KEY": SECRET}
    groups = {
        "g": ({"h": {}}, {"claude_code_provider": "anthropic", "claude_code_plan": "api", "claude_code_extra_env": env})
    }
    refused = run(tmp_path, groups)
    assert refused["failed"] and "variable claude_code_extra_env" in refused["msg"]
    assert SECRET not in json.dumps(refused) and not (tmp_path / "out").exists()
    groups["g"][1]["claude_code_allow_secrets"] = True
    result = run(tmp_path, groups)
    assert not result.get("failed"), result
    assert SECRET not in json.dumps(result)
    out = tmp_path / "out"
    manifest = (out / "manifest.json").read_text()
    assert SECRET not in manifest
    assert json.loads(manifest)["targets"][0]["credentials"]["env"] == ["ANTHROPIC_API_KEY"]
    for path in (out / "groups" / "g").iterdir():
        assert oct(path.stat().st_mode & 0o777) == "0o600", path
    assert SECRET.encode() in (out / "groups" / "g" / "managed-settings.json").read_bytes()


def test_state_absent_hosts_get_nothing_and_are_listed(tmp_path):
    groups = {
        "macs": ({"m1": {}, "m2": {}}, dict(BEDROCK)),
        "leaving": ({"old": {"claude_code_settings_state": "absent"}}, dict(BEDROCK)),
    }
    result = run(tmp_path, groups)
    assert result["targets"] == {"macs": ["m1", "m2"]}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["hosts_with_state_absent"] == ["old"]
    assert manifest["groups_without_artifacts"] == {"leaving": "host old has claude_code_settings_state absent"}
    everyone_gone = run(tmp_path, {"leaving": ({"old": {"claude_code_settings_state": "absent"}}, dict(BEDROCK))})
    assert everyone_gone["failed"] and "claude_code_settings_state absent" in everyone_gone["msg"]


def test_group_mode_refuses_a_host_without_a_uniform_group(tmp_path):
    groups = {
        "mixed": ({"a": {"claude_code_profile": "private"}, "b": {"claude_code_profile": "airgapped"}}, dict(BEDROCK))
    }
    result = run(tmp_path, groups)
    assert result["failed"] and result["msg"].startswith(
        "fleetpolicy.claude_code.mdm_artifacts: host a: no group of it can take one set of artifacts "
        "(group mixed: its hosts get different settings (a and b differ))"
    )
    by_host = run(tmp_path, groups, by="host")
    assert sorted(by_host["targets"]) == ["a", "b"]


def test_options_reach_the_profile_and_check_mode_writes_nothing(tmp_path):
    groups = {"g": ({"h": {}}, dict(BEDROCK))}
    result = run(tmp_path, groups, check_mode=True, identifier="com.example.cc", organization="Example Corp")
    assert result["changed"] is True and "check mode" in result["msg"] and not (tmp_path / "out").exists()
    run(tmp_path, groups, identifier="com.example.cc", organization="Example Corp", display_name="CC")
    data = (tmp_path / "out" / "groups" / "g" / "com.anthropic.claudecode.mobileconfig").read_bytes()
    _settings, profile = read_profile(data)
    assert profile["PayloadIdentifier"] == "com.example.cc.g"
    assert profile["PayloadOrganization"] == "Example Corp" and profile["PayloadDisplayName"] == "CC (g)"
    missing = run(tmp_path, groups, dest=None)
    assert missing["failed"] and "claude_code_mdm_dir" in missing["msg"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"by": "groups"}, "claude_code_mdm_by (option by): got 'groups'; allowed: group, host (did you mean group?)"),
        (
            {"identifier": "com example"},
            "claude_code_mdm_identifier (option identifier): got 'com example'; allowed: a reverse-DNS",
        ),
        ({"identifier": "com..example"}, "claude_code_mdm_identifier (option identifier): got 'com..example'"),
        ({"organization": "Acme\x07"}, "claude_code_mdm_organization (option organization): got 'Acme\\x07'"),
        ({"display_name": " "}, "claude_code_mdm_display_name (option display_name): got ' '"),
        ({"display_name": 5}, "claude_code_mdm_display_name (option display_name): got an integer; allowed: text"),
    ],
)
def test_the_exports_own_options_are_checked_naming_the_role_variable(tmp_path, args, message):
    result = run(tmp_path, {"g": ({"h": {}}, dict(BEDROCK))}, **args)
    assert result["failed"] and result["msg"].startswith("fleetpolicy.claude_code.mdm_artifacts: " + message), result[
        "msg"
    ]
    assert not (tmp_path / "out").exists()
    assert not run(tmp_path, {"g": ({"h": {}}, dict(BEDROCK))}, organization="").get("failed")
