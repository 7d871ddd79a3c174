# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters over the policy core: env_block, managed_settings, shell_exports, posture, egress, purge_keys.

For rendering a policy yourself; the role and the apply action do not use them. Documentation for
each filter is in the YAML file of the same name beside this one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ansible.errors import AnsibleFilterError

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import mark_vaulted
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _shells
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import (
    PolicyError,
    check_env,
    compute,
)


def _computed(name: str, policy: Any, key: str) -> Any:
    try:
        return compute(mark_vaulted(policy))[key]
    except PolicyError as exc:
        raise AnsibleFilterError(f"fleetpolicy.claude_code.{name}: {exc.message}") from None


def env_block(policy: Any) -> dict[str, str]:
    """The env block (dict of str) for a policy."""
    return _computed("env_block", policy, "env")


def managed_settings(policy: Any) -> dict[str, Any]:
    """The whole managed settings JSON document for a policy."""
    return _computed("managed_settings", policy, "settings")


def shell_exports(env: Any, shell: str) -> str:
    """Text for a whole rc file that sets exactly these variables when sourced by the given shell."""
    try:
        return _shells.shell_exports(check_env(mark_vaulted(env)), shell)
    except PolicyError as exc:
        raise AnsibleFilterError(f"fleetpolicy.claude_code.shell_exports: {exc.message}") from None


def posture(policy: Any) -> dict[str, Any]:
    """The data posture of a host: retention, training, optional traffic, egress."""
    return _computed("posture", policy, "posture")


def egress(policy: Any) -> list[str]:
    """Sorted host names a host with this policy needs to reach."""
    return _computed("egress", policy, "egress")


def purge_keys(policy: Any) -> list[str]:
    """Dotted keys the collection owns that this policy leaves unset (for merge mode)."""
    return _computed("purge_keys", policy, "purge")


class FilterModule:
    """Claude Code policy filters."""

    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            "env_block": env_block,
            "managed_settings": managed_settings,
            "shell_exports": shell_exports,
            "posture": posture,
            "egress": egress,
            "purge_keys": purge_keys,
        }
