# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The install helpers shared by the action plugin and the module (module_utils/_install.py)."""

from __future__ import annotations

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _install as I
from ansible_collections.fleetpolicy.claude_code.tests.unit.plugins.modules.installfakes import (
    checksum,
    fake_package,
    integrity,
)

# The published integrity of @anthropic-ai/claude-code-linux-x64@2.1.331 (npm view ... dist.integrity)
# and the same digest as sha512sum prints it for the downloaded tarball.
LINUX_X64_2_1_331_SRI = (
    "sha512-IpvZ9c/NopO/sr8ThWLVAUDXVAFT3auLWrhbR6wq1dgkuJfZYdTtoXf6GajE5KL9R58iTt/86OPXrJAsM4+l8g=="
)
LINUX_X64_2_1_331_HEX = (
    "229bd9f5cfcda293bfb2bf138562d50140d7540153ddab8b5ab85b47ac2ad5d824b897d961d4eda177fa19a8c4e4a2"
    "fd479f224edffce8e3d7ac902c338fa5f2"
)


@pytest.mark.parametrize("version", ["2.1.331", "0.2.9", "10.0.0", "2.1.0-beta.1"])
def test_exact_versions_pass(version):
    assert I.check_version(version) is None


@pytest.mark.parametrize(
    "version",
    [
        "",
        None,
        "2.1",
        "2",
        "latest",
        "stable",
        "^2.1.331",
        "~2.1.331",
        "v2.1.331",
        "=2.1.331",
        ">=2.1.0",
        "2.1.x",
        "2.1.*",
        "02.1.331",
        "2.1.331 ",
        "2.1.331\n",
        "2.1.331||2.1.332",
        2.1,
        2,
    ],
)
def test_anything_but_an_exact_version_is_refused(version):
    reason = I.check_version(version)
    assert reason and "exact version" in reason


@pytest.mark.parametrize(
    "system, machine, libc, want",
    [
        ("Linux", "x86_64", "glibc", "linux-x64"),
        ("Linux", "x86_64", "musl", "linux-x64-musl"),
        ("Linux", "aarch64", "glibc", "linux-arm64"),
        ("Linux", "aarch64", "musl", "linux-arm64-musl"),
        ("Darwin", "arm64", None, "darwin-arm64"),
        ("Darwin", "x86_64", None, "darwin-x64"),
        ("Windows", "AMD64", None, "win32-x64"),
        ("Linux", "armv7l", "glibc", None),
        ("Linux", "riscv64", "glibc", None),
        ("FreeBSD", "amd64", None, None),
        ("SunOS", "i86pc", None, None),
    ],
)
def test_platform_names(system, machine, libc, want):
    assert I.platform_name(system, machine, libc) == want


def test_libc_is_musl_only_with_the_musl_loader(tmp_path):
    assert I.detect_libc(str(tmp_path)) == "glibc"
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "ld-musl-x86_64.so.1").write_bytes(b"")
    assert I.detect_libc(str(tmp_path)) == "musl"


def test_the_published_integrity_becomes_ansible_checksum_form():
    assert I.sri_to_checksum(LINUX_X64_2_1_331_SRI) == "sha512:" + LINUX_X64_2_1_331_HEX
    assert I.sri_to_checksum("sha1-deadbeef " + LINUX_X64_2_1_331_SRI) == "sha512:" + LINUX_X64_2_1_331_HEX


@pytest.mark.parametrize("sri", ["", None, "sha1-UWK5S8QZtaRFi1tbZ/gkQmj7PS0=", "sha512-notbase64!!", "sha512-AAAA"])
def test_unusable_integrity_is_an_error(sri):
    with pytest.raises(ValueError):
        I.sri_to_checksum(sri)


@pytest.mark.parametrize(
    "text",
    [
        "md5:" + "0" * 32,
        "sha1:" + "0" * 40,
        "sha256:" + "0" * 63,
        "sha256:" + "g" * 64,
        "sha256 " + "0" * 64,
        "0" * 64,
        "",
        None,
        "sha256:",
    ],
)
def test_bad_checksums_are_refused(text):
    with pytest.raises(ValueError):
        I.parse_checksum(text)


