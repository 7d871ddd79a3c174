# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The apply action's run(): what it sends to the module, what it refuses (and how it names it),
how it converts values given as strings, and an unreachable host. A stand-in task, connection and
_execute_module; the policy core and the shell renderer are the real ones."""

from __future__ import annotations

import json

import pytest
from ansible.errors import AnsibleConnectionFailure

from ansible_collections.fleetpolicy.claude_code.plugins.action import apply as A
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _checksum as C
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _shells
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

BEDROCK = {"provider": "bedrock", "aws_region": "us-east-1", "profile": "private"}
PREFIX = "fleetpolicy.claude_code.apply: host h1: "


class FakeRole:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class FakeTask:
    def __init__(self, args, role=None):
        self.args = args
        self.async_val = 0
        self.check_mode = False
        self.action = A.NAME
        self._role = FakeRole(role) if role else None


class FakeShell:
    tmpdir = None


class FakeConnection:
    _shell = FakeShell()


class Host:
    """One run of the action against a stand-in host: records every module call."""

    def __init__(self, reply=None, raises=None):
        self.calls = []
        self.reply = reply
        self.raises = raises

    def execute(self, module_name, module_args, task_vars):
        self.calls.append((module_name, module_args))
        if self.raises:
            raise self.raises
        if self.reply is not None:
            return dict(self.reply)
        # A host that now holds what it was sent: its one managed source is ours.
        path = module_args.get("path") or "/etc/claude-code/managed-settings.json"
        source = {"path": path, "kind": "main", "ours": True, "status": "ok", "content": module_args.get("settings")}
        return {"changed": True, "path": path, "sources": [source]}


def run(args, task_vars=None, role=None, host=None):
    host = host or Host()
    action = A.ActionModule(FakeTask(args, role), FakeConnection(), None, None, None)
    action._execute_module = host.execute
    variables = {"inventory_hostname": "h1"}
    variables.update(task_vars or {})
    return action.run(task_vars=variables), host


def in_role(**variables):
    """The settings role's task: every option from its role variable (null when unset)."""
    args = {option: variables.get(name) for option, name in A.ROLE_VARIABLES.items()}
    defaults = dict.fromkeys(A.ROLE_VARIABLES.values())
    defaults.update(variables)
    return args, defaults


# ---------------------------------------------------------------------------- what is sent


def test_sends_the_computed_document_and_the_rendered_exports():
    result, host = run(dict(BEDROCK), task_vars={"ansible_facts": {"os_family": "Debian"}})
    assert not result.get("failed"), result
    ((module, sent),) = host.calls
    computed = compute(BEDROCK)
    assert module == A.MODULE
    assert sent == {
        "state": "present",
        "merge": False,
        "shell_paths": {},
        "backup": False,
        "force": False,
        "exports": _shells.render(computed["rc_env"], list(L.SHELLS)),
        "settings": computed["settings"],
        "secrets": {},
        "purge": [],
        "os_family": "Debian",
    }
    assert result["posture"] == computed["posture"] and result["policy"]["provider"] == "bedrock"
    assert result["env_names"] == sorted(computed["env"])
    assert result["effective"]["posture_is_intended"] is True and result["effective"]["posture"] == computed["posture"]
    assert result["summary"][-1] == "Claude Code CLI: not found"


def test_merge_sends_the_purge_list_and_absent_sends_no_settings():
    result, host = run(dict(BEDROCK, merge=True))
    assert host.calls[0][1]["purge"] == compute(BEDROCK)["purge"] and host.calls[0][1]["merge"] is True
    result, host = run({"state": "absent", "shells": ["sh"]})
    sent = host.calls[0][1]
    assert "settings" not in sent and sent["exports"] == {"sh": None} and sent["state"] == "absent"
    assert result["state"] == "absent" and "posture" not in result


