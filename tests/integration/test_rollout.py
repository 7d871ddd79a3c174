"""playbooks/rollout.yml on a small fleet of local hosts, as a platform engineer reads it: each host's
block of what was set, the host Claude Code will not start on failing its rollout (after its files
are written) with the host, the file and what to do, the option that makes that a warning naming
the host, an unreachable host in one short line, the summary of the fleet, check mode's wording,
and a host pattern that matches nothing.

Every host is a local connection with its own files under a temporary directory (as
tests/integration/test_drift.py makes them), except one that is unreachable by design (SSH to
127.0.0.1 port 1: loopback only, refused at once).
"""

from __future__ import annotations

import json
import os

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.local_host import host_vars
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PRIVATE = {"claude_code_provider": "anthropic", "claude_code_plan": "team", "claude_code_profile": "private"}
# A drop-in another tool left half-written: Claude Code 2.1.259 and later refuse to start with it.
BROKEN_DROPIN = '{"env": {"DISABLE_TELEMETRY": "1",\n'


def vendor_dropin(hosts, name):
    """Another tool's broken drop-in beside the host's managed file; its path."""
    path = os.path.join(
        os.path.dirname(hosts[name]["claude_code_settings_path"]), "managed-settings.d", "50-vendor.json"
    )
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as handle:
        handle.write(BROKEN_DROPIN)
    return path


def summary_of(output):
    """The msg of the summary task: {"(all hosts)": [...], host: [lines] or "FAILED: ..."}."""
    start = output.index("\n", output.index("TASK [Show what")) + 1
    start = output.index(" => {\n", start) + len(" => ")
    end = output.index("\n}\n", start)
    return json.loads(output[start : end + 2])["msg"]


def block_of(output, host):
    return summary_of(output)[host]


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, ansible_env):
    binary, env = ansible_env
    base = str(tmp_path_factory.mktemp("rollout"))
    hosts = {
        "good-01": host_vars(base, "good-01", **PRIVATE),
        "broken-01": host_vars(base, "broken-01", **PRIVATE),
        "warned-01": host_vars(base, "warned-01", claude_code_settings_fail_on_effective=False, **PRIVATE),
        "unreachable-01": dict(
            host_vars(base, "unreachable-01", **PRIVATE),
            ansible_connection="ssh",
            ansible_host="127.0.0.1",
            ansible_port=1,
            ansible_user="nobody",
            ansible_ssh_timeout=3,
        ),
    }
    dropins = {name: vendor_dropin(hosts, name) for name in ("broken-01", "warned-01")}
    inventory = os.path.join(base, "hosts.yml")
    with open(inventory, "w") as handle:
        yaml.safe_dump({"all": {"hosts": hosts}}, handle)

    def play(*extra):
        return run_playbook(
            [binary, "-i", inventory, "fleetpolicy.claude_code.rollout", *extra], env=env, cwd=ROOT, timeout=300
        )

    check = play("--check")
    written_by_check = [h for h in hosts if os.path.exists(hosts[h]["claude_code_settings_path"])]
    run = play()
    return {
        "hosts": hosts,
        "inventory": inventory,
        "dropins": dropins,
        "check": check,
        "written_by_check": written_by_check,
        "run": run,
    }


def test_a_host_claude_code_will_not_start_on_fails_with_host_file_and_what_to_do(fleet):
    run, hosts = fleet["run"], fleet["hosts"]
    assert run.returncode == 4, run.output  # a host failed (2) and one was unreachable (4)
    assert run.recap["broken-01"]["failed"] == 1, run.recap
    (failure,) = run.fatal["broken-01"]
    dropin = fleet["dropins"]["broken-01"]
    assert failure["msg"].startswith(
        "fleetpolicy.claude_code.apply: host broken-01: this run wrote its files, but Claude Code will refuse "
        f"to start on this host: {dropin} is unparseable"
    ), failure["msg"]
    assert "repair or remove it; this collection does not write it" in failure["msg"]
    assert failure["msg"].endswith("set claude_code_settings_fail_on_effective: false")
    assert failure["changed"] is True and "posture" not in failure
    # its own files were written first
    with open(hosts["broken-01"]["claude_code_settings_path"]) as handle:
        assert json.load(handle)["env"]["DISABLE_TELEMETRY"] == "1"
    # the lines ansible-core quotes under the error say where to look
    assert "ansible-doc -t role fleetpolicy.claude_code.settings" in run.output


