"""Pull mode under a real systemd: the role fleetpolicy.claude_code.pull applied once on a container
(systemd as PID 1, --network=none; image from scripts/build-images.sh --systemd, built here when
missing; the play runs on the host itself, with its own ansible-core), then the host keeps itself
right from a file:// policy repository:

  - the units pass `systemd-analyze verify --root=<the container's root>` with no output;
  - the timer fires on its own and the first run leaves the host compliant, with its record (the
    drift JSON for this host) and its .prom for node_exporter's textfile collector;
  - a commit pushed to the repository is applied on the next start;
  - a broken drop-in from someone else makes the unit fail, and the OnFailure= unit runs;
  - claude_code_pull_state: absent removes the units, the checkout and the record.

The collection under test is this checkout, mounted read-only where ansible-core looks for
collections in the container. The tests run in file order: each one starts from the state the
one before left.
"""

import json
import os
import shutil
import subprocess
import time
import uuid

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "scripts", "build-images.sh")
IMAGE = "localhost/fleetpolicy-claude-systemd:bookworm"
UNIT = "claude-code-pull"
RECORD = "/var/lib/claude-code-pull/claude-code-pull.json"
TEXTFILE = "/var/lib/prometheus/node-exporter"
# A checkout path with a % in it: the role must escape it for systemd (a specifier otherwise).
CHECKOUT = "/var/lib/claude-code-pull/checkout-100%"
POLICY = {"claude_code_provider": "anthropic", "claude_code_plan": "enterprise", "claude_code_profile": "standard"}
WAIT = 120  # seconds, at most, for the timer's first run (ansible-pull takes about 10 s)


def _run(argv, timeout=120, check=True, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False, **kwargs)
    if check:
        assert proc.returncode == 0, f"{argv}: rc {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def _git(repo, *args):
    return _run(["git", "-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com", *args])


def _push(work, profile, message, group_vars=False):
    """A commit of the policy repository: the host's variables in the inventory file, or (group_vars)
    in group_vars/ beside it; both reach the collection's plays, being the inventory's."""
    variables = dict(POLICY, claude_code_profile=profile, claude_code_settings_shells=["sh", "bash"])
    group = {"hosts": {"web-01": None}}
    if group_vars:
        os.makedirs(os.path.join(work, "group_vars"), exist_ok=True)
        with open(os.path.join(work, "group_vars", "claude_code_hosts.yml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump(variables, handle)
    else:
        group["vars"] = variables
    with open(os.path.join(work, "inventory.yml"), "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"children": {"claude_code_hosts": group}}}, handle)
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", message)
    _git(work, "push", "-q", "origin", "main")
    return _git(work, "rev-parse", "HEAD").stdout.strip()


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    for tool in ("podman", "git", "systemd-analyze"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not found (scripts/bootstrap.sh installs it)")
    if os.geteuid() != 0:
        pytest.skip("needs root: rootful podman runs the systemd container")
    build = _run([BUILD, "--systemd"], timeout=1800, check=False)
    if build.returncode != 0:
        pytest.skip("the systemd test image could not be built: " + build.stderr.strip()[-500:])

    base = tmp_path_factory.mktemp("pull")
    repo, work = str(base / "policy.git"), str(base / "work")
    _run(["git", "init", "-q", "--bare", "-b", "main", repo])
    _run(["git", "init", "-q", "-b", "main", work])
    _git(work, "remote", "add", "origin", repo)
    with open(os.path.join(work, "site.yml"), "w", encoding="utf-8") as handle:
        handle.write(
            "- name: Keep this host's Claude Code settings right\n"
            "  ansible.builtin.import_playbook: fleetpolicy.claude_code.pull_check\n"
        )
    first = _push(work, "standard", "standard profile")

    # The play that sets pull mode up, run on the host itself (a first-boot script would do the
    # same): the container's own ansible-core, local connection. A push over a connection plugin
    # runs the same tasks, at a podman exec or more per task.
    setup = base / "setup"
    setup.mkdir()
    variables = {
        "ansible_connection": "local",
        "ansible_python_interpreter": "/usr/bin/python3",
        "claude_code_pull_repo_url": "file:///srv/policy.git",
        "claude_code_pull_ansible_pull": "/opt/ansible/bin/ansible-pull",
        "claude_code_pull_checkout_dir": CHECKOUT,
        "claude_code_pull_first_run": "1s",
        "claude_code_pull_randomized_delay": "0",
        "claude_code_pull_accuracy": "1s",
        "claude_code_pull_on_failure": "claude-code-alert.service",
    }
    (setup / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"web-01": variables}}}))
    play = {"name": "Pull mode", "hosts": "all", "gather_facts": False, "roles": ["fleetpolicy.claude_code.pull"]}
    (setup / "setup.yml").write_text(yaml.safe_dump([play]))

    name = "claude-pull-%s" % uuid.uuid4().hex[:8]
    collection = "/usr/share/ansible/collections/ansible_collections/fleetpolicy/claude_code"
    _run(
        [
            "podman",
            "run",
            "-d",
            "--name",
            name,
            "--hostname",
            "web-01",
            "--network=none",
            "--systemd=always",
            "-v",
            f"{ROOT}:{collection}:ro",
            "-v",
            f"{repo}:/srv/policy.git",
            "-v",
            f"{setup}:/srv/setup:ro",
            IMAGE,
        ]
    )
    try:
        # systemd is PID 1 at once, its bus a moment later
        deadline = time.monotonic() + 60
        while (state := _exec(name, "systemctl is-system-running --wait", check=False).stdout.strip()) not in (
            "running",
            "degraded",
        ):
            assert time.monotonic() < deadline, f"systemd in the container: {state!r}"
            time.sleep(0.25)
        # node_exporter's textfile directory exists on this host; and a unit to start on failure
        alert = "[Service]\nType=oneshot\nExecStart=/usr/bin/touch /run/claude-code-alerted\n"
        _exec(name, f"mkdir -p {TEXTFILE} && printf '{alert}' > /etc/systemd/system/claude-code-alert.service")

        def role(*extra):
            argv = ["podman", "exec", "-e", "ANSIBLE_NOCOLOR=1", name, "/opt/ansible/bin/ansible-playbook"]
            run = run_playbook(argv + ["-i", "/srv/setup/hosts.yml", "/srv/setup/setup.yml", *extra], timeout=300)
            assert run.returncode == 0, run.output
            return run

        started = time.monotonic()
        role()
        yield {"name": name, "work": work, "first": first, "role": role, "started": started}
    finally:
        _run(["podman", "rm", "-f", "-t", "0", name], check=False)


