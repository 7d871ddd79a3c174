# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The host-side file library of the collection's modules (managed_settings, install): read a
file safely, lock a directory, stage and replace files all or nothing, back up, set owner and
mode, clean up after an interrupted run. Also the two formats the settings module writes: JSON
documents and marked blocks in a shared rc file.

Private to this collection. Standard library only (runs on targets); AnsibleModule's helpers are
reached through the module object the caller passes, where they keep the guarantees below.

What it guarantees (tests/unit/plugins/module_utils/test_fs.py, tests/reliability/test_faults.py):
- A managed file is never read or written through a symbolic link, nor when it is a directory or
  a special file.
- A reader, and a crash (SIGKILL included), sees a file's old content or its new one, never a part:
  new content goes to a temp file beside the target, fully written and fsynced, with its final
  mode, owner and SELinux context, and only then is renamed into place.
- A Transaction changes several files all or nothing. Everything that can fail (writing every temp
  file, the backups, keeping the originals aside) happens before the first rename; when a rename
  fails, the files already replaced are put back from their originals.
- A backup is complete or absent, mode 0600, beside its file (never in /tmp), and holds exactly
  the bytes the caller gives (the settings module masks credentials first, see _secrets).
- Temp files of a killed run (`.<name>.<random>.tmp`) are removed by the next run, under the lock.
- Nothing here blocks for good or reads without bound: files are opened non-blocking and checked
  with fstat before a byte is read (a FIFO never hangs a run), reads stop at a size limit, JSON is
  parsed to a bounded depth without recursion errors, and the lock is waited for a bounded time.
- A file is written only into a folder that only root can change (safe_folder_problems): not a
  symbolic link, owned by root, writable by its owner only, below folders alike (a world-writable
  folder with the sticky bit, such as /tmp, may be passed through).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import stat
import tempfile
import time
from typing import Iterator, Protocol

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L

FILE_MODE = 0o644
DIR_MODE = 0o755
BACKUP_MODE = 0o600
TEMP_SUFFIX = ".tmp"
BLOCK_BEGIN = "# BEGIN fleetpolicy.claude_code managed block"
BLOCK_END = "# END fleetpolicy.claude_code managed block"
# A lock on a directory that a failed first run removed again is retried on the new directory;
# a directory replaced this many times in a row is a fight with something else.
LOCK_ATTEMPTS = 20
# How long a run waits for the managed directory's lock (any user who can open the directory can
# hold an flock on it), and how often it tries.
LOCK_WAIT = 120.0
LOCK_POLL = 0.1
# The largest file of ours read (a settings or rc file); a bigger one is not one this collection
# wrote, and is not read into memory.
MAX_OWN_BYTES = 16 * 1024 * 1024
# How deep a JSON document may nest: 64 levels of objects and arrays, the document included, as
# Claude Code 2.1.332 and later copy a managed file (docs/claude-code-rules.md, section 8: deeper
# containers become null, "A value under KEY is nested more than 64 levels deep").
MAX_JSON_DEPTH = 64


class FileError(Exception):
    """A file the module must not or cannot touch. The message names the path."""


class Module(Protocol):
    """What this library uses of ansible.module_utils.basic.AnsibleModule."""

    def add_cleanup_file(self, path: str) -> None: ...

    def selinux_context(self, path: str) -> list: ...

    def selinux_default_context(self, path: str, mode: int = 0) -> list: ...

    def set_fs_attributes_if_different(
        self, file_args: dict, changed: bool, diff: dict | None = None, expand: bool = True
    ) -> bool: ...


# ---------------------------------------------------------------------------- reading


class NotRegular(OSError):
    """The path is not a regular file (a FIFO, a socket, a device, a directory); not read."""


def file_kind(mode: int) -> str:
    """What a file of this mode is, in words."""
    for test, words in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return words
    return "not a regular file"


