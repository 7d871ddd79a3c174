"""The real Claude Code CLI for tests: the pinned one, and the supported range (the oldest
supported and the newest on npm at test time), run through scripts/claude-doctor.sh (private
mount and network namespaces, loopback only, an empty HOME)."""

import json
import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCTOR = os.path.join(ROOT, "scripts", "claude-doctor.sh")
# label -> folder made by scripts/bootstrap.sh (steps cli and cli-range)
CLI_RANGE = (
    ("pinned", os.path.join(ROOT, ".cache", "claude-cli")),
    ("oldest", os.path.join(ROOT, ".cache", "claude-cli-oldest")),
    ("newest", os.path.join(ROOT, ".cache", "claude-cli-newest")),
)


def cli_version(folder):
    try:
        with open(os.path.join(folder, ".version"), encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return None


def _doctor(folder, env, timeout, **settings):
    """scripts/claude-doctor.sh on FOLDER with the CLAUDE_* SETTINGS; skips with the reason when
    that CLI is not available (npm unreachable, no native build for this machine)."""
    environ = dict(os.environ, CLAUDE_DOCTOR_TIMEOUT=str(timeout), **settings)
    proc = subprocess.run(
        [DOCTOR, str(folder)] + list(env),
        capture_output=True,
        text=True,
        timeout=timeout + 60,
        check=False,
        env=environ,
    )
    if proc.returncode == 77:
        pytest.skip("real Claude Code CLI not available: " + (proc.stderr.strip() or "see scripts/bootstrap.sh"))
    return proc


def run_cli(folder, *env, cli_dir=None, args="doctor", timeout=60, run_as=None):
    """(rc, output) of the CLI run against FOLDER as /etc/claude-code; skips when that CLI is not
    available. run_as: "UID:GID" to run it as that account instead of root (root reads files an
    ordinary account cannot; tests/_support/cli_oracle.py runs every case so)."""
    settings = {"CLAUDE_RUN_ARGS": args}
    if cli_dir:
        settings["CLAUDE_CLI_DIR"] = cli_dir
    if run_as:
        settings["CLAUDE_RUN_AS"] = run_as
    proc = _doctor(folder, env, timeout, **settings)
    return proc.returncode, proc.stdout + proc.stderr


PROBE = os.path.join(ROOT, "extensions", "molecule", "shared", "files", "offline_probe.py")


def watch_cli(folder, *env, cli_dir, port, prompt="hello", webfetch=None, extra_args="", timeout=60):
    """The network watch: `claude -p` under extensions/molecule/shared/files/offline_probe.py (a DNS stub that
    logs every name asked for, a stand-in for the model on 127.0.0.1:PORT, strace of every connect
    and send) in the namespaces of scripts/claude-doctor.sh, with FOLDER as /etc/claude-code.
    Returns the probe's report (dns, http, connects, tool_results...); skips with the reason when
    that CLI is not available."""
    wrapper = "python3 %s --port %d --timeout %d %s--" % (
        PROBE,
        port,
        timeout,
        (f"--webfetch {webfetch} ") if webfetch else "",
    )
    proc = _doctor(
        folder,
        env,
        timeout,
        CLAUDE_RUN_ARGS=(f"-p {prompt} {extra_args}").strip(),
        CLAUDE_RUN_WRAPPER=wrapper,
        CLAUDE_CLI_DIR=cli_dir,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert proc.returncode == 0 and lines, "the probe failed (rc %d): %s %s" % (
        proc.returncode,
        proc.stdout[-2000:],
        proc.stderr[-2000:],
    )
    return json.loads(lines[-1])