def test_the_option_makes_it_a_warning_naming_the_host(fleet):
    run = fleet["run"]
    assert run.recap["warned-01"] == dict(run.recap["good-01"]), run.recap
    dropin = fleet["dropins"]["warned-01"]
    assert (
        f"[WARNING]: host warned-01: Claude Code will refuse to start on this host: {dropin} is unparseable"
        in run.output
    )
    assert "(claude_code_settings_fail_on_effective is false: the rollout goes on)" in run.output
    assert any(line.startswith("NOT IN EFFECT: Claude Code will refuse") for line in block_of(run.output, "warned-01"))


def test_an_unreachable_host_is_one_short_line_with_its_reason(fleet):
    run = fleet["run"]
    assert run.recap["unreachable-01"]["unreachable"] == 1
    (line,) = [line for line in run.output.splitlines() if line.startswith("fatal: [unreachable-01]: UNREACHABLE!")]
    assert len(line) < 1000, line
    (result,) = run.fatal["unreachable-01"]
    assert "port 1" in result["msg"] and "posture" not in result


def test_each_host_gets_a_block_of_what_was_set(fleet):
    run = fleet["run"]
    lines = block_of(run.output, "good-01")
    assert lines[0] == "set: anthropic team, profile private"
    text = "\n".join(lines)
    assert "DISABLE_TELEMETRY=1" in text and "cleanupPeriodDays=14" in text
    assert "local transcripts: 14 days (cleanupPeriodDays)" in text
    assert "contacts third parties: " in text and "nonessential_traffic" not in text
    assert max(len(line) for line in lines) <= 110
    # every host's counts are its own tasks: the summary runs on the controller
    assert run.recap["good-01"] == {
        "ok": 1,
        "changed": 1,
        "unreachable": 0,
        "failed": 0,
        "skipped": 0,
        "rescued": 0,
        "ignored": 0,
    }
    assert run.recap["localhost"]["ok"] == 1


def test_the_summary_lists_the_fleet_and_each_host_that_did_not_make_it(fleet):
    run = fleet["run"]
    assert "TASK [Show what was set on each host]" in run.output
    summary = summary_of(run.output)
    assert list(summary) == ["(all hosts)", "broken-01", "good-01", "unreachable-01", "warned-01"]
    assert summary["(all hosts)"] == [
        "4 hosts: 2 set, 1 failed, 1 unreachable",
        "failed: broken-01",
        "unreachable: unreachable-01",
    ]
    assert summary["broken-01"] == "FAILED: " + run.fatal["broken-01"][0]["msg"]
    assert summary["unreachable-01"] == "UNREACHABLE: " + run.fatal["unreachable-01"][0]["msg"]


def test_check_mode_says_would_and_writes_nothing(fleet):
    check = fleet["check"]
    assert fleet["written_by_check"] == []
    assert "TASK [Show what would be set on each host (check mode: nothing is written)]" in check.output
    summary = summary_of(check.output)
    assert summary["good-01"][0] == "would set (check mode, nothing was written): anthropic team, profile private"
    assert summary["(all hosts)"] == [
        "4 hosts: 2 would be set, 1 would fail, 0 failed, 1 unreachable",
        "would fail: broken-01",
        "unreachable: unreachable-01",
    ]
    assert any(line.startswith("WOULD FAIL: Claude Code will refuse to start") for line in summary["broken-01"])
    assert (
        "[WARNING]: check mode, nothing was written; the rollout will fail this host: fleetpolicy.claude_code.apply: "
        "host broken-01: a rollout would write its files, but Claude Code will refuse to start" in check.output
    )
    assert check.returncode == 4, check.output  # the unreachable host


def test_with_a_limit_the_summary_runs_on_a_host_that_was_set(fleet, ansible_env):
    binary, env = ansible_env
    run = run_playbook(
        [binary, "-i", fleet["inventory"], "fleetpolicy.claude_code.rollout", "--limit", "good-01,broken-01"],
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 2, run.output
    summary = summary_of(run.output)
    assert summary["(all hosts)"] == ["2 hosts: 1 set, 1 failed, 0 unreachable", "failed: broken-01"]
    assert summary["good-01"][0] == "already set, nothing changed: anthropic team, profile private"
    assert run.recap["good-01"]["ok"] == 2 and "localhost" not in run.recap


def test_a_pattern_that_matches_no_host_fails_clearly(tmp_path, ansible_env):
    binary, env = ansible_env
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"web-01": host_vars(str(tmp_path), "web-01", **PRIVATE)}}}))
    run = run_playbook(
        [binary, "-i", inventory, "fleetpolicy.claude_code.rollout", "-e", "claude_code_hosts=webservers"],
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert run.returncode == 2, run.output
    assert (
        "No host in the inventory matches 'webservers': nothing was set. Check the -i inventory path and "
        "claude_code_hosts." in run.output
    )
    assert run.recap == {"localhost": dict(run.recap["localhost"], failed=1)}
