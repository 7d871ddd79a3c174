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

import glob
import os

import yaml
from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import mark_vaulted, plain
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._worker import freeze_inherited_heap
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
# The policy fields are passed through as given: the policy core checks them, with messages that
# say what was written and what is allowed (an argument spec would answer with its own dump).
ARGUMENT_SPEC = {field: dict(type="raw") for field in POLICY_FIELDS}
ARGUMENT_SPEC.update(
    state=dict(type="str", choices=["present", "absent"], default="present"),
    path=dict(type="path"),
    merge=dict(type="bool", default=False),
    shells=dict(type="list", elements="str", choices=list(L.SHELLS), default=list(L.SHELLS)),
    shell_paths=dict(type="dict", default={}),
    backup=dict(type="bool", default=False),
    force=dict(type="bool", default=False),
    cli_paths=dict(type="list", elements="path"),
    variable_prefix=dict(type="str"),
)
_MECHANICS = ("state", "path", "merge", "shells", "shell_paths", "backup", "force", "cli_paths")
# The spec of what is not a policy field, built once where the plugin is imported (Ansible's
# strategy imports it in the controller's main process, before it forks a worker per host). The
# policy fields are raw and go to the core as given: validating them too would only deep-copy the
# host's env and settings (measured: about 3 ms a host).
_VALIDATOR = ArgumentSpecValidator({k: v for k, v in ARGUMENT_SPEC.items() if k not in POLICY_FIELDS})
# What AnsibleModule.exit_json adds about any result's `path` (the settings file): the module's
# own files are checked attribute by attribute (drift), so these only made each host's result
# bigger, and Ansible's controller handles a result per host at a cost that grows with its size.
_PATH_INFO = ("uid", "gid", "owner", "group", "mode", "size", "secontext")
_WINDOWS = (
    "runs Windows, which is not supported yet. Claude Code reads C:\\Program Files\\ClaudeCode\\managed-settings.json "
    "there; render it with the fleetpolicy.claude_code.managed_settings filter and deploy it with "
    "ansible.windows.win_copy for now."
)


_ROLE_SPECS = os.path.join(os.path.dirname(__file__), "..", "..", "roles")
# libyaml when PyYAML has it, as Ansible's own loader does (the pure-Python parser took 18 ms here).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_known_variables():
    names = set(F.PLAYBOOK_VARIABLES)
    for spec in glob.glob(os.path.join(_ROLE_SPECS, "*", "meta", "argument_specs.yml")):
        with open(spec, encoding="utf-8") as handle:
            for entry in (yaml.load(handle, Loader=_LOADER) or {}).get("argument_specs", {}).values():
                names.update(entry.get("options") or {})
    return frozenset(names)


# Read where the plugin is imported, the controller's main process (see _VALIDATOR).
_KNOWN_VARIABLES = _read_known_variables()


def known_variables():
    """Every public claude_code_* variable: the roles' documented inputs and the playbooks' own."""
    return _KNOWN_VARIABLES


def _unknown_variable(task_vars, prefix):
    """The first variable with the prefix that the collection does not know (a typo), or None."""
    known = known_variables()
    for name in sorted(task_vars):
        if isinstance(name, str) and name.startswith(prefix) and name not in known:
            return name
    return None


def _check_options(args):
    """The options whose mistakes people make, refused with the policy core's kind of message
    (what was written, what is allowed, the closest choice) instead of an argument spec's."""
    state = args.get("state")
    if state is not None and state not in ("present", "absent"):
        raise PolicyError("state", state, "present, absent" + suggest(state, ("present", "absent")))
    shells = args.get("shells")
    if shells is not None:
        if not isinstance(shells, list):
            raise PolicyError("shells", shells, "a list of shells: " + ", ".join(L.SHELLS))
        for shell in shells:
            if shell not in L.SHELLS:
                raise PolicyError("shells", shell, ", ".join(L.SHELLS) + suggest(shell, L.SHELLS))
    for name in ("merge", "backup", "force"):
        if args.get(name) is not None and not isinstance(args[name], bool):
            raise PolicyError(name, args[name], "true or false")
    for name in ("shell_paths",):
        if args.get(name) is not None and not isinstance(args[name], dict):
            raise PolicyError(name, args[name], "a mapping of shell name to path")