def test_strings_from_the_command_line_are_converted_as_ansible_converts_typed_options():
    # `-e name=value` gives strings; the role passes them as they are.
    args, variables = in_role(
        claude_code_provider="anthropic",
        claude_code_plan="team",
        claude_code_lock_provider="true",
        claude_code_transcript_retention_days="7",
        claude_code_web_fetch="no",
        claude_code_allow_secrets="False",
        claude_code_settings_merge="yes",
        claude_code_settings_backup="1",
        claude_code_settings_shells="sh,bash",
        claude_code_settings_shell_paths="sh=/tmp/x/claude.sh",
        claude_code_extra_env='{"CLAUDE_CODE_EXTRA": "1"}',
    )
    result, host = run(args, variables, role=A.ROLE)
    assert not result.get("failed"), result
    sent = host.calls[0][1]
    policy = {
        "provider": "anthropic",
        "plan": "team",
        "lock_provider": True,
        "transcript_retention_days": 7,
        "web_fetch": False,
        "env": {"CLAUDE_CODE_EXTRA": "1"},
    }
    assert sent["settings"] == compute(policy)["settings"]
    assert sent["settings"]["cleanupPeriodDays"] == 7 and "allowedProviders" in sent["settings"]
    assert (sent["merge"], sent["backup"], sorted(sent["exports"])) == (True, True, ["bash", "sh"])
    assert sent["shell_paths"] == {"sh": "/tmp/x/claude.sh"}


def test_null_is_not_set_and_false_or_zero_stay_themselves():
    args, variables = in_role(claude_code_provider="anthropic", claude_code_plan="team", claude_code_profile="private")
    result, host = run(args, variables, role=A.ROLE)
    assert "allowedProviders" in host.calls[0][1]["settings"]  # null lock_provider: the profile's default
    args["lock_provider"] = False
    result, host = run(args, variables, role=A.ROLE)
    assert "allowedProviders" not in host.calls[0][1]["settings"]
    args["lock_provider"] = None
    args["transcript_retention_days"] = 0
    result, host = run(args, variables, role=A.ROLE)
    assert result["failed"] and not host.calls
    assert (
        "field 'transcript_retention_days' (variable claude_code_transcript_retention_days): got 0 (int)"
        in (result["msg"])
    )


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "variables, message",
    [
        (
            {"claude_code_settings_shells": ["sh", "zhs"]},
            'variable claude_code_settings_shells: got "zhs"; allowed: sh, bash, zsh, fish, environment_d '
            "(did you mean zsh?)",
        ),
        (
            {"claude_code_settings_merge": 420},  # YAML 1.1 reads 0644 as the int 420
            "variable claude_code_settings_merge: got 420 (int); allowed: true or false",
        ),
        (
            {"claude_code_settings_state": "abesnt"},
            'variable claude_code_settings_state: got "abesnt"; allowed: present, absent (did you mean absent?)',
        ),
        (
            {"claude_code_settings_path": ["/etc/x.json"]},
            "variable claude_code_settings_path: got a list; allowed: a path (a string)",
        ),
        (
            {"claude_code_settings_shell_paths": {"sh": 3}},
            "variable claude_code_settings_shell_paths.sh: got 3 (int); allowed: a path (a string)",
        ),
        (
            {"claude_code_settings_cli_paths": {"a": "b"}},
            "variable claude_code_settings_cli_paths: got a mapping; allowed: a list",
        ),
        (
            {"claude_code_version": 2.1},
            "variable claude_code_version: got 2.1 (float); allowed: a string",
        ),
        (
            {"claude_code_profile": True},
            "field 'profile' (variable claude_code_profile): got true (a boolean: YAML reads yes, on and true as "
            "true); allowed: standard, private, airgapped",
        ),
        (
            {"claude_code_lock_provider": "sometimes"},
            "field 'lock_provider' (variable claude_code_lock_provider): got \"sometimes\"; allowed: true, false, "
            "or nothing for the profile's default",
        ),
        (
            {"claude_code_extra_env": {"DISABLE_TELEMTRY": "1"}},
            "field 'env.DISABLE_TELEMTRY' (variable claude_code_extra_env)",
        ),
        (
            {"claude_code_extra_env": ["DISABLE_TELEMETRY"]},
            "field 'env' (variable claude_code_extra_env): got a list; allowed: a mapping",
        ),
        (
            {"claude_code_profle": "airgapped"},
            "unknown variable claude_code_profle (did you mean claude_code_profile?)",
        ),
    ],
)
def test_a_refusal_in_the_role_names_the_role_variable_and_sends_nothing(variables, message):
    base = {"claude_code_provider": "anthropic", "claude_code_plan": "team"}
    args, task_vars = in_role(**dict(base, **variables))
    result, host = run(args, task_vars, role=A.ROLE)
    assert result["failed"] and not result["changed"], result
    assert result["msg"].startswith(PREFIX + message), result["msg"]
    assert "\n" not in result["msg"]
    assert not host.calls, "the host was asked"
    option = next((o for o, v in A.ROLE_VARIABLES.items() if v in variables), None)
    if option and option not in ("profile", "lock_provider", "env"):
        # never the option's own name (shells, merge, path, ...) alone
        assert f" {option}:" not in result["msg"] and f"'{option}'" not in result["msg"], result["msg"]


