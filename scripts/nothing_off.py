# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The nothing-off gate (scripts/lint.sh): no check of the gates is switched off.

Fails on: ansible-lint ignore files, ansible-test sanity ignore files, noqa comments in YAML, Jinja,
Python or inventory files, an ansible-lint config with ``warn_list``, ``exclude_paths`` or mocks,
a profile other than production or strict off, and a ``skip_list`` that is anything but exactly
ALLOWED_SKIPS. Run in the checkout: ``python scripts/nothing_off.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

# The one rule skip this collection allows: the settings role's variables are named after the
# collection's settings (claude_code_*), not after the role (settings_*), by design.
ALLOWED_SKIPS = ["var-naming[no-role-prefix]"]
CONFIGS = (
    ".ansible-lint",
    ".ansible-lint.yml",
    ".ansible-lint.yaml",
    ".config/ansible-lint.yml",
    ".config/ansible-lint.yaml",
)
IGNORE_FILE = re.compile(
    r"(^|/)\.ansible-lint-ignore$|(^|/)\.config/ansible-lint-ignore\.txt$|^tests/sanity/ignore-[^/]*\.txt$"
)
CHECKED_FOR_NOQA = re.compile(r"\.(ya?ml|j2|py)$|(^|/)(hosts|inventory)$")
# (spelled in two parts so that this file does not match itself)
NOQA = re.compile(r"#\s*" + "no" + "qa", re.I)


def problems(files, read):
    """Every way a check is switched off in FILES (paths), READ(path) -> text or None."""
    found = []
    for name in files:
        if IGNORE_FILE.search(name):
            found.append(f"{name}: an ignore file")
        if CHECKED_FOR_NOQA.search(name):
            text = read(name)
            for number, line in enumerate((text or "").splitlines(), 1):
                if NOQA.search(line):
                    found.append("%s:%d: a noqa comment" % (name, number))
    configs = [name for name in CONFIGS if name in files]
    if not configs:
        found.append("no ansible-lint configuration ({})".format(", ".join(CONFIGS)))
    for name in configs:
        data = yaml.safe_load(read(name) or "") or {}
        skips = data.get("skip_list") or []
        if skips and skips != ALLOWED_SKIPS:
            found.append(f"{name}: skip_list {skips} (only {ALLOWED_SKIPS} is allowed)")
        for key in ("warn_list", "exclude_paths", "mock_modules", "mock_roles", "mock_filters"):
            if data.get(key):
                found.append(f"{name}: {key} {data[key]}")
        if data.get("profile") != "production" or data.get("strict") is not True:
            found.append(f"{name}: profile must be production and strict true")
    return found


def main():
    files = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"], capture_output=True, text=True, check=True
    ).stdout.splitlines()

    def read(name):
        try:
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError):
            return None

    found = problems(files, read)
    if found:
        sys.exit("checks switched off:\n  " + "\n  ".join(found))
    print("none (%d files; allowed ansible-lint skip: %s)" % (len(files), ", ".join(ALLOWED_SKIPS)))


if __name__ == "__main__":
    main()
