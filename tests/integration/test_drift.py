"""playbooks/drift.yml on a mixed fleet of local hosts: exact statuses, JSON schema, JUnit counts,
the Markdown summary line, the exit code, masking, and that the drift run changes nothing.

Every host is a local connection with its own files under a temporary directory, except one that
is unreachable by design (SSH to 127.0.0.1 port 1: loopback only, refused at once).
"""

import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET

import pytest
import yaml
from schema_check import validate

from ansible_collections.fleetpolicy.claude_code.tests._support.local_host import host_vars
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import recap, run_playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SECRET = "sk-ant-api03-DRIFTTESTSECRET0123456789"


def snapshot(base):
    """Every file and directory under base: content hash, mode, mtime."""
    state = {}
    for dirpath, dirnames, filenames in os.walk(base):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            digest = None
            if os.path.isfile(path) and not os.path.islink(path):
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            state[os.path.relpath(path, base)] = (digest, st.st_mode, st.st_mtime_ns, st.st_uid)
    return state


def play(ansible_env, inventory, playbook, *extra, cwd=ROOT, env_extra=None):
    binary, env = ansible_env
    env = dict(env, **(env_extra or {}))
    run = run_playbook([binary, "-i", inventory, playbook, *extra], env=env, cwd=cwd, timeout=300)
    return run.returncode, run.output


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, ansible_env):
    base = str(tmp_path_factory.mktemp("fleet"))
    hosts_dir = os.path.join(base, "hosts")
    os.makedirs(hosts_dir)
    hosts = {
        "compliant-01": host_vars(
            hosts_dir,
            "compliant-01",
            claude_code_provider="anthropic",
            claude_code_plan="enterprise",
            claude_code_profile="private",
        ),
        "drifted-01": host_vars(
            hosts_dir,
            "drifted-01",
            claude_code_provider="bedrock",
            claude_code_aws_region="us-east-1",
            claude_code_profile="private",
        ),
        # a missing variable: provider anthropic needs claude_code_plan
        "missing-plan-01": host_vars(hosts_dir, "missing-plan-01", claude_code_provider="anthropic"),
        # a malformed variable: not one of the profiles
        "bad-profile-01": host_vars(
            hosts_dir,
            "bad-profile-01",
            claude_code_provider="vertex",
            claude_code_vertex_project_id="acme-ml-prod",
            claude_code_vertex_region="us-east5",
            claude_code_profile="paranoid",
        ),
        "unreachable-01": dict(
            host_vars(
                hosts_dir,
                "unreachable-01",
                claude_code_provider="vertex",
                claude_code_vertex_project_id="acme-ml-prod",
                claude_code_vertex_region="us-east5",
                claude_code_profile="airgapped",
            ),
            ansible_connection="ssh",
            ansible_host="127.0.0.1",
            ansible_port=1,
            ansible_user="nobody",
            ansible_ssh_timeout=3,
        ),
    }
    inventory = os.path.join(base, "hosts.yml")
    with open(inventory, "w") as handle:
        yaml.safe_dump({"all": {"hosts": hosts}}, handle)

    rc, out = play(ansible_env, inventory, "fleetpolicy.claude_code.rollout", "--limit", "compliant-01,drifted-01")
    assert rc == 0, out

    # Drift on one host: an edited value, a credential added by hand, an rc export added by hand,
    # and a drop-in from someone else that Claude Code reads after our file.
    drifted = hosts["drifted-01"]
    with open(drifted["claude_code_settings_path"]) as handle:
        doc = json.load(handle)
    doc["env"]["DISABLE_TELEMETRY"] = "0"
    doc["env"]["ANTHROPIC_API_KEY"] = SECRET
    with open(drifted["claude_code_settings_path"], "w") as handle:
        json.dump(doc, handle)
    with open(drifted["claude_code_settings_shell_paths"]["sh"], "a") as handle:
        handle.write(f"export ANTHROPIC_API_KEY='{SECRET}'\n")
    vendor = os.path.join(os.path.dirname(drifted["claude_code_settings_path"]), "managed-settings.d", "50-vendor.json")
    os.makedirs(os.path.dirname(vendor))
    with open(vendor, "w") as handle:
        handle.write('{"env": {"DISABLE_TELEMETRY": "0"}}\n')

    reports = os.path.join(base, "reports")
    before = snapshot(hosts_dir)
    rc, out = play(
        ansible_env,
        inventory,
        "fleetpolicy.claude_code.drift",
        "-e",
        f"claude_code_report_dir={reports}",
        "-e",
        json.dumps({"claude_code_report_formats": ["json", "junit", "markdown", "html"]}),
        # the set_stats data (what AWX keeps as the job's artifacts) printed as CUSTOM STATS
        env_extra={"ANSIBLE_SHOW_CUSTOM_STATS": "True"},
    )
    after = snapshot(hosts_dir)
    with open(os.path.join(reports, "claude-code-drift.json")) as handle:
        report = json.load(handle)
    return {
        "base": base,
        "hosts": hosts,
        "inventory": inventory,
        "reports": reports,
        "rc": rc,
        "out": out,
        "before": before,
        "after": after,
        "report": report,
        "vendor": vendor,
    }


