"""The drift report as Prometheus metrics, with the real tools (Debian's prometheus,
prometheus-node-exporter and promtool; scripts/bootstrap.sh installs them):

  - the alert rules pass `promtool check rules` and their unit tests `promtool test rules`, and
    those tests fail when a rule is wrong;
  - playbooks/drift.yml with -e '{"claude_code_report_formats": ["json", "prometheus"]}' on local
    hosts (one compliant, one weakened by a foreign drop-in) writes a file `promtool check
    metrics` accepts, in which the weakened host is marked weakened;
  - a live scrape on loopback: node_exporter's textfile collector reads that file, Prometheus
    scrapes it every second with the alert rules loaded, and a PromQL query finds the weakened
    host and its firing alert. Both processes are started and stopped here, with bounded waits.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
RULES_DIR = os.path.join(ROOT, "extensions", "prometheus")
RULES = os.path.join(RULES_DIR, "claude-code.rules.yml")
RULES_TEST = os.path.join(RULES_DIR, "claude-code.rules.test.yml")
POLICY = {"claude_code_provider": "anthropic", "claude_code_plan": "enterprise", "claude_code_profile": "private"}
WAIT = 60  # seconds, at most, for a daemon to answer or a query to find its series


def _tool(name):
    path = shutil.which(name)
    if not path:
        pytest.skip(f"{name} not installed (scripts/bootstrap.sh installs prometheus and prometheus-node-exporter)")
    return path


def _promtool(*args, stdin=None):
    return subprocess.run(
        [_tool("promtool"), *args], input=stdin, capture_output=True, text=True, timeout=60, check=False
    )


def test_the_alert_rules_pass_promtool_and_their_unit_tests(tmp_path):
    check = _promtool("check", "rules", RULES)
    assert check.returncode == 0 and "SUCCESS: 4 rules found" in check.stdout, check.stdout + check.stderr
    tested = _promtool("test", "rules", RULES_TEST)
    assert tested.returncode == 0 and "SUCCESS" in tested.stdout, tested.stdout + tested.stderr
    # The unit tests can fail: the same tests against rules that confuse two statuses do.
    shutil.copy(RULES_TEST, tmp_path)
    with open(RULES, encoding="utf-8") as handle:
        wrong = handle.read().replace('{status="weakened"}', '{status="drifted"}', 1)
    (tmp_path / "claude-code.rules.yml").write_text(wrong)
    mutant = _promtool("test", "rules", str(tmp_path / "claude-code.rules.test.yml"))
    assert mutant.returncode != 0 and "ClaudeCodeHostWeakened" in mutant.stdout + mutant.stderr


def _host(base, name):
    root = os.path.join(base, name)
    return dict(
        POLICY,
        ansible_connection="local",
        claude_code_settings_cli_account="root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
        claude_code_settings_path=os.path.join(root, "claude-code", "managed-settings.json"),
        claude_code_settings_shells=["sh"],
        claude_code_settings_shell_paths={"sh": os.path.join(root, "profile.d", "claude-code.sh")},
    )


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, ansible_env):
    """Two local hosts rolled out, one then weakened by a drop-in that clears DISABLE_TELEMETRY;
    the drift playbook's report in JSON and Prometheus formats."""
    base = str(tmp_path_factory.mktemp("prom-fleet"))
    hosts = {name: _host(base, name) for name in ("compliant-01", "weakened-01")}
    inventory = os.path.join(base, "hosts.yml")
    with open(inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"hosts": hosts}}, handle)
    binary, env = ansible_env
    rollout = run_playbook([binary, "-i", inventory, "fleetpolicy.claude_code.rollout"], env=env, cwd=base)
    assert rollout.returncode == 0, rollout.output
    dropins = os.path.join(os.path.dirname(hosts["weakened-01"]["claude_code_settings_path"]), "managed-settings.d")
    os.makedirs(dropins)
    with open(os.path.join(dropins, "50-vendor.json"), "w", encoding="utf-8") as handle:
        handle.write('{"env": {"DISABLE_TELEMETRY": ""}}\n')
    reports = os.path.join(base, "textfile")
    drift = run_playbook(
        [
            binary,
            "-i",
            inventory,
            "fleetpolicy.claude_code.drift",
            "-e",
            f"claude_code_report_dir={reports}",
            "-e",
            json.dumps({"claude_code_report_formats": ["json", "prometheus"]}),
        ],
        env=env,
        cwd=base,
    )
    assert drift.returncode == 2, drift.output  # a weakened host fails the run
    with open(os.path.join(reports, "claude-code-drift.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    return {"reports": reports, "prom": os.path.join(reports, "claude-code-drift.prom"), "report": report}


def test_the_playbook_writes_metrics_promtool_accepts(fleet):
    statuses = {h["host"]: h["status"] for h in fleet["report"]["hosts"]}
    assert statuses == {"compliant-01": "compliant", "weakened-01": "weakened"}
    # no temporary file left: the latest copies, and the run's own directory (which the collector skips)
    top = sorted(os.listdir(fleet["reports"]))
    assert [n for n in top if not os.path.isdir(os.path.join(fleet["reports"], n))] == [
        "claude-code-drift.json",
        "claude-code-drift.prom",
    ], top
    with open(fleet["prom"], encoding="utf-8") as handle:
        text = handle.read()
    check = _promtool("check", "metrics", stdin=text)
    # rc 0 and no output: no parse error and no lint finding (promtool exits 3 for those)
    assert (check.returncode, check.stdout + check.stderr) == (0, ""), check.stdout + check.stderr
    lines = text.splitlines()
    assert 'claude_code_host_status{host="weakened-01",status="weakened"} 1' in lines
    assert 'claude_code_host_status{host="compliant-01",status="weakened"} 0' in lines
    assert 'claude_code_fleet_hosts{status="weakened"} 1' in lines
    assert any(
        line.startswith('claude_code_host_weakened_control{host="weakened-01",control="telemetry",')
        and line.endswith(" 1")
        for line in lines
    ), text
    # promtool finds a broken file: the check above can fail
    assert _promtool("check", "metrics", stdin=text.replace("} 1\n", "} one\n", 1)).returncode == 1


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url):
    with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
        return response.status, response.read().decode("utf-8")


def _wait(what, probe):
    """probe() until it returns something truthy, for at most WAIT seconds."""
    deadline = time.monotonic() + WAIT
    last = None
    while time.monotonic() < deadline:
        try:
            last = probe()
            if last:
                return last
        except OSError as exc:  # not listening yet
            last = exc
        time.sleep(0.25)
    raise AssertionError(f"{what}: nothing after {WAIT}s (last: {last!r})")


def _query(port, expr):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    _status, body = _get(url)
    return json.loads(body)["data"]["result"]


@pytest.fixture
def daemons(fleet, tmp_path):
    """node_exporter (textfile collector only) and Prometheus (1 s scrapes, the alert rules), both on
    127.0.0.1; stopped afterwards, killed if they do not stop."""
    exporter_port, prometheus_port = _free_port(), _free_port()
    config = tmp_path / "prometheus.yml"
    config.write_text(
        yaml.safe_dump(
            {
                "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
                "rule_files": [RULES],
                "scrape_configs": [
                    {"job_name": "node", "static_configs": [{"targets": [f"127.0.0.1:{exporter_port}"]}]}
                ],
            }
        )
    )
    commands = [
        [
            _tool("prometheus-node-exporter"),
            f"--web.listen-address=127.0.0.1:{exporter_port}",
            "--collector.disable-defaults",
            "--collector.textfile",
            f"--collector.textfile.directory={fleet['reports']}",
        ],
        [
            _tool("prometheus"),
            f"--config.file={config}",
            f"--web.listen-address=127.0.0.1:{prometheus_port}",
            f"--storage.tsdb.path={tmp_path / 'tsdb'}",
        ],
    ]
    procs = []
    try:
        for argv, name in zip(commands, ("exporter", "prometheus")):
            log = open(tmp_path / f"{name}.log", "w")
            procs.append((subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path), log))
        yield {"exporter": exporter_port, "prometheus": prometheus_port, "logs": tmp_path}
    finally:
        for proc, log in procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
            log.close()


