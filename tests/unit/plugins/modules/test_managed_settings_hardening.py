# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The managed_settings module against credentials and a hostile host: what AnsibleModule logs
(the host's journal or syslog) holds no credential when they come in the no_log option
`secrets`; a rotated credential is shown neither old nor new, wherever it sits; folders others
can change are refused by a rollout and reported by a drift run; reading the sources after the
files changed cannot fail the host."""

from __future__ import annotations

import json
import os

import pytest
from ansible.module_utils import basic
from ansible.module_utils.common.parameters import PASS_VARS

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _sources
from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import MASKED, run

KEY = "sk-ant-api03-JOURNALjournalJOURNAL"
PROXY = "http://proxyuser:PROXYPASS4711@proxy.example.com:3128"


def _doc(key=KEY, proxy=PROXY, nested="NESTEDpassword1"):
    return {
        "env": {"ANTHROPIC_API_KEY": key, "HTTPS_PROXY": proxy, "DISABLE_TELEMETRY": "1"},
        "x-tool": {"password": nested, "headers": {"Authorization": "Bearer " + nested, "X-Tenant": "acme"}},
    }


def _args(root, doc, **kw):
    settings, secrets = S.split(doc)  # as the apply action sends them
    base = {
        "path": str(root / "claude-code" / "managed-settings.json"),
        "settings": settings,
        "secrets": secrets,
        "os_family": "Debian",
    }
    base.update(kw)
    return base


@pytest.fixture
def logged(monkeypatch):
    """Everything AnsibleModule.log sends to the journal (message and fields) or syslog."""
    lines = []

    def log(self, msg, log_args=None):
        lines.append(msg + " " + json.dumps(log_args or {}, default=str))

    monkeypatch.setattr(basic.AnsibleModule, "log", log)
    return lines


# ansible-core 2.21 adds `invocation` to a module's result only when the controller asks for it
# (INJECT_INVOCATION, version_added 2.21: _ansible_inject_invocation); 2.19 and 2.20 always add it
# and refuse that argument.
INJECT_INVOCATION = {"_ansible_inject_invocation": True} if "inject_invocation" in PASS_VARS else {}


def test_the_invocation_log_never_holds_a_credential(tmp_path, logged):
    res = run(dict(_args(tmp_path, _doc()), **INJECT_INVOCATION), diff=True)
    assert res["changed"] and not res.get("failed"), res
    with open(str(tmp_path / "claude-code" / "managed-settings.json")) as handle:
        assert json.load(handle) == _doc()  # the file holds them: allow_secrets asked for it
    assert logged and logged[0].startswith("Invoked with")
    for line in logged:
        for planted in (KEY, "PROXYPASS4711", "NESTEDpassword1"):
            assert planted not in line, line
    out = json.dumps(res)
    for planted in (KEY, "PROXYPASS4711", "NESTEDpassword1"):
        assert planted not in out
    shown = res["invocation"]["module_args"]
    # the module's placeholder (2.19-2.21), or the controller's mask of the values it listed (2.22)
    assert set(shown["secrets"].values()) in ({"VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}, {MASKED})
    assert "********" in logged[0]  # the placeholders were logged, not the values


def test_a_secrets_pointer_must_name_a_placeholder(tmp_path):
    res = run(dict(_args(tmp_path, {"env": {"A": "1"}}), secrets={"/env/B": "x"}))
    assert res["failed"] and res["msg"] == "secrets: /env/B names no placeholder (********) in settings"
    assert not os.path.exists(str(tmp_path / "claude-code"))


def test_a_rotated_credential_is_shown_neither_old_nor_new(tmp_path):
    assert not run(_args(tmp_path, _doc())).get("failed")
    rotated = _doc(
        "sk-ant-api03-ROTATEDrotatedROTATED", "http://proxyuser:ROTATEDPASS@proxy.example.com:3128", "ROTATEDpw"
    )
    for check in (True, False):
        res = run(_args(tmp_path, rotated, backup=True), check=check, diff=True)
        assert res["changed"] and res["drift"], res
        out = json.dumps(res)
        for planted in (KEY, "PROXYPASS4711", "NESTEDpassword1", "ROTATED"):
            assert planted not in out, (planted, check)
        keys = {d["key"]: d for d in res["drift"]}
        assert keys["env.HTTPS_PROXY"]["found"] == "http://********@proxy.example.com:3128"
        assert keys["x-tool.password"] == {
            "file": res["path"],
            "key": "x-tool.password",
            "expected": S.MASK,
            "found": S.MASK,
        }
    (backup,) = res["backup_files"]
    with open(backup) as handle:
        kept = handle.read()
    assert "PROXYPASS4711" not in kept and "NESTEDpassword1" not in kept and KEY not in kept
    assert json.loads(kept)["x-tool"]["headers"]["X-Tenant"] == "acme"


def test_a_corrupt_file_holding_a_credential_is_not_shown_in_the_diff(tmp_path):
    path = tmp_path / "claude-code" / "managed-settings.json"
    path.parent.mkdir()
    path.write_text('{"env": {"ANTHROPIC_API_KEY": "%s", \x1b[2J' % KEY)
    res = run(_args(tmp_path, {"env": {"DISABLE_TELEMETRY": "1"}}, force=True), check=True, diff=True)
    before = res["diff"][0]["before"]
    assert KEY not in before and "\x1b" not in before and "\\x1b[2J" in before


def test_folders_others_can_change_are_refused_or_reported(tmp_path):
    etc = tmp_path / "etc"
    (etc / "profile.d").mkdir(parents=True)
    os.chmod(str(etc / "profile.d"), 0o777)  # a user-writable /etc/profile.d
    a = dict(
        _args(etc, {"env": {"DISABLE_TELEMETRY": "1"}}),
        exports={"sh": "export DISABLE_TELEMETRY='1'\n"},
        shell_paths={"sh": str(etc / "profile.d" / "claude-code.sh")},
    )
    check = run(a, check=True)
    assert not check.get("failed")
    assert {
        "file": str(etc / "profile.d"),
        "key": "(folder)",
        "expected": "a folder only root can change (not a link, root-owned, writable by its owner only)",
        "found": "mode 0777 (writable by group and others)",
    } in check["drift"]
    res = run(a)
    assert res["failed"] and str(etc / "profile.d") in res["msg"] and "others than root" in res["msg"], res
    assert not os.path.exists(str(etc / "claude-code")) and os.listdir(str(etc / "profile.d")) == []
    # a symbolic link for the file's folder (here: to a folder a user owns)
    os.chmod(str(etc / "profile.d"), 0o755)
    (tmp_path / "elsewhere").mkdir()
    os.rmdir(str(etc / "profile.d"))
    os.symlink(str(tmp_path / "elsewhere"), str(etc / "profile.d"))
    res = run(a)
    assert res["failed"] and "is a symbolic link" in res["msg"], res
    assert os.listdir(str(tmp_path / "elsewhere")) == []
    assert any(d["key"] == "(folder)" for d in run(a, check=True)["drift"])


def test_reading_the_sources_cannot_fail_the_host(tmp_path, monkeypatch):
    def broken(*_args, **_kw):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(_sources, "managed_sources", broken)
    res = run(_args(tmp_path, {"env": {"DISABLE_TELEMETRY": "1"}}))
    assert res["changed"] and not res.get("failed"), res
    (entry,) = res["sources"]
    assert entry["status"] == "unread" and "could not be read" in entry["error"]


def test_what_a_large_file_returns_is_capped(tmp_path):
    path = tmp_path / "claude-code" / "managed-settings.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"companyAnnouncements": ["x" * 600000], "env": {"DISABLE_TELEMETRY": "0"}}))
    res = run(_args(tmp_path, {"env": {"DISABLE_TELEMETRY": "1"}}), check=True, diff=True)
    found = {d["key"]: d["found"] for d in res["drift"]}
    assert found["companyAnnouncements"] == "(a value of 600004 characters, not shown)"
    assert found["env.DISABLE_TELEMETRY"] == "0"
    assert len(json.dumps([res["drift"], res["diff"]])) < 300000  # the sources have their own budget
    assert "more characters not shown" in res["diff"][0]["before"]
