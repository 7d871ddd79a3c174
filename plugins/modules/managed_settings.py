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
  merge:
    description:
      - V(false) makes the file exactly O(settings); the file is wholly managed.
      - V(true) sets only the keys in O(settings) (mappings such as C(env) are merged key by key),
        removes the keys in O(purge), and keeps every other key as it is, for a file shared with
        other tools.
    type: bool
    default: false
  state:
    description:
      - V(present) writes the file and the rc exports.
      - V(absent) removes what this module writes. With O(merge=false) the file is deleted; with
        O(merge=true) only the keys in O(settings) and O(purge) are removed, and the file is deleted
        when nothing else is left in it. The rc files of the shells in O(exports) are deleted and
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
      description: A dotted settings key (C(env.DISABLE_TELEMETRY)), a variable name in an rc file, or one of C((file)), C((mode)), C((owner)), C((content)).
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
      C(managed-settings.d/) alphabetically (hidden files excluded). Files read after RV(path) can
      override its values; this module does not manage them.
    - Found with one C(stat) and one directory listing; read-only, also in check mode.
    - Policies delivered by the server (claude.ai admin console) or by MDM cannot be seen on the host
      file system and are not listed.
  returned: always
  type: list
  elements: str
  sample: [/etc/claude-code/managed-settings.d/50-vendor.json]
