"""How the module reads one managed file, as Claude Code reads it (plugins/module_utils/_cliread.py;
each rule in docs/claude-code-rules.md, with the recorded runs: tests/unit/test_judge_matches_cli.py
checks the whole chain against them). Here each rule alone, with the cases Python's own tools get
wrong, and the guarantee that no read blocks."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import tempfile

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _cliread as R
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.tests._support import cli_rules

DOC = '{"env": {"DISABLE_TELEMETRY": "1"}}'


# ------------------------------------------------------------------ section 1: encoding
@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\xff\xfe" + DOC.encode("utf-16-le"), "\ufeff" + DOC),  # UTF-16LE with its mark
        (b"\xff\xfe" + DOC.encode("utf-16-le") + b"x", "\ufeff" + DOC),  # an odd last byte is dropped
        (b'{"a":"\xff"}', '{"a":"\ufffd"}'),  # invalid UTF-8: U+FFFD, never an error
        (b'{"a":"\xe9t\xe9"}', '{"a":"\ufffdt\ufffd"}'),  # Latin-1
        (b'{"a":1}\r\n', '{"a":1}\n'),
        (b"\xfe\xff\x00{", "\ufffd\ufffd\x00{"),  # UTF-16BE is not recognised
    ],
)
def test_decode_as_the_cli(data, text):
    assert R.decode(data) == text == cli_rules.decode(data)


def test_blank_is_what_javascript_trims():
    for text in ("", " \n\t", "\u00a0", "\ufeff", "\u2028\u3000"):
        assert R.is_blank(text)
    assert not R.is_blank("\u200b")  # a zero-width space is not white space to JavaScript


# ------------------------------------------------------------------ section 2: JSON.parse
@pytest.mark.parametrize(
    "text",
    [
        '{"a":NaN}',
        '{"a":Infinity}',
        '{"a":-Infinity}',
        '{"a":1,}',
        '{"a":1} // note',
        '{"a":1}\u2028',
        '{"a":"\x00"}',
        "\ufeff\ufeff{}",
        "{} {}",
    ],
)
def test_json_parse_refuses(text):
    parsed = R.parse(text)
    assert parsed.value is None and parsed.error


def test_json_parse_takes_what_javascript_takes():
    assert R.parse("\ufeff{}").value == {}
    assert R.parse('{"a":1,"a":2}').value == {"a": 2}  # the last duplicate wins
    assert R.parse('{"a":"\\ud800"}').value == {"a": "\ud800"}
    big = R.parse('{"n": 123456789012345678901234567890, "s": 9007199254740993, "f": 1e400}').value
    assert big["n"] == 1.2345678901234568e29 and isinstance(big["n"], float)  # a double, as in JavaScript
    assert big["s"] == 9007199254740992.0 and big["f"] == float("inf")
    assert R.parse('{"i": 42}').value == {"i": 42} and R.parse("[]").value == []


def test_any_depth_without_recursion():
    deep = '{"env":{"A":"1"},"x":' + "[" * 5000 + '"v"' + "]" * 5000 + "}"
    parsed = R.parse(deep)
    assert parsed.error is None and parsed.depth == 5001 and parsed.value["env"] == {"A": "1"}
    assert R.parse(deep[:-2] + "}").value is None  # a bracket short: refused, deep or not
    assert R.parse("[" * 3000 + "1,]" + "]" * 2999).value is None


def _random_json(rng, depth=0):
    pick = rng.randrange(9 if depth < 4 else 5)
    if pick == 0:
        return rng.choice([None, True, False])
    if pick == 1:
        return rng.randrange(-(2**60), 2**60)
    if pick == 2:
        return rng.choice([0.5, -1e-7, 1e21, 3.0, 2.5e-300])
    if pick in (3, 4):
        return "".join(rng.choice('ab"\\\n\u00e9\U0001f600 ') for _index in range(rng.randrange(6)))
    if pick in (5, 6):
        return [_random_json(rng, depth + 1) for _index in range(rng.randrange(4))]
    return {str(_random_json(rng, 4)): _random_json(rng, depth + 1) for _index in range(rng.randrange(4))}


def test_the_flat_parser_equals_json_loads():
    """_parse_flat (for texts too deep for Python's parser) gives what json.loads gives."""
    rng = random.Random(7)
    for _index in range(300):
        value = _random_json(rng)
        for text in (json.dumps(value), json.dumps(value, indent=rng.choice([None, 1, "\t"]), ensure_ascii=False)):
            want = json.loads(text, parse_int=R._number)
            got, _depth = R._parse_flat(text)
            assert got == want and json.dumps(got) == json.dumps(want), text
    for bad in ("", "{", '{"a"}', '{"a":}', "[1 2]", "tru", '{"a":1}}', "01"):
        with pytest.raises(ValueError):
            R._parse_flat(bad)


# ------------------------------------------------------------------ section 8: nesting
def test_cut_deep_as_the_cli():
    doc = {
        "env": {"A": "1"},
        "x": json.loads("[" * 70 + "1" + "]" * 70),
        "y": json.loads('{"a":' * 70 + "{}" + "}" * 70),
    }
    cut, keys = R.cut_deep(doc, 64)
    want, want_keys = cli_rules.cut_deep(doc)
    assert cut == want and keys == want_keys == ["x", "y"]
    assert R.cut_deep({"a": [[1]]}, 64) == ({"a": [[1]]}, [])


# ------------------------------------------------------------------ sections 4 and 5: bytes
class _Alarm:
    """Fails the test instead of hanging: a read that blocks is the bug."""

    def __enter__(self):
        signal.signal(signal.SIGALRM, self._ring)
        signal.alarm(5)

    def __exit__(self, *exc):
        signal.alarm(0)

    @staticmethod
    def _ring(*_):
        raise AssertionError("a read blocked")


def test_special_files_are_skipped_without_blocking(tmp_path):
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    (tmp_path / "dir.json").mkdir()
    (tmp_path / "link.json").symlink_to(fifo)
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    (tmp_path / "dangling.json").symlink_to(tmp_path / "none")
    with _Alarm():
        assert R.read_bytes(str(fifo))[:2] == ("skipped", "not-regular")
        assert R.read_bytes(str(tmp_path / "link.json"))[:2] == ("skipped", "not-regular")
        assert R.read_bytes(str(tmp_path / "zero.json"))[:2] == ("skipped", "not-regular")
        assert R.read_bytes(str(tmp_path / "dir.json"))[:2] == ("skipped", "directory")
        assert R.read_bytes(str(tmp_path / "dangling.json")).status == "absent"
        assert R.read_bytes(str(tmp_path / "none.json")).status == "absent"


def test_the_size_limit_is_two_mebibytes(tmp_path):
    at, over = tmp_path / "at.json", tmp_path / "over.json"
    at.write_bytes(b"{}" + b" " * (L.MANAGED_FILE_MAX_BYTES - 2))
    over.write_bytes(b"{}" + b" " * (L.MANAGED_FILE_MAX_BYTES - 1))
    assert L.MANAGED_FILE_MAX_BYTES == 2097152
    assert R.read_bytes(str(at)).status == "read" and len(R.read_bytes(str(at)).data) == L.MANAGED_FILE_MAX_BYTES
    assert R.read_bytes(str(over))[:2] == ("skipped", "too-large")


# ------------------------------------------------------------------ section 7: the drop-ins
def test_dropins_listed_and_sorted_as_the_cli(tmp_path):
    folder = tmp_path / "managed-settings.d"
    folder.mkdir()
    for name in (
        "10-b.json",
        "9-a.json",
        "B.json",
        "a.json",
        "\uff21.json",
        "\U0001f600.json",
        " x.json",
        ".h.json",
        "u.JSON",
    ):
        (folder / name).write_text("{}")
    (folder / "d.json").mkdir()
    os.mkfifo(folder / "f.json")
    (folder / "l.json").symlink_to(folder / "f.json")
    os.close(os.open(os.path.join(os.fsencode(folder), b"\xff.json"), os.O_CREAT | os.O_WRONLY, 0o644))
    names, others, error, too_many = R.dropin_names(str(folder), 100)
    assert error is None and not too_many
    assert names == [" x.json", "10-b.json", "9-a.json", "B.json", "a.json", "l.json", "\U0001f600.json", "\uff21.json"]
    why = dict(others)
    assert set(why) == {".h.json", "u.JSON", "d.json", "f.json", os.fsdecode(b"\xff.json")}
    assert (
        why["d.json"].startswith("a directory")
        and "FIFO" in why["f.json"]
        and "UTF-8" in why[os.fsdecode(b"\xff.json")]
    )
    assert sorted(names, key=R.dropin_order) == sorted(names, key=cli_rules.utf16_key)
    assert R.dropin_names(str(folder), 5).too_many  # more entries than it may look at: not listed
    assert R.dropin_names(str(tmp_path / "none"), 100) == ([], [], None, False)
    (tmp_path / "file").write_text("")
    assert R.dropin_names(str(tmp_path / "file"), 100) == ([], [], None, False)  # ENOTDIR: no drop-ins, no message


# ------------------------------------------------------------------ sections 6 and 12: accounts
@pytest.mark.skipif(os.geteuid() != 0, reason="files of several owners need root")
def test_what_an_ordinary_account_can_read(tmp_path):
    top = tmp_path / "top"
    (top / "d").mkdir(parents=True)
    # pytest's own folders (how deep they go depends on the runner: pytest, ansible-test units)
    temp = os.path.realpath(tempfile.gettempdir())
    for folder in [tmp_path, *tmp_path.parents]:
        if os.path.realpath(folder) == temp or not os.path.realpath(folder).startswith(temp + os.sep):
            break
        os.chmod(folder, 0o755)
    for folder in (top, top / "d"):
        os.chmod(folder, 0o755)
    mine = top / "d" / "f.json"
    mine.write_text("{}")
    os.chmod(mine, 0o600)
    nobody = R.Account(65534, (65534,))
    assert "cannot read" in R.blocked(str(mine), nobody)
    os.chown(mine, 65534, 0)
    assert R.blocked(str(mine), nobody) is None  # the owner's bits
    assert R.blocked(str(mine), R.Account()) is not None  # any other account: the others' bits
    os.chmod(top / "d", 0o711)
    assert "cannot list" in R.blocked(str(top / "d"), nobody, listing=True)
    assert R.blocked(str(mine), nobody) is None  # a file of a folder it cannot list can still be opened
    os.chmod(top / "d", 0o700)
    assert "cannot pass through" in R.blocked(str(mine), nobody) and R.searchable(str(top / "d"), nobody)
    assert R.blocked(str(top / "none"), nobody) is None  # absent: nothing to say


@pytest.mark.skipif(os.geteuid() != 0, reason="files of several owners need root")
def test_who_else_can_change_a_file(tmp_path):
    for folder in (tmp_path.parent.parent, tmp_path.parent, tmp_path):
        os.chmod(folder, 0o755)
    folder = tmp_path / "cc"
    folder.mkdir(mode=0o755)
    path = folder / "managed-settings.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    root = frozenset((0,))
    assert R.held(str(path), root) is None and R.held(str(folder), root, creates=True) is None
    os.chown(path, 65534, 0)
    assert "owned by uid 65534" in R.held(str(path), root)
    os.chown(path, 0, 0)
    os.chmod(path, 0o664)
    assert R.held(str(path), root) is None  # group root: root's
    os.chown(path, 0, 65534)
    assert "group 65534" in R.held(str(path), root)
    os.chown(path, 0, 0)
    os.chmod(path, 0o644)
    os.chmod(folder, 0o1777)
    assert R.held(str(path), root) is None  # sticky: the root file cannot be replaced
    assert "every account" in R.held(str(folder), root, creates=True)  # but a new file can be added
    os.chmod(folder, 0o777)
    assert "can be replaced" in R.held(str(path), root)
    os.chmod(folder, 0o755)
    (folder / "null.json").symlink_to("/dev/null")  # 0666, but writing it changes nothing
    assert R.held(str(folder / "null.json"), root) is None
    assert stat.S_IMODE(os.stat("/dev/null").st_mode) & 0o002


def test_held_trusts_the_account_this_module_runs_as(tmp_path):
    path = tmp_path / "f.json"
    path.write_text("{}")
    assert R.held(str(path), frozenset((0, os.geteuid()))) is None
