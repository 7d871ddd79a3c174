# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Claude Code on a host will actually apply: the managed sources the module read, merged the
way Claude Code merges them, the posture of that effective state, and how it compares with the
intended one.

Private to this collection. Standard library only; runs on the controller (the apply action).
The merge rules and their sources are in _facts (MERGE_*, CLI_VERSION_FACTS).
"""

from __future__ import annotations

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _posture

# The settings keys (besides env) the posture reads, and the env variables: the data-handling
# values whose origin the report states.
POSTURE_SETTINGS = _posture.POSTURE_SETTINGS
_PROVIDER_ENV = tuple(
    sorted(
        set(
            [r["switch"] for r in F.PROVIDER_RECORDS.values() if r["switch"]]
            + [p["env"] for r in F.PROVIDER_RECORDS.values() for p in r["params"].values()]
            + [r["gateway_var"] for r in F.PROVIDER_RECORDS.values()]
        )
    )
)
DATA_ENV = tuple(sorted(set(_posture.POSTURE_ENV) | set(_PROVIDER_ENV)))

# Which keys can turn each kind of optional traffic off (what the posture reads, in _posture).
CONTROL_KEYS = {
    "telemetry": ("env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "env.DISABLE_TELEMETRY", "env.DO_NOT_TRACK"),
    "error_reporting": ("env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "env.DISABLE_ERROR_REPORTING"),
    "nonessential_traffic": ("env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",),
    "webfetch_check": ("skipWebFetchPreflight", "env.CLAUDE_CODE_DISABLE_WEB_FETCH"),
    "auto_updates": ("env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "env.DISABLE_UPDATES", "env.DISABLE_AUTOUPDATER"),
    "feedback_upload": (
        "env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
        "env.DISABLE_FEEDBACK_COMMAND",
        "env.DISABLE_BUG_COMMAND",
    ),
    "surveys": (
        "env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
        "env.CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
        "env.DISABLE_TELEMETRY",
        "env.DO_NOT_TRACK",
        "feedbackSurveyRate",
    ),
    "marketplace_autoinstall": ("env.CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",),
    "claude_ai_connectors": ("disableClaudeAiConnectors", "env.ENABLE_CLAUDEAI_MCP_SERVERS"),
    "artifacts": ("enableArtifact", "disableArtifact", "env.CLAUDE_CODE_DISABLE_ARTIFACT"),
    "docs_lookup": ("env.CLAUDE_CODE_DISABLE_WEB_FETCH",),
}


def _merge_value(key, old, new):
    if key in F.MERGE_REPLACED_KEYS:
        return new
    if isinstance(old, dict) and isinstance(new, dict):
        out = dict(old)
        for k, v in new.items():
            if key in F.MERGE_REPLACED_ENTRIES or k not in out:
                out[k] = v
            else:
                out[k] = _merge_value(k, out[k], v)
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = list(old)
        for item in new:
            if item not in out:
                out.append(item)
        return out
    return new


def _record_origins(doc, path, origins, prefix=""):
    for key, value in doc.items():
        name = prefix + key
        if isinstance(value, dict) and key not in F.MERGE_REPLACED_KEYS and value:
            _record_origins(value, path, origins, name + ".")
        else:
            origins[name] = path


def merge(sources):
    """(settings, origins, problems) of the file-based managed sources, merged in their read order.

    origins maps dotted keys (env.DISABLE_TELEMETRY, skipWebFetchPreflight) to the file that set
    them last. problems lists the sources Claude Code cannot use: (path, status, error)."""
    settings, origins, problems = {}, {}, []
    plist = None
    for source in sources:
        status = source.get("status")
        if source.get("kind") == "mcp" or status == "ignored":
            continue
        if status != "ok":
            problems.append((source["path"], status, source.get("error")))
            continue
        content = source.get("content") or {}
        if source.get("kind") == "plist":
            plist = source
            continue
        for key, value in content.items():
            settings[key] = _merge_value(key, settings[key], value) if key in settings else value
        _record_origins(content, source["path"], origins)
    if plist and plist.get("content"):
        # First-wins: the MDM policy replaces the file's for every key but env (merged per variable).
        # allowedProviders acts across sources: both lists apply, so their intersection does (2.1.285).
        content = plist["content"]
        env = dict(settings.get("env") or {})
        env.update(content.get("env") or {})
        kept = {k: settings[k] for k in F.CROSS_SOURCE_KEYS if k in settings}
        origins = {k: v for k, v in origins.items() if k.startswith("env.") or k in kept}
        settings = {k: v for k, v in content.items() if k != "env"}
        for key, value in kept.items():
            if key in settings and isinstance(settings[key], list) and isinstance(value, list):
                settings[key] = [v for v in value if v in settings[key]]
            elif key not in settings:
                settings[key] = value
        settings["env"] = env
        _record_origins(
            {k: v for k, v in content.items() if k not in kept or k not in settings}, plist["path"], origins
        )
    return settings, origins, problems


def _effective_policy(intended, env):
    """The policy the effective env block describes: provider by its switch, parameters by their
    variables. The plan cannot be seen on a host: the intended one is kept."""
    provider = "anthropic"
    for name, record in F.PROVIDER_RECORDS.items():
        if record["switch"] and _posture.is_truthy(env.get(record["switch"])):
            provider = name
            break
    record = F.PROVIDER_RECORDS[provider]
    policy = {
        "provider": provider,
        "plan": intended.get("plan") if provider == "anthropic" else None,
        "profile": intended.get("profile"),
        "allow_secrets": intended.get("allow_secrets", False),
    }
    for field, spec in record["params"].items():
        if env.get(spec["env"]):
            policy[field] = env[spec["env"]]
    if env.get(record["gateway_var"]) and not any(policy.get(f) for f in record["gateway_excludes"]):
        policy["base_url"] = env[record["gateway_var"]]
    return policy


def _shown(value):
    return "on" if value else "off"


def evaluate(intended_policy, intended_posture, intended_document, sources):
    """The effective state of a host against its intended one.

    Returns {"settings", "values", "posture", "weaker", "broken", "mcp"}: values maps each
    data-handling key that is set to {"value", "file"}; weaker lists the controls the effective
    state leaves weaker than intended, each naming the file and key responsible; broken lists the
    managed sources Claude Code cannot use (it refuses to start when one is unparseable)."""
    settings, origins, problems = merge(sources)
    env = settings.get("env") if isinstance(settings.get("env"), dict) else {}
    env = {str(k): v if isinstance(v, str) else str(v) for k, v in env.items()}
    effective_doc = dict(settings, env=env)
    policy = _effective_policy(intended_policy, env)
    try:
        post = _posture.posture(policy, effective_doc)
    except (KeyError, ValueError):  # a provider parameter the endpoint needs is not set on the host
        post = None
    values = {}
    for name in DATA_ENV:
        if name in env:
            values["env." + name] = {"value": env[name], "file": origins.get("env." + name)}
    for key in POSTURE_SETTINGS:
        if key in settings:
            values[key] = {"value": settings[key], "file": origins.get(key)}

    weaker = []
    ours = [s["path"] for s in sources if s.get("ours")]
    if (
        post is None
        or post["provider"] != intended_posture["provider"]
        or post["model_endpoint"] != intended_posture["model_endpoint"]
    ):
        # The switch that selects another provider, or the intended one that is missing or cleared.
        switch = (
            F.PROVIDER_RECORDS[policy["provider"]]["switch"]
            if policy["provider"] != intended_posture["provider"]
            else None
        ) or F.PROVIDER_RECORDS[intended_posture["provider"]]["switch"]
        key = "env." + switch if switch else "env"
        weaker.append(
            {
                "control": "provider",
                "intended": "{} at {}".format(intended_posture["provider"], intended_posture["model_endpoint"]),
                "effective": ("{} at {}".format(post["provider"], post["model_endpoint"]))
                if post
                else "{} (endpoint unknown)".format(policy["provider"]),
                "file": origins.get(key) or (ours[0] if ours else None),
                "key": key,
            }
        )
    if post is not None:
        for control, entry in intended_posture["traffic"].items():
            if entry["enabled"] or not post["traffic"][control]["enabled"]:
                continue
            # The keys the intended document uses to turn this off, and where they stand now.
            keys = [k for k in CONTROL_KEYS[control] if _has(intended_document, k)] or list(CONTROL_KEYS[control][:1])
            key = keys[0]
            weaker.append(
                {
                    "control": control,
                    "intended": "off",
                    "effective": "on",
                    "file": origins.get(key) or (ours[0] if ours else None),
                    "key": key,
                    "found": _get(effective_doc, key),
                }
            )
    lock, now = intended_posture.get("provider_lock") or {}, (post or {}).get("provider_lock") or {}
    if lock.get("locked") and not (now.get("locked") and set(now["allowed"]) <= set(lock["allowed"])):
        weaker.append(
            {
                "control": "provider_lock",
                "intended": "allowedProviders " + ", ".join(lock["allowed"]),
                "effective": ("allowedProviders " + ", ".join(now["allowed"])) if now.get("locked") else "not locked",
                "file": origins.get("allowedProviders") or (ours[0] if ours else None),
                "key": "allowedProviders",
                "found": settings.get("allowedProviders"),
            }
        )
    mcp = []
    for source in sources:
        if source.get("kind") == "mcp" and source.get("status") == "ok":
            servers = (source.get("content") or {}).get("mcpServers") or {}
            mcp.extend(sorted(servers) if isinstance(servers, dict) else [])
    broken = [{"file": path, "status": status, "error": error} for path, status, error in problems]
    return {
        "settings": effective_doc,
        "values": values,
        "posture": post,
        "weaker": weaker,
        "broken": broken,
        "mcp_servers": mcp,
    }


def _has(doc, key):
    return _get(doc, key) is not None


def _get(doc, key):
    node = doc
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _version_tuple(text):
    try:
        return tuple(int(p) for p in str(text).split("."))
    except ValueError:
        return None


def cli_warnings(cli, profile, sources):
    """Warnings for a CLI older than a version a control of this host relies on (CLI_VERSION_FACTS)."""
    if not cli:
        return []
    have = _version_tuple(cli.get("version")) if cli.get("version") else None
    if have is None:
        return ["the Claude Code CLI at {}: its version could not be read".format(cli.get("path"))]
    dropins = any(s.get("kind") == "dropin" and s.get("status") != "ignored" for s in sources)
    warnings = []
    for what, oldest, source, applies in F.CLI_VERSION_FACTS:
        if applies == "dropins" and not dropins:
            continue
        if (
            applies not in ("always", "dropins")
            and applies != profile
            and not (applies == "private" and profile == "airgapped")
        ):
            continue
        if have < _version_tuple(oldest):
            warnings.append(
                "Claude Code {} is older than {}, the first version in which {} ({})".format(
                    cli["version"], oldest, what, source
                )
            )
    return warnings