def test_checksum_comparison(tmp_path):
    path = tmp_path / "a.tgz"
    good = fake_package(str(path), "2.1.331")
    assert I.verify_checksums(str(path), [good]) is None
    assert I.verify_checksums(str(path), [good.upper().replace("SHA256", "sha256")]) is None
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "expected " + bad in I.verify_checksums(str(path), [bad])
    sri = I.sri_to_checksum(integrity(str(path)))
    assert I.verify_checksums(str(path), [good, sri]) is None


def document(version="2.1.331", platform="linux-x64", **dist):
    dist.setdefault("tarball", "https://registry.example/t.tgz")
    dist.setdefault("integrity", LINUX_X64_2_1_331_SRI)
    return {"name": "@anthropic-ai/claude-code-" + platform, "version": version, "dist": dist}


def test_resolve_reads_tarball_and_integrity():
    url, digest = I.resolve(document(), "2.1.331", "linux-x64")
    assert url == "https://registry.example/t.tgz" and digest == "sha512:" + LINUX_X64_2_1_331_HEX


@pytest.mark.parametrize(
    "doc, words",
    [
        (document(version="2.1.330"), "not @anthropic-ai/claude-code-linux-x64@2.1.331"),
        (document(platform="linux-arm64"), "not @anthropic-ai/claude-code-linux-x64@2.1.331"),
        (document(tarball=""), "no dist.tarball"),
        (document(integrity="sha1-UWK5S8QZtaRFi1tbZ/gkQmj7PS0="), "no usable"),
        ([], "not a JSON object"),
    ],
)
def test_resolve_refuses_documents_for_something_else(doc, words):
    with pytest.raises(I.InstallError, match=words.replace("@", ".").replace("(", ".")):
        I.resolve(doc, "2.1.331", "linux-x64")


def registry(answers):
    asked = []

    def get_json(url):
        asked.append(url)
        return answers.get(url, (404, None))

    return get_json, asked


def test_registry_urls_and_an_unknown_version():
    get_json, asked = registry({})
    with pytest.raises(
        I.InstallError, match="claude_code_version 9.9.9: @anthropic-ai/claude-code has no such version"
    ):
        I.resolve_from_registry(get_json, "https://r.example/npm/", "9.9.9", "linux-x64")
    assert asked == [
        "https://r.example/npm/@anthropic-ai%2fclaude-code-linux-x64/9.9.9",
        "https://r.example/npm/@anthropic-ai%2fclaude-code-linux-x64",
        "https://r.example/npm/@anthropic-ai%2fclaude-code/9.9.9",
    ]


def test_a_platform_whose_package_stops_earlier_is_named_with_its_newest_version():
    """The platform packages are not all published at every version (2026-12: linux-x64 and
    linux-arm64 went on to 2.1.337, darwin-arm64 and the others stopped at 2.1.332)."""
    package = {
        "name": "@anthropic-ai/claude-code-darwin-arm64",
        "dist-tags": {"latest": "2.1.332"},
        "versions": {v: {} for v in ("2.1.9", "2.1.285", "2.1.332", "2.1.333-rc.1", "2.1.40")},
    }
    get_json, asked = registry({"https://r.example/@anthropic-ai%2fclaude-code-darwin-arm64": (200, package)})
    with pytest.raises(I.InstallError) as err:
        I.resolve_from_registry(get_json, "https://r.example", "2.1.337", "darwin-arm64")
    assert str(err.value).startswith(
        "claude_code_version 2.1.337: @anthropic-ai/claude-code-darwin-arm64 has no version 2.1.337 (newest "
        "2.1.333-rc.1) at https://r.example; this host's platform is darwin-arm64"
    )
    # the wrapper package is not asked: the platform's own document says it all
    assert asked == [
        "https://r.example/@anthropic-ai%2fclaude-code-darwin-arm64/2.1.337",
        "https://r.example/@anthropic-ai%2fclaude-code-darwin-arm64",
    ]


