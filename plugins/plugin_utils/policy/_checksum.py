# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The managed settings checksum Claude Code sends to a Claude apps gateway, and how JavaScript
turns settings values into text.

Since 2.1.327 (CHANGELOG 2.1.327: "Added `x-claude-code-managed-settings-checksum` to the gateway
hint headers; sent where managed settings set `CLAUDE_CODE_GATEWAY_HINT_HEADERS=1`"), the CLI sends
`x-claude-code-managed-settings-checksum: sha256:<hex>` on its model requests: the SHA-256 of the
managed (policy) settings it loaded, written as JSON.stringify writes an object whose keys were
sorted at every level. Checked against the pinned CLI by tests/integration/test_gateway_checksum.py
(a loopback stand-in logs the header), which also pins the details below:
  - the fields Claude Code drops as invalid are left out (a top-level key whose value has the
    wrong type, e.g. cleanupPeriodDays "abc"); keys it does not know are kept, $schema too;
  - numbers are written the JavaScript way (1.0 -> 1, 1e21 -> 1e+21, 1.5e-7 -> 1.5e-7);
  - keys are sorted by UTF-16 code units, and integer-like keys ("9", "10") come first in numeric
    order (JavaScript enumerates an object's array-index keys first);
  - strings are not ASCII-escaped; env values that are not strings are read as String(value)
    (true -> "true", 1.0 -> "1", null -> "null").

Private to this collection. Standard library only; runs on the controller.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any

PREFIX = "sha256:"
# A Python str parsed from JSON keeps a lone surrogate ("\ud800") as is; JSON.stringify writes it
# as an escape (ES2019 well-formed JSON.stringify).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ARRAY_INDEX_MAX = 2**32 - 2


def js_number(value: int | float) -> str:
    """Number.prototype.toString of a JSON number (a double in JavaScript)."""
    if isinstance(value, int) and abs(value) < 2**53:
        return str(value)
    try:
        number = float(value)
    except OverflowError:
        number = math.copysign(math.inf, value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number == 0:
        return "0"
    sign = "-" if number < 0 else ""
    mantissa, _sep, exponent = repr(abs(number)).partition("e")
    whole, _dot, fraction = mantissa.partition(".")
    digits = whole + fraction
    stripped = digits.lstrip("0")
    # The value is 0.<digits> x 10^n, digits without leading or trailing zeros (ECMA-262 Number::toString).
    n = len(whole) + int(exponent or 0) - (len(digits) - len(stripped))
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        text = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if n > 0 else "-") + str(abs(n - 1))
    return sign + text


def js_string(value: Any) -> str:
    """String(value) of a value parsed from JSON: how Claude Code reads an env value that is not a string."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def _key_order(keys: list[str]) -> list[str]:
    index = sorted(
        (k for k in keys if k.isdigit() and k.isascii() and str(int(k)) == k and int(k) <= _ARRAY_INDEX_MAX), key=int
    )
    seen = set(index)
    return index + sorted((k for k in keys if k not in seen), key=lambda k: k.encode("utf-16-be", "surrogatepass"))


def canonical_json(value: Any) -> str:
    """JSON.stringify of value with the keys of every object sorted (compact, not ASCII-escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = js_number(value)
        return "null" if text in ("NaN", "Infinity", "-Infinity") else text
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
        return _LONE_SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group()), text)
    if isinstance(value, Mapping):
        keys = _key_order([str(k) for k in value])
        plain = {str(k): v for k, v in value.items()}
        return "{" + ",".join(canonical_json(k) + ":" + canonical_json(plain[k]) for k in keys) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(item) for item in value) + "]"
    raise TypeError(f"not JSON data: {type(value).__name__}")


def checksum(settings: Mapping[str, Any]) -> str:
    """sha256:<hex> of the managed settings Claude Code loaded: the merged managed sources as its
    schema keeps them (_effective.check_fields has left out the fields it drops)."""
    text = canonical_json(settings)
    return PREFIX + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
