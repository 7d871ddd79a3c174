"""The records of _facts the policy core and the posture loop over: each kind of optional traffic
(TRAFFIC), each profile (PROFILES) and each host (HOST_RECORDS). Each record must do what it says
when the policy core and the posture run it, and name only what Claude Code reads."""

from __future__ import annotations

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective as E
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _posture as P
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._errors import PolicyError
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

PARAMS = {
    "anthropic": {},
    "bedrock": {"aws_region": "eu-west-1"},
    "vertex": {"vertex_project_id": "acme-ml-prod", "vertex_region": "europe-west1"},
    "foundry": {"foundry_resource": "acme-ai"},
    "anthropic_aws": {"aws_region": "eu-west-1", "anthropic_aws_workspace_id": "wrkspc_fleet01"},
}
# Plugin marketplaces in the settings: one on GitHub, one on the organisation's own git host, one
# that says it is never updated.
MARKETPLACES = {
    "acme-tools": {"source": {"source": "github", "repo": "acme/claude-plugins"}},
    "acme-internal": {"source": {"source": "git", "url": "git@git.acme.example:tools/plugins.git"}},
    "frozen": {"source": {"source": "url", "url": "https://plugins.vendor.example/m.json"}, "autoUpdate": False},
}
# Hosts on which each kind of traffic can be on: a claude.ai sign-in with error reports on by
# default, a Claude API key, a cloud provider, a host whose settings name plugin marketplaces.
BASES = (
    {"provider": "anthropic", "plan": "pro", "profile": "standard"},
    {"provider": "anthropic", "plan": "api", "profile": "standard"},
    {"provider": "bedrock", "aws_region": "eu-west-1", "profile": "standard"},
    {"provider": "bedrock", "aws_region": "eu-west-1", "settings": {"extraKnownMarketplaces": MARKETPLACES}},
)


def _version(text):
    return tuple(int(p) for p in text.split("."))


def _policies(profile):
    for provider, params in PARAMS.items():
        for plan in F.PLANS if provider == "anthropic" else (None,):
            for gateway in (None, "https://llm-gw.example.com"):
                policy = dict(params, provider=provider, profile=profile)
                if plan:
                    policy["plan"] = plan
                if gateway and provider != "foundry":
                    policy["base_url"] = gateway
                yield policy


def _switches():
    for name, record in F.TRAFFIC.items():
        for switch in record["off"]:
            yield name, switch


def _conditions(record):
    return [c for c, _why in record["absent"]] + [r["when"] for r in record["default"] if r["when"]]


def _keys_named(record):
    """Every dotted key a TRAFFIC record reads: its off switches (and what keeps one from counting),
    its not-off notes, its conditions, the settings its hosts come from, and the keys of the kinds of
    traffic its ("off", KIND) conditions follow."""
    keys = {P.switch_key(s) for s in record["off"]} | {"env." + name for name, _note in record["not_off"]}
    keys |= {"env." + s["unless"] for s in record["off"] if "unless" in s}
    keys |= {record["hosts_from"]} if "hosts_from" in record else set()
    for condition in _conditions(record):
        if condition[0] == "setting":
            keys.add(condition[1])
        elif condition[0] == "off":
            keys |= _keys_named(F.TRAFFIC[condition[1]])
    return keys


def _with_switch(policy, switch):
    """The policy with one off switch turned on through the policy's own env or settings."""
    if "deny" in switch:
        tools = [switch["deny"]] if isinstance(switch["deny"], str) else list(switch["deny"])
        return dict(policy, settings=dict(policy.get("settings", {}), **{switch["setting"]: {"deny": tools}}))
    if "setting" in switch:
        return dict(policy, settings=dict(policy.get("settings", {}), **{switch["setting"]: switch["value"]}))
    value = switch["values"][-1] if "values" in switch else "0" if switch.get("when") == "false" else "1"
    return dict(policy, env={switch["env"]: value})


