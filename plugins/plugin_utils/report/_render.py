# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the drift report document (schema_version 2) is rendered for people: Markdown, HTML, JUnit.

The document is built elsewhere (drift_report.build); here it is only read. Its values are
already masked; every renderer escapes them for its format. Keys this module does not know are
ignored, and a missing key reads as empty, so a newer builder does not break an older renderer.

Markdown and HTML lead with the problems: provenance, then the summary (counts by status,
provider and profile, and a bar of the statuses), then the hosts that are not compliant with
their reasons, then the compliant hosts as a compact list grouped by provider and profile, then
each host's detail (HTML: a <details> per host; Markdown: a "Host details" section) and the
postures the hosts share. Problem hosts are ordered by severity (PROBLEM_ORDER), then by name.

The HTML page is one self-contained file: inline CSS (the status bar too), a small optional
filter script (the page works without it), and a Content-Security-Policy that forbids loading
anything at view time.

Standard library only; no I/O here; the output depends on the document alone.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

STATUSES = ("compliant", "drifted", "weakened", "broken", "failed", "unreachable")
# Problems first by what is known to be wrong with the data handling, then what is unknown:
# weakened (data goes where the policy says it must not), broken (a managed source Claude Code
# cannot read), drifted (our file differs from the policy), failed, unreachable.
PROBLEM_ORDER = ("weakened", "broken", "drifted", "failed", "unreachable")
JUNIT_FAILURE = ("drifted", "weakened")
JUNIT_ERROR = ("broken", "failed", "unreachable")
SUITE = "fleetpolicy.claude_code.drift"
TITLE = "Claude Code drift and data posture"
MARKDOWN_COMPLIANT_DETAIL_LIMIT = 50
BAR_WIDTH = 40

