#!/usr/bin/python
# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: install
short_description: Install a pinned version of the Claude Code CLI, from an npm registry or fully offline
version_added: 1.0.0
description:
  - Puts one exact version of Claude Code's self-contained native executable (no Node.js needed) on
    the host, in a versioned directory (C(<install_root>/<version>/claude)), with a stable
    C(claude) link on every user's C(PATH) (O(link)). Everything is owned by root and not
    writable by other users.
  - The controller computes, the host applies. The action plugin checks the input, asks the host
    which version it has and which platform it is (OS, architecture, glibc or musl; no facts
    needed), and only when the host lacks that version resolves, downloads and verifies the
    platform package on the controller (O(source=controller), once per platform into
    O(cache_dir), reused for every host) or takes the user's file (O(source=artifact)), and
    transfers it. With O(source=host) the host itself downloads from O(registry).
  - On the host the module verifies the checksum again, unpacks the executable into a temporary
    directory beside the target, runs C(claude --version) and checks it reports O(version),
    then moves the directory into place and switches O(link) atomically. The version the link
    pointed to before is removed only after that.
  - Every artifact is checked before anything is installed, against the registry's published
    C(dist.integrity) and, when given, O(checksum). A mismatch, an unknown version, a platform
    with no package, a truncated artifact or a full disk fail with a message naming the host and
    the role variable, and leave the host as it was.
  - A host that already has O(version) installed as this module installs it is not touched and
    nothing is transferred; only ownership and modes are repaired if someone changed them.
author:
  - fleetpolicy.claude_code contributors (@fleetpolicy)
attributes:
  action:
    support: full
    description: An action plugin on the controller does validation, resolution, download and transfer.
  check_mode:
    support: full
    description: >-
      Says what would be installed or removed, with a diff, and writes nothing on the host. The
      registry is asked (so an unknown version fails in check mode too) and an O(artifact) is
      verified, but nothing is downloaded.
  diff_mode:
    support: full
    description: Shows the installed version, executable and link before and after.
  platform:
    support: full
    platforms: posix
    description: Linux (glibc and musl, x86_64 and aarch64) and macOS. Windows hosts are not supported by the module.
options:
  version:
    description:
      - The exact version to install, for example V(2.1.331). Ranges, dist-tags such as V(latest)
        and prefixes such as V(v) or V(^) are refused.
      - Required when O(state=present).
    type: str
  state:
    description:
      - V(present) installs O(version) and points O(link) at it.
      - V(absent) removes the link (only if it points into O(install_root)) and every version
        directory this module installed under O(install_root), and nothing else.
    type: str
    choices: [present, absent]
    default: present
  source:
    description:
      - V(controller) downloads the platform package from O(registry) on the controller, once per
        platform into O(cache_dir), and copies it to each host that needs it.
      - V(host) makes each host download it from O(registry) itself.
      - V(artifact) uses O(artifact), a file on the controller; no network is used at all.
    type: str
    choices: [controller, host, artifact]
    default: controller
  registry:
    description:
      - Base URL of the npm registry or mirror that serves C(@anthropic-ai/claude-code).
    type: str
    default: https://registry.npmjs.org
  artifact:
    description:
      - Path on the controller of a platform package tarball (for example
        C(anthropic-ai-claude-code-linux-x64-2.1.331.tgz) from C(npm pack)) or of the bare
        executable. Required with O(source=artifact), which also requires O(checksum).
      - A tarball's C(package/package.json) must name the host's platform package and O(version);
        a bare executable must report O(version).
    type: path
  checksum:
    description:
      - The artifact's checksum in Ansible's C(algorithm:hex) form (V(sha256), V(sha384) or V(sha512)).
      - Required with O(source=artifact). With a registry source it is checked in addition to the
        registry's published integrity hash.
    type: str
  cache_dir:
    description:
      - Controller directory where O(source=controller) keeps downloaded packages, one per
        platform and version, verified again before each use.
    type: path
    default: ~/.cache/fleetpolicy.claude_code
  install_root:
    description:
      - Directory that holds one subdirectory per installed version.
    type: path
    default: /opt/claude-code
  link:
    description:
      - The stable path of the C(claude) command, a symbolic link to the installed executable.
      - Should be in a directory on every user's C(PATH).
    type: path
    default: /usr/local/bin/claude
  platform:
    description:
      - The npm platform of the host (for example V(linux-x64-musl)). Detected on the host when omitted.
    type: str
    choices: [linux-x64, linux-arm64, linux-x64-musl, linux-arm64-musl, darwin-x64, darwin-arm64]
  force:
    description:
      - Replace an O(link) path that exists but is not a link into O(install_root) (for example a
        C(claude) installed by C(npm install -g)). Without it the module fails and changes nothing.
    type: bool
    default: false
  validate_certs:
    description: Verify the registry's TLS certificate.
    type: bool
    default: true
  timeout:
    description: Seconds to wait for the registry to answer (per request).
    type: int
    default: 60
  src:
    description:
      - Set by the action plugin, not by users - the path on the host of the artifact it transferred.
    type: path
  src_checksums:
    description:
      - Set by the action plugin, not by users - the C(algorithm:hex) checksums O(src) must have.
    type: list
    elements: str
    default: []
