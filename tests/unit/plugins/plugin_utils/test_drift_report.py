"""The drift report builder (report/_build): statuses and their precedence, masking, shadowing
order, counts; and the four formats of what it builds (report/_render)."""

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError, compute
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render
from ansible_collections.fleetpolicy.claude_code.tests.integration.schema_check import validate

NOW = "2026-11-24T10:15:00Z"
POLICY = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"}
PATH = "/etc/claude-code/managed-settings.json"


def ok_result(drift=(), changed=None, others=()):
    return {
        "changed": bool(drift) if changed is None else changed,
        "path": PATH,
        "files": [PATH],
        "drift": list(drift),
        "other_managed_files": list(others),
        "failed": False,
    }


def rec(result=None, failure=None, policy=None, state="present"):
    """What the settings role registers as claude_code_result: the apply action's result (the
    module's result, the state, and the posture computed on the controller) or a failure."""
    if failure is not None:
        return {"failed": True, "msg": failure}
    out = dict(result or {}, state=state)
    if state == "present":
        try:
            out["posture"] = compute(POLICY if policy is None else policy)["posture"]
        except PolicyError as exc:
            return {
                "failed": True,
                "changed": False,
                "state": state,
                "msg": "fleetpolicy.claude_code.apply: host h: " + exc.describe("claude_code_" + exc.root),
            }
    return out


