"""The path a new user walks, as the README tells it, asserting what they read.

A fresh clone of this repository (git clone of the committed HEAD: uncommitted changes are not
in it) is built and installed with `ansible-galaxy collection build` and `install` (README, Quick
start); every playbook then runs from that installed collection, from a working directory of the
user's, against the README's inventory of "A policy per group" (its YAML blocks, read from the
README as written) whose four hosts are local hosts with their files under a temporary directory,
as in test_drift.py. The path: the drift run before anything is rolled out (every host "not
deployed"), the rollout in check mode with diff (nothing written), the rollout, a second rollout
(changed=0), the drift run (compliant, and where its report is), one host weakened by an edit of
our own file and one broken by another tool's unparseable drop-in, the drift run that says so, a
--limit run that leaves the fleet's report alone, the repair, and the removal
(claude_code_settings_state: absent). Summary lines, status words, report paths and exit codes
are checked as printed.

make demo itself (podman containers, a debootstrap image, the demo venv) is too slow for this
suite; it was run on its own (docs/performance.md, "Demo").
"""

import json
import os
import pathlib
import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.local_host import SHELLS
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HOSTS = ["ci-runner-aws-01", "dev-laptop-01", "dev-laptop-02", "fin-laptop-01"]
STAMP = r"\d{4}-\d\d-\d\dT\d{6}Z"


