#!/usr/bin/python
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: managed_settings
short_description: Write Claude Code's managed (policy) settings file and matching shell rc exports
version_added: 1.0.0
description:
  - Writes the JSON document Claude Code reads as its managed (policy) settings, by default
    C(/etc/claude-code/managed-settings.json) on Linux and
    C(/Library/Application Support/ClaudeCode/managed-settings.json) on macOS, or a drop-in
    inside C(managed-settings.d/).
  - Optionally writes persistent exports for login and interactive shells (O(exports)), so that
    shells and tools that do not read the settings file see the same values.
  - Does file mechanics only - plan, diff, check mode, lock, atomic write, backup, drift - and reads
    what Claude Code will read beside the file. It takes content that is already rendered; the
    action M(fleetpolicy.claude_code.apply) computes it from a host's policy on the controller and
    calls this module. Use that action (or the role C(fleetpolicy.claude_code.settings)) unless you
    render the content yourself.
  - Writes atomically (temporary file in the same directory, then rename), sets the file to
    C(0644) owned by root in a C(0755) directory, refuses to follow a symbolic link, serialises
    concurrent runs with a lock on the directory, and removes temporary files an interrupted
    earlier run left behind.
  - Compares content semantically (parsed JSON), so a second run with the same input reports
    no change and touches nothing.
author:
  - fleetpolicy.claude_code contributors (@fleetpolicy)
attributes:
  check_mode:
    support: full
    description: Reports what would change, with a diff and the list of drifted keys, and writes nothing.
  diff_mode:
    support: full
    description: Shows a before/after diff for the settings file and for every rc file.
  platform:
    support: full
    platforms: posix
    description: Linux (Debian, RedHat, Suse and Arch families) and macOS. Not Windows.
