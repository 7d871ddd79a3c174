"""Fleet faults: the collection's rollout playbook over a fleet where some hosts are unreachable or
fail. The others converge (and stay converged on a second run), and every failing host is named in
the output and the recap. Only loopback is contacted (the unreachable host is a closed port on
127.0.0.1)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sys

import yaml

from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import ROLE_VARIABLES
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

from ._helpers import ansible_env, figure, rc_paths, tool, tree_digest

OPTIONS = {variable: option for option, variable in ROLE_VARIABLES.items()}

GOOD = {
    "good-bedrock": {
        "claude_code_provider": "bedrock",
        "claude_code_aws_region": "eu-west-1",
        "claude_code_profile": "private",
    },
    "good-vertex": {
        "claude_code_provider": "vertex",
        "claude_code_vertex_project_id": "acme-ml-prod",
        "claude_code_vertex_region": "us-east5",
        "claude_code_profile": "airgapped",
    },
    "good-team": {"claude_code_provider": "anthropic", "claude_code_plan": "team"},
}


def _closed_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the socket is


def test_failing_hosts_are_named_and_the_rest_converge(tmp_path):
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute

    playbook_bin = tool("ansible-playbook")
    hosts, roots = {}, {}

    def local(name, **extra):
        root = str(tmp_path / "hosts" / name)
        os.makedirs(root)
        roots[name] = root
        host = {
            "ansible_connection": "local",
            "claude_code_settings_cli_account": "root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
            "ansible_python_interpreter": sys.executable,
            "claude_code_settings_path": os.path.join(root, "claude-code", "managed-settings.json"),
            "claude_code_settings_shells": list(rc_paths(root)),
            "claude_code_settings_shell_paths": rc_paths(root),
        }
        host.update(extra)
        hosts[name] = host
        return root

    for name, policy in GOOD.items():
        local(name, **policy)
    failing = {}
    # unreachable: ssh to a closed port on loopback
    hosts["down-ssh"] = {
        "ansible_connection": "ssh",
        "ansible_host": "127.0.0.1",
        "ansible_port": _closed_port(),
        "ansible_user": "nobody",
        "claude_code_provider": "anthropic",
        "claude_code_plan": "team",
        "ansible_ssh_common_args": "-o BatchMode=yes -o ConnectTimeout=3 -o StrictHostKeyChecking=no "
        "-o UserKnownHostsFile=/dev/null",
    }
    failing["down-ssh"] = "unreachable" if shutil.which("ssh") else "failed"
    # no Python where the inventory says it is
    local(
        "no-python",
        ansible_python_interpreter="/nonexistent/bin/python3",
        claude_code_provider="anthropic",
        claude_code_plan="team",
    )
    failing["no-python"] = "failed"
    # the managed file is a symlink to somewhere else
    root = local("symlinked", claude_code_provider="anthropic", claude_code_plan="team")
    os.makedirs(os.path.join(root, "claude-code"))
    (tmp_path / "elsewhere.json").write_text("{}")
    os.symlink(str(tmp_path / "elsewhere.json"), os.path.join(root, "claude-code", "managed-settings.json"))
    failing["symlinked"] = "failed"
    # a file where the managed directory should be
    root = local("blocked-dir", claude_code_provider="anthropic", claude_code_plan="team")
    with open(os.path.join(root, "claude-code"), "w") as handle:
        handle.write("not a directory\n")
    failing["blocked-dir"] = "failed"
    # a policy that cannot be right
    local("bad-policy", claude_code_provider="bedrock")
    failing["bad-policy"] = "failed"

    inv = tmp_path / "hosts.yml"
    inv.write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    env = ansible_env(ANSIBLE_SSH_CONTROL_PATH_DIR=str(tmp_path / "cp"), ANSIBLE_TIMEOUT="5")
    failing_before = {n: tree_digest(roots[n]) for n in failing if n in roots}

    runs = []
    for _run in range(2):
        proc = run_playbook(
            [playbook_bin, "-i", str(inv), "fleetpolicy.claude_code.rollout", "--forks", "8"],
            cwd=str(tmp_path),
            env=env,
            merge_stderr=False,
        )
        runs.append(proc)
        assert proc.returncode in (2, 4), (proc.returncode, proc.output[-3000:], proc.stderr[-2000:])
    first, second = (p.recap for p in runs)

    converged = 0
    for name, policy in GOOD.items():
        policy_dict = {OPTIONS[k]: v for k, v in policy.items()}
        want = compute(policy_dict)["settings"]
        with open(hosts[name]["claude_code_settings_path"]) as handle:
            assert json.load(handle) == want, name
        assert first[name]["failed"] == 0 and first[name]["unreachable"] == 0 and first[name]["changed"] == 1, (
            name,
            first[name],
        )
        assert second[name]["failed"] == 0 and second[name]["changed"] == 0, (name, second[name])
        converged += 1

    named = 0
    for name, how in failing.items():
        for proc, recap in zip(runs, (first, second)):
            assert recap[name][how] >= 1, (name, how, recap[name])
            word = "UNREACHABLE!" if how == "unreachable" else "FAILED!"
            assert re.search(rf"^(fatal|failed): \[{re.escape(name)}\]: {word}", proc.output, re.M), (
                name,
                proc.output[-3000:],
            )
        named += 1
    for name, before in failing_before.items():
        assert tree_digest(roots[name]) == before, f"files of failing host {name} changed"
    figure("fleet:hosts", len(hosts), add=False)
    figure("fleet:converged", converged, add=False)
    figure("fleet:named", named, add=False)
    figure("fleet:failing_names", ", ".join(sorted(failing)), add=False)
