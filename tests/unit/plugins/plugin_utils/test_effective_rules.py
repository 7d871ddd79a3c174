"""The judge's rules one by one (plugins/plugin_utils/policy/_effective.py; each rule and its
evidence in docs/claude-code-rules.md): JavaScript's String() of env values, the CLI's field
schemas, the merge customizer, the composition of the MDM plist with the file (first-wins and
merge, per-user plists), whether Claude Code starts on the provider and endpoint it is given, the
crash of the oldest CLI on deep documents, held files, and what the host cannot show.
tests/unit/test_judge_matches_cli.py checks the same judge against every recorded CLI verdict."""

from __future__ import annotations

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective as E
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _posture
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

MAIN = "/etc/claude-code/managed-settings.json"
DROP = "/etc/claude-code/managed-settings.d/"
PLIST = "/Library/Managed Preferences/com.anthropic.claudecode.plist"
LOCKED = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"}


def src(path, content=None, status="ok", kind=None, ours=False, **extra):
    kind = kind or ("dropin" if "/managed-settings.d/" in path else "plist" if path.endswith(".plist") else "main")
    entry = {"path": path, "kind": kind, "ours": ours, "status": status, "sha256": None, "error": None}
    entry.update(content=content, reason=None, held=None, depth=2, cut=[], outside=None)
    entry.update(extra)
    return entry


def ours(policy, path=MAIN):
    return src(path, compute(policy)["settings"], ours=True)


def judge(policy, sources, **kw):
    computed = compute(policy)
    return E.evaluate(computed["policy"], computed["posture"], computed["settings"], sources, **kw)


# ------------------------------------------------------------------ JavaScript's String()
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (1.0, "1"),
        (-0.0, "0"),
        (1.5, "1.5"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-7, "1e-7"),
        (0.000001, "0.000001"),
        (1.2345678901234568e29, "1.2345678901234568e+29"),
        (float("inf"), "Infinity"),
        (True, "true"),
        (None, "null"),
        ([], ""),
        ([1, [2, None], "a"], "1,2,,a"),
        ({}, "[object Object]"),
    ],
)
def test_env_values_become_strings_as_javascript_makes_them(value, text):
    assert E.js_string(value) == text


# ------------------------------------------------------------------ the CLI's schema
def test_fields_are_checked_against_the_cli_schema():
    assert E.fits(5, {"type": "integer", "minimum": 1}) and not E.fits(0, {"type": "integer", "minimum": 1})
    assert not E.fits(2.5, {"type": "integer"}) and not E.fits(True, {"type": "integer"})
    assert not E.fits(float("inf"), {"type": "number"}) and not E.fits(2**60, {"type": "integer"})
    assert E.fits("5m", {"enum": ["5m", "1h"]}) and not E.fits(5, {"enum": ["5m", "1h"]})
    assert E.fits(True, {"anyOf": [{"type": "boolean"}, {"type": "object"}]})
    assert not E.fits({"a": 1}, {"type": "object", "additionalProperties": {"type": "string"}})
    kept, problems = E.check_fields(
        {
            "env": {"A": 1, "B": None, "C": {"x": 1}},
            "cleanupPeriodDays": -0.0,
            "allowedProviders": ["bedrock", "nosuch"],
            "xUnknown": [1],
            "skipWebFetchPreflight": "true",
        },
        MAIN,
    )
    assert kept == {
        "env": {"A": "1", "B": "null", "C": "[object Object]"},
        "allowedProviders": ["bedrock"],
        "xUnknown": [1],
    }
    assert [(p["key"], p["kind"]) for p in problems] == [
        ("cleanupPeriodDays", "schema"),
        ("skipWebFetchPreflight", "schema"),
    ]
    kept, problems = E.check_fields({"allowedProviders": "bedrock", "env": "x"}, MAIN)
    assert kept == {"allowedProviders": []}
    assert [(p["key"], p["kind"]) for p in problems] == [("allowedProviders", "allowlist-emptied"), ("env", "schema")]


def test_a_field_of_the_wrong_type_keeps_the_earlier_value_and_is_not_ours_to_blame():
    vendor = DROP + "50-vendor.json"
    ev = judge(LOCKED, [ours(LOCKED), src(vendor, {"env": "off", "skipWebFetchPreflight": "no"})])
    assert ev["weaker"] == [] and ev["broken"] == []
    assert {(p["file"], p["key"]) for p in ev["problems"]} == {(vendor, "env"), (vendor, "skipWebFetchPreflight")}


