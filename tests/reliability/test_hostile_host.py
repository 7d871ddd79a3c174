"""Hostile host content: the collection's drift playbook, then its rollout, over hosts whose
managed folder holds what a careless or hostile admin can put there (FIFOs, JSON nested past
Python's recursion limit, names that are not UTF-8, terminal escape sequences in names and values,
150 MB of drop-ins, a lock held by another user, a user-writable /etc/profile.d). Every host is
judged (never `failed` for what it holds, never a hung run), the controller's memory stays bounded,
and no control character reaches the output or a report raw."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import recap

from ._helpers import ansible_env, figure, rc_paths, run_module, tool

POLICY = {"provider": "anthropic", "plan": "team", "profile": "private"}
FLOOD_FILES = int(os.environ.get("RELIABILITY_FLOOD_FILES", "80"))
FLOOD_BYTES = 1900 * 1024  # each under Claude Code's 2 MiB limit: the CLI reads every one
TIME_BOUND = 600  # s, for the drift run of the whole fleet (2 cores shared with other jobs)
MEMORY_BOUND_MB = 400  # the largest process of ansible-playbook's tree, for ~150 MB of drop-ins
RAW = ("\x1b", "\x07", "\u202e", "\x9b")


def _nest(depth):
    return "[" * depth + '"x"' + "]" * depth


def _seed(root):
    """The host as a good rollout left it: our file and rc files, nothing foreign."""
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

    paths = rc_paths(root)
    res = run_module(
        {
            "path": os.path.join(root, "claude-code", "managed-settings.json"),
            "settings": compute(POLICY)["settings"],
            "shells": list(paths),
            "shell_paths": paths,
            "os_family": "Debian",
        }
    )
    assert res.get("changed") and not res.get("failed"), res
    os.makedirs(os.path.join(root, "claude-code", "managed-settings.d"))
    return os.path.join(root, "claude-code")


def _plant(name, managed, tmp_path):
    dropins = os.path.join(managed, "managed-settings.d")
    if name == "fifo":
        os.mkfifo(os.path.join(dropins, "50-pipe.json"))
        os.mkfifo(os.path.join(managed, "managed-mcp.json"))
        os.mkfifo(str(tmp_path / "outside.fifo"))
        os.symlink(str(tmp_path / "outside.fifo"), os.path.join(dropins, "60-link-to-pipe.json"))
    elif name == "deep":
        with open(os.path.join(dropins, "50-deep.json"), "w") as handle:
            handle.write('{"env": {"DISABLE_TELEMETRY": "1"}, "companyAnnouncements": %s}' % _nest(200000))
        with open(os.path.join(managed, "managed-mcp.json"), "w") as handle:
            handle.write('{"mcpServers": %s}' % _nest(100000))
    elif name == "names":
        with open(os.path.join(os.fsencode(dropins), b"50-\xff\xfe\x1b[31m.json"), "w") as handle:
            handle.write('{"env": {"DISABLE_TELEMETRY": ""}}')
        with open(os.path.join(dropins, "60-\x1b]0;owned\x07\u202e.conf"), "w") as handle:
            handle.write("{}")
        with open(os.path.join(dropins, "70-values.json"), "w") as handle:
            json.dump({"companyAnnouncements": ["\x1b[2J\x1b[31mred\x07"], "model": "\u202eevil"}, handle)
    elif name == "escapes":  # an unparseable drop-in with escapes in its name: broken, named escaped
        with open(os.path.join(dropins, "50-\x1b[2J.json"), "w") as handle:
            handle.write('{"env": \x1b[31m')
    elif name == "flood":
        body = '{"companyAnnouncements": ["%s"]}'
        text = body % ("x" * (FLOOD_BYTES - len(body) + 2))
        for i in range(FLOOD_FILES):
            with open(os.path.join(dropins, "%03d-vendor.json" % i), "w") as handle:
                handle.write(text)
        for i in range(300):
            with open(os.path.join(dropins, ".%03d-hidden" % i), "w") as handle:
                handle.write("{}")
    elif name == "unsafe":
        profile_d = os.path.dirname(rc_paths(os.path.dirname(managed))["sh"])
        os.chmod(profile_d, 0o777)


# host: its status in the report
HOSTS = {
    "fifo": "compliant",  # Claude Code does not read a FIFO either
    "deep": "compliant",  # the too deep value is ignored, by the CLI and by the judgement
    "names": "compliant",  # a drop-in whose name is not UTF-8 is not read by the CLI
    "escapes": "broken",
    "flood": "broken",  # the CLI reads every drop-in, the module did not: not known, not compliant
    "locked": "compliant",
    "unsafe": "drifted",
}


def _holder(directory):
    """A process holding an flock on the managed directory: any user who can open the directory
    can (here the tests' own user: the test tree is not open to others)."""
    code = (
        "import fcntl,os,sys,time\nfd=os.open(sys.argv[1],os.O_RDONLY)\nfcntl.flock(fd,fcntl.LOCK_EX)\n"
        "print('held',flush=True)\ntime.sleep(3600)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, directory], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def _measured(argv, cwd, env, timeout):
    """Run argv; its exit code, output, seconds, and the peak RSS (MB) of its largest process."""
    wrapper = (
        "import resource,subprocess,sys\n"
        "p=subprocess.run(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.STDOUT)\n"
        "sys.stdout.buffer.write(p.stdout)\n"
        "sys.stderr.write('PEAK_RSS_KB=%d\\n'%resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(p.returncode)\n"
    )
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", wrapper] + argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # a hung run is killed whole, ansible-playbook's workers included
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise AssertionError(f"{argv[1:4]} did not end within {timeout} s") from None
    seconds = time.monotonic() - start
    peak = int(err.decode().rsplit("PEAK_RSS_KB=", 1)[1].split()[0]) // 1024
    return proc.returncode, out.decode("utf-8"), seconds, peak


def test_hostile_hosts_are_judged_in_bounded_time_and_memory(tmp_path):
    playbook_bin = tool("ansible-playbook")
    hosts, managed = {}, {}
    for name in HOSTS:
        root = str(tmp_path / "hosts" / name)
        os.makedirs(root)
        managed[name] = _seed(root)
        _plant(name, managed[name], tmp_path)
        hosts[name] = {
            "ansible_connection": "local",
            "claude_code_settings_cli_account": "root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
            "ansible_python_interpreter": sys.executable,
            "claude_code_provider": POLICY["provider"],
            "claude_code_plan": POLICY["plan"],
            "claude_code_profile": POLICY["profile"],
            "claude_code_settings_path": os.path.join(managed[name], "managed-settings.json"),
            "claude_code_settings_shells": list(rc_paths(root)),
            "claude_code_settings_shell_paths": rc_paths(root),
        }
    (tmp_path / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    reports = tmp_path / "reports"
    env = ansible_env()
    flood_mb = FLOOD_FILES * FLOOD_BYTES // (1024 * 1024)
    holder = _holder(managed["locked"])
    try:
        code, output, seconds, peak = _measured(
            [
                playbook_bin,
                "-i",
                str(tmp_path / "hosts.yml"),
                "fleetpolicy.claude_code.drift",
                "--forks",
                "4",
                "-e",
                "claude_code_report_dir=%s" % reports,
                "-e",
                '{"claude_code_report_formats": ["json", "junit", "markdown", "html"]}',
            ],
            str(tmp_path),
            env,
            TIME_BOUND + 300,
        )
    finally:
        holder.kill()
        holder.wait()
    assert code == 2, output[-4000:]
    with open(str(reports / "claude-code-drift.json")) as handle:
        report = json.load(handle)
    statuses = {h["host"]: h["status"] for h in report["hosts"]}
    assert statuses == HOSTS, json.dumps([h for h in report["hosts"] if statuses[h["host"]] != HOSTS[h["host"]]])[:4000]
    by = {h["host"]: h for h in report["hosts"]}
    flood = by["flood"]
    unread = [s for s in flood["sources"] if s["status"] == "unread"]
    assert unread and all("not read" in s["error"] for s in unread)
    assert any(
        s["path"].endswith("managed-settings.d") and "more entries ignored" in s["error"] for s in flood["sources"]
    )
    assert any(d["key"] == "(folder)" and "profile.d" in d["file"] for d in by["unsafe"]["drift"])
    names = [s["path"] for s in by["names"]["sources"]]
    assert any(p.endswith("50-\\xff\\xfe\\x1b[31m.json") for p in names), names
    # no raw control character in the output or any report
    shown = [("output", output)]
    for folder, _dirs, names in os.walk(str(reports)):  # the latest copies and the run's own folder
        for name in sorted(names):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                shown.append((name, handle.read()))
    raw = [(where, char) for where, text in shown for char in RAW if char in text]
    assert not raw, raw
    assert seconds < TIME_BOUND, seconds
    assert peak < MEMORY_BOUND_MB, f"ansible-playbook peaked at {peak} MB for {flood_mb} MB of drop-ins"

    # The rollout: the hosts whose own files are fine converge (nothing to change); the one whose
    # /etc/profile.d a user can write is refused, naming the folder, and nothing of it changes.
    code, output, rollout_seconds, rollout_peak = _measured(
        [playbook_bin, "-i", str(tmp_path / "hosts.yml"), "fleetpolicy.claude_code.rollout", "--forks", "4"],
        str(tmp_path),
        env,
        TIME_BOUND + 300,
    )
    counts = recap(output)
    assert code == 2, output[-4000:]
    for name, status in HOSTS.items():
        assert counts[name]["changed"] == 0, (name, counts[name], output[-3000:])
        if status == "compliant":
            assert counts[name]["failed"] == 0, (name, counts[name], output[-3000:])
    assert counts["unsafe"]["failed"] == 1
    assert "refusing to write through a folder that others than root can change" in output
    assert "Traceback" not in output and "MODULE FAILURE" not in output
    assert not [char for char in RAW if char in output]
    assert rollout_seconds < TIME_BOUND and rollout_peak < MEMORY_BOUND_MB, (rollout_seconds, rollout_peak)
    figure("hostile:hosts", len(HOSTS), add=False)
    figure("hostile:seconds", int(seconds), add=False)
    figure("hostile:peak_mb", max(peak, rollout_peak), add=False)
    figure("hostile:flood_mb", flood_mb, add=False)
    figure("hostile:failed", sum(1 for s in statuses.values() if s in ("failed", "unreachable")), add=False)
    figure("hostile:raw", len(raw), add=False)


def test_a_check_mode_run_does_not_wait_for_a_held_lock(tmp_path):
    """The module alone, in check mode, with the managed directory's lock held by another user:
    it reads without the lock after a short wait (a rollout would wait LOCK_WAIT, then fail)."""
    root = str(tmp_path / "host")
    os.makedirs(root)
    managed = _seed(root)
    holder = _holder(managed)
    try:
        from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

        start = time.monotonic()
        res = run_module(
            {
                "path": os.path.join(managed, "managed-settings.json"),
                "settings": compute(POLICY)["settings"],
                "os_family": "Debian",
            },
            check=True,
        )
        assert time.monotonic() - start < 30
        assert not res.get("failed") and res["drift"] == [], res
    finally:
        holder.kill()
        holder.wait()
