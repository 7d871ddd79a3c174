# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which hosts and groups get artifacts (_targets), the manifest (_manifest) and the writing on
the controller (_write): atomic, nothing rewritten that is already right, stale files removed."""

from __future__ import annotations

import json
import os

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.mdm import _manifest, _targets, _write
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

GROUPS = {
    "all": ["mac-01", "mac-02", "win-01", "dev-01"],
    "ungrouped": [],
    "bedrock_private": ["mac-01", "mac-02", "win-01"],
    "enterprise": ["dev-01"],
    "laptops": ["mac-01", "mac-02", "win-01", "dev-01"],  # a parent of both: mixed settings
    "macs": ["mac-01", "mac-02"],
}
KEYS = {"mac-01": "B", "mac-02": "B", "win-01": "B", "dev-01": "E"}


def test_by_group_exports_uniform_groups_and_says_why_others_got_nothing():
    targets, skipped = _targets.plan("group", KEYS, GROUPS)
    assert [(t["name"], t["hosts"]) for t in targets] == [
        ("bedrock_private", ["mac-01", "mac-02", "win-01"]),
        ("enterprise", ["dev-01"]),
        ("macs", ["mac-01", "mac-02"]),
    ]
    assert skipped == {"laptops": "its hosts get different settings (dev-01 and mac-01 differ)"}


def test_a_group_only_partly_in_the_run_gets_nothing():
    keys = {"mac-01": "B", "mac-02": "B", "win-01": "B"}  # -e claude_code_hosts=bedrock_private
    targets, skipped = _targets.plan("group", keys, GROUPS)
    assert [t["name"] for t in targets] == ["bedrock_private", "macs"]
    assert skipped == {"laptops": "not every host of the group is in this run (dev-01 is not)"}


def test_a_host_no_exported_group_covers_is_refused_by_name():
    groups = {"all": ["a", "b"], "mixed": ["a", "b"]}
    with pytest.raises(_targets.TargetError, match=r"^host a: no group .*group mixed: its hosts get different"):
        _targets.plan("group", {"a": "1", "b": "2"}, groups)
    with pytest.raises(_targets.TargetError, match=r"^host solo: .*\(it is in no group\)"):
        _targets.plan("group", {"solo": "1"}, {"all": ["solo"], "ungrouped": ["solo"]})


def test_state_absent_keeps_a_group_out_and_by_host_leaves_the_host_out():
    keys = {"mac-01": "B", "win-01": "B", "dev-01": "E"}
    groups = dict(GROUPS, bedrock_private=["mac-01", "win-01"], macs=["mac-01"])
    targets, skipped = _targets.plan("group", keys, groups, absent=("mac-02",))
    assert skipped["laptops"] == "host mac-02 has claude_code_settings_state absent"
    assert "mac-02" not in {h for t in targets for h in t["hosts"]}
    targets, skipped = _targets.plan("host", keys, groups, absent=("mac-02",))
    assert [t["name"] for t in targets] == ["dev-01", "mac-01", "win-01"] and skipped == {}
    assert all(t["kind"] == "host" and t["hosts"] == [t["name"]] for t in targets)


@pytest.mark.parametrize("name", ["../etc", ".hidden", "a/b", "sp ace", "x" * 129, "trailing.", "名前"])
def test_names_that_cannot_name_a_directory_are_refused(name):
    with pytest.raises(_targets.TargetError, match="must be letters, digits"):
        _targets.plan("host", {name: "1"}, {})
    with pytest.raises(_targets.TargetError, match="rename the group"):
        _targets.plan("group", {"h": "1"}, {name: ["h"]})


def test_names_that_differ_only_in_case_are_refused():
    with pytest.raises(_targets.TargetError, match="differ only in case"):
        _targets.plan("host", {"Mac-01": "1", "mac-01": "1"}, {})
    with pytest.raises(_targets.TargetError, match="claude_code_mdm_by is 'laptop'"):
        _targets.plan("laptop", {}, {})


def test_delivery_notes_say_what_differs_from_a_push():
    computed = compute({"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"})
    notes = _manifest.delivery_notes(computed)
    assert notes[0].startswith("No shell rc exports here: every variable rides in the settings' env (6 variables:")
    assert "CLAUDE_CODE_USE_BEDROCK" in notes[0]
    assert any(n.startswith("macOS: the configuration profile") and "outranks" in n for n in notes)
    assert any("HKLM\\SOFTWARE\\Policies\\ClaudeCode\\Settings outranks" in n for n in notes)
    assert any(n.startswith("Desktop apps") for n in notes)
    assert any("Setting sources" in n and "(plist)" in n and "(HKLM)" in n for n in notes)
    assert not any("ANTHROPIC_BASE_URL" in n for n in notes)
    gateway = compute({"provider": "anthropic", "plan": "team", "base_url": "https://gw.example.com"})
    assert any("ANTHROPIC_AUTH_TOKEN" in n for n in _manifest.delivery_notes(gateway))


def _files(content="A"):
    return {
        "groups/g/managed-settings.json": (content.encode(), 0o644),
        "groups/g/ClaudeCode.reg": (b"reg", 0o644),
    }


NAMES = frozenset({"managed-settings.json", "ClaudeCode.reg"})


def _manifest_for(files):
    entry = {"name": "g", "kind": "group", "hosts": ["h"], "files": {}}
    for i, path in enumerate(sorted(files)):
        entry["files"][str(i)] = {"path": path, "sha256": "x"}
    return _manifest.render("group", [entry], {}, [])


def test_write_is_atomic_skips_what_is_right_and_removes_what_an_earlier_export_listed(tmp_path):
    dest = str(tmp_path / "out")
    files = _files()
    report = _write.write(dest, files, _manifest_for(files), NAMES)
    assert report == {
        "written": ["groups/g/ClaudeCode.reg", "groups/g/managed-settings.json", "manifest.json"],
        "unchanged": [],
        "removed": [],
    }
    stamps = {p: os.stat(os.path.join(dest, p)).st_mtime_ns for p in [*files, "manifest.json"]}
    again = _write.write(dest, files, _manifest_for(files), NAMES)
    assert again["written"] == [] and again["removed"] == [] and len(again["unchanged"]) == 3
    assert stamps == {p: os.stat(os.path.join(dest, p)).st_mtime_ns for p in stamps}
    # the mode is part of being right
    os.chmod(os.path.join(dest, "groups/g/ClaudeCode.reg"), 0o600)
    assert _write.write(dest, files, _manifest_for(files), NAMES)["written"] == ["groups/g/ClaudeCode.reg"]
    # another export: group g is gone, group h is new; a file of the user's is left alone
    open(os.path.join(dest, "groups", "g", "notes.txt"), "w").write("mine")
    newer = {"groups/h/managed-settings.json": (b"B", 0o600)}
    report = _write.write(dest, newer, _manifest_for(newer), NAMES)
    assert report["removed"] == ["groups/g/ClaudeCode.reg", "groups/g/managed-settings.json"]
    assert sorted(os.listdir(os.path.join(dest, "groups", "g"))) == ["notes.txt"]
    assert oct(os.stat(os.path.join(dest, "groups/h/managed-settings.json")).st_mode & 0o777) == "0o600"
    assert not [n for _d, _s, fs in os.walk(dest) for n in fs if n.endswith(".tmp")]
    os.unlink(os.path.join(dest, "groups", "g", "notes.txt"))
    os.rmdir(os.path.join(dest, "groups", "g"))
    newest = {"hosts/x/ClaudeCode.reg": (b"r", 0o644)}
    _write.write(dest, newest, _manifest_for(newest), NAMES)
    assert sorted(os.listdir(dest)) == ["hosts", "manifest.json"]  # emptied directories go too


def test_write_removes_only_listed_artifact_names_inside_dest(tmp_path):
    dest = tmp_path / "out"
    (dest / "groups" / "g").mkdir(parents=True)
    (tmp_path / "outside.json").write_text("keep")
    (dest / "groups" / "g" / "keep.txt").write_text("keep")
    forged = {
        "generator": _manifest.GENERATOR,
        "targets": [
            {"files": {"a": {"path": "../outside.json"}, "b": {"path": "groups/g/keep.txt"}, "c": {"path": 5}}}
        ],
    }
    (dest / "manifest.json").write_text(json.dumps(forged))
    report = _write.write(str(dest), {}, _manifest_for({}), frozenset({"keep.txt", "outside.json"}))
    assert report["removed"] == ["groups/g/keep.txt"]  # a listed artifact name inside dest only
    assert (tmp_path / "outside.json").read_text() == "keep"
    assert not (dest / "groups").exists()  # emptied on the way up
    # a manifest that is not ours lists nothing
    (dest / "groups" / "g").mkdir(parents=True)
    (dest / "groups" / "g" / "keep.txt").write_text("keep")
    (dest / "manifest.json").write_text(json.dumps(dict(forged, generator="someone else")))
    assert _write.write(str(dest), {}, _manifest_for({}), frozenset({"keep.txt"}))["removed"] == []


def test_check_mode_writes_nothing(tmp_path):
    dest = tmp_path / "out"
    files = _files()
    report = _write.write(str(dest), files, _manifest_for(files), NAMES, check=True)
    assert len(report["written"]) == 3 and not dest.exists()
    _write.write(str(dest), files, _manifest_for(files), NAMES)
    changed = _files("B")
    report = _write.write(str(dest), changed, _manifest_for(changed), NAMES, check=True)
    assert report["written"] == ["groups/g/managed-settings.json"]
    assert (dest / "groups/g/managed-settings.json").read_bytes() == b"A"


def test_write_names_the_directory_it_cannot_write(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(_write.WriteError, match=r"cannot write the MDM artifacts to .*/file"):
        _write.write(str(blocker), _files(), _manifest_for(_files()), NAMES)


def test_manifest_is_deterministic_sorted_json():
    entry = {"name": "b", "kind": "group", "hosts": ["h2", "h1"], "files": {}}
    first = _manifest.render("group", [entry, dict(entry, name="a", hosts=["h1"])], {"z": "why"}, ["gone"])
    data = json.loads(first)
    assert [t["name"] for t in data["targets"]] == ["a", "b"]
    assert data["hosts"] == {"h1": ["groups/a", "groups/b"], "h2": ["groups/b"]}
    assert data["generator"] == "fleetpolicy.claude_code.mdm_export" and data["hosts_with_state_absent"] == ["gone"]
    assert first == _manifest.render("group", [dict(entry, name="a", hosts=["h1"]), entry], {"z": "why"}, ["gone"])