def read_bounded(path: str, limit: int, follow: bool = False) -> tuple[bytes, os.stat_result, bool]:
    """(at most limit bytes of path, its stat, whether it holds more). Never blocks: the file is
    opened non-blocking (a FIFO or a device returns at once), checked with fstat, and read only
    when it is a regular file (NotRegular otherwise). Without follow, a symbolic link is refused
    (ELOOP)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    st = os.stat(path) if follow else os.lstat(path)
    if not stat.S_ISREG(st.st_mode) and not (not follow and stat.S_ISLNK(st.st_mode)):
        raise NotRegular(errno.EINVAL, file_kind(st.st_mode), path)  # a socket cannot even be opened
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, file_kind(st.st_mode), path)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data[:limit], st, size > limit


def inspect(path: str) -> tuple[bool, bytes | None, os.stat_result | None]:
    """(exists, bytes or None, stat or None). Refuses symlinks, directories, specials, and a file
    larger than MAX_OWN_BYTES; never blocks (read_bounded)."""
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
        raise FileError(f"{path} is {file_kind(st.st_mode)}, not a regular file; refusing to touch it")
    try:
        data, st, more = read_bounded(path, MAX_OWN_BYTES)
    except NotRegular as exc:  # replaced between lstat and open
        raise FileError(f"{path} is {exc.strerror}, not a regular file; refusing to touch it")
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise FileError(f"{path} is a symbolic link; refusing to follow it (remove it, then run again)")
        raise FileError(f"{path}: cannot read: {exc.strerror}")
    if more:
        raise FileError(
            f"{path} is larger than {MAX_OWN_BYTES} bytes, not a file this collection wrote; refusing to touch it"
        )
    return True, data, st


_JSON_NAMES = (
    (type(None), "null"),
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (list, "an array"),
)
# JSON text outside strings: the brackets that nest, and strings (skipped whole).
JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def json_depth(doc: object) -> int:
    """How deep a parsed JSON value nests (containers, itself included; 0 for a scalar), without recursion."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest


def text_depth(text: str) -> int:
    """How deep JSON text nests, from its brackets outside strings, without parsing it."""
    depth = deepest = 0
    for match in JSON_TOKENS.finditer(text):
        token = match.group(0)
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
    return deepest


def too_deep(text: str, max_depth: int = MAX_JSON_DEPTH) -> bool:
    """Whether JSON text nests deeper than max_depth (fast when it has few brackets at all)."""
    return text.count("[") + text.count("{") > max_depth and text_depth(text) > max_depth


def _no_constant(name: str) -> None:
    # Python's json takes NaN and Infinity; JSON (and Claude Code's JSON.parse) does not
    # (docs/claude-code-rules.md, section 2).
    raise ValueError(f"{name} is not JSON")


def parse_json_object(data: bytes, max_depth: int = MAX_JSON_DEPTH) -> tuple[dict | None, str | None]:
    """Parse bytes as a JSON object nested at most max_depth deep. Returns (dict, None) or
    (None, reason); never raises (a document nested past Python's recursion limit included)."""
    if not data.strip():
        return None, "the file is empty"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not valid JSON (it holds bytes that are not UTF-8: {exc.reason} at byte {exc.start})"
    return parse_json_text(text, max_depth)


def parse_json_text(text: str, max_depth: int = MAX_JSON_DEPTH) -> tuple[dict | None, str | None]:
    """parse_json_object() of text already decoded."""
    if too_deep(text, max_depth):
        return None, f"nested more than {max_depth} levels deep"
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:  # RecursionError: not reached after too_deep()
        return None, f"not valid JSON ({exc})"
    if not isinstance(doc, dict):
        name = next((words for kind, words in _JSON_NAMES if isinstance(doc, kind)), "not an object")
        return None, f"the JSON is {name}, not an object"
    return doc, None


def render_json(doc: dict) -> str:
    """The one serialisation used for writing and for diffs: sorted keys, 2-space indent."""
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------- managed blocks

_BLOCK_RE = re.compile(r"(?ms)^" + re.escape(BLOCK_BEGIN) + r"[^\n]*\n.*?^" + re.escape(BLOCK_END) + r"[^\n]*(\n|\Z)")


def find_block(text: str) -> str | None:
    """The managed block inside text (with markers), or None."""
    match = _BLOCK_RE.search(text)
    return match.group(0) if match else None