@pytest.mark.parametrize(
    "versions, newest",
    [
        (["2.1.9", "2.1.40", "2.1.332"], "2.1.332"),  # numerically, not as text
        (["2.1.332", "2.1.333-rc.1"], "2.1.333-rc.1"),
        (["2.1.333-rc.1", "2.1.333"], "2.1.333"),  # a release after its pre-releases
        (["latest", "2.1.1"], "2.1.1"),  # not a version
        ([], None),
    ],
)
def test_newest_version(versions, newest):
    assert I.newest_version({"versions": {v: {} for v in versions}}) == newest


def test_a_platform_without_a_package_is_named():
    wrapper = {
        "name": "@anthropic-ai/claude-code",
        "version": "2.1.331",
        "optionalDependencies": {
            "@anthropic-ai/claude-code-linux-x64": "2.1.331",
            "@anthropic-ai/claude-code-darwin-arm64": "2.1.331",
        },
    }
    get_json, _asked = registry({"https://r.example/@anthropic-ai%2fclaude-code/2.1.331": (200, wrapper)})
    with pytest.raises(
        I.InstallError, match="no package for this host's platform linux-arm64-musl .* has: darwin-arm64, linux-x64"
    ):
        I.resolve_from_registry(get_json, "https://r.example", "2.1.331", "linux-arm64-musl")


def test_a_registry_error_is_not_mistaken_for_a_missing_version():
    get_json, _asked = registry({"https://r.example/@anthropic-ai%2fclaude-code-linux-x64/2.1.331": (503, None)})
    with pytest.raises(I.InstallError, match="answered HTTP 503"):
        I.resolve_from_registry(get_json, "https://r.example", "2.1.331", "linux-x64")


def test_artifact_kinds(tmp_path):
    tgz = tmp_path / "p.tgz"
    fake_package(str(tgz), "2.1.331")
    assert I.artifact_kind(str(tgz)) == "tarball"
    elf = tmp_path / "claude"
    elf.write_bytes(b"\x7fELF" + b"\0" * 100)
    assert I.artifact_kind(str(elf)) == "executable"
    txt = tmp_path / "notes.txt"
    txt.write_bytes(b"hello")
    with pytest.raises(I.InstallError, match="neither"):
        I.artifact_kind(str(txt))


def test_unpack_checks_the_package_it_unpacks(tmp_path):
    tgz = tmp_path / "p.tgz"
    fake_package(str(tgz), "2.1.330")
    with pytest.raises(I.InstallError, match="holds @anthropic-ai/claude-code-linux-x64@2.1.330, not"):
        I.unpack(str(tgz), "tarball", "2.1.331", "linux-x64", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()
    fake_package(str(tgz), "2.1.331", name="@evil/claude-code-linux-x64")
    with pytest.raises(I.InstallError, match="holds @evil"):
        I.unpack(str(tgz), "tarball", "2.1.331", "linux-x64", str(tmp_path / "out"))


def test_unpack_a_truncated_tarball_fails(tmp_path):
    tgz = tmp_path / "p.tgz"
    fake_package(str(tgz), "2.1.331", executable=b"#!/bin/sh\n" + bytes(range(256)) * 4000)
    data = tgz.read_bytes()
    tgz.write_bytes(data[: len(data) // 2])
    with pytest.raises(I.InstallError):
        I.unpack(str(tgz), "tarball", "2.1.331", "linux-x64", str(tmp_path / "out"))


def test_unpack_writes_exactly_the_executable(tmp_path):
    tgz = tmp_path / "p.tgz"
    fake_package(str(tgz), "2.1.331")
    out = tmp_path / "claude"
    I.unpack(str(tgz), "tarball", "2.1.331", "linux-x64", str(out))
    assert out.read_bytes().startswith(b"#!/bin/sh") and checksum(str(out)) != checksum(str(tgz))
