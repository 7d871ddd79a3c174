# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet drift and data-posture report: built once, on the controller, from per-host records.

A record is what playbooks/drift.yml keeps for each host: claude_code_result, the registered
result of the settings role's one task (fleetpolicy.claude_code.apply in check mode: the module's
result plus the posture the action computed), or the failure that stood in for it; None when the
host has no result at all.

build() turns {host: record} into the report document (schema: docs/drift-report.schema.json);
report/_render turns the document into JSON, JUnit, Markdown and HTML. No I/O here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._cliread import dropin_order
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import is_mapping
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import plain as _plain
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective, _posture

SCHEMA_VERSION = 3
SCHEMA_ID = "https://github.com/fleetpolicy/claude_code/blob/main/docs/drift-report.schema.json"
# A host gets the first status that applies (docs/drift-report.md, "Statuses"). "not deployed"
# comes before "weakened": a host without our files is weaker on every control for that one
# reason. "weakened" comes before "drifted": a difference that weakens a control is named as
# such, whoever's file it is in; "drifted" is left for differences that weaken nothing.
PRECEDENCE = ("unreachable", "failed", "broken", "not deployed", "weakened", "drifted", "compliant")
# The order the report shows them in: the document's "statuses" and counts, the status bar, and
# the hosts that need attention (what is known to be wrong first, then what could not be checked).
STATUSES = ("compliant", "drifted", "weakened", "not deployed", "broken", "failed", "unreachable")


def _dropin_order(path: str, other: str) -> bool:
    """True when Claude Code reads other after path (so other can override path's values)."""
    ours_dir, ours_name = path.rsplit("/", 1) if "/" in path else ("", path)
    other_dir, other_name = other.rsplit("/", 1) if "/" in other else ("", other)
    if not other_dir.endswith("/" + L.DROPIN_DIR):
        return False  # the main file is read first
    if not ours_dir.endswith("/" + L.DROPIN_DIR):
        return True  # every drop-in is read after the main file
    return dropin_order(other_name) > dropin_order(ours_name)  # JavaScript's sort (docs/claude-code-rules.md, 7)


def _nothing_of_ours(files: list[str], drift: list[dict]) -> bool:
    """True when none of our files holds anything of ours: each file the module manages has drift,
    and every drift entry of those files expects a value that is not there (the settings file
    missing, or without any key of ours in merge mode; an rc file missing, or without our block).
    A file that matches, or holds a value of ours that differs, is deployed and drifted."""
    if not files:
        return False
    ours = [d for d in drift if d["file"] in files]
    return {d["file"] for d in ours} == set(files) and all(
        d["found"] is None and d["expected"] is not None for d in ours
    )


def _plural(n: int, word: str) -> str:
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def _weaker_reason(entry: dict) -> str:
    if entry.get("control") == "held":
        return "a user can change this policy: {} ({})".format(entry.get("file"), entry.get("found"))
    found = entry.get("found")
    shown = "" if found is None else f" ({json.dumps(found)})"
    return "{} is {}, not {}: {}{} in {}".format(
        entry["control"], entry["effective"], entry["intended"], entry["key"], shown, entry.get("file") or "no file"
    )


def _mask(host: dict) -> dict:
    """The host's entry with credentials masked, in the one pass the report makes.

    Not everything a record holds was masked on the host: the module masks the managed sources
    and env drift (plugins/modules/managed_settings.py), but not the drift of other settings keys
    (permissions, apiKeyHelper, ...), and a failure's message can come from any task of the
    play (playbooks/drift.yml keeps it) or quote an inventory value. Values found under a
    settings key are masked by that key's name and by their own look (_secrets.mask_keyed), free
    text by its look (_secrets.mask_secrets)."""
    host["message"] = S.mask_secrets(host["message"])
    host["reasons"] = [S.mask_secrets(r) if isinstance(r, str) else r for r in host["reasons"]]
    if host["posture_error"] is not None:
        host["posture_error"] = S.mask_secrets(host["posture_error"])
    for entry in host["drift"]:
        entry["expected"] = S.mask_keyed(entry["key"], entry["expected"])
        entry["found"] = S.mask_keyed(entry["key"], entry["found"])
    for entry in host["weaker"]:
        entry["found"] = S.mask_keyed(entry["key"], entry["found"])
    for key, entry in host["effective"].items():
        entry["value"] = S.mask_keyed(key, entry["value"])
    if host["cli"]:
        host["cli"]["warnings"] = [S.mask_secrets(w) if isinstance(w, str) else w for w in host["cli"]["warnings"]]
    # Text from hosts (file names, values, errors) goes to terminals, Markdown, HTML and XML:
    # control characters escaped (S.shown; JUnit XML cannot hold them). The inventory's host name
    # is the operator's own, kept as it is.
    return {k: v if k == "host" else S.shown(v, k) for k, v in host.items()}