def custom_stats(out):
    """The set_stats data of a run (per_host: false), from the default callback's CUSTOM STATS."""
    lines = [line for line in out.splitlines() if line.startswith("\tRUN: ")]
    assert len(lines) == 1, out
    return json.loads(lines[0][len("\tRUN: ") :])


def full_runs(reports):
    """The directories of the runs of the whole inventory in a report directory."""
    return [d for d in os.listdir(reports) if os.path.isdir(os.path.join(reports, d)) and not d.endswith("-partial")]


def by_host(report):
    return {h["host"]: h for h in report["hosts"]}


def test_exit_code_is_2_when_not_compliant(fleet):
    assert fleet["rc"] == 2, fleet["out"]
    line = (
        "NOT COMPLIANT: 5 hosts - 1 compliant, 1 drifted, 0 weakened, 0 not deployed, 0 broken, 2 failed, 1 unreachable"
    )
    assert line in fleet["out"]
    # PLAY RECAP: exactly the hosts that are not compliant failed (the report was written first)
    counts = recap(fleet["out"])
    failed = sorted(host for host, count in counts.items() if count["failed"])
    assert failed == ["bad-profile-01", "drifted-01", "missing-plan-01", "unreachable-01"], counts


def test_drift_run_changes_nothing_on_any_host(fleet):
    assert fleet["before"] == fleet["after"]


def test_exact_statuses_and_messages(fleet):
    hosts = by_host(fleet["report"])
    assert {h: e["status"] for h, e in hosts.items()} == {
        "compliant-01": "compliant",
        "drifted-01": "drifted",
        "missing-plan-01": "failed",
        "bad-profile-01": "failed",
        "unreachable-01": "unreachable",
    }
    assert hosts["compliant-01"]["drift"] == []
    assert "claude_code_plan" in hosts["missing-plan-01"]["message"]
    assert (
        "claude_code_profile" in hosts["bad-profile-01"]["message"] and "paranoid" in hosts["bad-profile-01"]["message"]
    )
    assert "port 1" in hosts["unreachable-01"]["message"]
    s = fleet["report"]["summary"]
    assert (s["hosts"], s["compliant"], s["drifted"], s["failed"], s["unreachable"], s["compliant_fleet"]) == (
        5,
        1,
        1,
        2,
        1,
        False,
    )


def test_json_report_matches_the_schema(fleet):
    assert validate(fleet["report"]) == []


def test_drift_details_and_shadowing_file(fleet):
    entry = by_host(fleet["report"])["drifted-01"]
    path = fleet["hosts"]["drifted-01"]["claude_code_settings_path"]
    sh = fleet["hosts"]["drifted-01"]["claude_code_settings_shell_paths"]["sh"]
    drift = {(d["file"], d["key"]): (d["expected"], d["found"]) for d in entry["drift"]}
    assert drift == {
        (path, "env.DISABLE_TELEMETRY"): ("1", "0"),
        (path, "env.ANTHROPIC_API_KEY"): (None, "********"),
        (sh, "ANTHROPIC_API_KEY"): (None, "export ANTHROPIC_API_KEY=********"),
    }
    assert entry["message"] == "3 drifted keys in 2 files"
    assert entry["other_managed_files"] == [{"path": fleet["vendor"], "read_after_ours": True}]


def test_posture_per_host(fleet):
    hosts = by_host(fleet["report"])
    postures = fleet["report"]["postures"]
    ok = postures[hosts["compliant-01"]["intended_posture"]]
    assert (ok["provider"], ok["plan"], ok["profile"], ok["retention"]) == (
        "anthropic",
        "enterprise",
        "private",
        "30 days",
    )
    assert ok["traffic"]["telemetry"]["enabled"] is False and ok["traffic"]["error_reporting"]["enabled"] is False
    assert ok["traffic"]["webfetch_check"]["enabled"] is True
    assert "api.anthropic.com" in ok["egress"]
    # posture comes from the inventory, so an unreachable host still has one
    down = postures[hosts["unreachable-01"]["intended_posture"]]
    assert down["provider"] == "vertex" and down["reaches_anthropic"] == []
    assert down["egress"] == ["us-east5-aiplatform.googleapis.com"]
    assert (
        hosts["bad-profile-01"]["intended_posture"] is None
        and "claude_code_profile" in hosts["bad-profile-01"]["posture_error"]
    )


