# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection as users get it: the tarball built from this tree, installed into a clean path.

ansible-galaxy builds the tarball from a copy of the tree's files (tracked, and untracked but not
ignored by git), installs it where nothing else is found, and then, using only the installed copy:
ansible-doc of every module, plugin and role, the rollout playbook (--check on an empty target,
apply, --check again with changed=0) and the drift playbook (exit 2 before the rollout, 0 after)
against a local target in a temporary directory. Any [WARNING] or [DEPRECATION WARNING] fails.

It runs with the ansible-core installed next to sys.executable: in `make integration` the test
venv's, in the nox sessions rollout-X.Y each release's pins (noxfile.py, docs/quality-gates.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from typing import NamedTuple

import pytest

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import recap as playbook_recap

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BINDIR = os.path.dirname(sys.executable)
HOST = "tarball-local"

# What users need, and what must stay out of the tarball (galaxy.yml build_ignore).
REQUIRED = (
    "MANIFEST.json",
    "FILES.json",
    "README.md",
    "LICENSE",
    "meta/runtime.yml",
    "changelogs/changelog.yaml",
    "docs/sources.md",
    "plugins/modules/managed_settings.py",
    "roles/settings/meta/argument_specs.yml",
    "playbooks/rollout.yml",
    "playbooks/drift.yml",
)
EXCLUDED = re.compile(
    r"^(tests|extensions/molecule|benchmarks|scripts|requirements|\.ci|\.config|changelogs/fragments|docs/awx)(/|$)"
    r"|^(noxfile\.py|antsibull-nox\.toml|ruff\.toml|Makefile|\.pre-commit-config\.yaml|\.ansible-lint"
    r"|\.gitignore|execution-environment\.yml|requirements\.yml)$"
    r"|(^|/)(\.cache|\.venv|\.git|\.ansible|\.nox|__pycache__|\.pytest_cache|\.benchmarks|reports|dist)(/|$)"
)

INVENTORY = """\
all:
  hosts:
    {host}:
      ansible_connection: local
      claude_code_settings_cli_account: root
      ansible_python_interpreter: {python}
      claude_code_provider: bedrock
      claude_code_aws_region: us-east-1
      claude_code_profile: private
      claude_code_settings_path: {target}/etc/claude-code/managed-settings.json
      claude_code_settings_shell_paths:
        sh: {target}/etc/profile.d/claude-code.sh
        bash: {target}/etc/bash.bashrc
        zsh: {target}/etc/zsh/zshenv
        fish: {target}/etc/fish/conf.d/claude-code.fish
        environment_d: {target}/etc/environment.d/60-claude-code.conf
"""

WARNING = re.compile(r"^\[(DEPRECATION WARNING|WARNING)\]|^(DEPRECATION WARNING|WARNING): ", re.M)
# A warning ansible-core prints about itself, whatever the collection: ansible-core 2.21.5 warns on
# every `ansible-doc -t role` that its own internal collection has no version (a bare role outside
# any collection gets it too): https://github.com/ansible/ansible/issues/85689. Exactly that line.
CORE_OWN_WARNINGS = re.compile(
    r"^\[WARNING\]: Collection at '[^']*/site-packages/ansible/_internal/ansible_collections/ansible/_protomatter' "
    r"does not have a MANIFEST\.json file, nor has it galaxy\.yml: cannot detect version\.$",
    re.M,
)


def _tool(name: str) -> str:
    path = os.path.join(BINDIR, name)
    if not os.path.exists(path):
        pytest.skip(f"{name} is not installed next to {sys.executable} (run scripts/bootstrap.sh)")
    return path


def run(args: list[str], cwd: str, env: dict[str, str], expect: tuple[int, ...] = (0,)) -> str:
    """Run a command; its standard output, or a failure on an unexpected exit code or on any
    Ansible warning (on either stream)."""
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    if result.returncode not in expect:
        pytest.fail("%s: exit %d, expected %s:\n%s" % (" ".join(args), result.returncode, expect, output))
    warnings = [line for line in CORE_OWN_WARNINGS.sub("", output).splitlines() if WARNING.search(line)]
    if warnings:
        pytest.fail("%s warned:\n%s\n\nfull output:\n%s" % (" ".join(args), "\n".join(warnings), output))
    return result.stdout


def copy_tree(dest: str) -> None:
    """The files git lists in this checkout (tracked, and untracked but not ignored): what a clean
    clone with the working tree's changes holds, without caches, venvs or reports."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        src = os.path.join(ROOT, rel)
        if os.path.lexists(src):  # a deleted file not yet staged is still listed
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)


class Installed(NamedTuple):
    env: dict[str, str]  # for every command: a clean collections path, an empty ansible.cfg
    rundir: str  # the working directory, outside any ansible_collections tree
    members: list[str]  # the names in the tarball


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    """The tarball built from this tree and installed into a clean collections path."""
    galaxy = _tool("ansible-galaxy")
    if shutil.which("git") is None:
        pytest.skip("git is not installed (the tree to build is listed with git ls-files)")
    work = tmp_path_factory.mktemp("tarball")
    src, dist, collections, rundir = (str(work / d) for d in ("src", "dist", "collections", "run"))
    for directory in (src, dist, collections, rundir):
        os.makedirs(directory)
    env = {
        "PATH": BINDIR + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(work),
        "LANG": "C.UTF-8",
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_CONFIG": os.path.join(rundir, "ansible.cfg"),
        "ANSIBLE_HOME": str(work / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(work / "tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_DEPRECATION_WARNINGS": "1",
    }
    open(env["ANSIBLE_CONFIG"], "w", encoding="utf-8").close()
    copy_tree(src)
    run([galaxy, "collection", "build", "--output-path", dist], cwd=src, env=env)
    (tarball,) = (os.path.join(dist, name) for name in os.listdir(dist))
    with tarfile.open(tarball) as archive:
        members = archive.getnames()
    run([galaxy, "collection", "install", "--offline", "-p", collections, tarball], cwd=rundir, env=env)
    return Installed(env, rundir, members)


def test_tarball_holds_what_users_need_and_nothing_else(installed):
    missing = [name for name in REQUIRED if name not in installed.members]
    extra = sorted(name for name in installed.members if EXCLUDED.search(name))
    assert not missing, f"missing from the tarball: {missing}"
    assert not extra, f"development files in the tarball (galaxy.yml build_ignore): {extra}"


def test_only_the_installed_copy_is_found(installed):
    env, rundir = installed.env, installed.rundir
    listed = run([_tool("ansible-galaxy"), "collection", "list", "fleetpolicy.claude_code"], cwd=rundir, env=env)
    found = [line[2:] for line in listed.splitlines() if line.startswith("# ")]
    assert found == [os.path.join(env["ANSIBLE_COLLECTIONS_PATH"], "ansible_collections")], listed


def test_ansible_doc_renders_every_plugin_and_role(installed):
    env, rundir = installed.env, installed.rundir
    doc = _tool("ansible-doc")
    rendered = {}
    for kind in ("module", "filter", "test", "lookup", "role"):
        names = json.loads(run([doc, "-t", kind, "-l", "fleetpolicy.claude_code", "-j"], cwd=rundir, env=env) or "{}")
        for name in sorted(names):
            text = run([doc, "-t", kind, name], cwd=rundir, env=env)
            if kind == "role":
                assert "ENTRY POINT: " in text and re.search(r"^\s*OPTIONS", text, re.M | re.I), f"{name}: no spec"
            else:
                assert "EXAMPLES:" in text, f"ansible-doc -t {kind} {name}: no EXAMPLES"
            rendered.setdefault(kind, []).append(name)
    # The installed collection has what the checkout has: every module and both roles.
    modules = {n[:-3] for n in os.listdir(os.path.join(ROOT, "plugins", "modules")) if n.endswith(".py")}
    assert {n.rsplit(".", 1)[1] for n in rendered.get("module", [])} == modules - {"__init__"}, rendered
    assert {n.rsplit(".", 1)[1] for n in rendered.get("role", [])} == set(os.listdir(os.path.join(ROOT, "roles")))


def test_rollout_and_drift_from_the_installed_collection(installed, tmp_path):
    env, rundir = installed.env, installed.rundir
    playbook = _tool("ansible-playbook")
    target = tmp_path / "target"
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(INVENTORY.format(host=HOST, python=sys.executable, target=target))

    def play(name, *args, expect=(0,)):
        cmd = [playbook, "-i", str(inventory), "fleetpolicy.claude_code." + name, *args]
        output = run(cmd, cwd=rundir, env=env, expect=expect)
        counts = playbook_recap(output)
        assert HOST in counts, f"no PLAY RECAP line for {HOST}:\n{output}"
        return counts[HOST]

    counts = play("rollout", "--check", "--diff")
    assert counts["changed"] >= 1 and counts["failed"] == 0, counts
    assert not target.exists(), "--check wrote to the target"

    counts = play("drift", "-e", f"claude_code_report_dir={tmp_path}/drift-before", expect=(2,))
    assert counts["failed"] == 1, counts

    counts = play("rollout")
    assert counts["changed"] >= 1 and counts["failed"] == 0, counts
    settings = target / "etc" / "claude-code" / "managed-settings.json"
    assert json.loads(settings.read_text())["env"]["CLAUDE_CODE_USE_BEDROCK"] == "1"

    counts = play("rollout", "--check", "--diff")
    assert counts["changed"] == 0 and counts["failed"] == 0, counts

    counts = play("drift", "-e", f"claude_code_report_dir={tmp_path}/drift-after")
    assert counts["failed"] == 0, counts
    reports = [name for name in os.listdir(tmp_path / "drift-after") if name.endswith(".json")]
    assert reports, "the drift playbook wrote no JSON report"
    with open(tmp_path / "drift-after" / reports[0], encoding="utf-8") as handle:
        report = json.load(handle)
    assert [host["status"] for host in report["hosts"]] == ["compliant"], report["hosts"]
