# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the managed_settings module reads on a host and does not manage: the OS family, every
managed source Claude Code reads beside our file (the main file, the managed-settings.d drop-ins,
managed-mcp.json, the macOS MDM plists), each read as Claude Code reads it (_cliread;
docs/claude-code-rules.md), as the account that runs Claude Code can read it, and the version of
the Claude Code CLI installed there.

The controller consumes the result as it is (plugins/action/apply.py and
plugins/plugin_utils/policy/_effective.py): `sources` entries with path, kind, ours, status,
sha256, error, content (masked), reason, held, depth, cut and outside, `other_managed_files`, and
`cli`.

Private to this collection. Standard library only (runs on targets). Read-only: nothing here
writes a file, and `claude --version` runs with an empty HOME and the opt-outs set.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import tempfile
from typing import Callable, Sequence, Tuple

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _cliread as R
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S

# Statuses of a source: ok; unparseable (not a JSON object: Claude Code stops); skipped (Claude Code
# skips it with a warning: `reason` too-large, not-regular, directory or unreadable); ignored (not
# a source Claude Code reads: it does not list it); unread (past a bound below).
# What one host returns, at most (a host's drop-ins could otherwise fill the controller's memory:
# each parsed document is held several times over by the time the action has judged it). A
# source past these bounds is listed with status `unread`, saying which bound: Claude Code reads
# it and this module did not, so the host's effective state cannot be told.
MAX_TOTAL_BYTES = 8 * 1024 * 1024  # of sources read per host
MAX_READ = 256  # *.json drop-ins read
MAX_LISTED = 10000  # entries of managed-settings.d looked at
MAX_IGNORED_SHOWN = 32  # ignored entries listed one by one (the rest in one entry)
MAX_DEPTH = _fs.MAX_JSON_DEPTH
MAX_SOURCE_BYTES = L.MANAGED_FILE_MAX_BYTES
MAX_PACKAGE_BYTES = 1024 * 1024
VERSION_TIMEOUT = 20
VERSION_OUTPUT = 4096
_VERSION = re.compile(r"\b(\d+\.\d+\.\d+)\b")
# Runs `claude --version` with a time limit and a bound on what it prints, where `timeout` may be
# missing (macOS): argv = [python, -c, this, seconds, command...].
_LIMITED = (
    "import os,signal,subprocess,sys,threading\n"
    "p=subprocess.Popen(sys.argv[2:],stdin=subprocess.DEVNULL,stdout=subprocess.PIPE,"
    "stderr=subprocess.DEVNULL,start_new_session=True)\n"
    "t=threading.Timer(float(sys.argv[1]),lambda:os.killpg(p.pid,signal.SIGKILL))\n"
    "t.start()\n"
    "out=p.stdout.read(%d)\n"
    "p.stdout.close()\n"
    "rc=p.wait()\n"
    "t.cancel()\n"
    "sys.stdout.write(out.decode('utf-8','replace'))\n"
    "sys.exit(rc if rc>=0 else 124)\n" % VERSION_OUTPUT
)

# run_command(argv) -> (rc, stdout, stderr), as AnsibleModule.run_command returns it.
RunCommand = Callable[[Sequence[str]], Tuple[int, str, str]]


def detect_os_family(root: str = "/") -> str | None:
    """OS family from uname and /etc/os-release (works in a chroot too); None when unknown."""
    if os.uname().sysname == "Darwin":
        return "Darwin"
    ids = []
    for candidate in ("etc/os-release", "usr/lib/os-release"):
        try:
            data, _st, _more = _fs.read_bounded(os.path.join(root, candidate), 65536, follow=True)
        except OSError:
            continue
        for line in data.decode("utf-8", "replace").splitlines():
            key, _sep, value = line.strip().partition("=")
            if key in ("ID", "ID_LIKE"):
                ids.extend(value.strip().strip("\"'").lower().split())
        break
    for family, record in L.OS_RECORDS.items():
        if any(i in record["ids"] for i in ids):
            return family
    return None


