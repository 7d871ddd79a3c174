"""The real Claude Code CLI reads what the collection computes: every provider x profile, written
as managed settings and checked with `claude doctor` (scripts/claude-doctor.sh, offline, in private
namespaces), on every CLI of the supported range: the oldest supported, the pinned one and the
newest on npm today. No 'Invalid settings', and the provider / telemetry / update state intended."""

import json
import os
import subprocess

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.cli import CLI_RANGE, run_cli

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCTOR = os.path.join(ROOT, "scripts", "claude-doctor.sh")
PARAMS = {
    "anthropic": {"plan": "enterprise"},
    "bedrock": {"aws_region": "us-east-1"},
    "vertex": {"vertex_project_id": "acme-ml-prod", "vertex_region": "us-east5"},
    "foundry": {"foundry_resource": "acme-ai"},
    "anthropic_aws": {"aws_region": "us-east-1", "anthropic_aws_workspace_id": "wrkspc_fleet01"},
}
LABELS = {
    "bedrock": "Amazon Bedrock",
    "vertex": "Google Vertex AI",
    "foundry": "Microsoft Foundry",
    "anthropic_aws": "Claude Platform on AWS",
}


def doctor(tmp_path, document, dropin=None, cli_dir=None):
    folder = tmp_path / "claude-code"
    folder.mkdir()
    (folder / "managed-settings.json").write_text(json.dumps(document, indent=2))
    if dropin:
        (folder / "managed-settings.d").mkdir()
        (folder / "managed-settings.d" / dropin[0]).write_text(json.dumps(dropin[1]))
    return run_cli(folder, cli_dir=cli_dir)


@pytest.mark.parametrize("cli", CLI_RANGE, ids=[label for label, _dir in CLI_RANGE])
@pytest.mark.parametrize("provider", F.PROVIDERS)
@pytest.mark.parametrize("profile", F.PROFILES)
def test_doctor_accepts_and_reflects_the_computed_settings(tmp_path, provider, profile, cli):
    document = compute(dict(PARAMS[provider], provider=provider, profile=profile))["settings"]
    rc, out = doctor(tmp_path, document, cli_dir=cli[1])
    assert rc == 0, out
    assert "Invalid settings" not in out and "could not be parsed" not in out, out
    # every tool the profile denies is one the CLI knows (it names the others, since 2.1.3xx)
    assert "matches no known tool" not in out, out
    # the paths to claude.ai that private closes: doctor reports Remote Control's switch
    assert ("Disabled by org policy (disableRemoteControl)" in out) is (profile != "standard"), out
    # provider
    if provider == "anthropic":
        assert "CLAUDE_CODE_USE_" not in out
    else:
        switch = F.PROVIDER_SWITCH[provider]
        assert f"{switch} is set, so this session is using {LABELS[provider]}" in out, out
    # telemetry (feature flags are evaluated only with telemetry on)
    flags_off = [line.strip() for line in out.splitlines() if "Feature-flag evaluation disabled" in line]
    if profile == "airgapped":
        assert flags_off == [
            "- Feature-flag evaluation disabled (disabled by CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC)"
        ], out
    elif profile == "private":
        assert flags_off and flags_off[0].startswith("- Feature-flag evaluation disabled"), out
        if provider == "anthropic":
            assert flags_off == ["- Feature-flag evaluation disabled (disabled by DISABLE_TELEMETRY)"], out
    elif provider == "anthropic":
        assert flags_off == [], out
    # updates and non-essential traffic
    if profile == "airgapped":
        assert "Auto-updates: disabled (set by env:" in out, out
        if provider == "anthropic" and "API connectivity" in out:  # a section doctor has since 2.1.3xx
            assert "Not tested: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set" in out, out
    else:
        assert "Auto-updates: enabled" in out, out


@pytest.mark.parametrize("cli", CLI_RANGE, ids=[label for label, _dir in CLI_RANGE])
def test_private_keeps_the_organisations_own_permissions_and_adds_its_denials(tmp_path, cli):
    """The profile's deny rules are joined with the policy's own permissions: the CLI takes the
    merged block whole, and still names a deny rule for a tool it does not know (the control)."""
    own = {"allow": ["Read"], "deny": ["Bash(rm -rf *)", "NoSuchToolForTheControl"]}
    document = compute(dict(PARAMS["bedrock"], provider="bedrock", profile="private", settings={"permissions": own}))[
        "settings"
    ]
    assert document["permissions"]["deny"][:2] == own["deny"] and "Artifact" in document["permissions"]["deny"]
    rc, out = doctor(tmp_path, document, cli_dir=cli[1])
    assert rc == 0 and "Invalid settings" not in out, out
    unknown = [line for line in out.splitlines() if "matches no known tool" in line]
    assert len(unknown) == 1 and "NoSuchToolForTheControl" in unknown[0], out


def test_doctor_flags_a_schema_error_so_the_check_can_fail(tmp_path):
    document = compute({"provider": "anthropic", "plan": "team"})["settings"]
    document["cleanupPeriodDays"] = "bad"  # bypasses the core's own type check on purpose
    rc, out = doctor(tmp_path, document)
    assert "Invalid settings" in out and "cleanupPeriodDays" in out


def test_managed_env_wins_over_a_stale_shell_export(tmp_path):
    """What the role relies on: the managed env block beats a variable exported in the shell."""
    folder = tmp_path / "claude-code"
    folder.mkdir()
    document = compute({"provider": "bedrock", "aws_region": "us-east-1", "profile": "airgapped"})["settings"]
    (folder / "managed-settings.json").write_text(json.dumps(document))
    proc = subprocess.run(
        [DOCTOR, str(folder), "CLAUDE_CODE_USE_VERTEX=", "DISABLE_UPDATES="],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode == 77:
        pytest.skip("real Claude Code CLI not available: " + proc.stderr.strip())
    assert "CLAUDE_CODE_USE_BEDROCK is set" in proc.stdout
    assert "Auto-updates: disabled" in proc.stdout
