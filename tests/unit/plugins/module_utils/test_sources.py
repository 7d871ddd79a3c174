# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the managed_settings module reads beside its file (module_utils/_sources.py): the OS
family, the managed sources in Claude Code's read order, the CLI version, and the result keys the
controller consumes. (The read order against fixtures: test_effective.py; against the CLI itself:
tests/integration/test_effective_cli.py.)"""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _sources

SECRET = "sk-ant-api03-SOURCESSECRETSOURCES"


@pytest.mark.parametrize(
    "os_release, family",
    [
        ('ID=ubuntu\nID_LIKE="debian"\n', "Debian"),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "RedHat"),
        ("ID=opensuse-tumbleweed\nID_LIKE='opensuse suse'\n", "Suse"),
        ("ID=arch\n", "Archlinux"),
        ("ID=alpine\n", None),
    ],
)
def test_os_family_from_os_release(tmp_path, os_release, family):
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "os-release").write_text(os_release)
    assert _sources.detect_os_family(str(tmp_path)) == family


def test_os_family_falls_back_to_usr_lib(tmp_path):
    (tmp_path / "usr" / "lib").mkdir(parents=True)
    (tmp_path / "usr" / "lib" / "os-release").write_text("ID=debian\n")
    assert _sources.detect_os_family(str(tmp_path)) == "Debian"
    assert _sources.detect_os_family(str(tmp_path / "nothing")) is None


def _tree(tmp_path):
    base = tmp_path / "claude-code"
    (base / "managed-settings.d" / "nested.json").mkdir(parents=True)
    (base / "managed-settings.json").write_text(json.dumps({"env": {"ANTHROPIC_API_KEY": SECRET}}))
    (base / "managed-settings.d" / "20-fleet.json").write_text("{}")
    (base / "managed-settings.d" / "30-huge.json").write_bytes(b" " * (L.MANAGED_FILE_MAX_BYTES + 1))
    return base


def test_a_dropin_of_ours_is_marked_and_the_rest_listed(tmp_path):
    base = _tree(tmp_path)
    ours = str(base / "managed-settings.d" / "20-fleet.json")
    found = {os.path.basename(e["path"]): e for e in _sources.managed_sources(ours, "Debian")}
    assert list(found) == ["managed-settings.json", "20-fleet.json", "30-huge.json", "nested.json"]
    assert [n for n, e in found.items() if e["ours"]] == ["20-fleet.json"]
    # Claude Code skips a file over its 2 MiB limit with a warning (docs/claude-code-rules.md, section 4),
    # and does not list a directory among the drop-ins (section 5)
    assert (found["30-huge.json"]["status"], found["30-huge.json"]["reason"]) == ("skipped", "too-large")
    assert "larger than 2097152 bytes" in found["30-huge.json"]["error"] and found["30-huge.json"]["content"] is None
    assert found["30-huge.json"]["sha256"] is None
    assert found["nested.json"]["status"] == "ignored" and found["nested.json"]["error"].startswith("a directory")
    assert found["managed-settings.json"]["content"]["env"]["ANTHROPIC_API_KEY"] == SECRET  # as read


def test_no_plist_off_macos(tmp_path):
    base = _tree(tmp_path)
    kinds = {e["kind"] for e in _sources.managed_sources(str(base / "managed-settings.json"), "RedHat")}
    assert "plist" not in kinds


class Module:
    """The part of AnsibleModule that version_runner uses; records each command."""

    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def run_command(self, argv, check_rc=False, environ_update=None):
        home = environ_update["HOME"]
        self.calls.append((list(argv), dict(environ_update), os.path.isdir(home) and os.listdir(home) == []))
        return self.answer


def _cli(tmp_path, name="claude"):
    exe = tmp_path / "bin" / name
    exe.parent.mkdir(exist_ok=True)
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(0o755)
    return str(exe)


def test_cli_version_from_claude_version_in_an_empty_home(tmp_path):
    exe = _cli(tmp_path)
    module = Module((0, "2.1.331 (Claude Code)\n", ""))
    found = _sources.cli_version([str(tmp_path / "none"), exe], _sources.version_runner(module))
    assert found == {"path": exe, "version": "2.1.331", "how": f"{exe} --version"}
    ((argv, env, empty_home),) = module.calls
    assert argv[-2:] == [exe, "--version"] and empty_home
    assert env["DISABLE_AUTOUPDATER"] == "1" and env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    assert not os.path.exists(env["HOME"])  # removed after the run


def test_cli_version_unknown_or_absent(tmp_path):
    exe = _cli(tmp_path)
    failing = Module((1, "", "boom"))
    assert _sources.cli_version([exe], _sources.version_runner(failing))["version"] is None
    assert _sources.cli_version([exe])["how"] == "the version could not be read"
    assert _sources.cli_version([str(tmp_path / "none")]) is None


def test_read_gives_the_result_keys_masked(tmp_path):
    base = _tree(tmp_path)
    ours = str(base / "managed-settings.d" / "20-fleet.json")
    # "root": Claude Code runs as root here (the test's folders are closed to other accounts)
    result = _sources.read(Module((1, "", "")), ours, "Debian", [str(tmp_path / "none")], "root")
    assert set(result) == {"sources", "other_managed_files", "cli"} and result["cli"] is None
    assert SECRET not in json.dumps(result)
    assert result["other_managed_files"] == [str(base / "managed-settings.json")]  # 30-huge.json is not read
    keys = {"path", "kind", "ours", "status", "sha256", "error", "content", "reason", "held", "depth", "cut", "outside"}
    assert all(set(entry) == keys for entry in result["sources"])
