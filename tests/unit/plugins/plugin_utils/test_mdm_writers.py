# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every MDM artifact writer, parsed back with the readers in tests/_support/mdm.py (which follow
what plistlib, regedit and PowerShell read, and Anthropic's templates) to exactly the settings
document the policy core gives the Linux rollout for the same policy (`$schema` aside where noted)."""

from __future__ import annotations

import json
import plistlib
import re

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._fs import render_json
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.mdm import (
    _document,
    _intune,
    _plist,
    _registry,
)
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError, compute
from ansible_collections.fleetpolicy.claude_code.tests._support.mdm import (
    TEMPLATE_PROFILE_KEYS,
    read_profile,
    read_ps1,
    read_reg,
    settings_of_script,
)

POLICIES = {
    "bedrock_private": {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"},
    "enterprise_standard": {"provider": "anthropic", "plan": "enterprise"},
    "vertex_airgapped": {
        "provider": "vertex",
        "vertex_project_id": "acme-ml-prod",
        "vertex_region": "us-east5",
        "profile": "airgapped",
        "settings": {"permissions": {"deny": ["WebFetch", 'Read(C:\\Users\\*\\.ssh\\"keys")']}},
    },
    "gateway_zdr": {
        "provider": "anthropic",
        "plan": "enterprise_zdr",
        "profile": "private",
        "base_url": "https://llm-gateway.example.com",
        "env": {"OTEL_SERVICE_NAME": "claude-code"},
        "settings": {"forceLoginMethod": "claudeai", "cleanupPeriodDays": 7},
    },
    # non-ASCII in the settings and in env: Latin, CJK, an emoji (a UTF-16 surrogate pair), U+2028,
    # a tab and a line feed, and JSON-special characters
    "unicode": {
        "provider": "foundry",
        "foundry_resource": "acme-ai",
        "env": {"ACME_TEAM": "Grüße — 日本語 😀\u2028tab\there\nline"},
        "settings": {"companyAnnouncements": ['Wir sagen "Grüezi" \\ ok', "numbers: 1.5 and 2"]},
    },
}
SETTINGS = {name: compute(policy)["settings"] for name, policy in POLICIES.items()}


def without_schema(settings):
    return {k: v for k, v in settings.items() if k != "$schema"}


def _profile(settings, **kwargs):
    options = dict(
        identifier="com.example.claudecode.bedrock_private",
        display_name="Claude Code managed settings (bedrock_private)",
        description="Claude Code managed settings (bedrock, profile private).",
    )
    options.update(kwargs)
    return _plist.profile(settings, **options)


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_profile_parses_back_to_the_rollout_document(name):
    data, ids = _profile(SETTINGS[name], organization="Example Corp")
    settings, profile = read_profile(data)
    assert settings == without_schema(SETTINGS[name])
    assert set(profile) == TEMPLATE_PROFILE_KEYS  # the template's keys exactly, with an organisation
    assert profile["PayloadOrganization"] == "Example Corp"
    assert ids == {
        "PayloadIdentifier": "com.example.claudecode.bedrock_private",
        "PayloadUUID": profile["PayloadUUID"],
        "PayloadContentUUID": profile["PayloadContent"][0]["PayloadUUID"],
    }


def test_profile_leaves_out_an_unset_organisation():
    _settings, profile = read_profile(_profile(SETTINGS["bedrock_private"])[0])
    assert "PayloadOrganization" not in profile


def test_profile_bytes_and_uuids_are_deterministic_and_follow_the_content():
    first, ids = _profile(SETTINGS["bedrock_private"])
    again, ids_again = _profile(json.loads(json.dumps(SETTINGS["bedrock_private"])))
    assert first == again and ids == ids_again
    changed, ids_changed = _profile(SETTINGS["vertex_airgapped"])
    renamed, ids_renamed = _profile(SETTINGS["bedrock_private"], display_name="Other name")
    other_id, ids_other = _profile(SETTINGS["bedrock_private"], identifier="com.example.other")
    uuids = {(i["PayloadUUID"], i["PayloadContentUUID"]) for i in (ids, ids_changed, ids_renamed, ids_other)}
    assert len(uuids) == 4  # any change of what the profile says gives new UUIDs
    assert ids_changed["PayloadIdentifier"] == ids["PayloadIdentifier"]  # the identifier stays: an update
    assert len({ids["PayloadUUID"], ids["PayloadContentUUID"]}) == 2


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_custom_settings_plist_is_the_document(name):
    data = _plist.custom_settings(SETTINGS[name])
    assert plistlib.loads(data) == without_schema(SETTINGS[name])
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC')


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_reg_file_parses_back_to_the_rollout_document(name):
    value = _document.check(SETTINGS[name])
    keys = read_reg(_registry.reg_file(value))
    assert list(keys) == ["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]
    assert list(keys["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]) == ["Settings"]
    stored = keys["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]["Settings"]
    assert stored == value
    assert json.loads(stored) == without_schema(SETTINGS[name])
    assert _registry.value_file(value) == value.encode("ascii")


def test_registry_value_is_one_ascii_line_that_reads_back_as_the_same_text():
    value = _document.registry_value(SETTINGS["unicode"])
    assert value.isascii() and "\n" not in value and "\r" not in value and "\u2028" not in value
    assert "\\ud83d\\ude00" in value and "\\u65e5" in value  # the emoji as a surrogate pair, CJK escaped
    decoded = json.loads(value)
    assert decoded["env"]["ACME_TEAM"] == "Grüße — 日本語 😀\u2028tab\there\nline"
    assert decoded["companyAnnouncements"][0] == 'Wir sagen "Grüezi" \\ ok'
    # a JSON special character survives the .reg escaping too
    raw = _registry.reg_file(value)[2:].decode("utf-16-le")
    assert '\\"Wir sagen \\\\\\"Gr' in raw


def test_reg_file_is_utf16_le_with_bom_and_crlf():
    data = _registry.reg_file('{"a":"b\\\\c"}')
    assert data.startswith(b"\xff\xfeW\x00i\x00n\x00")
    text = data[2:].decode("utf-16-le")
    assert text == (
        "Windows Registry Editor Version 5.00\r\n\r\n"
        "[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode]\r\n"
        '"Settings"="{\\"a\\":\\"b\\\\\\\\c\\"}"\r\n\r\n'
    )
    assert read_reg(data)["HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"]["Settings"] == '{"a":"b\\\\c"}'
    with pytest.raises(ValueError):
        _registry.reg_file("two\nlines")


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_platform_script_embeds_the_whole_rollout_document(name):
    data = _intune.platform_script(SETTINGS[name], "group " + name, "a summary")
    here, code = read_ps1(data)
    assert json.loads(here) == SETTINGS[name]  # $schema included: the script writes the file
    assert settings_of_script(data) == SETTINGS[name]
    written = here + "\n"  # what the script writes: LF line ends and a final line feed
    if json.dumps(SETTINGS[name], ensure_ascii=False).isascii():
        assert written == render_json(SETTINGS[name])  # the rollout's exact bytes on Linux
    else:
        assert written.isascii() and json.loads(written) == json.loads(render_json(SETTINGS[name]))


def test_platform_script_is_strict_64_bit_utf8_without_bom_and_fails_loudly():
    _here, code = read_ps1(_intune.platform_script(SETTINGS["bedrock_private"], "group g", "s"))
    after_help = code[code.index("#>") + 1 :]
    body = [line.strip() for line in after_help if line.strip() and not line.strip().startswith("#")]
    assert body[0] == "$ErrorActionPreference = 'Stop'"  # the first statement
    text = "\n".join(code)
    assert "$env:ProgramW6432" in text
    assert not re.search(r"\$env:ProgramFiles\b", text)  # the 32-bit host's Program Files (x86)
    assert "New-Object System.Text.UTF8Encoding($false)" in text
    assert "[System.IO.File]::WriteAllBytes($tmp, $bytes)" in text
    assert "[System.IO.File]::Replace($tmp, $path, [NullString]::Value)" in text
    catch = text[text.index("} catch {") :]
    assert "[Console]::Error.WriteLine(" in catch and "exit 1" in catch.split("} finally {", maxsplit=1)[0]
    assert text.count("exit 0") == 2  # written, or already up to date
    assert "'HKLM:\\SOFTWARE\\Policies\\ClaudeCode'" in text  # warns that HKLM outranks the file


def test_reader_of_the_script_notices_a_broken_script():
    data = _intune.platform_script(SETTINGS["bedrock_private"], "group g", "s")
    with pytest.raises(AssertionError):
        read_ps1(data.replace(b"} catch {", b"catch {", 1))
    with pytest.raises(ValueError):
        read_ps1(data.replace(b"'Stop'", b"'Stop", 1))


def test_script_comment_refuses_text_that_would_end_it():
    with pytest.raises(ValueError):
        _intune.platform_script(SETTINGS["bedrock_private"], "group #>", "s")
    with pytest.raises(ValueError):
        _intune.platform_script(SETTINGS["bedrock_private"], "group g", "s\r\nWrite-Output pwned")


def _refused(settings):
    with pytest.raises(PolicyError) as info:
        _document.check(settings)
    return info.value


def test_check_refuses_what_a_profile_cannot_carry():
    base = dict(SETTINGS["bedrock_private"])
    error = _refused(dict(base, model=None))
    assert error.field == "settings.model" and error.root == "settings" and "no null" in error.describe()
    error = _refused(dict(base, permissions={"deny": ["a\rb"]}))
    assert error.field == "settings.permissions.deny[0]"
    error = _refused(dict(base, env=dict(base["env"], ACME="bell\x07")))
    assert error.field == "env.ACME" and error.root == "env"
    error = _refused(dict(base, feedbackSurveyRate=2**63))
    assert "64 bits" in error.describe()
    error = _refused(dict(base, hooks={"bad\x01key": []}))
    assert error.field == "settings.hooks"
    assert _document.check(dict(base, big=2**63 - 1, small=-(2**63), rate=0.5, flag=False)).isascii()


def test_check_refuses_an_oversized_value_and_names_the_larger_part():
    base = dict(SETTINGS["bedrock_private"])
    env = dict(base["env"], **{f"ACME_{i}": "x" * 16000 for i in range(70)})
    error = _refused(dict(base, env=env))
    assert error.field == "env" and "at most 1000000 characters" in error.describe()
    error = _refused(dict(base, companyAnnouncements=["y" * 16000] * 70))
    assert error.field == "settings"
    # non-ASCII counts as its escapes: 170000 CJK characters are 1020000 characters of value
    error = _refused(dict(base, companyAnnouncements=["日" * 170000]))
    assert error.field == "settings"


def test_check_hides_a_credential_it_refuses():
    base = dict(SETTINGS["bedrock_private"])
    secret = "sk-ant-api03-" + "A" * 40
    error = _refused(dict(base, env=dict(base["env"], ANTHROPIC_API_KEY=secret + "\x01")))
    assert secret not in error.describe() and "(54 characters; not shown)" in error.describe()


def test_delivered_document_drops_only_the_schema():
    settings = SETTINGS["gateway_zdr"]
    assert "$schema" in settings
    assert _document.delivered(settings) == without_schema(settings)
    assert list(_document.delivered(settings)) == [k for k in settings if k != "$schema"]
