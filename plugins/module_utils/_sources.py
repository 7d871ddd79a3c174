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
import sys
import tempfile
from typing import Callable, Sequence, Tuple

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S

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
    }


class Budget:
    """What is left of the bytes one host may return (MAX_TOTAL_BYTES)."""

    def __init__(self, total: int | None = None) -> None:
        self.left = MAX_TOTAL_BYTES if total is None else total


def read_source(path: str, kind: str, ours: str, budget: Budget | None = None) -> dict | None:
    """One managed source as Claude Code would see it, or None when absent (a link to nothing
    too). Follows links as the CLI does, and never blocks or reads more than the CLI would: a
    FIFO, socket, device or directory, or a file over the CLI's size limit, is `ignored` (Claude
    Code does not read it either); one past this host's budget is `unread`. Status ok (content
    parsed, not masked), unparseable, unreadable, ignored or unread."""
    item = entry(path, kind, ours)
    budget = budget if budget is not None else Budget()
    try:
        data, _st, more = _fs.read_bounded(path, MAX_SOURCE_BYTES, follow=True)
    except _fs.NotRegular as exc:
        item.update(status="ignored", error=f"{exc.strerror}, not a regular file: Claude Code does not read it")
        return item
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return None
        item.update(status="unreadable", error=S.printable(exc.strerror or str(exc)))
        return item
    if more:
        item.update(
            status="ignored",
            error="larger than %d bytes: Claude Code does not read it (File exceeds maxBytes limit)" % MAX_SOURCE_BYTES,
        )
        return item
    if len(data) > budget.left:
        item.update(
            status="unread",
            error="not read: the managed sources of this host passed %d bytes (Claude Code reads it; "
            "its effect is not known)" % MAX_TOTAL_BYTES,
        )
        return item
    budget.left -= len(data)
    item["sha256"] = hashlib.sha256(data).hexdigest()
    if kind == "plist":
        # Imported only here, on macOS: the module runs on every host at every run, and plistlib
        # (with the XML parser it loads) is a third of the module's import time on a Linux host.
        import plistlib

        try:
            doc = plistlib.loads(data)
        except Exception as exc:  # plistlib raises several types for damaged files
            item.update(status="unparseable", error=S.printable(f"not a property list ({exc})"))
            return item
        if isinstance(doc, dict) and _fs.json_depth(doc) > MAX_DEPTH:
            item.update(status="unread", error=f"not read: nested more than {MAX_DEPTH} levels deep")
            return item  # plistlib has no depth limit of its own; a plist is judged whole or not at all
    else:
        doc, reason = parse(data)
        if doc is None:
            item.update(status="unparseable", error=S.printable(reason))
            return item
        if reason:
            item["error"] = S.printable(reason)
    if not isinstance(doc, dict):
        item.update(status="unparseable", error="not a mapping")
        return item
    item["content"] = doc
    return item


