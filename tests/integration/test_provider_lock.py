"""The provider lock holds with the real CLI, on every CLI of the supported range.

Under a locked profile (allowedProviders, written by private and airgapped), a session whose
shell points it at another endpoint is refused before it sends anything; under standard (no
lock) the same session goes ahead and tries that endpoint (a closed port on loopback, in a
network namespace with only loopback). The intended provider through a pinned gateway still
works: the Molecule airgapped scenario and tests/integration/test_network_watch.py run `claude -p`
through one on loopback. The lock also refuses the providers the collection does not support
(Bedrock Mantle, Claude Platform on Google Cloud) when a user switches to one from the shell.
"""

import json

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.cli import CLI_RANGE, run_cli

CASES = {
    # provider policy, the shell's attempt to go elsewhere, what the refusal names
    "bedrock-endpoint-from-the-shell": (
        {"provider": "bedrock", "aws_region": "us-east-1"},
        ["ANTHROPIC_BEDROCK_BASE_URL=http://127.0.0.1:9", "CLAUDE_CODE_SKIP_BEDROCK_AUTH=1"],
        "allow Claude Code to use: Amazon Bedrock",
    ),
    "anthropic-gateway-from-the-shell": (
        {"provider": "anthropic", "plan": "api"},
        ["ANTHROPIC_BASE_URL=http://127.0.0.1:9", "ANTHROPIC_API_KEY=sk-test-not-a-key"],
        "ANTHROPIC_BASE_URL",
    ),
    # Providers the collection does not support (_facts.UNSUPPORTED_PROVIDER_SWITCHES): the lock refuses them too.
    # Without it, Mantle on a Bedrock host goes ahead (no AWS credentials here), Google Cloud asks for its workspace.
    "mantle-from-the-shell": (
        {"provider": "bedrock", "aws_region": "us-east-1"},
        ["CLAUDE_CODE_USE_MANTLE=1", "CLAUDE_CODE_SKIP_MANTLE_AUTH=1"],
        'add "mantle" to allowedProviders',
    ),
    "google-cloud-from-the-shell": (
        {"provider": "anthropic", "plan": "api"},
        [
            "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD=1",
            "ANTHROPIC_GOOGLE_CLOUD_PROJECT=acme-test",
            "ANTHROPIC_API_KEY=sk-test-not-a-key",
        ],
        'add "anthropicGoogleCloud" to allowedProviders',
    ),
}


def _folder(tmp_path, policy):
    folder = tmp_path / "claude-code"
    folder.mkdir()
    (folder / "managed-settings.json").write_text(json.dumps(compute(policy)["settings"]))
    return folder


@pytest.mark.parametrize("cli", CLI_RANGE, ids=[label for label, _dir in CLI_RANGE])
@pytest.mark.parametrize("case", sorted(CASES))
def test_locked_profile_refuses_another_endpoint(tmp_path, case, cli):
    policy, shell, names = CASES[case]
    rc, out = run_cli(
        _folder(tmp_path, dict(policy, profile="private")), *shell, cli_dir=cli[1], args="-p hello", timeout=30
    )
    assert rc == 1, out
    assert "allowedProviders" in out and names in out, out


@pytest.mark.parametrize("case", sorted(CASES))
def test_without_the_lock_the_session_goes_elsewhere(tmp_path, case):
    policy, shell, _names = CASES[case]
    rc, out = run_cli(_folder(tmp_path, dict(policy, profile="standard")), *shell, args="-p hello", timeout=15)
    assert "allowedProviders" not in out, out
    assert rc != 0, "a closed loopback port cannot answer"
