# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The install role with the real Claude Code package, through ansible-playbook on this machine
(local connection, install root and link inside a temporary directory).

- source controller: the real @anthropic-ai/claude-code-linux-x64 package from the npm registry,
  downloaded once into .cache/claude-code-packages (reused by later runs) and verified against the
  registry's published integrity; `claude --version` of the installed CLI; a second run changes
  nothing. Skips, with the reason, when the registry cannot be reached (CLAUDE_CODE_NPM_REGISTRY
  names another registry or mirror).
- a tampered artifact (the real package with one byte changed) given with the real package's
  checksum: refused, naming the host and the variable, and the host is exactly as before.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import textwrap
import time

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.action import install as A
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _install as I
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

from ._helpers import ROOT, ansible_env, tool, tree_digest

VERSION = "2.1.331"
PLATFORM = I.platform_name(os.uname().sysname, os.uname().machine, I.detect_libc())
CACHE = os.path.join(ROOT, ".cache", "claude-code-packages")
REGISTRY = os.environ.get("CLAUDE_CODE_NPM_REGISTRY", I.DEFAULT_REGISTRY)


@pytest.fixture(scope="module")
def package():
    """(path, sha512 checksum) of the real platform package in the controller cache."""
    if PLATFORM is None:
        pytest.skip(f"Claude Code publishes no package for this machine ({os.uname().machine})")
    try:
        url, checksum = I.resolve_from_registry(lambda u: A.open_json(u, 20, True), REGISTRY, VERSION, PLATFORM)
    except I.InstallError as exc:
        pytest.skip(f"npm registry unreachable from the controller: {exc}")
    name = f"anthropic-ai-claude-code-{PLATFORM}-{VERSION}.tgz"
    return A.cached_download(url, checksum, CACHE, name, 120, True), checksum


def playbook(tmp_path, **variables):
    lines = "\n".join(f"    {k}: {v}" for k, v in variables.items())
    path = tmp_path / "play.yml"
    path.write_text(
        textwrap.dedent("""\
        - name: Install Claude Code
          hosts: all
          gather_facts: false
          vars:
            claude_code_version: "%s"
            claude_code_install_root: %s
            claude_code_install_link: %s
            claude_code_install_cache_dir: %s
        %s
          roles:
            - fleetpolicy.claude_code.install
        """)
        % (VERSION, tmp_path / "opt" / "claude-code", tmp_path / "bin" / "claude", CACHE, lines)
    )
    return str(path)


def run(play, *extra):
    started = time.monotonic()
    out = run_playbook(
        [
            tool("ansible-playbook"),
            "-i",
            "testhost,",
            "-c",
            "local",
            "-e",
            "ansible_python_interpreter=/usr/bin/python3",
            play,
        ]
        + list(extra),
        env=ansible_env(),
        timeout=900,
        merge_stderr=False,
    )
    return out, time.monotonic() - started


def test_controller_source_installs_once_and_then_changes_nothing(package, tmp_path):
    play = playbook(tmp_path, claude_code_install_source="controller")
    out, first = run(play)
    assert out.recap["testhost"]["failed"] == 0, out.output + out.stderr
    claude = tmp_path / "bin" / "claude"
    assert os.readlink(str(claude)) == str(tmp_path / "opt" / "claude-code" / VERSION / "claude")
    version = subprocess.run(
        [str(claude), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "DISABLE_AUTOUPDATER": "1"},
        check=False,
    )
    assert version.stdout.split()[0] == VERSION, version
    before = tree_digest(str(tmp_path / "opt"))
    out, again = run(play)
    counts = out.recap["testhost"]
    assert (counts["ok"], counts["changed"], counts["unreachable"], counts["failed"]) == (2, 0, 0, 0), out.output
    assert tree_digest(str(tmp_path / "opt")) == before
    print(f"install: first run {first:.1f} s (package from the controller cache), no-change run {again:.1f} s")


def test_a_tampered_artifact_is_refused_and_the_host_is_unchanged(package, tmp_path):
    path, checksum = package
    # the host has the real version already; the tampered file claims to be that same package
    good = playbook(
        tmp_path,
        claude_code_install_source="artifact",
        claude_code_install_artifact=path,
        claude_code_install_checksum=checksum,
    )
    out, _seconds = run(good)
    assert out.recap["testhost"]["failed"] == 0, out.output
    subprocess.run(["rm", "-rf", str(tmp_path / "opt" / "claude-code" / VERSION)], check=True)
    os.unlink(str(tmp_path / "bin" / "claude"))
    state = (tree_digest(str(tmp_path / "opt")), tree_digest(str(tmp_path / "bin")))

    tampered = tmp_path / "tampered.tgz"
    with open(path, "rb") as src, open(str(tampered), "wb") as dst:
        data = bytearray(src.read())
        data[len(data) // 2] ^= 0x01  # one byte, one bit
        dst.write(data)
    for variable_check in ("controller", "host"):  # which check must refuse it
        play = playbook(
            tmp_path,
            claude_code_install_source="artifact",
            claude_code_install_artifact=str(tampered),
            claude_code_install_checksum=checksum,
        )
        if variable_check == "host":
            # skip the controller's check (a checksum the artifact does match there) to prove the
            # host checks again: the module gets the registry's checksum for the transferred file
            play = playbook(
                tmp_path,
                claude_code_install_source="artifact",
                claude_code_install_artifact=str(tampered),
                claude_code_install_checksum=I.sri_to_checksum(
                    "sha512-" + base64.b64encode(hashlib.sha512(bytes(data)).digest()).decode()
                ),
            )
        out, _seconds = run(play)
        text = out.output + out.stderr
        assert out.recap["testhost"]["failed"] == 1, text
        if variable_check == "controller":
            assert "host testhost: claude_code_install_artifact does not match claude_code_install_checksum" in text, (
                text
            )
        else:
            # the checksum matches the tampered bytes, so only the package check can refuse it:
            # the bit still inflates, but gzip's CRC at the end of the stream does not match
            assert "host testhost: the artifact is truncated or corrupt" in text and "nothing was changed" in text, text
        assert (tree_digest(str(tmp_path / "opt")), tree_digest(str(tmp_path / "bin"))) == state
        assert not [n for n in os.listdir(str(tmp_path / "opt" / "claude-code")) if n.startswith(I.STAGING_PREFIX)]
