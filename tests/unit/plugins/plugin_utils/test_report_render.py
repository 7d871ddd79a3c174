"""The renderers of the schema 3 drift report (report/_render and its templates): problems first,
escaping, JUnit counts and parseability, Markdown structure, self-contained HTML, determinism."""

import base64
import hashlib
import html.parser
import itertools
import random
import re
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render
from ansible_collections.fleetpolicy.claude_code.tests._support.report_samples import HOSTILE, VENDOR, sample_report
from ansible_collections.fleetpolicy.claude_code.tests.integration.schema_check import validate

RENDERERS = [_render.render_markdown, _render.render_html, _render.render_junit]


@pytest.fixture(scope="module")
def small():
    return sample_report(60)


@pytest.fixture(scope="module")
def hostile():
    return sample_report(60, hostile=True)


@pytest.fixture(scope="module")
def big():
    return sample_report(1000)


def _problems(report):
    return [h for h in report["hosts"] if h["status"] != "compliant"]


# ---------------------------------------------------------------------------------- ordering


def test_samples_are_valid_documents_with_every_status(small, hostile):
    assert validate(small) == [] and validate(hostile) == []
    assert {h["status"] for h in small["hosts"]} == set(R.STATUSES)


def test_problem_order_is_display_order_then_name(small):
    view = _render._view(small)
    problems, compliant = view["problems"], view["compliant"]
    assert [h["status"] for h in problems] == sorted((h["status"] for h in problems), key=R.STATUSES.index)
    assert len(problems) + len(compliant) == len(small["hosts"])
    weakened = [h["host"] for h in problems if h["status"] == "weakened"]
    assert weakened == sorted(weakened, key=_render._natural)


def test_natural_order():
    names = ["web-10", "web-2", "Web-1", "db"]
    assert sorted(names, key=_render._natural) == ["db", "Web-1", "web-2", "web-10"]


@pytest.mark.parametrize("render", [_render.render_markdown, _render.render_html])
def test_problems_come_before_compliant_hosts(small, render):
    text = render(small)
    first_compliant = next(h["host"] for h in small["hosts"] if h["status"] == "compliant")
    problem_at = [text.index(h["host"]) for h in _problems(small)]
    assert max(problem_at) < text.index(first_compliant)
    assert text.index("Hosts that need attention") < text.index("Compliant hosts")
    # the summary (with its bar) comes before both
    assert text.index("NOT COMPLIANT") < text.index("Hosts that need attention")


@pytest.mark.parametrize("render", RENDERERS)
def test_deterministic_and_independent_of_host_order(small, render):
    shuffled = dict(small, hosts=list(small["hosts"]))
    random.Random(4).shuffle(shuffled["hosts"])
    once = render(small)
    assert render(small) == once
    if render is not _render.render_junit:  # JUnit keeps the document's order, one case per host
        assert render(shuffled) == once


# ---------------------------------------------------------------------------------- JUnit


def test_junit_knows_every_status_but_compliant():
    assert set(_render.JUNIT) == set(R.STATUSES) - {"compliant"}


@pytest.mark.parametrize("hostile_", [False, True], ids=["plain", "hostile"])
def test_junit_counts_and_parse(hostile_):
    report = sample_report(200, hostile=hostile_)
    root = ET.fromstring(_render.render_junit(report).encode("utf-8"))
    suite = root.find("testsuite")
    cases = list(suite.iter("testcase"))
    by = {s: [h for h in report["hosts"] if h["status"] == s] for s in R.STATUSES}
    failures = len(by["not deployed"]) + len(by["drifted"]) + len(by["weakened"])
    errors = len(by["broken"]) + len(by["failed"]) + len(by["unreachable"])
    assert len(cases) == 200
    for node in (root, suite):
        assert (node.get("tests"), node.get("failures"), node.get("errors")) == ("200", str(failures), str(errors))
    assert sum(1 for c in cases if c.find("failure") is not None) == failures
    assert sum(1 for c in cases if c.find("error") is not None) == errors
    assert [c.get("name") for c in cases] == [h["host"] for h in report["hosts"]]
    for case, host in zip(cases, report["hosts"]):
        kind = {
            "not deployed": "failure",
            "drifted": "failure",
            "weakened": "failure",
            "broken": "error",
            "failed": "error",
            "unreachable": "error",
        }
        if host["status"] in kind:
            node = case.find(kind[host["status"]])
            assert node.get("type") == host["status"]
            assert node.get("message") == _render._text(host["message"])
        out = case.find("system-out").text
        message = _render._text(host["message"])
        assert out.startswith("status: " + host["status"] + (" - " + message if message else ""))
        for reason in host["reasons"]:  # each once: in the message, or on a line of its own
            said = _render._text(reason) in _render._text(host["message"])
            assert out.count("reason: " + _render._text(reason)) == (0 if said else 1)
        pid = host["effective_posture"] or host["intended_posture"]
        if pid:
            for line in report["summary_lines"][pid]:
                assert line in out


