# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Claude Code reads: environment variables and top-level settings keys (issues 14 and 15).

Private to this collection: the layout may change without notice. Standard library only.

Every name below was checked to occur in the native executable of each version in
CHECKED_CLI_VERSIONS (tests/unit/plugins/module_utils/test_cli_names.py re-checks the pinned one).
A name the docs list but the pinned executable does not contain is in DOCUMENTED_NOT_IN_CLI or
SETTINGS_DOCUMENTED_NOT_IN_CLI instead.

Record fields:
  type     ENV_TYPES / SETTINGS_TYPES below
  meaning  abridged: the first sentence of the docs row, rewritten from the newer copy where the
           row changed (data-handling and provider names are always taken from the newer copy)
  source   a docs page at a snapshot, or CLI:<version> when only the executable has the name
  since    first CLI version, where the docs row or the changelog (versions/<v>.md) states one
  scope    settings only: "managed" when the docs give Scope "Managed", else "any"; files: the
           docs' own Scope text when it is narrower than "Any file" (e.g. "User or managed")

Sources (gpambrozio/ClaudeDocs daily copies of https://code.claude.com/docs/en/<page>):
  DOC@528985d6  commit 528985d6bf3f7f572f3ec8df91bcf0f277720677, docs of 2026-10-10 (env-vars,
                settings-reference index from allowedProviders on); the newest copy found
  DOC@ff5b8ed9  commit ff5b8ed93045750237817d6e8f73bd67110c6367, docs of 2026-08-22 (other pages,
                settings keys not seen in the 10-10 index excerpt)
Global-config keys (~/.claude.json: autoConnectIde, diffTool, ...) are not settings.json keys and
are left out.
"""

from __future__ import annotations

CHECKED_CLI_VERSIONS = ("2.1.331", "2.1.332")  # 2.1.332 pinned (scripts/bootstrap.sh) and the newest on npm 2026-12-01
PINNED_CLI_VERSION = "2.1.332"

ENV_TYPES = frozenset(("switch_nonempty", "bool", "string", "url", "int", "path", "json"))
SETTINGS_TYPES = frozenset(("bool", "int>=0", "int>=1", "num0..1", "str", "dict", "list[str]", "str|list[str]", "json"))
# plus "enum:a,b,c"

_DOCS = "https://code.claude.com/docs/en/"
_SNAP_NEW = "gpambrozio/ClaudeDocs@528985d6 (2026-10-10)"
_SNAP_OLD = "gpambrozio/ClaudeDocs@ff5b8ed9 (2026-08-22)"
_ENV = _DOCS + "env-vars#variables; " + _SNAP_NEW
_BEDROCK = _DOCS + "amazon-bedrock; " + _SNAP_OLD
_VERTEX = _DOCS + "google-vertex-ai; " + _SNAP_OLD
_NETWORK = _DOCS + "network-config; " + _SNAP_OLD
_MONITORING = _DOCS + "monitoring-usage; " + _SNAP_OLD
_CLI = "CLI:" + PINNED_CLI_VERSION + " (strings in the executable; not on the env-vars page)"
_SETTINGS = _DOCS + "settings-reference#all-settings; " + _SNAP_NEW
_SETTINGS_0822 = _DOCS + "settings-reference#all-settings; " + _SNAP_OLD


def _env(type_, meaning, since=None, source=_ENV):
    return {"type": type_, "meaning": meaning, "source": source, "since": since}


def _key(type_, scope, meaning, files=None, since=None, source=_SETTINGS):
    record = {"type": type_, "scope": scope, "meaning": meaning, "source": source, "since": since}
    if files:
        record["files"] = files
    return record


# Variables that are ON for any non-empty value ("0" and "false" included): type switch_nonempty.
# Source: env-vars (the list under "Variables"), DOC@528985d6. DO_NOT_TRACK is a normal boolean.

ENV_VARS = {
    "ANTHROPIC_API_KEY": _env("string", "API key sent as X-Api-Key header"),
    "ANTHROPIC_AUTH_TOKEN": _env(
        "string", "Custom value for the Authorization header (the value you set here will be prefixed with Bearer )"
    ),
    "ANTHROPIC_AWS_API_KEY": _env(
        "string", "Claude Platform on AWS workspace API key (x-api-key; beats SigV4); a credential"
    ),
    "ANTHROPIC_AWS_BASE_URL": _env(
        "url", "Claude Platform on AWS endpoint; default https://aws-external-anthropic.{region}.api.aws"
    ),
    "ANTHROPIC_AWS_WORKSPACE_ID": _env(
        "string", "required for Claude Platform on AWS; sent as the anthropic-workspace-id header"
    ),
    "ANTHROPIC_BASE_URL": _env("url", "Override the API endpoint to route requests through a proxy or gateway"),
    "ANTHROPIC_BEDROCK_BASE_URL": _env(
        "url",
        "Override the Amazon Bedrock endpoint URL. Use for custom Amazon Bedrock endpoints or when routing "
        "through an LLM gateway",
    ),
    "ANTHROPIC_BEDROCK_MANTLE_BASE_URL": _env("url", "Amazon Bedrock Mantle endpoint override"),
    "ANTHROPIC_BEDROCK_REGION_PREFIX": _env(
        "string",
        "Cross-region inference profile prefix (us, eu, apac, jp, au, or global) Claude Code tries first "
        "instead of the one derived from the AWS region",
        since="2.1.224",
    ),
    "ANTHROPIC_BEDROCK_SERVICE_TIER": _env("string", "Amazon Bedrock service tier (default, flex, or priority)"),
    "ANTHROPIC_BETAS": _env(
        "string", "Comma-separated list of additional anthropic-beta header values to include in API requests"
    ),
    "ANTHROPIC_CUSTOM_HEADERS": _env(
        "string",
        "Custom headers to add to requests (Name: Value format, newline-separated for multiple headers)",
        since="2.1.227",
    ),
    "ANTHROPIC_CUSTOM_MODEL_OPTION": _env("string", "Model ID to add as a custom entry in the /model picker"),
    "ANTHROPIC_CUSTOM_MODEL_OPTION_DESCRIPTION": _env(
        "string", "Display description for the custom model entry in the /model picker"
    ),
    "ANTHROPIC_CUSTOM_MODEL_OPTION_NAME": _env(
        "string", "Display name for the custom model entry in the /model picker"
    ),
    "ANTHROPIC_CUSTOM_MODEL_OPTION_SUPPORTED_CAPABILITIES": _env(
        "string",
        "Comma-separated list of capabilities the custom model supports, for example effort,thinking",
    ),
    "ANTHROPIC_DEFAULT_FABLE_MODEL": _env(
        "string",
        "Model ID that the fable alias resolves to, and the ID Claude Code recognizes as Fable 5 for "
        "automatic model fallback on third-party providers",
    ),
    "ANTHROPIC_DEFAULT_FABLE_MODEL_DESCRIPTION": _env(
        "string", "Display description for the pinned Fable model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_FABLE_MODEL_NAME": _env(
        "string", "Display name for the pinned Fable model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_FABLE_MODEL_SUPPORTED_CAPABILITIES": _env(
        "string",
        "Comma-separated list of capabilities the pinned Fable model supports, for example effort,thinking",
    ),
    "ANTHROPIC_DEFAULT_HAIKU_MODEL": _env(
        "string", "Model ID that the haiku alias resolves to, also used for background functionality"
    ),
    "ANTHROPIC_DEFAULT_HAIKU_MODEL_DESCRIPTION": _env(
        "string", "Display description for the pinned Haiku model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_HAIKU_MODEL_NAME": _env(
        "string", "Display name for the pinned Haiku model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_HAIKU_MODEL_SUPPORTED_CAPABILITIES": _env(
        "string",
        "Comma-separated list of capabilities the pinned Haiku model supports, for example effort,thinking",
    ),
    "ANTHROPIC_DEFAULT_MODEL": _env("string", "Model that new sessions start on by default", since="2.1.236"),
    "ANTHROPIC_DEFAULT_OPUS_MODEL": _env(
        "string", "Model ID that the opus alias resolves to, and that opusplan uses while Plan Mode is active"
    ),
    "ANTHROPIC_DEFAULT_OPUS_MODEL_DESCRIPTION": _env(
        "string", "Display description for the pinned Opus model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_OPUS_MODEL_NAME": _env("string", "Display name for the pinned Opus model in the /model picker"),
    "ANTHROPIC_DEFAULT_OPUS_MODEL_SUPPORTED_CAPABILITIES": _env(
        "string",
        "Comma-separated list of capabilities the pinned Opus model supports, for example effort,thinking",
    ),
    "ANTHROPIC_DEFAULT_SONNET_MODEL": _env(
        "string",
        "Model ID that the sonnet alias resolves to, and that opusplan uses when Plan Mode is not active",
    ),
    "ANTHROPIC_DEFAULT_SONNET_MODEL_DESCRIPTION": _env(
        "string", "Display description for the pinned Sonnet model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_SONNET_MODEL_NAME": _env(
        "string", "Display name for the pinned Sonnet model in the /model picker"
    ),
    "ANTHROPIC_DEFAULT_SONNET_MODEL_SUPPORTED_CAPABILITIES": _env(
        "string",
        "Comma-separated list of capabilities the pinned Sonnet model supports, for example effort,thinking",
    ),
    "ANTHROPIC_FEDERATION_RULE_ID": _env("string", "Federation rule ID for Workload Identity Federation"),
    "ANTHROPIC_FOUNDRY_API_KEY": _env("string", "API key for Microsoft Foundry authentication (see Microsoft Foundry)"),
    "ANTHROPIC_FOUNDRY_AUTH_TOKEN": _env(
        "string",
        "Bearer token for Microsoft Foundry authentication, such as a Microsoft Entra access token",
        since="2.1.203",
    ),
    "ANTHROPIC_FOUNDRY_BASE_URL": _env(
        "url",
        "Full base URL for the Microsoft Foundry resource (for example, https://my-"
        "resource.services.ai.azure.com/anthropic)",
    ),
    "ANTHROPIC_FOUNDRY_RESOURCE": _env(
        "string",
        "Microsoft Foundry resource name (a plain name; a URL or host name is refused); required unless "
        "ANTHROPIC_FOUNDRY_BASE_URL is set",
    ),
    "ANTHROPIC_MODEL": _env("string", "model setting to use; read before the model settings key"),
    "ANTHROPIC_ORGANIZATION_ID": _env("string", "Organization ID for Workload Identity Federation"),
    "ANTHROPIC_PROFILE": _env(
        "string", "Name of the Anthropic profile to authenticate with, such as one created by ant auth login"
    ),
    "ANTHROPIC_SMALL_FAST_MODEL": _env("string", "[DEPRECATED] Name of Haiku-class model for background tasks"),
    "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": _env(
        "string",
        "Override AWS region for the Haiku-class model when using Amazon Bedrock or Amazon Bedrock Mantle",
    ),
    "ANTHROPIC_VERTEX_BASE_URL": _env(
        "url",
        "Override Google Cloud's Agent Platform endpoint URL. Use for custom Google Cloud's Agent Platform "
        "endpoints or when routing through an LLM gateway",
    ),
    "ANTHROPIC_VERTEX_PROJECT_ID": _env("string", "GCP project ID Vertex requests are addressed to"),
    "ANTHROPIC_WORKSPACE_ID": _env("string", "Workspace ID for workload identity federation"),
    "API_FORCE_IDLE_TIMEOUT": _env(
        "bool",
        "0 turns off the 5-minute streaming body idle timeout, 1 keeps it on for every provider",
        since="2.1.169",
    ),
    "API_TIMEOUT_MS": _env(
        "int", "Timeout for API requests in milliseconds (default: 600000, or 10 minutes; maximum: 2147483647)"
    ),
    "AWS_BEARER_TOKEN_BEDROCK": _env(
        "string", "Amazon Bedrock API key for authentication (see Amazon Bedrock API keys)"
    ),
    "AWS_DEFAULT_REGION": _env("string", "AWS region fallback when AWS_REGION is unset", source=_BEDROCK),
    "AWS_ENDPOINT_URL": _env(
        "url",
        "AWS SDK endpoint override; under allowedProviders it counts as a custom endpoint for Bedrock",
        source=_CLI,
    ),
    "AWS_ENDPOINT_URL_BEDROCK": _env(
        "url", "AWS SDK Bedrock endpoint override; judged by allowedProviders like AWS_ENDPOINT_URL", source=_CLI
    ),
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": _env(
        "url",
        "AWS SDK Bedrock runtime endpoint override; judged by allowedProviders like AWS_ENDPOINT_URL",
        source=_CLI,
    ),
    "AWS_PROFILE": _env("string", "AWS credentials profile used for Bedrock / Claude Platform on AWS", source=_BEDROCK),
    "AWS_REGION": _env(
        "string",
        "AWS region for Bedrock, Mantle and Claude Platform on AWS (falls back to AWS_DEFAULT_REGION, the "
        "profile, then us-east-1)",
        source=_BEDROCK,
    ),
    "BASH_DEFAULT_TIMEOUT_MS": _env(
        "int", "default timeout for a foreground Bash or PowerShell tool command (default 120000)"
    ),
    "BASH_MAX_OUTPUT_LENGTH": _env(
        "int",
        "Maximum number of characters of bash output that Claude Code reads back into a command's result "
        "(default: 30000; maximum: 150000)",
    ),
    "BASH_MAX_TIMEOUT_MS": _env(
        "int", "maximum timeout the model can set for a foreground Bash or PowerShell tool command (default 600000)"
    ),
    "BETA_TRACING_ENDPOINT": _env(
        "url",
        "OTLP/HTTP endpoint for detailed beta tracing (with ENABLE_BETA_TRACING_DETAILED=1); ignored in "
        "project/local settings",
    ),
    "CCR_FORCE_BUNDLE": _env(
        "bool",
        "Set to 1 to force claude --cloud to bundle and upload your local repository even when GitHub access "
        "is available",
    ),
    "CLAUDECODE": _env(
        "bool",
        "Set to 1 in subprocesses Claude Code spawns (Bash and PowerShell tools, tmux sessions, hook "
        "commands, status line commands, stdio MCP server subprocesses)",
    ),
    "CLAUDE_AFK_COUNTDOWN_MS": _env(
        "int",
        "How many milliseconds before auto-continue the on-screen countdown appears on an unanswered "
        "AskUserQuestion dialog",
        since="2.1.198",
    ),
    "CLAUDE_AFK_TIMEOUT_MS": _env(
        "int",
        "How many milliseconds of idle time before an unanswered AskUserQuestion dialog auto-continues without you",
        since="2.1.198",
    ),
    "CLAUDE_AGENT_SDK_DISABLE_BUILTIN_AGENTS": _env(
        "bool", "Set to 1 to disable all built-in subagent types such as Explore and Plan"
    ),
    "CLAUDE_AGENT_SDK_MCP_NO_PREFIX": _env(
        "bool", "Set to 1 to skip the mcp__<server>__ prefix on tool names from SDK-created MCP servers"
    ),
    "CLAUDE_ASYNC_AGENT_STALL_TIMEOUT_MS": _env("int", "Stall timeout in milliseconds for background subagents"),
    "CLAUDE_AUTOCOMPACT_PCT_OVERRIDE": _env(
        "int", "Set the percentage (1-100) of the auto-compact window at which auto-compaction triggers"
    ),
    "CLAUDE_AUTO_BACKGROUND_TASKS": _env(
        "bool", "Set to 1 to force-enable automatic backgrounding of long-running agent tasks"
    ),
    "CLAUDE_AX_PREPARK_MS": _env(
        "int",
        "In screen reader mode, how many milliseconds Claude Code waits, with the cursor at the start of the "
        "line, before it writes a new or changed line",
        since="2.1.233",
    ),
    "CLAUDE_AX_SCREEN_READER": _env(
        "bool",
        "Set to 1 to render screen-reader friendly output: flat text without decorative borders or animations",
        since="2.1.181",
    ),
    "CLAUDE_AX_STARTUP_QUIET_MS": _env(
        "int",
        "In screen reader mode, how many milliseconds Claude Code holds the first interface render after the "
        "startup confirmation line, so your screen reader can speak t",
        since="2.1.217",
    ),
    "CLAUDE_BASH_MAINTAIN_PROJECT_WORKING_DIR": _env(
        "bool",
        "Return to the original working directory after each Bash or PowerShell command in the main session",
    ),
    "CLAUDE_BYTE_STREAM_IDLE_TIMEOUT_MS": _env(
        "int",
        "Timeout in milliseconds for the byte-level streaming idle watchdog only; when set, it takes "
        "precedence over CLAUDE_STREAM_IDLE_TIMEOUT_MS for that watchdog an",
        since="2.1.210",
    ),
    "CLAUDE_CLIENT_PRESENCE_FILE": _env(
        "path",
        "Path to a file that an external tool, such as a screen-lock listener, creates when you unlock your "
        "screen and deletes when you lock it",
        since="2.1.181",
    ),
    "CLAUDE_CODE_ACCESSIBILITY": _env(
        "bool", "Set to 1 to keep the native terminal cursor visible and disable the inverted-text cursor indicator"
    ),
    "CLAUDE_CODE_ADDITIONAL_DIRECTORIES_CLAUDE_MD": _env(
        "bool", "Set to 1 to load memory files from directories specified with --add-dir"
    ),
    "CLAUDE_CODE_ALT_SCREEN_FULL_REPAINT": _env(
        "bool",
        "Set to 1 to repaint the entire screen on every frame in fullscreen rendering instead of sending "
        "incremental updates",
    ),
    "CLAUDE_CODE_ALWAYS_ENABLE_EFFORT": _env(
        "bool",
        "Set to 1 to send the effort parameter with every request, even when Claude Code does not recognize "
        "the model ID as effort-capable",
    ),
    "CLAUDE_CODE_API_KEY_HELPER_TTL_MS": _env(
        "int", "Interval in milliseconds at which credentials should be refreshed (when using apiKeyHelper)"
    ),
    "CLAUDE_CODE_ARTIFACT_AUTO_OPEN": _env(
        "bool",
        "Set to 0 to stop Claude Code from opening the browser automatically when a new artifact is published",
    ),
    "CLAUDE_CODE_ARTIFACT_COMMENTS": _env(
        "bool",
        "Set to 1 to let Claude read and reply to comments on an artifact when feature-flag fetching is off",
        since="2.1.221",
    ),
    "CLAUDE_CODE_ARTIFACT_COMMENTS_AUTOREACT": _env(
        "bool",
        "Set to 1 to let Claude reply on its own to comments sent to it when feature-flag fetching is off, or"
        " 0 to turn that off even when fetching is on",
        since="2.1.228",
    ),
    "CLAUDE_CODE_ATTRIBUTION_HEADER": _env(
        "bool",
        "Set to 0 to omit the attribution block, which carries the client version and a prompt fingerprint, "
        "from the start of the system prompt",
    ),
    "CLAUDE_CODE_AUTO_COMPACT_WINDOW": _env("int", "Set the auto-compact window in tokens, from 100000 to 1000000"),
    "CLAUDE_CODE_AUTO_CONNECT_IDE": _env("bool", "Override automatic IDE connection"),
    "CLAUDE_CODE_AUTO_MODE_SERVER": _env(
        "bool",
        "0 = use Claude Code's own auto-mode classifier requests instead of asking the server to review auto-"
        "mode actions",
        since="2.1.271",
    ),
    "CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS": _env(
        "int",
        "Time in milliseconds Claude Code waits for the AWS default credential provider chain to produce "
        "credentials before the request fails with AWS default-chain cre",
        since="2.1.207",
    ),
    "CLAUDE_CODE_BASH_EDIT_DIFF": _env(
        "bool",
        "0 turns off the diff of files changed by a Bash command, 1 records it in every mode; beats "
        "bashEditDiffEnabled",
        since="2.1.269",
    ),
    "CLAUDE_CODE_BG_TASKS_REPORT_RUNNING": _env(
        "bool",
        "0 = non-interactive session reports idle at turn end even while background work runs",
        since="2.1.269",
    ),
    "CLAUDE_CODE_BRIDGE_SESSION_ID": _env(
        "string",
        "Set automatically in Bash tool and hook command subprocesses while the session has an active Remote "
        "Control connection, and removed when the connection ends",
        since="2.1.199",
    ),
    "CLAUDE_CODE_BS_AS_CTRL_BACKSPACE": _env(
        "bool",
        "Set to 0 to make Claude Code read the 0x08 byte, also written ^H, as plain Backspace, or 1 to read "
        "it as Ctrl+Backspace",
    ),
    "CLAUDE_CODE_CERT_STORE": _env("string", "comma-separated CA sources: bundled, system (default bundled,system)"),
    "CLAUDE_CODE_CHILD_SESSION": _env(
        "bool",
        "Set to 1 in subprocesses Claude Code spawns via the Bash, PowerShell, and Monitor tools, hook "
        "commands, and status line commands",
        since="2.1.172",
    ),
    "CLAUDE_CODE_CLIENT_CERT": _env("path", "Path to client certificate file for mTLS authentication"),
    "CLAUDE_CODE_CLIENT_KEY": _env("path", "Path to client private key file for mTLS authentication"),
    "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE": _env("string", "Passphrase for encrypted CLAUDE_CODE_CLIENT_KEY (optional)"),
    "CLAUDE_CODE_CONNECT_TIMEOUT_MS": _env("int", "Removed in v2.1.186 and now a no-op"),
    "CLAUDE_CODE_DEBUG_LOGS_DIR": _env("path", "Override the debug log file path"),
    "CLAUDE_CODE_DEBUG_LOG_LEVEL": _env("string", "minimum debug log level: verbose, debug, info, warn, error"),
    "CLAUDE_CODE_DISABLE_1M_CONTEXT": _env("bool", "Set to 1 to disable 1M context window support"),
    "CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING": _env(
        "bool",
        "Set to 1 to disable adaptive reasoning on Opus 4.6 and Sonnet 4.6 and fall back to the fixed "
        "thinking budget controlled by MAX_THINKING_TOKENS",
    ),
    "CLAUDE_CODE_DISABLE_ADMIN_ENV_UNION": _env(
        "bool",
        "1 = only the highest-priority managed source's whole env block applies (pre-2.1.223); launch environment only",
        since="2.1.223",
    ),
    "CLAUDE_CODE_DISABLE_ADVISOR_TOOL": _env("bool", "Set to 1 to disable the advisor tool"),
    "CLAUDE_CODE_DISABLE_AGENT_VIEW": _env(
        "bool",
        "Set to 1 to turn off background agents and agent view: claude agents, --bg, /background, and the on-"
        "demand supervisor",
    ),
    "CLAUDE_CODE_DISABLE_ALTERNATE_SCREEN": _env(
        "bool", "Set to 1 to disable fullscreen rendering and use the classic main-screen renderer"
    ),
    "CLAUDE_CODE_DISABLE_ARTIFACT": _env(
        "bool",
        "Set to 1 to disable the Artifact tool, which publishes session output as a private web page on claude.ai",
    ),
    "CLAUDE_CODE_DISABLE_ATTACHMENTS": _env("bool", "Set to 1 to disable attachment processing"),
    "CLAUDE_CODE_DISABLE_AUTH_REFRESH_LOCK": _env(
        "bool",
        "1 = run gcpAuthRefresh/awsAuthRefresh itself instead of waiting for another process",
        since="2.1.286",
    ),
    "CLAUDE_CODE_DISABLE_AUTO_MEMORY": _env("bool", "Set to 1 to disable auto memory"),
    "CLAUDE_CODE_DISABLE_BACKGROUND_TASKS": _env(
        "bool",
        "Set to 1 to disable all background task functionality, including the run_in_background parameter on "
        "Bash and subagent tools, auto-backgrounding, and the Ctr",
    ),
    "CLAUDE_CODE_DISABLE_BEDROCK_CONTENT_TYPE_DEFAULT": _env(
        "bool",
        "1 = do not treat a Bedrock stream without Content-Type as the binary event stream",
        since="2.1.239",
    ),
    "CLAUDE_CODE_DISABLE_BEDROCK_CONTENT_TYPE_GUARD": _env(
        "bool",
        "Set to 1 to skip the check that an Amazon Bedrock streaming response carries the "
        "application/vnd.amazon.eventstream content-type",
        since="2.1.208",
    ),
    "CLAUDE_CODE_DISABLE_BG_EXIT_HANDOFF": _env(
        "bool",
        "Set to 1 to stop a background session's running background shell commands, dynamic workflows, and, "
        "as of v2.1.198, background subagents when the supervisor st",
        since="2.1.196",
    ),
    "CLAUDE_CODE_DISABLE_BG_SHELL_PRESSURE_REAP": _env(
        "bool",
        "Set to 1 to stop Claude Code from terminating background shell commands when the operating system "
        "reports memory pressure",
        since="2.1.193",
    ),
    "CLAUDE_CODE_DISABLE_BUNDLED_SKILLS": _env(
        "bool",
        "Set to 1 to disable the skills and workflows included with Claude Code: bundled skills and workflows"
        " are removed entirely, while built-in commands like /init",
    ),
    "CLAUDE_CODE_DISABLE_CFC_PROMPT": _env(
        "bool", "1 = keep Claude in Chrome tools but omit their system-prompt section and skill", since="2.1.257"
    ),
    "CLAUDE_CODE_DISABLE_CLAUDE_MDS": _env(
        "bool",
        "Set to 1 to prevent loading any CLAUDE.md memory files into context, including user, project, and "
        "auto memory files",
    ),
    "CLAUDE_CODE_DISABLE_CRON": _env("bool", "Set to 1 to disable scheduled tasks"),
    "CLAUDE_CODE_DISABLE_DANGEROUS_RM_TIMEOUT": _env(
        "bool",
        "1 = no time limit on critical-path removal prompts; launch environment only (ignored in settings env)",
        since="2.1.281",
    ),
    "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS": _env(
        "bool",
        "Set to 1 to strip Anthropic-specific anthropic-beta request headers and beta tool-schema fields "
        "(such as defer_loading and eager_input_streaming) from A",
    ),
    "CLAUDE_CODE_DISABLE_EXPLORE_PLAN_AGENTS": _env(
        "bool", "Set to 1 to disable the built-in Explore and Plan subagents", since="2.1.198"
    ),
    "CLAUDE_CODE_DISABLE_FAST_MODE": _env("bool", "Set to 1 to disable fast mode"),
    "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY": _env("bool", '1 disables the "How is Claude doing?" session-quality survey'),
    "CLAUDE_CODE_DISABLE_FILE_CHECKPOINTING": _env("bool", "Set to 1 to disable file checkpointing"),
    "CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS": _env(
        "bool",
        "Set to 1 to remove built-in commit and PR workflow instructions and the git status snapshot from "
        "Claude's system prompt",
    ),
    "CLAUDE_CODE_DISABLE_INLINE_SHELL_RM_PROMPT": _env(
        "bool",
        "1 = do not read sh -c scripts for critical-path removals; launch environment only",
        since="2.1.288",
    ),
    "CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP": _env(
        "bool",
        "Set to 1 to prevent automatic remapping of Opus 4.0 and 4.1 to the current Opus version on the "
        "Anthropic API. Use when you intentionally want to pin an older ",
    ),
    "CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK": _env(
        "bool",
        "1 = on Bedrock/Vertex, fail instead of switching to an older model when access is lost mid-session",
        since="2.1.285",
    ),
    "CLAUDE_CODE_DISABLE_MOUSE": _env("bool", "Set to 1 to disable mouse tracking in fullscreen rendering"),
    "CLAUDE_CODE_DISABLE_MOUSE_CLICKS": _env(
        "bool",
        "Set to 1 to disable click, drag, and hover handling in fullscreen rendering while keeping mouse-"
        "wheel scrolling",
        since="2.1.195",
    ),
    "CLAUDE_CODE_DISABLE_MTLS_RELOAD_ON_STALE_CONNECTION": _env(
        "bool",
        "Set to 1 to stop Claude Code from re-reading the mTLS client certificate and key when an API request"
        " fails with a connection-level error, such as a connection",
        since="2.1.232",
    ),
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": _env(
        "switch_nonempty",
        'any non-empty value (even "0"/"false") turns off auto-updates, telemetry, error reporting, '
        "/feedback, Claude-drafted feedback, release notes, PR badge and availability checks, and feature-"
        "flag fetching; not the official marketplace auto-install, not gateway model discovery",
    ),
    "CLAUDE_CODE_DISABLE_NONSTREAMING_FALLBACK": _env(
        "bool",
        "Set to 1 to disable the non-streaming fallback when a streaming request fails mid-stream",
    ),
    "CLAUDE_CODE_DISABLE_NOTIFICATION_PRESENCE_CHECK": _env(
        "bool",
        "Set to 1 to send the PushNotification tool's desktop notification even while you are typing in or "
        "focused on the terminal",
        since="2.1.193",
    ),
    "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL": _env(
        "bool",
        "1 skips (permanently) the automatic registration of the official plugin marketplace",
    ),
    "CLAUDE_CODE_DISABLE_PERMISSION_PROMPT_NOTIFY_HOOKS": _env(
        "bool",
        "Set to 1 to stop Claude Code from running your Notification hooks for unanswered permission requests"
        " in sessions where Claude Code sends them to the Agent S",
        since="2.1.233",
    ),
    "CLAUDE_CODE_DISABLE_POLICY_SKILLS": _env(
        "bool", "Set to 1 to skip loading skills from the system-wide managed skills directory"
    ),
    "CLAUDE_CODE_DISABLE_POWERSHELL_CMD_RM_DENY": _env(
        "bool",
        "1 = turn off the PowerShell check denying cmd rd/del on system paths; ignored in settings env",
        since="2.1.283",
    ),
    "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK": _env(
        "bool", "1 = no automatic model switch when a safety classifier flags a request"
    ),
    "CLAUDE_CODE_DISABLE_STRUCTURED_OUTPUTS": _env(
        "bool",
        "1 = do not send output_config.format and its beta header (for gateways that reject them)",
        since="2.1.288",
    ),
    "CLAUDE_CODE_DISABLE_SUBSTITUTION_RM_PROMPT": _env(
        "bool",
        "1 = turn off the critical-path check for rm of a command substitution; launch environment only",
        since="2.1.281",
    ),
    "CLAUDE_CODE_DISABLE_TERMINAL_TITLE": _env(
        "bool", "Set to 1 to disable automatic terminal title updates based on conversation context"
    ),
    "CLAUDE_CODE_DISABLE_THINKING": _env("bool", "Set to 1 to omit the thinking parameter from API requests entirely"),
    "CLAUDE_CODE_DISABLE_UNKNOWN_MODEL_WINDOW_ENFORCEMENT": _env(
        "bool",
        "Set to 1 to skip proactive auto-compaction when Claude Code doesn't recognize the model ID, such as "
        "an LLM gateway alias",
        since="2.1.223",
    ),
    "CLAUDE_CODE_DISABLE_VIRTUAL_SCROLL": _env(
        "bool",
        "Set to 1 to disable virtual scrolling in fullscreen rendering and render every message in the transcript",
    ),
    "CLAUDE_CODE_DISABLE_WEB_FETCH": _env(
        "bool", "1 = turn off the WebFetch tool (WebSearch stays available)", since="2.1.285"
    ),
    "CLAUDE_CODE_DISABLE_WINDOWS_SHELL_LAUNCHER": _env(
        "bool",
        "1 = start PowerShell tool commands on Windows directly, not through cmd.exe",
        since="2.1.269",
    ),
    "CLAUDE_CODE_DISABLE_WORKFLOWS": _env("bool", "Set to 1 to disable workflows"),
    "CLAUDE_CODE_EFFORT_LEVEL": _env("string", "effort level: low, medium, high, xhigh, max or auto"),
    "CLAUDE_CODE_EMIT_SESSION_STATE_EVENTS": _env(
        "bool", "1 = add session_state_changed messages to the SDK/stream-json message stream"
    ),
    "CLAUDE_CODE_ENABLE_APPEND_SUBAGENT_PROMPT": _env(
        "bool",
        "on the 2026-08-22 env-vars page, gone from the 2026-10-10 page; still read by the CLI",
        source=_CLI,
    ),
    "CLAUDE_CODE_ENABLE_AUTO_MODE": _env("bool", "Accepted for compatibility with older releases and has no effect"),
    "CLAUDE_CODE_ENABLE_AWAY_SUMMARY": _env("bool", "Override session recap availability"),
    "CLAUDE_CODE_ENABLE_BACKGROUND_PLUGIN_REFRESH": _env(
        "bool",
        "Set to 1 to refresh plugin state at turn boundaries in non-interactive mode after a background "
        "install completes",
    ),
    "CLAUDE_CODE_ENABLE_CFC": _env(
        "bool", "1/0 = start a CLI session with Chrome integration on/off; 1 ignored in project/local settings"
    ),
    "CLAUDE_CODE_ENABLE_FEEDBACK_SURVEY_FOR_OTEL": _env(
        "bool",
        "Set to 1 to route the 'How is Claude doing?' session quality survey to your own OpenTelemetry "
        "collector when Anthropic-bound nonessential traffic is blocked",
    ),
    "CLAUDE_CODE_ENABLE_FINE_GRAINED_TOOL_STREAMING": _env(
        "bool", "Controls whether tool call inputs stream from the API as Claude generates them"
    ),
    "CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY": _env(
        "bool",
        "Set to 1 to populate the /model picker from your gateway's /v1/models endpoint when "
        "ANTHROPIC_BASE_URL points at an Anthropic-compatible gateway such as",
    ),
    "CLAUDE_CODE_ENABLE_OPUS_4_7_FAST_MODE": _env(
        "bool", "Removed in v2.1.142, when the fast mode default moved from Opus 4.6 to Opus 4.7"
    ),
    "CLAUDE_CODE_ENABLE_PROMPT_SUGGESTION": _env(
        "bool",
        "Set to false to turn off prompt suggestions, the grayed-out predictions that appear in your prompt input",
        since="2.1.238",
    ),
    "CLAUDE_CODE_ENABLE_TASKS": _env(
        "bool", "Selects which task-tracking tools Claude Code provides in sessions that have them"
    ),
    "CLAUDE_CODE_ENABLE_TELEMETRY": _env(
        "bool", "1 enables OpenTelemetry export (to your collector); ignored in project/local settings"
    ),
    "CLAUDE_CODE_ENABLE_TODO_TOOLS": _env(
        "bool",
        "Set to 1 to get the task-tracking tools on the models listed under Task tool availability, where "
        "Claude Code otherwise leaves them out",
        since="2.1.233",
    ),
    "CLAUDE_CODE_ENHANCED_TELEMETRY_BETA": _env("bool", "1 = enable the beta OpenTelemetry traces", source=_MONITORING),
    "CLAUDE_CODE_EXIT_AFTER_STOP_DELAY": _env(
        "int", "Time in milliseconds to wait after the query loop becomes idle before automatically exiting"
    ),
    "CLAUDE_CODE_EXPERIMENTAL_AGENT_TEAMS": _env("bool", "Set to 1 to enable agent teams"),
    "CLAUDE_CODE_EXTRA_BODY": _env("json", "JSON object merged into the top level of every API request body"),
    "CLAUDE_CODE_FILE_READ_MAX_OUTPUT_TOKENS": _env("int", "Override the default token limit for file reads"),
    "CLAUDE_CODE_FORCE_SESSION_PERSISTENCE": _env(
        "bool",
        "Set to 1 to force transcript persistence, prompt history, and claude agents registration even when "
        "this claude was launched from inside another Claude Cod",
    ),
    "CLAUDE_CODE_FORCE_STRIKETHROUGH": _env(
        "bool",
        "Set to 1 to force strikethrough rendering for ~~text~~ in Claude's responses when your terminal "
        "supports it but is not auto-detected, such as over SSH witho",
        since="2.1.186",
    ),
    "CLAUDE_CODE_FORCE_SYNC_OUTPUT": _env(
        "bool",
        "Set to 1 to force-enable DEC private mode 2026 synchronized output when your terminal supports it "
        "but is not auto-detected",
    ),
    "CLAUDE_CODE_FORCE_TERMINAL_IMAGES": _env(
        "bool", "1 = draw mod Image elements with the kitty graphics protocol when not auto-detected"
    ),
    "CLAUDE_CODE_FORK_SUBAGENT": _env(
        "bool",
        "Controls fork mode, which lets Claude spawn forked subagents itself and is on by default in "
        "interactive sessions only",
    ),
    "CLAUDE_CODE_FORWARD_SUBAGENT_TEXT": _env(
        "bool",
        "Set to 1 to emit subagent text and thinking blocks in claude -p --output-format stream-json output, "
        "the same behavior as the --forward-subagent-text flag",
        since="2.1.211",
    ),
    "CLAUDE_CODE_GATEWAY_HINT_HEADERS": _env(
        "bool",
        "1 = send gateway hint headers (x-claude-code-request-class, ...) on proxies/3P providers; 0 = never",
        since="2.1.273",
    ),
    "CLAUDE_CODE_GATEWAY_MODEL_DISCOVERY_TIMEOUT_MS": _env(
        "int",
        "timeout for gateway /v1/models discovery, default 3000; plain digits only",
        since="2.1.269",
    ),
    "CLAUDE_CODE_GIT_BASH_PATH": _env("path", "Windows only: path to the Git Bash executable (bash.exe)"),
    "CLAUDE_CODE_GLOB_HIDDEN": _env(
        "bool", "Set to false to exclude dotfiles from results when Claude invokes the Glob tool"
    ),
    "CLAUDE_CODE_GLOB_NO_IGNORE": _env("bool", "Set to false to make the Glob tool respect .gitignore patterns"),
    "CLAUDE_CODE_GLOB_TIMEOUT_SECONDS": _env("int", "Timeout in seconds for Glob tool file discovery"),
    "CLAUDE_CODE_GOAL_CHECKIN_MINUTES": _env(
        "int",
        "How many minutes background work can keep an active goal waiting before Claude Code asks Claude to "
        "check on it",
        since="2.1.234",
    ),
    "CLAUDE_CODE_GZIP_REQUEST_BODIES": _env(
        "bool", "0 = no gzip of API, telemetry and artifact request bodies sent to api.anthropic.com"
    ),
    "CLAUDE_CODE_HIDE_CWD": _env("bool", "Set to 1 to hide the working directory in the startup logo"),
    "CLAUDE_CODE_IDE_HOST_OVERRIDE": _env("string", "Override the host address used to connect to the IDE extension"),
    "CLAUDE_CODE_IDE_SKIP_AUTO_INSTALL": _env("bool", "Set to 1 to skip auto-installation of IDE extensions"),
    "CLAUDE_CODE_IDE_SKIP_VALID_CHECK": _env(
        "bool", "Set to 1 to skip validation of IDE lockfile entries during connection"
    ),
    "CLAUDE_CODE_MAX_CONCURRENT_SUBAGENTS": _env(
        "int",
        "How many subagents can be running in one session before the Agent tool refuses to spawn another (default: 20)",
        since="2.1.217",
    ),
    "CLAUDE_CODE_MAX_CONTEXT_TOKENS": _env(
        "int", "Override the context window size Claude Code assumes for the active model"
    ),
    "CLAUDE_CODE_MAX_MCP_DESCRIPTION_LENGTH": _env(
        "int",
        "max characters of each MCP tool description and server instructions sent to the model",
        since="2.1.280",
    ),
    "CLAUDE_CODE_MAX_OUTPUT_TOKENS": _env("int", "Set the maximum number of output tokens for most requests"),
    "CLAUDE_CODE_MAX_RETRIES": _env("int", "Override the number of times to retry failed API requests (default: 10)"),
    "CLAUDE_CODE_MAX_SUBAGENTS_PER_SESSION": _env("int", "Removed in v2.1.224 and now a no-op"),
    "CLAUDE_CODE_MAX_SUBAGENT_SPAWN_DEPTH": _env(
        "int",
        "Number of subagent layers allowed below the main conversation (default: 3)",
        since="2.1.217",
    ),
    "CLAUDE_CODE_MAX_TOOL_USE_CONCURRENCY": _env(
        "int", "Maximum number of read-only tools and subagents that can execute in parallel (default: 10)"
    ),
    "CLAUDE_CODE_MAX_TURNS": _env("int", "Cap the number of agentic turns when no explicit limit is passed"),
    "CLAUDE_CODE_MAX_WEB_SEARCHES_PER_SESSION": _env(
        "int",
        "Cap on the total number of WebSearch calls one session can make (default: 200)",
        since="2.1.212",
    ),
    "CLAUDE_CODE_MCP_ALLOWLIST_ENV": _env(
        "bool",
        "Set to 1 to spawn stdio MCP servers with only a safe baseline environment plus the server's "
        "configured env, instead of inheriting your shell environment",
    ),
    "CLAUDE_CODE_MCP_AUTO_BACKGROUND_MS": _env(
        "int",
        "Elapsed time in milliseconds before a still-running MCP tool call moves to a background task "
        "(default: 120000, or 2 minutes)",
        since="2.1.212",
    ),
    "CLAUDE_CODE_MCP_STARTUP_WAIT_MS": _env(
        "int",
        "how long the first non-interactive turn waits for connecting MCP servers; 0 = no wait",
        since="2.1.274",
    ),
    "CLAUDE_CODE_MCP_TOOL_IDLE_TIMEOUT": _env(
        "int", "Idle timeout in milliseconds for MCP tool calls", since="2.1.187"
    ),
    "CLAUDE_CODE_MESSAGING_SOCKET": _env(
        "string",
        "Set by Claude Code, not by you: in sessions that bind an inbox socket, Claude Code exports that "
        "socket's path to hooks and Bash commands when it binds the socke",
        since="2.1.224",
    ),
    "CLAUDE_CODE_MESSAGING_TOKEN": _env(
        "string",
        "Set by Claude Code, not by you: in sessions that bind an inbox socket, Claude Code exports this per-"
        "session token to hooks and Bash commands alongside CLAUDE_C",
        since="2.1.228",
    ),
    "CLAUDE_CODE_NATIVE_CURSOR": _env(
        "bool", "Set to 1 to show the terminal's own cursor at the input caret instead of a drawn block"
    ),
    "CLAUDE_CODE_NEW_INIT": _env("bool", "Set to 1 to make /init run an interactive setup flow"),
    "CLAUDE_CODE_NONBLOCKING_STDOUT": _env(
        "bool",
        "1 = write terminal output through a non-blocking descriptor so a stalled terminal cannot freeze it",
        since="2.1.261",
    ),
    "CLAUDE_CODE_NONSTREAMING_TIMEOUT_RETRIES": _env(
        "int",
        "cap on re-sends of a timed-out non-streaming request; 0 = fail on first timeout",
        since="2.1.285",
    ),
    "CLAUDE_CODE_NO_FLICKER": _env(
        "bool",
        "Set to 1 to enable fullscreen rendering, a research preview that reduces flicker and keeps memory "
        "flat in long conversations",
    ),
    "CLAUDE_CODE_OAUTH_REFRESH_TOKEN": _env("string", "OAuth refresh token for Claude.ai authentication"),
    "CLAUDE_CODE_OAUTH_SCOPES": _env("string", "space-separated OAuth scopes of CLAUDE_CODE_OAUTH_REFRESH_TOKEN"),
    "CLAUDE_CODE_OAUTH_TOKEN": _env("string", "OAuth access token for claude.ai authentication"),
    "CLAUDE_CODE_OPUS_4_6_FAST_MODE_OVERRIDE": _env("int", "Removed in v2.1.160 and now a no-op"),
    "CLAUDE_CODE_OTEL_CONTENT_MAX_LENGTH": _env(
        "int",
        "Maximum length of content-bearing OpenTelemetry attributes (model responses, tool content, system "
        "prompts, raw API bodies), truncation marker included, in UTF-1",
        since="2.1.214",
    ),
    "CLAUDE_CODE_OTEL_DIAG_STDERR": _env(
        "bool", "Set to 1 to write OpenTelemetry exporter diagnostic errors to stderr", since="2.1.179"
    ),
    "CLAUDE_CODE_OTEL_FLUSH_TIMEOUT_MS": _env(
        "int", "Timeout in milliseconds for flushing pending OpenTelemetry spans (default: 5000)"
    ),
    "CLAUDE_CODE_OTEL_HEADERS_HELPER_DEBOUNCE_MS": _env(
        "int",
        "Interval for refreshing dynamic OpenTelemetry headers in milliseconds (default: 1740000 / 29 minutes)",
    ),
    "CLAUDE_CODE_OTEL_SHUTDOWN_TIMEOUT_MS": _env(
        "int",
        "Timeout in milliseconds for the OpenTelemetry exporter to finish on shutdown (default: 2000)",
    ),
    "CLAUDE_CODE_OVERLOADED_RETRY_BASE_DELAY_MS": _env(
        "int", "starting backoff delay for 529 retries, 500..32000", since="2.1.292"
    ),
    "CLAUDE_CODE_OVERLOADED_RETRY_MAX_DELAY_MS": _env(
        "int",
        "maximum backoff delay for 529 retries (CHANGELOG 2.1.296; not on the 2026-10-10 env-vars page)",
        since="2.1.296",
        source=_CLI,
    ),
    "CLAUDE_CODE_PACKAGE_MANAGER_AUTO_UPDATE": _env(
        "bool",
        "Set to 1 to let Claude Code run your package manager's upgrade command in the background when a new "
        "version is available",
    ),
    "CLAUDE_CODE_PERFORCE_MODE": _env("bool", "Set to 1 to enable Perforce-aware write protection"),
    "CLAUDE_CODE_PLUGIN_CACHE_DIR": _env("path", "Override the plugins root directory"),
    "CLAUDE_CODE_PLUGIN_DIRS": _env(
        "path",
        'plugin directories to load for the session (":"-separated on Unix), like --plugin-dir',
        since="2.1.280",
    ),
    "CLAUDE_CODE_PLUGIN_DIR_WATCH": _env(
        "bool", "1/0 = reload a --plugin-dir mod when its files change, in every session / never", since="2.1.287"
    ),
    "CLAUDE_CODE_PLUGIN_GIT_TIMEOUT_MS": _env(
        "int",
        "Timeout in milliseconds for git operations when installing or updating plugins (default: 120000)",
    ),
    "CLAUDE_CODE_PLUGIN_KEEP_MARKETPLACE_ON_FAILURE": _env(
        "bool",
        "Set to 1 to skip the re-clone attempt and keep using the existing marketplace cache when a git pull fails",
    ),
    "CLAUDE_CODE_PLUGIN_PREFER_HTTPS": _env(
        "bool",
        "Set to 1 to clone GitHub owner/repo shorthand sources over HTTPS instead of SSH. Applies to plugin "
        "install and update, and to /plugin marketplace add and ",
    ),
    "CLAUDE_CODE_PLUGIN_SEED_DIR": _env(
        "path", "Path to one or more read-only plugin seed directories, separated by : on Unix or ; on Windows"
    ),
    "CLAUDE_CODE_POWERSHELL_RESPECT_EXECUTION_POLICY": _env(
        "bool",
        "Set to 1 to stop Claude Code from passing -ExecutionPolicy Bypass when spawning PowerShell for tool "
        "calls, hooks, and status line commands, and respect the ",
    ),
    "CLAUDE_CODE_PRINT_BG_WAIT_CEILING_MS": _env(
        "int",
        "Maximum time in milliseconds that non-interactive mode with the -p flag waits after the final turn "
        "for background subagents and workflows whose result is part",
    ),
    "CLAUDE_CODE_PROCESS_WRAPPER": _env(
        "string", "corporate launcher argv prefix for processes Claude Code starts from its binary", since="2.1.208"
    ),
    "CLAUDE_CODE_PROJECT_DIR_NAME": _env(
        "string",
        "Set together with CLAUDE_CONFIG_DIR to choose the projects/ directory name Claude Code stores that "
        "session's transcripts and auto memory under, in place of ",
        since="2.1.234",
    ),
    "CLAUDE_CODE_PROMPT_CACHE_TTL": _env(
        "string", 'prompt cache TTL for the main conversation: "5m" or "1h"', since="2.1.242"
    ),
    "CLAUDE_CODE_PROPAGATE_TRACEPARENT": _env(
        "bool",
        "Set to 1 to propagate W3C trace context when ANTHROPIC_BASE_URL points at a custom proxy",
        since="2.1.152",
    ),
    "CLAUDE_CODE_PROVIDER_MANAGED_BY_HOST": _env(
        "bool",
        "set by a host platform that routes providers for Claude Code: provider/endpoint/auth variables in "
        "settings files are ignored and the automatic telemetry opt-out on third-party providers is skipped",
    ),
    "CLAUDE_CODE_PROXY_RESOLVES_HOSTS": _env(
        "bool", "Set to 1 to allow the proxy to perform DNS resolution instead of the caller"
    ),
    "CLAUDE_CODE_REMOTE": _env("bool", "Set automatically to true when Claude Code is running as a cloud session"),
    "CLAUDE_CODE_REMOTE_SESSION_ID": _env(
        "string",
        "Set automatically in cloud sessions to the current session's ID. Read this to construct a link back "
        "to the session transcript",
    ),
    "CLAUDE_CODE_RESTRICTED": _env(
        "bool",
        "1 = restricted mode (as --restricted): no command/code tools or WebFetch, ignores user/project/local"
        " settings; ignored in settings env",
        since="2.1.248",
    ),
    "CLAUDE_CODE_RESUME_INTERRUPTED_TURN": _env(
        "bool", "Set to 1 to automatically resume if the previous session ended mid-turn"
    ),
    "CLAUDE_CODE_RESUME_INTERRUPTED_TURN_MAX_AGE_MS": _env(
        "int",
        "Maximum age in milliseconds of the last transcript message for a session that ended mid-turn to "
        "continue automatically on resume",
        since="2.1.211",
    ),
    "CLAUDE_CODE_RESUME_PROMPT": _env(
        "string", "Override the continuation message injected when resuming a session that ended mid-turn"
    ),
    "CLAUDE_CODE_RETRY_WATCHDOG": _env(
        "bool",
        "Set to 1 for unattended sessions such as eval harnesses, CI jobs, or remote workers",
        since="2.1.186",
    ),
    "CLAUDE_CODE_RETRY_WATCHDOG_MAX_WAIT_MS": _env(
        "int",
        "max time each request waits out 429/529 errors under CLAUDE_CODE_RETRY_WATCHDOG",
        since="2.1.295",
    ),
    "CLAUDE_CODE_SAFE_MODE": _env(
        "bool",
        "Set to 1 to start in safe mode: CLAUDE.md, skills, plugins, hooks, MCP servers, custom commands and "
        "agents, output styles, workflows, custom themes, custom ke",
    ),
    "CLAUDE_CODE_SCRIPT_CAPS": _env(
        "json", "JSON object of per-session call limits for scripts (with CLAUDE_CODE_SUBPROCESS_ENV_SCRUB)"
    ),
    "CLAUDE_CODE_SCROLL_SPEED": _env("int", "Set the mouse wheel scroll multiplier in fullscreen rendering"),
    "CLAUDE_CODE_SEND_FEEDBACK": _env(
        "bool",
        "0 = turn off Claude-drafted feedback (SendFeedback tool) for the session; 1 cannot grant access",
        since="2.1.247",
    ),
    "CLAUDE_CODE_SESSIONEND_HOOKS_TIMEOUT_MS": _env(
        "int", "Override the time budget in milliseconds for SessionEnd hooks"
    ),
    "CLAUDE_CODE_SESSION_ID": _env(
        "string",
        "Set automatically to the current session ID in Bash and PowerShell tool subprocesses, hook command "
        "subprocesses, and stdio MCP server subprocesses",
    ),
    "CLAUDE_CODE_SHELL": _env("path", "bash or zsh binary the Bash tool uses"),
    "CLAUDE_CODE_SHELL_PREFIX": _env("string", "command prefix wrapping shell commands Claude Code spawns"),
    "CLAUDE_CODE_SIMPLE": _env(
        "bool", "Set to 1 to run with a minimal system prompt and only the Bash, file read, and file edit tools"
    ),
    "CLAUDE_CODE_SIMPLE_SYSTEM_PROMPT": _env("bool", "1 = shorter system prompt on any model, 0 = full prompt"),
    "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": _env(
        "bool", "skip client-side auth for Claude Platform on AWS (gateway signs requests)"
    ),
    "CLAUDE_CODE_SKIP_AWS_CRED_CACHE": _env(
        "bool",
        "Set to 1 to turn off the in-process cache of credentials resolved from the AWS default credential "
        "provider chain, so Claude Code resolves the chain on every A",
        since="2.1.207",
    ),
    "CLAUDE_CODE_SKIP_BEDROCK_AUTH": _env(
        "bool", "Skip AWS authentication for Amazon Bedrock (for example, when using an LLM gateway)"
    ),
    "CLAUDE_CODE_SKIP_FAST_MODE_NETWORK_ERRORS": _env(
        "bool",
        "Set to 1 to treat a failed fast mode availability check as available, for networks that block the "
        "check's direct request to api.anthropic.com",
    ),
    "CLAUDE_CODE_SKIP_FAST_MODE_ORG_CHECK": _env(
        "bool",
        "Set to 1 to skip the client-side fast mode availability check, for proxies that intercept the "
        "check's request rather than refuse it",
    ),
    "CLAUDE_CODE_SKIP_FOUNDRY_AUTH": _env(
        "bool",
        "Skip Azure authentication for Microsoft Foundry, for a proxy or gateway that injects its own "
        "Authorization header",
    ),
    "CLAUDE_CODE_SKIP_MANTLE_AUTH": _env("bool", "skip AWS auth for Bedrock Mantle (e.g. behind an LLM gateway)"),
    "CLAUDE_CODE_SKIP_MODEL_ACCESS_MEMORY": _env(
        "bool",
        "1 = do not remember, for up to a day, Bedrock/Vertex models the account cannot invoke",
        since="2.1.285",
    ),
    "CLAUDE_CODE_SKIP_PROMPT_HISTORY": _env(
        "bool", "Set to 1 to skip writing prompt history and session transcripts to disk"
    ),
    "CLAUDE_CODE_SKIP_VERTEX_AUTH": _env(
        "bool",
        "Skip Google authentication for Google Cloud's Agent Platform (for example, when using an LLM gateway)",
    ),
    "CLAUDE_CODE_STARTUP_FAILURE_RESULTS": _env(
        "bool",
        "1 = with --output-format stream-json, write a result message naming why Claude Code refused to start",
        since="2.1.274",
    ),
    "CLAUDE_CODE_STOP_HOOK_BLOCK_CAP": _env(
        "int",
        "Maximum number of consecutive times a Stop or SubagentStop hook may block the turn from ending "
        "before Claude Code overrides it and ends the turn anyway (default",
    ),
    "CLAUDE_CODE_SUBAGENT_MODEL": _env(
        "string",
        "default model for subagents, agent-team teammates and workflow agents not assigned one another way",
    ),
    "CLAUDE_CODE_SUBAGENT_MODEL_FORCE": _env(
        "bool", "1 = force one model onto subagents, teammates and workflow agents", since="2.1.257"
    ),
    "CLAUDE_CODE_SUBAGENT_PROMPT_CACHE_TTL": _env(
        "string", 'prompt cache TTL outside the main conversation: "5m" or "1h"', since="2.1.242"
    ),
    "CLAUDE_CODE_SUBPROCESS_ENV_SCRUB": _env(
        "bool", "1 = strip credentials from the environment of Bash commands, hooks and stdio MCP servers"
    ),
    "CLAUDE_CODE_SYNC_PLUGIN_INSTALL": _env(
        "bool",
        "Set to 1 in non-interactive mode (the -p flag) to wait for plugin installation to complete before "
        "the first query",
    ),
    "CLAUDE_CODE_SYNC_PLUGIN_INSTALL_TIMEOUT_MS": _env(
        "int", "Timeout in milliseconds for synchronous plugin installation"
    ),
    "CLAUDE_CODE_SYNC_SKILLS": _env(
        "bool",
        "Set to 1 to download your enabled claude.ai skills into ~/.claude/skills/synced/ and resync every 10 minutes",
    ),
    "CLAUDE_CODE_SYNC_SKILLS_INSTALL_TIMEOUT_MS": _env(
        "int",
        "Timeout in milliseconds for a mid-session skills resync when CLAUDE_CODE_SYNC_SKILLS is set (default: 30000)",
    ),
    "CLAUDE_CODE_SYNC_SKILLS_WAIT_TIMEOUT_MS": _env(
        "int",
        "Timeout in milliseconds for the first query to wait for the initial skill list when "
        "CLAUDE_CODE_SYNC_SKILLS is set (default: 5000)",
    ),
    "CLAUDE_CODE_SYNTAX_HIGHLIGHT": _env("bool", "Set to false to disable syntax highlighting in diff output"),
    "CLAUDE_CODE_TASK_LIST_ID": _env("string", "Share a task list across sessions"),
    "CLAUDE_CODE_TEAM_TEARDOWN_PARK_TIMEOUT_MS": _env(
        "int",
        "Override, in milliseconds, how long a non-interactive session waits at exit for its agent team to "
        "finish tearing down",
        since="2.1.206",
    ),
    "CLAUDE_CODE_TMPDIR": _env("path", "Override the temp directory used for internal temp files"),
    "CLAUDE_CODE_TMUX_TRUECOLOR": _env("switch_nonempty", "any non-empty value allows 24-bit colour inside tmux"),
    "CLAUDE_CODE_TOOL_MEMORY_CGROUP_EXCLUDE": _env(
        "string",
        "comma-separated process kinds excluded from the Linux tool memory cap (e.g. mcp,lsp), or none / all-new",
        since="2.1.246",
    ),
    "CLAUDE_CODE_TOOL_MEMORY_LIMIT": _env(
        "string",
        "Linux/WSL memory cap for Bash/PowerShell tool commands, e.g. 4G; 0/off = no cap",
        since="2.1.233",
    ),
    "CLAUDE_CODE_TRANSCRIPT_LOCAL_GC": _env(
        "bool",
        "1 = trim the local transcript of long -p/SDK sessions after compaction (>5 MB); launch environment only",
        since="2.1.287",
    ),
    "CLAUDE_CODE_USER_DIALOG_TIMEOUT_MS": _env(
        "int",
        "Deadline in milliseconds for dialogs Claude Code forwards to a remote client, such as a Remote "
        "Control or SDK host, and for the approval dialog for a held cross",
    ),
    "CLAUDE_CODE_USE_ANTHROPIC_AWS": _env("bool", "use Claude Platform on AWS"),
    "CLAUDE_CODE_USE_BEDROCK": _env("bool", "use Amazon Bedrock"),
    "CLAUDE_CODE_USE_FOUNDRY": _env("bool", "use Microsoft Foundry"),
    "CLAUDE_CODE_USE_GATEWAY": _env(
        "bool",
        "select the Claude apps gateway provider (named in CHANGELOG 2.1.266, not on the env-vars page)",
        source=_CLI,
    ),
    "CLAUDE_CODE_USE_MANTLE": _env("bool", "use the Amazon Bedrock Mantle endpoint"),
    "CLAUDE_CODE_USE_NATIVE_FILE_SEARCH": _env(
        "bool",
        "Set to 1 to discover custom commands, subagents, and output styles using Node.js file APIs instead of ripgrep",
    ),
    "CLAUDE_CODE_USE_POWERSHELL_TOOL": _env("bool", "Controls the PowerShell tool"),
    "CLAUDE_CODE_USE_VERTEX": _env("bool", "use Google Cloud's Agent Platform (Vertex AI)"),
    "CLAUDE_CODE_WEBFETCH_CACHE_TTL_MS": _env(
        "int",
        "Set to the number of milliseconds WebFetch keeps each fetched URL's response cached",
        since="2.1.233",
    ),
    "CLAUDE_CODE_WEBFETCH_DEADLINE_MS": _env(
        "int", "upper bound on a WebFetch download, default 300000; 0 = no limit", since="2.1.268"
    ),
    "CLAUDE_CODE_WEB_SEARCH_REFILLS_PER_HOUR": _env(
        "int",
        "WebSearch limit refill rate per hour (default 100 interactive, 0 non-interactive)",
        since="2.1.290",
    ),
    "CLAUDE_CODE_WORKER_CHECKIN_SCHEDULE": _env(
        "string",
        "comma-separated waits in seconds between reminders to check on background subagents",
        since="2.1.283",
    ),
    "CLAUDE_CODE_WORKFLOW_MAX_CONCURRENT_AGENTS": _env(
        "int", "agents a single workflow run executes at once, 1..256", since="2.1.269"
    ),
    "CLAUDE_CODE_WORKFLOW_PREFIX_STAGGER_MS": _env(
        "int",
        "Upper bound in milliseconds on how long a workflow agent waits for a same-prefix sibling's first "
        "response to begin before sending its own first request",
        since="2.1.229",
    ),
    "CLAUDE_CODE_WORKFLOW_SUBAGENT_MODEL": _env(
        "string",
        "one model for every workflow agent (CHANGELOG 2.1.296; not on the 2026-10-10 env-vars page)",
        since="2.1.296",
        source=_CLI,
    ),
    "CLAUDE_CONFIG_DIR": _env("path", "Override the configuration directory (default: ~/.claude)"),
    "CLAUDE_DISABLE_ADOPT": _env(
        "bool",
        "Set to 1 to stop in-flight background work instead of carrying it over when you background a session"
        " by pressing ← or with /background",
        since="2.1.195",
    ),
    "CLAUDE_EFFORT": _env(
        "string",
        "Set automatically in Bash tool subprocesses and hook commands to the active effort level for the "
        "turn: low, medium, high, xhigh, or max",
    ),
    "CLAUDE_ENABLE_BYTE_WATCHDOG": _env(
        "bool", "Set to 1 to force-enable the byte-level streaming idle watchdog, or set to 0 to force-disable it"
    ),
    "CLAUDE_ENABLE_BYTE_WATCHDOG_BEDROCK": _env(
        "bool",
        "Set to 1 to enable the byte-level streaming idle watchdog on Amazon Bedrock vnd.amazon.eventstream responses",
    ),
    "CLAUDE_ENABLE_STREAM_WATCHDOG": _env(
        "bool",
        "Set to 0 to force-disable the event-level streaming idle watchdog, or set to 1 to force-enable it",
    ),
    "CLAUDE_ENV_FILE": _env(
        "path",
        "Path to a shell script whose contents Claude Code runs before each Bash command in the same shell "
        "process, so exports in the file are visible to the command",
    ),
    "CLAUDE_JOB_DIR": _env(
        "path", "set by Claude Code in each background session to its ~/.claude/jobs/<id> directory"
    ),
    "CLAUDE_PID": _env(
        "int",
        "Claude Code sets this to its own process ID in the subprocesses it spawns: Bash and PowerShell tool "
        "commands and hook commands",
        since="2.1.214",
    ),
    "CLAUDE_REMOTE_CONTROL_SESSION_NAME_PREFIX": _env(
        "string",
        "Prefix for auto-generated Remote Control session names when no explicit name is provided",
    ),
    "CLAUDE_STREAM_FIRST_BYTE_TIMEOUT_MS": _env(
        "int", "deadline for the first response byte of a streaming request", since="2.1.242"
    ),
    "CLAUDE_STREAM_IDLE_TIMEOUT_MS": _env(
        "int",
        "Timeout in milliseconds before the event- and byte-level streaming idle watchdogs close a stalled connection",
    ),
    "CLOUD_ML_REGION": _env("string", "Vertex (Agent Platform) region, e.g. us-east5 or global", source=_VERTEX),
    "DEBUG": _env("bool", "Set to 1 to enable debug mode, equivalent to launching with --debug"),
    "DISABLE_AUTOUPDATER": _env("bool", "1 disables automatic background updates; manual claude update still works"),
    "DISABLE_AUTO_COMPACT": _env("bool", "Set to 1 to disable automatic compaction when approaching the context limit"),
    "DISABLE_BUG_COMMAND": _env("bool", "older name of DISABLE_FEEDBACK_COMMAND, still accepted"),
    "DISABLE_COMPACT": _env(
        "bool", "Set to 1 to disable all compaction: both automatic compaction and the manual /compact command"
    ),
    "DISABLE_COST_WARNINGS": _env("bool", "Set to 1 to disable cost warning messages"),
    "DISABLE_DOCTOR_COMMAND": _env("bool", "Set to 1 to hide the /doctor setup checkup skill and its /checkup alias"),
    "DISABLE_ERROR_REPORTING": _env(
        "switch_nonempty", 'any non-empty value (even "0"/"false") opts out of error reporting'
    ),
    "DISABLE_EXTRA_USAGE_COMMAND": _env(
        "bool",
        "Set to 1 to hide the /usage-credits command that lets users purchase additional usage beyond rate limits",
    ),
    "DISABLE_FEEDBACK_COMMAND": _env(
        "bool", "1 disables /feedback, /bug, /share and Claude-drafted feedback; DISABLE_BUG_COMMAND is the older name"
    ),
    "DISABLE_GROWTHBOOK": _env(
        "bool", "1/true disables feature-flag fetching (telemetry stays on unless DISABLE_TELEMETRY)"
    ),
    "DISABLE_INSTALLATION_CHECKS": _env("bool", "Set to 1 to disable installation warnings"),
    "DISABLE_INSTALL_GITHUB_APP_COMMAND": _env("bool", "Set to 1 to hide the /install-github-app command"),
    "DISABLE_INTERLEAVED_THINKING": _env("bool", "Set to 1 to prevent sending the interleaved-thinking beta header"),
    "DISABLE_LOGIN_COMMAND": _env("bool", "Set to 1 to hide the /login command"),
    "DISABLE_LOGOUT_COMMAND": _env("bool", "Set to 1 to hide the /logout command"),
    "DISABLE_PROMPT_CACHING": _env(
        "bool", "Set to 1 to disable prompt caching for all models (takes precedence over per-model settings)"
    ),
    "DISABLE_PROMPT_CACHING_FABLE": _env("bool", "Set to 1 to disable prompt caching for Fable models"),
    "DISABLE_PROMPT_CACHING_HAIKU": _env("bool", "Set to 1 to disable prompt caching for Haiku models"),
    "DISABLE_PROMPT_CACHING_OPUS": _env("bool", "Set to 1 to disable prompt caching for Opus models"),
    "DISABLE_PROMPT_CACHING_SONNET": _env("bool", "Set to 1 to disable prompt caching for Sonnet models"),
    "DISABLE_TELEMETRY": _env(
        "switch_nonempty",
        'any non-empty value (even "0"/"false") opts out of telemetry; also turns off feature-flag fetching',
    ),
    "DISABLE_UPDATES": _env("bool", "1 blocks all updates, including manual claude update and claude install"),
    "DISABLE_UPGRADE_COMMAND": _env("bool", "Set to 1 to hide the /upgrade command"),
    "DO_NOT_TRACK": _env(
        "bool",
        "1 opts out of telemetry like DISABLE_TELEMETRY (incl. feature-flag fetching); a normal boolean, so 0"
        " leaves telemetry on",
    ),
    "ENABLE_BETA_TRACING_DETAILED": _env(
        "bool",
        "1 (with BETA_TRACING_ENDPOINT) = detailed beta tracing with content-bearing span attributes; ignored"
        " in project/local settings",
    ),
    "ENABLE_CLAUDEAI_MCP_SERVERS": _env("bool", "false = do not fetch claude.ai MCP servers (connectors)"),
    "ENABLE_PROMPT_CACHING_1H": _env(
        "bool", "Set to 1 to request a 1-hour prompt cache TTL instead of the default 5 minutes"
    ),
    "ENABLE_PROMPT_CACHING_1H_BEDROCK": _env("bool", "Deprecated"),
    "ENABLE_TOOL_SEARCH": _env("string", "MCP tool search: true, false, auto or auto:N"),
    "FALLBACK_FOR_ALL_PRIMARY_MODELS": _env(
        "switch_nonempty",
        "any non-empty value stops overload retries for every model when no fallback model is configured",
    ),
    "FORCE_AUTOUPDATE_PLUGINS": _env(
        "bool",
        "Set to 1 to force plugin auto-updates even when the main auto-updater is disabled via DISABLE_AUTOUPDATER",
    ),
    "FORCE_HYPERLINK": _env("int", "1 enables OSC 8 hyperlinks, 0 disables; parsed as a number"),
    "FORCE_PROMPT_CACHING_5M": _env(
        "bool", "Set to 1 to force the 5-minute prompt cache TTL even when 1-hour TTL would otherwise apply"
    ),
    "GCLOUD_PROJECT": _env(
        "string", "GCP project ID fallback for Vertex when ANTHROPIC_VERTEX_PROJECT_ID is unset", source=_VERTEX
    ),
    "GOOGLE_CLOUD_PROJECT": _env(
        "string", "GCP project ID fallback for Vertex when ANTHROPIC_VERTEX_PROJECT_ID is unset", source=_VERTEX
    ),
    "HTTPS_PROXY": _env("url", "HTTPS proxy for network connections"),
    "HTTP_PROXY": _env("url", "HTTP proxy for network connections"),
    "IS_DEMO": _env(
        "switch_nonempty", "any non-empty value enables demo mode (hides email and organisation, skips onboarding)"
    ),
    "MAX_MCP_OUTPUT_TOKENS": _env("int", "Maximum number of tokens allowed in MCP tool responses"),
    "MAX_STRUCTURED_OUTPUT_RETRIES": _env(
        "int",
        "Number of times Claude Code retries when the model's response fails validation against the --json-"
        "schema in non-interactive mode with the -p flag",
    ),
    "MAX_THINKING_TOKENS": _env("int", "Fixed token budget for extended thinking"),
    "MCP_CLIENT_SECRET": _env("string", "OAuth client secret for MCP servers that require pre-configured credentials"),
    "MCP_CONNECTION_NONBLOCKING": _env(
        "bool", "Controls whether startup waits for MCP servers to connect before the first query"
    ),
    "MCP_CONNECT_TIMEOUT_MS": _env(
        "int",
        "How long blocking MCP startup waits, in milliseconds, for the connection batch before snapshotting "
        "the tool list (default: 5000)",
    ),
    "MCP_DISCOVERY_CACHE": _env("bool", "1/0 = MCP discovery cache on/off"),
    "MCP_DISCOVERY_CACHE_MAX_STALE_S": _env(
        "int", "Maximum age, in seconds, of a discovery-cache entry (default: 14400, or 4 hours)"
    ),
    "MCP_DISCOVERY_CACHE_STRIKES": _env(
        "int",
        "At a start where a discovery-cache entry is older than MCP_DISCOVERY_CACHE_TTL_S, Claude Code "
        "refreshes it in the background",
        since="2.1.238",
    ),
    "MCP_DISCOVERY_CACHE_TTL_S": _env(
        "int", "Seconds for which Claude Code uses a discovery-cache entry without refreshing it (default: 900)"
    ),
    "MCP_OAUTH_CALLBACK_PORT": _env(
        "int",
        "Fixed port for the OAuth redirect callback, as an alternative to --callback-port when adding an MCP "
        "server with pre-configured credentials",
    ),
    "MCP_PROTOCOL_NEGOTIATION": _env("string", "v2 MCP runtime protocol probing: auto or legacy", since="2.1.221"),
    "MCP_REMOTE_SERVER_CONNECTION_BATCH_SIZE": _env(
        "int",
        "Maximum number of remote MCP servers (HTTP/SSE) to connect in parallel during startup (default: 20)",
    ),
    "MCP_SDK_GENERATION": _env("string", "MCP client runtime: v1 or v2", since="2.1.218"),
    "MCP_SERVER_CONNECTION_BATCH_SIZE": _env(
        "int", "Maximum number of local MCP servers (stdio) to connect in parallel during startup (default: 3)"
    ),
    "MCP_TIMEOUT": _env("int", "Timeout in milliseconds for MCP server startup (default: 30000, or 30 seconds)"),
    "MCP_TOOL_TIMEOUT": _env(
        "int", "Timeout in milliseconds for MCP tool execution (default: 100000000, about 28 hours)"
    ),
    "NODE_EXTRA_CA_CERTS": _env("path", "extra CA certificate bundle (PEM) trusted for TLS", source=_NETWORK),
    "NO_PROXY": _env("string", "domains and IPs reached directly, bypassing the proxy"),
    "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT": _env(
        "int", "Standard OpenTelemetry SDK limit on attribute value length", since="2.1.214"
    ),
    "OTEL_EXPORTER_OTLP_ENDPOINT": _env("url", "OTLP collector endpoint for all signals", source=_MONITORING),
    "OTEL_EXPORTER_OTLP_HEADERS": _env(
        "string",
        "OTLP request headers, key=value pairs (often credentials: use otelHeadersHelper)",
        source=_MONITORING,
    ),
    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": _env("url", "OTLP collector endpoint for logs/events only", source=_MONITORING),
    "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": _env("url", "OTLP collector endpoint for metrics only", source=_MONITORING),
    "OTEL_EXPORTER_OTLP_PROTOCOL": _env(
        "string", "OTLP protocol: grpc, http/json or http/protobuf", source=_MONITORING
    ),
    "OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT": _env(
        "int", "OTel log-record attribute length limit, read like OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"
    ),
    "OTEL_LOGS_EXPORTER": _env(
        "string", "OpenTelemetry logs/events exporter(s): otlp, console, none", source=_MONITORING
    ),
    "OTEL_LOGS_EXPORT_INTERVAL": _env("int", "logs export interval in milliseconds", source=_MONITORING),
    "OTEL_LOG_ASSISTANT_RESPONSES": _env(
        "bool",
        "Set to 1 to include the model's response text on assistant_response OpenTelemetry log events",
        since="2.1.193",
    ),
    "OTEL_LOG_MANAGED_SETTINGS": _env(
        "bool",
        "1 = add the redacted managed settings and a SHA-256 digest to managed_settings_resolved OTel events",
        since="2.1.274",
    ),
    "OTEL_LOG_RAW_API_BODIES": _env(
        "string",
        "Emit Anthropic Messages API request and response JSON as api_request_body / api_response_body log events",
    ),
    "OTEL_LOG_TOOL_CONTENT": _env(
        "bool", "Set to 1 to include tool input and output content in OpenTelemetry span events"
    ),
    "OTEL_LOG_TOOL_DETAILS": _env(
        "bool",
        "Set to 1 to include tool input arguments, MCP server names, user-authored workflow names, raw error "
        "strings on tool failures, the refusal category on api_r",
    ),
    "OTEL_LOG_USER_PROMPTS": _env("bool", "Set to 1 to include user prompt text in OpenTelemetry traces and logs"),
    "OTEL_METRICS_EXPORTER": _env(
        "string", "OpenTelemetry metrics exporter(s): otlp, prometheus, console, none", source=_MONITORING
    ),
    "OTEL_METRICS_INCLUDE_ACCOUNT_UUID": _env(
        "bool", "Set to false to exclude account UUID from metrics attributes (default: included)"
    ),
    "OTEL_METRICS_INCLUDE_ENTRYPOINT": _env(
        "bool",
        "Set to true to include the session entrypoint in metrics attributes (default: excluded)",
        since="2.1.152",
    ),
    "OTEL_METRICS_INCLUDE_REPOSITORY": _env(
        "bool", "true = tag OTel metrics and events with vcs.* repository attributes", since="2.1.269"
    ),
    "OTEL_METRICS_INCLUDE_RESOURCE_ATTRIBUTES": _env(
        "bool",
        "As of v2.1.161, Claude Code attaches OTEL_RESOURCE_ATTRIBUTES keys to metric datapoint labels",
    ),
    "OTEL_METRICS_INCLUDE_SESSION_ID": _env(
        "bool", "Set to false to exclude session ID from metrics attributes (default: included)"
    ),
    "OTEL_METRICS_INCLUDE_VERSION": _env(
        "bool", "Set to true to include Claude Code version in metrics attributes (default: excluded)"
    ),
    "OTEL_METRIC_EXPORT_INTERVAL": _env("int", "metrics export interval in milliseconds", source=_MONITORING),
    "OTEL_RESOURCE_ATTRIBUTES": _env("string", "extra OTel resource attributes, key=value pairs", source=_MONITORING),
    "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT": _env(
        "int", "OTel span attribute length limit, read like OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT"
    ),
    "OTEL_TRACES_EXPORTER": _env("string", "OpenTelemetry traces exporter (beta tracing)", source=_MONITORING),
    "SLASH_COMMAND_TOOL_CHAR_BUDGET": _env(
        "int", "Override the character budget for skill metadata shown to the Skill tool"
    ),
    "TASK_MAX_OUTPUT_LENGTH": _env(
        "int", "Removed in v2.1.277 and now a no-op (the TaskOutput tool it sized was removed)"
    ),
    "USE_BUILTIN_RIPGREP": _env("bool", "Set to 0 to use system-installed rg instead of rg included with Claude Code"),
    "VERTEX_REGION_CLAUDE_3_5_HAIKU": _env(
        "string", "Override region for Claude 3.5 Haiku when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_3_5_SONNET": _env(
        "string", "Override region for Claude 3.5 Sonnet when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_3_7_SONNET": _env(
        "string", "Override region for Claude 3.7 Sonnet when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_0_OPUS": _env(
        "string", "Override region for Claude 4.0 Opus when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_0_SONNET": _env(
        "string", "Override region for Claude 4.0 Sonnet when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_1_OPUS": _env(
        "string", "Override region for Claude 4.1 Opus when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_5_OPUS": _env(
        "string", "Override region for Claude Opus 4.5 when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_5_SONNET": _env(
        "string", "Override region for Claude Sonnet 4.5 when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_6_OPUS": _env(
        "string", "Override region for Claude Opus 4.6 when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_6_SONNET": _env(
        "string", "Override region for Claude Sonnet 4.6 when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_7_OPUS": _env(
        "string", "Override region for Claude Opus 4.7 when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_4_8_OPUS": _env(
        "string", "Override region for Claude Opus 4.8 when using Google Cloud's Agent Platform", since="2.1.154"
    ),
    "VERTEX_REGION_CLAUDE_5_5_OPUS": _env("string", "Vertex region override for Claude Opus 5.5", since="2.1.280"),
    "VERTEX_REGION_CLAUDE_5_5_SONNET": _env("string", "Vertex region override for Claude Sonnet 5.5", since="2.1.284"),
    "VERTEX_REGION_CLAUDE_5_OPUS": _env(
        "string", "Override region for Claude Opus 5 when using Google Cloud's Agent Platform", since="2.1.219"
    ),
    "VERTEX_REGION_CLAUDE_5_SONNET": _env(
        "string", "Override region for Claude Sonnet 5 when using Google Cloud's Agent Platform", since="2.1.197"
    ),
    "VERTEX_REGION_CLAUDE_FABLE_5": _env(
        "string", "Override region for Claude Fable 5 when using Google Cloud's Agent Platform", since="2.1.170"
    ),
    "VERTEX_REGION_CLAUDE_FABLE_5_1": _env("string", "Vertex region override for Claude Fable 5.1", since="2.1.257"),
    "VERTEX_REGION_CLAUDE_HAIKU_4_5": _env(
        "string", "Override region for Claude Haiku 4.5 when using Google Cloud's Agent Platform"
    ),
    "VERTEX_REGION_CLAUDE_HAIKU_5_5": _env("string", "Vertex region override for Claude Haiku 5.5", since="2.1.293"),
}

# On the env-vars page (DOC@528985d6) but not in the pinned executable: both rows say the variable
# was removed (CLAUDE_CODE_AUTO_BACKGROUND_WORKER_CHECKIN_SECONDS: "Removed in v2.1.283";
# CLAUDE_SUBAGENT_BG_SHELL_MAX_MS: "Removed in v2.1.260"). Absent from 2.1.332 too.
DOCUMENTED_NOT_IN_CLI = (
    "CLAUDE_CODE_AUTO_BACKGROUND_WORKER_CHECKIN_SECONDS",
    "CLAUDE_SUBAGENT_BG_SHELL_MAX_MS",
)

# allowedProviders values, spelled as in the executable's own list (CLI 2.1.331 and 2.1.332:
# ["anthropic","customEndpoint","bedrock","vertex","foundry","anthropicAws","mantle","gateway"]).
# The CLI filters unknown entries out of the list before using it.
ALLOWED_PROVIDERS = ("anthropic", "customEndpoint", "bedrock", "vertex", "foundry", "anthropicAws", "mantle", "gateway")

SETTINGS_KEYS = {
    "advisorModel": _key(
        "str", "any", "Pick which model answers when Claude asks the advisor tool", source=_SETTINGS_0822
    ),
    "agent": _key(
        "str", "any", "Start every session as a named subagent with its prompt, tools, and model", source=_SETTINGS_0822
    ),
    "agentPushNotifEnabled": _key(
        "bool", "any", "Let Claude send a push notification to your phone when it decides to", source=_SETTINGS_0822
    ),
    "allowAllClaudeAiMcps": _key(
        "bool", "managed", "Load claude.ai connectors alongside a deployed managed-mcp.json", source=_SETTINGS_0822
    ),
    "allowedChannelPlugins": _key(
        "json",
        "managed",
        "Replace the default allowlist of channel plugins that can push messages",
        source=_SETTINGS_0822,
    ),
    "allowedHttpHookUrls": _key("list[str]", "any", "Limit which URLs HTTP hooks can target", source=_SETTINGS_0822),
    "allowedMcpServers": _key("json", "any", "Allowlist which MCP servers people can use", source=_SETTINGS_0822),
    "allowedProviders": _key("list[str]", "managed", "Limit which API providers a machine may use", since="2.1.285"),
    "allowManagedHooksOnly": _key("bool", "managed", "Run only the hooks your organization deploys"),
    "allowManagedMcpServersOnly": _key("bool", "managed", "Make the managed MCP allowlist the only one that applies"),
    "allowManagedPermissionRulesOnly": _key(
        "bool", "managed", "Make managed settings the only source of permission rules"
    ),
    "alwaysThinkingEnabled": _key("bool", "any", "Turn extended thinking off for every session"),
    "apiKeyHelper": _key("str", "any", "Generate the API credential with your own command"),
    "appendPlugins": _key(
        "list[str]", "any", "Run your organization's mods after every mod a user installs", files="User or managed"
    ),
    "askUserQuestionTimeout": _key(
        "enum:60s,5m,10m,never",
        "any",
        "Let an unanswered question auto-continue after idle time",
        files="User or managed",
    ),
    "attribution": _key("dict", "any", "Customize the attribution Claude Code adds to commits and pull requests"),
    "autoCompactEnabled": _key("bool", "any", "Turn automatic compaction off or on"),
    "autoCompactWindow": _key("int>=1", "any", "Set how full the context gets before Claude Code compacts"),
    "autoContinueAtUsageLimit": _key(
        "bool",
        "any",
        "Wait and continue the task automatically after a claude.ai usage limit resets",
        files="User or managed",
    ),
    "autoMemoryDirectory": _key("str", "any", "Store auto memory in a directory you choose"),
    "autoMemoryEnabled": _key("bool", "any", "Turn auto memory off or on"),
    "autoMode": _key(
        "dict", "any", "Add your own allow and deny rules to the auto mode classifier", files="User or managed"
    ),
    "autoScrollEnabled": _key("bool", "any", "Follow new output to the bottom in fullscreen rendering"),
    "autoUpdatesChannel": _key("enum:latest,stable,rc", "any", "Follow the stable release channel instead of latest"),
    "availableModels": _key("list[str]", "any", "Restrict which models people can pick"),
    "availableModelsMatch": _key(
        "enum:prefix,exact",
        "managed",
        "Make each availableModels model ID entry permit only the version it names",
        since="2.1.283",
    ),
    "awaySummaryEnabled": _key("bool", "any", "Turn off the session recap shown when you come back to the terminal"),
    "awsAuthRefresh": _key("str", "any", "Refresh expired Bedrock credentials in .aws with your own command"),
    "awsCredentialExport": _key("str", "any", "Supply Bedrock credentials as JSON from your own command"),
    "axScreenReader": _key("bool", "any", "Render screen-reader friendly output"),
    "bashEditDiffEnabled": _key(
        "bool",
        "any",
        "Record the files that changed while a Bash command ran in every permission mode",
        files="User or managed",
    ),
    "bashOutputMaxChars": _key("int>=1", "any", "Set how much of a successful command's output Claude receives inline"),
    "blockedMarketplaces": _key("json", "managed", "Block plugin marketplace sources for your organization"),
    "browserExternalPageTools": _key(
        "str", "managed", "Keep Claude's tools off external pages in the desktop Browser pane"
    ),
    "channelsEnabled": _key("bool", "managed", "Allow channels for your organization"),
    "claudeMd": _key("str", "managed", "Inject organization-wide CLAUDE.md instructions from managed settings"),
    "claudeMdExcludes": _key("list[str]", "any", "Skip specific CLAUDE.md files when memory loads"),
    "cleanupPeriodDays": _key(
        "int>=1", "any", "Days Claude Code keeps local transcripts before deleting them (default 30, minimum 1)"
    ),
    "companyAnnouncements": _key("list[str]", "any", "Show your organization's announcements at startup"),
    "crossSessionInbound": _key(
        "enum:accept,hold,refuse",
        "any",
        "Choose whether Claude Code delivers messages from your other sessions, shows a notice without "
        "delivering them, or refuses them",
    ),
    "defaultShell": _key(
        "enum:bash,powershell",
        "any",
        "Choose whether Bash or PowerShell runs the shell commands you type with the ! prefix",
    ),
    "deniedMcpServers": _key("json", "any", "Block specific MCP servers in every scope"),
    "deniedModels": _key(
        "list[str]", "managed", "Block specific models, even ones availableModels permits", since="2.1.283"
    ),
    "desktopSessionCleanupPeriodDays": _key(
        "int>=0",
        "any",
        "Age limit in days for Claude Desktop and Cowork transcripts (exempt from cleanupPeriodDays)",
        files="User or managed",
        since="2.1.248",
    ),
    "dialogExpiry": _key(
        "enum:60s,5m,10m,never",
        "any",
        "Set how long Claude Code waits for Remote Control or an SDK host to answer a forwarded dialog before"
        " it cancels the dialog",
        files="User or managed",
    ),
    "disableAgentView": _key("bool", "any", "Turn off background agents and agent view"),
    "disableAllHooks": _key(
        "bool", "any", "Turn off hooks, a custom status line, and a custom @ file suggestion command at once"
    ),
    "disableArtifact": _key("bool", "any", "Deprecated; use enableArtifact to turn the Artifact tool off"),
    "disableAutoMode": _key("enum:disable", "any", "Remove auto mode from the permission mode cycle"),
    "disableBrowserExternalNavigation": _key(
        "bool", "managed", "Limit the desktop Browser pane to localhost for people and Claude"
    ),
    "disableBundledSkills": _key("bool", "any", "Turn off the skills and workflows included with Claude Code"),
    "disableClaudeAiConnectors": _key("bool", "any", "Turn off claude.ai connectors so Claude Code doesn't fetch them"),
    "disableCommandPluginSources": _key(
        "bool", "managed", "Block plugins that install by running a marketplace-declared command"
    ),
    "disableDeepLinkRegistration": _key(
        "enum:disable", "any", "Stop Claude Code from registering the claude-cli:// handler"
    ),
    "disabledMcpjsonServers": _key("list[str]", "any", "Reject specific servers from a project's .mcp.json"),
    "disableMobileSimulatorTools": _key("bool", "managed", "Block Claude's tools in the desktop iOS Simulator pane"),
    "disableRemoteControl": _key("bool", "any", "Turn off Remote Control everywhere it can start"),
    "disableSideloadFlags": _key(
        "bool", "managed", "Reject the CLI flags that sideload plugins, subagents, and MCP servers"
    ),
    "disableSkillShellExecution": _key("bool", "any", "Stop skills and custom commands from running inline shell"),
    "disableWorkflows": _key(
        "bool", "any", "Turn dynamic workflows off for everyone; use enableWorkflows for yourself"
    ),
    "editorMode": _key("enum:normal,vim", "any", "Use vim key bindings in the input prompt"),
    "effortLevel": _key(
        "enum:low,medium,high,xhigh", "any", "Save the /effort level so future sessions reason more or less deeply"
    ),
    "emojiCompletionEnabled": _key(
        "bool", "any", "Turn off :shortcode: emoji suggestions and replacement in the prompt input"
    ),
    "enableAllProjectMcpServers": _key(
        "bool", "any", "Approve every server in project .mcp.json files without a prompt"
    ),
    "enableArtifact": _key("bool", "any", "Turn the Artifact tool on or off for yourself", files="User or managed"),
    "enabledMcpjsonServers": _key("list[str]", "any", "Approve specific servers from a project's .mcp.json"),
    "enabledPlugins": _key("dict", "any", "Turn individual plugins on or off per scope"),
    "enableWorkflows": _key("bool", "any", "Turn dynamic workflows on or off against your plan's default"),
    "enforceAvailableModels": _key(
        "bool", "any", "Keep the /model Default choice inside your availableModels allowlist"
    ),
    "env": _key("dict", "any", "Set environment variables for every session and its subprocesses"),
    "extraKnownMarketplaces": _key("dict", "any", "Register marketplaces for a repository or an organization"),
    "fallbackModel": _key("list[str]", "any", "Name backup models for when the primary is overloaded"),
    "fastMode": _key("bool", "any", "Turn fast mode on for sessions where it's available"),
    "fastModePerSessionOptIn": _key("bool", "any", "Require people to turn fast mode on each session"),
    "feedbackDrafts": _key(
        "enum:notify,quiet,off",
        "any",
        "Whether Claude queues feedback drafts (SendFeedback tool): notify (default), quiet, or off",
        files="User or managed",
        since="2.1.247",
    ),
    "feedbackSurveyRate": _key("num0..1", "any", "Change how often the session quality survey appears"),
    "fileCheckpointingEnabled": _key("bool", "any", "Turn off or on the file snapshots that /rewind restores"),
    "fileSuggestion": _key("dict", "any", "Supply @ file autocomplete from your own command"),
    "footerLinksRegexes": _key(
        "json",
        "any",
        "Make issue or review IDs in output into clickable links below the input box",
        files="User or managed",
    ),
    "forceLoginGatewayUrl": _key(
        "str", "any", "Set the gateway URL the login screen connects to", files="User or managed", since="2.1.265"
    ),
    "forceLoginMethod": _key(
        "enum:claudeai,console,gateway", "any", "Restrict login to claude.ai, Claude Console, or a cloud gateway"
    ),
    "forceLoginOrgUUID": _key(
        "str|list[str]", "any", "Pin claude.ai logins to your organization; only a managed source enforces it"
    ),
    "forceRemoteSettingsRefresh": _key(
        "bool", "managed", "Block startup until server-managed settings are freshly fetched"
    ),
    "gatewayInternalNetworks": _key(
        "list[str]",
        "managed",
        "Let /login reach a cloud gateway on public IPv4 space your organization uses internally",
        since="2.1.268",
    ),
    "gcpAuthRefresh": _key("str", "any", "Refresh Google Cloud credentials with your own command"),
    "hooks": _key("dict", "any", "Run your own commands as hooks at points in Claude Code's lifecycle"),
    "httpHookAllowedEnvVars": _key("list[str]", "any", "Limit which env vars HTTP hooks can put in headers"),
    "includeCoAuthoredBy": _key(
        "bool", "any", "Deprecated; use attribution to hide or change commit and PR attribution"
    ),
    "includeGitInstructions": _key(
        "bool", "any", "Remove the built-in commit and PR instructions from the system prompt"
    ),
    "inputNeededNotifEnabled": _key("bool", "any", "Get a push notification when Claude is waiting on you"),
    "isolatePeerMachines": _key(
        "bool", "any", "Ask you before Claude messages one of your sessions on another machine"
    ),
    "keybindingFlavor": _key(
        "enum:classic,readline", "any", "Make Ctrl+W delete back to the previous whitespace, as Bash does"
    ),
    "language": _key("str", "any", "Have Claude respond in a language other than English"),
    "managedMcpServers": _key(
        "dict", "managed", "Provide remote MCP servers to every user alongside the ones they add", since="2.1.259"
    ),
    "managedSourcesBehavior": _key(
        "enum:first-wins,merge",
        "managed",
        "Compose every managed source (merge) instead of using the highest-priority one alone (first-wins, default)",
        since="2.1.242",
    ),
    "maxEffortLevel": _key(
        "enum:low,medium,high,xhigh,max",
        "any",
        "Cap the effort level for every model or per model, on every provider",
        since="2.1.267",
    ),
    "maxProseWidth": _key("int>=1", "any", "Cap how wide the prose in Claude's responses runs in a wide terminal"),
    "minimumVersion": _key("str", "any", "Keep auto-updates from installing anything below a version"),
    "model": _key("str", "any", "Change the model Claude Code starts with"),
    "modelOverrides": _key("dict", "any", "Map model IDs to your provider's IDs, such as Bedrock ARNs"),
    "modelPicker": _key("dict", "any", "Choose which models the /model picker lists", files="User or managed"),
    "modelPricing": _key(
        "dict", "managed", "Report spend at your organization's contracted rates instead of list price", since="2.1.243"
    ),
    "modelSettings": _key(
        "dict", "any", "Keep a saved effort level or auto-compact window per model, or cap one model's effort"
    ),
    "otelHeadersHelper": _key("str", "any", "Generate rotating OpenTelemetry headers with your own command"),
    "outputStyle": _key("str", "any", "Change Claude's role, tone, and output format with an output style"),
    "parentSettingsBehavior": _key(
        "enum:first-wins,merge",
        "managed",
        "Apply or drop restrictions an SDK or IDE host passes when you deploy managed settings",
    ),
    "permissions": _key("dict", "any", "Set allow, ask, and deny rules and the starting permission mode"),
    "plansDirectory": _key("str", "any", "Choose where plan mode writes plan files"),
    "pluginConfigs": _key(
        "dict", "any", "Store the answers you gave a plugin's configuration dialog", files="User or managed"
    ),
    "pluginSuggestionMarketplaces": _key(
        "list[str]", "managed", "Choose which marketplaces can surface plugin install suggestions in /plugin"
    ),
    "pluginTrustMessage": _key("str", "managed", "Add your own text to the plugin trust warning"),
    "policyHelper": _key(
        "dict", "managed", "Run an executable that computes managed settings at startup", since="2.1.136"
    ),
    "preferredNotifChannel": _key(
        "enum:auto,iterm2,terminal_bell,iterm2_with_bell,kitty,ghostty,notifications_disabled",
        "any",
        "Choose a terminal bell or desktop notification for task completion",
    ),
    "prefersReducedMotion": _key("bool", "any", "Reduce or turn off spinner, shimmer, and flash animations"),
    "prependPlugins": _key(
        "list[str]", "any", "Run your organization's mods before every mod a user installs", files="User or managed"
    ),
    "processWrapper": _key(
        "str",
        "any",
        "Run Claude Code's background processes through a corporate launcher on macOS and Linux",
        files="User or managed",
    ),
    "promptCacheTtl": _key(
        "enum:5m,1h", "any", "Prompt cache lifetime for the main conversation (5m or 1h)", since="2.1.242"
    ),
    "promptSuggestionEnabled": _key("bool", "any", "Hide the grayed-out prompt suggestions in the input box"),
    "prUrlTemplate": _key("str", "any", "Point PR links at an internal code-review tool instead of github.com"),
    "remoteControlAtStartup": _key("bool", "any", "Connect Remote Control automatically when a session starts"),
    "requiredMaximumVersion": _key(
        "str", "managed", "Refuse to start on a version newer than your organization allows"
    ),
    "requiredMinimumVersion": _key(
        "str", "managed", "Refuse to start on a version older than your organization requires"
    ),
    "respectGitignore": _key("bool", "any", "Keep gitignored files out of the @ file picker"),
    "respondToBashCommands": _key("bool", "any", "Stop Claude from responding after a ! shell command runs"),
    "sandbox": _key("dict", "any", "Isolate Bash commands from your filesystem and network on macOS, Linux, and WSL2"),
    "showClearContextOnPlanAccept": _key("bool", "any", "Show a 'clear context' option on the plan accept screen"),
    "showThinkingSummaries": _key("bool", "any", "See summaries of Claude's thinking instead of a collapsed stub"),
    "showTurnDuration": _key("bool", "any", "Hide the 'Cooked for' duration after each response"),
    "skillListingBudgetFraction": _key("num0..1", "any", "Reserve more or less context for the skill listing"),
    "skillListingMaxDescChars": _key("int>=1", "any", "Cap each skill's description length in the skill listing"),
    "skillOverrides": _key("dict", "any", "Hide or collapse a skill without editing its SKILL.md"),
    "skipAutoPermissionPrompt": _key(
        "bool",
        "any",
        "Skip the one-time notice Claude Code shows when you first enter auto mode yourself rather than "
        "through the built-in default",
        files="User or managed",
    ),
    "skipDangerousModePermissionPrompt": _key(
        "bool",
        "any",
        "Skip the confirmation dialog before bypassPermissions mode",
        files="User, local, or managed",
    ),
    "skipWebFetchPreflight": _key(
        "bool",
        "any",
        "Skip the WebFetch hostname check (api.anthropic.com/api/web/domain_info) when Anthropic is unreachable",
    ),
    "spellcheck": _key(
        "dict",
        "any",
        "Underline misspelled words in the prompt input with a spell checker you install",
        files="User or managed",
    ),
    "spinnerTipsEnabled": _key("bool", "any", "Hide tips in the spinner while Claude works"),
    "spinnerTipsOverride": _key("dict", "any", "Replace or extend spinner tips with your own strings"),
    "spinnerVerbs": _key("dict", "any", "Add or replace the verbs shown while a turn runs"),
    "sshConfigs": _key(
        "json", "any", "Add SSH connections to the Desktop environment dropdown", files="User or managed"
    ),
    "sshHostAllowlist": _key("list[str]", "managed", "Limit which hosts Desktop SSH sessions can reach"),
    "statusLine": _key("dict", "any", "Run your own command to render a status line below the prompt"),
    "strictKnownMarketplaces": _key(
        "json", "managed", "Allowlist the marketplace sources users can add and install from"
    ),
    "strictPluginOnlyCustomization": _key(
        "json", "managed", "Block skills, agents, hooks, and MCP servers from user and project sources"
    ),
    "subagentPromptCacheTtl": _key(
        "enum:5m,1h", "any", "Prompt cache lifetime outside the main conversation (5m or 1h)", since="2.1.242"
    ),
    "subagentStatusLine": _key("dict", "any", "Rewrite rows in the subagent task display with your own command"),
    "switchModelsOnFlag": _key(
        "bool", "any", "Switch models automatically or pause when a safety classifier flags a request"
    ),
    "syncClaudeAiPlugins": _key(
        "bool",
        "any",
        "false = stop loading and downloading the plugins enabled on your claude.ai account",
        files="User, local, or managed",
        since="2.1.275",
    ),
    "syncClaudeAiSkills": _key(
        "bool",
        "any",
        "Stop downloading the skills enabled on your claude.ai account and hide the ones already synced",
        files="User, local, or managed",
        since="2.1.275",
    ),
    "syntaxHighlightingDisabled": _key("bool", "any", "Turn off syntax highlighting in diffs and code blocks"),
    "taskOutputMaxChars": _key("int>=1", "any", "Removed in v2.1.277, together with the TaskOutput tool it sized"),
    "teammateMode": _key("enum:auto,tmux,iterm2,in-process", "any", "Choose how agent team teammates display"),
    "terminalProgressBarEnabled": _key("bool", "any", "Hide the terminal progress bar in terminals that support it"),
    "terminalTitleFromRename": _key("bool", "any", "Stop /rename and --name from changing the terminal tab title"),
    "theme": _key("str", "any", "Pick the interface color theme, built-in or custom"),
    "timeFormat": _key(
        "str",
        "any",
        "Clock format for times in the interface (auto, 12-hour, 24-hour, 24-hour-utc or a strftime pattern)",
    ),
    "timeZone": _key("str", "any", "Time zone for times in the interface instead of the system's"),
    "tui": _key("enum:default,fullscreen", "any", "Choose the fullscreen or classic terminal renderer"),
    "ultracode": _key("bool", "any", "Have Claude plan a workflow for each substantive task without being asked"),
    "useAutoModeDuringPlan": _key(
        "bool",
        "any",
        "Let the auto mode classifier review shell commands in plan mode; set false to get prompts instead",
        files="User, local, or managed",
    ),
    "verbose": _key(
        "bool",
        "any",
        "Show full tool output instead of truncated summaries; viewMode takes precedence when both are set",
    ),
    "viewMode": _key("enum:default,verbose,focus", "any", "Start every session in default, verbose, or focus view"),
    "vimInsertModeRemaps": _key(
        "dict", "any", "Map a two-key INSERT-mode sequence such as jj to Escape", files="User or managed"
    ),
    "voice": _key("dict", "any", "Turn on voice dictation and pick hold or tap mode"),
    "voiceEnabled": _key("bool", "any", "Turn on voice dictation with the older single-key form"),
    "wheelScrollAccelerationEnabled": _key("bool", "any", "Turn off mouse-wheel acceleration in fullscreen rendering"),
    "workflowKeywordTriggerEnabled": _key(
        "bool",
        "any",
        "Let the word ultracode in a prompt start a workflow; set false to type it without starting one",
    ),
    "workflowSizeGuideline": _key(
        "enum:unrestricted,small,medium,large", "any", "Set the agent count Claude aims for in dynamic workflows"
    ),
    "worktree": _key("dict", "any", "Configure how Claude Code creates git worktrees"),
    "wslInheritsWindowsSettings": _key(
        "bool", "managed", "Have WSL read managed settings from the Windows policy chain", since="2.1.118"
    ),
}
SETTINGS_KEYS["allowedProviders"]["values"] = ALLOWED_PROVIDERS

# In the settings reference index (DOC@528985d6, Scope Managed) but not in the pinned executable:
# a Claude Desktop key, read by the desktop app rather than by the CLI.
SETTINGS_DOCUMENTED_NOT_IN_CLI = ("disableDesktopLocalSessions",)