def test_traffic_records_are_complete():
    keys = {"label", "sends", "hosts", "absent", "off", "off_why", "default", "not_off", "since"}
    for name, record in F.TRAFFIC.items():
        assert set(record) - {"hosts_from"} == keys, name
        assert record.get("hosts_from", "extraKnownMarketplaces") == "extraKnownMarketplaces", name
        assert record["sends"] in F.SENDS, name
        assert record["off"] and record["default"], name
        assert record["default"][-1]["when"] is None, name  # a default for every host
        for switch in record["off"]:
            assert ("env" in switch) != ("setting" in switch), (name, switch)
            assert set(switch) <= {"env", "when", "values", "setting", "value", "deny", "why", "unless"}, (name, switch)
            assert ("value" in switch) != ("deny" in switch) if "setting" in switch else True, (name, switch)
            assert not ("when" in switch and "values" in switch), (name, switch)
            assert all(v == v.strip().lower() for v in switch.get("values", ())), (name, switch)
        earlier = list(F.TRAFFIC)[: list(F.TRAFFIC).index(name)]
        for condition in _conditions(record):
            assert condition[0] in (
                "third_party",
                "gateway",
                "no_claude_ai_login",
                "claude_ai_login",
                "plan",
                "provider",
                "setting",
                "off",
                "no_updating_marketplaces",
            ), condition
            if condition[0] == "plan":
                assert set(condition[1:]) <= set(F.PLANS), condition
            if condition[0] == "provider":
                assert set(condition[1:]) <= set(F.PROVIDERS), condition
            if condition[0] == "off":
                assert condition[1] in earlier, (name, condition)  # judged before it


def test_an_unknown_condition_is_a_bug_not_a_fall_through():
    with pytest.raises(ValueError, match="unknown condition"):
        P._holds(("sunny",), {}, {})


@pytest.mark.parametrize("name, switch", list(_switches()), ids=[f"{n}-{P.switch_key(s)}" for n, s in _switches()])
def test_every_off_switch_turns_its_traffic_off_and_nothing_else(name, switch):
    base = next(b for b in BASES if compute(b)["posture"]["traffic"][name]["enabled"])
    before = compute(base)["posture"]["traffic"]
    after = compute(_with_switch(base, switch))["posture"]["traffic"]
    assert after[name]["enabled"] is False and after[name]["hosts"] == []
    assert (switch.get("env") or switch["setting"]) in after[name]["why"]
    # Another kind of traffic changes only where its own record names the same key.
    key = P.switch_key(switch)
    for other, record in F.TRAFFIC.items():
        if key not in _keys_named(record):
            assert after[other] == before[other], other


@pytest.mark.parametrize(
    "base, env, settings, kind",
    [
        (0, {"DO_NOT_TRACK": "0"}, {}, "telemetry"),
        (0, {"DISABLE_UPDATES": "false"}, {}, "auto_updates"),
        (0, {"ENABLE_CLAUDEAI_MCP_SERVERS": "1"}, {}, "claude_ai_connectors"),
        (0, {}, {"feedbackSurveyRate": False}, "surveys"),  # Claude Code's schema wants a number: ignored
        (0, {}, {"skipWebFetchPreflight": "true"}, "webfetch_check"),  # likewise a boolean
        (0, {}, {"enableArtifact": 0}, "artifacts"),
        (0, {}, {"autoUploadSessions": "false"}, "session_upload"),
        (0, {}, {"disableRemoteControl": 1}, "remote_control"),
        (0, {}, {"permissions": {"deny": ["Projects", "SendUserFile"]}}, "claude_ai_uploads"),  # not all three
        (0, {}, {"permissions": {"deny": ["Artifact(x)"]}}, "artifacts"),  # a scoped rule
        (2, {"CLAUDE_CODE_MODEL_CATALOG": "1"}, {}, "model_catalog"),  # opts in
        (2, {"CLAUDE_CODE_MODEL_CATALOG": ""}, {}, "model_catalog"),  # unset, not off
        (2, {"DISABLE_TELEMETRY": "1"}, {}, "model_catalog"),  # not a switch for it
        (3, {"DISABLE_UPDATES": "1", "FORCE_AUTOUPDATE_PLUGINS": "1"}, {}, "marketplace_autoupdate"),
    ],
)
def test_a_value_that_does_not_read_as_the_switch_leaves_the_traffic_on(base, env, settings, kind):
    document = dict(compute(BASES[base])["settings"], **settings)
    document["env"] = dict(document["env"], **env)
    plan = BASES[base].get("plan")
    traffic = P.posture(document, plan, "standard")["traffic"]
    assert traffic[kind]["enabled"] and traffic[kind]["hosts"], traffic[kind]
    assert traffic[kind] == P.posture(compute(BASES[base])["settings"], plan, "standard")["traffic"][kind]


