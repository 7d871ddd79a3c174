# -*- coding: utf-8 -*-
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every Claude Code fact the collection relies on, each stated once, with its source.

Private to this collection: the layout may change without notice. Standard library only,
because this file is shipped to targets inside the module payload.

Sources are abbreviated:
  DOC:<page>  https://code.claude.com/docs/en/<page> (snapshot 2026-08-22, CLI v2.1.240)
  SEED        shared/reference/claude-code-data-usage.txt (the project's source document)
  CLI         what the real CLI v2.1.331 did (shared/reference/observed-cli-behaviour.md,
              tests/fixtures/doctor-observed.md)
"""

from __future__ import annotations

__metaclass__ = type

# The CLI version the facts below were checked against.
CHECKED_CLI_VERSION = "2.1.331"

PROVIDERS = ("anthropic", "bedrock", "vertex", "foundry")
PLANS = ("pro", "max", "team", "enterprise", "enterprise_zdr", "api")
PROFILES = ("standard", "private", "airgapped")
SHELLS = ("sh", "bash", "zsh", "fish", "environment_d")

PROVIDER_LABELS = {
    "anthropic": "Anthropic (Claude API / claude.ai sign-in)",
    "bedrock": "Amazon Bedrock",
    "vertex": "Google Vertex AI",
    "foundry": "Microsoft (Azure AI) Foundry",
}

# Provider switch and the policy fields each provider needs.
# Source: DOC:amazon-bedrock, DOC:google-vertex-ai, DOC:microsoft-foundry, DOC:env-vars.
PROVIDER_SWITCH = {
    "anthropic": None,
    "bedrock": "CLAUDE_CODE_USE_BEDROCK",
    "vertex": "CLAUDE_CODE_USE_VERTEX",
    "foundry": "CLAUDE_CODE_USE_FOUNDRY",
}
# policy field -> env variable it is written to
PROVIDER_PARAMS = {
    "anthropic": {},
    "bedrock": {"aws_region": "AWS_REGION"},
    "vertex": {"vertex_region": "CLOUD_ML_REGION", "vertex_project_id": "ANTHROPIC_VERTEX_PROJECT_ID"},
    "foundry": {"foundry_resource": "ANTHROPIC_FOUNDRY_RESOURCE", "foundry_base_url": "ANTHROPIC_FOUNDRY_BASE_URL"},
}
# Fields a provider requires. Foundry takes a resource name OR a base URL (DOC:microsoft-foundry).
PROVIDER_REQUIRED = {
    "anthropic": (),
    "bedrock": (("aws_region",),),
    "vertex": (("vertex_project_id",), ("vertex_region",)),
    "foundry": (("foundry_resource", "foundry_base_url"),),
}
# LLM gateway base URL variable per provider. Source: DOC:llm-gateway-connect, DOC:env-vars.
GATEWAY_VAR = {
    "anthropic": "ANTHROPIC_BASE_URL",
    "bedrock": "ANTHROPIC_BEDROCK_BASE_URL",
    "vertex": "ANTHROPIC_VERTEX_BASE_URL",
    "foundry": "ANTHROPIC_FOUNDRY_BASE_URL",
}

# Switches that count as ON for any non-empty value: "0" and "false" still disable.
# Source: DOC:env-vars (facts sheet 0.5, 3.1). DO_NOT_TRACK is a normal boolean and not listed.
NONEMPTY_SWITCHES = frozenset((
    "DISABLE_TELEMETRY",
    "DISABLE_ERROR_REPORTING",
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
))

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
PROFILE_SETTINGS = {
    "standard": {},
    "private": {},
    "airgapped": {"skipWebFetchPreflight": True},
}

# Every env variable this collection may write from a policy (not counting user extras).
# The role purges these from a shared (merge mode) file when the policy no longer sets them.
OWNED_ENV = frozenset(
    [v for v in PROVIDER_SWITCH.values() if v]
    + [v for params in PROVIDER_PARAMS.values() for v in params.values()]
    + list(GATEWAY_VAR.values())
    + [v for names in PROFILE_ENV.values() for v in names]
)
OWNED_SETTINGS = frozenset(k for s in PROFILE_SETTINGS.values() for k in s)

# Types of the settings keys the collection knows; anything else passes through (the schema
# allows extra properties). Source: DOC:settings-reference, SchemaStore claude-code-settings.json.
# Each entry: (python type tuple, description of what is allowed, extra check or None).
SETTINGS_TYPES = {
    "cleanupPeriodDays": ("int>=1", "an integer of at least 1 (0 is rejected since v2.1.89)"),
    "skipWebFetchPreflight": ("bool", "true or false"),
    "permissions": ("dict", "a mapping (allow, deny, ask, defaultMode, ...)"),
    "forceLoginMethod": ("enum:claudeai,console,gateway", "one of claudeai, console, gateway"),
    "forceLoginOrgUUID": ("str|list[str]", "a UUID string or a list of them"),
    "apiKeyHelper": ("str", "a shell command (string)"),
    "awsAuthRefresh": ("str", "a command (string)"),
    "awsCredentialExport": ("str", "a command (string)"),
    "gcpAuthRefresh": ("str", "a command (string)"),
    "otelHeadersHelper": ("str", "a command (string)"),
    "model": ("str", "a model name (string)"),
    "availableModels": ("list[str]", "a list of model names"),
    "enforceAvailableModels": ("bool", "true or false"),
    "companyAnnouncements": ("list[str]", "a list of strings"),
    "feedbackSurveyRate": ("num0..1", "a number from 0 to 1"),
    "disableAllHooks": ("bool", "true or false"),
    "allowManagedHooksOnly": ("bool", "true or false"),
    "allowManagedPermissionRulesOnly": ("bool", "true or false"),
    "allowManagedMcpServersOnly": ("bool", "true or false"),
    "forceRemoteSettingsRefresh": ("bool", "true or false"),
    "includeCoAuthoredBy": ("bool", "true or false"),
    "sandbox": ("dict", "a mapping"),
    "hooks": ("dict", "a mapping"),
    "requiredMinimumVersion": ("str", "a version string"),
    "requiredMaximumVersion": ("str", "a version string"),
    "minimumVersion": ("str", "a version string"),
}

# Env variable names that carry credentials: refused unless allow_secrets, never written to rc
# files, masked in output. Source: DOC:settings-reference#env ("values are plain text and reach
# every subprocess; use apiKeyHelper or otelHeadersHelper for credentials"), DOC:authentication.
SECRET_NAME_PATTERN = (r"(?i)(API_?KEY|AUTH_?TOKEN|ACCESS_?TOKEN|SESSION_?TOKEN|BEARER|SECRET|PASSW(OR)?D|PASSPHRASE|PRIVATE_?KEY"
                       r"|CREDENTIAL|OAUTH_?TOKEN|_HEADERS$|^AWS_ACCESS_KEY_ID$)")
# Values that look like credentials whatever the variable is called.
SECRET_VALUE_PATTERN = (
    r"(sk-ant-[A-Za-z0-9_-]{8,}|\bA(KIA|SIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}|"
    r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
    r"\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_-]{30,})"
)

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
HOSTS_UPDATES = ("downloads.claude.ai", "registry.npmjs.org")
HOST_RELEASE_NOTES = "raw.githubusercontent.com"
HOST_PLUGINS = "storage.googleapis.com"

# Model endpoints per provider (the cloud's public regional endpoint when no gateway is set).
# Sources: DOC:amazon-bedrock (bedrock-runtime), DOC:google-vertex-ai (aiplatform; 'global'
# uses the global endpoint), DOC:microsoft-foundry ({resource}.services.ai.azure.com).
BEDROCK_ENDPOINT = "bedrock-runtime.{region}.amazonaws.com"
VERTEX_ENDPOINT = "{region}-aiplatform.googleapis.com"
VERTEX_GLOBAL_ENDPOINT = "aiplatform.googleapis.com"
FOUNDRY_ENDPOINT = "{resource}.services.ai.azure.com"

# Managed settings file per OS (facts 0.1; DOC:managed-settings).
MANAGED_DIR = {
    "Linux": "/etc/claude-code",
    "Darwin": "/Library/Application Support/ClaudeCode",
}
MANAGED_FILE = "managed-settings.json"
DROPIN_DIR = "managed-settings.d"
SCHEMA_URL = "https://json.schemastore.org/claude-code-settings.json"
