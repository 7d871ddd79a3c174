# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one error type of the controller-side policy code: a refused input, in one message.

The policy core (_policy) and the shell exports (_shells) both raise it, and the apply action and
the filters turn it into their own one-line failure. It depends on nothing but _secrets (a value
that holds a credential is described, never echoed: its kind, its length, which part), so neither
of its users depends on the other.

Private to this collection. Standard library only; it runs on the controller.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets


def is_vaulted(value: Any) -> bool:
    """Whether value is one of Ansible's vaulted or encrypted strings (by its type's name)."""
    name = type(value).__name__
    return "Vault" in name or "Encrypted" in name


def show(value: Any) -> str:
    """What was given, in words a person recognises (quoted text, a boolean, a mapping, a date, ...),
    never the name of a Python or Ansible type."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "%s (a boolean: YAML reads %s as %s)" % (
            ("true", "yes, on and true", "true") if value else ("false", "no, off and false", "false")
        )
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return json.dumps(text, ensure_ascii=True)
    if is_vaulted(value):
        return "a vault-encrypted value"
    if isinstance(value, (dict, list, tuple)):
        return "a %s" % ("mapping" if isinstance(value, dict) else "list")
    if isinstance(value, (int, float)):  # tagged Ansible numbers print their plain type name
        return "{!r} ({})".format(*((int(value), "int") if isinstance(value, int) else (float(value), "float")))
    if isinstance(value, (datetime.date, datetime.time)):  # YAML 1.1 reads 2026-12-01 as a date
        return "%s (%s: YAML reads it so unquoted; quote it to keep it text)" % (value.isoformat(), kind(value))
    return kind(value)


def kind(value: Any) -> str:
    """The kind of a value in words ("an integer", "a date"), for Ansible's tagged types too
    (_AnsibleTaggedDate is a date)."""
    for base, words in _KINDS:
        if isinstance(value, base):
            return words
    return "a value of another kind"


_KINDS = (
    (type(None), "nothing (null)"),
    (bool, "a boolean"),
    (int, "an integer"),
    (float, "a number"),
    (str, "text"),
    (bytes, "binary data"),
    (dict, "a mapping"),
    ((list, tuple), "a list"),
    ((set, frozenset), "a set"),
    (datetime.datetime, "a date and time"),
    (datetime.date, "a date"),
    (datetime.time, "a time"),
)


class PolicyError(ValueError):
    """Bad input. One message naming the field, what was given and what is allowed.

    field is the policy's own dotted name (provider, env.DISABLE_TELEMETRY, settings.permissions);
    describe(variable) names the variable it came from, for callers that know one.
    """

    def __init__(self, field: str, given: Any, allowed: str, why: str | None = None, hide_value: bool = False):
        self.field = field
        self.given = given
        self.allowed = allowed
        self.why = why
        name = field.rsplit(".", 1)[-1].split("[", 1)[0]
        if (
            isinstance(given, (str, dict, list, tuple))
            and not is_vaulted(given)
            and _secrets.mask_value(name, given) != given
        ):
            hide_value = True  # never echo what looks like a credential, whatever the error
        self.shown = _secrets.describe(given, name) if hide_value else show(given)
        super().__init__(self.describe())

    @property
    def root(self) -> str:
        """The top-level policy field (env for env.NAME, settings for settings.x[0])."""
        return self.field.split(".", 1)[0].split("[", 1)[0]

    def describe(self, variable: str | None = None) -> str:
        """The message; with variable, it names the variable the field came from."""
        msg = f"field '{self.field}'"
        if variable:
            msg += f" (variable {variable})"
        msg += f": got {self.shown}"
        if self.why:
            msg += "; " + self.why
        if self.allowed:
            msg += "; allowed: " + self.allowed
        return msg

    @property
    def message(self) -> str:
        return self.describe()