# ------------------------------------------------------------------ merging files
def test_the_merge_customizer():
    settings, origins, _problems = E.merge(
        [
            src(MAIN, {"fallbackModel": ["a"], "managedMcpServers": {"s": {"u": 1, "v": 2}}, "x": [1, True, {"o": 1}]}),
            src(
                DROP + "10.json",
                {"fallbackModel": ["b"], "managedMcpServers": {"s": {"u": 3}}, "x": [1.0, 1, {"o": 1}]},
            ),
        ]
    )
    assert settings["fallbackModel"] == ["b"]  # replaced
    assert settings["managedMcpServers"] == {"s": {"u": 3}}  # an entry replaced whole
    assert settings["x"] == [1, True, {"o": 1}, {"o": 1}]  # a Set: 1 and 1.0 are one, true is not 1, objects stay
    assert origins["managedMcpServers.s"] == DROP + "10.json"
    assert not [name for name in origins if name.startswith("managedMcpServers.s.")]


# ------------------------------------------------------------------ MDM plists
def test_first_wins_keeps_only_the_plist_but_env():
    plist = src(PLIST, {"env": {"X": "1"}, "allowedProviders": ["vertex"]})
    ev = judge(LOCKED, [ours(LOCKED), plist])
    assert ev["mdm"] == PLIST and ev["behavior"] == "first-wins"
    assert ev["settings"]["allowedProviders"] == ["vertex"]  # not intersected with the file's [bedrock]
    assert ev["settings"]["env"]["X"] == "1" and ev["settings"]["env"]["CLAUDE_CODE_USE_BEDROCK"] == "1"
    assert [b["status"] for b in ev["broken"]] == ["refused"]  # Bedrock is not in the plist's list


def test_merge_mode_unions_but_the_highest_source_owns_the_allowlists():
    file_doc = compute(LOCKED)["settings"]
    file_doc = dict(file_doc, apiKeyHelper="/bin/file-helper", disableAllHooks=True, companyAnnouncements=["a"])
    plist = src(
        PLIST,
        {"managedSourcesBehavior": "merge", "allowedProviders": ["bedrock", "vertex"], "companyAnnouncements": ["b"]},
    )
    ev = judge(LOCKED, [src(MAIN, file_doc, ours=True), plist])
    settings = ev["settings"]
    assert ev["behavior"] == "merge"
    assert settings["allowedProviders"] == ["bedrock", "vertex"]  # the plist's, whole
    assert settings["companyAnnouncements"] == ["a", "b"] and settings["disableAllHooks"] is True
    assert "apiKeyHelper" not in settings  # taken from the highest source only
    assert [w["control"] for w in ev["weaker"]] == ["provider_lock"]


def test_a_per_user_plist_applies_to_its_account():
    user = src(
        "/Library/Managed Preferences/ann/com.anthropic.claudecode.plist",
        {"env": {"CLAUDE_CODE_USE_BEDROCK": ""}},
        kind="plist-user",
        user="ann",
    )
    ev = judge(LOCKED, [ours(LOCKED), user])
    assert ev["mdm"] is None and not [b for b in ev["broken"] if "user" not in b]
    theirs = [w for w in ev["weaker"] if w.get("user") == "ann"] + [b for b in ev["broken"] if b.get("user") == "ann"]
    assert theirs, ev  # ann's Claude Code goes to Anthropic, which the lock refuses
    # a plist the account can change counts only with real policy keys (2.1.332's reader)
    held = dict(user, held="owned by uid 501", content={"managedSourcesBehavior": "merge"})
    device = src(PLIST, {"env": {"X": "1"}})
    assert E.state([ours(LOCKED), held, device], user="ann")["mdm"] == PLIST


# ------------------------------------------------------------------ starting at all
def test_a_locked_host_switched_by_a_foreign_dropin_is_broken():
    vertex = {
        "CLAUDE_CODE_USE_BEDROCK": "",
        "CLAUDE_CODE_USE_VERTEX": "1",
        "CLOUD_ML_REGION": "us-east5",
        "ANTHROPIC_VERTEX_PROJECT_ID": "acme-prod",
    }
    vendor = DROP + "70-vertex.json"
    ev = judge(LOCKED, [ours(LOCKED), src(vendor, {"env": vertex})])
    (broken,) = ev["broken"]
    assert broken["status"] == "refused" and broken["file"] == vendor and broken["key"] == "env.CLAUDE_CODE_USE_VERTEX"
    assert (
        "Google Vertex AI" in broken["reason"]
        and "allowedProviders [bedrock]" in broken["reason"]
        and MAIN in broken["reason"]
    )
    # the same drop-in that also lists vertex: Claude Code starts on Vertex (lists are combined), weakened
    ev = judge(LOCKED, [ours(LOCKED), src(vendor, {"env": vertex, "allowedProviders": ["vertex"]})])
    assert ev["broken"] == [] and {w["control"] for w in ev["weaker"]} >= {"provider", "provider_lock"}