def test_switch_names_are_read_by_claude_code_in_the_supported_range():
    oldest = _version(F.CLI_SUPPORTED_OLDEST)
    for name, record in F.TRAFFIC.items():
        assert record["since"] is None or _version(record["since"]) <= oldest, name
        for switch in record["off"]:
            entry = N.ENV_VARS.get(switch["env"]) if "env" in switch else N.SETTINGS_KEYS.get(switch["setting"])
            assert entry is not None, (name, switch)
            assert entry.get("since") is None or _version(entry["since"]) <= oldest, (name, switch)
        for env_name, _note in record["not_off"]:
            assert env_name in N.ENV_VARS, (name, env_name)


def test_every_host_has_an_operator():
    listed = {h for r in F.TRAFFIC.values() for h in r["hosts"]} | set(F.HOSTS_LOGIN) | set(F.HOSTS_REMOTE_CONTROL)
    assert listed <= set(F.HOST_RECORDS)
    assert {r["operator"] for r in F.HOST_RECORDS.values()} <= {"anthropic", "third_party"}
    for profile in F.PROFILES:
        for policy in _policies(profile):
            result = compute(policy)
            others = set(result["egress"]) - {result["posture"]["model_endpoint"]}
            assert others <= set(F.HOST_RECORDS), (policy, others - set(F.HOST_RECORDS))


def test_profile_records_are_complete():
    keys = {"promise", "keeps_off", "implies", "env", "settings", "locks_provider", "transcript_days"}
    for name, record in F.PROFILES.items():
        assert set(record) == keys, name
        assert record["promise"].endswith("."), name
        assert set(record["keeps_off"]) <= set(F.SENDS), name
        assert set(record["implies"]) <= set(F.PROFILES) - {name}, name
        for implied in record["implies"]:
            assert set(F.PROFILES[implied]["keeps_off"]) <= set(record["keeps_off"]), (name, implied)
    assert F.profile_and_implied("airgapped") == {"airgapped", "private"}
    assert F.profile_and_implied("standard") == {"standard"}


@pytest.mark.parametrize("profile, implied", [(p, q) for p in F.PROFILES for q in F.profile_and_implied(p) if q != p])
def test_a_profile_that_implies_another_writes_a_superset_and_keeps_its_promise(profile, implied):
    for policy in _policies(profile):
        strong, weak = compute(policy), compute(dict(policy, profile=implied))
        assert weak["env"].items() <= strong["env"].items(), policy
        assert {k: v for k, v in weak["settings"].items() if k != "env"}.items() <= strong["settings"].items(), policy
        for name, entry in weak["posture"]["traffic"].items():
            assert entry["enabled"] or not strong["posture"]["traffic"][name]["enabled"], (policy, name)
        assert set(strong["egress"]) <= set(weak["egress"]), policy


def test_the_posture_reads_only_what_it_lists():
    """A variable or key outside POSTURE_ENV / POSTURE_SETTINGS cannot change a posture."""
    document = compute(BASES[0])["settings"]
    base = P.posture(document, "pro", "standard")
    noisy = dict(document, model="opus", env=dict(document["env"], BASH_DEFAULT_TIMEOUT_MS="60000"))
    changed = P.posture(noisy, "pro", "standard")
    assert changed == base