def with_block(text: str, block: str | None) -> str:
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


def make_block(body: str) -> str:
    """The managed block around body (export lines, each ending in a newline)."""
    return f"{BLOCK_BEGIN}\n# {L.MANAGED_HEADER}\n{body}{BLOCK_END}\n"


# ---------------------------------------------------------------------- owner and mode


def want_owner() -> int | None:
    """Root-owned files when running as root; otherwise (tests, a user's run) ownership is left alone."""
    return 0 if os.geteuid() == 0 else None


def attrs_drift(st: os.stat_result, want_mode: int, want_uid: int | None) -> list[tuple[str, str, str]]:
    """(key, expected, found) for the mode and owner differences of an existing inode."""
    drift = []
    if stat.S_IMODE(st.st_mode) != want_mode:
        drift.append(("(mode)", f"{want_mode:04o}", f"{stat.S_IMODE(st.st_mode):04o}"))
    if want_uid is not None and (st.st_uid != want_uid or st.st_gid != 0):
        drift.append(("(owner)", "%d:0" % want_uid, "%d:%d" % (st.st_uid, st.st_gid)))
    return drift


def set_attrs(module: Module, path: str, mode: int, like: os.stat_result | None = None, context_of: str = "") -> bool:
    """Give path its mode, its owner (root:root when running as root; with like, the owner of
    like) and, where SELinux is enabled, the context of context_of (path when empty): the one it
    has if it exists, else the policy's default for it, as AnsibleModule.atomic_move does. Through
    AnsibleModule.set_fs_attributes_if_different, which never follows a link (lchown, lchmod) and
    in check mode only tells. True when something differed."""
    owner = want_owner()
    if like is not None and owner == 0:
        uid, gid = like.st_uid, like.st_gid
    else:
        uid = gid = owner
    source = context_of or path
    context = module.selinux_context(source) if os.path.lexists(source) else module.selinux_default_context(source)
    file_args = dict(path=path, mode=mode, owner=uid, group=gid, secontext=context, attributes=None)
    # expand=False: a path is a path here; the helper would otherwise expand `~` and `$VARS` in it.
    return module.set_fs_attributes_if_different(file_args, False, expand=False)


# ------------------------------------------------------------------------ directories


def _trusted_uids() -> tuple[int, ...]:
    """Who may own a folder the module writes in: root, and the user running it when not root."""
    return (0,) if os.geteuid() == 0 else (0, os.geteuid())


def safe_folder_problems(path: str, own_folder: bool = False) -> list[tuple[str, str]]:
    """[(folder, what is wrong)] for the folders a write to path passes through: empty when only
    root (or the user running the module, when not root) can change where path leads.

    The file's own folder must not be a symbolic link, must be owned by root and writable by its
    owner only; with own_folder it is the managed directory, whose owner and mode are this
    module's to set (reported and fixed as drift), so only its being a link counts. Every folder
    above it, as the path resolves, must be owned by root and not writable by group or others
    unless it has the sticky bit (/tmp: nobody can rename or remove what another user made
    there); a symbolic link on the way must be owned by root too. Folders that do not exist yet
    are made by the module (0755, root). Never follows a link to a file, never blocks."""
    trusted = _trusted_uids()
    problems: list[tuple[str, str]] = []
    folder = os.path.dirname(path) or "/"
    existing = folder
    while not os.path.lexists(existing) and existing != os.path.dirname(existing):
        existing = os.path.dirname(existing)
    if existing == folder:
        st = os.lstat(folder)
        if stat.S_ISLNK(st.st_mode):
            problems.append((folder, "a symbolic link (to %s)" % os.path.realpath(folder)))
        elif not own_folder:
            problems.extend((folder, p) for p in _folder_attrs(st, trusted, sticky_ok=False))
    # The links on the way, unresolved: each must be root's.
    node = existing if existing != folder else os.path.dirname(folder)
    while True:
        try:
            st = os.lstat(node)
        except OSError:
            st = None
        if st is not None and stat.S_ISLNK(st.st_mode) and st.st_uid not in trusted:
            problems.append((node, "a symbolic link owned by uid %d" % st.st_uid))
        parent = os.path.dirname(node)
        if parent == node:
            break
        node = parent
    # The folders the path really passes through.
    real = os.path.realpath(existing if existing != folder else os.path.dirname(folder))
    while True:
        try:
            st = os.stat(real)
        except OSError as exc:
            problems.append((real, exc.strerror or str(exc)))
            break
        problems.extend((real, p) for p in _folder_attrs(st, trusted, sticky_ok=True))
        parent = os.path.dirname(real)
        if parent == real:
            break
        real = parent
    return problems


