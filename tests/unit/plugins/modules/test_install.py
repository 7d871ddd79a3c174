# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The install module on the host: file mechanics, with small fake packages (installfakes.py)."""

from __future__ import annotations

import json
import os
import stat

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _install as I
from ansible_collections.fleetpolicy.claude_code.tests.unit.plugins.modules.installfakes import (
    checksum,
    fake_executable,
    fake_package,
    run,
    tree,
)


@pytest.fixture
def host(tmp_path):
    """A host's install root and link directory inside tmp_path, and the module args for them."""

    class Host:
        root = tmp_path / "opt" / "claude-code"
        link = tmp_path / "bin" / "claude"
        files = tmp_path / "files"

        def args(self, version="2.1.331", **extra):
            args = dict(
                version=version,
                install_root=str(self.root),
                link=str(self.link),
                platform="linux-x64",
                source="artifact",
            )
            args.update(extra)
            return args

        def package(self, version="2.1.331", **kwargs):
            self.files.mkdir(exist_ok=True)
            path = str(self.files / (f"claude-code-linux-x64-{version}.tgz"))
            return path, fake_package(path, version, **kwargs)

        def install(self, version="2.1.331", **extra):
            path, digest = self.package(version)
            return run(self.args(version, src=path, src_checksums=[digest], **extra))

        def state(self):
            return tree(str(tmp_path / "opt")), tree(str(tmp_path / "bin")) if (tmp_path / "bin").exists() else {}

    (tmp_path / "bin").mkdir()
    return Host()


def test_without_an_artifact_the_module_only_reports_what_it_needs(host):
    result = run(host.args())
    assert result["needs_artifact"] is True and result["changed"] is False and result["platform"] == "linux-x64"
    assert not host.root.exists() and not os.path.lexists(str(host.link))


def test_install_layout(host):
    result = host.install()
    assert result["changed"] is True and result["version"] == "2.1.331", result
    exe = host.root / "2.1.331" / "claude"
    assert os.readlink(str(host.link)) == str(exe)
    assert exe.read_bytes() == fake_executable("2.1.331")
    for path, mode in ((host.root, 0o755), (exe.parent, 0o755), (exe, 0o755), (exe.parent / I.MARKER, 0o644)):
        st = os.lstat(str(path))
        assert stat.S_IMODE(st.st_mode) == mode, path
        if os.geteuid() == 0:
            assert (st.st_uid, st.st_gid) == (0, 0), path
    marker = json.loads((exe.parent / I.MARKER).read_text())
    assert (
        marker["version"] == "2.1.331"
        and marker["platform"] == "linux-x64"
        and marker["sha256"] == checksum(str(exe)).split(":")[1]
    )
    assert sorted(os.listdir(str(host.root))) == ["2.1.331"]  # no staging left


def test_a_host_on_that_version_is_not_touched(host):
    host.install()
    before = host.state()
    result = run(host.args())  # what the action plugin sends first: no artifact
    assert result["changed"] is False and "needs_artifact" not in result and result["version"] == "2.1.331"
    assert host.state() == before


def test_owner_and_mode_are_put_back_without_a_copy(host):
    host.install()
    exe = host.root / "2.1.331" / "claude"
    os.chmod(str(exe), 0o777)
    result = run(host.args(), check=True)
    assert result["changed"] is True and result["repaired"] == [str(exe)] and stat.S_IMODE(exe.stat().st_mode) == 0o777
    result = run(host.args())
    assert result["changed"] is True and stat.S_IMODE(exe.stat().st_mode) == 0o755
    assert run(host.args())["changed"] is False


def test_upgrade_switches_the_link_then_removes_the_old_version(host):
    host.install("2.1.330")
    result = host.install("2.1.331")
    assert result["previous_version"] == "2.1.330" and result["removed"] == [str(host.root / "2.1.330")]
    assert os.readlink(str(host.link)) == str(host.root / "2.1.331" / "claude")
    assert sorted(os.listdir(str(host.root))) == ["2.1.331"]


