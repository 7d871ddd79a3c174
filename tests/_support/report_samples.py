"""Synthetic drift report documents (schema_version 3, valid against docs/drift-report.schema.json)
for the renderer tests.

sample_report(n) makes a deterministic document for n hosts with a mix of statuses: about 80%
compliant, the rest not deployed, drifted, weakened, broken, failed and unreachable, spread over four
providers and three profiles, each problem host with a few reasons. hostile=True puts markup,
quotes, ampersands, Markdown and control characters into host names and values.
"""

import hashlib

STATUSES = ["compliant", "drifted", "weakened", "not deployed", "broken", "failed", "unreachable"]
PROVIDERS = ["bedrock", "vertex", "anthropic", "foundry"]
PROFILES = ["private", "standard", "airgapped"]
MAIN = "/etc/claude-code/managed-settings.json"
VENDOR = "/etc/claude-code/managed-settings.d/50-vendor.json"
HOSTILE = "<script>alert(\"x\")</script> & 'q' | *b* `c` [l](javascript:x) \x1b[31m"

TRAFFIC = (
    "telemetry",
    "error_reporting",
    "nonessential_traffic",
    "webfetch_check",
    "auto_updates",
    "feedback_upload",
    "surveys",
    "marketplace_autoinstall",
)


def status_for(i):
    """The status of host number i (0-based): a fixed pattern, so counts are predictable."""
    if i % 100 == 17:
        return "unreachable"
    if i % 50 == 13:
        return "failed"
    if i % 50 == 11:
        return "broken"
    if i % 20 == 7:
        return "weakened"
    if i % 20 == 3:
        return "drifted"
    if i % 20 == 5:
        return "not deployed"
    return "compliant"


