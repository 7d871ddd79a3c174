# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Readers for the MDM artifacts, written independently of the writers in plugins/plugin_utils/mdm:
they parse what an MDM or Windows would read and give back the settings document.

- read_profile: the configuration profile through plistlib, checked against the structure of
  Anthropic's template (anthropics/claude-code, examples/mdm/macos/com.anthropic.claudecode.mobileconfig,
  commit d2b22528 "Add MDM deployment example templates"): the top-level keys, one
  com.apple.ManagedClient.preferences payload, `com.anthropic.claudecode` → `Forced` →
  [{`mcx_preference_settings`: settings}].
- read_reg: a .reg file as regedit reads one (UTF-16 LE with a byte order mark, CRLF, the version
  header, a key line, "name"="value" lines with \\ and \" escapes); returns {key: {name: value}}.
- read_ps1: the platform script (ASCII, CRLF): the JSON of its single-quoted here-string, and the
  script's lines outside it, checked for balanced braces, brackets and quotes.

Pwsh is not installable from Debian, npm or PyPI here (npm's `pwsh` downloads the binary from
GitHub when installed), so the script is parsed here rather than run.
"""

from __future__ import annotations

import json
import plistlib

# Anthropic's template, by structure (key names only; the values are the template's placeholders).
TEMPLATE_PROFILE_KEYS = {
    "PayloadDisplayName",
    "PayloadDescription",
    "PayloadIdentifier",
    "PayloadOrganization",
    "PayloadScope",
    "PayloadType",
    "PayloadUUID",
    "PayloadVersion",
    "PayloadContent",
}
TEMPLATE_PAYLOAD_KEYS = {
    "PayloadDisplayName",
    "PayloadIdentifier",
    "PayloadType",
    "PayloadUUID",
    "PayloadVersion",
    "PayloadContent",
}
OPTIONAL_PROFILE_KEYS = {"PayloadOrganization"}


def read_profile(data: bytes) -> tuple[dict, dict]:
    """(the settings, the profile) from a .mobileconfig; AssertionError where it departs from the template."""
    profile = plistlib.loads(data)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), data[:60]
    keys = set(profile)
    assert TEMPLATE_PROFILE_KEYS - OPTIONAL_PROFILE_KEYS <= keys <= TEMPLATE_PROFILE_KEYS, sorted(keys)
    assert profile["PayloadType"] == "Configuration"
    assert profile["PayloadScope"] == "System"
    assert profile["PayloadVersion"] == 1
    (payload,) = profile["PayloadContent"]
    assert set(payload) == TEMPLATE_PAYLOAD_KEYS, sorted(payload)
    assert payload["PayloadType"] == "com.apple.ManagedClient.preferences"
    assert payload["PayloadVersion"] == 1
    assert payload["PayloadIdentifier"] == profile["PayloadIdentifier"] + "." + payload["PayloadUUID"]
    (domain,) = payload["PayloadContent"]
    assert domain == "com.anthropic.claudecode"
    assert set(payload["PayloadContent"][domain]) == {"Forced"}
    (forced,) = payload["PayloadContent"][domain]["Forced"]
    assert set(forced) == {"mcx_preference_settings"}
    for uuid_text in (profile["PayloadUUID"], payload["PayloadUUID"]):
        parts = uuid_text.split("-")
        assert [len(p) for p in parts] == [8, 4, 4, 4, 12] and uuid_text == uuid_text.upper(), uuid_text
    return forced["mcx_preference_settings"], profile


def _unescape(text: str, where: str) -> str:
    out = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            assert i + 1 < len(text) and text[i + 1] in '\\"', f"bad escape in {where}"
            out.append(text[i + 1])
            i += 2
            continue
        assert char != '"', f"unescaped quote in {where}"
        out.append(char)
        i += 1
    return "".join(out)


def read_reg(data: bytes) -> dict:
    """{key: {value name: string}} from a .reg file, as regedit imports it (string values only)."""
    assert data[:2] == b"\xff\xfe", "no UTF-16 LE byte order mark"
    text = data[2:].decode("utf-16-le")
    assert "\n" not in text.replace("\r\n", ""), "a line end that is not CRLF"
    lines = text.split("\r\n")
    assert lines[0] == "Windows Registry Editor Version 5.00", lines[0]
    assert lines[1] == ""
    assert text.endswith("\r\n\r\n"), "no blank line at the end"
    keys = {}
    current = None
    for line in lines[2:]:
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            assert line.endswith("]"), line
            current = keys.setdefault(line[1:-1], {})
            continue
        assert current is not None, f"a value before any key: {line[:40]}"
        assert line.startswith('"'), line[:40]
        name_end = 1
        while line[name_end] != '"' or line[name_end - 1] == "\\":
            name_end += 1
        name = _unescape(line[1:name_end], "the value name")
        rest = line[name_end + 1 :]
        assert rest.startswith('="') and rest.endswith('"'), f"not a string value: {rest[:40]}"
        current[name] = _unescape(rest[2:-1], name)
    return keys


def read_ps1(data: bytes) -> tuple[str, list]:
    """(the here-string's text, the script's other lines) from the platform script."""
    assert data.isascii(), "the script is not ASCII"
    text = data.decode("ascii")
    assert "\n" not in text.replace("\r\n", ""), "a line end that is not CRLF"
    lines = text.split("\r\n")
    starts = [i for i, line in enumerate(lines) if line.endswith("@'")]
    assert len(starts) == 1, starts
    start = starts[0]
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("'@"))
    assert lines[end] == "'@", lines[end]
    here = "\n".join(lines[start + 1 : end])
    code = lines[:start] + [lines[start][: -len("@'")] + "''"] + lines[end + 1 :]
    _check_balanced(code)
    return here, code


def _check_balanced(lines: list) -> None:
    """Braces, brackets and parentheses balance and every quote closes, outside comments."""
    stack = []
    pairs = {")": "(", "]": "[", "}": "{"}
    in_block_comment = False
    for number, line in enumerate(lines, 1):
        i = 0
        while i < len(line):
            if in_block_comment:
                if line.startswith("#>", i):
                    in_block_comment = False
                    i += 2
                    continue
                i += 1
                continue
            char = line[i]
            if line.startswith("<#", i):
                in_block_comment = True
                i += 2
                continue
            if char == "#":
                break
            if char in "'\"":
                close = i + 1
                while True:
                    close = line.index(char, close)  # ValueError: a quote left open on this line
                    if char == '"' and line[close - 1] == "`":
                        close += 1
                        continue
                    if char == "'" and line.startswith("''", close):
                        close += 2
                        continue
                    break
                i = close + 1
                continue
            if char in "([{":
                stack.append((char, number))
            elif char in ")]}":
                assert stack and stack[-1][0] == pairs[char], f"unbalanced {char} on line {number}"
                stack.pop()
            i += 1
    assert not in_block_comment, "a block comment is not closed"
    assert not stack, f"unclosed {stack}"


def settings_of_script(data: bytes) -> dict:
    here, _code = read_ps1(data)
    return json.loads(here)
