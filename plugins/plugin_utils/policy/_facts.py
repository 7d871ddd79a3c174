# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every Claude Code fact the collection relies on, each stated once, with its source.

Private to this collection: the layout may change without notice. Controller side: the policy
core, the posture and the effective-state judgement read these. What the module needs on a host
(where the files are, what each shell reads, what a credential looks like) is in _layout, the
only facts shipped to targets.

Sources are abbreviated:
  DOC:<page>  https://code.claude.com/docs/en/<page> (snapshot 2026-08-22, CLI v2.1.240)
  SEED        shared/reference/claude-code-data-usage.txt (the project's source document)
  CLI         what the real CLI v2.1.331 did (shared/reference/observed-cli-behaviour.md,
              tests/fixtures/doctor-observed.md)
"""

from __future__ import annotations

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N

# The CLI version the facts below were checked against: the pinned one (meta/cli_versions.json).
CHECKED_CLI_VERSION = N.PINNED_CLI_VERSION

PLANS = ("pro", "max", "team", "enterprise", "enterprise_zdr", "api")
PROFILES = ("standard", "private", "airgapped")

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
    },
}
# allowedProviders: the values the CLI takes (its settings schema, in _names; settings-reference
# @528985d6, 2.1.285); a gateway in front of a provider (base_url) is admitted as customEndpoint, for
# the exact URL pinned in the managed env. An empty or invalid list stops Claude Code from starting:
# the policy core only ever writes [provider's lock] or [provider's lock, customEndpoint].
ALLOWED_PROVIDER_VALUES = N.ALLOWED_PROVIDERS
CUSTOM_ENDPOINT = "customEndpoint"
PROVIDERS = tuple(PROVIDER_RECORDS)
# Providers the CLI has that the collection does not offer, by their switch: the references name
# no endpoint or data terms for them, so no posture could say who receives and keeps the data.
#   Bedrock Mantle: update 2026-10 (b) names only CLAUDE_CODE_USE_MANTLE,
#     ANTHROPIC_BEDROCK_MANTLE_BASE_URL and CLAUDE_CODE_SKIP_MANTLE_AUTH; the executable's default
#     endpoint is https://bedrock-mantle.<region>.api.aws (CLI 2.1.285 and 2.1.332), undocumented.
#   Claude Platform on Google Cloud: CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD (allowedProviders value
#     anthropicGoogleCloud) is in the executable of 2.1.285 and 2.1.332, in none of the references.
# Under a provider lock the CLI refuses a session switched to either (observed on 2.1.285, 2.1.332
# and the newest: tests/integration/test_provider_lock.py). In env, only "" (clearing it) is taken.
UNSUPPORTED_PROVIDER_SWITCHES = {
    "CLAUDE_CODE_USE_MANTLE": "Amazon Bedrock (Mantle)",
    "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "Claude Platform on Google Cloud",
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
PROVIDER_LABELS = {name: record["label"] for name, record in PROVIDER_RECORDS.items()}
PROVIDER_SWITCH = {name: record["switch"] for name, record in PROVIDER_RECORDS.items()}

# Switches that count as ON for any non-empty value: "0" and "false" still disable (DOC:env-vars,
# type switch_nonempty in _names). Ordinary boolean variables: "1" (or true) means on, "0" (or
# false) off, unset the default (type bool: the docs' type, or the CLI's own reader); the
# collection writes them as "1" or "0" only. The unsupported provider switches take "" alone.
NONEMPTY_SWITCHES = frozenset(n for n, r in N.ENV_VARS.items() if r["type"] == "switch_nonempty")
BOOLEAN_ENV = frozenset(n for n, r in N.ENV_VARS.items() if r["type"] == "bool") - set(UNSUPPORTED_PROVIDER_SWITCHES)

# The env block each profile adds. Values are always the string "1".
# standard: nothing beyond the provider.
# private: telemetry AND error reporting off (separate switches, SEED "Footguns"), plus the two
#   other uploads of session data to Anthropic: /feedback transcripts (kept 5 years) and the
#   session-quality survey, which stays on under every provider (DOC:data-usage,
#   DOC:env-vars: DISABLE_FEEDBACK_COMMAND, CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY).
# airgapped: the umbrella switch (SEED; DOC:env-vars) plus what it does not cover: the official
#   marketplace auto-install (DOC:env-vars) and manual updates (DISABLE_UPDATES, DOC:env-vars,
#   facts 7.3 baseline for isolated hosts); telemetry and error reporting explicitly too, so the
#   intent survives a CLI that narrows the umbrella. The WebFetch check needs the
#   skipWebFetchPreflight setting (PROFILE_SETTINGS).
PROFILE_ENV = {
    "standard": (),
    "private": (
        "DISABLE_TELEMETRY",
        "DISABLE_ERROR_REPORTING",
        "DISABLE_FEEDBACK_COMMAND",
        "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
    ),
    "airgapped": (
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
        "DISABLE_TELEMETRY",
        "DISABLE_ERROR_REPORTING",
        "DISABLE_FEEDBACK_COMMAND",
        "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
        "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",
        "DISABLE_UPDATES",
    ),
}
# Settings keys each profile sets. Source: DOC:settings-reference#skipwebfetchpreflight,
# DOC:data-usage#webfetch-domain-safety-check (not covered by the umbrella switch).
# private and airgapped also keep Claude-drafted feedback from being offered (feedbackDrafts,
# 2.1.247, DOC:settings-reference; the umbrella switch covers it too since 2.1.257), and
# airgapped turns off claude.ai connectors (disableClaudeAiConnectors, 2.1.273: the route through
# mcp-proxy.anthropic.com).
PROFILE_SETTINGS = {
    "standard": {},
    "private": {"feedbackDrafts": "off"},
    "airgapped": {"skipWebFetchPreflight": True, "feedbackDrafts": "off", "disableClaudeAiConnectors": True},
}
# The provider lock (allowedProviders) each profile writes unless the policy says otherwise
# (policy field lock_provider).
PROFILE_LOCKS_PROVIDER = {"standard": False, "private": True, "airgapped": True}
# Local transcript retention (days) each profile sets when the policy does not (policy field
# transcript_retention_days): cleanupPeriodDays and desktopSessionCleanupPeriodDays, since
# Desktop/Cowork sessions are exempt from the first (2.1.248). Claude Code keeps 30 days by default.
PROFILE_TRANSCRIPT_DAYS = {"standard": None, "private": 14, "airgapped": 14}
TRANSCRIPT_KEYS = ("cleanupPeriodDays", "desktopSessionCleanupPeriodDays")

# Every env variable this collection may write from a policy (not counting user extras).
# The role purges these from a shared (merge mode) file when the policy no longer sets them.
OWNED_ENV = frozenset(
    ["CLAUDE_CODE_DISABLE_WEB_FETCH"]
    + [r["switch"] for r in PROVIDER_RECORDS.values() if r["switch"]]
    + [p["env"] for r in PROVIDER_RECORDS.values() for p in r["params"].values()]
    + [r["gateway_var"] for r in PROVIDER_RECORDS.values()]
    + [v for names in PROFILE_ENV.values() for v in names]
)
OWNED_SETTINGS = frozenset(
    [k for s in PROFILE_SETTINGS.values() for k in s] + ["allowedProviders"] + list(TRANSCRIPT_KEYS)
)

# The types of settings keys are the CLI's own (its settings schema, in _names): the policy core
# checks every key the CLI types (_policy._table_type).

# Retention and training per account type. The SEED said "Pro: 30 days, no training"; the docs
# changed on 2025-08-28 for consumer plans (Free, Pro, Max). Sources: DOC:data-usage#data-retention,
# DOC:zero-data-retention.
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
# option of the deployment (data-usage @ddbeb4d4): "Hosted on Azure" keeps prompts and
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
# Error reporting defaults on only for Pro/Max sign-ins on a direct connection, non-ZDR
# (DOC:data-usage#telemetry-services, since v2.1.198).
ERROR_REPORTING_DEFAULT_PLANS = frozenset(("pro", "max"))

# Hosts. Source: DOC:network-config#network-access-requirements (facts 3.5).
HOST_API = "api.anthropic.com"
HOSTS_LOGIN = ("claude.ai", "claude.com", "platform.claude.com")
HOST_TELEMETRY = "http-intake.logs.us5.datadoghq.com"
HOST_ERRORS = "browser-intake-us5-datadoghq.com"
# Update checks: the native build's version lookup (downloads.claude.ai), npm installs
# (registry.npmjs.org) and Homebrew installs, which read their cask's version from
# https://formulae.brew.sh/api/cask/<cask>.json (DOC:network-config lists the host; the pinned
# CLI's code puts that lookup behind the same guard as the downloads.claude.ai one, so the
# switches that stop update checks stop it too).
HOSTS_UPDATES = ("downloads.claude.ai", "registry.npmjs.org", "formulae.brew.sh")
HOST_RELEASE_NOTES = "raw.githubusercontent.com"
HOST_PLUGINS = "storage.googleapis.com"
# Hosts named by the docs of 2026-10 (update 2026-10 (b) "Posture gaps"): claude.ai connectors
# (ENABLE_CLAUDEAI_MCP_SERVERS / disableClaudeAiConnectors) and Remote Control.
HOST_MCP_PROXY = "mcp-proxy.anthropic.com"
HOSTS_REMOTE_CONTROL = ("bridge.claudeusercontent.com",)
# The Claude Code docs: DOC:network-config lists the host (update 2026-10 (b)); in the pinned CLI the
# built-in claude-code-guide agent reads its docs map and pages from it with WebFetch when a user
# asks how Claude Code works (CLI 2.1.285 and 2.1.332: https://code.claude.com/docs/en/claude_code_docs_map.md).
HOST_DOCS = "code.claude.com"
# Artifacts: the Artifact tool publishes session output as a private page on claude.ai, served from
# these content hosts (update 2026-10 (b); the pinned CLI's FRAME_ARTIFACT_CONTENT_HOSTS, staging
# left out). The CLI says "Artifacts need a claude.ai login"; enableArtifact: false (or the
# deprecated disableArtifact: true) and CLAUDE_CODE_DISABLE_ARTIFACT turn them off (DOC@528985d6).
HOSTS_ARTIFACTS = ("*.frame.claudeusercontent.com",)

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
# ones merge. Sources: facts 1.4 (DOC:managed-settings#split-a-file-based-policy-across-teams,
# CLI 2.1.83+), update 2026-10 (a) 3 and 4 (DOC:managed-settings @528985d6, CHANGELOG 2.1.259),
# CLI: observed-cli-behaviour.md (2.1.331: a drop-in merged after the main file turns a switch
# back on; an unparseable drop-in stops `claude -p` with exit 1).
#   - the main file first, then every *.json in managed-settings.d/ in alphabetical order
#     (Python's sorted() on the names, as systemd does); hidden files and other names ignored;
#   - a later scalar replaces an earlier one, lists are concatenated and de-duplicated, objects
#     are deep-merged key by key, except the keys in MERGE_REPLACED_KEYS, replaced whole, and
#     entries of MERGE_REPLACED_ENTRIES, replaced whole per entry name;
#   - an empty file counts as {}; a file that is not a JSON object makes Claude Code refuse to
#     start (2.1.259 and later; before, it contributed nothing).
MERGE_REPLACED_KEYS = ("fallbackModel", "modelPicker", "managedMcpServers")
MERGE_REPLACED_ENTRIES = ("extraKnownMarketplaces",)
# Keys that act across managed sources instead of first-wins (update 2026-10 (a) 4); the
# collection models allowedProviders, whose lists intersect (2.1.285).
CROSS_SOURCE_KEYS = ("allowedProviders",)

# The oldest CLI version that honours what a profile or a host relies on, with the source.
# A host whose CLI is older gets a warning in the drift report.
CLI_VERSION_FACTS = (
    # (what, oldest version, source, applies: "always" | "dropins" | profile name)
    ("drop-ins in managed-settings.d/ are read", "2.1.83", "facts 1.4; CHANGELOG 2.1.83", "dropins"),
    (
        "the opt-outs suppress usage metrics for API and enterprise users",
        "2.1.120",
        "facts 8; CHANGELOG 2.1.120",
        "private",
    ),
    ("env merges per variable across admin sources", "2.1.223", "facts 1.3; CHANGELOG 2.1.223", "always"),
    (
        "an unparseable managed source stops Claude Code from starting (before: it was skipped)",
        "2.1.259",
        "update 2026-10 (a) 3; CHANGELOG 2.1.259",
        "always",
    ),
    ("feedbackDrafts is read", "2.1.247", "update 2026-10 (b); CHANGELOG 2.1.247", "private"),
    ("desktopSessionCleanupPeriodDays is read", "2.1.248", "update 2026-10 (b); CHANGELOG 2.1.248", "private"),
    ("disableClaudeAiConnectors is read", "2.1.273", "update 2026-10 (a) 4; CHANGELOG 2.1.273", "airgapped"),
    ("allowedProviders locks the provider", "2.1.285", "update 2026-10 (b); CHANGELOG 2.1.285", "private"),
)
# The range of Claude Code versions the collection supports: from the oldest that honours every
# control a profile writes (allowedProviders, 2.1.285) on; no upper bound (the newest on npm is
# tested every run). Stated in meta/cli_versions.json, which scripts/bootstrap.sh reads too.
CLI_SUPPORTED_OLDEST = N.OLDEST_CLI_VERSION

# ------------------------------------------------------------------------ public variables
# Every claude_code_* variable of the collection: the roles' inputs (their meta/argument_specs.yml,
# checked by tests/unit/test_records_agree.py), the playbooks' own, and the registered results.
# A host variable with the prefix that is none of these is a typo: the apply action names the
# closest known one.
PLAYBOOK_VARIABLES = (
    "claude_code_hosts",
    "claude_code_report_dir",
    "claude_code_report_formats",
    "claude_code_install",
    "claude_code_result",
    "claude_code_report",
    "claude_code_install_result",
)

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