def entry(path: str, kind: str, ours: str, status: str = "ok", error: str | None = None) -> dict:
    """One source as the result lists it; its path printable (S.printable)."""
    return {
        "path": S.printable(path),
        "kind": kind,
        "ours": path == ours,
        "status": status,
        "sha256": None,
        "error": S.printable(error),
        "content": None,
        # How Claude Code reads it (docs/claude-code-rules.md; the controller judges by version):
        "reason": None,  # why skipped or unparseable: too-large, not-regular, directory, unreadable, not-json
        "held": None,  # who other than root could change it (section 12), or None
        "depth": None,  # the deepest nesting of the document (the document itself is 1)
        "cut": [],  # top-level keys holding a value nested deeper than MAX_DEPTH (cut here)
        "outside": None,  # where the main file leads, when a link takes it out of the managed folder
    }


class Budget:
    """What is left of the bytes one host may return (MAX_TOTAL_BYTES)."""

    def __init__(self, total: int | None = None) -> None:
        self.left = MAX_TOTAL_BYTES if total is None else total


def read_source(
    path: str,
    kind: str,
    ours: str,
    budget: Budget | None = None,
    account: R.Account | None = None,
    trusted: frozenset = frozenset((0,)),
) -> dict | None:
    """One managed source as Claude Code would see it, or None when it is absent (a link to nothing
    too). Follows links as the CLI does, and never blocks or reads more than the CLI would. Status
    ok (content parsed as the CLI parses it, not masked; depth, and the keys cut past MAX_DEPTH),
    unparseable (not a JSON object: Claude Code stops), skipped with its reason (too large, a
    folder, FIFO, socket or device, or not readable by account, the one that runs Claude Code:
    Claude Code warns and goes on without it), or unread (past this host's budget). held names who
    other than the trusted accounts could change it."""
    item = entry(path, kind, ours)
    budget = budget if budget is not None else Budget()
    if account is not None and os.path.lexists(path):
        why = R.blocked(path, account)
        if why is not None:
            item.update(status="skipped", reason="unreadable", error=S.printable(why))
            return item
    got = R.read_bytes(path, MAX_SOURCE_BYTES)
    if got.status == "absent":
        return None
    item["held"] = S.printable(R.held(path, trusted))
    if got.status == "skipped":
        item.update(status="skipped", reason=got.reason, error=S.printable(got.error))
        return item
    data = got.data or b""
    if len(data) > budget.left:
        item.update(
            status="unread",
            error="not read: the managed sources of this host passed %d bytes (Claude Code reads it; "
            "its effect is not known)" % MAX_TOTAL_BYTES,
        )
        return item
    budget.left -= len(data)
    item["sha256"] = hashlib.sha256(data).hexdigest()
    if kind.startswith("plist"):
        # Imported only here, on macOS: the module runs on every host at every run, and plistlib
        # (with the XML parser it loads) is a third of the module's import time on a Linux host.
        import plistlib

        try:
            doc = plistlib.loads(data)
        except Exception as exc:  # plistlib raises several types for damaged files
            item.update(status="unparseable", reason="not-plist", error=S.printable(f"not a property list ({exc})"))
            return item
        depth = _fs.json_depth(doc) if isinstance(doc, dict) else 0
    else:
        text = R.decode(data)
        if R.is_blank(text):
            doc, depth = {}, 1  # Claude Code reads an empty managed file as {}
        else:
            parsed = R.parse(text)
            doc, depth = parsed.value, parsed.depth
            if parsed.error is not None:
                why = f"not valid JSON ({parsed.error})"
                if "\ufffd" in text and "\ufffd".encode() not in data:
                    why += "; it holds bytes that are not UTF-8"
                item.update(status="unparseable", reason="not-json", error=S.printable(why))
                return item
    if not isinstance(doc, dict):
        item.update(status="unparseable", reason="not-json", error=f"the JSON is {_js_type(doc)}, not an object")
        return item
    item["depth"] = depth
    if depth > MAX_DEPTH:
        # Cut as Claude Code 2.1.332 and later cut it; 2.1.285 stops on it instead (the controller
        # judges by version, from depth).
        doc, item["cut"] = R.cut_deep(doc, MAX_DEPTH)
        item["error"] = "a value nests more than %d levels deep under %s; Claude Code ignores it (read as null)" % (
            MAX_DEPTH,
            ", ".join(S.printable(k) for k in item["cut"]) or "the document",
        )
    item["content"] = doc
    return item


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
    return None if real == home or real.startswith(home.rstrip(os.sep) + os.sep) else S.printable(real)


