"""The collection's effective state equals what the real Claude Code CLI applies.

For each combination of our file and foreign managed files, the managed_settings module reads
the folder in check mode (as the drift run does), the apply action's judgement merges and judges
it, and the drift report gives the host its status. The same folder is then bind-mounted on
/etc/claude-code for the pinned CLI's `claude doctor` (scripts/claude-doctor.sh: no network, an
empty HOME). The provider, the telemetry state and "refuses to start" must agree.
"""

import json
import os
import re
import subprocess

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import judge
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import run

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCTOR = os.path.join(ROOT, "scripts", "claude-doctor.sh")
PRIVATE = {"provider": "anthropic", "plan": "enterprise", "profile": "private"}
STANDARD = {"provider": "anthropic", "plan": "enterprise", "profile": "standard"}
BEDROCK = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"}
LABELS = {"Amazon Bedrock": "bedrock", "Google Vertex AI": "vertex", "Microsoft Foundry": "foundry"}
VERTEX_ENV = {
    "CLAUDE_CODE_USE_BEDROCK": "",
    "CLAUDE_CODE_USE_VERTEX": "1",
    "CLOUD_ML_REGION": "us-east5",
    "ANTHROPIC_VERTEX_PROJECT_ID": "acme-ml-prod",
}

# id: (policy, where our file goes, {foreign file: text}, expected status)
CASES = {
    "weakening-dropin": (
        PRIVATE,
        "managed-settings.json",
        {"managed-settings.d/50-vendor.json": '{"env":{"DISABLE_TELEMETRY":""}}'},
        "weakened",
    ),
    "strengthening-dropin": (
        STANDARD,
        "managed-settings.json",
        {"managed-settings.d/50-vendor.json": '{"env":{"DISABLE_TELEMETRY":"1"}}'},
        "compliant",
    ),
    "benign-dropin": (
        PRIVATE,
        "managed-settings.json",
        {"managed-settings.d/50-vendor.json": '{"companyAnnouncements":["Hello"],"cleanupPeriodDays":20}'},
        "compliant",
    ),
    "unparseable-dropin": (
        PRIVATE,
        "managed-settings.json",
        {"managed-settings.d/60-broken.json": '{"env":{'},
        "broken",
    ),
    "hidden-file": (
        PRIVATE,
        "managed-settings.json",
        {"managed-settings.d/.50-vendor.json": '{"env":{"DISABLE_TELEMETRY":""}}'},
        "compliant",
    ),
    "not-json-name": (
        PRIVATE,
        "managed-settings.json",
        {"managed-settings.d/50-vendor.conf": '{"env":{"DISABLE_TELEMETRY":""}}'},
        "compliant",
    ),
    "ours-as-dropin-overrides-earlier": (
        PRIVATE,
        "managed-settings.d/50-fleet.json",
        {"managed-settings.d/10-vendor.json": '{"env":{"DISABLE_TELEMETRY":""}}'},
        "compliant",
    ),
    "ours-as-dropin-overridden-by-main": (
        PRIVATE,
        "managed-settings.d/50-fleet.json",
        {
            "managed-settings.json": '{"env":{"DISABLE_TELEMETRY":"1"}}',
            "managed-settings.d/90-vendor.json": '{"env":{"DISABLE_TELEMETRY":""}}',
        },
        "weakened",
    ),
    "object-merge-switches-provider": (
        STANDARD,
        "managed-settings.json",
        {
            "managed-settings.d/20-bedrock.json": '{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","AWS_REGION":"us-east-1"},"permissions":{"deny":["WebFetch"]}}'
        },
        "weakened",
    ),
    # The private profile locks the provider (allowedProviders [bedrock]): Claude Code refuses a
    # session switched to Vertex (tests/data/cli_cases.json, providers-shell-vertex-refused; doctor
    # does not test a cloud provider's route, so only the "provider" column is compared here).
    "later-dropin-moves-bedrock-to-vertex": (
        BEDROCK,
        "managed-settings.json",
        {"managed-settings.d/70-vertex.json": json.dumps({"env": VERTEX_ENV})},
        "broken",
    ),
}


def _doctor(folder):
    proc = subprocess.run([DOCTOR, str(folder)], capture_output=True, text=True, timeout=180, check=False)
    if proc.returncode == 77:
        pytest.skip("real Claude Code CLI not available: " + (proc.stderr.strip() or "see scripts/bootstrap.sh"))
    out = proc.stdout
    match = re.search(r"CLAUDE_CODE_USE_\w+ is set, so this session is using ({})".format("|".join(LABELS)), out)
    return {
        "provider": LABELS[match.group(1)] if match else "anthropic",
        "telemetry_off": "Feature-flag evaluation disabled" in out,
        "refuses": "could not be parsed as a JSON object" in out,
        "out": out,
    }


def _collection(folder, policy, ours):
    computed = compute(policy)
    path = str(folder / ours)
    # claude doctor runs as root here (scripts/claude-doctor.sh): so is the account the judge reads as.
    args = {"path": path, "settings": computed["settings"], "os_family": "Debian", "exports": {}, "cli_account": "root"}
    res = run(args, check=True)
    assert not res.get("failed"), res
    result = dict(res, state="present", posture=computed["posture"], policy=computed["policy"])
    sources = [dict(e) for e in res["sources"]]
    judge(result, computed, sources, host="h", check_mode=True)  # as the drift playbook runs it
    entry = R.host_entry("h", result)
    post = result["effective"]["posture"]
    assert (post == result["posture"]) is result["effective"]["posture_is_intended"]
    return {
        "status": entry["status"],
        "entry": entry,
        "provider": post["provider"] if post else None,
        "telemetry_off": (not post["traffic"]["telemetry"]["enabled"]) if post else None,
        "refuses": any(b["status"] == "unparseable" for b in result["effective"]["broken"]),
    }


@pytest.mark.parametrize("case", sorted(CASES))
def test_effective_state_matches_claude_doctor(case, tmp_path):
    policy, ours, foreign, status = CASES[case]
    folder = tmp_path / "claude-code"
    (folder / "managed-settings.d").mkdir(parents=True)
    (folder / ours).write_text(_fs.render_json(compute(policy)["settings"]))
    for name, text in foreign.items():
        (folder / name).write_text(text)
    mine = _collection(folder, policy, ours)
    cli = _doctor(folder)
    assert mine["status"] == status, mine["entry"]
    assert mine["refuses"] == cli["refuses"], cli["out"]
    if cli["refuses"]:
        assert "Claude Code will refuse to start" in mine["entry"]["message"]
        return
    assert mine["provider"] == cli["provider"], cli["out"]
    if mine["provider"] == "anthropic":  # third-party providers keep feature flags off by default
        assert mine["telemetry_off"] == cli["telemetry_off"], cli["out"]
    if status == "weakened":
        assert mine["entry"]["weaker"] and all(w["file"] for w in mine["entry"]["weaker"])