notes:
  - The executable is checked with C(claude --version) under an empty C(HOME), with
    C(DISABLE_AUTOUPDATER=1) and C(CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1), and in a network
    namespace of its own where C(unshare --net) works.
  - "Works with C(gather_facts: false) and over the C(community.general.chroot) connection (image
    builds, no network inside the image with O(source=controller) or O(source=artifact))."
  - A host counts as having the version when the link points at the version directory this module
    wrote (with its marker file and the executable). The executable is not hashed again on every run.
  - Run as root for the default paths. Run as another user, the files are owned by that user.
seealso:
  - name: Claude Code setup
    description: Anthropic's installation documentation.
    link: https://code.claude.com/docs/en/setup
"""

EXAMPLES = r"""
- name: Install Claude Code 2.1.331 from the public npm registry, downloaded once on the controller
  fleetpolicy.claude_code.install:
    version: 2.1.331

- name: Install from an internal mirror that every host reaches
  fleetpolicy.claude_code.install:
    version: 2.1.331
    source: host
    registry: https://npm.example.internal/repository/npm-proxy

- name: Install fully offline from a package tarball kept on the controller
  fleetpolicy.claude_code.install:
    version: 2.1.331
    source: artifact
    artifact: files/anthropic-ai-claude-code-linux-x64-2.1.331.tgz
    checksum: sha512:229bd9f5cfcda293bfb2bf138562d50140d7540153ddab8b5ab85b47ac2ad5d824b897d961d4eda177fa19a8c4e4a2fd479f224edffce8e3d7ac902c338fa5f2

- name: Remove what the module installed
  fleetpolicy.claude_code.install:
    state: absent
"""

RETURN = r"""
version:
  description: The version installed after the task (V(null) after O(state=absent)).
  returned: always
  type: str
  sample: 2.1.331
previous_version:
  description: The version O(link) pointed to before the task, if it was one this module installed.
  returned: always
  type: str
  sample: 2.1.300
platform:
  description: The host's npm platform.
  returned: always
  type: str
  sample: linux-x64
executable:
  description:
    - The installed executable. (Not named C(path) - Ansible would add the file's attributes to a
      C(path) in the result, and a concurrent run may already have replaced that version.)
  returned: when O(state=present)
  type: str
  sample: /opt/claude-code/2.1.331/claude
link:
  description: The stable C(claude) link.
  returned: always
  type: str
  sample: /usr/local/bin/claude
removed:
  description: Directories and links removed (an old version, or everything with O(state=absent)).
  returned: always
  type: list
  elements: str
  sample: [/opt/claude-code/2.1.300]
repaired:
  description: Paths whose owner or mode was put back.
  returned: always
  type: list
  elements: str
  sample: []
transferred:
  description: Whether an artifact was copied to the host (V(false) on a host that already had the version).
  returned: always
  type: bool
  sample: true
source:
  description: Where the artifact came from (registry URL or controller path), when one was needed.
  returned: when an artifact was needed
  type: str
  sample: https://registry.npmjs.org/@anthropic-ai/claude-code-linux-x64/-/claude-code-linux-x64-2.1.331.tgz
checksum:
  description: The checksum the artifact was verified against.
  returned: when an artifact was needed
  type: str
  sample: sha512:229bd9f5...
