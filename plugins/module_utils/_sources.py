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

import hashlib
import json
import os
import re
import shutil
import tempfile
from typing import Callable, Sequence, Tuple

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _cliread as R
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S

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
        # How Claude Code reads it (docs/claude-code-rules.md; the controller judges by version):
        "reason": None,  # why skipped or unparseable: too-large, not-regular, directory, unreadable, not-json
        "held": None,  # who other than root could change it (section 12), or None
        "depth": None,  # the deepest nesting of the document (the document itself is 1)
        "cut": [],  # top-level keys holding a value nested deeper than L.NESTING_LIMIT (cut here)
        "outside": None,  # where a link on the way leads, when that is outside the managed folder
    }


# ------------------------------------------------------------------ one source, as the CLI reads it


def read_source(
    path: str, kind: str, ours: str, account: R.Account | None = None, trusted: frozenset = frozenset((0,))
) -> dict | None:
    """One managed source as Claude Code would see it, or None when it is absent: status ok
    (content parsed the CLI's way, not masked; depth and cut say how deep it nests), unparseable
    (not a JSON object: Claude Code stops), or skipped with its reason (too large, a folder, FIFO,
    socket or device, or unreadable by account, the one that runs Claude Code: Claude Code warns
    and goes on without it). held names who else than the trusted accounts could change it. Links
    are followed as the CLI follows them; nothing but a regular file is opened, and never blocking."""
    entry = _entry(path, kind, ours)
    if account is not None:
        why = R.blocked(path, account)
        if why is not None and os.path.lexists(path):
            entry.update(status="skipped", reason="unreadable", error=why)
            return entry
    got = R.read_bytes(path, L.MAX_SOURCE_BYTES)
    if got.status == "absent":
        return None
    entry["held"] = R.held(path, trusted)
    if got.status == "skipped":
        entry.update(status="skipped", reason=got.reason, error=got.error)
        return entry
    data = got.data or b""
    entry["sha256"] = hashlib.sha256(data).hexdigest()
    if kind.startswith("plist"):
        # Imported only here, on macOS: the module runs on every host at every run, and plistlib
        # (with the XML parser it loads) is a third of the module's import time on a Linux host.
        import plistlib

        try:
            doc = plistlib.loads(data)
        except Exception as exc:  # plistlib raises several types for damaged files
            entry.update(status="unparseable", reason="not-plist", error=f"not a property list ({exc})")
            return entry
        depth = 1
    else:
        text = R.decode(data)
        if R.is_blank(text):
            doc, depth = {}, 1  # Claude Code reads an empty managed file as {}
        else:
            parsed = R.parse(text)
            doc, depth = parsed.value, parsed.depth
            if parsed.error is not None:
                entry.update(status="unparseable", reason="not-json", error=f"not valid JSON ({parsed.error})")
                return entry
    if not isinstance(doc, dict):
        entry.update(status="unparseable", reason="not-json", error=f"the JSON is {_js_type(doc)}, not an object")
        return entry
    entry["depth"] = depth
    if depth > L.NESTING_LIMIT:
        doc, entry["cut"] = R.cut_deep(doc, L.NESTING_LIMIT)
    entry["content"] = R.plain_text(doc)
    return entry


def _js_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "an array"


def _outside(path: str, folder: str) -> str | None:
    """Where path leads when a link takes it outside folder (2.1.332 and later warn), else None."""
    if not os.path.islink(path):
        return None
    real, home = os.path.realpath(path), os.path.realpath(folder)
    return None if real == home or real.startswith(home.rstrip(os.sep) + os.sep) else real


