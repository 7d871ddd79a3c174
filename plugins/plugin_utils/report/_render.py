# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift report document (report/_build) written out: JSON (the document itself), JUnit XML
(through ElementTree), Prometheus metrics (report/_prometheus), and Markdown and HTML for people (templates/report.md.j2 and
templates/report.html.j2, Jinja2: a dependency of ansible-core, so on every controller).

The document is read as the builder wrote it (it ships with this module); its values are already
masked. Each format escapes them: the Markdown template through the md, md_block and code filters,
the HTML template by autoescaping, JUnit by ElementTree. Every value is written as one line, with
the control characters XML 1.0 cannot carry (and a terminal or a browser would show as garbage)
made visible (_text).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import jinja2
from markupsafe import Markup

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report._build import STATUSES
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report._prometheus import render_prometheus

FORMATS = {"json": ".json", "junit": ".junit.xml", "markdown": ".md", "html": ".html", "prometheus": ".prom"}
TITLE = "Claude Code drift and data posture"
SUITE = "fleetpolicy.claude_code.drift"
# How JUnit counts each status that is not compliant (docs/drift-report.md, "Statuses").
JUNIT = {
    "not deployed": "failure",
    "drifted": "failure",
    "weakened": "failure",
    "broken": "error",
    "failed": "error",
    "unreachable": "error",
}
MARKDOWN_COMPLIANT_DETAIL_LIMIT = 50
# How many host names a posture of the Markdown report lists (the HTML and the JSON list them all).
MARKDOWN_POSTURE_HOST_LIMIT = 50
# Hosts that need attention are listed in the order the statuses are shown, then by name.
_RANK = {status: n for n, status in enumerate(STATUSES)}
BAR_WIDTH = 40

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNCLEAN = re.compile("[\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _text(value: Any) -> str:
    """A value as one clean line: None as "", data as JSON, line breaks as spaces, control
    characters as \\xNN and lone surrogates as \\uNNNN."""
    if value is None:
        return ""
    if not isinstance(value, str):
        data = isinstance(value, (dict, list, bool))
        value = json.dumps(value, sort_keys=True, ensure_ascii=False) if data else str(value)
    if not _UNCLEAN.search(value):
        return value
    return _CONTROL.sub(_visible, value.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def _show(value: Any) -> str:
    """An expected, found or effective value: JSON, so that "1" and 1 and true differ."""
    if value is None:
        return "(absent)"
    return _CONTROL.sub(_visible, json.dumps(value, sort_keys=True, ensure_ascii=False))


def _md(value: Any) -> str:
    """Inline Markdown text: no markup, no HTML, one line; safe in a table cell too."""
    text = _text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*\[\]|~#])", r"\\\1", text)
    # GFM never reads an underscore between two letters or digits as emphasis (DISABLE_TELEMETRY).
    return re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", text)


def _md_block(value: Any) -> str:
    """Inline Markdown text that starts a paragraph or a list item's content: it must not open a
    list, a numbered item or a heading underline either."""
    return re.sub(
        r"^(\s*)(?:([-+=])|(\d+)([.)]))",
        lambda m: m.group(1) + (("\\" + m.group(2)) if m.group(2) else (m.group(3) + "\\" + m.group(4))),
        _md(value),
    )


def _code(value: Any) -> str:
    """An inline code span holding the text as is (not for table cells: | would end the cell)."""
    text = _text(value)
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return fence + pad + text + pad + fence


def _natural(text: str) -> list:
    """Sort key: web-2 before web-10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", text)]


def _by_name(host: dict) -> tuple:
    return _natural(host["host"]), host["host"]


def _group(host: dict) -> tuple[str, str]:
    return host["provider"] or "(unknown provider)", host["profile"] or "(no profile)"


def _finalize(value: Any) -> Any:
    """What every {{ expression }} of a template writes: one clean line (markup we made as is)."""
    return value if isinstance(value, Markup) else _text(value)


def _csp_hash(script: str) -> str:
    return base64.b64encode(hashlib.sha256(str(script).encode("utf-8")).digest()).decode("ascii")


_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")),
    autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
    finalize=_finalize,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    auto_reload=False,  # the templates ship with this module
)
_ENV.filters.update(md=_md, md_block=_md_block, code=_code, show=_show, csp_hash=_csp_hash)
_ENV.tests["url"] = lambda text: bool(re.match(r"https?://[^\s\"'<>]+$", text))


def _bar(counts: dict[str, int]) -> list[str]:
    """One line of text per status: █ for its share (at least one when it has a host), ░ for the rest."""
    total = sum(counts.values()) or 1
    label, digits = max(map(len, counts)), len(str(max(counts.values())))
    out = []
    for status, n in counts.items():
        filled = min(BAR_WIDTH, max(1, round(BAR_WIDTH * n / total))) if n else 0
        blocks = "█" * filled + "░" * (BAR_WIDTH - filled)
        out.append("%-*s %s %*d  %5.1f%%" % (label, status, blocks, digits, n, 100.0 * n / total))
    return out


def _provenance(report: dict) -> list[tuple[str, Any]]:
    prov = report["provenance"]
    return [
        ("Generated", prov["generated_at"]),
        ("By", prov["user"] or "unknown"),
        ("On controller", prov["controller"] or "unknown"),
        ("Inventory", ", ".join(prov["inventory_sources"]) or "none"),
        ("Collection", "fleetpolicy.claude_code " + (prov["collection_version"] or "unknown")),
        ("ansible-core", prov["ansible_version"] or "unknown"),
        ("Schema version", report["schema_version"]),
    ]


def _names(hosts: list[dict], keys: Any) -> dict[Any, list[str]]:
    """{posture id: host names in natural order} for the ids keys(host) gives."""
    out: dict[Any, list[str]] = {}
    for host in sorted(hosts, key=_by_name):
        for key in keys(host):
            out.setdefault(key, []).append(host["host"])
    return out


def _more_reasons(host: dict) -> list[str]:
    """The host's reasons that its message does not already say: a report shows each reason once,
    the message as the host's headline and these under it."""
    message = host["message"] or ""
    return [r for r in host["reasons"] if _text(r) not in _text(message)]


def _rows(report: dict, ident: str) -> dict[str, tuple[Any, str]]:
    """{label: (state, line)} of a posture's summary lines. A kind of traffic is labelled by its
    name and its state is whether it is on (its line also says why, which may differ between two
    postures that agree); any other line is its own state."""
    traffic = {
        name.replace("_", " "): bool(entry.get("enabled"))
        for name, entry in (report["postures"][ident].get("traffic") or {}).items()
    }
    rows = {}
    for n, line in enumerate(report["summary_lines"][ident]):
        label = "prompts" if n == 0 else line.split(": ", 1)[0]
        rows[label] = (traffic.get(label, line), line)
    return rows


def _differences(report: dict, intended: str, effective: str) -> list[tuple[str, str]]:
    """(intended line, effective line) for each line of the two postures whose state differs, in
    the intended posture's order ("" where one of them has no such line)."""
    was, now = _rows(report, intended), _rows(report, effective)
    out = []
    for label in [*was, *(label for label in now if label not in was)]:
        a, b = was.get(label), now.get(label)
        if (a[0] if a else None) != (b[0] if b else None):
            out.append((a[1] if a else "", b[1] if b else ""))
    return out


def _view(report: dict) -> dict[str, Any]:
    """What the Markdown and HTML templates read: the document, its hosts split into those that
    need attention (_RANK) and the compliant ones (by name, and grouped by provider and profile),
    the counts, and a number for each posture."""
    hosts, summary = report["hosts"], report["summary"]
    problems = sorted((h for h in hosts if h["status"] != "compliant"), key=lambda h: (_RANK[h["status"]], _by_name(h)))
    compliant = sorted((h for h in hosts if h["status"] == "compliant"), key=_by_name)
    counts = {status: summary[status] for status in STATUSES}
    return {
        "title": TITLE,
        "report": report,
        "statuses": STATUSES,
        "counts": counts,
        "total": sum(counts.values()),
        "problems": problems,
        "compliant": compliant,
        "groups": [(key, list(group)) for key, group in itertools.groupby(sorted(compliant, key=_group), _group)],
        "breakdowns": [
            (field, sorted(summary["by_" + field].items(), key=lambda row: (row[0].startswith("("), _natural(row[0]))))
            for field in ("provider", "profile")
        ],
        "provenance": _provenance(report),
        "numbers": {ident: n for n, ident in enumerate(report["postures"], 1)},
        # Each posture's hosts by name: those it is in effect on, and those meant to have it that do not.
        "effective_on": _names(hosts, lambda h: [h["effective_posture"]]),
        "intended_only": _names(
            hosts, lambda h: [h["intended_posture"]] if h["intended_posture"] != h["effective_posture"] else []
        ),
        "host_limit": MARKDOWN_POSTURE_HOST_LIMIT,
        "more_reasons": _more_reasons,
        "differences": lambda intended, effective: _differences(report, intended, effective),
        "lines": report["summary_lines"],
        "limit": MARKDOWN_COMPLIANT_DETAIL_LIMIT,
        "bar": _bar(counts),
    }


def render_json(report: dict) -> str:
    """The document indented by two spaces, except that each host is one line (a host is one grep
    away, and the C encoder writes it)."""
    parts = []
    for key, value in report.items():
        if key == "hosts" and value:
            text = "[\n{}\n  ]".format(",\n".join("    " + json.dumps(host, ensure_ascii=False) for host in value))
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{{\n{}\n}}\n".format(",\n".join(parts))


def render_markdown(report: dict) -> str:
    return _ENV.get_template("report.md.j2").render(_view(report)).rstrip("\n") + "\n"


def render_html(report: dict) -> str:
    return _ENV.get_template("report.html.j2").render(_view(report))


def render_junit(report: dict) -> str:
    """JUnit XML: one test case per host, in the document's order. not deployed, drifted and
    weakened are a <failure>; broken, failed and unreachable an <error>; compliant passes. A
    problem's text lists its reasons, drift and weaker controls; <system-out> holds the host's
    status and message, its posture's lines and the reasons the message does not already say."""
    hosts, lines = report["hosts"], report["summary_lines"]
    kinds = Counter(JUNIT.get(h["status"]) for h in hosts)
    totals = {"tests": str(len(hosts)), "failures": str(kinds["failure"]), "errors": str(kinds["error"])}
    totals.update(skipped="0", time="0")
    root = ET.Element("testsuites", name=TITLE, **totals)
    suite = ET.SubElement(root, "testsuite", name=SUITE, **totals, timestamp=report["generated_at"][:19])
    properties = ET.SubElement(suite, "properties")
    for name, value in [("summary", report["summary"]["line"]), *_provenance(report)]:
        ET.SubElement(properties, "property", name=name.lower(), value=_text(value))
    for host in hosts:
        case = ET.SubElement(suite, "testcase", classname=SUITE, name=_text(host["host"]), time="0")
        status, message = host["status"], _text(host["message"])
        reasons = [_text(r) for r in _more_reasons(host)]
        intended, effective = host["intended_posture"], host["effective_posture"]
        if status in JUNIT:
            problems = reasons + [
                "drift: {}: {}: expected {}, found {}".format(
                    _text(d["file"]) or "-", _text(d["key"]) or "-", _show(d["expected"]), _show(d["found"])
                )
                for d in host["drift"]
            ]
            problems += [
                "weaker: {}: intended {}, effective {} ({}: {})".format(
                    *(_text(w[k]) or "-" for k in ("control", "intended", "effective", "file", "key"))
                )
                for w in host["weaker"]
            ]
            if host["posture_error"]:
                problems.append("posture unknown: " + _text(host["posture_error"]))
            node = ET.SubElement(case, JUNIT[status], type=status, message=message or status)
            node.text = "\n".join(problems or [message or status])
        out = ["status: " + status + (" - " + message if message else "")]
        if host["state"] == "absent":
            out.append("state absent: the settings are removed from this host; Claude Code's defaults apply")
        out += [_text(line) for line in lines.get(effective or intended, [])]
        if intended and effective and intended != effective:
            out.append("intended posture (not in effect):")
            out += ["  " + _text(line) for line in lines[intended]]
        out += ["reason: " + r for r in reasons]
        ET.SubElement(case, "system-out").text = "\n".join(out)
    ET.indent(root, "  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


RENDERERS = {
    "json": render_json,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
    "prometheus": render_prometheus,
}