def parse(data: bytes) -> tuple[dict | None, str | None]:
    """(document, note) of a managed source as Claude Code reads it, or (None, why it is
    unparseable). Never raises. As the CLI (docs/claude-code-rules.md, sections 1, 3 and 8):
    bytes starting FF FE are UTF-16LE, others UTF-8 where a byte that is not UTF-8 becomes U+FFFD
    (inside a string that is text; elsewhere the JSON is broken), one leading U+FEFF is taken off,
    blank text is {}, and an object or array nested deeper than MAX_DEPTH levels becomes null
    (the note names the keys it is under)."""
    if data[:2] == b"\xff\xfe":
        text = data.decode("utf-16-le", "replace")
    else:
        text = data.decode("utf-8", "replace")
    undecodable = "\ufffd" in text and "\ufffd".encode() not in data
    text = text.replace("\r\n", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return {}, None  # Claude Code reads an empty managed file as {}
    note = None
    if _fs.too_deep(text, MAX_DEPTH):
        text, keys = _cut_deep(text)
        note = "a value nests more than %d levels deep under %s; Claude Code ignores it (read as null)" % (
            MAX_DEPTH,
            ", ".join(S.printable(k) for k in keys) or "the document",
        )
    doc, reason = _fs.parse_json_text(text, MAX_DEPTH)
    if doc is None and undecodable:
        reason = f"{reason}; it holds bytes that are not UTF-8"
    return (doc, note) if doc is not None else (None, reason)


def _cut_deep(text: str) -> tuple[str, list[str]]:
    """text with every object or array nested deeper than MAX_DEPTH replaced by null (found by
    its brackets outside strings), and the top-level keys they were under."""
    out, at, depth, key, keys = [], 0, 0, None, []
    last_string = None
    for match in _fs.JSON_TOKENS.finditer(text):
        token = match.group(0)
        if token.startswith('"'):
            last_string = token
            continue
        if token in "[{":
            depth += 1
            if depth == 2 and last_string is not None:
                key = last_string
            if depth == MAX_DEPTH + 1:
                out.append(text[at : match.start()])
                at = None
                if key is not None and key not in keys:
                    keys.append(key)
        else:
            if depth == MAX_DEPTH + 1:
                out.append("null")
                at = match.end()
            depth -= 1
        last_string = None
    if at is not None:
        out.append(text[at:])
    try:
        names = [json.loads(k) for k in keys]
    except ValueError:
        names = []
    return "".join(out), names


def _undecodable(name: str) -> bool:
    """Whether a name from os.listdir holds bytes that are not UTF-8 (PEP 383 surrogates)."""
    return any("\udc80" <= c <= "\udcff" for c in name)


def managed_dir(ours: str) -> str:
    """The folder of the main managed file, for ours the main file or a drop-in."""
    parent = os.path.dirname(ours)
    return os.path.dirname(parent) if os.path.basename(parent) == L.DROPIN_DIR else parent


def managed_sources(ours: str, family: str | None, budget: Budget | None = None) -> list[dict]:
    """Every managed source Claude Code reads on this host, in its read order: the main file, the
    drop-ins (alphabetical; hidden, non-.json and non-UTF-8 names listed as ignored), managed-mcp.json,
    and on macOS the MDM plist. ours is the file this collection manages (main file or drop-in).
    Contents are as read (not masked). Bounded: at most MAX_LISTED entries of managed-settings.d
    looked at, MAX_READ drop-ins read, MAX_IGNORED_SHOWN ignored ones listed one by one, and
    MAX_TOTAL_BYTES read in all (budget); what is past a bound is listed as `unread` (or, for
    ignored entries, counted in one entry)."""
    budget = budget if budget is not None else Budget()
    base = managed_dir(ours)
    dropins = os.path.join(base, L.DROPIN_DIR)
    found = []
    main = read_source(os.path.join(base, L.MANAGED_FILE), "main", ours, budget)
    if main:
        found.append(main)
    names, too_many = [], False
    try:
        with os.scandir(dropins) as listing:
            for item in listing:
                if len(names) >= MAX_LISTED:
                    too_many = True
                    break
                names.append(item.name)
    except OSError:
        names = []
    if too_many:
        found.append(
            entry(
                dropins,
                "dropin",
                ours,
                status="unread",
                error=f"not read: it holds more than {MAX_LISTED} entries (Claude Code reads its *.json files)",
            )
        )
        names = []
    ignored, read, not_read = 0, 0, []
    for name in sorted(names):
        full = os.path.join(dropins, name)
        reason = None
        if _undecodable(name):
            reason = "the name is not UTF-8: Claude Code does not read it"
        elif name.startswith("."):
            reason = "hidden file"
        elif not name.endswith(".json"):
            reason = "not a *.json name"
        if reason:
            ignored += 1
            if ignored <= MAX_IGNORED_SHOWN:
                found.append(entry(full, "dropin", ours, status="ignored", error=reason))
            continue
        if read >= MAX_READ:
            not_read.append(full)
            continue
        source = read_source(full, "dropin", ours, budget)
        if source:
            read += 1
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
    if ignored > MAX_IGNORED_SHOWN:
        found.append(
            entry(
                dropins,
                "dropin",
                ours,
                status="ignored",
                error="%d more entries ignored (hidden, not *.json, or not UTF-8 names)"
                % (ignored - MAX_IGNORED_SHOWN),
            )
        )
    mcp = read_source(os.path.join(base, L.MANAGED_MCP_FILE), "mcp", ours, budget)
    if mcp:
        found.append(mcp)
    if family == "Darwin":
        plist = read_source(L.MDM_PLIST, "plist", ours, budget)
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


def read(module, ours: str, family: str | None, cli_paths: Sequence[str] | None) -> dict:
    """The module's result keys for what Claude Code reads beside ours: `sources` (contents
    masked with _secrets, text that cannot be encoded made U+FFFD), `other_managed_files` (the
    other main and drop-in files it reads, by path) and `cli` (cli_version() of cli_paths, by
    default L.CLI_PATHS)."""
    sources = managed_sources(ours, family)
    for item in sources:
        if item["content"] is not None:
            item["content"] = _encodable(S.mask_deep(item["content"]))
    folder = S.printable(os.path.join(managed_dir(ours), L.DROPIN_DIR))
    return {
        "sources": sources,
        "other_managed_files": [
            e["path"]
            for e in sources
            if e["kind"] in ("main", "dropin") and not e["ours"] and e["status"] != "ignored" and e["path"] != folder
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