def test_junit_one_case_per_host(fleet):
    root = ET.parse(os.path.join(fleet["reports"], "claude-code-drift.junit.xml")).getroot()
    suite = root.find("testsuite")
    for node in (root, suite):
        assert (node.get("tests"), node.get("failures"), node.get("errors")) == ("5", "1", "3")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert sorted(cases) == sorted(fleet["hosts"])
    assert cases["drifted-01"].find("failure") is not None
    assert {c.find("error").get("type") for n, c in cases.items() if c.find("error") is not None} == {
        "failed",
        "unreachable",
    }


def test_markdown_provenance_summary_problems_first(fleet):
    with open(os.path.join(fleet["reports"], "claude-code-drift.md")) as handle:
        text = handle.read()
    provenance = text.splitlines()[2]
    assert (
        fleet["inventory"] in provenance
        and "fleetpolicy.claude_code 1.0.0" in provenance
        and "ansible-core" in provenance
    )
    assert (
        "NOT COMPLIANT: 5 hosts - 1 compliant, 1 drifted, 0 weakened, 0 not deployed, 0 broken, 2 failed, 1 unreachable"
        in text
    )
    problems = text[text.index("## Hosts that need attention (4)") : text.index("## Compliant hosts (1)")]
    for host in ("drifted-01", "missing-plan-01", "bad-profile-01", "unreachable-01"):
        assert f"**{host}**" in problems, host
    compliant = text[text.index("## Compliant hosts (1)") :]
    assert "compliant-01" in compliant.split("## Host details")[0]


def test_no_credential_in_any_report_or_output(fleet):
    assert SECRET not in fleet["out"]
    (run,) = full_runs(fleet["reports"])
    names = [n for n in os.listdir(fleet["reports"]) if not os.path.isdir(os.path.join(fleet["reports"], n))] + [
        os.path.join(run, n) for n in os.listdir(os.path.join(fleet["reports"], run))
    ]
    assert len(names) == 8, names
    for name in names:
        with open(os.path.join(fleet["reports"], name)) as handle:
            assert SECRET not in handle.read(), name


def test_the_run_says_where_its_report_is(fleet):
    """The playbook prints the summary line and the report's paths: this run's directory, and the
    latest copies beside it, the same files."""
    reports = fleet["reports"]
    (run,) = full_runs(reports)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}Z", run), run
    assert f"report: {reports}/{run}/claude-code-drift.html (also claude-code-drift.md" in fleet["out"]
    assert f"latest: {reports}/claude-code-drift.html (a copy of this run's" in fleet["out"]
    for name in os.listdir(os.path.join(reports, run)):
        with open(os.path.join(reports, run, name), "rb") as one, open(os.path.join(reports, name), "rb") as two:
            assert one.read() == two.read(), name


def test_compliant_subset_exits_0_with_default_report_dir(fleet, ansible_env):
    # The installed playbook by its FQCN, run from a directory of the user's: the report goes to
    # reports/ there, never into the installed collection. One host of five is a partial run: it
    # says so, writes a report of its own and no latest copy.
    workdir = os.path.join(fleet["base"], "workdir")
    os.makedirs(workdir)
    installed = os.path.join(ROOT, "playbooks", "reports")
    had_installed = os.path.exists(installed)
    before = snapshot(os.path.join(fleet["base"], "hosts"))
    rc, out = play(
        ansible_env,
        fleet["inventory"],
        "fleetpolicy.claude_code.drift",
        "-e",
        "claude_code_hosts=compliant-01",
        cwd=workdir,
    )
    assert rc == 0, out
    assert snapshot(os.path.join(fleet["base"], "hosts")) == before
    assert os.path.exists(installed) == had_installed
    reports = os.path.join(workdir, "reports")
    (run,) = os.listdir(reports)
    assert run.endswith("-partial"), run
    with open(os.path.join(reports, run, "claude-code-drift.json")) as handle:
        report = json.load(handle)
    line = (
        "COMPLIANT: 1 host - 1 compliant, 0 drifted, 0 weakened, 0 not deployed, 0 broken, 0 failed, 0 unreachable"
        " (partial: 1 of 5 inventory hosts (hosts compliant-01))"
    )
    assert report["summary"]["line"] == line and line in out
    assert report["scope"] == {
        "partial": True,
        "hosts_checked": 1,
        "inventory_hosts": 5,
        "limit": None,
        "pattern": "compliant-01",
    }
    assert f"a partial run: the latest report in {reports} is still the last run of the whole inventory" in out
    assert sorted(os.listdir(os.path.join(reports, run))) == [
        "claude-code-drift.html",
        "claude-code-drift.json",
        "claude-code-drift.junit.xml",
        "claude-code-drift.md",
    ]


