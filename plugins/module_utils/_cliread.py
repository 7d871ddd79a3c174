# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the Claude Code CLI reads one managed settings file, done the same way on the host: which
bytes it takes (file types, size limit), how it decodes and parses them (its JSON.parse, not
Python's json), what counts as empty, how deep a document may nest, how it lists and sorts the
drop-ins, and what an ordinary account (the one that runs Claude Code; this module runs as root)
can read, or change, on the way. Each rule, with the executable's code that states it and the
recorded runs, is in docs/claude-code-rules.md (sections 1-8 and 12); the numbers are in _layout.

Nothing here opens a file that is not a regular one, and no read blocks (_fs.read_bounded: a
file is stat()ed before it is opened, opened with O_NONBLOCK, fstat()ed again, and read up to the
limit + 1).

Private to this collection. Standard library only (runs on targets, Python >= 3.8). Read-only.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from typing import Any, NamedTuple

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L

# JavaScript's String.prototype.trim() takes off WhiteSpace and LineTerminator (ECMA-262 §12.2,
# §12.3): these, U+FEFF included (section 3).
JS_SPACE = (
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Python's json parses integers exactly; JSON.parse gives every number as a double.
_SAFE_INTEGER = 2**53


# --------------------------------------------------------------------------- bytes to text


def decode(data: bytes) -> str:
    """The text the CLI makes of a file's bytes (section 1): FF FE is UTF-16LE (an odd last byte
    dropped, as Node's decoder does), anything else UTF-8 with U+FFFD for every bad sequence; then
    CRLF becomes LF. The byte order mark stays (parse() takes one off)."""
    if data[:2] == b"\xff\xfe":
        text = data[: len(data) - len(data) % 2].decode("utf-16-le", "surrogatepass")
    else:
        text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n")


def is_blank(text: str) -> bool:
    """Section 3: a text JavaScript's trim() empties is read as {}."""
    return not text.strip(JS_SPACE)


# --------------------------------------------------------------------------- JSON.parse


class Parsed(NamedTuple):
    """A parsed document: value (None with error when the text is not JSON), its deepest nesting
    (the document itself is 1), and error."""

    value: Any
    depth: int
    error: str | None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _number(text: str) -> Any:
    value = int(text)
    return value if abs(value) <= _SAFE_INTEGER else float(text)


def _depth(value: Any) -> int:
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            todo.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse(text: str) -> Parsed:
    """JSON.parse after the CLI's one step (a leading U+FEFF taken off once), section 2: no NaN or
    Infinity, no comments, no trailing commas, JSON's four white space characters only; a
    duplicate key keeps its last value; numbers are doubles (1e400 is infinity); any depth (the
    JavaScript parser has no limit of its own, Python's recursive one stops near 1000 levels: a
    deeper text is parsed here without recursion)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        value = json.loads(text, parse_constant=_no_constant, parse_int=_number)
    except RecursionError:
        try:
            value, deepest = _parse_flat(text)
        except ValueError as exc:
            return Parsed(None, 0, str(exc))
        return Parsed(value, deepest, None)
    except ValueError as exc:
        return Parsed(None, 0, str(exc))
    return Parsed(value, _depth(value), None)


def _parse_flat(text: str) -> tuple[Any, int]:
    """JSON without recursion: the containers being filled are on a list. Same grammar and values
    as parse()'s json.loads (its own string and number scanners)."""
    end, deepest = len(text), 0
    stack: list[list[Any]] = []  # [container, key of the member being read]

    def space(i: int) -> int:
        return _JSON_SPACE.match(text, i).end()

    def key_at(i: int) -> tuple[str, int]:
        if text[i : i + 1] != '"':
            raise ValueError("a member name was expected at character %d" % i)
        name, i = scanstring(text, i + 1, True)
        i = space(i)
        if text[i : i + 1] != ":":
            raise ValueError("':' was expected at character %d" % i)
        return name, space(i + 1)

    i = space(0)
    while True:
        char = text[i : i + 1]
        if char in ("{", "["):
            after = space(i + 1)
            if text[after : after + 1] == ("}" if char == "{" else "]"):
                value, i = ({} if char == "{" else []), after + 1
            else:
                if char == "{":
                    name, i = key_at(after)
                    stack.append([{}, name])
                else:
                    stack.append([[], None])
                    i = after
                deepest = max(deepest, len(stack))
                continue
        elif char == '"':
            value, i = scanstring(text, i + 1, True)
        else:
            match = NUMBER_RE.match(text, i)
            if match and match.group(0):
                integer, fraction, exponent = match.groups()
                value = (
                    float(integer + (fraction or "") + (exponent or "")) if fraction or exponent else _number(integer)
                )
                i = match.end()
            elif text.startswith("true", i):
                value, i = True, i + 4
            elif text.startswith("false", i):
                value, i = False, i + 5
            elif text.startswith("null", i):
                value, i = None, i + 4
            else:
                raise ValueError("a value was expected at character %d" % i)
        # A value is complete: put it in its container, and close the containers it completes.
        while True:
            if not stack:
                if space(i) != end:
                    raise ValueError("text after the value at character %d" % space(i))
                return value, max(deepest, 1 if isinstance(value, (dict, list)) else 0)
            frame = stack[-1]
            if isinstance(frame[0], dict):
                frame[0][frame[1]] = value
            else:
                frame[0].append(value)
            i = space(i)
            char = text[i : i + 1]
            if char == ",":
                i = space(i + 1)
                if isinstance(frame[0], dict):
                    frame[1], i = key_at(i)
                break
            if char != ("}" if isinstance(frame[0], dict) else "]"):
                raise ValueError("',' or the container's end was expected at character %d" % i)
            value, i = stack.pop()[0], i + 1


def _only_objects(value: Any) -> bool:
    todo = [value]
    while todo:
        item = todo.pop()
        if not isinstance(item, dict):
            return False
        todo.extend(item.values())
    return True


def cut_deep(doc: dict, limit: int = _fs.MAX_JSON_DEPTH) -> tuple[dict, list[str]]:
    """Section 8 (2.1.332 and later): a copy of doc in which every object or array nested deeper
    than limit levels (the document is level 1) is null, or, as an object's member holding only
    objects, left out; and the top-level keys that lost something. Without recursion."""
    out: dict = {}
    cut: list[str] = []
    todo = [(doc, out, 1, None)]
    while todo:
        source, into, level, top = todo.pop()
        items = source.items() if isinstance(source, dict) else enumerate(source)
        for key, value in items:
            owner = top if top is not None else str(key)
            if isinstance(value, (dict, list)):
                if level >= limit:
                    if owner not in cut:
                        cut.append(owner)
                    if isinstance(into, dict) and _only_objects(value):
                        continue
                    value = None
                else:
                    child: Any = {} if isinstance(value, dict) else []
                    todo.append((value, child, level + 1, owner))
                    value = child
            if isinstance(into, dict):
                into[key] = value
            else:
                into.append(value)
    order = list(doc)
    return out, sorted(cut, key=order.index)


# --------------------------------------------------------------------------- reading a file


class Read(NamedTuple):
    """What the CLI's reader gets from one path: status "absent", "skipped" (with reason:
    too-large, not-regular, directory, unreadable) or "read" (with data); error says why."""

    status: str
    reason: str | None
    error: str | None
    data: bytes | None


def read_bytes(path: str, limit: int = L.MANAGED_FILE_MAX_BYTES) -> Read:
    """The bytes the CLI would read at path (sections 4, 5), following links as it does: a missing
    file or a dangling link is absent; a folder, FIFO, socket or device is skipped without a
    blocking open; a file over limit bytes is skipped. Through _fs.read_bounded: stat first,
    O_NONBLOCK, fstat on the open descriptor, at most limit + 1 bytes."""
    try:
        data, _st, more = _fs.read_bounded(path, limit, follow=True)
    except _fs.NotRegular as exc:
        reason = "directory" if exc.strerror == "a directory" else "not-regular"
        return Read("skipped", reason, f"{exc.strerror}, not a regular file: {_SKIPS}", None)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return Read("absent", None, None, None)
        return Read("skipped", "unreadable", f"{exc.strerror or exc}: {_SKIPS}", None)
    if more:
        return Read("skipped", "too-large", f"larger than {limit} bytes: {_SKIPS} (File exceeds maxBytes limit)", None)
    return Read("read", None, None, data)


_SKIPS = "Claude Code skips it, with a warning"


# --------------------------------------------------------------------------- the drop-ins


def dropin_order(name: str) -> bytes:
    """Section 7: JavaScript's default sort compares UTF-16 code units."""
    return name.encode("utf-16-be", "surrogatepass")


class Listing(NamedTuple):
    """The drop-in folder as the CLI lists it: names it reads (in its order); [(name, why not)] of
    the other entries (in the same order); error (the folder cannot be listed); and whether it
    holds more than the limit of entries looked at (then nothing is listed)."""

    names: list
    others: list
    error: str | None
    too_many: bool


def dropin_names(folder: str, limit: int) -> Listing:
    """The drop-in folder as the CLI lists it (sections 5, 7): only files and symbolic links whose
    name ends in .json and does not start with a dot; a name that is not UTF-8 reaches the CLI as
    U+FFFD, a name no file has (2.1.332, scripts/claude-doctor.sh). A missing folder, or a file in
    its place, has no drop-ins and no error. At most limit entries are looked at."""
    entries = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                if len(entries) >= limit:
                    return Listing([], [], None, True)
                link = item.is_symlink()
                entries.append(
                    (item.name, link, item.is_file(follow_symlinks=False), item.is_dir(follow_symlinks=False))
                )
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return Listing([], [], None, False)
        return Listing([], [], exc.strerror or str(exc), False)
    names, others = [], []
    for name, link, regular, directory in entries:
        if _LONE_SURROGATE.search(name):
            others.append((name, "the name is not UTF-8: Claude Code does not read it"))
        elif name.startswith("."):
            others.append((name, "hidden file"))
        elif not name.endswith(L.DROPIN_SUFFIX):
            others.append((name, "not a *.json name"))
        elif not (link or regular):
            kind = "a directory" if directory else "not a file or a link (a FIFO, socket or device)"
            others.append((name, kind + ": Claude Code does not list it"))
        else:
            names.append(name)
    return Listing(sorted(names, key=dropin_order), sorted(others, key=lambda item: dropin_order(item[0])), None, False)


# --------------------------------------------------------------------------- the account


class Account(NamedTuple):
    """The ordinary account Claude Code runs as, for the checks below: uid None is "any other
    account" (neither the owner nor in the group of any file)."""

    uid: int | None = None
    gids: tuple = ()


def _allows(st: os.stat_result, account: Account, bit: int) -> bool:
    if account.uid == 0:
        return True
    if account.uid is not None and st.st_uid == account.uid:
        return bool(st.st_mode & (bit << 6))
    if account.uid is not None and st.st_gid in account.gids:
        return bool(st.st_mode & (bit << 3))
    return bool(st.st_mode & bit)


def _chain(path: str) -> list[str]:
    """/ and every folder down to path (links resolved), path last."""
    parts = [p for p in os.path.realpath(path).split(os.sep) if p]
    return [os.sep] + [os.sep + os.sep.join(parts[: i + 1]) for i in range(len(parts))]


def _mode(st: os.stat_result) -> str:
    return "mode %04o, owner %d:%d" % (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)


def blocked(path: str, account: Account, listing: bool = False) -> str | None:
    """Why account cannot open path (with listing: list the folder path), or None when it can or
    when path does not exist (section 6). Every folder from / down to it is to be searchable, the
    file (the folder) readable; links are followed as the CLI follows them. Mode bits only (an
    access control list can open more)."""
    chain = _chain(path)
    for folder in chain[:-1] + (chain[-1:] if listing else []):
        try:
            st = os.stat(folder)
        except OSError:
            return None
        if not _allows(st, account, 1):
            return f"{_who(account)} cannot pass through {folder} ({_mode(st)})"
    try:
        st = os.stat(chain[-1])
    except OSError:
        return None
    if not _allows(st, account, 4):
        return "{} cannot {} {} ({})".format(_who(account), "list" if listing else "read", chain[-1], _mode(st))
    return None


def searchable(folder: str, account: Account) -> str | None:
    """Why account cannot pass through folder or a folder above it, or None."""
    for current in _chain(folder):
        try:
            st = os.stat(current)
        except OSError:
            return None
        if not _allows(st, account, 1):
            return f"{_who(account)} cannot pass through {current} ({_mode(st)})"
    return None


def _who(account: Account) -> str:
    return "an ordinary account" if account.uid is None else "account %d" % account.uid


def held(path: str, trusted: frozenset, creates: bool = False) -> str | None:
    """Section 12: who, other than the trusted accounts (root, and the account this module runs
    as), could change path, a folder from / down to it, or (creates) add files in path itself (a
    folder where a new drop-in or main file takes effect); None when nobody can. An account can
    change what it owns, what its group or every account may write, and replace an entry in a
    folder it may write: unless the folder is sticky (/tmp) and the entry is not its own. Links
    are followed. Mode bits only (an access control list can open more)."""
    chain = _chain(path)
    below: os.stat_result | None = None
    for index in range(len(chain) - 1, -1, -1):
        try:
            st = os.stat(chain[index])
        except OSError:
            below = None
            continue
        mode = stat.S_IMODE(st.st_mode)
        last = index == len(chain) - 1
        if st.st_uid not in trusted:
            return f"{chain[index]} is owned by uid {st.st_uid}"
        writers = []
        if mode & 0o002:
            writers.append("every account")
        if mode & 0o020 and st.st_gid != 0:
            writers.append(f"group {st.st_gid}")
        if writers and last and not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
            writers = []  # writing a device (/dev/null) or a FIFO changes no file
        if writers and (not stat.S_ISDIR(st.st_mode) or (last and creates)):
            return "{} is writable by {} (mode {:04o})".format(chain[index], " and ".join(writers), mode)
        if writers and stat.S_ISDIR(st.st_mode) and not last:
            sticky_protects = mode & stat.S_ISVTX and below is not None and below.st_uid in trusted
            if not sticky_protects:
                return "{} is writable by {} (mode {:04o}): the entry in it can be replaced".format(
                    chain[index], " and ".join(writers), mode
                )
        below = st
    return None
