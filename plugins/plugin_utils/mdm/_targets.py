# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which artifacts go to whom: one set per host, or one per inventory group.

An MDM assigns a profile or a script to a group of devices, so by group is the default. A group
gets artifacts when every host the inventory puts in it is in this run, wants its settings
(claude_code_settings_state present) and gets the same settings and posture; `all` and `ungrouped` never
do. Any other group (a parent of groups with different policies, a group only partly in the run)
is listed with the reason it got none. Every host of the run must be in at least one group that
gets artifacts, or the run is refused.

Private to this collection; controller side only.
"""

from __future__ import annotations

import re

BY = ("group", "host")
KINDS = {"group": "groups", "host": "hosts"}
_SKIPPED_GROUPS = ("all", "ungrouped")
# A target names a directory and goes into identifiers and a script's comment.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")


class TargetError(ValueError):
    """A run that cannot be exported as asked. The message names the host or group."""


def _check_name(kind: str, name: str) -> None:
    if not _SAFE_NAME.match(name) or name.endswith("."):
        raise TargetError(
            f"{kind} {name!r}: its name names a directory and a profile identifier here, so it must be letters, "
            "digits, '.', '_' and '-' (at most 128, starting with a letter or digit)"
            + ("; export by host (claude_code_mdm_by=host) or rename the group" if kind == "group" else "")
        )


def plan(by: str, keys: dict, groups: dict, absent: tuple = ()) -> tuple[list, dict]:
    """Targets for a run.

    keys: {host: a comparable key of what the host gets (its settings and posture)} for the hosts
    of the run that want settings; absent: hosts of the run with claude_code_settings_state absent; groups:
    Ansible's `groups` (group: every host in it). Returns ([{"kind", "name", "hosts"}], {group:
    why it got no artifacts}), targets sorted by name. Raises TargetError."""
    if by not in BY:
        raise TargetError(f"claude_code_mdm_by is {by!r}; allowed: {', '.join(BY)}")
    if by == "host":
        for host in keys:
            _check_name("host", host)
        targets = [{"kind": "host", "name": host, "hosts": [host]} for host in sorted(keys)]
        _check_distinct(targets)
        return targets, {}
    in_run = set(keys)
    absent = set(absent)
    targets = []
    skipped = {}
    for group in sorted(groups):
        members = sorted(set(groups[group] or ()))
        if group in _SKIPPED_GROUPS or not members:
            continue
        if not (in_run | absent) & set(members):
            continue
        outside = [h for h in members if h not in in_run and h not in absent]
        if outside:
            skipped[group] = "not every host of the group is in this run (%s is not)" % outside[0]
            continue
        gone = [h for h in members if h in absent]
        if gone:
            skipped[group] = f"host {gone[0]} has claude_code_settings_state absent"
            continue
        first = members[0]
        other = next((h for h in members if keys[h] != keys[first]), None)
        if other is not None:
            skipped[group] = f"its hosts get different settings ({first} and {other} differ)"
            continue
        _check_name("group", group)
        targets.append({"kind": "group", "name": group, "hosts": members})
    covered = {host for target in targets for host in target["hosts"]}
    for host in sorted(in_run - covered):
        reasons = "; ".join(f"group {g}: {why}" for g, why in sorted(skipped.items()) if host in (groups.get(g) or ()))
        raise TargetError(
            f"host {host}: no group of it can take one set of artifacts"
            + (f" ({reasons})" if reasons else " (it is in no group)")
            + "; export by host (-e claude_code_mdm_by=host), or give the host a group of its own policy"
        )
    _check_distinct(targets)
    return targets, skipped


def _check_distinct(targets: list) -> None:
    """Two targets whose directories would be one on a case-insensitive file system (macOS)."""
    seen = {}
    for target in targets:
        folded = target["name"].lower()
        if folded in seen:
            raise TargetError(
                "{} {} and {}: their names differ only in case, and would share one directory on macOS".format(
                    target["kind"], seen[folded], target["name"]
                )
            )
        seen[folded] = target["name"]