def _exec(name, script, check=True):
    return _run(["podman", "exec", name, "bash", "-c", script], check=check)


def _record(name):
    return json.loads(_exec(name, f"cat {RECORD}").stdout)["hosts"][0]


def _show(name, *props):
    out = _exec(name, "systemctl show %s.service %s" % (UNIT, " ".join("-p " + p for p in props))).stdout
    return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)


def test_the_units_pass_systemd_analyze_verify_with_no_output(host):
    root = _run(["podman", "mount", host["name"]]).stdout.strip()
    try:
        units = [f"/etc/systemd/system/{UNIT}.service", f"/etc/systemd/system/{UNIT}.timer"]
        verify = _run(["systemd-analyze", "verify", f"--root={root}", *units], check=False)
        assert (verify.returncode, verify.stdout + verify.stderr) == (0, "")
        service = open(root + units[0], encoding="utf-8").read()
        assert '"--directory" "/var/lib/claude-code-pull/checkout-100%%"' in service
        assert "OnFailure=claude-code-alert.service" in service
        # the check sees a unit systemd would warn about
        bad = service.replace("[Service]\n", "[Service]\nBogusKey=1\n")
        with open(root + "/etc/systemd/system/claude-code-bad.service", "w", encoding="utf-8") as handle:
            handle.write(bad)
        flagged = _run(["systemd-analyze", "verify", f"--root={root}", "/etc/systemd/system/claude-code-bad.service"])
        assert "Unknown key 'BogusKey'" in flagged.stdout + flagged.stderr
        os.unlink(root + "/etc/systemd/system/claude-code-bad.service")
    finally:
        _run(["podman", "unmount", host["name"]], check=False)


