"""The managed_settings module: check, diff, merge, replace, absent, backup, symlink, corrupt files, rc exports."""

import json
import os
import stat

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import run

DOC = {
    "$schema": "https://json.schemastore.org/claude-code-settings.json",
    "env": {"DISABLE_TELEMETRY": "1", "DISABLE_ERROR_REPORTING": "1"},
}


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "etc"
    root.mkdir()
    return root


def _paths(root):
    return {
        "sh": str(root / "profile.d" / "claude-code.sh"),
        "bash": str(root / "bash.bashrc"),
        "zsh": str(root / "zsh" / "zshenv"),
        "fish": str(root / "fish" / "conf.d" / "claude-code.fish"),
        "environment_d": str(root / "environment.d" / "60-claude-code.conf"),
    }


def args(root, **kw):
    base = {"path": str(root / "claude-code" / "managed-settings.json"), "settings": DOC, "os_family": "Debian"}
    base.update(kw)
    return base


def read(path):
    with open(path) as handle:
        return json.load(handle)


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_fresh_write_then_idempotent(tree):
    a = args(tree)
    res = run(a)
    assert res["changed"] is True, res
    path = a["path"]
    assert read(path) == DOC
    assert mode_of(path) == 0o644 and mode_of(os.path.dirname(path)) == 0o755
    assert open(path).read() == _fs.render_json(DOC)
    mtime = os.stat(path).st_mtime_ns
    again = run(a)
    assert again["changed"] is False and again["drift"] == []
    assert os.stat(path).st_mtime_ns == mtime
    # In diff mode, a host with nothing to change has no diff at all (not an empty one).
    assert "diff" not in run(a, check=True, diff=True)


def test_check_mode_writes_nothing_and_diffs(tree):
    a = args(tree)
    res = run(a, check=True, diff=True)
    assert res["changed"] is True
    assert not os.path.exists(os.path.dirname(a["path"]))
    assert res["diff"][0]["before"] == "" and '"DISABLE_TELEMETRY": "1"' in res["diff"][0]["after"]
    assert {"file": a["path"], "key": "(file)", "expected": "present", "found": None} in res["drift"]


def test_drift_reported_by_key_and_repaired(tree):
    a = args(tree)
    run(a)
    edited = dict(DOC, env={"DISABLE_TELEMETRY": "1"}, cleanupPeriodDays=99)
    with open(a["path"], "w") as handle:
        json.dump(edited, handle)
    res = run(a, check=True, diff=True)
    assert res["changed"] is True
    keys = {(d["key"], d["expected"], d["found"]) for d in res["drift"]}
    assert keys == {("env.DISABLE_ERROR_REPORTING", "1", None), ("cleanupPeriodDays", None, 99)}
    assert read(a["path"]) == edited  # check mode: untouched
    assert "cleanupPeriodDays" in res["diff"][0]["before"] and "cleanupPeriodDays" not in res["diff"][0]["after"]
    assert run(a)["changed"] is True
    assert read(a["path"]) == DOC


def test_formatting_only_difference_is_not_drift(tree):
    a = args(tree)
    os.makedirs(os.path.dirname(a["path"]))
    with open(a["path"], "w") as handle:
        json.dump(DOC, handle)  # compact, unsorted
    os.chmod(a["path"], 0o644)
    assert run(a)["changed"] is False


def test_mode_drift_is_fixed(tree):
    a = args(tree)
    run(a)
    os.chmod(a["path"], 0o666)
    res = run(a, check=True)
    assert res["changed"] is True and res["drift"] == [
        {"file": a["path"], "key": "(mode)", "expected": "0644", "found": "0666"}
    ]
    assert run(a)["changed"] is True and mode_of(a["path"]) == 0o644


def test_merge_keeps_foreign_keys_and_purges(tree):
    a = args(tree, mode="merge", purge=["env.DISABLE_UPDATES", "skipWebFetchPreflight"])
    os.makedirs(os.path.dirname(a["path"]))
    foreign = {"model": "x", "env": {"OTHER": "kept", "DISABLE_UPDATES": "1"}, "skipWebFetchPreflight": True}
    with open(a["path"], "w") as handle:
        json.dump(foreign, handle)
    res = run(a, diff=True)
    assert res["changed"] is True
    got = read(a["path"])
    assert got["model"] == "x" and got["env"]["OTHER"] == "kept"
    assert got["env"]["DISABLE_TELEMETRY"] == "1" and "DISABLE_UPDATES" not in got["env"]
    assert "skipWebFetchPreflight" not in got
    assert run(a)["changed"] is False


