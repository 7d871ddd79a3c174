# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin for fleetpolicy.claude_code.mdm_artifacts (documentation in plugins/modules/mdm_artifacts.py).

Runs on the controller only, once for the play: reads each host's policy from its variables, as
the apply action reads them (claude_code_<field>), validates it with the same policy core
(`_policy.compute`), checks what an MDM artifact cannot carry, sorts the hosts into targets (a
group or a host each), renders every artifact in memory, and only then writes them. A bad input
anywhere fails the task with one message naming the host and the variable, and nothing is
written. It never connects to a host.
"""

from __future__ import annotations

import hashlib
import json
import re

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import (
    KNOWN_VARIABLES,
    ROLE_VARIABLES,
    unknown_variable,
)
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._fs import render_json
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import mark_vaulted
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.mdm import (
    _document,
    _intune,
    _manifest,
    _plist,
    _registry,
    _targets,
    _write,
)
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._errors import kind
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import (
    POLICY_FIELDS,
    PolicyError,
    compute,
    suggest,
)

NAME = "fleetpolicy.claude_code.mdm_artifacts"
ARGUMENT_SPEC = dict(
    hosts=dict(type="list", elements="str", required=True),
    dest=dict(type="path"),
    by=dict(type="str", choices=list(_targets.BY), default="group"),
    identifier=dict(type="str", default=_plist.DEFAULT_IDENTIFIER),
    organization=dict(type="str"),
    display_name=dict(type="str", default=_plist.DEFAULT_DISPLAY_NAME),
)
_VALIDATOR = ArgumentSpecValidator(ARGUMENT_SPEC)
PREFIX = "claude_code_"
MANAGED_SETTINGS_FILE = "managed-settings.json"
# Each artifact: its key in the manifest, its file name. One directory per target.
ARTIFACTS = (
    ("macos_profile", _plist.PROFILE_FILE),
    ("macos_custom_settings", _plist.CUSTOM_SETTINGS_FILE),
    ("windows_reg", _registry.REG_FILE),
    ("windows_registry_value", _registry.VALUE_FILE),
    ("intune_script", _intune.SCRIPT_FILE),
    ("managed_settings", MANAGED_SETTINGS_FILE),
)
ARTIFACT_NAMES = frozenset(entry[1] for entry in ARTIFACTS)
# The role's variable for each option, named in refusals.
OPTION_VARIABLES = {
    "dest": "claude_code_mdm_dir",
    "by": "claude_code_mdm_by",
    "identifier": "claude_code_mdm_identifier",
    "organization": "claude_code_mdm_organization",
    "display_name": "claude_code_mdm_display_name",
}
_IDENTIFIER = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?)*\Z"
)


def check_options(args: dict) -> str | None:
    """The first mistake in the export's own options, as a message naming the role's variable, or None."""

    def named(option):
        return f"{OPTION_VARIABLES[option]} (option {option})"

    by = args.get("by")
    if by is not None and by not in _targets.BY:
        return f"{named('by')}: got {by!r}; allowed: {', '.join(_targets.BY)}{suggest(by, _targets.BY)}"
    for option in ("identifier", "organization", "display_name"):
        value = args.get(option)
        if value is not None and not isinstance(value, str):
            return f"{named(option)}: got {kind(value)}; allowed: text"
    identifier = args.get("identifier")
    if identifier is not None and (len(identifier) > 200 or not _IDENTIFIER.match(identifier)):
        return f"{named('identifier')}: got {identifier!r}; allowed: a reverse-DNS name such as com.example.claudecode"
    for option in ("organization", "display_name"):
        value = args.get(option)
        if value is not None and (not _document.xml_safe(value) or (option == "display_name" and not value.strip())):
            return f"{named(option)}: got {value!r}; allowed: text without control characters"
    return None


def variable(field: str) -> str:
    """The host variable a policy field is read from (the settings role's own name for it)."""
    return ROLE_VARIABLES[field]


POLICY_VARIABLES = {variable(field): field for field in POLICY_FIELDS}


class HostError(Exception):
    """Bad input on one host: the message names the host and the variable."""

    def __init__(self, host: str, text: str):
        super().__init__(f"host {host}: {text}")


def read_policy(hostvars, host: str) -> dict | None:
    """The host's policy from its claude_code_<field> variables (templated), or None when the host
    has claude_code_settings_state absent. Raises HostError for an old, unknown or broken variable."""
    if host not in hostvars:
        raise HostError(host, "not in the inventory")
    raw = hostvars.raw_get(host)
    names = sorted(n for n in raw if isinstance(n, str) and n.startswith(PREFIX))
    for name in names:
        if name not in KNOWN_VARIABLES:
            raise HostError(host, unknown_variable(name))
    values = hostvars[host]

    def get(name):
        try:
            return values[name] if name in raw else None
        except AnsibleError as exc:
            raise HostError(host, f"variable {name}: {exc.message}")

    state = get(ROLE_VARIABLES["state"])
    if state not in (None, "present", "absent"):
        raise HostError(host, f"variable {ROLE_VARIABLES['state']}: got {state!r}; allowed: present, absent")
    if state == "absent":
        return None
    policy = {}
    for name, field in POLICY_VARIABLES.items():
        value = get(name)
        if value is not None:
            policy[field] = value
    return policy


def validate(host: str, policy: dict) -> dict:
    """compute() and the MDM checks for one host: computed, plus "registry_value"."""
    try:
        computed = compute(mark_vaulted(policy))
        registry_value = _document.check(computed["settings"])
    except PolicyError as exc:
        raise HostError(host, exc.describe(variable(exc.root)))
    return dict(computed, registry_value=registry_value)


def _summary(computed: dict) -> str:
    policy = computed["policy"]
    head = policy["provider"] + (" " + policy["plan"] if policy.get("plan") else "")
    return f"{head}, profile {policy['profile']}"


def render_target(target: dict, computed: dict, options: dict) -> tuple[dict, dict]:
    """A target's files ({relative path: (bytes, mode)}) and its manifest entry."""
    name = target["name"]
    settings = computed["settings"]
    summary = _summary(computed)
    identifier = f"{options['identifier']}.{name}"
    profile, identifiers = _plist.profile(
        settings,
        identifier=identifier,
        display_name=f"{options['display_name']} ({name})",
        description=f"Claude Code managed settings ({summary}), from the fleetpolicy.claude_code collection.",
        organization=options.get("organization"),
    )
    content = {
        "macos_profile": profile,
        "macos_custom_settings": _plist.custom_settings(settings),
        "windows_reg": _registry.reg_file(computed["registry_value"]),
        "windows_registry_value": _registry.value_file(computed["registry_value"]),
        "intune_script": _intune.platform_script(settings, f"{target['kind']} {name}", summary),
        "managed_settings": render_json(settings).encode("utf-8"),
    }
    credentials = sorted(set(computed["env"]) - set(computed["rc_env"]))
    # Files that may hold credentials (allow_secrets) are for the controller's user alone.
    mode = 0o600 if computed["policy"].get("allow_secrets") else 0o644
    directory = f"{_targets.KINDS[target['kind']]}/{name}"
    files = {}
    listed = {}
    for key, filename in ARTIFACTS:
        relative = f"{directory}/{filename}"
        files[relative] = (content[key], mode)
        listed[key] = {"path": relative, "sha256": hashlib.sha256(content[key]).hexdigest()}
    entry = _manifest.target_entry(target, listed, computed, identifiers, credentials)
    return files, entry


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)

        def failed(text):
            result.update(failed=True, changed=False, msg=f"{NAME}: {text}")
            return result

        mistake = check_options(self._task.args)
        if mistake:
            return failed(mistake)
        validation = _VALIDATOR.validate(self._task.args)
        if validation.error_messages:
            return failed("; ".join(validation.error_messages))
        args = validation.validated_parameters
        if not args.get("dest"):
            return failed("no directory to write to: set claude_code_mdm_dir (-e claude_code_mdm_dir=DIR)")
        hostvars = task_vars.get("hostvars") or {}
        groups = {str(g): [str(h) for h in (members or ())] for g, members in (task_vars.get("groups") or {}).items()}

        computed_by_host = {}
        absent = []
        try:
            for host in sorted(set(args["hosts"])):
                policy = read_policy(hostvars, host)
                if policy is None:
                    absent.append(host)
                    continue
                computed_by_host[host] = validate(host, policy)
            keys = {
                host: json.dumps([c["settings"], c["posture"]], sort_keys=True) for host, c in computed_by_host.items()
            }
            targets, skipped = _targets.plan(args["by"], keys, groups, tuple(absent))
        except (HostError, _targets.TargetError) as exc:
            return failed(str(exc))
        if not targets:
            return failed("no host of this run wants settings (every one has claude_code_settings_state absent)")

        files = {}
        entries = []
        for target in targets:
            target_files, entry = render_target(target, computed_by_host[target["hosts"][0]], args)
            files.update(target_files)
            entries.append(entry)
        manifest = _manifest.render(args["by"], entries, skipped, absent)
        try:
            report = _write.write(args["dest"], files, manifest, ARTIFACT_NAMES, check=self._task.check_mode)
        except _write.WriteError as exc:
            return failed(str(exc))

        changed = bool(report["written"] or report["removed"])
        result.update(
            changed=changed,
            dest=args["dest"],
            manifest=_manifest.NAME,
            targets={e["name"]: e["hosts"] for e in entries},
            groups_without_artifacts=skipped,
            written=report["written"],
            unchanged=report["unchanged"],
            removed=report["removed"],
            msg="{} {}{}, {} files: {} written, {} unchanged, {} removed{} ({})".format(
                len(entries),
                args["by"],
                "" if len(entries) == 1 else "s",
                len(files) + 1,
                len(report["written"]),
                len(report["unchanged"]),
                len(report["removed"]),
                " (check mode: nothing was written)" if self._task.check_mode else "",
                args["dest"],
            ),
        )
        return result
