"""The effective state: managed sources merged the way Claude Code merges them, judged against
the intended posture (weaker controls name file and key; an unparseable source breaks the host)."""

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective as E
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

MAIN = "/etc/claude-code/managed-settings.json"
DROP = "/etc/claude-code/managed-settings.d/"


def src(path, content=None, status="ok", kind=None, ours=False, error=None):
    kind = kind or (
        "dropin" if "/managed-settings.d/" in path else "mcp" if path.endswith("managed-mcp.json") else "main"
    )
    return {
        "path": path,
        "kind": kind,
        "ours": ours,
        "status": status,
        "sha256": None,
        "error": error,
        "content": content,
    }


def judge(policy, sources):
    computed = compute(policy)
    return E.evaluate(computed["policy"], computed["posture"], computed["settings"], sources)


PRIVATE_BEDROCK = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"}


def ours_for(policy, path=MAIN):
    return src(path, compute(policy)["settings"], ours=True)


def test_merge_rules():
    settings, origins, problems = E.merge(
        [
            src(
                MAIN,
                {
                    "env": {"A": "1", "B": "1"},
                    "permissions": {"allow": ["x"]},
                    "cleanupPeriodDays": 10,
                    "modelPicker": {"a": 1, "b": 2},
                },
            ),
            src(
                DROP + "10-a.json",
                {
                    "env": {"B": "2"},
                    "permissions": {"allow": ["x", "y"], "deny": ["z"]},
                    "cleanupPeriodDays": 5,
                    "modelPicker": {"c": 3},
                },
            ),
            src(DROP + ".hidden.json", status="ignored"),
            src("/etc/claude-code/managed-mcp.json", {"mcpServers": {"s": {}}}),
        ]
    )
    assert settings == {
        "env": {"A": "1", "B": "2"},
        "permissions": {"allow": ["x", "y"], "deny": ["z"]},
        "cleanupPeriodDays": 5,
        "modelPicker": {"c": 3},
    }
    assert origins["env.A"] == MAIN and origins["env.B"] == DROP + "10-a.json"
    assert origins["modelPicker"] == DROP + "10-a.json" and problems == []


def test_compliant_when_only_ours():
    ev = judge(PRIVATE_BEDROCK, [ours_for(PRIVATE_BEDROCK)])
    assert ev["weaker"] == [] and ev["broken"] == []
    assert ev["values"]["env.DISABLE_TELEMETRY"] == {"value": "1", "file": MAIN}
    assert ev["posture"]["traffic"]["telemetry"]["enabled"] is False


@pytest.mark.parametrize(
    "policy",
    [
        PRIVATE_BEDROCK,
        {"provider": "anthropic", "plan": "enterprise", "profile": "standard", "env": {"ACME_COST_CENTRE": "42"}},
        {
            "provider": "vertex",
            "vertex_project_id": "acme-ml-prod",
            "vertex_region": "eu",
            "profile": "airgapped",
            "base_url": "https://llm-gw.example.com",
        },
    ],
)
def test_a_compliant_host_is_in_the_posture_intended(policy):
    # Equal states give equal postures (the drift report stores one posture for both, and shows
    # no difference), an organisation's own variables included.
    computed = compute(policy)
    ev = judge(policy, [ours_for(policy)])
    assert ev["posture"] == computed["posture"]


def test_a_later_empty_value_turns_telemetry_back_on_and_is_named():
    vendor = DROP + "50-vendor.json"
    ev = judge(PRIVATE_BEDROCK, [ours_for(PRIVATE_BEDROCK), src(vendor, {"env": {"DISABLE_TELEMETRY": ""}})])
    controls = {w["control"]: w for w in ev["weaker"]}
    # on Bedrock telemetry stays off by default; the survey is what DISABLE_TELEMETRY also kept off
    assert "telemetry" not in controls
    anth = {"provider": "anthropic", "plan": "team", "profile": "private"}
    ev = judge(anth, [ours_for(anth), src(vendor, {"env": {"DISABLE_TELEMETRY": ""}})])
    controls = {w["control"]: w for w in ev["weaker"]}
    assert controls["telemetry"]["file"] == vendor and controls["telemetry"]["key"] == "env.DISABLE_TELEMETRY"
    assert controls["telemetry"]["found"] == ""


