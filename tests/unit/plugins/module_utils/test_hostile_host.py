# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a hostile host holds, read by module_utils/_fs.py and _sources.py: FIFOs, sockets and
devices are never opened for a blocking read, JSON nested past Python's recursion limit is
judged, names that are not UTF-8 and control characters are shown escaped, what one host
returns is bounded, folders others can change are found, and a held lock is waited for a
bounded time. Every test runs under an alarm: a read that blocks fails it instead of hanging."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs, _sources
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S


@pytest.fixture(autouse=True)
def alarm():
    def hung(_signum, _frame):
        raise TimeoutError("blocked: a read of host content did not return")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def _base(tmp_path, main='{"env": {"DISABLE_TELEMETRY": "1"}}'):
    base = tmp_path / "claude-code"
    (base / "managed-settings.d").mkdir(parents=True)
    if main is not None:
        (base / "managed-settings.json").write_text(main)
    return base


def _by_name(sources):
    return {os.path.basename(e["path"]): e for e in sources}


# ------------------------------------------------------------------------- file types


def test_fifos_sockets_and_devices_are_not_read_and_never_block(tmp_path, monkeypatch):
    base = _base(tmp_path, main=None)
    os.mkfifo(str(base / "managed-settings.json"))  # the main file itself
    os.mkfifo(str(base / "managed-settings.d" / "10-fifo.json"))
    os.mkfifo(str(tmp_path / "elsewhere.fifo"))
    os.symlink(str(tmp_path / "elsewhere.fifo"), str(base / "managed-settings.d" / "20-link-to-fifo.json"))
    os.symlink("/dev/zero", str(base / "managed-settings.d" / "30-zero.json"))
    sock = socket.socket(socket.AF_UNIX)
    monkeypatch.chdir(str(base / "managed-settings.d"))  # a socket's path must be short
    sock.bind("40-socket.json")
    os.mkfifo(str(base / "managed-mcp.json"))
    start = time.monotonic()
    found = _by_name(_sources.managed_sources(str(base / "managed-settings.json"), "Debian"))
    sock.close()
    assert time.monotonic() - start < 5
    # As Claude Code: the main file, a link listed among the drop-ins and managed-mcp.json are
    # skipped with a warning; a FIFO or socket among the drop-ins is not even listed
    # (docs/claude-code-rules.md, section 5)
    for name, kind, status in (
        ("managed-settings.json", "a FIFO", "skipped"),
        ("20-link-to-fifo.json", "a FIFO", "skipped"),
        ("30-zero.json", "a character device", "skipped"),
        ("managed-mcp.json", "a FIFO", "skipped"),
    ):
        assert found[name]["status"] == status, (name, found[name])
        assert found[name]["error"].startswith(kind + ", not a regular file"), found[name]
    for name in ("10-fifo.json", "40-socket.json"):
        assert found[name]["status"] == "ignored" and "does not list it" in found[name]["error"], found[name]


def test_our_own_file_replaced_by_a_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "managed-settings.json"
    os.mkfifo(str(fifo))
    with pytest.raises(_fs.FileError, match="is a FIFO, not a regular file"):
        _fs.inspect(str(fifo))
    with pytest.raises(_fs.NotRegular):
        _fs.read_bounded(str(fifo), 100, follow=True)


def test_the_cli_size_limit_is_claude_codes(tmp_path):
    base = _base(tmp_path)
    at = b'{"env": {"DISABLE_TELEMETRY": ""}}'
    (base / "managed-settings.d" / "50-at.json").write_bytes(at + b" " * (_sources.MAX_SOURCE_BYTES - len(at)))
    (base / "managed-settings.d" / "60-over.json").write_bytes(at + b" " * (_sources.MAX_SOURCE_BYTES - len(at) + 1))
    found = _by_name(_sources.managed_sources(str(base / "managed-settings.json"), "Debian"))
    assert found["50-at.json"]["status"] == "ok"
    assert found["60-over.json"]["status"] == "skipped" and "larger than 2097152" in found["60-over.json"]["error"]


# ---------------------------------------------------------------------------- nesting


def _nest(depth, leaf='"x"'):
    return "[" * depth + leaf + "]" * depth


def test_json_nested_past_the_recursion_limit_is_judged(tmp_path):
    base = _base(tmp_path, main='{"env": {"DISABLE_TELEMETRY": "1"}, "companyAnnouncements": %s}' % _nest(100000))
    (base / "managed-settings.d" / "50-deep-env.json").write_text('{"env": {"X": %s}, "model": "m"}' % _nest(70))
    (base / "managed-settings.d" / "60-fine.json").write_text('{"a": %s}' % _nest(63))
    found = _by_name(_sources.managed_sources(str(base / "managed-settings.json"), "Debian"))
    main = found["managed-settings.json"]
    # As Claude Code 2.1.332 copies a managed file: a container deeper than 64 levels (the document
    # included) becomes null, the rest applies (docs/claude-code-rules.md, section 8)
    assert main["status"] == "ok" and main["content"]["env"] == {"DISABLE_TELEMETRY": "1"}
    assert main["content"]["companyAnnouncements"] == json.loads(_nest(63, "null"))
    assert main["error"] == (
        "a value nests more than 64 levels deep under companyAnnouncements; Claude Code ignores it (read as null)"
    )
    assert found["50-deep-env.json"]["content"] == {"env": {"X": json.loads(_nest(62, "null"))}, "model": "m"}
    assert found["60-fine.json"]["status"] == "ok" and found["60-fine.json"]["error"] is None
    assert _fs.json_depth(found["60-fine.json"]["content"]) == 64
    json.dumps(found)  # and it goes back to the controller


