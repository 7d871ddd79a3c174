"""Integration tests run ansible-playbook against this checkout, installed as the collection
fleetpolicy.claude_code through the symlink in .cache/collections that tests/conftest.py makes."""

import os
import shutil
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")


@pytest.fixture(scope="session")
def ansible_env(tmp_path_factory):
    """Environment and binary for ansible-playbook, isolated from the user's Ansible config."""
    playbook = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    if not os.path.exists(playbook):
        playbook = shutil.which("ansible-playbook")
    if not playbook:
        pytest.skip(
            f"ansible-playbook is not installed next to {sys.executable} nor on PATH (run scripts/bootstrap.sh)"
        )
    home = tmp_path_factory.mktemp("ansible-home")
    config = home / "ansible.cfg"
    config.write_text("[defaults]\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=COLLECTIONS,
        ANSIBLE_CONFIG=str(config),
        ANSIBLE_LOCAL_TEMP=str(home / "local"),
        ANSIBLE_REMOTE_TEMP=str(home / "remote"),
        ANSIBLE_SSH_CONTROL_PATH_DIR=str(home / "cp"),
        ANSIBLE_HOST_KEY_CHECKING="False",
        ANSIBLE_RETRY_FILES_ENABLED="False",
        ANSIBLE_STDOUT_CALLBACK="default",
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
    )
    return playbook, env
