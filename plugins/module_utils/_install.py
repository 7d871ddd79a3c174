# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Installing a pinned Claude Code: what the install action plugin (controller) and the install
module (host) share. Private to this collection; it may change without notice.

Standard library only: the module side runs on hosts that have nothing but Python.

Facts (checked with `npm view` and a downloaded tarball, CLI 2.1.331):
- `@anthropic-ai/claude-code` is a thin wrapper whose optionalDependencies are one package per
  platform, `@anthropic-ai/claude-code-<platform>` (PLATFORMS below), with the same version.
- A platform package is a tarball (`package/package.json` plus the self-contained native
  executable `package/claude`, `package/claude.exe` on Windows; ~380 MB on linux-x64); it
  needs no Node.js.
- The registry's version document (GET <registry>/<name>/<version>) gives `dist.tarball` and
  `dist.integrity` (Subresource Integrity form, `sha512-<base64>`).
- `claude --version` prints `<version> (Claude Code)`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import glob
import hashlib
import json
import os
import re
import tarfile
import zlib

PACKAGE = "@anthropic-ai/claude-code"
PLATFORMS = (
    "linux-x64",
    "linux-arm64",
    "linux-x64-musl",
    "linux-arm64-musl",
    "darwin-x64",
    "darwin-arm64",
    "win32-x64",
    "win32-arm64",
)
DEFAULT_REGISTRY = "https://registry.npmjs.org"
DEFAULT_INSTALL_ROOT = "/opt/claude-code"
DEFAULT_LINK = "/usr/local/bin/claude"
# Written into each version directory the module installs; what `state: absent` and the removal
# of an old version look for, so that nothing else under the install root is ever removed.
MARKER = ".fleetpolicy-claude-code.json"
STAGING_PREFIX = ".staging-"
STAGING_SUFFIX = ".tmp"

# An exact version: MAJOR.MINOR.PATCH with an optional pre-release tag. No ranges, no tags such
# as `latest` or `stable`, no leading `v` or `=`.
VERSION_RE = re.compile(r"(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z]+(\.[0-9A-Za-z]+)*)?")
CHECKSUM_RE = re.compile(r"([a-z0-9]+):([0-9a-fA-F]+)")
CHECKSUM_ALGORITHMS = ("sha256", "sha384", "sha512")
CHUNK = 1024 * 1024

MACHINES = {"x86_64": "x64", "amd64": "x64", "x64": "x64", "aarch64": "arm64", "arm64": "arm64"}
SYSTEMS = {"linux": "linux", "darwin": "darwin", "windows": "win32", "win32": "win32"}


class InstallError(Exception):
    """A failure with a message meant for the user (names the role variable where one applies)."""


def check_version(version):
    """None if `version` is an exact version, else the reason it is not."""
    if not isinstance(version, str) or not version:
        return "is required: an exact version such as 2.1.331"
    if not VERSION_RE.fullmatch(version):
        return (
            f"must be an exact version such as 2.1.331 (got {version!r}; ranges, tags such as latest "
            "and prefixes such as v or ^ are refused)"
        )
    return None


def platform_name(system, machine, libc=None):
    """The npm platform suffix for an OS (uname -s), a machine (uname -m) and, on Linux, the C
    library (glibc or musl); None when Claude Code publishes no package for it."""
    osname = SYSTEMS.get((system or "").lower())
    arch = MACHINES.get((machine or "").lower())
    if not osname or not arch:
        return None
    name = f"{osname}-{arch}"
    if osname == "linux" and libc == "musl":
        name += "-musl"
    return name if name in PLATFORMS else None


def detect_libc(root="/"):
    """`musl` when the musl dynamic loader is there (Alpine and friends), else `glibc`."""
    patterns = [os.path.join(root, d, "ld-musl-*.so.1") for d in ("lib", "usr/lib", "lib64")]
    for pattern in patterns:
        if glob.glob(pattern):
            return "musl"
    return "glibc"


def executable_name(platform):
    return "claude.exe" if platform.startswith("win32") else "claude"


def package_name(platform):
    return f"{PACKAGE}-{platform}"


def version_document_url(registry, name, version):
    """URL of one version's document in an npm registry (the scope's slash encoded, which the
    public registry, Verdaccio, Nexus and Artifactory all accept)."""
    return "{}/{}/{}".format(registry.rstrip("/"), name.replace("/", "%2f"), version)