def test_parse_json_object_never_raises():
    assert _fs.parse_json_object(_nest(200000).encode()) == (None, "nested more than 64 levels deep")
    assert _fs.parse_json_object(b'{"a": NaN}')[1] == "not valid JSON (NaN is not JSON)"
    assert _fs.parse_json_object(b"null") == (None, "the JSON is null, not an object")
    assert _fs.parse_json_object(b"[1]") == (None, "the JSON is an array, not an object")
    doc, reason = _fs.parse_json_object(b'{"a": "\xff"}')
    assert doc is None and "not UTF-8" in reason


# -------------------------------------------------------------------- names and contents


def test_names_that_are_not_utf8_and_control_characters_are_escaped(tmp_path):
    base = _base(tmp_path)
    dropins = os.fsencode(str(base / "managed-settings.d"))
    with open(os.path.join(dropins, b"50-\xff\xfe.json"), "w") as handle:
        handle.write('{"env": {"DISABLE_TELEMETRY": ""}}')
    (base / "managed-settings.d" / "60-\x1b[31mred\x1b[0m.json").write_text("{")
    (base / "managed-settings.d" / "70-latin1.json").write_bytes(b'{"companyAnnouncements": ["caf\xe9"]}')
    (base / "managed-settings.d" / "80-bad-bytes.json").write_bytes(b'{"env": {}\xff}')
    (base / "managed-settings.d" / "90-surrogate.json").write_text('{"companyAnnouncements": ["\\ud800"]}')
    # "root": Claude Code runs as root here (pytest's folders are closed to other accounts)
    result = _sources.read(None, str(base / "managed-settings.json"), "Debian", [str(tmp_path / "none")], "root")
    text = json.dumps(result, ensure_ascii=False)
    text.encode("utf-8")  # strict: the result is valid UTF-8 on its way to the controller
    assert "\x1b" not in text
    found = _by_name(result["sources"])
    # CLI 2.1.332 does not read a drop-in whose name is not UTF-8 (scripts/claude-doctor.sh)
    assert found["50-\\xff\\xfe.json"]["status"] == "ignored" and "not UTF-8" in found["50-\\xff\\xfe.json"]["error"]
    assert found["60-\\x1b[31mred\\x1b[0m.json"]["status"] == "unparseable"
    # bytes that are not UTF-8 inside a string are text to the CLI, elsewhere they break the file
    assert found["70-latin1.json"]["content"] == {"companyAnnouncements": ["caf\ufffd"]}
    assert found["80-bad-bytes.json"]["status"] == "unparseable" and "not UTF-8" in found["80-bad-bytes.json"]["error"]
    assert found["90-surrogate.json"]["content"] == {"companyAnnouncements": ["\ufffd"]}


# ------------------------------------------------------------------------------ bounds


def test_what_one_host_returns_is_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(_sources, "MAX_TOTAL_BYTES", 4000)
    monkeypatch.setattr(_sources, "MAX_READ", 5)
    monkeypatch.setattr(_sources, "MAX_IGNORED_SHOWN", 3)
    base = _base(tmp_path)
    for i in range(3):
        (base / "managed-settings.d" / ("1%d-big.json" % i)).write_text(json.dumps({"a": "x" * 1500}))
    for i in range(10):
        (base / "managed-settings.d" / ("5%d.json" % i)).write_text("{}")
        (base / "managed-settings.d" / ("5%d.conf" % i)).write_text("{}")
    found = _sources.managed_sources(str(base / "managed-settings.json"), "Debian")
    by = _by_name(found)
    assert [by["1%d-big.json" % i]["status"] for i in range(3)] == ["ok", "ok", "unread"]
    assert "passed 4000 bytes" in by["12-big.json"]["error"] and by["12-big.json"]["content"] is None
    unread = [e for e in found if e["status"] == "unread"]
    assert any("more than 5 drop-ins" in e["error"] for e in unread)
    ignored = [e for e in found if e["status"] == "ignored"]
    assert len(ignored) == 4 and "7 more entries ignored" in ignored[-1]["error"]
    assert sum(len(json.dumps(e["content"])) for e in found if e["content"]) < 4000


