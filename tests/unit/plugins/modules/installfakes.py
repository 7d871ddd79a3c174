# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Small stand-ins for Claude Code platform packages, and an in-process run of the install module.

A fake executable is a shell script that prints `<version> (Claude Code)` for --version, the way
the real CLI 2.1.331 does; a fake package is the npm tarball layout (package/package.json and
package/claude) around it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import tarfile

from ansible_collections.fleetpolicy.claude_code.plugins.modules import install as module
from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import run_main


def fake_executable(version, says=None):
    return (
        "#!/bin/sh\n[ \"$1\" = --version ] && echo '%s (Claude Code)' && exit 0\necho ok\n" % (says or version)
    ).encode()


def fake_package(path, version, platform="linux-x64", name=None, says=None, executable=None):
    """Write a platform package tarball; returns its `sha256:hex` checksum."""
    meta = json.dumps({"name": name or "@anthropic-ai/claude-code-" + platform, "version": version}).encode()
    exe = executable if executable is not None else fake_executable(version, says)
    with tarfile.open(path, "w:gz") as tar:
        for member, data, mode in (("package/package.json", meta, 0o644), ("package/claude", exe, 0o755)):
            info = tarfile.TarInfo(member)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    return checksum(path)


def checksum(path, algorithm="sha256"):
    with open(path, "rb") as handle:
        return f"{algorithm}:{hashlib.new(algorithm, handle.read()).hexdigest()}"


def integrity(path):
    with open(path, "rb") as handle:
        return "sha512-" + base64.b64encode(hashlib.sha512(handle.read()).digest()).decode()


def run(args, check=False, diff=False):
    return run_main(module.main, args, check, diff)


def tree(root):
    """{relative path: (kind, mode, content digest or link target)} of everything under root."""
    found = {}
    for base, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(base, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, root)
            if os.path.islink(path):
                found[rel] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[rel] = ("dir", st.st_mode & 0o7777)
            else:
                with open(path, "rb") as handle:
                    found[rel] = ("file", st.st_mode & 0o7777, hashlib.sha256(handle.read()).hexdigest())
    return found
