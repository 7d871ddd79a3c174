# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection's quality gates as nox sessions (docs/quality-gates.md).

antsibull-nox (antsibull-nox.toml) declares the ecosystem's own sessions: ansible-lint,
docs-check (antsibull-docs), build-import-check (ansible-galaxy build + galaxy-importer),
extra-checks and the antsibull-nox config lint. This file adds what antsibull-nox does not do
on a machine without a container registry:

  ansible-test-sanity-X.Y  ansible-test sanity --venv (antsibull-nox's sanity sessions always
                           use --docker and the default test container from quay.io)
  ansible-test-units-X.Y   ansible-test units --venv (same reason)
  rollout-X.Y              build the tarball, install it into a clean path, ansible-doc of every
                           module/filter/role, then the rollout (--check, apply, --check with
                           changed=0) and the drift playbook against a local target, failing on
                           any [DEPRECATION WARNING] or [WARNING]
  changelog                antsibull-changelog lint (fragments) and lint-changelog-yaml
  release                  (on demand) antsibull-changelog release: CHANGELOG.md is made here

Each X.Y session installs exactly requirements/core-X.Y.txt. Python 3.11 (Debian 12) runs
ansible-core 2.19; 2.20 and 2.21 need Python >= 3.12 and run in the Debian 13 root
(scripts/debian13-root.sh run nox -s ...), which scripts/lint.sh does.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox (requirements-lint.txt).")
    sys.exit(1)

ROOT = os.path.dirname(os.path.abspath(__file__))


