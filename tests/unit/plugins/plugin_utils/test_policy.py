"""The policy core: every provider x plan x profile, and every refusal."""

import itertools
import json
import re

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._secrets import looks_like_secret
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import (
    PolicyError,
    compute,
)
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._shells import (
    shell_exports,
)

PROVIDER_PARAMS = {
    "anthropic": {},
    "bedrock": {"aws_region": "eu-west-1"},
    "vertex": {"vertex_project_id": "acme-ml-prod", "vertex_region": "europe-west1"},
    "foundry": {"foundry_resource": "acme-ai"},
    "anthropic_aws": {"aws_region": "eu-west-1", "anthropic_aws_workspace_id": "wrkspc_fleet01"},
}
SWITCHES = {
    "bedrock": "CLAUDE_CODE_USE_BEDROCK",
    "vertex": "CLAUDE_CODE_USE_VERTEX",
    "foundry": "CLAUDE_CODE_USE_FOUNDRY",
    "anthropic_aws": "CLAUDE_CODE_USE_ANTHROPIC_AWS",
}
LOCKS = {
    "anthropic": "anthropic",
    "bedrock": "bedrock",
    "vertex": "vertex",
    "foundry": "foundry",
    "anthropic_aws": "anthropicAws",
}
ENDPOINTS = {
    "anthropic": "api.anthropic.com",
    "bedrock": "bedrock-runtime.eu-west-1.amazonaws.com",
    "vertex": "europe-west1-aiplatform.googleapis.com",
    "foundry": "acme-ai.services.ai.azure.com",
    "anthropic_aws": "aws-external-anthropic.eu-west-1.api.aws",
}
PRIVATE = {
    "DISABLE_TELEMETRY",
    "DISABLE_ERROR_REPORTING",
    "DISABLE_FEEDBACK_COMMAND",
    "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
}
AIRGAPPED = PRIVATE | {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",
    "DISABLE_UPDATES",
}
# Switches on for any non-empty value (DOC:env-vars): the core writes "1" for them, never "0".
NONEMPTY = {"DISABLE_TELEMETRY", "DISABLE_ERROR_REPORTING", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"}
# Plans signed in through claude.ai.
CLAUDE_AI_PLANS = {"pro", "max", "team", "enterprise", "enterprise_zdr"}
# (training, a phrase of the retention) per plan or cloud provider (README "Retention and training").
TERMS = {
    "pro": (
        "user's choice ('Help improve Claude' in claude.ai privacy settings)",
        "5 years if the user allows training",
    ),
    "max": ("user's choice ('Help improve Claude' in claude.ai privacy settings)", "30 days if not"),
    "team": ("no (unless the organisation opts in)", "30 days"),
    "enterprise": ("no (unless the organisation opts in)", "30 days"),
    "enterprise_zdr": ("no", "none after the response returns"),
    "api": ("no (unless the organisation opts in)", "30 days"),
    "bedrock": ("no", "the cloud provider's own retention policy"),
    "vertex": ("no", "the cloud provider's own retention policy"),
    "foundry": ("no", "Hosted on Azure keeps prompts and completions in Azure"),
    "anthropic_aws": ("no", "your Claude Platform on AWS agreement"),
}


def _cases():
    for provider in F.PROVIDERS:
        plans = F.PLANS if provider == "anthropic" else (None,)
        for plan, profile in itertools.product(plans, F.PROFILES):
            yield provider, plan, profile


@pytest.mark.parametrize("provider,plan,profile", list(_cases()))
def test_every_combination(provider, plan, profile):
    policy = dict(PROVIDER_PARAMS[provider], provider=provider, profile=profile)
    if plan:
        policy["plan"] = plan
    result = compute(policy)
    env, doc, post = result["env"], result["settings"], result["posture"]

    # env block: strings only, provider switch, profile switches, nothing that says "0"
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())
    assert all(v == "1" for k, v in env.items() if k in NONEMPTY)
    for name, switch in SWITCHES.items():
        assert (switch in env) == (name == provider)
    want_profile = {"standard": set(), "private": PRIVATE, "airgapped": AIRGAPPED}[profile]
    profile_vars = set(env) & (AIRGAPPED | PRIVATE)
    assert profile_vars == want_profile
    assert doc["env"] == env
    assert doc["$schema"] == F.SCHEMA_URL
    assert doc.get("skipWebFetchPreflight") is (True if profile == "airgapped" else None)
    # the provider lock: private and airgapped, never empty, only values the CLI takes
    if profile == "standard":
        assert "allowedProviders" not in doc and post["provider_lock"] == {"locked": False, "allowed": []}
    else:
        assert doc["allowedProviders"] == [LOCKS[provider]] and post["provider_lock"]["locked"] is True
        assert doc["feedbackDrafts"] == "off"
        assert doc["cleanupPeriodDays"] == doc["desktopSessionCleanupPeriodDays"] == 14
    # the paths a private session would take off the machine to claude.ai (docs/profiles.md)
    for key, value in {
        "disableClaudeAiConnectors": True,
        "autoUploadSessions": False,
        "disableRemoteControl": True,
        "enableArtifact": False,
        "syncClaudeAiSkills": False,
        "syncClaudeAiPlugins": False,
    }.items():
        assert doc.get(key) is (value if profile != "standard" else None), key
    denied = {"Artifact", "Projects", "SendUserFile", "ShareOnboardingGuide"}
    assert set(doc.get("permissions", {}).get("deny", [])) == (denied if profile != "standard" else set())
    json.dumps(doc)  # serialisable

    # posture
    traffic = post["traffic"]
    assert post["model_endpoint"] == ENDPOINTS[provider]
    assert traffic["telemetry"]["enabled"] is (provider == "anthropic" and profile == "standard")
    assert traffic["webfetch_check"]["enabled"] is (profile != "airgapped")
    assert traffic["nonessential_traffic"]["enabled"] is (profile != "airgapped")
    assert traffic["auto_updates"]["enabled"] is (profile != "airgapped")
    assert traffic["error_reporting"]["enabled"] is (
        provider == "anthropic" and plan in ("pro", "max") and profile == "standard"
    )
    assert traffic["surveys"]["enabled"] is (profile == "standard")
    training, retention = TERMS[plan or provider]
    assert post["training"] == training and retention in post["retention"]

    # egress: model endpoint always; air-gapped cloud hosts reach nothing else
    egress = result["egress"]
    assert egress == sorted(egress)
    assert ENDPOINTS[provider] in egress
    if profile == "airgapped" and provider != "anthropic":
        assert egress == [ENDPOINTS[provider]]
    if profile != "airgapped":
        assert "api.anthropic.com" in egress  # the WebFetch check, even on Bedrock/Vertex/Foundry
    if provider != "anthropic":
        assert not any("datadoghq" in h for h in egress)
    # Homebrew's update check with the others, the docs host where WebFetch goes through
    # Anthropic's domain check, Artifacts' content hosts for claude.ai sign-ins
    assert ("formulae.brew.sh" in egress) is (profile != "airgapped")
    assert ("code.claude.com" in egress) is (profile != "airgapped")
    subscription = provider == "anthropic" and plan in CLAUDE_AI_PLANS
    assert ("*.frame.claudeusercontent.com" in egress) is (subscription and profile == "standard")
    assert ("bridge.claudeusercontent.com" in egress) is (subscription and profile == "standard")
    for kind in ("artifacts", "remote_control", "session_upload", "claude_ai_connectors", "claude_ai_uploads"):
        assert traffic[kind]["enabled"] is (subscription and profile == "standard"), kind
    # the model catalog: downloaded on the cloud providers unless the umbrella switch is set
    cloud = provider in ("bedrock", "vertex", "foundry")
    assert traffic["model_catalog"]["enabled"] is (
        profile != "airgapped" and (cloud or (provider == "anthropic" and not subscription and profile == "standard"))
    )
    assert ("downloads.claude.ai" in egress) is (profile != "airgapped")
    assert traffic["docs_lookup"]["enabled"] is True  # WebFetch stays on in every profile
    # Anthropic contact is listed in words for the auditor
    reaches = " ".join(post["reaches_anthropic"])
    assert ("WebFetch" in reaches) == (profile != "airgapped")


