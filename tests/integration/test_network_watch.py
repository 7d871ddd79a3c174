# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The network watch on every CLI of the supported range (the oldest supported, the pinned one and
the newest on npm): what `claude -p` tries to reach under the profiles, with its model endpoint a
loopback stand-in behind the locked gateway (allowedProviders with customEndpoint).

Each run is extensions/molecule/shared/files/offline_probe.py (DNS stub logging every name asked for, the
stand-in, strace of every connect and send) around the CLI, in the private mount and network
namespaces of scripts/claude-doctor.sh: only loopback, the computed managed settings as
/etc/claude-code, an empty HOME. The Molecule airgapped scenario runs the same probe on hosts the
roles converged, with the pinned CLI only.

Asserted for every version:
  - airgapped, plain session: no host name looked up, no connection but the stand-in, and only
    the model call reaches the stand-in (plus, before 2.1.290, the start-up warm-up
    HEAD /api/hello: CHANGELOG 2.1.290 "umbrella switch skips the warm-up"; it goes to the gateway);
  - private, plain session: api.anthropic.com is looked up (the control: the watch sees traffic);
  - WebFetch: airgapped skips the domain check and goes to the page's host; private asks
    api.anthropic.com and, unable to reach it, refuses to fetch.
Recorded, not hidden: with ANTHROPIC_API_KEY and the gateway URL only in the managed file (no shell
export: an IDE or a service), every version looks api.anthropic.com up under airgapped too.
"""

import json

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._secrets import looks_like_secret
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.cli import CLI_RANGE, cli_version, watch_cli

PORT = 8765
POLICY = {"provider": "anthropic", "plan": "api", "base_url": "http://127.0.0.1:%d" % PORT}
WEBFETCH_URL = "https://docs.example.test/page"
WARM_UP_SKIPPED_SINCE = (2, 1, 290)
CLI_IDS = [label for label, _dir in CLI_RANGE]


def _settings(profile):
    return compute(dict(POLICY, profile=profile))["settings"]


def _folder(tmp_path, profile):
    folder = tmp_path / "claude-code"
    folder.mkdir()
    (folder / "managed-settings.json").write_text(json.dumps(_settings(profile)))
    return folder


def _rc_exports(profile):
    """What the role's rc exports give a login shell: the env block without credentials."""
    return [f"{k}={v}" for k, v in sorted(_settings(profile)["env"].items()) if not looks_like_secret(k, v)]


# How a session starts: from a login shell with the role's exports and an API key, or with only the
# managed file (an IDE or a service) and a gateway token. As in extensions/molecule/shared/tests/test_cli.py.
RUNS = {
    "shell-exports-api-key": lambda profile: _rc_exports(profile) + ["ANTHROPIC_API_KEY=sk-ant-test-only"],
    "managed-file-only-gateway-token": lambda profile: ["ANTHROPIC_AUTH_TOKEN=test-only-token"],
}


def _version(cli_dir):
    text = cli_version(cli_dir)
    return tuple(int(p) for p in text.split(".")) if text else None


def _summary(report):
    names = sorted({q["name"] for q in report["dns"]})
    requests = sorted({"{} {}".format(r["method"], r["path"]) for r in report["http"]})
    elsewhere = sorted(
        {"%s:%d" % (c["addr"], c["port"]) for c in report["connects"] if (c["addr"], c["port"]) != ("127.0.0.1", PORT)}
    )
    return names, requests, elsewhere


def _check_used_the_stand_in(report):
    assert report["rc"] == 0 and "offline-probe-ok" in report["stdout"], report


@pytest.mark.parametrize("cli", CLI_RANGE, ids=CLI_IDS)
@pytest.mark.parametrize("run", sorted(RUNS))
@pytest.mark.parametrize("profile", ["airgapped", "private"])
def test_claude_p_reaches_only_what_the_profile_allows(tmp_path, profile, run, cli):
    report = watch_cli(_folder(tmp_path, profile), *RUNS[run](profile), cli_dir=cli[1], port=PORT)
    _check_used_the_stand_in(report)
    names, requests, elsewhere = _summary(report)
    print(f"{cli_version(cli[1])} {profile} {run}: names {names}, requests {requests}, elsewhere {elsewhere}")
    if profile == "airgapped":
        assert names == [], f"host names looked up: {names}"
        assert elsewhere == [], f"connection attempts besides the stand-in: {elsewhere}"
        want = ["POST /v1/messages"]
        if _version(cli[1]) < WARM_UP_SKIPPED_SINCE:
            want = ["HEAD /api/hello"] + want  # the warm-up, to the gateway (loopback here)
        assert requests == want, requests
    else:
        assert F.HOST_API in names, report
        assert elsewhere, report


@pytest.mark.parametrize("cli", CLI_RANGE, ids=CLI_IDS)
@pytest.mark.parametrize("profile", ["airgapped", "private"])
def test_webfetch_domain_check(tmp_path, profile, cli):
    """The stand-in answers with a WebFetch call for a page on a host that does not exist."""
    report = watch_cli(
        _folder(tmp_path, profile),
        "ANTHROPIC_AUTH_TOKEN=test-only-token",
        cli_dir=cli[1],
        port=PORT,
        prompt="fetch",
        extra_args="--allowedTools WebFetch",
        webfetch=WEBFETCH_URL,
    )
    _check_used_the_stand_in(report)
    names, requests, elsewhere = _summary(report)
    results = " ".join(report["tool_results"])
    print(f"{cli_version(cli[1])} {profile} WebFetch: names {names}, requests {requests}, tool result {results[:120]}")
    assert report["tool_results"], f"the CLI never ran the WebFetch call: {report}"
    assert not [e for e in elsewhere if not e.startswith("127.0.0.1:")], elsewhere
    if profile == "airgapped":
        assert names == ["docs.example.test"], names  # the fetch itself (NXDOMAIN from the stub), no domain check
        assert "Unable to verify" not in results, results
    else:
        assert F.HOST_API in names, names
        assert "Unable to verify if domain docs.example.test is safe to fetch" in results, results


@pytest.mark.parametrize("cli", CLI_RANGE, ids=CLI_IDS)
def test_api_key_with_the_gateway_only_in_the_managed_file_still_looks_up_anthropic(tmp_path, cli):
    """Recorded behaviour of every version in the range (2.1.285 to 2.1.332), stated in the README and
    the posture: with ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL only in the managed env (no export in
    the session's environment), the CLI looks api.anthropic.com up at start-up under airgapped; the
    same session with ANTHROPIC_BASE_URL exported, or with ANTHROPIC_AUTH_TOKEN, looks nothing up
    (the test above). Nothing can connect here; what it would send is not observed. If a version
    stops doing it, this test fails: update the README and the posture note, then this test."""
    report = watch_cli(_folder(tmp_path, "airgapped"), "ANTHROPIC_API_KEY=sk-ant-test-only", cli_dir=cli[1], port=PORT)
    _check_used_the_stand_in(report)
    names, requests, elsewhere = _summary(report)
    print(
        f"{cli_version(cli[1])} airgapped, API key, managed file only: names {names}, requests {requests}, elsewhere {elsewhere}"
    )
    assert names == [F.HOST_API], names
    assert elsewhere == ["127.0.0.1:53"], elsewhere  # only the DNS stub