def test_statuses_from_records():
    records = {
        "ok": rec(ok_result()),
        "edited": rec(ok_result([{"file": PATH, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": "0"}])),
        "mode-only": rec(ok_result([{"file": PATH, "key": "(mode)", "expected": "0644", "found": "0666"}])),
        "argspec": rec(None, failure="Validation of arguments failed:\nvalue of claude_code_profile must be one of: x"),
        "module-failed": rec({"failed": True, "msg": "refusing to overwrite", "path": PATH, "drift": []}),
        "down": rec({"unreachable": True, "msg": "Failed to connect to the host via ssh", "changed": False}),
        "never-ran": None,
        "bad-policy": rec(ok_result(), policy={"provider": "bedrock", "aws_region": "mars"}),
        "removed": rec(ok_result(), policy={"provider": None}, state="absent"),
    }
    report = R.build(records, NOW, "2.19.0")
    by = {h["host"]: h for h in report["hosts"]}
    assert [h["host"] for h in report["hosts"]] == sorted(records)
    assert {k: v["status"] for k, v in by.items()} == {
        "ok": "compliant",
        "edited": "drifted",
        "mode-only": "drifted",
        "argspec": "failed",
        "module-failed": "failed",
        "down": "unreachable",
        "never-ran": "failed",
        "bad-policy": "failed",
        "removed": "compliant",
    }
    assert by["argspec"]["message"].startswith("Validation of arguments failed")
    assert by["module-failed"]["message"] == "refusing to overwrite"
    assert "aws_region" in by["bad-policy"]["message"] and "claude_code_aws_region" in by["bad-policy"]["posture_error"]
    assert by["edited"]["message"] == "1 drifted key in 1 file"
    # posture comes from the inventory: also for an unreachable host, not for a removed one
    down = report["postures"][by["down"]["intended_posture"]]
    assert down["provider"] == "bedrock" and down["traffic"]["telemetry"]["enabled"] is False
    assert by["removed"]["intended_posture"] is None and by["removed"]["posture_error"] is None
    # identical postures are stored once
    assert by["ok"]["intended_posture"] == by["edited"]["intended_posture"] == by["down"]["intended_posture"]
    assert len(report["postures"]) == 1
    s = report["summary"]
    assert (s["hosts"], s["compliant"], s["drifted"], s["failed"], s["unreachable"]) == (9, 2, 2, 4, 1)
    assert s["compliant_fleet"] is False
    assert s["line"] == (
        "NOT COMPLIANT: 9 hosts - 2 compliant, 2 drifted, 0 weakened, 0 not deployed, 0 broken, 4 failed, 1 unreachable"
    )
    assert s["by_provider"]["bedrock"]["drifted"] == 2 and s["by_provider"]["(unknown)"]["failed"] == 3
    assert validate(report) == []


def test_empty_fleet_is_not_compliant():
    report = R.build({}, NOW)
    assert report["summary"]["compliant_fleet"] is False
    assert "no hosts matched" in report["summary"]["line"]
    assert validate(report) == []


def test_all_compliant():
    report = R.build({"a": rec(ok_result()), "b": rec(ok_result())}, NOW)
    assert report["summary"]["compliant_fleet"] is True
    assert (
        report["summary"]["line"]
        == "COMPLIANT: 2 hosts - 2 compliant, 0 drifted, 0 weakened, 0 not deployed, 0 broken, 0 failed, 0 unreachable"
    )
    assert report["scope"] == {
        "partial": False,
        "hosts_checked": 2,
        "inventory_hosts": None,
        "limit": None,
        "pattern": None,
    }


def test_credentials_never_reach_the_report():
    secret = "sk-ant-api03-LEAKLEAKLEAKLEAK"
    drift = [
        {"file": PATH, "key": "env.ANTHROPIC_API_KEY", "expected": None, "found": "plain-looking-value"},
        {"file": PATH, "key": "env.SOME_VAR", "expected": "1", "found": secret},
        {"file": PATH, "key": "permissions", "expected": None, "found": {"allow": [f"Bash(curl -H {secret})"]}},
        {
            "file": "/etc/profile.d/claude-code.sh",
            "key": "X_TOKEN",
            "expected": None,
            "found": "export AUTH_TOKEN=" + secret,
        },
        {"file": PATH, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": "0"},
    ]
    effective = {
        "values": {"env.ANTHROPIC_AUTH_TOKEN": {"value": "plain-looking-value", "file": VENDOR}},
        "weaker": [dict(WEAKER, found=secret)],
        "broken": [],
        "mcp_servers": [],
        "posture_is_intended": True,
    }
    cli = {"path": "/usr/bin/claude", "version": "2.1.332", "warnings": [f"odd value {secret} in {VENDOR}"]}
    records = {
        "h": rec(ok_result(drift)),
        "f": rec(None, failure=f"bad value {secret} in env"),
        "w": rec(dict(ok_result(), effective=effective, cli=cli)),
    }
    report = R.build(records, NOW)
    for fmt, render in _render.RENDERERS.items():
        text = render(report)
        assert secret not in text and "plain-looking-value" not in text, fmt
    by = {e["host"]: e for e in report["hosts"]}
    found = {d["key"]: d["found"] for d in by["h"]["drift"]}
    assert found["env.ANTHROPIC_API_KEY"] == S.MASK and found["env.SOME_VAR"] == S.MASK
    assert found["env.DISABLE_TELEMETRY"] == "0"  # ordinary values stay readable
    assert by["w"]["effective"]["env.ANTHROPIC_AUTH_TOKEN"]["value"] == S.MASK
    assert by["w"]["cli"]["warnings"] == [f"odd value {S.MASK} in {VENDOR}"]
    assert validate(report) == []


VENDOR = "/etc/claude-code/managed-settings.d/50-vendor.json"
WEAKER = {"control": "telemetry", "intended": "off", "effective": "on", "file": VENDOR, "key": "env.DISABLE_TELEMETRY"}
BROKEN = {"file": VENDOR, "status": "unparseable", "error": "Expecting value: line 1 column 1"}


def _judged(drift=(), weaker=(), broken=()):
    effective = {
        "values": {},
        "weaker": list(weaker),
        "broken": list(broken),
        "mcp_servers": [],
        "posture_is_intended": True,
    }
    return rec(dict(ok_result(drift), effective=effective))


def test_a_host_gets_the_first_status_that_applies():
    assert sorted(R.PRECEDENCE) == sorted(R.STATUSES)
    drift = [{"file": PATH, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": "0"}]
    records = {
        "all-three": _judged(drift, [WEAKER], [BROKEN]),
        "drifted-and-weakened": _judged(drift, [WEAKER]),
        "weakened": _judged(weaker=[WEAKER, dict(WEAKER, control="error_reporting")]),
        "down-and-failed": {"unreachable": True, "failed": True, "msg": "no route"},
        "failed-with-drift": rec({"failed": True, "msg": "refusing to overwrite", "drift": drift}),
    }
    by = {h["host"]: h for h in R.build(records, NOW)["hosts"]}
    refuses = (
        f"Claude Code will refuse to start on this host: {VENDOR} is unparseable (Expecting value: line 1 column 1)"
    )
    weaker = f"telemetry is on, not off: env.DISABLE_TELEMETRY in {VENDOR}"
    assert (by["all-three"]["status"], by["all-three"]["message"]) == ("broken", refuses)
    assert by["all-three"]["reasons"] == [refuses, "1 drifted key in 1 file", weaker]
    # a difference that weakens a control is named as such; drift stays among the reasons
    assert (by["drifted-and-weakened"]["status"], by["drifted-and-weakened"]["message"]) == (
        "weakened",
        "1 control weaker than the policy: " + weaker,
    )
    assert by["drifted-and-weakened"]["reasons"] == ["1 drifted key in 1 file", weaker]
    assert by["weakened"]["status"] == "weakened"
    assert by["weakened"]["message"] == "2 controls weaker than the policy: " + weaker
    assert (by["down-and-failed"]["status"], by["down-and-failed"]["message"]) == ("unreachable", "no route")
    # a failed result is not judged: its drift is listed, not a reason
    assert by["failed-with-drift"]["status"] == "failed" and by["failed-with-drift"]["reasons"] == []
    assert by["failed-with-drift"]["drift"] == drift


@pytest.mark.parametrize(
    "ours, other, after",
    [
        ("/etc/claude-code/managed-settings.json", "/etc/claude-code/managed-settings.d/10-a.json", True),
        ("/etc/claude-code/managed-settings.d/20-fleet.json", "/etc/claude-code/managed-settings.json", False),
        ("/etc/claude-code/managed-settings.d/20-fleet.json", "/etc/claude-code/managed-settings.d/10-a.json", False),
        ("/etc/claude-code/managed-settings.d/20-fleet.json", "/etc/claude-code/managed-settings.d/90-z.json", True),
    ],
)
def test_other_managed_files_read_order(ours, other, after):
    result = dict(ok_result(others=[other]), path=ours)
    entry = R.host_entry("h", rec(result))
    assert entry["other_managed_files"] == [{"path": other, "read_after_ours": after}]


def _fleet():
    return R.build(
        {
            "good": rec(ok_result()),
            "drift|pipe": rec(ok_result([{"file": PATH, "key": "env.A", "expected": "1", "found": "x|y"}])),
            "bad": rec(None, failure="boom <b>"),
            "down": rec({"unreachable": True, "msg": "no route"}),
        },
        NOW,
    )


RC = "/etc/profile.d/claude-code.sh"
BASHRC = "/etc/bash.bashrc"


def test_a_host_without_our_files_is_not_deployed():
    """The module's result on a host the rollout never reached: the settings file and a file-layout
    rc file missing, a block-layout rc file (bash.bashrc, which Debian ships) without our block."""
    files = [PATH, RC, BASHRC]
    never = [
        {"file": PATH, "key": "(file)", "expected": "present", "found": None},
        {"file": RC, "key": "(file)", "expected": "present", "found": None},
        {"file": BASHRC, "key": "DISABLE_TELEMETRY", "expected": "export DISABLE_TELEMETRY=1", "found": None},
        # the directory's mode is not a file of ours and does not count
        {"file": "/etc/claude-code", "key": "(mode)", "expected": "0755", "found": "0700"},
    ]
    foreign = dict(WEAKER, control="error_reporting", key="env.DISABLE_ERROR_REPORTING")
    missing = dict(WEAKER, file=None)

    def result(drift, weaker=(), broken=()):
        effective = {"values": {}, "weaker": list(weaker), "broken": list(broken), "mcp_servers": []}
        return rec(dict(ok_result(drift), files=files, effective=dict(effective, posture_is_intended=False)))

    records = {
        "never": result(never, [missing, foreign]),
        "never-broken": result(never, [missing], [BROKEN]),
        # our settings file deleted, the rc files still ours: weakened, with the deletion as drift
        "deleted": result(never[:1], [missing]),
        # our block still in bash.bashrc with an edited value: something of ours is there
        "edited-block": result(
            never[:2] + [dict(never[2], found="export DISABLE_TELEMETRY=0")],
        ),
        "removed-as-asked": rec(ok_result(), policy={"provider": None}, state="absent"),
    }
    report = R.build(records, NOW)
    by = {h["host"]: h for h in report["hosts"]}
    assert {h: e["status"] for h, e in by.items()} == {
        "never": "not deployed",
        "never-broken": "broken",
        "deleted": "weakened",
        "edited-block": "drifted",
        "removed-as-asked": "compliant",
    }
    message = "none of its 3 files is on this host: never rolled out, or removed (fleetpolicy.claude_code.rollout writes them)"
    assert by["never"]["message"] == message
    # what follows from the files being absent is said once; what another file sets is still named
    assert by["never"]["reasons"] == [
        message,
        f"error_reporting is on, not off: env.DISABLE_ERROR_REPORTING in {VENDOR}",
    ]
    assert by["deleted"]["reasons"] == [
        "1 drifted key in 1 file",
        "telemetry is on, not off: env.DISABLE_TELEMETRY in no file",
    ]
    assert report["summary"]["not deployed"] == 1 and "1 not deployed" in report["summary"]["line"]
    assert validate(report) == []
    root = ET.fromstring(_render.render_junit(report))
    case = next(c for c in root.iter("testcase") if c.get("name") == "never")
    assert case.find("failure").get("type") == "not deployed" and case.find("failure").get("message") == message


def test_our_own_file_weakened_is_weakened_and_drift_that_weakens_nothing_is_drifted():
    """Telemetry turned back on in our own file (DISABLE_TELEMETRY emptied) weakens a control: the
    status says so. A key of ours that differs without weakening anything stays drifted."""
    emptied = [{"file": PATH, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": ""}]
    ours = dict(WEAKER, file=PATH, found="")
    records = {
        "emptied": _judged(emptied, [ours]),
        "longer-retention": _judged([{"file": PATH, "key": "cleanupPeriodDays", "expected": 14, "found": 7}]),
    }
    by = {h["host"]: h for h in R.build(records, NOW)["hosts"]}
    assert by["emptied"]["status"] == "weakened"
    assert by["emptied"]["message"] == (
        f'1 control weaker than the policy: telemetry is on, not off: env.DISABLE_TELEMETRY ("") in {PATH}'
    )
    assert by["longer-retention"]["status"] == "drifted"


def test_scope_of_a_partial_run():
    assert R.scope_note(R.scope_of(5, 5, None, "all")) == ""
    scope = R.scope_of(2, 5, "web-01,web-02", "all")
    assert scope == {
        "partial": True,
        "hosts_checked": 2,
        "inventory_hosts": 5,
        "limit": "web-01,web-02",
        "pattern": "all",
    }
    assert R.scope_note(scope) == "partial: 2 of 5 inventory hosts (--limit web-01,web-02)"
    assert R.scope_note(R.scope_of(1, 5, "", "laptops")) == "partial: 1 of 5 inventory hosts (hosts laptops)"
    report = R.build({"a": rec(ok_result()), "b": rec(ok_result())}, NOW, scope=scope)
    assert report["summary"]["line"] == (
        "COMPLIANT: 2 hosts - 2 compliant, 0 drifted, 0 weakened, 0 not deployed, 0 broken, 0 failed, 0 unreachable"
        " (partial: 2 of 5 inventory hosts (--limit web-01,web-02))"
    )
    assert report["scope"] == scope and validate(report) == []


def test_junit_counts_and_cases():
    root = ET.fromstring(_render.RENDERERS["junit"](_fleet()))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "2")
    suite = root.find("testsuite")
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    assert sorted(cases) == ["bad", "down", "drift|pipe", "good"]
    assert cases["good"].find("failure") is None and cases["good"].find("error") is None
    assert cases["drift|pipe"].find("failure").get("type") == "drifted"
    assert (
        cases["bad"].find("error").get("type") == "failed" and cases["bad"].find("error").get("message") == "boom <b>"
    )
    assert cases["down"].find("error").get("type") == "unreachable"


def test_markdown_leads_with_the_summary_then_the_problems():
    text = _render.RENDERERS["markdown"](_fleet())
    assert (
        "**❌ NOT COMPLIANT: 4 hosts - 1 compliant, 1 drifted, 0 weakened, 0 not deployed, 0 broken, 1 failed, 1 unreachable**"
        in text
    )
    summary, problems, compliant = (
        text.index("## Summary"),
        text.index("## Hosts that need attention (3)"),
        text.index("## Compliant hosts (1)"),
    )
    assert summary < problems < compliant
    assert "**drift\\|pipe** `drifted`" in text and "boom &lt;b&gt;" in text


def test_html_escapes_and_is_self_contained():
    text = _render.RENDERERS["html"](_fleet())
    assert "boom &lt;b&gt;" in text and "boom <b>" not in text
    assert 'id="summary"' in text and "NOT COMPLIANT: 4 hosts" in text
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")


def test_json_round_trips_and_schema_rejects_a_bad_status():
    report = _fleet()
    loaded = json.loads(_render.render_json(report))
    assert loaded == report and validate(loaded) == []
    loaded["hosts"][0]["status"] = "fine"
    del loaded["summary"]["line"]
    assert len(validate(loaded)) >= 2


class _Tagged(str):
    """Stands in for ansible-core's tagged str."""


class _Lazy(Mapping):
    """Stands in for a mapping from hostvars that is not a dict."""

    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)


def _tag(value):
    """value with every str tagged and every dict a _Lazy mapping."""
    if isinstance(value, dict):
        return _Lazy({k: _tag(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_tag(v) for v in value]
    return _Tagged(value) if isinstance(value, str) else value


def _types(value):
    if isinstance(value, dict):
        return set().union(*[_types(v) | {type(k)} for k, v in value.items()]) | {dict}
    if isinstance(value, list):
        return set().union(*[_types(v) for v in value]) | {list}
    return {type(value)}


def test_ansible_types_become_plain_and_equal_postures_are_stored_once():
    posture = compute(POLICY)["posture"]
    reordered = dict(reversed(list(json.loads(json.dumps(posture)).items())))
    other = json.loads(json.dumps(posture))
    other["traffic"]["telemetry"]["enabled"] = True
    effective = {
        "values": {"env.DISABLE_TELEMETRY": {"value": "1", "file": PATH}},
        "posture": reordered,
        "weaker": [],
        "broken": [],
        "mcp_servers": ["docs"],
    }
    records = {
        "tagged": _tag(
            dict(
                ok_result(),
                state="present",
                posture=posture,
                effective=effective,
                cli={"path": "/usr/bin/claude", "version": "2.1.332", "warnings": []},
            )
        ),
        "copy": dict(ok_result(), state="present", posture=json.loads(json.dumps(posture))),
        "other": dict(ok_result(), state="present", posture=other),
    }
    report = R.build(records, NOW)
    by = {h["host"]: h for h in report["hosts"]}
    assert by["tagged"]["status"] == "compliant" and by["tagged"]["provider"] == "bedrock"
    assert by["tagged"]["effective"] == {"env.DISABLE_TELEMETRY": {"value": "1", "file": PATH}}
    assert by["tagged"]["mcp_servers"] == ["docs"] and by["tagged"]["cli"]["version"] == "2.1.332"
    assert _types(report) <= {dict, list, str, int, bool, type(None)}
    # equal postures (other objects, other key order, tagged or not) share one id; a different one gets its own
    assert by["tagged"]["intended_posture"] == by["tagged"]["effective_posture"] == by["copy"]["intended_posture"]
    assert by["other"]["intended_posture"] != by["copy"]["intended_posture"]
    assert len(report["postures"]) == 2
    assert report["postures"][by["other"]["intended_posture"]]["traffic"]["telemetry"]["enabled"] is True
    assert validate(report) == []


def test_an_effective_posture_returned_as_the_intended_one_is_the_intended_one():
    # apply leaves the effective posture out where it is the intended one, and says so
    posture = compute(POLICY)["posture"]
    weaker = json.loads(json.dumps(posture))
    weaker["traffic"]["telemetry"]["enabled"] = True
    records = {
        "same": dict(
            ok_result(),
            state="present",
            posture=posture,
            effective={"values": {}, "weaker": [], "broken": [], "mcp_servers": [], "posture_is_intended": True},
        ),
        "differs": dict(
            ok_result(),
            state="present",
            posture=posture,
            effective={
                "values": {},
                "weaker": [],
                "broken": [],
                "mcp_servers": [],
                "posture_is_intended": False,
                "posture": weaker,
            },
        ),
    }
    by = {h["host"]: h for h in R.build(records, NOW)["hosts"]}
    assert by["same"]["intended_posture"] is not None
    assert by["same"]["effective_posture"] == by["same"]["intended_posture"]
    assert by["differs"]["effective_posture"] not in (None, by["differs"]["intended_posture"])


def test_json_has_one_line_per_host():
    records = {"a": rec(ok_result()), "b\nc": rec(None, failure="line one\nline two \u00e9"), "d": None}
    report = R.build(records, NOW)
    text = _render.render_json(report)
    assert json.loads(text) == report and text.endswith("}\n")
    lines = text.splitlines()
    assert [json.loads(line.rstrip(","))["host"] for line in lines if line.startswith('    {"host": ')] == [
        "a",
        "b\nc",
        "d",
    ]
    assert "\u00e9" in text  # not escaped as \\u00e9
    empty = R.build({}, NOW)
    assert json.loads(_render.render_json(empty)) == empty and '"hosts": []' in _render.render_json(empty)
