"""The settings role is a boundary: real ansible-playbook runs of the rollout and drift playbooks,
and of a playbook of the user's own, on local hosts (each with its files under a temporary
directory).

- the rollout converges every good host to the document the policy core computes, and a second
  run changes nothing; drift then finds every host compliant; both work with
  ANSIBLE_PRIVATE_ROLE_VARS=True as well as without;
- typed variables given on the command line (`-e name=value`, always strings) are converted as
  Ansible converts typed options, and a wrong one fails each host with one message naming the
  role variable;
- a bad provider value fails its host with one message, once, without a traceback or spec dump;
- the role works in a playbook with Ansible's own role validation on (`roles:`).
"""

import json
import os

import pytest
import yaml

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support.local_host import SHELLS, host_vars
from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

BAD_MESSAGE = (
    "fleetpolicy.claude_code.apply: host bad-provider: field 'provider' (variable claude_code_provider): "
    'got "bedrok"; allowed: anthropic, bedrock, vertex, foundry, anthropic_aws (did you mean bedrock?)'
)
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
# The policy of each good host, as the policy core takes it.
POLICIES = {
    host: {name[len("claude_code_") :]: value for name, value in variables.items()} for host, variables in GOOD.items()
}
# A playbook of the user's own: `roles:` runs Ansible's validation of the role's argument spec first.
USER_PLAYBOOK = """\
- name: The settings role with Ansible's own argument spec validation
  hosts: all
  gather_facts: false
  roles:
    - role: fleetpolicy.claude_code.settings
"""


def _written(fleet, host):
    with open(os.path.join(fleet["dir"], host, "claude-code", "managed-settings.json")) as handle:
        return json.load(handle)


@pytest.fixture(params=[False, True], ids=["shared-role-vars", "private-role-vars"])
def fleet(request, tmp_path, ansible_env):
    binary, env = ansible_env
    env = dict(env)
    if request.param:
        env["ANSIBLE_PRIVATE_ROLE_VARS"] = "True"
    hosts = {name: host_vars(str(tmp_path), name, **policy) for name, policy in GOOD.items()}
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": hosts}}))
    bad = tmp_path / "bad.yml"
    bad_hosts = dict(hosts, **{"bad-provider": host_vars(str(tmp_path), "bad-provider", claude_code_provider="bedrok")})
    bad.write_text(yaml.safe_dump({"all": {"hosts": bad_hosts}}))
    (tmp_path / "mine.yml").write_text(USER_PLAYBOOK)

    def run(playbook, *extra, inv=inventory):
        return run_playbook([binary, "-i", inv, playbook, *extra], env=env, cwd=str(tmp_path), timeout=300)

    return {"run": run, "bad": bad, "dir": str(tmp_path)}


def test_rollout_converges_then_changes_nothing(fleet):
    first = fleet["run"]("fleetpolicy.claude_code.rollout")
    assert first.returncode == 0, first.output[-3000:]
    for host in GOOD:
        assert first.recap[host]["changed"] == 1 and first.recap[host]["failed"] == 0, first.recap
        assert _written(fleet, host) == compute(POLICIES[host])["settings"], host
        assert f'"{host}": [' in first.output and "prompts go to" in first.output, first.output[-3000:]
    again = fleet["run"]("fleetpolicy.claude_code.rollout")
    assert again.returncode == 0, again.output[-3000:]
    assert all(again.recap[h]["changed"] == 0 and again.recap[h]["failed"] == 0 for h in GOOD), again.recap


def test_drift_finds_the_converged_fleet_compliant(fleet):
    fleet["run"]("fleetpolicy.claude_code.rollout")
    reports = os.path.join(fleet["dir"], "reports")
    run = fleet["run"]("fleetpolicy.claude_code.drift", "-e", f"claude_code_report_dir={reports}")
    assert run.returncode == 0, run.output[-3000:]
    with open(os.path.join(reports, "claude-code-drift.json")) as handle:
        report = json.load(handle)
    assert {h["host"]: h["status"] for h in report["hosts"]} == dict.fromkeys(GOOD, "compliant")
    assert all(report["postures"][h["intended_posture"]]["provider"] == h["provider"] for h in report["hosts"])
    assert all(run.recap[h]["failed"] == 0 and run.recap[h]["changed"] == 0 for h in GOOD), run.recap