def _load_support(name):
    """tests/_support/NAME.py by path (standard library only): the tests' own helpers."""
    spec = importlib.util.spec_from_file_location(
        "fleetpolicy_support_" + name, os.path.join(ROOT, "tests", "_support", name + ".py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_playbook = _load_support("playbook")

# Every ansible-core release meta/runtime.yml allows, the Python it runs on, and what runs on it.
# Sanity only on the newest release (its validate-modules, pylint and import tests are a
# superset of the older ones); units and the rollout on each.
CORE_RELEASES = {
    "2.19": "3.11",
    "2.20": "3.13",
    "2.21": "3.13",
}
SANITY_RELEASES = ("2.21",)

antsibull_nox.load_antsibull_nox_toml()

nox.options.envdir = os.environ.get("FLEETPOLICY_NOX_ENVDIR") or os.path.join(ROOT, ".cache", "nox")
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True


def _release_key(release):
    return tuple(int(part) for part in release.split("."))


def _check_declared_range():
    """meta/runtime.yml's requires_ansible must be exactly the releases tested here."""
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        declared = [
            line.split(":", 1)[1].strip().strip("'\"") for line in handle if line.startswith("requires_ansible:")
        ]
    oldest = min(CORE_RELEASES, key=_release_key)
    if declared != [f">={oldest}.0"]:
        raise SystemExit(
            f"noxfile.py: meta/runtime.yml requires_ansible is {declared}, but the oldest ansible-core "
            f"tested is {oldest}: make them agree"
        )
    for release in CORE_RELEASES:
        if not os.path.isfile(_pins(release)):
            raise SystemExit(f"noxfile.py: {_pins(release)} is missing")


def _pins(release):
    return os.path.join(ROOT, "requirements", f"core-{release}.txt")


_check_declared_range()


# ------------------------------------------------------------------------------------ helpers
def _collection_copy(session, name):
    """The working tree (tracked, and untracked but not ignored) as a git repository of its own at
    .cache/nox-trees/NAME/ansible_collections/fleetpolicy/claude_code: ansible-test needs that
    layout and lists files with git."""
    base = os.path.join(os.path.dirname(nox.options.envdir), "nox-trees", name)
    dest = os.path.join(base, "ansible_collections", "fleetpolicy", "claude_code")
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(dest)
    files = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".", ":!:.cache", ":!:.venv"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for rel in files:
        src = os.path.join(ROOT, rel)
        if rel and os.path.lexists(src):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)
    with open(os.path.join(dest, ".gitignore"), "a", encoding="utf-8") as handle:
        handle.write("\ntests/output/\n.ansible/\n/dist/\n/changelogs/.plugin-cache.yaml\n")
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", "-c", "safe.directory=*"] + args, cwd=dest, check=True)
    session.log("collection copy: %s (%d files)" % (dest, len([f for f in files if f])))
    return dest


def _install_get_pip_standin(session, python):
    """ansible-test --venv bootstraps pip from a URL this machine cannot reach; it uses a cached
    copy first. Put the offline stand-in (tests/sanity/get_pip_offline.py) where it looks."""
    version = session.run(
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
        os.path.join(cache, "get_pip_{}.py".format(version.replace(".", "_"))),
    )


def _ansible_test(session, release, python, command):
    session.install("-r", _pins(release))
    _install_get_pip_standin(session, python)
    coll = _collection_copy(session, f"ansible-test-{command}-{release}")
    session.chdir(coll)
    session.run("ansible-test", command, "--venv", "--python", python, "--color", "no", *session.posargs)


def _make_ansible_test_sessions(release, python):
    if release in SANITY_RELEASES:

        @nox.session(name=f"ansible-test-sanity-{release}", python=python, default=False)
        def sanity(session):
            """ansible-test sanity (every test) in a venv, for one ansible-core release."""
            _ansible_test(session, release, python, "sanity")

        globals()["sanity_" + release.replace(".", "_")] = sanity

    @nox.session(name=f"ansible-test-units-{release}", python=python, default=False)
    def units(session):
        """ansible-test units in a venv, for one ansible-core release."""
        _ansible_test(session, release, python, "units")

    globals()["units_" + release.replace(".", "_")] = units


# ------------------------------------------------------------------- rollout from the tarball
TARGET_INVENTORY = """\
all:
  hosts:
    gate-local:
      ansible_connection: local
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
# Warnings ansible-core prints about itself, whatever is documented: not this collection's to fix.
# ansible-core 2.21.5: every `ansible-doc -t role` warns that its own internal collection has no
# version (reproduced with a bare role outside any collection, see docs/quality-gates.md);
# upstream: https://github.com/ansible/ansible/issues/85689 (fix proposed in PR 86815).
CORE_OWN_WARNINGS = re.compile(
    r"^\[WARNING\]: Collection at '[^']*/site-packages/ansible/_internal/ansible_collections/ansible/_protomatter' "
    r"does not have a MANIFEST\.json file, nor has it galaxy\.yml: cannot detect version\.$",
    re.M,
)


def _recap(output, host="gate-local"):
    """The PLAY RECAP counts of host (ok, changed, failed, unreachable, ...), empty without one."""
    return _Recap(_playbook.recap(output).get(host, {}))


class _Recap(dict):
    def __str__(self):
        return " ".join(
            "{}={}".format(*item) for item in self.items() if item[0] in ("ok", "changed", "failed", "unreachable")
        )


def _quiet_run(session, where, *args, env, expect=(0,)):
    """Run a command, return its output; fail on an unexpected exit code or any warning."""
    result = subprocess.run(args, cwd=where, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    if result.returncode not in expect or WARNING.search(CORE_OWN_WARNINGS.sub("", output)):
        session.error("%s (exit %d):\n%s" % (" ".join(args), result.returncode, output))
    return output


def _make_rollout_session(release, python):
    @nox.session(name=f"rollout-{release}", python=python, default=False)
    def rollout(session):
        """Tarball -> clean install -> ansible-doc -> rollout --check/apply/--check -> drift report."""
        session.install("-r", _pins(release))
        coll = _collection_copy(session, f"rollout-{release}")
        work = os.path.dirname(os.path.dirname(os.path.dirname(coll)))
        dist, installed, run = (os.path.join(work, d) for d in ("dist", "installed", "run"))
        for directory in (dist, installed, run):
            os.makedirs(directory)
        bindir = os.path.join(session.virtualenv.location, "bin")
        # Nothing but the installed tarball can be found: a clean collections path, an empty
        # ansible.cfg, a working directory outside any ansible_collections tree.
        env = {
            "PATH": bindir + os.pathsep + os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            "LANG": "C.UTF-8",
            "ANSIBLE_COLLECTIONS_PATH": installed,
            "ANSIBLE_CONFIG": os.path.join(run, "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_DEPRECATION_WARNINGS": "1",
            "ANSIBLE_LOCAL_TEMP": os.path.join(work, "tmp"),
            "ANSIBLE_HOME": os.path.join(work, "ansible-home"),
        }
        open(env["ANSIBLE_CONFIG"], "w", encoding="utf-8").close()
        core = subprocess.run(
            [os.path.join(bindir, "ansible"), "--version"], env=env, capture_output=True, text=True, check=True
        ).stdout.splitlines()[0]
        session.log(f"{core} (Python {python})")
        _quiet_run(session, coll, "ansible-galaxy", "collection", "build", "--output-path", dist, env=env)
        tarball = glob.glob(os.path.join(dist, "fleetpolicy-claude_code-*.tar.gz"))[0]
        listing = subprocess.run(["tar", "-tzf", tarball], capture_output=True, text=True, check=True).stdout
        junk = [
            n
            for n in listing.splitlines()
            if re.search(r"(^|/)(\.cache|\.venv|\.git|\.ansible|tests/output|\.pytest_cache|__pycache__)(/|$)", n)
        ]
        if junk:
            session.error(f"the tarball holds generated files (extend build_ignore in galaxy.yml): {junk}")
        _quiet_run(
            session,
            run,
            "ansible-galaxy",
            "collection",
            "install",
            "--offline",
            "--force",
            "-p",
            installed,
            tarball,
            env=env,
        )
        listed = _quiet_run(session, run, "ansible-galaxy", "collection", "list", "fleetpolicy.claude_code", env=env)
        found = [line[2:] for line in listed.splitlines() if line.startswith("# ")]
        if found != [os.path.join(installed, "ansible_collections")]:
            session.error(f"fleetpolicy.claude_code is found in {found}, not only in the clean install path")
        # ansible-doc renders every module, filter, test, lookup and role, with examples / a spec.
        count = 0
        for kind in ("module", "filter", "test", "lookup", "role"):
            names = json.loads(
                _quiet_run(session, run, "ansible-doc", "-t", kind, "-l", "fleetpolicy.claude_code", "-j", env=env)
                or "{}"
            )
            for name in sorted(names):
                text = _quiet_run(session, run, "ansible-doc", "-t", kind, name, env=env)
                ok = (
                    ("ENTRY POINT: " in text and re.search(r"^\s*OPTIONS", text, re.M | re.I))
                    if kind == "role"
                    else "EXAMPLES:" in text
                )
                if not ok:
                    session.error(
                        "ansible-doc -t {} {}: no {}".format(kind, name, "spec" if kind == "role" else "EXAMPLES")
                    )
                count += 1
        if not count:
            session.error("ansible-doc found nothing in the installed collection")
        session.log("ansible-doc: %d modules/plugins/roles render without warnings" % count)
        # A local target in a temporary directory; the managed node's Python is the venv's.
        target = os.path.join(work, "target")
        inventory = os.path.join(run, "inventory.yml")
        with open(inventory, "w", encoding="utf-8") as handle:
            handle.write(TARGET_INVENTORY.format(python=os.path.join(bindir, "python"), target=target))

        def playbook(name, *args, expect=(0,)):
            out = _quiet_run(
                session,
                run,
                "ansible-playbook",
                "-i",
                inventory,
                "fleetpolicy.claude_code." + name,
                *args,
                env=env,
                expect=expect,
            )
            return _recap(out)

        recap = playbook("rollout", "--check", "--diff")
        session.log(f"rollout --check on an empty target: {recap}")
        if int(recap.get("changed", 0)) < 1 or os.path.exists(target):
            session.error("--check on an empty target reported no change, or wrote files")
        recap = playbook("drift", "-e", f"claude_code_report_dir={work}/drift-before", expect=(2,))
        session.log(f"drift before the rollout (exit 2 expected): {recap}")
        recap = playbook("rollout")
        session.log(f"rollout apply: {recap}")
        if not os.path.isfile(os.path.join(target, "etc", "claude-code", "managed-settings.json")):
            session.error("the rollout did not write the managed settings file")
        recap = playbook("rollout", "--check", "--diff")
        session.log(f"rollout --check after the rollout: {recap}")
        if recap.get("changed") != 0 or recap.get("failed") != 0:
            session.error(f"--check after the rollout still reports changes: {recap}")
        recap = playbook("drift", "-e", f"claude_code_report_dir={work}/drift-after")
        reports = sorted(os.listdir(os.path.join(work, "drift-after")))
        if not any(name.endswith(".json") for name in reports):
            session.error(f"the drift playbook wrote no JSON report: {reports}")
        session.log("drift after the rollout (exit 0, compliant): {}; reports: {}".format(recap, ", ".join(reports)))

    globals()["rollout_" + release.replace(".", "_")] = rollout


for _release, _python in CORE_RELEASES.items():
    _make_ansible_test_sessions(_release, _python)
    _make_rollout_session(_release, _python)


# ------------------------------------------------------------------------------------ changelog
@nox.session(name="changelog", default=True)
def changelog(session):
    """antsibull-changelog lint: fragments in changelogs/fragments/ and changelogs/changelog.yaml."""
    session.install("-r", os.path.join(ROOT, "requirements", "changelog.txt"))
    session.run("antsibull-changelog", "lint")
    session.run("antsibull-changelog", "lint-changelog-yaml", "changelogs/changelog.yaml")


@nox.session(name="release", default=False)
def release(session):
    """Make the release of galaxy.yml's version: changelog.yaml and CHANGELOG.md from the fragments
    and from version_added of new modules, plugins and roles (run by the release manager)."""
    session.install(
        "-r", os.path.join(ROOT, "requirements", "changelog.txt"), "-r", _pins(max(CORE_RELEASES, key=_release_key))
    )
    session.run("antsibull-changelog", "release", "--reload-plugins", *session.posargs)
