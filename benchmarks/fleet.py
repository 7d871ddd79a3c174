# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fleet benchmark: the role against the floor of an Ansible push, one module call per host.

On demand only (`make bench`), never part of `make test`. For each fleet size N it starts N
containers of the test image, each with its own root file system and its own sshd on a loopback
port (`--network host`, 127.0.0.1 only), so every host is a real SSH connection (or a podman exec
session with the podman connection). On that fleet, for each connection and repetition, it times:

  p  the floor: one play, gather_facts false, one ansible.builtin.ping task per host
  b  the role's first converge: `ansible-playbook fleetpolicy.claude_code.rollout` on hosts
     without any of the files the role writes
  c  the role's no-change run: the same command again
  d  the drift check: `ansible-playbook fleetpolicy.claude_code.drift` (check mode + diff, the
     fleet report written to a temporary folder)

The machine's speed drifts over minutes here (a virtual machine: the same run costs more CPU time
at times, and only part of that shows as steal in /proc/stat), so each repetition of the role's
runs is bracketed by ping runs: p b c d p b c d p ... (reps + 1 ping runs). Ratios b/p, c/p and
d/p of a repetition divide by the mean of the two ping runs either side of it; a second estimate
divides the fastest run of each kind by the fastest ping run (slow spells make runs slower, never
faster). Every run is one `ansible-playbook` process, timed from start to exit (wall clock), with
the same forks and settings; resetting the hosts before each converge is done through
`podman mount` and is not timed.

Connections: `ssh` (pipelining on, ControlPersist, Ansible's default ssh_args), `ssh-nopipe`
(pipelining off: each module is copied with sftp, made executable, then run) and `podman`
(containers.podman.podman). Each run gets its own ControlPath folder, so it opens its own
connections, and its SSH master processes are stopped (by their process id) after it.

Per run it measures the controller's CPU time (ansible-playbook and every process under it, plus
the SSH master processes, which detach from it) and its peak memory (the sum of the proportional
set size, PSS, of those processes, sampled every 0.25 s; and the largest single RSS), the whole
machine's busy CPU time from /proc/stat (the hosts run on the same cores here, so what the module
costs on a host shows there and in the wall clock, not in the controller's CPU) and the CPU time
the hypervisor took from this machine during the run (steal, not counted as busy). Module
invocations per host are counted, not estimated: ansible_ssh_executable / ansible_podman_executable
point at a two-line wrapper that logs every command; a module invocation is a command that runs
the host's python.

Writes benchmarks/results/fleet-<stamp>.json (+ fleet-latest.json) and fleet-<stamp>.png.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import importlib.util
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
EXAMPLE_INV = os.path.join(ROOT, "playbooks", "inventory", "example")
RESULTS = os.path.join(ROOT, "benchmarks", "results")
IMAGE = os.environ.get("IMAGE", "localhost/fleetpolicy-claude-test:bookworm")
PODMAN = shutil.which("podman") or "podman"
SSH = shutil.which("ssh") or "ssh"
# Podman settings for this kind of host (runc, ulimits): tests/containers.conf, nothing in /etc.
os.environ.setdefault("CONTAINERS_CONF", os.path.join(ROOT, "tests", "containers.conf"))

# Files the role writes on a Debian host (plugins/plugin_utils/policy/_facts.py, the Debian record).
ROLE_FILES = (
    "/etc/claude-code/managed-settings.json",
    "/etc/profile.d/claude-code.sh",
    "/etc/fish/conf.d/claude-code.fish",
    "/etc/environment.d/60-claude-code.conf",
)
ROLE_BLOCK_FILES = ("/etc/bash.bashrc", "/etc/zsh/zshenv")  # managed block added to these

KINDS = ("p", "b", "c", "d")
LABELS = {"p": "p: ping (the floor)", "b": "b: converge", "c": "c: no change", "d": "d: drift check"}
RATIOS = ("b/p", "c/p", "d/p")
TARGET = 1.05  # each ratio at most this
CONNECTIONS = ("ssh", "ssh-nopipe", "podman")
DEFAULT_PLAN = "ssh:10,100,500;ssh-nopipe:10,100;podman:10"
DEFAULT_REPS = {10: 15, 100: 6, 500: 3}  # else 2; the same ping play moved by 18-28% within one run here (2026-12-01)

_PYTHON = re.compile(r"/usr/bin/python3")

PING_PLAY = """---
- name: The floor, one module call per host
  hosts: all
  gather_facts: false
  tasks:
    - name: Ping
      ansible.builtin.ping:
"""