def test_a_stricter_foreign_value_is_fine():
    ev = judge(
        PRIVATE_BEDROCK,
        [
            ours_for(PRIVATE_BEDROCK),
            src(
                DROP + "60-more.json",
                {"env": {"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}, "skipWebFetchPreflight": True},
            ),
        ],
    )
    assert ev["weaker"] == [] and ev["posture"]["traffic"]["webfetch_check"]["enabled"] is False


def test_our_dropin_overridden_by_a_later_one_and_overriding_an_earlier_one():
    air = {
        "provider": "vertex",
        "vertex_project_id": "acme-ml-prod",
        "vertex_region": "us-east5",
        "profile": "airgapped",
    }
    ours = DROP + "50-fleet.json"
    earlier = src(
        DROP + "10-vendor.json",
        {"env": {"CLAUDE_CODE_USE_VERTEX": "", "DISABLE_UPDATES": ""}, "skipWebFetchPreflight": False},
    )
    assert judge(air, [earlier, ours_for(air, ours)])["weaker"] == []
    later = src(DROP + "90-vendor.json", {"skipWebFetchPreflight": False})
    weaker = judge(air, [earlier, ours_for(air, ours), later])["weaker"]
    assert [(w["control"], w["file"], w["key"]) for w in weaker] == [
        ("webfetch_check", later["path"], "skipWebFetchPreflight")
    ]


def test_provider_switched_by_a_foreign_file():
    anth = {"provider": "anthropic", "plan": "enterprise", "profile": "standard"}
    other = DROP + "20-bedrock.json"
    ev = judge(anth, [ours_for(anth), src(other, {"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"}})])
    provider = [w for w in ev["weaker"] if w["control"] == "provider"]
    assert provider and provider[0]["file"] == other and "bedrock" in provider[0]["effective"]


def test_unparseable_source_breaks_the_host():
    broken = DROP + "60-broken.json"
    ev = judge(PRIVATE_BEDROCK, [ours_for(PRIVATE_BEDROCK), src(broken, status="unparseable", error="not valid JSON")])
    assert ev["broken"] == [
        {
            "file": broken,
            "key": None,
            "status": "unparseable",
            "error": "not valid JSON",
            "reason": f"Claude Code will refuse to start on this host: {broken} is unparseable (not valid JSON)",
        }
    ]
    assert ev["starts"] is False


def test_mdm_plist_wins_for_keys_but_env_merges():
    """first-wins (the default managedSourcesBehavior): the plist is the managed tier alone, env
    merges per variable; the file's allowedProviders is dropped too (its lists are not intersected
    with the plist's: docs/claude-code-rules.md, section 13)."""
    air = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "airgapped"}
    plist = src("/Library/Managed Preferences/com.anthropic.claudecode.plist", {"env": {"X_ORG": "1"}}, kind="plist")
    ev = judge(air, [ours_for(air), plist])
    assert ev["values"]["env.DISABLE_TELEMETRY"]["file"] == MAIN and ev["mdm"] == plist["path"]
    assert [w["control"] for w in ev["weaker"]] == ["webfetch_check", "provider_lock"]


def test_cli_version_warnings():
    sources = [src(MAIN, {}), src(DROP + "10-a.json", {})]
    old = E.cli_warnings({"path": "/usr/bin/claude", "version": "2.1.80"}, "private", sources)
    assert any("2.1.83" in w for w in old) and any("2.1.259" in w for w in old)
    assert E.cli_warnings({"path": "/usr/bin/claude", "version": "2.1.331"}, "private", sources) == []
    assert E.cli_warnings(None, "private", sources) == []


def test_cli_version_warnings_follow_the_profile_and_what_it_implies():
    sources = [src(MAIN, {})]
    cli = {"path": "/usr/bin/claude", "version": "2.1.240"}

    def versions(profile):
        return sorted({w.split(" ")[6].rstrip(",") for w in E.cli_warnings(cli, profile, sources)})

    # private's (feedbackDrafts 2.1.247, its transcript key 2.1.248, disableClaudeAiConnectors
    # 2.1.273, the lock 2.1.285 and the lock that holds on Bedrock token counting 2.1.325) hold for
    # airgapped too; standard relies on none of them.
    assert versions("standard") == ["2.1.259"]
    assert versions("private") == ["2.1.247", "2.1.248", "2.1.259", "2.1.273", "2.1.285", "2.1.325"]
    assert versions("airgapped") == versions("private")
    assert any("the lock leaks" in w for w in E.cli_warnings(cli, "private", sources))
    assert all("(CHANGELOG 2.1." in w for w in E.cli_warnings(cli, "airgapped", sources))


