# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The policy core: from a host's policy (provider, plan, profile, ...) to its Claude Code
settings document, env block, purge list and data posture.

compute() is the one validation entry point of the collection: the apply action, the filters and
the drift report all call it, and nothing else decides whether a policy is good. It knows the
policy's fields, not where they came from: the caller names the variable (see PolicyError.field).

Private to this collection. Standard library only; it runs on the controller.
"""

from __future__ import annotations

import copy
import difflib
import json
import math
import re
from collections.abc import Collection
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _posture
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._errors import (
    PolicyError,
    is_vaulted,
    show,
)

COMMON_FIELDS = ("provider", "plan", "profile")
EXTRA_FIELDS = (
    "base_url",
    "lock_provider",
    "transcript_retention_days",
    "web_fetch",
    "gateway_hint_headers",
    "env",
    "settings",
    "allow_secrets",
)
POLICY_FIELDS = COMMON_FIELDS + F.PROVIDER_FIELDS + EXTRA_FIELDS
# Largest env value accepted (bytes of UTF-8). A managed file is read by every session.
MAX_VALUE_BYTES = 16384
MAX_ENV_ENTRIES = 256

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}\Z")
# What Claude Code reads: the names table (checked against the pinned CLI) and this collection's own facts.
KNOWN_ENV = _posture.KNOWN_ENV
KNOWN_SETTINGS = frozenset(F.KNOWN_SETTINGS_HERE | frozenset(N.SETTINGS_KEYS))
_PATTERNS = {
    field: re.compile(spec["pattern"])
    for record in F.PROVIDER_RECORDS.values()
    for field, spec in record["params"].items()
    if spec["kind"] == "pattern"
}


def _distance(a, b, limit):
    """Edit distance with transpositions (optimal string alignment): 'zhs' is one step from 'zsh'.
    Stops early with limit + 1 once every alignment is already further than limit."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def closest(value: Any, choices: Collection[str]) -> str | None:
    """The choice value is a near miss of: the same in another case, a typo or two away (one for
    short words), or very similar; None when there is no such choice (or value is one)."""
    if not isinstance(value, str) or not value or value in choices:
        return None
    folded = {c.lower(): c for c in choices}
    if value.lower() in folded:
        return folded[value.lower()]
    limit = 1 if len(value) <= 5 else 2
    lowered = value.lower()
    best = min(
        ((_distance(lowered, c.lower(), limit), c) for c in choices if abs(len(c) - len(value)) <= limit),
        default=(None, None),
    )
    if best[0] is not None and best[0] <= limit:
        return best[1]
    close = difflib.get_close_matches(value.lower(), list(folded), n=1, cutoff=0.9 if len(value) >= 6 else 1.0)
    return folded[close[0]] if close else None


def suggest(value: Any, choices: Collection[str]) -> str:
    """' (did you mean X?)' for a value close to one of choices, else ''."""
    meant = closest(value, choices)
    return f" (did you mean {meant}?)" if meant else ""


def near_miss(name: str, known: Collection[str]) -> str | None:
    """The known name that name almost is (another case, or a typo), or None when name is one
    of them or nobody's near miss (an organisation's own variable)."""
    if name in known:
        return None
    if len(name) < 6:  # short names are too easily near each other; only another case counts
        upper = {k.upper(): k for k in known}
        return upper.get(name.upper())
    return closest(name, known)


def _choice(policy, field, choices, default=None, required=True):
    value = policy.get(field, default)
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in choices:
        raise PolicyError(field, value, ", ".join(choices) + suggest(value, choices))
    return str(value)


def _url(policy, field):
    value = policy.get(field)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            parts = urlsplit(value)
            host = parts.hostname
        except ValueError:
            host = None
            parts = None
        if (
            parts is not None
            and parts.scheme in ("https", "http")
            and host
            and _HOSTNAME.match(host)
            and not parts.username
            and not parts.password
            and value.strip() == value
            and "\n" not in value
        ):
            return str(value)
    raise PolicyError(
        field, value, "an http(s) URL with a host name and no credentials, e.g. https://llm-gateway.example.com"
    )


