# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Safe file handling for managed settings and rc files: read, plan, write atomically, back up.

Private to this collection. Standard library only (runs on targets).
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import stat
import tempfile
import time

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L

FILE_MODE = 0o644
DIR_MODE = 0o755
BACKUP_MODE = 0o600
TEMP_SUFFIX = ".tmp"
BLOCK_BEGIN = "# BEGIN fleetpolicy.claude_code managed block"
BLOCK_END = "# END fleetpolicy.claude_code managed block"


class FileError(Exception):
    """A file the module must not or cannot touch. The message names the path."""


def detect_os_family(root="/"):
    """OS family from uname and /etc/os-release (works in a chroot too)."""
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


class DirLock:
    """An exclusive flock on a directory: serialises concurrent runs writing into it."""

    def __init__(self, path):
        self.path = path
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.path, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        try:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            os.close(self.fd)


def temp_prefix(path):
    return "." + os.path.basename(path) + "."


def remove_stale_temps(path):
    """Remove temp files a killed earlier run left beside path. Call with the dir lock held."""
    directory = os.path.dirname(path)
    prefix = temp_prefix(path)
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            full = os.path.join(directory, name)
            try:
                if stat.S_ISREG(os.lstat(full).st_mode):
                    os.unlink(full)
                    removed.append(full)
            except OSError:
                pass
    return removed


def inspect(path):
    """Return (exists, bytes or None, stat or None). Refuses symlinks, directories, specials."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return False, None, None
        raise FileError(f"{path}: cannot inspect: {exc.strerror}")
    if stat.S_ISLNK(st.st_mode):
        raise FileError(f"{path} is a symbolic link; refusing to follow it (remove it, then run again)")
    if stat.S_ISDIR(st.st_mode):
        raise FileError(f"{path} is a directory, not a file; refusing to touch it")
    if not stat.S_ISREG(st.st_mode):
        raise FileError(f"{path} is not a regular file; refusing to touch it")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror}")
    return True, data, st


def parse_json_object(data):
    """Parse bytes as a JSON object. Returns (dict, None) or (None, reason)."""
    if not data.strip():
        return None, "the file is empty"
    try:
        text = data.decode("utf-8-sig")
        doc = json.loads(text)
    except (UnicodeDecodeError, ValueError) as exc:
        return None, f"not valid JSON ({exc})"
    if not isinstance(doc, dict):
        return None, f"the JSON is a {type(doc).__name__}, not an object"
    return doc, None


def render_json(doc):
    """The one serialisation used for writing and for diffs: sorted keys, 2-space indent."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def attrs_drift(st, want_mode, want_uid):
    """List of (key, expected, found) for mode/owner differences of an existing inode."""
    drift = []
    if stat.S_IMODE(st.st_mode) != want_mode:
        drift.append(("(mode)", f"{want_mode:04o}", f"{stat.S_IMODE(st.st_mode):04o}"))
    if want_uid is not None and (st.st_uid != want_uid or st.st_gid != 0):
        drift.append(("(owner)", "%d:0" % want_uid, "%d:%d" % (st.st_uid, st.st_gid)))
    return drift


def want_owner():
    """Root-owned files when running as root; otherwise (tests) leave ownership alone."""
    return 0 if os.geteuid() == 0 else None


def ensure_dir(path, created):
    """Create missing parents with 0755 (root-owned when root). Records what it created."""
    missing = []
    current = path
    while current and not os.path.isdir(current):
        if os.path.lexists(current):
            if os.path.isdir(current):
                break  # created by a concurrent run between the two checks
            raise FileError(f"{current} exists and is not a directory")
        missing.append(current)
        current = os.path.dirname(current)
    for directory in reversed(missing):
        try:
            os.mkdir(directory, DIR_MODE)
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
            if os.path.islink(directory) or not os.path.isdir(directory):
                raise FileError(f"{directory} exists and is not a directory")
            continue  # created by a concurrent run (or another package) just now
        os.chmod(directory, DIR_MODE)
        if want_owner() == 0:
            os.chown(directory, 0, 0)
        created.append(directory)