WRAPPER = """#!/bin/sh
printf '%s\\n' "$*" >> "${BENCH_CALL_LOG:-/dev/null}"
exec "%TOOL%" "$@"
"""


def log(msg):
    print("[bench {}] {}".format(time.strftime("%H:%M:%S"), msg), flush=True)


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def _fmt_load(load):
    return "/".join(f"{v:.2f}" for v in load) if load else "?"


# ---------------------------------------------------------------------------- policy core


def _core():
    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _policy

    return _policy


def group_policies():
    """The 5 group policies of the example inventory, as the role passes them to the apply action."""
    import yaml  # only where PyYAML is around (both venvs have it)

    sys.path.insert(0, COLLECTIONS)
    from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import ROLE_VARIABLES

    options = {variable: option for option, variable in ROLE_VARIABLES.items()}
    out = {}
    folder = os.path.join(EXAMPLE_INV, "group_vars")
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        out[name.rsplit(".", 1)[0]] = {options[k]: v for k, v in data.items()}
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
            pol = {
                "provider": "vertex",
                "vertex_project_id": "acme-ml-%04d" % i,
                "vertex_region": vregions[i % len(vregions)],
                "profile": profile,
            }
        elif kind == 3:
            pol = {"provider": "foundry", "foundry_resource": "acme-ai-%d" % i, "profile": profile}
        else:
            pol = {
                "provider": "anthropic",
                "plan": "enterprise",
                "profile": profile,
                "base_url": "https://llm-gw-%d.example.com" % i,
            }
        # what makes each host's policy its own: an announcement that names the host
        pol["settings"] = {"cleanupPeriodDays": 1 + i % 14, "companyAnnouncements": ["Managed by IT (host %04d)" % i]}
        if i % 3 == 0:
            pol["settings"]["permissions"] = {"deny": ["WebFetch", "Bash(curl:*)"], "allow": ["Read"]}
        if i % 4 == 0:
            pol["env"] = {
                "CLAUDE_CODE_ENABLE_TELEMETRY": "1",
                "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel-%d.example.com:4318" % (i % 7),
                "BASH_DEFAULT_TIMEOUT_MS": 120000 + i,
            }
            if profile != "standard":
                pol["env"].pop("CLAUDE_CODE_ENABLE_TELEMETRY")
        out.append(pol)
        i += 1
    assert len({json.dumps(p, sort_keys=True) for p in out}) == count
    return out


def measure_core(seconds=2.0, trials=5):
    """compute() throughput in this process, by CPU time and by the wall clock."""
    compute = _core().compute
    groups = list(group_policies().values())
    distinct = distinct_policies(500)
    for pol in groups + distinct:  # every policy is valid: an error path would not be a fair figure
        compute(pol)

    def rate(pols):
        done, cpu, wall = 0, 0.0, 0.0
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            for pol in pols:
                compute(pol)
            cpu += time.process_time() - start_cpu
            wall += time.perf_counter() - start_wall
            done += len(pols)
        return done / cpu, done / wall

    result = {"load_before": loadavg(), "seconds_per_trial": seconds}
    for name, pols in (("distinct_500", distinct), ("groups_5_repeated", groups * 100)):
        rates = [rate(pols) for _trial in range(trials)]
        by_cpu = [r[0] for r in rates]
        result[name] = {
            "median": statistics.median(by_cpu),
            "min": min(by_cpu),
            "max": max(by_cpu),
            "trials": by_cpu,
            "wall_median": statistics.median([r[1] for r in rates]),
        }
    result["load_after"] = loadavg()
    return result


# ---------------------------------------------------------------------------- processes


def _children_of():
    """{ppid: [pid, ...]} for every process, from /proc."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry))
    return out


def _tree(root):
    kids = _children_of()
    todo, seen = [root], []
    while todo:
        pid = todo.pop()
        seen.append(pid)
        todo.extend(kids.get(pid, ()))
    return seen


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _memory(pid):
    """(PSS, RSS) in kB of one process, or (0, 0) when it is gone."""
    pss = rss = 0
    try:
        with open("/proc/%d/smaps_rollup" % pid, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def machine_cpu_seconds():
    """(busy, steal): CPU time the whole machine spent busy (all cores, /proc/stat: the controller
    and every host, which share the cores here), and the time the hypervisor ran something else
    while this machine wanted to run (steal), which is not counted as busy."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]] + [0] * 8
    tick = float(os.sysconf("SC_CLK_TCK"))
    # user nice system idle iowait irq softirq steal: busy is user + nice + system + irq + softirq
    return (sum(fields[:3]) + fields[5] + fields[6]) / tick, fields[7] / tick