def _param(policy, field, spec):
    if spec["kind"] == "url":
        return _url(policy, field)
    value = policy.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not _PATTERNS[field].match(value):
        raise PolicyError(field, value, spec["allowed"])
    return str(value)


def _coerce_env_value(name, value):
    field = f"env.{name}"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PolicyError(field, value, "a string, an integer or a finite number")
        return repr(value)
    if isinstance(value, str):
        text = str(value)
        if "\x00" in text:
            raise PolicyError(
                field, text, "text without NUL bytes", why="an environment variable cannot hold a NUL byte"
            )
        if len(text.encode("utf-8", "surrogatepass")) > MAX_VALUE_BYTES:
            raise PolicyError(field, text, "at most %d bytes" % MAX_VALUE_BYTES, why="the value is too large")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise PolicyError(field, text, "valid Unicode text", why="the value holds a lone surrogate")
        return text
    if is_vaulted(value):
        raise PolicyError(
            field, value, "a plain string", why="vaulted values are credentials; use apiKeyHelper instead of env"
        )
    raise PolicyError(field, value, "a string, an integer, a number or a boolean")


_ON = ("1", 1, True)
_OFF = ("0", 0, False)


def _switch_value(name, raw):
    """The value written for an on/off variable, from what the user wrote (quoted in refusals).

    A switch that is on for any non-empty value (DISABLE_TELEMETRY, ...) takes "1" or true and
    nothing else: "0", false (YAML no/off/false) or "" would all be read as on, or as unset. An
    ordinary boolean takes "1"/true or "0"/false. Both are written as "1" or "0"."""
    field = f"env.{name}"
    is_bool = isinstance(raw, bool)
    if any(raw == v and isinstance(raw, bool) == isinstance(v, bool) for v in _ON):
        return "1"
    if name in F.NONEMPTY_SWITCHES:
        if is_bool or raw in _OFF or (isinstance(raw, str) and raw.strip().lower() in F.FALSE_VALUES):
            raise PolicyError(
                field,
                raw,
                f'"1" (or true) to set {name}, or omit the key',
                why=f"Claude Code treats any non-empty value of {name} as set and an empty one as unset, so no "
                "value can mean 'not set'; omit the key to leave that traffic on",
            )
        raise PolicyError(
            field,
            raw,
            '"1" (or true), or omit the key',
            why='the collection writes "1" for a switch that is on for any non-empty value',
        )
    if any(raw == v and isinstance(raw, bool) == isinstance(v, bool) for v in _OFF):
        return "0"
    raise PolicyError(
        field,
        raw,
        '"1" or "0" (or true or false)',
        why=f'{name} is an on/off variable; the collection writes "1" or "0"',
    )