def test_a_limited_run_leaves_the_fleet_report_alone(fleet, ansible_env):
    reports = fleet["reports"]
    with open(os.path.join(reports, "claude-code-drift.json"), "rb") as handle:
        before = handle.read()
    rc, out = play(
        ansible_env,
        fleet["inventory"],
        "fleetpolicy.claude_code.drift",
        "--limit",
        "compliant-01",
        "-e",
        f"claude_code_report_dir={reports}",
    )
    assert rc == 0, out
    assert "(partial: 1 of 5 inventory hosts (--limit compliant-01))" in out
    with open(os.path.join(reports, "claude-code-drift.json"), "rb") as handle:
        assert handle.read() == before
    runs = sorted(d for d in os.listdir(reports) if os.path.isdir(os.path.join(reports, d)))
    assert len(runs) == 2 and runs[1].endswith("-partial"), runs
    with open(os.path.join(reports, runs[1], "claude-code-drift.json")) as handle:
        assert json.load(handle)["summary"]["hosts"] == 1


def test_no_matching_host_exits_2(fleet, ansible_env):
    rc, out = play(
        ansible_env,
        fleet["inventory"],
        "fleetpolicy.claude_code.drift",
        "-e",
        "claude_code_hosts=no_such_group",
        "-e",
        "claude_code_report_dir={}".format(os.path.join(fleet["base"], "empty-reports")),
    )
    assert rc == 2, out
    assert "nothing was checked" in out


def test_set_stats_hands_the_not_compliant_hosts_to_the_next_node(fleet):
    stats = custom_stats(fleet["out"])
    not_compliant = ["bad-profile-01", "drifted-01", "missing-plan-01", "unreachable-01"]
    assert sorted(stats) == ["claude_code_hosts", "fleetpolicy_claude_code_drift"]
    assert sorted(stats["claude_code_hosts"].split(",")) == not_compliant
    assert sorted(stats["fleetpolicy_claude_code_drift"]["not_compliant"]) == not_compliant
    assert stats["fleetpolicy_claude_code_drift"]["summary"] == fleet["report"]["summary"]
    assert [os.path.basename(f) for f in stats["fleetpolicy_claude_code_drift"]["files"]] == [
        "claude-code-drift.html",  # the HTML first (drift_report's RETURN), then the others
        "claude-code-drift.md",
        "claude-code-drift.json",
        "claude-code-drift.junit.xml",
    ]
    assert SECRET not in json.dumps(stats)


def test_artifacts_as_extra_vars_limit_the_rollout_to_those_hosts(fleet, ansible_env):
    """What an AWX workflow does with the drift job's artifacts: the next node (the rollout) gets
    them as extra variables. Last in this module: it repairs drifted-01."""
    stats = custom_stats(fleet["out"])
    compliant_before = snapshot(os.path.join(fleet["base"], "hosts", "compliant-01"))
    rc, out = play(ansible_env, fleet["inventory"], "fleetpolicy.claude_code.rollout", "-e", json.dumps(stats))
    recap = out[out.rindex("PLAY RECAP") :]
    # every host of the play but localhost, where the rollout's summary runs once
    ran = sorted(
        line.split()[0] for line in recap.splitlines()[1:] if ":" in line and not line.startswith("localhost ")
    )
    assert ran == sorted(stats["claude_code_hosts"].split(",")), recap
    assert rc != 0  # the hosts with bad variables and the unreachable one still fail
    assert snapshot(os.path.join(fleet["base"], "hosts", "compliant-01")) == compliant_before
    with open(fleet["hosts"]["drifted-01"]["claude_code_settings_path"]) as handle:
        repaired = json.load(handle)
    assert repaired["env"]["DISABLE_TELEMETRY"] == "1"
    # a compliant fleet hands on a pattern that matches no host
    rc, out = play(
        ansible_env,
        fleet["inventory"],
        "fleetpolicy.claude_code.drift",
        "-e",
        "claude_code_hosts=compliant-01",
        "-e",
        "claude_code_report_dir={}".format(os.path.join(fleet["base"], "compliant-reports")),
        env_extra={"ANSIBLE_SHOW_CUSTOM_STATS": "True"},
    )
    assert rc == 0, out
    stats = custom_stats(out)
    assert stats["claude_code_hosts"] == "!all" and stats["fleetpolicy_claude_code_drift"]["not_compliant"] == []
