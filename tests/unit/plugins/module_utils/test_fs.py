# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The host-side file library (module_utils/_fs.py): safe reads, the directory lock, stale temp
clean-up, staged writes, backups, and transactions that change several files all or nothing."""

from __future__ import annotations

import errno
import fcntl
import os
import stat

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import ansible_module


@pytest.fixture
def module():
    return ansible_module()


def mode_of(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def listing(directory):
    return sorted(os.listdir(directory))


# ------------------------------------------------------------------------------ inspect


def test_inspect_reads_a_file_and_reports_a_missing_one(tmp_path):
    path = tmp_path / "f.json"
    assert _fs.inspect(str(path)) == (False, None, None)
    path.write_bytes(b"{}\n")
    exists, data, st = _fs.inspect(str(path))
    assert exists and data == b"{}\n" and stat.S_ISREG(st.st_mode)


@pytest.mark.parametrize(
    "kind, words", [("link", "symbolic link"), ("dir", "is a directory"), ("fifo", "not a regular")]
)
def test_inspect_refuses_what_is_not_a_regular_file(tmp_path, kind, words):
    path = str(tmp_path / "victim")
    target = tmp_path / "target"
    target.write_text("{}")
    if kind == "link":
        os.symlink(str(target), path)
    elif kind == "dir":
        os.mkdir(path)
    else:
        os.mkfifo(path)
    with pytest.raises(_fs.FileError, match=words) as info:
        _fs.inspect(path)
    assert path in str(info.value)


def test_json_and_blocks():
    assert _fs.parse_json_object(b'\xef\xbb\xbf{"a": 1}') == ({"a": 1}, None)
    assert _fs.parse_json_object(b"  ")[1] == "the file is empty"
    assert "not an object" in _fs.parse_json_object(b"[1]")[1]
    assert _fs.render_json({"b": 1, "a": "é"}) == '{\n  "a": "é",\n  "b": 1\n}\n'
    block = _fs.make_block("export A='1'\n")
    assert block.startswith(_fs.BLOCK_BEGIN) and block.endswith(_fs.BLOCK_END + "\n")
    text = _fs.with_block("alias ll='ls -l'", block)
    assert text == "alias ll='ls -l'\n" + block and _fs.find_block(text) == block
    assert _fs.with_block(text, _fs.make_block("export A='2'\n")).count(_fs.BLOCK_BEGIN) == 1
    assert _fs.with_block(text, None) == "alias ll='ls -l'\n" and _fs.find_block("x\n") is None


# --------------------------------------------------------------------------------- lock


def _locked_elsewhere(directory):
    """Whether another open file description can take the lock now."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def test_lock_is_held_for_the_body_only(tmp_path):
    with _fs.lock(str(tmp_path)) as locked:
        assert locked and _locked_elsewhere(str(tmp_path))
    assert not _locked_elsewhere(str(tmp_path))


def test_lock_makes_a_missing_directory_and_removes_it_when_the_body_fails(tmp_path):
    directory = tmp_path / "a" / "b"
    with pytest.raises(RuntimeError), _fs.lock(str(directory), create=True) as locked:
        assert locked and directory.is_dir() and mode_of(str(directory)) == 0o755
        raise RuntimeError("refused")
    assert listing(str(tmp_path)) == []
    with _fs.lock(str(directory), create=True):
        (directory / "kept").write_text("x")
    assert (directory / "kept").exists()


def test_lock_without_create_leaves_a_missing_directory_alone(tmp_path):
    with _fs.lock(str(tmp_path / "missing")) as locked:
        assert locked is False
    assert not (tmp_path / "missing").exists()


