"""tests/_support/cli_rules.py (the pure-Python reference of how Claude Code reads
/etc/claude-code) predicts every verdict recorded from the real CLIs in tests/data/cli_cases.json:
what stops it, which sources are skipped or invalid and why, the provider route, the effective
env markers, and whether a session starts or is refused, with which message and credential."""

from __future__ import annotations

import json
import os
import re

import pytest

from ansible_collections.fleetpolicy.claude_code.tests._support import cli_rules as R

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
with open(os.path.join(ROOT, "tests", "data", "cli_cases.json"), encoding="utf-8") as _handle:
    CATALOGUE = json.load(_handle)
CASES = {case["id"]: case for case in CATALOGUE["cases"]}
VERSIONS = sorted(set(CATALOGUE["clis"].values()), key=R.version_tuple)

# The recorded doctor lines of "Invalid settings", reduced to (file, key, kind).
_KINDS = (
    (r"File exceeds maxBytes limit", "too-large"),
    (r"Not a regular file", "not-regular"),
    (r"EISDIR", "directory"),
    (r"EACCES", "unreadable"),
    (r"Failed schema validation", "schema"),
    (r"is nested more than \d+ levels deep", "nesting"),
    (r"was present but invalid; enforcing an empty allowlist", "allowlist-emptied"),
    (r"is reached through a link that leads outside", "link-outside"),
)


def _problem(line):
    match = re.match(r"^(/\S+?)(?: › ([^.:]+)[^:]*)?: (.*)$", line)
    assert match, line
    for pattern, kind in _KINDS:
        if re.search(pattern, match.group(3)):
            return (match.group(1), match.group(2), kind)
    raise AssertionError("an invalid-settings line this test does not know: " + line)


def _predicted_problems(prediction):
    return sorted((p["file"], p["key"], p["kind"]) for p in prediction["problems"])


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("cid", sorted(CASES))
def test_reference_predicts_recorded_verdict(cid, version):
    case = CASES[cid]
    recorded = case["verdict"][version]
    doctor = recorded["doctor"]
    got = R.predict(case, version)
    if "fatal" in doctor:
        if any("Maximum call stack size exceeded" in line for line in doctor["fatal"]):
            assert got["crash"], got
        else:
            files = [line.split(": Managed settings document", 1)[0] for line in doctor["fatal"]]
            assert got["fatal"] == files
            assert doctor["fatal"] == ["%s: %s" % (f, R.FATAL) for f in files]
    else:
        assert not got["fatal"] and not got["crash"], got["sources"]
        assert got["flags_off_by"] == doctor["flags_off_by"]
        assert got["route"] == doctor["route"]
        assert got["auto_updates_disabled"] == doctor["auto_updates"].startswith("disabled")
        assert _predicted_problems(got) == sorted(_problem(line) for line in doctor["invalid"])
        assert doctor["other"] == []
        # 2.1.332+ doctor says so for an Anthropic route (direct or through a gateway); for a cloud
        # provider its connectivity section only says it does not test cloud providers.
        refused_in_doctor = (
            R.version_tuple(version) >= (2, 1, 332) and got["refusal"] is not None and got["provider"] == "anthropic"
        )
        assert doctor["providers_refused"] == refused_in_doctor
    session = recorded.get("session")
    if session is None:
        return
    if session["outcome"] == "refused":
        expected = ("%s: %s" % (got["fatal"][0], R.FATAL)) if got["fatal"] else got["refusal"]
        assert session["message"] == expected
        return
    assert got["starts"], got["refusal"]
    assert (session["first_post"] is not None) == (got["endpoint"] is not None)
    if session["first_post"] is not None:
        assert session["credentials"] == got["credentials"]


def test_reference_differs_from_python_json_where_the_cli_does():
    """The cases where Python's json module and the CLI part ways, predicted the CLI's way."""
    assert R.decode(b"\xff\xfe" + '{"a":1}'.encode("utf-16-le")).lstrip("\ufeff") == '{"a":1}'
    assert R.decode(b'{"a":"\xff"}') == '{"a":"\ufffd"}'
    with pytest.raises(ValueError):
        R.js_json_parse('{"a":NaN}')
    assert R.js_json_parse("\ufeff{}") == {}
    assert R.js_string(None) == "null" and R.js_string([]) == "" and R.js_string(1.0) == "1"
    assert sorted(["\uff21.json", "\U0001f600.json"], key=R.utf16_key) == ["\U0001f600.json", "\uff21.json"]
