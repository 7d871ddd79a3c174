"""The AWX / Automation Platform objects in docs/awx/ (docs/awx.md): valid YAML and JSON, a survey
spec AWX accepts, job templates whose playbooks exist in the example project and import playbooks
this collection has, a workflow whose nodes name those job templates and link to nodes that exist,
and the project's playbooks pass ansible-playbook --syntax-check against this checkout.

The survey rules are AWX's own (awx/main/models/mixins.py SurveyJobTemplateMixin and
awx/api/views/__init__.py JobTemplateSurveySpec: the spec's name, description and spec list; each
question's question_name, variable, type and required; choices and a default among them for the
choice types; unique variable names).
"""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AWX = os.path.join(ROOT, "docs", "awx")
SURVEY_TYPES = ("text", "textarea", "password", "integer", "float", "multiplechoice", "multiselect")
VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _yaml(name: str):
    with open(os.path.join(AWX, name), encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _survey() -> dict:
    with open(os.path.join(AWX, "drift_survey.json"), encoding="utf-8") as handle:
        return json.load(handle)


def _module_doc(name: str) -> dict:
    with open(os.path.join(ROOT, "plugins", "modules", name + ".py"), encoding="utf-8") as handle:
        text = handle.read()
    return yaml.safe_load(text.split('DOCUMENTATION = r"""', 1)[1].split('"""', 1)[0])


def _job_templates() -> dict[str, dict]:
    tasks = _yaml("job_templates.yml")
    assert isinstance(tasks, list) and tasks
    out = {}
    for task in tasks:
        assert set(task) == {"name", "awx.awx.job_template"}, task
        options = task["awx.awx.job_template"]
        out[options["name"]] = options
    return out


def test_survey_spec_is_one_awx_accepts():
    survey = _survey()
    assert set(survey) == {"name", "description", "spec"}
    assert isinstance(survey["name"], str) and survey["name"] and isinstance(survey["description"], str)
    assert isinstance(survey["spec"], list) and survey["spec"]
    variables = [question["variable"] for question in survey["spec"]]
    assert len(variables) == len(set(variables))
    for question in survey["spec"]:
        assert question["type"] in SURVEY_TYPES, question
        assert isinstance(question["question_name"], str) and question["question_name"], question
        assert VARIABLE.match(question["variable"]), question
        assert isinstance(question["required"], bool), question
        if question["type"] in ("multiplechoice", "multiselect"):
            choices = question["choices"]
            assert isinstance(choices, list) and choices and len(choices) == len(set(choices)), question
            defaults = question["default"].split("\n") if question["type"] == "multiselect" else [question["default"]]
            assert set(defaults) <= set(choices), question
        else:
            assert isinstance(question["min"], int) and isinstance(question["max"], int), question
            assert question["min"] <= len(question["default"]) <= question["max"], question


def test_survey_asks_only_for_what_the_drift_playbook_reads():
    with open(os.path.join(ROOT, "playbooks", "drift.yml"), encoding="utf-8") as handle:
        playbook = handle.read()
    spec = {question["variable"]: question for question in _survey()["spec"]}
    for variable in spec:
        assert variable in playbook, variable
    formats = _module_doc("drift_report")["options"]["formats"]
    assert spec["claude_code_report_formats"]["choices"] == formats["choices"]
    assert spec["claude_code_report_formats"]["default"].split("\n") == formats["default"]


def test_job_templates_run_project_playbooks_that_import_this_collections():
    templates = _job_templates()
    assert sorted(templates) == ["Claude Code drift", "Claude Code rollout"]
    for name, options in templates.items():
        project_playbook = os.path.join(AWX, "project", options["playbook"])
        assert os.path.isfile(project_playbook), (name, options["playbook"])
        with open(project_playbook, encoding="utf-8") as handle:
            plays = yaml.safe_load(handle)
        imported = [play["ansible.builtin.import_playbook"] for play in plays]
        assert imported and all(i.startswith("fleetpolicy.claude_code.") for i in imported), imported
        for fqcn in imported:
            assert os.path.isfile(os.path.join(ROOT, "playbooks", fqcn.rsplit(".", 1)[1] + ".yml")), fqcn
    drift = templates["Claude Code drift"]
    assert drift["survey_enabled"] is True
    assert drift["survey_spec"] == "{{ lookup('ansible.builtin.file', 'drift_survey.json') | from_json }}"
    # the rollout node's extra_data and the drift job's artifacts reach the rollout only if it prompts
    assert templates["Claude Code rollout"]["ask_variables_on_launch"] is True


def test_workflow_repairs_only_what_drift_found():
    tasks = _yaml("workflow.yml")
    assert len(tasks) == 1 and set(tasks[0]) == {"name", "awx.awx.workflow_job_template"}
    workflow = tasks[0]["awx.awx.workflow_job_template"]
    templates = _job_templates()
    nodes = {node["identifier"]: node for node in workflow["workflow_nodes"]}
    assert len(nodes) == len(workflow["workflow_nodes"])
    for identifier, node in nodes.items():
        assert node["unified_job_template"]["type"] == "job_template", identifier
        assert node["unified_job_template"]["name"] in templates, identifier
        for kind in ("success_nodes", "failure_nodes", "always_nodes"):
            for child in node["related"][kind]:
                assert child["identifier"] in nodes, (identifier, kind, child)
    # drift fails when a host is not compliant: the rollout hangs on its failure path, limited by
    # the artifacts (claude_code_hosts from set_stats) or, failing those, by '!all' (no host)
    assert [c["identifier"] for c in nodes["drift"]["related"]["failure_nodes"]] == ["repair"]
    assert nodes["drift"]["related"]["success_nodes"] == []
    assert nodes["repair"]["unified_job_template"]["name"] == "Claude Code rollout"
    assert nodes["repair"]["extra_data"] == {"claude_code_hosts": "!all"}
    assert [c["identifier"] for c in nodes["repair"]["related"]["success_nodes"]] == ["verify"]
    assert nodes["verify"]["unified_job_template"]["name"] == "Claude Code drift"
    # the workflow itself must not set claude_code_hosts: its extra variables win over artifacts
    assert "claude_code_hosts" not in json.dumps(workflow.get("extra_vars") or {})
    assert not workflow.get("survey_enabled")


def test_drift_playbook_hands_claude_code_hosts_to_set_stats():
    with open(os.path.join(ROOT, "playbooks", "drift.yml"), encoding="utf-8") as handle:
        plays = yaml.safe_load(handle)
    stats = [t for t in plays[0]["tasks"] if "ansible.builtin.set_stats" in t]
    assert len(stats) == 1
    task = stats[0]["ansible.builtin.set_stats"]
    assert task["per_host"] is False and task["aggregate"] is True
    assert "claude_code_hosts" in task["data"]


@pytest.mark.parametrize("playbook", ["drift.yml", "rollout.yml"])
def test_project_playbooks_pass_syntax_check(ansible_env, playbook):
    binary, env = ansible_env
    proc = subprocess.run(
        [binary, "--syntax-check", "-i", "localhost,", os.path.join(AWX, "project", playbook)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "WARNING" not in proc.stdout + proc.stderr, proc.stdout + proc.stderr
