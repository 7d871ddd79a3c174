"""The controller computes, the target applies; the role is a boundary; errors are said once.

Real ansible-playbook runs of the rollout and drift playbooks on local hosts (each with its own
files under a temporary directory):
- compute() runs once per host per run, counted by wrapping it in the controller process before
  ansible-playbook forks its workers;
- a converged host costs one module invocation (counted from the -vvv log) and one task (the
  role's one task; the playbook skips the role spec's check, which the action does itself), plus
  one summary task for the whole play; a compliant drift run costs each host one task too;
- rollout and drift work with ANSIBLE_PRIVATE_ROLE_VARS=True as well as without;
- a bad provider value fails its host with one message, once, without a traceback or spec dump.
"""

import json
import os
import re
import subprocess
import sys

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHELLS = {
    "sh": "profile.d/claude-code.sh",
    "bash": "bash.bashrc",
    "zsh": "zsh/zshenv",
    "fish": "fish/conf.d/claude-code.fish",
    "environment_d": "environment.d/60-claude-code.conf",
}
BAD_MESSAGE = (
    "fleetpolicy.claude_code.apply: host bad-provider: field 'provider' (variable claude_code_provider): "
    'got "bedrok"; allowed: anthropic, bedrock, vertex, foundry, anthropic_aws (did you mean bedrock?)'
)

# Runs ansible-playbook with the policy core's compute() wrapped: every call appends a line to
# $FLEETPOLICY_COUNT_FILE. Workers are forked from this process, so they inherit the wrapper.
COUNTER = r"""
import os, sys
from ansible.utils.collection_loader._collection_finder import _AnsibleCollectionFinder
_AnsibleCollectionFinder(paths=os.environ["ANSIBLE_COLLECTIONS_PATH"].split(os.pathsep))._install()
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _policy
_original = _policy.compute
def _counted(policy):
    with open(os.environ["FLEETPOLICY_COUNT_FILE"], "a") as handle:
        handle.write("%d\n" % os.getpid())
    return _original(policy)
_policy.compute = _counted
from ansible.cli.playbook import main
sys.argv[0] = "ansible-playbook"
main()
"""


def _host(base, name, **policy):
    root = os.path.join(base, name)
    out = {
        "ansible_connection": "local",
        "claude_code_path": os.path.join(root, "claude-code", "managed-settings.json"),
        "claude_code_shell_paths": {s: os.path.join(root, p) for s, p in SHELLS.items()},
    }
    out.update(policy)
    return out


GOOD = {
    "bedrock-01": dict(
        claude_code_provider="bedrock", claude_code_aws_region="us-east-1", claude_code_profile="private"
    ),
    "vertex-01": dict(
        claude_code_provider="vertex",
        claude_code_vertex_project_id="acme-ml-prod",
        claude_code_vertex_region="us-east5",
        claude_code_profile="airgapped",
    ),
    "zdr-01": dict(claude_code_provider="anthropic", claude_code_plan="enterprise_zdr", claude_code_profile="private"),
}


