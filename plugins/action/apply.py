# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin for fleetpolicy.claude_code.apply (documentation in plugins/modules/apply.py).

The controller computes, the target applies: this plugin validates the host's policy with the
policy core (once), renders the settings document, the shell export texts and the purge list,
and runs fleetpolicy.claude_code.managed_settings on the host with that content (once). The
result carries the module's result plus the posture and its summary.
"""

from __future__ import annotations

import copy
import os
import re
from typing import Any

from ansible.errors import AnsibleConnectionFailure
from ansible.module_utils.common.validation import check_type_bool, check_type_dict, check_type_int, check_type_list
from ansible.plugins.action import ActionBase

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _secrets as S
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._cliread import dropin_order
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import mark_vaulted, plain
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective, _posture, _shells
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import (
    POLICY_FIELDS,
    PolicyError,
    compute,
    suggest,
)

NAME = "fleetpolicy.claude_code.apply"
MODULE = "fleetpolicy.claude_code.managed_settings"
ROLE = "fleetpolicy.claude_code.settings"

# The options, typed as Ansible types them (plugins/modules/apply.py documents them; the settings
# role's meta/argument_specs.yml gives each role variable the same type and choices, see
# tests/unit/test_records_agree.py). The policy core checks the policy fields' values; _convert
# only converts them the way Ansible's argument spec would (strings from -e key=value).
ARGUMENT_SPEC: dict[str, dict[str, Any]] = dict(
    provider=dict(type="str", choices=list(F.PROVIDERS)),
    plan=dict(type="str", choices=list(F.PLANS)),
    profile=dict(type="str", choices=list(F.PROFILES), default="standard"),
    aws_region=dict(type="str"),
    vertex_project_id=dict(type="str"),
    vertex_region=dict(type="str"),
    foundry_resource=dict(type="str"),
    foundry_base_url=dict(type="str"),
    anthropic_aws_workspace_id=dict(type="str"),
    base_url=dict(type="str"),
    lock_provider=dict(type="bool"),
    transcript_retention_days=dict(type="int"),
    web_fetch=dict(type="bool"),
    gateway_hint_headers=dict(type="bool"),
    env=dict(type="dict", default={}),
    settings=dict(type="dict", default={}),
    allow_secrets=dict(type="bool", default=False),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    path=dict(type="str"),
    merge=dict(type="bool", default=False),
    shells=dict(type="list", elements="str", choices=list(L.SHELLS), default=list(L.SHELLS)),
    shell_paths=dict(type="dict", default={}),
    backup=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    cli_paths=dict(type="list", elements="str"),
    cli_account=dict(type="str"),
    cli_version=dict(type="str"),
    fail_on_effective=dict(type="bool", default=True),
)
_MECHANICS = ("state", "path", "merge", "shell_paths", "backup", "force", "cli_paths", "cli_account")

# option -> the variable of the settings role that sets it (roles/settings/tasks/main.yml passes
# each one explicitly). Messages of a task of that role name the variable, never the option.
ROLE_VARIABLES = {
    "provider": "claude_code_provider",
    "plan": "claude_code_plan",
    "profile": "claude_code_profile",
    "aws_region": "claude_code_aws_region",
    "vertex_project_id": "claude_code_vertex_project_id",
    "vertex_region": "claude_code_vertex_region",
    "foundry_resource": "claude_code_foundry_resource",
    "foundry_base_url": "claude_code_foundry_base_url",
    "anthropic_aws_workspace_id": "claude_code_anthropic_aws_workspace_id",
    "base_url": "claude_code_base_url",
    "lock_provider": "claude_code_lock_provider",
    "transcript_retention_days": "claude_code_transcript_retention_days",
    "web_fetch": "claude_code_web_fetch",
    "gateway_hint_headers": "claude_code_gateway_hint_headers",
    "env": "claude_code_extra_env",
    "settings": "claude_code_extra_settings",
    "allow_secrets": "claude_code_allow_secrets",
    "state": "claude_code_settings_state",
    "path": "claude_code_settings_path",
    "merge": "claude_code_settings_merge",
    "shells": "claude_code_settings_shells",
    "shell_paths": "claude_code_settings_shell_paths",
    "backup": "claude_code_settings_backup",
    "force": "claude_code_settings_force",
    "cli_paths": "claude_code_settings_cli_paths",
    "cli_account": "claude_code_settings_cli_account",
    "cli_version": "claude_code_version",
    "fail_on_effective": "claude_code_settings_fail_on_effective",
}
# Every public claude_code_* variable of the collection: the settings role's (above), the install,
# mdm and pull roles' (roles/*/meta/argument_specs.yml), the playbooks' own and the results they register.
# tests/unit/test_records_agree.py checks this against both roles' argument specs and every
# claude_code_* name in playbooks/, roles/ and extensions/molecule/. In a task of the settings role, a host
# variable with the prefix that is none of these is a typo: the host fails, naming the closest.
KNOWN_VARIABLES = frozenset(ROLE_VARIABLES.values()) | frozenset(
    (
        # the install role
        "claude_code_install_state",
        "claude_code_install_source",
        "claude_code_install_registry",
        "claude_code_install_artifact",
        "claude_code_install_checksum",
        "claude_code_install_cache_dir",
        "claude_code_install_root",
        "claude_code_install_link",
        "claude_code_install_platform",
        "claude_code_install_force",
        "claude_code_install_validate_certs",
        "claude_code_install_timeout",
        "claude_code_install_result",
        # the mdm role (playbooks/mdm_export.yml)
        "claude_code_mdm_dir",
        "claude_code_mdm_by",
        "claude_code_mdm_identifier",
        "claude_code_mdm_organization",
        "claude_code_mdm_display_name",
        # the pull role (roles/pull) and playbooks/pull_check.yml
        "claude_code_pull_state",
        "claude_code_pull_repo_url",
        "claude_code_pull_repo_version",
        "claude_code_pull_playbook",
        "claude_code_pull_inventory",
        "claude_code_pull_host",
        "claude_code_pull_on_calendar",
        "claude_code_pull_first_run",
        "claude_code_pull_randomized_delay",
        "claude_code_pull_accuracy",
        "claude_code_pull_timeout",
        "claude_code_pull_on_failure",
        "claude_code_pull_start",
        "claude_code_pull_ansible_pull",
        "claude_code_pull_collections_path",
        "claude_code_pull_extra_args",
        "claude_code_pull_unit_name",
        "claude_code_pull_checkout_dir",
        "claude_code_pull_record_dir",
        "claude_code_pull_textfile_dir",
        "claude_code_pull_apply",
        # playbooks/rollout.yml and playbooks/drift.yml
        "claude_code_hosts",
        "claude_code_install",
        "claude_code_report_dir",
        "claude_code_report_formats",
        "claude_code_report",
        # what the settings role registers
        "claude_code_result",
    )
)
_PREFIX = "claude_code_"
# The module's refusals start with the option they are about ("path: ...", "shell_paths.sh: ...").
_MODULE_OPTION = re.compile(r"^(%s)(?=[.:])" % "|".join(_MECHANICS))
_WINDOWS = (
    "runs Windows, which the rollout does not configure over WinRM or SSH. Claude Code there reads "
    "HKLM\\SOFTWARE\\Policies\\ClaudeCode (value Settings), which outranks C:\\Program Files\\ClaudeCode\\"
    "managed-settings.json since CLI 2.1.331: write the .reg file and the Intune platform script for it with "
    "ansible-playbook -i INVENTORY fleetpolicy.claude_code.mdm_export -e claude_code_mdm_dir=DIR, and deliver "
    "them with Intune or Group Policy (docs/mdm/)."
)
# Ansible prints a failed or unreachable result whole, on one line: such a result keeps the reason
# (cut at _REASON_CHARS: an SSH failure can bring pages of debug output) and where the host stands,
# not the posture. The drift report computes an unreachable host's posture from its inventory.
_REASON_CHARS = 800
# The drop-in the advice names for this collection's file when a vendor's drop-in overrides it.
_LAST_DROPIN = "99-fleetpolicy.json"
_FAILED_KEEPS = ("failed", "changed", "msg", "state", "path", "files", "backup_files", "warnings", "exception")
# What each type takes, as a refusal says it.
_ALLOWED = {
    "str": "a string",
    "path": "a path (a string)",
    "bool": "true or false",
    "int": "a whole number",
    "list": "a list",
    "dict": "a mapping",
}


def _unknown_variable(task_vars: dict) -> str | None:
    """The first claude_code_* variable the collection does not know (a typo), or None."""
    for name in sorted(k for k in task_vars if isinstance(k, str)):
        if name.startswith(_PREFIX) and name not in KNOWN_VARIABLES:
            return name
    return None


def unknown_variable(name: str) -> str:
    """The refusal of a claude_code_* variable the collection does not know (the rollout's and the
    MDM export's), with the name it most likely meant."""
    return (
        f"unknown variable {name}{_meant(name)}: "
        "fleetpolicy.claude_code never reads it, so its value would silently not apply"
    )


def _meant(name: str) -> str:
    """' (did you mean X?)' for an unknown variable: the name in the scheme's group it lacks
    (claude_code_shells -> claude_code_settings_shells, claude_code_env -> claude_code_extra_env),
    else the closest known name, else ''."""
    rest = name[len(_PREFIX) :]
    for group in ("settings_", "extra_", "install_"):
        if _PREFIX + group + rest in KNOWN_VARIABLES:
            return f" (did you mean {_PREFIX}{group}{rest}?)"
    return suggest(name, sorted(KNOWN_VARIABLES))


def _convert(option: str, value: Any) -> Any:
    """The option's value as Ansible's argument spec converts it for the option's type: a string
    from `-e name=value` becomes a bool, an int, a list (split at commas) or a mapping. None takes
    the default. A value that does not convert stays as it is for a policy field (the policy core
    refuses it, in its own words) and is refused here for the other options (PolicyError)."""
    spec = ARGUMENT_SPEC[option]
    if value is None:
        return copy.deepcopy(spec.get("default"))
    kind = spec["type"]
    try:
        if kind == "bool":
            value = check_type_bool(value)
        elif kind == "int" and not isinstance(value, bool):  # the core says what a boolean is
            value = check_type_int(value)
        elif kind == "dict":
            value = check_type_dict(value)
        elif kind == "list":
            value = check_type_list(value)
    except (TypeError, ValueError):
        if option in POLICY_FIELDS:
            return value
        raise PolicyError(option, value, _ALLOWED[kind]) from None
    if option in POLICY_FIELDS:
        return value
    if option in _HOST_PATHS:
        for where, path in _paths(option, value):
            _host_path(where, path)
    choices = spec.get("choices")
    if kind == "list":
        for item in value:
            if not isinstance(item, str):
                raise PolicyError(option, item, "a list of strings")
            if choices and item not in choices:
                raise PolicyError(option, item, ", ".join(choices) + suggest(item, choices))
    elif kind == "dict":
        for key, item in value.items():
            if not isinstance(item, str):
                raise PolicyError(f"{option}.{key}", item, "a path (a string)")
    elif kind in ("str", "path"):
        if not isinstance(value, str):
            allowed = _ALLOWED["path" if option in _HOST_PATHS else kind]
            raise PolicyError(option, value, ", ".join(choices) if choices else allowed)
        if choices and value not in choices:
            raise PolicyError(option, value, ", ".join(choices) + suggest(value, choices))
    return value


# The options that name files on the host. A host path is absolute and printable: `~` and a
# relative path would be resolved by whoever reads them first (Ansible's own `path` type expands
# `~` and $VARS on the controller; the module would expand them with its own user's home).
_HOST_PATHS = ("path", "shell_paths", "cli_paths")


def _paths(option: str, value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(f"{option}.{key}", item) for key, item in value.items()]
    if isinstance(value, list):
        return [(option, item) for item in value]
    return [(option, value)]


def _host_path(where: str, path: Any) -> None:
    if not isinstance(path, str):
        return  # the type checks below name it
    if not path.startswith("/"):
        raise PolicyError(
            where,
            path,
            "an absolute path on the host, such as /etc/claude-code/managed-settings.json",
            why="~ and relative paths are not expanded: the controller and the host have different home folders",
        )
    if S.printable(path) != path:
        raise PolicyError(where, path, "a path without control characters")


def _one_line(text: Any, limit: int = _REASON_CHARS) -> str:
    """text on one line (whitespace runs made one space), cut at limit characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _short(result: dict) -> dict:
    """A failed result as Ansible should print it: _FAILED_KEEPS (lists only when not empty) and
    its own _ansible_* keys."""
    return {k: v for k, v in result.items() if (k in _FAILED_KEEPS and v != []) or str(k).startswith("_ansible_")}


def _get(document: dict, key: str) -> Any:
    node: Any = document
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _advice(entry: dict, ours: list, document: dict, names: dict) -> str:
    """What to do about a control that the file entry["file"] leaves weaker than the policy."""
    path = entry["file"]
    if entry["control"] == "source":
        return "make it a regular file under 2 MiB that the account running Claude Code ({}) can read".format(
            names["cli_account"]
        )
    if entry["control"] == "held":
        return "give it (and every folder above it) to root, closed to other accounts (files 0644, folders 0755)"
    if path is None:
        return "no managed file on the host sets it: check what else configures Claude Code there"
    if path in ours:
        return f"{path} is this collection's file: another tool changed it; run the rollout again"
    text = f"remove {entry['key']} from that file, or the file itself; this collection does not write it (ask whoever installed it)"
    # A later file wins for a value (env merges per variable), never for a list (lists are joined):
    # our file can win only where it sets that value itself.
    directory, name = os.path.split(path)
    mine = _get(document, entry["key"])
    if (
        os.path.basename(directory) == L.DROPIN_DIR
        and mine is not None
        and not isinstance(mine, (list, dict))
        and dropin_order(name) < dropin_order(_LAST_DROPIN)
    ):
        text += "; or have Claude Code read this collection's file after it ({}: {})".format(
            names["path"], os.path.join(directory, _LAST_DROPIN)
        )
    return text


def _problems(ev: dict, sources: list, document: dict, own_pending: bool, names: dict) -> list[str]:
    """What leaves this host short of its policy, each in one sentence with what to do: a managed
    source Claude Code cannot use (it will not start), and each control the effective state leaves
    weaker than the policy. With own_pending (check mode, and this collection's own files still
    differ, which the run would fix), weakening from those files is left out."""
    ours = [s["path"] for s in sources if s.get("ours")]
    found = []
    for entry in ev["broken"]:
        path = entry["file"]
        if entry["status"] == "unread":
            advice = (
                "the module reads at most 8 MiB of managed sources and 256 drop-ins per host: remove what is not needed"
            )
        elif path in ours:
            advice = f"{path} is this collection's file: run the rollout again"
            if entry["status"] == "unparseable":
                advice += f" ({names['force']}: true replaces it)"
        elif entry["status"] == "refused":
            advice = "change or remove {} in {}; this collection does not write it (ask whoever installed it)".format(
                entry["key"], path or "that file"
            )
        else:
            advice = "repair or remove it; this collection does not write it (ask whoever installed it)"
        user = f" (for user {entry['user']})" if entry.get("user") else ""
        found.append(f"{_effective.problem_text(entry)}{user}; {advice}")
    for entry in ev["weaker"]:
        if own_pending and (entry["file"] is None or entry["file"] in ours) and entry["control"] != "held":
            continue
        if entry["control"] in ("held", "source"):
            what = "a user can change this policy" if entry["control"] == "held" else "Claude Code skips this file"
            found.append(
                "{}{}: {} ({}); {}".format(
                    what,
                    f" (for user {entry['user']})" if entry.get("user") else "",
                    entry["file"],
                    entry.get("found"),
                    _advice(entry, ours, document, names),
                )
            )
            continue
        found.append(
            "effective {} is {}, not {}: {} in {}; {}".format(
                entry["control"],
                entry["effective"],
                entry["intended"],
                entry["key"],
                entry["file"] or "no managed file",
                _advice(entry, ours, document, names),
            )
        )
    # Host text (file names, errors, foreign values in the posture) reaches the terminal: escaped.
    return [S.shown(text) for text in found]


def _is_windows(task_vars: dict) -> bool:
    facts = task_vars.get("ansible_facts") or {}
    return (
        task_vars.get("ansible_connection") in ("winrm", "psrp")
        or task_vars.get("ansible_shell_type") in ("powershell", "cmd")
        or facts.get("os_family") == "Windows"
    )


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def _in_role(self) -> bool:
        """True for the task of the settings role: its messages name the role's variables."""
        role = getattr(self._task, "_role", None)
        return role is not None and role.get_name() == ROLE

    def _name(self, exc: PolicyError, in_role: bool) -> str:
        """One line about a refused value, naming the role variable it came from (in the role)."""
        root = exc.root
        variable = ROLE_VARIABLES.get(root) if in_role else None
        if root in POLICY_FIELDS:
            return exc.describe(variable)
        # An option of the action, not a field of the policy: the variable (or option) alone.
        where = f"variable {variable}{exc.field[len(root) :]}" if variable else f"option '{exc.field}'"
        text = f"{where}: got {exc.shown}"
        if exc.why:
            text += "; " + exc.why
        return text + ("; allowed: " + exc.allowed if exc.allowed else "")

    def run(self, tmp: str | None = None, task_vars: dict | None = None) -> dict:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        in_role = self._in_role()

        def failed(text):
            result.update(failed=True, changed=False, msg=f"{NAME}: host {host}: {text}")
            return result

        if _is_windows(task_vars):
            return failed(_WINDOWS)
        if in_role:
            unknown = _unknown_variable(task_vars)
            if unknown:
                return failed(unknown_variable(unknown))
        for option in self._task.args:
            if option not in ARGUMENT_SPEC:
                return failed(f"unknown option {option}{suggest(str(option), list(ARGUMENT_SPEC))}")
        try:
            args = {option: _convert(option, self._task.args.get(option)) for option in ARGUMENT_SPEC}
        except PolicyError as exc:
            return failed(self._name(exc, in_role))
        policy = {field: args[field] for field in POLICY_FIELDS if args[field] is not None}
        present = args["state"] == "present"

        computed = None
        try:
            if present or args["merge"]:
                computed = compute(mark_vaulted(policy))  # vaulted strings marked: the core refuses them
            exports = _shells.render(computed["rc_env"], args["shells"]) if present else dict.fromkeys(args["shells"])
        except PolicyError as exc:
            return failed(self._name(exc, in_role))

        module_args = {key: plain(args[key]) for key in _MECHANICS if args[key] is not None}
        module_args["exports"] = exports
        if computed is not None:
            # Credentials travel in the module's no_log option: its invocation log never holds one.
            module_args["settings"], module_args["secrets"] = S.split(computed["settings"])
            module_args["purge"] = computed["purge"] if args["merge"] else []
        family = (task_vars.get("ansible_facts") or {}).get("os_family")
        if family in L.OS_FAMILIES:
            module_args["os_family"] = family

        extra = {"state": args["state"]}
        warnings = []
        if present:
            extra.update(
                policy=dict(computed["policy"].items()),
                posture=computed["posture"],
                env_names=sorted(computed["env"]),
            )
            warnings = [
                "host {}: {}: {}".format(host, self._field(w["field"], in_role), w["message"])
                for w in computed["warnings"]
            ]
        try:
            module_result = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
        except AnsibleConnectionFailure as exc:
            # Ansible prints an unreachable result whole, on one line: the reason alone. The posture
            # stays out; the drift report computes it from the inventory (plugins/action/drift_report.py).
            result.update(
                unreachable=True, changed=False, state=args["state"], msg=f"{NAME}: host {host}: {_one_line(exc)}"
            )
            if warnings:
                result["warnings"] = warnings
            return result
        # The module's warnings are Ansible's own (WarningSummary objects in ansible-core 2.19 and
        # later): passed on as they are, before ours, and never read.
        warnings = list(module_result.get("warnings") or []) + warnings
        if module_result.get("failed"):
            msg = module_result.get("msg")
            if in_role and isinstance(msg, str):
                # "path: ..." from the module is about the variable claude_code_settings_path here.
                msg = _MODULE_OPTION.sub(lambda m: ROLE_VARIABLES[m.group(1)], msg, 1)
            result.update(module_result)
            result.update(
                failed=True,
                changed=bool(module_result.get("changed")),
                state=args["state"],
                msg=_one_line(msg or "the module failed"),
            )
            if warnings:
                result["warnings"] = warnings
            return _short(result)
        result.update(module_result)
        result.update(extra)
        sources = result.get("sources") or []
        # The documents stay on the host side: the result keeps what each source is, not what it holds.
        result["sources"] = [{k: v for k, v in entry.items() if k != "content"} for entry in sources]
        if present:
            judge(
                result,
                computed,
                sources,
                host=host,
                in_role=in_role,
                check_mode=bool(self._task.check_mode),
                fail_on_effective=args["fail_on_effective"],
                cli_version=args["cli_version"],
                warnings=warnings,
            )
            if result.get("failed"):
                return _short(result)
        else:
            verb = "would remove" if self._task.check_mode and result.get("changed") else "removed"
            if not result.get("changed"):
                verb = "nothing to remove"
            result["summary"] = [
                f"{verb}: the managed settings and shell exports this collection writes (state absent)"
            ] + _posture.wrapped("files:", result.get("files") or [], sep=", ")
            if warnings:
                result["warnings"] = warnings
        return result

    def _field(self, field: str, in_role: bool) -> str:
        """field 'F' (variable claude_code_F), as a refusal names a policy field."""
        variable = ROLE_VARIABLES.get(field.split(".", 1)[0]) if in_role else None
        return f"field '{field}'" + (f" (variable {variable})" if variable else "")


def judge(
    result: dict,
    computed: dict,
    sources: list,
    *,
    host: str,
    in_role: bool = False,
    check_mode: bool = False,
    fail_on_effective: bool = True,
    cli_version: str | None = None,
    warnings: list | None = None,
) -> None:
    """The effective state: what Claude Code will apply on the host, against the intended (result
    gains "effective", CLI warnings, a pinned-version drift entry); the summary; and the host's
    failure (or, in check mode, "would_fail") when Claude Code will not start on it or a file the
    collection does not manage leaves it weaker than its policy, unless fail_on_effective is false.
    warnings: the task's warnings so far (the module's first), extended and set on result."""
    warnings = list(warnings or [])
    post = computed["posture"]
    # Judged as the host's own CLI judges its files (an unknown version: as the pinned one).
    host_cli = (result.get("cli") or {}).get("version")
    ev = _effective.evaluate(computed["policy"], post, computed["settings"], sources, cli_version=host_cli)
    result["effective"] = {
        "values": ev["values"],
        "weaker": ev["weaker"],
        "broken": ev["broken"],
        "problems": ev["problems"],
        "starts": ev["starts"],
        "provider": ev["provider"],
        "policy_helper": ev["policy_helper"],
        "mcp_servers": ev["mcp_servers"],
        "posture": ev["posture"],
        "posture_is_intended": ev["posture"] == post,
        "checksum": ev["checksum"],
        "gateway_hint_headers": _posture.env_on(
            F.GATEWAY_HINT_SWITCH, ev["settings"]["env"].get(F.GATEWAY_HINT_SWITCH)
        ),
    }
    if result.get("cli") is not None:
        result["cli"] = dict(result["cli"], warnings=_effective.cli_warnings(result["cli"], post["profile"], sources))
    expected_cli = cli_version
    if expected_cli:
        found = (result.get("cli") or {}).get("version")
        if found != expected_cli:
            # The inventory pins a version (cli_version): a host without it has drifted.
            result["drift"] = list(result.get("drift") or []) + [
                {
                    "file": (result.get("cli") or {}).get("path") or "(Claude Code CLI)",
                    "key": "(cli version)",
                    "expected": expected_cli,
                    "found": found,
                }
            ]
    # What this run leaves wrong. A check-mode run whose own files still differ would fix those:
    # their effective state is in the result (the drift report judges it), not a problem here.
    names = {option: ROLE_VARIABLES[option] if in_role else option for option in ("path", "force", "cli_account")}
    problems = _problems(ev, sources, computed["settings"], bool(result.get("drift")), names)
    changed = bool(result.get("changed"))
    option = ROLE_VARIABLES["fail_on_effective"] if in_role else "fail_on_effective"
    notes = []
    if problems and fail_on_effective:
        if check_mode:
            written = "a rollout would write its files" if changed else "its files are as the policy says"
        else:
            written = "this run wrote its files" if changed else "its files are as the policy says"
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        msg = f"{NAME}: host {host}: {written}, but {shown}. To go on with a warning instead, set {option}: false"
        if not check_mode:
            result.update(failed=True, msg=msg)
        else:
            # Check mode writes nothing, and the drift report gives these hosts their own status
            # (broken, weakened): here a warning and the message a rollout would fail with.
            result["would_fail"] = msg
            warnings.append(f"check mode, nothing was written; the rollout will fail this host: {msg}")
            for problem in problems:
                notes += _posture.wrapped("WOULD FAIL:", problem.split(" "))
    else:
        for problem in problems:
            warnings.append(f"host {host}: {problem} ({option} is false: the rollout goes on)")
            notes += _posture.wrapped("NOT IN EFFECT:", problem.split(" "))
    for problem in ev["problems"]:
        # What Claude Code skips or ignores, with a warning of its own: not a weakening by itself.
        text = S.shown(
            "{}{}: {}".format(problem["file"], f" {problem['key']}" if problem["key"] else "", problem["message"])
        )
        warnings.append(f"host {host}: {text}")
        notes += _posture.wrapped("IGNORED BY CLAUDE CODE:", text.split(" "))
    for text in (result.get("cli") or {}).get("warnings") or []:
        warnings.append(f"host {host}: {text}")
        notes += _posture.wrapped("WARNING:", text.split(" "))
    for w in computed["warnings"]:
        notes += _posture.wrapped("WARNING:", (f"{w['field']}: " + w["message"]).split(" "))
    if warnings:
        result["warnings"] = warnings
    if result.get("failed"):
        return
    if check_mode:
        verb = "would set (check mode, nothing was written)" if changed else "already set (check mode)"
    else:
        verb = "set" if changed else "already set, nothing changed"
    lines = _posture.summary_lines(post, width=_posture.WIDTH)
    cli = result.get("cli")
    result["summary"] = (
        [f"{verb}: {lines[0]}"]
        + _posture.settings_lines(computed["settings"], width=_posture.WIDTH)
        + lines[1:]
        + _posture.wrapped("files:", result.get("files") or [], sep=", ")
        + notes
        + [
            "Claude Code CLI: %s"
            % ("{} at {}".format(cli.get("version") or "unknown version", cli["path"]) if cli else "not found")
        ]
    )
