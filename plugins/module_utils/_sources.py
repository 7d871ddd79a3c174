# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the managed_settings module reads on a host and does not manage: the OS family, every
managed source Claude Code reads beside our file (the main file, the managed-settings.d drop-ins,
managed-mcp.json, the macOS MDM plist), and the version of the Claude Code CLI installed there.

The controller consumes the result as it is (plugins/action/apply.py and
plugins/plugin_utils/policy/_effective.py): `sources` entries with path, kind, ours, status,
sha256, error and content (masked), `other_managed_files`, and `cli`.

Private to this collection. Standard library only (runs on targets). Read-only: nothing here
writes a file, and `claude --version` runs with an empty HOME and the opt-outs set.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from typing import Callable, Sequence, Tuple

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S

MAX_SOURCE_BYTES = 4 * 1024 * 1024
VERSION_TIMEOUT = 20
_VERSION = re.compile(r"\b(\d+\.\d+\.\d+)\b")

# run_command(argv) -> (rc, stdout, stderr), as AnsibleModule.run_command returns it.
RunCommand = Callable[[Sequence[str]], Tuple[int, str, str]]


def detect_os_family(root: str = "/") -> str | None:
    """OS family from uname and /etc/os-release (works in a chroot too); None when unknown."""
    if os.uname().sysname == "Darwin":
        return "Darwin"
    ids = []
    for candidate in ("etc/os-release", "usr/lib/os-release"):
        try:
            with open(os.path.join(root, candidate)) as handle:
                for line in handle:
                    key, _sep, value = line.strip().partition("=")
                    if key in ("ID", "ID_LIKE"):
                        ids.extend(value.strip().strip("\"'").lower().split())
            break
        except OSError:
            continue
    for family, record in L.OS_RECORDS.items():
        if any(i in record["ids"] for i in ids):
            return family
    return None


def _entry(path: str, kind: str, ours: str, status: str = "ok", error: str | None = None) -> dict:
    return {
        "path": path,
        "kind": kind,
        "ours": path == ours,
        "status": status,
        "sha256": None,
        "error": error,
        "content": None,
    }


def read_source(path: str, kind: str, ours: str) -> dict | None:
    """One managed source as Claude Code would see it: status ok (content parsed, not masked),
    unparseable, unreadable, or None when absent. Follows links as the CLI does: it reads what the
    CLI reads."""
    entry = _entry(path, kind, ours)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        entry.update(status="unreadable", error=exc.strerror or str(exc))
        return entry
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    if len(data) > MAX_SOURCE_BYTES:
        entry.update(status="unreadable", error="larger than %d bytes; not read" % MAX_SOURCE_BYTES)
        return entry
    if kind == "plist":
        # Imported only here, on macOS: the module runs on every host at every run, and plistlib
        # (with the XML parser it loads) is a third of the module's import time on a Linux host.
        import plistlib

        try:
            doc = plistlib.loads(data)
        except Exception as exc:  # plistlib raises several types for damaged files
            entry.update(status="unparseable", error=f"not a property list ({exc})")
            return entry
    elif not data.strip():
        doc = {}  # Claude Code reads an empty managed file as {}
    else:
        doc, reason = _fs.parse_json_object(data)
        if doc is None:
            entry.update(status="unparseable", error=reason)
            return entry
    if not isinstance(doc, dict):
        entry.update(status="unparseable", error="not a mapping")
        return entry
    entry["content"] = doc
    return entry