def readme_inventory():
    """{path: YAML text} of the README's "A policy per group" blocks, each named by its first line."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    section = text.split("### A policy per group", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.S)
    out = {}
    for block in blocks:
        first = block.splitlines()[0]
        match = re.match(r"# (inventory/\S+\.yml)", first)
        assert match, first
        out[match.group(1)] = block
    return out


def line(output, prefix):
    """The one printed line that starts (after the debug callback's quotes) with prefix."""
    found = re.findall(r'"(%s[^"]*)"' % re.escape(prefix), output)
    assert len(found) == 1, (prefix, found, output[-3000:])
    return found[0]


@pytest.fixture(scope="module")
def newcomer(tmp_path_factory, ansible_env):
    binary, env = ansible_env
    base = tmp_path_factory.mktemp("newcomer")
    bindir = os.path.dirname(binary)

    # 1. Get the collection the README's way: clone, build, install (no network: no dependencies).
    clone = base / "clone"
    subprocess.run(["git", "clone", "--quiet", ROOT, str(clone)], check=True, timeout=120)
    build = subprocess.run(
        [os.path.join(bindir, "ansible-galaxy"), "collection", "build"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (tarball,) = [p for p in os.listdir(clone) if p.endswith(".tar.gz")]
    assert tarball == "fleetpolicy-claude_code-1.0.0.tar.gz"  # the name the README installs
    # Nothing of this checkout on the collections path: only what the user installs.
    collections = base / "collections"
    env = dict(env, ANSIBLE_COLLECTIONS_PATH=str(collections))
    install = subprocess.run(
        [os.path.join(bindir, "ansible-galaxy"), "collection", "install", str(clone / tarball), "-p", str(collections)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    installed = collections / "ansible_collections" / "fleetpolicy" / "claude_code"
    assert (installed / "playbooks" / "drift.yml").is_file(), install.stdout

    # 2. The README's inventory, with each host local and its files under hosts/<name>/.
    work = base / "work"
    for path, text in readme_inventory().items():
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    roots = {h: base / "hosts" / h for h in HOSTS}
    for host, root in roots.items():
        host_vars = {
            "ansible_connection": "local",
            "claude_code_settings_path": str(root / "claude-code" / "managed-settings.json"),
            "claude_code_settings_shell_paths": {s: str(root / p) for s, p in SHELLS.items()},
            "claude_code_settings_cli_paths": [str(root / "bin")],
            # pytest's folders are closed to other accounts: Claude Code runs as root on these hosts
            # (as in test_drift.py).
            "claude_code_settings_cli_account": "root",
        }
        (work / "inventory" / "host_vars").mkdir(parents=True, exist_ok=True)
        (work / "inventory" / "host_vars" / f"{host}.yml").write_text(yaml.safe_dump(host_vars))

    def play(*args):
        return run_playbook([binary, "-i", "inventory", *args], env=env, cwd=work, timeout=300)

    def inventory_host(host):
        out = subprocess.run(
            [os.path.join(bindir, "ansible-inventory"), "-i", "inventory", "--host", host],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return json.loads(out.stdout)

    return {"play": play, "work": work, "roots": roots, "inventory_host": inventory_host, "env": env}


def settings_file(newcomer, host):
    return newcomer["roots"][host] / "claude-code" / "managed-settings.json"


def report(newcomer, output):
    """The JSON report the run printed the path of."""
    path = line(output, "report: ").split()[1]
    assert path.endswith(".html") and os.path.isfile(path), path
    with open(path[: -len(".html")] + ".json") as handle:
        return path, json.load(handle)


def same_as_latest(reports, run_dir):
    """Whether the report files at the top of reports/ are copies of those in run_dir."""
    run_dir, reports = pathlib.Path(run_dir), pathlib.Path(reports)
    names = sorted(os.listdir(run_dir))
    assert names == [f"claude-code-drift.{ext}" for ext in ("html", "json", "junit.xml", "md")], names
    return all((run_dir / n).read_bytes() == (reports / n).read_bytes() for n in names)


def statuses(document):
    return {h["host"]: h["status"] for h in document["hosts"]}


def test_the_new_user_path(newcomer):
    play, work = newcomer["play"], newcomer["work"]
    reports = work / "reports"

    # The policy per group, as `ansible-inventory --host` shows it (README).
    fin = newcomer["inventory_host"]("fin-laptop-01")
    assert (fin["claude_code_provider"], fin["claude_code_plan"], fin["claude_code_profile"]) == (
        "anthropic",
        "enterprise_zdr",
        "private",
    )
    assert newcomer["inventory_host"]("dev-laptop-02")["claude_code_profile"] == "standard"

    # Before any rollout: every host is "not deployed", not "6 drifted keys".
    run = play("fleetpolicy.claude_code.drift")
    assert run.returncode == 2, run.output[-3000:]
    summary = line(run.output, "NOT COMPLIANT")
    assert summary == (
        "NOT COMPLIANT: 4 hosts - 0 compliant, 0 drifted, 0 weakened, 4 not deployed, 0 broken, 0 failed, 0 unreachable"
    )
    first_html, first = report(newcomer, run.output)
    assert statuses(first) == dict.fromkeys(HOSTS, "not deployed")
    never = {h["host"]: h for h in first["hosts"]}["dev-laptop-01"]
    assert never["message"] == (
        "none of its 6 files is on this host: never rolled out, or removed (fleetpolicy.claude_code.rollout writes them)"
    )
    assert never["reasons"] == [never["message"]]
    assert all(run.recap[h]["failed"] == 1 for h in HOSTS), run.recap
    junit = ET.parse(first_html[: -len(".html")] + ".junit.xml").getroot()
    assert (junit.get("tests"), junit.get("failures"), junit.get("errors")) == ("4", "4", "0")

    # Check mode with diff: what would change, nothing written.
    run = play("fleetpolicy.claude_code.rollout", "--check", "--diff")
    assert run.returncode == 0, run.output[-3000:]
    assert all(run.recap[h]["changed"] == 1 for h in HOSTS), run.recap
    assert "claude-code/managed-settings.json (absent)" in run.output
    assert not any(settings_file(newcomer, h).exists() for h in HOSTS)

    # The rollout, then again: nothing changes the second time.
    run = play("fleetpolicy.claude_code.rollout")
    assert run.returncode == 0, run.output[-3000:]
    assert all(run.recap[h]["changed"] == 1 and run.recap[h]["failed"] == 0 for h in HOSTS), run.recap
    assert "set: bedrock, profile airgapped" in run.output and "prompts go to Amazon Bedrock" in run.output
    run = play("fleetpolicy.claude_code.rollout")
    assert all(run.recap[h]["changed"] == 0 for h in HOSTS), run.recap

    # The drift run of a converged fleet: exit 0, and it still says where its report is.
    run = play("fleetpolicy.claude_code.drift")
    assert run.returncode == 0, run.output[-3000:]
    assert line(run.output, "COMPLIANT") == (
        "COMPLIANT: 4 hosts - 4 compliant, 0 drifted, 0 weakened, 0 not deployed, 0 broken, 0 failed, 0 unreachable"
    )
    html, document = report(newcomer, run.output)
    run_dir = os.path.dirname(html)
    assert re.fullmatch(STAMP, os.path.basename(run_dir)) and os.path.dirname(run_dir) == str(reports)
    assert line(run.output, "latest: ") == (
        f"latest: {reports}/claude-code-drift.html (a copy of this run's; the other formats beside it)"
    )
    assert same_as_latest(reports, run_dir)
    assert statuses(document) == dict.fromkeys(HOSTS, "compliant")
    compliant_run = run_dir

    # Telemetry turned back on in our own file on one host; another tool's broken drop-in on another.
    ours = settings_file(newcomer, "fin-laptop-01")
    doc = json.loads(ours.read_text())
    doc["env"]["DISABLE_TELEMETRY"] = ""
    ours.write_text(json.dumps(doc))
    bad = settings_file(newcomer, "ci-runner-aws-01").parent / "managed-settings.d" / "10-vendor.json"
    bad.parent.mkdir()
    bad.write_text('{"env": {"DISABLE_TELEMETRY": "1"},\n')

    run = play("fleetpolicy.claude_code.drift")
    assert run.returncode == 2, run.output[-3000:]
    assert line(run.output, "NOT COMPLIANT") == (
        "NOT COMPLIANT: 4 hosts - 2 compliant, 0 drifted, 1 weakened, 0 not deployed, 1 broken, 0 failed, 0 unreachable"
    )
    html, document = report(newcomer, run.output)
    assert statuses(document) == {
        "ci-runner-aws-01": "broken",
        "dev-laptop-01": "compliant",
        "dev-laptop-02": "compliant",
        "fin-laptop-01": "weakened",
    }
    by = {h["host"]: h for h in document["hosts"]}
    # DISABLE_TELEMETRY "" turns telemetry and feature flags back on (two kinds of traffic); the first is named
    weakened = f'2 controls weaker than the policy: telemetry is on, not off: env.DISABLE_TELEMETRY ("") in {ours}'
    assert by["fin-laptop-01"]["message"] == weakened
    assert by["ci-runner-aws-01"]["message"].startswith(
        f"Claude Code will refuse to start on this host: {bad} is unparseable"
    )
    # PLAY RECAP fails exactly those two, each with its status word and the report
    assert sorted(h for h in HOSTS if run.recap[h]["failed"]) == ["ci-runner-aws-01", "fin-laptop-01"]
    assert f"weakened: {weakened} (report: {html})" in run.output
    # the report says each reason once: the weakened host's message, then only the drift under it
    with open(html[: -len(".html")] + ".md") as handle:
        markdown = handle.read()
    item = next(x for x in markdown.splitlines() if x[:1].isdigit() and "**fin-laptop-01**" in x)
    assert "`weakened`" in item and "telemetry is on, not off" in item
    assert markdown.count("telemetry is on, not off") == 1
    # a new directory; the compliant run's is still there
    assert os.path.isdir(compliant_run) and os.path.dirname(html) != compliant_run
    assert same_as_latest(reports, os.path.dirname(html))
    fleet_run = os.path.dirname(html)

    # A --limit run writes its own report, says it is partial and leaves the latest copies alone.
    run = play("fleetpolicy.claude_code.drift", "--limit", "dev-laptop-01")
    assert run.returncode == 0, run.output[-3000:]
    assert line(run.output, "COMPLIANT").endswith("(partial: 1 of 4 inventory hosts (--limit dev-laptop-01))")
    html, document = report(newcomer, run.output)
    assert os.path.basename(os.path.dirname(html)).endswith("-partial")
    assert line(run.output, "a partial run: ") == (
        f"a partial run: the latest report in {reports} is still the last run of the whole inventory"
    )
    assert same_as_latest(reports, fleet_run)
    assert document["scope"]["partial"] is True and statuses(document) == {"dev-laptop-01": "compliant"}

    # The repair: the other tool's file goes, the rollout puts ours back.
    bad.unlink()
    run = play("fleetpolicy.claude_code.rollout")
    assert run.returncode == 0 and run.recap["fin-laptop-01"]["changed"] == 1, run.output[-3000:]
    assert run.recap["dev-laptop-01"]["changed"] == 0
    run = play("fleetpolicy.claude_code.drift")
    assert run.returncode == 0, run.output[-3000:]

    # Removal: everything the role wrote goes; a drift run then finds nothing of ours again.
    run = play("fleetpolicy.claude_code.rollout", "-e", "claude_code_settings_state=absent")
    assert run.returncode == 0, run.output[-3000:]
    assert all(run.recap[h]["changed"] == 1 for h in HOSTS), run.recap
    for host, root in newcomer["roots"].items():
        left = [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]
        assert left == [], (host, left)
    run = play("fleetpolicy.claude_code.drift", "-e", "claude_code_settings_state=absent")
    assert run.returncode == 0, run.output[-3000:]
    assert line(run.output, "COMPLIANT").startswith("COMPLIANT: 4 hosts - 4 compliant")
    run = play("fleetpolicy.claude_code.drift")
    assert run.returncode == 2 and line(run.output, "NOT COMPLIANT").endswith(
        "4 not deployed, 0 broken, 0 failed, 0 unreachable"
    )
    # one directory per drift run (seven, one of them partial) and the latest copies
    runs = sorted(d for d in os.listdir(reports) if os.path.isdir(reports / d))
    assert len(runs) == 7 and sum(r.endswith("-partial") for r in runs) == 1, runs
    assert same_as_latest(reports, reports / runs[-1])
