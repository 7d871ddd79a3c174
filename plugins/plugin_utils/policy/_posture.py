# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The data posture of a host: who receives and keeps its data, which optional traffic is on and
why, and the host names it must reach; and the one renderer of a posture summary (the rollout
output and the drift report both use summary_lines()).

A posture is judged from a settings document alone (its env block and its keys), the intended one
and the one in effect on a host alike: the provider from its switch, the model endpoint from the
provider's variables, each kind of optional traffic from its record in _facts.TRAFFIC. Equal
documents give equal postures.

Private to this collection. Standard library only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N


def is_truthy(value: str | None) -> bool:
    """How Claude Code reads an ordinary boolean variable (unset and FALSE_VALUES are false)."""
    return value is not None and value.strip().lower() not in F.FALSE_VALUES


def env_on(name: str, value: str | None) -> bool:
    """Whether Claude Code reads variable name as set: any non-empty value for a switch in
    NONEMPTY_SWITCHES ("0" included), a true boolean otherwise."""
    if name in F.NONEMPTY_SWITCHES:
        return bool(value)
    return is_truthy(value)


def switch_key(switch: Mapping[str, Any]) -> str:
    """The dotted key of an off switch of a TRAFFIC record: env.NAME, the settings key, or
    permissions.deny for a deny rule."""
    if "env" in switch:
        return "env." + switch["env"]
    return switch["setting"] + (".deny" if "deny" in switch else "")


def denies(permissions: Any, tools: str | Iterable[str]) -> bool:
    """Whether a permissions mapping denies the whole tool, or every one of the tools: its deny list
    holds each bare tool name."""
    rules = permissions.get("deny") if isinstance(permissions, Mapping) else None
    wanted = (tools,) if isinstance(tools, str) else tuple(tools)
    return isinstance(rules, list) and all(tool in rules for tool in wanted)


