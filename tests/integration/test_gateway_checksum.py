"""The gateway's view: the managed settings checksum in the drift report is the one the real CLI
sends. Since 2.1.327 Claude Code sends `x-claude-code-managed-settings-checksum: sha256:<hex>` on
its model requests when the managed settings set CLAUDE_CODE_GATEWAY_HINT_HEADERS=1 (CHANGELOG
2.1.327), which the settings role writes for claude_code_gateway_hint_headers: true.

Two local hosts, rolled out with the Anthropic provider behind a gateway URL on loopback: one with
our file alone, one with a drop-in from someone else that the checksum must merge in, holding
what JavaScript writes differently from Python (1.0, 1e21, integer-like keys, non-ASCII text, an
env value that is a number). The drift playbook reports both compliant; then the pinned CLI runs
`claude -p` with each host's managed settings folder as /etc/claude-code under
extensions/molecule/shared/files/offline_probe.py (tests/_support/cli.py watch_cli), whose stand-in for the
gateway logs the request headers. Skips, saying why, when that CLI is not available.
"""

import json
import os

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.tests._support.cli import CLI_RANGE, cli_version, watch_cli
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

PORT = 8766  # in the probe's own network namespace: nothing else listens there
HEADER = "x-claude-code-managed-settings-checksum"
PINNED = dict(CLI_RANGE)["pinned"]
POLICY = {
    "claude_code_provider": "anthropic",
    "claude_code_plan": "api",
    "claude_code_profile": "private",
    "claude_code_base_url": "http://127.0.0.1:%d" % PORT,
    "claude_code_gateway_hint_headers": True,
}
DROPIN = (
    '{"companyAnnouncements": ["Gr\\u00fc\\u00dfe \\u2603"], '
    '"zzOrgMeta": {"b": 1.0, "10": 1e21, "9": 0.000001, "\\u00e9": [1.50, null]}, '
    '"env": {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": 4096.0}}\n'
)


def _version(text):
    return tuple(int(p) for p in text.split(".")) if text else None


@pytest.fixture(scope="module")
def fleet(tmp_path_factory, ansible_env):
    have = _version(cli_version(PINNED))
    if have and have < _version(F.GATEWAY_CHECKSUM_SINCE):
        pytest.skip(
            f"the pinned Claude Code CLI is {cli_version(PINNED)}: the checksum header came in {F.GATEWAY_CHECKSUM_SINCE}"
        )
    base = str(tmp_path_factory.mktemp("gateway"))
    hosts = {}
    for name in ("plain-01", "dropin-01"):
        root = os.path.join(base, name)
        hosts[name] = dict(
            POLICY,
            ansible_connection="local",
            claude_code_settings_cli_account="root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
            claude_code_settings_path=os.path.join(root, "claude-code", "managed-settings.json"),
            claude_code_settings_shells=["sh"],
            claude_code_settings_shell_paths={"sh": os.path.join(root, "profile.d", "claude-code.sh")},
        )
    inventory = os.path.join(base, "hosts.yml")
    with open(inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"hosts": hosts}}, handle)
    binary, env = ansible_env
    rollout = run_playbook([binary, "-i", inventory, "fleetpolicy.claude_code.rollout"], env=env, cwd=base)
    assert rollout.returncode == 0, rollout.output
    folder = os.path.dirname(hosts["dropin-01"]["claude_code_settings_path"])
    os.makedirs(os.path.join(folder, "managed-settings.d"))
    with open(os.path.join(folder, "managed-settings.d", "50-org.json"), "w", encoding="utf-8") as handle:
        handle.write(DROPIN)
    reports = os.path.join(base, "reports")
    drift = run_playbook(
        [binary, "-i", inventory, "fleetpolicy.claude_code.drift", "-e", f"claude_code_report_dir={reports}"],
        env=env,
        cwd=base,
    )
    assert drift.returncode == 0, drift.output
    with open(os.path.join(reports, "claude-code-drift.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    return {"hosts": hosts, "report": {h["host"]: h for h in report["hosts"]}}


@pytest.mark.parametrize("name", ["plain-01", "dropin-01"])
def test_the_report_gives_the_checksum_the_cli_sends(fleet, name):
    entry = fleet["report"][name]
    assert entry["status"] == "compliant" and entry["gateway_hint_headers"] is True, entry
    folder = os.path.dirname(fleet["hosts"][name]["claude_code_settings_path"])
    probe = watch_cli(folder, "ANTHROPIC_AUTH_TOKEN=test-only-token", cli_dir=PINNED, port=PORT)
    assert probe["rc"] == 0 and "offline-probe-ok" in probe["stdout"], probe
    sent = {r["x_headers"].get(HEADER) for r in probe["http"] if r["path"] == "/v1/messages"}
    assert sent == {entry["managed_settings_checksum"]}, (sent, entry["managed_settings_checksum"])


def test_the_two_hosts_differ_by_the_dropin(fleet):
    checksums = {name: fleet["report"][name]["managed_settings_checksum"] for name in ("plain-01", "dropin-01")}
    assert len(set(checksums.values())) == 2 and all(c.startswith("sha256:") for c in checksums.values())
