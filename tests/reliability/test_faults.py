"""File faults: a managed file that is corrupt, empty, a symlink, a directory, owned by a user or
unreadable; a full disk (a 96 KiB tmpfs); the module killed with SIGKILL at random moments while it
writes; two runs writing the same host at once. After every case each file is the old one or the
new one, valid, never partial, and no temp file is left behind."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import tempfile
import time

import pytest

from ._helpers import figure, rc_paths, run_module, temp_files, tree_digest

KILLS = int(os.environ.get("RELIABILITY_KILLS", "120"))
RACE_ROUNDS = int(os.environ.get("RELIABILITY_RACE_ROUNDS", "40"))
DISTRO_BASHRC = b"# the distribution's bash.bashrc\nalias ll='ls -l'\n"
DISTRO_ZSHENV = b"# the distribution's zshenv\nexport ZDOTDIR_HINT=1\n"


def _doc(tag, size=600):
    """A settings document of roughly size*100 bytes (a large file takes a while to write)."""
    return {
        "$schema": "https://json.schemastore.org/claude-code-settings.json",
        "companyAnnouncements": [("%s-%05d " % (tag, i)) * 10 for i in range(size)],
        "cleanupPeriodDays": 30 if tag == "A" else 14,
        "env": {"CLAUDE_CODE_X%02d" % i: "%s-%d" % (tag, i) for i in range(40)},
    }


def _tree(root):
    """A host's /etc with the distribution's bash.bashrc and zshenv (our blocks go inside them)."""
    paths = rc_paths(root)
    os.makedirs(os.path.dirname(paths["zsh"]), exist_ok=True)
    with open(paths["bash"], "wb") as handle:
        handle.write(DISTRO_BASHRC)
    with open(paths["zsh"], "wb") as handle:
        handle.write(DISTRO_ZSHENV)
    return paths


def _args(root, doc, **kw):
    paths = rc_paths(root)
    args = {
        "path": os.path.join(root, "claude-code", "managed-settings.json"),
        "settings": doc,
        "shells": list(paths),
        "shell_paths": paths,
        "os_family": "Debian",
    }
    args.update(kw)
    return args


def _managed_files(root):
    return [os.path.join(root, "claude-code", "managed-settings.json")] + list(rc_paths(root).values())


def _read(path):
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _snapshot(root):
    return {path: _read(path) for path in _managed_files(root)}


def _count_case(root):
    figure("faults:cases")
    left = temp_files(root)
    figure("faults:temps_left", len(left))
    assert left == [], f"temp files left behind: {left!r}"


# ---------------------------------------------------------------------- existing-file faults


@pytest.mark.parametrize(
    "content,reason",
    [
        (b'{"env": {"DISABLE_TELEMETRY": "1"', "not valid JSON"),
        (b"", "empty"),
        (b"[1, 2]", "not an object"),
        (b"\xff\xfe{}", "not valid JSON"),
    ],
    ids=["corrupt", "empty", "json-array", "not-utf8"],
)
def test_unparseable_file_refused_then_replaced_with_force(tmp_path, content, reason):
    root = str(tmp_path / "etc")
    _tree(root)
    path = _args(root, {})["path"]
    os.makedirs(os.path.dirname(path))
    with open(path, "wb") as handle:
        handle.write(content)
    before = tree_digest(root)
    res = run_module(_args(root, _doc("A", 5)))
    assert res.get("failed") and path in res["msg"] and reason in res["msg"] and "force" in res["msg"], res
    assert tree_digest(root) == before, "a refused run changed files"
    _count_case(root)
    res = run_module(_args(root, _doc("A", 5), force=True))
    assert res.get("changed") and not res.get("failed"), res
    (backup,) = res["backup_files"]
    assert _read(backup) == content and stat.S_IMODE(os.stat(backup).st_mode) == 0o600
    assert json.loads(_read(path)) == _doc("A", 5)
    _count_case(root)


def test_symlinked_files_and_directory_are_refused(tmp_path):
    root = str(tmp_path / "etc")
    paths = _tree(root)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shadow").write_bytes(b"root:*:19000:0:99999:7:::\n")
    path = _args(root, {})["path"]
    os.makedirs(os.path.dirname(path))
    for victim, label in ((path, "settings file"), (paths["fish"], "fish rc file"), (paths["bash"], "bash.bashrc")):
        saved = _read(victim)
        if os.path.exists(victim):
            os.unlink(victim)
        os.makedirs(os.path.dirname(victim), exist_ok=True)
        os.symlink(str(outside / "shadow"), victim)
        before, outside_before = tree_digest(root), tree_digest(str(outside))
        res = run_module(_args(root, _doc("A", 5)))
        assert res.get("failed") and "symbolic link" in res["msg"] and victim in res["msg"], (label, res)
        assert tree_digest(root) == before and tree_digest(str(outside)) == outside_before, label
        os.unlink(victim)
        if saved is not None:
            with open(victim, "wb") as handle:
                handle.write(saved)
        _count_case(root)
    # the managed directory itself a symlink to somewhere else
    shutil.rmtree(os.path.dirname(path))
    os.symlink(str(outside), os.path.dirname(path))
    before, outside_before = tree_digest(root), tree_digest(str(outside))
    res = run_module(_args(root, _doc("A", 5)))
    assert res.get("failed") and "symbolic link" in res["msg"], res
    assert tree_digest(root) == before and tree_digest(str(outside)) == outside_before
    _count_case(root)


def test_directory_in_place_of_file_is_refused(tmp_path):
    root = str(tmp_path / "etc")
    paths = _tree(root)
    for victim in (_args(root, {})["path"], paths["sh"]):
        os.makedirs(os.path.join(victim, "inner"))
        before = tree_digest(root)
        res = run_module(_args(root, _doc("A", 5)))
        assert res.get("failed") and "directory" in res["msg"] and victim in res["msg"], res
        assert tree_digest(root) == before
        shutil.rmtree(victim)
        _count_case(root)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to create files owned by another user")
def test_user_owned_file_and_directory_are_taken_back(tmp_path):
    """A managed file a user owns (and could rewrite at will) is reported as drift and taken back:
    root-owned, 0644, our content; a user-owned managed directory goes back to root 0755."""
    root = str(tmp_path / "etc")
    _tree(root)
    args = _args(root, _doc("A", 5))
    assert not run_module(args).get("failed")
    path = args["path"]
    directory = os.path.dirname(path)
    os.chown(path, 1000, 1000)
    os.chmod(path, 0o666)
    os.chown(directory, 1000, 1000)
    os.chmod(directory, 0o777)
    check = run_module(args, check=True)
    keys = {(d["file"], d["key"]) for d in check["drift"]}
    assert {(path, "(owner)"), (path, "(mode)"), (directory, "(owner)"), (directory, "(mode)")} <= keys, check["drift"]
    res = run_module(args)
    assert res.get("changed") and not res.get("failed"), res
    for item, mode in ((path, 0o644), (directory, 0o755)):
        st = os.lstat(item)
        assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (0, 0, mode), item
    assert json.loads(_read(path)) == _doc("A", 5)
    # a user-owned file with the user's own content: replaced, not merged, and backed up first
    with open(path, "w") as handle:
        handle.write('{"env": {"DISABLE_TELEMETRY": "0"}, "permissions": {"defaultMode": "bypassPermissions"}}')
    os.chown(path, 1000, 1000)
    res = run_module(dict(args, backup=True))
    assert res.get("changed") and len(res["backup_files"]) == 1, res
    assert json.loads(_read(path)) == _doc("A", 5) and os.lstat(path).st_uid == 0
    _count_case(root)


def _as_user(uid, func):
    """Run func() in a forked child with the given uid; return what it returns (JSON-able)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        status = 1
        try:
            os.close(read_fd)
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            out = json.dumps(func()).encode()
            os.write(write_fd, out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    chunks = []
    while True:
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read_fd)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks).decode())


