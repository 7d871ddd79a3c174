# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the role left on each instance: the managed settings file, the rc files, their modes
and owners, and what login shells of an unprivileged user see."""

import json
import shlex

import pytest
from conftest import PROFILE_PROMISES, F, filters, provider_promise

MANAGED_DIR = "/etc/claude-code"
MANAGED = MANAGED_DIR + "/managed-settings.json"
# Debian paths (plugins/plugin_utils/policy/_facts.py OS_RECORDS); "block" files are shared with the OS.
RC_FILES = {
    "sh": ("/etc/profile.d/claude-code.sh", "file"),
    "bash": ("/etc/bash.bashrc", "block"),
    "zsh": ("/etc/zsh/zshenv", "block"),
    "fish": ("/etc/fish/conf.d/claude-code.fish", "file"),
    "environment_d": ("/etc/environment.d/60-claude-code.conf", "file"),
}
DIRS = [MANAGED_DIR, "/etc/profile.d", "/etc/fish/conf.d", "/etc/environment.d"]
PATHS = [MANAGED] + [RC_FILES[shell][0] for shell in sorted(RC_FILES)] + DIRS
# How each shell is started, and which of the role's `shells` entries it relies on.
SHELLS = {
    "dash (login)": (["dash", "-l", "-c"], "sh"),
    "bash (login)": (["bash", "-l", "-c"], "sh"),
    "bash (interactive)": (["bash", "-i", "-c"], "bash"),
    "zsh (login)": (["zsh", "-l", "-c"], "zsh"),
    "fish (login)": (["fish", "-l", "-c"], "fish"),
}
USER = "nobody"  # the values must reach every user, not only root


def state(instance):
    return instance.snapshot(PATHS)


def test_managed_file_is_what_the_filters_compute(instance):
    entry = state(instance)[MANAGED]
    assert entry and entry["type"] == "file", entry
    found = json.loads(entry["content"])
    want = instance.settings
    if not instance.merge:
        assert found == want
        return
    # merge: our keys as computed, and whatever another tool wrote besides them, untouched
    expected = dict(instance.foreign, **{k: v for k, v in want.items() if k != "env"})
    expected["env"] = dict(instance.foreign.get("env", {}), **want["env"])
    assert found == expected


def test_profile_and_provider_promises_hold(instance):
    """Independent of the policy core: what the README promises for this profile and provider."""
    found = json.loads(state(instance)[MANAGED]["content"])
    env_promise, settings_promise = PROFILE_PROMISES[instance.var("profile")]
    env_promise = dict(env_promise, **provider_promise(instance))
    assert {k: found.get("env", {}).get(k) for k in env_promise} == env_promise
    # The profile's deny rules join the organisation's own permissions (a group may deny more).
    deny = dict(settings_promise).get("permissions", {}).get("deny", [])
    assert set(deny) <= set(found.get("permissions", {}).get("deny", [])), found.get("permissions")
    others = {k: v for k, v in settings_promise.items() if k != "permissions"}
    assert {k: found.get(k) for k in others} == others


@pytest.mark.parametrize("path", [MANAGED, MANAGED_DIR])
def test_managed_file_mode_and_owner(instance, path):
    entry = state(instance)[path]
    want = {"type": "file", "mode": 0o644} if path == MANAGED else {"type": "directory", "mode": 0o755}
    assert entry is not None, path
    assert {k: entry[k] for k in ("type", "user", "group", "mode")} == dict(want, user="root", group="root")


def test_no_temporary_or_backup_files_left(instance):
    snapshot = state(instance)
    leftovers = [
        (d, name)
        for d in DIRS
        if snapshot[d]
        for name in snapshot[d]["entries"]
        if name.endswith(".tmp") or (name.endswith(".bak") and not instance.var("backup"))
    ]
    assert leftovers == []


@pytest.mark.parametrize("shell", sorted(RC_FILES))
def test_rc_file_mode_owner_and_content(instance, shell):
    path, kind = RC_FILES[shell]
    entry = state(instance)[path]
    if shell not in instance.shells:
        assert entry is None or "fleetpolicy.claude_code" not in entry.get("content", ""), path
        return
    assert entry is not None, path
    assert {k: entry[k] for k in ("type", "user", "group", "mode")} == {
        "type": "file",
        "user": "root",
        "group": "root",
        "mode": 0o644,
    }, path
    want = filters.shell_exports(instance.rc_env, shell)
    if kind == "file":
        # the whole file is what the shell_exports filter computes from the same env block
        assert entry["content"] == want
    else:
        lines = entry["content"].splitlines()
        begin = [i for i, line in enumerate(lines) if line.startswith("# BEGIN fleetpolicy.claude_code")]
        end = [i for i, line in enumerate(lines) if line.startswith("# END fleetpolicy.claude_code")]
        assert len(begin) == 1 and len(end) == 1 and begin[0] < end[0], entry["content"]
        block = [line for line in lines[begin[0] + 1 : end[0]] if not line.startswith("#")]
        assert block == [line for line in want.splitlines() if not line.startswith("#")]
    # credentials never go to rc files
    for name, value in instance.env.items():
        if name not in instance.rc_env:
            assert name not in entry["content"] and value not in entry["content"]


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_login_shells_see_the_values(instance, shell):
    argv, needs = SHELLS[shell]
    if needs not in instance.shells:
        pytest.skip("%s is not in claude_code_settings_shells for this host" % needs)
    command = "cd / && runuser -u %s -- env -i PATH=/usr/bin:/bin HOME=/nonexistent TERM=dumb %s" % (
        USER,
        " ".join(shlex.quote(a) for a in argv + ["env -0"]),
    )
    result = instance.host.run(command)
    assert result.rc == 0, result.stderr
    seen = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    assert {k: seen.get(k) for k in instance.rc_env} == instance.rc_env
    # and nothing the collection owns is set beyond what this host's policy asks for
    assert sorted(k for k in F.OWNED_ENV if k in seen and k not in instance.rc_env) == []


def test_environment_d_file_parses_to_the_env_block(instance):
    if "environment_d" not in instance.shells:
        pytest.skip("environment_d is not in claude_code_settings_shells for this host")
    text = state(instance)[RC_FILES["environment_d"][0]]["content"]
    pairs = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert pairs == instance.rc_env
