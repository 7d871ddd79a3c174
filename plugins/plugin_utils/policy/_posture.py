# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The data posture of a host: who receives and keeps its data, which optional traffic is on and
why, and the host names it must reach; and the one renderer of a posture summary (the rollout
output and the drift report both use summary_lines()).

Private to this collection. Standard library only.
"""

from __future__ import annotations

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N

_FALSY = frozenset(("", "0", "false", "no", "off", "n", "f"))


def is_truthy(value):
    """How Claude Code reads an ordinary boolean variable."""
    return value is not None and value.strip().lower() not in _FALSY


def url_host(url):
    return urlsplit(url).hostname


def model_endpoint(policy):
    """(host, through a gateway) of the model endpoint, from the provider record."""
    record = F.PROVIDER_RECORDS[policy["provider"]]
    urls = [policy.get("base_url")] + [policy.get(f) for f, p in record["params"].items() if p["kind"] == "url"]
    for url in urls:
        if url:
            return url_host(url), True
    if record["endpoint_by"]:
        field, hosts = record["endpoint_by"]
        if policy.get(field) in hosts:
            return hosts[policy[field]], False
    return record["endpoint"].format(**policy), False


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
    ("claude_ai_connectors", "claude.ai connectors (MCP through Anthropic's proxy)"),
    ("artifacts", "Artifacts (session output published as a private page on claude.ai)"),
    ("docs_lookup", "Claude Code docs read by the built-in guide agent (WebFetch, when a user asks)"),
)


# The env variables a posture depends on. posture() sees only these (so a posture cannot depend
# on a variable missing here), and hosts that differ in other variables share one posture.
POSTURE_ENV = (
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
    "DISABLE_TELEMETRY",
    "DO_NOT_TRACK",
    "DISABLE_ERROR_REPORTING",
    "DISABLE_AUTOUPDATER",
    "DISABLE_UPDATES",
    "DISABLE_FEEDBACK_COMMAND",
    "DISABLE_BUG_COMMAND",
    "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
    "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL",
    "CLAUDE_CODE_ENABLE_TELEMETRY",
    "OTEL_EXPORTER_OTLP_ENDPOINT",
    "CLAUDE_CODE_DISABLE_WEB_FETCH",
    "ENABLE_CLAUDEAI_MCP_SERVERS",
    "CLAUDE_CODE_DISABLE_ARTIFACT",
)
# The settings keys a posture depends on, likewise.
POSTURE_SETTINGS = (
    "skipWebFetchPreflight",
    "feedbackSurveyRate",
    "allowedProviders",
    "disableClaudeAiConnectors",
    "enableArtifact",
    "disableArtifact",
)


# Every environment variable Claude Code reads, as far as the collection knows.
KNOWN_ENV = frozenset(F.KNOWN_ENV_HERE | frozenset(N.ENV_VARS))


def posture(normalised, document):
    """The data posture of a host from its normalised policy and its settings document (intended
    or in effect: both are judged the same way, so equal states give equal postures)."""
    env = document.get("env") or {}
    seen = {name: env[name] for name in POSTURE_ENV if name in env}
    keys = {key: document[key] for key in POSTURE_SETTINGS if key in document}
    post = _posture(normalised, seen, keys)
    # An organisation's own variables: written as given, but no Claude Code setting.
    post["env_not_read"] = sorted(name for name in env if name not in KNOWN_ENV)
    return post


def _posture(policy, env, keys):
    provider, plan = policy["provider"], policy["plan"]
    skip_preflight = keys.get("skipWebFetchPreflight") is True
    survey_rate_zero = keys.get("feedbackSurveyRate") == 0

    def on(name):
        value = env.get(name)
        if name in F.NONEMPTY_SWITCHES:
            return bool(value)
        return is_truthy(value)

    third_party = provider != "anthropic"
    endpoint, gateway = model_endpoint(policy)
    nonessential = on("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")
    no_track = on("DO_NOT_TRACK")
    traffic = {}

    def item(name, enabled, why, hosts):
        traffic[name] = {"enabled": enabled, "why": why, "hosts": sorted(hosts) if enabled else []}

    if nonessential or on("DISABLE_TELEMETRY") or no_track:
        item(
            "telemetry",
            False,
            "off: "
            + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_TELEMETRY", "DO_NOT_TRACK")),
            (),
        )
    elif third_party:
        item("telemetry", False, f"off: default for {F.PROVIDER_LABELS[provider]}", ())
    else:
        item(
            "telemetry",
            True,
            "on: default on the Claude API (set DISABLE_TELEMETRY=1 or profile private)",
            (F.HOST_TELEMETRY,),
        )

    if nonessential or on("DISABLE_ERROR_REPORTING"):
        item(
            "error_reporting",
            False,
            "off: " + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_ERROR_REPORTING")),
            (),
        )
    elif third_party:
        item("error_reporting", False, f"off: default for {F.PROVIDER_LABELS[provider]}", ())
    elif gateway:
        item("error_reporting", False, "off: default when not connected directly to the Claude API", ())
    elif plan in F.ERROR_REPORTING_DEFAULT_PLANS:
        why = "on: default for Pro/Max sign-ins"
        if on("DISABLE_TELEMETRY"):
            why += " (DISABLE_TELEMETRY alone is not a documented off switch for error reports; set DISABLE_ERROR_REPORTING=1)"
        item("error_reporting", True, why, (F.HOST_ERRORS,))
    else:
        item("error_reporting", False, f"off: default for {plan} plans", ())

    if nonessential:
        item("nonessential_traffic", False, "off: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", ())
    else:
        item(
            "nonessential_traffic",
            True,
            "on: release notes, feature flags, model discovery and similar checks (set CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 or profile airgapped)",
            (F.HOST_API, F.HOST_RELEASE_NOTES),
        )

    web_fetch_off = on("CLAUDE_CODE_DISABLE_WEB_FETCH")
    if web_fetch_off:
        item("webfetch_check", False, "off: WebFetch itself is disabled (CLAUDE_CODE_DISABLE_WEB_FETCH)", ())
    elif skip_preflight:
        item(
            "webfetch_check",
            False,
            "off: skipWebFetchPreflight is true (pair it with WebFetch(domain:...) permission rules)",
            (),
        )
    else:
        item(
            "webfetch_check",
            True,
            "on: WebFetch sends each URL's host name to Anthropic before fetching, under every provider "
            "(set skipWebFetchPreflight or profile airgapped)",
            (F.HOST_API,),
        )

    if nonessential or on("DISABLE_AUTOUPDATER") or on("DISABLE_UPDATES"):
        item(
            "auto_updates",
            False,
            "off: "
            + _first_set(env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_UPDATES", "DISABLE_AUTOUPDATER"))
            + " (the fleet owns upgrades)",
            (),
        )
    else:
        item("auto_updates", True, "on: background update checks and downloads", F.HOSTS_UPDATES)

    if third_party:
        item("feedback_upload", False, f"off: /feedback writes a local archive on {F.PROVIDER_LABELS[provider]}", ())
    elif plan == "enterprise_zdr":
        item("feedback_upload", False, "off: disabled by Zero Data Retention", ())
    elif nonessential or on("DISABLE_FEEDBACK_COMMAND") or on("DISABLE_BUG_COMMAND"):
        item(
            "feedback_upload",
            False,
            "off: "
            + _first_set(
                env, ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "DISABLE_FEEDBACK_COMMAND", "DISABLE_BUG_COMMAND")
            ),
            (),
        )
    else:
        item("feedback_upload", True, "on: /feedback uploads the session transcript (kept 5 years)", (F.HOST_API,))

    survey_off = [
        n
        for n in (
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC",
            "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY",
            "DISABLE_TELEMETRY",
        )
        if on(n)
    ]
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
        item(
            "marketplace_autoinstall",
            True,
            "on: the official plugin marketplace is registered automatically (not covered by the umbrella switch)",
            (F.HOST_PLUGINS,),
        )

    subscription = provider == "anthropic" and plan in F.SUBSCRIPTION_PLANS
    connectors_off = keys.get("disableClaudeAiConnectors") is True or (
        "ENABLE_CLAUDEAI_MCP_SERVERS" in env and not is_truthy(env.get("ENABLE_CLAUDEAI_MCP_SERVERS"))
    )
    if not subscription:
        item("claude_ai_connectors", False, "off: claude.ai connectors need a claude.ai sign-in", ())
    elif connectors_off:
        why = (
            "disableClaudeAiConnectors is true"
            if keys.get("disableClaudeAiConnectors") is True
            else "ENABLE_CLAUDEAI_MCP_SERVERS=false"
        )
        item("claude_ai_connectors", False, "off: " + why, ())
    else:
        item(
            "claude_ai_connectors",
            True,
            "on: MCP connectors configured in claude.ai run through Anthropic's proxy "
            "(set disableClaudeAiConnectors or profile airgapped)",
            (F.HOST_MCP_PROXY,),
        )

    if not subscription:
        item("artifacts", False, "off: Artifacts need a claude.ai login", ())
    elif (
        keys.get("enableArtifact") is False or keys.get("disableArtifact") is True or on("CLAUDE_CODE_DISABLE_ARTIFACT")
    ):
        why = (
            "enableArtifact is false"
            if keys.get("enableArtifact") is False
            else "disableArtifact is true"
            if keys.get("disableArtifact") is True
            else "CLAUDE_CODE_DISABLE_ARTIFACT"
        )
        item("artifacts", False, "off: " + why, ())
    else:
        item(
            "artifacts",
            True,
            "on: the Artifact tool publishes session output as a private page on claude.ai, served from "
            "its content hosts (set enableArtifact: false in settings to turn it off)",
            F.HOSTS_ARTIFACTS,
        )

    if web_fetch_off:
        item("docs_lookup", False, "off: WebFetch itself is disabled (CLAUDE_CODE_DISABLE_WEB_FETCH)", ())
    elif skip_preflight:
        # On, but not listed: with the domain check skipped, the domains WebFetch reaches are yours to allow.
        item(
            "docs_lookup",
            True,
            f"on when a user asks the built-in guide agent about Claude Code: it fetches {F.HOST_DOCS} with "
            "WebFetch; not in the egress allowlist, since with skipWebFetchPreflight the domains WebFetch may reach are "
            "yours to allow (WebFetch(domain:...) rules and your firewall); web_fetch: false turns WebFetch off",
            (),
        )
    else:
        item(
            "docs_lookup",
            True,
            "on when a user asks the built-in guide agent about Claude Code: it fetches the docs "
            "with WebFetch (web_fetch: false turns WebFetch off)",
            (F.HOST_DOCS,),
        )

    allowed = keys.get("allowedProviders")
    lock = {
        "locked": isinstance(allowed, list) and bool(allowed),
        "allowed": list(allowed) if isinstance(allowed, list) else [],
    }

    otel = env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    otel_host = None
    if is_truthy(env.get("CLAUDE_CODE_ENABLE_TELEMETRY")) and otel:
        try:
            otel_host = urlsplit(otel).hostname
        except ValueError:
            otel_host = None

    if F.PROVIDER_RECORDS[provider]["terms"] == "plan":
        terms = dict(F.PLAN_TERMS[plan])
    else:
        terms = dict(F.PROVIDER_TERMS[F.PROVIDER_RECORDS[provider]["terms"]])

    prompts_to = (f"your LLM gateway at {endpoint}") if gateway else (f"{F.PROVIDER_LABELS[provider]} at {endpoint}")
    reaches = []
    if provider == "anthropic" and not gateway:
        reaches.append(f"prompts, code context and responses (model inference): {endpoint}")
    if subscription:
        reaches.append("sign-in and OAuth: {}".format(", ".join(F.HOSTS_LOGIN)))
        reaches.append("Remote Control, when a user starts it: {}".format(", ".join(F.HOSTS_REMOTE_CONTROL)))
    for name, label in _TRAFFIC_LABELS:
        if traffic[name]["enabled"] and traffic[name]["hosts"]:
            reaches.append("{}: {}".format(label, ", ".join(traffic[name]["hosts"])))

    hosts = {endpoint}
    if subscription:
        hosts.update(F.HOSTS_LOGIN)
        hosts.update(F.HOSTS_REMOTE_CONTROL)
    for entry in traffic.values():
        hosts.update(entry["hosts"])
    if otel_host:
        hosts.add(otel_host)

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
    if gateway and provider == "anthropic" and policy.get("base_url"):
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
    if plan in ("pro", "max"):
        notes.append(
            "Consumer plan: training and retention follow each user's own claude.ai privacy choice, not the fleet's."
        )
    if provider == "anthropic" and plan in ("team", "enterprise", "enterprise_zdr") and not gateway:
        notes.append(
            "A server-managed policy from the claude.ai admin console, if the organisation has one, takes precedence over this file for most keys."
        )
    if traffic["webfetch_check"]["enabled"] and third_party:
        notes.append(f"The WebFetch check contacts api.anthropic.com even on {F.PROVIDER_LABELS[provider]}.")
    if not traffic["auto_updates"]["enabled"]:
        notes.append("Auto-updates are off: roll out Claude Code upgrades through your own channel.")
    if otel_host:
        notes.append(f"OpenTelemetry export goes to your own collector at {otel_host} (not to Anthropic).")

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
        "provider_lock": lock,
    }


def _first_set(env, names):
    for name in names:
        if env.get(name):
            return f"{name}={env[name]}"
    return names[0]


def summary_lines(post, env_names=None, files=None, detail=False):
    """The posture summary a person reads: the rollout output and the drift report print these.
    With detail, one line per kind of optional traffic says whether it is on and why."""
    head = post["provider"] + ((" " + post["plan"]) if post["plan"] else "")
    lines = [
        "{}, profile {}: prompts go to {}".format(head, post["profile"], post["prompts_go_to"]),
        "retention: {}; training: {}".format(post["retention"], post["training"]),
    ]
    if env_names is not None:
        lines.append("env: %s" % (" ".join(env_names) or "(none)"))
    if detail:
        lines.extend("{}: {}".format(name.replace("_", " "), entry["why"]) for name, entry in post["traffic"].items())
    else:
        on = [name for name, entry in post["traffic"].items() if entry["enabled"]]
        lines.append("optional traffic on: %s" % (", ".join(on) or "none"))
    lines.append("reaches Anthropic: %s" % ("; ".join(post["reaches_anthropic"]) or "nothing"))
    lock = post.get("provider_lock") or {}
    lines.append(
        "provider lock: %s" % (("allowedProviders " + ", ".join(lock["allowed"])) if lock.get("locked") else "none")
    )
    lines.append("egress allowlist: {}".format(", ".join(post["egress"])))
    if post.get("env_not_read"):
        lines.append("env not read by Claude Code (your own variables): {}".format(" ".join(post["env_not_read"])))
    if files is not None:
        lines.append("files: %s" % (", ".join(files) or "(none)"))
    return lines