options:
  path:
    description:
      - Path of the managed settings file.
      - Defaults to the managed settings path of the target's OS.
      - A path inside a C(managed-settings.d/) directory is a drop-in; its name must end in C(.json).
    type: path
  settings:
    description:
      - The settings document (or, with O(merge=true), the keys to set).
      - Required when O(state=present). Values under C(env) must be strings.
    type: dict
  secrets:
    description:
      - Credentials to put into O(settings), as a mapping of JSON pointer (RFC 6901, for example
        C(/env/ANTHROPIC_API_KEY)) to the value; each pointer names a C(********) placeholder in
        O(settings).
      - Not logged. The action M(fleetpolicy.claude_code.apply) moves every credential of the
        document here, so that the module's invocation log (the host's journal or syslog) and the
        arguments shown with C(-vvv) never hold one. A credential given in O(settings) itself is
        hidden in the module's output, but AnsibleModule logs its arguments before the module can
        tell which of them are credentials.
    type: dict
    default: {}
  merge:
    description:
      - V(false) makes the file exactly O(settings); the file is wholly managed.
      - V(true) sets only the keys in O(settings) (mappings such as C(env) are merged key by key,
        and the rule lists under C(permissions) are joined with the file's own), removes the keys in
        O(purge), and keeps every other key as it is, for a file shared with other tools.
    type: bool
    default: false
  state:
    description:
      - V(present) writes the file and the rc exports.
      - V(absent) removes what this module writes. With O(merge=false) the file is deleted; with
        O(merge=true) only the keys in O(settings) and O(purge) are removed (of a C(permissions)
        rule list, only the rules in O(settings)), and the file is deleted when nothing else is left
        in it. The rc files of the shells in O(exports) are deleted and
        managed blocks removed.
    type: str
    choices: [present, absent]
    default: present
  backup:
    description:
      - Keep a copy of a file before changing or removing it, as C(<file>.<timestamp>.bak) beside
        it, mode C(0600).
      - In the copy of the settings file, values that look like credentials (by variable name or by
        value) are masked as C(********), so that rotated or removed credentials do not live on in
        backups. Re-run with the credentials to restore them.
    type: bool
    default: false
  force:
    description:
      - Replace an existing settings file that is not a valid JSON object. A backup is always
        taken first in that case.
      - Without it such a file is left alone and the module fails.
    type: bool
    default: false
  purge:
    description:
      - Dotted keys to remove with O(merge=true), for example C(env.DISABLE_TELEMETRY) or C(skipWebFetchPreflight).
    type: list
    elements: str
    default: []
  exports:
    description:
      - Persistent shell exports, as a mapping of shell name to the rendered text.
      - V(sh) writes C(/etc/profile.d/claude-code.sh) (login sh, dash and bash); V(bash) a managed block in
        the system bash rc of the OS family; V(zsh) a managed block in the system C(zshenv); V(fish)
        C(/etc/fish/conf.d/claude-code.fish); V(environment_d) C(/etc/environment.d/60-claude-code.conf)
        for systemd user sessions (desktop apps, IDEs).
      - For V(sh), V(fish) and V(environment_d) the text is the whole file; for V(bash) and V(zsh) it is
        the body of the managed block, which the module puts between its markers.
      - With O(state=absent) only the keys matter (the values may be V(null)).
      - Shells with no standard path on the target's OS (see O(shell_paths)) are skipped and listed in RV(skipped_shells).
    type: dict
    default: {}
  shell_paths:
    description:
      - Override the rc file path for some shells, as a mapping of shell name to path.
      - V(bash) and V(zsh) paths get a managed block; the others are whole files.
    type: dict
    default: {}
  cli_paths:
    description:
      - Where to look for the Claude Code CLI, whose version is returned in RV(cli). The first
        executable found is used.
      - Defaults to C(/usr/local/bin/claude), C(/usr/bin/claude) and C(/opt/homebrew/bin/claude).
    type: list
    elements: path
  cli_account:
    description:
      - The account that runs Claude Code on the host, as a user name or a uid. The managed sources
        are judged as that account reads them - Claude Code skips, with a warning, a file it cannot
        read or a folder it cannot pass through or list, even when root (this module) can.
      - Unset - any ordinary account (neither the owner nor in the group of a file); V(root) - no check.
    type: str
  os_family:
    description:
      - The target's OS family, which decides the default paths. Detected from C(/etc/os-release) when omitted.
    type: str
    choices: [Archlinux, Darwin, Debian, RedHat, Suse]
notes:
  - Claude Code reads the first managed source that delivers a policy. A server-managed policy
    (claude.ai admin console) or an MDM profile takes precedence over this file for most keys.
  - Temporary files are named C(.<file>.<random>.tmp) and backups C(<file>.<timestamp>.bak), so Claude Code,
    which reads only C(*.json) in C(managed-settings.d/), ignores both.
seealso:
  - module: fleetpolicy.claude_code.apply
  - plugin: fleetpolicy.claude_code.managed_settings
    plugin_type: filter
  - plugin: fleetpolicy.claude_code.shell_exports
    plugin_type: filter
  - name: Claude Code managed settings
    description: Where Claude Code reads its policy and how sources combine.
    link: https://code.claude.com/docs/en/managed-settings
"""

EXAMPLES = r"""
- name: Deploy settings rendered elsewhere, with the matching login-shell exports
  fleetpolicy.claude_code.managed_settings:
    settings: "{{ {'provider': 'bedrock', 'aws_region': 'us-east-1', 'profile': 'private'} | fleetpolicy.claude_code.managed_settings }}"
    exports:
      sh: "{{ {'CLAUDE_CODE_USE_BEDROCK': '1', 'AWS_REGION': 'us-east-1'} | fleetpolicy.claude_code.shell_exports('sh') }}"

- name: Write a drop-in that only turns telemetry and error reporting off
  fleetpolicy.claude_code.managed_settings:
    path: /etc/claude-code/managed-settings.d/10-telemetry.json
    settings:
      env:
        DISABLE_TELEMETRY: "1"
        DISABLE_ERROR_REPORTING: "1"

- name: Share the file with another tool - touch only our keys, keep a backup
  fleetpolicy.claude_code.managed_settings:
    merge: true
    settings:
      skipWebFetchPreflight: true
    purge:
      - env.DISABLE_UPDATES
    backup: true

- name: Remove everything this module wrote
  fleetpolicy.claude_code.managed_settings:
    state: absent
    exports: {sh: null, bash: null, zsh: null, fish: null, environment_d: null}
"""

RETURN = r"""
path:
  description: The managed settings file.
  returned: always
  type: str
  sample: /etc/claude-code/managed-settings.json
os_family:
  description: The OS family whose paths were used.
  returned: always
  type: str
  sample: Debian
files:
  description: Every file this run manages (settings file first, then rc files).
  returned: always
  type: list
  elements: str
  sample: [/etc/claude-code/managed-settings.json, /etc/profile.d/claude-code.sh]
drift:
  description:
    - What differs between the host and the desired state, one entry per file and key.
      Values of variables that look like credentials are masked.
  returned: always
  type: list
  elements: dict
  contains:
    file:
      description: The file.
      type: str
    key:
      description:
        - A dotted settings key (C(env.DISABLE_TELEMETRY)), a variable name in an rc file, or one of C((file)), C((mode)),
          C((owner)), C((content)).
        - C((folder)) for a folder of a file this module writes that others than root can change (a symbolic link, not
          owned by root, or writable by group or others); a run that writes refuses to write through it.
        - Values of credentials are masked (C(********)); a value too long to show is described instead.
      type: str
    expected:
      description: The desired value, or null when the key should not be there.
      type: raw
    found:
      description: The value on the host, or null when it is missing.
      type: raw
  sample: [{file: /etc/claude-code/managed-settings.json, key: env.DISABLE_TELEMETRY, expected: "1", found: null}]
backup_files:
  description: Backups written by this run.
  returned: always
  type: list
  elements: str
  sample: [/etc/claude-code/managed-settings.json.20261124T101500.bak]
removed_temp_files:
  description: Temporary files of an interrupted earlier run that were cleaned up.
  returned: always
  type: list
  elements: str
other_managed_files:
  description:
    - Other managed settings files that Claude Code reads together with RV(path), in the order it
      reads them - the C(managed-settings.json) beside a drop-in, then every C(*.json) in
      C(managed-settings.d/) in JavaScript's sort order (hidden files, and those Claude Code skips or
      does not list, excluded). Files read after RV(path) can
      override its values; this module does not manage them.
    - Read-only, also in check mode.
    - Policies delivered by the server (claude.ai admin console) or by MDM cannot be seen on the host
      file system and are not listed.
  returned: always
  type: list
  elements: str
  sample: [/etc/claude-code/managed-settings.d/50-vendor.json]