def test_junit_weakened_shows_intended_posture_and_weaker_control(small):
    root = ET.fromstring(_render.render_junit(small))
    host = next(h for h in small["hosts"] if h["status"] == "weakened")
    case = next(c for c in root.iter("testcase") if c.get("name") == host["host"])
    assert "weaker: telemetry: intended off, effective on" in case.find("failure").text
    out = case.find("system-out").text
    assert "intended posture (not in effect):" in out
    assert "telemetry: on: set by" in out


def test_junit_control_characters_are_made_visible(hostile):
    text = _render.render_junit(hostile)
    assert "\x1b" not in text and "\\x1b[31m" in text


# ---------------------------------------------------------------------------------- Markdown


def _sections(text):
    return [line for line in text.splitlines() if line.startswith("## ")]


def test_markdown_structure(small):
    text = _render.render_markdown(small)
    problems = _problems(small)
    assert text.startswith("# Claude Code drift and data posture\n\nGenerated 2026-12-01T10:15:00Z")
    head = text[: text.index("## Summary")]
    for needle in ("`alice`", "`ops-01`", "`/srv/inv/prod`", "fleetpolicy.claude_code 1.0.0", "ansible-core 2.19.14"):
        assert needle in head
    assert _sections(text) == [
        "## Summary",
        "## Hosts that need attention (%d)" % len(problems),
        "## Compliant hosts (%d)" % (60 - len(problems)),
        "## Host details",
        "## Postures",
    ]
    bar_lines = text.split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    assert len(bar_lines) == len(R.STATUSES)
    assert all(line.startswith(status + " ") for line, status in zip(bar_lines, R.STATUSES))
    assert all(len(re.sub("[^█░]", "", line)) == _render.BAR_WIDTH for line in bar_lines)
    assert all("█" in line for line in bar_lines)  # every status has hosts here: at least one block each
    assert "| Provider | hosts | compliant |" in text and "| Profile | hosts | compliant |" in text
    for n in range(1, len(problems) + 1):
        assert text.count('<a id="problem-%d"></a>' % n) == 1
        assert "([details](#problem-%d))" % n in text
    # 60 hosts, fewer than 50 compliant? no: compliant details are left out when there are more than 50
    compliant = 60 - len(problems)
    assert (compliant > _render.MARKDOWN_COMPLIANT_DETAIL_LIMIT) == (
        "details of the %d compliant hosts are left out" % compliant in text
    )


def test_markdown_includes_compliant_details_up_to_the_limit():
    report = sample_report(20)
    text = _render.render_markdown(report)
    compliant = [h for h in report["hosts"] if h["status"] == "compliant"]
    assert '<a id="host-%d"></a>' % len(compliant) in text
    assert "left out" not in text
    many = _render.render_markdown(sample_report(1000))
    assert "The details of the 810 compliant hosts are left out of this Markdown report (more than 50)" in many
    assert '<a id="host-1"></a>' not in many


def test_markdown_compliant_hosts_are_grouped_compactly(small):
    text = _render.render_markdown(small)
    section = text.split("## Compliant hosts", 1)[1].split("## Host details", 1)[0]
    groups = [line for line in section.splitlines() if line.startswith("**")]
    assert groups and all(re.match(r"^\*\*[a-z]+ / [a-z]+\*\* \(\d+\): ", g) for g in groups)
    assert sum(int(re.search(r"\((\d+)\)", g).group(1)) for g in groups) == sum(
        1 for h in small["hosts"] if h["status"] == "compliant"
    )


def test_markdown_escapes_hostile_text(hostile):
    text = _render.render_markdown(hostile)
    # What a Markdown renderer reads as markup: drop backslash escapes, then code spans.
    outside_code = re.sub(r"(`+)(?:(?!\1).)*?\1", "", re.sub(r"\\.", "", text))
    assert "<script" not in outside_code and "<b>" not in outside_code and "<i>" not in outside_code
    assert "](javascript:" not in outside_code
    assert "\x1b" not in text
    # table rows keep their column count whatever the names hold
    for line in text.splitlines():
        if line.startswith("| ") and "hosts" not in line:
            assert len(re.findall(r"(?<!\\)\|", line)) == 2 + len(R.STATUSES) + 1


def test_markdown_inline_escaping():
    assert _render._md("a|b") == "a\\|b"
    assert _render._md("<x> & y") == "&lt;x&gt; &amp; y"
    assert _render._md("DISABLE_TELEMETRY _em_") == "DISABLE_TELEMETRY \\_em\\_"
    assert _render._md_block("- item") == "\\- item" and _render._md_block("12. item") == "12\\. item"
    assert _render._md("2.19.14") == "2.19.14" and _render._md("- x") == "- x"
    assert _render._md("line\nbreak") == "line break"
    assert _render._code("a`b") == "``a`b``" and _render._code("`x") == "`` `x ``"


