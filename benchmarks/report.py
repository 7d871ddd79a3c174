# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The drift report at fleet size, on the controller: build and render it for N hosts (default
10,000) from records shaped like the settings role's registered claude_code_result, and print
the time, the peak memory and the size of each format. On demand (make bench-report), not a test.

The records cover 5 group policies, with a few hosts drifted, weakened by a foreign drop-in,
broken, failed and unreachable, so the report does what it does for a real fleet.
"""
from __future__ import annotations

import argparse
import json
import resource
import time
import tracemalloc

# Importable through PYTHONPATH=.cache/collections (the Makefile's bench-report target sets it).
from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import ActionModule
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._policy import compute
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils import drift_report as R

GROUPS = [
    {"provider": "anthropic", "plan": "enterprise_zdr", "profile": "private"},
    {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"},
    {"provider": "vertex", "vertex_project_id": "acme-ml-prod", "vertex_region": "us-east5", "profile": "airgapped"},
    {"provider": "foundry", "foundry_resource": "acme-ai", "profile": "standard"},
    {"provider": "anthropic_aws", "aws_region": "eu-west-1", "anthropic_aws_workspace_id": "wrkspc_fleet", "profile": "private"},
]
MAIN = "/etc/claude-code/managed-settings.json"
VENDOR = "/etc/claude-code/managed-settings.d/50-vendor.json"


def record(i):
    policy = GROUPS[i % len(GROUPS)]
    computed = compute(policy)
    kind = i % 97
    if kind == 1:
        return {"unreachable": True, "msg": "Failed to connect to the host via ssh", "state": "present",
                "posture": computed["posture"], "policy": computed["policy"]}
    if kind == 2:
        return {"failed": True, "msg": "fleetpolicy.claude_code.apply: host h%d: field 'plan' (variable claude_code_plan): "
                                       "got nothing (null)" % i}
    sources = [{"path": MAIN, "kind": "main", "ours": True, "status": "ok", "sha256": "0" * 64, "error": None,
                "content": computed["settings"]}]
    drift = []
    if kind == 3:
        drift = [{"file": MAIN, "key": "env.DISABLE_TELEMETRY", "expected": "1", "found": None}]
    if kind == 4:
        sources.append({"path": VENDOR, "kind": "dropin", "ours": False, "status": "ok", "sha256": "1" * 64, "error": None,
                        "content": {"env": {"DISABLE_TELEMETRY": "", "DISABLE_ERROR_REPORTING": ""}}})
    if kind == 5:
        sources.append({"path": VENDOR, "kind": "dropin", "ours": False, "status": "unparseable", "sha256": "2" * 64,
                        "error": "not valid JSON", "content": None})
    result = {"changed": bool(drift), "path": MAIN, "files": [MAIN, "/etc/profile.d/claude-code.sh"], "drift": drift,
              "other_managed_files": [s["path"] for s in sources if not s["ours"]], "sources": sources,
              "cli": {"path": "/usr/local/bin/claude", "version": "2.1.332", "how": "package.json"},
              "state": "present", "posture": computed["posture"], "policy": computed["policy"],
              "env_names": sorted(computed["env"])}
    ActionModule._judge(result, computed, sources)
    result["sources"] = [dict((k, v) for k, v in s.items() if k != "content") for s in sources]
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", type=int, default=10000)
    args = parser.parse_args()
    records = dict(("host-%05d" % i, record(i)) for i in range(args.hosts))
    tracemalloc.start()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    report = R.build(records, "2026-12-01T00:00:00Z", "2.19.14", {"controller": "bench"})
    build_cpu, build_wall = time.process_time() - cpu0, time.perf_counter() - wall0
    sizes, times = {}, {}
    for fmt, render in R.RENDERERS.items():
        t0 = time.perf_counter()
        sizes[fmt] = len(render(report).encode("utf-8"))
        times[fmt] = time.perf_counter() - t0
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total = build_wall + sum(times.values())
    print("hosts: %d; statuses: %s" % (args.hosts, json.dumps(dict((s, report["summary"][s]) for s in R.STATUSES))))
    print("build: %.2f s wall, %.2f s CPU; distinct postures stored: %d" % (build_wall, build_cpu, len(report["postures"])))
    for fmt in R.RENDERERS:
        print("%-8s %8.2f s  %10d bytes  (%d bytes/host)" % (fmt, times[fmt], sizes[fmt], sizes[fmt] // args.hosts))
    print("build + all four formats: %.2f s; peak traced memory %.0f MB; max RSS of the process %.0f MB"
          % (total, peak / 1e6, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0))


if __name__ == "__main__":
    main()
