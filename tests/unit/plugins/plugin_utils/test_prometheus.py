"""The drift report as Prometheus metrics (report/_prometheus): every family with # HELP and # TYPE,
one status series per status of _build.STATUSES with 1 for the host's, a series per weakened
control, drifted keys, fleet counts, the report's time; label values escaped.
tests/integration/test_prometheus.py runs promtool and a real scrape on what the playbook writes."""

import calendar
import re

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _prometheus as P
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render
from ansible_collections.fleetpolicy.claude_code.tests._support.report_samples import sample_report

_SAMPLE = re.compile(r"^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-z_][a-z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)')


def _unescape(text):
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def parse(text):
    """(help, types, samples) of the text format: samples are (name, {label: value}, float)."""
    helps, types, samples = {}, {}, []
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _sep, rest = line[7:].partition(" ")
            helps[name] = rest
        elif line.startswith("# TYPE "):
            name, _sep, kind = line[7:].partition(" ")
            types[name] = kind
        else:
            match = _SAMPLE.match(line)
            assert match, line
            labels = match.group(2) or ""
            pairs = _LABEL.findall(labels)
            assert ",".join('{}="{}"'.format(*p) for p in pairs) == labels, line
            samples.append((match.group(1), {k: _unescape(v) for k, v in pairs}, float(match.group(3))))
    return helps, types, samples


def test_every_family_has_help_and_type_and_a_prefixed_name():
    helps, types, samples = parse(_render.RENDERERS["prometheus"](sample_report(60)))
    names = {P.PREFIX + name for name, _help in P.FAMILIES}
    assert set(helps) == set(types) == names
    assert set(types.values()) == {"gauge"}
    assert {name for name, _labels, _value in samples} == names
    assert not any(name.endswith("_total") for name in names)  # nothing here is a counter
    assert _render.FORMATS["prometheus"] == ".prom"


def test_each_host_has_one_series_per_status_and_1_for_its_own():
    report = sample_report(60)
    _helps, _types, samples = parse(P.render_prometheus(report))
    status = {}
    for name, labels, value in samples:
        if name == "claude_code_host_status":
            status.setdefault(labels["host"], {})[labels["status"]] = value
    assert list(status) == [h["host"] for h in report["hosts"]]
    for host in report["hosts"]:
        assert list(status[host["host"]]) == [P.status_label(s) for s in R.STATUSES]
        assert [s for s, v in status[host["host"]].items() if v == 1] == [P.status_label(host["status"])]
        assert sum(status[host["host"]].values()) == 1
    fleet = {labels["status"]: value for name, labels, value in samples if name == "claude_code_fleet_hosts"}
    assert fleet == {P.status_label(s): report["summary"][s] for s in R.STATUSES}


def test_weakened_controls_drifted_keys_info_and_time():
    report = sample_report(60)
    _helps, _types, samples = parse(P.render_prometheus(report))
    by = {h["host"]: h for h in report["hosts"]}
    weak = [
        (labels["host"], labels["control"], labels["key"])
        for name, labels, _v in samples
        if name.endswith("weakened_control")
    ]
    assert weak and sorted(weak) == sorted(
        (h["host"], w["control"], w["key"]) for h in report["hosts"] for w in h["weaker"]
    )
    assert all(by[host]["status"] in ("weakened", "not deployed") for host, _c, _k in weak)
    drifted = {labels["host"]: value for name, labels, value in samples if name == "claude_code_host_drifted_keys"}
    assert drifted == {h["host"]: len(h["drift"]) for h in report["hosts"] if h["managed_file"] is not None}
    assert any(value == 2 for value in drifted.values())
    info = {labels["host"]: labels for name, labels, _v in samples if name == "claude_code_host_info"}
    first = report["hosts"][0]
    assert info[first["host"]]["managed_settings_checksum"] == first["managed_settings_checksum"]
    assert info[first["host"]]["provider"] == first["provider"]
    (stamp,) = [value for name, _labels, value in samples if name == "claude_code_report_timestamp_seconds"]
    assert stamp == calendar.timegm((2026, 12, 1, 10, 15, 0))  # the sample's generated_at


def test_label_values_are_escaped_and_round_trip():
    report = sample_report(12, hostile=True)
    report["hosts"][0]["host"] = 'a"b\\c\nd\ud800'
    _helps, _types, samples = parse(P.render_prometheus(report))
    hosts = {labels["host"] for name, labels, _v in samples if "host" in labels}
    assert 'a"b\\c\nd\ufffd' in hosts
    assert {h["host"] for h in report["hosts"][1:]} <= hosts


def test_status_labels_are_snake_case():
    assert P.status_label("not deployed") == "not_deployed"
    assert P.status_label("Not-Deployed ") == "not_deployed"
    assert [P.status_label(s) for s in R.STATUSES] == [s.replace(" ", "_") for s in R.STATUSES]


def test_an_empty_fleet_still_says_when_and_counts_zero():
    report = R.build({}, "2026-12-07T00:00:00Z")
    _helps, _types, samples = parse(P.render_prometheus(report))
    assert {(name, labels.get("status"), value) for name, labels, value in samples} == {
        ("claude_code_fleet_hosts", P.status_label(s), 0.0) for s in R.STATUSES
    } | {("claude_code_report_timestamp_seconds", None, float(calendar.timegm((2026, 12, 7, 0, 0, 0))))}
