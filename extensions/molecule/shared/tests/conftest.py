# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The fleet under test, for every Molecule scenario (verifier: testinfra).

Instances come from the scenario's Molecule inventory (MOLECULE_INVENTORY_FILE) with their
group_vars and host_vars; each is reached with testinfra's podman backend (`podman exec`).
What each instance should hold is computed from the very same role variables with the
collection's filters (plugins/filter/policy.py), not copied from the role.

Host variables the tests read besides the role's `claude_code_*`:
  molecule_verify_container  the container to check, when the host itself is not one (golden_image)
  molecule_foreign_settings  keys another tool wrote to the managed file (drift scenario)
"""

import json
import os
import re
import subprocess
import sys

import pytest
import testinfra
import yaml

# Importable through PYTHONPATH=.cache/collections (.config/molecule/config.yml, verifier env).
from ansible_collections.fleetpolicy.claude_code.plugins.action.apply import ROLE_VARIABLES
from ansible_collections.fleetpolicy.claude_code.plugins.filter import policy as filters
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._secrets import looks_like_secret
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import POLICY_FIELDS

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.environ.get("MOLECULE_PROJECT_DIRECTORY") or os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))

CLI_DIR = os.path.join(PROJECT, ".cache", "claude-cli")
# The pinned CLI mounted read-only into instances of scenarios that do not install it, and the
# stable link of the install role on instances that do (hosts with claude_code_version set).
CLI_IN_INSTANCE = "/opt/claude-cli/bin/claude"
INSTALLED_CLI = "/usr/local/bin/claude"
PODMAN_CONNECTIONS = ("podman", "containers.podman.podman")

# The role's public defaults, as documented in its argument specs (a unit test keeps the role's
# defaults/main.yml equal to them).
with open(os.path.join(PROJECT, "roles", "settings", "meta", "argument_specs.yml")) as _handle:
    ROLE_DEFAULTS = {
        name: spec.get("default") for name, spec in yaml.safe_load(_handle)["argument_specs"]["main"]["options"].items()
    }


SNAPSHOT = r"""
import grp, json, os, pwd, stat, sys
out = {}
for path in sys.argv[1:]:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        out[path] = None
        continue
    kind = ("link" if stat.S_ISLNK(st.st_mode) else "directory" if stat.S_ISDIR(st.st_mode)
            else "file" if stat.S_ISREG(st.st_mode) else "other")
    entry = {"type": kind, "user": pwd.getpwuid(st.st_uid).pw_name, "group": grp.getgrgid(st.st_gid).gr_name,
             "mode": stat.S_IMODE(st.st_mode)}
    if kind == "file":
        with open(path, encoding="utf-8", errors="surrogateescape") as handle:
            entry["content"] = handle.read()
    elif kind == "directory":
        entry["entries"] = sorted(os.listdir(path))
    out[path] = entry
print(json.dumps(out))
"""


class Instance:
    """One host of the scenario: its role variables, what the filters make of them, and a
    testinfra host for the container that holds the result."""

    def __init__(self, name, hostvars):
        self.name = name
        self.hostvars = hostvars
        self.container = hostvars.get("molecule_verify_container") or name
        self.host = testinfra.get_host("podman://" + self.container)
        self._snapshots = {}

    def var(self, name):
        """The value of the apply action's option `name`, from the role variable that sets it."""
        key = ROLE_VARIABLES[name]
        return self.hostvars.get(key, ROLE_DEFAULTS.get(key))

    @property
    def policy(self):
        return {field: self.var(field) for field in POLICY_FIELDS}

    @property
    def settings(self):
        return filters.managed_settings(self.policy)

    @property
    def env(self):
        return filters.env_block(self.policy)

    @property
    def rc_env(self):
        return {k: v for k, v in self.env.items() if not looks_like_secret(k, v)}

    @property
    def posture(self):
        return filters.posture(self.policy)

    @property
    def merge(self):
        return bool(self.var("merge"))

    @property
    def shells(self):
        return self.var("shells")

    def snapshot(self, paths):
        """Type, owner, group, mode and content (files) or entries (directories) of each path,
        read in one `podman exec`. A missing path maps to None."""
        key = tuple(paths)
        if key not in self._snapshots:
            out = self.host.check_output("python3 -c %s " + " ".join(["%s"] * len(paths)), SNAPSHOT, *paths)
            self._snapshots[key] = json.loads(out)
        return self._snapshots[key]

    @property
    def installs_cli(self):
        """Whether the scenario puts the CLI on this host with the install role."""
        return bool(self.hostvars.get("claude_code_version"))

    @property
    def cli(self):
        """Where the Claude Code CLI is in this instance."""
        if self.installs_cli:
            return self.hostvars.get("claude_code_install_link") or INSTALLED_CLI
        return CLI_IN_INSTANCE

    @property
    def foreign(self):
        return self.hostvars.get("molecule_foreign_settings") or {}

    def __repr__(self):
        return self.name


