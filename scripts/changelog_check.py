# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep changelogs/changelog.yaml in step with the collection (run by scripts/lint.sh).

antsibull-changelog finds new modules, plugins and roles from their version_added when a release
is made, but does not revisit a release that exists. While galaxy.yml's version is not yet
published, modules and roles keep arriving for it; this tool checks and refreshes that release.

    changelog_check.py check    exit 1 (with the list) if the release of galaxy.yml's version misses
                                a module/plugin/role whose version_added is that version, or lists
                                one that no longer exists
    changelog_check.py update   remake that release (same date, same changes, same fragments)
                                with the current modules/plugins/roles and any new fragments

Both run in a collection directory (ansible_collections/NS/NAME) and call antsibull-changelog.
"""

from __future__ import annotations

import os
import subprocess
import sys

import yaml

CHANGES = os.path.join("changelogs", "changelog.yaml")
CACHE = os.path.join("changelogs", ".plugin-cache.yaml")
CARRY = os.path.join("changelogs", "fragments", "zz-carried-over-by-changelog-check.yml")


def _load(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _store(path, data):
    """Write changelog.yaml the way antsibull-changelog writes it (config.yaml decides the style)."""
    from antsibull_changelog.changes import store_yaml_file  # pylint: disable=import-outside-toplevel

    config = _load(os.path.join("changelogs", "config.yaml"))
    store_yaml_file(path, data, nice=bool(config.get("changelog_nice_yaml")),
                    sort_keys=config.get("changelog_sort", "alphanumerical") == "alphanumerical")


def _version():
    return str(_load("galaxy.yml")["version"])


def _expected(version):
    """{(kind, type, name)} of everything whose version_added is this version."""
    subprocess.run(["antsibull-changelog", "generate", "--reload-plugins"], check=True, stdout=subprocess.DEVNULL)
    cache = _load(CACHE)
    found = set()
    for kind in ("plugins", "objects"):
        for typ, entries in (cache.get(kind) or {}).items():
            for name, entry in (entries or {}).items():
                if str(entry.get("version_added")) == version:
                    found.add((kind, typ, name))
    return found


def _listed(release):
    listed = {("plugins", "module", m["name"]) for m in release.get("modules") or []}
    for typ, entries in (release.get("plugins") or {}).items():
        listed |= {("plugins", typ, e["name"]) for e in entries}
    for typ, entries in (release.get("objects") or {}).items():
        listed |= {("objects", typ, e["name"]) for e in entries}
    return listed


def check():
    version = _version()
    releases = _load(CHANGES).get("releases") or {}
    if version not in releases:
        print("changelogs/changelog.yaml has no release %s (the galaxy.yml version)" % version)
        return 1
    expected, listed = _expected(version), _listed(releases[version])
    problems = ["missing from release %s: %s %s" % (version, t, n) for _k, t, n in sorted(expected - listed)]
    problems += ["listed in release %s but gone: %s %s" % (version, t, n) for _k, t, n in sorted(listed - expected)]
    for line in problems:
        print(line)
    return 1 if problems else 0


def update():
    version = _version()
    changes = _load(CHANGES)
    release = (changes.get("releases") or {}).pop(version, None)
    args = ["antsibull-changelog", "release", "--reload-plugins", "--version", version]
    old_fragments = []
    if release is not None:
        old_fragments = release.get("fragments") or []
        if release.get("changes"):
            with open(CARRY, "w", encoding="utf-8") as handle:
                yaml.safe_dump(release["changes"], handle, sort_keys=True)
        args += ["--date", str(release["release_date"])]
        _store(CHANGES, changes)
    subprocess.run(args, check=True)
    # Keep the names of the fragments the release was first made from.
    changes = _load(CHANGES)
    made = changes["releases"][version]
    fragments = [f for f in made.get("fragments") or [] if f != os.path.basename(CARRY)]
    made["fragments"] = sorted(set(old_fragments) | set(fragments))
    _store(CHANGES, changes)
    subprocess.run(["antsibull-changelog", "generate", "--reload-plugins"], check=True, stdout=subprocess.DEVNULL)
    if os.path.exists(CARRY):
        os.unlink(CARRY)
    return check()


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("check", "update"):
        sys.exit(__doc__)
    sys.exit(check() if sys.argv[1] == "check" else update())