def test_private_sets_telemetry_and_error_reporting_apart():
    """Two switches (DOC:env-vars): DISABLE_TELEMETRY and DISABLE_ERROR_REPORTING together."""
    env = compute({"provider": "anthropic", "plan": "team", "profile": "private"})["env"]
    assert env["DISABLE_TELEMETRY"] == "1" and env["DISABLE_ERROR_REPORTING"] == "1"


def test_zdr_is_about_retention_not_transmission():
    post = compute({"provider": "anthropic", "plan": "enterprise_zdr", "profile": "private"})["posture"]
    assert post["retention"].startswith("none after the response")
    assert any("prompts" in r and "api.anthropic.com" in r for r in post["reaches_anthropic"])
    assert any("retention, not transmission" in n for n in post["notes"])


def test_consumer_plans_follow_the_terms_of_2025_08_28():
    post = compute({"provider": "anthropic", "plan": "pro"})["posture"]
    assert "5 years" in post["retention"] and "choice" in post["training"]


def test_gateway_and_vertex_global():
    r = compute(
        {
            "provider": "bedrock",
            "aws_region": "us-east-1",
            "base_url": "https://llm.corp.example:8443/bedrock",
            "profile": "airgapped",
        }
    )
    assert r["env"]["ANTHROPIC_BEDROCK_BASE_URL"] == "https://llm.corp.example:8443/bedrock"
    assert r["egress"] == ["llm.corp.example"]
    r = compute({"provider": "vertex", "vertex_project_id": "acme-ml-prod", "vertex_region": "global"})
    assert r["posture"]["model_endpoint"] == "aiplatform.googleapis.com"
    r = compute({"provider": "foundry", "foundry_base_url": "https://acme.services.ai.azure.com/anthropic"})
    assert r["env"]["ANTHROPIC_FOUNDRY_BASE_URL"] == "https://acme.services.ai.azure.com/anthropic"