def test_a_folder_with_too_many_entries_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(_sources, "MAX_LISTED", 20)
    base = _base(tmp_path)
    for i in range(25):
        (base / "managed-settings.d" / ("%02d.json" % i)).write_text("{}")
    found = _sources.managed_sources(str(base / "managed-settings.json"), "Debian")
    assert [(os.path.basename(e["path"]), e["status"]) for e in found] == [
        ("managed-settings.json", "ok"),
        ("managed-settings.d", "unread"),
    ]


def test_a_cli_that_hangs_or_floods_is_cut_off(tmp_path, monkeypatch):
    monkeypatch.setattr(_sources, "VERSION_TIMEOUT", 1)
    exe = tmp_path / "claude"
    exe.write_text("#!/bin/sh\nyes 2.1.332 &\nsleep 60\n")
    exe.chmod(0o755)

    class Module:
        def run_command(self, argv, check_rc=False, environ_update=None):
            proc = subprocess.run(
                argv, capture_output=True, text=True, env=dict(os.environ, **environ_update), check=False
            )
            return proc.returncode, proc.stdout, proc.stderr

    start = time.monotonic()
    found = _sources.cli_version([str(exe)], _sources.version_runner(Module()))
    assert time.monotonic() - start < 10
    assert found["path"] == str(exe)  # killed after a second; at most 4096 bytes of its output kept


# ----------------------------------------------------------------------------- folders


def test_folders_others_can_change_are_found(tmp_path):
    etc = tmp_path / "etc"
    (etc / "profile.d").mkdir(parents=True)
    target = str(etc / "profile.d" / "claude-code.sh")
    assert _fs.safe_folder_problems(target) == []  # /tmp above is sticky: passed through
    os.chmod(str(etc / "profile.d"), 0o777)
    assert _fs.safe_folder_problems(target) == [(str(etc / "profile.d"), "mode 0777 (writable by group and others)")]
    os.chmod(str(etc / "profile.d"), 0o755)
    os.chown(str(etc / "profile.d"), 65534, 65534)
    if os.geteuid() == 0:
        assert _fs.safe_folder_problems(target) == [(str(etc / "profile.d"), "owned by uid 65534")]
    os.chown(str(etc / "profile.d"), os.geteuid(), os.getegid())
    # a symbolic link as the file's folder, to a folder a user owns
    (tmp_path / "user-dir").mkdir()
    os.chown(str(tmp_path / "user-dir"), 65534, 65534)
    os.rename(str(etc / "profile.d"), str(etc / "profile.d.old"))
    os.symlink(str(tmp_path / "user-dir"), str(etc / "profile.d"))
    problems = dict(_fs.safe_folder_problems(target))
    assert problems[str(etc / "profile.d")].startswith("a symbolic link")
    # a missing folder is checked from the first one that exists (the module makes the rest)
    assert _fs.safe_folder_problems(str(etc / "fish" / "conf.d" / "x.fish")) == []
    # the managed directory's own owner and mode are drift the module fixes: only a link counts
    os.chmod(str(etc / "profile.d.old"), 0o777)
    assert _fs.safe_folder_problems(str(etc / "profile.d.old" / "x"), own_folder=True) == []


# -------------------------------------------------------------------------------- lock


def test_a_lock_held_by_anyone_is_waited_for_a_bounded_time(tmp_path):
    directory = tmp_path / "claude-code"
    directory.mkdir()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl,os,sys,time\nfd=os.open(sys.argv[1],os.O_RDONLY)\nfcntl.flock(fd,fcntl.LOCK_EX)\n"
            "print('held',flush=True)\ntime.sleep(60)",
            str(directory),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with pytest.raises(_fs.FileError, match="held its lock for more than 0 s"), _fs.lock(str(directory), wait=0.3):
            pass
        with _fs.lock(str(directory), wait=0.3, optional=True) as locked:
            assert locked is False  # a check-mode run reads without it
        assert time.monotonic() - start < 5
    finally:
        holder.kill()
        holder.wait()
    with _fs.lock(str(directory), wait=0.3) as locked:
        assert locked is True


def test_a_failed_write_names_its_own_file(tmp_path, monkeypatch):
    from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import ansible_module

    first, second = tmp_path / "a" / "one.json", tmp_path / "b" / "two.sh"
    first.parent.mkdir()
    second.parent.mkdir()
    real = _fs._write_all

    def full(fd, data):
        if data.startswith(b"two"):
            raise OSError(28, "No space left on device")
        return real(fd, data)

    monkeypatch.setattr(_fs, "_write_all", full)
    with pytest.raises(_fs.FileError) as raised, _fs.Transaction(ansible_module()) as tx:
        tx.replace(str(first), b"one", None)
        tx.replace(str(second), b"two", None)
    assert str(raised.value) == f"{second}: cannot write the new content beside it: No space left on device"
    assert os.listdir(str(first.parent)) == [] and os.listdir(str(second.parent)) == []


def test_printable_errors_for_names():
    assert S.printable(_fs.describe(_fs.FileError("/etc/\x1b]0;pwned\x07x"))) == "/etc/\\x1b]0;pwned\\x07x"