def managed_dir(ours: str) -> str:
    """The folder of the main managed file, for ours the main file or a drop-in."""
    parent = os.path.dirname(ours)
    return os.path.dirname(parent) if os.path.basename(parent) == L.DROPIN_DIR else parent


def managed_sources(
    ours: str,
    family: str | None,
    budget: Budget | None = None,
    account: R.Account | None = None,
    trusted: frozenset = frozenset((0,)),
) -> list[dict]:
    """Every managed source Claude Code reads on this host, in its read order: the main file, the
    drop-ins (in the CLI's order; then the entries it does not list, as ignored), managed-mcp.json,
    and on macOS each account's own MDM plist and the device's. ours is the file this collection
    manages (main file or drop-in). With account (the one that runs Claude Code), what it cannot
    read is skipped as Claude Code run by it skips it: a file, the drop-in folder it cannot list,
    or the whole managed folder it cannot pass through (a source of kind folder). trusted: the
    accounts whose changes are the administrator's (held). Contents are as read (not masked).
    Bounded: at most MAX_LISTED entries of managed-settings.d looked at, MAX_READ drop-ins read,
    MAX_IGNORED_SHOWN ignored ones listed one by one, and MAX_TOTAL_BYTES read in all (budget);
    what is past a bound is listed as `unread` (or, for ignored entries, counted in one entry)."""
    budget = budget if budget is not None else Budget()
    base = managed_dir(ours)
    found = []
    closed = R.searchable(base, account) if account is not None else None
    if closed is not None:
        # Claude Code cannot even stat() the files of the folder: it warns about each of them
        # (main file, drop-in folder, managed-mcp.json) and nothing applies. One entry says so.
        item = entry(base, "folder", ours, status="skipped", error=closed)
        item["reason"] = "unreadable"
        main_path = os.path.join(base, L.MANAGED_FILE)
        if os.path.lexists(main_path):
            found.append(dict(item, path=S.printable(main_path), kind="main", ours=main_path == ours))
        found.append(item)
    else:
        main_path = os.path.join(base, L.MANAGED_FILE)
        main = read_source(main_path, "main", ours, budget, account, trusted)
        if main:
            main["outside"] = _outside(main_path, base)
            found.append(main)
        found.extend(_dropins(os.path.join(base, L.DROPIN_DIR), ours, budget, account, trusted))
        mcp = read_source(os.path.join(base, L.MANAGED_MCP_FILE), "mcp", ours, budget, account, trusted)
        if mcp:
            found.append(mcp)
    if family == "Darwin":
        found.extend(_plists(ours, budget, trusted))
    return found