def test_extra_env_and_settings_are_coerced_and_kept():
    r = compute(
        {
            "provider": "anthropic",
            "plan": "enterprise",
            "env": {"MAX_THINKING_TOKENS": 8000, "X_FLAG": True, "RATIO": 0.5},
            "settings": {"cleanupPeriodDays": 14, "permissions": {"deny": ["Read(./.env)"]}},
        }
    )
    assert r["env"]["MAX_THINKING_TOKENS"] == "8000" and r["env"]["X_FLAG"] == "1" and r["env"]["RATIO"] == "0.5"
    assert r["settings"]["cleanupPeriodDays"] == 14
    assert r["settings"]["permissions"] == {"deny": ["Read(./.env)"]}


def test_stronger_extra_is_allowed_and_identical_override_is_fine():
    r = compute(
        {"provider": "bedrock", "aws_region": "us-east-1", "env": {"DISABLE_TELEMETRY": "1", "AWS_REGION": "us-east-1"}}
    )
    assert r["env"]["DISABLE_TELEMETRY"] == "1"


def test_secrets_allowed_explicitly_go_to_the_file_not_rc():
    r = compute(
        {
            "provider": "anthropic",
            "plan": "api",
            "allow_secrets": True,
            "env": {"ANTHROPIC_API_KEY": "sk-ant-api03-abcdefghijklmnop"},
        }
    )
    assert r["env"]["ANTHROPIC_API_KEY"].startswith("sk-ant-")
    assert "ANTHROPIC_API_KEY" not in r["rc_env"]


@pytest.mark.parametrize(
    "name,value,secret",
    [
        ("ANTHROPIC_API_KEY", "x", True),
        ("AWS_SECRET_ACCESS_KEY", "x", True),
        ("AWS_SESSION_TOKEN", "x", True),
        ("AWS_BEARER_TOKEN_BEDROCK", "x", True),
        ("ANTHROPIC_AUTH_TOKEN", "x", True),
        ("OTEL_EXPORTER_OTLP_HEADERS", "x", True),
        ("CLAUDE_CODE_CLIENT_KEY_PASSPHRASE", "x", True),
        ("MY_VAR", "sk-ant-api03-0123456789abcdef", True),
        ("MY_VAR", "AKIAIOSFODNN7EXAMPLE", True),
        ("DISABLE_TELEMETRY", "1", False),
        ("AWS_REGION", "us-east-1", False),
        ("ANTHROPIC_MODEL", "claude-sonnet-4-5", False),
    ],
)
def test_secret_detection(name, value, secret):
    assert looks_like_secret(name, value) is secret


