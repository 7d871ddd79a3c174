"""The real Claude Code CLI for tests: the pinned one, and the supported range (the oldest
supported and the newest on npm at test time), run through scripts/claude-doctor.sh (private
mount and network namespaces, loopback only, an empty HOME)."""
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


def run_cli(folder, *env, cli_dir=None, args="doctor", timeout=60):
    """(rc, output) of the CLI run against FOLDER as /etc/claude-code; skips with the reason
    when that CLI is not available (npm unreachable, no native build for this machine)."""
    environ = dict(os.environ, CLAUDE_DOCTOR_TIMEOUT=str(timeout), CLAUDE_RUN_ARGS=args)
    if cli_dir:
        environ["CLAUDE_CLI_DIR"] = cli_dir
    proc = subprocess.run([DOCTOR, str(folder)] + list(env), capture_output=True, text=True, timeout=timeout + 60,
                          check=False, env=environ)
    if proc.returncode == 77:
        pytest.skip("real Claude Code CLI not available: " + (proc.stderr.strip() or "see scripts/bootstrap.sh"))
    return proc.returncode, proc.stdout + proc.stderr
