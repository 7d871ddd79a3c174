"""What the role left on each instance: the managed settings file, the rc files, their modes
and owners, and what login shells of an unprivileged user see."""
import json
import shlex

import pytest

from conftest import filters

MANAGED = "/etc/claude-code/managed-settings.json"
# Debian paths (plugins/module_utils/_files.py RC_TARGETS); "block" files are shared with the OS.
RC_FILES = {
    "sh": ("/etc/profile.d/claude-code.sh", "file"),
    "bash": ("/etc/bash.bashrc", "block"),
    "zsh": ("/etc/zsh/zshenv", "block"),
    "fish": ("/etc/fish/conf.d/claude-code.fish", "file"),
    "environment_d": ("/etc/environment.d/60-claude-code.conf", "file"),
}
# How each shell is started, and which of the role's `shells` entries it relies on.
SHELLS = {
    "dash (login)": (["dash", "-l", "-c"], "sh"),
    "bash (login)": (["bash", "-l", "-c"], "sh"),
    "bash (interactive)": (["bash", "-i", "-c"], "bash"),
    "zsh (login)": (["zsh", "-l", "-c"], "zsh"),
    "fish (login)": (["fish", "-l", "-c"], "fish"),
}
USER = "nobody"  # the values must reach every user, not only root


def read_json(instance, path):
    out = instance.host.check_output("cat %s", path)
    return json.loads(out)


def test_managed_file_is_what_the_filters_compute(instance):
    found = read_json(instance, MANAGED)
    want = instance.settings
    if instance.mode == "replace":
        assert found == want
        return
    # merge: our keys as computed, and whatever another tool wrote besides them, untouched
    for key, value in want.items():
        if key == "env":
            assert {k: found.get("env", {}).get(k) for k in value} == value
        else:
            assert found.get(key) == value, key
    for key, value in instance.foreign.items():
        if key == "env":
            assert {k: found["env"].get(k) for k in value} == value
        else:
            assert found.get(key) == value, key
    expected_keys = set(want) | set(instance.foreign)
    assert set(found) == expected_keys


@pytest.mark.parametrize("path,kind", [(MANAGED, "file"), ("/etc/claude-code", "directory")])
def test_managed_file_mode_and_owner(instance, path, kind):
    f = instance.host.file(path)
    assert getattr(f, "is_" + kind)
    assert not f.is_symlink
    assert (f.user, f.group) == ("root", "root")
    assert f.mode == (0o644 if kind == "file" else 0o755)


def test_no_temporary_files_left(instance):
    out = instance.host.check_output("find /etc/claude-code /etc/profile.d /etc/fish/conf.d /etc/environment.d "
                                     "-name '.*.tmp' -print")
    assert out == ""


def test_rc_files_mode_owner_and_content(instance):
    for shell in instance.shells:
        path, kind = RC_FILES[shell]
        f = instance.host.file(path)
        assert f.is_file and not f.is_symlink, path
        assert (f.user, f.group, f.mode) == ("root", "root", 0o644), path
        text = f.content_string
        if kind == "file":
            # the whole file is what the shell_exports filter computes from the same env block
            assert text == filters.shell_exports(instance.rc_env, shell), path
        else:
            body = filters.shell_exports(instance.rc_env, shell).splitlines()[1:]
            for line in body:
                assert line in text.splitlines(), (path, line)
            assert text.count("fleetpolicy.claude_code managed block") == 2, path


def test_no_credentials_in_rc_files(instance):
    for shell in instance.shells:
        text = instance.host.file(RC_FILES[shell][0]).content_string
        for name, value in instance.env.items():
            if name not in instance.rc_env:
                assert name not in text and value not in text


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_login_shells_see_the_values(instance, shell):
    argv, needs = SHELLS[shell]
    if needs not in instance.shells:
        pytest.skip("%s is not in claude_code_shells for this host" % needs)
    command = "cd / && runuser -u %s -- env -i PATH=/usr/bin:/bin HOME=/nonexistent TERM=dumb %s" % (
        USER, " ".join(shlex.quote(a) for a in argv + ["env -0"]))
    result = instance.host.run(command)
    assert result.rc == 0, result.stderr
    seen = dict(item.split("=", 1) for item in result.stdout.split("\0") if "=" in item)
    assert {k: seen.get(k) for k in instance.rc_env} == instance.rc_env
    # nothing the collection owns is set beyond what this host's policy asks for
    from conftest import F
    stale = sorted(k for k in F.OWNED_ENV if k in seen and k not in instance.rc_env)
    assert stale == []


def test_environment_d_file_parses_to_the_env_block(instance):
    if "environment_d" not in instance.shells:
        pytest.skip("environment_d is not in claude_code_shells for this host")
    text = instance.host.file(RC_FILES["environment_d"][0]).content_string
    pairs = dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))
    assert pairs == instance.rc_env