def _posture(provider, profile, weak=False):
    off = not weak
    traffic = {
        name: {"enabled": False, "why": "off: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "hosts": []}
        for name in TRAFFIC
    }
    if weak or profile == "standard":
        traffic["telemetry"] = {"enabled": True, "why": f"on: set by {VENDOR}", "hosts": ["statsig.anthropic.com"]}
    return {
        "provider": provider,
        "plan": "enterprise" if provider == "anthropic" else None,
        "profile": profile,
        "account": f"acct-{provider}",
        "training": "never",
        "retention": "30 days (cloud provider terms)",
        "terms_source": f"https://example.com/terms/{provider}",
        "prompts_go_to": f"{provider} model endpoint in us-east-1",
        "model_endpoint": f"https://{provider}.example.com",
        "traffic": traffic,
        "reaches_anthropic": ([] if off else ["telemetry: statsig.anthropic.com"]),
        "egress": [f"{provider}.example.com"],
        "notes": ([f"profile {profile} keeps non-essential traffic off"] if profile != "standard" else []),
    }


def _summary_lines(post):
    head = post["provider"] + ((" " + post["plan"]) if post["plan"] else "")
    lines = [
        "{}, profile {}: prompts go to {}".format(head, post["profile"], post["prompts_go_to"]),
        "retention: {}; training: {}".format(post["retention"], post["training"]),
    ]
    lines += ["{}: {}".format(name.replace("_", " "), t["why"]) for name, t in post["traffic"].items()]
    lines.append("reaches Anthropic: %s" % ("; ".join(post["reaches_anthropic"]) or "nothing"))
    lines.append("egress allowlist: {}".format(", ".join(post["egress"])))
    return lines


def _host(i, status, name, provider, profile, intended, effective, hostile):
    value = HOSTILE if hostile else "1"
    host = {
        "host": name,
        "status": status,
        "message": "",
        "reasons": [],
        "state": "present",
        "provider": provider,
        "plan": "enterprise" if provider == "anthropic" else None,
        "profile": profile,
        "managed_file": MAIN,
        "files": [MAIN, "/etc/profile.d/claude-code.sh"],
        "drift": [],
        "other_managed_files": [],
        "intended_posture": intended,
        "effective_posture": effective,
        "weaker": [],
        "effective": {
            "env.DISABLE_TELEMETRY": {"value": value, "file": MAIN},
            "env.DISABLE_ERROR_REPORTING": {"value": "1", "file": MAIN},
            "env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": {"value": "1", "file": MAIN},
            "skipWebFetchPreflight": {"value": True, "file": MAIN},
            "feedbackSurveyRate": {"value": 0, "file": MAIN},
            "env.DISABLE_AUTOUPDATER": {"value": None, "file": None},
        },
        "sources": [
            {
                "path": MAIN,
                "kind": "main",
                "ours": True,
                "status": "ok",
                "sha256": hashlib.sha256(b"main%d" % i).hexdigest(),
                "error": None,
            }
        ],
        "mcp_servers": [],
        "managed_settings_checksum": "sha256:" + hashlib.sha256(b"settings%d" % i).hexdigest(),
        "gateway_hint_headers": i % 2 == 0,
        "cli": {"path": "/usr/local/bin/claude", "version": "2.1.331", "warnings": []},
        "posture_error": None,
    }
    if status == "drifted":
        host["message"] = "2 settings differ from the policy"
        host["drift"] = [
            {"file": MAIN, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": None},
            {"file": MAIN, "key": "permissions.deny", "expected": ["WebFetch"], "found": [value]},
        ]
        host["reasons"] = [
            f'{MAIN}: env.DISABLE_TELEMETRY: expected "1", found (absent)',
            f"{MAIN}: permissions.deny differs",
        ]
    elif status == "weakened":
        host["message"] = f"telemetry is on: {VENDOR} overrides our file"
        host["weaker"] = [
            {
                "control": "telemetry",
                "intended": "off",
                "effective": "on",
                "file": VENDOR,
                "key": "env.DISABLE_TELEMETRY",
            }
        ]
        host["effective"]["env.DISABLE_TELEMETRY"] = {"value": "0", "file": VENDOR}
        host["other_managed_files"] = [{"path": VENDOR, "read_after_ours": True}]
        host["sources"].append(
            {
                "path": VENDOR,
                "kind": "dropin",
                "ours": False,
                "status": "ok",
                "sha256": hashlib.sha256(b"vendor").hexdigest(),
                "error": None,
            }
        )
        host["reasons"] = [
            f"telemetry: intended off, effective on (env.DISABLE_TELEMETRY in {VENDOR})",
            f"drop-in {VENDOR} is read after ours",
        ]
        host["cli"]["warnings"] = [f"managed settings drop-in not owned by root: {VENDOR}"]
    elif status == "not deployed":
        host["message"] = (
            "none of its 2 files is on this host: never rolled out, or removed "
            "(fleetpolicy.claude_code.rollout writes them)"
        )
        host["drift"] = [{"file": f, "key": "(file)", "expected": "present", "found": None} for f in host["files"]]
        host["weaker"] = [
            {"control": "telemetry", "intended": "off", "effective": "on", "file": None, "key": "env.DISABLE_TELEMETRY"}
        ]
        host["effective"] = {}
        host["sources"] = []
        host["reasons"] = [host["message"]]
    elif status == "broken":
        bad = "/etc/claude-code/managed-settings.d/20-%s.json" % ("x" if not hostile else value)
        host["message"] = "a managed source cannot be parsed: Claude Code ignores it"
        host["sources"].append(
            {
                "path": bad,
                "kind": "dropin",
                "ours": False,
                "status": "unparseable",
                "sha256": None,
                "error": "Expecting ',' delimiter: line 3 column 5",
            }
        )
        host["reasons"] = [f"{bad}: unparseable: Expecting ',' delimiter: line 3 column 5"]
        host["managed_settings_checksum"] = None
        host["other_managed_files"] = [{"path": bad, "read_after_ours": True}]
    elif status == "failed":
        host.update(
            message="field 'provider' (variable claude_code_provider): got \"bedrok\"",
            state=None,
            provider=None,
            profile=None,
            plan=None,
            managed_file=None,
            files=[],
            effective={},
            sources=[],
            managed_settings_checksum=None,
            gateway_hint_headers=None,
            cli=None,
            intended_posture=None,
            effective_posture=None,
            posture_error="no policy: the task failed",
        )
        host["reasons"] = [host["message"]]
    elif status == "unreachable":
        host.update(
            message="Failed to connect to the host via ssh: Connection timed out",
            state=None,
            provider=provider,
            profile=profile,
            managed_file=None,
            files=[],
            effective={},
            sources=[],
            managed_settings_checksum=None,
            gateway_hint_headers=None,
            cli=None,
            effective_posture=None,
            posture_error="host unreachable",
        )
        host["reasons"] = [host["message"]]
    if hostile and status != "compliant":
        host["message"] = value + " " + host["message"]
        host["reasons"] = host["reasons"] + [value]
    return host


def sample_report(n=12, hostile=False, statuses=None):
    """A report document for n hosts. statuses, when given, is the status of each host."""
    postures, lines, hosts = {}, {}, []
    for i in range(n):
        status = statuses[i] if statuses is not None else status_for(i)
        provider = PROVIDERS[(i // 3) % len(PROVIDERS)]
        profile = PROFILES[(i // 2) % len(PROFILES)]
        intended = f"P-{provider}-{profile}"
        if intended not in postures:
            postures[intended] = _posture(provider, profile)
        effective = intended
        if status in ("weakened", "not deployed"):
            effective = intended + "-weak"
            if effective not in postures:
                postures[effective] = _posture(provider, profile, weak=True)
        name = "%s-%s-%04d.example.com" % (provider, profile, i)
        if hostile and i % 3 == 0:
            name = '%s<script>alert("h%d")</script>&"\'|`*_' % (name, i)
        hosts.append(_host(i, status, name, provider, profile, intended, effective, hostile))
    for pid, post in postures.items():
        lines[pid] = _summary_lines(post)
    counts = {s: sum(1 for h in hosts if h["status"] == s) for s in STATUSES}

    def breakdown(key):
        out = {}
        for h in hosts:
            name = h[key] if h[key] is not None else "(unknown)"
            row = out.setdefault(name, dict.fromkeys(STATUSES, 0))
            row[h["status"]] += 1
        return out

    bad = n - counts["compliant"]
    summary = dict(
        counts, hosts=n, compliant_fleet=not bad, by_provider=breakdown("provider"), by_profile=breakdown("profile")
    )
    summary["line"] = "%s: %d hosts - %s" % (
        "COMPLIANT" if not bad else "NOT COMPLIANT",
        n,
        ", ".join("%d %s" % (counts[s], s) for s in STATUSES),
    )
    return {
        "$schema": "https://github.com/fleetpolicy/claude_code/blob/main/docs/drift-report.schema.json",
        "schema_version": 3,
        "generator": "fleetpolicy.claude_code.drift_report",
        "generated_at": "2026-12-01T10:15:00Z",
        "ansible_version": "2.19.14",
        "provenance": {
            "collection_version": "1.0.0",
            "ansible_version": "2.19.14",
            "controller": "ops-01" if not hostile else "ops<b>01</b>&",
            "inventory_sources": ["/srv/inv/prod"] + ([HOSTILE] if hostile else []),
            "user": "alice" if not hostile else "<i>mallory</i>",
            "generated_at": "2026-12-01T10:15:00Z",
        },
        "scope": {"partial": False, "hosts_checked": n, "inventory_hosts": n, "limit": None, "pattern": "all"},
        "summary": summary,
        "statuses": list(STATUSES),
        "postures": postures,
        "summary_lines": lines,
        "hosts": hosts,
    }
