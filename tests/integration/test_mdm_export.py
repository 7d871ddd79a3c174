# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/mdm_export.yml, run as a user runs it:

    ansible-playbook -i INVENTORY fleetpolicy.claude_code.mdm_export -e claude_code_mdm_dir=DIR

on a fleet of laptops no connection reaches: a Bedrock `private` group and a group with non-ASCII
extras, under a parent group of both. Every artifact of the Bedrock group parses back to exactly
the settings document the rollout writes for the same policy (the rollout is run here too, on a
local host, and its file read back); a second run writes the same bytes; a bad value writes
nothing; and no host is contacted: the laptops are an SSH host on a loopback port this test
listens on (it asserts that nothing connected) and hosts whose connection plugin fails the test
the moment Ansible loads it (ansible_host=192.0.2.1, which is never reached either way).
"""

from __future__ import annotations

import hashlib
import json
import os
import plistlib
import socket
import subprocess

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.local_host import SHELLS
from ansible_collections.fleetpolicy.claude_code.tests._support.mdm import read_profile, read_reg, settings_of_script

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BEDROCK = {"claude_code_provider": "bedrock", "claude_code_aws_region": "us-east-1", "claude_code_profile": "private"}
UNICODE = {
    "claude_code_provider": "anthropic",
    "claude_code_plan": "enterprise",
    "claude_code_extra_env": {"ACME_TEAM": "Grüße — 日本語 😀"},
    "claude_code_extra_settings": {"companyAnnouncements": ['Bitte "Grüezi" sagen \\ 日本']},
}
TRAP = '''
from __future__ import annotations
import os
from ansible.plugins.connection import ConnectionBase

DOCUMENTATION = """
name: trap
short_description: fails the test the moment Ansible loads it for a host
description: [Written by tests/integration/test_mdm_export.py.]
author: fleetpolicy.claude_code contributors
"""


class Connection(ConnectionBase):
    transport = "trap"

    def __init__(self, *args, **kwargs):
        with open(os.environ["MDM_TRAP_MARKER"], "a") as handle:
            handle.write("a connection plugin was loaded for a host\\n")
        raise RuntimeError("mdm_export must not connect to any host")

    def _connect(self):
        raise RuntimeError("unreachable")

    def exec_command(self, *args, **kwargs):
        raise RuntimeError("unreachable")

    def put_file(self, *args, **kwargs):
        raise RuntimeError("unreachable")

    def fetch_file(self, *args, **kwargs):
        raise RuntimeError("unreachable")

    def close(self):
        pass
'''


def checksums(base):
    out = {}
    for dirpath, _dirs, files in os.walk(base):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                out[os.path.relpath(path, base)] = (
                    hashlib.sha256(handle.read()).hexdigest(),
                    os.stat(path).st_mtime_ns,
                )
    return out


@pytest.fixture(scope="module")
def lab(tmp_path_factory, ansible_env):
    base = tmp_path_factory.mktemp("mdm")
    plugins = base / "connection_plugins"
    plugins.mkdir()
    (plugins / "trap.py").write_text(TRAP)
    marker = base / "trap-marker"
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    inventory = {
        "all": {
            "children": {
                "laptops": {
                    "children": {
                        "bedrock_private": {
                            "hosts": {
                                "mac-01": {
                                    "ansible_host": "127.0.0.1",
                                    "ansible_port": port,
                                    "ansible_connection": "ssh",
                                },
                                "win-01": {"ansible_host": "192.0.2.1", "ansible_connection": "trap"},
                            },
                            "vars": BEDROCK,
                        },
                        "enterprise_unicode": {
                            "hosts": {"mac-02": {"ansible_host": "192.0.2.1", "ansible_connection": "trap"}},
                            "vars": UNICODE,
                        },
                    }
                }
            }
        }
    }
    path = base / "laptops.yml"
    path.write_text(yaml.safe_dump(inventory, allow_unicode=True))
    binary, env = ansible_env
    env = dict(env, ANSIBLE_CONNECTION_PLUGINS=str(plugins), MDM_TRAP_MARKER=str(marker))

    def play(playbook, inventory_path, *extra):
        proc = subprocess.run(
            [binary, "-i", str(inventory_path), playbook, *extra],
            env=env,
            cwd=str(base),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
            check=False,
        )
        return proc.returncode, proc.stdout

    yield {"base": base, "inventory": path, "play": play, "marker": marker, "listener": listener}
    listener.close()


def no_host_was_contacted(lab):
    assert not lab["marker"].exists(), lab["marker"].read_text()
    with pytest.raises(BlockingIOError):
        lab["listener"].accept()  # nothing connected to the SSH host's port


@pytest.fixture(scope="module")
def rollout_document(lab):
    """What the rollout writes for the Bedrock group's policy: run it on a local host, read the file."""
    root = lab["base"] / "rollout-host"
    host = dict(
        BEDROCK,
        ansible_connection="local",
        claude_code_settings_cli_account="root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
        claude_code_settings_path=str(root / "claude-code" / "managed-settings.json"),
        claude_code_settings_shell_paths={s: str(root / p) for s, p in SHELLS.items()},
    )
    path = lab["base"] / "rollout.yml"
    path.write_text(yaml.safe_dump({"all": {"hosts": {"linux-01": host}}}))
    rc, out = lab["play"]("fleetpolicy.claude_code.rollout", path)
    assert rc == 0, out
    return (root / "claude-code" / "managed-settings.json").read_bytes()


@pytest.fixture(scope="module")
def first_run(lab):
    dest = lab["base"] / "artifacts"
    rc, out = lab["play"]("fleetpolicy.claude_code.mdm_export", lab["inventory"], "-e", f"claude_code_mdm_dir={dest}")
    assert rc == 0, out
    return dest, out, checksums(dest)