def _is_windows(task_vars):
    facts = task_vars.get("ansible_facts") or {}
    return (
        task_vars.get("ansible_connection") in ("winrm", "psrp")
        or task_vars.get("ansible_shell_type") in ("powershell", "cmd")
        or facts.get("os_family") == "Windows"
    )


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        freeze_inherited_heap()  # the worker's collector walks only its own objects (see _worker)
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        prefix = self._task.args.get("variable_prefix") or ""

        def failed(text):
            result.update(failed=True, changed=False, msg=f"{NAME}: host {host}: {text}")
            return result

        if _is_windows(task_vars):
            return failed(_WINDOWS)
        if prefix:
            unknown = _unknown_variable(task_vars, prefix)
            if unknown:
                return failed(
                    f"unknown variable {unknown}{suggest(unknown, sorted(known_variables()))}: fleetpolicy.claude_code never reads it, so its value would "
                    "silently not apply"
                )
        given = dict(self._task.args)
        if prefix:
            # Each option the task does not give comes from the host variable PREFIX<option> (the
            # role's defaults included), templated here: the role's task names no option, so no
            # template of its own is compiled per host. One call for all of them (the templar's
            # set-up per call cost more than most of the values); only when it fails is each
            # variable templated alone, to name the one that does.
            wanted = {
                option: task_vars[prefix + option]
                for option in ARGUMENT_SPEC
                if option not in given and option != "variable_prefix" and prefix + option in task_vars
            }
            try:
                given.update(self._templar.template(wanted))
            except AnsibleError:
                for option, value in wanted.items():
                    try:
                        given[option] = self._templar.template(value)
                    except AnsibleError as exc:
                        return failed(f"variable {prefix}{option}: {exc.message}")
                raise
        try:
            _check_options(given)
        except PolicyError as exc:
            return failed(exc.describe(prefix + exc.root if prefix else None))
        # Plain values: the validator deep-copies what it is given, and a copy of Ansible's tagged
        # strings and lists costs far more than one of plain ones.
        validation = _VALIDATOR.validate({k: plain(v) for k, v in given.items() if k not in POLICY_FIELDS})
        if validation.error_messages:
            # "value of shells must be one or more of: ..." names the option; say the variable too.
            return failed("; ".join(validation.error_messages) + (f" (variables {prefix}<option>)" if prefix else ""))
        args = validation.validated_parameters
        policy = {field: given[field] for field in POLICY_FIELDS if given.get(field) is not None}
        present = args["state"] == "present"

        computed = None
        try:
            if present or args["merge"]:
                computed = compute(mark_vaulted(policy))
            exports = _shells.render(computed["rc_env"], args["shells"]) if present else dict.fromkeys(args["shells"])
        except PolicyError as exc:
            return failed(exc.describe(prefix + exc.root if prefix else None))

        module_args = {key: args[key] for key in _MECHANICS if key != "shells" and args[key] is not None}
        module_args["exports"] = exports
        if computed is not None:
            module_args["settings"] = computed["settings"]
            module_args["purge"] = computed["purge"] if args["merge"] else []
        family = (task_vars.get("ansible_facts") or {}).get("os_family")
        if family in L.OS_FAMILIES:
            module_args["os_family"] = family

        extra = {"state": args["state"]}
        if present:
            post = computed["posture"]
            extra.update(
                policy=dict(computed["policy"].items()),
                posture=post,
                env_names=sorted(computed["env"]),
            )
        try:
            module_result = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
        except AnsibleConnectionFailure as exc:
            # The posture comes from the inventory: an unreachable host has one too.
            result.update(extra, unreachable=True, changed=False, msg=str(exc))
            return result
        for key in _PATH_INFO:
            module_result.pop(key, None)
        result.update(module_result)
        result.update(extra)
        expected = None
        if (
            prefix
            and isinstance(task_vars.get(prefix + "version"), str)
            and task_vars.get(prefix + "install_state", "present") == "present"
        ):
            expected = task_vars[
                prefix + "version"
            ]  # the inventory pins the CLI (the install role's claude_code_version)
        sources = result.get("sources") or []
        # The documents stay on the host side: the result keeps what each source is, not what it holds.
        result["sources"] = [{k: v for k, v in entry.items() if k != "content"} for entry in sources]
        if present and not result.get("failed"):
            self._judge(result, computed, sources, expected)
        return result

    @staticmethod
    def _judge(result, computed, sources, expected_cli=None):
        """The effective state: what Claude Code will apply on this host, against the intended."""
        post = computed["posture"]
        ev = _effective.evaluate(computed["policy"], post, computed["settings"], sources)
        result["effective"] = {
            "values": ev["values"],
            "weaker": ev["weaker"],
            "broken": ev["broken"],
            "mcp_servers": ev["mcp_servers"],
            "posture_is_intended": ev["posture"] == post,
        }
        if ev["posture"] != post:
            # Only where it differs: a result Ansible's controller handles per host, at a cost
            # that grows with its size (the posture is two thirds of a compliant host's result).
            result["effective"]["posture"] = ev["posture"]
        if result.get("cli") is not None:
            result["cli"] = dict(
                result["cli"], warnings=_effective.cli_warnings(result["cli"], post["profile"], sources)
            )
        if expected_cli:
            found = (result.get("cli") or {}).get("version")
            if found != expected_cli:
                # The inventory pins a version (claude_code_version): a host without it has drifted.
                result["drift"] = list(result.get("drift") or []) + [
                    {
                        "file": (result.get("cli") or {}).get("path") or "(Claude Code CLI)",
                        "key": "(cli version)",
                        "expected": expected_cli,
                        "found": found,
                    }
                ]
        # Warnings say what this run leaves weaker. A check-mode run whose own files still differ
        # would fix those: its effective state is in the result (the drift report judges it), not
        # in warnings. Broken sources and foreign weakening are warned about every time.
        own_pending = bool(result.get("drift"))
        warnings = list(result.get("warnings") or [])
        for entry in ev["broken"]:
            warnings.append(
                "Claude Code will refuse to start on this host: {} is {} ({})".format(
                    entry["file"], entry["status"], entry["error"]
                )
            )
        ours = [s["path"] for s in sources if s.get("ours")]
        for entry in ev["weaker"]:
            if own_pending and (entry["file"] is None or entry["file"] in ours):
                continue
            warnings.append(
                "effective {} is {}, not {}: {} in {}".format(
                    entry["control"],
                    entry["effective"],
                    entry["intended"],
                    entry["key"],
                    entry["file"] or "no managed file",
                )
            )
        warnings.extend((result.get("cli") or {}).get("warnings") or [])
        if warnings:
            result["warnings"] = warnings
        lines = _posture.summary_lines(post, result.get("env_names"), result.get("files"))
        if warnings:
            lines.append("EFFECTIVE STATE DIFFERS: " + "; ".join(warnings))
        cli = result.get("cli")
        lines.append(
            "Claude Code CLI: %s"
            % (("{} at {}".format(cli.get("version") or "unknown version", cli["path"])) if cli else "not found")
        )
        result["summary"] = lines