def test_outside_the_role_refusals_name_the_option():
    result, host = run(dict(BEDROCK, shells=["zhs"]))
    assert (
        result["msg"]
        == PREFIX + "option 'shells': got \"zhs\"; allowed: sh, bash, zsh, fish, environment_d (did you mean zsh?)"
    )
    result, host = run(dict(BEDROCK, profile="paranoid"))
    assert result["msg"].startswith(PREFIX + "field 'profile': got \"paranoid\"")
    result, host = run(dict(BEDROCK, variable_prefix="claude_code_"))
    assert result["msg"] == PREFIX + "unknown option variable_prefix"
    # a claude_code_* typo is the role's business: a task of the user's own does not read them
    result, host = run(dict(BEDROCK), task_vars={"claude_code_profle": "airgapped"})
    assert not result.get("failed") and host.calls


def test_the_module_refusal_of_a_path_names_the_role_variable():
    reply = {"failed": True, "msg": "path: /x/managed-settings.d/50.yml is a drop-in and must end in .json"}
    args, variables = in_role(claude_code_provider="anthropic", claude_code_plan="team")
    result, _host = run(args, variables, role=A.ROLE, host=Host(reply=reply))
    assert result["msg"] == "claude_code_settings_path: /x/managed-settings.d/50.yml is a drop-in and must end in .json"
    reply = {"failed": True, "msg": "shell_paths.sh: 'rel/x' is not an absolute path"}
    result, _host = run(args, variables, role=A.ROLE, host=Host(reply=reply))
    assert result["msg"] == "claude_code_settings_shell_paths.sh: 'rel/x' is not an absolute path"
    result, _host = run(dict(BEDROCK), host=Host(reply=reply))
    assert result["msg"] == reply["msg"]  # a task of the user's own: the option is the name


def test_windows_is_refused_before_anything():
    result, host = run(dict(BEDROCK), task_vars={"ansible_connection": "winrm"})
    assert (
        result["failed"]
        and "fleetpolicy.claude_code.mdm_export" in result["msg"]
        and "HKLM" in result["msg"]
        and not host.calls
    )


# ------------------------------------------------------------------------ the host's answer


def test_an_unreachable_host_is_one_short_line_with_the_reason():
    """Ansible prints an unreachable result whole: the reason on one line, no posture (the drift
    report computes an unreachable host's posture from its inventory)."""
    noise = "\n".join(f"debug1: line {i} of the ssh client's chatter" for i in range(200))
    host = Host(raises=AnsibleConnectionFailure("ssh: connect to host h1 port 22: Connection refused\n" + noise))
    result, host = run(dict(BEDROCK, profile="airgapped"), host=host)
    assert result == {
        "unreachable": True,
        "changed": False,
        "state": "present",
        "msg": result["msg"],
    }
    assert result["msg"].startswith(PREFIX + "ssh: connect to host h1 port 22: Connection refused debug1: line 0")
    assert "\n" not in result["msg"] and len(json.dumps(result)) < 1000


def test_a_module_failure_is_one_short_line_too():
    reply = {
        "failed": True,
        "msg": "/etc/claude-code: permission denied",
        "drift": [{"file": "/etc/x", "key": f"env.X{i}", "expected": "1", "found": None} for i in range(50)],
        "path": "/etc/claude-code/managed-settings.json",
        "backup_files": ["/etc/claude-code/managed-settings.json.20261207T101500.bak"],
    }
    result, _host = run(dict(BEDROCK), host=Host(reply=reply))
    assert result == {
        "failed": True,
        "changed": False,
        "msg": "/etc/claude-code: permission denied",
        "state": "present",
        "path": "/etc/claude-code/managed-settings.json",
        "backup_files": ["/etc/claude-code/managed-settings.json.20261207T101500.bak"],
    }