_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What _str changes in a text: line breaks and the characters _clean escapes. Most texts have none.
_UNCLEAN = re.compile("[\r\n\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


# ---------------------------------------------------------------------------------- reading


def _clean(text):
    """Text without the characters XML 1.0 cannot carry (and a terminal or browser would show
    as garbage): control characters become \\xNN, lone surrogates \\uNNNN."""
    return _CONTROL.sub(
        lambda m: (f"\\x{ord(m.group()):02x}") if ord(m.group()) < 0x100 else (f"\\u{ord(m.group()):04x}"), text
    )


def _str(value, empty="-"):
    """A value as one clean line of text; None and "" as `empty`."""
    if value is None or value == "":
        return empty
    if not isinstance(value, str):
        value = (
            json.dumps(value, sort_keys=True, ensure_ascii=False)
            if isinstance(value, (dict, list, bool, int, float))
            else str(value)
        )
    if not _UNCLEAN.search(value):
        return value
    return _clean(value.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def _show(value):
    """An expected/found/effective value: JSON, so that "1" and 1 and true differ; None is absent."""
    if value is None:
        return "(absent)"
    try:
        return _clean(json.dumps(value, sort_keys=True, ensure_ascii=False))
    except (TypeError, ValueError):
        return _str(value)


def _dict(value):
    return value if isinstance(value, dict) else {}


def _list(value):
    return value if isinstance(value, list) else []


def _natural(text):
    """Sort key: web-2 before web-10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part.lower()) for part in re.split(r"(\d+)", text)]


def _statuses(report, hosts):
    """The statuses to show, in the document's order, with any unknown status a host has."""
    known = [s for s in _list(report.get("statuses")) if isinstance(s, str)] or list(STATUSES)
    for host in hosts:
        if host["status"] not in known:
            known.append(host["status"])
    return known


def _hosts(report):
    out = []
    for raw in _list(report.get("hosts")):
        if not isinstance(raw, dict):
            continue
        host = dict(raw)
        host["host"] = _str(raw.get("host"), "(unnamed)")
        host["status"] = _str(raw.get("status"), "unknown")
        host["message"] = _str(raw.get("message"), "")
        host["reasons"] = [_str(r) for r in _list(raw.get("reasons"))]
        out.append(host)
    return out


def _severity(status):
    return PROBLEM_ORDER.index(status) if status in PROBLEM_ORDER else len(PROBLEM_ORDER)


def _split(hosts):
    """(problem hosts in severity then name order, compliant hosts in name order)."""
    problems = sorted(
        (h for h in hosts if h["status"] != "compliant"),
        key=lambda h: (_severity(h["status"]), _natural(h["host"]), h["host"]),
    )
    compliant = sorted((h for h in hosts if h["status"] == "compliant"), key=lambda h: (_natural(h["host"]), h["host"]))
    return problems, compliant


def _counts(report, hosts):
    """Status -> count: the document's summary when it has the status, else counted here."""
    summary = _dict(report.get("summary"))
    counted = {}
    for host in hosts:
        counted[host["status"]] = counted.get(host["status"], 0) + 1
    out = {}
    for status in _statuses(report, hosts):
        value = summary.get(status)
        out[status] = value if isinstance(value, int) and not isinstance(value, bool) else counted.get(status, 0)
    return out


def _total(counts):
    return sum(counts.values())


def _groups(compliant):
    """[((provider, profile), [host, ...]), ...] sorted by provider then profile."""
    groups = {}
    for host in compliant:
        key = (_str(host.get("provider"), "(unknown provider)"), _str(host.get("profile"), "(no profile)"))
        groups.setdefault(key, []).append(host)
    return sorted(groups.items())


def _breakdown(report, key):
    """[(name, {status: count}), ...] from summary.by_provider / by_profile, sorted by name."""
    rows = []
    for name, counts in _dict(_dict(report.get("summary")).get(key)).items():
        counts = _dict(counts)
        rows.append(
            (
                _str(name, "(unknown)") if name not in ("null", "None") else "(unknown)",
                {s: c for s, c in counts.items() if isinstance(c, int) and not isinstance(c, bool)},
            )
        )
    return sorted(rows, key=lambda r: (r[0].startswith("("), _natural(r[0]), r[0]))


def _provenance(report):
    prov = _dict(report.get("provenance"))
    sources = prov.get("inventory_sources")
    sources = ", ".join(_str(s) for s in sources) if isinstance(sources, list) and sources else _str(sources, "unknown")
    return [
        ("Generated", _str(prov.get("generated_at") or report.get("generated_at"), "unknown")),
        ("By", _str(prov.get("user"), "unknown")),
        ("On controller", _str(prov.get("controller"), "unknown")),
        ("Inventory", sources),
        ("Collection", "fleetpolicy.claude_code " + _str(prov.get("collection_version"), "unknown")),
        ("ansible-core", _str(prov.get("ansible_version"), "unknown")),
        ("Schema version", _str(report.get("schema_version"), "unknown")),
    ]


def _summary_line(report, counts):
    line = _dict(report.get("summary")).get("line")
    if isinstance(line, str) and line:
        return _str(line)
    bad = _total(counts) - counts.get("compliant", 0)
    return "%s: %d hosts - %s" % (
        "COMPLIANT" if not bad else "NOT COMPLIANT",
        _total(counts),
        ", ".join("%d %s" % (n, s) for s, n in counts.items()),
    )


def _fleet_ok(report, counts):
    ok = _dict(report.get("summary")).get("compliant_fleet")
    if isinstance(ok, bool):
        return ok
    return _total(counts) == counts.get("compliant", 0)


def _posture_lines(report, posture_id):
    """The posture's summary lines from report["summary_lines"], else made from the posture."""
    if posture_id is None:
        return []
    lines = _dict(report.get("summary_lines")).get(posture_id)
    if isinstance(lines, list) and lines:
        return [_str(line) for line in lines]
    post = _dict(_dict(report.get("postures")).get(posture_id))
    if not post:
        return []
    head = _str(post.get("provider")) + ((" " + _str(post["plan"])) if post.get("plan") else "")
    return [
        "{}, profile {}: prompts go to {}".format(head, _str(post.get("profile")), _str(post.get("prompts_go_to"))),
        "retention: {}; training: {}".format(_str(post.get("retention")), _str(post.get("training"))),
    ]


def _posture_head(report, posture_id):
    lines = _posture_lines(report, posture_id)
    return lines[0] if lines else ""


def _posture_ids(report, hosts):
    """Posture id -> its number in the report (anchors are ours, not the document's ids)."""
    ids = list(_dict(report.get("postures")))
    for host in hosts:
        for key in ("intended_posture", "effective_posture"):
            if isinstance(host.get(key), str) and host[key] not in ids:
                ids.append(host[key])
    return {p: n for n, p in enumerate(ids, 1)}


def _drift_rows(host):
    return [
        (_str(d.get("file")), _str(d.get("key")), _show(d.get("expected")), _show(d.get("found")))
        for d in map(_dict, _list(host.get("drift")))
    ]


def _weaker_rows(host):
    return [
        (
            _str(w.get("control")),
            _str(w.get("intended")),
            _str(w.get("effective")),
            _str(w.get("file")),
            _str(w.get("key")),
        )
        for w in map(_dict, _list(host.get("weaker")))
    ]


def _effective_rows(host):
    rows = []
    for key, entry in _dict(host.get("effective")).items():
        entry = entry if isinstance(entry, dict) else {"value": entry}
        rows.append((_str(key), _show(entry.get("value")), _str(entry.get("file"), "(default)")))
    return sorted(rows)


def _source_rows(host):
    rows = []
    for src in map(_dict, _list(host.get("sources"))):
        ours = src.get("ours")
        rows.append(
            (
                _str(src.get("path")),
                _str(src.get("kind")),
                "ours" if ours is True else ("not ours" if ours is False else "-"),
                _str(src.get("status")),
                _str(src.get("sha256"))[:12],
                _str(src.get("error"), ""),
            )
        )
    return rows


def _cli(host):
    cli = host.get("cli")
    if not isinstance(cli, dict):
        return None
    return (
        _str(cli.get("path"), "(unknown path)"),
        _str(cli.get("version"), "(unknown version)"),
        [_str(w) for w in _list(cli.get("warnings"))],
    )


def _host_lines(host):
    """Plain lines about one host: its reasons, drift, weaker controls, posture; JUnit uses them."""
    lines = list(host["reasons"])
    lines += ["drift: {}: {}: expected {}, found {}".format(*row) for row in _drift_rows(host)]
    lines += ["weaker: {}: intended {}, effective {} ({}: {})".format(*row) for row in _weaker_rows(host)]
    if host.get("posture_error"):
        lines.append("posture unknown: {}".format(_str(host["posture_error"])))
    return lines


# ---------------------------------------------------------------------------------- JUnit


def render_junit(report):
    """JUnit XML: one test case per host. drifted and weakened are <failure>; broken, failed,
    unreachable (and any status this module does not know) are <error>; compliant passes.
    <system-out> holds the host's posture summary lines and its reasons."""
    hosts = _hosts(report)
    failures = sum(1 for h in hosts if h["status"] in JUNIT_FAILURE)
    errors = sum(1 for h in hosts if h["status"] not in JUNIT_FAILURE and h["status"] != "compliant")
    counts = _counts(report, hosts)
    stamp = _str(report.get("generated_at"), "")[:19]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name=%s tests="%d" failures="%d" errors="%d" skipped="0" time="0">'
        % (quoteattr(TITLE), len(hosts), failures, errors),
        '  <testsuite name=%s tests="%d" failures="%d" errors="%d" skipped="0" time="0"%s>'
        % (quoteattr(SUITE), len(hosts), failures, errors, (f" timestamp={quoteattr(stamp)}") if stamp else ""),
    ]
    props = [("summary", _summary_line(report, counts))] + [(k.lower(), v) for k, v in _provenance(report)]
    out.append("    <properties>")
    out += [f"      <property name={quoteattr(k)} value={quoteattr(v)}/>" for k, v in props]
    out.append("    </properties>")
    for host in hosts:
        out.append('    <testcase classname={} name={} time="0">'.format(quoteattr(SUITE), quoteattr(host["host"])))
        status = host["status"]
        if status != "compliant":
            tag = "failure" if status in JUNIT_FAILURE else "error"
            body = _host_lines(host) or [host["message"] or status]
            out.append(
                "      <{} type={} message={}>{}</{}>".format(
                    tag, quoteattr(status), quoteattr(host["message"] or status), xml_escape("\n".join(body)), tag
                )
            )
        out.append("      <system-out>{}</system-out>".format(xml_escape("\n".join(_junit_out(report, host)))))
        out.append("    </testcase>")
    out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _junit_out(report, host):
    lines = ["status: {}{}".format(host["status"], (" - " + host["message"]) if host["message"] else "")]
    intended, effective = host.get("intended_posture"), host.get("effective_posture")
    if host.get("state") == "absent":
        lines.append("state absent: the settings are removed from this host; Claude Code's defaults apply")
    shown = effective if isinstance(effective, str) else intended
    lines += _posture_lines(report, shown if isinstance(shown, str) else None)
    if isinstance(intended, str) and isinstance(effective, str) and intended != effective:
        lines.append("intended posture (not in effect):")
        lines += ["  " + line for line in _posture_lines(report, intended)]
    lines += ["reason: " + r for r in host["reasons"]]
    return lines


# ---------------------------------------------------------------------------------- Markdown


def _md(text):
    """Inline Markdown text: no markup, no HTML, one line; safe in a table cell too."""
    text = _str(text, "")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = re.sub(r"([\\`*\[\]|~#])", r"\\\1", text)
    # GFM never reads an underscore between two letters or digits as emphasis (DISABLE_TELEMETRY).
    return re.sub(r"(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])", r"\\_", text)


def _md_block(text):
    """Inline Markdown text that starts a block (a paragraph, a list item's content): it must
    not open a list, a numbered item or a heading underline either."""
    return re.sub(
        r"^(\s*)(?:([-+=])|(\d+)([.)]))",
        lambda m: m.group(1) + (("\\" + m.group(2)) if m.group(2) else (m.group(3) + "\\" + m.group(4))),
        _md(text),
    )


def _code(text):
    """An inline code span holding text as is (not for table cells: | would end the cell)."""
    text = _str(text, "")
    longest = max([len(run) for run in re.findall("`+", text)] or [0])
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return fence + pad + text + pad + fence


def _bar_lines(counts, width=BAR_WIDTH):
    """One text bar per status: █ for its share (at least one block when it has any host)."""
    total = _total(counts) or 1
    label = max([len(s) for s in counts] or [0])
    digits = len(str(max(counts.values() or [0])))
    out = []
    for status, n in counts.items():
        filled = 0 if not n else max(1, round(width * n / float(total)))
        filled = min(filled, width)
        out.append(
            "%-*s %s%s %*d  %5.1f%%"
            % (label, _str(status), "█" * filled, "░" * (width - filled), digits, n, 100.0 * n / total)
        )
    return out


def _md_breakdown(title, rows, statuses):
    if not rows:
        return []
    out = [
        "| {} | hosts | {} |".format(title, " | ".join(_md(s) for s in statuses)),
        "|---|---:|" + "---:|" * len(statuses),
    ]
    for name, counts in rows:
        out.append(
            "| %s | %d | %s |" % (_md(name), sum(counts.values()), " | ".join(str(counts.get(s, 0)) for s in statuses))
        )
    return out


def _prelude(report):
    """What both renderers start from: hosts, problems, compliant, counts, statuses, ok, posture numbers."""
    hosts = _hosts(report)
    problems, compliant = _split(hosts)
    counts = _counts(report, hosts)
    return hosts, problems, compliant, counts, list(counts), _fleet_ok(report, counts), _posture_ids(report, hosts)


def render_markdown(report):
    hosts, problems, compliant, counts, statuses, ok, posture_no = _prelude(report)
    out = ["# " + TITLE, ""]
    out.append(
        " · ".join(
            f"{k} {_code(v)}" if k in ("Inventory", "On controller", "By") else f"{k} {_md(v)}"
            for k, v in _provenance(report)
        )
    )
    out += [
        "",
        '<a id="summary"></a>',
        "",
        "## Summary",
        "",
        "**{} {}**".format("✅" if ok else "❌", _md(_summary_line(report, counts))),
        "",
    ]
    fence = "```"
    out += [fence + "text"] + _bar_lines(counts) + [fence, ""]
    for title, key in (("Provider", "by_provider"), ("Profile", "by_profile")):
        table = _md_breakdown(title, _breakdown(report, key), statuses)
        if table:
            out += table + [""]

    out += ['<a id="problems"></a>', "", "## Hosts that need attention (%d)" % len(problems), ""]
    if not problems:
        out += ["None: every host is compliant.", ""]
    for n, host in enumerate(problems, 1):
        out.append(
            "%d. **%s** `%s` %s ([details](#problem-%d))"
            % (n, _md(host["host"]), _str(host["status"]).replace("`", "'"), _md(host["message"]), n)
        )
        out += [f"   - {_md_block(r)}" for r in host["reasons"]]
    if problems:
        out.append("")

    out += ['<a id="compliant"></a>', "", "## Compliant hosts (%d)" % len(compliant), ""]
    if not compliant:
        out += ["None.", ""]
    for (provider, profile), group in _groups(compliant):
        out += [
            "**%s / %s** (%d): %s"
            % (_md(provider), _md(profile), len(group), ", ".join(_md(h["host"]) for h in group)),
            "",
        ]

    out += ["## Host details", ""]
    for n, host in enumerate(problems, 1):
        out += _md_host(report, host, "problem-%d" % n, "%d. %s" % (n, _md(host["host"])), posture_no)
    if len(compliant) > MARKDOWN_COMPLIANT_DETAIL_LIMIT:
        out += [
            "The details of the %d compliant hosts are left out of this Markdown report (more than %d); "
            "the HTML and JSON reports have them." % (len(compliant), MARKDOWN_COMPLIANT_DETAIL_LIMIT),
            "",
        ]
    else:
        for n, host in enumerate(compliant, 1):
            out += _md_host(report, host, "host-%d" % n, _md(host["host"]), posture_no)

    out += _md_postures(report, posture_no, hosts)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _md_host(report, host, anchor, title, posture_no):
    out = [f'<a id="{anchor}"></a>', "", "### {} · {}".format(title, _md(host["status"])), ""]
    if host["message"]:
        out += [_md_block(host["message"]), ""]
    out += [f"- {_md_block(r)}" for r in host["reasons"]]
    facts = []
    for label, key in (
        ("state", "state"),
        ("provider", "provider"),
        ("plan", "plan"),
        ("profile", "profile"),
        ("managed file", "managed_file"),
    ):
        if host.get(key) is not None:
            facts.append(f"{label} {_code(host[key])}")
    if facts:
        out.append("- " + ", ".join(facts))
    intended, effective = host.get("intended_posture"), host.get("effective_posture")
    if intended is not None or effective is not None:

        def ref(pid):
            if not isinstance(pid, str):
                return "unknown"
            return "[posture %d](#posture-%d) (%s)" % (
                posture_no[pid],
                posture_no[pid],
                _md(_posture_head(report, pid)),
            )

        if intended == effective:
            out.append(f"- posture: intended and effective {ref(intended)}")
        else:
            out.append(f"- posture: intended {ref(intended)}; **effective {ref(effective)}**")
            was, now = _posture_lines(report, intended), _posture_lines(report, effective)
            out += [f"  - intended: {_md(line)}" for line in was if line not in now]
            out += [f"  - **effective: {_md(line)}**" for line in now if line not in was]
    if host.get("posture_error"):
        out.append("- posture unknown: {}".format(_md(host["posture_error"])))
    cli = _cli(host)
    if cli:
        out.append(f"- Claude Code CLI {_code(cli[1])} at {_code(cli[0])}")
        out += [f"  - warning: {_md(w)}" for w in cli[2]]
    for title_, rows, fmt in (
        (
            "Drift",
            _drift_rows(host),
            lambda r: f"{_code(r[0])} {_code(r[1])}: expected {_code(r[2])}, found {_code(r[3])}",
        ),
        (
            "Weaker than intended",
            _weaker_rows(host),
            lambda r: (
                f"{_md(r[0])}: intended {_code(r[1])}, effective {_code(r[2])}, set by {_code(r[4])} in {_code(r[3])}"
            ),
        ),
        (
            "Effective data-handling values",
            _effective_rows(host),
            lambda r: f"{_code(r[0])} = {_code(r[1])} from {_code(r[2])}",
        ),
        (
            "Managed sources",
            _source_rows(host),
            lambda r: "{} {}, {}, {}{}{}".format(
                _code(r[0]),
                _md(r[1]),
                _md(r[2]),
                _md(r[3]),
                (", sha256 " + _code(r[4])) if r[4] != "-" else "",
                (": " + _md(r[5])) if r[5] else "",
            ),
        ),
    ):
        if rows:
            out.append(f"- {title_}:")
            out += ["  - " + fmt(r) for r in rows]
    out.append("")
    return out


def _md_postures(report, posture_no, hosts):
    if not posture_no:
        return []
    out = ["## Postures", ""]
    for pid, n in posture_no.items():
        users = sum(1 for h in hosts if h.get("effective_posture") == pid)
        out += [
            '<a id="posture-%d"></a>' % n,
            "",
            "### Posture %d (%s, effective on %d host%s)" % (n, _md(pid), users, "" if users == 1 else "s"),
            "",
        ]
        out += [f"- {_md_block(line)}" for line in _posture_lines(report, pid)]
        post = _dict(_dict(report.get("postures")).get(pid))
        for label, key in (("reaches Anthropic", "reaches_anthropic"), ("egress", "egress"), ("note", "notes")):
            for item in _list(post.get(key)):
                out.append(f"- {label}: {_md(item)}")
        if post.get("terms_source"):
            out.append("- terms: {}".format(_md(post["terms_source"])))
        out.append("")
    return out


# ---------------------------------------------------------------------------------- HTML

COLOURS = {
    "compliant": "#1f883d",
    "drifted": "#d29922",
    "weakened": "#e16f24",
    "broken": "#a0111f",
    "failed": "#cf222e",
    "unreachable": "#6e7781",
}
OTHER_COLOUR = "#8250df"

CSS = """
*{box-sizing:border-box}
body{margin:0;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;background:#f6f8fa}
main{max-width:1240px;margin:0 auto;padding:12px 20px 40px}
h1{font-size:20px;margin:0 0 4px}
h2{font-size:16px;margin:18px 0 6px}
.card>h2:first-child{margin-top:0}
h3{font-size:14px;margin:10px 0 4px}
code,.mono{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
a{color:#0969da}
.prov{display:flex;flex-wrap:wrap;gap:2px 16px;margin:0;color:#59636e;font-size:12px}
.prov div{display:flex;gap:4px}.prov dt{font-weight:600}.prov dd{margin:0;overflow-wrap:anywhere}
.card{background:#fff;border:1px solid #d1d9e0;border-radius:6px;padding:10px 14px;margin-top:10px}
.verdict{font-size:15px;font-weight:600;margin:0 0 8px;padding:6px 10px;border-radius:4px;overflow-wrap:anywhere}
.verdict.bad{background:#ffebe9;color:#82071e;border:1px solid #ff8182}
.verdict.good{background:#dafbe1;color:#116329;border:1px solid #4ac26b}
.bar{display:flex;height:22px;border-radius:4px;overflow:hidden;background:#eaeef2;margin:0 0 6px}
.bar span{display:block;min-width:4px;height:100%}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;margin:0 0 8px;padding:0;list-style:none;font-size:13px}
.legend li{display:flex;align-items:center;gap:5px}
.sw{display:inline-block;width:11px;height:11px;border-radius:2px}
.zero{color:#8c959f}
.breakdown{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,540px),1fr));gap:4px 24px}
.breakdown table{width:100%}
table{border-collapse:collapse;font-size:12px}
th,td{padding:1px 6px;text-align:right;border-bottom:1px solid #eaeef2;vertical-align:top}
th:first-child,td:first-child{text-align:left}
th{font-weight:600;color:#59636e;white-space:nowrap}
td.z{color:#c4cbd2}
.detail table{width:100%;margin:2px 0 8px}
.detail th,.detail td{text-align:left}
.detail td{overflow-wrap:anywhere}
.badge{display:inline-block;min-width:78px;padding:0 6px;border-radius:10px;color:#fff;font-size:12px;font-weight:600;text-align:center}
details.host{border-bottom:1px solid #eaeef2}
details.host:last-child{border-bottom:0}
details.host>summary{cursor:pointer;padding:5px 2px;list-style:none;display:grid;gap:0 8px;align-items:baseline;
grid-template-columns:16px 86px minmax(120px,330px) 1fr}
details.host>summary::-webkit-details-marker{display:none}
details.host>summary::before{content:"\\25B8";color:#59636e}
details.host[open]>summary::before{content:"\\25BE"}
.name{font-weight:600;overflow-wrap:anywhere}
.msg{overflow-wrap:anywhere}
.reasons{grid-column:3/5;margin:2px 0 0;color:#59636e;font-size:13px}
.reasons span{display:block;overflow-wrap:anywhere}
.reasons span::before{content:"\\2022  "}
.detail{padding:4px 8px 10px 26px;font-size:13px}
.detail dl{display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;margin:0 0 6px}
.detail dt{color:#59636e}.detail dd{margin:0;overflow-wrap:anywhere}
tr.warn td{background:#fff1e5}
.posture table th,.posture table td{text-align:left}
.st-ok{color:#1a7f37}.st-bad{color:#cf222e;font-weight:600}
.group h3{font-weight:600}
.hostlist{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:0 12px;margin:0 0 6px;font-size:13px}
.hostlist details>summary{cursor:pointer;overflow-wrap:anywhere;padding:1px 0}
.hostlist details[open]{grid-column:1/-1;background:#f6f8fa;border-radius:4px;margin:4px 0}
.posture ul{margin:2px 0 6px;padding-left:20px}
#filter{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin-top:10px;font-size:13px}
#filter input[type=search]{padding:3px 6px;width:240px}
.hidden,[hidden]{display:none!important}
"""

# Optional: filter the host lists by name and status. Without it every host is shown.
SCRIPT = """(function(){
var f=document.getElementById('filter');if(!f)return;f.hidden=false;
var q=document.getElementById('q'),boxes=f.querySelectorAll('input[type=checkbox]');
var items=document.querySelectorAll('[data-host]');
function run(){var t=q.value.toLowerCase(),on={};
for(var i=0;i<boxes.length;i++)on[boxes[i].value]=boxes[i].checked;
for(var j=0;j<items.length;j++){var e=items[j];
var show=on[e.getAttribute('data-status')]!==false&&e.getAttribute('data-host').toLowerCase().indexOf(t)>=0;
e.classList.toggle('hidden',!show);}}
f.addEventListener('input',run);})();"""

SCRIPT_HASH = base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")
# Nothing is loaded at view time: no fonts, scripts, images or requests; only the inline style
# and the one inline script above run.
CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{SCRIPT_HASH}'; img-src data:; base-uri 'none'; form-action 'none'"


def _e(text):
    return html.escape(_str(text, ""), quote=True)


def _colour(status):
    return COLOURS.get(status, OTHER_COLOUR)


def _badge(status):
    return f'<span class="badge" style="background:{_colour(status)}">{_e(status)}</span>'


def _html_table(headers, rows, mono=(), warn=None):
    """warn(row) true marks the row (a value from a file not ours, a source not ok)."""
    out = ["<table><thead><tr>{}</tr></thead><tbody>".format("".join(f"<th>{_e(h)}</th>" for h in headers))]
    for row in rows:
        out.append(
            "<tr{}>{}</tr>".format(
                ' class="warn"' if warn and warn(row) else "",
                "".join(
                    ('<td class="mono">%s</td>' if i in mono else "<td>%s</td>") % _e(c) for i, c in enumerate(row)
                ),
            )
        )
    out.append("</tbody></table>")
    return "".join(out)


def _html_breakdown(title, rows, statuses):
    if not rows:
        return ""
    out = [
        "<table><thead><tr><th>{}</th><th>hosts</th>{}</tr></thead><tbody>".format(
            _e(title), "".join(f"<th>{_e(s)}</th>" for s in statuses)
        )
    ]
    for name, counts in rows:
        out.append(
            "<tr><td>%s</td><td>%d</td>%s</tr>"
            % (
                _e(name),
                sum(counts.values()),
                "".join(('<td class="z">0</td>' if not counts.get(s) else "<td>%d</td>" % counts[s]) for s in statuses),
            )
        )
    out.append("</tbody></table>")
    return "".join(out)


def _html_bar(counts):
    total = _total(counts) or 1
    segs = []
    for status, n in counts.items():
        if n:
            title = "%s: %d (%.1f%%)" % (status, n, 100.0 * n / total)
            segs.append('<span style="flex:%d 1 0;background:%s" title="%s"></span>' % (n, _colour(status), _e(title)))
    legend = "".join(
        '<li%s><span class="sw" style="background:%s"></span>%s <b>%d</b></li>'
        % ("" if n else ' class="zero"', _colour(s), _e(s), n)
        for s, n in counts.items()
    )
    return '<div class="bar" id="bar" role="img" aria-label="{}">{}</div><ul class="legend">{}</ul>'.format(
        _e(", ".join("%d %s" % (n, s) for s, n in counts.items())),
        "".join(segs),
        legend,
    )


def _html_detail(report, host, posture_no):
    out = ['<div class="detail">']
    facts = []
    policy = [
        f"{label} <b>{_e(host[key])}</b>"
        for label, key in (("state", "state"), ("provider", "provider"), ("plan", "plan"), ("profile", "profile"))
        if host.get(key) is not None
    ]
    if policy:
        facts.append(("policy", " &middot; ".join(policy)))
    if host.get("managed_file") is not None:
        facts.append(("managed file", '<span class="mono">{}</span>'.format(_e(host["managed_file"]))))
    files = _list(host.get("files"))
    if files:
        facts.append(("files", "<br>".join(f'<span class="mono">{_e(f)}</span>' for f in files)))
    intended, effective = host.get("intended_posture"), host.get("effective_posture")

    def ref(pid):
        if not isinstance(pid, str):
            return "unknown"
        return '<a href="#posture-%d">posture %d</a> %s' % (
            posture_no[pid],
            posture_no[pid],
            _e(_posture_head(report, pid)),
        )

    if intended is not None or effective is not None:
        if intended == effective:
            facts.append(("posture", "intended = effective: " + ref(intended)))
        else:
            facts.append(("intended posture", ref(intended)))
            facts.append(("effective posture", f'<b class="st-bad">{ref(effective)}</b>'))
    if host.get("posture_error"):
        facts.append(("posture unknown", _e(host["posture_error"])))
    cli = _cli(host)
    if cli:
        facts.append(
            (
                "Claude Code CLI",
                f'<span class="mono">{_e(cli[1])}</span> at <span class="mono">{_e(cli[0])}</span>',
            )
        )
        facts += [("CLI warning", _e(w)) for w in cli[2]]
    if facts:
        out.append("<dl>{}</dl>".format("".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in facts)))
    if isinstance(intended, str) and isinstance(effective, str) and intended != effective:
        was, now = _posture_lines(report, intended), _posture_lines(report, effective)
        out.append(
            "<h3>Effective posture, where it differs from the intended one</h3>"
            + _html_table(
                ["intended", "effective"],
                _zip_lines([line for line in was if line not in now], [line for line in now if line not in was]),
            )
        )
    ours = {_str(src.get("path")) for src in map(_dict, _list(host.get("sources"))) if src.get("ours") is True}
    if host.get("managed_file") is not None:
        ours.add(_str(host["managed_file"]))
    for title, headers, rows, mono, warn in (
        ("Drift", ["file", "key", "expected", "found"], _drift_rows(host), (0, 1, 2, 3), None),
        (
            "Weaker than intended",
            ["control", "intended", "effective", "set in", "by key"],
            _weaker_rows(host),
            (3, 4),
            None,
        ),
        (
            "Effective data-handling values",
            ["key", "value", "from"],
            _effective_rows(host),
            (0, 1, 2),
            lambda r: ours and r[2] != "(default)" and r[2] not in ours,
        ),
        (
            "Managed sources",
            ["path", "kind", "owner", "status", "sha256", "error"],
            _source_rows(host),
            (0, 4),
            lambda r: r[3] != "ok",
        ),
    ):
        if rows:
            out.append(f"<h3>{_e(title)}</h3>{_html_table(headers, rows, mono, warn)}")
    out.append("</div>")
    return "".join(out)