@pytest.mark.parametrize(
    "deny",
    [
        ["WebFetch(domain:example.com)"],  # a scoped rule leaves the tool available
        ["Bash", "webfetch"],  # another tool; tool names are case-sensitive
        "WebFetch",  # not a list: Claude Code's schema wants one
    ],
)
def test_a_deny_rule_that_is_not_the_whole_tool_leaves_webfetch_on(deny):
    document = dict(compute(BASES[0])["settings"], permissions={"deny": deny})
    traffic = P.posture(document, "pro", "standard")["traffic"]
    assert traffic["webfetch_check"]["enabled"] and traffic["docs_lookup"]["enabled"]


def test_permissions_deny_webfetch_turns_off_what_uses_webfetch():
    """permissions.deny holding WebFetch removes the tool: neither the domain check nor the guide
    agent's docs lookup can happen, in the intended posture and in the effective one (a drop-in's
    deny list is joined to the main file's)."""
    policy = dict(BASES[0], settings={"permissions": {"allow": ["Read"], "deny": ["WebFetch", "Bash(rm *)"]}})
    post = compute(policy)["posture"]
    for name in ("webfetch_check", "docs_lookup"):
        assert post["traffic"][name] == {
            "enabled": False,
            "why": "off: permissions.deny holds WebFetch, so the tool is never offered",
            "hosts": [],
        }
    assert "code.claude.com" not in post["egress"]
    assert post["traffic"]["telemetry"]["enabled"]  # nothing else


def test_egress_by_operator_puts_every_host_in_one_group():
    for profile in F.PROFILES:
        for policy in _policies(profile):
            post = compute(policy)["posture"]
            groups = post["egress_by_operator"]
            assert list(groups) == list(P.OPERATORS)
            listed = [h for hosts in groups.values() for h in hosts]
            assert sorted(listed) == post["egress"], policy  # each host once
            endpoint = post["model_endpoint"]
            if policy.get("base_url") or (policy["provider"] == "foundry" and "foundry_base_url" in policy):
                assert endpoint in groups["yours"], policy
            elif policy["provider"] == "anthropic":
                assert endpoint in groups["anthropic"], policy
            else:
                assert groups["cloud_provider"] == [endpoint], policy
            for who in ("anthropic", "third_party"):
                assert all(F.HOST_RECORDS[h]["operator"] == who for h in groups[who]), (policy, who)


def test_an_opentelemetry_collector_is_the_organisations_own():
    env = {"CLAUDE_CODE_ENABLE_TELEMETRY": "1", "OTEL_EXPORTER_OTLP_ENDPOINT": "https://otel.example.com:4317"}
    post = compute(dict(BASES[2], env=env))["posture"]
    assert post["egress_by_operator"]["yours"] == ["otel.example.com"]
    lines = P.summary_lines(post)
    assert "contacts your own hosts: otel.example.com (your OpenTelemetry collector)" in lines
    assert "contacts your cloud provider (Amazon Bedrock): bedrock-runtime.eu-west-1.amazonaws.com" in lines


def test_settings_lines_show_every_value_compact_masked_and_short():
    secret = "sk-ant-api03-SETTINGSLINESSECRET0123456789"
    policy = dict(
        BASES[1],
        allow_secrets=True,
        env={"ANTHROPIC_API_KEY": secret, "MY_TEAM": "platform ops"},
        settings={
            "forceLoginMethod": "console",
            "permissions": {"allow": ["Read"], "deny": ["WebFetch", "Bash(rm *)"]},
            "companyAnnouncements": ["x" * 400],
        },
    )
    lines = P.settings_lines(compute(policy)["settings"], width=P.WIDTH)
    text = "\n".join(lines)
    assert "ANTHROPIC_API_KEY=********" in text and 'MY_TEAM="platform ops"' in text and secret not in text
    assert "forceLoginMethod=console" in text
    assert 'permissions={allow: [Read], deny: [WebFetch, "Bash(rm *)"]}' in text
    assert "... (" in text and "characters in all)" in text  # the announcement is cut, saying so
    assert all(len(line) <= 2 * P.WIDTH for line in lines)
    assert (
        lines[-1]
        == "local transcripts: 30 days (the default; cleanupPeriodDays not set), Desktop sessions: the app's default"
    )
    # without width (the drift report), nothing is wrapped or cut
    assert any("x" * 400 in line for line in P.settings_lines(compute(policy)["settings"]))


