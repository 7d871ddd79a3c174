"""The effective state: managed sources merged the way Claude Code merges them, judged against
the intended posture (weaker controls name file and key; an unparseable source breaks the host)."""

import json
import os

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _sources
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective as E
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
    assert ev["broken"] == [{"file": broken, "status": "unparseable", "error": "not valid JSON"}]


def test_mdm_plist_wins_for_keys_but_env_merges():
    air = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "airgapped"}
    plist = src("/Library/Managed Preferences/com.anthropic.claudecode.plist", {"env": {"X_ORG": "1"}}, kind="plist")
    ev = judge(air, [ours_for(air), plist])
    assert ev["values"]["env.DISABLE_TELEMETRY"]["file"] == MAIN
    assert [w["control"] for w in ev["weaker"]] == ["webfetch_check"], "first-wins drops skipWebFetchPreflight"


def test_cli_version_warnings():
    sources = [src(MAIN, {}), src(DROP + "10-a.json", {})]
    old = E.cli_warnings({"path": "/usr/bin/claude", "version": "2.1.80"}, "private", sources)
    assert any("2.1.83" in w for w in old) and any("2.1.259" in w for w in old)
    assert E.cli_warnings({"path": "/usr/bin/claude", "version": "2.1.331"}, "private", sources) == []
    assert E.cli_warnings(None, "private", sources) == []


def test_the_module_reads_what_claude_code_reads(tmp_path):
    base = tmp_path / "claude-code"
    (base / "managed-settings.d").mkdir(parents=True)
    (base / "managed-settings.json").write_text(
        json.dumps({"env": {"ANTHROPIC_API_KEY": "sk-ant-api03-SECRETSECRETSECRET"}})
    )
    (base / "managed-settings.d" / "10-empty.json").write_text("")
    (base / "managed-settings.d" / "20-broken.json").write_text('{"env":{')
    (base / "managed-settings.d" / ".30-hidden.json").write_text("{}")
    (base / "managed-settings.d" / "40-notes.txt").write_text("x")
    (base / "managed-mcp.json").write_text(json.dumps({"mcpServers": {"jira": {"url": "https://jira.example"}}}))
    found = _sources.managed_sources(str(base / "managed-settings.json"), "Debian")
    summary = [(os.path.basename(e["path"]), e["kind"], e["status"], e["ours"]) for e in found]
    assert summary == [
        ("managed-settings.json", "main", "ok", True),
        (".30-hidden.json", "dropin", "ignored", False),
        ("10-empty.json", "dropin", "ok", False),
        ("20-broken.json", "dropin", "unparseable", False),
        ("40-notes.txt", "dropin", "ignored", False),
        ("managed-mcp.json", "mcp", "ok", False),
    ]
    assert found[2]["content"] == {} and found[0]["sha256"] and len(found[0]["sha256"]) == 64


@pytest.mark.parametrize("version, expected", [("2.1.331", "2.1.331"), (None, None)])
def test_cli_version_from_its_package(tmp_path, version, expected):
    pkg = tmp_path / "lib" / "node_modules" / "@anthropic-ai" / "claude-code-linux-x64"
    pkg.mkdir(parents=True)
    exe = pkg / "claude"
    exe.write_text("#!/bin/sh\nexit 3\n")
    exe.chmod(0o755)
    if version:
        (pkg / "package.json").write_text(
            json.dumps({"name": "@anthropic-ai/claude-code-linux-x64", "version": version})
        )
    link = tmp_path / "claude"
    link.symlink_to(exe)
    found = _sources.cli_version([str(tmp_path / "missing"), str(link)], lambda argv: (3, "", "no"))
    assert found["path"] == str(link) and found["version"] == expected