def _conditions(record: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    return [c for c, _why in record["absent"]] + [rule["when"] for rule in record["default"] if rule["when"]]


def _traffic_keys(kind: str) -> tuple[str, ...]:
    """The env variables ("env") or settings keys ("setting") the TRAFFIC records read: their off
    switches (and the variables that keep one from counting, "unless"), their conditions, and the
    settings their hosts come from."""
    found = []
    for record in F.TRAFFIC.values():
        found += [switch[kind] for switch in record["off"] if kind in switch]
        if kind == "env":
            found += [switch["unless"] for switch in record["off"] if "unless" in switch]
        else:
            found += [record["hosts_from"]] if "hosts_from" in record else []
        found += [condition[1] for condition in _conditions(record) if condition[0] == kind]
    return tuple(dict.fromkeys(found))


# The env variables a posture depends on: the provider's (switch, parameters, gateway), the traffic
# records' and the OpenTelemetry export's. posture() sees only these (so a posture cannot depend on
# a variable missing here), and hosts that differ in other variables share one posture.
POSTURE_ENV = tuple(
    dict.fromkeys(
        F.PROVIDER_ENV
        + _traffic_keys("env")
        + tuple(name for record in F.TRAFFIC.values() for name, _note in record["not_off"])
        + (F.OTEL_EXPORT["switch"], F.OTEL_EXPORT["endpoint"])
    )
)
# The settings keys a posture depends on, likewise.
POSTURE_SETTINGS = _traffic_keys("setting") + ("allowedProviders",)
# Who runs a host a posture lists (its "egress_by_operator"), in the order the summary names them:
# Anthropic and third parties as _facts.HOST_RECORDS says, the cloud provider whose model endpoint
# it is, and the organisation's own hosts (an LLM gateway, an OpenTelemetry collector).
OPERATORS = ("anthropic", "cloud_provider", "third_party", "yours")

# Every environment variable Claude Code reads, as far as the collection knows.
KNOWN_ENV = frozenset(F.KNOWN_ENV_HERE | frozenset(N.ENV_VARS))


def url_host(url: str) -> str | None:
    """The host name of a URL (None when it has none; ValueError when it cannot be parsed)."""
    return urlsplit(url).hostname


def provider_of(env: Mapping[str, str]) -> str:
    """The provider an env block selects: the first record whose switch is on, else anthropic."""
    for name, record in F.PROVIDER_RECORDS.items():
        if record["switch"] and is_truthy(env.get(record["switch"])):
            return name
    return "anthropic"


def model_endpoint(provider: str, env: Mapping[str, str]) -> tuple[str, bool]:
    """(host, through a gateway) of the model endpoint, from the provider's variables in env.
    Raises ValueError when they do not name one (a parameter missing, a URL without a host)."""
    record = F.PROVIDER_RECORDS[provider]
    urls = [env.get(record["gateway_var"])] + [
        env.get(p["env"]) for p in record["params"].values() if p["kind"] == "url"
    ]
    for url in urls:
        if url:
            host = url_host(url)
            if not host:
                raise ValueError(f"{provider}: no host in the endpoint URL {url!r}")
            return host, True
    params = {field: env.get(spec["env"]) for field, spec in record["params"].items()}
    if record["endpoint_by"]:
        field, hosts = record["endpoint_by"]
        if params.get(field) in hosts:
            return hosts[params[field]], False
    try:
        return record["endpoint"].format(**{f: v for f, v in params.items() if v}), False
    except KeyError as exc:
        raise ValueError(f"{provider}: {exc.args[0]} is not set") from None


def provider_lock(document: Mapping[str, Any]) -> dict[str, Any]:
    """{"locked", "allowed"}: the provider lock (allowedProviders) a settings document holds."""
    allowed = document.get("allowedProviders")
    return {
        "locked": isinstance(allowed, list) and bool(allowed),
        "allowed": list(allowed) if isinstance(allowed, list) else [],
    }


def _matches(found: Any, want: Any) -> bool:
    if isinstance(want, bool):
        return found is want
    return isinstance(found, (int, float)) and not isinstance(found, bool) and found == want


def _switch_on(switch: Mapping[str, Any], env: Mapping[str, str], keys: Mapping[str, Any]) -> bool:
    if "unless" in switch and env_on(switch["unless"], env.get(switch["unless"])):
        return False
    if "deny" in switch:
        return denies(keys.get(switch["setting"]), switch["deny"])
    if "setting" in switch:
        return _matches(keys.get(switch["setting"]), switch["value"])
    name = switch["env"]
    if "values" in switch:
        return name in env and env[name].strip().lower() in switch["values"]
    if switch.get("when") == "false":
        return name in env and not is_truthy(env[name])
    return env_on(name, env.get(name))


def updating_marketplaces(value: Any) -> list[str]:
    """The names of the marketplaces of an extraKnownMarketplaces mapping that a Claude Code release
    from 2026-11-30 on updates automatically: every entry but those that say "autoUpdate": false
    (CHANGELOG 2.1.331)."""
    if not isinstance(value, Mapping):
        return []
    return [
        str(name)
        for name, entry in value.items()
        if not (isinstance(entry, Mapping) and entry.get("autoUpdate") is False)
    ]


def _source_host(source: Any) -> str | None:
    """The host a marketplace's source is fetched from: github.com for a GitHub repository, the
    URL's host for a git or url source (an scp-like git@host:path too); None for a local one."""
    if not isinstance(source, Mapping):
        return None
    kind = source.get("source")
    if kind == "github":
        return "github.com"
    url = source.get("url")
    if kind not in ("git", "url") or not isinstance(url, str):
        return None
    scp = re.match(r"^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):(?!//)", url)
    if scp:
        return scp.group(1).lower()
    try:
        return url_host(url)
    except ValueError:
        return None


def marketplace_hosts(value: Any) -> list[str]:
    """The hosts of the marketplaces in an extraKnownMarketplaces mapping that would be updated
    automatically (updating_marketplaces), sorted."""
    if not isinstance(value, Mapping):
        return []
    names = updating_marketplaces(value)
    hosts = {_source_host(value[name].get("source")) for name in names if isinstance(value[name], Mapping)}
    return sorted(h for h in hosts if h)


def switch_on(switch: Mapping[str, Any], document: Mapping[str, Any]) -> bool:
    """Whether an off switch of a TRAFFIC record is on in a settings document."""
    env = document.get("env")
    return _switch_on(switch, env if isinstance(env, Mapping) else {}, document)


def _holds(
    condition: tuple[Any, ...],
    host: Mapping[str, Any],
    keys: Mapping[str, Any],
    judged: Mapping[str, Mapping[str, Any]] | None = None,
) -> bool:
    kind = condition[0]
    if kind == "plan":
        return host["plan"] in condition[1:]
    if kind == "provider":
        return host["provider"] in condition[1:]
    if kind == "setting":
        return _matches(keys.get(condition[1]), condition[2])
    if kind == "off":
        if judged is None or condition[1] not in judged:
            raise ValueError(f"condition {condition!r}: {condition[1]} is not a kind of traffic listed before it")
        return not judged[condition[1]]["enabled"]
    if kind == "claude_ai_login":
        return not host["no_claude_ai_login"]
    if kind == "no_updating_marketplaces":
        return not host["marketplaces"]
    if kind in ("third_party", "gateway", "no_claude_ai_login"):
        return bool(host[kind])
    raise ValueError(f"unknown condition {condition!r} in _facts.TRAFFIC")


def _judge(
    record: Mapping[str, Any],
    host: Mapping[str, Any],
    env: Mapping[str, str],
    keys: Mapping[str, Any],
    judged: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """One kind of optional traffic: {"enabled", "why", "hosts"} (hosts only while on and listed).
    judged: the kinds of traffic judged before it, for its ("off", KIND) conditions."""
    words = {"provider": host["label"], "plan": host["plan"], "marketplaces": ", ".join(host["marketplaces"])}
    for condition, why in record["absent"]:
        if _holds(condition, host, keys, judged):
            return {"enabled": False, "why": why.format(**words), "hosts": []}
    for switch in record["off"]:
        if _switch_on(switch, env, keys):
            name = switch.get("env") or switch["setting"]
            value = env.get(name) if "env" in switch else keys.get(name)
            why = (switch.get("why") or record["off_why"]).format(name=name, value=value, **words)
            return {"enabled": False, "why": why, "hosts": []}
    for rule in record["default"]:
        if rule["when"] is None or _holds(rule["when"], host, keys, judged):
            why = rule["why"].format(**words)
            if not rule["on"]:
                return {"enabled": False, "why": why, "hosts": []}
            why += "".join(note for name, note in record["not_off"] if env_on(name, env.get(name)))
            hosts = set(record["hosts"])
            if record.get("hosts_from"):
                hosts.update(marketplace_hosts(keys.get(record["hosts_from"])))
            return {"enabled": True, "why": why, "hosts": sorted(hosts) if rule.get("listed", True) else []}
    raise ValueError("a TRAFFIC record without a default for every host")  # pragma: no cover - a bug in _facts


def record_keys(kind: str) -> tuple[str, ...]:
    """The dotted keys (env.NAME, a settings key) a kind of traffic's record reads: its off switches
    and what keeps one from counting, its not-off notes, its setting conditions and the settings its
    hosts come from."""
    record = F.TRAFFIC[kind]
    keys = [switch_key(s) for s in record["off"]]
    keys += ["env." + s["unless"] for s in record["off"] if "unless" in s]
    keys += ["env." + name for name, _note in record["not_off"]]
    keys += [c[1] for c in _conditions(record) if c[0] == "setting"]
    keys += [record["hosts_from"]] if "hosts_from" in record else []
    return tuple(dict.fromkeys(keys))


def broken_promise(post: Mapping[str, Any], profile: str) -> list[str]:
    """The kinds of traffic in a posture that break the promise of profile or of a profile it implies
    (PROFILES, keeps_off): on, reaching a listed host, and sending what the profile keeps off."""
    keeps_off = {what for name in F.profile_and_implied(profile) for what in F.PROFILES[name]["keeps_off"]}
    return [
        kind
        for kind, entry in post["traffic"].items()
        if entry["enabled"] and entry["hosts"] and kind in F.TRAFFIC and F.TRAFFIC[kind]["sends"] in keeps_off
    ]


def posture(document: Mapping[str, Any], plan: str | None, profile: str) -> dict[str, Any]:
    """The data posture of a host from a settings document, intended or in effect: both are judged
    the same way, so equal documents give equal postures. The provider is the one its env selects;
    plan (which a host cannot show) counts only where the provider's terms are the plan's.
    Raises ValueError when the env does not name the provider's model endpoint."""
    all_env = document.get("env") or {}
    env = {name: all_env[name] for name in POSTURE_ENV if name in all_env}
    keys = {key: document[key] for key in POSTURE_SETTINGS if key in document}
    provider = provider_of(env)
    record = F.PROVIDER_RECORDS[provider]
    if record["terms"] != "plan":
        plan = None
    elif plan not in F.PLAN_TERMS:
        raise ValueError(f"{provider}: the plan is not known, so neither are the terms")
    endpoint, gateway = model_endpoint(provider, env)
    third_party = provider != "anthropic"
    subscription = not third_party and plan in F.SUBSCRIPTION_PLANS
    label = F.PROVIDER_LABELS[provider]
    host = {
        "provider": provider,
        "plan": plan,
        "label": label,
        "third_party": third_party,
        "gateway": gateway,
        "no_claude_ai_login": not subscription,
        "marketplaces": updating_marketplaces(keys.get("extraKnownMarketplaces")),
    }
    traffic: dict[str, dict[str, Any]] = {}
    for name, entry in F.TRAFFIC.items():
        traffic[name] = _judge(entry, host, env, keys, traffic)

    lock = provider_lock(keys)
    helper = next((key for key in F.POLICY_HELPER_KEYS if key in document), None)

    otel = env.get(F.OTEL_EXPORT["endpoint"])
    otel_host = None
    if is_truthy(env.get(F.OTEL_EXPORT["switch"])) and otel:
        try:
            otel_host = url_host(otel)
        except ValueError:
            otel_host = None

    terms = F.PLAN_TERMS[plan] if record["terms"] == "plan" else F.PROVIDER_TERMS[record["terms"]]

    prompts_to = f"your LLM gateway at {endpoint}" if gateway else f"{label} at {endpoint}"
    reaches = []
    if not third_party and not gateway:
        reaches.append(f"prompts, code context and responses (model inference): {endpoint}")
    if subscription:
        reaches.append("sign-in and OAuth: {}".format(", ".join(F.HOSTS_LOGIN)))
    for name, entry in F.TRAFFIC.items():
        # the hosts of Anthropic and its services; a marketplace's own host is not one of them
        fixed = [h for h in traffic[name]["hosts"] if h in entry["hosts"]]
        if traffic[name]["enabled"] and fixed:
            reaches.append("{}: {}".format(entry["label"], ", ".join(fixed)))

    hosts = {endpoint}
    if subscription:
        hosts.update(F.HOSTS_LOGIN)
    for entry in traffic.values():
        hosts.update(entry["hosts"])
    if otel_host:
        hosts.add(otel_host)
    # The hosts the organisation chose, and what each is: its LLM gateway, its OpenTelemetry
    # collector, the plugin marketplaces its settings name (those no record of HOST_RECORDS runs).
    yours: dict[str, str] = {}
    for name in traffic["marketplace_autoupdate"]["hosts"]:
        if name not in F.HOST_RECORDS:
            yours[name] = "a plugin marketplace in your settings"
    if otel_host:
        yours[otel_host] = "your OpenTelemetry collector"
    if gateway:
        yours[endpoint] = "your LLM gateway"
    # Who runs each of them: the organisation (yours, above), the records' operator (Anthropic or a
    # third party), else the provider whose model endpoint it is.
    by_operator: dict[str, list[str]] = {who: [] for who in OPERATORS}
    for name in sorted(hosts):
        if name in yours:
            by_operator["yours"].append(name)
        elif name in F.HOST_RECORDS:
            by_operator[F.HOST_RECORDS[name]["operator"]].append(name)
        else:
            by_operator["cloud_provider"].append(name)

    notes = []
    if not lock["locked"]:
        notes.append(
            "The provider is not locked: a user can point a session at another provider or endpoint from the shell "
            "(allowedProviders, set by profiles private and airgapped or lock_provider)."
        )
    if gateway:
        notes.append(
            "Model discovery queries your gateway even with CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC (since 2.1.257)."
        )
    if gateway and not third_party:
        notes.append(
            "A session with ANTHROPIC_API_KEY that gets ANTHROPIC_BASE_URL only from this file (an IDE or a service; no "
            "shell export) still looks api.anthropic.com up at start-up, under every profile (observed with CLI 2.1.285 "
            "to 2.1.332); the role's rc exports avoid it for shells, a gateway token (ANTHROPIC_AUTH_TOKEN) avoids it."
        )
    if traffic["webfetch_check"]["enabled"]:
        notes.append(
            "Where api.anthropic.com cannot be reached, WebFetch refuses to fetch at all while this check is on "
            "(observed with CLI 2.1.331)."
        )
    notes.append(
        "A server-managed policy (claude.ai admin console) or an MDM profile wins over this file for keys that do not "
        "merge across sources, skipWebFetchPreflight among them; env merges per variable (managedSourcesBehavior "
        "decides the rest)."
    )
    notes.append(
        "When the Claude Desktop app or a self-hosted runner starts a session, its launch environment wins over env "
        "for the variables it sets; shell rc exports do not reach apps started from the desktop."
    )
    if plan == "enterprise_zdr":
        notes.append(
            "ZDR covers only the ZDR organisation: enforce it with settings forceLoginMethod: claudeai and forceLoginOrgUUID."
        )
        notes.append("ZDR governs retention, not transmission: prompts are still sent for inference.")
    if plan in F.CONSUMER_PLANS:
        notes.append(
            "Consumer plan: training and retention follow each user's own claude.ai privacy choice, not the fleet's."
        )
    if subscription and plan not in F.CONSUMER_PLANS and not gateway:
        notes.append(
            "A server-managed policy from the claude.ai admin console, if the organisation has one, takes precedence over this file for most keys."
        )
    if traffic["webfetch_check"]["enabled"] and third_party:
        notes.append(f"The WebFetch check contacts api.anthropic.com even on {label}.")
    if not traffic["auto_updates"]["enabled"]:
        notes.append("Auto-updates are off: roll out Claude Code upgrades through your own channel.")
    if otel_host:
        notes.append(f"OpenTelemetry export goes to your own collector at {otel_host} (not to Anthropic).")

    return {
        "provider": provider,
        "plan": plan,
        "profile": profile,
        "account": terms["account"],
        "training": terms["training"],
        "retention": terms["retention"],
        "terms_source": terms["source"],
        "prompts_go_to": prompts_to,
        "model_endpoint": endpoint,
        "traffic": traffic,
        "reaches_anthropic": reaches,
        "egress": sorted(hosts),
        "egress_by_operator": by_operator,
        "your_hosts": dict(sorted(yours.items())),
        "notes": notes,
        "provider_lock": lock,
        # What no host can show (_facts NOT_VISIBLE_SERVER), and a policy helper when one is configured.
        "not_visible": [F.NOT_VISIBLE_SERVER] + ([_HELPER_TEXT.format(helper)] if helper else []),
        "policy_helper": helper,
        # An organisation's own variables: written as given, but no Claude Code setting.
        "env_not_read": sorted(name for name in all_env if name not in KNOWN_ENV),
    }


_HELPER_TEXT = (
    "a policy helper's answer: {} is configured, a program Claude Code runs for managed settings that come "
    "before these files; what it answers is not visible from the host"
)
# The longest line of the rollout's summary, so that a rollout of 500 hosts reads in a terminal.
WIDTH = 110
# How the summary names who runs a host (OPERATORS).
_OPERATOR_WORDS = {
    "anthropic": "Anthropic",
    "cloud_provider": "your cloud provider ({label})",
    "third_party": "third parties",
    "yours": "your own hosts",
}
_PLAIN = re.compile(r"^[A-Za-z0-9_.:/@+*-]+\Z")


def wrapped(head: str, items: Iterable[str], sep: str = " ", width: int | None = WIDTH) -> list[str]:
    """head and items joined by sep (" ", ", " or "; "): one line, or with width lines of at most
    that many characters, continued two spaces in (an item longer than a line gets a line of its
    own). No items: head (none)."""
    items = list(items)
    if not items:
        return [head + " (none)"]
    lines, line = [], head + " " + items[0]
    for item in items[1:]:
        if width is not None and len(line) + len(sep) + len(item) > width:
            lines.append(line + sep.rstrip())
            line = "  " + item
        else:
            line += sep + item
    lines.append(line)
    return lines


def _words(head: str, text: str, width: int | None) -> list[str]:
    """head and a sentence, wrapped at spaces like wrapped()."""
    return wrapped(head, text.split(" "), width=width)


def compact(value: Any) -> str:
    """A settings value on one line: a plain string as it is (others JSON-quoted), true/false/null,
    numbers, lists as [a, b] and mappings as {key: value}."""
    if isinstance(value, str):
        return value if _PLAIN.match(value) else json.dumps(value)
    if isinstance(value, Mapping):
        return "{%s}" % ", ".join(f"{compact(str(k))}: {compact(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "[%s]" % ", ".join(compact(v) for v in value)
    return json.dumps(value)


def _env_value(name: str, value: Any) -> str:
    if isinstance(value, str) and _secrets.looks_like_secret(name, value):
        return _secrets.MASK
    return compact(value if isinstance(value, str) else str(value))


def _days(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _cut(item: str, width: int | None) -> str:
    """item, or with width its first two lines' worth and how much is left out (the file has it all)."""
    if width is None or len(item) <= 2 * width:
        return item
    return item[: 2 * width - 30] + "... (%d characters in all)" % len(item)


def settings_lines(document: Mapping[str, Any], width: int | None = None) -> list[str]:
    """What a settings document sets, for people: every env variable with its value, every other
    key with its value (credentials masked by _secrets, as everywhere), and how long Claude Code
    keeps local transcripts under it. With width, lines are wrapped (wrapped()) and a value longer
    than two lines is cut, saying so."""
    env = document.get("env") if isinstance(document.get("env"), Mapping) else {}
    items = [_cut(f"{name}={_env_value(name, env[name])}", width) for name in sorted(env)]
    lines = wrapped("env:", items, width=width)
    keys = [key for key in document if key not in ("env", "$schema")]
    masked = _secrets.mask_deep({key: document[key] for key in keys})
    lines += wrapped("settings:", [_cut(f"{key}={compact(masked[key])}", width) for key in keys], width=width)
    main, desktop = (_days(document.get(key)) for key in F.TRANSCRIPT_KEYS)
    kept = (
        f"{main} days ({F.TRANSCRIPT_KEYS[0]})"
        if main is not None
        else f"{F.TRANSCRIPT_DEFAULT_DAYS} days (the default; {F.TRANSCRIPT_KEYS[0]} not set)"
    )
    kept += (
        f", Desktop sessions {desktop} days ({F.TRANSCRIPT_KEYS[1]})"
        if desktop is not None
        else ", Desktop sessions: the app's default"
    )
    return lines + _words("local transcripts:", kept, width)


def summary_lines(post: Mapping[str, Any], detail: bool = False, width: int | None = None) -> list[str]:
    """The posture summary a person reads: the rollout output and the drift report print these.

    The provider, plan and profile; where prompts go and under which terms; the optional traffic
    still on, in the words of _facts.TRAFFIC (with detail, one line per kind says whether it is on
    and why); the hosts it contacts, grouped by who runs them; the provider lock; what the host cannot
    show (with detail; else a policy helper only). With width, long lines are wrapped (wrapped())."""
    head = post["provider"] + ((" " + post["plan"]) if post["plan"] else "")
    lines = ["{}, profile {}".format(head, post["profile"])]
    lines += _words("prompts go to", post["prompts_go_to"], width)
    lines += _words("retention:", "{}; training: {}".format(post["retention"], post["training"]), width)
    traffic = post["traffic"]
    if detail:
        for name, entry in traffic.items():
            lines += _words(F.TRAFFIC[name]["label"] + ":", entry["why"], width) if name in F.TRAFFIC else []
    else:
        on = [F.TRAFFIC[name]["label"] for name, entry in traffic.items() if entry["enabled"] and name in F.TRAFFIC]
        lines += (
            wrapped("optional traffic still on:", on, sep="; ", width=width)
            if on
            else ["optional traffic still on: none"]
        )
    by_operator = post.get("egress_by_operator")
    if not isinstance(by_operator, Mapping):  # a posture without it: its egress, unsorted by operator
        by_operator = {"yours": list(post["egress"])}
    label = F.PROVIDER_LABELS.get(post["provider"], post["provider"])
    for who in OPERATORS:
        hosts = by_operator.get(who) or []
        if who == "third_party":
            hosts = ["{} ({})".format(h, F.HOST_RECORDS[h]["who"]) if h in F.HOST_RECORDS else h for h in hosts]
        elif who == "yours":
            what = post.get("your_hosts") if isinstance(post.get("your_hosts"), Mapping) else {}
            hosts = [
                "{} ({})".format(
                    h,
                    what.get(h)
                    or ("your LLM gateway" if h == post.get("model_endpoint") else "your OpenTelemetry collector"),
                )
                for h in hosts
            ]
        if hosts:
            lines += wrapped(f"contacts {_OPERATOR_WORDS[who].format(label=label)}:", hosts, sep=", ", width=width)
    lock = post.get("provider_lock") or {}
    lines.append(
        "provider lock: %s" % (("allowedProviders " + ", ".join(lock["allowed"])) if lock.get("locked") else "none")
    )
    if post.get("env_not_read"):
        lines += wrapped("env not read by Claude Code (your own variables):", post["env_not_read"], width=width)
    if detail and post.get("not_visible"):
        lines += _words("not visible from the host:", "; ".join(post["not_visible"]), width)
    elif post.get("policy_helper"):
        lines.append(
            "policy helper: {} is configured (its answer is not visible from the host)".format(post["policy_helper"])
        )
    return lines
