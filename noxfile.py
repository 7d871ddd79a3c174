# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible-test sanity and units against every ansible-core release meta/runtime.yml allows.

meta/runtime.yml says requires_ansible ">=2.18.0". Python 3.11 runs ansible-core 2.18 and 2.19;
2.20 and later need Python >= 3.12 (their Requires-Python), so they cannot be tested here.

ansible-test needs the collection at .../ansible_collections/fleetpolicy/claude_code;
scripts/lint.sh makes that copy of the working tree and runs these sessions, e.g.

    scripts/lint.sh                              # everything, including these sessions
    .cache/lint-venv/bin/nox -s ansible-test-2.18  # one release (after lint.sh made the copy)
"""

from __future__ import annotations

import os
import shutil

import nox
from nox.command import CommandFailed

# One session per ansible-core release in the declared range; the newest patch of each.
CORE_RELEASES = {
    "2.18": "2.18.19",
    "2.19": "2.19.14",
}
PYTHON = "3.11"

ROOT = os.path.dirname(os.path.abspath(__file__))
CHECKOUT = os.environ.get(
    "FLEETPOLICY_CHECKOUT",
    os.path.join(ROOT, ".cache", "lint-ansible-test", "ansible_collections", "fleetpolicy", "claude_code"),
)
GET_PIP_STANDIN = os.path.join(ROOT, "tests", "sanity", "get_pip_offline.py")


def _check_declared_range():
    """meta/runtime.yml's requires_ansible must start at the oldest release tested here."""
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        declared = [line.split(":", 1)[1].strip().strip("'\"") for line in handle if line.startswith("requires_ansible:")]
    oldest = min(CORE_RELEASES, key=lambda release: tuple(int(part) for part in release.split(".")))
    if declared != [">=%s.0" % oldest]:
        raise SystemExit("noxfile.py: meta/runtime.yml requires_ansible is %s, but the oldest ansible-core "
                         "tested is %s: make them agree" % (declared, oldest))


_check_declared_range()

nox.options.envdir = os.path.join(ROOT, ".cache", "nox")
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["ansible-test-%s" % release for release in CORE_RELEASES]


def _install_get_pip_standin(session):
    """ansible-test --venv bootstraps pip from a URL this machine cannot reach; it uses a
    cached copy first. Put our offline stand-in where this ansible-test looks for it."""
    version = session.run(
        "python", "-c",
        "import types; from ansible_test._internal.python_requirements import get_venv_packages as g; "
        "print(g(types.SimpleNamespace(version=%r))['pip'])" % PYTHON,
        silent=True,
    ).strip()
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    target = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
    shutil.copyfile(GET_PIP_STANDIN, target)


def _make_session(release, version):
    @nox.session(name="ansible-test-%s" % release, python=PYTHON)
    def ansible_test(session):
        """ansible-test sanity (every test) and units, for one ansible-core release."""
        if not os.path.isdir(CHECKOUT):
            session.error("%s does not exist: run scripts/lint.sh, which makes the copy" % CHECKOUT)
        session.install("ansible-core==%s" % version)
        _install_get_pip_standin(session)
        wanted = session.posargs or ["sanity", "units"]
        session.chdir(CHECKOUT)
        # ansible-test writes tests/output; start clean so results of another release don't mix in.
        shutil.rmtree(os.path.join(CHECKOUT, "tests", "output"), ignore_errors=True)
        failed = []
        for command in ("sanity", "units"):
            if command not in wanted:
                continue
            # Run both even when the first fails, so one run shows every problem.
            try:
                session.run("ansible-test", command, "--venv", "--python", PYTHON, "--color", "no")
            except CommandFailed:
                failed.append(command)
        if failed:
            session.error("ansible-test %s failed on ansible-core %s" % (" and ".join(failed), version))

    return ansible_test


for _release, _version in CORE_RELEASES.items():
    globals()["ansible_test_" + _release.replace(".", "_")] = _make_session(_release, _version)