@pytest.mark.skipif(os.geteuid() != 0, reason="root reads every file: needs root to switch to an unprivileged user")
def test_unreadable_file_is_refused():
    nobody = 65534
    base = tempfile.mkdtemp(prefix="reliability-unreadable-")  # pytest's tmp dirs are 0700 root
    try:
        os.chmod(base, 0o755)
        root = os.path.join(base, "etc")
        _tree(root)
        args = _args(root, _doc("A", 5))
        assert not run_module(args).get("failed")
        for dirpath, dirs, files in os.walk(base):
            for name in dirs + files + ["."]:
                os.lchown(os.path.join(dirpath, name), nobody, nobody)
        os.chmod(args["path"], 0o000)
        before = tree_digest(root)
        res = _as_user(nobody, lambda: run_module(dict(args, settings=_doc("B", 5))))
        assert res.get("failed") and "cannot read" in res["msg"] and args["path"] in res["msg"], res
        assert tree_digest(root) == before
        _count_case(root)
    finally:
        shutil.rmtree(base, ignore_errors=True)


# -------------------------------------------------------------------------------- full disk


@pytest.fixture
def small_tmpfs(tmp_path):
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    # Room for the old files and the new ones at once (6 files of 1 and 2 pages), which a run
    # that replaces them all or nothing stages side by side before the first rename; not for the
    # ~90 KB settings file of the first case.
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k,mode=0755", "tmpfs", str(mnt)],
        check=False,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        pytest.skip(
            "cannot mount a 96 KiB tmpfs to fill up (%s): the full-disk case needs root with "
            "CAP_SYS_ADMIN" % (proc.stderr.strip() or proc.returncode)
        )
    try:
        yield str(mnt)
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def _fill(directory, leave):
    """Fill the file system of directory until only about `leave` bytes are free."""
    filler = os.path.join(directory, "filler")
    st = os.statvfs(directory)
    free = st.f_bavail * st.f_frsize
    with open(filler, "wb") as handle:
        try:
            handle.write(b"\0" * max(0, free - leave))
        except OSError:
            pass
    return filler


