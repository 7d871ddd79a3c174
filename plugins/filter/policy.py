# -*- coding: utf-8 -*-
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters over the policy core: env_block, managed_settings, shell_exports, posture, egress, purge_keys.

Documentation for each filter is in the YAML file of the same name beside this one.
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._policy import (
    PolicyError, compute, purge_keys as _purge_keys, shell_exports as _shell_exports,
)

try:
    from ansible.parsing.vault import VaultHelper
except ImportError:  # ansible-core < 2.19: vaulted values stay AnsibleVaultEncryptedUnicode objects
    VaultHelper = None


class VaultedValue:
    """Stands in for a value that came from a `!vault` block; the policy core refuses it."""

    def __repr__(self):
        return "VaultedValue()"


def _mark_vaulted(value):
    """A copy of value with every vaulted string replaced by VaultedValue().

    ansible-core 2.19+ hands filters vaulted strings already decrypted (tagged VaultedValue); without
    this the policy core could not tell them from plain text and would write them in the clear.
    """
    if VaultHelper is not None and VaultHelper.get_ciphertext(value, with_tags=False) is not None:
        return VaultedValue()
    if isinstance(value, dict):
        return dict((k, _mark_vaulted(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_mark_vaulted(v) for v in value]
    return value


def _compute(name, policy):
    try:
        return compute(_mark_vaulted(policy))
    except PolicyError as exc:
        raise AnsibleFilterError("fleetpolicy.claude_code.%s: %s" % (name, exc.message)) from None


def env_block(policy):
    """The env block (dict of str) for a policy."""
    return _compute("env_block", policy)["env"]


def managed_settings(policy):
    """The whole managed settings JSON document for a policy."""
    return _compute("managed_settings", policy)["settings"]


def shell_exports(env, shell):
    """Text that sets exactly these variables when sourced by the given shell."""
    try:
        return _shell_exports(_mark_vaulted(env), shell)
    except PolicyError as exc:
        raise AnsibleFilterError("fleetpolicy.claude_code.shell_exports: %s" % exc.message) from None


def posture(policy):
    """The data posture of a host: retention, training, optional traffic, egress."""
    return _compute("posture", policy)["posture"]


def egress(policy):
    """Sorted host names a host with this policy needs to reach."""
    return _compute("egress", policy)["egress"]


def purge_keys(policy):
    """Dotted keys the collection owns that this policy leaves unset (for merge mode)."""
    try:
        return _purge_keys(_mark_vaulted(policy))
    except PolicyError as exc:
        raise AnsibleFilterError("fleetpolicy.claude_code.purge_keys: %s" % exc.message) from None


class FilterModule:
    """Claude Code policy filters."""

    def filters(self):
        return {
            "env_block": env_block,
            "managed_settings": managed_settings,
            "shell_exports": shell_exports,
            "posture": posture,
            "egress": egress,
            "purge_keys": purge_keys,
        }