sources:
  description:
    - Every managed source Claude Code reads on this host, in the order it reads them, each read the
      way it reads it (docs/claude-code-rules.md) - the main C(managed-settings.json), every
      C(managed-settings.d/*.json) in JavaScript's sort order (hidden files, other names, folders,
      FIFOs, sockets and devices, which it does not list, follow with RV(sources[].status=ignored)),
      C(managed-mcp.json), and on macOS the MDM preferences of C(com.anthropic.claudecode), each
      account's own (C(/Library/Managed Preferences/<user>/)) and the device's.
    - Only regular files are opened, never blocking, and at most 2 MiB of each is read.
    - Read after this run's changes (in check mode, as they are), also in check mode; never changed.
    - Values under keys that name a credential, and credential-looking text, are masked.
  returned: always
  type: list
  elements: dict
  contains:
    path:
      description: The file.
      type: str
    kind:
      description:
        - V(main), V(dropin), V(mcp), V(plist) (the device's), V(plist-user) (an account's own, with C(user)),
          or V(folder) (the managed or drop-in folder, when Claude Code cannot list or pass through it,
          or when an account other than root can add files to it).
      type: str
    ours:
      description: Whether this is the file the module manages (RV(path)).
      type: bool
    status:
      description:
        - V(ok); V(unparseable) (not a JSON object - Claude Code refuses to start); V(skipped) (Claude
          Code skips it with a warning - a file larger than its 2 MiB limit, a FIFO, socket, device or
          directory reached as the main file or through a link, a file the account of O(cli_account)
          cannot read - see C(reason)); V(ignored) (not a source Claude Code reads - a hidden or
          non-C(.json) name, a name that is not UTF-8, a FIFO, socket, device or directory among the
          drop-ins, which it does not list); or V(unread) (Claude Code reads it, this module did not -
          past the bounds on what one host returns, RV(sources[].error) says which - so the effective
          state cannot be told).
      type: str
    reason:
      description:
        - Why it is skipped or unparseable - V(too-large) (over 2 MiB), V(not-regular) (a FIFO, socket or
          device), V(directory), V(unreadable) (the account of O(cli_account) cannot read it, or cannot
          list or pass through the folder), V(not-json), V(not-plist) - or null.
      type: str
    held:
      description: Who other than root can change it (it or a folder above it is writable by them), or null.
      type: str
    depth:
      description: How deep the document nests (the document itself is 1), or null.
      type: int
    cut:
      description: The top-level keys holding a value nested deeper than 64 levels, which Claude Code 2.1.332 and later ignore (cut from RV(sources[].content)).
      type: list
      elements: str
    outside:
      description: Where the main file leads when it is a link out of the managed folder (Claude Code 2.1.332 and later warn), or null.
      type: str
    sha256:
      description: SHA-256 of the file's bytes, or null.
      type: str
    error:
      description:
        - Why the file is unparseable, skipped, ignored or unread, or null; for an V(ok) file, the keys
          under which a value nests more than 64 levels deep (read as null, as Claude Code 2.1.332
          and later read it).
        - File names and errors are printable - control characters and bytes of a name that are not
          UTF-8 are shown as escapes (C(\x1b), C(\xff)).
      type: str
    content:
      description: The parsed document (masked), or null.
      type: dict
cli:
  description:
    - The Claude Code CLI found at one of O(cli_paths) - C(path), C(version) (or null) and C(how) the
      version was read - or null when none is installed there.
  returned: always
  type: dict
  sample: {path: /usr/local/bin/claude, version: 2.1.332, how: /opt/claude-code/2.1.332/package.json}
skipped_shells:
  description: Shells in O(exports) that have no standard path on this OS family.
  returned: always
  type: list
  elements: str
  sample: [fish, environment_d]
"""

import contextlib
import copy
import json
import os
from typing import NamedTuple

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs, _sources
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S

ARGUMENT_SPEC = dict(
    path=dict(type="path"),
    settings=dict(type="dict"),
    secrets=dict(type="dict", default={}, no_log=True),
    merge=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    backup=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    purge=dict(type="list", elements="str", default=[]),
    exports=dict(type="dict", default={}),
    shell_paths=dict(type="dict", default={}),
    cli_paths=dict(type="list", elements="path"),
    cli_account=dict(type="str"),
    os_family=dict(type="str", choices=list(L.OS_FAMILIES)),
)


# How long a check-mode run waits for the managed directory's lock before it reads without it.
CHECK_LOCK_WAIT = 5.0


class Change(NamedTuple):
    """One file to write (data) or remove (data None). current is (bytes, stat) of the file there
    now, or None; keep keeps its mode and owner (a file shared with others); backup is what a
    backup of it holds, or None for no backup."""

    path: str
    data: bytes | None
    current: tuple | None
    keep: bool = False
    backup: bytes | None = None


# ------------------------------------------------------------------------ content


def _backup_bytes(data, current):
    """What a backup of the settings file keeps: the file as it was, credentials masked."""
    if current is not None:
        masked = S.mask_document(current)
        return data if masked == current else _fs.render_json(masked).encode("utf-8")
    text = data.decode("utf-8", "surrogateescape")
    return S.mask_secrets(text).encode("utf-8", "surrogateescape")


# How much of a file that is not a JSON object its diff shows.
SHOWN_BYTES = 4096
# What one diff side, and one drift value, may hold: a host's file can be large (an rc file up to
# _fs.MAX_OWN_BYTES), and the result goes to the controller and the operator's terminal.
MAX_DIFF_CHARS = 256 * 1024
MAX_DRIFT_CHARS = 4096


def _capped_text(text):
    if len(text) <= MAX_DIFF_CHARS:
        return text
    return text[:MAX_DIFF_CHARS] + "\n... (%d more characters not shown)\n" % (len(text) - MAX_DIFF_CHARS)


def _capped(value):
    """A drift value, or what it is when it is too long to show (MAX_DRIFT_CHARS)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    size = len(value) if isinstance(value, str) else len(json.dumps(value))
    if size <= MAX_DRIFT_CHARS:
        return value
    return "(%s of %d characters, not shown)" % ("text" if isinstance(value, str) else "a value", size)


def _shown_text(data):
    """A file that is not a JSON object, as its diff shows it: the first SHOWN_BYTES, credentials
    masked, control characters escaped."""
    text = S.printable(S.mask_secrets(data[:SHOWN_BYTES].decode("utf-8", "replace")))
    if len(data) > SHOWN_BYTES:
        text += "\n... (%d more bytes not shown)" % (len(data) - SHOWN_BYTES)
    return text + ("" if text.endswith("\n") else "\n")


def _flatten(doc, prefix=""):
    out = {}
    for key, value in doc.items():
        name = prefix + key
        if isinstance(value, dict) and value:
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def _key_drift(path, before, after):
    drift = []
    flat_b, flat_a = _flatten(before), _flatten(after)
    for key in sorted(set(flat_b) | set(flat_a)):
        if flat_b.get(key, None) != flat_a.get(key, None) or (key in flat_b) != (key in flat_a):
            exp, found = flat_a.get(key), flat_b.get(key)
            name = key.rsplit(".", 1)[-1]
            if S.mask_value(name, exp) != exp or S.mask_value(name, found) != found:
                # A rotated credential: neither the new one nor the old one is shown.
                exp = S.mask_keyed(key, exp) if exp is not None else None
                found = S.mask_keyed(key, found) if found is not None else None
            drift.append({"file": path, "key": S.printable(key), "expected": _capped(exp), "found": _capped(found)})
    return drift


# The top-level settings whose rule lists a shared file keeps: ours are added after its own, and
# removing ours leaves its own. The permission rules a profile adds to the policy's
# (plugins/plugin_utils/policy/_facts.py MERGED_SETTINGS); Claude Code joins them across its managed
# sources too (https://code.claude.com/docs/en/permissions). Every other list is replaced.
JOINED_LISTS = ("permissions",)


def _deep_merge(base, ours, joined=False, top=True):
    merged = dict(base)
    for key, value in ours.items():
        current = merged.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            merged[key] = _deep_merge(current, value, joined or (top and key in JOINED_LISTS), False)
        elif joined and isinstance(value, list) and isinstance(current, list):
            merged[key] = current + [item for item in value if item not in current]
        else:
            merged[key] = value
    return merged


def _purge(doc, dotted):
    parts = dotted.split(".")
    node = doc
    for part in parts[:-1]:
        node = node.get(part)
        if not isinstance(node, dict):
            return
    node.pop(parts[-1], None)


def _unmerge(doc, ours, joined=False, top=True):
    """Remove the keys of ours from doc (state=absent in merge mode); of a joined rule list, only our
    rules."""
    result = dict(doc)
    for key, value in ours.items():
        current = result.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            rest = _unmerge(current, value, joined or (top and key in JOINED_LISTS), False)
        elif joined and isinstance(value, list) and isinstance(current, list):
            rest = [item for item in current if item not in value]
        else:
            result.pop(key, None)
            continue
        if rest:
            result[key] = rest
        else:
            result.pop(key)
    return result


def _desired(p: dict, current: dict | None, corrupt: bool) -> dict | None:
    """The settings document this run leaves, or None when the file goes."""
    # A copy: _purge edits in place, and the merged document shares the mappings it did not touch
    # with the file's, which must stay as read to compare and diff against.
    base = copy.deepcopy(current) if current is not None else {}
    ours = p["settings"] or {}
    if p["state"] == "present":
        if not p["merge"]:
            return ours
        desired = _deep_merge(base, ours)
    else:
        if not p["merge"] or corrupt:
            return None
        desired = _unmerge(base, ours)
    for key in p["purge"]:
        _purge(desired, key)
    if p["state"] == "absent" and not [k for k in desired if k != "$schema"]:
        return None
    return desired


def _rc_vars(text, shell):
    found = {}
    for line in text.splitlines():
        match = S.rc_assignment(line, shell)
        if match:
            found[match.group(1)] = line
    return found


def _rc_drift(path, shell, before_text, after_text):
    before, after = _rc_vars(before_text, shell), _rc_vars(after_text, shell)
    drift = []
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            exp, found = after.get(name), before.get(name)
            drift.append(
                {
                    "file": path,
                    "key": name,
                    "expected": S.mask_rc_line(exp, shell) if exp is not None else None,
                    "found": S.mask_rc_line(found, shell) if found is not None else None,
                }
            )
    if not drift and before_text != after_text:
        drift.append({"file": path, "key": "(content)", "expected": "the managed text", "found": "edited text"})
    return drift


# --------------------------------------------------------------------------- plan


class Plan:
    """What this run finds and what it changes, by reading only: drift, diffs, and the changes
    (one Change per file, the managed directory's mode and owner in fix_dir). Any refusal is
    raised here, before anything is written."""

    def __init__(self, params: dict) -> None:
        self.p = params
        self.files: list[str] = []
        self.drift: list[dict] = []
        self.diffs: list[dict] = []
        self.changes: list[Change] = []
        self.fix_dir: str | None = None

    def _presence(self, path, exists, desired):
        if desired is None:
            self.drift.append({"file": path, "key": "(file)", "expected": None, "found": "present"})
        elif not exists:
            self.drift.append({"file": path, "key": "(file)", "expected": "present", "found": None})

    def _diff(self, path, exists, wanted, before, after):
        self.diffs.append(
            {
                "before_header": path if exists else f"{path} (absent)",
                "after_header": path if wanted else f"{path} (absent)",
                "before": _capped_text(before),
                "after": _capped_text(after),
            }
        )

    def _attrs(self, path, st):
        drift = _fs.attrs_drift(st, _fs.FILE_MODE, _fs.want_owner())
        self.drift.extend({"file": path, "key": k, "expected": e, "found": f} for k, e, f in drift)
        return drift

    def folders(self, problems: list[tuple[str, str]]) -> None:
        """Folders of files this run writes that others than root can change: drift (the rollout
        refuses to write through them; changing them is not this module's to do)."""
        expected = "a folder only root can change (not a link, root-owned, writable by its owner only)"
        self.drift.extend(
            {"file": folder, "key": "(folder)", "expected": expected, "found": problem} for folder, problem in problems
        )

    def directory(self, directory: str) -> None:
        """The managed directory's mode and owner (state=present, the directory there)."""
        drift = _fs.attrs_drift(os.lstat(directory), _fs.DIR_MODE, _fs.want_owner())
        self.drift.extend({"file": directory, "key": k, "expected": e, "found": f} for k, e, f in drift)
        if drift:
            self.fix_dir = directory

    def settings(self, path: str) -> None:
        """The settings file: merged, replaced or removed as the options say."""
        p = self.p
        self.files.append(path)
        exists, data, st = _fs.inspect(path)
        current, reason = _fs.parse_json_object(data) if exists else (None, None)
        corrupt = exists and current is None
        if corrupt and not p["force"] and not (p["state"] == "absent" and not p["merge"]):
            raise _fs.FileError(
                f"{path}: {reason}; refusing to overwrite it. Fix the file, or set force: true "
                "(a backup is taken first)"
            )
        desired = _desired(p, current, corrupt)
        changed = (desired is None and exists) or (
            desired is not None and (corrupt or not exists or current != desired)
        )
        if changed:
            self._presence(path, exists, desired)
            if exists and desired is not None:
                if corrupt:
                    self.drift.append({"file": path, "key": "(content)", "expected": "a JSON object", "found": reason})
                else:
                    self.drift.extend(_key_drift(path, current, desired))
            before = (
                _fs.render_json(S.mask_document(current))
                if current is not None
                else (_shown_text(data) if exists else "")
            )
            after = _fs.render_json(S.mask_document(desired)) if desired is not None else ""
            self._diff(path, exists, desired is not None, before, after)
        attrs = self._attrs(path, st) if exists and desired is not None else []
        if attrs and not changed:
            before = "".join(f"{k}: {f}\n" for k, _e, f in attrs)
            self._diff(path, True, True, before, "".join(f"{k}: {e}\n" for k, e, _f in attrs))
        if changed or attrs:
            self.changes.append(
                Change(
                    path,
                    None if desired is None else _fs.render_json(desired).encode("utf-8") if changed else data,
                    (data, st) if exists else None,
                    backup=_backup_bytes(data, current) if changed and exists and (p["backup"] or corrupt) else None,
                )
            )

    def rc(self, shell: str, path: str, layout: str, text: str | None) -> None:
        """One rc file: the whole file (layout `file`) or our block in a shared one (`block`)."""
        present = self.p["state"] == "present"
        self.files.append(path)
        exists, data, st = _fs.inspect(path)
        current = data.decode("utf-8", "surrogateescape") if exists else ""
        if layout == "file":
            desired = text if present else None
        else:
            desired = _fs.with_block(current, _fs.make_block(text) if present else None)
            if not present and (not exists or (not desired.strip() and current != desired)):
                desired = None  # the file held nothing but our block
        changed = (desired is None and exists) or (desired is not None and (not exists or current != desired))
        if changed:
            self._presence(path, exists, desired)
            if exists and desired is not None:
                block = layout == "block"
                before = _fs.find_block(current) or "" if block else current
                self.drift.extend(_rc_drift(path, shell, before, _fs.find_block(desired) or "" if block else desired))
            self._diff(
                path, exists, desired is not None, S.mask_rc_text(current, shell), S.mask_rc_text(desired or "", shell)
            )
        attrs = self._attrs(path, st) if exists and desired is not None and layout == "file" else []
        if changed or attrs:
            backup = None
            if changed and exists and self.p["backup"]:
                backup = S.mask_rc_text(current, shell).encode("utf-8", "surrogateescape")
            self.changes.append(
                Change(
                    path,
                    None if desired is None else desired.encode("utf-8", "surrogateescape"),
                    (data, st) if exists else None,
                    keep=layout == "block",
                    backup=backup,
                )
            )


def apply(module: AnsibleModule, plan: Plan) -> list[str]:
    """Make the plan's changes all or nothing (_fs.Transaction); the backups written."""
    with _fs.Transaction(module) as tx:
        if plan.fix_dir:
            tx.set_dir_attrs(plan.fix_dir)
        for change in plan.changes:
            if change.backup is not None:
                tx.backup(change.path, change.backup)
            if change.data is None:
                tx.remove(change.path)
            else:
                tx.replace(change.path, change.data, change.current, keep=change.keep)
        tx.commit()
    return tx.backups


# ----------------------------------------------------------------------- arguments


def _target(module: AnsibleModule) -> tuple[str | None, str]:
    """The OS family and the settings file path, checked; the credentials in settings made no_log."""
    p = module.params
    family = p["os_family"] or _sources.detect_os_family()
    if family is None and (p["path"] is None or p["exports"]):
        module.fail_json(
            msg="unsupported OS: could not tell the OS family from /etc/os-release; "
            "supported: {} (set os_family, path and shell_paths to use it anyway)".format(", ".join(L.OS_FAMILIES))
        )
    record = L.OS_RECORDS.get(family)
    path = p["path"] or os.path.join(record["managed_dir"], L.MANAGED_FILE)
    p["path"] = path
    if not os.path.isabs(path):
        module.fail_json(msg=f"path: {path!r} is not an absolute path")
    if os.path.basename(os.path.dirname(path)) == L.DROPIN_DIR and not path.endswith(".json"):
        module.fail_json(msg=f"path: {path} is a drop-in and must end in .json (Claude Code reads only *.json there)")
    settings = p["settings"]
    if p["secrets"]:
        wrong = S.join(settings, p["secrets"]) if isinstance(settings, dict) else "secrets: settings is needed"
        if wrong:
            module.fail_json(msg=wrong)
    if settings is not None:
        env = settings.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
            module.fail_json(
                msg="settings.env: every value must be a string (Claude Code's schema); "
                "compute settings with fleetpolicy.claude_code.apply or the managed_settings filter"
            )
        S.collect(settings, module.no_log_values)
    return family, path


def _rc_targets(module: AnsibleModule, family: str | None) -> tuple[list[tuple], list[str]]:
    """([(shell, path, layout, text)], skipped shells) for O(exports), checked."""
    p = module.params
    paths = dict(L.OS_RECORDS[family]["rc"]) if family in L.OS_RECORDS else {}
    for shell, path in (p["shell_paths"] or {}).items():
        if shell not in L.SHELL_RECORDS:
            module.fail_json(msg="shell_paths: unknown shell {!r}; allowed: {}".format(shell, ", ".join(L.SHELLS)))
        if not isinstance(path, str) or not os.path.isabs(path):
            module.fail_json(msg=f"shell_paths.{shell}: {path!r} is not an absolute path")
        paths[shell] = path
    targets, skipped = [], []
    for shell, text in (p["exports"] or {}).items():
        record = L.SHELL_RECORDS.get(shell)
        if record is None:
            module.fail_json(msg="exports: unknown shell {!r}; allowed: {}".format(shell, ", ".join(L.SHELLS)))
        if p["state"] == "present" and not isinstance(text, str):
            module.fail_json(
                msg=f"exports.{shell}: the rendered text of the exports (a string) is needed with state=present"
            )
        if shell in paths:
            targets.append((shell, paths[shell], record["layout"], text))
        else:
            skipped.append(shell)
    return targets, skipped


def _folder_problems(path: str, targets: list[tuple]) -> list[tuple[str, str]]:
    """safe_folder_problems() of the settings file (its folder is the managed directory) and of
    every rc file, each folder once."""
    problems = _fs.safe_folder_problems(path, own_folder=True)
    for _shell, rc_path, _layout, _text in targets:
        problems.extend(p for p in _fs.safe_folder_problems(rc_path) if p not in problems)
    return problems


def _read_sources(module: AnsibleModule, path: str, family: str | None) -> dict:
    """_sources.read(), which never fails the host: this runs after the files are replaced."""
    try:
        return _sources.read(module, path, family, module.params["cli_paths"], module.params["cli_account"])
    except Exception as exc:  # anything a hostile host holds must leave a judged host, not a failed one
        entry = _sources.entry(
            path, "main", path, status="unread", error="the managed sources could not be read: %s" % exc
        )
        return {"sources": [S.shown(entry)], "other_managed_files": [], "cli": None}


def main() -> None:
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC, required_if=[("state", "present", ("settings",))], supports_check_mode=True
    )
    p = module.params
    try:
        _sources.account(p["cli_account"])
    except ValueError as exc:
        module.fail_json(msg=f"cli_account: {exc}")
    family, path = _target(module)
    targets, skipped = _rc_targets(module, family)
    plan = Plan(p)
    backups, removed = [], []
    writes = not module.check_mode
    directory = os.path.dirname(path)
    try:
        problems = _folder_problems(path, targets)
        if problems and writes:
            raise _fs.FileError(
                "refusing to write through a folder that others than root can change: "
                + "; ".join(f"{folder} is {problem}" for folder, problem in problems)
            )
        plan.folders(problems)
        # Every run that writes holds the managed directory's lock from its first read to its last
        # write (a first run makes the directory to lock it, and removes it again if it fails). A
        # check-mode run waits for it a short while, then reads without it (it changes nothing).
        if any(folder == directory for folder, _problem in problems):
            held = contextlib.nullcontext(False)  # check mode: a link is reported, not locked
        else:
            held = _fs.lock(
                directory,
                create=writes and p["state"] == "present",
                wait=None if writes else CHECK_LOCK_WAIT,
                optional=not writes,
            )
        with held as locked:
            if p["state"] == "present" and os.path.isdir(directory) and not os.path.islink(directory):
                plan.directory(directory)
            plan.settings(path)
            for target in targets:
                plan.rc(*target)
            if writes and locked:
                for managed in plan.files:
                    removed.extend(_fs.remove_stale(os.path.dirname(managed), _fs.temp_prefix(managed)))
            if writes and (plan.changes or plan.fix_dir):
                backups = apply(module, plan)
    except (_fs.FileError, OSError) as exc:
        module.fail_json(msg=S.printable(_fs.describe(exc, path)), drift=plan.drift, backup_files=[], path=path)
    result = dict(
        changed=bool(plan.changes or plan.fix_dir),
        path=path,
        os_family=family,
        files=plan.files,
        drift=plan.drift,
        backup_files=backups,
        removed_temp_files=removed,
        skipped_shells=skipped,
    )
    result.update(_read_sources(module, path, family))  # after this run's changes
    if module._diff and plan.diffs:
        # Only when a file differs: with a diff key, even an empty one, ansible-playbook sends
        # every host's result to the diff callbacks (a copy of the whole result per host).
        result["diff"] = plan.diffs
    module.exit_json(**result)


if __name__ == "__main__":
    main()
