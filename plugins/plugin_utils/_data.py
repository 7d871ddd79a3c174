# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Ansible's values as the policy core needs them: vaulted strings marked, tagged types made plain.

Private to this collection; controller side only (the filters, the apply action, the drift report).
"""

from __future__ import annotations

try:
    from ansible.parsing.vault import VaultHelper
except ImportError:  # ansible-core < 2.19: vaulted values stay AnsibleVaultEncryptedUnicode objects
    VaultHelper = None


class VaultedValue:
    """Stands in for a value that came from a `!vault` block; the policy core refuses it."""

    def __repr__(self):
        return "VaultedValue()"


def mark_vaulted(value):
    """A copy of value with every vaulted string replaced by VaultedValue().

    ansible-core 2.19+ hands plugins vaulted strings already decrypted (tagged VaultedValue); without
    this the policy core could not tell them from plain text and would write them in the clear.
    """
    if VaultHelper is not None and VaultHelper.get_ciphertext(value, with_tags=False) is not None:
        return VaultedValue()
    if isinstance(value, dict):
        return {k: mark_vaulted(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mark_vaulted(v) for v in value]
    return value


# Values of these exact types are plain already (a subclass, such as Ansible's tagged str, is not).
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))


def is_mapping(value):
    """A dict, or one of Ansible's lazy or tagged mappings."""
    return isinstance(value, dict) or (hasattr(value, "items") and hasattr(value, "keys"))


def plain(value):
    """Plain JSON data (drops Ansible's tagged and lazy types)."""
    if type(value) in _PLAIN_TYPES:
        return value
    if is_mapping(value):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)