def test_merge_joins_permission_rules_with_the_files_own(tree):
    """A shared file's own permission rules stay: ours are added after them, and removing ours
    leaves theirs. Other lists (allowedProviders) are ours alone."""
    ours = dict(DOC, permissions={"deny": ["Artifact", "Projects"]}, allowedProviders=["bedrock"])
    a = args(tree, mode="merge", settings=ours)
    os.makedirs(os.path.dirname(a["path"]))
    foreign = {"permissions": {"allow": ["Read"], "deny": ["Bash(rm *)", "Projects"]}, "allowedProviders": ["x"]}
    with open(a["path"], "w") as handle:
        json.dump(foreign, handle)
    assert run(a)["changed"] is True
    got = read(a["path"])
    assert got["permissions"] == {"allow": ["Read"], "deny": ["Bash(rm *)", "Projects", "Artifact"]}
    assert got["allowedProviders"] == ["bedrock"]
    assert run(a)["changed"] is False  # joined once
    assert run(dict(a, state="absent"))["changed"] is True
    left = read(a["path"])
    assert left["permissions"] == {"allow": ["Read"], "deny": ["Bash(rm *)"]}  # ours gone, theirs kept
    assert "allowedProviders" not in left


def test_absent_replace_removes_file(tree):
    a = args(tree)
    run(a)
    res = run(dict(a, state="absent", settings=None))
    assert res["changed"] is True and not os.path.exists(a["path"])
    assert run(dict(a, state="absent", settings=None))["changed"] is False


def test_absent_merge_removes_only_our_keys(tree):
    a = args(tree, mode="merge")
    os.makedirs(os.path.dirname(a["path"]))
    with open(a["path"], "w") as handle:
        json.dump({"model": "x", "env": {"OTHER": "kept"}}, handle)
    run(a)
    run(dict(a, state="absent"))
    assert read(a["path"]) == {"model": "x", "env": {"OTHER": "kept"}}


def test_backup_is_private_and_beside_the_file(tree):
    a = args(tree, backup=True)
    run(a)
    assert run(a)["backup_files"] == []  # nothing changed, nothing backed up
    res = run(dict(a, settings={"env": {}}))
    (bak,) = res["backup_files"]
    assert os.path.dirname(bak) == os.path.dirname(a["path"]) and bak.endswith(".bak")
    assert mode_of(bak) == 0o600 and json.load(open(bak)) == DOC


def test_symlink_is_refused(tree):
    a = args(tree)
    os.makedirs(os.path.dirname(a["path"]))
    target = tree / "elsewhere.json"
    target.write_text("{}")
    os.symlink(str(target), a["path"])
    res = run(a)
    assert res.get("failed") and "symbolic link" in res["msg"] and a["path"] in res["msg"]
    assert target.read_text() == "{}" and os.path.islink(a["path"])


@pytest.mark.parametrize("content", ["{not json", "", "[1, 2]", "\xff\xfe"])
def test_corrupt_file_refused_unless_force(tree, content):
    a = args(tree)
    os.makedirs(os.path.dirname(a["path"]))
    with open(a["path"], "w", encoding="latin-1") as handle:
        handle.write(content)
    res = run(a)
    assert res.get("failed") and "force" in res["msg"] and a["path"] in res["msg"]
    assert open(a["path"], encoding="latin-1").read() == content
    res = run(dict(a, force=True))
    assert res["changed"] is True and read(a["path"]) == DOC
    (bak,) = res["backup_files"]
    assert open(bak, encoding="latin-1").read() == content and mode_of(bak) == 0o600


def test_directory_at_path_is_refused(tree):
    a = args(tree)
    os.makedirs(a["path"])
    res = run(a)
    assert res.get("failed") and "is a directory" in res["msg"]


def test_dropin_must_be_json(tree):
    a = args(tree, path=str(tree / "claude-code" / "managed-settings.d" / "10-policy"))
    res = run(a)
    assert res.get("failed") and ".json" in res["msg"]


def test_env_values_must_be_strings(tree):
    res = run(args(tree, settings={"env": {"DISABLE_TELEMETRY": 1}}))
    assert res.get("failed") and "settings.env" in res["msg"]


def test_stale_temp_files_are_removed(tree):
    a = args(tree)
    run(a)
    stale = os.path.join(os.path.dirname(a["path"]), ".managed-settings.json.abc123.tmp")
    open(stale, "w").write("{partial")
    res = run(a)
    assert res["removed_temp_files"] == [stale] and not os.path.exists(stale)