def check_env(env: Any, allow_secrets: bool = True) -> dict[str, str]:
    """The one check of env entries (names, values, credentials): {name: str value}, sorted.

    compute() runs it on a policy's extra env; the shell_exports filter on the env it is given."""
    if env is None:
        env = {}
    if not isinstance(env, dict):
        raise PolicyError("env", env, "a mapping of variable names to values")
    if len(env) > MAX_ENV_ENTRIES:
        raise PolicyError("env", "%d entries" % len(env), "at most %d entries" % MAX_ENV_ENTRIES)
    out = {}
    for name in sorted(env, key=str):
        raw = env[name]
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise PolicyError(
                "env",
                name,
                "names made of letters, digits and _ that do not start with a digit",
                why="not a valid environment variable name",
            )
        name = str(name)
        field = f"env.{name}"
        meant = near_miss(name, KNOWN_ENV)
        if meant:
            raise PolicyError(
                field,
                raw,
                f"{meant}, exactly as Claude Code reads it (did you mean {meant}?)",
                why=f"Claude Code does not read {name}: environment names are case-sensitive, and this one is "
                f"within a typo of {meant}",
            )
        if name in F.FORBIDDEN_ENV or name.startswith(F.FORBIDDEN_ENV_PREFIXES):
            raise PolicyError(
                field,
                raw,
                f"Claude Code variables; not {name}",
                why="it would change how every program on the host behaves",
                hide_value=True,
            )
        if name in F.SHELL_RESERVED_ENV:
            raise PolicyError(
                field,
                raw,
                f"Claude Code variables; not {name}",
                why="it is a shell's own variable: exporting it from an rc file fails or changes how the shell behaves",
                hide_value=True,
            )
        value = (
            _switch_value(name, raw)
            if name in F.NONEMPTY_SWITCHES or name in F.BOOLEAN_ENV
            else _coerce_env_value(name, raw)
        )
        if not allow_secrets and _secrets.looks_like_secret(name, value):
            raise PolicyError(
                field,
                value,
                "no credentials in env (use apiKeyHelper / awsCredentialExport), "
                "or set allow_secrets: true to write it to the managed file only",
                why="it looks like a credential",
                hide_value=True,
            )
        out[name] = value
    return out


def _check_settings_value(key, value, allow_secrets=True):
    """Check one settings value and return its plain-JSON copy (one walk: types, JSON, credentials)."""
    field = f"settings.{key}"
    if is_vaulted(value):
        raise PolicyError(
            field, value, "plain JSON data", why="vaulted values cannot be written to a world-readable settings file"
        )
    spec = _table_type(key)
    if spec is not None:
        kind, allowed = spec
        if not _type_ok(kind, value):
            raise PolicyError(field, value, allowed)
    if not allow_secrets and isinstance(value, str) and _secrets.looks_like_secret(key, value):
        raise PolicyError(
            field,
            value,
            "no credentials in settings (let apiKeyHelper, awsCredentialExport or otelHeadersHelper fetch them), "
            "or set allow_secrets: true",
            why="its key names a credential",
            hide_value=True,
        )
    return _check_json(field, value, 0, not allow_secrets)


_TYPE_WORDS = {
    "bool": "true or false",
    "int>=0": "a whole number, at least 0",
    "int>=1": "a whole number, at least 1",
    "num0..1": "a number from 0 to 1",
    "str": "a string",
    "dict": "a mapping",
    "list[str]": "a list of strings",
    "str|list[str]": "a string or a list of strings",
}


def _table_type(key):
    """(kind, description) of a settings key from the names table, or None (json: any JSON)."""
    record = N.SETTINGS_KEYS.get(key)
    if record is None or record["type"] == "json":
        return None
    kind = record["type"]
    if kind.startswith("enum:"):
        return kind, "one of " + ", ".join(kind[5:].split(","))
    if kind == "list[str]" and record.get("values"):
        return "list[enum]:" + ",".join(record["values"]), "a non-empty list of " + ", ".join(record["values"])
    return kind, _TYPE_WORDS[kind]


def _type_ok(kind, value):
    if kind == "bool":
        return isinstance(value, bool)
    if kind in ("int>=1", "int>=0"):
        return isinstance(value, int) and not isinstance(value, bool) and value >= int(kind[-1])
    if kind == "num0..1":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
    if kind == "str":
        return isinstance(value, str)
    if kind == "dict":
        return isinstance(value, dict)
    if kind == "list[str]":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "str|list[str]":
        return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
    if kind.startswith("enum:"):
        return isinstance(value, str) and value in kind[5:].split(",")
    if kind.startswith("list[enum]:"):
        allowed = kind[len("list[enum]:") :].split(",")
        return (
            isinstance(value, list)
            and bool(value)
            and len(set(map(str, value))) == len(value)
            and all(isinstance(v, str) and v in allowed for v in value)
        )
    raise ValueError(f"unknown settings type {kind!r} in _facts")  # pragma: no cover - a bug in _facts