def _with_marketplaces(profile):
    """Every policy of _policies(profile), and each again with plugin marketplaces in its settings."""
    for policy in _policies(profile):
        yield policy
        yield dict(policy, settings={"extraKnownMarketplaces": MARKETPLACES})


@pytest.mark.parametrize("profile", list(F.PROFILES))
def test_every_profile_keeps_its_promise_for_every_provider_plan_and_gateway(profile):
    """The promise in the words of the records: no kind of traffic that sends what the profile keeps
    off reaches a host, under any provider, plan or gateway, with or without marketplaces."""
    keeps_off = {w for p in F.profile_and_implied(profile) for w in F.PROFILES[p]["keeps_off"]}
    for policy in _with_marketplaces(profile):
        result = compute(policy)
        post = result["posture"]
        assert P.broken_promise(post, profile) == [], policy
        for kind, entry in post["traffic"].items():
            if entry["enabled"] and entry["hosts"]:
                assert F.TRAFFIC[kind]["sends"] not in keeps_off, (policy, kind)
        if profile != "standard":  # sessions stay on the provider
            assert post["provider_lock"]["locked"], policy
        if profile == "airgapped":  # no contact but the model endpoint (and a claude.ai sign-in's hosts)
            subscription = policy.get("plan") in F.SUBSCRIPTION_PLANS
            assert set(result["egress"]) == {post["model_endpoint"]} | (set(F.HOSTS_LOGIN) if subscription else set())
        if profile == "standard":  # the provider and its parameters, nothing else
            assert set(result["settings"]) - {"$schema", "env", "extraKnownMarketplaces"} == set(), policy
            assert set(result["env"]) <= set(F.PROVIDER_ENV), policy


def test_private_leaves_on_only_what_sends_host_names_or_nothing():
    """What private still lets reach a host, for the README's list."""
    on = set()
    for policy in _with_marketplaces("private"):
        post = compute(policy)["posture"]
        on |= {kind for kind, entry in post["traffic"].items() if entry["enabled"] and entry["hosts"]}
    assert on == {
        "nonessential_traffic",
        "model_catalog",
        "auto_updates",
        "marketplace_autoupdate",
        "webfetch_check",
        "marketplace_autoinstall",
        "docs_lookup",
    }
    assert {F.TRAFFIC[kind]["sends"] for kind in on} == {"host names", "nothing"}


def test_extras_that_would_turn_back_on_what_a_profile_keeps_off_are_refused():
    policy = dict(BASES[3], profile="airgapped", env={"FORCE_AUTOUPDATE_PLUGINS": "1"})
    with pytest.raises(PolicyError) as err:
        compute(policy)
    assert err.value.field == "env.FORCE_AUTOUPDATE_PLUGINS"
    assert "would weaken the airgapped profile" in str(err.value) and "acme-tools" in str(err.value)
    # under private the same update carries nothing about a session: taken, and named
    post = compute(dict(policy, profile="private"))["posture"]
    assert post["traffic"]["marketplace_autoupdate"]["enabled"]
    # without marketplaces, or with the opt-out on each, there is nothing to turn on
    compute(dict(policy, settings={}))
    frozen = {name: dict(entry, autoUpdate=False) for name, entry in MARKETPLACES.items()}
    compute(dict(policy, settings={"extraKnownMarketplaces": frozen}))