"""

import errno
import json
import os
import platform as _platform
import shutil
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.urls import fetch_url

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _fs
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _install as I

ARGUMENT_SPEC = dict(
    version=dict(type="str"),
    state=dict(type="str", choices=["present", "absent"], default="present"),
    source=dict(type="str", choices=["controller", "host", "artifact"], default="controller"),
    registry=dict(type="str", default=I.DEFAULT_REGISTRY),
    artifact=dict(type="path"),
    checksum=dict(type="str"),
    cache_dir=dict(type="path", default="~/.cache/fleetpolicy.claude_code"),
    install_root=dict(type="path", default=I.DEFAULT_INSTALL_ROOT),
    link=dict(type="path", default=I.DEFAULT_LINK),
    platform=dict(type="str", choices=[p for p in I.PLATFORMS if not p.startswith("win32")]),
    force=dict(type="bool", default=False),
    validate_certs=dict(type="bool", default=True),
    timeout=dict(type="int", default=60),
    src=dict(type="path"),
    src_checksums=dict(type="list", elements="str", default=[]),
)
MARGIN = 16 * 1024 * 1024  # free space kept beyond the executable (marker, metadata, fs slack)
VERSION_TIMEOUT = 120


class Installer:
    """One run on one host. absent() and present() return the module result; a failure leaves
    through fail() (fail_json). Runs that change the host hold the lock on the install root
    (_fs.lock), so a concurrent run never sees, or removes, another's staging directory."""

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.p = module.params
        self.root = os.path.abspath(self.p["install_root"])
        self.link = os.path.abspath(self.p["link"])
        self.result = dict(
            changed=False,
            version=None,
            previous_version=None,
            platform=None,
            link=self.link,
            removed=[],
            repaired=[],
            transferred=bool(self.p["src"]),
        )

    def fail(self, msg: str, **extra) -> None:
        self.result.update(extra)
        self.module.fail_json(msg=msg, **self.result)

    # ------------------------------------------------------------------ what is there
    def detect_platform(self):
        if self.p["platform"]:
            return self.p["platform"]
        system, machine = _platform.system(), _platform.machine()
        libc = I.detect_libc() if system == "Linux" else None
        found = I.platform_name(system, machine, libc)
        if found is None:
            self.fail(
                "claude_code_install_platform: Claude Code publishes no package for this host ({} {}{}); "
                "supported: {}".format(system, machine, " " + libc if libc else "", ", ".join(I.PLATFORMS))
            )
        return found

    @staticmethod
    def read_marker(directory):
        try:
            with open(os.path.join(directory, I.MARKER), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def current(self):
        """The version directory the link points to, if it is one this module installed."""
        try:
            target = os.readlink(self.link)
        except OSError:
            return None, None
        target = os.path.join(os.path.dirname(self.link), target)
        directory = os.path.dirname(os.path.normpath(target))
        if os.path.dirname(directory) != self.root:
            return None, None
        marker = self.read_marker(directory)
        if not marker:
            return None, None
        return directory, marker

    def ours(self):
        """Every version directory under the root that carries the marker."""
        found = []
        if os.path.isdir(self.root) and not os.path.islink(self.root):
            for name in sorted(os.listdir(self.root)):
                path = os.path.join(self.root, name)
                if (
                    not name.startswith(".")
                    and os.path.isdir(path)
                    and not os.path.islink(path)
                    and self.read_marker(path)
                ):
                    found.append(path)
        return found

    def is_installed(self, version, platform, directory, exe, current_dir):
        marker = self.read_marker(directory)
        return bool(
            current_dir == directory
            and marker
            and marker.get("version") == version
            and marker.get("platform") == platform
            and os.path.isfile(exe)
            and not os.path.islink(exe)
        )

    def describe(self, version, directory):
        if not version:
            return "Claude Code: none installed by fleetpolicy.claude_code.install\n"
        exe = os.path.join(directory, I.executable_name(self.result["platform"] or "linux-x64"))
        return f"Claude Code {version}\nexecutable: {exe}\nlink: {self.link} -> {exe}\n"

    def clean_staging(self) -> None:
        """Remove what an interrupted run left: staging directories in the root, a link's temp
        name beside the link. Call with the lock held."""
        _fs.remove_stale(self.root, I.STAGING_PREFIX, I.STAGING_SUFFIX, directories=True)
        _fs.remove_stale(os.path.dirname(self.link), _fs.temp_prefix(self.link))

    def repair(self, directory: str, exe: str) -> list[str]:
        """Owner and mode of what is installed, put back (in check mode only told): the paths
        that differed."""
        wanted = [(self.root, 0o755), (directory, 0o755), (exe, 0o755), (os.path.join(directory, I.MARKER), 0o644)]
        return [path for path, mode in wanted if _fs.set_attrs(self.module, path, mode)]

    # ------------------------------------------------------------------ state: absent
    def absent(self) -> dict:
        directory, marker = self.current()
        previous = marker.get("version") if marker else None
        self.result.update(previous_version=previous, platform=marker.get("platform") if marker else None)
        links = [self.link] if directory else []
        directories = self.ours()
        self.result["removed"] = links + directories
        self.result["changed"] = bool(self.result["removed"])
        if self.module._diff:
            self.result["diff"] = dict(before=self.describe(previous, directory), after=self.describe(None, None))
        if self.result["changed"] and not self.module.check_mode:
            try:
                with _fs.lock(self.root, follow=True):
                    self.clean_staging()
                    for path in links:
                        os.unlink(path)
                    for path in directories:
                        shutil.rmtree(path)
                    try:
                        os.rmdir(self.root)  # only if nothing else is left in it
                    except OSError:
                        pass
            except (_fs.FileError, OSError) as exc:
                self.fail(f"removing Claude Code from {self.root} failed: {_fs.describe(exc)}")
        return self.result

    # ------------------------------------------------------------------ state: present
    def present(self) -> dict:
        version = self.p["version"]
        reason = I.check_version(version)
        if reason:
            self.fail(f"claude_code_version {reason}")
        platform = self.detect_platform()
        self.result.update(platform=platform)
        directory = os.path.join(self.root, version)
        exe = os.path.join(directory, I.executable_name(platform))
        current_dir, current_marker = self.current()
        previous = current_marker.get("version") if current_marker else None
        self.result["previous_version"] = previous

        if self.is_installed(version, platform, directory, exe, current_dir):
            repaired = self.repair(directory, exe)
            self.result.update(version=version, executable=exe, repaired=repaired, changed=bool(repaired))
            if repaired:
                self.result["msg"] = "Claude Code {} was installed; put back owner and mode of {}".format(
                    version, ", ".join(repaired)
                )
            return self.result

        # The link path must be ours to switch, or the user must say so.
        if os.path.lexists(self.link) and current_dir is None and not self.p["force"]:
            kind = f"a link to {os.readlink(self.link)}" if os.path.islink(self.link) else "a file or directory"
            self.fail(
                f"claude_code_install_link: {self.link} is {kind} that this module did not install; remove it or set "
                "claude_code_install_force: true to replace it"
            )
        if os.path.isdir(self.link) and not os.path.islink(self.link):
            self.fail(f"claude_code_install_link: {self.link} is a directory")
        if os.path.lexists(directory) and not self.read_marker(directory):
            self.fail(
                f"claude_code_install_root: {directory} exists and was not installed by this module; remove it first"
            )

        self.result.update(changed=True, version=version, executable=exe)
        if self.module._diff:
            self.result["diff"] = dict(
                before=self.describe(previous, current_dir), after=self.describe(version, directory)
            )
        source = self.p["source"]
        if not self.p["src"] and source != "host":
            # The action plugin asked first; now it fetches the artifact and calls again.
            self.result.update(changed=False, needs_artifact=True)
        elif self.module.check_mode:
            if source == "host":
                url, checksum = self.resolve(version, platform)
                self.result.update(source=url, checksum=checksum)
            self.result["msg"] = f"would install Claude Code {version} ({platform}) at {exe}"
        else:
            self.install(version, platform, directory, exe)
        return self.result

    # ------------------------------------------------------------------ the artifact
    def resolve(self, version, platform):
        registry = self.p["registry"]

        def get_json(url):
            rsp, info = fetch_url(self.module, url, headers={"Accept": "application/json"}, timeout=self.p["timeout"])
            status = info.get("status")
            if status == 200:
                try:
                    return status, json.loads(rsp.read().decode("utf-8"))
                except ValueError:
                    raise I.InstallError(f"the registry {registry} did not answer JSON for {url}")
            if status is None or status < 0:
                raise I.InstallError(
                    "claude_code_install_registry: cannot reach {} from this host: {}".format(registry, info.get("msg"))
                )
            return status, None

        try:
            url, checksum = I.resolve_from_registry(get_json, registry, version, platform)
        except I.InstallError as exc:
            self.fail(str(exc))
        return url, checksum

    def download(self, url, dest):
        rsp, info = fetch_url(self.module, url, timeout=self.p["timeout"])
        if info.get("status") != 200:
            raise I.InstallError(
                "claude_code_install_registry: downloading {} failed: HTTP {} {}".format(
                    url, info.get("status"), info.get("msg")
                )
            )
        with open(dest, "wb") as out:
            shutil.copyfileobj(rsp, out, I.CHUNK)
            out.flush()
            os.fsync(out.fileno())

    def verified_artifact(self, version: str, platform: str) -> tuple[str, str, int]:
        """(path, kind, executable size) of the artifact, downloaded if need be and checked
        against every checksum. Raises InstallError."""
        p = self.p
        checksums = list(p["src_checksums"])
        if p["checksum"]:
            try:
                I.parse_checksum(p["checksum"])
            except ValueError as exc:
                raise I.InstallError(f"claude_code_install_checksum {exc}")
            checksums.append(p["checksum"])
        if p["src"]:
            artifact = p["src"]
        else:
            url, checksum = self.resolve(version, platform)
            self.result.update(source=url, checksum=checksum)
            checksums.append(checksum)
            artifact = os.path.join(self.module.tmpdir, "claude-code-artifact")
            self.download(url, artifact)
            self.result["transferred"] = True
        if not checksums:
            raise I.InstallError("claude_code_install_checksum is required: no checksum to verify the artifact against")
        mismatch = I.verify_checksums(artifact, checksums)
        if mismatch:
            raise I.InstallError(f"checksum mismatch, nothing installed: {mismatch}")
        kind = I.artifact_kind(artifact)
        try:
            size = I.executable_size(artifact, kind, platform)
        except (OSError, EOFError, I.tarfile.TarError, I.zlib.error) as exc:
            raise I.InstallError(f"the artifact cannot be read: {exc}")
        return artifact, kind, size

    @staticmethod
    def free_space(path: str, needed: int) -> None:
        probe = path
        while not os.path.exists(probe):
            probe = os.path.dirname(probe)
        st = os.statvfs(probe)
        free = st.f_bavail * st.f_frsize
        if free < needed:
            raise OSError(
                errno.ENOSPC,
                "needs %d MB, %d MB free on the file system of %s" % (needed // 2**20, free // 2**20, probe),
            )

    def check_version_output(self, exe, version, home):
        run = [exe, "--version"]
        timeout = self.module.get_bin_path("timeout")
        if timeout:
            run = [timeout, "--kill-after=5", str(VERSION_TIMEOUT)] + run
        unshare = self.module.get_bin_path("unshare")
        if unshare and self.module.run_command([unshare, "--net", "--", "true"])[0] == 0:
            run = [unshare, "--net", "--"] + run
        env = dict(
            HOME=home,
            DISABLE_AUTOUPDATER="1",
            CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
            DISABLE_TELEMETRY="1",
            DISABLE_ERROR_REPORTING="1",
        )
        rc, out, err = self.module.run_command(run, environ_update=env, cwd=home)
        words = (out or "").split()
        if rc != 0 or not words or words[0] != version:
            raise I.InstallError(
                "the unpacked executable does not report version {}: `claude --version` exited {} with {!r}".format(
                    version, rc, ((out or "") + (err or "")).strip()[:300]
                )
            )

    # ------------------------------------------------------------------ installing
    def install(self, version: str, platform: str, directory: str, exe: str) -> None:
        """1. the artifact, verified before anything is written beside the target; 2. under the
        lock, unpacked and checked in a staging directory beside the target; 3. into place and the
        link switched; only then the old version removed. A failure before the switch leaves the
        host as it was (and no install root this run made)."""
        try:
            artifact, kind, size = self.verified_artifact(version, platform)
            self.free_space(self.root, size + MARGIN)
            with _fs.lock(self.root, create=True, follow=True):
                self.clean_staging()
                # A run that held the lock before this one may have changed what is installed.
                current_dir = self.current()[0]
                if self.is_installed(version, platform, directory, exe, current_dir):
                    self.result.update(changed=False, msg=f"Claude Code {version} was installed by a concurrent run")
                    self.result.pop("diff", None)
                    return
                self.put_in_place(artifact, kind, version, platform, directory, exe)
                # Only now that the new version is in place and the link points at it: the old one goes.
                removed = []
                if current_dir and current_dir != directory and self.read_marker(current_dir):
                    shutil.rmtree(current_dir, ignore_errors=True)
                    removed.append(current_dir)
        except (I.InstallError, _fs.FileError, OSError) as exc:
            if not isinstance(exc, OSError):
                self.fail(f"{exc} (claude_code_version {version}, platform {platform}); nothing was changed")
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                self.fail(
                    f"claude_code_install_root: not enough space to install Claude Code {version} at {self.root} ({exc.strerror or exc}); nothing was changed"
                )
            self.fail(f"installing Claude Code {version} at {self.root} failed, nothing was changed: {exc}")
        self.result.update(removed=removed, msg=f"installed Claude Code {version} ({platform}) at {exe}")

    def put_in_place(self, artifact: str, kind: str, version: str, platform: str, directory: str, exe: str) -> None:
        """Steps 2 and 3 of install(), with the lock held. On a failure before the link is
        switched, the staging directory goes and a directory set aside comes back; re-raises."""
        staging = tempfile.mkdtemp(prefix=f"{I.STAGING_PREFIX}{version}.", suffix=I.STAGING_SUFFIX, dir=self.root)
        aside = None
        try:
            new_exe = os.path.join(staging, I.executable_name(platform))
            I.unpack(artifact, kind, version, platform, new_exe)
            _fs.set_attrs(self.module, new_exe, 0o755, context_of=exe)
            home = tempfile.mkdtemp(prefix=".home-", dir=staging)
            try:
                self.check_version_output(new_exe, version, home)
            finally:
                shutil.rmtree(home, ignore_errors=True)
            digest = I.file_digests(new_exe, ["sha256"])["sha256"]
            marker_path = os.path.join(staging, I.MARKER)
            with open(marker_path, "w", encoding="utf-8") as handle:
                json.dump(
                    dict(
                        version=version,
                        platform=platform,
                        sha256=digest,
                        installed_by="fleetpolicy.claude_code.install",
                    ),
                    handle,
                    sort_keys=True,
                )
                handle.write("\n")
                handle.flush()
                os.fsync(handle.fileno())
            _fs.set_attrs(self.module, marker_path, 0o644, context_of=os.path.join(directory, I.MARKER))
            _fs.set_attrs(self.module, staging, 0o755, context_of=directory)
            # A leftover directory of this version, ours, goes aside; the new one takes its place.
            if os.path.lexists(directory):
                aside = tempfile.mkdtemp(prefix=f"{I.STAGING_PREFIX}old.", suffix=I.STAGING_SUFFIX, dir=self.root)
                os.rename(directory, os.path.join(aside, "old"))
            os.rename(staging, directory)
            staging = None
            _fs.fsync_dir(self.root)
            self.switch_link(exe)
        except BaseException:
            if staging:
                shutil.rmtree(staging, ignore_errors=True)
            if aside and not os.path.lexists(directory):
                os.rename(os.path.join(aside, "old"), directory)
            if aside:
                shutil.rmtree(aside, ignore_errors=True)
            raise
        if aside:
            shutil.rmtree(aside, ignore_errors=True)

    def switch_link(self, exe: str) -> None:
        parent = os.path.dirname(self.link)
        if not os.path.isdir(parent):
            os.makedirs(parent, 0o755, exist_ok=True)
        tmp = os.path.join(parent, "%s%d%s" % (_fs.temp_prefix(self.link), os.getpid(), _fs.TEMP_SUFFIX))
        if os.path.lexists(tmp):
            os.unlink(tmp)
        os.symlink(exe, tmp)
        if _fs.want_owner() == 0:
            os.lchown(tmp, 0, 0)
        os.replace(tmp, self.link)
        _fs.fsync_dir(parent)


def main() -> None:
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC, supports_check_mode=True, required_if=[("state", "present", ["version"])]
    )
    installer = Installer(module)
    if module.params["state"] == "absent":
        result = installer.absent()
    else:
        result = installer.present()
    module.exit_json(**result)


if __name__ == "__main__":
    main()
