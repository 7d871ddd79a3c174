# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift report document (report/_build) as Prometheus metrics, in the text format the
node_exporter textfile collector reads (https://prometheus.io/docs/instrumenting/exposition_formats/,
https://github.com/prometheus/node_exporter#textfile-collector): a .prom file per report, for the
whole fleet (the drift playbook on the controller) or for one host (pull mode).

Names follow https://prometheus.io/docs/practices/naming/: the claude_code_ prefix, base units
(seconds), no _total (nothing here is a counter: each file is a snapshot), a # HELP and # TYPE for
every family, label values in snake_case for statuses. No sample carries a timestamp (the
textfile collector refuses them); the report's time is a metric of its own.

    claude_code_host_status{host,status}              1 for the host's status, 0 for each other
                                                      status of _build.STATUSES
    claude_code_host_info{host,provider,plan,profile,managed_settings_checksum}   1
    claude_code_host_weakened_control{host,control,key,file}   1 per control Claude Code applies
                                                      weaker than the policy
    claude_code_host_drifted_keys{host}               drifted keys (hosts that were checked)
    claude_code_fleet_hosts{status}                   hosts per status
    claude_code_report_timestamp_seconds              when the report was generated
"""

from __future__ import annotations

import calendar
import re
import time
from typing import Any

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report._build import STATUSES

PREFIX = "claude_code_"
# (name, help) of each family, in the order they are written; all gauges.
FAMILIES = (
    (
        "host_status",
        "Status of the host in the Claude Code drift report (fleetpolicy.claude_code): 1 for the status it "
        "has, 0 for the others.",
    ),
    (
        "host_info",
        "The host's Claude Code policy (provider, plan, profile) and the managed settings checksum Claude Code "
        "sends a gateway; always 1.",
    ),
    (
        "host_weakened_control",
        "A data-handling control that Claude Code on the host applies weaker than the policy, with the "
        "settings key and file responsible; 1 per control.",
    ),
    ("host_drifted_keys", "Keys of the host's managed files that differ from its policy (hosts that were checked)."),
    ("fleet_hosts", "Hosts in the Claude Code drift report, per status."),
    ("report_timestamp_seconds", "When the Claude Code drift report was generated, in seconds since the Unix epoch."),
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def status_label(status: str) -> str:
    """A status as a label value: snake_case ("not deployed" -> not_deployed)."""
    return re.sub(r"[^0-9a-z]+", "_", status.lower()).strip("_")


def _value(text: Any) -> str:
    """A label value: escaped as the text format wants (backslash, double quote, line feed), valid UTF-8."""
    text = _SURROGATE.sub("\ufffd", "" if text is None else str(text))
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _sample(name: str, labels: dict[str, Any], value: float | int) -> str:
    inner = ",".join(f'{k}="{_value(v)}"' for k, v in labels.items())
    return "{}{}{} {}".format(PREFIX, name, "{" + inner + "}" if inner else "", _number(value))


def _number(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _epoch(generated_at: str) -> int:
    """Seconds since the epoch of the report's time (UTC, as the builder writes it: 2026-12-07T10:00:00Z)."""
    return calendar.timegm(time.strptime(generated_at[:19], "%Y-%m-%dT%H:%M:%S"))


def samples(report: dict) -> dict[str, list[str]]:
    """{family: its sample lines} of a report document."""
    out: dict[str, list[str]] = {name: [] for name, _help in FAMILIES}
    for host in report["hosts"]:
        name = host["host"]
        for status in STATUSES:
            out["host_status"].append(
                _sample("host_status", {"host": name, "status": status_label(status)}, host["status"] == status)
            )
        info = {"host": name, "provider": host["provider"], "plan": host["plan"], "profile": host["profile"]}
        info["managed_settings_checksum"] = host["managed_settings_checksum"]
        out["host_info"].append(_sample("host_info", info, 1))
        weakened = [
            _sample(
                "host_weakened_control", {"host": name, "control": w["control"], "key": w["key"], "file": w["file"]}, 1
            )
            for w in host["weaker"]
        ]
        out["host_weakened_control"].extend(dict.fromkeys(weakened))  # one series per control and place
        if host["managed_file"] is not None:
            out["host_drifted_keys"].append(_sample("host_drifted_keys", {"host": name}, len(host["drift"])))
    for status in STATUSES:
        out["fleet_hosts"].append(_sample("fleet_hosts", {"status": status_label(status)}, report["summary"][status]))
    out["report_timestamp_seconds"].append(_sample("report_timestamp_seconds", {}, _epoch(report["generated_at"])))
    return out


def render_prometheus(report: dict) -> str:
    """The report as a node_exporter textfile: each family with its # HELP and # TYPE, then its samples."""
    lines = []
    families = samples(report)
    for name, text in FAMILIES:
        lines.append(f"# HELP {PREFIX}{name} {text}")
        lines.append(f"# TYPE {PREFIX}{name} gauge")
        lines.extend(families[name])
    return "\n".join(lines) + "\n"