def _folder_attrs(st: os.stat_result, trusted: tuple[int, ...], sticky_ok: bool) -> list[str]:
    found = []
    if not stat.S_ISDIR(st.st_mode):
        found.append(file_kind(st.st_mode) + ", not a directory")
    if st.st_uid not in trusted:
        found.append("owned by uid %d" % st.st_uid)
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o022 and not (sticky_ok and mode & stat.S_ISVTX):
        who = "group and others" if mode & 0o022 == 0o022 else "group" if mode & 0o020 else "others"
        found.append("mode %04o (writable by %s)" % (mode, who))
    return found


def make_dirs(path: str, created: list[str]) -> None:
    """Create path and its missing parents, 0755 (root-owned when root); appends each one made
    to created. A path that exists but is not a directory (or is a link) is refused."""
    missing = []
    current = path
    while current and not os.path.isdir(current):
        if os.path.lexists(current):
            if os.path.isdir(current):
                break  # made by a concurrent run between the two looks
            if os.path.islink(current):
                raise FileError(f"{current} is a symbolic link to nothing; refusing to follow it")
            raise FileError(f"{current} exists and is not a directory")
        missing.append(current)
        current = os.path.dirname(current)
    for directory in reversed(missing):
        try:
            os.mkdir(directory, DIR_MODE)
        except FileExistsError:
            if os.path.islink(directory) or not os.path.isdir(directory):
                raise FileError(f"{directory} exists and is not a directory")
            continue  # made by a concurrent run (or a package) just now
        os.chmod(directory, DIR_MODE)  # mkdir's mode is filtered by the umask
        if want_owner() == 0:
            os.chown(directory, 0, 0)
        created.append(directory)


def remove_empty_dirs(created: list[str]) -> None:
    """Remove the directories of created that are still empty, deepest first."""
    for directory in reversed(created):
        try:
            os.rmdir(directory)
        except OSError:
            pass  # something else is in it now: it stays


def fsync_dir(directory: str) -> None:
    """Make the renames and removals in directory durable. Best effort: some file systems refuse
    to fsync a directory, and the change itself is already done."""
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


def _same_inode(fd: int, path: str) -> bool:
    try:
        now = os.lstat(path)
    except OSError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _flock(fd: int, wait: float) -> bool:
    """Take an exclusive flock on fd, waiting at most wait seconds; whether it was taken."""
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
        if time.monotonic() >= deadline:
            return False
        time.sleep(LOCK_POLL)


def _open_locked(
    directory: str, create: bool, created: list[str], follow: bool, wait: float = LOCK_WAIT, wait_or_skip: bool = False
) -> int | None:
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | (0 if follow else getattr(os, "O_NOFOLLOW", 0))
    for _attempt in range(LOCK_ATTEMPTS):
        if create:
            make_dirs(directory, created)
        try:
            fd = os.open(directory, flags)
        except FileNotFoundError:
            if create:
                continue  # removed again by a failed concurrent first run: make it anew
            return None
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                raise FileError(
                    f"{directory} exists and is not a directory (or is a symbolic link); refusing to use it"
                )
            raise
        try:
            if not _flock(fd, wait):
                if wait_or_skip:
                    os.close(fd)
                    return None
                raise FileError(
                    f"{directory}: another process has held its lock for more than {wait:.0f} s "
                    "(a run of this collection, or anything that can open the directory); not changed"
                )
            # The run that held the lock before may have removed the directory it had made (its
            # first run failed); the lock must be on the directory that is there now.
            if _same_inode(fd, os.path.realpath(directory) if follow else directory):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
    raise FileError(f"{directory}: could not lock it, it was removed or replaced {LOCK_ATTEMPTS} times in a row")