def test_the_timer_fires_and_the_host_is_compliant(host):
    name = host["name"]

    def ran():
        props = _show(name, "Result", "ExecMainExitTimestampMonotonic", "ActiveState")
        return (
            props
            if props["ExecMainExitTimestampMonotonic"] not in ("", "0") and props["ActiveState"] != "activating"
            else None
        )

    deadline = time.monotonic() + WAIT
    while not (props := ran()):
        assert time.monotonic() < deadline, _exec(name, f"journalctl -u {UNIT} --no-pager | tail -40").stdout
        time.sleep(1)
    assert props["Result"] == "success", _exec(name, f"journalctl -u {UNIT} --no-pager | tail -40").stdout
    print("first run done %.1f s after the role started" % (time.monotonic() - host["started"]))
    entry = _record(name)
    assert (entry["status"], entry["profile"]) == ("compliant", "standard")
    settings = json.loads(_exec(name, "cat /etc/claude-code/managed-settings.json").stdout)
    policy = {k[len("claude_code_") :]: v for k, v in POLICY.items()}
    assert settings == compute(policy)["settings"]
    assert _exec(name, f"git -C '{CHECKOUT}' rev-parse HEAD").stdout.strip() == host["first"]
    prom = _exec(name, f"cat {TEXTFILE}/claude-code-pull.prom").stdout
    assert 'claude_code_host_status{host="web-01",status="compliant"} 1' in prom.splitlines()
    promtool = shutil.which("promtool")
    if promtool:
        assert _run([promtool, "check", "metrics"], input=prom, check=False).returncode == 0


def test_a_pushed_commit_is_applied_on_the_next_start(host):
    name = host["name"]
    head = _push(host["work"], "private", "private profile, in group_vars/", group_vars=True)
    _exec(name, f"systemctl start {UNIT}.service")
    assert _exec(name, f"git -C '{CHECKOUT}' rev-parse HEAD").stdout.strip() == head
    entry = _record(name)
    assert (entry["status"], entry["profile"]) == ("compliant", "private")
    settings = json.loads(_exec(name, "cat /etc/claude-code/managed-settings.json").stdout)
    assert settings["env"]["DISABLE_TELEMETRY"] == "1" and "allowedProviders" in settings
    # two runs so far, one record: each run replaces the record and the .prom (drift_report
    # history: false), and node_exporter reads only the files directly in its directory
    record_dir = _exec(name, "ls -A /var/lib/claude-code-pull").stdout.split()
    assert sorted(record_dir) == sorted([os.path.basename(CHECKOUT), os.path.basename(RECORD)])
    assert _exec(name, f"find {TEXTFILE} -mindepth 1 -type d").stdout.split() == []


def test_a_broken_dropin_makes_the_unit_fail_and_onfailure_runs(host):
    name = host["name"]
    _exec(
        name,
        "mkdir -p /etc/claude-code/managed-settings.d && echo '{ not json' > /etc/claude-code/managed-settings.d/50-other.json",
    )
    start = _exec(name, f"systemctl start {UNIT}.service", check=False)
    assert start.returncode != 0
    assert _exec(name, f"systemctl is-failed {UNIT}.service", check=False).stdout.strip() == "failed"
    assert _show(name, "Result")["Result"] == "exit-code"
    entry = _record(name)
    assert entry["status"] == "broken" and "50-other.json" in entry["message"]
    assert 'status="broken"} 1' in _exec(name, f"cat {TEXTFILE}/claude-code-pull.prom").stdout
    deadline = time.monotonic() + 30
    while _exec(name, "test -e /run/claude-code-alerted", check=False).returncode != 0:
        assert time.monotonic() < deadline, "the OnFailure= unit did not run"
        time.sleep(0.5)


def test_absent_removes_the_units_the_checkout_and_the_record(host):
    name = host["name"]
    host["role"]("-e", "claude_code_pull_state=absent")
    gone = [
        f"/etc/systemd/system/{UNIT}.service",
        f"/etc/systemd/system/{UNIT}.timer",
        CHECKOUT,
        RECORD,
        f"{TEXTFILE}/claude-code-pull.prom",
        "/var/lib/claude-code-pull",
    ]
    left = [path for path in gone if _exec(name, f"test -e '{path}'", check=False).returncode == 0]
    assert left == []
    units = _exec(name, f"systemctl list-units --all --no-legend '{UNIT}*'").stdout
    assert units.strip() == ""
    # the role's own files only: the managed settings stay, and so does the other unit
    kept = ["/etc/claude-code/managed-settings.json", "/etc/systemd/system/claude-code-alert.service", TEXTFILE]
    assert [path for path in kept if _exec(name, f"test -e '{path}'", check=False).returncode != 0] == []