@pytest.mark.parametrize(
    ("env", "allowed", "starts"),
    [
        ({"ANTHROPIC_BASE_URL": "https://gw.example"}, ["anthropic"], False),
        ({"ANTHROPIC_BASE_URL": "https://gw.example"}, ["anthropic", "customEndpoint"], True),
        ({"ANTHROPIC_BASE_URL": "https://api.anthropic.com"}, ["anthropic"], True),
        (
            {
                "CLAUDE_CODE_USE_BEDROCK": "1",
                "ANTHROPIC_BEDROCK_BASE_URL": "https://bedrock-runtime.us-east-1.amazonaws.com",
            },
            ["bedrock"],
            True,
        ),
        (
            {
                "CLAUDE_CODE_USE_BEDROCK": "1",
                "ANTHROPIC_BEDROCK_BASE_URL": "http://bedrock-runtime.us-east-1.amazonaws.com",
            },
            ["bedrock"],
            False,
        ),
        ({}, [], False),
        ({}, ["customEndpoint"], False),
    ],
)
def test_provider_and_endpoint_against_allowed_providers(env, allowed, starts):
    view = E.state([src(MAIN, {"env": env, "allowedProviders": allowed})])
    assert view["starts"] is starts, view["refusal"]


def test_a_custom_endpoint_must_be_pinned_in_the_managed_env():
    doc = {"allowedProviders": ["anthropic", "customEndpoint"]}
    assert not E.state([src(MAIN, doc)], shell_env={"ANTHROPIC_BASE_URL": "https://gw.example"})["starts"]
    pinned = dict(doc, env={"ANTHROPIC_BASE_URL": "https://gw.example"})
    assert E.state([src(MAIN, pinned)], shell_env={"ANTHROPIC_BASE_URL": "https://other.example"})["starts"]


def test_the_oldest_cli_crashes_on_a_deep_document_the_newer_cut_it():
    deep = src(DROP + "50-deep.json", {"x": None}, depth=5001, cut=["x"])
    old = E.state([src(MAIN, {}), deep], cli_version="2.1.285")
    assert not old["starts"] and old["crash"] == {"file": deep["path"], "depth": 5001}
    new = E.state([src(MAIN, {}), deep], cli_version="2.1.337")
    assert new["starts"] and [(p["key"], p["kind"]) for p in new["problems"]] == [("x", "nesting")]
    ev = judge(LOCKED, [ours(LOCKED), deep], cli_version="2.1.285")
    assert ev["broken"][0]["status"] == "crash" and "RangeError" in ev["broken"][0]["reason"]


def test_skipped_sources_warn_and_ours_skipped_weakens():
    vendor = src(DROP + "50-big.json", status="skipped", reason="too-large", error="larger than 2097152 bytes")
    ev = judge(LOCKED, [ours(LOCKED), vendor])
    assert ev["weaker"] == [] and ev["broken"] == [] and [p["kind"] for p in ev["problems"]] == ["too-large"]
    mine = src(MAIN, status="skipped", reason="unreadable", error="account 1000 cannot read it", ours=True)
    ev = judge(LOCKED, [mine])
    assert ev["broken"] == [] and ev["starts"]
    assert ev["weaker"][0]["control"] == "provider" and "source" in [w["control"] for w in ev["weaker"]]


def test_a_file_a_user_can_change_weakens_the_host():
    ev = judge(LOCKED, [dict(ours(LOCKED), held=f"{MAIN} is owned by uid 1000")])
    assert [(w["control"], w["file"], w["effective"]) for w in ev["weaker"]] == [
        ("held", MAIN, "a user can change this policy")
    ]


def test_what_the_host_cannot_show():
    post = compute(LOCKED)["posture"]
    assert post["not_visible"][0].startswith("server-managed settings") and post["policy_helper"] is None
    helper = dict(LOCKED, settings={"policyHelper": {"command": "/usr/local/bin/policy"}})
    computed = compute(helper)
    assert computed["posture"]["policy_helper"] == "policyHelper" and len(computed["posture"]["not_visible"]) == 2
    ev = judge(helper, [ours(helper)])
    assert ev["policy_helper"] == {"key": "policyHelper", "file": MAIN} and ev["posture"] == computed["posture"]
    assert any("policy helper" in line for line in _posture.summary_lines(computed["posture"]))