@pytest.fixture(params=[False, True], ids=["shared-role-vars", "private-role-vars"])
def fleet(request, tmp_path, ansible_env):
    binary, env = ansible_env
    env = dict(env)
    if request.param:
        env["ANSIBLE_PRIVATE_ROLE_VARS"] = "True"
    hosts = {name: _host(str(tmp_path), name, **policy) for name, policy in GOOD.items()}
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    bad = tmp_path / "bad.yml"
    bad_hosts = dict(hosts, **{"bad-provider": _host(str(tmp_path), "bad-provider", claude_code_provider="bedrok")})
    bad.write_text(yaml.safe_dump({"all": {"hosts": bad_hosts}}))
    count = tmp_path / "compute-calls"
    counter = tmp_path / "counting-ansible-playbook.py"
    counter.write_text(COUNTER)

    def run(playbook, inv=inventory, *extra):
        if count.exists():
            count.unlink()
        proc = subprocess.run(
            [sys.executable, str(counter), "-i", str(inv), playbook] + list(extra),
            env=dict(env, FLEETPOLICY_COUNT_FILE=str(count)),
            cwd=str(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=300,
            check=False,
        )
        calls = len(count.read_text().splitlines()) if count.exists() else 0
        return proc.returncode, proc.stdout, calls

    return {"run": run, "bad": bad, "dir": tmp_path}


def _recap(out):
    return {
        m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
        for m in re.finditer(r"^(\S+)\s+:\s+(ok=.*)$", out, re.M)
    }


def test_rollout_computes_once_per_host_and_converges(fleet):
    rc, out, calls = fleet["run"]("fleetpolicy.claude_code.rollout")
    assert rc == 0, out[-3000:]
    assert calls == len(GOOD), "compute() ran %d times for %d hosts" % (calls, len(GOOD))
    recap = _recap(out)
    assert all(recap[h]["changed"] == 1 and recap[h]["failed"] == 0 for h in GOOD), recap
    for host in GOOD:
        assert "prompts go to" in out and f'"{host}": [' in out, out[-3000:]


def test_converged_host_costs_one_module_call_and_one_task(fleet):
    fleet["run"]("fleetpolicy.claude_code.rollout")
    rc, out, calls = fleet["run"]("fleetpolicy.claude_code.rollout", fleet["dir"] / "hosts.yml", "-vvv")
    assert rc == 0, out[-3000:]
    assert calls == len(GOOD)
    recap = _recap(out)
    assert all(recap[h]["changed"] == 0 for h in GOOD), recap
    # One module transfer per host: AnsiballZ_managed_settings.py and nothing else.
    modules = re.findall(r"PUT .*?/(AnsiballZ_\w+\.py)", out)
    assert sorted(set(modules)) == ["AnsiballZ_managed_settings.py"], sorted(set(modules))
    assert len(modules) == len(GOOD), modules
    # Per host: the one task; the summary runs once for the play.
    assert sum(recap[h]["ok"] for h in GOOD) == len(GOOD) + 1, recap
    tasks = re.findall(r"^TASK \[(.*?)\]", out, re.M)
    assert len(tasks) == 2, tasks


def test_drift_works_and_writes_the_report(fleet):
    fleet["run"]("fleetpolicy.claude_code.rollout")
    rc, out, calls = fleet["run"](
        "fleetpolicy.claude_code.drift",
        fleet["dir"] / "hosts.yml",
        "-e",
        "claude_code_report_dir=%s" % (fleet["dir"] / "reports"),
    )
    assert rc == 0, out[-3000:]
    assert calls == len(GOOD), "compute() ran %d times for %d hosts in a drift run" % (calls, len(GOOD))
    report = json.loads((fleet["dir"] / "reports" / "claude-code-drift.json").read_text())
    assert {h["host"]: h["status"] for h in report["hosts"]} == dict.fromkeys(GOOD, "compliant")
    # A compliant host runs the role's one task and nothing else per host: the report and the
    # grouping of hosts that are not compliant run once for the play.
    recap = _recap(out)
    assert all(recap[h]["ok"] + recap[h]["skipped"] <= 3 for h in GOOD), recap
    assert sum(recap[h]["ok"] + recap[h]["skipped"] for h in GOOD) == len(GOOD) + 2, recap
    assert all(report["postures"][h["intended_posture"]]["provider"] == h["provider"] for h in report["hosts"])


def test_bad_provider_is_said_once(fleet):
    rc, out, calls = fleet["run"]("fleetpolicy.claude_code.rollout", fleet["bad"])
    assert rc == 2, out[-3000:]
    fatal = [line for line in out.splitlines() if line.startswith("fatal: [bad-provider]")]
    assert len(fatal) == 1, out[-3000:]
    assert json.loads(fatal[0].split("=> ", 1)[1])["msg"] == BAD_MESSAGE
    # ansible-core >= 2.19 also heads every failed task with one [ERROR] line quoting the result's
    # msg; older releases print the fatal line alone. Nothing else repeats it.
    errors = [line for line in out.splitlines() if line.startswith("[ERROR]")]
    assert len(errors) <= 1 and all(line.endswith(BAD_MESSAGE) for line in errors), errors
    assert out.count(BAD_MESSAGE) == len(errors), out  # the fatal line holds it JSON-quoted
    for noise in ("<<< caused by >>>", "Traceback", "argument_spec", "Validation of arguments failed"):
        assert noise not in out, noise
    recap = _recap(out)
    assert recap["bad-provider"]["failed"] == 1 and all(recap[h]["failed"] == 0 for h in GOOD), recap
    assert not os.path.exists(fleet["dir"] / "bad-provider"), "a refused host got files"