def test_the_pinned_cli_version_is_drift_when_the_host_has_another():
    cli = {"path": "/usr/local/bin/claude", "version": "2.1.300", "how": "--version"}
    result, _host = run(dict(BEDROCK, cli_version="2.1.332"), host=Host(reply={"changed": False, "cli": cli}))
    assert {"file": "/usr/local/bin/claude", "key": "(cli version)", "expected": "2.1.332", "found": "2.1.300"} in (
        result["drift"]
    )
    result, _host = run(dict(BEDROCK, cli_version="2.1.300"), host=Host(reply={"changed": False, "cli": cli}))
    assert not result.get("drift")
    result, _host = run(dict(BEDROCK), host=Host(reply={"changed": False, "cli": cli}))
    assert not result.get("drift")


def test_source_contents_stay_on_the_host_side():
    sources = [
        {
            "path": "/etc/claude-code/managed-settings.json",
            "kind": "main",
            "ours": True,
            "status": "ok",
            "content": compute(BEDROCK)["settings"],
        }
    ]
    result, _host = run(dict(BEDROCK), host=Host(reply={"changed": False, "sources": sources}))
    assert result["sources"] == [{k: v for k, v in sources[0].items() if k != "content"}]


def test_a_vaulted_value_is_refused_not_written():
    from ansible.parsing.vault import VaultedValue, VaultLib, VaultSecret

    vault = VaultLib([("default", VaultSecret(b"unit-tests-only"))])
    plaintext = "vault-plaintext-unit"
    value = VaultedValue(ciphertext=vault.encrypt(plaintext).decode()).tag(plaintext)  # as 2.19 hands it over
    args, variables = in_role(
        claude_code_provider="anthropic", claude_code_plan="team", claude_code_extra_env={"MY_VALUE": value}
    )
    result, host = run(args, variables, role=A.ROLE)
    assert result["failed"] and not host.calls
    assert "field 'env.MY_VALUE' (variable claude_code_extra_env): got a vault-encrypted value" in result["msg"]
    assert plaintext not in result["msg"]


@pytest.mark.parametrize(
    "variables,message",
    [
        (
            {"claude_code_settings_path": "~/x.json"},
            'variable claude_code_settings_path: got "~/x.json"; ~ and relative paths are not expanded',
        ),
        ({"claude_code_settings_path": "etc/x.json"}, 'variable claude_code_settings_path: got "etc/x.json"'),
        (
            {"claude_code_settings_shell_paths": {"sh": "$HOME/.profile"}},
            'variable claude_code_settings_shell_paths.sh: got "$HOME/.profile"',
        ),
        (
            {"claude_code_settings_cli_paths": ["bin/claude"]},
            'variable claude_code_settings_cli_paths: got "bin/claude"',
        ),
    ],
)
def test_host_paths_must_be_absolute(variables, message):
    args, task_vars = in_role(claude_code_provider="anthropic", claude_code_plan="team", **variables)
    result, host = run(args, task_vars, role=A.ROLE)
    assert result["failed"] and not host.calls, result
    assert result["msg"].startswith(PREFIX + message), result["msg"]
    assert "an absolute path on the host" in result["msg"]


def test_credentials_go_to_the_no_log_option_and_are_never_quoted():
    env = {"ANTHROPIC_API_KEY": "sk-ant-api03-ACTIONactionACTION", "HTTPS_PROXY": "http://u:PROXYPW99@proxy:3128"}
    settings = {"x-tool": {"headers": {"Authorization": "Bearer ACTIONBEARER99"}}}
    policy = dict(provider="anthropic", plan="api", env=env, settings=settings)
    result, host = run(dict(policy, allow_secrets=True))
    ((_module, sent),) = host.calls
    assert sent["secrets"] == {
        "/env/ANTHROPIC_API_KEY": env["ANTHROPIC_API_KEY"],
        "/env/HTTPS_PROXY": env["HTTPS_PROXY"],
        "/x-tool/headers/Authorization": "Bearer ACTIONBEARER99",
    }
    assert "ACTION" not in str(sent["settings"]) and "PROXYPW99" not in str(sent["settings"])
    assert "HTTPS_PROXY" not in str(sent["exports"])  # never in a world-readable rc file
    policy["env"] = {"HTTPS_PROXY": env["HTTPS_PROXY"]}
    result, host = run(policy)  # without allow_secrets: refused, described, not quoted
    assert result["failed"] and not host.calls
    assert "got a URL with a password in its user part (29 characters; not shown)" in result["msg"]
    assert "PROXYPW99" not in result["msg"]


