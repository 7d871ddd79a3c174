"""Run ansible-playbook and read its output: the one copy for every test tree, noxfile.py and the
benchmarks (which import this file by path, so it uses the standard library only).

    run = run_playbook([binary, "-i", inventory, "fleetpolicy.claude_code.rollout"], env=env)
    run.returncode, run.output, run.recap["host-01"]["changed"], run.fatal["host-02"][0]["msg"]
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from typing import NamedTuple

# A PLAY RECAP line: `host : ok=1 changed=0 unreachable=0 failed=0 skipped=0 rescued=0 ignored=0`.
_RECAP_LINE = re.compile(r"^(\S+)\s+:\s+(ok=\d+.*)$")
_COUNT = re.compile(r"(\w+)=(\d+)")
# The default callback's line for a failed task: `fatal: [host]: FAILED! => {json}` (with
# ANSIBLE_CALLBACK_RESULT_FORMAT=json and ANSIBLE_CALLBACK_FORMAT_PRETTY=0 the JSON is one line).
_FATAL = re.compile(r"^fatal: \[([^\]]+)\]: (?:FAILED|UNREACHABLE)! => (\{.*\})\s*$")


def recap(output: str) -> dict[str, dict[str, int]]:
    """PLAY RECAP of ansible-playbook's output: host -> {ok, changed, unreachable, failed, skipped,
    rescued, ignored}. Only the last recap counts (a run prints one)."""
    out: dict[str, dict[str, int]] = {}
    for line in output.split("PLAY RECAP")[-1].splitlines():
        match = _RECAP_LINE.match(line)
        if match:
            out[match.group(1)] = {k: int(v) for k, v in _COUNT.findall(match.group(2))}
    return out


def fatal(output: str) -> dict[str, list[dict]]:
    """host -> the results of its failed or unreachable tasks, as the default callback printed them
    on one line each (results it printed over several lines are left out)."""
    out: dict[str, list[dict]] = {}
    for line in output.splitlines():
        match = _FATAL.match(line)
        if match:
            try:
                out.setdefault(match.group(1), []).append(json.loads(match.group(2)))
            except ValueError:
                continue
    return out


class Run(NamedTuple):
    """One finished ansible-playbook run."""

    returncode: int
    output: str
    stderr: str
    recap: dict
    fatal: dict


def run_playbook(
    argv: list[str],
    env: dict[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 600,
    merge_stderr: bool = True,
) -> Run:
    """Run argv (ansible-playbook and its arguments) to its end and read its recap and failures.

    The exit code is not checked: callers assert the one they expect. With merge_stderr (the
    default) output holds stdout and stderr interleaved; without it, stderr is kept apart.

    ansible-playbook runs in a process group of its own: when timeout seconds pass, the whole
    group (its workers and the modules they run) is killed, then subprocess.TimeoutExpired is
    raised, so that a run that hangs leaves nothing behind."""
    proc = subprocess.Popen(
        [str(a) for a in argv],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT if merge_stderr else subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()  # not read: a process outside the group may still hold it open
        raise
    return Run(proc.returncode, out, err or "", recap(out), fatal(out))