def _same_but_complete_backups(root, before, before_files):
    """The tree is as before, except for backups that are complete copies of the old settings file."""
    after = tree_digest(root)
    settings = _args(root, {})["path"]
    for rel in set(after) - set(before):
        assert rel.endswith(".bak"), f"a failed write left {rel}"
        assert _read(os.path.join(root, rel)) == before_files[settings], f"partial backup {rel}"
    assert {k: v for k, v in after.items() if not k.endswith(".bak")} == before, "a failed write changed files"


def test_full_disk_keeps_old_files(small_tmpfs):
    root = os.path.join(small_tmpfs, "etc")
    _tree(root)
    old = _doc("A", 5)
    assert not run_module(_args(root, old)).get("failed")
    before_files = _snapshot(root)
    before = tree_digest(root)
    # 1. the settings file does not fit: nothing changes, no temp (a complete backup may stay)
    res = run_module(_args(root, _doc("B", 1000), backup=True))
    assert res.get("failed") and "No space left" in res["msg"], res
    _same_but_complete_backups(root, before, before_files)
    _count_case(root)
    # 1b. not even the backup fits: no partial backup either
    filler = _fill(small_tmpfs, 1024)
    res = run_module(_args(root, _doc("B", 1000), backup=True))
    assert res.get("failed") and "No space left" in res["msg"], res
    _same_but_complete_backups(root, before, before_files)
    _count_case(root)
    os.unlink(filler)
    for name in os.listdir(os.path.join(root, "claude-code")):
        if name.endswith(".bak"):
            os.unlink(os.path.join(root, "claude-code", name))
    # 2. the settings file fits, a later rc file does not: all or nothing, every file is the old one
    new = _doc("B", 5)
    new["env"] = {"CLAUDE_CODE_X%02d" % i: "B-%d-" % i + "y" * 100 for i in range(40)}
    filler = _fill(small_tmpfs, 8 * 1024)
    res = run_module(_args(root, new))
    assert res.get("failed") and "No space left" in res["msg"], res
    assert _snapshot(root) == before_files, "a failed run left some files new"
    assert json.loads(before_files[_args(root, new)["path"]]) == old
    _count_case(root)
    os.unlink(filler)
    res = run_module(_args(root, new))
    assert res.get("changed") and not res.get("failed"), res.get("msg")
    assert _snapshot(root)[_args(root, new)["path"]] == json.dumps(new, indent=2, sort_keys=True).encode() + b"\n"
    _count_case(root)


def test_read_only_file_system_keeps_old_files(tmp_path):
    """One folder we write into is on a file system that turned read-only (a remount after an
    error, a read-only /etc image): the run fails naming it, and every file is the old one."""
    root = str(tmp_path / "etc")
    _tree(root)
    mnt = os.path.dirname(rc_paths(root)["environment_d"])
    os.makedirs(mnt)
    proc = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", mnt], check=False, capture_output=True, text=True
    )
    if proc.returncode != 0:
        pytest.skip("cannot mount a tmpfs (%s): the read-only case needs root with CAP_SYS_ADMIN" % proc.stderr.strip())
    try:
        old = _doc("A", 5)
        assert not run_module(_args(root, old)).get("failed")
        before_files = _snapshot(root)
        subprocess.run(["mount", "-o", "remount,ro", mnt], check=True)
        res = run_module(_args(root, _doc("B", 5)))
        assert res.get("failed") and "Read-only file system" in res["msg"], res
        assert mnt in res["msg"] or "60-claude-code.conf" in res["msg"], res["msg"]
        assert _snapshot(root) == before_files, "a failed run left some files new"
        _count_case(root)
        subprocess.run(["mount", "-o", "remount,rw", mnt], check=True)
        res = run_module(_args(root, _doc("B", 5)))
        assert res.get("changed") and not res.get("failed"), res.get("msg")
        assert json.loads(_snapshot(root)[_args(root, {})["path"]]) == _doc("B", 5)
        _count_case(root)
    finally:
        subprocess.run(["umount", "-l", mnt], check=False)