def _inventory():
    inventory = os.environ.get("MOLECULE_INVENTORY_FILE")
    if not inventory:
        pytest.exit("MOLECULE_INVENTORY_FILE is not set: run these tests through `molecule verify`", 2)
    env = dict(os.environ)
    ephemeral = os.environ.get("MOLECULE_EPHEMERAL_DIRECTORY")
    if ephemeral and os.path.exists(os.path.join(ephemeral, "ansible.cfg")):
        env["ANSIBLE_CONFIG"] = os.path.join(ephemeral, "ansible.cfg")
    binary = os.path.join(os.path.dirname(sys.executable), "ansible-inventory")
    out = subprocess.run([binary, "-i", inventory, "--list"], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["_meta"]["hostvars"]


def _instances():
    found = []
    for name, hostvars in sorted(_inventory().items()):
        if hostvars.get("molecule_verify_container") or hostvars.get("ansible_connection") in PODMAN_CONNECTIONS:
            found.append(Instance(name, hostvars))
    return found


INSTANCES = _instances()


# What each profile and provider promise (README.md, "The policy"), written out here on purpose
# rather than taken from the policy core: a regression in the core must not move both sides.
PROFILE_PROMISES = {
    "standard": ({}, {}),
    "private": (
        {
            "DISABLE_TELEMETRY": "1",
            "DISABLE_ERROR_REPORTING": "1",
            "DISABLE_FEEDBACK_COMMAND": "1",
            "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY": "1",
        },
        # the paths a session would take to claude.ai (README.md, docs/profiles.md)
        {
            "feedbackDrafts": "off",
            "autoUploadSessions": False,
            "disableRemoteControl": True,
            "enableArtifact": False,
            "syncClaudeAiSkills": False,
            "syncClaudeAiPlugins": False,
            "disableClaudeAiConnectors": True,
            "permissions": {"deny": ["Artifact", "Projects", "SendUserFile", "ShareOnboardingGuide"]},
        },
    ),
}
PROFILE_PROMISES["airgapped"] = (
    dict(
        PROFILE_PROMISES["private"][0],
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL="1",
        DISABLE_UPDATES="1",
    ),
    dict(PROFILE_PROMISES["private"][1], skipWebFetchPreflight=True),
)


def provider_promise(instance):
    """The env variables the host's provider fields must produce."""
    provider = instance.var("provider")
    want = {
        "anthropic": {},
        "bedrock": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": instance.var("aws_region")},
        "vertex": {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "CLOUD_ML_REGION": instance.var("vertex_region"),
            "ANTHROPIC_VERTEX_PROJECT_ID": instance.var("vertex_project_id"),
        },
        "foundry": {
            "CLAUDE_CODE_USE_FOUNDRY": "1",
            "ANTHROPIC_FOUNDRY_RESOURCE": instance.var("foundry_resource"),
            "ANTHROPIC_FOUNDRY_BASE_URL": instance.var("foundry_base_url"),
        },
    }[provider]
    if instance.var("base_url"):
        want[
            {
                "anthropic": "ANTHROPIC_BASE_URL",
                "bedrock": "ANTHROPIC_BEDROCK_BASE_URL",
                "vertex": "ANTHROPIC_VERTEX_BASE_URL",
                "foundry": "ANTHROPIC_FOUNDRY_BASE_URL",
            }[provider]
        ] = instance.var("base_url")
    return {k: v for k, v in want.items() if v is not None}


def loopback_port(instance):
    """The port of the loopback stand-in the host's gateway URL names, if it names one."""
    match = re.match(r"^http://127\.0\.0\.1:(\d+)/?$", instance.var("base_url") or "")
    return int(match.group(1)) if match else None


def _parametrize(metafunc, name, instances, skip_reason, skip_id):
    """Parametrize NAME with these instances, or with one skipped case that says why there is none."""
    if instances:
        metafunc.parametrize(name, instances, ids=[i.name for i in instances])
    else:
        metafunc.parametrize(name, [pytest.param(None, marks=pytest.mark.skip(reason=skip_reason))], ids=[skip_id])


def pytest_generate_tests(metafunc):
    if "instance" in metafunc.fixturenames:
        metafunc.parametrize("instance", INSTANCES, ids=[i.name for i in INSTANCES])
    if "installed" in metafunc.fixturenames:
        _parametrize(
            metafunc,
            "installed",
            [i for i in INSTANCES if i.installs_cli],
            "this scenario mounts the CLI instead of installing it (golden_image and airgapped install it)",
            "cli-mounted",
        )
    if "probed" in metafunc.fixturenames:
        _parametrize(
            metafunc,
            "probed",
            [i for i in INSTANCES if loopback_port(i)],
            "no host of this scenario has its gateway on a loopback stand-in (scenario airgapped has)",
            "no-stand-in",
        )


@pytest.fixture
def claude_cli(request):
    """The pinned Claude Code CLI in the test's instance: installed there by the install role, or
    mounted from the controller. Skips (with the reason) when the controller has none."""
    marker = os.path.join(CLI_DIR, "UNAVAILABLE")
    if os.path.exists(marker):
        with open(marker) as handle:
            pytest.skip("real Claude Code CLI not available: " + handle.read().strip())
    if not os.path.exists(os.path.join(CLI_DIR, "bin", "claude")):
        pytest.skip("real Claude Code CLI not available: %s/bin/claude missing (run scripts/bootstrap.sh)" % CLI_DIR)
    for name in ("instance", "probed", "installed"):
        if name in request.fixturenames:
            return request.getfixturevalue(name).cli
    return CLI_IN_INSTANCE


ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]")


def clean(text):
    return ANSI.sub("", text).replace("\r", "")


@pytest.fixture
def facts():
    return F