@contextlib.contextmanager
def lock(
    directory: str, create: bool = False, follow: bool = False, wait: float | None = None, optional: bool = False
) -> Iterator[bool]:
    """Hold an exclusive lock (flock) on directory for the body: serialises the runs that write
    into it. Yields whether it holds the lock.

    With create, a missing directory (and its missing parents) is made first, 0755 and root-owned,
    and the ones still empty are removed again when the body raises (fail_json's SystemExit
    included), so that a failed first run leaves nothing. Without create, a missing directory is
    not locked (nothing is written there) and the body runs unlocked. A symbolic link is refused
    unless follow. The lock goes with the descriptor: when the body is left, or the process
    killed.

    The lock is waited for at most wait seconds (LOCK_WAIT by default): any user who can open the
    directory can hold an flock on it. Then a FileError, or with optional (a run that only
    reads), the body runs without the lock."""
    created: list[str] = []
    fd = _open_locked(directory, create, created, follow, LOCK_WAIT if wait is None else wait, optional)
    try:
        yield fd is not None
    except BaseException:
        remove_empty_dirs(created)
        raise
    finally:
        if fd is not None:
            os.close(fd)


def describe(exc: BaseException, path: str = "") -> str:
    """One line for a failure: a FileError's own message, an OSError as '<file>: <error>'."""
    if isinstance(exc, FileError):
        return str(exc)
    return "{}: {}".format(getattr(exc, "filename", None) or path, exc)


# ------------------------------------------------------------------------- temp files


def temp_prefix(path: str) -> str:
    return "." + os.path.basename(path) + "."


def remove_stale(directory: str, prefix: str, suffix: str = TEMP_SUFFIX, directories: bool = False) -> list[str]:
    """Remove what an interrupted earlier run left in directory: regular files and symbolic links
    (a link's temp name, never its target) named <prefix>...<suffix>, and with directories,
    directories so named. Call with the lock held. Returns the paths removed."""
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for name in sorted(names):
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        full = os.path.join(directory, name)
        try:
            mode = os.lstat(full).st_mode
            if stat.S_ISREG(mode) or stat.S_ISLNK(mode):
                os.unlink(full)
            elif directories and stat.S_ISDIR(mode):
                shutil.rmtree(full)
            else:
                continue
        except OSError:
            continue
        removed.append(full)
    return removed


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _temp(path: str) -> tuple[int, str]:
    return tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=os.path.dirname(path))