# field that the message must name, policy
BASE_B = {"provider": "bedrock", "aws_region": "us-east-1"}
BASE_A = {"provider": "anthropic", "plan": "team"}
ERRORS = [
    ("policy", "not a dict"),
    ("provider", {}),
    ("provider", {"provider": "openai"}),
    ("provider", {"provider": ["bedrock"]}),
    ("plan", {"provider": "anthropic"}),
    ("plan", {"provider": "anthropic", "plan": "free"}),
    ("plan", dict(BASE_B, plan="enterprise")),
    ("profile", dict(BASE_A, profile="paranoid")),
    ("profile", dict(BASE_A, profile=True)),
    ("aws_region", {"provider": "bedrock"}),
    ("aws_region", {"provider": "bedrock", "aws_region": "US East"}),
    ("vertex_project_id", {"provider": "vertex", "vertex_region": "us-east5"}),
    ("vertex_region", {"provider": "vertex", "vertex_project_id": "acme-ml-prod"}),
    ("vertex_project_id", {"provider": "vertex", "vertex_region": "us-east5", "vertex_project_id": "Bad_Project"}),
    ("foundry_resource", {"provider": "foundry"}),
    (
        "foundry_base_url",
        {
            "provider": "foundry",
            "foundry_resource": "a1",
            "foundry_base_url": "https://a1.services.ai.azure.com/anthropic",
        },
    ),
    ("foundry_base_url", {"provider": "foundry", "foundry_base_url": "ftp://x"}),
    ("aws_region", dict(BASE_A, aws_region="us-east-1")),
    ("base_url", dict(BASE_A, base_url="not a url")),
    ("base_url", dict(BASE_A, base_url="https://user:pw@gw.example.com")),
    ("aws_regoin", dict(BASE_B, aws_regoin="us-east-1")),
    ("allow_secrets", dict(BASE_A, allow_secrets="yes")),
    ("env", dict(BASE_A, env=["DISABLE_TELEMETRY=1"])),
    ("env", dict(BASE_A, env={"1BAD": "x"})),
    ("env", dict(BASE_A, env={"BAD-NAME": "x"})),
    ("env", dict(BASE_A, env={"A B": "x"})),
    ("env.X", dict(BASE_A, env={"X": ["a"]})),
    ("env.X", dict(BASE_A, env={"X": {"a": 1}})),
    ("env.X", dict(BASE_A, env={"X": None})),
    ("env.X", dict(BASE_A, env={"X": "a\x00b"})),
    ("env.X", dict(BASE_A, env={"X": "a" * 20000})),
    ("env.X", dict(BASE_A, env={"X": float("nan")})),
    ("env.DISABLE_TELEMETRY", dict(BASE_A, env={"DISABLE_TELEMETRY": "0"})),
    ("env.DISABLE_TELEMETRY", dict(BASE_A, env={"DISABLE_TELEMETRY": False})),
    ("env.DISABLE_ERROR_REPORTING", dict(BASE_A, env={"DISABLE_ERROR_REPORTING": "false"})),
    (
        "env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
        dict(BASE_A, profile="airgapped", env={"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": ""}),
    ),
    ("env.DISABLE_UPDATES", dict(BASE_A, profile="airgapped", env={"DISABLE_UPDATES": "0"})),
    ("env.CLAUDE_CODE_USE_VERTEX", dict(BASE_B, env={"CLAUDE_CODE_USE_VERTEX": "1"})),
    ("env.AWS_REGION", dict(BASE_B, env={"AWS_REGION": "eu-west-1"})),
    ("env.ANTHROPIC_API_KEY", dict(BASE_A, env={"ANTHROPIC_API_KEY": "sk-ant-xxxxxxxxxxxxxxxx"})),
    ("env.SOME_VAR", dict(BASE_A, env={"SOME_VAR": "AKIAIOSFODNN7EXAMPLE"})),
    ("env.LD_PRELOAD", dict(BASE_A, env={"LD_PRELOAD": "/tmp/x.so"})),
    ("env.PATH", dict(BASE_A, env={"PATH": "/tmp"})),
    ("settings", dict(BASE_A, settings=["x"])),
    ("settings.env", dict(BASE_A, settings={"env": {"A": "1"}})),
    ("settings.cleanupPeriodDays", dict(BASE_A, settings={"cleanupPeriodDays": 0})),
    ("settings.cleanupPeriodDays", dict(BASE_A, settings={"cleanupPeriodDays": "30"})),
    ("settings.skipWebFetchPreflight", dict(BASE_A, settings={"skipWebFetchPreflight": "yes"})),
    ("settings.skipWebFetchPreflight", dict(BASE_A, profile="airgapped", settings={"skipWebFetchPreflight": False})),
    ("settings.forceLoginMethod", dict(BASE_A, settings={"forceLoginMethod": "sso"})),
    ("settings.feedbackSurveyRate", dict(BASE_A, settings={"feedbackSurveyRate": 2})),
    ("settings.companyAnnouncements", dict(BASE_A, settings={"companyAnnouncements": "hello"})),
    ("settings.permissions", dict(BASE_A, settings={"permissions": ["Bash"]})),
    ("settings.custom.x", dict(BASE_A, settings={"custom": {"x": float("inf")}})),
]


