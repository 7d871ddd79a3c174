# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fleet benchmark: how close the role gets to the floor of one module call per host.

On demand only (`make bench`), never part of `make test`. For each fleet size N it starts N local
podman containers (no network) from the test image and times, on that same fleet, in each
repetition (the order of the baseline and the role alternates between repetitions to cancel drift
of the machine's speed):

  a1  baseline, first copy: one play, one ansible.builtin.copy task per host of the very JSON the
      role writes (rendered once on the controller with the managed_settings filter), to a host
      without the file
  a2  baseline, no-change: the same play again (the file is already right)
  b   the role's first converge: `ansible-playbook fleetpolicy.claude_code.rollout` on hosts
      without any of the files the role writes
  c   the role's no-change run: the same command again
  d   the drift check: `ansible-playbook fleetpolicy.claude_code.drift` (check mode + diff, the
      fleet report written to a temporary folder)

Ratios: b/a = b / a1 (both write the file), c/a = c / a2 and d/a = d / a2 (nothing to write).
Every run is one `ansible-playbook` process, timed from start to exit (wall clock), with the same
forks, connection (containers.podman.podman) and settings. Resetting a host between repetitions
(removing the files, restoring bash.bashrc/zshenv) is done on the host side through `podman mount`
and is not timed.

Module invocations per host are counted, not estimated: the inventory points
`ansible_podman_executable` at a two-line wrapper that logs every podman command the connection
runs; a module invocation is an `exec` that runs python on an `AnsiballZ_<module>.py` payload.
Controller-side tasks (assert, debug, set_fact, the drift report) never reach a host and are not
counted. The podman commands per host (mount, exec of mkdir/chmod/python) are reported too.

It also measures the policy core in-process: compute() over 500 distinct host policies, and over
the 5 group policies of the example inventory repeated.

Writes benchmarks/results/fleet-<stamp>.json (+ fleet-latest.json) and fleet-<stamp>.png.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
EXAMPLE_INV = os.path.join(ROOT, "playbooks", "inventory", "example")
RESULTS = os.path.join(ROOT, "benchmarks", "results")
IMAGE = os.environ.get("IMAGE", "localhost/fleetpolicy-claude-test:bookworm")
PODMAN = shutil.which("podman") or "podman"
# Podman settings for this kind of host (runc, ulimits): tests/containers.conf, nothing in /etc.
os.environ.setdefault("CONTAINERS_CONF", os.path.join(ROOT, "tests", "containers.conf"))

SETTINGS_FILE = "/etc/claude-code/managed-settings.json"
# Files the role writes on a Debian host (plugins/module_utils/_files.py RC_TARGETS["Debian"]).
ROLE_FILES = ("/etc/claude-code/managed-settings.json", "/etc/profile.d/claude-code.sh",
              "/etc/fish/conf.d/claude-code.fish", "/etc/environment.d/60-claude-code.conf")
ROLE_BLOCK_FILES = ("/etc/bash.bashrc", "/etc/zsh/zshenv")  # managed block added to these

RUNS = ("a1", "a2", "b", "c", "d")
LABELS = {
    "a1": "a: baseline copy, first", "a2": "a: baseline copy, no change", "b": "b: role, first converge",
    "c": "c: role, no change", "d": "d: drift check",
}
# Repetitions per fleet size when not given: the whole run took 26 minutes on a 2-core machine.
DEFAULT_REPS = {5: 5, 10: 5, 25: 3, 50: 2}
TARGETS = {"b/a": 1.5, "c/a": 1.2, "d/a": 1.2, "modules_per_host_converged": 3, "policies_per_second": 100000}

_RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")
_MODULE_RUN = re.compile(r"python[0-9.]*\s+\S*/AnsiballZ_(\w+)\.py")

BASELINE_PLAY = """---
- name: Baseline, one module call per host
  hosts: all
  gather_facts: false
  tasks:
    - name: Copy the managed settings JSON
      ansible.builtin.copy:
        content: "{{ bench_settings_json }}"
        dest: /etc/claude-code/managed-settings.json
        owner: root
        group: root
        mode: "0644"
"""

WRAPPER = """#!/bin/sh
printf '%s\\n' "$*" >> "${BENCH_PODMAN_LOG:-/dev/null}"
exec "%PODMAN%" "$@"
"""


def log(msg):
    print("[bench %s] %s" % (time.strftime("%H:%M:%S"), msg), flush=True)


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


# ---------------------------------------------------------------------------- policy core

def _core():
    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _policy
    return _policy


def group_policies():
    """The 5 group policies of the example inventory, as the role's vars/main.yml builds them."""
    import yaml  # only where PyYAML is around (both venvs have it)
    out = {}
    folder = os.path.join(EXAMPLE_INV, "group_vars")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        out[name.rsplit(".", 1)[0]] = dict((k[len("claude_code_"):], v) for k, v in data.items())
    return out


def distinct_policies(count=500):
    """`count` distinct, valid host policies across providers, plans and profiles."""
    profiles = ("standard", "private", "airgapped")
    regions = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1")
    vregions = ("global", "us-east5", "europe-west1", "asia-southeast1")
    plans = ("team", "enterprise", "enterprise_zdr", "pro", "max", "api")
    out = []
    i = 0
    while len(out) < count:
        kind = i % 5
        profile = profiles[(i // 5) % 3]
        if kind == 0:
            pol = {"provider": "anthropic", "plan": plans[(i // 15) % len(plans)], "profile": profile}
        elif kind == 1:
            pol = {"provider": "bedrock", "aws_region": regions[i % len(regions)], "profile": profile}
        elif kind == 2:
            pol = {"provider": "vertex", "vertex_project_id": "acme-ml-%04d" % i,
                   "vertex_region": vregions[i % len(vregions)], "profile": profile}
        elif kind == 3:
            pol = {"provider": "foundry", "foundry_resource": "acme-ai-%d" % i, "profile": profile}
        else:
            pol = {"provider": "anthropic", "plan": "enterprise", "profile": profile,
                   "base_url": "https://llm-gw-%d.example.com" % i}
        # what makes each host's policy its own: an announcement that names the host
        pol["settings"] = {"cleanupPeriodDays": 1 + i % 60, "companyAnnouncements": ["Managed by IT (host %04d)" % i]}
        if i % 3 == 0:
            pol["settings"]["permissions"] = {"deny": ["WebFetch", "Bash(curl:*)"], "allow": ["Read"]}
        if i % 4 == 0:
            pol["env"] = {"CLAUDE_CODE_ENABLE_TELEMETRY": "1",
                          "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel-%d.example.com:4318" % (i % 7),
                          "BASH_DEFAULT_TIMEOUT_MS": 120000 + i}
        out.append(pol)
        i += 1
    assert len(set(json.dumps(p, sort_keys=True) for p in out)) == count
    return out


def measure_core(seconds=2.0, trials=5):
    policy = _core()
    compute = policy.compute
    groups = list(group_policies().values())
    distinct = distinct_policies(500)
    for pol in groups + distinct:  # every policy is valid: an error path would not be a fair figure
        compute(pol)
    reset = getattr(policy, "_clear_memo", None)

    def rate(pols, fresh):
        """Policies per second over repeated passes, by this process's CPU time and by the wall
        clock (the CPU figure is the one other load on the machine disturbs least).
        fresh: forget every remembered result before each pass (first sight of each policy)."""
        done, cpu, wall = 0, 0.0, 0.0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if fresh and reset:
                reset()
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            for pol in pols:
                compute(pol)
            cpu += time.process_time() - start_cpu
            wall += time.perf_counter() - start_wall
            done += len(pols)
        return done / cpu, done / wall

    result = {"load_before": loadavg(), "memo": bool(reset), "seconds_per_trial": seconds}
    cases = {"distinct_500_first_sight": (distinct, True), "distinct_500_seen_before": (distinct, False),
             "groups_5_repeated": (groups * 100, False)}
    if not reset:
        cases = {"distinct_500": (distinct, False), "groups_5_repeated": (groups * 100, False)}
    for name, (pols, fresh) in cases.items():
        rates = [rate(pols, fresh) for _trial in range(trials)]
        by_cpu = [r[0] for r in rates]
        by_wall = [r[1] for r in rates]
        result[name] = {"median": statistics.median(by_cpu), "min": min(by_cpu), "max": max(by_cpu), "trials": by_cpu,
                        "wall_median": statistics.median(by_wall), "wall_trials": by_wall}
    result["load_after"] = loadavg()
    return result


# ---------------------------------------------------------------------------- fleet

class Fleet:
    """N running containers of the test image, each with its root file system mounted."""

    def __init__(self, size, workdir, run_id):
        self.size = size
        self.workdir = workdir
        self.names = ["fpbench-%s-%03d" % (run_id, i) for i in range(size)]
        self.roots = {}
        self.originals = {}

    def _podman(self, *args, check=True):
        proc = subprocess.run([PODMAN] + list(args), capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise RuntimeError("podman %s: exit %d: %s" % (" ".join(args), proc.returncode, proc.stderr.strip()))
        return proc

    def start(self):
        def one(name):
            self._podman("run", "-d", "--name", name, "--hostname", name, "--network", "none", IMAGE, "sleep", "infinity")
            root = self._podman("mount", name).stdout.strip()
            return name, root
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for name, root in pool.map(one, self.names):
                self.roots[name] = root
        for name, root in self.roots.items():
            self.originals[name] = {}
            for path in ROLE_BLOCK_FILES:
                with open(root + path, "rb") as handle:
                    self.originals[name][path] = handle.read()
            os.makedirs(root + "/etc/claude-code", mode=0o755, exist_ok=True)

    def remove(self):
        def one(name):
            self._podman("rm", "-f", "-t", "0", name, check=False)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(one, self.names))

    def reset_baseline(self):
        for root in self.roots.values():
            _unlink(root + SETTINGS_FILE)

    def reset_role(self):
        for name, root in self.roots.items():
            for path in ROLE_FILES:
                _unlink(root + path)
            for path, data in self.originals[name].items():
                with open(root + path, "wb") as handle:
                    handle.write(data)
            # backups or stale temporary files would be extra state; there must be none
            for folder in ("/etc/claude-code",):
                for entry in os.listdir(root + folder):
                    os.unlink(os.path.join(root + folder, entry))


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def render_settings():
    """{group: JSON text} rendered with the managed_settings filter and the module's serialiser."""
    code = r"""
import json, sys
from ansible_collections.fleetpolicy.claude_code.plugins.filter.policy import managed_settings
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._files import render_json
groups = json.load(sys.stdin)
print(json.dumps(dict((g, render_json(managed_settings(p))) for g, p in groups.items())))
"""
    env = dict(os.environ, PYTHONPATH=COLLECTIONS)
    out = subprocess.run([os.path.join(VENV_BIN, "python"), "-c", code], input=json.dumps(group_policies()),
                         capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout)


def write_inventory(fleet, folder, wrapper, rendered):
    """The example inventory's 5 groups (and group_vars), hosts spread evenly over them."""
    groups = sorted(rendered)
    os.makedirs(folder)
    shutil.copytree(os.path.join(EXAMPLE_INV, "group_vars"), os.path.join(folder, "group_vars"))
    members = dict((g, {}) for g in groups)
    for i, name in enumerate(fleet.names):
        members[groups[i % len(groups)]][name] = None
    lines = ["all:", "  vars:", "    ansible_connection: containers.podman.podman",
             "    ansible_python_interpreter: /usr/bin/python3",
             "    ansible_podman_executable: %s" % wrapper, "  children:"]
    for group in groups:
        lines.append("    %s:" % group)
        lines.append("      vars:")
        lines.append("        bench_settings_json: %s" % json.dumps(rendered[group]))
        lines.append("      hosts:")
        for name in members[group]:
            lines.append("        %s:" % name)
    with open(os.path.join(folder, "hosts.yml"), "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def recap(stdout):
    out = {}
    for line in stdout.split("PLAY RECAP")[-1].splitlines():
        match = _RECAP.match(line)
        if match:
            out[match.group(1)] = dict(zip(("ok", "changed", "unreachable", "failed"), map(int, match.groups()[1:])))
    return out


def count_calls(logfile, names):
    """Per host: podman commands and module invocations (by module name) from the wrapper's log."""
    calls = dict((n, 0) for n in names)
    modules = dict((n, {}) for n in names)
    known = set(names)
    try:
        with open(logfile, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        words = line.split()
        host = next((w.split(":", 1)[0] for w in words[1:4] if w.split(":", 1)[0] in known), None)
        if host is None:
            continue
        calls[host] += 1
        match = _MODULE_RUN.search(line)
        if match and words[0] == "exec":
            modules[host][match.group(1)] = modules[host].get(match.group(1), 0) + 1
    return calls, modules


class Runner:
    def __init__(self, fleet, workdir, inventory, forks):
        self.fleet = fleet
        self.workdir = workdir
        self.inventory = inventory
        self.forks = forks
        self.seq = 0
        self.baseline = os.path.join(workdir, "baseline.yml")
        with open(self.baseline, "w", encoding="utf-8") as handle:
            handle.write(BASELINE_PLAY)
        self.report_dir = os.path.join(workdir, "drift-report")

    def command(self, kind):
        if kind in ("a1", "a2"):
            return [self.baseline]
        if kind in ("b", "c"):
            return ["fleetpolicy.claude_code.rollout"]
        return ["fleetpolicy.claude_code.drift", "-e", "claude_code_report_dir=%s" % self.report_dir]

    def run(self, kind):
        self.seq += 1
        logfile = os.path.join(self.workdir, "podman-%03d-%s.log" % (self.seq, kind))
        env = dict(os.environ)
        env.update({
            "ANSIBLE_CONFIG": os.path.join(self.workdir, "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
            "ANSIBLE_FORKS": str(self.forks),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCAL_TEMP": os.path.join(self.workdir, "ansible-local"),
            "BENCH_PODMAN_LOG": logfile,
        })
        cmd = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", self.inventory] + self.command(kind)
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=self.workdir, env=env, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        with open(os.path.join(self.workdir, "run-%03d-%s.out" % (self.seq, kind)), "w", encoding="utf-8") as handle:
            handle.write(proc.stdout + proc.stderr)
        hosts = recap(proc.stdout)
        problems = []
        if proc.returncode != 0:
            problems.append("exit code %d" % proc.returncode)
        want_changed = kind in ("a1", "b")
        for name in self.fleet.names:
            got = hosts.get(name)
            if got is None:
                problems.append("%s missing from the recap" % name)
            elif got["failed"] or got["unreachable"] or bool(got["changed"]) != want_changed:
                problems.append("%s: %s" % (name, got))
        if problems:
            raise RuntimeError("run %s (N=%d) is not what it should be: %s\n--- output tail:\n%s" % (
                kind, self.fleet.size, "; ".join(problems[:5]), (proc.stdout + proc.stderr)[-3000:]))
        calls, modules = count_calls(logfile, self.fleet.names)
        return {"seconds": elapsed, "podman_calls": calls, "modules": modules}


def per_host_summary(calls, modules):
    counts = [sum(m.values()) for m in modules.values()]
    names = {}
    for mods in modules.values():
        for name, count in mods.items():
            names[name] = names.get(name, 0) + count
    hosts = max(len(modules), 1)
    return {"modules_per_host": {"min": min(counts), "max": max(counts)},
            "modules_by_name_per_host": dict((k, v / hosts) for k, v in sorted(names.items())),
            "podman_calls_per_host": {"min": min(calls.values()), "max": max(calls.values())}}


def bench_size(size, reps, forks, run_id, rendered):
    workdir = tempfile.mkdtemp(prefix="fpbench-%d-" % size)
    fleet = Fleet(size, workdir, run_id)
    out = {"n": size, "reps": reps, "forks": forks, "load_before": loadavg(), "runs": dict((k, []) for k in RUNS)}
    try:
        log("N=%d: starting %d containers" % (size, size))
        fleet.start()
        wrapper = os.path.join(workdir, "podman-logged")
        with open(wrapper, "w", encoding="utf-8") as handle:
            handle.write(WRAPPER.replace("%PODMAN%", PODMAN))
        os.chmod(wrapper, 0o755)
        with open(os.path.join(workdir, "ansible.cfg"), "w", encoding="utf-8") as handle:
            handle.write("[defaults]\nhost_key_checking = False\nretry_files_enabled = False\n")
        inventory = os.path.join(workdir, "inventory")
        write_inventory(fleet, inventory, wrapper, rendered)
        runner = Runner(fleet, workdir, inventory, forks)
        log("N=%d: warm-up (baseline copy and role, untimed)" % size)
        fleet.reset_baseline()
        runner.run("a1")
        fleet.reset_role()
        runner.run("b")
        for rep in range(reps):
            order = ("a", "role") if rep % 2 == 0 else ("role", "a")
            for part in order:
                if part == "a":
                    fleet.reset_baseline()
                    kinds = ("a1", "a2")
                else:
                    fleet.reset_role()
                    kinds = ("b", "c", "d")
                for kind in kinds:
                    result = runner.run(kind)
                    result["rep"] = rep
                    out["runs"][kind].append(result)
            log("N=%d rep %d/%d: %s (load %s)" % (size, rep + 1, reps, "  ".join(
                "%s=%.2fs" % (k, out["runs"][k][-1]["seconds"]) for k in RUNS), _fmt_load(loadavg())))
    finally:
        fleet.remove()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log("kept %s" % workdir)
    out["load_after"] = loadavg()
    return summarise_size(out)


def _fmt_load(load):
    return "/".join("%.2f" % v for v in load) if load else "?"


def _stats(values):
    values = sorted(values)
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "values": values}


def summarise_size(out):
    runs = out["runs"]
    out["seconds"] = dict((k, _stats([r["seconds"] for r in runs[k]])) for k in RUNS)
    ratios = {"b/a": [], "c/a": [], "d/a": []}
    for rep in range(out["reps"]):
        t = dict((k, runs[k][rep]["seconds"]) for k in RUNS)
        ratios["b/a"].append(t["b"] / t["a1"])
        ratios["c/a"].append(t["c"] / t["a2"])
        ratios["d/a"].append(t["d"] / t["a2"])
    out["ratios"] = dict((k, _stats(v)) for k, v in ratios.items())
    out["per_host"] = dict((k, per_host_summary(runs[k][-1]["podman_calls"], runs[k][-1]["modules"])) for k in RUNS)
    for kind in RUNS:  # keep the JSON small: per-host detail only in the summary
        for result in runs[kind]:
            result.pop("podman_calls")
            result.pop("modules")
    return out


def linear_fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    intercept = my - slope * mx
    ss_tot = sum((y - my) ** 2 for y in ys)
    ss_res = sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys))
    return {"seconds_per_host": slope, "intercept_seconds": intercept, "r2": 1 - ss_res / ss_tot if ss_tot else 1.0}


def growth(sizes):
    if len(sizes) < 2:
        return {}
    xs = [s["n"] for s in sizes]
    out = {}
    for kind in RUNS:
        ys = [s["seconds"][kind]["median"] for s in sizes]
        fit = linear_fit(xs, ys)
        fit["seconds_per_host_marginal"] = [
            (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
        out[kind] = fit
    return out


def plot(data, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib is not installed here: no plot (make bench installs it into .cache/bench-venv)")
        return None
    sizes = data["sizes"]
    xs = [s["n"] for s in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.6), dpi=110, gridspec_kw={"width_ratios": [3, 2]})
    styles = {"a1": ("tab:gray", "o", "--"), "a2": ("tab:gray", "s", ":"), "b": ("tab:blue", "o", "-"),
              "c": ("tab:green", "s", "-"), "d": ("tab:red", "^", "-")}
    for kind in RUNS:
        med = [s["seconds"][kind]["median"] for s in sizes]
        low = [s["seconds"][kind]["median"] - s["seconds"][kind]["min"] for s in sizes]
        high = [s["seconds"][kind]["max"] - s["seconds"][kind]["median"] for s in sizes]
        color, marker, line = styles[kind]
        left.errorbar(xs, med, yerr=[low, high], color=color, marker=marker, linestyle=line, capsize=3, label=LABELS[kind])
    forks = sorted(set(s["forks"] for s in sizes))
    left.set_xlabel("hosts (N, local podman containers)")
    left.set_ylabel("wall clock of one ansible-playbook run (s)")
    left.set_title("time against fleet size (median; bars: min-max; forks=%s)" % ",".join(map(str, forks)), fontsize=10)
    for ax in (left, right):
        ax.set_xticks(xs)
        ax.set_xlim(0, max(xs) * 1.05)
        ax.grid(True, alpha=0.3)
    left.set_ylim(0, None)
    left.legend(fontsize=8, loc="upper left")
    colors = {"b/a": "tab:blue", "c/a": "tab:green", "d/a": "tab:red"}
    for key, color in colors.items():
        med = [s["ratios"][key]["median"] for s in sizes]
        low = [s["ratios"][key]["median"] - s["ratios"][key]["min"] for s in sizes]
        high = [s["ratios"][key]["max"] - s["ratios"][key]["median"] for s in sizes]
        right.errorbar(xs, med, yerr=[low, high], color=color, marker="o", capsize=3, label="%s (target <= %.1f)" % (key, TARGETS[key]))
        right.axhline(TARGETS[key], color=color, linestyle=":", linewidth=1)
    right.axhline(1.0, color="black", linewidth=0.8)
    right.set_ylim(0, max(1.7, max(s["ratios"][k]["max"] for s in sizes for k in colors) * 1.1))
    right.set_xlabel("hosts (N)")
    right.set_ylabel("ratio to the baseline copy")
    right.set_title("b/a = b / a first copy; c/a, d/a = c, d / a no-change", fontsize=10)
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle("fleetpolicy.claude_code fleet benchmark, %s CPUs, load %s at start" % (
        data["machine"]["cpus"], _fmt_load(data["machine"]["load_at_start"])), fontsize=11)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def table(data):
    rows = ["| N | reps | a1 copy first (s) | a2 copy no-change (s) | b converge (s) | c no-change (s) | d drift (s) "
            "| b/a | c/a | d/a | modules/host a1, a2, b, c, d | podman calls/host a1, a2, b, c, d | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in data["sizes"]:
        sec = s["seconds"]
        rat = s["ratios"]

        def r(key):
            return "%.2f (%.2f-%.2f)" % (rat[key]["median"], rat[key]["min"], rat[key]["max"])

        def mods(key):
            m = s["per_host"][key]["modules_per_host"]
            return str(m["max"]) if m["min"] == m["max"] else "%d-%d" % (m["min"], m["max"])

        def calls(key):
            m = s["per_host"][key]["podman_calls_per_host"]
            return str(m["max"]) if m["min"] == m["max"] else "%d-%d" % (m["min"], m["max"])
        rows.append("| %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            s["n"], s["reps"], *("%.2f" % sec[k]["median"] for k in RUNS), r("b/a"), r("c/a"), r("d/a"),
            ", ".join(mods(k) for k in RUNS), ", ".join(calls(k) for k in RUNS),
            "%.1f → %.1f" % (s["load_before"][0], s["load_after"][0])))
    return "\n".join(rows)


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # runs the finally blocks: the containers are removed


def main(argv=None):
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="5,10,25,50", help="fleet sizes (default 5,10,25,50)")
    parser.add_argument("--reps", default="", help="repetitions per size, e.g. 5,5,3,2 (default: %s)" % DEFAULT_REPS)
    parser.add_argument("--forks", default="10", help="ansible forks for all runs; 'n' = the fleet size (default 10)")
    parser.add_argument("--core-only", action="store_true", help="only the in-process policy core throughput")
    parser.add_argument("--no-core", action="store_true", help="skip the policy core throughput")
    args = parser.parse_args(argv)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    reps = [int(r) for r in args.reps.split(",") if r] if args.reps else [DEFAULT_REPS.get(s, 2) for s in sizes]
    if len(reps) == 1:
        reps = reps * len(sizes)
    if len(reps) != len(sizes):
        parser.error("--reps needs one value per size")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    data = {"started": stamp, "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                                          "python": platform.python_version(), "load_at_start": loadavg()},
            "targets": TARGETS}
    os.makedirs(RESULTS, exist_ok=True)

    if not args.no_core:
        log("policy core throughput (in-process)")
        data["core"] = measure_core()
        for name, res in data["core"].items():
            if isinstance(res, dict):
                log("  %s: %.0f policies per CPU second (median of %d trials; %.0f-%.0f); by the wall clock %.0f/s" % (
                    name, res["median"], len(res["trials"]), res["min"], res["max"], res["wall_median"]))
    if not args.core_only:
        for tool in (PODMAN, os.path.join(VENV_BIN, "ansible-playbook")):
            if not shutil.which(tool):
                sys.exit("fleet benchmark: %s not found (make bootstrap images)" % tool)
        if subprocess.run([PODMAN, "image", "exists", IMAGE], check=False).returncode != 0:
            sys.exit("fleet benchmark: image %s not found (make images)" % IMAGE)
        versions = subprocess.run([os.path.join(VENV_BIN, "ansible-playbook"), "--version"], capture_output=True, text=True, check=False)
        data["machine"]["ansible"] = versions.stdout.splitlines()[0] if versions.stdout else None
        data["machine"]["podman"] = subprocess.run([PODMAN, "--version"], capture_output=True, text=True, check=False).stdout.strip()
        rendered = render_settings()
        run_id = uuid.uuid4().hex[:6]
        data["sizes"] = []
        forks_for = (lambda n: n) if args.forks == "n" else (lambda n: int(args.forks))
        for size, rep in zip(sizes, reps):
            data["sizes"].append(bench_size(size, rep, forks_for(size), run_id, rendered))
            _write(data, stamp)  # keep what is measured even if a later size fails
        data["growth"] = growth(data["sizes"])
        data["machine"]["load_at_end"] = loadavg()
    data["finished"] = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path = _write(data, stamp)
    if data.get("sizes"):
        png = plot(data, os.path.join(RESULTS, "fleet-%s.png" % stamp))
        if png:
            shutil.copyfile(png, os.path.join(RESULTS, "fleet-latest.png"))
            log("plot: %s" % os.path.relpath(png, ROOT))
        print()
        print(table(data))
        print()
        for kind, fit in data["growth"].items():
            print("%-30s %.3f s/host + %.2f s (R²=%.3f); marginal s/host between sizes: %s" % (
                LABELS[kind], fit["seconds_per_host"], fit["intercept_seconds"], fit["r2"],
                ", ".join("%.3f" % m for m in fit["seconds_per_host_marginal"])))
    log("results: %s" % os.path.relpath(json_path, ROOT))
    return 0


def _write(data, stamp):
    path = os.path.join(RESULTS, "fleet-%s.json" % stamp)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    shutil.copyfile(path, os.path.join(RESULTS, "fleet-latest.json"))
    return path


if __name__ == "__main__":
    sys.exit(main())
