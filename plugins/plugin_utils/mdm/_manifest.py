# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The manifest of an MDM export: which hosts and groups get which files, and the data posture
and egress of each, with what differs on a host the settings reach through an MDM rather than a
push (delivery_notes). JSON with sorted keys and no time stamp, so a second run writes the same bytes.

Private to this collection; controller side only.
"""

from __future__ import annotations

import json

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.mdm import _plist, _registry

NAME = "manifest.json"
GENERATOR = "fleetpolicy.claude_code.mdm_export"
FORMAT = 1


def delivery_notes(computed: dict) -> list:
    """What differs from a push on a laptop that gets these settings through an MDM."""
    env = computed["settings"].get("env") or {}
    policy = computed["policy"]
    notes = [
        "No shell rc exports here: every variable rides in the settings' env ({} variables: {}).".format(
            len(env), " ".join(sorted(env)) or "none"
        ),
        f"macOS: the configuration profile (preference domain {_plist.DOMAIN}) outranks /Library/Application Support/ClaudeCode/"
        "managed-settings.json on the same Mac: with the default managedSourcesBehavior (first-wins) the highest "
        "managed source present decides (server-managed, then MDM, then the file; CLI 2.1.332), so a file left by "
        "an SSH rollout stops applying.",
        "Windows: {}\\{} outranks C:\\Program Files\\ClaudeCode\\managed-settings.json (CLI 2.1.331 and later), and a "
        "value Claude Code cannot read can stop it from starting: try the value on one laptop first.".format(
            _registry.HIVE_KEY.replace("HKEY_LOCAL_MACHINE", "HKLM"), _registry.VALUE_NAME
        ),
        "Desktop apps and IDE extensions read the same managed settings as the CLI, so their sessions get this env "
        "without a login shell; a variable an app sets in its own launch environment still wins for that variable.",
        "Check one laptop: /status lists 'Enterprise managed settings (plist)' on macOS, "
        "'Enterprise managed settings (HKLM)' from the registry value, 'Enterprise managed settings (file)' from the "
        "Intune script's file, under Setting sources.",
    ]
    if policy.get("provider") == "anthropic" and policy.get("base_url"):
        notes.append(
            "Every session gets ANTHROPIC_BASE_URL from the managed settings only (no rc export): one with "
            "ANTHROPIC_API_KEY still looks api.anthropic.com up at start-up (see the posture's notes); give gateway "
            "credentials as ANTHROPIC_AUTH_TOKEN."
        )
    return notes


def target_entry(target: dict, files: dict, computed: dict, identifiers: dict, credentials: list) -> dict:
    """One target's entry: hosts, files (relative path and sha256 by role), posture, egress, notes."""
    entry = {
        "kind": target["kind"],
        "name": target["name"],
        "hosts": list(target["hosts"]),
        "files": files,
        "profile": identifiers,
        "posture": computed["posture"],
        "egress": list(computed["egress"]),
        "delivery_notes": delivery_notes(computed),
    }
    if credentials:
        entry["credentials"] = {
            "env": sorted(credentials),
            "note": "allow_secrets is true: these variables are in every file here; a Mac's managed preferences, "
            "the registry value and managed-settings.json are readable by every user of the laptop",
        }
    return entry


def render(by: str, entries: list, skipped_groups: dict, absent: list) -> bytes:
    """The manifest as bytes (JSON, sorted keys, 2-space indent, final line feed)."""
    hosts = {}
    for entry in entries:
        for host in entry["hosts"]:
            hosts.setdefault(host, []).append(entry["kind"] + "s/" + entry["name"])
    manifest = {
        "generator": GENERATOR,
        "format": FORMAT,
        "by": by,
        "targets": sorted(entries, key=lambda e: e["name"]),
        "hosts": {host: sorted(where) for host, where in sorted(hosts.items())},
        "groups_without_artifacts": dict(sorted(skipped_groups.items())),
        "hosts_with_state_absent": sorted(absent),
    }
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