def test_rc_exports_written_blocks_kept_idempotent_and_removed(tree):
    paths = _paths(tree)
    with open(paths["bash"], "w") as handle:
        handle.write("# distro bashrc\nalias ll='ls -l'\n")
    a = args(tree, shells=list(paths), shell_paths=paths)
    res = run(a, diff=True)
    assert res["changed"] is True
    assert sorted(res["files"][1:]) == sorted(paths.values())
    sh = open(paths["sh"]).read()
    assert "export DISABLE_TELEMETRY='1'" in sh and sh.startswith("# Managed by Ansible")
    bashrc = open(paths["bash"]).read()
    assert bashrc.startswith("# distro bashrc\nalias ll='ls -l'\n") and _fs.BLOCK_BEGIN in bashrc
    assert "set -gx DISABLE_ERROR_REPORTING '1'" in open(paths["fish"]).read()
    assert "DISABLE_TELEMETRY=1\n" in open(paths["environment_d"]).read()
    assert run(a)["changed"] is False
    # drift in an rc file: a deleted export
    with open(paths["sh"], "w") as handle:
        handle.write(sh.replace("export DISABLE_TELEMETRY='1'\n", ""))
    res = run(a, check=True)
    assert res["changed"] is True
    assert [d for d in res["drift"] if d["file"] == paths["sh"]] == [
        {"file": paths["sh"], "key": "DISABLE_TELEMETRY", "expected": "export DISABLE_TELEMETRY='1'", "found": None}
    ]
    run(a)
    res = run(dict(a, state="absent", settings=None))
    assert res["changed"] is True
    assert open(paths["bash"]).read() == "# distro bashrc\nalias ll='ls -l'\n"
    for shell in ("sh", "fish", "environment_d", "zsh"):
        assert not os.path.exists(paths[shell]), shell
    assert not os.path.exists(a["path"])


def test_secrets_never_reach_rc_files_or_output(tree):
    paths = _paths(tree)
    secret = "sk-ant-api03-SECRETSECRETSECRET"
    doc = {"env": {"ANTHROPIC_API_KEY": secret, "DISABLE_TELEMETRY": "1"}}
    a = args(tree, settings=doc, shells=["sh", "fish"], shell_paths=paths)
    res = run(a, diff=True)
    assert secret not in json.dumps(res)
    assert secret not in open(paths["sh"]).read() and secret not in open(paths["fish"]).read()
    assert read(a["path"])["env"]["ANTHROPIC_API_KEY"] == secret


def test_environment_d_refusal_writes_nothing(tree):
    paths = _paths(tree)
    a = args(tree, settings={"env": {"X": "a$b"}}, shells=["sh", "environment_d"], shell_paths=paths)
    res = run(a)
    assert res.get("failed") and "env.X" in res["msg"]
    assert not os.path.exists(a["path"]) and not os.path.exists(paths["sh"])


def test_unknown_family_skips_shells_without_paths(tree):
    a = args(tree, os_family="Darwin", shells=["fish", "environment_d"])
    res = run(a)
    assert res["skipped_shells"] == ["fish", "environment_d"]


def test_merge_purges_a_key_in_a_mapping_it_does_not_set(tree):
    """The purge list reaches mappings that settings leaves alone, and is seen as drift."""
    a = args(tree, mode="merge", settings={"model": "y"}, purge=["env.DISABLE_UPDATES"])
    os.makedirs(os.path.dirname(a["path"]))
    with open(a["path"], "w") as handle:
        json.dump({"model": "y", "env": {"DISABLE_UPDATES": "1", "OTHER": "kept"}}, handle)
    os.chmod(a["path"], 0o644)
    res = run(a, check=True)
    assert res["changed"] is True and res["drift"] == [
        {"file": a["path"], "key": "env.DISABLE_UPDATES", "expected": None, "found": "1"}
    ]
    run(a)
    assert read(a["path"]) == {"model": "y", "env": {"OTHER": "kept"}}


def test_a_refused_first_run_leaves_no_directory(tree):
    paths = _paths(tree)
    os.makedirs(os.path.dirname(paths["fish"]))
    os.symlink(str(tree / "elsewhere"), paths["fish"])
    a = args(tree, shells=["sh", "fish"], shell_paths=paths)
    res = run(a)
    assert res.get("failed") and "symbolic link" in res["msg"] and res["backup_files"] == []
    assert not os.path.exists(os.path.dirname(a["path"])) and not os.path.exists(os.path.dirname(paths["sh"]))


def test_rc_backups_mask_credentials_too(tree):
    paths = _paths(tree)
    with open(paths["bash"], "w") as handle:
        handle.write("export OTHER_PASSWORD=hunter2hunter2\n")
    res = run(args(tree, shells=["bash"], shell_paths=paths, backup=True))
    (bak,) = [b for b in res["backup_files"] if b.startswith(paths["bash"])]
    assert open(bak).read() == "export OTHER_PASSWORD=********\n" and mode_of(bak) == 0o600
