"""Secrets: with claude_code_allow_secrets and credentials in claude_code_extra_env, run the role with -vvv,
--diff, backups, check mode, a credential rotation and a removal; then scan every file the runs
wrote (rc files, backups, temp dirs, the saved module result), the Ansible log and stdout/stderr.
Only the managed settings file itself may hold the current credentials (that is what
allow_secrets asks for); nothing else may hold any credential, old or new."""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import textwrap

import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

from ._helpers import ansible_env, figure, rc_paths, tool


def _secret_value_pattern():
    from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout

    return [re.compile(pattern) for _label, pattern in _layout.SECRET_VALUE_PATTERNS]


def _credentials(tag):
    rand = secrets.token_hex(16)
    return {
        "ANTHROPIC_API_KEY": f"sk-ant-api03-{tag}-{rand}",  # by name and by value
        "AWS_SECRET_ACCESS_KEY": f"{tag}{secrets.token_hex(18)}Qz",  # by name only
        "GH_TOKEN_FOR_MCP": f"ghp_{tag}{secrets.token_hex(14)}",  # by value only
        "ANTHROPIC_CUSTOM_HEADERS": f"X-Gateway-Auth: {tag}-{rand[::-1]}",  # by name (_HEADERS)
    }


def _scan(text, needles, pattern):
    found = [n for n in needles if n in text]
    found += [m.group(0) for regex in pattern for m in regex.finditer(text)]
    return found