def test_warnings_from_host_text_are_escaped():
    sources = [
        {"path": "/etc/claude-code/managed-settings.json", "kind": "main", "ours": True, "status": "ok", "content": {}},
        {
            "path": "/etc/claude-code/managed-settings.d/\x1b]0;owned\x07.json",
            "kind": "dropin",
            "ours": False,
            "status": "unparseable",
            "error": "not valid JSON (\x1b[2J)",
            "content": None,
        },
    ]
    for fail in (True, False):
        result, _host = run(
            dict(BEDROCK, fail_on_effective=fail), host=Host(reply={"changed": False, "sources": sources})
        )
        shown = [result.get("msg") or ""] + [str(w) for w in result.get("warnings") or []]
        assert not any("\x1b" in text or "\x07" in text for text in shown), shown
        assert any("\\x1b]0;owned\\x07.json" in text for text in shown), shown


# ------------------------------------------------------------------------- the summary


class Fleet(Host):
    """A host that now holds what it was sent, plus managed sources of others (path, status, content)."""

    def __init__(self, *others, changed=True, warnings=None):
        super().__init__()
        self.others = others
        self.changed = changed
        self.warnings = warnings

    def execute(self, module_name, module_args, task_vars):
        reply = super().execute(module_name, module_args, task_vars)
        for path, status, content in self.others:
            error = None if status == "ok" else "Expecting ',' delimiter: line 1 column 12 (char 11)"
            reply["sources"].append(
                {"path": path, "kind": "dropin", "ours": False, "status": status, "error": error, "content": content}
            )
        reply["changed"] = self.changed
        reply["files"] = [reply["path"], "/etc/profile.d/claude-code.sh"]
        if self.warnings:
            reply["warnings"] = list(self.warnings)
        return reply


def role_run(host=None, check_mode=False, **variables):
    args, task_vars = in_role(**variables)
    action_host = host or Host()
    task = FakeTask(args, A.ROLE)
    task.check_mode = check_mode
    action = A.ActionModule(task, FakeConnection(), None, None, None)
    action._execute_module = action_host.execute
    return action.run(task_vars=dict(task_vars, inventory_hostname="h1"))


PRIVATE_TEAM = {"claude_code_provider": "anthropic", "claude_code_plan": "team", "claude_code_profile": "private"}
VENDOR = "/etc/claude-code/managed-settings.d/50-vendor.json"


def test_the_summary_says_what_was_set_with_values():
    result = role_run(host=Fleet(), **PRIVATE_TEAM)
    lines = result["summary"]
    text = "\n".join(lines)
    assert lines[0] == "set: anthropic team, profile private"
    assert "prompts go to Anthropic (Claude API / claude.ai sign-in) at api.anthropic.com" in lines
    assert "DISABLE_TELEMETRY=1" in text and "DISABLE_ERROR_REPORTING=1" in text
    assert "cleanupPeriodDays=14" in text and "allowedProviders=[anthropic]" in text and "feedbackDrafts=off" in text
    assert "local transcripts: 14 days (cleanupPeriodDays), Desktop sessions 14 days" in text
    # optional traffic in the words of _facts.TRAFFIC, never its identifiers
    assert "optional traffic still on: non-essential checks (release notes, model discovery);" in text
    for name in ("nonessential_traffic", "webfetch_check", "docs_lookup", "reaches Anthropic"):
        assert name not in text
    # the hosts it contacts, by who runs them
    contacts = {line.split(":")[0]: line for line in lines if line.startswith("contacts ")}
    assert sorted(contacts) == ["contacts Anthropic", "contacts third parties"]
    assert "raw.githubusercontent.com (GitHub)" in text and "registry.npmjs.org (npm, the package registry)" in text
    assert "github" not in contacts["contacts Anthropic"].lower()
    assert "files: /etc/claude-code/managed-settings.json, /etc/profile.d/claude-code.sh" in text
    assert lines[-1] == "Claude Code CLI: not found"
    assert max(len(line) for line in lines) <= 110, max(lines, key=len)


def test_a_cloud_host_names_its_provider_and_an_airgapped_one_little_else():
    result = role_run(
        claude_code_provider="bedrock", claude_code_aws_region="eu-west-1", claude_code_profile="airgapped"
    )
    lines = result["summary"]
    assert "contacts your cloud provider (Amazon Bedrock): bedrock-runtime.eu-west-1.amazonaws.com" in lines
    assert not any(line.startswith(("contacts Anthropic", "contacts third parties")) for line in lines), lines
    assert "optional traffic still on: Claude Code docs read by the built-in guide agent" in "\n".join(lines)