@pytest.mark.parametrize("provider", ["bedrock", "vertex", "foundry"])
def test_a_cloud_provider_private_host_names_the_model_catalog_download(provider):
    policy = dict(PARAMS[provider], provider=provider, profile="private")
    result = compute(policy)
    post = result["posture"]
    catalog = post["traffic"]["model_catalog"]
    assert catalog["enabled"] and catalog["hosts"] == ["downloads.claude.ai"]
    assert "DISABLE_TELEMETRY does not stop it" in catalog["why"] and "CLAUDE_CODE_MODEL_CATALOG=off" in catalog["why"]
    assert "model catalog download: downloads.claude.ai" in post["reaches_anthropic"]
    assert "downloads.claude.ai" in result["egress"]
    assert "model catalog download" in " ".join(P.summary_lines(post))
    # its own switch turns it off (the update checks still reach the same host)
    off = compute(dict(policy, env={"CLAUDE_CODE_MODEL_CATALOG": "off"}))["posture"]["traffic"]["model_catalog"]
    assert off == {"enabled": False, "why": "off: CLAUDE_CODE_MODEL_CATALOG=off", "hosts": []}
    # airgapped: the umbrella switch
    air = compute(dict(policy, profile="airgapped"))["posture"]["traffic"]["model_catalog"]
    assert not air["enabled"] and "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC" in air["why"]


def test_marketplaces_that_update_add_their_sources_hosts():
    result = compute(BASES[3])
    post = result["posture"]
    update = post["traffic"]["marketplace_autoupdate"]
    assert update["enabled"] and update["hosts"] == ["git.acme.example", "github.com"]
    assert "acme-tools" in update["why"] and "acme-internal" in update["why"] and "frozen" not in update["why"]
    assert "plugins.vendor.example" not in result["egress"]  # "autoUpdate": false
    assert post["egress_by_operator"]["yours"] == ["git.acme.example"]
    assert "github.com" in post["egress_by_operator"]["third_party"]
    lines = P.summary_lines(post)
    assert "contacts your own hosts: git.acme.example (a plugin marketplace in your settings)" in lines
    assert not any("git.acme.example" in line for line in post["reaches_anthropic"])
    # the updater off stops them: DISABLE_UPDATES
    stopped = compute(dict(BASES[3], env={"DISABLE_UPDATES": "1"}))["posture"]["traffic"]["marketplace_autoupdate"]
    assert not stopped["enabled"] and "DISABLE_UPDATES" in stopped["why"]


@pytest.mark.parametrize(
    "source, host",
    [
        ({"source": "github", "repo": "acme/x"}, "github.com"),
        ({"source": "git", "url": "https://Git.Example.com/acme/x.git"}, "git.example.com"),
        ({"source": "git", "url": "git@git.example.com:acme/x.git"}, "git.example.com"),
        ({"source": "git", "url": "ssh://git@git.example.com:2222/acme/x.git"}, "git.example.com"),
        ({"source": "url", "url": "https://plugins.example.com/marketplace.json"}, "plugins.example.com"),
        ({"source": "directory", "path": "/srv/plugins"}, None),
        ({"source": "git", "url": 7}, None),
        ("github:acme/x", None),
    ],
)
def test_a_marketplace_sources_host(source, host):
    assert P.marketplace_hosts({"m": {"source": source}}) == ([host] if host else [])


def test_the_profiles_settings_are_claude_codes_own_names_and_types():
    """Every key a profile writes is in the settings schema of every checked CLI, with a value of its
    type, and known to the oldest supported CLI (no later "since")."""
    oldest = _version(F.CLI_SUPPORTED_OLDEST)
    for name, record in F.PROFILES.items():
        for key, value in record["settings"].items():
            entry = N.SETTINGS_KEYS.get(key)
            assert entry is not None, (name, key)
            assert set(entry["in"]) == set(N.CHECKED_CLI_VERSIONS), (name, key)
            assert entry.get("since") is None or _version(entry["since"]) <= oldest, (name, key)
            assert E.fits(value, entry.get("cli")), (name, key, value)  # the CLI's own schema
        for variable in record["env"]:
            assert variable in N.ENV_VARS, (name, variable)
