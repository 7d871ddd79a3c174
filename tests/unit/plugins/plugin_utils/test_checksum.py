"""The managed settings checksum (policy/_checksum): JSON written the way JavaScript writes it, keys
sorted the way JavaScript enumerates them, invalid fields left out; and the effective state and the
report carrying it. tests/integration/test_gateway_checksum.py compares it with the real CLI's header."""

import hashlib
import json

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _checksum as C
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective as E
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.tests.integration.schema_check import validate

MAIN = "/etc/claude-code/managed-settings.json"
DROP = "/etc/claude-code/managed-settings.d/50-other.json"


# Number::toString (ECMA-262 6.1.6.1.20); each value as node prints String(value).
@pytest.mark.parametrize(
    "value, text",
    [
        (0, "0"),
        (-0.0, "0"),
        (7, "7"),
        (-12, "-12"),
        (1.0, "1"),
        (14.0, "14"),
        (0.5, "0.5"),
        (0.1, "0.1"),
        (-2.25, "-2.25"),
        (0.000001, "0.000001"),
        (1.5e-7, "1.5e-7"),
        (1e-7, "1e-7"),
        (123456789.125, "123456789.125"),
        (1e21, "1e+21"),
        (1.2345e21, "1.2345e+21"),
        (1e20, "100000000000000000000"),
        (2**53, "9007199254740992"),
        (2**64, "18446744073709552000"),
        (10**21, "1e+21"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
    ],
)
def test_numbers_are_written_the_javascript_way(value, text):
    assert C.js_number(value) == text


def test_env_values_that_are_not_strings_are_read_as_javascript_string():
    assert [C.js_string(v) for v in ("x", True, False, None, 2, 1.0, 0.5, [1, None, "a"], {"a": 1})] == [
        "x",
        "true",
        "false",
        "null",
        "2",
        "1",
        "0.5",
        "1,,a",
        "[object Object]",
    ]


def test_canonical_json_sorts_keys_as_javascript_enumerates_them():
    # array-index keys first, in numeric order; then the others by UTF-16 code unit ("\U0001f600"
    # is the surrogate pair d83d de00, which sorts before "\uffff")
    doc = {"b": 1, "10": 2, "9": 3, "01": 4, "é": 5, "\U0001f600": 6, "\uffff": 7, "A": {"z": [1.0, None], "a": True}}
    assert C.canonical_json(doc) == (
        '{"9":3,"10":2,"01":4,"A":{"a":true,"z":[1,null]},"b":1,"é":5,"\U0001f600":6,"\uffff":7}'
    )


def test_canonical_json_escapes_strings_as_json_stringify():
    text = 'q"b\\\n\t\x01\x7f\u2028é\ud800'
    assert C.canonical_json(text) == '"q\\"b\\\\\\n\\t\\u0001\x7f\u2028é\\ud800"'
    assert C.canonical_json(float("inf")) == "null"


def test_checksum_is_sha256_of_the_canonical_json():
    doc = {"env": {"A": "1"}, "cleanupPeriodDays": 14, "unknownKey": {"x": 1}, "$schema": "s"}
    want = "sha256:" + hashlib.sha256(C.canonical_json(doc).encode()).hexdigest()
    assert C.checksum(doc) == want
    assert C.checksum(dict(doc, cleanupPeriodDays=7)) != want
    assert C.checksum(dict(doc, unknownKey={"x": 2})) != want


def _source(path, content, ours=False):
    kind = "dropin" if "/managed-settings.d/" in path else "main"
    return {"path": path, "kind": kind, "ours": ours, "status": "ok", "sha256": None, "error": None, "content": content}


def test_the_effective_state_carries_the_checksum_of_the_merged_sources():
    computed = compute({"provider": "anthropic", "plan": "api", "profile": "private", "gateway_hint_headers": True})
    ours = _source(MAIN, json.loads(json.dumps(computed["settings"])), ours=True)
    args = (computed["policy"], computed["posture"], computed["settings"])
    alone = E.evaluate(*args, [ours])
    assert alone["checksum"] == C.checksum(computed["settings"])
    # a drop-in's keys are merged in; its env values that are not strings are read as String(value)
    other = _source(DROP, {"env": {"X_FLAG": True, "X_N": 1.0}, "companyAnnouncements": ["hi"]})
    merged = E.evaluate(*args, [ours, other])
    expected = dict(computed["settings"], companyAnnouncements=["hi"])
    expected["env"] = dict(computed["settings"]["env"], X_FLAG="true", X_N="1")
    assert merged["checksum"] == C.checksum(expected) != alone["checksum"]
    assert merged["settings"]["env"]["X_FLAG"] == "true"
    # a field of the wrong type is left out, as the CLI's schema leaves it out; an unknown key is kept
    for bad in ({"cleanupPeriodDays": "abc"}, {"cleanupPeriodDays": 0}, {"feedbackSurveyRate": False}):
        assert E.evaluate(*args, [ours, _source(DROP, bad)])["checksum"] == alone["checksum"], bad
    unknown = E.evaluate(*args, [ours, _source(DROP, {"unknownKey": 1})])
    assert unknown["checksum"] == C.checksum(dict(computed["settings"], unknownKey=1))
    # Claude Code refuses to start with a broken source: it sends nothing
    broken = dict(_source(DROP, None), status="unparseable", error="Expecting value")
    assert E.evaluate(*args, [ours, broken])["checksum"] is None


def test_the_report_carries_each_hosts_checksum_and_none_for_a_host_not_judged():
    computed = compute({"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"})
    judged = {
        "changed": False,
        "path": MAIN,
        "files": [MAIN],
        "drift": [],
        "state": "present",
        "posture": computed["posture"],
        "effective": {"posture_is_intended": True, "checksum": "sha256:" + "ab" * 32, "gateway_hint_headers": False},
    }
    report = R.build({"ok": judged, "down": {"unreachable": True, "msg": "no route"}}, "2026-12-07T00:00:00Z")
    by = {h["host"]: h for h in report["hosts"]}
    assert (by["ok"]["managed_settings_checksum"], by["ok"]["gateway_hint_headers"]) == ("sha256:" + "ab" * 32, False)
    assert (by["down"]["managed_settings_checksum"], by["down"]["gateway_hint_headers"]) == (None, None)
    assert validate(report) == []