def _dropins(folder: str, ours: str, budget: Budget, account: R.Account | None, trusted: frozenset) -> list[dict]:
    """The drop-ins as Claude Code lists and reads them (docs/claude-code-rules.md, sections 5-7),
    then the entries it does not list (ignored, with why); a folder it cannot list is one skipped
    entry of kind folder, and one others can add files to an ignored one that says who (held)."""
    unlisted = R.blocked(folder, account, listing=True) if account is not None and os.path.isdir(folder) else None
    listing = R.dropin_names(folder, MAX_LISTED)
    if listing.too_many:
        return [
            entry(
                folder,
                "dropin",
                ours,
                status="unread",
                error=f"not read: it holds more than {MAX_LISTED} entries (Claude Code reads its *.json files)",
            )
        ]
    if unlisted is not None or listing.error is not None:
        item = entry(folder, "folder", ours, status="skipped", error=unlisted or listing.error)
        item["reason"] = "unreadable"
        return [item]
    found, not_read = [], []
    for name in listing.names:
        full = os.path.join(folder, name)
        if len(found) >= MAX_READ:
            not_read.append(full)
            continue
        source = read_source(full, "dropin", ours, budget, account, trusted)
        if source:
            found.append(source)
    if not_read:
        found.append(
            entry(
                not_read[0],
                "dropin",
                ours,
                status="unread",
                error="not read: more than %d drop-ins; this and %d after it" % (MAX_READ, len(not_read) - 1),
            )
        )
    if os.path.isdir(folder):
        held = R.held(folder, trusted, creates=True)
        if held is not None:
            item = entry(
                folder, "folder", ours, status="ignored", error="an account other than root can add a drop-in here"
            )
            item["held"] = S.printable(held)
            found.append(item)
    for name, why in listing.others[:MAX_IGNORED_SHOWN]:
        found.append(entry(os.path.join(folder, name), "dropin", ours, status="ignored", error=why))
    if len(listing.others) > MAX_IGNORED_SHOWN:
        found.append(
            entry(
                folder,
                "dropin",
                ours,
                status="ignored",
                error="%d more entries ignored (hidden, not *.json, not files, or not UTF-8 names)"
                % (len(listing.others) - MAX_IGNORED_SHOWN),
            )
        )
    return found


def _plists(ours: str, budget: Budget, trusted: frozenset) -> list[dict]:
    """The MDM plists of com.anthropic.claudecode (docs/claude-code-rules.md, section 14): each
    account's own (/Library/Managed Preferences/<user>/), then the device's."""
    found = []
    users = []
    try:
        with os.scandir(L.MDM_USER_PLISTS) as listing:
            for item in listing:
                if len(users) >= MAX_LISTED:
                    break
                if item.is_dir(follow_symlinks=False):
                    users.append(item.name)
    except OSError:
        pass
    for user in sorted(users):
        path = os.path.join(L.MDM_USER_PLISTS, user, L.MDM_DOMAIN + ".plist")
        item = read_source(path, "plist-user", ours, budget, None, trusted)
        if item:
            item["user"] = S.printable(user)
            found.append(item)
    plist = read_source(L.MDM_PLIST, "plist", ours, budget, None, trusted)
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
                data, _st, more = _fs.read_bounded(manifest, MAX_PACKAGE_BYTES, follow=True)
            except OSError:
                data, more = b"", True
            package = None if more else _fs.parse_json_object(data)[0]
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
    opt-outs set, a time limit (the CLI's whole process group is killed after VERSION_TIMEOUT
    seconds) and at most VERSION_OUTPUT bytes of its output kept: it reads, and changes nothing."""

    def run(argv: Sequence[str]) -> tuple[int, str, str]:
        home = tempfile.mkdtemp(prefix="claude-version-")
        try:
            return module.run_command(
                [sys.executable, "-c", _LIMITED, str(VERSION_TIMEOUT)] + list(argv),
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
    masked with _secrets, text that cannot be encoded made U+FFFD), `other_managed_files` (the
    other main and drop-in files it reads, by path) and `cli` (cli_version() of cli_paths, by
    default L.CLI_PATHS). account_name: who runs Claude Code (account()); the files are judged as
    that account reads them, and as changeable by anyone but root and the account this module
    runs as."""
    trusted = frozenset((0, os.geteuid()))
    sources = managed_sources(ours, family, None, account(account_name), trusted)
    for item in sources:
        if item["content"] is not None:
            item["content"] = _encodable(S.mask_deep(item["content"]))
    folder = S.printable(os.path.join(managed_dir(ours), L.DROPIN_DIR))
    return {
        "sources": sources,
        "other_managed_files": [
            e["path"]
            for e in sources
            if e["kind"] in ("main", "dropin")
            and not e["ours"]
            and e["status"] not in ("ignored", "skipped")
            and e["path"] != folder
        ],
        "cli": cli_version(cli_paths or L.CLI_PATHS, version_runner(module)),
    }


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(value):
    """JSON data with lone surrogates (JSON's \\ud800, which Claude Code reads) made U+FFFD: the
    result must be valid UTF-8 on its way to the controller."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encodable(v) for v in value]
    return value