def _cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _masters(control_dir):
    """Process ids of the SSH master processes of one run (their command line names its ControlPath folder)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            line = _cmdline(int(entry))
            if control_dir in line and "ssh" in line:
                found.append(int(entry))
    return found


class Sampler(threading.Thread):
    """Peak memory of a process tree (plus the run's SSH masters), sampled every `every` seconds."""

    def __init__(self, pid, control_dir, every=0.25):
        super().__init__(daemon=True)
        self.pid, self.control_dir, self.every = pid, control_dir, every
        self.stop = threading.Event()
        self.peak_pss = self.peak_rss_one = self.peak_procs = 0

    def run(self):
        masters, tick = [], 0
        while not self.stop.is_set():
            pids = _tree(self.pid)
            # The masters detach from the tree; finding them reads every process's command line,
            # so it is done every 2 s only (the sampler's own CPU disturbs the runs it measures).
            if tick % 8 == 0 and self.control_dir and os.path.isdir(self.control_dir) and os.listdir(self.control_dir):
                masters = _masters(self.control_dir)
            tick += 1
            pids += [p for p in masters if p not in pids]
            total = 0
            for pid in pids:
                pss, rss = _memory(pid)
                total += pss
                self.peak_rss_one = max(self.peak_rss_one, rss)
            self.peak_pss = max(self.peak_pss, total)
            self.peak_procs = max(self.peak_procs, len(pids))
            self.stop.wait(self.every)


# ---------------------------------------------------------------------------- fleet


def _free_port_base(count):
    """The first of `count` consecutive free TCP ports on 127.0.0.1 from 23000 on."""
    base = 23000
    while base < 60000:
        busy = False
        for port in range(base, base + count):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    busy = True
                    break
        if not busy:
            return base
        base += count + 100
    raise RuntimeError("no %d free consecutive ports on 127.0.0.1" % count)


class Fleet:
    """N running containers of the test image, each with sshd on its own loopback port and its
    root file system mounted (for the untimed resets)."""

    def __init__(self, size, workdir, run_id):
        self.size = size
        self.workdir = workdir
        self.names = ["fpbench-%s-%03d" % (run_id, i) for i in range(size)]
        self.hosts = ["h%03d" % i for i in range(size)]
        self.base_port = _free_port_base(size)
        self.roots = {}
        self.originals = {}
        self.key = os.path.join(workdir, "id_ed25519")
        self.host_key = os.path.join(workdir, "host_ed25519")
        self.known_hosts = os.path.join(workdir, "known_hosts")

    def _podman(self, *args, check=True):
        proc = subprocess.run([PODMAN] + list(args), capture_output=True, text=True, check=False)
        if check and proc.returncode != 0:
            raise RuntimeError("podman %s: exit %d: %s" % (" ".join(args), proc.returncode, proc.stderr.strip()))
        return proc

    def start(self):
        for path, comment in ((self.key, "bench-controller"), (self.host_key, "bench-host")):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", path], check=True)
        with open(self.host_key + ".pub", encoding="ascii") as handle:
            pub = " ".join(handle.read().split()[:2])
        with open(self.known_hosts, "w", encoding="ascii") as handle:
            for i in range(self.size):
                handle.write("[127.0.0.1]:%d %s\n" % (self.base_port + i, pub))

        def one(i):
            name = self.names[i]
            sshd = (
                "mkdir -p /run/sshd && exec /usr/sbin/sshd -D -e -p %d -o ListenAddress=127.0.0.1 "
                "-o HostKey=/etc/ssh/ssh_host_ed25519_key -o PasswordAuthentication=no "
                "-o PermitRootLogin=prohibit-password -o UseDNS=no -o MaxStartups=100" % (self.base_port + i)
            )
            self._podman(
                "run",
                "-d",
                "--name",
                name,
                "--network",
                "host",
                "-v",
                f"{self.host_key}:/etc/ssh/ssh_host_ed25519_key:ro",
                "-v",
                f"{self.key}.pub:/root/.ssh/authorized_keys:ro",
                IMAGE,
                "sh",
                "-c",
                sshd,
            )
            return name, self._podman("mount", name).stdout.strip()

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            for name, root in pool.map(one, range(self.size)):
                self.roots[name] = root
        for name, root in self.roots.items():
            self.originals[name] = {}
            for path in ROLE_BLOCK_FILES:
                with open(root + path, "rb") as handle:
                    self.originals[name][path] = handle.read()
        deadline = time.time() + 120
        for i in range(self.size):
            while True:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", self.base_port + i)) == 0:
                        break
                if time.time() > deadline:
                    raise RuntimeError("sshd of %s does not listen on %d" % (self.names[i], self.base_port + i))
                time.sleep(0.2)

    def remove(self):
        def one(name):
            self._podman("rm", "-f", "-t", "0", name, check=False)

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(one, self.names))

    def reset_role(self):
        for name, root in self.roots.items():
            for path in ROLE_FILES:
                _unlink(root + path)
            for path, data in self.originals[name].items():
                with open(root + path, "wb") as handle:
                    handle.write(data)
            folder = root + "/etc/claude-code"  # backups or stale temporary files would be extra state
            if os.path.isdir(folder):
                for entry in os.listdir(folder):
                    os.unlink(os.path.join(folder, entry))

    def write_inventories(self, folder, wrappers):
        """One inventory per connection kind, the example inventory's 5 groups (and group_vars),
        hosts spread evenly over them."""
        groups = sorted(group_policies())
        out = {}
        for connection in CONNECTIONS:
            path = os.path.join(folder, connection)
            os.makedirs(path)
            shutil.copytree(os.path.join(EXAMPLE_INV, "group_vars"), os.path.join(path, "group_vars"))
            if connection == "podman":
                common = [
                    "ansible_connection: containers.podman.podman",
                    "ansible_podman_executable: {}".format(wrappers["podman"]),
                ]
            else:
                common = [
                    "ansible_connection: ssh",
                    "ansible_host: 127.0.0.1",
                    "ansible_user: root",
                    f"ansible_ssh_private_key_file: {self.key}",
                    "ansible_ssh_executable: {}".format(wrappers["ssh"]),
                    f"ansible_ssh_common_args: -o UserKnownHostsFile={self.known_hosts} -o StrictHostKeyChecking=yes",
                    "ansible_ssh_pipelining: %s" % ("true" if connection == "ssh" else "false"),
                ]
            lines = ["all:", "  vars:", "    ansible_python_interpreter: /usr/bin/python3"]
            lines += ["    " + line for line in common]
            lines.append("  children:")
            for g, group in enumerate(groups):
                lines += [f"    {group}:", "      hosts:"]
                for i in range(g, self.size, len(groups)):
                    if connection == "podman":
                        lines.append(f"        {self.hosts[i]}: {{ansible_host: {self.names[i]}}}")
                    else:
                        lines.append("        %s: {ansible_port: %d}" % (self.hosts[i], self.base_port + i))
            with open(os.path.join(path, "hosts.yml"), "w", encoding="utf-8") as handle:
                handle.write("\n".join(lines) + "\n")
            out[connection] = path
        return out