def test_command_line_strings_are_converted_like_typed_options(fleet):
    run = fleet["run"](
        "fleetpolicy.claude_code.rollout",
        "-e",
        "claude_code_lock_provider=false",
        "-e",
        "claude_code_transcript_retention_days=7",
        "-e",
        "claude_code_settings_backup=yes",
        "-e",
        "claude_code_settings_shells=sh,bash",
    )
    assert run.returncode == 0, run.output[-3000:]
    for host in GOOD:
        policy = dict(POLICIES[host], lock_provider=False, transcript_retention_days=7)
        written = _written(fleet, host)
        assert written == compute(policy)["settings"], host
        assert written["cleanupPeriodDays"] == 7 and "allowedProviders" not in written, written
        root = os.path.join(fleet["dir"], host)
        assert os.path.exists(os.path.join(root, SHELLS["sh"])) and not os.path.exists(
            os.path.join(root, SHELLS["fish"])
        ), host


def test_a_wrong_command_line_value_names_the_role_variable(fleet):
    run = fleet["run"]("fleetpolicy.claude_code.rollout", "-e", "claude_code_settings_shells=sh,zhs")
    assert run.returncode == 2, run.output[-3000:]
    for host in GOOD:
        assert [f["msg"] for f in run.fatal[host]] == [
            f"fleetpolicy.claude_code.apply: host {host}: variable claude_code_settings_shells: "
            'got "zhs"; allowed: sh, bash, zsh, fish, environment_d (did you mean zsh?)'
        ], run.fatal
        assert not os.path.exists(os.path.join(fleet["dir"], host)), "a refused host got files"


def test_bad_provider_is_said_once(fleet):
    run = fleet["run"]("fleetpolicy.claude_code.rollout", inv=fleet["bad"])
    out = run.output
    assert run.returncode == 2, out[-3000:]
    assert [f["msg"] for f in run.fatal["bad-provider"]] == [BAD_MESSAGE], out[-3000:]
    # ansible-core >= 2.19 also heads every failed task with one [ERROR] line quoting the result's
    # msg. Nothing else repeats it.
    errors = [line for line in out.splitlines() if line.startswith("[ERROR]")]
    assert len(errors) <= 1 and all(line.endswith(BAD_MESSAGE) for line in errors), errors
    assert out.count(BAD_MESSAGE) == len(errors), out  # the fatal line holds it JSON-quoted
    for noise in ("<<< caused by >>>", "Traceback", "argument_spec", "Validation of arguments failed"):
        assert noise not in out, noise
    assert run.recap["bad-provider"]["failed"] == 1 and all(run.recap[h]["failed"] == 0 for h in GOOD), run.recap
    assert not os.path.exists(os.path.join(fleet["dir"], "bad-provider")), "a refused host got files"


def test_the_role_works_with_ansible_validation_on(fleet):
    mine = os.path.join(fleet["dir"], "mine.yml")
    run = fleet["run"](mine, "-e", "claude_code_transcript_retention_days=9", "-e", "claude_code_settings_merge=no")
    assert run.returncode == 0, run.output[-3000:]
    assert "Validating arguments against arg spec" in run.output, run.output[-3000:]
    for host in GOOD:
        assert _written(fleet, host) == compute(dict(POLICIES[host], transcript_retention_days=9))["settings"], host
    # A wrong value is refused by Ansible's validation first, before the role's task runs.
    run = fleet["run"](mine, "-e", "claude_code_transcript_retention_days=a week")
    assert run.returncode == 2, run.output[-3000:]
    for host in GOOD:
        assert len(run.fatal[host]) == 1 and "claude_code_transcript_retention_days" in run.fatal[host][0]["msg"]
