"""ARA Records Ansible as the run history (docs/ara.md): the drift playbook run with ARA's callback
and its default SQLite database, then found through the `ara` command: the playbook, its status,
each host's status, and the failed result of the host that is not compliant with its reason.

Local hosts as in test_drift.py: one rolled out (compliant), one whose provider needs a plan it
does not have (failed). ARA's "offline" client (its default) serves the API inside the `ara`
process: nothing listens on a port.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest
import yaml
from test_drift import play

from ansible_collections.fleetpolicy.claude_code.tests._support.local_host import host_vars

# ara[server] comes with requirements/test.txt; without it (a venv made otherwise) the reason is said.
ARA_MISSING = (
    None
    if importlib.util.find_spec("ara") and importlib.util.find_spec("django")
    else f"ara[server] is not installed next to {sys.executable}: run scripts/bootstrap.sh venv"
)


@pytest.fixture(scope="module")
def ara_run(tmp_path_factory, ansible_env):
    if ARA_MISSING:
        pytest.skip(ARA_MISSING)
    base = str(tmp_path_factory.mktemp("ara"))
    hosts = {
        "compliant-01": host_vars(
            base,
            "compliant-01",
            claude_code_provider="anthropic",
            claude_code_plan="team",
            claude_code_profile="private",
        ),
        "missing-plan-01": host_vars(base, "missing-plan-01", claude_code_provider="anthropic"),
    }
    inventory = os.path.join(base, "hosts.yml")
    with open(inventory, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"all": {"hosts": hosts}}, handle)
    rc, out = play(ansible_env, inventory, "fleetpolicy.claude_code.rollout", "--limit", "compliant-01")
    assert rc == 0, out

    # What docs/ara.md says: the callback from `python3 -m ara.setup.callback_plugins`, SQLite in
    # ARA_BASE_DIR (default ~/.ara/server; a temporary one here).
    plugins = subprocess.run(
        [sys.executable, "-m", "ara.setup.callback_plugins"], capture_output=True, text=True, check=True
    ).stdout.strip()
    ara_env = {"ANSIBLE_CALLBACK_PLUGINS": plugins, "ARA_BASE_DIR": os.path.join(base, "ara")}
    rc, out = play(
        ansible_env,
        inventory,
        "fleetpolicy.claude_code.drift",
        "-e",
        "claude_code_report_dir={}".format(os.path.join(base, "reports")),
        env_extra=ara_env,
    )
    env = dict(ansible_env[1], **ara_env)
    ara = os.path.join(os.path.dirname(sys.executable), "ara")

    def query(*args):
        proc = subprocess.run(
            [ara, *args, "-f", "json"], env=env, capture_output=True, text=True, timeout=120, check=False
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return json.loads(proc.stdout)

    return {"rc": rc, "out": out, "base": base, "query": query}


def test_the_run_is_recorded_in_sqlite(ara_run):
    assert ara_run["rc"] == 2, ara_run["out"]
    assert os.path.isfile(os.path.join(ara_run["base"], "ara", "ansible.sqlite"))
    playbooks = ara_run["query"]("playbook", "list")
    assert len(playbooks) == 1, playbooks
    recorded = playbooks[0]
    assert recorded["path"].endswith(os.path.join("playbooks", "drift.yml")), recorded
    # the two hosts, and localhost where the report is written (delegate_to: localhost)
    assert recorded["status"] == "failed" and recorded["hosts"] == 3, recorded


def test_each_hosts_status_and_the_failure_reason(ara_run):
    query = ara_run["query"]
    playbook = query("playbook", "list")[0]["id"]
    hosts = {h["name"]: h for h in query("host", "list", "--playbook", str(playbook))}
    assert sorted(hosts) == ["compliant-01", "localhost", "missing-plan-01"]
    assert hosts["compliant-01"]["failed"] == 0 and hosts["compliant-01"]["unreachable"] == 0
    assert hosts["localhost"]["failed"] == 0
    assert hosts["missing-plan-01"]["failed"] == 1
    assert hosts["compliant-01"]["changed"] == 0 and hosts["missing-plan-01"]["changed"] == 0
    # failed results: the settings role's (rescued) and the play that fails the host with its status
    failed = query("result", "list", "--playbook", str(playbook), "--status", "failed")
    assert {r["host"] for r in failed} == {hosts["missing-plan-01"]["id"]} and len(failed) == 2, failed
    last = max(failed, key=lambda r: r["id"])
    shown = query("result", "show", str(last["id"]), "--with-content")
    message = shown["content"]["msg"]
    assert message.startswith("failed: ") and "claude_code_plan" in message, shown