class _Postures:
    """Each distinct posture once, under a short id (P1, P2, ...): a fleet shares a handful.

    A posture is looked up by equality among those seen before with the same provider and model
    endpoint; only one seen for the first time is copied as plain data."""

    def __init__(self) -> None:
        self.seen: dict[tuple[str, str], list] = {}
        self.table: dict[str, dict] = {}

    def add(self, posture: Any) -> str | None:
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
# each distinct one plain once), the policy (only its provider is read) nor the result's summary.
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


def host_entry(name: str, record: Any, postures: _Postures | None = None) -> dict[str, Any]:
    """One host of the report from its record (the registered claude_code_result)."""
    postures = postures if postures is not None else _Postures()
    raw = record if is_mapping(record) else {}
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

    drift = [
        {
            "file": str(d.get("file", "")),
            "key": str(d.get("key", "")),
            "expected": d.get("expected"),
            "found": d.get("found"),
        }
        for d in result.get("drift") or []
        if isinstance(d, dict)
    ]
    weaker = [
        dict(w, key=str(w.get("key")), found=w.get("found"))
        for w in effective.get("weaker") or []
        if isinstance(w, dict)
    ]
    broken = [b for b in effective.get("broken") or [] if isinstance(b, dict)]
    cli = result.get("cli") if isinstance(result.get("cli"), dict) else None
    path = result.get("path")

    # Every status that applies, with its message; the host gets the first in PRECEDENCE.
    applies = {}
    reasons = []
    if not raw:
        applies["failed"] = "no result was recorded for this host (the drift check did not run)"
    if result.get("unreachable"):
        applies["unreachable"] = str(result.get("msg") or "the host could not be reached")
    if result.get("failed"):
        applies.setdefault("failed", str(result.get("msg") or "the module failed"))
    if state is None or posture_error:
        applies.setdefault("failed", posture_error or "the result names no state")
    if not applies:  # a whole result: judge the host's files and what Claude Code will apply
        reasons += [_effective.problem_text(b) for b in broken]
        if broken:
            applies["broken"] = reasons[0]
        files = [str(f) for f in result.get("files") or []]
        if state == "present" and _nothing_of_ours(files, drift):
            # Never rolled out (or removed by hand): every control is weaker for that one reason, so
            # only what another file sets is listed besides it.
            applies["not deployed"] = (
                "none of its %s is on this host: never rolled out, or removed "
                "(fleetpolicy.claude_code.rollout writes them)" % _plural(len(files), "file")
            )
            reasons.append(applies["not deployed"])
            reasons += [_weaker_reason(w) for w in weaker if w.get("file")]
        else:
            if weaker:
                applies["weakened"] = "%s weaker than the policy: %s" % (
                    _plural(len(weaker), "control"),
                    _weaker_reason(weaker[0]),
                )
            if drift or result.get("changed"):
                drifted = (
                    "%s in %s" % (_plural(len(drift), "drifted key"), _plural(len({d["file"] for d in drift}), "file"))
                    if drift
                    else "the host differs from its policy"
                )
                applies["drifted"] = drifted
                reasons.append(drifted)
            reasons += [_weaker_reason(w) for w in weaker]
    applies["compliant"] = "matches the policy, and so does what Claude Code will apply"
    status = next(s for s in PRECEDENCE if s in applies)
    if cli:
        reasons += cli.get("warnings") or []

    policy = raw.get("policy") if is_mapping(raw.get("policy")) else {}
    return _mask(
        {
            "host": str(name),
            "status": status,
            "message": applies[status],
            "reasons": reasons,
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
            "sources": [
                {k: e.get(k) for k in ("path", "kind", "ours", "status", "sha256", "error")}
                for e in result.get("sources") or []
                if isinstance(e, dict)
            ],
            "effective": {
                str(k): {"value": v.get("value"), "file": v.get("file")}
                for k, v in (effective.get("values") or {}).items()
                if isinstance(v, dict)
            },
            "weaker": weaker,
            "mcp_servers": [str(n) for n in effective.get("mcp_servers") or []],
            "managed_settings_checksum": effective["checksum"] if isinstance(effective.get("checksum"), str) else None,
            "gateway_hint_headers": (
                bool(effective["gateway_hint_headers"]) if "gateway_hint_headers" in effective else None
            ),
            "intended_posture": postures.add(posture),
            "effective_posture": postures.add(effective_posture),
            "cli": (
                {"path": cli.get("path"), "version": cli.get("version"), "warnings": list(cli.get("warnings") or [])}
                if cli
                else None
            ),
            "posture_error": posture_error,
        }
    )


