# -*- coding: utf-8 -*-
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The policy core: from a host's policy (provider, plan, profile, ...) to its Claude Code
settings, its data posture and its egress allowlist.

Private to this collection. Standard library only: the module ships this file to targets and
the filter plugins import it on the controller, so both compute with the very same code.
"""

from __future__ import annotations

import json
import marshal
import math
import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _facts as F

__metaclass__ = type

POLICY_FIELDS = (
    "provider", "plan", "profile",
    "aws_region", "vertex_project_id", "vertex_region", "foundry_resource", "foundry_base_url",
    "base_url", "env", "settings", "allow_secrets",
)
# Largest env value accepted (bytes of UTF-8). A managed file is read by every session.
MAX_VALUE_BYTES = 16384
MAX_ENV_ENTRIES = 256

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\Z")
_SECRET_NAME = re.compile(F.SECRET_NAME_PATTERN)
_SECRET_VALUE = re.compile(F.SECRET_VALUE_PATTERN)
_AWS_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\Z")
_VERTEX_REGION = re.compile(r"^(global|[a-z]+|[a-z]+-[a-z]+[0-9]{1,2})\Z")
_GCP_PROJECT = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]\Z")
_AZURE_RESOURCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}[A-Za-z0-9]\Z")
_HOSTNAME = re.compile(r"^[A-Za-z0-9.-]{1,253}\Z")
_FALSY = frozenset(("", "0", "false", "no", "off", "n", "f"))
# Per provider: the other providers' switch variables (an env entry may not select one of them).
_OTHER_SWITCHES = dict((provider, frozenset(v for v in F.PROVIDER_SWITCH.values() if v and v != F.PROVIDER_SWITCH[provider]))
                       for provider in F.PROVIDERS)

# Names that would change how every program or shell on the host behaves. A Claude Code policy
# has no business setting them, and rc exports would hand them to every login.
FORBIDDEN_ENV = frozenset((
    "PATH", "HOME", "SHELL", "USER", "LOGNAME", "IFS", "ENV", "BASH_ENV", "PS1", "PS4",
    "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "CDPATH", "LD_PRELOAD", "LD_LIBRARY_PATH",
    "LD_AUDIT", "NODE_OPTIONS", "PYTHONPATH", "PYTHONSTARTUP", "PERL5OPT", "RUBYOPT",
    "ZDOTDIR", "XDG_CONFIG_HOME", "TMPDIR",
))
_FORBIDDEN_PREFIX = ("DYLD_", "LD_", "BASH_FUNC_")
# The shells' own variables. Exporting one from an rc file fails or does something else: zsh stops
# reading the file at a read-only one (ARGC, status, path, ...; everything after it is lost), dash
# exits on OPTIND=text, fish refuses PWD or SHLVL, bash silently keeps RANDOM or LINENO. Others make
# an interactive shell run code: prompts (PS0, PROMPT, RPROMPT...) and function/module search paths.
# tests/reliability/test_shell_quoting.py asks the installed shells for their variables and checks
# that every one the policy accepts round-trips in dash, bash, zsh and fish.
SHELL_RESERVED_ENV = frozenset((
    # bash
    "BASHPID", "BASH_ALIASES", "BASH_ARGC", "BASH_ARGV", "BASH_ARGV0", "BASH_CMDS", "BASH_COMMAND",
    "BASH_LINENO", "BASH_SOURCE", "BASH_SUBSHELL", "BASH_VERSINFO", "BASH_XTRACEFD", "DIRSTACK", "EPOCHREALTIME",
    "EPOCHSECONDS", "EUID", "GROUPS", "HISTCMD", "LINENO", "OPTIND", "PPID", "RANDOM", "SECONDS", "SHLVL",
    "SRANDOM", "UID", "PS0", "PS2", "PS3", "GLOBIGNORE", "EXECIGNORE", "COLUMNS", "LINES", "LC_ALL", "_",
    # zsh
    "ARGC", "EGID", "FUNCNEST", "GID", "HISTCHARS", "HISTSIZE", "KEYBOARD_HACK", "KEYTIMEOUT", "LISTMAX",
    "MAILCHECK", "SAVEHIST", "TRY_BLOCK_ERROR", "TRY_BLOCK_INTERRUPT", "TTYIDLE", "USERNAME", "WATCH",
    "ZSH_EVAL_CONTEXT", "ZSH_SUBSHELL", "FPATH", "MODULE_PATH", "PROMPT", "PROMPT2", "PROMPT3", "PROMPT4",
    "RPROMPT", "RPROMPT2", "RPS1", "RPS2", "SPROMPT", "aliases", "argv", "builtins", "cdpath", "commands",
    "dirstack", "dis_aliases", "dis_builtins", "dis_functions", "dis_functions_source", "dis_galiases",
    "dis_patchars", "dis_reswords", "dis_saliases", "fignore", "fpath", "funcfiletrace", "funcsourcetrace",
    "funcstack", "functions", "functions_source", "functrace", "galiases", "histchars", "history",
    "historywords", "jobdirs", "jobstates", "jobtexts", "keymaps", "mailpath", "manpath", "module_path",
    "modules", "nameddirs", "options", "parameters", "patchars", "path", "pipestatus", "psvar", "reswords",
    "saliases", "signals", "status", "termcap", "terminfo", "userdirs", "usergroups", "watch", "widgets",
    "zsh_eval_context", "zsh_scheduled_events",
    # fish
    "FISH_VERSION", "PWD", "fish_kill_signal", "fish_killring", "fish_pid", "hostname", "status_generation",
    "umask", "version", "fish_user_paths", "fish_function_path", "fish_complete_path",
))


class PolicyError(ValueError):
    """Bad input. One message naming the field, what was given and what is allowed."""

    def __init__(self, field, given, allowed, why=None, hide_value=False):
        self.field = field
        self.given = given
        self.allowed = allowed
        if isinstance(given, str) and (_SECRET_VALUE.search(given) or (field.startswith("env.") and _SECRET_NAME.search(field[4:]))):
            hide_value = True  # never echo what looks like a credential, whatever the error
        shown = "(value hidden)" if hide_value else _show(given)
        role_var = "claude_code_" + field.split(".", 1)[0].split("[", 1)[0]
        msg = "field '%s' (role variable %s): got %s" % (field, role_var, shown)
        if why:
            msg += "; " + why
        if allowed:
            msg += "; allowed: " + allowed
        self.message = msg
        ValueError.__init__(self, msg)


def _show(value):
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "%s (a boolean)" % ("true" if value else "false")
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return json.dumps(text, ensure_ascii=True)
    tname = type(value).__name__
    if _is_vaulted(value):
        return "a vault-encrypted value"
    if isinstance(value, (dict, list, tuple)):
        return "a %s" % ("mapping" if isinstance(value, dict) else "list")
    if isinstance(value, (int, float)):  # tagged Ansible numbers print their plain type name
        return "%r (%s)" % (value, "int" if isinstance(value, int) else "float")
    return "a %s" % tname


def _is_vaulted(value):
    name = type(value).__name__
    return "Vault" in name or "Encrypted" in name


def _choice(policy, field, choices, default=None, required=True):
    value = policy.get(field, default)
    if value is None and not required:
        return None
    if not isinstance(value, str) or value not in choices:
        raise PolicyError(field, value, ", ".join(choices))
    return str(value)


def _pattern(policy, field, regex, allowed):
    value = policy.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or not regex.match(value):
        raise PolicyError(field, value, allowed)
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
        if (parts is not None and parts.scheme in ("https", "http") and host and _HOSTNAME.match(host)
                and not parts.username and not parts.password and value.strip() == value
                and "\n" not in value):
            return str(value)
    raise PolicyError(field, value, "an http(s) URL with a host name and no credentials, e.g. https://llm-gateway.example.com")


# What credential-looking values become in backups, diffs, drift and reports.
MASK = "********"


def mask_secrets(text):
    """Text with every credential-looking value (by pattern) replaced by MASK."""
    return _SECRET_VALUE.sub(MASK, text)


def url_host(url):
    return urlsplit(url).hostname


def looks_like_secret(name, value=""):
    """True when an env entry looks like a credential, by its name or by its value."""
    return bool(_SECRET_NAME.search(name)) or bool(value and _SECRET_VALUE.search(value))


# looks_like_secret() of (name, value) pairs of plain strings: the same few pairs come back for
# every host (DISABLE_TELEMETRY=1, AWS_REGION=...), and the two regular expressions are the most
# expensive step of compute(). Bounded: cleared when full.
_SECRET_SEEN = {}
_SECRET_SEEN_MAX = 8192


def _secretish(name, value):
    """looks_like_secret() for an env name and value, both text (compute() made them str)."""
    key = (name, value)
    found = _SECRET_SEEN.get(key)
    if found is None:
        found = looks_like_secret(name, value)
        if len(_SECRET_SEEN) >= _SECRET_SEEN_MAX:
            _SECRET_SEEN.clear()
        _SECRET_SEEN[key] = found
    return found


def _is_truthy(value):
    return value is not None and value.strip().lower() not in _FALSY


def _coerce_env_value(name, value):
    field = "env.%s" % name
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
            raise PolicyError(field, text, "text without NUL bytes", why="an environment variable cannot hold a NUL byte")
        if len(text.encode("utf-8", "surrogatepass")) > MAX_VALUE_BYTES:
            raise PolicyError(field, text, "at most %d bytes" % MAX_VALUE_BYTES, why="the value is too large")
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise PolicyError(field, text, "valid Unicode text", why="the value holds a lone surrogate")
        return text
    if _is_vaulted(value):
        raise PolicyError(field, value, "a plain string", why="vaulted values are credentials; use apiKeyHelper instead of env")
    raise PolicyError(field, value, "a string, an integer, a number or a boolean")


def _check_settings_value(key, value, allow_secrets=True):
    """Check one settings value and return its plain-JSON copy (one walk: types, JSON, credentials)."""
    field = "settings.%s" % key
    if _is_vaulted(value):
        raise PolicyError(field, value, "plain JSON data",
                          why="vaulted values cannot be written to a world-readable settings file")
    spec = F.SETTINGS_TYPES.get(key)
    if spec is not None:
        kind, allowed = spec
        ok = False
        if kind == "bool":
            ok = isinstance(value, bool)
        elif kind == "int>=1":
            ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        elif kind == "num0..1":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1
        elif kind == "str":
            ok = isinstance(value, str)
        elif kind == "dict":
            ok = isinstance(value, dict)
        elif kind == "list[str]":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif kind == "str|list[str]":
            ok = isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        elif kind.startswith("enum:"):
            ok = isinstance(value, str) and value in kind[5:].split(",")
        if not ok:
            raise PolicyError(field, value, allowed)
    return _check_json(field, value, 0, not allow_secrets)


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
        if refuse_secrets and _SECRET_VALUE.search(value):
            raise PolicyError(field, value, "no credentials in settings (let apiKeyHelper or awsCredentialExport fetch them), "
                              "or set allow_secrets: true", why="it holds what looks like a credential", hide_value=True)
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
            out[str(k)] = _check_json("%s.%s" % (field, k), item, depth + 1, refuse_secrets)
        return out
    if isinstance(value, (list, tuple)):
        return [_check_json("%s[%d]" % (field, i), item, depth + 1, refuse_secrets) for i, item in enumerate(value)]
    if _is_vaulted(value):
        raise PolicyError(field, value, "plain JSON data", why="vaulted values cannot be written to a world-readable settings file")
    raise PolicyError(field, value, "JSON data (strings, numbers, booleans, lists, mappings)")


# compute() results by policy, for the many hosts of a fleet that share one policy. The key is the
# policy's marshal serialisation: marshal takes only exact built-in types (a subclass, a vaulted or
# any other object raises ValueError, and such a policy is computed every time), keeps dict order,
# and tells True from 1, 1 from 1.0 and 0.0 from -0.0, a list from a tuple: two policies with the
# same key are the same value, so they have the same result. Only results are kept (errors are
# raised afresh), and every caller gets its own copy (_fresh) that it may change freely.
_MEMO = {}
_MEMO_MAX = 2048


def _clear_memo():
    """Forget every memoised result (the benchmark's first-sight figure; tests)."""
    _MEMO.clear()
    _POSTURES.clear()
    _SECRET_SEEN.clear()


def compute(policy):
    """Validate a policy and return everything derived from it.

    Returns a dict with keys: policy (normalised), env (dict of str), settings (the whole managed
    settings document), rc_env (env minus credentials: what shell rc files may carry), posture,
    egress (sorted host names). Raises PolicyError on any bad input. The result is the caller's
    own: changing it changes nothing else.
    """
    try:
        key = marshal.dumps(policy, 2)  # version 2: no back-references, so a value always gives the same bytes
    except (ValueError, TypeError):  # not plain data: not memoised
        key = None
    if key is not None:
        known = _MEMO.get(key)
        if known is not None:
            return _fresh(known)
    result = _compute(policy)  # its posture may be shared with _POSTURES: hand out a copy only
    if key is not None:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = result
    return _fresh(result)


_CONTAINERS = (dict, list)


def _copy_data(value):
    """A copy of JSON-like data made of dicts and lists (only the containers are copied)."""
    if isinstance(value, dict):
        return {k: (_copy_data(v) if isinstance(v, _CONTAINERS) else v) for k, v in value.items()}
    return [(_copy_data(v) if isinstance(v, _CONTAINERS) else v) for v in value]


def _fresh(result):
    """A copy of a compute() result sharing no mutable part with it (strings and numbers are
    immutable), with the same structure: env is settings['env'] and egress is posture['egress']."""
    env = dict(result["env"])
    settings = {k: (_copy_data(v) if isinstance(v, _CONTAINERS) else v) for k, v in result["settings"].items()}
    settings["env"] = env
    post = dict(result["posture"])
    post["traffic"] = {name: {"enabled": entry["enabled"], "why": entry["why"], "hosts": entry["hosts"][:]}
                       for name, entry in post["traffic"].items()}
    post["reaches_anthropic"] = post["reaches_anthropic"][:]
    post["notes"] = post["notes"][:]
    egress = post["egress"] = post["egress"][:]
    return {"policy": dict(result["policy"]), "env": env, "settings": settings, "rc_env": dict(result["rc_env"]),
            "posture": post, "egress": egress}


def _compute(policy):
    if not isinstance(policy, dict):
        raise PolicyError("policy", policy, "a mapping with at least 'provider'")
    for key in policy:
        if key not in POLICY_FIELDS:
            raise PolicyError(str(key), policy[key], ", ".join(POLICY_FIELDS), why="unknown field")

    provider = _choice(policy, "provider", F.PROVIDERS, required=True)
    profile = _choice(policy, "profile", F.PROFILES, default="standard")
    plan = policy.get("plan")
    if provider == "anthropic":
        plan = _choice(policy, "plan", F.PLANS, required=True)
    elif plan is not None:
        raise PolicyError("plan", plan, "nothing (omit plan) for provider %s" % provider,
                          why="plans apply to provider anthropic only; on %s the cloud provider's terms decide retention and training" % provider)

    allow_secrets = policy.get("allow_secrets", False)
    if allow_secrets is None:
        allow_secrets = False
    if not isinstance(allow_secrets, bool):
        raise PolicyError("allow_secrets", allow_secrets, "true or false")

    params = {
        "aws_region": _pattern(policy, "aws_region", _AWS_REGION, "an AWS region such as us-east-1"),
        "vertex_region": _pattern(policy, "vertex_region", _VERTEX_REGION, "a Vertex AI region such as global, us-east5 or europe-west1"),
        "vertex_project_id": _pattern(policy, "vertex_project_id", _GCP_PROJECT, "a Google Cloud project ID (6-30 lowercase letters, digits, hyphens)"),
        "foundry_resource": _pattern(policy, "foundry_resource", _AZURE_RESOURCE, "an Azure resource name (letters, digits, hyphens)"),
        "foundry_base_url": _url(policy, "foundry_base_url"),
        "base_url": _url(policy, "base_url"),
    }
    for field in ("aws_region", "vertex_region", "vertex_project_id", "foundry_resource", "foundry_base_url"):
        if params[field] is not None and field not in F.PROVIDER_PARAMS[provider]:
            raise PolicyError(field, params[field], "nothing for provider %s" % provider,
                              why="it belongs to another provider")
    for group in F.PROVIDER_REQUIRED[provider]:
        if all(params[f] is None for f in group):
            raise PolicyError(group[0], None, " or ".join(group) + " must be set for provider %s" % provider,
                              why="missing provider parameter")
    if provider == "foundry":
        if params["foundry_resource"] and params["foundry_base_url"]:
            raise PolicyError("foundry_base_url", params["foundry_base_url"], "either foundry_resource or foundry_base_url, not both")
        if params["base_url"] and (params["foundry_resource"] or params["foundry_base_url"]):
            raise PolicyError("base_url", params["base_url"], "nothing when foundry_resource or foundry_base_url is set",
                              why="for Foundry the gateway URL is the Foundry base URL")

    # --- the env block the policy computes
    env = {}
    origin = {}
    switch = F.PROVIDER_SWITCH[provider]
    if switch:
        env[switch] = "1"
        origin[switch] = "provider"
    for field, var in F.PROVIDER_PARAMS[provider].items():
        if params[field] is not None:
            env[var] = params[field]
            origin[var] = "provider"
    if params["base_url"]:
        env[F.GATEWAY_VAR[provider]] = params["base_url"]
        origin[F.GATEWAY_VAR[provider]] = "provider"
    for var in F.PROFILE_ENV[profile]:
        env[var] = "1"
        origin[var] = "profile"

    # --- extra env entries
    extra = policy.get("env")
    if extra is None:
        extra = {}
    if not isinstance(extra, dict):
        raise PolicyError("env", extra, "a mapping of variable names to values")
    if len(extra) > MAX_ENV_ENTRIES:
        raise PolicyError("env", "%d entries" % len(extra), "at most %d entries" % MAX_ENV_ENTRIES)
    other_switches = _OTHER_SWITCHES[provider]
    for name in sorted(extra, key=str):
        raw = extra[name]
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise PolicyError("env", name, "names made of letters, digits and _ that do not start with a digit",
                              why="not a valid environment variable name")
        name = str(name)
        field = "env.%s" % name
        if name in FORBIDDEN_ENV or name.startswith(_FORBIDDEN_PREFIX):
            raise PolicyError(field, raw, "Claude Code variables; not %s" % name,
                              why="it would change how every program on the host behaves", hide_value=True)
        _refuse_shell_reserved(name, raw)
        value = _coerce_env_value(name, raw)
        if not allow_secrets and _secretish(name, value):
            raise PolicyError(field, value, "no credentials in env (use apiKeyHelper / awsCredentialExport), "
                              "or set allow_secrets: true to write it to the managed file only",
                              why="it looks like a credential", hide_value=True)
        if name in other_switches and value != "":
            raise PolicyError(field, value, "set provider instead", why="it selects a different provider than provider=%s" % provider)
        if name in F.NONEMPTY_SWITCHES and value.strip().lower() in _FALSY:
            raise PolicyError(field, value, "\"1\", or omit the key",
                              why="Claude Code treats any non-empty value as ON and an empty one as unset, so %s cannot mean "
                                  "'enabled'; omit the key to leave the traffic on" % _show(value))
        if name in env and env[name] != value:
            if origin[name] == "profile":
                raise PolicyError(field, value, "\"1\" (set by profile %s)" % profile,
                                  why="it would weaken the %s profile" % profile)
            raise PolicyError(field, value, "the value the provider fields give (%s); change the policy field instead" % _show(env[name]),
                              why="it conflicts with provider %s" % provider)
        env[name] = value
        origin.setdefault(name, "env")

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
        raise PolicyError("settings.$schema", extra_settings["$schema"], "nothing; the collection writes $schema itself")
    plain_settings = {}
    for key in sorted(extra_settings):
        plain_settings[key] = _check_settings_value(key, extra_settings[key], allow_secrets)
    for key, want in F.PROFILE_SETTINGS[profile].items():
        if key in extra_settings and extra_settings[key] != want:
            raise PolicyError("settings.%s" % key, extra_settings[key], "%s (set by profile %s)" % (json.dumps(want), profile),
                              why="it would weaken the %s profile" % profile)

    document = {"$schema": F.SCHEMA_URL}
    document.update((str(k), plain_settings[k]) for k in extra_settings)  # the user's order
    document.update(F.PROFILE_SETTINGS[profile])
    document["env"] = dict(sorted(env.items()))

    normalised = {
        "provider": provider, "plan": plan, "profile": profile, "allow_secrets": allow_secrets,
    }
    normalised.update({k: v for k, v in params.items() if v is not None})
    rc_env = {k: v for k, v in document["env"].items() if not _secretish(k, v)}
    post = _posture_of(normalised, document)
    return {
        "policy": normalised,
        "env": document["env"],
        "settings": document,
        "rc_env": rc_env,
        "posture": post,
        "egress": post["egress"],
    }


def purge_keys(policy):
    """Dotted keys the collection manages in a shared (merge mode) file that this policy leaves
    unset: removing them makes a profile or provider change take effect in merge mode."""
    result = compute(policy)
    env, doc = result["env"], result["settings"]
    keys = ["env.%s" % name for name in sorted(F.OWNED_ENV) if name not in env]
    keys += [key for key in sorted(F.OWNED_SETTINGS) if key not in doc]
    return keys


def _model_endpoint(policy):
    provider = policy["provider"]
    base = policy.get("base_url") or policy.get("foundry_base_url")
    if base:
        return url_host(base), True
    if provider == "anthropic":
        return F.HOST_API, False
    if provider == "bedrock":
        return F.BEDROCK_ENDPOINT.format(region=policy["aws_region"]), False
    if provider == "vertex":
        region = policy["vertex_region"]
        if region == "global":
            return F.VERTEX_GLOBAL_ENDPOINT, False
        return F.VERTEX_ENDPOINT.format(region=region), False
    return F.FOUNDRY_ENDPOINT.format(resource=policy["foundry_resource"]), False


# The optional traffic a posture lists, in order, with how "reaches_anthropic" names it.
_TRAFFIC_LABELS = (
    ("telemetry", "usage telemetry"),
    ("error_reporting", "error reports"),
    ("nonessential_traffic", "non-essential checks (feature flags, release notes, model discovery)"),
    ("webfetch_check", "WebFetch domain safety check (host names only)"),
    ("auto_updates", "update checks and downloads"),
    ("feedback_upload", "/feedback transcripts"),
    ("surveys", "session-quality survey ratings"),
    ("marketplace_autoinstall", "official plugin marketplace auto-install"),
)


# Postures by everything _posture() reads: the normalised policy, the env block and two settings.
# Hosts with different settings or credentials mostly share one. Never handed out (compute copies).
_POSTURES = {}


# The env variables a posture depends on. _posture() sees only these (so a posture cannot depend
# on a variable missing here), and hosts that differ in other variables share one posture.
_POSTURE_ENV = (
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY", "DO_NOT_TRACK", "DISABLE_ERROR_REPORTING",
    "DISABLE_AUTOUPDATER", "DISABLE_UPDATES", "DISABLE_FEEDBACK_COMMAND", "DISABLE_BUG_COMMAND",
    "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY", "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",
    "CLAUDE_CODE_ENABLE_TELEMETRY", "OTEL_EXPORTER_OTLP_ENDPOINT",
)


def _posture_of(normalised, document):
    env = document["env"]
    seen = tuple((name, env[name]) for name in _POSTURE_ENV if name in env)
    skip_preflight = document.get("skipWebFetchPreflight") is True
    survey_rate_zero = document.get("feedbackSurveyRate") == 0
    key = (tuple(normalised.items()), seen, skip_preflight, survey_rate_zero)
    post = _POSTURES.get(key)
    if post is None:
        post = _posture(normalised, dict(seen), skip_preflight, survey_rate_zero)
        if len(_POSTURES) >= _MEMO_MAX:
            _POSTURES.clear()
        _POSTURES[key] = post
    return post


def _posture(policy, env, skip_preflight, survey_rate_zero):
    provider, plan = policy["provider"], policy["plan"]

    def on(name):
        value = env.get(name)
        if name in F.NONEMPTY_SWITCHES:
            return bool(value)
        return _is_truthy(value)

    third_party = provider != "anthropic"
    endpoint, gateway = _model_endpoint(policy)
    nonessential = on("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")
    no_track = on("DO_NOT_TRACK")
    traffic = {}

    def item(name, enabled, why, hosts):
        traffic[name] = {"enabled": enabled, "why": why, "hosts": sorted(hosts) if enabled else []}

    if nonessential or on("DISABLE_TELEMETRY") or no_track:
        item("telemetry", False, "off: " + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY", "DO_NOT_TRACK")), ())
    elif third_party:
        item("telemetry", False, "off: default for %s" % F.PROVIDER_LABELS[provider], ())
    else:
        item("telemetry", True, "on: default on the Claude API (set DISABLE_TELEMETRY=1 or profile private)", (F.HOST_TELEMETRY,))

    if nonessential or on("DISABLE_ERROR_REPORTING"):
        item("error_reporting", False, "off: " + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_ERROR_REPORTING")), ())
    elif third_party:
        item("error_reporting", False, "off: default for %s" % F.PROVIDER_LABELS[provider], ())
    elif gateway:
        item("error_reporting", False, "off: default when not connected directly to the Claude API", ())
    elif plan in F.ERROR_REPORTING_DEFAULT_PLANS:
        why = "on: default for Pro/Max sign-ins"
        if on("DISABLE_TELEMETRY"):
            why += " (DISABLE_TELEMETRY alone is not a documented off switch for error reports; set DISABLE_ERROR_REPORTING=1)"
        item("error_reporting", True, why, (F.HOST_ERRORS,))
    else:
        item("error_reporting", False, "off: default for %s plans" % plan, ())

    if nonessential:
        item("nonessential_traffic", False, "off: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", ())
    else:
        item("nonessential_traffic", True,
             "on: release notes, feature flags, model discovery and similar checks (set CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 or profile airgapped)",
             (F.HOST_API, F.HOST_RELEASE_NOTES))

    if skip_preflight:
        item("webfetch_check", False, "off: skipWebFetchPreflight is true (pair it with WebFetch(domain:...) permission rules)", ())
    else:
        item("webfetch_check", True, "on: WebFetch sends each URL's host name to Anthropic before fetching, under every provider "
             "(set skipWebFetchPreflight or profile airgapped)", (F.HOST_API,))

    if nonessential or on("DISABLE_AUTOUPDATER") or on("DISABLE_UPDATES"):
        item("auto_updates", False, "off: " + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_UPDATES", "DISABLE_AUTOUPDATER"))
             + " (the fleet owns upgrades)", ())
    else:
        item("auto_updates", True, "on: background update checks and downloads", F.HOSTS_UPDATES)

    if third_party:
        item("feedback_upload", False, "off: /feedback writes a local archive on %s" % F.PROVIDER_LABELS[provider], ())
    elif plan == "enterprise_zdr":
        item("feedback_upload", False, "off: disabled by Zero Data Retention", ())
    elif nonessential or on("DISABLE_FEEDBACK_COMMAND") or on("DISABLE_BUG_COMMAND"):
        item("feedback_upload", False,
             "off: " + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_FEEDBACK_COMMAND", "DISABLE_BUG_COMMAND")), ())
    else:
        item("feedback_upload", True, "on: /feedback uploads the session transcript (kept 5 years)", (F.HOST_API,))

    survey_off = [n for n in ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY", "DISABLE_TELEMETRY") if on(n)]
    if no_track:
        survey_off.append("DO_NOT_TRACK")
    if survey_off:
        item("surveys", False, "off: " + survey_off[0], ())
    elif survey_rate_zero:
        item("surveys", False, "off: feedbackSurveyRate is 0", ())
    else:
        item("surveys", True, "on: session-quality survey ratings go to Anthropic under every provider", (F.HOST_API,))

    if on("CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL"):
        item("marketplace_autoinstall", False, "off: CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL", ())
    else:
        item("marketplace_autoinstall", True,
             "on: the official plugin marketplace is registered automatically (not covered by the umbrella switch)", (F.HOST_PLUGINS,))

    otel = env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    otel_host = None
    if _is_truthy(env.get("CLAUDE_CODE_ENABLE_TELEMETRY")) and otel:
        try:
            otel_host = urlsplit(otel).hostname
        except ValueError:
            otel_host = None

    if provider == "anthropic":
        terms = dict(F.PLAN_TERMS[plan])
    else:
        terms = dict(F.CLOUD_TERMS)

    prompts_to = ("your LLM gateway at %s" % endpoint) if gateway else ("%s at %s" % (F.PROVIDER_LABELS[provider], endpoint))
    reaches = []
    if provider == "anthropic" and not gateway:
        reaches.append("prompts, code context and responses (model inference): %s" % endpoint)
    if provider == "anthropic" and plan in F.SUBSCRIPTION_PLANS:
        reaches.append("sign-in and OAuth: %s" % ", ".join(F.HOSTS_LOGIN))
    for name, label in _TRAFFIC_LABELS:
        if traffic[name]["enabled"]:
            reaches.append("%s: %s" % (label, ", ".join(traffic[name]["hosts"])))

    hosts = {endpoint}
    if provider == "anthropic" and plan in F.SUBSCRIPTION_PLANS:
        hosts.update(F.HOSTS_LOGIN)
    for entry in traffic.values():
        hosts.update(entry["hosts"])
    if otel_host:
        hosts.add(otel_host)

    notes = []
    if plan == "enterprise_zdr":
        notes.append("ZDR covers only the ZDR organisation: enforce it with settings forceLoginMethod: claudeai and forceLoginOrgUUID.")
        notes.append("ZDR governs retention, not transmission: prompts are still sent for inference.")
    if plan in ("pro", "max"):
        notes.append("Consumer plan: training and retention follow each user's own claude.ai privacy choice, not the fleet's.")
    if provider == "anthropic" and plan in ("team", "enterprise", "enterprise_zdr") and not gateway:
        notes.append("A server-managed policy from the claude.ai admin console, if the organisation has one, takes precedence over this file for most keys.")
    if traffic["webfetch_check"]["enabled"] and third_party:
        notes.append("The WebFetch check contacts api.anthropic.com even on %s." % F.PROVIDER_LABELS[provider])
    if not traffic["auto_updates"]["enabled"]:
        notes.append("Auto-updates are off: roll out Claude Code upgrades through your own channel.")
    if otel_host:
        notes.append("OpenTelemetry export goes to your own collector at %s (not to Anthropic)." % otel_host)

    return {
        "provider": provider,
        "plan": plan,
        "profile": policy["profile"],
        "account": terms["account"],
        "training": terms["training"],
        "retention": terms["retention"],
        "terms_source": terms["source"],
        "prompts_go_to": prompts_to,
        "model_endpoint": endpoint,
        "traffic": traffic,
        "reaches_anthropic": reaches,
        "egress": sorted(hosts),
        "notes": notes,
    }


def _first_set(env, names):
    for name in names:
        if env.get(name):
            return "%s=%s" % (name, env[name])
    return names[0]


# ---------------------------------------------------------------------------- shell exports

MANAGED_HEADER = "Managed by Ansible (fleetpolicy.claude_code). Do not edit: changes are reverted on the next run."
_ENVD_UNSAFE = re.compile(r"[\\$\"'`\n\r]")
# What else systemd's environment.d parser (v252) cannot take: an empty value is "invalid syntax"
# (the variable is dropped), and a Unicode noncharacter makes the generator reject the value and
# then crash, which loses every environment.d variable of the session. Control characters are
# refused too: no Claude Code setting needs one, and parsers differ on them.
_ENVD_BAD = re.compile("[\x00-\x08\x0a-\x1f\x7f\ufdd0-\ufdef]")


def _envd_refused(value):
    return (not value or value != value.strip() or bool(_ENVD_UNSAFE.search(value)) or bool(_ENVD_BAD.search(value))
            or any((ord(c) & 0xFFFE) == 0xFFFE for c in value))


def _refuse_shell_reserved(name, value):
    if name in SHELL_RESERVED_ENV:
        raise PolicyError("env.%s" % name, value, "Claude Code variables; not %s" % name,
                          why="it is a shell's own variable: exporting it from an rc file fails or changes how the shell behaves",
                          hide_value=True)


def _sh_quote(value):
    return "'" + value.replace("'", "'\\''") + "'"


def _fish_quote(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def export_lines(env, shell):
    """Lines that set exactly the given variables in the given shell (no header)."""
    if shell not in F.SHELLS:
        raise PolicyError("shell", shell, ", ".join(F.SHELLS))
    if not isinstance(env, dict):
        raise PolicyError("env", env, "a mapping of variable names to strings")
    lines = []
    for name in sorted(env):
        value = env[name]
        if not isinstance(name, str) or not _ENV_NAME.match(name):
            raise PolicyError("env", name, "valid environment variable names")
        if name in FORBIDDEN_ENV or name.startswith(_FORBIDDEN_PREFIX):
            raise PolicyError("env.%s" % name, value, "Claude Code variables; not %s" % name,
                              why="it would change how every program on the host behaves", hide_value=True)
        _refuse_shell_reserved(name, value)
        if not isinstance(value, str):
            value = _coerce_env_value(name, value)
        if "\x00" in value:
            raise PolicyError("env.%s" % name, value, "text without NUL bytes")
        if shell == "fish":
            lines.append("set -gx %s %s" % (name, _fish_quote(value)))
        elif shell == "environment_d":
            if _envd_refused(value):
                raise PolicyError("env.%s" % name, value, "non-empty text without \\ $ \" ' ` line breaks, control "
                                  "characters, Unicode noncharacters or surrounding blanks (or leave environment_d out of shells)",
                                  why="systemd environment.d files expand, unquote or drop such values")
            lines.append("%s=%s" % (name, value))
        else:
            lines.append("export %s=%s" % (name, _sh_quote(value)))
    return lines


def shell_exports(env, shell):
    """Text for a whole rc file that sets exactly these values when sourced."""
    lines = ["# " + MANAGED_HEADER]
    body = export_lines(env, shell)
    if not body:
        lines.append("# (no variables to export for this host)")
    return "\n".join(lines + body) + "\n"