@pytest.mark.parametrize("field,policy", ERRORS, ids=["%02d-%s" % (i, f) for i, (f, _p) in enumerate(ERRORS)])
def test_bad_input_is_refused_naming_the_field(field, policy):
    with pytest.raises(PolicyError) as err:
        compute(policy)
    message = str(err.value)
    assert err.value.field == field
    assert f"field '{field}'" in message
    assert "got " in message
    # credentials never appear in messages
    assert "sk-ant-" not in message and "AKIA" not in message


def test_shell_exports_quote_everything():
    env = {"A": "it's $(touch /tmp/x) `id` \\ \n %s *", "B": ""}
    sh = shell_exports(env, "sh")
    assert sh.startswith("# Managed by Ansible (fleetpolicy.claude_code)")
    assert "export A='it'\\''s $(touch /tmp/x) `id` \\ \n %s *'" in sh
    assert "export B=''" in sh
    fish = shell_exports({"A": "a'b\\c"}, "fish")
    assert "set -gx A 'a\\'b\\\\c'" in fish
    assert "DISABLE_TELEMETRY=1" in shell_exports({"DISABLE_TELEMETRY": "1"}, "environment_d")


@pytest.mark.parametrize("value", ["$HOME", "a\\b", "line\nbreak", "q'uote", 'd"q', "`x`", " lead"])
def test_environment_d_refuses_what_it_cannot_quote(value):
    with pytest.raises(PolicyError) as err:
        shell_exports({"X": value}, "environment_d")
    assert err.value.field == "env.X"


def test_shell_exports_bad_shell():
    with pytest.raises(PolicyError) as err:
        shell_exports({"A": "1"}, "csh")
    assert err.value.field == "shell"


@pytest.mark.parametrize("name", ["ACME_PROXY_TEAM", "ACME_BUILD_ID", "CORP_ROOT_CERTS", "TEAM", "GIT_AUTHOR_NAME"])
def test_an_organisations_own_variables_go_through(name):
    """Names that are nobody's near miss stay allowed (the posture lists them as not read by Claude Code)."""
    assert compute({"provider": "anthropic", "plan": "team", "env": {name: "x"}})["env"][name] == "x"


@pytest.mark.parametrize("written, expected", [(True, "1"), ("1", "1"), (1, "1")])
def test_a_switch_takes_1_or_true_and_writes_1(written, expected):
    assert (
        compute({"provider": "anthropic", "plan": "team", "env": {"DISABLE_TELEMETRY": written}})["env"][
            "DISABLE_TELEMETRY"
        ]
        == expected
    )


@pytest.mark.parametrize("written, expected", [(True, "1"), ("1", "1"), (False, "0"), ("0", "0"), (0, "0")])
def test_an_ordinary_boolean_takes_1_0_true_false(written, expected):
    assert (
        compute({"provider": "anthropic", "plan": "team", "env": {"DISABLE_AUTOUPDATER": written}})["env"][
            "DISABLE_AUTOUPDATER"
        ]
        == expected
    )


@pytest.mark.parametrize("provider", F.PROVIDERS)
@pytest.mark.parametrize("profile", F.PROFILES)
@pytest.mark.parametrize("lock", [None, True, False])
@pytest.mark.parametrize("gateway", [None, "https://llm-gateway.example.com"])
def test_the_provider_lock_is_never_empty_or_invalid(provider, profile, lock, gateway):
    """An empty or invalid allowedProviders stops Claude Code from starting: the core cannot write one."""
    policy = dict(PROVIDER_PARAMS[provider], provider=provider, profile=profile, lock_provider=lock, base_url=gateway)
    if provider == "anthropic":
        policy["plan"] = "team"
    if provider == "foundry" and gateway:
        policy.pop("base_url")
    doc = compute(policy)["settings"]
    locked = lock if lock is not None else profile != "standard"
    if not locked:
        assert "allowedProviders" not in doc
        return
    allowed = doc["allowedProviders"]
    assert allowed and len(set(allowed)) == len(allowed) and set(allowed) <= set(F.ALLOWED_PROVIDER_VALUES)
    assert allowed[0] == LOCKS[provider]
    assert (F.CUSTOM_ENDPOINT in allowed) == bool(policy.get("base_url"))