def test_lock_refuses_a_symbolic_link_unless_told_to_follow(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(str(tmp_path / "real"), str(tmp_path / "link"))
    with pytest.raises(_fs.FileError, match="symbolic link"), _fs.lock(str(tmp_path / "link"), create=True):
        pass
    with _fs.lock(str(tmp_path / "link"), follow=True) as locked:
        assert locked and _locked_elsewhere(str(tmp_path / "real"))


def test_lock_follows_a_directory_replaced_while_it_waited(tmp_path, monkeypatch):
    """A run waiting for the lock while the holder's failed first run removes the directory
    locks the directory made anew, not the removed one."""
    directory = str(tmp_path / "cc")
    os.mkdir(directory)
    real_flock, calls = fcntl.flock, []

    def flock(fd, op):
        calls.append(op)
        if len(calls) == 1:  # the holder removes the directory, another run makes it again
            os.rmdir(directory)
            os.mkdir(directory)
        return real_flock(fd, op)

    monkeypatch.setattr(fcntl, "flock", flock)
    with _fs.lock(directory, create=True):
        monkeypatch.setattr(fcntl, "flock", real_flock)
        assert len(calls) == 2 and _locked_elsewhere(directory)


def test_lock_takes_a_directory_a_concurrent_run_made_between_two_looks(tmp_path, monkeypatch):
    """Two first runs at once: the directory is missing when one run first looks and there when
    it looks again. It is the other run's directory, not a file in the way."""
    directory = str(tmp_path / "cc")
    real_isdir, looks = os.path.isdir, []

    def isdir(path):
        looks.append(path)
        found = real_isdir(path)
        if path == directory and not found and len(looks) == 1:
            os.mkdir(directory)  # the other run, just after this look
        return found

    monkeypatch.setattr(os.path, "isdir", isdir)
    with _fs.lock(directory, create=True) as locked:
        monkeypatch.setattr(os.path, "isdir", real_isdir)
        assert locked and _locked_elsewhere(directory)
    (tmp_path / "file").write_text("x")  # a file in the way is still refused
    with pytest.raises(_fs.FileError, match="exists and is not a directory"), _fs.lock(
        str(tmp_path / "file"), create=True
    ):
        pass


# -------------------------------------------------------------------------- stale temps


def test_remove_stale_removes_only_our_temp_names(tmp_path):
    d = tmp_path
    for name in (".f.json.abc.tmp", ".f.json.def.tmp", "f.json", ".f.json.bak", ".g.json.abc.tmp"):
        (d / name).write_text("x")
    (d / ".f.json.dir.tmp").mkdir()
    os.symlink("/nonexistent", str(d / ".f.json.lnk.tmp"))
    removed = _fs.remove_stale(str(d), ".f.json.")
    assert removed == [str(d / n) for n in (".f.json.abc.tmp", ".f.json.def.tmp", ".f.json.lnk.tmp")]
    assert listing(str(d)) == [".f.json.bak", ".f.json.dir.tmp", ".g.json.abc.tmp", "f.json"]
    assert _fs.remove_stale(str(d), ".f.json.", directories=True) == [str(d / ".f.json.dir.tmp")]
    assert _fs.remove_stale(str(d / "missing"), ".f.json.") == []


# ---------------------------------------------------------------------- stage and backup


def test_stage_writes_a_complete_file_with_its_final_mode(tmp_path, module):
    path = str(tmp_path / "managed-settings.json")
    tmp = _fs.stage(module, path, b"{}\n")
    name = os.path.basename(tmp)
    assert name.startswith(".managed-settings.json.") and name.endswith(".tmp")
    assert open(tmp, "rb").read() == b"{}\n" and mode_of(tmp) == 0o644
    assert tmp in module.cleanup_files  # any exit of the module removes it unless renamed into place
    if os.geteuid() == 0:
        assert (os.lstat(tmp).st_uid, os.lstat(tmp).st_gid) == (0, 0)
    like = os.lstat(tmp)
    os.chmod(tmp, 0o600)
    kept = _fs.stage(module, path, b"x", mode=0o640, like=like)
    assert mode_of(kept) == 0o640


def test_staged_attributes_go_through_ansiblemodule(tmp_path, module, monkeypatch):
    """Owner, mode and SELinux context are set by AnsibleModule.set_fs_attributes_if_different on
    the temp file; the context is the target's own when it exists, else the policy's default."""
    calls = []
    monkeypatch.setattr(module, "selinux_context", lambda path: ["own", path])
    monkeypatch.setattr(module, "selinux_default_context", lambda path, mode=0: ["default", path])
    monkeypatch.setattr(
        module, "set_fs_attributes_if_different", lambda args, changed, diff=None, expand=True: calls.append(args)
    )
    existing, new = tmp_path / "there.json", str(tmp_path / "new.json")
    existing.write_text("{}")
    first = _fs.stage(module, str(existing), b"{}")
    second = _fs.stage(module, new, b"{}", like=os.lstat(str(existing)))
    owner = 0 if os.geteuid() == 0 else None
    assert [(c["path"], c["mode"], c["owner"], c["group"], c["secontext"]) for c in calls] == [
        (first, 0o644, owner, owner, ["own", str(existing)]),
        (second, 0o644, owner, owner, ["default", new]),
    ]


def test_backup_is_private_complete_and_never_overwritten(tmp_path):
    path = str(tmp_path / "managed-settings.json")
    names = [_fs.backup(path, b"one"), _fs.backup(path, b"two")]
    assert len(set(names)) == 2 and all(n.startswith(path + ".") and n.endswith(".bak") for n in names)
    assert [open(n, "rb").read() for n in names] == [b"one", b"two"]
    assert {mode_of(n) for n in names} == {0o600}
    assert sorted(os.listdir(str(tmp_path))) == sorted(os.path.basename(n) for n in names)  # no temp left


# ------------------------------------------------------------------------- transactions


@pytest.fixture
def files(tmp_path):
    """Three existing files in two directories (one of them user-mode 0600) and a path to create."""
    a, b = tmp_path / "one", tmp_path / "two"
    a.mkdir()
    b.mkdir()
    paths = {"keep": str(a / "shared.rc"), "replace": str(a / "x.json"), "remove": str(b / "y.sh")}
    for key, path in paths.items():
        with open(path, "w") as handle:
            handle.write(f"old {key}\n")
    os.chmod(paths["keep"], 0o600)
    paths["create"] = str(tmp_path / "three" / "deep" / "z.conf")
    return paths


def _state(paths):
    out = {}
    for key, path in paths.items():
        try:
            st = os.lstat(path)
            out[key] = (open(path, "rb").read(), stat.S_IMODE(st.st_mode), st.st_ino)
        except FileNotFoundError:
            out[key] = None
    return out


def _tree(root):
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, ds, fs in os.walk(root) for n in ds + fs)


