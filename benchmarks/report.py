# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift report at fleet size, on the controller: build and render it for N hosts (default
10,000) from records shaped like the settings role's registered claude_code_result, and print
the time, the memory and the size of each format. On demand (make bench-report), not a test.

The records cover 5 group policies, with a few hosts drifted, weakened by a foreign drop-in,
broken, failed and unreachable, so the report does what it does for a real fleet.

"build" is what the drift_report action does before it writes the other formats: each host's
record read from a real HostVars (an inventory of N hosts, each record set as the registered
variable), the report document, then the JSON rendered and written to a file. Times are wall clock.
tracemalloc slows this code 3 to 9 times, so it is off by default: run once without it for the times
and once with --tracemalloc for the peak traced memory. The max RSS of the process is printed
either way (it includes the inventory and the records, which ansible-playbook holds too).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
import tracemalloc

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.vars.hostvars import HostVars
from ansible.vars.manager import VariableManager

# Importable through PYTHONPATH=.cache/collections (the Makefile's bench-report target sets it).
from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import judge
from ansible_collections.fleetpolicy.claude_code.plugins.action.drift_report import RESULT_VAR, _write, read_records
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render

GROUPS = [
    {"provider": "anthropic", "plan": "enterprise_zdr", "profile": "private"},
    {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"},
    {"provider": "vertex", "vertex_project_id": "acme-ml-prod", "vertex_region": "us-east5", "profile": "airgapped"},
    {"provider": "foundry", "foundry_resource": "acme-ai", "profile": "standard"},
    {
        "provider": "anthropic_aws",
        "aws_region": "eu-west-1",
        "anthropic_aws_workspace_id": "wrkspc_fleet",
        "profile": "private",
    },
]
MAIN = "/etc/claude-code/managed-settings.json"
VENDOR = "/etc/claude-code/managed-settings.d/50-vendor.json"


def record(i):
    policy = GROUPS[i % len(GROUPS)]
    computed = compute(policy)
    kind = i % 97
    if kind == 1:
        return {
            "unreachable": True,
            "msg": "Failed to connect to the host via ssh",
            "state": "present",
            "posture": computed["posture"],
            "policy": computed["policy"],
        }
    if kind == 2:
        return {
            "failed": True,
            "msg": "fleetpolicy.claude_code.apply: host h%d: field 'plan' (variable claude_code_plan): "
            "got nothing (null)" % i,
        }
    sources = [
        {
            "path": MAIN,
            "kind": "main",
            "ours": True,
            "status": "ok",
            "sha256": "0" * 64,
            "error": None,
            "content": computed["settings"],
        }
    ]
    drift = []
    if kind == 3:
        drift = [{"file": MAIN, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": None}]
    if kind == 4:
        sources.append(
            {
                "path": VENDOR,
                "kind": "dropin",
                "ours": False,
                "status": "ok",
                "sha256": "1" * 64,
                "error": None,
                "content": {"env": {"DISABLE_TELEMETRY": "", "DISABLE_ERROR_REPORTING": ""}},
            }
        )
    if kind == 5:
        sources.append(
            {
                "path": VENDOR,
                "kind": "dropin",
                "ours": False,
                "status": "unparseable",
                "sha256": "2" * 64,
                "error": "not valid JSON",
                "content": None,
            }
        )
    result = {
        "changed": bool(drift),
        "path": MAIN,
        "files": [MAIN, "/etc/profile.d/claude-code.sh"],
        "drift": drift,
        "other_managed_files": [s["path"] for s in sources if not s["ours"]],
        "sources": sources,
        "cli": {"path": "/usr/local/bin/claude", "version": "2.1.332", "how": "package.json"},
        "state": "present",
        "posture": computed["posture"],
        "policy": computed["policy"],
        "env_names": sorted(computed["env"]),
    }
    judge(result, computed, sources, host="h", check_mode=True)  # as the drift playbook runs it
    result["sources"] = [{k: v for k, v in s.items() if k != "content"} for s in sources]
    return result


def hostvars(names, dest):
    """A HostVars over an inventory of these hosts, each with its record as RESULT_VAR."""
    path = os.path.join(dest, "hosts.yml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("all:\n  hosts:\n" + "".join(f"    {name}: {{}}\n" for name in names))
    loader = DataLoader()
    inventory = InventoryManager(loader=loader, sources=[path])
    variables = VariableManager(loader=loader, inventory=inventory)
    for i, name in enumerate(names):
        variables.set_nonpersistent_facts(name, {RESULT_VAR: record(i)})
    return HostVars(inventory=inventory, variable_manager=variables, loader=loader)


def _rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=10000)
    parser.add_argument(
        "--tracemalloc", action="store_true", help="trace memory (peak traced MB); slows the run 3 to 9 times"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-report-") as dest:
        names = ["host-%05d" % i for i in range(args.hosts)]
        hvars = hostvars(names, dest)
        rss_records = _rss_mb()
        if args.tracemalloc:
            tracemalloc.start()
        wall0 = time.perf_counter()
        records = read_records(hvars, names)
        read_wall = time.perf_counter() - wall0
        report = R.build(records, "2026-12-01T00:00:00Z", "2.19.14", {"controller": "bench"})
        doc_wall = time.perf_counter() - wall0 - read_wall
        sizes, times = {}, {}
        for fmt in ["json"] + [f for f in _render.RENDERERS if f != "json"]:
            t0 = time.perf_counter()
            text = _render.RENDERERS[fmt](report)
            _write(os.path.join(dest, "report" + _render.FORMATS[fmt]), text)
            times[fmt] = time.perf_counter() - t0
            sizes[fmt] = len(text.encode("utf-8"))
            del text
    peak = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
    tracemalloc.stop()
    load = os.getloadavg()
    print("hosts: %d; statuses: %s" % (args.hosts, json.dumps({s: report["summary"][s] for s in R.STATUSES})))
    print(
        "load average (1, 5, 15 min): %.2f %.2f %.2f; tracemalloc %s" % (load + ("on" if args.tracemalloc else "off",))
    )
    print("distinct postures stored: %d" % len(report["postures"]))
    print(
        "build: {:.2f} s (records read from hostvars {:.2f} s + document {:.2f} s + JSON rendered and written {:.2f} s)".format(
            read_wall + doc_wall + times["json"], read_wall, doc_wall, times["json"]
        )
    )
    for fmt in times:
        print(
            "  %-8s %7.2f s  %10d bytes  %6d bytes/host"
            % (fmt, times[fmt], sizes[fmt], sizes[fmt] // max(args.hosts, 1))
        )
    print("build + the other three formats: %.2f s" % (read_wall + doc_wall + sum(times.values())))
    print(
        "peak traced memory: {}; max RSS of the process: {:.0f} MB ({:.0f} MB with the inventory and the records, before the build)".format(
            "%.0f MB" % (peak / 1e6) if peak is not None else "not traced (--tracemalloc)", _rss_mb(), rss_records
        )
    )


if __name__ == "__main__":
    main()