# ----------------------------------------------------------------------- all or nothing


def _renames_of(args):
    """How many renames a run with args makes (on a copy of nothing: counted, not failed)."""
    real, count = os.rename, [0]

    def counting(src, dst):
        count[0] += 1
        return real(src, dst)

    os.rename = counting
    try:
        res = run_module(args)
    finally:
        os.rename = real
    assert res.get("changed") and not res.get("failed"), res
    return count[0]


@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_failed_rename_leaves_every_file_as_it_was(tmp_path, monkeypatch, state):
    """All or nothing per host: the run stages every file first, then renames them into place;
    when the Nth rename fails (for every N), the files already replaced are put back. Every file
    has its old content, mode and owner; no temp file, backup or new directory is left; the next
    run applies everything. One file is created (fish), the shared rc files get a block."""
    root = str(tmp_path / "etc")
    paths = _tree(root)
    assert not run_module(_args(root, _doc("A", 5))).get("failed")
    os.chmod(paths["sh"], 0o640)  # attribute drift, repaired by the same run
    if state == "present":
        shutil.rmtree(os.path.dirname(paths["fish"]))  # created by the run, directories included
        args = _args(root, _doc("B", 5), backup=True)
    else:
        args = _args(root, None, state="absent", backup=True)
    expected_root = str(tmp_path / "expected")
    shutil.copytree(root, expected_root, symlinks=True)
    total = _renames_of(dict(args, path=args["path"].replace(root, expected_root), shell_paths=rc_paths(expected_root)))
    assert total == 6, total  # the settings file and five rc files, each one rename
    before, before_files = tree_digest(root), _snapshot(root)
    real = os.rename

    def failing_at(n):
        """os.rename that fails its nth call."""
        calls = [0]

        def failing(src, dst):
            calls[0] += 1
            if calls[0] == n:
                raise OSError(errno.EIO, "Input/output error (injected)", dst)
            return real(src, dst)

        return failing

    for n in range(1, total + 1):
        monkeypatch.setattr(os, "rename", failing_at(n))
        res = run_module(args)
        monkeypatch.setattr(os, "rename", real)
        assert res.get("failed") and "injected" in res["msg"] and res["backup_files"] == [], (n, res)
        assert "could not be put back" not in res["msg"], res["msg"]
        assert tree_digest(root) == before, f"rename {n} of {total} failed: files changed"
        figure("faults:renames_failed")
        _count_case(root)
    assert _snapshot(root) == before_files
    res = run_module(args)
    assert res.get("changed") and not res.get("failed") and len(res["backup_files"]) >= 1, res
    assert run_module(args)["changed"] is False
    _count_case(root)


# --------------------------------------------------------------------------------- SIGKILL