def backup(path, data):
    """Copy data to '<path>.<timestamp>.bak' beside the file, mode 0600, never in /tmp.

    Written to a temp file first and linked into place, so a backup is complete or absent, never
    partial (a full disk or a kill mid-write leaves only a temp file, which the next run removes).
    """
    stamp = time.strftime("%Y%m%dT%H%M%S")
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=os.path.dirname(path))
    try:
        try:
            os.fchmod(fd, BACKUP_MODE)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        for n in range(100):
            name = "{}.{}{}.bak".format(path, stamp, "" if n == 0 else "-%d" % n)
            try:
                os.link(tmp, name)
            except OSError as exc:
                if exc.errno == errno.EEXIST:
                    continue
                raise FileError(f"{name}: cannot write backup: {exc.strerror}")
            return name
        raise FileError(f"{path}: too many backups this second")
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path, data, mover=None, keep=None):
    """Write bytes to path atomically: temp file in the same directory, fsync, rename, fsync dir.

    A reader (or a crash) sees the old file or the new one, never a partial one. mover, when
    given, is AnsibleModule.atomic_move; the mode and owner are set afterwards in any case. With
    keep (the stat of the file it replaces, shared with others), its mode and owner are kept.
    """
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=directory)
    try:
        try:
            if keep is not None:
                os.fchmod(fd, stat.S_IMODE(keep.st_mode))
                if os.geteuid() == 0:
                    os.fchown(fd, keep.st_uid, keep.st_gid)
            else:
                os.fchmod(fd, FILE_MODE)
                if want_owner() == 0:
                    os.fchown(fd, 0, 0)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if mover is not None:
            mover(tmp, path)
        else:
            os.rename(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if keep is None:
        set_attrs(path)
    fsync_dir(directory)


def atomic_write_keep(path, data, st):
    """Atomic write of a file shared with others: keep its existing mode and owner."""
    atomic_write(path, data, keep=st)


def set_attrs(path):
    os.chmod(path, FILE_MODE)
    if want_owner() == 0:
        os.chown(path, 0, 0)


def set_dir_attrs(path):
    os.chmod(path, DIR_MODE)
    if want_owner() == 0:
        os.chown(path, 0, 0)


def fsync_dir(directory):
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def remove(path):
    os.unlink(path)
    fsync_dir(os.path.dirname(path))


# ------------------------------------------------------------------------- managed blocks

_BLOCK_RE = re.compile(r"(?ms)^" + re.escape(BLOCK_BEGIN) + r"[^\n]*\n.*?^" + re.escape(BLOCK_END) + r"[^\n]*(\n|\Z)")


def find_block(text):
    """The managed block inside text (with markers), or None."""
    match = _BLOCK_RE.search(text)
    return match.group(0) if match else None


def with_block(text, block):
    """text with its managed block replaced by block (appended when absent; removed when None)."""
    match = _BLOCK_RE.search(text)
    if block is None:
        if not match:
            return text
        return text[: match.start()] + text[match.end() :]
    if match:
        return text[: match.start()] + block + text[match.end() :]
    if text and not text.endswith("\n"):
        text += "\n"
    return text + block


def make_block(body):
    """The managed block around body (export lines, each ending in a newline)."""
    return f"{BLOCK_BEGIN}\n# {L.MANAGED_HEADER}\n{body}{BLOCK_END}\n"


# ------------------------------------------------------------------- what Claude Code reads

MAX_SOURCE_BYTES = 4 * 1024 * 1024


def _read_source(path, kind, ours):
    """One managed source as Claude Code would see it: status ok (content parsed), unparseable,
    unreadable or absent. Never follows a link for us: it reads what the CLI reads."""
    entry = {
        "path": path,
        "kind": kind,
        "ours": path == ours,
        "status": "ok",
        "sha256": None,
        "error": None,
        "content": None,
    }
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
        # (with the XML parser it loads) is a third of this file's import time on a Linux host.
        import plistlib

        try:
            doc = plistlib.loads(data)
        except Exception as exc:  # plistlib raises several types for damaged files
            entry.update(status="unparseable", error=f"not a property list ({exc})")
            return entry
    elif not data.strip():
        doc = {}  # Claude Code reads an empty managed file as {}
    else:
        doc, reason = parse_json_object(data)
        if doc is None:
            entry.update(status="unparseable", error=reason)
            return entry
    if not isinstance(doc, dict):
        entry.update(status="unparseable", error="not a mapping")
        return entry
    entry["content"] = doc
    return entry


def managed_sources(ours, family):
    """Every managed source Claude Code reads on this host, in its read order: the main file, the
    drop-ins (alphabetical; hidden and non-.json entries listed as ignored), managed-mcp.json,
    and on macOS the MDM plist. ours is the file this collection manages (main file or drop-in)."""
    parent = os.path.dirname(ours)
    base = os.path.dirname(parent) if os.path.basename(parent) == L.DROPIN_DIR else parent
    dropins = os.path.join(base, L.DROPIN_DIR)
    found = []
    main = _read_source(os.path.join(base, L.MANAGED_FILE), "main", ours)
    if main:
        found.append(main)
    try:
        names = sorted(os.listdir(dropins))
    except OSError:
        names = []
    for name in names:
        full = os.path.join(dropins, name)
        if name.startswith(".") or not name.endswith(".json"):
            found.append(
                {
                    "path": full,
                    "kind": "dropin",
                    "ours": False,
                    "status": "ignored",
                    "sha256": None,
                    "error": "hidden file" if name.startswith(".") else "not a *.json name",
                    "content": None,
                }
            )
            continue
        if os.path.isdir(full):
            found.append(
                {
                    "path": full,
                    "kind": "dropin",
                    "ours": False,
                    "status": "ignored",
                    "sha256": None,
                    "error": "a directory",
                    "content": None,
                }
            )
            continue
        entry = _read_source(full, "dropin", ours)
        if entry:
            found.append(entry)
    mcp = _read_source(os.path.join(base, L.MANAGED_MCP_FILE), "mcp", ours)
    if mcp:
        found.append(mcp)
    if family == "Darwin":
        plist = _read_source(L.MDM_PLIST, "plist", ours)
        if plist:
            found.append(plist)
    return found


_VERSION = re.compile(r"\b(\d+\.\d+\.\d+)\b")


def cli_version(paths, run_command=None):
    """(path, version or None, how) of the first Claude Code CLI found at one of paths.

    The version comes from the package.json of the npm package the executable belongs to;
    failing that, from `claude --version` (run_command(argv) -> (rc, out, err)), which starts
    the CLI but changes nothing. None when no CLI is found."""
    for path in paths:
        if not os.path.isfile(path) or not os.access(path, os.X_OK):
            continue
        real = os.path.realpath(path)
        folder = os.path.dirname(real)
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