def _by(hosts: list[dict], field: str) -> dict[str, dict[str, int]]:
    """{value of field: {status: hosts}}, sorted by value."""
    out: dict[str, dict[str, int]] = {}
    for host in hosts:
        out.setdefault(host.get(field) or "(unknown)", dict.fromkeys(STATUSES, 0))[host["status"]] += 1
    return dict(sorted(out.items()))


def scope_of(hosts: int, inventory_hosts: int | None = None, limit: Any = None, pattern: Any = None) -> dict[str, Any]:
    """The document's "scope": how many hosts were checked out of how many the inventory has, and
    the --limit and host pattern that chose them. A run is partial when it checked fewer hosts
    than the inventory holds; its report is of those hosts only."""
    return {
        "partial": inventory_hosts is not None and hosts < inventory_hosts,
        "hosts_checked": hosts,
        "inventory_hosts": inventory_hosts,
        "limit": None if limit in (None, "") else str(limit),
        "pattern": None if pattern in (None, "") else str(pattern),
    }


def scope_note(scope: Mapping[str, Any]) -> str:
    """The note a partial run adds to its summary line, e.g. "partial: 2 of 5 inventory hosts
    (--limit web-01,web-02)"; "" for a run of the whole inventory."""
    if not scope.get("partial"):
        return ""
    chosen = []
    if scope.get("limit"):
        chosen.append("--limit " + scope["limit"])
    if scope.get("pattern") not in (None, "all"):
        chosen.append("hosts " + scope["pattern"])
    return "partial: %d of %s%s" % (
        scope["hosts_checked"],
        _plural(scope["inventory_hosts"], "inventory host"),
        " (%s)" % ", ".join(chosen) if chosen else "",
    )


def build(
    records: Mapping[Any, Any],
    generated_at: str,
    ansible_version: str | None = None,
    provenance: Mapping[str, Any] | None = None,
    scope: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The report document from {host: record}. Hosts are sorted by name. scope (scope_of) says
    which part of the inventory the records are; without it the run counts as whole."""
    postures = _Postures()
    hosts = [host_entry(name, records[name], postures) for name in sorted(records, key=str)]
    scope = dict(scope) if scope is not None else scope_of(len(hosts))
    # The document's "summary": counts by status, the verdict, its line, counts by provider and profile.
    counts: dict[str, Any] = {"hosts": len(hosts)}
    counts.update((s, sum(1 for h in hosts if h["status"] == s)) for s in STATUSES)
    counts["compliant_fleet"] = bool(hosts) and counts["compliant"] == len(hosts)
    note = scope_note(scope)
    counts["line"] = "%s: %s - %s%s%s" % (
        "COMPLIANT" if counts["compliant_fleet"] else "NOT COMPLIANT",
        _plural(len(hosts), "host"),
        ", ".join("%d %s" % (counts[s], s) for s in STATUSES),
        "" if hosts else " (no hosts matched: nothing was checked)",
        " (%s)" % note if note else "",
    )
    counts["by_provider"] = _by(hosts, "provider")
    counts["by_profile"] = _by(hosts, "profile")
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "generator": "fleetpolicy.claude_code.drift_report",
        "generated_at": generated_at,
        "ansible_version": ansible_version,
        "provenance": {
            "collection_version": None,
            "ansible_version": ansible_version,
            "controller": None,
            "inventory_sources": [],
            "user": None,
            "generated_at": generated_at,
            **(provenance or {}),
        },
        "scope": scope,
        "statuses": list(STATUSES),
        "summary": counts,
        "postures": postures.table,
        # Each posture's lines as the rollout prints them, one per kind of traffic too.
        "summary_lines": {ident: _posture.summary_lines(p, detail=True) for ident, p in postures.table.items()},
        "hosts": hosts,
    }
