# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Claude Code on a host will actually apply: the managed sources the module read, merged the
way Claude Code merges them, the posture of that effective state, and how it compares with the
intended one.

The effective posture is judged from the merged document the same way as the intended one
(_posture.posture): the provider from its switch, each kind of optional traffic from its record in
_facts.TRAFFIC. No policy is rebuilt from the host's env.

Private to this collection. Standard library only; runs on the controller (the apply action).
The merge rules and their sources are in _facts (MERGE_*, CROSS_SOURCE_KEYS, CLI_VERSION_FACTS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _checksum, _posture
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F

# The data-handling values whose origin the report states: every env variable and settings key a
# posture reads.
DATA_ENV = tuple(sorted(_posture.POSTURE_ENV))


def _merge_value(key: str, old: Any, new: Any) -> Any:
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


def _record_origins(doc: Mapping[str, Any], path: str, origins: dict[str, str], prefix: str = "") -> None:
    for key, value in doc.items():
        name = prefix + key
        if isinstance(value, dict) and key not in F.MERGE_REPLACED_KEYS and value:
            _record_origins(value, path, origins, name + ".")
        else:
            origins[name] = path


def merge(sources: Sequence[Mapping[str, Any]]) -> tuple[dict[str, Any], dict[str, str], list[tuple[Any, Any, Any]]]:
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


def evaluate(
    intended_policy: Mapping[str, Any],
    intended_posture: Mapping[str, Any],
    intended_document: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The effective state of a host against its intended one.

    Returns {"settings", "checksum", "values", "posture", "weaker", "broken", "mcp_servers"}:
    checksum is what Claude Code sends a gateway for these settings (_checksum.checksum); values maps each
    data-handling key that is set to {"value", "file"}; posture is None when the effective env
    names no model endpoint for its provider; weaker lists the controls the effective state leaves
    weaker than intended, each naming the file and key responsible; broken lists the managed
    sources Claude Code cannot use (it refuses to start when one is unparseable); mcp_servers names
    the servers of managed-mcp.json."""
    settings, origins, problems = merge(sources)
    env = settings.get("env") if isinstance(settings.get("env"), dict) else {}
    # Claude Code reads a value that is not a string as JavaScript's String(value) does.
    env = {str(k): _checksum.js_string(v) for k, v in env.items()}
    effective_doc = dict(settings, env=env)
    provider = _posture.provider_of(env)
    try:
        post = _posture.posture(effective_doc, intended_policy.get("plan"), intended_policy.get("profile"))
    except ValueError:  # the provider's endpoint (or, for Anthropic, the plan) cannot be told from the host
        post = None
    values = {}
    for name in DATA_ENV:
        if name in env:
            values["env." + name] = {"value": env[name], "file": origins.get("env." + name)}
    for key in _posture.POSTURE_SETTINGS:
        if key in settings:
            values[key] = {"value": settings[key], "file": _origin(origins, key)}

    weaker = []
    ours = [s["path"] for s in sources if s.get("ours")]
    if (
        post is None
        or post["provider"] != intended_posture["provider"]
        or post["model_endpoint"] != intended_posture["model_endpoint"]
    ):
        # The switch that selects another provider, or the intended one that is missing or cleared.
        switch = (
            F.PROVIDER_RECORDS[provider]["switch"] if provider != intended_posture["provider"] else None
        ) or F.PROVIDER_RECORDS[intended_posture["provider"]]["switch"]
        key = "env." + switch if switch else "env"
        weaker.append(
            {
                "control": "provider",
                "intended": "{} at {}".format(intended_posture["provider"], intended_posture["model_endpoint"]),
                "effective": ("{} at {}".format(post["provider"], post["model_endpoint"]))
                if post
                else f"{provider} (endpoint unknown)",
                "file": origins.get(key) or (ours[0] if ours else None),
                "key": key,
            }
        )
    if post is not None:
        for control, entry in intended_posture["traffic"].items():
            if entry["enabled"] or not post["traffic"][control]["enabled"]:
                continue
            key = _responsible_key(control, intended_document)
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
    # The lock is read from the settings, so a host whose endpoint cannot be told still shows it.
    lock, now = intended_posture.get("provider_lock") or {}, _posture.provider_lock(settings)
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
    # A source past the module's bounds (status unread) is one Claude Code reads and the module did
    # not: what it sets is not known, so the host is not judged compliant (broken lists it).
    # What Claude Code sends a gateway as x-claude-code-managed-settings-checksum; none when a
    # source is broken (it refuses to start) or there is no managed settings source.
    loaded = dict(settings, env=env) if isinstance(settings.get("env"), dict) else settings
    return {
        "settings": effective_doc,
        "checksum": _checksum.checksum(loaded) if settings and not problems else None,
        "values": values,
        "posture": post,
        "weaker": weaker,
        "broken": broken,
        "mcp_servers": mcp,
    }


def problem_text(entry: Mapping[str, Any]) -> str:
    """One line about a source in `broken`, for the rollout's warnings and the drift report."""
    if entry.get("status") == "unread":
        return "the effective state on this host is not known: {} was not read ({})".format(
            entry.get("file"), entry.get("error")
        )
    return "Claude Code will refuse to start on this host: {} is {} ({})".format(
        entry.get("file"), entry.get("status"), entry.get("error")
    )


def _origin(origins: Mapping[str, str], key: str) -> str | None:
    """The file that set key last: its own origin, or for a mapping (permissions) that of the last of
    its keys merged in."""
    if key in origins:
        return origins[key]
    inner = [path for name, path in origins.items() if name.startswith(key + ".")]
    return inner[-1] if inner else None


def _responsible_key(control: str, intended: Mapping[str, Any]) -> str:
    """The key to name for a kind of traffic the intended document turns off and the effective one
    does not: the first of its record's off switches that is on in the intended document (all of
    them are off in the effective one), else its first switch."""
    switches = F.TRAFFIC[control]["off"]
    used = [s for s in switches if _posture.switch_on(s, intended)] or list(switches)
    return _posture.switch_key(used[0])


def _get(doc: Mapping[str, Any], key: str) -> Any:
    node = doc
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _version_tuple(text: Any) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in str(text).split("."))
    except ValueError:
        return None


def cli_warnings(cli: Mapping[str, Any] | None, profile: str, sources: Sequence[Mapping[str, Any]]) -> list[str]:
    """Warnings for a CLI older than a version a control of this host relies on (CLI_VERSION_FACTS):
    the facts that always apply, those of drop-ins when there are any, and those of the profile and
    of every profile it implies."""
    if not cli:
        return []
    have = _version_tuple(cli.get("version")) if cli.get("version") else None
    if have is None:
        return ["the Claude Code CLI at {}: its version could not be read".format(cli.get("path"))]
    dropins = any(s.get("kind") == "dropin" and s.get("status") != "ignored" for s in sources)
    relevant = {"always"} | ({"dropins"} if dropins else set()) | F.profile_and_implied(profile)
    warnings = []
    for what, oldest, source, applies in F.CLI_VERSION_FACTS:
        if applies not in relevant:
            continue
        if have < _version_tuple(oldest):
            warnings.append(
                "Claude Code {} is older than {}, the first version in which {} ({})".format(
                    cli["version"], oldest, what, source
                )
            )
    return warnings
