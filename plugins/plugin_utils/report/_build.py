# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet drift and data-posture report: built once, on the controller, from per-host records.

A record is what playbooks/drift.yml keeps for each host: claude_code_result, the registered
result of the settings role's one task (fleetpolicy.claude_code.apply in check mode: the module's
result plus the posture the action computed), or the failure that stood in for it; None when the
host has no result at all.

build() turns {host: record} into the report document (schema: docs/drift-report.schema.json);
render_json, render_junit, render_markdown and render_html turn the document into text.
Standard library only; no I/O here.
"""

from __future__ import annotations

import json

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import is_mapping
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import plain as _plain
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _posture
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render as _render

SCHEMA_VERSION = 2
SCHEMA_ID = "https://github.com/fleetpolicy/claude_code/blob/main/docs/drift-report.schema.json"
# In order of precedence: a host gets the first that applies (docs/drift-report.md, "Statuses").
STATUSES = ("compliant", "drifted", "weakened", "broken", "failed", "unreachable")
PRECEDENCE = ("unreachable", "failed", "broken", "drifted", "weakened", "compliant")
FORMATS = {"json": ".json", "junit": ".junit.xml", "markdown": ".md", "html": ".html"}
SUITE = "fleetpolicy.claude_code.drift"

# ------------------------------------------------------------------------------------ helpers


def mask_text(text):
    """Text with credential-looking values masked."""
    if not isinstance(text, str):
        return text
    return S.mask_secrets(text)


def _mask_drift(entry):
    key = str(entry.get("key", ""))
    return {
        "file": str(entry.get("file", "")),
        "key": key,
        "expected": S.mask_keyed(key, _plain(entry.get("expected"))),
        "found": S.mask_keyed(key, _plain(entry.get("found"))),
    }


def _dropin_order(path, other):
    """True when Claude Code reads other after path (so other can override path's values)."""
    ours_dir, ours_name = path.rsplit("/", 1) if "/" in path else ("", path)
    other_dir, other_name = other.rsplit("/", 1) if "/" in other else ("", other)
    ours_is_dropin = ours_dir.endswith("/" + L.DROPIN_DIR)
    other_is_dropin = other_dir.endswith("/" + L.DROPIN_DIR)
    if not other_is_dropin:
        return False  # the main file is read first
    if not ours_is_dropin:
        return True  # every drop-in is read after the main file
    return other_name > ours_name


def _drift_message(drift):
    files = sorted({d["file"] for d in drift})
    keys = "%d drifted key%s" % (len(drift), "" if len(drift) == 1 else "s")
    return "%s in %d file%s" % (keys, len(files), "" if len(files) == 1 else "s")


def _weaker_reason(entry):
    found = entry.get("found")
    shown = "" if found is None else f" ({json.dumps(found)})"
    return "{} is {}, not {}: {}{} in {}".format(
        entry["control"],
        entry["effective"],
        entry["intended"],
        entry["key"],
        shown,
        entry.get("file") or "no file",
    )


class _Postures:
    """Each distinct posture once, under a short id (P1, P2, ...): 10,000 hosts share a handful.

    A posture is looked up by equality (a C-level comparison, far cheaper than serialising it)
    among those seen before with the same provider and model endpoint; only one seen for the
    first time is copied as plain data."""

    def __init__(self):
        self.seen = {}
        self.table = {}

    def add(self, posture):
        if not is_mapping(posture):
            return None
        bucket = self.seen.setdefault((str(posture.get("provider")), str(posture.get("model_endpoint"))), [])
        for known, ident in bucket:
            if known == posture:
                return ident
        ident = "P%d" % (len(self.table) + 1)
        self.table[ident] = _plain(posture)
        bucket.append((posture, ident))
        return ident


# The fields of a record the report reads, made plain per host. Not the posture (_Postures makes
# each distinct one plain once), the policy (only its provider is read) nor the summary lines:
# they are most of a record.
_READ = (
    "changed",
    "unreachable",
    "failed",
    "msg",
    "state",
    "path",
    "files",
    "drift",
    "other_managed_files",
    "sources",
    "cli",
)


def host_entry(name, result, postures=None):
    """One host of the report from its record (the registered claude_code_result)."""
    postures = postures if postures is not None else _Postures()
    raw = result if is_mapping(result) else {}
    result = {key: _plain(raw[key]) for key in _READ if key in raw}
    state = result.get("state")
    state = state if state in ("present", "absent") else None
    posture = raw.get("posture") if state == "present" else None
    posture = posture if is_mapping(posture) else None
    effective = raw.get("effective") if is_mapping(raw.get("effective")) else {}
    # apply returns the effective posture only where it differs from the intended one.
    effective_posture = posture if effective.get("posture_is_intended") is True else effective.get("posture")
    effective = {str(k): _plain(v) for k, v in effective.items() if k not in ("posture", "posture_is_intended")}
    posture_error = None
    if state != "absent" and posture is None:
        posture_error = str(result.get("msg") or "the policy could not be computed")

    drift = [_mask_drift(d) for d in result.get("drift") or [] if isinstance(d, dict)]
    path = result.get("path")
    weaker = [
        dict(w, key=str(w.get("key")), found=S.mask_keyed(str(w.get("key")), w.get("found")))
        for w in effective.get("weaker") or []
        if isinstance(w, dict)
    ]
    broken = [b for b in effective.get("broken") or [] if isinstance(b, dict)]
    cli = result.get("cli") if isinstance(result.get("cli"), dict) else None

    reasons = []
    if not raw:
        status, message = "failed", "no result was recorded for this host (the drift check did not run)"
    elif result.get("unreachable"):
        status, message = "unreachable", str(result.get("msg") or "the host could not be reached")
    elif result.get("failed"):
        status, message = "failed", str(result.get("msg") or "the module failed")
    elif state is None or posture_error:
        status, message = "failed", posture_error or "the result names no state"
    else:
        for entry in broken:
            reasons.append(
                "Claude Code will refuse to start on this host: {} is {} ({})".format(
                    entry.get("file"), entry.get("status"), entry.get("error")
                )
            )
        if drift or result.get("changed"):
            reasons.append(_drift_message(drift) if drift else "the host differs from its policy")
        reasons.extend(_weaker_reason(w) for w in weaker)
        if broken:
            status, message = "broken", reasons[0]
        elif drift or result.get("changed"):
            status, message = "drifted", reasons[0]
        elif weaker:
            status = "weakened"
            message = "%d control%s weaker than the policy: %s" % (
                len(weaker),
                "" if len(weaker) == 1 else "s",
                _weaker_reason(weaker[0]),
            )
        else:
            status, message = "compliant", "matches the policy, and so does what Claude Code will apply"
    if cli:
        reasons.extend(cli.get("warnings") or [])
    policy = raw.get("policy") if is_mapping(raw.get("policy")) else {}
    sources = [
        {k: e.get(k) for k in ("path", "kind", "ours", "status", "sha256", "error")}
        for e in result.get("sources") or []
        if isinstance(e, dict)
    ]
    return {
        "host": str(name),
        "status": status,
        "message": mask_text(message),
        "reasons": [mask_text(r) for r in reasons],
        "state": state,
        "provider": _plain((posture or {}).get("provider") or policy.get("provider")),
        "plan": _plain((posture or {}).get("plan")),
        "profile": _plain((posture or {}).get("profile")),
        "managed_file": str(path) if path else None,
        "files": [str(f) for f in result.get("files") or []],
        "drift": drift,
        "other_managed_files": [
            {"path": str(p), "read_after_ours": bool(path) and _dropin_order(str(path), str(p))}
            for p in result.get("other_managed_files") or []
        ],
        "sources": sources,
        "effective": {
            str(k): {"value": S.mask_keyed(str(k), v.get("value")), "file": v.get("file")}
            for k, v in (effective.get("values") or {}).items()
            if isinstance(v, dict)
        },
        "weaker": weaker,
        "mcp_servers": [str(n) for n in effective.get("mcp_servers") or []],
        "intended_posture": postures.add(posture),
        "effective_posture": postures.add(effective_posture),
        "cli": (
            {"path": cli.get("path"), "version": cli.get("version"), "warnings": list(cli.get("warnings") or [])}
            if cli
            else None
        ),
        "posture_error": mask_text(posture_error),
    }


def summary_line(summary):
    n = summary["hosts"]
    parts = ", ".join("%d %s" % (summary[s], s) for s in STATUSES)
    verdict = "COMPLIANT" if summary["compliant_fleet"] else "NOT COMPLIANT"
    return "%s: %d host%s - %s" % (verdict, n, "" if n == 1 else "s", parts)


def _counts(hosts, field):
    out = {}
    for host in hosts:
        key = host.get(field) or "(unknown)"
        bucket = out.setdefault(key, dict.fromkeys(STATUSES, 0))
        bucket[host["status"]] += 1
    return dict(sorted(out.items()))


def build(records, generated_at, ansible_version=None, provenance=None):
    """The report document from {host: record}. Hosts are sorted by name."""
    postures = _Postures()
    hosts = [host_entry(name, records[name], postures) for name in sorted(records, key=str)]
    summary = {"hosts": len(hosts)}
    for status in STATUSES:
        summary[status] = sum(1 for h in hosts if h["status"] == status)
    summary["compliant_fleet"] = bool(hosts) and summary["compliant"] == len(hosts)
    summary["line"] = summary_line(summary)
    if not hosts:
        summary["line"] += " (no hosts matched: nothing was checked)"
    summary["by_provider"] = _counts(hosts, "provider")
    summary["by_profile"] = _counts(hosts, "profile")
    prov = {
        "collection_version": None,
        "ansible_version": ansible_version,
        "controller": None,
        "inventory_sources": [],
        "user": None,
        "generated_at": generated_at,
    }
    prov.update(provenance or {})
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": "fleetpolicy.claude_code.drift_report",
        "generated_at": generated_at,
        "ansible_version": ansible_version,
        "provenance": prov,
        "statuses": list(STATUSES),
        "summary": summary,
        "postures": postures.table,
        "summary_lines": {ident: _posture.summary_lines(post, detail=True) for ident, post in postures.table.items()},
        "hosts": hosts,
    }


# ---------------------------------------------------------------------------------- renderers
# Markdown, HTML and JUnit for people and CI live in report/_render; JSON is the document itself.


def render_json(report):
    """The document indented by two spaces, except that each host is one line: the C encoder
    writes those (json indents only in Python, several times slower), and a host is one grep away."""
    parts = []
    for key, value in report.items():
        if key == "hosts" and isinstance(value, list) and value:
            text = "[\n{}\n  ]".format(",\n".join("    " + json.dumps(host, ensure_ascii=False) for host in value))
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{{\n{}\n}}\n".format(",\n".join(parts)) if parts else "{}\n"


RENDERERS = {
    "json": render_json,
    "junit": _render.render_junit,
    "markdown": _render.render_markdown,
    "html": _render.render_html,
}