# ---------------------------------------------------------------------------------- HTML


class _Collect(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.attrs, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_data(self, data):
        self.text.append(data)


def _parse(text):
    parser = _Collect()
    parser.feed(text)
    parser.close()
    return parser


def test_html_escapes_hostile_text(hostile):
    text = _render.render_html(hostile)
    page = _parse(text)
    assert page.tags.count("script") == 1  # ours
    assert "i" not in page.tags  # the hostile user name "<i>mallory</i>" is text
    names = [h["host"] for h in hostile["hosts"]]
    data_hosts = [a["data-host"] for t, a in page.attrs if "data-host" in a]
    assert sorted(data_hosts) == sorted(_render._text(n) for n in names)  # attribute values survive intact
    joined = "".join(page.text)
    assert '<script>alert("h0")</script>&"\'|`*_' in joined
    assert _render._text(HOSTILE) in joined and "ops<b>01</b>&" in joined and "<i>mallory</i>" in joined
    assert "&lt;script&gt;" in text and "\x1b" not in text
    hrefs = [a["href"] for t, a in page.attrs if t == "a"]
    assert all(h.startswith("#") or h.startswith("https://") for h in hrefs)


def test_html_ids_are_unique_and_anchors_resolve(small):
    page = _parse(_render.render_html(small))
    assert len(page.ids) == len(set(page.ids))
    for required in ("summary", "bar", "problems", "compliant", "postures", "problem-1", "filter"):
        assert required in page.ids
    targets = [a["href"][1:] for t, a in page.attrs if t == "a" and a.get("href", "").startswith("#")]
    assert targets and set(targets) <= set(page.ids)
    details = [a for t, a in page.attrs if t == "details"]
    assert len(details) == 60  # one per host, each with its detail one click away
    assert [a["id"] for a in details if a["id"].startswith("problem-")] == [
        "problem-%d" % n for n in range(1, len(_problems(small)) + 1)
    ]


def test_html_summary_bar_and_breakdowns(small):
    text = _render.render_html(small)
    summary = text[text.index('id="summary"') : text.index('id="problems"')]
    counts = {s: sum(1 for h in small["hosts"] if h["status"] == s) for s in R.STATUSES}
    segments = re.findall(r'<span style="flex:(\d+) 1 0;background:(#[0-9a-f]{6})" title="([a-z ]+):', summary)
    assert [(int(n), s) for n, _c, s in segments] == [(counts[s], s) for s in R.STATUSES if counts[s]]
    assert "<th>provider</th>" in summary and "<th>profile</th>" in summary
    assert summary.index("NOT COMPLIANT") < summary.index('id="bar"')


def test_html_is_self_contained(big):
    text = _render.render_html(big)
    page = _parse(text)
    for tag, attrs in page.attrs:
        assert "src" not in attrs, (tag, attrs)
        assert tag not in ("link", "img", "iframe", "object", "embed", "base")
    assert "url(" not in text and "@import" not in text and "@font-face" not in text
    csp = next(a["content"] for t, a in page.attrs if a.get("http-equiv") == "Content-Security-Policy")
    assert csp.startswith("default-src 'none';")
    script = text.split("<script>", 1)[1].split("</script>", 1)[0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    # without the script everything is there: the filter starts hidden
    assert '<div id="filter" hidden>' in text


def test_html_size_at_1000_hosts(big):
    size = len(_render.render_html(big).encode("utf-8"))
    assert size < 3 * 1024 * 1024, size


def test_html_detail_content(small):
    text = _render.render_html(small)
    host = next(h for h in small["hosts"] if h["status"] == "weakened")
    start = text.index('data-host="{}"'.format(host["host"]))
    block = text[start : text.index("</details>", start)]
    for needle in (
        "Weaker than intended",
        "Effective data-handling values",
        "Managed sources",
        "Effective posture, where it differs from the intended one",
        "2.1.331",
        "CLI warning",
        '<tr class="warn"><td class="mono">env.DISABLE_TELEMETRY</td>',
    ):
        assert needle in block, needle
    broken = next(h for h in small["hosts"] if h["status"] == "broken")
    start = text.index('data-host="{}"'.format(broken["host"]))
    block = text[start : text.index("</details>", start)]
    assert '<tr class="warn">' in block and "unparseable" in block


# ---------------------------------------------------------------------------------- what a person reads


def test_each_reason_once(small):
    """A host's message is its headline; under it only the reasons it does not already say."""
    host = next(h for h in small["hosts"] if h["status"] == "not deployed")
    assert host["reasons"] == [host["message"]] and _render._more_reasons(host) == []
    md = _render.render_markdown(small)
    name = _render._md(host["host"])
    item = next(line for line in md.splitlines() if line.startswith(tuple("123456789")) and f"**{name}**" in line)
    n = int(item.split(".", 1)[0])
    details = md.split('<a id="problem-%d"></a>' % n, 1)[1].split("<a id=", 1)[0]
    assert _render._md(host["message"]) in item and _render._md(host["message"]) not in details
    html_text = _render.render_html(small)
    start = html_text.index('data-host="{}"'.format(host["host"]))
    block = html_text[start : html_text.index("</details>", start)]
    assert block.count(host["message"]) == 1 and 'class="reasons"' not in block
    weakened = next(h for h in small["hosts"] if h["status"] == "weakened")
    lines = md.splitlines()
    at = next(
        i for i, line in enumerate(lines) if line[:1].isdigit() and "**%s**" % _render._md(weakened["host"]) in line
    )
    item = [lines[at], *itertools.takewhile(lambda line: line.startswith("   - "), lines[at + 1 :])]
    n = int(lines[at].split(".", 1)[0])
    said = "\n".join(item) + md.split('<a id="problem-%d"></a>' % n, 1)[1].split("<a id=", 1)[0]
    for reason in weakened["reasons"]:
        assert said.count(_render._md_block(reason)) == 1, reason


def test_postures_name_their_hosts():
    report = sample_report(60)
    by_posture = {}
    for host in report["hosts"]:
        by_posture.setdefault(host["effective_posture"], []).append(host["host"])
    md = _render.render_markdown(report)
    html_text = _render.render_html(report)
    for n, ident in enumerate(report["postures"], 1):
        names = sorted(by_posture.get(ident, []), key=_render._natural)
        section = md.split('<a id="posture-%d"></a>' % n, 1)[1].split("<a id=", 1)[0]
        heading = section.strip().splitlines()[0]
        assert heading == "### Posture %d: effective on %d host%s" % (n, len(names), "" if len(names) == 1 else "s")
        if names:
            assert "- **effective on:** " + ", ".join(_render._md(x) for x in names) in section
        part = html_text.split('id="posture-%d"' % n, 1)[1].split('<div class="posture"', 1)[0]
        if names:
            assert "<b>effective on:</b> " + ", ".join(names) in part
    # a host whose effective posture is weaker is named under the posture it was meant to have
    weak = next(h for h in report["hosts"] if h["status"] == "weakened")
    n = list(report["postures"]).index(weak["intended_posture"]) + 1
    section = md.split('<a id="posture-%d"></a>' % n, 1)[1].split("<a id=", 1)[0]
    assert "- **intended for, not in effect on:** " in section and _render._md(weak["host"]) in section


def test_markdown_posture_host_list_is_capped():
    report = sample_report(1000, statuses=["compliant"] * 1000)
    md = _render.render_markdown(report)
    for ident in report["postures"]:
        count = sum(1 for h in report["hosts"] if h["effective_posture"] == ident)
        if count > _render.MARKDOWN_POSTURE_HOST_LIMIT:
            more = count - _render.MARKDOWN_POSTURE_HOST_LIMIT
            assert " and %d more (the HTML and JSON reports list them all)" % more in md
            break
    else:
        pytest.fail("no posture with more hosts than the limit")


def test_where_it_differs_shows_only_states_that_differ():
    """Two postures whose telemetry differs, and whose other kinds of traffic are off for another
    reason (same state, other words): one row, telemetry's."""
    report = sample_report(20)
    weak = next(h for h in report["hosts"] if h["status"] == "weakened")
    intended, effective = weak["intended_posture"], weak["effective_posture"]
    post = report["postures"][effective]
    post["traffic"]["error_reporting"] = dict(post["traffic"]["error_reporting"], why="off: DISABLE_ERROR_REPORTING=1")
    report["summary_lines"][effective] = [
        line.replace(
            "error reporting: off: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
            "error reporting: off: DISABLE_ERROR_REPORTING=1",
        )
        for line in report["summary_lines"][effective]
    ]
    rows = _render._differences(report, intended, effective)
    assert rows == [
        ("telemetry: off: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", f"telemetry: on: set by {VENDOR}"),
        ("reaches Anthropic: nothing", "reaches Anthropic: telemetry: statsig.anthropic.com"),
    ]
    html_text = _render.render_html(report)
    start = html_text.index('data-host="{}"'.format(weak["host"]))
    block = html_text[start : html_text.index("</details>", start)]
    table = block.split("where it differs from the intended one</h3>", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 1 + len(rows)  # the header and the rows
    assert "error reporting" not in table
    md = _render.render_markdown(report)
    details = md.split("· weakened", 1)[1].split("\n### ", 1)[0]
    assert "error reporting" not in details.split("- Drift")[0].split("- Weaker")[0]
    assert "  - **effective: telemetry: on: set by" in details
