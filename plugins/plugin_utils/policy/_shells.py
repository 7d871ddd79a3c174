# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shell exports: the lines that set an env block in each shell, from the shell records in
plugins/module_utils/_layout.py (SHELL_RECORDS).

Private to this collection. Runs on the controller (the apply action and the shell_exports
filter). The names and values were already checked by the policy core (_policy.check_env), so
this file only quotes values and refuses the values a format cannot hold; it does not depend on
the policy core.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._errors import PolicyError

_ENVD_UNSAFE = re.compile(r"[\\$\"'`\n\r]")
# What else systemd's environment.d parser (v252) cannot take: an empty value is "invalid syntax"
# (the variable is dropped), and a Unicode noncharacter makes the generator reject the value and
# then crash, which loses every environment.d variable of the session. Control characters are
# refused too: no Claude Code setting needs one, and parsers differ on them.
_ENVD_BAD = re.compile("[\x00-\x08\x0a-\x1f\x7f\ufdd0-\ufdef]")


def _envd_refused(value: str) -> bool:
    return (
        not value
        or value != value.strip()
        or bool(_ENVD_UNSAFE.search(value))
        or bool(_ENVD_BAD.search(value))
        or any((ord(c) & 0xFFFE) == 0xFFFE for c in value)
    )


def _quote_sh(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def _quote_fish(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _quote_none(name: str, value: str) -> str:
    if _envd_refused(value):
        raise PolicyError(
            f"env.{name}",
            value,
            "non-empty text without \\ $ \" ' ` line breaks, control "
            "characters, Unicode noncharacters or surrounding blanks (or leave environment_d out of shells)",
            why="systemd environment.d files expand, unquote or drop such values",
        )
    return value


def export_lines(env: Mapping[str, str], shell: str) -> list[str]:
    """Lines that set exactly the given variables (already checked: str names and values) in one shell."""
    record = L.SHELL_RECORDS.get(shell)
    if record is None:
        raise PolicyError("shell", shell, ", ".join(L.SHELLS))
    quote = record["quote"]
    lines = []
    for name in sorted(env):
        value = env[name]
        if quote == "sh":
            shown = _quote_sh(value)
        elif quote == "fish":
            shown = _quote_fish(value)
        elif quote == "none":
            shown = _quote_none(name, value)
        else:  # pragma: no cover - a record with an unknown quoting is a bug in _layout
            raise ValueError(f"shell {shell}: unknown quoting {quote!r}")
        lines.append(record["line"].format(name=name, value=shown))
    return lines


def file_text(lines: Iterable[str]) -> str:
    """A whole rc file (layout "file") holding these export lines."""
    body = list(lines) or ["# (no variables to export for this host)"]
    return "\n".join(["# " + L.MANAGED_HEADER] + body) + "\n"


def render(env: Mapping[str, str], shells: Iterable[str]) -> dict[str, str]:
    """{shell: export text} for the selected shells: the whole file for layout "file", the body of
    the managed block for layout "block" (the module wraps it in its markers)."""
    out = {}
    for shell in shells:
        lines = export_lines(env, shell)
        if L.SHELL_RECORDS[shell]["layout"] == "file":
            out[shell] = file_text(lines)
        else:
            out[shell] = "".join(line + "\n" for line in lines)
    return out


def shell_exports(env: Mapping[str, str], shell: str) -> str:
    """A whole rc file that sets exactly these variables (already checked: str names and values)
    in one shell. The shell_exports filter checks any env mapping with _policy.check_env first."""
    return file_text(export_lines(env, shell))