@pytest.mark.parametrize("value", [[], ["bedrok"], ["bedrock", "bedrock"], "bedrock"])
def test_an_empty_or_invalid_provider_list_is_refused(value):
    with pytest.raises(PolicyError) as err:
        compute(
            {
                "provider": "bedrock",
                "aws_region": "us-east-1",
                "profile": "standard",
                "settings": {"allowedProviders": value},
            }
        )
    assert err.value.field == "settings.allowedProviders"


def _table_keys(kind):
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N

    return sorted(k for k, r in N.SETTINGS_KEYS.items() if r["type"] == kind and k not in F.OWNED_SETTINGS)


@pytest.mark.parametrize(
    "kind, wrong", [("bool", "yes"), ("int>=1", "30"), ("str", 7), ("dict", ["a"]), ("list[str]", "a")]
)
def test_every_key_of_the_names_table_is_type_checked(kind, wrong):
    keys = _table_keys(kind)
    assert keys, kind
    for key in keys:
        with pytest.raises(PolicyError) as err:
            compute({"provider": "anthropic", "plan": "team", "settings": {key: wrong}})
        assert err.value.field == "settings." + key


@pytest.mark.parametrize("given, written", [(7, 7), (14, 14)])
def test_a_shorter_transcript_retention_in_settings_is_stricter_and_wins(given, written):
    doc = compute(
        {"provider": "anthropic", "plan": "team", "profile": "private", "settings": {"cleanupPeriodDays": given}}
    )["settings"]
    assert doc["cleanupPeriodDays"] == doc["desktopSessionCleanupPeriodDays"] == written


def test_a_longer_transcript_retention_would_weaken_the_profile():
    with pytest.raises(PolicyError) as err:
        compute({"provider": "anthropic", "plan": "team", "profile": "private", "settings": {"cleanupPeriodDays": 30}})
    assert err.value.field == "settings.cleanupPeriodDays" and "at most 14" in err.value.message


def test_newer_hosts_follow_their_switches():
    """formulae.brew.sh goes with the update checks, code.claude.com with WebFetch (the built-in
    guide agent's docs lookups), *.frame.claudeusercontent.com with Artifacts (claude.ai sign-ins)."""
    base = {"provider": "anthropic", "plan": "team", "profile": "standard"}
    r = compute(base)
    assert {"formulae.brew.sh", "code.claude.com", "*.frame.claudeusercontent.com"} <= set(r["egress"])
    assert "formulae.brew.sh" in r["posture"]["traffic"]["auto_updates"]["hosts"]
    reaches = " ".join(r["posture"]["reaches_anthropic"])
    assert "code.claude.com" in reaches and "*.frame.claudeusercontent.com" in reaches

    r = compute(dict(base, env={"DISABLE_UPDATES": "1"}))
    assert "formulae.brew.sh" not in r["egress"]

    r = compute(dict(base, web_fetch=False))
    assert "code.claude.com" not in r["egress"] and not r["posture"]["traffic"]["docs_lookup"]["enabled"]

    for off in (
        {"settings": {"enableArtifact": False}},
        {"settings": {"disableArtifact": True}},
        {"env": {"CLAUDE_CODE_DISABLE_ARTIFACT": "1"}},
    ):
        r = compute(dict(base, **off))
        assert "*.frame.claudeusercontent.com" not in r["egress"], off
        assert r["posture"]["traffic"]["artifacts"]["enabled"] is False, off
    r = compute({"provider": "anthropic", "plan": "api", "profile": "standard"})
    assert r["posture"]["traffic"]["artifacts"]["why"] == "off: Artifacts need a claude.ai login"

    # airgapped: WebFetch is on but skips the domain check, so the docs host is not listed
    r = compute(dict(base, profile="airgapped"))
    docs = r["posture"]["traffic"]["docs_lookup"]
    assert docs["enabled"] is True and docs["hosts"] == [] and "skipWebFetchPreflight" in docs["why"]
    assert "code.claude.com" not in r["egress"] and "code.claude.com" not in " ".join(r["posture"]["reaches_anthropic"])


