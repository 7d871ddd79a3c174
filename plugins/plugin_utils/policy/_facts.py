# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every Claude Code fact the collection relies on, each stated once, with its source.

Private to this collection: the layout may change without notice. Controller side: the policy
core, the posture and the effective-state judgement read these. What the module needs on a host
(where the files are, what each shell reads, what a credential looks like) is in _layout, the
only facts shipped to targets.

Sources are abbreviated:
  DOC:<page>            https://code.claude.com/docs/en/<page> (as of 2026-08-22, CLI 2.1.240)
  DOC:<page>@<commit>   the same page in the dated copies of the docs at
                        https://github.com/gpambrozio/ClaudeDocs (528985d6: the docs of 2026-10-10;
                        ddbeb4d4: the 2.1.284 release)
  CHANGELOG <version>   that version's entry in https://github.com/anthropics/claude-code/blob/main/CHANGELOG.md
  CLI <version>         what the real CLI of that version did or contains: the tests that watch it
                        (tests/integration/, tests/fixtures/doctor-observed.md) are named where they
                        exist; "executable" means strings in the native executable
"""

from __future__ import annotations

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N

# The CLI version the facts below were checked against: the pinned one (meta/cli_versions.json).
CHECKED_CLI_VERSION = N.PINNED_CLI_VERSION

PLANS = ("pro", "max", "team", "enterprise", "enterprise_zdr", "api")

# ---------------------------------------------------------------------------------- providers
# One record per provider. The policy core, the posture, the argument specs and the docs all
# read these; adding a provider is a record here plus its argument-spec entry, docs and samples.
#   label        how the docs name it
#   switch       the env variable that selects it ("1"), or None for the default
#   params       policy field -> {env, kind, pattern, allowed}: kind "pattern" (regex) or "url"
#   required     groups of fields; at least one field of each group must be set
#   exclusive    groups of fields of which at most one may be set
#   gateway_var  the env variable an LLM gateway URL (policy field base_url) goes to
#   gateway_excludes  fields that already name the endpoint, so base_url may not be set with them
#   endpoint     the model endpoint host, formatted with the params; endpoint_by maps one
#                field's values to fixed hosts (Vertex multi-region)
#   terms        "plan" (Anthropic's plan terms apply) or a key of PROVIDER_TERMS
#   lock         its value in the managed-only allowedProviders list (settings-reference, 2.1.285)
#   service_hosts  the provider's own service: under a provider lock, an endpoint URL elsewhere, or
#                over plain http, needs "customEndpoint" in allowedProviders and a managed value
#                (2.1.332: `may only name ...'s own service over https unless "customEndpoint" is
#                listed and the endpoint is pinned`; runs providers-gateway-*, providers-bedrock-*)
# Sources: DOC:amazon-bedrock, DOC:google-vertex-ai, DOC:microsoft-foundry, DOC:env-vars,
# DOC:llm-gateway-connect.
PROVIDER_RECORDS = {
    "anthropic": {
        "label": "Anthropic (Claude API / claude.ai sign-in)",
        "switch": None,
        "params": {},
        "required": (),
        "exclusive": (),
        "gateway_var": "ANTHROPIC_BASE_URL",
        "gateway_excludes": (),
        "endpoint": "api.anthropic.com",
        "endpoint_by": None,
        "terms": "plan",
        "lock": "anthropic",
        "service_hosts": r"^api\.anthropic\.com\Z",
    },
    "bedrock": {
        "label": "Amazon Bedrock",
        "switch": "CLAUDE_CODE_USE_BEDROCK",
        "params": {
            "aws_region": {
                "env": "AWS_REGION",
                "kind": "pattern",
                "pattern": r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\Z",
                "allowed": "an AWS region such as us-east-1",
            },
        },
        # The CLI falls back to us-east-1 (DOC:amazon-bedrock since v2.1.172); the collection
        # requires the region so that the egress allowlist and the posture name the real endpoint.
        "required": (("aws_region",),),
        "exclusive": (),
        "gateway_var": "ANTHROPIC_BEDROCK_BASE_URL",
        "gateway_excludes": (),
        "endpoint": "bedrock-runtime.{aws_region}.amazonaws.com",
        "endpoint_by": None,
        "terms": "cloud",
        "lock": "bedrock",
        "service_hosts": r"^[a-z0-9.-]+\.amazonaws\.com\Z",
    },
    "vertex": {
        "label": "Google Vertex AI",
        "switch": "CLAUDE_CODE_USE_VERTEX",
        "params": {
            "vertex_project_id": {
                "env": "ANTHROPIC_VERTEX_PROJECT_ID",
                "kind": "pattern",
                "pattern": r"^[a-z][a-z0-9-]{4,28}[a-z0-9]\Z",
                "allowed": "a Google Cloud project ID (6-30 lowercase letters, digits, hyphens)",
            },
            "vertex_region": {
                "env": "CLOUD_ML_REGION",
                "kind": "pattern",
                "pattern": r"^(global|eu|us|[a-z]+-[a-z]+[0-9]{1,2})\Z",
                "allowed": "a Vertex AI region such as global, us, eu, us-east5 or europe-west1",
            },
        },
        # The CLI has defaults for both (DOC:google-vertex-ai); the collection requires them so
        # that every host's project and endpoint are stated, not guessed.
        "required": (("vertex_project_id",), ("vertex_region",)),
        "exclusive": (),
        "gateway_var": "ANTHROPIC_VERTEX_BASE_URL",
        "gateway_excludes": (),
        "endpoint": "{vertex_region}-aiplatform.googleapis.com",
        # 'global' uses the global endpoint; the multi-regions 'eu' and 'us' their own hosts
        # (DOC:google-vertex-ai, documented since 2026-04-22).
        "endpoint_by": (
            "vertex_region",
            {
                "global": "aiplatform.googleapis.com",
                "eu": "aiplatform.eu.rep.googleapis.com",
                "us": "aiplatform.us.rep.googleapis.com",
            },
        ),
        "terms": "cloud",
        "lock": "vertex",
        "service_hosts": r"^([a-z0-9-]+\.)*googleapis\.com\Z",
    },
    "foundry": {
        "label": "Microsoft Foundry",
        "switch": "CLAUDE_CODE_USE_FOUNDRY",
        "params": {
            "foundry_resource": {
                "env": "ANTHROPIC_FOUNDRY_RESOURCE",
                "kind": "pattern",
                "pattern": r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]\Z",
                "allowed": "an Azure resource name (letters, digits, hyphens)",
            },
            "foundry_base_url": {"env": "ANTHROPIC_FOUNDRY_BASE_URL", "kind": "url"},
        },
        "required": (("foundry_resource", "foundry_base_url"),),
        "exclusive": (("foundry_resource", "foundry_base_url"),),
        # For Foundry the gateway URL is the Foundry base URL itself.
        "gateway_var": "ANTHROPIC_FOUNDRY_BASE_URL",
        "gateway_excludes": ("foundry_resource", "foundry_base_url"),
        "endpoint": "{foundry_resource}.services.ai.azure.com",
        "endpoint_by": None,
        "terms": "foundry",
        "lock": "foundry",
        "service_hosts": r"^[a-z0-9-]+\.services\.ai\.azure\.com\Z",
    },
    # Claude Platform on AWS: Anthropic's platform in an AWS account (DOC:claude-platform-on-aws,
    # DOC:env-vars; checked against the pinned CLI's names). The CLI reads the region like Bedrock.
    "anthropic_aws": {
        "label": "Claude Platform on AWS",
        "switch": "CLAUDE_CODE_USE_ANTHROPIC_AWS",
        "params": {
            "aws_region": {
                "env": "AWS_REGION",
                "kind": "pattern",
                "pattern": r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\Z",
                "allowed": "an AWS region such as us-east-1",
            },
            "anthropic_aws_workspace_id": {
                "env": "ANTHROPIC_AWS_WORKSPACE_ID",
                "kind": "pattern",
                "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]{2,127}\Z",
                "allowed": "the Claude Platform on AWS workspace ID (letters, digits, - and _)",
            },
        },
        "required": (("anthropic_aws_workspace_id",), ("aws_region",)),
        "exclusive": (),
        "gateway_var": "ANTHROPIC_AWS_BASE_URL",
        "gateway_excludes": (),
        "endpoint": "aws-external-anthropic.{aws_region}.api.aws",
        "endpoint_by": None,
        "terms": "anthropic_aws",
        "lock": "anthropicAws",
        "service_hosts": r"^[a-z0-9.-]+\.api\.aws\Z",
    },
}
# allowedProviders: the values the CLI takes (its settings schema, in _names; settings-reference
# @528985d6, 2.1.285); a gateway in front of a provider (base_url) is admitted as customEndpoint, for
# the exact URL pinned in the managed env. An empty or invalid list stops Claude Code from starting:
# the policy core only ever writes [provider's lock] or [provider's lock, customEndpoint].
ALLOWED_PROVIDER_VALUES = N.ALLOWED_PROVIDERS
CUSTOM_ENDPOINT = "customEndpoint"
PROVIDERS = tuple(PROVIDER_RECORDS)
# Providers the CLI has that the collection does not offer, by their switch: the docs name no
# endpoint or data terms for them, so no posture could say who receives and keeps the data.
#   Bedrock Mantle: DOC:amazon-bedrock names only CLAUDE_CODE_USE_MANTLE,
#     ANTHROPIC_BEDROCK_MANTLE_BASE_URL and CLAUDE_CODE_SKIP_MANTLE_AUTH; the executable's default
#     endpoint is https://bedrock-mantle.<region>.api.aws (CLI 2.1.285 and 2.1.332 executables), undocumented.
#   Claude Platform on Google Cloud: CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD (allowedProviders value
#     anthropicGoogleCloud) is in the CLI 2.1.285 and 2.1.332 executables, in none of the docs.
# Under a provider lock the CLI refuses a session switched to either (observed on 2.1.285, 2.1.332
# and the newest: tests/integration/test_provider_lock.py). In env, only "" (clearing it) is taken.
UNSUPPORTED_PROVIDER_SWITCHES = {
    "CLAUDE_CODE_USE_MANTLE": "Amazon Bedrock (Mantle)",
    "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "Claude Platform on Google Cloud",
}
# The values of a provider parameter that name a real region, for the parameters that have a public
# list. A well-formed value outside the list (us-eest-1) is taken, since a new region comes before
# a new list, but the policy core warns about it: Claude Code would send every prompt to an endpoint
# that does not exist (or is not the one meant).
#   aws_region: every region of every AWS partition in botocore 1.44.18's botocore/data/partitions.json
#     (PyPI, 2026-12-02; https://github.com/boto/botocore/blob/develop/botocore/data/partitions.json),
#     the "-global" pseudo-regions left out. Bedrock is offered in some of them only.
#   vertex_region: SUPPORTED_REGIONS and MREP_JURISDICTIONS (eu, us) of google-cloud-aiplatform 2.7.0's
#     google/cloud/aiplatform/constants/base.py (PyPI, 2026-10-28;
#     https://github.com/googleapis/python-aiplatform/blob/main/google/cloud/aiplatform/constants/base.py).
#     Claude models are offered in some of them only (DOC:google-vertex-ai).
KNOWN_PARAM_VALUES = {
    "aws_region": {
        "source": "botocore 1.44.18's list of AWS regions (2026-12-02)",
        "values": frozenset(
            [
                "af-south-1",
                "ap-east-1",
                "ap-east-2",
                "ap-northeast-1",
                "ap-northeast-2",
                "ap-northeast-3",
                "ap-south-1",
                "ap-south-2",
                "ap-southeast-1",
                "ap-southeast-2",
                "ap-southeast-3",
                "ap-southeast-4",
                "ap-southeast-5",
                "ap-southeast-6",
                "ap-southeast-7",
                "ca-central-1",
                "ca-west-1",
                "eu-central-1",
                "eu-central-2",
                "eu-north-1",
                "eu-south-1",
                "eu-south-2",
                "eu-west-1",
                "eu-west-2",
                "eu-west-3",
                "il-central-1",
                "me-central-1",
                "me-south-1",
                "me-west-1",
                "mx-central-1",
                "sa-east-1",
                "sa-west-1",
                "us-east-1",
                "us-east-2",
                "us-west-1",
                "us-west-2",
                "cn-north-1",
                "cn-northwest-1",
                "eusc-de-east-1",
                "us-iso-east-1",
                "us-iso-west-1",
                "us-isob-east-1",
                "us-isob-west-1",
                "eu-isoe-west-1",
                "us-isof-east-1",
                "us-isof-south-1",
                "us-gov-east-1",
                "us-gov-west-1",
            ]
        ),
    },
    "vertex_region": {
        "source": "google-cloud-aiplatform 2.7.0's list of Vertex AI regions (2026-10-28)",
        "values": frozenset(
            [
                "global",
                "eu",
                "us",
                "africa-south1",
                "asia-east1",
                "asia-east2",
                "asia-northeast1",
                "asia-northeast2",
                "asia-northeast3",
                "asia-south1",
                "asia-south2",
                "asia-southeast1",
                "asia-southeast2",
                "australia-southeast1",
                "australia-southeast2",
                "europe-central2",
                "europe-north1",
                "europe-north2",
                "europe-southwest1",
                "europe-west1",
                "europe-west2",
                "europe-west3",
                "europe-west4",
                "europe-west6",
                "europe-west8",
                "europe-west9",
                "europe-west12",
                "me-central1",
                "me-central2",
                "me-west1",
                "northamerica-northeast1",
                "northamerica-northeast2",
                "southamerica-east1",
                "southamerica-west1",
                "us-central1",
                "us-east1",
                "us-east4",
                "us-east5",
                "us-east7",
                "us-south1",
                "us-west1",
                "us-west2",
                "us-west3",
                "us-west4",
                "us-west8",
            ]
        ),
    },
}
# Every provider parameter field, in record order (the policy fields besides the common ones).
PROVIDER_FIELDS = tuple(
    sorted(
        {field for record in PROVIDER_RECORDS.values() for field in record["params"]},
        key=lambda f: [f in r["params"] for r in PROVIDER_RECORDS.values()].index(True),
    )
)
# Which providers take each parameter field (aws_region: Bedrock and Claude Platform on AWS).
FIELD_PROVIDERS = {
    field: tuple(n for n, r in PROVIDER_RECORDS.items() if field in r["params"]) for field in PROVIDER_FIELDS
}
# Every env variable a provider record names: switches, parameters, gateway variables.
PROVIDER_ENV = tuple(
    dict.fromkeys(
        [r["switch"] for r in PROVIDER_RECORDS.values() if r["switch"]]
        + [p["env"] for r in PROVIDER_RECORDS.values() for p in r["params"].values()]
        + [r["gateway_var"] for r in PROVIDER_RECORDS.values()]
    )
)
PROVIDER_LABELS = {name: record["label"] for name, record in PROVIDER_RECORDS.items()}
PROVIDER_SWITCH = {name: record["switch"] for name, record in PROVIDER_RECORDS.items()}

# Switches that count as ON for any non-empty value: "0" and "false" still disable (DOC:env-vars,
# type switch_nonempty in _names). Ordinary boolean variables: "1" (or true) means on, "0" (or
# false) off, unset the default (type bool: the docs' type, or the CLI's own reader); the
# collection writes them as "1" or "0" only. The unsupported provider switches take "" alone.
NONEMPTY_SWITCHES = frozenset(n for n, r in N.ENV_VARS.items() if r["type"] == "switch_nonempty")
BOOLEAN_ENV = frozenset(n for n, r in N.ENV_VARS.items() if r["type"] == "bool") - set(UNSUPPORTED_PROVIDER_SWITCHES)

# The values an ordinary boolean variable reads as false (trimmed, any case); unset is false too.
# The policy core refuses them for NONEMPTY_SWITCHES, where they would read as on. The CLI 2.1.332
# executable reads DO_NOT_TRACK, CLAUDE_CODE_ENABLE_TELEMETRY and the provider switches as true for
# 1, true, yes and on only, so a value outside both lists ("x") is on here and off there.
FALSE_VALUES = frozenset(("", "0", "false", "no", "off", "n", "f"))

# ----------------------------------------------------------------------------------- profiles
# One record per profile, in the order the policy's messages list them. Every consumer (the policy
# core, the posture, the CLI-version warnings, the docs' tables) reads these. Each record states
# everything its profile writes; a profile that implies another writes a superset of it
# (tests/unit/plugins/plugin_utils/test_records.py), and keeps that profile's promise too.
#   promise          what the profile promises, in one sentence (README.md quotes it; the unit tests
#                    check it against the posture of every provider and plan, with the TRAFFIC
#                    records' "sends")
#   keeps_off        the promise in the words of the TRAFFIC records: what a kind of traffic sends
#                    ("sends") for which the profile leaves no such traffic reaching a host; the
#                    policy core refuses extras that would turn one back on
#   implies          the profiles whose promise this one keeps too: what applies to them (a CLI
#                    version warning, say) applies to it
#   env              the env variables it sets, always to "1"
#   settings         the settings keys it sets, with their values, in the order they are written;
#                    a key of MERGED_SETTINGS is joined with the policy's own value (its lists of
#                    rules), every other key is written whole
#   locks_provider   whether it writes the provider lock (allowedProviders), unless the policy's
#                    lock_provider says otherwise
#   transcript_days  the local transcript retention (days) it sets unless the policy's
#                    transcript_retention_days says otherwise, as both TRANSCRIPT_KEYS; None keeps
#                    Claude Code's own 30 days (DOC:settings-reference#cleanupperioddays)
# Sources (docs/profiles.md compares every key with Anthropic's HIPAA baseline,
# https://github.com/anthropics/claude-code/tree/main/examples/managed-settings):
#   private: telemetry and error reporting are separate switches (DOC:env-vars; the docs disagree on
#     whether DISABLE_TELEMETRY also stops error reports: DOC:data-usage#telemetry-services names only
#     DISABLE_ERROR_REPORTING, DOC:network-config#network-access-requirements both), so both; the two
#     other uploads of session data to Anthropic: /feedback transcripts, kept 5 years, and the
#     session-quality survey, on under every provider (DOC:data-usage#default-behaviors-by-api-provider;
#     DOC:env-vars: DISABLE_FEEDBACK_COMMAND, CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY); Claude-drafted
#     feedback is not offered (feedbackDrafts, CHANGELOG 2.1.247); Desktop and Cowork sessions are
#     exempt from cleanupPeriodDays, hence desktopSessionCleanupPeriodDays (CHANGELOG 2.1.248). The
#     paths that carry a session off the machine to claude.ai, as the HIPAA baseline closes them:
#     the view-only session mirror (autoUploadSessions, false: the CLI's settings schema "Mirror
#     local sessions to claude.ai as view-only"), Remote Control (disableRemoteControl), Artifacts
#     (enableArtifact: false), the tools that upload content (permissions.deny of Artifact,
#     Projects, SendUserFile, ShareOnboardingGuide), claude.ai connectors through
#     mcp-proxy.anthropic.com (disableClaudeAiConnectors, CHANGELOG 2.1.273), and the skills and
#     plugins synced from the claude.ai account into sessions (syncClaudeAiSkills,
#     syncClaudeAiPlugins: false; DOC:settings-reference@528985d6). Every one of these keys is in
#     the settings schema of the oldest supported CLI, 2.1.325 (and of 2.1.285), and a key a CLI
#     does not know is kept silently (docs/claude-code-rules.md, case unknown-key).
#   airgapped: the umbrella switch CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC (DOC:env-vars) plus what it
#     does not cover: the WebFetch domain check (skipWebFetchPreflight, DOC:data-usage#webfetch-domain-safety-check),
#     the official marketplace auto-install (DOC:env-vars) and manual updates (DISABLE_UPDATES,
#     CHANGELOG 2.1.118; DOC:llm-gateway-connect#turn-off-traffic-outside-the-gateway-path), which
#     also stops marketplace auto-updates (the CLI 2.1.332 executable); private's switches too, so
#     that its promise survives a CLI that narrows the umbrella.
# What a kind of traffic may carry off the machine (TRAFFIC, "sends"), from the most to the least
# revealing; the profiles' promises (keeps_off) are stated in these words.
SENDS = ("session", "usage", "host names", "nothing")
_PRIVATE_SETTINGS = {
    "feedbackDrafts": "off",
    "autoUploadSessions": False,
    "disableRemoteControl": True,
    "enableArtifact": False,
    "syncClaudeAiSkills": False,
    "syncClaudeAiPlugins": False,
    "disableClaudeAiConnectors": True,
    "permissions": {"deny": ["Artifact", "Projects", "SendUserFile", "ShareOnboardingGuide"]},
}
PROFILES = {
    "standard": {
        "promise": "The provider and its parameters, nothing else: every other behaviour is Claude Code's own default.",
        "keeps_off": (),
        "implies": (),
        "env": (),
        "settings": {},
        "locks_provider": False,
        "transcript_days": None,
    },
    "private": {
        "promise": "Nothing about your sessions or your usage leaves the machine except the inference requests to "
        "your provider and the host names WebFetch checks with Anthropic before it fetches a page; sessions stay on "
        "that provider, and local transcripts are kept 14 days.",
        "keeps_off": ("session", "usage"),
        "implies": (),
        "env": (
            "DISABLE_TELEMETRY",
            "DISABLE_ERROR_REPORTING",
            "DISABLE_FEEDBACK_COMMAND",
            "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
        ),
        "settings": dict(_PRIVATE_SETTINGS),
        "locks_provider": True,
        "transcript_days": 14,
    },
    "airgapped": {
        "promise": "Everything private promises, and no contact but the model endpoint (claude.ai sign-ins add the "
        "sign-in hosts, and WebFetch reaches only the pages a user lets it fetch).",
        "keeps_off": SENDS,
        "implies": ("private",),
        "env": (
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
            "DISABLE_TELEMETRY",
            "DISABLE_ERROR_REPORTING",
            "DISABLE_FEEDBACK_COMMAND",
            "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
            "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",
            "DISABLE_UPDATES",
        ),
        "settings": dict({"skipWebFetchPreflight": True}, **_PRIVATE_SETTINGS),
        "locks_provider": True,
        "transcript_days": 14,
    },
}
# Profile settings joined with the policy's own value instead of written whole: permissions, whose
# rule lists the profile's rules are added to. The collection does not own them, so the purge of a
# shared file never removes them (a host moved from private to standard keeps the deny rules, in
# merge mode only).
MERGED_SETTINGS = ("permissions",)
TRANSCRIPT_KEYS = ("cleanupPeriodDays", "desktopSessionCleanupPeriodDays")
# How long Claude Code keeps local transcripts when cleanupPeriodDays is not set
# (DOC:settings-reference#cleanupperioddays).
TRANSCRIPT_DEFAULT_DAYS = 30


def profile_and_implied(profile: str) -> frozenset[str]:
    """The profile and every profile it implies, directly or through another."""
    seen, todo = set(), [profile]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(PROFILES[name]["implies"])
    return frozenset(seen)


# The variable the policy field web_fetch: false sets (DOC:env-vars, CHANGELOG 2.1.285).
WEB_FETCH_SWITCH = "CLAUDE_CODE_DISABLE_WEB_FETCH"

# The variable the policy field gateway_hint_headers sets: "1" makes Claude Code send its gateway
# hint headers (x-claude-code-request-class, ...; DOC:env-vars, since 2.1.273), and since 2.1.327
# x-claude-code-managed-settings-checksum, when the managed settings set it (CHANGELOG 2.1.327), on
# the requests of the Anthropic and gateway providers; "0" never. plugins/plugin_utils/policy/_checksum.py
# computes that checksum.
GATEWAY_HINT_SWITCH = "CLAUDE_CODE_GATEWAY_HINT_HEADERS"
GATEWAY_CHECKSUM_SINCE = "2.1.327"

# Every env variable this collection may write from a policy (not counting user extras).
# The role purges these from a shared (merge mode) file when the policy no longer sets them.
OWNED_ENV = frozenset(
    [WEB_FETCH_SWITCH, GATEWAY_HINT_SWITCH, *PROVIDER_ENV] + [v for record in PROFILES.values() for v in record["env"]]
)
OWNED_SETTINGS = frozenset(
    [k for record in PROFILES.values() for k in record["settings"] if k not in MERGED_SETTINGS]
    + ["allowedProviders"]
    + list(TRANSCRIPT_KEYS)
)

# The types of settings keys are the CLI's own (its settings schema, in _names): the policy core
# checks every key the CLI types (_policy._table_type).

# Retention and training per account type. The terms of the consumer plans (Free, Pro, Max) changed
# on 2025-08-28: before, DOC:data-usage said Pro kept data 30 days and was never trained on.
# Sources: DOC:data-usage#data-retention, DOC:zero-data-retention.
_DATA_USAGE = "https://code.claude.com/docs/en/data-usage#data-retention"
_ZDR = "https://code.claude.com/docs/en/zero-data-retention"
PLAN_TERMS = {
    "pro": {
        "account": "consumer",
        "training": "user's choice ('Help improve Claude' in claude.ai privacy settings)",
        "retention": "5 years if the user allows training, 30 days if not",
        "source": _DATA_USAGE,
    },
    "max": {
        "account": "consumer",
        "training": "user's choice ('Help improve Claude' in claude.ai privacy settings)",
        "retention": "5 years if the user allows training, 30 days if not",
        "source": _DATA_USAGE,
    },
    "team": {
        "account": "commercial",
        "training": "no (unless the organisation opts in)",
        "retention": "30 days",
        "source": _DATA_USAGE,
    },
    "enterprise": {
        "account": "commercial",
        "training": "no (unless the organisation opts in)",
        "retention": "30 days",
        "source": _DATA_USAGE,
    },
    "enterprise_zdr": {
        "account": "commercial (Zero Data Retention)",
        "training": "no",
        "retention": "none after the response returns (flagged sessions: up to 2 years where law or misuse requires)",
        "source": _ZDR,
    },
    "api": {
        "account": "commercial (API key)",
        "training": "no (unless the organisation opts in)",
        "retention": "30 days",
        "source": _DATA_USAGE,
    },
}
CLOUD_TERMS = {
    "account": "commercial (cloud provider)",
    "training": "no",
    "retention": "set by the cloud provider's own retention policy; Anthropic's ZDR does not apply",
    "source": _ZDR,
}
# The terms of the providers that are not Anthropic's plans. Foundry depends on the hosting
# option of the deployment (DOC:data-usage@ddbeb4d4): "Hosted on Azure" keeps prompts and
# completions in Azure (only usage metadata and flagged content go to Anthropic); "Hosted on
# Anthropic" sends requests to Anthropic's infrastructure. The host cannot tell which.
PROVIDER_TERMS = {
    "cloud": CLOUD_TERMS,
    "foundry": {
        "account": "commercial (Microsoft Foundry)",
        "training": "no",
        "retention": "by the deployment's hosting option: Hosted on Azure keeps prompts and completions in Azure "
        "(usage metadata and flagged content go to Anthropic); Hosted on Anthropic sends requests to "
        "Anthropic's infrastructure under its commercial retention; Anthropic's ZDR does not apply",
        "source": "https://code.claude.com/docs/en/data-usage",
    },
    "anthropic_aws": {
        "account": "commercial (Claude Platform on AWS)",
        "training": "no",
        "retention": "set by your Claude Platform on AWS agreement (Anthropic's commercial terms; the Claude Code "
        "docs give no figure)",
        "source": "https://code.claude.com/docs/en/claude-platform-on-aws",
    },
}

# Plans whose users sign in through claude.ai (subscription): login hosts are needed.
SUBSCRIPTION_PLANS = frozenset(("pro", "max", "team", "enterprise", "enterprise_zdr"))
# The consumer plans: training and retention follow each user's own claude.ai choice.
CONSUMER_PLANS = frozenset(plan for plan, terms in PLAN_TERMS.items() if terms["account"] == "consumer")

# ---------------------------------------------------------------------------------- hosts
# Every fixed host name the posture may list, with who runs it: "anthropic" or "third_party"
# (a model endpoint on Bedrock, Vertex AI or Foundry is the cloud provider's; PROVIDER_RECORDS).
# Source: DOC:network-config#network-access-requirements, unless said otherwise.
HOST_API = "api.anthropic.com"
HOSTS_LOGIN = ("claude.ai", "claude.com", "platform.claude.com")
# Remote Control, when a user starts it (DOC:network-config@528985d6).
HOSTS_REMOTE_CONTROL = ("bridge.claudeusercontent.com",)
HOST_RECORDS = {
    HOST_API: {"operator": "anthropic", "who": "Anthropic"},
    "claude.ai": {"operator": "anthropic", "who": "Anthropic"},
    "claude.com": {"operator": "anthropic", "who": "Anthropic"},
    "platform.claude.com": {"operator": "anthropic", "who": "Anthropic"},
    "bridge.claudeusercontent.com": {"operator": "anthropic", "who": "Anthropic"},
    "mcp-proxy.anthropic.com": {"operator": "anthropic", "who": "Anthropic"},
    "downloads.claude.ai": {"operator": "anthropic", "who": "Anthropic"},
    "code.claude.com": {"operator": "anthropic", "who": "Anthropic"},
    # the pinned CLI's FRAME_ARTIFACT_CONTENT_HOSTS (CLI 2.1.332 executable), staging left out
    "*.frame.claudeusercontent.com": {"operator": "anthropic", "who": "Anthropic"},
    "http-intake.logs.us5.datadoghq.com": {"operator": "third_party", "who": "Datadog, Anthropic's telemetry service"},
    "browser-intake-us5-datadoghq.com": {"operator": "third_party", "who": "Datadog, Anthropic's error tracking"},
    "registry.npmjs.org": {"operator": "third_party", "who": "npm, the package registry"},
    "formulae.brew.sh": {"operator": "third_party", "who": "Homebrew"},
    "raw.githubusercontent.com": {"operator": "third_party", "who": "GitHub"},
    # a plugin marketplace that is a GitHub repository (extraKnownMarketplaces, source github)
    "github.com": {"operator": "third_party", "who": "GitHub"},
    "storage.googleapis.com": {
        "operator": "third_party",
        "who": "Google Cloud Storage, serving Anthropic's plugin data",
    },
}

# ------------------------------------------------------------------------ optional traffic
# One record per kind of optional traffic, in the order the posture lists them. The posture
# (_posture.posture) judges every record the same way against a settings document, intended or in
# effect, and nothing else states which switch turns what off:
#   1. absent   ((condition, why), ...): the traffic does not exist for this host; the first that
#               holds gives the reason
#   2. off      the switches that turn it off, in the order a reason names them; the first that is
#               on gives the reason. A switch is one of
#                 {"env": NAME}                   on as Claude Code reads NAME: any non-empty value
#                                                 for NONEMPTY_SWITCHES, a true boolean otherwise
#                 {"env": NAME, "when": "false"}  on when NAME is set to a value that reads as false
#                 {"env": NAME, "values": (...)}  on when NAME, trimmed and in lower case, is one of
#                                                 the values (CLAUDE_CODE_MODEL_CATALOG: its own reader)
#                 {"setting": KEY, "value": V}    on when the settings key holds V (a boolean V
#                                                 matches only that boolean, a number only a number)
#                 {"setting": "permissions", "deny": TOOL or (TOOL, ...)}  on when permissions.deny
#                                                 holds the bare tool name of every TOOL (the whole
#                                                 tool is denied)
#               and may carry its own "why", and "unless": NAME, an env variable that, while on,
#               keeps the traffic on whatever the switch says; otherwise the record's off_why gives
#               the reason
#   3. default  the first rule whose "when" holds (None: always): {"when", "on", "why"} and
#               "listed": False when the hosts it reaches are not listed (the egress allowlist
#               leaves them to the organisation)
# Conditions: ("third_party",) the provider is not Anthropic's own API; ("gateway",) the model
# endpoint is an LLM gateway (base_url, or a Foundry base URL); ("no_claude_ai_login",) not an
# Anthropic plan signed in through claude.ai (SUBSCRIPTION_PLANS); ("claude_ai_login",) one that
# is; ("plan", p, ...) one of these plans; ("provider", p, ...) one of these providers; ("setting",
# KEY, V) the settings key holds V; ("off", KIND) the kind of traffic KIND, a record listed earlier,
# is off for this host; ("no_updating_marketplaces",) no entry of extraKnownMarketplaces would be
# updated automatically (none, or each says "autoUpdate": false).
# Reasons are formatted with {name} and {value} (the switch), {provider} (its label), {plan} and
# {marketplaces} (the names of the marketplaces that would be updated).
#   label     how "reaches Anthropic" names it
#   sends     what it carries off the machine: "session" (a session's content, or a way for it to
#             leave), "usage" (data about the account, the device or its use), "host names" (the
#             names of the hosts a session's WebFetch calls fetch), "nothing" (a download or a
#             lookup that carries neither). The profiles' promises are stated in these words
#             (PROFILES, keeps_off): private leaves on only what sends host names or nothing
#   hosts     the hosts it contacts while on (HOST_RECORDS says who runs each); a record with
#             "hosts_from": "extraKnownMarketplaces" contacts the hosts of those marketplaces' sources
#   not_off   ((NAME, note), ...): a switch taken for an off switch that is none; while the
#             traffic is on and NAME is on, the note is added to the reason
#   since     the first CLI version whose behaviour the record describes, where it changed
# Sources: DOC:data-usage#default-behaviors-by-api-provider (defaults per provider),
# DOC:data-usage#telemetry-services, DOC:env-vars (the switches), DOC:network-config (the hosts);
# what the umbrella switch does not cover: DOC:env-vars@528985d6, CHANGELOG 2.1.257.
_NONESSENTIAL = {"env": "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"}
_WEB_FETCH_OFF = {"env": WEB_FETCH_SWITCH, "why": "off: WebFetch itself is disabled (" + WEB_FETCH_SWITCH + ")"}
# A deny rule that is the bare tool name removes the tool from Claude's context entirely; a scoped
# rule (WebFetch(domain:...)) leaves it available (DOC:permissions#manage-permissions). Deny rules
# are lists, joined across managed sources (MERGE rules below), so a drop-in can add one.
_WEB_FETCH_DENIED = {
    "setting": "permissions",
    "deny": "WebFetch",
    "why": "off: permissions.deny holds WebFetch, so the tool is never offered",
}
# Plugin updates stop with Claude Code's own auto-updater, unless FORCE_AUTOUPDATE_PLUGINS is set
# (DOC:env-vars; the CLI 2.1.332 executable: plugins update "only with FORCE_AUTOUPDATE_PLUGINS=1").
_PLUGIN_UPDATES_FORCED = "FORCE_AUTOUPDATE_PLUGINS"
TRAFFIC = {
    "telemetry": {
        "label": "usage telemetry",
        "sends": "usage",
        "hosts": ("http-intake.logs.us5.datadoghq.com",),
        "absent": (),
        "off": (_NONESSENTIAL, {"env": "DISABLE_TELEMETRY"}, {"env": "DO_NOT_TRACK"}),
        "off_why": "off: {name}={value}",
        "default": (
            {"when": ("third_party",), "on": False, "why": "off: default for {provider}"},
            {
                "when": None,
                "on": True,
                "why": "on: default on the Claude API (set DISABLE_TELEMETRY=1 or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # Error reports: on only for Pro/Max sign-ins on a direct connection to the Claude API, without
    # ZDR, since CLI 2.1.198 (DOC:data-usage#telemetry-services).
    "error_reporting": {
        "label": "error reports",
        "sends": "usage",
        "hosts": ("browser-intake-us5-datadoghq.com",),
        "absent": (),
        "off": (_NONESSENTIAL, {"env": "DISABLE_ERROR_REPORTING"}),
        "off_why": "off: {name}={value}",
        "default": (
            {"when": ("third_party",), "on": False, "why": "off: default for {provider}"},
            {"when": ("gateway",), "on": False, "why": "off: default when not connected directly to the Claude API"},
            {"when": ("plan", "pro", "max"), "on": True, "why": "on: default for Pro/Max sign-ins"},
            {"when": None, "on": False, "why": "off: default for {plan} plans"},
        ),
        "not_off": (
            (
                "DISABLE_TELEMETRY",
                " (DISABLE_TELEMETRY alone is not a documented off switch for error reports; set DISABLE_ERROR_REPORTING=1)",
            ),
        ),
        "since": "2.1.198",
    },
    # Feature flags, fetched from Anthropic with the account's and the device's identifiers: off
    # with telemetry off (DOC:env-vars: DISABLE_TELEMETRY "also turns off feature-flag fetching";
    # the CLI 2.1.332 executable reads DO_NOT_TRACK the same way) and under a cloud provider
    # (tests/fixtures/doctor-observed.md: "Feature-flag evaluation disabled" with only the provider
    # switch); CLAUDE_CODE_DISABLE_FEATURE_FLAGS stops them without turning telemetry off (CHANGELOG
    # 2.1.319), as DISABLE_GROWTHBOOK does (DOC:env-vars).
    "feature_flags": {
        "label": "feature flags (fetched with the account's and the device's identifiers)",
        "sends": "usage",
        "hosts": (HOST_API,),
        "absent": (),
        "off": (
            _NONESSENTIAL,
            {"env": "DISABLE_TELEMETRY"},
            {"env": "DO_NOT_TRACK"},
            {"env": "CLAUDE_CODE_DISABLE_FEATURE_FLAGS"},
            {"env": "DISABLE_GROWTHBOOK"},
        ),
        "off_why": "off: {name}={value}",
        "default": (
            {"when": ("third_party",), "on": False, "why": "off: default for {provider}"},
            {
                "when": None,
                "on": True,
                "why": "on: default on the Claude API (set DISABLE_TELEMETRY=1, CLAUDE_CODE_DISABLE_FEATURE_FLAGS=1 "
                "or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # Release notes (raw.githubusercontent.com), model discovery and similar checks (api.anthropic.com).
    "nonessential_traffic": {
        "label": "non-essential checks (release notes, model discovery)",
        "sends": "nothing",
        "hosts": (HOST_API, "raw.githubusercontent.com"),
        "absent": (),
        "off": (_NONESSENTIAL,),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: release notes, model discovery and similar checks (set "
                "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 or profile airgapped)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # The model catalog: since 2.1.311 (CHANGELOG 2.1.311) a session on Bedrock, Vertex AI or Foundry
    # downloads Anthropic's signed list of models, https://downloads.claude.ai/model-catalog/v1/catalog.json;
    # a first-party session without a claude.ai sign-in (an API key, a gateway) and Claude Platform on
    # AWS read it where Anthropic turns it on with a feature flag; a claude.ai sign-in gets its models
    # from Anthropic's model service instead. Only the umbrella switch or CLAUDE_CODE_MODEL_CATALOG set
    # to 0, false, no or off stops it; DISABLE_TELEMETRY does not (the gate in the CLI 2.1.325, 2.1.332
    # and 2.1.337 executables, and the settings schema's description of modelCatalogUrl:
    # "CLAUDE_CODE_MODEL_CATALOG=off disables it locally").
    "model_catalog": {
        "label": "model catalog download",
        "sends": "nothing",
        "hosts": ("downloads.claude.ai",),
        "absent": ((("claude_ai_login",), "off: claude.ai sign-ins get their models from Anthropic's model service"),),
        "off": (
            _NONESSENTIAL,
            {
                "env": "CLAUDE_CODE_MODEL_CATALOG",
                "values": ("0", "false", "no", "off"),
                "why": "off: CLAUDE_CODE_MODEL_CATALOG={value}",
            },
        ),
        "off_why": "off: {name}",
        "default": (
            {
                "when": ("provider", "bedrock", "vertex", "foundry"),
                "on": True,
                "why": "on: {provider} sessions download Anthropic's model catalog at start-up; DISABLE_TELEMETRY "
                "does not stop it (set CLAUDE_CODE_MODEL_CATALOG=off or profile airgapped)",
            },
            {
                "when": ("off", "feature_flags"),
                "on": False,
                "why": "off: only a feature flag turns it on for these sessions, and feature flags are off",
            },
            {
                "when": None,
                "on": True,
                "why": "on where Anthropic turns it on with a feature flag: the session downloads its model catalog "
                "(set CLAUDE_CODE_MODEL_CATALOG=off or profile airgapped)",
            },
        ),
        "not_off": (),
        "since": "2.1.311",
    },
    # Update checks: the native build's version lookup (downloads.claude.ai), npm installs
    # (registry.npmjs.org) and Homebrew installs, which read their cask's version from
    # https://formulae.brew.sh/api/cask/<cask>.json (DOC:network-config lists the host; the CLI
    # 2.1.332 executable puts that lookup behind the same guard as the downloads.claude.ai one).
    # DISABLE_UPDATES blocks manual updates too (CHANGELOG 2.1.118).
    "auto_updates": {
        "label": "update checks and downloads",
        "sends": "nothing",
        "hosts": ("downloads.claude.ai", "registry.npmjs.org", "formulae.brew.sh"),
        "absent": (),
        "off": (_NONESSENTIAL, {"env": "DISABLE_UPDATES"}, {"env": "DISABLE_AUTOUPDATER"}),
        "off_why": "off: {name}={value} (the fleet owns upgrades)",
        "default": ({"when": None, "on": True, "why": "on: background update checks and downloads"},),
        "not_off": (),
        "since": None,
    },
    # The plugin marketplaces in extraKnownMarketplaces: a Claude Code release on or after 2026-11-30
    # updates those of managed settings automatically unless an entry says "autoUpdate": false
    # (CHANGELOG 2.1.331); up to then (the 2.1.332 and 2.1.337 executables) only the entries that say
    # "autoUpdate": true, and Anthropic's official marketplaces, are. Either way an entry with
    # "autoUpdate": false is never updated, and the updates stop with the CLI's own auto-updater.
    "marketplace_autoupdate": {
        "label": "plugin marketplace auto-update (managed extraKnownMarketplaces)",
        "sends": "nothing",
        "hosts": (),
        "hosts_from": "extraKnownMarketplaces",
        "absent": (
            (
                ("no_updating_marketplaces",),
                'off: no marketplace in extraKnownMarketplaces, or each says "autoUpdate": false',
            ),
        ),
        "off": (
            dict(_NONESSENTIAL, unless=_PLUGIN_UPDATES_FORCED),
            {"env": "DISABLE_UPDATES", "unless": _PLUGIN_UPDATES_FORCED},
            {"env": "DISABLE_AUTOUPDATER", "unless": _PLUGIN_UPDATES_FORCED},
        ),
        "off_why": "off: {name}={value} stops Claude Code's auto-updater, and plugin updates with it",
        "default": (
            {
                "when": None,
                "on": True,
                "why": 'on: Claude Code releases from 2026-11-30 on update {marketplaces} automatically (set "autoUpdate": '
                "false on an entry, or DISABLE_UPDATES=1 or profile airgapped)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # /feedback uploads the transcript, kept 5 years; on a cloud provider it writes a local archive
    # instead (DOC:data-usage); ZDR turns it off (DOC:zero-data-retention). DISABLE_BUG_COMMAND is
    # DISABLE_FEEDBACK_COMMAND's older name, still read (DOC:env-vars).
    "feedback_upload": {
        "label": "/feedback transcripts",
        "sends": "session",
        "hosts": (HOST_API,),
        "absent": (
            (("third_party",), "off: /feedback writes a local archive on {provider}"),
            (("plan", "enterprise_zdr"), "off: disabled by Zero Data Retention"),
        ),
        "off": (_NONESSENTIAL, {"env": "DISABLE_FEEDBACK_COMMAND"}, {"env": "DISABLE_BUG_COMMAND"}),
        "off_why": "off: {name}={value}",
        "default": ({"when": None, "on": True, "why": "on: /feedback uploads the session transcript (kept 5 years)"},),
        "not_off": (),
        "since": None,
    },
    # The session-quality survey: on under every provider; DISABLE_TELEMETRY and DO_NOT_TRACK stop
    # it too (DOC:data-usage#session-quality-surveys); feedbackSurveyRate 0 means never
    # (DOC:settings-reference#feedbacksurveyrate).
    "surveys": {
        "label": "session-quality survey ratings",
        "sends": "usage",
        "hosts": (HOST_API,),
        "absent": (),
        "off": (
            _NONESSENTIAL,
            {"env": "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY"},
            {"env": "DISABLE_TELEMETRY"},
            {"env": "DO_NOT_TRACK"},
            {"setting": "feedbackSurveyRate", "value": 0, "why": "off: feedbackSurveyRate is 0"},
        ),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: session-quality survey ratings go to Anthropic under every provider",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # Before its first fetch from a host, WebFetch sends the host name to api.anthropic.com, under
    # every provider; the umbrella switch does not stop it (DOC:data-usage#webfetch-domain-safety-check,
    # DOC:settings-reference#skipwebfetchpreflight; tests/integration/test_network_watch.py).
    "webfetch_check": {
        "label": "WebFetch domain safety check (host names only)",
        "sends": "host names",
        "hosts": (HOST_API,),
        "absent": (),
        "off": (
            _WEB_FETCH_OFF,
            _WEB_FETCH_DENIED,
            {
                "setting": "skipWebFetchPreflight",
                "value": True,
                "why": "off: skipWebFetchPreflight is true (pair it with WebFetch(domain:...) permission rules)",
            },
        ),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: WebFetch sends each URL's host name to Anthropic before fetching, under every provider "
                "(set skipWebFetchPreflight or profile airgapped)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # The official plugin marketplace registers itself; the umbrella switch does not stop it
    # (DOC:env-vars: CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL; DOC:network-config:
    # storage.googleapis.com for plugin data).
    "marketplace_autoinstall": {
        "label": "official plugin marketplace auto-install",
        "sends": "nothing",
        "hosts": ("storage.googleapis.com",),
        "absent": (),
        "off": ({"env": "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL"},),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: the official plugin marketplace is registered automatically (not covered by the "
                "umbrella switch)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # MCP connectors configured in claude.ai run through Anthropic's proxy; disableClaudeAiConnectors
    # (CHANGELOG 2.1.273) or ENABLE_CLAUDEAI_MCP_SERVERS=false turn them off (DOC:settings-reference@528985d6,
    # DOC:env-vars@528985d6).
    "claude_ai_connectors": {
        "label": "claude.ai connectors (MCP through Anthropic's proxy)",
        "sends": "session",
        "hosts": ("mcp-proxy.anthropic.com",),
        "absent": ((("no_claude_ai_login",), "off: claude.ai connectors need a claude.ai sign-in"),),
        "off": (
            {"setting": "disableClaudeAiConnectors", "value": True, "why": "off: disableClaudeAiConnectors is true"},
            {"env": "ENABLE_CLAUDEAI_MCP_SERVERS", "when": "false"},
        ),
        "off_why": "off: {name}={value}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: MCP connectors configured in claude.ai run through Anthropic's proxy (set "
                "disableClaudeAiConnectors or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # The Artifact tool publishes session output as a private page on claude.ai; the CLI 2.1.332
    # executable says "Artifacts need a claude.ai login". enableArtifact: false (or the deprecated
    # disableArtifact: true), CLAUDE_CODE_DISABLE_ARTIFACT and a deny rule for the tool turn it off
    # (DOC:settings-reference@528985d6, DOC:env-vars@528985d6, DOC:permissions).
    "artifacts": {
        "label": "Artifacts (session output published as a private page on claude.ai)",
        "sends": "session",
        "hosts": ("*.frame.claudeusercontent.com",),
        "absent": ((("no_claude_ai_login",), "off: Artifacts need a claude.ai login"),),
        "off": (
            {"setting": "enableArtifact", "value": False, "why": "off: enableArtifact is false"},
            {"setting": "disableArtifact", "value": True, "why": "off: disableArtifact is true"},
            {"env": "CLAUDE_CODE_DISABLE_ARTIFACT"},
            {"setting": "permissions", "deny": "Artifact", "why": "off: permissions.deny holds Artifact"},
        ),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: the Artifact tool publishes session output as a private page on claude.ai, served "
                "from its content hosts (set enableArtifact: false, or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # The tools that upload a session's files to claude.ai: Projects (file uploads to a claude.ai
    # project, through /api/organizations/<org>/projects/ on Anthropic's API with the claude.ai
    # sign-in: the CLI 2.1.332 executable), SendUserFile and ShareOnboardingGuide (uploads
    # ONBOARDING.md for a share link; claude.ai plans only, DOC:tools-reference). Anthropic's HIPAA
    # baseline denies all three ("Blocks these tools, which send content off the computer":
    # examples/managed-settings/README.md of anthropics/claude-code); only deny rules turn them off.
    "claude_ai_uploads": {
        "label": "file uploads to claude.ai (Projects, SendUserFile, ShareOnboardingGuide tools)",
        "sends": "session",
        "hosts": (HOST_API,),
        "absent": ((("no_claude_ai_login",), "off: these tools need a claude.ai sign-in"),),
        "off": (
            {
                "setting": "permissions",
                "deny": ("Projects", "SendUserFile", "ShareOnboardingGuide"),
                "why": "off: permissions.deny holds Projects, SendUserFile and ShareOnboardingGuide",
            },
        ),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: these tools upload a session's files to claude.ai when Claude calls them (deny them in "
                "permissions, or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # Remote Control relays a session through Anthropic to claude.ai and the mobile apps when a user
    # starts it (/remote-control, remoteControlAtStartup); it needs a claude.ai sign-in on the Claude
    # API (tests/fixtures/doctor-observed.md). disableRemoteControl turns it off everywhere it can start
    # (DOC:settings-reference@528985d6; claude doctor 2.1.332: "Disabled by org policy
    # (disableRemoteControl)"). Its host: DOC:network-config@528985d6.
    "remote_control": {
        "label": "Remote Control (a session relayed through Anthropic to claude.ai and the mobile apps)",
        "sends": "session",
        "hosts": HOSTS_REMOTE_CONTROL,
        "absent": (
            (("no_claude_ai_login",), "off: Remote Control needs a claude.ai sign-in"),
            (("gateway",), "off: Remote Control needs a direct connection to the Claude API (api.anthropic.com)"),
        ),
        "off": ({"setting": "disableRemoteControl", "value": True, "why": "off: disableRemoteControl is true"},),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on when a user starts it (/remote-control, or remoteControlAtStartup) (set disableRemoteControl, "
                "or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # autoUploadSessions mirrors local sessions to claude.ai as view-only (the CLI's settings schema,
    # 2.1.285 to 2.1.337: "Mirror local sessions to claude.ai as view-only (no remote control)"); off
    # unless a user turns it on in their own settings, which managed false overrides (the
    # executables list it with remoteControlAtStartup as a key a project cannot turn on).
    "session_upload": {
        "label": "session upload (local sessions mirrored to claude.ai, view-only)",
        "sends": "session",
        "hosts": HOSTS_REMOTE_CONTROL,
        "absent": ((("no_claude_ai_login",), "off: the mirror needs a claude.ai sign-in"),),
        "off": ({"setting": "autoUploadSessions", "value": False, "why": "off: autoUploadSessions is false"},),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on when a user turns autoUploadSessions on in their own settings (set autoUploadSessions: false, "
                "or profile private)",
            },
        ),
        "not_off": (),
        "since": None,
    },
    # The skills and the plugins enabled on the claude.ai account are downloaded and loaded into
    # sessions (DOC:settings-reference@528985d6: syncClaudeAiSkills, syncClaudeAiPlugins, since
    # 2.1.275; only false has an effect). A synced plugin's hooks and MCP servers can send a session's
    # data anywhere; the HIPAA baseline turns both off.
    "claude_ai_skills_sync": {
        "label": "claude.ai skill sync (the account's skills loaded into sessions)",
        "sends": "session",
        "hosts": (HOST_API,),
        "absent": ((("no_claude_ai_login",), "off: the sync needs a claude.ai sign-in"),),
        "off": ({"setting": "syncClaudeAiSkills", "value": False, "why": "off: syncClaudeAiSkills is false"},),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: the skills enabled on the claude.ai account are downloaded and loaded into sessions (set "
                "syncClaudeAiSkills: false, or profile private)",
            },
        ),
        "not_off": (),
        "since": "2.1.275",
    },
    "claude_ai_plugins_sync": {
        "label": "claude.ai plugin sync (the account's plugins loaded into sessions)",
        "sends": "session",
        "hosts": (HOST_API,),
        "absent": ((("no_claude_ai_login",), "off: the sync needs a claude.ai sign-in"),),
        "off": ({"setting": "syncClaudeAiPlugins", "value": False, "why": "off: syncClaudeAiPlugins is false"},),
        "off_why": "off: {name}",
        "default": (
            {
                "when": None,
                "on": True,
                "why": "on: the plugins enabled on the claude.ai account are downloaded and run in sessions, their "
                "hooks and MCP servers included (set syncClaudeAiPlugins: false, or profile private)",
            },
        ),
        "not_off": (),
        "since": "2.1.275",
    },
    # The built-in claude-code-guide agent reads the docs map and pages from code.claude.com with
    # WebFetch when a user asks how Claude Code works (CLI 2.1.285 and 2.1.332 executables:
    # https://code.claude.com/docs/en/claude_code_docs_map.md; DOC:network-config lists the host).
    # With the domain check skipped, the domains WebFetch may reach are the organisation's to allow.
    "docs_lookup": {
        "label": "Claude Code docs read by the built-in guide agent (WebFetch, when a user asks)",
        "sends": "nothing",
        "hosts": ("code.claude.com",),
        "absent": (),
        "off": (_WEB_FETCH_OFF, _WEB_FETCH_DENIED),
        "off_why": "off: {name}",
        "default": (
            {
                "when": ("setting", "skipWebFetchPreflight", True),
                "on": True,
                "listed": False,
                "why": "on when a user asks the built-in guide agent about Claude Code: it fetches code.claude.com "
                "with WebFetch; not in the egress allowlist, since with skipWebFetchPreflight the domains WebFetch "
                "may reach are yours to allow (WebFetch(domain:...) rules and your firewall); web_fetch: false "
                "turns WebFetch off",
            },
            {
                "when": None,
                "on": True,
                "why": "on when a user asks the built-in guide agent about Claude Code: it fetches the docs with "
                "WebFetch (web_fetch: false turns WebFetch off)",
            },
        ),
        "not_off": (),
        "since": None,
    },
}
# OpenTelemetry export goes to the organisation's own collector, not to Anthropic: on when the
# switch is on and the endpoint is set (DOC:monitoring-usage#common-configuration-variables).
OTEL_EXPORT = {"switch": "CLAUDE_CODE_ENABLE_TELEMETRY", "endpoint": "OTEL_EXPORTER_OTLP_ENDPOINT"}

SCHEMA_URL = "https://json.schemastore.org/claude-code-settings.json"

# Every shell's own variables: the env block goes to every selected shell, so a name reserved in
# any of them is refused.
SHELL_RESERVED_ENV = frozenset(name for record in L.SHELL_RECORDS.values() for name in record["reserved"])
# Names that would change how every program or shell on the host behaves. A Claude Code policy
# has no business setting them, and rc exports would hand them to every login.
FORBIDDEN_ENV = frozenset(
    (
        "PATH",
        "HOME",
        "SHELL",
        "USER",
        "LOGNAME",
        "IFS",
        "ENV",
        "BASH_ENV",
        "PS1",
        "PS4",
        "PROMPT_COMMAND",
        "SHELLOPTS",
        "BASHOPTS",
        "CDPATH",
        "LD_PRELOAD",
        "LD_LIBRARY_PATH",
        "LD_AUDIT",
        "NODE_OPTIONS",
        "PYTHONPATH",
        "PYTHONSTARTUP",
        "PERL5OPT",
        "RUBYOPT",
        "ZDOTDIR",
        "XDG_CONFIG_HOME",
        "TMPDIR",
    )
)
FORBIDDEN_ENV_PREFIXES = ("DYLD_", "LD_", "BASH_FUNC_")

# ------------------------------------------------------------------- what Claude Code reads
# The managed sources on the host's file system, read in this order, and how the file-based
# ones merge. How each file is read (encoding, JSON, size, file types, the account, the drop-ins'
# order) is in plugins/module_utils/_cliread.py; every rule with the executable's code and the
# recorded runs of 2.1.285, 2.1.332 and 2.1.337 in docs/claude-code-rules.md (tests/data/cli_cases.json).
#   - the main file first, then every *.json in managed-settings.d/ (not starting with a dot) in
#     JavaScript's sort order (UTF-16 code units), each merged over the result so far (section 10);
#   - a later scalar replaces an earlier one, arrays are combined without repeats (allowedProviders
#     too: two files' lists are combined, not intersected), objects are merged key by key, except
#     the keys in MERGE_REPLACED_KEYS, replaced whole, and the entries of MERGE_REPLACED_ENTRIES,
#     replaced whole per entry name (2.1.332's merge customizer, found by `return R([...e,...n])`);
#   - an empty file (JavaScript's trim()) counts as {}; a file that is not a JSON object makes
#     Claude Code refuse to start (2.1.259 and later); a file it cannot read (too large, not a
#     regular file, not readable by its account) is skipped with a warning;
#   - each top-level field is checked against the CLI's schema (cli_names.json): env values are
#     made strings (String(value)); a field of another wrong type is dropped, an earlier file's
#     value stays; allowedProviders that is not a list of strings becomes [] (section 9).
MERGE_REPLACED_KEYS = ("fallbackModel", "modelPicker")
MERGE_REPLACED_ENTRIES = ("extraKnownMarketplaces", "managedMcpServers")
# Section 8: 2.1.285 and 2.1.325 copy a document recursively and stop with its stack overflowed
# (they do not start) on a deep one: observed at 5000 levels, not at 66; 2.1.332 and later cut what is deeper than 64
# levels with a warning. Where between 66 and 5000 the oldest stops is its engine's stack, not a
# rule: the collection draws the line where tests/_support/cli_rules.py does.
DEEP_DOCUMENT_CRASH = {"before": "2.1.332", "depth": 1000}
# Section 5: a warning when the main file is reached through a link that leads outside the managed
# folder. 2.1.285 gives none; 2.1.325, the oldest supported, and later do (tests/data/cli_cases.json,
# case main-dev-null).
LINK_OUTSIDE_WARNED_FROM = "2.1.325"
# How the managed sources compose (server-managed > MDM plist or HKLM > the file with its
# drop-ins), from managedSourcesBehavior's description in the 2.1.332 executable (the same enum in
# 2.1.285 and 2.1.337; docs/claude-code-rules.md, sections 13 and 14), read from the highest
# source present:
#   "first-wins" (the default): the highest source that holds policy content is the managed tier
#   alone, but env, which merges per variable across sources (2.1.223; turned off only by
#   CLAUDE_CODE_DISABLE_ADMIN_ENV_UNION in the launch environment);
#   "merge": every present source deep-merges, the higher winning a scalar; arrays are combined,
#   but for SOURCES_HIGHEST_OWNS (the highest source that sets one owns it whole); the keys of
#   SOURCES_HIGHEST_ONLY come from the highest source only; the locks of SOURCES_STRICTEST take
#   the strictest value (true) any source sets.
# A document with no key but SOURCES_NO_POLICY_KEYS holds no policy content (2.1.332 `OAn`).
SOURCES_NO_POLICY_KEYS = ("managedSourcesBehavior", "wslInheritsWindowsSettings")
SOURCES_HIGHEST_OWNS = (
    "fallbackModel",
    "allowedMcpServers",
    "allowedProviders",
    "availableModels",
    "strictKnownMarketplaces",
    "allowedChannelPlugins",
    "sandbox.credentials.awsPairs",
    "sandbox.ripgrep",
    "modelOverrides",
)
SOURCES_HIGHEST_ONLY = (
    "forceLoginOrgUUID",
    "forceLoginMethod",
    "forceLoginGatewayUrl",
    "gatewayInternalNetworks",
    "allowNestedModelAccessUnderForceLogin",
    "apiKeyHelper",
    "awsAuthRefresh",
    "awsCredentialExport",
    "gcpAuthRefresh",
    "otelHeadersHelper",
    "proxyAuthHelper",
    "modelPicker",
    "permissions.defaultMode",
    "parentSettingsBehavior",
    "policyHelper",
    "policyHelpers",
)
# "the allowManaged*Only locks, the disable* switches, the sandbox lock family": by name.
SOURCES_STRICTEST = r"^(allowManaged\w*Only|disable\w+)$"
# What a host cannot show: the managed sources that are not files (docs/claude-code-rules.md,
# sections 12 and 13; DOC:server-managed-settings): settings the organization serves from the
# Claude.ai Admin Console (server-managed, above every file) and a policy helper's answer
# (policyHelper, policyHelpers: a program the CLI runs to get managed settings).
NOT_VISIBLE_SERVER = (
    "server-managed settings (the organization's Claude.ai Admin Console): not visible from the host; when the "
    "organization serves them they come first (managedSourcesBehavior)"
)
POLICY_HELPER_KEYS = ("policyHelper", "policyHelpers")

# The oldest CLI version that honours what a profile or a host relies on, with the source.
# A host whose CLI is older gets a warning in the drift report.
CLI_VERSION_FACTS = (
    # (what, oldest version, source, applies: "always" | "dropins" | a profile, and every profile
    # that implies it). The source is printed in the warning.
    ("drop-ins in managed-settings.d/ are read", "2.1.83", "CHANGELOG 2.1.83", "dropins"),
    (
        "the opt-outs suppress usage metrics for API and enterprise users",
        "2.1.120",
        "CHANGELOG 2.1.120",
        "private",
    ),
    ("env merges per variable across admin sources", "2.1.223", "CHANGELOG 2.1.223", "always"),
    (
        "an unparseable managed source stops Claude Code from starting (before: it was skipped)",
        "2.1.259",
        "CHANGELOG 2.1.259",
        "always",
    ),
    ("feedbackDrafts is read", "2.1.247", "CHANGELOG 2.1.247", "private"),
    ("desktopSessionCleanupPeriodDays is read", "2.1.248", "CHANGELOG 2.1.248", "private"),
    ("disableClaudeAiConnectors is read", "2.1.273", "CHANGELOG 2.1.273", "private"),
    ("allowedProviders locks the provider", "2.1.285", "CHANGELOG 2.1.285", "private"),
    (
        "allowedProviders holds when Claude Code counts tokens on Bedrock (before, the conversation was sent to "
        "Bedrock even when allowedProviders did not allow it: the lock leaks)",
        "2.1.325",
        "CHANGELOG 2.1.325",
        "private",
    ),
)
# The range of Claude Code versions the collection supports: from the oldest that honours every
# control a profile writes on (the provider lock holds on Bedrock token counting since 2.1.325; the
# last fact above); no upper bound (the newest on npm is tested every run). Stated in
# meta/cli_versions.json, which scripts/bootstrap.sh reads too.
CLI_SUPPORTED_OLDEST = N.OLDEST_CLI_VERSION

# Environment variables and top-level settings keys Claude Code reads, as far as this file knows
# them (_names adds every one the checked CLIs declare, and the documented ones).
# A name that is none of these but is one of them in another case, or within a typo of one, is a
# near miss: Claude Code would not read it (names are case-sensitive).
KNOWN_ENV_HERE = frozenset(
    OWNED_ENV
    | NONEMPTY_SWITCHES
    | BOOLEAN_ENV
    | frozenset(
        (
            "ANTHROPIC_MODEL",
            "ANTHROPIC_SMALL_FAST_MODEL",
            "HTTPS_PROXY",
            "HTTP_PROXY",
            "NO_PROXY",
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_METRICS_EXPORTER",
            "OTEL_LOGS_EXPORTER",
            "OTEL_EXPORTER_OTLP_PROTOCOL",
        )
    )
)
KNOWN_SETTINGS_HERE = frozenset(OWNED_SETTINGS) | frozenset(("env", "$schema"))
