# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials: how they are recognised and how they are masked. The one masker of the
collection, used by the policy core, the apply action, the managed_settings module and the drift
report, so that a value hidden in one place is hidden everywhere.

Private to this collection. Standard library only (the module ships it to targets).
"""

from __future__ import annotations

import json
import re

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L

# What credential-looking values become in backups, diffs, drift, results and reports.
MASK = "********"

_SECRET_NAME = re.compile(L.SECRET_NAME_PATTERN)
_SECRET_VALUE = re.compile(L.SECRET_VALUE_PATTERN)


def secret_name(name):
    """True when a variable name says it holds a credential."""
    return name not in L.NOT_SECRET_NAMES and bool(_SECRET_NAME.search(name))


def secret_value(text):
    """True when text holds something that looks like a credential, whatever it is called."""
    return bool(text) and bool(_SECRET_VALUE.search(text))


def looks_like_secret(name, value=""):
    """True when an env entry looks like a credential, by its name or by its value."""
    return secret_name(name) or secret_value(value)


def mask_secrets(text):
    """Text with every credential-looking value (by pattern) replaced by MASK."""
    return _SECRET_VALUE.sub(MASK, text)


def mask_data(value):
    """A copy of JSON-like data with credential-looking text masked in every string."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: mask_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v) for v in value]
    return value


def mask_document(doc):
    """A copy of a settings document with credential-looking env values masked (by name or by
    value), and credential-looking text masked in every other string too."""
    if not isinstance(doc, dict):
        return doc
    masked = mask_data(doc)
    env = doc.get("env")
    if isinstance(env, dict):
        masked["env"] = {
            k: MASK if isinstance(v, str) and looks_like_secret(k, v) else masked["env"][k] for k, v in env.items()
        }
    return masked


def mask_keyed(key, value):
    """A value found under a dotted settings key (env.NAME, permissions.allow...), masked when the
    key's last part names a credential or the value looks like one."""
    if value is None:
        return None
    name = key.rsplit(".", 1)[-1]
    if isinstance(value, str):
        if MASK in value:
            return mask_secrets(value)
        return MASK if looks_like_secret(name, value) else value
    if secret_name(name):
        return MASK
    if isinstance(value, (dict, list)):
        return json.loads(mask_secrets(json.dumps(value)))
    return value


_ASSIGNS = {shell: re.compile(record["assign"]) for shell, record in L.SHELL_RECORDS.items()}
_ANY_ASSIGN = tuple(_ASSIGNS.values())


def rc_assignment(line, shell=None):
    """The match of the variable an rc line sets (for one shell, or for any), or None."""
    if line.lstrip().startswith("#"):
        return None
    for regex in (_ASSIGNS[shell],) if shell else _ANY_ASSIGN:
        match = regex.match(line)
        if match:
            return match
    return None


def mask_rc_line(line, shell=None):
    """An rc line with a credential-looking value masked (by variable name or by value)."""
    match = rc_assignment(line, shell)
    if match and looks_like_secret(match.group(1), line[match.end() :]):
        return line[: match.end()] + MASK
    return mask_secrets(line)


def mask_rc_text(text, shell=None):
    """rc file text with credential-looking values masked, for diffs and drift."""
    if not text:
        return text
    return "".join(
        mask_rc_line(line[:-1], shell) + "\n" if line.endswith("\n") else mask_rc_line(line, shell)
        for line in text.splitlines(True)
    )


def collect(value, found):
    """Add every credential-looking string inside value to the set found (for no_log_values)."""
    if isinstance(value, str):
        if secret_value(value):
            found.add(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, str) and secret_name(str(key)) and item:
                found.add(item)
            collect(item, found)
    elif isinstance(value, (list, tuple)):
        for item in value:
            collect(item, found)
    return found


def mask_deep(value, key=""):
    """A copy of JSON-like data with every value under a credential-naming key masked (at any
    depth: env, MCP server headers and env, ...) and credential-looking text masked everywhere."""
    if isinstance(value, dict):
        return {
            k: MASK if isinstance(v, str) and v and secret_name(str(k)) else mask_deep(v, str(k))
            for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [mask_deep(v, key) for v in value]
    if isinstance(value, str):
        return mask_secrets(value)
    return value