sources:
  description:
    - Every managed source Claude Code reads on this host, in the order it reads them - the main
      C(managed-settings.json), every C(managed-settings.d/*.json) in alphabetical order (hidden
      files and other names are listed with RV(sources[].status=ignored)), C(managed-mcp.json), and
      on macOS the MDM preferences of C(com.anthropic.claudecode) when their file can be seen.
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
      description: V(main), V(dropin), V(mcp) or V(plist).
      type: str
    ours:
      description: Whether this is the file the module manages (RV(path)).
      type: bool
    status:
      description: V(ok), V(unparseable) (Claude Code refuses to start), V(unreadable) or V(ignored).
      type: str
    sha256:
      description: SHA-256 of the file's bytes, or null.
      type: str
    error:
      description: Why the file is unparseable, unreadable or ignored, or null.
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

import os
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _files
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S


def _backup_bytes(data, current):
    """What a backup of the settings file keeps: the file as it was, credentials masked."""
    if current is not None:
        masked = S.mask_document(current)
        return data if masked == current else _files.render_json(masked).encode("utf-8")
    text = data.decode("utf-8", "surrogateescape")
    return S.mask_secrets(text).encode("utf-8", "surrogateescape")


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
            var = key[4:] if key.startswith("env.") else ""
            if var and (
                (isinstance(exp, str) and S.looks_like_secret(var, exp))
                or (isinstance(found, str) and S.looks_like_secret(var, found))
            ):
                exp = S.MASK if exp is not None else None
                found = S.MASK if found is not None else None
            drift.append({"file": path, "key": key, "expected": exp, "found": found})
    return drift


def _deep_merge(base, ours):
    merged = dict(base)
    for key, value in ours.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
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


def _unmerge(doc, ours):
    """Remove the keys of ours from doc (state=absent in merge mode)."""
    result = dict(doc)
    for key, value in ours.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            rest = _unmerge(result[key], value)
            if rest:
                result[key] = rest
            else:
                result.pop(key)
        else:
            result.pop(key, None)
    return result


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


class Run:
    def __init__(self, module):
        self.module = module
        self.p = module.params
        self.changes = []  # callables to apply, in order
        self.drift = []
        self.diffs = []
        self.backups = []
        self.files = []
        self.removed_temps = []
        self.skipped = []

    def fail(self, msg):
        self.module.fail_json(msg=msg, drift=self.drift, backup_files=self.backups, path=self.p.get("path"))

    # ------------------------------------------------------------------ settings file
    def plan_settings(self, path):
        p = self.p
        self.files.append(path)
        exists, data, st = _files.inspect(path)
        current, reason = (None, None)
        if exists:
            current, reason = _files.parse_json_object(data)
        corrupt = exists and current is None
        if corrupt and not p["force"] and not (p["state"] == "absent" and not p["merge"]):
            raise _files.FileError(
                f"{path}: {reason}; refusing to overwrite it. Fix the file, or set force: true "
                "(a backup is taken first)"
            )
        base = current if current is not None else {}
        ours = p["settings"] or {}
        if p["state"] == "present":
            if not p["merge"]:
                desired = ours
            else:
                desired = _deep_merge(base, ours)
                for key in p["purge"]:
                    _purge(desired, key)
        else:
            if not p["merge"] or corrupt:
                desired = None
            else:
                desired = _unmerge(base, ours)
                for key in p["purge"]:
                    _purge(desired, key)
                if not [k for k in desired if k != "$schema"]:
                    desired = None

        before_text = (
            _files.render_json(S.mask_document(current))
            if current is not None
            else (data.decode("utf-8", "replace") if exists else "")
        )
        after_text = _files.render_json(S.mask_document(desired)) if desired is not None else ""
        content_changed = (desired is None and exists) or (
            desired is not None and (corrupt or not exists or current != desired)
        )
        if content_changed:
            if desired is None:
                self.drift.append({"file": path, "key": "(file)", "expected": None, "found": "present"})
            elif not exists:
                self.drift.append({"file": path, "key": "(file)", "expected": "present", "found": None})
            elif corrupt:
                self.drift.append({"file": path, "key": "(content)", "expected": "a JSON object", "found": reason})
            else:
                self.drift.extend(_key_drift(path, current, desired))
            self.diffs.append(
                {
                    "before_header": path if exists else f"{path} (absent)",
                    "after_header": path if desired is not None else f"{path} (absent)",
                    "before": before_text,
                    "after": after_text,
                }
            )
        attr_drift = []
        if desired is not None and exists:
            attr_drift = _files.attrs_drift(st, _files.FILE_MODE, _files.want_owner())
            for key, exp, found in attr_drift:
                self.drift.append({"file": path, "key": key, "expected": exp, "found": found})
        if desired is not None and not content_changed and attr_drift:
            self.diffs.append(
                {
                    "before_header": path,
                    "after_header": path,
                    "before": "".join(f"{k}: {f}\n" for k, _e, f in attr_drift),
                    "after": "".join(f"{k}: {e}\n" for k, e, _f in attr_drift),
                }
            )
        want_backup = exists and (content_changed or attr_drift) and (p["backup"] or corrupt)

        def apply():
            if want_backup and content_changed:
                self.backups.append(_files.backup(path, _backup_bytes(data, current)))
            if desired is None:
                if exists:
                    _files.remove(path)
                return
            if content_changed:
                payload = _files.render_json(desired).encode("utf-8")
                _files.atomic_write(path, payload, mover=self._mover)
            else:
                _files.set_attrs(path)

        if content_changed or attr_drift:
            self.changes.append(apply)

    def _mover(self, src, dest):
        self.module.atomic_move(src, dest, unsafe_writes=False)

    # ------------------------------------------------------------------------ rc files
    def plan_rc(self, family):
        p = self.p
        paths = dict(L.OS_RECORDS[family]["rc"]) if family in L.OS_RECORDS else {}
        for shell, path in (p["shell_paths"] or {}).items():
            if shell not in L.SHELL_RECORDS:
                self.fail("shell_paths: unknown shell {!r}; allowed: {}".format(shell, ", ".join(L.SHELLS)))
            if not isinstance(path, str) or not os.path.isabs(path):
                self.fail(f"shell_paths.{shell}: {path!r} is not an absolute path")
            paths[shell] = path
        present = p["state"] == "present"
        for shell, text in (p["exports"] or {}).items():
            record = L.SHELL_RECORDS.get(shell)
            if record is None:
                self.fail("exports: unknown shell {!r}; allowed: {}".format(shell, ", ".join(L.SHELLS)))
            if present and not isinstance(text, str):
                self.fail(f"exports.{shell}: the rendered text of the exports (a string) is needed with state=present")
            if shell not in paths:
                self.skipped.append(shell)
                continue
            path, kind = paths[shell], record["layout"]
            self.files.append(path)
            exists, data, st = _files.inspect(path)
            current = data.decode("utf-8", "surrogateescape") if exists else ""
            if kind == "file":
                desired = text if present else None
            else:
                desired = _files.with_block(current, _files.make_block(text) if present else None)
                if not present and (not exists or (not desired.strip() and current != desired)):
                    desired = None  # the file held nothing but our block
            self._plan_text(path, shell, kind, exists, current, st, desired)

    def _plan_text(self, path, shell, kind, exists, text, st, desired):
        content_changed = (desired is None and exists) or (desired is not None and (not exists or text != desired))
        attr_drift = []
        if desired is not None and exists and kind == "file":
            attr_drift = _files.attrs_drift(st, _files.FILE_MODE, _files.want_owner())
        if content_changed:
            if desired is None:
                self.drift.append({"file": path, "key": "(file)", "expected": None, "found": "present"})
            elif not exists:
                self.drift.append({"file": path, "key": "(file)", "expected": "present", "found": None})
            else:
                self.drift.extend(
                    _rc_drift(
                        path,
                        shell,
                        _files.find_block(text) or "" if kind == "block" else text,
                        _files.find_block(desired) or "" if kind == "block" else desired,
                    )
                )
            self.diffs.append(
                {
                    "before_header": path if exists else f"{path} (absent)",
                    "after_header": path if desired is not None else f"{path} (absent)",
                    "before": S.mask_rc_text(text, shell),
                    "after": S.mask_rc_text(desired or "", shell),
                }
            )
        for key, exp, found in attr_drift:
            self.drift.append({"file": path, "key": key, "expected": exp, "found": found})
        want_backup = self.p["backup"] and exists and content_changed

        def apply():
            if want_backup:
                self.backups.append(_files.backup(path, text.encode("utf-8", "surrogateescape")))
            if desired is None:
                if exists:
                    _files.remove(path)
                return
            if content_changed:
                _files.ensure_dir(os.path.dirname(path), [])
                payload = desired.encode("utf-8", "surrogateescape")
                if kind == "block" and exists:
                    _files.atomic_write_keep(path, payload, st)
                else:
                    _files.atomic_write(path, payload)
            elif attr_drift:
                _files.set_attrs(path)

        if content_changed or attr_drift:
            self.changes.append(apply)


def _version_command(module):
    """A runner of `claude --version` with an empty HOME, the opt-outs set and a time limit:
    it reads, and changes nothing."""

    def run(argv):
        home = tempfile.mkdtemp(prefix="claude-version-")
        limit = shutil.which("timeout")
        try:
            return module.run_command(
                ([limit, "20"] if limit else []) + list(argv),
                check_rc=False,
                environ_update={
                    "HOME": home,
                    "DISABLE_TELEMETRY": "1",
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
                    "DISABLE_AUTOUPDATER": "1",
                },
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)

    return run


def default_path(family):
    record = L.OS_RECORDS.get(family)
    return os.path.join(record["managed_dir"], L.MANAGED_FILE) if record else None


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="path"),
            settings=dict(type="dict"),
            merge=dict(type="bool", default=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            backup=dict(type="bool", default=False),
            force=dict(type="bool", default=False),
            purge=dict(type="list", elements="str", default=[]),
            exports=dict(type="dict", default={}),
            shell_paths=dict(type="dict", default={}),
            cli_paths=dict(type="list", elements="path"),
            os_family=dict(type="str", choices=list(L.OS_FAMILIES)),
        ),
        required_if=[("state", "present", ("settings",))],
        supports_check_mode=True,
    )
    p = module.params
    family = p["os_family"] or _files.detect_os_family()
    if family is None and (p["path"] is None or p["exports"]):
        module.fail_json(
            msg="unsupported OS: could not tell the OS family from /etc/os-release; "
            "supported: {} (set os_family, path and shell_paths to use it anyway)".format(", ".join(L.OS_FAMILIES))
        )
    path = p["path"] or default_path(family)
    p["path"] = path
    if not os.path.isabs(path):
        module.fail_json(msg=f"path: {path!r} is not an absolute path")
    if os.path.basename(os.path.dirname(path)) == L.DROPIN_DIR and not path.endswith(".json"):
        module.fail_json(msg=f"path: {path} is a drop-in and must end in .json (Claude Code reads only *.json there)")
    settings = p["settings"]
    if settings is not None:
        env = settings.get("env", {})
        if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
            module.fail_json(
                msg="settings.env: every value must be a string (Claude Code's schema); "
                "compute settings with fleetpolicy.claude_code.apply or the managed_settings filter"
            )
        for name, value in env.items():
            if S.looks_like_secret(name, value):
                module.no_log_values.add(value)
        S.collect(settings, module.no_log_values)

    run = Run(module)
    directory = os.path.dirname(path)
    created = []
    try:
        if os.path.lexists(directory) and (os.path.islink(directory) or not os.path.isdir(directory)):
            raise _files.FileError(
                f"{directory} exists and is not a directory (or is a symbolic link); refusing to use it"
            )
        if not os.path.isdir(directory) and p["state"] == "present" and not module.check_mode:
            # First run on this host: plan once, so that any refusal still happens before anything
            # is written, then create the directory and take its lock like every later run. Runs
            # that write unlocked race each other (and a locked run's stale-temp cleanup).
            dry_run = Run(module)
            dry_run.plan_settings(path)
            dry_run.plan_rc(family)
            if dry_run.changes:
                _files.ensure_dir(directory, created)
        lock = _files.DirLock(directory) if os.path.isdir(directory) else None
        if lock:
            lock.__enter__()
        try:
            if lock and p["state"] == "present":
                for key, exp, found in _files.attrs_drift(os.stat(directory), _files.DIR_MODE, _files.want_owner()):
                    run.drift.append({"file": directory, "key": key, "expected": exp, "found": found})
                    if not run.changes:
                        run.changes.append(lambda d=directory: _files.set_dir_attrs(d))
            # Plan everything first (reads only): any refusal happens before anything is written.
            run.plan_settings(path)
            run.plan_rc(family)
            if not module.check_mode:
                if lock:
                    for managed in run.files:  # the settings file and every rc file
                        run.removed_temps.extend(_files.remove_stale_temps(managed))
                if run.changes and p["state"] == "present":
                    _files.ensure_dir(directory, created)
                for apply in run.changes:
                    apply()
        finally:
            if lock:
                lock.__exit__(None, None, None)
    except (_files.FileError, OSError) as exc:
        msg = (
            str(exc)
            if isinstance(exc, _files.FileError)
            else "{}: {}".format(getattr(exc, "filename", None) or path, exc)
        )
        run.fail(msg)

    changed = bool(run.changes)
    sources = []
    for entry in _files.managed_sources(path, family):
        if entry["content"] is not None:
            entry["content"] = S.mask_deep(entry["content"])
        sources.append(entry)
    result = dict(
        changed=changed,
        path=path,
        os_family=family,
        files=run.files,
        drift=run.drift,
        backup_files=run.backups,
        removed_temp_files=run.removed_temps,
        skipped_shells=run.skipped,
        other_managed_files=[
            e["path"] for e in sources if e["kind"] in ("main", "dropin") and not e["ours"] and e["status"] != "ignored"
        ],
        sources=sources,
        cli=_files.cli_version(p["cli_paths"] or L.CLI_PATHS, _version_command(module)),
    )
    if module._diff and run.diffs:
        # Only when a file differs: with a diff key, even an empty one, ansible-playbook sends
        # every host's result to the diff callbacks (a copy of the whole result per host).
        result["diff"] = run.diffs
    module.exit_json(**result)


if __name__ == "__main__":
    main()