def stage(module: Module, path: str, data: bytes, mode: int = FILE_MODE, like: os.stat_result | None = None) -> str:
    """A temp file beside path holding data, fully written and fsynced, with its final mode and
    owner (root:root when root; with like, the owner of like) and SELinux context (the one path
    has, or the default for a new file): ready to be renamed over path. Registered with module.add_cleanup_file, so
    any exit of the module removes it unless it was renamed into place.

    The rename is Transaction.commit()'s plain os.rename, not AnsibleModule.atomic_move, which
    sets mode and owner after the rename: a new file first appears with mode 0666 minus the umask
    and the caller's owner (a umask of 0002 makes the policy file group-writable until a second
    step fixes it), with keep_dest_attrs it takes the mode of the file it replaces, even a drifted
    one, and a failed rename comes back as a bare Exception. Here the file is complete, attributes
    included, before anyone can see it, and the rename is the only step left."""
    try:
        fd, tmp = _temp(path)
    except OSError as exc:
        raise FileError(f"{path}: cannot write the new content beside it: {exc.strerror or exc}")
    module.add_cleanup_file(tmp)
    try:
        try:
            _write_all(fd, data)  # mkstemp made it 0600: private while it is being written
            set_attrs(module, tmp, mode, like=like, context_of=path)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        _unlink(tmp)
        # The file whose new content did not fit, not the run's first file (a full file system
        # in /etc/profile.d is reported against /etc/profile.d/claude-code.sh).
        raise FileError(f"{path}: cannot write the new content beside it: {exc.strerror or exc}")
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def backup(path: str, data: bytes) -> str:
    """Write data to '<path>.<timestamp>.bak' beside path, mode 0600, and return its name.

    Written to a temp file first and linked into place, so a backup is complete or absent, never
    partial (a full disk or a kill mid-write leaves only a temp file, which the next run removes).
    Not AnsibleModule.backup_local, which copies the file as it is with its own mode
    (shutil.copy2, in place): a settings file holding credentials would be copied in clear and,
    at 0644, readable by every user, and a full disk leaves a partial copy. Its name,
    '<file>.<pid>.<date>@<time>~', is replaced by the documented '<file>.<timestamp>.bak'; the
    counter below stands for its pid, to keep names unique."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    try:
        fd, tmp = _temp(path)
    except OSError as exc:
        raise FileError(f"{path}: cannot write its backup: {exc.strerror or exc}")
    try:
        try:
            os.fchmod(fd, BACKUP_MODE)
            _write_all(fd, data)
            os.fsync(fd)
        except OSError as exc:
            raise FileError(f"{path}: cannot write its backup: {exc.strerror or exc}")
        finally:
            os.close(fd)
        for n in range(100):
            name = "{}.{}{}.bak".format(path, stamp, "" if n == 0 else "-%d" % n)
            try:
                os.link(tmp, name)
            except FileExistsError:
                continue
            except OSError as exc:
                raise FileError(f"{name}: cannot write backup: {exc.strerror}")
            return name
        raise FileError(f"{path}: too many backups this second")
    finally:
        _unlink(tmp)


# ------------------------------------------------------------------------ transactions


class Transaction:
    """Changes to several files, made all or nothing.

        with _fs.Transaction(module) as tx:
            tx.backup(path, masked_old_data)
            tx.replace(path, data, (old_data, old_stat))   # as inspect() read it
            tx.remove(other)
            tx.commit()

    backup(), replace() and remove() do everything that can fail and change no file a reader
    sees: the new content is staged in a temp file beside each target (written, fsynced, with its
    final attributes), and each file to be replaced is kept aside (a hard link to it, or a copy
    where the file system has none). set_dir_attrs() changes a directory's mode and owner at
    once. commit() then only renames. If anything raises before commit() returns, leaving the
    block puts back every file already replaced or removed, removes the new files, the temp
    files, this run's backups and the directories it made, and restores the directory
    attributes it changed. What could not be put back is listed in `unrestored`, with where its
    content is, and named in a FileError raised in place of the failure. A SIGKILL during
    commit() leaves each file old or new; the next run removes the temp files.
    """

    def __init__(self, module: Module) -> None:
        self.module = module
        self.backups: list[str] = []
        self.created: list[str] = []  # directories made for new files
        self.unrestored: list[str] = []
        self._steps: list[tuple[str, str | None, str | None]] = []  # (path, new temp or None, original aside)
        self._attrs: list[tuple[str, os.stat_result]] = []
        self._done = 0
        self._committed = False

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None or self._committed:
            return
        self.rollback()
        if self.unrestored and isinstance(exc, Exception):
            raise FileError(
                "{}; and these could not be put back as they were: {}".format(describe(exc), "; ".join(self.unrestored))
            )

    # -- staging: may fail, changes nothing a reader sees
    def backup(self, path: str, data: bytes) -> str:
        name = backup(path, data)
        self.backups.append(name)
        return name

    def set_dir_attrs(self, path: str) -> None:
        """Directory mode 0755 (root-owned when root), in place; put back on rollback."""
        st = os.lstat(path)
        if attrs_drift(st, DIR_MODE, want_owner()):
            self._attrs.append((path, st))
            set_attrs(self.module, path, DIR_MODE)

    def replace(self, path: str, data: bytes, current: tuple[bytes, os.stat_result] | None, keep: bool = False) -> None:
        """Stage data for path. current is (bytes, stat) of the file there now, as read by
        inspect(), or None when there is none. keep keeps its mode and owner (a file shared with
        others); otherwise it becomes 0644, root-owned when root."""
        make_dirs(os.path.dirname(path), self.created)
        like = current[1] if keep and current else None
        mode = stat.S_IMODE(like.st_mode) if like else FILE_MODE
        new = stage(self.module, path, data, mode=mode, like=like)
        self._steps.append((path, new, None))
        if current is not None:
            self._steps[-1] = (path, new, self._keep_aside(path, *current))

    def remove(self, path: str) -> None:
        """Stage the removal of path: a placeholder name beside it, which the file takes on commit."""
        try:
            fd, aside = _temp(path)
        except OSError as exc:
            raise FileError(f"{path}: cannot prepare its removal: {exc.strerror or exc}")
        os.close(fd)
        self._steps.append((path, None, aside))

    def _keep_aside(self, path: str, data: bytes, st: os.stat_result) -> str:
        """A second name for the file at path, to put it back from: a hard link (the same inode,
        so its owner, mode, context and times come back too), or a copy of the bytes read."""
        for _n in range(100):
            name = os.path.join(os.path.dirname(path), temp_prefix(path) + os.urandom(6).hex() + TEMP_SUFFIX)
            try:
                os.link(path, name)
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV):
                    raise
                return self._copy_aside(path, data, st)
            if not _same_inode_path(name, st):
                _unlink(name)
                raise FileError(f"{path} was changed by something else while this run planned; run again")
            return name
        raise FileError(f"{path}: cannot find a free temp name beside it")

    def _copy_aside(self, path: str, data: bytes, st: os.stat_result) -> str:
        try:
            fd, name = _temp(path)
        except OSError as exc:
            raise FileError(f"{path}: cannot keep a copy of it aside: {exc.strerror or exc}")
        try:
            try:
                _write_all(fd, data)
                os.fchmod(fd, stat.S_IMODE(st.st_mode))
                if want_owner() == 0:
                    os.fchown(fd, st.st_uid, st.st_gid)
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as exc:
            _unlink(name)
            raise FileError(f"{path}: cannot keep a copy of it aside: {exc.strerror or exc}")
        except BaseException:
            _unlink(name)
            raise
        return name

    # -- commit: renames only
    def commit(self) -> None:
        for path, new, aside in self._steps:
            if new is None:
                os.rename(path, aside)  # a removal: the file goes aside, put back from there if need be
            else:
                os.rename(new, path)
            self._done += 1
        self._committed = True
        for directory in self._directories():
            fsync_dir(directory)
        for _path, _new, aside in self._steps:
            if aside is not None:
                _unlink(aside)  # the replaced or removed file; a leftover is a stale temp for the next run

    def rollback(self) -> None:
        for path, _new, aside in reversed(self._steps[: self._done]):
            try:
                if aside is not None:
                    os.rename(aside, path)
                else:
                    os.unlink(path)  # made by this transaction
            except OSError as exc:
                where = f" (its previous content is in {aside})" if aside is not None else ""
                self.unrestored.append(f"{path}: {exc.strerror or exc}{where}")
        for _path, new, aside in self._steps[self._done :]:
            if new is not None:
                _unlink(new)
            if aside is not None:
                _unlink(aside)  # not applied: the original is still in place
        for name in self.backups:
            _unlink(name)
        self.backups = []
        for path, st in reversed(self._attrs):
            try:
                os.chmod(path, stat.S_IMODE(st.st_mode))
                if want_owner() == 0:
                    os.lchown(path, st.st_uid, st.st_gid)
            except OSError as exc:
                self.unrestored.append(f"{path}: mode and owner: {exc.strerror or exc}")
        remove_empty_dirs(self.created)
        for directory in self._directories():
            fsync_dir(directory)

    def _directories(self) -> list[str]:
        return sorted({os.path.dirname(path) for path, _new, _aside in self._steps})


def _same_inode_path(name: str, st: os.stat_result) -> bool:
    """name is the file st was taken of, unchanged since (an inode number alone can be reused)."""
    try:
        now = os.lstat(name)
    except OSError:
        return False
    return (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