def test_gateway_posture_notes_the_api_key_start_up_lookup():
    """Observed on every CLI of the range (tests/integration/test_network_watch.py)."""
    note = "still looks api.anthropic.com up at start-up"
    for profile in F.PROFILES:
        post = compute(
            {"provider": "anthropic", "plan": "api", "base_url": "https://llm.corp.example", "profile": profile}
        )["posture"]
        assert any(note in n for n in post["notes"]), profile
    post = compute({"provider": "anthropic", "plan": "api", "profile": "airgapped"})["posture"]
    assert not any(note in n for n in post["notes"])
    post = compute(
        {
            "provider": "bedrock",
            "aws_region": "us-east-1",
            "base_url": "https://llm.corp.example",
            "profile": "airgapped",
        }
    )["posture"]
    assert not any(note in n for n in post["notes"])  # observed for ANTHROPIC_BASE_URL only


@pytest.mark.parametrize("switch,label", sorted(F.UNSUPPORTED_PROVIDER_SWITCHES.items()))
@pytest.mark.parametrize("provider", F.PROVIDERS)
def test_unsupported_provider_switch_in_env_is_refused(switch, label, provider):
    """Bedrock Mantle and Claude Platform on Google Cloud are not providers of the collection; their
    switch in env would send every session there (and, under a lock, have every session refused)."""
    policy = dict(PROVIDER_PARAMS[provider], provider=provider, profile="private")
    if provider == "anthropic":
        policy["plan"] = "enterprise"
    with pytest.raises(PolicyError) as err:
        compute(dict(policy, env={switch: "1"}))
    assert switch in str(err.value) and label in str(err.value) and "does not support" in str(err.value)
    assert compute(dict(policy, env={switch: ""}))["env"][switch] == ""  # clearing it is fine


@pytest.mark.parametrize(
    "policy, name, field",
    [
        ({"provider": "anthropic", "plan": "team", "profile": "private"}, "ANTHROPIC_BASE_URL", "base_url"),
        (
            {"provider": "vertex", "vertex_project_id": "acme-ml-prod", "vertex_region": "eu"},
            "ANTHROPIC_VERTEX_BASE_URL",
            "base_url",
        ),
        ({"provider": "foundry", "foundry_resource": "acme-ai"}, "ANTHROPIC_FOUNDRY_BASE_URL", "foundry_base_url"),
        (
            {"provider": "foundry", "foundry_base_url": "https://acme.example.com/anthropic"},
            "ANTHROPIC_FOUNDRY_RESOURCE",
            "foundry_resource",
        ),
    ],
)
def test_the_endpoint_comes_from_the_policy_fields_not_from_env(policy, name, field):
    """A gateway in env alone would escape the provider lock (no customEndpoint: Claude Code refuses
    every session), the posture and the egress allowlist."""
    with pytest.raises(PolicyError) as err:
        compute(dict(policy, env={name: "https://llm-gw.example.com"}))
    assert err.value.field == "env." + name and f"set the policy field {field} instead" in err.value.message
    assert compute(dict(policy, env={name: ""}))["env"][name] == ""  # clearing an inherited one is fine
    assert "AWS_REGION" in compute(dict(policy, env={"AWS_REGION": "us-east-1"}))["env"]  # another provider's


# --------------------------------------------------------------- values taken with a warning


@pytest.mark.parametrize(
    "policy, field",
    [
        ({"provider": "bedrock", "aws_region": "us-eest-1"}, "aws_region"),
        ({"provider": "anthropic_aws", "aws_region": "eu-wset-1", "anthropic_aws_workspace_id": "wrk_1"}, "aws_region"),
        ({"provider": "vertex", "vertex_project_id": "acme-ml-prod", "vertex_region": "us-east9"}, "vertex_region"),
    ],
)
def test_a_region_outside_the_public_list_is_taken_with_a_warning(policy, field):
    result = compute(policy)
    (warning,) = result["warnings"]
    assert warning["field"] == field
    assert warning["message"].startswith('got "%s", which is not in ' % policy[field])
    assert F.KNOWN_PARAM_VALUES[field]["source"] in warning["message"]
    assert result["posture"]["model_endpoint"] in warning["message"]


