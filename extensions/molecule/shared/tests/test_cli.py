# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The real Claude Code CLI inside each instance reads what the role deployed.

`claude doctor`: no invalid settings, and the provider, telemetry and update state that the
collection's posture filter says this host should have (lines as observed with CLI 2.1.331,
tests/fixtures/doctor-observed.md).

`claude -p` against a loopback stand-in for the model endpoint (hosts whose gateway URL is
http://127.0.0.1:PORT): with profile airgapped it must look up no host name and connect nowhere
but the stand-in; with any other profile it must try to reach Anthropic, which shows that the
check sees traffic when there is some. The instances have no network at all (podman
`network: none`): what is checked is what the CLI tries, logged by extensions/molecule/shared/files/
offline_probe.py (DNS stub, stand-in, strace of connect/send calls).
"""

import json
import os
import shlex
import subprocess

import pytest
from conftest import HERE, F, clean, loopback_port

PROBE = os.path.join(HERE, "..", "files", "offline_probe.py")
LABELS = {"bedrock": "Amazon Bedrock", "vertex": "Google Vertex AI", "foundry": "Microsoft Foundry"}
TIMEOUT = 60


def run_cli(instance, cli, args, extra_env="", login=False):
    """Run the CLI in a fresh empty HOME, no terminal, stdin from /dev/null, with a timeout."""
    inner = "%s %s" % (cli, args)
    if login:
        inner = "bash -lc %s" % shlex.quote(inner)
    command = (
        'h=$(mktemp -d) && cd "$h" && env -i PATH=/usr/bin:/bin HOME="$h" TERM=dumb LANG=C.UTF-8 %s '
        'timeout --kill-after=5 %d %s </dev/null; rc=$?; rm -rf "$h"; exit $rc'
    ) % (extra_env, TIMEOUT, inner)
    return instance.host.run(command)


def test_claude_doctor_reads_the_intended_state(instance, claude_cli):
    """What doctor must say follows from the host's provider and profile (the intent), with the
    lines observed for CLI 2.1.331; the policy core is not consulted."""
    result = run_cli(instance, claude_cli, "doctor")
    out = clean(result.stdout + result.stderr)
    assert result.rc == 0, out
    assert "Invalid settings" not in out and "could not be parsed" not in out, out

    provider, profile = instance.var("provider"), instance.var("profile")
    # private and airgapped turn Remote Control off (observed with CLI 2.1.325 to 2.1.337, every provider)
    assert ("Disabled by org policy (disableRemoteControl)" in out) is (profile != "standard"), out
    if provider == "anthropic":
        assert "CLAUDE_CODE_USE_" not in out, out
    else:
        switch = "CLAUDE_CODE_USE_" + provider.upper()
        assert "%s is set, so this session is using %s" % (switch, LABELS[provider]) in out, out

    # telemetry: feature flags are evaluated only while telemetry is on
    flags = [line.strip() for line in out.splitlines() if "Feature-flag evaluation disabled" in line]
    if profile == "airgapped":
        assert flags == ["- Feature-flag evaluation disabled (disabled by CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC)"], (
            out
        )
    elif profile == "private" and provider == "anthropic":
        assert flags == ["- Feature-flag evaluation disabled (disabled by DISABLE_TELEMETRY)"], out
    elif provider != "anthropic":  # off by default on a cloud provider
        assert flags and flags[0].startswith("- Feature-flag evaluation disabled"), out
    else:
        assert flags == [], out

    if profile == "airgapped":
        assert "Auto-updates: disabled (set by env:" in out, out
        if provider == "anthropic" and not instance.var("base_url"):
            assert "Not tested: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC is set" in out, out
    else:
        assert "Auto-updates: enabled" in out, out


def probe(instance, cli, port, credential, login, prompt="Reply with one word.", extra="", webfetch=None):
    """Run `claude -p` under offline_probe.py in the instance; returns its JSON report."""
    subprocess.run(["podman", "cp", PROBE, "%s:/tmp/offline_probe.py" % instance.container], check=True)
    inner = "%s -p %s %s" % (cli, shlex.quote(prompt), extra)
    if login:  # a user's login shell: the managed file and the role's rc exports
        inner = "bash -lc %s" % shlex.quote(inner)
    command = (
        'h=$(mktemp -d) && cd "$h" && python3 /tmp/offline_probe.py --port %d --timeout %d %s -- '
        'env -i PATH=/usr/bin:/bin HOME="$h" TERM=dumb LANG=C.UTF-8 %s %s; rc=$?; rm -rf "$h"; exit $rc'
    ) % (port, TIMEOUT, ("--webfetch %s" % shlex.quote(webfetch)) if webfetch else "", credential, inner)
    result = instance.host.run(command)
    assert result.rc == 0, result.stderr
    report = json.loads(result.stdout)
    print(json.dumps({k: report[k] for k in ("dns", "http", "connects", "unix")}, indent=1))
    assert report["rc"] == 0 and "offline-probe-ok" in report["stdout"], report  # the CLI used the stand-in
    return report


# Two ways a session starts: from a user's login shell with an API key (the managed file and the
# role's rc exports), and with only the managed file (an IDE or service) and a gateway token.
RUNS = {
    "login shell, API key": ("ANTHROPIC_API_KEY=sk-ant-test-only", True),
    "managed file only, gateway token": ("ANTHROPIC_AUTH_TOKEN=test-only-token", False),
}


@pytest.mark.parametrize("run", sorted(RUNS))
def test_claude_p_reaches_only_what_the_profile_allows(probed, claude_cli, run):
    credential, login = RUNS[run]
    port = loopback_port(probed)
    report = probe(probed, claude_cli, port, credential, login)
    names = sorted({q["name"] for q in report["dns"]})
    requests = sorted({"%s %s" % (r["method"], r["path"]) for r in report["http"]})
    elsewhere = sorted(
        {"%s:%d" % (c["addr"], c["port"]) for c in report["connects"] if (c["addr"], c["port"]) != ("127.0.0.1", port)}
    )
    if probed.var("profile") == "airgapped":
        assert names == [], "host names looked up: %s" % names
        assert elsewhere == [], "connection attempts besides the stand-in: %s" % elsewhere
        assert requests == ["POST /v1/messages"], requests
    else:
        # the control: the same run under a non-airgapped profile does try to reach out
        assert F.HOST_API in names, report
        assert elsewhere, report


WEBFETCH_URL = "https://docs.example.test/page"


def test_webfetch_domain_check_is_observed(probed, claude_cli):
    """The stand-in answers with a WebFetch call. Under airgapped (skipWebFetchPreflight) the CLI
    skips the domain check and goes straight to the page's host; under private it first asks
    api.anthropic.com about the domain and, unable to reach it here, refuses to fetch at all.

    Observed with CLI 2.1.332 and recorded, not hidden: in this WebFetch session the airgapped
    host still looks api.anthropic.com up (DNS only; nothing can connect here), although the
    domain check is skipped. That lookup is not WebFetch's: this session has ANTHROPIC_API_KEY and
    the gateway URL only from the managed file, and every CLI of the supported range looks
    api.anthropic.com up at start-up then (tests/integration/test_network_watch.py, where the same
    WebFetch session with a gateway token looks up only the page's host)."""
    port = loopback_port(probed)
    report = probe(
        probed,
        claude_cli,
        port,
        "ANTHROPIC_API_KEY=sk-ant-test-only",
        False,
        prompt="Fetch %s and summarise it." % WEBFETCH_URL,
        extra="--allowedTools WebFetch",
        webfetch=WEBFETCH_URL,
    )
    names = sorted({q["name"] for q in report["dns"]})
    results = " ".join(report["tool_results"])
    assert report["tool_results"], "the CLI never ran the WebFetch call: %s" % report
    print("names looked up in the WebFetch session: %s" % names)
    if probed.var("profile") == "airgapped":
        assert "Unable to verify" not in results, results
        assert "docs.example.test" in names, names  # the fetch itself (NXDOMAIN from the stub)
        assert not [r for r in report["http"] if "domain_info" in r["path"]], report["http"]
    else:
        assert F.HOST_API in names, names
        assert "Unable to verify if domain docs.example.test is safe to fetch" in results, results