def test_a_live_scrape_finds_the_weakened_host(daemons):
    exporter = f"http://127.0.0.1:{daemons['exporter']}/metrics"
    metrics = _wait("node_exporter /metrics", lambda: _get(exporter)[1])
    assert 'claude_code_host_status{host="weakened-01",status="weakened"} 1' in metrics
    assert "node_textfile_scrape_error 0" in metrics
    port = daemons["prometheus"]
    _wait("prometheus /-/ready", lambda: _get(f"http://127.0.0.1:{port}/-/ready")[0] == 200)
    found = _wait(
        "the weakened host in PromQL", lambda: _query(port, 'claude_code_host_status{status="weakened"} == 1')
    )
    assert [r["metric"]["host"] for r in found] == ["weakened-01"]
    alerts = _wait(
        "the firing alert",
        lambda: _query(port, 'ALERTS{alertname="ClaudeCodeHostWeakened",alertstate="firing"}'),
    )
    assert [a["metric"]["host"] for a in alerts] == ["weakened-01"]
    controls = _query(port, 'claude_code_host_weakened_control{host="weakened-01"}')
    # an empty DISABLE_TELEMETRY turns telemetry and feature flags back on
    assert {r["metric"]["control"] for r in controls} == {"telemetry", "feature_flags"}