def _fork_module(args, go_fd=None, result_path=None):
    """Fork a child that runs the module with args (after a byte on go_fd, if given)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        status = 1
        try:
            if go_fd is not None:
                os.read(go_fd, 1)
            res = run_module(args)
            if result_path:
                with open(result_path, "w") as handle:
                    json.dump(res, handle)
            status = 0
        finally:
            os._exit(status)
    return pid


def _expected_states(base, docs):
    """The exact bytes of every managed file after a clean run with each doc, from the same start."""
    states = {}
    for tag, doc in docs.items():
        root = os.path.join(base, "expect-" + tag)
        _tree(root)
        res = run_module(_args(root, doc))
        assert res.get("changed") and not res.get("failed"), res
        states[tag] = {os.path.relpath(p, root): _read(p) for p in _managed_files(root)}
    return states


def _backup_ok(root, states):
    """Every backup is a complete copy of some state of its file (never partial)."""
    bad = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith(".bak"):
                continue
            full = os.path.join(dirpath, name)
            base = os.path.relpath(full, root).rsplit(".", 2)[0]
            if _read(full) not in [s.get(base) for s in states.values()]:
                bad.append(full)
    return bad


def test_sigkill_during_writes(tmp_path):
    seed = int(os.environ.get("RELIABILITY_SEED", str(int(time.time()))))
    rng = random.Random(seed)
    docs = {"A": _doc("A"), "B": _doc("B")}
    states = _expected_states(str(tmp_path), docs)
    root = str(tmp_path / "etc")
    _tree(root)
    assert not run_module(_args(root, docs["A"])).get("failed")

    def rel(path):
        return os.path.relpath(path, root)

    settings_rel = rel(_args(root, {})["path"])
    # how long one run takes: kill times are spread over 0..1.3x that
    durations = []
    for tag in "BA":
        start = time.monotonic()
        pid = _fork_module(_args(root, docs[tag]))
        os.waitpid(pid, 0)
        durations.append(time.monotonic() - start)
    window = max(durations) * 1.3
    kills = iterations = lost = mid_run = 0
    stale_seen = set()
    outcomes = {"old": 0, "new": 0}
    while kills < KILLS and iterations < KILLS * 4:
        iterations += 1
        now = _snapshot(root)
        current = "A" if now[os.path.join(root, settings_rel)] == states["A"][settings_rel] else "B"
        target = "B" if current == "A" else "A"
        pid = _fork_module(_args(root, docs[target], backup=rng.random() < 0.5))
        time.sleep(rng.uniform(0, window))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        status = os.waitpid(pid, 0)[1]
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            continue  # it finished first: not a kill
        kills += 1
        after = _snapshot(root)
        changed_any = False
        for path, data in after.items():
            allowed = (now[path], states[target][rel(path)])
            if data not in allowed:
                lost += 1
            if data != now[path]:
                changed_any = True
        try:
            json.loads(after[os.path.join(root, settings_rel)])  # always valid JSON
        except ValueError:
            lost += 1
        outcomes["new" if after[os.path.join(root, settings_rel)] == states[target][settings_rel] else "old"] += 1
        temps = temp_files(root)
        stale_seen.update(temps)
        if changed_any or temps:
            mid_run += 1
        assert not _backup_ok(root, states), f"partial or foreign backups: {_backup_ok(root, states)!r}"
    figure("kill:kills", kills)
    figure("kill:mid_run", mid_run)
    figure("kill:new", outcomes["new"])
    figure("kill:old", outcomes["old"])
    figure("kill:lost", lost)
    figure("kill:seed", seed, add=False)
    assert lost == 0, "files neither old nor new after a SIGKILL (seed %d)" % seed
    assert kills >= KILLS, "only %d of %d runs were killed before they finished (seed %d)" % (kills, iterations, seed)
    assert mid_run >= KILLS // 10, "too few kills landed while files were being written: %d" % mid_run
    # the next run cleans up what the killed runs left, under the directory lock
    res = run_module(_args(root, docs["A"]))
    assert not res.get("failed"), res
    left = temp_files(root)
    figure("kill:stale_seen", len(stale_seen))
    figure("kill:stale_cleaned", len(stale_seen) - len([t for t in stale_seen if t in left]))
    figure("kill:temps_left", len(left))
    assert left == [], f"temp files left behind after a clean run: {left!r}"
    assert _snapshot(root) == {os.path.join(root, k): v for k, v in states["A"].items()}


# ------------------------------------------------------------------------------ concurrency


def test_two_runs_at_once_end_with_one_valid_file(tmp_path):
    docs = {"A": _doc("A", 100), "B": _doc("B", 100)}
    states = _expected_states(str(tmp_path), docs)
    root = str(tmp_path / "etc")
    results_dir = tmp_path / "results"
    results_dir.mkdir()
    failed_runs = valid = 0
    messages = []
    for rnd in range(RACE_ROUNDS):
        if rnd % 2 == 0:  # every other round: the very first run on a fresh host, no directory yet
            shutil.rmtree(root, ignore_errors=True)
            _tree(root)
        read_fd, write_fd = os.pipe()
        pids = {}
        for tag in "AB":
            out = str(results_dir / ("%d-%s.json" % (rnd, tag)))
            pids[_fork_module(_args(root, docs[tag]), go_fd=read_fd, result_path=out)] = out
        os.write(write_fd, b"go")
        for pid, out in pids.items():
            status = os.waitpid(pid, 0)[1]
            res = json.loads(_read(out) or b"{}")
            if status != 0 or res.get("failed") or not res:
                failed_runs += 1
                messages.append(res.get("msg", "exit status %d" % status))
        os.close(read_fd)
        os.close(write_fd)
        now = {os.path.relpath(p, root): _read(p) for p in _managed_files(root)}
        if now in (states["A"], states["B"]) and not temp_files(root):
            valid += 1
    figure("race:rounds", RACE_ROUNDS)
    figure("race:valid", valid)
    figure("race:failed_runs", failed_runs)
    assert failed_runs == 0, "%d runs failed because another run was writing: %r" % (failed_runs, messages[:3])
    assert valid == RACE_ROUNDS, "%d of %d rounds ended with files from both runs or temp files" % (
        RACE_ROUNDS - valid,
        RACE_ROUNDS,
    )