def _unlink(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def load_support(name):
    """tests/_support/NAME.py by path (those the benchmarks use are standard library only), e.g.
    playbook.py, the one runner of ansible-playbook and reader of PLAY RECAP."""
    spec = importlib.util.spec_from_file_location(
        f"fleetpolicy_support_{name}", os.path.join(ROOT, "tests", "_support", f"{name}.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


playbook_support = load_support("playbook")
recap = playbook_support.recap


def count_calls(logfile, fleet, connection):
    """Per host: connection commands and module invocations (commands that run the host's python)."""
    if connection == "podman":
        keys = dict(zip(fleet.names, fleet.hosts))
    else:
        keys = {str(fleet.base_port + i): host for i, host in enumerate(fleet.hosts)}
    calls = dict.fromkeys(fleet.hosts, 0)
    modules = dict.fromkeys(fleet.hosts, 0)
    try:
        with open(logfile, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        words = line.split()
        if connection == "podman":
            host = next((keys[w] for w in words[1:4] if w in keys), None)
        else:  # Ansible's ssh connection names the port as -o Port=N
            host = next((keys[w[5:]] for w in words if w.startswith("Port=") and w[5:] in keys), None)
        if host is None or " -O " in f" {line} ":
            continue
        calls[host] += 1
        if _PYTHON.search(line) and (connection != "podman" or words[0] == "exec"):
            modules[host] += 1
    return calls, modules


class Runner:
    def __init__(self, fleet, workdir, inventories, forks):
        self.fleet = fleet
        self.workdir = workdir
        self.inventories = inventories
        self.forks = forks
        self.seq = 0
        self.ping = os.path.join(workdir, "ping.yml")
        with open(self.ping, "w", encoding="utf-8") as handle:
            handle.write(PING_PLAY)
        with open(os.path.join(workdir, "ansible.cfg"), "w", encoding="utf-8") as handle:
            handle.write("[defaults]\nretry_files_enabled = False\n")
        self.report_dir = os.path.join(workdir, "drift-report")

    def command(self, kind):
        if kind == "p":
            return [self.ping]
        if kind in ("b", "c"):
            return ["fleetpolicy.claude_code.rollout"]
        return ["fleetpolicy.claude_code.drift", "-e", f"claude_code_report_dir={self.report_dir}"]

    def run(self, kind, connection):
        self.seq += 1
        tag = "%03d-%s-%s" % (self.seq, connection, kind)
        logfile = os.path.join(self.workdir, f"calls-{tag}.log")
        control = tempfile.mkdtemp(prefix="cp", dir=self.workdir)
        env = dict(os.environ)
        env.update(
            {
                "ANSIBLE_CONFIG": os.path.join(self.workdir, "ansible.cfg"),
                "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
                "ANSIBLE_FORKS": str(self.forks),
                "ANSIBLE_NOCOLOR": "1",
                "ANSIBLE_LOCAL_TEMP": os.path.join(self.workdir, "ansible-local"),
                "ANSIBLE_SSH_CONTROL_PATH_DIR": control,
                "BENCH_CALL_LOG": logfile,
            }
        )
        cmd = [os.path.join(VENV_BIN, "ansible-playbook"), "-i", self.inventories[connection]] + self.command(kind)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        busy, steal = machine_cpu_seconds()
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=self.workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        sampler = Sampler(proc.pid, control if connection != "podman" else None)
        sampler.start()
        output = proc.communicate()[0]
        elapsed = time.perf_counter() - start
        busy_after, steal_after = machine_cpu_seconds()
        busy, steal = busy_after - busy, steal_after - steal
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler.stop.set()
        sampler.join()
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        masters = _masters(control) if connection != "podman" else []
        master_cpu = sum(_cpu_seconds(pid) for pid in masters)
        for pid in masters:  # the run's own SSH masters, by process id
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        with open(os.path.join(self.workdir, f"run-{tag}.out"), "w", encoding="utf-8") as handle:
            handle.write(output)
        hosts = recap(output)
        problems = []
        if proc.returncode != 0:
            problems.append("exit code %d" % proc.returncode)
        want_changed = kind == "b"
        for name in self.fleet.hosts:
            got = hosts.get(name)
            if got is None:
                problems.append(f"{name} missing from the recap")
            elif got["failed"] or got["unreachable"] or bool(got["changed"]) != want_changed:
                problems.append(f"{name}: {got}")
        if problems:
            raise RuntimeError(
                "run %s over %s (N=%d) is not what it should be: %s\n--- output tail:\n%s"
                % (kind, connection, self.fleet.size, "; ".join(problems[:5]), output[-3000:])
            )
        calls, modules = count_calls(logfile, self.fleet, connection)
        os.unlink(logfile)
        shutil.rmtree(control, ignore_errors=True)
        return {
            "seconds": elapsed,
            "cpu_seconds": cpu + master_cpu,
            "machine_cpu_seconds": busy,
            "steal_seconds": steal,
            "ssh_master_cpu_seconds": master_cpu,
            "ssh_masters": len(masters),
            "peak_pss_mb": sampler.peak_pss / 1024.0,
            "peak_rss_one_mb": sampler.peak_rss_one / 1024.0,
            "peak_processes": sampler.peak_procs,
            "calls_per_host": _span(calls.values()),
            "modules_per_host": _span(modules.values()),
        }


def _span(values):
    values = list(values)
    return {"min": min(values), "max": max(values)} if values else {"min": 0, "max": 0}


def bench_size(size, reps, forks, run_id, connections):
    workdir = tempfile.mkdtemp(prefix="fpbench-%d-" % size)
    fleet = Fleet(size, workdir, run_id)
    out = {"n": size, "reps": reps, "forks": forks, "load_before": loadavg(), "connections": {}}
    try:
        log(
            "N=%d: starting %d containers (sshd on 127.0.0.1:%d-%d)"
            % (size, size, fleet.base_port, fleet.base_port + size - 1)
        )
        started = time.perf_counter()
        fleet.start()
        out["start_seconds"] = time.perf_counter() - started
        wrappers = {}
        for tool, path in (("podman", PODMAN), ("ssh", SSH)):
            wrappers[tool] = os.path.join(workdir, f"{tool}-logged")
            with open(wrappers[tool], "w", encoding="utf-8") as handle:
                handle.write(WRAPPER.replace("%TOOL%", path))
            os.chmod(wrappers[tool], 0o755)
        inventories = fleet.write_inventories(os.path.join(workdir, "inventory"), wrappers)
        runner = Runner(fleet, workdir, inventories, forks)
        for connection in connections:
            log("N=%d %s: warm-up (ping, untimed)" % (size, connection))
            runner.run("p", connection)
            runs = {k: [] for k in KINDS}
            runs["p"].append(dict(runner.run("p", connection), rep=0))
            for rep in range(reps):  # p b c d p b c d p: each repetition between two ping runs
                fleet.reset_role()
                for kind in ("b", "c", "d", "p"):
                    runs[kind].append(dict(runner.run(kind, connection), rep=rep if kind != "p" else rep + 1))
                log(
                    "N=%d %s rep %d/%d: %s (steal %.1f s, load %s)"
                    % (
                        size,
                        connection,
                        rep + 1,
                        reps,
                        "  ".join(
                            "{}={:.2f}s/{:.2f}cpu/{:.2f}all".format(
                                k,
                                runs[k][-1]["seconds"],
                                runs[k][-1]["cpu_seconds"],
                                runs[k][-1]["machine_cpu_seconds"],
                            )
                            for k in KINDS
                        ),
                        sum(runs[k][-1]["steal_seconds"] for k in "bcdp"),
                        _fmt_load(loadavg()),
                    )
                )
            out["connections"][connection] = summarise(runs, size, reps)
    finally:
        fleet.remove()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            log(f"kept {workdir}")
    out["load_after"] = loadavg()
    return out


def _stats(values):
    values = sorted(values)
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "values": values}


def summarise(runs, size, reps):
    """Medians over the runs of each kind; ratios per repetition, against the mean of the two ping
    runs that bracket it (runs["p"] has reps + 1 entries)."""
    out = {"runs": runs}
    for metric in ("seconds", "cpu_seconds", "machine_cpu_seconds", "steal_seconds", "peak_pss_mb", "peak_rss_one_mb"):
        out[metric] = {k: _stats([r[metric] for r in runs[k]]) for k in KINDS}
    ratios = {key: [] for key in RATIOS}
    cpu_ratios = {key: [] for key in RATIOS}
    for rep in range(reps):
        ping = {
            metric: (runs["p"][rep][metric] + runs["p"][rep + 1][metric]) / 2.0 for metric in ("seconds", "cpu_seconds")
        }
        for key in RATIOS:
            ratios[key].append(runs[key[0]][rep]["seconds"] / ping["seconds"])
            cpu_ratios[key].append(runs[key[0]][rep]["cpu_seconds"] / ping["cpu_seconds"])
    out["ratios"] = {k: _stats(v) for k, v in ratios.items()}
    out["cpu_ratios"] = {k: _stats(v) for k, v in cpu_ratios.items()}
    # A second estimate, less moved by the machine's slow spells: the fastest run of each kind
    # against the fastest ping run (what timeit reports: slower runs are slower for outside reasons).
    out["fastest_ratios"] = {
        key: min(r["seconds"] for r in runs[key[0]]) / min(r["seconds"] for r in runs["p"]) for key in RATIOS
    }
    out["per_host"] = {
        k: {
            "cpu_ms": 1000.0 * out["cpu_seconds"][k]["median"] / size,
            "machine_cpu_ms": 1000.0 * out["machine_cpu_seconds"][k]["median"] / size,
            "peak_pss_kb": 1024.0 * out["peak_pss_mb"][k]["median"] / size,
            "modules": runs[k][-1]["modules_per_host"],
            "calls": runs[k][-1]["calls_per_host"],
        }
        for k in KINDS
    }
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


def growth(data):
    """Per connection with two sizes or more: a least-squares line through the median times."""
    out = {}
    for connection in CONNECTIONS:
        sizes = [s for s in data["sizes"] if connection in s["connections"]]
        if len(sizes) < 2:
            continue
        xs = [s["n"] for s in sizes]
        out[connection] = {}
        for kind in KINDS:
            ys = [s["connections"][connection]["seconds"][kind]["median"] for s in sizes]
            fit = linear_fit(xs, ys)
            fit["seconds_per_host_marginal"] = [(ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i]) for i in range(len(xs) - 1)]
            out[connection][kind] = fit
    return out


def plot(data, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        log("matplotlib is not installed here: no plot (make bench installs it into .cache/bench-venv)")
        return None
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), dpi=110, gridspec_kw={"width_ratios": [3, 2]})
    colors = {"p": "tab:gray", "b": "tab:blue", "c": "tab:green", "d": "tab:red"}
    lines = {"ssh": "-", "ssh-nopipe": "--", "podman": ":"}
    allx = set()
    for connection in CONNECTIONS:
        sizes = [s for s in data["sizes"] if connection in s["connections"]]
        if not sizes:
            continue
        xs = [s["n"] for s in sizes]
        allx.update(xs)
        for kind in KINDS:
            med = [s["connections"][connection]["seconds"][kind]["median"] for s in sizes]
            left.plot(
                xs,
                med,
                color=colors[kind],
                linestyle=lines[connection],
                marker="o",
                markersize=3,
                label=f"{LABELS[kind]}, {connection}",
            )
        for key, kind in zip(RATIOS, "bcd"):
            med = [s["connections"][connection]["ratios"][key]["median"] for s in sizes]
            right.plot(
                xs,
                med,
                color=colors[kind],
                linestyle=lines[connection],
                marker="o",
                markersize=3,
                label=f"{key}, {connection}",
            )
    left.set_xlabel("hosts (N)")
    left.set_ylabel("wall clock of one ansible-playbook run (s)")
    left.set_title(
        "time against fleet size (median; forks={})".format(",".join(sorted({str(s["forks"]) for s in data["sizes"]}))),
        fontsize=10,
    )
    right.axhline(TARGET, color="black", linestyle=":", linewidth=1)
    right.axhline(1.0, color="black", linewidth=0.6)
    right.set_xlabel("hosts (N)")
    right.set_ylabel("ratio to the ping play (wall clock)")
    right.set_title(f"target: at most {TARGET:.2f}", fontsize=10)
    for ax in (left, right):
        ax.set_xlim(0, max(allx) * 1.05)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=6, loc="upper left")
    left.set_ylim(0, None)
    fig.suptitle(
        "fleetpolicy.claude_code fleet benchmark, {} CPUs, load {} at start".format(
            data["machine"]["cpus"], _fmt_load(data["machine"]["load_at_start"])
        ),
        fontsize=11,
    )
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def table(data):
    rows = [
        "| connection | N | reps | p: ping (s) | b: converge (s) | c: no change (s) | d: drift (s) | b/p | c/p | d/p "
        "| fastest b, c, d / fastest p | CPU ms/host p, b, c, d | machine CPU ms/host p, b, c, d | peak MB p, b, c, d "
        "| modules/host p, b, c, d | steal s | load |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for connection in CONNECTIONS:
        for s in data["sizes"]:
            c = s["connections"].get(connection)
            if not c:
                continue

            def r(key, c=c):
                v = c["ratios"][key]
                return "{:.2f} ({:.2f}-{:.2f})".format(v["median"], v["min"], v["max"])

            def mods(kind, c=c):
                m = c["per_host"][kind]["modules"]
                return str(m["max"]) if m["min"] == m["max"] else "%d-%d" % (m["min"], m["max"])

            rows.append(
                "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.1f | %s |"
                % (
                    connection,
                    s["n"],
                    s["reps"],
                    *("{:.2f}".format(c["seconds"][k]["median"]) for k in KINDS),
                    r("b/p"),
                    r("c/p"),
                    r("d/p"),
                    ", ".join("{:.2f}".format(c["fastest_ratios"][key]) for key in RATIOS),
                    ", ".join("{:.0f}".format(c["per_host"][k]["cpu_ms"]) for k in KINDS),
                    ", ".join("{:.0f}".format(c["per_host"][k]["machine_cpu_ms"]) for k in KINDS),
                    ", ".join("{:.0f}".format(c["peak_pss_mb"][k]["median"]) for k in KINDS),
                    ", ".join(mods(k) for k in KINDS),
                    sum(one["steal_seconds"] for k in KINDS for one in c["runs"][k]),
                    "{:.1f} → {:.1f}".format(s["load_before"][0], s["load_after"][0]),
                )
            )
    return "\n".join(rows)


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # runs the finally blocks: the containers are removed


def parse_plan(text):
    """'ssh:10,100;podman:10' -> {size: [connections]} in the order given."""
    plan = {}
    for part in text.split(";"):
        if not part.strip():
            continue
        connection, sizes = (part.split(":", 1) + [""])[:2]
        connection = connection.strip()
        if connection not in CONNECTIONS:
            raise ValueError("unknown connection {!r} (one of {})".format(connection, ", ".join(CONNECTIONS)))
        for size in sizes.split(","):
            plan.setdefault(int(size), []).append(connection)
    return dict(sorted(plan.items()))


def main(argv=None):
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--plan", default=DEFAULT_PLAN, help=f"connections and fleet sizes (default {DEFAULT_PLAN})")
    parser.add_argument(
        "--reps", type=int, default=0, help="repetitions per size (default: 15 at N=10, 6 at N=100, 3 at N=500, else 2)"
    )
    parser.add_argument("--forks", type=int, default=10, help="ansible forks for all runs (default 10)")
    parser.add_argument("--core-only", action="store_true", help="only the in-process policy core throughput")
    parser.add_argument("--no-core", action="store_true", help="skip the policy core throughput")
    args = parser.parse_args(argv)
    try:
        plan = parse_plan(args.plan)
    except ValueError as exc:
        parser.error(str(exc))

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    data = {
        "started": stamp,
        "plan": args.plan,
        "target_ratio": TARGET,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9,
            "load_at_start": loadavg(),
        },
    }
    os.makedirs(RESULTS, exist_ok=True)

    if not args.no_core:
        log("policy core throughput (in-process)")
        data["core"] = measure_core()
        for name, res in data["core"].items():
            if isinstance(res, dict):
                log(
                    "  %s: %.0f policies per CPU second (median of %d trials; %.0f-%.0f); by the wall clock %.0f/s"
                    % (name, res["median"], len(res["trials"]), res["min"], res["max"], res["wall_median"])
                )
    if not args.core_only:
        for tool in (PODMAN, SSH, os.path.join(VENV_BIN, "ansible-playbook")):
            if not shutil.which(tool):
                sys.exit(f"fleet benchmark: {tool} not found (make bootstrap images)")
        if subprocess.run([PODMAN, "image", "exists", IMAGE], check=False).returncode != 0:
            sys.exit(f"fleet benchmark: image {IMAGE} not found (make images)")
        versions = subprocess.run(
            [os.path.join(VENV_BIN, "ansible-playbook"), "--version"], capture_output=True, text=True, check=False
        )
        data["machine"]["ansible"] = versions.stdout.splitlines()[0] if versions.stdout else None
        data["machine"]["podman"] = subprocess.run(
            [PODMAN, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
        data["machine"]["ssh"] = subprocess.run([SSH, "-V"], capture_output=True, text=True, check=False).stderr.strip()
        run_id = uuid.uuid4().hex[:6]
        data["sizes"] = []
        for size, connections in plan.items():
            reps = args.reps or DEFAULT_REPS.get(size, 2)
            data["sizes"].append(bench_size(size, reps, args.forks, run_id, connections))
            _write(data, stamp)  # keep what is measured even if a later size fails
        data["growth"] = growth(data)
        data["machine"]["load_at_end"] = loadavg()
    data["finished"] = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path = _write(data, stamp)
    if data.get("sizes"):
        png = plot(data, os.path.join(RESULTS, f"fleet-{stamp}.png"))
        if png:
            shutil.copyfile(png, os.path.join(RESULTS, "fleet-latest.png"))
            log(f"plot: {os.path.relpath(png, ROOT)}")
        print()
        print(table(data))
        print()
        for connection, fits in data["growth"].items():
            for kind, fit in fits.items():
                print(
                    "%-11s %-20s %.3f s/host + %.2f s (R²=%.3f); marginal s/host between sizes: %s"
                    % (
                        connection,
                        LABELS[kind],
                        fit["seconds_per_host"],
                        fit["intercept_seconds"],
                        fit["r2"],
                        ", ".join(f"{m:.3f}" for m in fit["seconds_per_host_marginal"]),
                    )
                )
    log(f"results: {os.path.relpath(json_path, ROOT)}")
    return 0


def _write(data, stamp):
    path = os.path.join(RESULTS, f"fleet-{stamp}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=2)
    shutil.copyfile(path, os.path.join(RESULTS, "fleet-latest.json"))
    return path


if __name__ == "__main__":
    sys.exit(main())
