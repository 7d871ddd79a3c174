# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Windows: the registry policy HKLM\\SOFTWARE\\Policies\\ClaudeCode, value Settings (REG_SZ).

The key and value are those of Anthropic's ADMX template (anthropics/claude-code,
examples/mdm/windows/ClaudeCode.admx: `key="SOFTWARE\\Policies\\ClaudeCode"`, `valueName="Settings"`,
single-line JSON), which CLI 2.1.332 reads with `reg query HKLM\\SOFTWARE\\Policies\\ClaudeCode /v Settings`
and `/status` lists as "Enterprise managed settings (HKLM)". Since CLI 2.1.331 this policy outranks
C:\\Program Files\\ClaudeCode\\managed-settings.json, and a broken value can stop Claude Code from
starting (CHANGELOG 2.1.331).

reg_file() writes what regedit writes and imports: the header "Windows Registry Editor Version 5.00",
UTF-16 little-endian with a byte order mark, CRLF line ends, a string value in double quotes with
`\\` and `"` escaped, and a blank line at the end. The value itself is ASCII (see _document).

Private to this collection; controller side only.
"""

from __future__ import annotations

HIVE_KEY = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\ClaudeCode"
VALUE_NAME = "Settings"
HEADER = "Windows Registry Editor Version 5.00"
REG_FILE = "ClaudeCode.reg"
# The value alone, for Group Policy Preferences (a Registry item) or the ADMX policy's text box.
VALUE_FILE = "ClaudeCode-Settings.json"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reg_file(value: str) -> bytes:
    """The .reg file that sets HKLM\\SOFTWARE\\Policies\\ClaudeCode\\Settings to value (REG_SZ)."""
    if "\n" in value or "\r" in value or "\x00" in value:
        raise ValueError("a REG_SZ value in a .reg file is one line without NUL")
    lines = [HEADER, "", f"[{HIVE_KEY}]", f"{_quote(VALUE_NAME)}={_quote(value)}", "", ""]
    return "\ufeff".encode("utf-16-le") + "\r\n".join(lines).encode("utf-16-le")


def value_file(value: str) -> bytes:
    """The registry value as a file of its own: exactly the REG_SZ data (ASCII, no line end)."""
    return value.encode("ascii")