def test_no_credential_outside_the_managed_file(tmp_path):
    playbook_bin = tool("ansible-playbook")
    pattern = _secret_value_pattern()
    host_root = tmp_path / "host" / "etc"
    paths = rc_paths(str(host_root))
    os.makedirs(os.path.dirname(paths["zsh"]))
    with open(paths["bash"], "w") as handle:
        handle.write("# the distribution's bash.bashrc\nalias ll='ls -l'\n")
    settings_path = str(host_root / "claude-code" / "managed-settings.json")
    os.makedirs(os.path.dirname(settings_path))
    with open(settings_path, "w") as handle:
        json.dump({"env": {"DISABLE_TELEMETRY": "1"}}, handle)

    control = tmp_path / "control"
    control.mkdir()
    remote_tmp = tmp_path / "host" / "ansible-tmp"
    log = tmp_path / "host" / "ansible.log"
    result_file = tmp_path / "host" / "module-result.json"
    first, second = _credentials("one"), _credentials("two")
    all_needles = list(first.values()) + list(second.values())

    def inventory(creds):
        host = {
            "ansible_connection": "local",
            "claude_code_settings_cli_account": "root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
            "ansible_python_interpreter": sys.executable,
            "claude_code_provider": "anthropic",
            "claude_code_plan": "api",
            "claude_code_profile": "private",
            "claude_code_allow_secrets": True,
            "claude_code_extra_env": dict(creds, CLAUDE_CODE_EXTRA_BODY_NOTE="visible"),
            "claude_code_settings_path": settings_path,
            "claude_code_settings_shells": list(paths),
            "claude_code_settings_shell_paths": paths,
            "claude_code_settings_backup": True,
        }
        (control / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"secret-host": host}}}))

    (control / "site.yml").write_text(
        textwrap.dedent(
            f"""\
        - name: Roll out (the collection's own playbook, -vvv, --diff)
          ansible.builtin.import_playbook: fleetpolicy.claude_code.rollout

        - name: Roll out again in a play of our own, then show and keep the module's result
          hosts: all
          gather_facts: false
          roles:
            - role: fleetpolicy.claude_code.settings
          tasks:
            - name: Print the registered module result
              ansible.builtin.debug:
                var: claude_code_result
            - name: Save the registered module result
              ansible.builtin.copy:
                content: "{{{{ claude_code_result | to_nice_json }}}}"
                dest: "{result_file}"
                mode: "0600"
        """
        )
    )
    outputs = []

    def play(*extra):
        proc = run_playbook(
            [playbook_bin, "-i", str(control / "hosts.yml"), str(control / "site.yml"), "-vvv"] + list(extra),
            cwd=str(control),
            merge_stderr=False,
            env=ansible_env(
                ANSIBLE_LOG_PATH=str(log),
                ANSIBLE_REMOTE_TMP=str(remote_tmp),
                ANSIBLE_LOCAL_TEMP=str(tmp_path / "host" / "ansible-local"),
            ),
        )
        outputs.append(("ansible-playbook {}".format(" ".join(extra)), proc.output + proc.stderr))
        assert proc.returncode == 0, proc.output[-4000:] + proc.stderr[-2000:]
        return proc

    inventory(first)
    play("--diff")  # first write: backups of the old files, diffs
    inventory(second)
    play("--diff", "--check")  # drift detection with rotated credentials
    play("--diff")  # the rotation: backup of a file holding the old ones
    play("--diff", "-e", "claude_code_settings_state=absent")  # removal, with a backup

    # What the managed file held while it existed: the credentials, and nothing else leaked them.
    scanned = leaks = 0
    problems = []
    for dirpath, _dirs, files in os.walk(str(tmp_path / "host")):
        for name in files:
            full = os.path.join(dirpath, name)
            with open(full, "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
            scanned += 1
            hits = _scan(text, all_needles, pattern)
            if hits:
                leaks += 1
                problems.append((full, hits[:3]))
    for label, text in outputs:
        scanned += 1
        hits = _scan(text, all_needles, pattern)
        if hits:
            leaks += 1
            problems.append((label, hits[:3]))
    figure("secrets:scanned", scanned)
    figure("secrets:leaks", leaks)
    assert not problems, f"credentials outside the managed settings file: {problems!r}"
    assert not os.path.exists(settings_path), "state=absent removed the file"
    backups = [f for f in os.listdir(os.path.dirname(settings_path)) if f.endswith(".bak")]
    assert len(backups) >= 3, backups  # first write, rotation, removal
    with open(str(result_file)) as handle:
        saved = json.load(handle)
    # The module's own result (drift is always there); a diff only where a file differed.
    assert saved.get("drift") is not None and ("diff" in saved) == bool(saved.get("changed")), saved


def test_managed_file_holds_the_credentials_and_rc_files_do_not(tmp_path):
    """The positive side, so the scan above cannot pass vacuously: with allow_secrets the managed
    file does hold the credentials, the rc files hold the other variables but none of them."""
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

    from ._helpers import run_module

    creds = _credentials("pos")
    policy = {
        "provider": "anthropic",
        "plan": "api",
        "allow_secrets": True,
        "env": dict(creds, CLAUDE_CODE_EXTRA_BODY_NOTE="visible"),
    }
    doc = compute(policy)["settings"]
    root = str(tmp_path / "etc")
    paths = rc_paths(root)
    res = run_module(
        {
            "path": os.path.join(root, "claude-code", "managed-settings.json"),
            "settings": doc,
            "shells": list(paths),
            "shell_paths": paths,
            "os_family": "Debian",
        },
        diff=True,
    )
    assert res.get("changed") and not res.get("failed"), res
    with open(os.path.join(root, "claude-code", "managed-settings.json")) as handle:
        assert json.load(handle)["env"] == doc["env"]
    for shell, path in paths.items():
        with open(path) as handle:
            text = handle.read()
        assert "CLAUDE_CODE_EXTRA_BODY_NOTE" in text, shell
        assert not [v for v in creds.values() if v in text] and not [n for n in creds if n in text], shell
    assert not [v for v in creds.values() if v in json.dumps(res)], "module output shows a credential"
    # rotation through the module alone (no no_log anywhere): check mode, diff, drift, backup
    rotated = _credentials("rot")
    doc2 = compute(dict(policy, env=dict(rotated, CLAUDE_CODE_EXTRA_BODY_NOTE="visible")))["settings"]
    args = {
        "path": os.path.join(root, "claude-code", "managed-settings.json"),
        "settings": doc2,
        "shells": list(paths),
        "shell_paths": paths,
        "os_family": "Debian",
        "backup": True,
    }
    pattern = _secret_value_pattern()
    for check in (True, False):
        res = run_module(args, check=check, diff=True)
        assert res.get("changed") and res.get("diff") and res.get("drift"), res
        out = json.dumps(res)
        assert not _scan(out, list(creds.values()) + list(rotated.values()), pattern), out
    (backup,) = res["backup_files"]
    with open(backup) as handle:
        kept = handle.read()
    assert not _scan(kept, list(creds.values()), pattern), kept
    assert json.loads(kept)["env"]["CLAUDE_CODE_EXTRA_BODY_NOTE"] == "visible"
