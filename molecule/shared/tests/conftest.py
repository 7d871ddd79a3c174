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

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.environ.get("MOLECULE_PROJECT_DIRECTORY") or os.path.abspath(os.path.join(HERE, "..", "..", ".."))
COLLECTIONS = os.path.join(PROJECT, ".cache", "collections")
if COLLECTIONS not in sys.path:
    sys.path.insert(0, COLLECTIONS)

from ansible_collections.fleetpolicy.claude_code.plugins.filter import policy as filters  # noqa: E402
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _facts as F  # noqa: E402
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils._policy import (  # noqa: E402
    POLICY_FIELDS, looks_like_secret,
)

CLI_DIR = os.path.join(PROJECT, ".cache", "claude-cli")
CLI_IN_INSTANCE = "/opt/claude-cli/bin/claude"
PODMAN_CONNECTIONS = ("podman", "containers.podman.podman")

# The role's public defaults, as documented in its argument specs (a unit test keeps the role's
# vars/main.yml equal to them).
with open(os.path.join(PROJECT, "roles", "settings", "meta", "argument_specs.yml")) as _handle:
    ROLE_DEFAULTS = {name: spec.get("default") for name, spec in
                     yaml.safe_load(_handle)["argument_specs"]["main"]["options"].items()}


class Instance:
    """One host of the scenario: its role variables, what the filters make of them, and a
    testinfra host for the container that holds the result."""

    def __init__(self, name, hostvars):
        self.name = name
        self.hostvars = hostvars
        self.container = hostvars.get("molecule_verify_container") or name
        self.host = testinfra.get_host("podman://" + self.container)

    def var(self, name):
        key = "claude_code_" + name
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
    def mode(self):
        return self.var("mode")

    @property
    def shells(self):
        return self.var("shells")

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


def loopback_port(instance):
    """The port of the loopback stand-in the host's gateway URL names, if it names one."""
    match = re.match(r"^http://127\.0\.0\.1:(\d+)/?$", instance.var("base_url") or "")
    return int(match.group(1)) if match else None


def pytest_generate_tests(metafunc):
    if "instance" in metafunc.fixturenames:
        metafunc.parametrize("instance", INSTANCES, ids=[i.name for i in INSTANCES])
    if "probed" in metafunc.fixturenames:
        probed = [i for i in INSTANCES if loopback_port(i)]
        metafunc.parametrize("probed", probed, ids=[i.name for i in probed])


@pytest.fixture(scope="session")
def claude_cli():
    """The pinned Claude Code CLI, mounted in each instance; skips (with the reason) without it."""
    marker = os.path.join(CLI_DIR, "UNAVAILABLE")
    if os.path.exists(marker):
        with open(marker) as handle:
            pytest.skip("real Claude Code CLI not available: " + handle.read().strip())
    if not os.path.exists(os.path.join(CLI_DIR, "bin", "claude")):
        pytest.skip("real Claude Code CLI not available: %s/bin/claude missing (run scripts/bootstrap.sh)" % CLI_DIR)
    return CLI_IN_INSTANCE


ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]")


def clean(text):
    return ANSI.sub("", text).replace("\r", "")


@pytest.fixture
def facts():
    return F