def test_the_bedrock_group_gets_every_artifact_as_the_rollout_document(lab, first_run, rollout_document):
    dest, out, _sums = first_run
    document = json.loads(rollout_document)
    bare = {k: v for k, v in document.items() if k != "$schema"}
    group = dest / "groups" / "bedrock_private"
    assert sorted(os.listdir(group)) == [
        "ClaudeCode-Settings.json",
        "ClaudeCode.reg",
        "Set-ClaudeCodePolicy.ps1",
        "com.anthropic.claudecode.mobileconfig",
        "com.anthropic.claudecode.plist",
        "managed-settings.json",
    ]
    settings, profile = read_profile((group / "com.anthropic.claudecode.mobileconfig").read_bytes())
    assert settings == bare
    assert profile["PayloadIdentifier"] == "com.anthropic.claudecode.profile.bedrock_private"
    assert plistlib.loads((group / "com.anthropic.claudecode.plist").read_bytes()) == bare
    value = read_reg((group / "ClaudeCode.reg").read_bytes())["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]
    assert json.loads(value["Settings"]) == bare
    assert settings_of_script((group / "Set-ClaudeCodePolicy.ps1").read_bytes()) == document
    assert (group / "managed-settings.json").read_bytes() == rollout_document  # the same bytes
    assert "2 groups, 13 files: 13 written" in out
    no_host_was_contacted(lab)


def test_the_manifest_says_who_gets_what_with_posture_and_egress(first_run):
    dest, _out, _sums = first_run
    manifest = json.loads((dest / "manifest.json").read_text())
    assert [t["name"] for t in manifest["targets"]] == ["bedrock_private", "enterprise_unicode"]
    assert manifest["hosts"] == {
        "mac-01": ["groups/bedrock_private"],
        "mac-02": ["groups/enterprise_unicode"],
        "win-01": ["groups/bedrock_private"],
    }
    assert set(manifest["groups_without_artifacts"]) == {"laptops"}
    bedrock = manifest["targets"][0]
    expected = compute({"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"})
    assert bedrock["posture"] == expected["posture"] and bedrock["egress"] == expected["egress"]
    assert any(n.startswith("No shell rc exports here") for n in bedrock["delivery_notes"])
    for info in bedrock["files"].values():
        data = (dest / info["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"]


def test_non_ascii_extras_are_read_from_the_new_variable_names_and_survive(first_run):
    dest, _out, _sums = first_run
    expected = compute(
        {
            "provider": "anthropic",
            "plan": "enterprise",
            "env": UNICODE["claude_code_extra_env"],
            "settings": UNICODE["claude_code_extra_settings"],
        }
    )["settings"]
    bare = {k: v for k, v in expected.items() if k != "$schema"}
    group = dest / "groups" / "enterprise_unicode"
    assert read_profile((group / "com.anthropic.claudecode.mobileconfig").read_bytes())[0] == bare
    raw = (group / "ClaudeCode-Settings.json").read_bytes()
    assert raw.isascii() and json.loads(raw) == bare
    value = read_reg((group / "ClaudeCode.reg").read_bytes())["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]
    assert value["Settings"] == raw.decode("ascii")
    assert settings_of_script((group / "Set-ClaudeCodePolicy.ps1").read_bytes()) == expected
    assert json.loads((group / "managed-settings.json").read_text(encoding="utf-8")) == expected


def test_a_second_run_writes_the_same_bytes_and_touches_nothing(lab, first_run):
    dest, _out, sums = first_run
    rc, out = lab["play"]("fleetpolicy.claude_code.mdm_export", lab["inventory"], "-e", f"claude_code_mdm_dir={dest}")
    assert rc == 0, out
    assert "0 written, 13 unchanged, 0 removed" in out and "changed=0" in out
    assert checksums(dest) == sums  # content and modification times
    no_host_was_contacted(lab)


def test_a_bad_value_fails_naming_host_and_variable_and_writes_nothing(lab, first_run):
    dest, _out, sums = first_run
    rc, out = lab["play"](
        "fleetpolicy.claude_code.mdm_export",
        lab["inventory"],
        "-e",
        f"claude_code_mdm_dir={dest}",
        "-e",
        "claude_code_profile=privte",
    )
    assert rc != 0
    assert (
        "fleetpolicy.claude_code.mdm_artifacts: host mac-01: field 'profile' (variable claude_code_profile): "
        'got \\"privte\\"' in out
    ), out
    assert checksums(dest) == sums
    fresh = lab["base"] / "never-written"
    rc, out = lab["play"](
        "fleetpolicy.claude_code.mdm_export",
        lab["inventory"],
        "-e",
        f"claude_code_mdm_dir={fresh}",
        "-e",
        "claude_code_profile=privte",
    )
    assert rc != 0 and not fresh.exists(), out
    no_host_was_contacted(lab)


def test_by_host_and_an_empty_pattern(lab):
    dest = lab["base"] / "by-host"
    rc, out = lab["play"](
        "fleetpolicy.claude_code.mdm_export",
        lab["inventory"],
        "-e",
        f"claude_code_mdm_dir={dest}",
        "-e",
        "claude_code_mdm_by=host",
        "-e",
        "claude_code_hosts=bedrock_private",
    )
    assert rc == 0, out
    assert sorted(os.listdir(dest / "hosts")) == ["mac-01", "win-01"]
    rc, out = lab["play"](
        "fleetpolicy.claude_code.mdm_export",
        lab["inventory"],
        "-e",
        f"claude_code_mdm_dir={dest}",
        "-e",
        "claude_code_hosts=nomatch",
    )
    assert rc != 0 and "No host in the inventory matches 'nomatch'" in out, out
    no_host_was_contacted(lab)
