# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The settings document as an MDM delivers it, checked once for every artifact.

The document is the one the policy core computes (`_policy.compute(policy)["settings"]`, what the
Linux rollout writes). An MDM carries it in three more forms, each with limits of its own:

- a property list (the configuration profile and the Custom Settings .plist): no null, integers of
  64 bits, and XML text, which cannot hold most control characters and turns a carriage return into
  a line feed (Python's plistlib writes it so; XML parsers read it so). Claude Code on macOS reads
  the managed preferences with `/usr/bin/plutil -convert json`, refusing output above 2 MiB
  (strings of the darwin-arm64 build of CLI 2.1.332);
- the registry value HKLM\\SOFTWARE\\Policies\\ClaudeCode\\Settings (REG_SZ, one line of JSON).
  Claude Code reads it with `reg query ... /v Settings` and refuses output above 2 MiB (CLI 2.1.332);
  CLI 2.1.331 fixed its refusal of non-ASCII characters there ("Windows: Fixed Claude Code refusing to
  start when managed settings in the registry contain non-ASCII characters", CHANGELOG 2.1.331), so
  the value is written as ASCII with `\\uXXXX` escapes: the same JSON text to a parser, readable by
  older CLIs too, and the same bytes whatever the console code page reg.exe prints in;
- the file managed-settings.json, written by the Intune platform script (JSON as the rollout writes it).

MAX_VALUE_CHARS bounds the single-line JSON: the `maxLength` of the `Settings` text element in
Anthropic's ADMX template (anthropics/claude-code, examples/mdm/windows/ClaudeCode.admx), which also
keeps plutil's and reg.exe's output well under Claude Code's 2 MiB.

Private to this collection; controller side only.
"""

from __future__ import annotations

import json
import re

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError

SCHEMA_KEY = "$schema"
MAX_VALUE_CHARS = 1000000
INT_MIN = -(2**63)
INT_MAX = 2**63 - 1
# What XML 1.0 text cannot carry as it is: control characters but tab and line feed (a carriage
# return comes back as a line feed), and the non-characters U+FFFE and U+FFFF.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")


def xml_safe(text: str) -> bool:
    """Whether a configuration profile can carry text as it is."""
    return not _NOT_IN_XML.search(text)


def delivered(settings: dict) -> dict:
    """The document an MDM carries: the rollout's, without `$schema` (a hint for editors of the
    file, meaningless in a property list or a registry value)."""
    return {key: value for key, value in settings.items() if key != SCHEMA_KEY}


def registry_value(settings: dict) -> str:
    """The REG_SZ value: the delivered document as one line of ASCII JSON, keys sorted."""
    return json.dumps(delivered(settings), separators=(",", ":"), sort_keys=True, ensure_ascii=True)


def _check_value(field: str, value) -> None:
    if value is None:
        raise PolicyError(
            field,
            value,
            "a value other than null, or leave the key out",
            why="a configuration profile is a property list, which has no null",
        )
    if value is True or value is False or isinstance(value, float):
        return
    if isinstance(value, int):
        if not INT_MIN <= value <= INT_MAX:
            raise PolicyError(
                field, value, "a whole number of at most 64 bits", why="a property list integer has 64 bits"
            )
        return
    if isinstance(value, str):
        if _NOT_IN_XML.search(value):
            raise PolicyError(
                field,
                value,
                "text without control characters other than tab and line feed",
                why="a configuration profile is XML, which cannot carry them (a carriage return comes back as a line feed)",
            )
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if _NOT_IN_XML.search(key):
                raise PolicyError(field, key, "keys without control characters", why="a configuration profile is XML")
            _check_value(f"{field}.{key}", item)
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_value("%s[%d]" % (field, index), item)
        return
    raise PolicyError(field, value, "JSON data")  # pragma: no cover - compute() returns plain JSON


def check(settings: dict) -> str:
    """Refuse what an MDM artifact cannot carry as it is (PolicyError naming the field, the same
    kind of message as the policy core's); return the registry value."""
    document = delivered(settings)
    _check_value("settings", {key: value for key, value in document.items() if key != "env"})
    if "env" in document:
        _check_value("env", document["env"])
    value = registry_value(settings)
    if len(value) > MAX_VALUE_CHARS:
        env_size = len(json.dumps(settings.get("env") or {}, separators=(",", ":"), ensure_ascii=True))
        field = "env" if env_size * 2 > len(value) else "settings"
        raise PolicyError(
            field,
            "%d characters of single-line JSON" % len(value),
            "at most %d characters" % MAX_VALUE_CHARS,
            why="the registry value and the profile are read through reg.exe and plutil, whose output Claude Code "
            "caps at 2 MiB; Anthropic's ADMX template caps the value at 1000000 characters",
        )
    return value
