"""Shared helpers for the reliability tests: paths, figures, tree digests, in-process module runs."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
DATA = os.path.join(os.path.dirname(__file__), "data")

# Figures the tests measured; conftest.pytest_terminal_summary prints them.
FIGURES: dict = {}


def figure(key, value=1, add=True):
    """Record a measured figure (added to, unless add=False)."""
    if add:
        FIGURES[key] = FIGURES.get(key, 0) + value
    else:
        FIGURES[key] = value


def tool(name):
    """Path of an ansible command-line tool from the venv running pytest (or .venv); skip if none."""
    for base in (os.path.dirname(sys.executable), os.path.join(ROOT, ".venv", "bin")):
        candidate = os.path.join(base, name)
        if os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return found
    pytest.skip(f"{name} is not installed (run scripts/bootstrap.sh, or make test)")


def ansible_env(**extra):
    env = dict(os.environ)
    env.update(
        {
            "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS,
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_HOST_KEY_CHECKING": "0",
            "ANSIBLE_CALLBACK_RESULT_FORMAT": "json",
            "ANSIBLE_CALLBACK_FORMAT_PRETTY": "0",
            "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "0",
            "ANSIBLE_DEPRECATION_WARNINGS": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        }
    )
    env.update(extra)
    return env


def tree_digest(root):
    """Every entry under root: relative path -> (kind, content hash or link target, mode, uid, gid)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in sorted(dirnames + filenames):
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = os.path.relpath(full, root)
            if stat.S_ISLNK(st.st_mode):
                body = "link:" + os.readlink(full)
            elif stat.S_ISREG(st.st_mode):
                with open(full, "rb") as handle:
                    body = hashlib.sha256(handle.read()).hexdigest()
            else:
                body = stat.filemode(st.st_mode)[0]
            out[rel] = (body, stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid)
    return out


def temp_files(root):
    """Temp files an atomic write leaves behind ('.<name>.<random>.tmp'), anywhere under root."""
    found = []
    for dirpath, _dirs, files in os.walk(root):
        found.extend(os.path.join(dirpath, f) for f in files if f.startswith(".") and f.endswith(".tmp"))
    return sorted(found)


def run_module(args, check=False, diff=False):
    """Run the managed_settings module in this process; return its result dict."""
    from ansible_collections.fleetpolicy.claude_code.tests._support.modrun import run

    return run(args, check=check, diff=diff)


def rc_paths(root):
    """One rc path per shell under root (the module's shell_paths option)."""
    return {
        "sh": os.path.join(root, "profile.d", "claude-code.sh"),
        "bash": os.path.join(root, "bash.bashrc"),
        "zsh": os.path.join(root, "zsh", "zshenv"),
        "fish": os.path.join(root, "fish", "conf.d", "claude-code.fish"),
        "environment_d": os.path.join(root, "environment.d", "60-claude-code.conf"),
    }