def test_known_regions_and_the_multi_regions_give_no_warning():
    # every listed AWS region the pattern takes (eusc-de-east-1, the European Sovereign Cloud's, it does not)
    pattern = re.compile(F.PROVIDER_RECORDS["bedrock"]["params"]["aws_region"]["pattern"])
    for region in sorted(F.KNOWN_PARAM_VALUES["aws_region"]["values"]):
        if pattern.match(region):
            assert compute({"provider": "bedrock", "aws_region": region})["warnings"] == [], region
    for region in ("global", "eu", "us", "us-east5", "europe-west1"):
        vertex = {"provider": "vertex", "vertex_project_id": "acme-ml-prod", "vertex_region": region}
        assert compute(vertex)["warnings"] == [], region
    assert compute({"provider": "anthropic", "plan": "team"})["warnings"] == []


# ---------------------------------------------------------------- permissions, joined


def test_the_profiles_deny_rules_are_added_to_the_policys_own_permissions():
    own = {"allow": ["Read", "Bash(git *)"], "deny": ["Bash(rm -rf *)", "Projects"], "defaultMode": "acceptEdits"}
    result = compute({"provider": "anthropic", "plan": "team", "profile": "private", "settings": {"permissions": own}})
    got = result["settings"]["permissions"]
    assert got["allow"] == own["allow"] and got["defaultMode"] == "acceptEdits"
    # the policy's rules first, as written; the profile's after them, each once
    assert got["deny"] == ["Bash(rm -rf *)", "Projects", "Artifact", "SendUserFile", "ShareOnboardingGuide"]
    assert own["deny"] == ["Bash(rm -rf *)", "Projects"]  # the policy's own value is not changed
    # the profile's record is not changed either, by this or by a later edit of the result
    got["deny"].append("Write")
    assert F.PROFILES["private"]["settings"]["permissions"]["deny"] == [
        "Artifact",
        "Projects",
        "SendUserFile",
        "ShareOnboardingGuide",
    ]
    assert compute({"provider": "anthropic", "plan": "team", "profile": "airgapped"})["settings"]["permissions"] == {
        "deny": ["Artifact", "Projects", "SendUserFile", "ShareOnboardingGuide"]
    }


def test_standard_writes_no_permissions_and_keeps_the_policys_own():
    own = {"deny": ["WebFetch"]}
    assert "permissions" not in compute({"provider": "anthropic", "plan": "team"})["settings"]
    assert compute({"provider": "anthropic", "plan": "team", "settings": {"permissions": own}})["settings"][
        "permissions"
    ] == {"deny": ["WebFetch"]}


@pytest.mark.parametrize("deny", ["Artifact", [1, "Projects"], {"Artifact": True}])
def test_a_deny_list_the_profile_cannot_join_is_refused(deny):
    with pytest.raises(PolicyError) as err:
        compute(
            {"provider": "anthropic", "plan": "team", "profile": "private", "settings": {"permissions": {"deny": deny}}}
        )
    assert err.value.field == "settings.permissions.deny"
    assert "a list of rules" in str(err.value)


def test_the_purge_never_removes_permissions():
    """permissions is joined with the organisation's own rules: the collection does not own it, so a
    shared file keeps it when the profile no longer writes it."""
    assert "permissions" not in F.OWNED_SETTINGS
    assert "permissions" not in compute({"provider": "anthropic", "plan": "team"})["purge"]
    purge = compute({"provider": "anthropic", "plan": "team"})["purge"]
    assert {"autoUploadSessions", "disableRemoteControl", "enableArtifact", "syncClaudeAiSkills"} <= set(purge)


@pytest.mark.parametrize(
    "key, value",
    [
        ("autoUploadSessions", True),
        ("disableRemoteControl", False),
        ("enableArtifact", True),
        ("syncClaudeAiPlugins", True),
        ("disableClaudeAiConnectors", False),
    ],
)
def test_private_refuses_a_value_that_reopens_a_path_to_claude_ai(key, value):
    with pytest.raises(PolicyError) as err:
        compute({"provider": "anthropic", "plan": "max", "profile": "private", "settings": {key: value}})
    assert err.value.field == f"settings.{key}" and "would weaken the private profile" in str(err.value)
