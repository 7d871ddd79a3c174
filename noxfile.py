# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The quality gates as nox sessions (docs/quality-gates.md).

antsibull-nox.toml declares the ecosystem's sessions (lint with ruff, ansible-lint, docs-check,
extra-checks, build-import-check). This file adds only what antsibull-nox cannot declare:
ansible-test per ansible-core release, the tarball test per release and the changelog lint.
Python 3.11 (Debian 12) runs ansible-core 2.19 (end of life upstream on 2026-11-30, still tested);
2.20 and 2.21 need Python >= 3.12 and 2.22 (2.22.0rc1 until 2.22.0 is out) Python >= 3.13. Their
units and tarball tests run in the Debian 13 root (scripts/debian13-root.sh run nox -s ...); the
sanity of every release runs where the most Pythons are (scripts/lint.sh puts pyenv's on PATH):
ansible-test sanity without --python checks modules and plugins on every Python the release
supports that is on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys

import nox

try:
    import antsibull_nox
    from antsibull_nox.sessions import prepare_collections
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox (requirements/lint.txt).")
    sys.exit(1)

antsibull_nox.load_antsibull_nox_toml()

ROOT = os.path.dirname(os.path.abspath(__file__))
nox.options.envdir = os.environ.get("FLEETPOLICY_NOX_ENVDIR") or os.path.join(ROOT, ".cache", "nox")
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True

# Every ansible-core release meta/runtime.yml allows and the controller Python its sessions run
# on; sanity, units and the tarball on each. Support dates and Python ranges: the ansible-core
# support matrix, https://docs.ansible.com/ansible/latest/reference_appendices/release_and_maintenance.html
CORE_RELEASES = {
    "2.19": "3.11",  # end of life 2026-11-30; kept while users' execution environments still carry it
    "2.20": "3.13",
    "2.21": "3.13",
    "2.22": "3.13",  # 2.22.0rc1 (requirements/core-2.22.txt) until 2.22.0 is on PyPI
}
SANITY_RELEASES = tuple(CORE_RELEASES)
# Sanity tests a release cannot run here, and why. ansible-test 2.22.0rc1 installs pylint's
# requirements with dill from a GitHub archive (ansible_test/_data/requirements/sanity.pylint.txt:
# "dill @ https://github.com/uqfoundation/dill/archive/..."), and only the package registries are
# reachable here; pylint runs on 2.19-2.21. Check again when requirements/core-2.22.txt moves to 2.22.0.
SANITY_SKIPS = {"2.22": ("pylint",)}


def _release_key(release: str) -> tuple[int, ...]:
    return tuple(int(part) for part in release.split("."))


def _pins(name: str) -> str:
    return os.path.join(ROOT, "requirements", f"{name}.txt")


with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as _handle:
    _declared = [line.split(":", 1)[1].strip().strip("'\"") for line in _handle if line.startswith("requires_ansible:")]
if _declared != [f">={min(CORE_RELEASES, key=_release_key)}.0"]:
    sys.exit(f"noxfile.py: meta/runtime.yml requires_ansible is {_declared}; CORE_RELEASES says otherwise")


# antsibull-nox's ansible-test sessions always run `ansible-test --docker` (its default test
# container, pulled from quay.io) with ansible-core as a version range; these run `--venv` with
# the exact pins of requirements/core-X.Y.txt, on a machine without a container registry.
def _ansible_test(session: nox.Session, release: str, python: str, command: str) -> None:
    session.install("-r", _pins(f"core-{release}"))
    # ansible-test --venv bootstraps pip with get-pip.py from ci-files.testing.ansible.com unless
    # ~/.ansible/test/cache holds a copy for the pip version it pins: give it the stand-in that
    # uses the interpreter's own ensurepip (tests/sanity/get_pip_offline.py), so only PyPI is needed.
    pip = session.run(
        "python",
        "-c",
        "import types; from ansible_test._internal.python_requirements import get_venv_packages as g; "
        f"print(g(types.SimpleNamespace(version={python!r}))['pip'])",
        silent=True,
    ).strip()
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    shutil.copyfile(
        os.path.join(ROOT, "tests", "sanity", "get_pip_offline.py"),
        os.path.join(cache, "get_pip_{}.py".format(pip.replace(".", "_"))),
    )
    collections = prepare_collections(session, install_in_site_packages=False, install_out_of_tree=True)
    if collections is None:
        session.error("antsibull-nox could not prepare the collection tree")
    # sanity: no --python, so its per-Python tests (compile, import) run on every Python the release
    # supports that is on PATH and skip the others with a warning; units: the session's Python
    versions = () if command == "sanity" else ("--python", python)
    skips = (
        [arg for test in SANITY_SKIPS.get(release, ()) for arg in ("--skip-test", test)] if command == "sanity" else []
    )
    with session.chdir(collections.current_path):
        session.run("ansible-test", command, "--venv", *versions, *skips, "--color", "no", *session.posargs)


def _add_release_sessions(release: str, python: str) -> None:
    if release in SANITY_RELEASES:

        @nox.session(name=f"ansible-test-sanity-{release}", python=python, default=False)
        def sanity(session: nox.Session) -> None:
            """ansible-test sanity (every test) in a venv, with requirements/core-X.Y.txt."""
            _ansible_test(session, release, python, "sanity")

    @nox.session(name=f"ansible-test-units-{release}", python=python, default=False)
    def units(session: nox.Session) -> None:
        """ansible-test units in a venv, with requirements/core-X.Y.txt."""
        _ansible_test(session, release, python, "units")

    @nox.session(name=f"rollout-{release}", python=python, default=False)
    def rollout(session: nox.Session) -> None:
        """tests/integration/test_tarball.py with requirements/core-X.Y.txt: build, install, use."""
        session.install("-r", _pins(f"core-{release}"), "-r", _pins("pytest"))
        session.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/integration/test_tarball.py")


for _release, _python in CORE_RELEASES.items():
    _add_release_sessions(_release, _python)


@nox.session(name="changelog", default=True)
def changelog(session: nox.Session) -> None:
    """antsibull-changelog lint: the fragments and changelogs/changelog.yaml."""
    session.install("-r", _pins("changelog"))
    session.run("antsibull-changelog", "lint")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")


@nox.session(name="release", default=False)
def release(session: nox.Session) -> None:
    """antsibull-changelog release of galaxy.yml's version (the release manager runs it)."""
    session.install("-r", _pins("changelog"), "-r", _pins(f"core-{max(CORE_RELEASES, key=_release_key)}"))
    session.run("antsibull-changelog", "release", "--reload-plugins", *session.posargs)
