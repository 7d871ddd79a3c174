# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Claude Code on a host will actually apply, judged the way the CLI judges it: the managed
sources the module read (plugins/module_utils/_sources.py, which reads each file as the CLI reads
it), each field checked against the CLI's schema, merged and composed the way the CLI merges and
composes them; whether it starts at all, on which provider and endpoint; the posture of that
effective state, and how it compares with the intended one.

Every rule, with the executable's code that states it and the recorded runs of the oldest
supported, the pinned and the newest CLI, is in docs/claude-code-rules.md;
tests/unit/test_judge_matches_cli.py runs this judge on every recorded case
(tests/data/cli_cases.json) and compares its verdict with the CLI's.

The effective posture is judged from the merged document the same way as the intended one
(_posture.posture): the provider from its switch, each kind of optional traffic from its record in
_facts.TRAFFIC. No policy is rebuilt from the host's env.

Private to this collection. Standard library only; runs on the controller (the apply action).
The merge and composition rules and their sources are in _facts (MERGE_*, SOURCES_*,
DEEP_DOCUMENT_CRASH, CLI_VERSION_FACTS); the CLI's field types in cli_names.json (_names).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _checksum, _posture
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N

# The data-handling values whose origin the report states: every env variable and settings key a
# posture reads.
DATA_ENV = tuple(sorted(_posture.POSTURE_ENV))
_STRICTEST = re.compile(F.SOURCES_STRICTEST)
_SAFE_INTEGER = 2**53 - 1
# The problems for which Claude Code reads nothing of a file.
SKIPPED = ("too-large", "not-regular", "directory", "unreadable")
# The first words of every reason a host is broken for.
REFUSES = "Claude Code will refuse to start on this host: "
# What the CLI prints for each kind of problem it lists under "Invalid settings" (2.1.332).
PROBLEM_TEXT = {
    "too-large": "Claude Code skips it: larger than 2 MiB (File exceeds maxBytes limit)",
    "not-regular": "Claude Code skips it: not a regular file (a device, FIFO or socket)",
    "directory": "Claude Code skips it: a directory (EISDIR)",
    "unreadable": "Claude Code skips it: the account that runs Claude Code cannot read it",
    "schema": "Claude Code ignores this field: its value fails the CLI's schema (Failed schema validation)",
    "allowlist-emptied": "Claude Code enforces an empty allowlist: the value is not a list of provider names",
    "nesting": "Claude Code ignores what is nested more than 64 levels deep under this key",
    "link-outside": "reached through a link that leads outside the managed folder (Claude Code warns)",
}


def version_tuple(text: Any) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in str(text).split("."))
    except ValueError:
        return None


def _at_least(version: str | None, floor: str) -> bool:
    """version >= floor; an unknown version is taken as the pinned one."""
    have = version_tuple(version) if version else None
    return (have or version_tuple(N.PINNED_CLI_VERSION)) >= version_tuple(floor)


# JavaScript's String(value): what z.coerce.string() makes of an env value (docs/claude-code-rules.md,
# section 9): 1 -> "1", true -> "true", null -> "null", [] -> "", {} -> "[object Object]".
js_string = _checksum.js_string


# ------------------------------------------------------------------------ the CLI's schema


def fits(value: Any, schema: Mapping[str, Any] | None) -> bool:
    """Whether value passes a field's schema as cli_names.json records it (JSON Schema words for
    the CLI's zod schema): type, enum, anyOf, items, additionalProperties, the numeric bounds.
    Numbers are JavaScript's: a finite double; an integer also a safe one."""
    if not schema:
        return True
    if "anyOf" in schema and not any(fits(value, option) for option in schema["anyOf"]):
        return False
    if "enum" in schema and not any(type(e) is type(value) and e == value for e in schema["enum"]):
        return False
    kind = schema.get("type")
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        if kind == "integer" and (float(value) != math.floor(value) or abs(value) > _SAFE_INTEGER):
            return False
        bounds = (
            ("minimum", lambda b: value >= b),
            ("maximum", lambda b: value <= b),
            ("exclusiveMinimum", lambda b: value > b),
            ("exclusiveMaximum", lambda b: value < b),
        )
        return all(test(schema[name]) for name, test in bounds if name in schema)
    if kind == "object":
        if not isinstance(value, dict):
            return False
        inner = schema.get("additionalProperties")
        return not isinstance(inner, dict) or all(fits(v, inner) for v in value.values())
    if kind == "array":
        if not isinstance(value, list):
            return False
        inner = schema.get("items")
        return not isinstance(inner, dict) or all(fits(v, inner) for v in value)
    return True


