# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Windows: the Intune platform script that writes C:\\Program Files\\ClaudeCode\\managed-settings.json.

After Anthropic's Set-ClaudeCodePolicy.ps1 (anthropics/claude-code, examples/mdm/windows/): the
64-bit Program Files through `$env:ProgramW6432` (Intune runs platform scripts in a 32-bit
PowerShell host unless told otherwise, and there `$env:ProgramFiles` is C:\\Program Files (x86), a
folder Claude Code never reads), UTF-8 without a byte order mark, `$ErrorActionPreference = 'Stop'`.
Added here: the JSON is the document the rollout writes (2-space indent, sorted keys, LF line ends,
a final line feed), written through a temporary file and [System.IO.File]::Replace or ::Move so no
half-written file is ever read; an unchanged file is not rewritten; any failure prints one line on
stderr and exits 1, so Intune reports it; a value under HKLM\\SOFTWARE\\Policies\\ClaudeCode, which
outranks the file since CLI 2.1.331, is warned about.

The script is ASCII (PowerShell 5.1 reads a script without a byte order mark in the ANSI code
page): the JSON in it escapes any other character as \\uXXXX, which a JSON parser reads back as the
same text. The JSON sits in a single-quoted here-string, which ends only at a line starting with '@;
no line of indented JSON can.

Private to this collection; controller side only.
"""

from __future__ import annotations

import json

SCRIPT_FILE = "Set-ClaudeCodePolicy.ps1"
HERE_START = "$json = @'"
HERE_END = "'@"

_HEAD = """<#
Claude Code managed settings for {label}: {summary}.
Written by the playbook fleetpolicy.claude_code.mdm_export; change the inventory and run it again
rather than editing this file.

Intune: Devices > Scripts and remediations > Platform scripts > Add (Windows 10 and later).
  Run this script using the logged on credentials: No
  Run script in 64 bit PowerShell Host: Yes (the script finds the 64-bit folder either way)

Writes C:\\Program Files\\ClaudeCode\\managed-settings.json, UTF-8 without a byte order mark.
Exit code 0: written, or already up to date. Exit code 1: not written; the reason is on stderr.
#>

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
"""

_BODY = """$json = $json.Replace("`r`n", "`n") + "`n"

$tmp = $null
try {
    # ProgramW6432, not ProgramFiles: in a 32-bit PowerShell host ProgramFiles is
    # C:\\Program Files (x86), a folder Claude Code never reads.
    $programFiles = $env:ProgramW6432
    if ([string]::IsNullOrEmpty($programFiles)) {
        throw 'ProgramW6432 is not set: Claude Code reads C:\\Program Files only on 64-bit Windows'
    }
    $dir = Join-Path $programFiles 'ClaudeCode'
    $path = Join-Path $dir 'managed-settings.json'
    $utf8 = New-Object System.Text.UTF8Encoding($false)
    $bytes = $utf8.GetBytes($json)

    $policy = Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\ClaudeCode' -Name 'Settings' -ErrorAction SilentlyContinue
    if ($null -ne $policy) {
        Write-Warning "HKLM\\SOFTWARE\\Policies\\ClaudeCode\\Settings is set: Claude Code applies it, not $path (CLI 2.1.331 and later)"
    }

    if (Test-Path -LiteralPath $path -PathType Leaf) {
        $current = [System.IO.File]::ReadAllBytes($path)
        if ([System.Convert]::ToBase64String($current) -ceq [System.Convert]::ToBase64String($bytes)) {
            Write-Output "Up to date: $path"
            exit 0
        }
    }

    New-Item -ItemType Directory -Path $dir -Force | Out-Null
    $tmp = Join-Path $dir ('.managed-settings.json.' + [System.Guid]::NewGuid().ToString('N') + '.tmp')
    [System.IO.File]::WriteAllBytes($tmp, $bytes)
    if (Test-Path -LiteralPath $path -PathType Leaf) {
        [System.IO.File]::Replace($tmp, $path, [NullString]::Value)
    } else {
        [System.IO.File]::Move($tmp, $path)
    }
    $tmp = $null
    Write-Output "Wrote $path"
    exit 0
} catch {
    [Console]::Error.WriteLine("Claude Code managed settings were NOT written: $($_.Exception.Message)")
    exit 1
} finally {
    if ($null -ne $tmp -and (Test-Path -LiteralPath $tmp)) {
        Remove-Item -LiteralPath $tmp -Force -ErrorAction SilentlyContinue
    }
}
"""


def script_json(settings: dict) -> str:
    """The JSON the script writes, without its final line feed: as the rollout renders the
    document (module_utils/_fs.render_json), with characters outside ASCII escaped."""
    return json.dumps(settings, indent=2, sort_keys=True, ensure_ascii=True)


def platform_script(settings: dict, label: str, summary: str) -> bytes:
    """The Intune platform script (ASCII, CRLF line ends) that writes the whole document."""
    text = script_json(settings)
    lines = text.split("\n")
    if any(line.startswith(HERE_END) for line in lines):  # pragma: no cover - indented JSON cannot
        raise ValueError("a line of the JSON would end the PowerShell here-string")
    for part in (label, summary):
        if not part.isascii() or any(c in part for c in "\r\n#>") or not part.isprintable():
            raise ValueError(f"{part!r} cannot go into the script's comment")
    script = (
        _HEAD.format(label=label, summary=summary) + "\n" + HERE_START + "\n" + text + "\n" + HERE_END + "\n" + _BODY
    )
    return script.replace("\n", "\r\n").encode("ascii")