def parse_checksum(text):
    """`algorithm:hex` (Ansible's form) to (algorithm, lowercase hex). Raises ValueError."""
    match = CHECKSUM_RE.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"must be algorithm:hex, for example sha256:4f0b...; got {text!r}")
    algorithm, digest = match.group(1), match.group(2).lower()
    if algorithm not in CHECKSUM_ALGORITHMS:
        raise ValueError("algorithm {!r} is not one of {}".format(algorithm, ", ".join(CHECKSUM_ALGORITHMS)))
    if len(digest) != hashlib.new(algorithm).digest_size * 2:
        raise ValueError(
            "a %s digest has %d hex digits, got %d" % (algorithm, hashlib.new(algorithm).digest_size * 2, len(digest))
        )
    return algorithm, digest


def sri_to_checksum(integrity):
    """npm's `dist.integrity` (`sha512-<base64>`, possibly several space-separated) to
    `algorithm:hex`, taking the strongest. Raises ValueError."""
    best = None
    for item in (integrity or "").split():
        algorithm, _sep, b64 = item.partition("-")
        if algorithm not in CHECKSUM_ALGORITHMS:
            continue
        try:
            raw = base64.b64decode(b64.split("?")[0], validate=True)
        except (binascii.Error, ValueError):
            continue
        if len(raw) != hashlib.new(algorithm).digest_size:
            continue
        if best is None or CHECKSUM_ALGORITHMS.index(algorithm) > CHECKSUM_ALGORITHMS.index(best[0]):
            best = (algorithm, binascii.hexlify(raw).decode("ascii"))
    if best is None:
        raise ValueError(f"no usable sha256/sha384/sha512 hash in the registry's integrity {integrity!r}")
    return "{}:{}".format(*best)


def file_digests(path, algorithms):
    """{algorithm: hex} of a file, read once."""
    hashers = {a: hashlib.new(a) for a in set(algorithms)}
    with open(path, "rb") as handle:
        while True:
            block = handle.read(CHUNK)
            if not block:
                break
            for hasher in hashers.values():
                hasher.update(block)
    return {a: h.hexdigest() for a, h in hashers.items()}


def verify_checksums(path, checksums):
    """None when the file matches every `algorithm:hex` in `checksums`, else the first mismatch
    as a message."""
    wanted = [parse_checksum(c) for c in checksums]
    have = file_digests(path, [a for a, _d in wanted])
    for algorithm, digest in wanted:
        if have[algorithm] != digest:
            return f"{os.path.basename(path)} is {algorithm}:{have[algorithm]}, expected {algorithm}:{digest}"
    return None


