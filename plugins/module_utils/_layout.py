# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where things are on a host: Claude Code's managed files on each OS family, the rc files each
shell reads and how a line there sets a variable, where a CLI is installed, and what a credential
looks like. Each fact is stated once, with its source (abbreviations as in _facts).

Private to this collection. Standard library only: this is the one facts file shipped to targets
inside the managed_settings module's payload, so it holds only what the module reads there (the
rest, which the controller alone reads, is in _facts: the module runs on every host at every run,
and each line shipped is compiled there each time).
"""

from __future__ import annotations

# ------------------------------------------------------------------------------ OS families
# Where Claude Code reads its managed settings, and the system rc files each shell reads, per OS
# family. Source: DOC:managed-settings (facts 0.1) for the managed directory; each distribution's
# packaging for the rc files. macOS: zsh is the login shell, /etc/profile does not read
# profile.d, fish comes from Homebrew (no fixed path) and there is no systemd, so those shells
# need an explicit path.
_LINUX_RC = {
    "sh": "/etc/profile.d/claude-code.sh",
    "fish": "/etc/fish/conf.d/claude-code.fish",
    "environment_d": "/etc/environment.d/60-claude-code.conf",
}
OS_RECORDS = {
    "Debian": {
        "managed_dir": "/etc/claude-code",
        "rc": dict(_LINUX_RC, bash="/etc/bash.bashrc", zsh="/etc/zsh/zshenv"),
        "ids": ("debian", "ubuntu", "raspbian", "linuxmint", "pop", "kali"),
    },
    "RedHat": {
        "managed_dir": "/etc/claude-code",
        "rc": dict(_LINUX_RC, bash="/etc/bashrc", zsh="/etc/zshenv"),
        "ids": ("rhel", "fedora", "centos", "rocky", "almalinux", "amzn", "ol"),
    },
    "Suse": {
        "managed_dir": "/etc/claude-code",
        "rc": dict(_LINUX_RC, bash="/etc/bash.bashrc.local", zsh="/etc/zshenv"),
        "ids": ("suse", "opensuse", "sles", "opensuse-leap", "opensuse-tumbleweed", "sled"),
    },
    "Archlinux": {
        "managed_dir": "/etc/claude-code",
        "rc": dict(_LINUX_RC, bash="/etc/bash.bashrc", zsh="/etc/zsh/zshenv"),
        "ids": ("arch", "manjaro", "endeavouros"),
    },
    "Darwin": {
        "managed_dir": "/Library/Application Support/ClaudeCode",
        "rc": {"bash": "/etc/bashrc", "zsh": "/etc/zshenv"},
        "ids": (),
    },
}
OS_FAMILIES = tuple(sorted(OS_RECORDS))
MANAGED_FILE = "managed-settings.json"
DROPIN_DIR = "managed-settings.d"

# ----------------------------------------------------------------------------------- shells
# One record per shell whose exports the collection writes.
#   label     who reads the file
#   quote     how a value is quoted: "sh" (single quotes, ' as '\''), "fish" (single quotes,
#             \ and ' escaped) or "none" (systemd environment.d: no quoting, unsafe values refused)
#   line      the line that sets one variable
#   layout    "file" (the whole file is ours) or "block" (a marked block in a file that other
#             packages and admins also write)
#   assign    the regular expression that finds the variable a line sets (drift, masking)
#   reserved  the shell's own variables: exporting one from an rc file fails or does something
#             else (zsh stops reading the file at a read-only one, dash exits on OPTIND=text, fish
#             refuses PWD or SHLVL, bash silently keeps RANDOM or LINENO), or makes an
#             interactive shell run code (prompts, function and module search paths).
#             tests/reliability/test_shell_quoting.py asks the installed shells for their
#             variables and checks that every name the policy accepts round-trips.
_SH_ASSIGN = r"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)="
_BASH_RESERVED = (
    "BASHPID",
    "BASH_ALIASES",
    "BASH_ARGC",
    "BASH_ARGV",
    "BASH_ARGV0",
    "BASH_CMDS",
    "BASH_COMMAND",
    "BASH_LINENO",
    "BASH_SOURCE",
    "BASH_SUBSHELL",
    "BASH_VERSINFO",
    "BASH_XTRACEFD",
    "DIRSTACK",
    "EPOCHREALTIME",
    "EPOCHSECONDS",
    "EUID",
    "GROUPS",
    "HISTCMD",
    "LINENO",
    "OPTIND",
    "PPID",
    "RANDOM",
    "SECONDS",
    "SHLVL",
    "SRANDOM",
    "UID",
    "PS0",
    "PS2",
    "PS3",
    "GLOBIGNORE",
    "EXECIGNORE",
    "COLUMNS",
    "LINES",
    "LC_ALL",
    "_",
)
_ZSH_RESERVED = (
    "ARGC",
    "EGID",
    "FUNCNEST",
    "GID",
    "HISTCHARS",
    "HISTSIZE",
    "KEYBOARD_HACK",
    "KEYTIMEOUT",
    "LISTMAX",
    "MAILCHECK",
    "SAVEHIST",
    "TRY_BLOCK_ERROR",
    "TRY_BLOCK_INTERRUPT",
    "TTYIDLE",
    "USERNAME",
    "WATCH",
    "ZSH_EVAL_CONTEXT",
    "ZSH_SUBSHELL",
    "FPATH",
    "MODULE_PATH",
    "PROMPT",
    "PROMPT2",
    "PROMPT3",
    "PROMPT4",
    "RPROMPT",
    "RPROMPT2",
    "RPS1",
    "RPS2",
    "SPROMPT",
    "aliases",
    "argv",
    "builtins",
    "cdpath",
    "commands",
    "dirstack",
    "dis_aliases",
    "dis_builtins",
    "dis_functions",
    "dis_functions_source",
    "dis_galiases",
    "dis_patchars",
    "dis_reswords",
    "dis_saliases",
    "fignore",
    "fpath",
    "funcfiletrace",
    "funcsourcetrace",
    "funcstack",
    "functions",
    "functions_source",
    "functrace",
    "galiases",
    "histchars",
    "history",
    "historywords",
    "jobdirs",
    "jobstates",
    "jobtexts",
    "keymaps",
    "mailpath",
    "manpath",
    "module_path",
    "modules",
    "nameddirs",
    "options",
    "parameters",
    "patchars",
    "path",
    "pipestatus",
    "psvar",
    "reswords",
    "saliases",
    "signals",
    "status",
    "termcap",
    "terminfo",
    "userdirs",
    "usergroups",
    "watch",
    "widgets",
    "zsh_eval_context",
    "zsh_scheduled_events",
)
_FISH_RESERVED = (
    "FISH_VERSION",
    "PWD",
    "fish_kill_signal",
    "fish_killring",
    "fish_pid",
    "hostname",
    "status_generation",
    "umask",
    "version",
    "fish_user_paths",
    "fish_function_path",
    "fish_complete_path",
)
SHELL_RECORDS = {
    # /etc/profile.d is read by login sh, dash and bash: they share the POSIX and bash names.
    "sh": {
        "label": "login sh, dash and bash",
        "quote": "sh",
        "line": "export {name}={value}",
        "layout": "file",
        "assign": _SH_ASSIGN,
        "reserved": _BASH_RESERVED,
    },
    "bash": {
        "label": "interactive bash",
        "quote": "sh",
        "line": "export {name}={value}",
        "layout": "block",
        "assign": _SH_ASSIGN,
        "reserved": _BASH_RESERVED,
    },
    "zsh": {
        "label": "zsh (every instance)",
        "quote": "sh",
        "line": "export {name}={value}",
        "layout": "block",
        "assign": _SH_ASSIGN,
        "reserved": _ZSH_RESERVED,
    },
    "fish": {
        "label": "fish",
        "quote": "fish",
        "line": "set -gx {name} {value}",
        "layout": "file",
        "assign": r"^\s*set\s+-gx\s+([A-Za-z_][A-Za-z0-9_]*)\s",
        "reserved": _FISH_RESERVED,
    },
    "environment_d": {
        "label": "systemd user sessions (desktop apps, IDEs)",
        "quote": "none",
        "line": "{name}={value}",
        "layout": "file",
        "assign": r"^\s*([A-Za-z_][A-Za-z0-9_]*)=",
        "reserved": (),
    },
}
SHELLS = tuple(SHELL_RECORDS)

# ------------------------------------------------------------------- what Claude Code reads
# The managed sources beside the settings file (the merge rules are in _facts).
MANAGED_MCP_FILE = "managed-mcp.json"
# macOS: preferences an MDM profile delivers for the domain com.anthropic.claudecode (the docs
# name the domain; the on-disk place is the macOS convention for managed preferences, not a
# Claude Code document). Under first-wins (the default managedSourcesBehavior), a plist that
# holds a policy wins over the file for every key but env, which merges per variable (2.1.223).
MDM_DOMAIN = "com.anthropic.claudecode"
MDM_PLIST = f"/Library/Managed Preferences/{MDM_DOMAIN}.plist"
# Per-user managed preferences of the same domain, one folder per account, read before the
# device-wide plist (docs/claude-code-rules.md, section 14: not confirmed by a run).
MDM_USER_PLISTS = "/Library/Managed Preferences"
# How Claude Code reads a managed file (docs/claude-code-rules.md, sections 4 and 8; the same in
# 2.1.285, 2.1.332 and 2.1.337 but the nesting limit, 2.1.332 and later): at most 2 MiB (a larger
# file is skipped with a warning), and values nested deeper than 64 levels are cut.
MAX_SOURCE_BYTES = 2097152
NESTING_LIMIT = 64
# Only names with this ending (and not starting with a dot) are drop-ins (section 7).
DROPIN_SUFFIX = ".json"
# Where a Claude Code CLI is usually installed (npm -g, the native installer's link, Homebrew,
# this collection's install role).
CLI_PATHS = ("/usr/local/bin/claude", "/usr/bin/claude", "/opt/homebrew/bin/claude")

# ------------------------------------------------------------------------------ credentials
# Env variable names that carry credentials: refused unless allow_secrets, never written to rc
# files, masked in output. Source: DOC:settings-reference#env ("values are plain text and reach
# every subprocess; use apiKeyHelper or otelHeadersHelper for credentials"), DOC:authentication.
SECRET_NAME_PATTERN = (
    r"(?i)(API_?KEY|AUTH_?TOKEN|ACCESS_?TOKEN|SESSION_?TOKEN|BEARER|SECRET|PASSW(OR)?D|PASSPHRASE|PRIVATE_?KEY"
    r"|CREDENTIAL|OAUTH_?TOKEN|_HEADERS$|^AWS_ACCESS_KEY_ID$)"
)
# Values that look like credentials whatever the variable is called.
SECRET_VALUE_PATTERN = (
    r"(sk-ant-[A-Za-z0-9_-]{8,}|\bA(KIA|SIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}|"
    r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.|-----BEGIN [A-Z ]*PRIVATE KEY-----|"
    r"\bxox[abprs]-[A-Za-z0-9-]{10,}|\bAIza[0-9A-Za-z_-]{30,})"
)

# The first line of every file and block the collection writes.
MANAGED_HEADER = "Managed by Ansible (fleetpolicy.claude_code). Do not edit: changes are reverted on the next run."
