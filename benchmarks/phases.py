# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a host's cost goes: the rollout against a one-ping play, phase by phase.

On demand (make bench-phases), never part of make test. It makes N hosts on this machine
(connection local, each with its own folder: tests/_support/local_host.py) in the example
inventory's groups, then runs, REPS times in turn: the ping play, the rollout (no change after the
first converge) and the rollout without its last play (the summary). For each run it reads:

  worker   the CPU time of Ansible's worker process for each host's task (on the controller),
           split by the ansible-core methods it spends it in: Task.post_validate (templating the
           task's options), ActionBase._configure_module (building the module's payload),
           ActionBase._low_level_execute_command (starting it and reading its output),
           ActionBase._parse_returned_data and UnifiedTaskResult.finalize_registered_values
  module   the CPU time of the worker's children: with the local connection, the module run
           itself, by --host-python (default Debian's /usr/bin/python3, as on the fleet
           benchmark's hosts)
  main     the CPU time of the ansible-playbook process itself, per host

and prints the medians per host, and each one's difference to the ping play's. Each run is
`python benchmarks/phases.py --drive ...` (this file), which wraps those methods with
time.process_time() and then runs ansible-playbook's own main() in the same process; Ansible
forks its workers from it, so they inherit the wrappers. Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time

# The same floor as the fleet benchmark's, and its loader of tests/_support (benchmarks/fleet.py).
from fleet import PING_PLAY, load_support, playbook_support

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE_INV = os.path.join(ROOT, "playbooks", "inventory", "example")
PHASES = ("post_validate", "configure_module", "low_level_execute", "parse_returned", "finalize_registered")


# --------------------------------------------------------------------------- one run (--drive)


def drive(times, argv):
    """ansible-playbook ARGV in this process; each worker appends one JSON line to TIMES."""
    from ansible._internal import _task
    from ansible.cli.playbook import main
    from ansible.executor.process import worker
    from ansible.playbook.task import Task
    from ansible.plugins.action import ActionBase

    spent = {}

    def timed(cls, name, label):
        original = getattr(cls, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + (time.process_time() - start) * 1000

        setattr(cls, name, wrapper)

    timed(Task, "post_validate", "post_validate")
    timed(ActionBase, "_configure_module", "configure_module")
    timed(ActionBase, "_low_level_execute_command", "low_level_execute")
    timed(ActionBase, "_parse_returned_data", "parse_returned")
    timed(_task.UnifiedTaskResult, "finalize_registered_values", "finalize_registered")
    run_task = worker.WorkerProcess._run

    def _run(self):
        spent.clear()
        start, before = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            return run_task(self)
        finally:
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            children = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
            row = dict(spent, host=self._host.name, worker=(time.process_time() - start) * 1000)
            row["module"] = children * 1000
            with open(times, "a", encoding="utf-8") as handle:
                handle.write(json.dumps(row) + "\n")

    worker.WorkerProcess._run = _run
    sys.argv = ["ansible-playbook", *argv]
    try:
        main()
    finally:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        with open(times, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"host": None, "main": (usage.ru_utime + usage.ru_stime) * 1000}) + "\n")


# --------------------------------------------------------------------------- the runs


def make_hosts(folder, count, host_python):
    """An inventory of COUNT local hosts spread over the example inventory's groups."""
    host_vars = load_support("local_host").host_vars
    shutil.copytree(os.path.join(EXAMPLE_INV, "group_vars"), os.path.join(folder, "group_vars"))
    groups = sorted(name[: -len(".yml")] for name in os.listdir(os.path.join(folder, "group_vars")))
    children = {group: {"hosts": {}} for group in groups}
    for i in range(count):
        name = f"h{i:03d}"
        children[groups[i % len(groups)]]["hosts"][name] = host_vars(os.path.join(folder, "hosts"), name)
    inventory = {"all": {"vars": {"ansible_python_interpreter": host_python}, "children": children}}
    path = os.path.join(folder, "hosts.json")  # JSON is YAML: the yaml inventory plugin reads it
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(inventory, handle)
    return path