def test_the_summary_masks_credentials_with_the_collections_masker():
    secret = "sk-ant-api03-UNITSUMMARYSECRET0123456789"
    result = role_run(
        **PRIVATE_TEAM,
        claude_code_allow_secrets=True,
        claude_code_extra_env={"ANTHROPIC_API_KEY": secret, "MY_TEAM": "platform"},
        claude_code_extra_settings={"apiKeyHelper": "/usr/local/bin/key-helper", "companyAnnouncements": [secret]},
    )
    text = "\n".join(result["summary"])
    assert secret not in text and "sk-ant" not in text
    assert "ANTHROPIC_API_KEY=********" in text and "MY_TEAM=platform" in text
    assert "companyAnnouncements=[********]" in text
    assert "apiKeyHelper=/usr/local/bin/key-helper" in text  # the command that fetches one is no credential


def test_check_mode_says_would_set():
    result = role_run(check_mode=True, **PRIVATE_TEAM)
    assert result["summary"][0].startswith("would set (check mode, nothing was written): anthropic team")
    result = role_run(host=Fleet(changed=False), check_mode=True, **PRIVATE_TEAM)
    assert result["summary"][0].startswith("already set (check mode): anthropic team")
    result = role_run(host=Fleet(changed=False), **PRIVATE_TEAM)
    assert result["summary"][0].startswith("already set, nothing changed: anthropic team")


# ------------------------------------------------------------------ the effective state


def test_a_broken_foreign_dropin_fails_the_host_after_its_files_are_written():
    result = role_run(host=Fleet((VENDOR, "unparseable", None)), **PRIVATE_TEAM)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (
        PREFIX + "this run wrote its files, but Claude Code will refuse to start on this host: "
        f"{VENDOR} is unparseable (Expecting ',' delimiter: line 1 column 12 (char 11)); repair or remove "
        "it; this collection does not write it (ask whoever installed it). To go on with a warning instead, set "
        "claude_code_settings_fail_on_effective: false"
    )
    # Ansible prints a failed result whole: the reason and the files, no posture
    assert sorted(result) == ["changed", "failed", "files", "msg", "path", "state"]
    assert len(json.dumps(result)) < 1000


def test_a_foreign_dropin_that_weakens_the_host_fails_it_with_what_to_do():
    result = role_run(host=Fleet((VENDOR, "ok", {"env": {"DISABLE_TELEMETRY": ""}})), **PRIVATE_TEAM)
    assert result["failed"] is True
    assert (
        f"effective telemetry is on, not off: env.DISABLE_TELEMETRY in {VENDOR}; remove env.DISABLE_TELEMETRY "
        "from that file, or the file itself; this collection does not write it (ask whoever installed it); or "
        "have Claude Code read this collection's file after it (claude_code_settings_path: "
        "/etc/claude-code/managed-settings.d/99-fleetpolicy.json)" in result["msg"]
    )
    assert result["msg"].startswith(PREFIX + "this run wrote its files, but ")


def test_the_option_turns_the_failure_into_a_warning_naming_the_host():
    result = role_run(
        host=Fleet((VENDOR, "unparseable", None)), claude_code_settings_fail_on_effective=False, **PRIVATE_TEAM
    )
    assert not result.get("failed")
    (warning,) = result["warnings"]
    assert warning.startswith(f"host h1: Claude Code will refuse to start on this host: {VENDOR} is unparseable")
    assert warning.endswith("(claude_code_settings_fail_on_effective is false: the rollout goes on)")
    assert any(line.startswith("NOT IN EFFECT: Claude Code will refuse to start") for line in result["summary"])
    # -e claude_code_settings_fail_on_effective=false is a string: converted as Ansible converts a bool
    result = role_run(
        host=Fleet((VENDOR, "unparseable", None)), claude_code_settings_fail_on_effective="false", **PRIVATE_TEAM
    )
    assert not result.get("failed")