def _check_json(field, value, depth=0, refuse_secrets=False):
    """Check that a settings value is plain JSON (no vaulted values, no NaN, string keys only)
    and, with refuse_secrets, holds no credential (settings are written to a world-readable file
    and shown in diffs). Returns a copy made of plain dict/list/str/int/float/bool/None, without
    Ansible's tagged types."""
    if depth > 32:
        raise PolicyError(field, value, "at most 32 levels of nesting")
    if value is None or value is True or value is False:
        return value
    if isinstance(value, str):
        if "\x00" in value:
            raise PolicyError(field, value, "text without NUL bytes")
        if refuse_secrets and _secrets.secret_value(value):
            raise PolicyError(
                field,
                value,
                "no credentials in settings (let apiKeyHelper or awsCredentialExport fetch them), "
                "or set allow_secrets: true",
                why="it holds what looks like a credential",
                hide_value=True,
            )
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PolicyError(field, value, "a finite number")
        return float(value)
    if isinstance(value, dict):
        out = {}
        for k, item in value.items():
            if not isinstance(k, str):
                raise PolicyError(field, k, "string keys", why="a key is not a string")
            if refuse_secrets and isinstance(item, str) and _secrets.looks_like_secret(k, item):
                raise PolicyError(
                    f"{field}.{k}",
                    item,
                    "no credentials in settings (let apiKeyHelper, awsCredentialExport or otelHeadersHelper fetch "
                    "them, or refer to a variable: Bearer ${TOKEN}), or set allow_secrets: true",
                    why="its key names a credential",
                    hide_value=True,
                )
            out[str(k)] = _check_json(f"{field}.{k}", item, depth + 1, refuse_secrets)
        return out
    if isinstance(value, (list, tuple)):
        return [_check_json("%s[%d]" % (field, i), item, depth + 1, refuse_secrets) for i, item in enumerate(value)]
    if is_vaulted(value):
        raise PolicyError(
            field, value, "plain JSON data", why="vaulted values cannot be written to a world-readable settings file"
        )
    raise PolicyError(field, value, "JSON data (strings, numbers, booleans, lists, mappings)")


def _optional_bool(policy, field):
    value = policy.get(field)
    if value is not None and not isinstance(value, bool):
        raise PolicyError(field, value, "true, false, or nothing for the profile's default")
    return value


def _provider_params(policy, provider):
    """The provider's parameters from the policy, checked against its record."""
    record = F.PROVIDER_RECORDS[provider]
    params = {}
    for _name, other in F.PROVIDER_RECORDS.items():
        for field, spec in other["params"].items():
            value = _param(policy, field, spec)
            if value is None:
                continue
            if field not in record["params"]:
                raise PolicyError(
                    field,
                    value,
                    f"nothing for provider {provider}",
                    why="it belongs to provider {}".format(" or ".join(F.FIELD_PROVIDERS[field])),
                )
            params[field] = value
    for group in record["required"]:
        if all(params.get(f) is None for f in group):
            raise PolicyError(
                group[0],
                None,
                " or ".join(group) + f" must be set for provider {provider}",
                why="missing provider parameter",
            )
    for group in record["exclusive"]:
        given = [f for f in group if params.get(f) is not None]
        if len(given) > 1:
            raise PolicyError(given[-1], params[given[-1]], "either {}, not both".format(" or ".join(group)))
    base_url = _url(policy, "base_url")
    if base_url and any(params.get(f) is not None for f in record["gateway_excludes"]):
        raise PolicyError(
            "base_url",
            base_url,
            "nothing when {} is set".format(" or ".join(record["gateway_excludes"])),
            why="for {} the gateway URL is the {}".format(record["label"], " or ".join(record["gateway_excludes"])),
        )
    return params, base_url


