"""A rollout and a drift run never hang on a managed folder that holds something other than regular
files: FIFOs (no writer: an open() that waits would wait for ever), sockets, devices and links to
them, as the main file, drop-ins or managed-mcp.json (docs/claude-code-rules.md, section 5: the CLI
does not list them, or skips them with a warning). The module opens only regular files, with
O_NONBLOCK (plugins/module_utils/_cliread.py).

ansible-playbook runs under a time limit (tests/_support/playbook.py: the whole process group is
killed when it passes); the FIFOs this test made are removed whatever happens.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHELLS = {"sh": "profile.d/claude-code.sh", "bash": "bash.bashrc", "zsh": "zsh/zshenv"}
PRIVATE = {"claude_code_provider": "anthropic", "claude_code_plan": "team", "claude_code_profile": "private"}
# Far above what these runs take (about 20 s each): only a hang reaches it.
LIMIT = 240


def _host(base: str, name: str, ours: str = "managed-settings.json") -> dict:
    root = os.path.join(base, name)
    return dict(
        PRIVATE,
        ansible_connection="local",
        claude_code_settings_cli_account="root",  # pytest's folders are closed to other accounts
        claude_code_settings_path=os.path.join(root, "claude-code", ours),
        claude_code_settings_shells=list(SHELLS),
        claude_code_settings_shell_paths={s: os.path.join(root, p) for s, p in SHELLS.items()},
    )


def _socket(path: str) -> None:
    """A UNIX socket file at path: bound in a short folder of /tmp (socket paths are limited to
    about 100 bytes), then moved (pytest's folders are on the same file system)."""
    short = tempfile.mkdtemp(prefix="s", dir="/tmp")
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(os.path.join(short, "s"))
        finally:
            sock.close()
        os.rename(os.path.join(short, "s"), path)
    finally:
        shutil.rmtree(short, ignore_errors=True)


@pytest.fixture
def fleet(tmp_path):
    """Four hosts, each with special files in its managed folder; the FIFOs are removed after."""
    base = str(tmp_path)
    hosts = {
        "fifo-dropins": _host(base, "fifo-dropins"),
        "fifo-main": _host(base, "fifo-main", "managed-settings.d/50-fleet.json"),
        "devices": _host(base, "devices"),
        "ours-is-a-fifo": _host(base, "ours-is-a-fifo"),
    }
    made = []

    def folder(host: str) -> str:
        path = os.path.join(base, host, "claude-code")
        os.makedirs(os.path.join(path, "managed-settings.d"), exist_ok=True)
        return path

    def fifo(path: str) -> None:
        os.mkfifo(path)
        made.append(path)

    cc = folder("fifo-dropins")
    fifo(os.path.join(cc, "managed-settings.d", "10-fifo.json"))  # not listed by Claude Code
    fifo(os.path.join(cc, "fifo-target"))
    os.symlink("../fifo-target", os.path.join(cc, "managed-settings.d", "20-link-to-fifo.json"))  # skipped
    fifo(os.path.join(cc, "managed-mcp.json"))
    cc = folder("fifo-main")
    fifo(os.path.join(cc, "managed-settings.json"))  # the main file; ours is a drop-in
    cc = folder("devices")
    _socket(os.path.join(cc, "managed-settings.d", "10-socket.json"))
    os.symlink("/dev/zero", os.path.join(cc, "managed-settings.d", "20-zero.json"))  # endless if read
    os.symlink("/dev/null", os.path.join(cc, "managed-mcp.json"))
    cc = folder("ours-is-a-fifo")
    fifo(os.path.join(cc, "managed-settings.json"))  # the file this collection writes
    inventory = os.path.join(base, "hosts.yml")
    with open(inventory, "w") as handle:
        yaml.safe_dump({"all": {"hosts": hosts}}, handle)
    try:
        yield {"base": base, "hosts": hosts, "inventory": inventory}
    finally:
        for path in made:
            if os.path.lexists(path):
                os.unlink(path)


def _play(ansible_env, fleet, playbook, *extra):
    binary, env = ansible_env
    try:
        return run_playbook(
            [binary, "-i", fleet["inventory"], playbook, *extra], env=env, cwd=fleet["base"], timeout=LIMIT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{playbook} hung on a special file (killed after {LIMIT} s)")


def test_rollout_and_drift_never_hang_on_special_files(ansible_env, fleet):
    run = _play(ansible_env, fleet, "fleetpolicy.claude_code.rollout")
    assert run.recap["fifo-dropins"]["failed"] == 0, run.output
    assert run.recap["fifo-main"]["failed"] == 0, run.output
    assert run.recap["devices"]["failed"] == 0, run.output
    # The file this collection writes is a FIFO: refused, the host fails at once and it stays.
    assert run.recap["ours-is-a-fifo"]["failed"] == 1, run.output
    assert "not a regular file" in run.fatal["ours-is-a-fifo"][0]["msg"], run.output
    assert os.path.exists(fleet["hosts"]["ours-is-a-fifo"]["claude_code_settings_path"])

    report = os.path.join(fleet["base"], "report")
    drift = _play(ansible_env, fleet, "fleetpolicy.claude_code.drift", "-e", f"claude_code_report_dir={report}")
    with open(os.path.join(report, "claude-code-drift.json"), encoding="utf-8") as handle:
        hosts = {h["host"]: h for h in json.load(handle)["hosts"]}
    assert hosts["fifo-dropins"]["status"] == "compliant", hosts["fifo-dropins"]
    assert hosts["fifo-main"]["status"] == "compliant", hosts["fifo-main"]
    assert hosts["devices"]["status"] == "compliant", hosts["devices"]
    assert hosts["ours-is-a-fifo"]["status"] == "failed", drift.output
    sources = {os.path.basename(s["path"]): s for s in hosts["fifo-dropins"]["sources"]}
    assert sources["10-fifo.json"]["status"] == "ignored"  # not listed by Claude Code
    assert sources["20-link-to-fifo.json"]["status"] == "skipped"
    assert sources["managed-mcp.json"]["status"] == "skipped"
    devices = {os.path.basename(s["path"]): s["status"] for s in hosts["devices"]["sources"]}
    assert devices == {
        "managed-settings.json": "ok",
        "20-zero.json": "skipped",
        "managed-mcp.json": "skipped",
        "10-socket.json": "ignored",
    }
    main = [s for s in hosts["fifo-main"]["sources"] if s["kind"] == "main"]
    assert main and main[0]["status"] == "skipped" and "FIFO" in main[0]["error"]