def playbooks(folder):
    ping = os.path.join(folder, "ping.yml")
    with open(ping, "w", encoding="utf-8") as handle:
        handle.write(PING_PLAY)
    with open(os.path.join(ROOT, "playbooks", "rollout.yml"), encoding="utf-8") as handle:
        rollout = handle.read()
    no_summary = os.path.join(folder, "rollout-without-summary.yml")
    with open(no_summary, "w", encoding="utf-8") as handle:
        handle.write(rollout[: rollout.index("\n- name: Sum up the rollout")] + "\n")
    return {"ping": ping, "rollout": "fleetpolicy.claude_code.rollout", "rollout without summary": no_summary}


def run(folder, inventory, playbook, forks):
    times = os.path.join(folder, "times.jsonl")
    if os.path.exists(times):
        os.unlink(times)
    env = dict(os.environ, ANSIBLE_FORKS=str(forks), ANSIBLE_NOCOLOR="1", ANSIBLE_RETRY_FILES_ENABLED="0")
    env.setdefault("ANSIBLE_COLLECTIONS_PATH", os.path.join(ROOT, ".cache", "collections"))
    command = [sys.executable, os.path.abspath(__file__), "--drive", times, "--", "-i", inventory, playbook]
    start = time.perf_counter()
    done = playbook_support.run_playbook(command, env=env, cwd=folder)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{playbook}: exit code {done.returncode}\n{done.output[-3000:]}")
    with open(times, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return wall, rows


def summarise(runs, hosts):
    """Per host, medians over every host of every run: each phase, the worker, the module, main."""
    # The rollout's summary runs on the implicit localhost, not one of the hosts.
    per_host = [r for _wall, rows in runs for r in rows if r["host"] not in (None, "localhost")]
    out = {key: statistics.median(r.get(key, 0.0) for r in per_host) for key in (*PHASES, "worker", "module")}
    out["main"] = statistics.median(r["main"] for _wall, rows in runs for r in rows if r["host"] is None) / hosts
    out["wall"] = statistics.median(wall for wall, _rows in runs)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--hosts", type=int, default=30, help="local hosts (default 30)")
    parser.add_argument("--reps", type=int, default=3, help="runs of each playbook, in turn (default 3)")
    parser.add_argument("--forks", type=int, default=10, help="ansible forks (default 10)")
    parser.add_argument(
        "--host-python", default="/usr/bin/python3", help="the hosts' Python (default /usr/bin/python3)"
    )
    parser.add_argument("--drive", metavar="TIMES", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if args.drive:
        drive(args.drive, [a for a in rest if a != "--"])
        return
    folder = tempfile.mkdtemp(prefix="fleetpolicy-phases-")
    try:
        inventory = make_hosts(folder, args.hosts, args.host_python)
        books = playbooks(folder)
        run(folder, inventory, books["rollout"], args.forks)  # the first converge, not counted
        runs = {name: [] for name in books}
        for _rep in range(args.reps):
            for name, playbook in books.items():
                runs[name].append(run(folder, inventory, playbook, args.forks))
        found = {name: summarise(r, args.hosts) for name, r in runs.items()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    keys = ("wall", "worker", *PHASES, "module", "main")
    print(f"{args.hosts} local hosts, {args.reps} runs each, forks {args.forks}, hosts' Python {args.host_python}")
    print("CPU ms per host (median over hosts and runs; main: the process's CPU / hosts); wall: seconds a run")
    print(f"{'':22s}" + "".join(f"{k:>20s}" for k in keys))
    for name, values in found.items():
        print(f"{name:22s}" + "".join(f"{values[k]:20.1f}" for k in keys))
        if name != "ping":
            print(f"{'  - ping':22s}" + "".join(f"{values[k] - found['ping'][k]:+20.1f}" for k in keys))


if __name__ == "__main__":
    main()
