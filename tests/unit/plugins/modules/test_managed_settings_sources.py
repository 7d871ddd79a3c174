"""managed_settings: other managed sources it reports (other_managed_files) and masking of
credentials found in rc files (drift and diff)."""

import json
import os

from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import run

DOC = {"env": {"DISABLE_TELEMETRY": "1"}}
# pytest's folders are closed to other accounts: here Claude Code runs as root (no access check).
AS_ROOT = {"cli_account": "root"}
SECRET = "sk-ant-api03-SECRETSECRETSECRET"


def _write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as handle:
        handle.write(text)


def test_no_other_sources_when_alone(tmp_path):
    path = str(tmp_path / "cc" / "managed-settings.json")
    res = run({"path": path, "settings": DOC, "os_family": "Debian"}, check=True)
    assert res["other_managed_files"] == []


def test_main_file_lists_dropins_in_read_order(tmp_path):
    base = tmp_path / "cc"
    path = str(base / "managed-settings.json")
    dropins = base / "managed-settings.d"
    for name in (
        "50-vendor.json",
        "10-team.json",
        ".hidden.json",
        "notes.txt",
        ".20-x.json.abc.tmp",
        "30-old.json.20260101T000000.bak",
    ):
        _write(str(dropins / name), "{}")
    res = run({"path": path, "settings": DOC, "os_family": "Debian", **AS_ROOT}, check=True)
    assert res["other_managed_files"] == [str(dropins / "10-team.json"), str(dropins / "50-vendor.json")]
    assert not os.path.exists(path)  # read-only in check mode


def test_dropin_lists_main_file_and_other_dropins_not_itself(tmp_path):
    base = tmp_path / "cc"
    main_file = str(base / "managed-settings.json")
    _write(main_file, "{}")
    ours = str(base / "managed-settings.d" / "20-fleet.json")
    _write(str(base / "managed-settings.d" / "90-local.json"), "{}")
    res = run({"path": ours, "settings": DOC, "os_family": "Debian", **AS_ROOT})
    assert res["changed"] is True
    assert res["other_managed_files"] == [main_file, str(base / "managed-settings.d" / "90-local.json")]
    again = run({"path": ours, "settings": DOC, "os_family": "Debian", **AS_ROOT})
    assert again["changed"] is False
    assert ours not in again["other_managed_files"]


def test_dropin_without_main_file(tmp_path):
    ours = str(tmp_path / "cc" / "managed-settings.d" / "20-fleet.json")
    res = run({"path": ours, "settings": DOC, "os_family": "Debian"}, check=True)
    assert res["other_managed_files"] == []


def test_credentials_found_in_rc_files_are_masked_in_drift_and_diff(tmp_path):
    paths = {
        "sh": str(tmp_path / "profile.d" / "claude-code.sh"),
        "bash": str(tmp_path / "bash.bashrc"),
        "fish": str(tmp_path / "fish" / "claude-code.fish"),
    }
    _write(paths["bash"], "export OTHER_PASSWORD=hunter2hunter2\nalias k='sk-ant-api03-ALIASALIASALIAS'\n")
    a = {
        "path": str(tmp_path / "cc" / "managed-settings.json"),
        "settings": DOC,
        "os_family": "Debian",
        "shells": ["sh", "bash", "fish"],
        "shell_paths": paths,
    }
    assert run(a)["changed"] is True
    with open(paths["sh"], "a") as handle:
        handle.write(f"export ANTHROPIC_API_KEY='{SECRET}'\n")
    with open(paths["fish"], "a") as handle:
        handle.write("set -gx AWS_SECRET_ACCESS_KEY abcdefabcdef\n")
    with open(paths["bash"]) as handle:
        text = handle.read()
    with open(paths["bash"], "w") as handle:  # edit inside our block: the whole file shows in the diff
        handle.write(text.replace("DISABLE_TELEMETRY='1'", "DISABLE_TELEMETRY='0'"))
    res = run(a, check=True, diff=True)
    out = json.dumps(res)
    for secret in (SECRET, "hunter2hunter2", "ALIASALIASALIAS", "abcdefabcdef"):
        assert secret not in out, secret
    drift = {(d["file"], d["key"]): d for d in res["drift"]}
    assert drift[(paths["sh"], "ANTHROPIC_API_KEY")]["found"] == "export ANTHROPIC_API_KEY=********"
    assert drift[(paths["fish"], "AWS_SECRET_ACCESS_KEY")]["found"] == "set -gx AWS_SECRET_ACCESS_KEY ********"
    assert drift[(paths["bash"], "DISABLE_TELEMETRY")]["found"] == "export DISABLE_TELEMETRY='0'"
    bash_diff = next(d for d in res["diff"] if d["before_header"] == paths["bash"])
    assert "export OTHER_PASSWORD=********" in bash_diff["before"]
    assert "DISABLE_TELEMETRY='0'" in bash_diff["before"]  # ordinary values stay readable