def test_check_mode_and_diff_change_nothing(host):
    path, digest = host.package()
    before = host.state()
    result = run(host.args(src=path, src_checksums=[digest]), check=True, diff=True)
    assert (
        result["changed"] is True
        and "2.1.331" in result["diff"]["after"]
        and "none installed" in result["diff"]["before"]
    )
    assert host.state() == before


@pytest.mark.parametrize(
    "case",
    [
        "one byte changed",
        "one compressed byte changed",
        "truncated",
        "wrong version inside",
        "says another version",
        "not a package",
        "wrong checksum given",
    ],
)
def test_a_bad_artifact_installs_nothing_and_keeps_the_old_version(host, case):
    host.install("2.1.330")
    before = host.state()
    path, digest = host.package("2.1.331")
    data = open(path, "rb").read()
    if case == "one byte changed":  # still a valid package of that version: only the checksum catches it
        fake_package(path, "2.1.331", executable=fake_executable("2.1.331").replace(b"echo ok", b"echo oK"))
    elif case == "one compressed byte changed":
        data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
        open(path, "wb").write(data)
    elif case == "truncated":
        open(path, "wb").write(data[: len(data) - 40])
    elif case == "wrong version inside":
        digest = fake_package(path, "2.1.329")
    elif case == "says another version":
        digest = fake_package(path, "2.1.331", says="2.1.329")
    elif case == "not a package":
        open(path, "wb").write(b"<html>proxy error</html>")
        digest = checksum(path)
    elif case == "wrong checksum given":
        digest = "sha256:" + "0" * 64
    result = run(host.args("2.1.331", src=path, src_checksums=[digest]))
    assert result.get("failed") is True, result
    assert "nothing" in result["msg"] and "claude_code_version 2.1.331" in result["msg"], result["msg"]
    if case in ("one byte changed", "wrong checksum given"):
        assert "checksum mismatch" in result["msg"]
    assert host.state() == before, case


def test_a_full_disk_installs_nothing(host, monkeypatch):
    host.install("2.1.330")
    before = host.state()

    class Full:
        f_bavail, f_frsize = 1, 4096

    monkeypatch.setattr(os, "statvfs", lambda path: Full())
    path, digest = host.package("2.1.331")
    result = run(host.args("2.1.331", src=path, src_checksums=[digest]))
    assert result.get("failed") and "claude_code_install_root: not enough space" in result["msg"], result
    assert host.state() == before


def test_a_foreign_claude_on_the_link_path_is_kept_unless_forced(host):
    host.link.write_text("#!/bin/sh\necho npm-installed\n")
    path, digest = host.package()
    result = run(host.args(src=path, src_checksums=[digest]))
    assert (
        result.get("failed")
        and "claude_code_install_link" in result["msg"]
        and "claude_code_install_force" in result["msg"]
    )
    assert host.link.read_text().endswith("npm-installed\n") and not host.root.exists()
    result = run(host.args(src=path, src_checksums=[digest], force=True))
    assert result["changed"] and os.readlink(str(host.link)) == str(host.root / "2.1.331" / "claude")


def test_a_foreign_directory_of_that_version_is_not_replaced(host):
    (host.root / "2.1.331").mkdir(parents=True)
    (host.root / "2.1.331" / "mine").write_text("x")
    path, digest = host.package()
    result = run(host.args(src=path, src_checksums=[digest]))
    assert result.get("failed") and "was not installed by this module" in result["msg"]
    assert (host.root / "2.1.331" / "mine").exists()


def test_stale_staging_from_an_interrupted_run_is_removed(host):
    host.root.mkdir(parents=True)
    stale = host.root / (I.STAGING_PREFIX + "2.1.331.abcd" + I.STAGING_SUFFIX)
    stale.mkdir()
    (stale / "claude").write_text("half")
    link_temp = host.link.parent / ".claude.4242.tmp"  # a killed run's link, not yet switched
    os.symlink("/nowhere", str(link_temp))
    host.install()
    assert sorted(os.listdir(str(host.root))) == ["2.1.331"]
    assert not os.path.lexists(str(link_temp))


