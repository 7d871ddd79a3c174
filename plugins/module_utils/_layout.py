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
# need an explicit path; /etc is a symbolic link to /private/etc there, and the module never
# writes through a linked folder (_fs.safe_folder_problems), so the rc files are named where
# they are.
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
        "rc": {"bash": "/private/etc/bashrc", "zsh": "/private/etc/zshenv"},
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
# What Claude Code does with a managed source it cannot use (CLI 2.1.285 to 2.1.337, recorded with
# `claude doctor` in docs/claude-code-rules.md; a name that is not UTF-8 with 2.1.332 and
# scripts/claude-doctor.sh): a file larger than MANAGED_FILE_MAX_BYTES ("File exceeds maxBytes
# limit"), a FIFO, socket or device ("Not a regular file"), also behind a link, a directory, and a
# drop-in whose name is not UTF-8 are not read, and the CLI starts without them.
MANAGED_FILE_MAX_BYTES = 2097152
# Only names with this ending (and not starting with a dot) are drop-ins (section 7).
DROPIN_SUFFIX = ".json"
# Where a Claude Code CLI is usually installed (npm -g, the native installer's link, Homebrew,
# this collection's install role).
CLI_PATHS = ("/usr/local/bin/claude", "/usr/bin/claude", "/opt/homebrew/bin/claude")

# ------------------------------------------------------------------------------ credentials
# What a credential looks like, wherever it sits: an env value, a nested settings key, an MCP
# server's headers, a URL's user part. _secrets applies these rules; nothing else decides.
# Source: DOC:settings-reference#env ("values are plain text and reach every subprocess; use
# apiKeyHelper or otelHeadersHelper for credentials"), DOC:authentication, RFC 3986 section 3.2.1
# (userinfo: "Use of the format user:password in the userinfo field is deprecated"), RFC 6750
# (Bearer) and RFC 7617 (Basic) for Authorization values.
#
# By name. A name (ANTHROPIC_API_KEY, apiKey, X-Api-Key, Authorization) is split into words at
# underscores, hyphens, dots and case changes. It names a credential when it holds a word of
# SECRET_WORDS or a word ending in one of SECRET_SUFFIXES (bearertoken, dbpassword), a pair of
# SECRET_WORD_PAIRS in a row, or ends in a word of SECRET_LAST_WORDS; unless a word of SECRET_QUALIFIERS comes after the last such
# word: apiKeyHelper, awsCredentialExport, CLAUDE_CODE_API_KEY_HELPER_TTL_MS and tokenFile name
# something about a credential (a command, a duration, a path), not a credential.
SECRET_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "authorization",
    "cookie",
    "bearer",
    "apikey",
)
SECRET_SUFFIXES = ("token", "secret", "password", "passwd", "apikey")
SECRET_WORD_PAIRS = (("api", "key"), ("private", "key"), ("access", "key"), ("auth", "key"), ("secret", "key"))
# *_HEADERS variables carry whole header lines (ANTHROPIC_CUSTOM_HEADERS, OTEL_EXPORTER_OTLP_HEADERS).
SECRET_LAST_WORDS = ("headers",)
SECRET_QUALIFIERS = (
    "helper",
    "export",
    "refresh",
    "command",
    "cmd",
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "name",
    "type",
    "ttl",
    "ms",
    "timeout",
    "threshold",
    "usage",
    "limit",
    "budget",
    "debounce",
    "expiry",
    "expires",
    "length",
    "size",
    "count",
    "enabled",
    "disabled",
    "lock",
    "port",
)
# A value that cannot hold a credential, whatever its name says: an on/off switch (Claude Code
# reads CLAUDE_CODE_GATEWAY_HINT_HEADERS=1 as a switch), or nothing but references to variables
# and an auth scheme ("Bearer ${API_TOKEN}": the MCP configuration expands it where it runs).
SWITCH_LITERALS = ("", "0", "1", "true", "false", "yes", "no", "on", "off")
# Names the rule above takes for credentials that hold none: switches and numbers, whatever their
# value (DOC:env-vars: CLAUDE_CODE_GATEWAY_HINT_HEADERS "1 = send gateway hint headers";
# CLAUDE_CODE_API_KEY_HELPER_TTL_MS a time in milliseconds; the CLI reads
# CLAUDE_CODE_LAUNCHER_RUNS_API_KEY_HELPER as a boolean). The qualifiers spare the last two already;
# tests/unit/plugins/plugin_utils/test_gateway_hint_headers.py keeps this list to names the names
# table (plugin_utils/policy/cli_names.json) types as a boolean or a number.
NOT_SECRET_NAMES = frozenset(
    (
        "CLAUDE_CODE_GATEWAY_HINT_HEADERS",
        "CLAUDE_CODE_API_KEY_HELPER_TTL_MS",
        "CLAUDE_CODE_LAUNCHER_RUNS_API_KEY_HELPER",
    )
)
# By value, whatever the name: (label, pattern). A pattern with a group named `secret` marks only
# that part (a URL keeps its scheme and host when masked); otherwise the whole match.
SECRET_VALUE_PATTERNS = (
    ("an Anthropic API key", r"sk-ant-[A-Za-z0-9_-]{8,}"),
    ("an AWS access key ID", r"\bA(?:KIA|SIA)[0-9A-Z]{16}\b"),
    ("a GitHub token", r"\bgh[pousr]_[A-Za-z0-9]{20,}"),
    ("a JSON Web Token", r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*"),
    ("a private key", r"-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----|[\s\S]*)"),
    ("a Slack token", r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),
    ("a Google API key", r"\bAIza[0-9A-Za-z_-]{30,}"),
    # scheme://user:password@host: the password may hold an unencoded @; the last @ before the
    # path ends the user part, as urllib.parse.urlsplit reads it.
    ("a URL with a password in its user part", r"(?<=://)(?P<secret>[^\s/?#:@]*:[^\s/?#]+)(?=@)"),
    (
        "an Authorization value (Bearer or Basic)",
        r"(?i)(?:(?<=bearer )|(?<=basic ))(?P<secret>[A-Za-z0-9._~+/-]{8,}=*)",
    ),
    (
        "a URL with a credential in its query",
        r"(?i)[?&](?:api[_-]?key|access[_-]?token|auth[_-]?token|token|secret|client[_-]?secret|password|passwd"
        r"|sig|signature)=(?P<secret>[^&#\s]+)",
    ),
)

# The first line of every file and block the collection writes.
MANAGED_HEADER = "Managed by Ansible (fleetpolicy.claude_code). Do not edit: changes are reverted on the next run."