def _get_dotted(doc: dict[str, Any], dotted: str) -> Any:
    node: Any = doc
    for part in dotted.split(".", 1):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _joined(key: str, given: Any, profile_value: dict[str, list[str]]) -> dict[str, Any]:
    """A profile's value of a MERGED_SETTINGS key (permissions) joined with the policy's own: each of
    the profile's rule lists gets the policy's rules first, then the profile's that are not among
    them; the policy's other keys are kept as they are."""
    out = copy.deepcopy(given) if given is not None else {}
    for name, rules in profile_value.items():
        mine = out.get(name, [])
        if not isinstance(mine, list) or not all(isinstance(rule, str) for rule in mine):
            raise PolicyError(
                f"settings.{key}.{name}",
                mine,
                "a list of rules (strings)",
                why=f"the profile adds its own rules to {key}.{name}",
            )
        out[name] = mine + [rule for rule in rules if rule not in mine]
    return out


def compute(policy: Any) -> dict[str, Any]:
    """Validate a policy and return everything derived from it.

    Returns a dict with keys: policy (normalised), env (dict of str), settings (the whole managed
    settings document), rc_env (env minus credentials: what shell rc files may carry), purge
    (dotted keys the collection owns that this policy leaves unset, for a shared file), posture,
    egress (sorted host names), warnings ({field, message} for a value that is taken but is likely
    a mistake: a region not in the public list of its provider's regions). Raises PolicyError on
    any bad input.
    """
    if not isinstance(policy, dict):
        raise PolicyError("policy", policy, "a mapping with at least 'provider'")
    for key in policy:
        if key not in POLICY_FIELDS:
            raise PolicyError(str(key), policy[key], ", ".join(POLICY_FIELDS), why="unknown field")

    provider = _choice(policy, "provider", F.PROVIDERS, required=True)
    profile = _choice(policy, "profile", F.PROFILES, default="standard")
    record = F.PROVIDER_RECORDS[provider]
    profile_record = F.PROFILES[profile]
    plan = policy.get("plan")
    if record["terms"] == "plan":
        plan = _choice(policy, "plan", F.PLANS, required=True)
    elif plan is not None:
        raise PolicyError(
            "plan",
            plan,
            f"nothing (omit plan) for provider {provider}",
            why=f"plans apply to provider anthropic only; on {provider} the cloud provider's terms decide retention and training",
        )

    allow_secrets = policy.get("allow_secrets", False)
    if allow_secrets is None:
        allow_secrets = False
    if not isinstance(allow_secrets, bool):
        raise PolicyError("allow_secrets", allow_secrets, "true or false")
    params, base_url = _provider_params(policy, provider)

    # --- the env block the policy computes: the provider's, then the profile's
    env = {}
    origin = {}
    if record["switch"]:
        env[record["switch"]] = "1"
        origin[record["switch"]] = "provider"
    for field, spec in record["params"].items():
        if field in params:
            env[spec["env"]] = params[field]
            origin[spec["env"]] = "provider"
    if base_url:
        env[record["gateway_var"]] = base_url
        origin[record["gateway_var"]] = "provider"
    for var in profile_record["env"]:
        env[var] = "1"
        origin[var] = "profile"
    web_fetch = _optional_bool(policy, "web_fetch")
    if web_fetch is False:
        env[F.WEB_FETCH_SWITCH] = "1"
        origin[F.WEB_FETCH_SWITCH] = "web_fetch"
    hint_headers = _optional_bool(policy, "gateway_hint_headers")
    if hint_headers is not None:
        env[F.GATEWAY_HINT_SWITCH] = "1" if hint_headers else "0"
        origin[F.GATEWAY_HINT_SWITCH] = "gateway_hint_headers"

    # --- extra env entries: checked, then refused where they would undo the policy
    other_switches = frozenset(r["switch"] for n, r in F.PROVIDER_RECORDS.items() if r["switch"] and n != provider)
    # The variables that name this provider's endpoint belong to the policy fields: the provider
    # lock, the posture and the egress allowlist are computed from those.
    endpoint_vars = {spec["env"]: field for field, spec in record["params"].items()}
    endpoint_vars.setdefault(record["gateway_var"], "base_url")
    for name, value in check_env(policy.get("env"), allow_secrets).items():
        field = f"env.{name}"
        if name in other_switches and value != "":
            raise PolicyError(
                field, value, "set provider instead", why=f"it selects a different provider than provider={provider}"
            )
        if name in endpoint_vars and name not in env and value != "":
            raise PolicyError(
                field,
                value,
                f'"" (clears it) or leave it out; set the policy field {endpoint_vars[name]} instead',
                why=f"it names the endpoint of provider {provider}, which the provider lock, the posture and the "
                "egress allowlist take from the policy fields",
            )
        if name in F.UNSUPPORTED_PROVIDER_SWITCHES and value != "":
            raise PolicyError(
                field,
                value,
                '"" (clears it) or leave it out; providers: {}'.format(", ".join(F.PROVIDERS)),
                why=f"it selects {F.UNSUPPORTED_PROVIDER_SWITCHES[name]}, which this collection does not support (no documented endpoint or data terms)",
            )
        if name in env and env[name] != value:
            if origin[name] == "web_fetch":
                raise PolicyError(
                    field, value, "nothing here: web_fetch: false sets it", why="it conflicts with web_fetch"
                )
            if origin[name] == "gateway_hint_headers":
                raise PolicyError(
                    field,
                    value,
                    "nothing here: gateway_hint_headers sets it",
                    why="it conflicts with gateway_hint_headers",
                )
            if origin[name] == "profile":
                raise PolicyError(
                    field, value, f'"1" (set by profile {profile})', why=f"it would weaken the {profile} profile"
                )
            raise PolicyError(
                field,
                value,
                f"the value the provider fields give ({show(env[name])}); change the policy field instead",
                why=f"it conflicts with provider {provider}",
            )
        env[name] = value

    # --- settings
    extra_settings = policy.get("settings")
    if extra_settings is None:
        extra_settings = {}
    if not isinstance(extra_settings, dict):
        raise PolicyError("settings", extra_settings, "a mapping of Claude Code settings keys")
    for key in extra_settings:
        if not isinstance(key, str) or not key:
            raise PolicyError("settings", key, "string keys")
    if "env" in extra_settings:
        raise PolicyError("settings.env", extra_settings["env"], "nothing here; put variables in env")
    if "$schema" in extra_settings:
        raise PolicyError(
            "settings.$schema", extra_settings["$schema"], "nothing; the collection writes $schema itself"
        )
    for key in sorted(extra_settings):
        meant = near_miss(key, KNOWN_SETTINGS)
        if meant:
            raise PolicyError(
                f"settings.{key}",
                extra_settings[key],
                f"{meant} (did you mean {meant}?)",
                why=f"Claude Code does not read the settings key {key}; keys are case-sensitive",
            )
    plain_settings = {}
    for key in sorted(extra_settings):
        plain_settings[key] = _check_settings_value(key, extra_settings[key], allow_secrets)
    profile_settings = {}
    for key, want in profile_record["settings"].items():
        if key in F.MERGED_SETTINGS:
            profile_settings[key] = _joined(key, plain_settings.get(key), want)
        elif key in extra_settings and extra_settings[key] != want:
            raise PolicyError(
                f"settings.{key}",
                extra_settings[key],
                f"{json.dumps(want)} (set by profile {profile})",
                why=f"it would weaken the {profile} profile",
            )
        else:
            profile_settings[key] = copy.deepcopy(want)

    lock = _optional_bool(policy, "lock_provider")
    if lock is None:
        lock = profile_record["locks_provider"]
    if lock and "allowedProviders" in extra_settings:
        raise PolicyError(
            "settings.allowedProviders",
            extra_settings["allowedProviders"],
            "nothing here: lock_provider writes it",
            why=f"the {profile} profile (or lock_provider: true) locks the host to provider {provider}",
        )
    days = policy.get("transcript_retention_days")
    if days is None:
        days = profile_record["transcript_days"]
        given = [plain_settings[k] for k in F.TRANSCRIPT_KEYS if k in plain_settings]
        if days is not None and given:
            # settings.cleanupPeriodDays shorter than the profile's retention is stricter: it wins
            # for both keys; a longer one would weaken the profile (checked just below).
            days = min([days] + given)
    elif isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise PolicyError(
            "transcript_retention_days", days, "a whole number of days, at least 1 (Claude Code's own default is 30)"
        )
    if days is not None:
        for key in F.TRANSCRIPT_KEYS:
            if key in extra_settings and extra_settings[key] != days:
                raise PolicyError(
                    f"settings.{key}",
                    extra_settings[key],
                    "at most %d, or set transcript_retention_days" % days,
                    why="the %s profile keeps local transcripts %d days (transcript_retention_days sets both %s)"
                    % (profile, days, " and ".join(F.TRANSCRIPT_KEYS)),
                )

    document = {"$schema": F.SCHEMA_URL}
    document.update((str(k), plain_settings[k]) for k in extra_settings)  # the user's order
    document.update(profile_settings)
    if days is not None:
        document.update(dict.fromkeys(F.TRANSCRIPT_KEYS, int(days)))
    if lock:
        document["allowedProviders"] = [record["lock"]] + ([F.CUSTOM_ENDPOINT] if base_url else [])
    document["env"] = dict(sorted(env.items()))

    normalised = {
        "provider": provider,
        "plan": plan,
        "profile": profile,
        "allow_secrets": allow_secrets,
        "lock_provider": bool(lock),
    }
    normalised.update(params)
    if base_url:
        normalised["base_url"] = base_url
    post = _posture.posture(document, plan, profile)
    broken = _posture.broken_promise(post, profile)
    if broken:
        # What the policy adds (env, settings) turns back on what the profile keeps off.
        bare = _posture.broken_promise(compute(dict(policy, env=None, settings=None))["posture"], profile)
        for kind in (k for k in broken if k not in bare):
            extra_env = policy.get("env") or {}
            given = [f"env.{k[4:]}" for k in _posture.record_keys(kind) if k.startswith("env.") and k[4:] in extra_env]
            given += [f"settings.{k}" for k in _posture.record_keys(kind) if k in extra_settings]
            field = given[0] if given else "env"
            raise PolicyError(
                field,
                _get_dotted({"env": extra_env, "settings": extra_settings}, field),
                f"nothing that turns {F.TRAFFIC[kind]['label']} back on",
                why=f"it would weaken the {profile} profile: {post['traffic'][kind]['why']}",
            )
    # A well-formed parameter outside the public list of its values is taken (a region can be newer
    # than the list) but warned about: every prompt would go to the endpoint it names.
    warnings = []
    for field, value in params.items():
        known = F.KNOWN_PARAM_VALUES.get(field)
        if known and value not in known["values"]:
            warnings.append(
                {
                    "field": field,
                    "message": "got {}, which is not in {}{}: prompts would go to {}; a region newer than "
                    "that list is fine".format(
                        show(value), known["source"], suggest(value, sorted(known["values"])), post["model_endpoint"]
                    ),
                }
            )
    purge = [f"env.{name}" for name in sorted(F.OWNED_ENV) if name not in document["env"]]
    purge += [key for key in sorted(F.OWNED_SETTINGS) if key not in document]
    return {
        "policy": normalised,
        "env": document["env"],
        "settings": document,
        "rc_env": {k: v for k, v in document["env"].items() if not _secrets.looks_like_secret(k, v)},
        "purge": purge,
        "posture": post,
        "egress": post["egress"],
        "warnings": warnings,
    }