def _stage_all(tx, files):
    current = {k: _fs.inspect(p) for k, p in files.items()}
    tx.backup(files["replace"], b"masked old")
    tx.replace(files["keep"], b"new keep\n", current["keep"][1:], keep=True)
    tx.replace(files["replace"], b"new replace\n", current["replace"][1:])
    tx.remove(files["remove"])
    tx.replace(files["create"], b"new create\n", None)


def test_a_transaction_commits_every_change(tmp_path, files, module):
    with _fs.Transaction(module) as tx:
        _stage_all(tx, files)
        assert [open(files[k]).read() for k in ("keep", "replace")] == ["old keep\n", "old replace\n"]
        assert not os.path.exists(files["create"])  # staged, not visible
        tx.commit()
    assert open(files["keep"]).read() == "new keep\n" and mode_of(files["keep"]) == 0o600
    assert open(files["replace"]).read() == "new replace\n" and mode_of(files["replace"]) == 0o644
    assert not os.path.exists(files["remove"]) and open(files["create"]).read() == "new create\n"
    (backup,) = tx.backups
    assert open(backup, "rb").read() == b"masked old"
    assert not [n for n in _tree(str(tmp_path)) if n.endswith(".tmp")]


@pytest.mark.parametrize("failing", [1, 2, 3, 4])
def test_a_failed_rename_puts_every_file_back(tmp_path, files, module, monkeypatch, failing):
    before, tree = _state(files), _tree(str(tmp_path))
    real, calls = os.rename, []

    def rename(src, dst):
        calls.append(dst)
        if len(calls) == failing:
            raise OSError(errno.EIO, "injected", dst)
        return real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="injected"), _fs.Transaction(module) as tx:
        _stage_all(tx, files)
        tx.commit()
    monkeypatch.setattr(os, "rename", real)
    assert _state(files) == before  # content, mode and the very inode
    assert _tree(str(tmp_path)) == tree and tx.backups == [] and tx.unrestored == []


def test_without_hard_links_the_originals_are_copies(tmp_path, files, module, monkeypatch):
    before = _state(files)

    def no_link(src, dst):
        raise OSError(errno.EPERM, "Operation not permitted", src)

    monkeypatch.setattr(os, "link", no_link)
    real = os.rename

    def rename(src, dst):
        if dst == files["replace"]:
            raise OSError(errno.EIO, "injected", dst)
        return real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError), _fs.Transaction(module) as tx:
        tx.replace(files["keep"], b"new keep\n", _fs.inspect(files["keep"])[1:], keep=True)
        tx.replace(files["replace"], b"new replace\n", _fs.inspect(files["replace"])[1:])
        tx.commit()
    after = _state(files)
    assert after["keep"][:2] == before["keep"][:2] and after["replace"] == before["replace"]


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path, files, module):
    current = _fs.inspect(files["replace"])[1:]
    other = files["replace"] + ".other"
    with open(other, "w") as handle:
        handle.write("someone else\n")
    os.rename(other, files["replace"])
    with pytest.raises(_fs.FileError, match="changed by something else"), _fs.Transaction(module) as tx:
        tx.replace(files["replace"], b"new\n", current)
    assert open(files["replace"]).read() == "someone else\n"
    assert not [n for n in os.listdir(os.path.dirname(files["replace"])) if n.endswith(".tmp")]


def test_what_cannot_be_put_back_is_named(tmp_path, files, module, monkeypatch):
    real, calls = os.rename, []

    def rename(src, dst):
        calls.append(dst)
        if len(calls) >= 2:  # the second rename of the commit, and the rollback's
            raise OSError(errno.EIO, "injected", dst)
        return real(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(_fs.FileError) as info, _fs.Transaction(module) as tx:
        tx.replace(files["replace"], b"new replace\n", _fs.inspect(files["replace"])[1:])
        tx.replace(files["keep"], b"new keep\n", _fs.inspect(files["keep"])[1:])
        tx.commit()
    monkeypatch.setattr(os, "rename", real)
    message = str(info.value)
    assert "injected" in message and "could not be put back" in message and files["replace"] in message
    (aside,) = [n for n in os.listdir(os.path.dirname(files["replace"])) if n.startswith(".x.json.")]
    assert message.endswith(f"(its previous content is in {os.path.join(os.path.dirname(files['replace']), aside)})")
    assert open(os.path.join(os.path.dirname(files["replace"]), aside)).read() == "old replace\n"


def test_directory_attributes_come_back_on_rollback(tmp_path, module):
    directory = tmp_path / "cc"
    directory.mkdir()
    os.chmod(str(directory), 0o777)
    with pytest.raises(RuntimeError), _fs.Transaction(module) as tx:
        tx.set_dir_attrs(str(directory))
        assert mode_of(str(directory)) == 0o755
        raise RuntimeError("later failure")
    assert mode_of(str(directory)) == 0o777