def managed_sources(
    ours: str, family: str | None, account: R.Account | None = None, trusted: frozenset = frozenset((0,))
) -> list[dict]:
    """Every managed source Claude Code reads on this host, in its read order: the main file, the
    drop-ins (in the CLI's order; the entries it does not list are here with status ignored),
    managed-mcp.json, and on macOS the per-user and device MDM plists. ours is the file this
    collection manages (main file or drop-in). With account, what that account cannot read is
    skipped as Claude Code run by it skips it (a folder it cannot list or pass through included,
    as a source of kind folder). Contents are as read (not masked)."""
    parent = os.path.dirname(ours)
    base = os.path.dirname(parent) if os.path.basename(parent) == L.DROPIN_DIR else parent
    dropins = os.path.join(base, L.DROPIN_DIR)
    found = []
    closed = R.searchable(base, account) if account is not None else None
    if closed is not None:
        # Claude Code cannot even stat() the files of the folder: it warns about each of them
        # (main file, drop-in folder, managed-mcp.json) and nothing applies. One entry says so.
        entry = _entry(base, "folder", ours, status="skipped", error=closed)
        entry["reason"] = "unreadable"
        main_path = os.path.join(base, L.MANAGED_FILE)
        if os.path.lexists(main_path):
            found.append(dict(entry, path=main_path, kind="main", ours=main_path == ours))
        found.append(entry)
    else:
        main_path = os.path.join(base, L.MANAGED_FILE)
        main = read_source(main_path, "main", ours, account, trusted)
        if main:
            main["outside"] = _outside(main_path, base)
            found.append(main)
        found.extend(_dropins(dropins, ours, account, trusted))
        mcp = read_source(os.path.join(base, L.MANAGED_MCP_FILE), "mcp", ours, account, trusted)
        if mcp:
            found.append(mcp)
    if family == "Darwin":
        found.extend(_plists(ours, account, trusted))
    return found


def _dropins(folder: str, ours: str, account: R.Account | None, trusted: frozenset) -> list[dict]:
    """The drop-ins as Claude Code lists and reads them (sections 5-7), then the entries it does
    not list (status ignored, with why); a folder it cannot list is one skipped entry."""
    unlisted = R.blocked(folder, account, listing=True) if account is not None and os.path.isdir(folder) else None
    names, others, error = R.dropin_names(folder)
    if unlisted is not None or error is not None:
        entry = _entry(folder, "folder", ours, status="skipped", error=unlisted or error)
        entry["reason"] = "unreadable"
        return [entry]
    found = []
    for name in names:
        entry = read_source(os.path.join(folder, name), "dropin", ours, account, trusted)
        if entry:
            found.append(entry)
    if os.path.isdir(folder):
        held = R.held(folder, trusted, creates=True)
        if held is not None:
            entry = _entry(
                folder, "folder", ours, status="ignored", error="anyone who can write here can add a drop-in"
            )
            entry["held"] = held
            found.append(entry)
    for name, why in others:
        found.append(_entry(os.path.join(folder, name), "dropin", ours, status="ignored", error=why))
    return found


def _plists(ours: str, account: R.Account | None, trusted: frozenset) -> list[dict]:
    """The MDM plists of com.anthropic.claudecode (docs/claude-code-rules.md, section 14): each
    account's own (/Library/Managed Preferences/<user>/), then the device's."""
    found = []
    try:
        users = sorted(os.listdir(L.MDM_USER_PLISTS))
    except OSError:
        users = []
    for user in users:
        path = os.path.join(L.MDM_USER_PLISTS, user, L.MDM_DOMAIN + ".plist")
        if os.path.isdir(os.path.join(L.MDM_USER_PLISTS, user)):
            entry = read_source(path, "plist-user", ours, None, trusted)
            if entry:
                entry["user"] = user
                found.append(entry)
    plist = read_source(L.MDM_PLIST, "plist", ours, None, trusted)
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


def account(name: str | None) -> R.Account | None:
    """The account that runs Claude Code, for the readability checks: None or "" is any ordinary
    account (neither the owner nor in the group of a file), a user name or a uid that account with
    its groups, "root" (or 0) no check at all (returns None). Raises ValueError for an unknown name."""
    import pwd  # only here: most runs keep the default

    if not name:
        return R.Account()
    try:
        record = pwd.getpwuid(int(name)) if str(name).isdigit() else pwd.getpwnam(str(name))
    except (KeyError, ValueError):
        if str(name).isdigit():
            return None if int(name) == 0 else R.Account(int(name), ())
        raise ValueError(f"no account named {name!r} on this host")
    if record.pw_uid == 0:
        return None
    try:
        groups = tuple(os.getgrouplist(record.pw_name, record.pw_gid))
    except (AttributeError, OSError):
        groups = (record.pw_gid,)
    return R.Account(record.pw_uid, groups)


def read(
    module, ours: str, family: str | None, cli_paths: Sequence[str] | None, account_name: str | None = None
) -> dict:
    """The module's result keys for what Claude Code reads beside ours: `sources` (contents
    masked with _secrets), `other_managed_files` (the other main and drop-in files it reads, by
    path) and `cli` (cli_version() of cli_paths, by default L.CLI_PATHS). account_name: who runs
    Claude Code (account()); the files are judged as that account reads them, and as changeable
    by anyone but root and the account this module runs as."""
    trusted = frozenset((0, os.geteuid()))
    sources = managed_sources(ours, family, account(account_name), trusted)
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