def artifact_kind(path):
    """`tarball` (gzip) or `executable` (ELF, Mach-O or PE), from the first bytes."""
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head[:2] == b"\x1f\x8b":
        return "tarball"
    if (
        head == b"\x7fELF"
        or head[:2] == b"MZ"
        or head in (b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa\xcf", b"\xca\xfe\xba\xbe")
    ):
        return "executable"
    if head[:2] == b"#!":  # a script standing in for the executable (tests); runs like one
        return "executable"
    raise InstallError("is neither a platform package tarball (.tgz) nor a Claude Code executable")


def resolve(document, version, platform):
    """From a registry's version document: (tarball URL, `algorithm:hex`). Raises InstallError."""
    if not isinstance(document, dict):
        raise InstallError("the registry's answer is not a JSON object")
    if document.get("name") != package_name(platform) or document.get("version") != version:
        raise InstallError(
            "the registry answered for {}@{}, not {}@{}".format(
                document.get("name"), document.get("version"), package_name(platform), version
            )
        )
    dist = document.get("dist") or {}
    if not dist.get("tarball"):
        raise InstallError(f"the registry's document for {package_name(platform)}@{version} has no dist.tarball")
    try:
        checksum = sri_to_checksum(dist.get("integrity"))
    except ValueError as exc:
        raise InstallError(str(exc))
    return dist["tarball"], checksum


def tar_member(tar, platform):
    """The executable's member in a platform package tarball. Raises InstallError."""
    name = "package/" + executable_name(platform)
    try:
        member = tar.getmember(name)
    except KeyError:
        raise InstallError(f"the tarball has no {name} (is it a Claude Code platform package?)")
    if not member.isfile():
        raise InstallError(f"{name} in the tarball is not a regular file")
    return member


def check_package_json(tar, version, platform):
    """The tarball is the expected package at the expected version. Raises InstallError."""
    try:
        handle = tar.extractfile("package/package.json")
        meta = json.loads(handle.read(1024 * 1024).decode("utf-8"))
    except (KeyError, AttributeError, ValueError, UnicodeDecodeError):
        raise InstallError("the tarball has no readable package/package.json")
    if meta.get("name") != package_name(platform) or meta.get("version") != version:
        raise InstallError(
            "the tarball holds {}@{}, not {}@{}".format(
                meta.get("name"), meta.get("version"), package_name(platform), version
            )
        )


def executable_size(path, kind, platform):
    """Bytes the executable will take once unpacked."""
    if kind == "executable":
        return os.path.getsize(path)
    with tarfile.open(path, "r:gz") as tar:
        return tar_member(tar, platform).size


def unpack(path, kind, version, platform, dest):
    """Write the executable from a verified artifact to `dest` (a new file, 0700 until the
    caller sets its mode), fsynced. Raises InstallError, OSError."""
    with contextlib.ExitStack() as opened:
        if kind == "executable":
            source, size = opened.enter_context(open(path, "rb")), os.path.getsize(path)
            tar = None
        else:
            try:
                tar = opened.enter_context(tarfile.open(path, "r:gz"))
                check_package_json(tar, version, platform)
                member = tar_member(tar, platform)
                source, size = opened.enter_context(tar.extractfile(member)), member.size
            except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
                raise InstallError(f"the tarball cannot be read: {exc}")
        written = _copy_out(source, tar, dest)
    if written != size:
        raise InstallError("unpacked %d bytes of the executable, expected %d (truncated artifact)" % (written, size))
    return written


def _copy_out(source, tar, dest):
    """Copy `source` into the new file `dest`, fsynced; the bytes written."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    written = 0
    with os.fdopen(os.open(dest, flags, 0o700), "wb") as out:
        while True:
            try:
                block = source.read(CHUNK)
            except (tarfile.TarError, EOFError, OSError, ValueError, zlib.error) as exc:
                raise InstallError(f"the artifact is truncated or corrupt: {exc}")
            if not block:
                break
            out.write(block)
            written += len(block)
        if tar is not None:
            # Read the compressed stream to its end: only there does gzip check its CRC and
            # length, which catch damage that still inflates (one flipped bit, for example).
            try:
                while tar.fileobj.read(CHUNK):
                    pass
            except (EOFError, OSError, zlib.error) as exc:
                raise InstallError(f"the artifact is truncated or corrupt: {exc}")
        out.flush()
        os.fsync(out.fileno())
    return written


def package_document_url(registry, name):
    """URL of a package's document (every version, its dist-tags) in an npm registry."""
    return "{}/{}".format(registry.rstrip("/"), name.replace("/", "%2f"))


def _version_key(version):
    match = VERSION_RE.fullmatch(version)
    major, minor, patch = (int(match.group(i)) for i in (1, 2, 3))
    return (major, minor, patch, match.group(4) is None)


def newest_version(document):
    """The newest exact version a package document lists (a release before its pre-releases), or
    None when it lists none."""
    versions = document.get("versions") if isinstance(document, dict) else None
    found = [v for v in (versions or {}) if isinstance(v, str) and VERSION_RE.fullmatch(v)]
    return max(found, key=_version_key) if found else None


def resolve_from_registry(get_json, registry, version, platform):
    """(tarball URL, `algorithm:hex`) of the platform package, through `get_json(url)` which
    returns (HTTP status, parsed document or None). Tells an unknown version apart from a
    platform whose package stops at an older version (the platform packages are not all
    published at every version: in 2026-12 the linux-x64 and linux-arm64 ones went on to 2.1.337
    while the musl, darwin and win32 ones stopped at 2.1.332) and from a platform that has no
    package at all. Raises InstallError."""
    name = package_name(platform)
    status, document = get_json(version_document_url(registry, name, version))
    if status == 200:
        return resolve(document, version, platform)
    if status != 404:
        raise InstallError(f"the registry {registry} answered HTTP {status} for {name}@{version}")
    status, package = get_json(package_document_url(registry, name))
    if status == 200 and isinstance(package, dict) and package.get("versions"):
        newest = newest_version(package)
        raise InstallError(
            "claude_code_version {version}: {name} has no version {version} (newest {newest}) at {registry}; this"
            " host's platform is {platform}: pin a version every platform of the fleet has".format(
                version=version, name=name, newest=newest or "none", registry=registry, platform=platform
            )
        )
    status, wrapper = get_json(version_document_url(registry, PACKAGE, version))
    if status == 404:
        raise InstallError(f"claude_code_version {version}: {PACKAGE} has no such version at {registry}")
    if status == 200 and isinstance(wrapper, dict):
        offered = sorted(
            p[len(PACKAGE) + 1 :] for p in (wrapper.get("optionalDependencies") or {}) if p.startswith(PACKAGE + "-")
        )
        raise InstallError(
            "claude_code_version {} exists, but there is no package for this host's platform {} ({} at {} has: {})".format(
                version, platform, PACKAGE, registry, ", ".join(offered) or "none"
            )
        )
    raise InstallError(
        f"{name}@{version} is not at {registry} (HTTP 404), and the registry answered HTTP {status} for {PACKAGE}@{version}"
    )
