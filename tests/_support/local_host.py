# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A test host on the controller itself (connection local): its managed settings file and every
shell's rc file under a folder of its own, so many such hosts share one machine."""

from __future__ import annotations

import os

# Each shell's rc file, relative to the host's folder.
SHELLS = {
    "sh": "profile.d/claude-code.sh",
    "bash": "bash.bashrc",
    "zsh": "zsh/zshenv",
    "fish": "fish/conf.d/claude-code.fish",
    "environment_d": "environment.d/60-claude-code.conf",
}


def host_vars(base, name, **policy):
    """The inventory variables of host NAME, its files under BASE/NAME, with these policy variables."""
    root = os.path.join(base, name)
    out = {
        "ansible_connection": "local",
        # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
        "claude_code_settings_cli_account": "root",
        "claude_code_settings_path": os.path.join(root, "claude-code", "managed-settings.json"),
        "claude_code_settings_shell_paths": {s: os.path.join(root, p) for s, p in SHELLS.items()},
    }
    out.update(policy)
    return out