def test_a_gateway_url_without_a_host_is_an_unknown_endpoint_not_a_crash():
    gw = {"provider": "anthropic", "plan": "api", "profile": "private", "base_url": "https://llm-gw.example.com"}
    ev = judge(gw, [ours_for(gw), src(DROP + "50-x.json", {"env": {"ANTHROPIC_BASE_URL": "1"}})])
    assert ev["posture"] is None
    assert [(w["control"], w["effective"]) for w in ev["weaker"]] == [("provider", "anthropic (endpoint unknown)")]


def test_an_unknown_endpoint_does_not_hide_the_provider_lock():
    """The lock is read from the settings: it holds here, and is reported when it does not."""
    vendor = src(DROP + "50-x.json", {"env": {"AWS_REGION": ""}})
    ev = judge(PRIVATE_BEDROCK, [ours_for(PRIVATE_BEDROCK), vendor])
    assert [w["control"] for w in ev["weaker"]] == ["provider"]
    vendor["content"]["allowedProviders"] = ["bedrock", "anthropic"]
    ev = judge(PRIVATE_BEDROCK, [ours_for(PRIVATE_BEDROCK), vendor])
    assert [w["control"] for w in ev["weaker"]] == ["provider", "provider_lock"]


def test_a_survey_rate_of_false_is_dropped_and_ours_stays():
    """Claude Code's schema takes a number for feedbackSurveyRate (cli_names.json): a later false fails it,
    so Claude Code drops that field and keeps the earlier value (docs/claude-code-rules.md, section 9,
    wrong-type-field-rest-applies): not a weakening, and not our file's fault."""
    quiet = {"provider": "bedrock", "aws_region": "us-east-1", "settings": {"feedbackSurveyRate": 0}}
    assert compute(quiet)["posture"]["traffic"]["surveys"]["enabled"] is False
    ev = judge(quiet, [ours_for(quiet), src(DROP + "50-x.json", {"feedbackSurveyRate": False})])
    assert ev["weaker"] == [] and ev["values"]["feedbackSurveyRate"] == {"value": 0, "file": MAIN}
    assert [(p["file"], p["key"], p["kind"]) for p in ev["problems"]] == [
        (DROP + "50-x.json", "feedbackSurveyRate", "schema")
    ]


def test_a_switch_that_is_set_but_off_is_never_named_as_the_reason():
    """DISABLE_UPDATES=0 is in the document but reads as off: the updates are off by DISABLE_AUTOUPDATER,
    the reason says so, and a vendor file undoing it is named with that key."""
    anth = {"provider": "anthropic", "plan": "team", "env": {"DISABLE_UPDATES": "0", "DISABLE_AUTOUPDATER": "1"}}
    why = compute(anth)["posture"]["traffic"]["auto_updates"]["why"]
    assert why == "off: DISABLE_AUTOUPDATER=1 (the fleet owns upgrades)"
    vendor = src(DROP + "50-x.json", {"env": {"DISABLE_AUTOUPDATER": "0"}})
    weaker = judge(anth, [ours_for(anth), vendor])["weaker"]
    assert [(w["control"], w["key"], w["file"]) for w in weaker] == [
        ("auto_updates", "env.DISABLE_AUTOUPDATER", vendor["path"])
    ]


def test_connectors_turned_off_by_the_variable_name_its_value():
    anth = {"provider": "anthropic", "plan": "team", "env": {"ENABLE_CLAUDEAI_MCP_SERVERS": False}}
    why = compute(anth)["posture"]["traffic"]["claude_ai_connectors"]["why"]
    assert why == "off: ENABLE_CLAUDEAI_MCP_SERVERS=0"


def test_a_dropin_that_denies_webfetch_is_honoured_in_the_effective_posture():
    """Deny lists are joined across managed files: a drop-in that denies the whole WebFetch tool turns
    off what uses it (stricter than the policy, so nothing is weaker), and names its file."""
    anth = {"provider": "anthropic", "plan": "team", "profile": "private"}
    vendor = DROP + "40-security.json"
    ev = judge(anth, [ours_for(anth), src(vendor, {"permissions": {"deny": ["WebFetch"]}})])
    assert ev["weaker"] == []
    assert ev["posture"]["traffic"]["docs_lookup"]["enabled"] is False
    assert ev["posture"]["traffic"]["webfetch_check"]["enabled"] is False
    ours = F.PROFILES["private"]["settings"]["permissions"]["deny"]
    assert ev["values"]["permissions"] == {"value": {"deny": ours + ["WebFetch"]}, "file": vendor}