def _zip_lines(left, right):
    n = max(len(left), len(right))
    return [(left[i] if i < len(left) else "", right[i] if i < len(right) else "") for i in range(n)]


def render_html(report):
    hosts, problems, compliant, counts, statuses, ok, posture_no = _prelude(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{_e(TITLE)}: {_e(_summary_line(report, counts))}</title>",
        f"<style>{CSS.strip()}</style></head><body><main>",
        f"<header><h1>{_e(TITLE)}</h1>",
        '<dl class="prov" id="provenance">{}</dl></header>'.format(
            "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in _provenance(report))
        ),
    ]

    parts.append(
        '<section class="card" id="summary"><p class="verdict {}">{}</p>{}<div class="breakdown">{}{}</div></section>'.format(
            "good" if ok else "bad",
            _e(_summary_line(report, counts)),
            _html_bar(counts),
            _html_breakdown("provider", _breakdown(report, "by_provider"), statuses),
            _html_breakdown("profile", _breakdown(report, "by_profile"), statuses),
        )
    )
    parts.append(
        '<div id="filter" hidden><label>Filter hosts <input type="search" id="q" placeholder="host name"></label>{}</div>'.format(
            "".join(
                f'<label><input type="checkbox" value="{_e(s)}" checked> {_e(s)}</label>' for s in statuses if counts[s]
            )
        )
    )

    parts.append('<section class="card" id="problems"><h2>Hosts that need attention (%d)</h2>' % len(problems))
    if not problems:
        parts.append("<p>None: every host is compliant.</p>")
    for n, host in enumerate(problems, 1):
        reasons = "".join(f"<span>{_e(r)}</span>" for r in host["reasons"])
        parts.append(
            '<details class="host" id="problem-%d" data-host="%s" data-status="%s"><summary>%s<span class="name">%s</span>'
            '<span class="msg">%s</span>%s</summary>%s</details>'
            % (
                n,
                _e(host["host"]),
                _e(host["status"]),
                _badge(host["status"]),
                _e(host["host"]),
                _e(host["message"]),
                (f'<span class="reasons">{reasons}</span>') if reasons else "",
                _html_detail(report, host, posture_no),
            )
        )
    parts.append("</section>")

    parts.append('<section class="card" id="compliant"><h2>Compliant hosts (%d)</h2>' % len(compliant))
    if not compliant:
        parts.append("<p>None.</p>")
    n = 0
    for (provider, profile), group in _groups(compliant):
        parts.append(
            '<div class="group"><h3>%s / %s (%d)</h3><div class="hostlist">' % (_e(provider), _e(profile), len(group))
        )
        for host in group:
            n += 1
            parts.append(
                '<details id="host-%d" data-host="%s" data-status="compliant"><summary>%s</summary>%s</details>'
                % (n, _e(host["host"]), _e(host["host"]), _html_detail(report, host, posture_no))
            )
        parts.append("</div></div>")
    parts.append("</section>")

    if posture_no:
        parts.append('<section class="card" id="postures"><h2>Postures (%d)</h2>' % len(posture_no))
        all_postures = _dict(report.get("postures"))
        for pid, n in posture_no.items():
            post = _dict(all_postures.get(pid))
            users = sum(1 for h in hosts if h.get("effective_posture") == pid)
            parts.append(
                '<div class="posture" id="posture-%d"><h3>Posture %d <span class="mono">%s</span>, effective on %d host%s</h3><ul>%s</ul>'
                % (
                    n,
                    n,
                    _e(pid),
                    users,
                    "" if users == 1 else "s",
                    "".join(f"<li>{_e(line)}</li>" for line in _posture_lines(report, pid)),
                )
            )
            # The summary lines say why each kind of traffic is on or off; the table adds where it goes.
            traffic = [
                (_str(name), _str(_dict(t).get("why")), ", ".join(_str(h) for h in _list(_dict(t).get("hosts"))) or "-")
                for name, t in _dict(post.get("traffic")).items()
                if _dict(t).get("enabled")
            ]
            if traffic:
                parts.append(_html_table(["optional traffic on", "why", "to"], traffic, (2,)))
            extra = [("note", _str(item)) for item in _list(post.get("notes"))]
            terms = post.get("terms_source")
            if extra or terms:
                parts.append(
                    '<div class="detail" style="padding-left:0"><dl>{}{}</dl></div>'.format(
                        "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in extra),
                        (f"<dt>terms</dt><dd>{_link(terms)}</dd>") if terms else "",
                    )
                )
            parts.append("</div>")
        parts.append("</section>")
    parts.append(f"</main><script>{SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"


def _link(url):
    text = _str(url, "")
    if re.match(r"^https?://[^\s\"'<>]+$", text):
        return f'<a href="{_e(text)}" rel="noreferrer noopener">{_e(text)}</a>'
    return _e(text)


RENDERERS = {"junit": render_junit, "markdown": render_markdown, "html": render_html}