def test_check_mode_warns_that_the_rollout_will_fail_the_host():
    result = role_run(host=Fleet((VENDOR, "unparseable", None)), check_mode=True, **PRIVATE_TEAM)
    assert not result.get("failed")
    assert (
        result["warnings"][0]
        == "check mode, nothing was written; the rollout will fail this host: " + (result["would_fail"])
    )
    assert result["would_fail"].startswith(
        PREFIX + "a rollout would write its files, but Claude Code will refuse to start on this host: " + VENDOR
    )
    assert any(line.startswith("WOULD FAIL: Claude Code will refuse to start") for line in result["summary"])
    assert result["effective"]["broken"][0]["file"] == VENDOR  # the drift report's status: broken


def test_module_warnings_pass_on_as_ansibles_own_and_ours_are_added():
    """ansible-core 2.19 hands the action a module's warnings as WarningSummary objects: they go on
    untouched (Ansible displays them), and the summary never joins them into text."""
    from ansible.module_utils._internal._messages import Event, WarningSummary

    theirs = WarningSummary(event=Event(msg="the module's own warning"))
    result = role_run(
        host=Fleet((VENDOR, "ok", {"env": {"DISABLE_TELEMETRY": ""}}), warnings=[theirs]),
        claude_code_settings_fail_on_effective=False,
        **PRIVATE_TEAM,
    )
    assert result["warnings"][0] is theirs
    # ours: one per control the drop-in leaves weaker (DISABLE_TELEMETRY also stops feature flags)
    assert [w.split(" ")[3] for w in result["warnings"][1:]] == ["telemetry", "feature_flags"]
    assert all(w.startswith("host h1: effective ") for w in result["warnings"][1:])
    assert "the module's own warning" not in "\n".join(result["summary"])
    # a failing host keeps them too
    result = role_run(host=Fleet((VENDOR, "unparseable", None), warnings=[theirs]), **PRIVATE_TEAM)
    assert result["failed"] and result["warnings"] == [theirs]
    result, _host = run(dict(BEDROCK), host=Host(reply={"failed": True, "msg": "no", "warnings": [theirs]}))
    assert result["warnings"] == [theirs]


# -------------------------------------------------------------------------- regions


@pytest.mark.parametrize(
    "variables, field, meant",
    [
        ({"claude_code_provider": "bedrock", "claude_code_aws_region": "us-eest-1"}, "aws_region", "us-east-1"),
        (
            {
                "claude_code_provider": "vertex",
                "claude_code_vertex_project_id": "acme-ml-prod",
                "claude_code_vertex_region": "europe-west99",
            },
            "vertex_region",
            None,
        ),
    ],
)
def test_a_region_not_in_the_public_list_is_taken_with_a_warning(variables, field, meant):
    result = role_run(**variables)
    assert not result.get("failed") and result["changed"]
    (warning,) = result["warnings"]
    assert warning.startswith(f"host h1: field '{field}' (variable claude_code_{field}): got \"")
    assert ("list of AWS regions" if field == "aws_region" else "list of Vertex AI regions") in warning
    assert (f"(did you mean {meant}?)" in warning) is bool(meant)
    assert "prompts would go to " + result["posture"]["model_endpoint"] in warning
    assert any(line.startswith(f"WARNING: {field}: got") for line in result["summary"])


def test_a_known_region_gives_no_warning():
    for region in ("us-east-1", "eu-central-2", "us-gov-west-1"):
        result = role_run(claude_code_provider="bedrock", claude_code_aws_region=region)
        assert "warnings" not in result, result["warnings"]


def test_the_role_variable_is_converted_and_the_result_carries_the_checksum():
    args, variables = in_role(
        claude_code_provider="anthropic",
        claude_code_plan="api",
        claude_code_base_url="https://llm-gateway.example.com",
        claude_code_gateway_hint_headers="yes",
    )
    result, host = run(args, variables, role=A.ROLE)
    assert not result.get("failed"), result
    sent = host.calls[0][1]["settings"]
    assert sent["env"]["CLAUDE_CODE_GATEWAY_HINT_HEADERS"] == "1"
    # the stand-in host now holds what it was sent: the checksum is that document's
    assert result["effective"]["checksum"] == C.checksum(sent)
    assert result["effective"]["gateway_hint_headers"] is True
    args["gateway_hint_headers"] = None
    result, host = run(args, variables, role=A.ROLE)
    assert result["effective"]["gateway_hint_headers"] is False
    assert result["effective"]["checksum"] == C.checksum(host.calls[0][1]["settings"])
