# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the install role left on instances that install the CLI (claude_code_version set): one
versioned directory, root-owned and not writable by users, a stable `claude` on an ordinary
user's PATH that reports the pinned version, and no temporary directories. (The `installed`
instances are parametrized in conftest.py; `claude_cli` skips, with the reason, when the
controller has no CLI to install.)"""

import json

MARKER = ".fleetpolicy-claude-code.json"
ROOT = "/opt/claude-code"


def test_one_version_directory_and_the_link(installed, claude_cli):
    version = installed.hostvars["claude_code_version"]
    directory = "%s/%s" % (ROOT, version)
    snap = installed.snapshot([ROOT, directory, directory + "/claude", directory + "/" + MARKER, installed.cli])
    assert snap[ROOT]["entries"] == [version], snap[ROOT]  # no staging or old versions left
    for path in (ROOT, directory, directory + "/claude"):
        assert (snap[path]["user"], snap[path]["group"], snap[path]["mode"]) == ("root", "root", 0o755), (
            path,
            snap[path],
        )
    assert snap[directory + "/" + MARKER]["mode"] == 0o644
    marker = json.loads(snap[directory + "/" + MARKER]["content"])
    assert marker["version"] == version and marker["platform"].startswith("linux-")
    assert snap[installed.cli]["type"] == "link"
    assert installed.host.file(installed.cli).linked_to == directory + "/claude"


def test_an_ordinary_user_runs_the_pinned_version_from_path(installed, claude_cli):
    version = installed.hostvars["claude_code_version"]
    result = installed.host.run(
        'h=$(mktemp -d) && chown nobody "$h" && setpriv --reuid=nobody --regid=nogroup --clear-groups '
        'env -i HOME="$h" PATH=/usr/local/bin:/usr/bin:/bin DISABLE_AUTOUPDATER=1 '
        'sh -c \'command -v claude && claude --version && ! test -w "$(readlink -f "$(command -v claude)")"\''
        ' </dev/null; rc=$?; rm -rf "$h"; exit $rc'
    )
    assert result.rc == 0, result.stdout + result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == installed.cli and lines[1].split()[0] == version, result.stdout
