# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writing an MDM export on the controller: each file atomically (a temporary file in the same
directory, flushed, then renamed over the old one), a file whose bytes and mode are already right
left alone (so a second run changes nothing, not even a time stamp), the manifest last, and the
files an earlier export listed in its manifest but this one does not write removed.

Private to this collection; controller side only.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.mdm import _manifest


class WriteError(OSError):
    """A file of the export that could not be written; the message names it."""


def _same(path: str, data: bytes, mode: int) -> bool:
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or stat.S_IMODE(st.st_mode) != mode or st.st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _atomic_write(path: str, data: bytes, mode: int) -> None:
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _previous(dest: str, names: frozenset) -> list:
    """The files the manifest of an earlier export lists (relative paths) whose names are among
    names, or [] when there is none or it is not one of ours."""
    try:
        with open(os.path.join(dest, _manifest.NAME), encoding="utf-8") as handle:
            old = json.load(handle)
    except (OSError, ValueError):
        return []
    if not isinstance(old, dict) or old.get("generator") != _manifest.GENERATOR:
        return []
    listed = []
    for entry in old.get("targets") or []:
        for info in ((entry or {}).get("files") or {}).values():
            path = info.get("path") if isinstance(info, dict) else None
            if isinstance(path, str) and os.path.basename(path) in names:
                listed.append(path)
    return listed


def _inside(dest: str, relative: str) -> str | None:
    path = os.path.normpath(os.path.join(dest, relative))
    if os.path.isabs(relative) or not path.startswith(dest + os.sep):
        return None
    return path


def write(dest: str, files: dict, manifest: bytes, names: frozenset, check: bool = False) -> dict:
    """Write files ({relative path: (bytes, mode)}) and the manifest under dest; remove what an
    earlier export's manifest listed (files named one of names) and this one does not write. With
    check, write and remove nothing and say what would be done.

    Returns {"written": [...], "unchanged": [...], "removed": [...]} (relative paths)."""
    dest = os.path.abspath(dest)
    report = {"written": [], "unchanged": [], "removed": []}
    try:
        old = _previous(dest, names)
        if check:
            for relative in sorted(files):
                same = _same(os.path.join(dest, relative), *files[relative])
                report["unchanged" if same else "written"].append(relative)
            report["removed"] = sorted(r for r in set(old) - set(files) if os.path.isfile(os.path.join(dest, r)))
            same = _same(os.path.join(dest, _manifest.NAME), manifest, 0o644)
            report["unchanged" if same else "written"].append(_manifest.NAME)
            return report
        os.makedirs(dest, exist_ok=True)
        for relative in sorted(files):
            data, mode = files[relative]
            path = _inside(dest, relative)
            if path is None:  # pragma: no cover - the action builds the paths from checked names
                raise WriteError(f"{relative} is not inside {dest}")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if _same(path, data, mode):
                report["unchanged"].append(relative)
                continue
            _atomic_write(path, data, mode)
            report["written"].append(relative)
        for relative in sorted(set(old) - set(files)):
            path = _inside(dest, relative)
            if path is None or not os.path.isfile(path) or os.path.islink(path):
                continue
            os.unlink(path)
            report["removed"].append(relative)
            parent = os.path.dirname(path)
            while parent != dest:
                try:
                    os.rmdir(parent)  # only when empty
                except OSError:
                    break
                parent = os.path.dirname(parent)
        path = os.path.join(dest, _manifest.NAME)
        if _same(path, manifest, 0o644):
            report["unchanged"].append(_manifest.NAME)
        else:
            _atomic_write(path, manifest, 0o644)
            report["written"].append(_manifest.NAME)
    except OSError as exc:
        raise WriteError(f"cannot write the MDM artifacts to {dest}: {exc}") from None
    return report