def test_absent_removes_what_it_installed_and_nothing_else(host):
    host.install()
    (host.root / "notes").mkdir()
    (host.root / "notes" / "keep").write_text("x")
    before = host.state()
    result = run(host.args(state="absent"), check=True, diff=True)
    assert result["changed"] and host.state() == before and "none installed" in result["diff"]["after"]
    result = run(dict(state="absent", install_root=str(host.root), link=str(host.link)))
    assert result["changed"] and result["removed"] == [str(host.link), str(host.root / "2.1.331")]
    assert sorted(os.listdir(str(host.root))) == ["notes"] and not os.path.lexists(str(host.link))
    assert run(dict(state="absent", install_root=str(host.root), link=str(host.link)))["changed"] is False


def test_absent_leaves_a_link_it_did_not_make(host):
    os.symlink("/usr/bin/true", str(host.link))
    result = run(dict(state="absent", install_root=str(host.root), link=str(host.link)))
    assert result["changed"] is False and os.readlink(str(host.link)) == "/usr/bin/true"


def test_a_bad_version_is_refused_by_the_module_too(host):
    result = run(host.args("latest"))
    assert result.get("failed") and result["msg"].startswith("claude_code_version must be an exact version")


def test_an_unsupported_platform_is_named(host, monkeypatch):
    import platform as platform_module

    monkeypatch.setattr(platform_module, "machine", lambda: "riscv64")
    args = host.args()
    del args["platform"]
    result = run(args)
    assert result.get("failed") and "claude_code_install_platform" in result["msg"] and "riscv64" in result["msg"]


def test_a_disk_that_fills_up_while_unpacking_leaves_nothing_half_installed(host, monkeypatch):
    host.install("2.1.330")
    before = host.state()
    real_unpack = I.unpack

    def unpack_until_full(path, kind, version, platform, dest):
        real_unpack(path, kind, version, platform, dest)  # part of the file is on disk when the disk fills
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(I, "unpack", unpack_until_full)
    path, digest = host.package("2.1.331")
    result = run(host.args("2.1.331", src=path, src_checksums=[digest]))
    assert result.get("failed") and "claude_code_install_root: not enough space" in result["msg"], result
    assert "nothing was changed" in result["msg"]
    assert host.state() == before


@pytest.mark.parametrize("case", ["checksum mismatch", "says another version"])
def test_a_first_install_that_fails_leaves_no_install_root(host, case):
    """Before anything is written (a checksum), or once the root was made and locked (the
    executable's own version): no install root, and no parent made for it either."""
    if case == "checksum mismatch":
        path, _digest = host.package("2.1.331")
        digest = "sha256:" + "0" * 64
    else:
        path, digest = host.package("2.1.331", says="2.1.329")
    result = run(host.args("2.1.331", src=path, src_checksums=[digest]))
    assert result.get("failed") and "nothing was changed" in result["msg"], result
    assert not host.root.parent.exists()


def _install_in_child(args):
    return run(args)


def test_concurrent_runs_end_with_one_consistent_install(host):
    """Two runs at once on one host (here two versions, so that either order is visible): the
    lock on the install root serialises them; the end state is one version, linked, complete."""
    import multiprocessing

    jobs = []
    for version in ("2.1.330", "2.1.331"):
        path, digest = host.package(version)
        jobs.append(host.args(version, src=path, src_checksums=[digest]))
    context = multiprocessing.get_context("fork")
    for _round in range(10):
        with context.Pool(2) as pool:
            results = pool.map(_install_in_child, jobs)
        assert not [r for r in results if r.get("failed")], [r.get("msg") for r in results if r.get("failed")]
        entries = sorted(os.listdir(str(host.root)))
        assert len(entries) == 1 and entries[0] in ("2.1.330", "2.1.331"), entries  # no staging, no orphan
        assert os.readlink(str(host.link)) == str(host.root / entries[0] / "claude")
        marker = json.loads((host.root / entries[0] / I.MARKER).read_text())
        assert marker["version"] == entries[0] and (host.root / entries[0] / "claude").read_bytes() == fake_executable(
            entries[0]
        )