def _problem(path: str, key: str | None, kind: str, detail: str | None = None) -> dict[str, Any]:
    text = PROBLEM_TEXT[kind] + (f" ({detail})" if detail else "")
    return {"file": path, "key": key, "kind": kind, "message": text}


def check_fields(doc: Mapping[str, Any], path: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The document as the CLI's schema keeps it, and what it lists as invalid (section 9): env
    values are made strings (an env that is not an object is dropped); allowedProviders that is
    not a list of strings becomes [] (unknown names are dropped silently); any other field that
    fails its schema is dropped whole, so an earlier file's value stays. A key the CLI does not
    know is kept, unread."""
    kept: dict[str, Any] = {}
    problems = []
    for key, value in doc.items():
        if key == "env":
            if isinstance(value, dict):
                kept[key] = {str(name): js_string(item) for name, item in value.items()}
            else:
                problems.append(_problem(path, key, "schema", "env must be an object"))
        elif key == "allowedProviders":
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                kept[key] = [item for item in value if item in N.ALLOWED_PROVIDERS]
            else:
                kept[key] = []
                problems.append(_problem(path, key, "allowlist-emptied"))
        else:
            record = N.SETTINGS_KEYS.get(key)
            if record is not None and not fits(value, record.get("cli")):
                problems.append(_problem(path, key, "schema"))
            else:
                kept[key] = value
    return kept, problems


# ------------------------------------------------------------------------ one source


def load(source: Mapping[str, Any], cli_version: str | None = None) -> dict[str, Any]:
    """What the CLI of cli_version makes of one source the module read: {"state": loaded (with
    settings) | skipped | fatal | crash | none, "problems": [...]} (sections 1-9)."""
    path, kind, status = source.get("path"), source.get("kind"), source.get("status")
    problems = []
    if kind == "main" and source.get("outside") and _at_least(cli_version, F.LINK_OUTSIDE_WARNED_FROM):
        problems.append(_problem(path, None, "link-outside", "it leads to " + str(source["outside"])))
    if status == "ignored":
        return {"state": "none", "problems": problems}
    if status == "unread":  # past the module's bounds: Claude Code reads it, what it sets is not known
        return {"state": "unread", "problems": problems, "error": source.get("error")}
    if status in ("skipped", "unreadable"):
        reason = source.get("reason") or "unreadable"
        if kind == "folder" and not str(path).endswith("/" + L.DROPIN_DIR):
            # The managed folder itself is closed to the account: the CLI warns about the drop-in
            # folder and managed-mcp.json it cannot stat (the main file has its own entry).
            paths = [path + "/" + L.DROPIN_DIR, path + "/" + L.MANAGED_MCP_FILE]
        else:
            paths = [path]
        detail = source.get("error") if reason == "unreadable" else None  # the others say it all
        problems += [_problem(p, None, reason, detail) for p in paths]
        return {"state": "skipped" if kind not in ("mcp", "folder") else "none", "problems": problems}
    if kind in ("mcp", "folder"):
        return {"state": "none", "problems": problems}
    if status != "ok":
        return {"state": "fatal", "problems": problems, "error": source.get("error")}
    depth = source.get("depth") or 0
    if kind in ("main", "dropin"):
        crash = F.DEEP_DOCUMENT_CRASH
        if not _at_least(cli_version, crash["before"]):
            if depth > crash["depth"]:
                return {"state": "crash", "problems": problems, "depth": depth}
        else:
            problems += [_problem(path, key, "nesting") for key in source.get("cut") or []]
    settings, invalid = check_fields(source.get("content") or {}, path)
    return {"state": "loaded", "settings": settings, "problems": problems + invalid}


# ------------------------------------------------------------------------ merging


def _primitive_key(value: Any) -> tuple | None:
    """How a JavaScript Set tells values apart: primitives by type and value, an object never
    equals another."""
    if value is None or isinstance(value, (bool, str)):
        return (type(value).__name__, value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    return None


def _union(items: list) -> list:
    out, seen = [], set()
    for item in items:
        key = _primitive_key(item)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(item)
    return out


def _merge_value(key: str, old: Any, new: Any) -> Any:
    """One key of a later file over an earlier one (section 10; 2.1.332's customizer)."""
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
        return _union(old + new)
    return new


def _record_origins(
    doc: Mapping[str, Any], path: str, origins: dict[str, str], prefix: str = "", whole: bool = False
) -> None:
    """origins of doc's values (dotted keys -> path), merged over origins as doc is merged: a value
    replaced whole (MERGE_REPLACED_KEYS, an entry of MERGE_REPLACED_ENTRIES, a scalar or list)
    takes the origins of what it replaced."""
    for key, value in doc.items():
        name = prefix + key
        if isinstance(value, dict) and value and not whole and key not in F.MERGE_REPLACED_KEYS:
            _record_origins(value, path, origins, name + ".", key in F.MERGE_REPLACED_ENTRIES)
        else:
            for old in [n for n in origins if n.startswith(name + ".")]:
                del origins[old]
            origins[name] = path


def merge(
    sources: Sequence[Mapping[str, Any]], cli_version: str | None = None
) -> tuple[dict[str, Any], dict[str, str], list[dict[str, Any]]]:
    """(settings, origins, problems) of the file-based managed sources (the main file, then the
    drop-ins), each checked and merged in their read order as the CLI does.

    origins maps dotted keys (env.DISABLE_TELEMETRY, skipWebFetchPreflight) to the file that set
    them last. problems: what the CLI lists as invalid ({file, key, kind, message}); the sources
    it cannot load at all (fatal, crash) are in load()'s states, not here."""
    settings: dict[str, Any] = {}
    origins: dict[str, str] = {}
    problems: list[dict[str, Any]] = []
    for source in sources:
        if source.get("kind") not in ("main", "dropin", "mcp", "folder"):
            continue
        state = load(source, cli_version)
        problems += state["problems"]
        if state["state"] != "loaded":
            continue
        content = state["settings"]
        for key, value in content.items():
            settings[key] = _merge_value(key, settings[key], value) if key in settings else value
        _record_origins(content, source["path"], origins)
    return settings, origins, problems


def _has_policy(doc: Mapping[str, Any]) -> bool:
    return any(key not in F.SOURCES_NO_POLICY_KEYS for key in doc)


def _mdm_source(
    plists: Sequence[Mapping[str, Any]], cli_version: str | None
) -> tuple[Mapping[str, Any] | None, dict | None, list, list]:
    """(the plist that is the MDM source, its load(), problems, fatal plists) among plists in read
    order (section 14, 2.1.332's reader): the first with policy content wins; a plist an account
    can change (held) counts only while no earlier plist failed to load or held content."""
    problems, fatal = [], []
    earlier = False
    for plist in plists:
        writable = bool(plist.get("held"))
        if writable and earlier:
            continue
        state = load(plist, cli_version)
        problems += state["problems"]
        if state["state"] == "loaded" and _has_policy(state["settings"]):
            return plist, state, problems, fatal
        if state["state"] == "fatal":
            if writable:
                problems.append(_problem(plist["path"], None, "unreadable", state.get("error")))
            else:
                fatal.append({"file": plist["path"], "error": state.get("error")})
        if not writable and (
            state["state"] == "fatal" or (state["state"] == "loaded" and _has_policy(state["settings"]))
        ):
            earlier = True
    return None, None, problems, fatal


def _get_path(doc: Mapping[str, Any], dotted: str) -> tuple[bool, Any]:
    node: Any = doc
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _set_path(doc: dict[str, Any], dotted: str, value: Any, present: bool) -> None:
    parts = dotted.split(".")
    node = doc
    for part in parts[:-1]:
        if not isinstance(node.get(part), dict):
            if not present:
                return
            node[part] = {}
        node[part] = dict(node[part])
        node = node[part]
    if present:
        node[parts[-1]] = value
    else:
        node.pop(parts[-1], None)


def compose(
    file_settings: Mapping[str, Any],
    file_origins: Mapping[str, str],
    mdm: Mapping[str, Any] | None,
    mdm_path: str | None,
) -> tuple[dict[str, Any], dict[str, str], str]:
    """(settings, origins, behavior) of the managed tier: the file (with its drop-ins) and the MDM
    plist, under the managedSourcesBehavior of the highest of them (section 13; _facts SOURCES_*).
    Server-managed settings, above both, cannot be seen from a host."""
    if mdm is None:
        behavior = file_settings.get("managedSourcesBehavior") or "first-wins"
        return dict(file_settings), dict(file_origins), behavior
    behavior = mdm.get("managedSourcesBehavior") or "first-wins"
    mdm_origins: dict[str, str] = {}
    _record_origins(mdm, mdm_path or "", mdm_origins)
    env = dict(file_settings.get("env") or {})
    env.update(mdm.get("env") or {})
    if behavior != "merge":
        # first-wins: the plist is the tier alone, but env merges per variable (2.1.223).
        settings = {k: v for k, v in mdm.items() if k not in ("env", "managedSourcesBehavior")}
        origins = {k: v for k, v in file_origins.items() if k.startswith("env.")}
        origins.update(mdm_origins)
    else:
        settings = {k: v for k, v in file_settings.items() if k != "env"}
        for key, value in mdm.items():
            if key == "env":
                continue
            settings[key] = _merge_value(key, settings[key], value) if key in settings else value
        origins = dict(file_origins)
        origins.update(mdm_origins)
        for dotted in F.SOURCES_HIGHEST_OWNS + F.SOURCES_HIGHEST_ONLY:
            in_mdm, value = _get_path(mdm, dotted)
            if in_mdm:
                _set_path(settings, dotted, value, True)
            elif dotted in F.SOURCES_HIGHEST_ONLY:
                _set_path(settings, dotted, None, False)
                for name in [n for n in origins if n == dotted or n.startswith(dotted + ".")]:
                    del origins[name]
            elif _get_path(file_settings, dotted)[0]:
                _set_path(settings, dotted, _get_path(file_settings, dotted)[1], True)
        for key in set(file_settings) | set(mdm):
            if _STRICTEST.match(key) and (file_settings.get(key) is True or mdm.get(key) is True):
                settings[key] = True
                origins[key] = mdm_path if mdm.get(key) is True else file_origins.get(key, mdm_path or "")
    if env or "env" in file_settings or "env" in mdm:
        settings["env"] = env
    return settings, origins, behavior


# ------------------------------------------------------------------------ provider and endpoint


def route(env: Mapping[str, str]) -> dict[str, Any]:
    """The provider an env selects and where its requests go: {"provider" (the collection's name),
    "lock" (its allowedProviders name), "variable" and "url" of the endpoint when one is set,
    "custom": the URL is not the provider's own service over https}."""
    provider = _posture.provider_of(env)
    record = F.PROVIDER_RECORDS[provider]
    names = [record["gateway_var"]] + [p["env"] for p in record["params"].values() if p["kind"] == "url"]
    variable = next((name for name in names if env.get(name)), None)
    url = env.get(variable) if variable else None
    custom = False
    if url:
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower()
        except ValueError:
            parts, host = None, ""
        custom = not (parts and parts.scheme == "https" and re.match(record["service_hosts"], host))
    return {"provider": provider, "lock": record["lock"], "variable": variable, "url": url, "custom": custom}


def _label(lock: str) -> str:
    for record in F.PROVIDER_RECORDS.values():
        if record["lock"] == lock:
            return record["label"]
    return lock


def refusal(
    settings: Mapping[str, Any], env: Mapping[str, str], managed_env: Mapping[str, str], origins: Mapping[str, str]
) -> dict[str, Any] | None:
    """Why Claude Code refuses to start under the merged allowedProviders (section 11), or None:
    {"reason", "file", "key"}. env is the session's (shell and managed), managed_env the managed
    one: a custom endpoint must also be pinned there."""
    if "allowedProviders" not in settings:
        return None
    allowed = list(settings.get("allowedProviders") or [])
    where = origins.get("allowedProviders") or _origin(origins, "allowedProviders")
    shown = "allowedProviders [{}] ({})".format(", ".join(allowed), where or "managed settings")
    if not [a for a in allowed if a != F.CUSTOM_ENDPOINT]:
        return {
            "reason": f"{shown} allows no API provider at all",
            "file": where,
            "key": "allowedProviders",
        }
    way = route(env)
    switch = F.PROVIDER_RECORDS[way["provider"]]["switch"]
    chosen = "{} ({})".format(
        _label(way["lock"]),
        f"env.{switch} in {origins.get('env.' + switch) or 'the shell'}" if switch else "the default provider",
    )
    if way["lock"] not in allowed:
        return {
            "reason": f"its provider is {chosen}, which {shown} does not allow",
            "file": origins.get("env." + switch) if switch else where,
            "key": ("env." + switch) if switch else "allowedProviders",
        }
    if way["custom"]:
        pinned = managed_env.get(way["variable"]) == way["url"]
        found = "env.{} = {} ({})".format(
            way["variable"], way["url"], origins.get("env." + way["variable"]) if pinned else "the shell"
        )
        if F.CUSTOM_ENDPOINT not in allowed:
            return {
                "reason": f"its endpoint {found} is not {_label(way['lock'])}'s own service over https and "
                f'{shown} does not list "{F.CUSTOM_ENDPOINT}"',
                "file": origins.get("env." + way["variable"]) if pinned else where,
                "key": "env." + way["variable"],
            }
        if not pinned:
            return {
                "reason": f"its endpoint {found} is not pinned in the managed env, which {shown} requires for "
                f'"{F.CUSTOM_ENDPOINT}"',
                "file": where,
                "key": "env." + way["variable"],
            }
    return None


# ------------------------------------------------------------------------ the CLI's view


def state(
    sources: Sequence[Mapping[str, Any]],
    cli_version: str | None = None,
    shell_env: Mapping[str, str] | None = None,
    user: str | None = None,
) -> dict[str, Any]:
    """What Claude Code (cli_version; unknown: the pinned one) does with sources, for user (a
    per-user MDM plist applies to that account only; None: every account without one):

    settings (the managed tier, env values as strings), origins (dotted key -> file), env (the
    session's: shell_env under the managed env), problems (what the CLI lists as invalid settings:
    {file, key, kind, message}), fatal ([{file, error}]: unparseable, Claude Code stops), crash
    ({file, depth} or None), unread ([{file, error}]: sources past the module's bounds, whose effect
    is not known), refusal (refusal() or None), starts, held ([{file, who}]: files or
    folders an account other than root can change), behavior (managedSourcesBehavior), mdm (the
    plist in effect or None), route (route() of env)."""
    files = [s for s in sources if s.get("kind") in ("main", "dropin", "mcp", "folder")]
    settings, origins, problems = merge(files, cli_version)
    fatal, crash = [], None
    unread = [{"file": s["path"], "error": s.get("error")} for s in sources if s.get("status") == "unread"]
    for source in files:
        if source.get("kind") in ("main", "dropin"):
            loaded = load(source, cli_version)
            if loaded["state"] == "fatal":
                fatal.append({"file": source["path"], "error": source.get("error")})
            elif loaded["state"] == "crash" and crash is None:
                crash = {"file": source["path"], "depth": loaded["depth"]}
    plists = [s for s in sources if s.get("kind") == "plist-user" and s.get("user") == user and user is not None]
    plists += [s for s in sources if s.get("kind") == "plist"]
    mdm, mdm_state, mdm_problems, mdm_fatal = _mdm_source(plists, cli_version)
    problems += mdm_problems
    fatal += mdm_fatal
    settings, origins, behavior = compose(
        settings, origins, mdm_state["settings"] if mdm_state else None, mdm["path"] if mdm else None
    )
    managed_env = dict(settings.get("env") or {})
    env = {str(k): str(v) for k, v in (shell_env or {}).items()}
    env.update(managed_env)
    refused = None if fatal or crash else refusal(settings, env, managed_env, origins)
    held = [{"file": s["path"], "who": s["held"]} for s in sources if s.get("held") and s.get("kind") != "plist-user"]
    held += [{"file": s["path"], "who": s["held"]} for s in plists if s.get("held") and s.get("kind") == "plist-user"]
    return {
        "settings": settings,
        "origins": origins,
        "env": env,
        "problems": problems,
        "fatal": fatal,
        "crash": crash,
        "refusal": refused,
        "starts": not fatal and crash is None and refused is None,
        "unread": unread,
        "held": held,
        "behavior": behavior,
        "mdm": mdm["path"] if mdm else None,
        "route": route(env),
    }


def policy_helper(settings: Mapping[str, Any], origins: Mapping[str, str]) -> dict[str, Any] | None:
    """The policy helper the managed settings configure ({"key", "file"}), or None. What it
    answers cannot be seen from the host (the posture's not_visible says so)."""
    key = next((name for name in F.POLICY_HELPER_KEYS if name in settings), None)
    return {"key": key, "file": _origin(origins, key)} if key else None


# ------------------------------------------------------------------------ the judgement


def evaluate(
    intended_policy: Mapping[str, Any],
    intended_posture: Mapping[str, Any],
    intended_document: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
    cli_version: str | None = None,
    shell_env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The effective state of a host against its intended one, as Claude Code (cli_version) will
    have it.

    Returns {"settings", "checksum", "values", "posture", "weaker", "broken", "problems", "starts",
    "provider", "policy_helper", "behavior", "mdm", "mcp_servers"}: checksum is what Claude Code
    sends a gateway for these settings (_checksum.checksum); values maps each data-handling key that
    is set to {"value", "file"}; posture is None when the effective env names no model endpoint for
    its provider; weaker lists the controls the effective state leaves weaker than intended, each
    naming the file and key responsible (and a file or folder an account other than root can
    change: "a user can change this policy"); broken what stops Claude Code from starting, or keeps
    the host's state from being known ({file, key, status, error, reason}: an unparseable source, a
    crash, a provider outside allowedProviders, a source past the module's bounds); problems what it
    skips or ignores with a warning; provider {name, endpoint, custom}; policy_helper the one
    configured ({key, file}; its answer cannot be seen from the host); mcp_servers the servers of
    managed-mcp.json. A per-user MDM plist adds that account's broken and weaker entries, with
    "user"."""
    view = state(sources, cli_version, shell_env)
    out = _judge_view(view, intended_policy, intended_posture, intended_document, sources)
    users = sorted({s.get("user") for s in sources if s.get("kind") == "plist-user" and s.get("user")})
    for user in users:
        other = state(sources, cli_version, shell_env, user)
        if other["mdm"] == view["mdm"]:
            continue
        theirs = _judge_view(other, intended_policy, intended_posture, intended_document, sources)
        out["broken"] += [dict(b, user=user) for b in theirs["broken"] if b not in out["broken"]]
        out["weaker"] += [dict(w, user=user) for w in theirs["weaker"] if w not in out["weaker"]]
        out["problems"] += [p for p in theirs["problems"] if p not in out["problems"]]
    mcp = []
    for source in sources:
        if source.get("kind") == "mcp" and source.get("status") == "ok":
            servers = (source.get("content") or {}).get("mcpServers") or {}
            mcp.extend(sorted(servers) if isinstance(servers, dict) else [])
    out["mcp_servers"] = mcp
    return out


def _judge_view(
    view: Mapping[str, Any],
    intended_policy: Mapping[str, Any],
    intended_posture: Mapping[str, Any],
    intended_document: Mapping[str, Any],
    sources: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    settings, origins = view["settings"], view["origins"]
    env = dict(settings.get("env") or {})
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
    for problem in view["problems"]:
        if problem["file"] in ours and problem["kind"] in SKIPPED:
            weaker.append(
                {
                    "control": "source",
                    "intended": "read by Claude Code",
                    "effective": "skipped",
                    "file": problem["file"],
                    "key": "(file)",
                    "found": problem["message"],
                }
            )
    for entry in view["held"]:
        weaker.append(
            {
                "control": "held",
                "intended": "only root can change it",
                "effective": "a user can change this policy",
                "file": entry["file"],
                "key": "(owner and mode)",
                "found": entry["who"],
            }
        )
    broken = []
    for entry in view["fatal"]:
        broken.append(
            {
                "file": entry["file"],
                "key": None,
                "status": "unparseable",
                "error": entry["error"],
                "reason": "{}{} is unparseable ({})".format(REFUSES, entry["file"], entry["error"]),
            }
        )
    if view["crash"]:
        crash = view["crash"]
        broken.append(
            {
                "file": crash["file"],
                "key": None,
                "status": "crash",
                "error": "nested %d levels deep" % crash["depth"],
                "reason": "{}{} nests a value {} levels deep, which Claude Code before {} cannot copy (RangeError: "
                "Maximum call stack size exceeded)".format(
                    REFUSES, crash["file"], crash["depth"], F.DEEP_DOCUMENT_CRASH["before"]
                ),
            }
        )
    if view["refusal"]:
        refused = view["refusal"]
        broken.append(
            {
                "file": refused["file"],
                "key": refused["key"],
                "status": "refused",
                "error": refused["reason"],
                "reason": REFUSES + refused["reason"],
            }
        )
    for entry in view["unread"]:
        item = {"file": entry["file"], "key": None, "status": "unread", "error": entry["error"]}
        broken.append(dict(item, reason=problem_text(item)))
    way = view["route"]
    return {
        "settings": effective_doc,
        # What Claude Code sends a gateway as x-claude-code-managed-settings-checksum (_checksum);
        # none when it does not start or a source is not known, or with no managed settings at all.
        "checksum": _checksum.checksum(settings) if settings and not broken else None,
        "values": values,
        "posture": post,
        "weaker": weaker,
        "broken": broken,
        "problems": list(view["problems"]),
        "starts": view["starts"],
        "provider": {"name": way["provider"], "endpoint": way["url"], "custom": way["custom"]},
        "policy_helper": policy_helper(settings, origins),
        "behavior": view["behavior"],
        "mdm": view["mdm"],
    }


def problem_text(entry: Mapping[str, Any]) -> str:
    """One line about an entry of `broken`, for the rollout's warnings and the drift report."""
    if entry.get("reason"):
        return str(entry["reason"])
    if entry.get("status") == "unread":
        return "the effective state on this host is not known: {} was not read ({})".format(
            entry.get("file"), entry.get("error")
        )
    return "{}{} is {} ({})".format(REFUSES, entry.get("file"), entry.get("status"), entry.get("error"))


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


def cli_warnings(cli: Mapping[str, Any] | None, profile: str, sources: Sequence[Mapping[str, Any]]) -> list[str]:
    """Warnings for a CLI older than a version a control of this host relies on (CLI_VERSION_FACTS):
    the facts that always apply, those of drop-ins when there are any, and those of the profile and
    of every profile it implies."""
    if not cli:
        return []
    have = version_tuple(cli.get("version")) if cli.get("version") else None
    if have is None:
        return ["the Claude Code CLI at {}: its version could not be read".format(cli.get("path"))]
    dropins = any(s.get("kind") == "dropin" and s.get("status") != "ignored" for s in sources)
    relevant = {"always"} | ({"dropins"} if dropins else set()) | F.profile_and_implied(profile)
    warnings = []
    for what, oldest, source, applies in F.CLI_VERSION_FACTS:
        if applies not in relevant:
            continue
        if have < version_tuple(oldest):
            warnings.append(
                "Claude Code {} is older than {}, the first version in which {} ({})".format(
                    cli["version"], oldest, what, source
                )
            )
    return warnings
