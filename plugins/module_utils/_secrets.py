# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Credentials, and what may be shown of a host's text: the one detector, masker and describer
of the collection, used by the policy core, the apply action, the managed_settings module and the
drift report, so that a value hidden in one place is hidden everywhere.

One rule, wherever a credential sits (an env value, a URL's user part, a settings key named like
a credential at any depth, an MCP server's headers), ours or found on a host: it is never written
to a file every user can read but the managed settings file that allow_secrets asks for, never
shown (refusals describe it, never quote it), and masked in diffs, drift, backups, results,
reports and the module's invocation log (the apply action passes credentials to the module in
its no_log option `secrets`: split()).

What a credential looks like is stated once, in _layout (SECRET_*). Text from a host (file names,
contents, errors) is made printable here too (printable()): control characters, which a terminal
would obey, are shown as escapes.

Private to this collection. Standard library only (the module ships it to targets).
"""

from __future__ import annotations

import re
from typing import Any

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L

# What credential-looking values become in backups, diffs, drift, results and reports.
MASK = "********"

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_WORDS = frozenset(L.SECRET_WORDS)
_PAIRS = frozenset(L.SECRET_WORD_PAIRS)
_QUALIFIERS = frozenset(L.SECRET_QUALIFIERS)
_VALUES = tuple((label, re.compile(pattern)) for label, pattern in L.SECRET_VALUE_PATTERNS)
_REFERENCES = re.compile(r"(?i)\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*|\b(?:bearer|basic|token)\b|[\s'\"]")


# ------------------------------------------------------------------------------ detection


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def secret_name(name: Any) -> bool:
    """True when a name (env variable, settings key, header) says it holds a credential (_layout)."""
    return str(name) not in L.NOT_SECRET_NAMES and credential_words(name)


def credential_words(name: Any) -> bool:
    """Whether the words of a name say credential (_layout's rule, before NOT_SECRET_NAMES)."""
    words = _words(str(name))
    last = -1
    for i, word in enumerate(words):
        if (
            word in _WORDS
            or word.endswith(L.SECRET_SUFFIXES)
            or (i and (words[i - 1], word) in _PAIRS)
            or (i == len(words) - 1 and word in L.SECRET_LAST_WORDS)
        ):
            last = i
    return last >= 0 and not any(w in _QUALIFIERS for w in words[last + 1 :])


def could_hold_secret(value: Any) -> bool:
    """False for a value that cannot be a credential whatever its name: an on/off switch, or only
    references to variables and an auth scheme ("Bearer ${TOKEN}")."""
    if not isinstance(value, str):
        return False
    text = value.strip().strip("'\"").strip()
    if text.lower() in L.SWITCH_LITERALS:
        return False
    return bool(_REFERENCES.sub("", text))


def secret_kind(text: Any) -> str | None:
    """What credential text holds ("an Anthropic API key", "a URL with a password in its user
    part"), by its look alone, or None."""
    if not isinstance(text, str) or not text:
        return None
    for label, regex in _VALUES:
        if regex.search(text):
            return label
    return None


def secret_value(text: Any) -> bool:
    """True when text holds something that looks like a credential, whatever it is called."""
    return secret_kind(text) is not None


def looks_like_secret(name: Any, value: Any = "") -> bool:
    """True when a named string looks like a credential: by its look, or by its name unless the
    value cannot be one (a switch, a variable reference)."""
    return secret_value(value) or (secret_name(name) and (value == "" or could_hold_secret(value)))


# -------------------------------------------------------------------------------- masking


def _mask_match(match: re.Match) -> str:
    if "secret" in match.re.groupindex and match.group("secret") is not None:
        start, end = match.span("secret")
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + MASK + whole[end - offset :]
    return MASK


def mask_secrets(text: Any) -> Any:
    """Text with every credential-looking part masked (a URL keeps its scheme and host)."""
    if not isinstance(text, str) or not text:
        return text
    for _label, regex in _VALUES:
        text = regex.sub(_mask_match, text)
    return text


def mask_value(name: Any, value: Any) -> Any:
    """A value found under a name (an env variable, a settings key, a header), masked: a string
    by its name (all of it) or by its look (the credential part); a mapping or list at any depth."""
    if isinstance(value, str):
        if MASK in value:
            return mask_secrets(value)  # masked already (an rc line, a URL): what is left is shown
        if secret_name(name) and could_hold_secret(value):
            return MASK
        return mask_secrets(value)
    if isinstance(value, dict):
        return {k: mask_value(k, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_value(name, v) for v in value]
    return value


def mask_deep(value: Any, key: Any = "") -> Any:
    """A copy of JSON-like data with every credential masked: values under credential-naming keys
    at any depth (env, MCP headers, apiKey, password, ...) and credential-looking text anywhere."""
    return mask_value(key, value)


def mask_document(doc: Any) -> Any:
    """A copy of a settings document with every credential masked (mask_deep)."""
    return mask_value("", doc)


def mask_keyed(key: str, value: Any) -> Any:
    """A value found under a dotted settings key (env.NAME, permissions.allow...), masked by the
    key's last part and by its own look."""
    if value is None:
        return None
    return mask_value(str(key).rsplit(".", 1)[-1], value)


def collect(value: Any, found: set, key: Any = "") -> set:
    """Add every string inside value that the masker would change to the set found (for
    AnsibleModule.no_log_values: Ansible then hides it in any output too)."""
    if isinstance(value, str):
        if value and mask_value(key, value) != value:
            found.add(value)
    elif isinstance(value, dict):
        for k, item in value.items():
            collect(item, found, k)
    elif isinstance(value, (list, tuple)):
        for item in value:
            collect(item, found, key)
    return found


def pointer(parts: list) -> str:
    """The JSON pointer (RFC 6901) of a path of keys and list indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def split(doc: Any) -> tuple[Any, dict[str, str]]:
    """(doc with every credential string replaced by MASK, {JSON pointer: the credential}): what
    the apply action sends as the module's `settings` and its no_log option `secrets`, so that
    the module's invocation log (the host's journal or syslog) and its arguments shown with -vvv
    never hold a credential. join() puts them back."""
    found: dict[str, str] = {}

    def walk(node: Any, key: Any, parts: list) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, k, parts + [k]) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, key, parts + [i]) for i, v in enumerate(node)]
        if isinstance(node, str) and node != MASK and mask_value(key, node) != node:
            found[pointer(parts)] = node
            return MASK
        return node

    return walk(doc, "", []), found


def join(doc: Any, secrets: dict) -> str | None:
    """Put the credentials split() took out back into doc, in place. None when done, else what is
    wrong (a pointer that names no MASK placeholder in doc)."""
    for path, value in (secrets or {}).items():
        if not isinstance(path, str) or not path.startswith("/") or not isinstance(value, str):
            return "secrets: each key must be a JSON pointer into settings and each value a string"
        parts = [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]
        node = doc
        for part in parts[:-1]:
            node = node.get(part) if isinstance(node, dict) else _index(node, part)
        last = parts[-1]
        if isinstance(node, dict) and node.get(last) == MASK:
            node[last] = value
        elif isinstance(node, list) and _index(node, last) == MASK:
            node[int(last)] = value
        else:
            return f"secrets: {path} names no placeholder ({MASK}) in settings"
    return None


def _index(node: Any, part: str) -> Any:
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node[int(part)]
    return None


# ------------------------------------------------------------------------- rc file lines

_ASSIGNS = {shell: re.compile(record["assign"]) for shell, record in L.SHELL_RECORDS.items()}
_ANY_ASSIGN = tuple(_ASSIGNS.values())


def rc_assignment(line: str, shell: str | None = None) -> re.Match | None:
    """The match of the variable an rc line sets (for one shell, or for any), or None."""
    if line.lstrip().startswith("#"):
        return None
    for regex in (_ASSIGNS[shell],) if shell else _ANY_ASSIGN:
        match = regex.match(line)
        if match:
            return match
    return None


def mask_rc_line(line: str, shell: str | None = None) -> str:
    """An rc line with a credential-looking value masked (by variable name or by value)."""
    match = rc_assignment(line, shell)
    if match and looks_like_secret(match.group(1), line[match.end() :]):
        return line[: match.end()] + MASK
    return mask_secrets(line)


def mask_rc_text(text: str, shell: str | None = None) -> str:
    """rc file text with credential-looking values masked, for diffs and drift."""
    if not text:
        return text
    return "".join(
        mask_rc_line(line[:-1], shell) + "\n" if line.endswith("\n") else mask_rc_line(line, shell)
        for line in text.splitlines(True)
    )


# ------------------------------------------------------------------ describing, not quoting


def describe(value: Any, name: Any = "") -> str:
    """What a refused or hidden value is, without quoting it: its kind, its length, and which
    part of it is a credential."""
    if isinstance(value, str):
        size = "%d character%s" % (len(value), "" if len(value) == 1 else "s")
        kind = secret_kind(value)
        if kind:
            return f"{kind} ({size}; not shown)"
        if name and secret_name(name):
            return f"a value under a credential name ({size}; not shown)"
        return f"a string ({size}; not shown)"
    if isinstance(value, dict):
        inside = sorted({printable(str(k)) for k, v in value.items() if mask_value(k, v) != v})
        where = "; it holds a credential under " + ", ".join(inside[:3]) if inside else ""
        return "a mapping of %d entr%s%s (not shown)" % (len(value), "y" if len(value) == 1 else "ies", where)
    if isinstance(value, (list, tuple)):
        return "a list of %d item%s (not shown)" % (len(value), "" if len(value) == 1 else "s")
    return "a value (not shown)"


# --------------------------------------------------------------------- printable host text

# C0 and C1 control characters and DEL (a terminal obeys them: ESC [ starts a command), the
# bidirectional overrides and isolates (they reorder what is shown: CVE-2021-42574), and the
# surrogates Python uses for bytes of a file name that are not UTF-8 (PEP 383).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    char = match.group(0)
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:
        return "\\x%02x" % (code - 0xDC00)  # a byte of a name that is not UTF-8, as it was
    return "\\x%02x" % code if code < 0x100 else "\\u%04x" % code


def printable(text: Any) -> Any:
    """Text with every control character shown as an escape (\\x1b, \\u202e, \\xff for a byte of a
    name that is not UTF-8): safe for a terminal, a log, JSON, XML and Markdown alike."""
    if not isinstance(text, str):
        return text
    return _CONTROL.sub(_escape, text)


def shown(value: Any, key: Any = "") -> Any:
    """JSON-like data as it may be shown: credentials masked, control characters escaped."""
    masked = mask_value(key, value)

    def walk(node: Any) -> Any:
        if isinstance(node, str):
            return printable(node)
        if isinstance(node, dict):
            return {printable(k) if isinstance(k, str) else k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(masked)