def managed_sources(ours: str, family: str | None) -> list[dict]:
    """Every managed source Claude Code reads on this host, in its read order: the main file, the
    drop-ins (alphabetical; hidden and non-.json entries listed as ignored), managed-mcp.json,
    and on macOS the MDM plist. ours is the file this collection manages (main file or drop-in).
    Contents are as read (not masked)."""
    parent = os.path.dirname(ours)
    base = os.path.dirname(parent) if os.path.basename(parent) == L.DROPIN_DIR else parent
    dropins = os.path.join(base, L.DROPIN_DIR)
    found = []
    main = read_source(os.path.join(base, L.MANAGED_FILE), "main", ours)
    if main:
        found.append(main)
    try:
        names = sorted(os.listdir(dropins))
    except OSError:
        names = []
    for name in names:
        full = os.path.join(dropins, name)
        if name.startswith(".") or not name.endswith(".json"):
            reason = "hidden file" if name.startswith(".") else "not a *.json name"
            found.append(_entry(full, "dropin", ours, status="ignored", error=reason))
        elif os.path.isdir(full):
            found.append(_entry(full, "dropin", ours, status="ignored", error="a directory"))
        else:
            entry = read_source(full, "dropin", ours)
            if entry:
                found.append(entry)
    mcp = read_source(os.path.join(base, L.MANAGED_MCP_FILE), "mcp", ours)
    if mcp:
        found.append(mcp)
    if family == "Darwin":
        plist = read_source(L.MDM_PLIST, "plist", ours)
        if plist:
            found.append(plist)
    return found


def cli_version(paths: Sequence[str], run_command: RunCommand | None = None) -> dict | None:
    """{path, version or None, how} of the first Claude Code CLI found at one of paths; None when
    there is none.

    The version comes from the package.json of the npm package the executable belongs to;
    failing that, from `claude --version` through run_command, which starts the CLI but changes
    nothing."""
    for path in paths:
        if not os.path.isfile(path) or not os.access(path, os.X_OK):
            continue
        folder = os.path.dirname(os.path.realpath(path))
        for _level in range(6):
            manifest = os.path.join(folder, "package.json")
            try:
                with open(manifest, encoding="utf-8") as handle:
                    package = json.load(handle)
            except (OSError, ValueError):
                package = None
            if isinstance(package, dict) and str(package.get("name", "")).startswith("@anthropic-ai/claude-code"):
                version = str(package.get("version") or "")
                if _VERSION.fullmatch(version):
                    return {"path": path, "version": version, "how": manifest}
            folder = os.path.dirname(folder)
        if run_command is not None:
            rc, out, _err = run_command([path, "--version"])
            match = _VERSION.search(out or "")
            if rc == 0 and match:
                return {"path": path, "version": match.group(1), "how": f"{path} --version"}
        return {"path": path, "version": None, "how": "the version could not be read"}
    return None


def version_runner(module) -> RunCommand:
    """A runner of `claude --version` through module.run_command, with an empty HOME, the
    opt-outs set and a time limit: it reads, and changes nothing."""

    def run(argv: Sequence[str]) -> tuple[int, str, str]:
        home = tempfile.mkdtemp(prefix="claude-version-")
        limit = shutil.which("timeout")
        try:
            return module.run_command(
                ([limit, str(VERSION_TIMEOUT)] if limit else []) + list(argv),
                check_rc=False,
                environ_update={
                    "HOME": home,
                    "DISABLE_TELEMETRY": "1",
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
                    "DISABLE_AUTOUPDATER": "1",
                },
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)

    return run


def read(module, ours: str, family: str | None, cli_paths: Sequence[str] | None) -> dict:
    """The module's result keys for what Claude Code reads beside ours: `sources` (contents
    masked with _secrets), `other_managed_files` (the other main and drop-in files it reads, by
    path) and `cli` (cli_version() of cli_paths, by default L.CLI_PATHS)."""
    sources = managed_sources(ours, family)
    for entry in sources:
        if entry["content"] is not None:
            entry["content"] = S.mask_deep(entry["content"])
    return {
        "sources": sources,
        "other_managed_files": [
            e["path"] for e in sources if e["kind"] in ("main", "dropin") and not e["ours"] and e["status"] != "ignored"
        ],
        "cli": cli_version(cli_paths or L.CLI_PATHS, version_runner(module)),
    }
