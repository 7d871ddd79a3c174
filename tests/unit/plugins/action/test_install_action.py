# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The install action plugin's controller side: input checks and the controller cache, against
a stand-in npm registry on loopback (no other traffic)."""

from __future__ import annotations

import http.server
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.action import install as A
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _install as I
from ansible_collections.fleetpolicy.claude_code.tests.unit.plugins.modules.installfakes import fake_package, integrity


@pytest.fixture
def registry(tmp_path):
    """A loopback npm registry serving one fake linux-x64 package at 2.1.331; counts tarball GETs."""
    tgz = tmp_path / "claude-code-linux-x64-2.1.331.tgz"
    fake_package(str(tgz), "2.1.331")
    state = {"tarball_gets": 0, "body": tgz.read_bytes()}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            base = "http://127.0.0.1:%d" % self.server.server_port
            docs = {
                "/@anthropic-ai%2fclaude-code-linux-x64/2.1.331": {
                    "name": "@anthropic-ai/claude-code-linux-x64",
                    "version": "2.1.331",
                    "dist": {"tarball": base + "/t/linux-x64-2.1.331.tgz", "integrity": integrity(str(tgz))},
                },
                "/@anthropic-ai%2fclaude-code/2.1.331": {
                    "name": "@anthropic-ai/claude-code",
                    "version": "2.1.331",
                    "optionalDependencies": {"@anthropic-ai/claude-code-linux-x64": "2.1.331"},
                },
                # a platform whose package stops at an older version than linux-x64's
                "/@anthropic-ai%2fclaude-code-darwin-arm64": {
                    "name": "@anthropic-ai/claude-code-darwin-arm64",
                    "dist-tags": {"latest": "2.1.330"},
                    "versions": {"2.1.329": {}, "2.1.330": {}},
                },
            }
            if self.path in docs:
                body, kind = json.dumps(docs[self.path]).encode(), "application/json"
            elif self.path == "/t/linux-x64-2.1.331.tgz":
                state["tarball_gets"] += 1
                body, kind = state["body"], "application/octet-stream"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["url"] = "http://127.0.0.1:%d" % server.server_port
    yield state
    server.shutdown()
    server.server_close()


def resolve(registry, version="2.1.331", platform="linux-x64"):
    return I.resolve_from_registry(lambda u: A.open_json(u, 10, True), registry["url"], version, platform)


def test_resolve_against_the_registry(registry):
    url, digest = resolve(registry)
    assert url.endswith("/t/linux-x64-2.1.331.tgz") and digest.startswith("sha512:")
    with pytest.raises(I.InstallError, match="claude_code_version 2.1.999: .* no such version"):
        resolve(registry, "2.1.999")
    with pytest.raises(I.InstallError, match="no package for this host's platform linux-arm64-musl .*has: linux-x64"):
        resolve(registry, platform="linux-arm64-musl")


def test_a_version_a_platform_lacks_names_the_platform_and_its_newest(registry):
    with pytest.raises(I.InstallError) as err:
        resolve(registry, platform="darwin-arm64")
    assert "@anthropic-ai/claude-code-darwin-arm64 has no version 2.1.331 (newest 2.1.330)" in str(err.value)
    assert str(err.value).startswith("claude_code_version 2.1.331: ")


def test_an_unreachable_registry_names_the_variable():
    with pytest.raises(I.InstallError, match="claude_code_install_registry: cannot read"):
        I.resolve_from_registry(lambda u: A.open_json(u, 5, True), "http://127.0.0.1:9", "2.1.331", "linux-x64")


def test_one_download_per_platform_for_many_hosts(registry, tmp_path):
    url, digest = resolve(registry)
    cache = str(tmp_path / "cache")
    with ThreadPoolExecutor(8) as pool:  # eight forks asking at once
        paths = list(pool.map(lambda _i: A.cached_download(url, digest, cache, "p.tgz", 10, True), range(8)))
    assert set(paths) == {os.path.join(cache, "p.tgz")} and registry["tarball_gets"] == 1
    assert A.cached_download(url, digest, cache, "p.tgz", 10, True) and registry["tarball_gets"] == 1
    assert sorted(n for n in os.listdir(cache) if not n.startswith(".")) == ["p.tgz", "p.tgz.verified"]


def test_a_download_that_does_not_match_never_enters_the_cache(registry, tmp_path):
    url, digest = resolve(registry)
    body = bytearray(registry["body"])
    body[200] ^= 1
    registry["body"] = bytes(body)
    cache = str(tmp_path / "cache")
    with pytest.raises(I.InstallError, match="does not match its published integrity"):
        A.cached_download(url, digest, cache, "p.tgz", 10, True)
    assert [n for n in os.listdir(cache) if not n.endswith(".lock")] == []


def test_a_damaged_cache_entry_is_fetched_again(registry, tmp_path):
    url, digest = resolve(registry)
    cache = str(tmp_path / "cache")
    path = A.cached_download(url, digest, cache, "p.tgz", 10, True)
    with open(path, "r+b") as handle:  # same size, one byte changed, new mtime: the stamp no longer matches
        handle.seek(50)
        byte = handle.read(1)
        handle.seek(50)
        handle.write(bytes([byte[0] ^ 1]))
    assert A.cached_download(url, digest, cache, "p.tgz", 10, True) == path
    assert registry["tarball_gets"] == 2 and open(path, "rb").read() == registry["body"]


class FakeTask:
    def __init__(self, args):
        self.args = args


def check(args):
    action = A.ActionModule.__new__(A.ActionModule)
    action._task = FakeTask(args)
    return action._check()


@pytest.mark.parametrize(
    "args, words",
    [
        ({"version": "latest"}, "claude_code_version must be an exact version"),
        ({"version": "2.1"}, "claude_code_version must be an exact version"),
        ({}, "claude_code_version is required"),
        ({"version": "2.1.331", "source": "artifact"}, "claude_code_install_artifact is required"),
        (
            {"version": "2.1.331", "source": "artifact", "artifact": "/x.tgz"},
            "claude_code_install_checksum (algorithm:hex) is required",
        ),
        (
            {"version": "2.1.331", "source": "artifact", "artifact": "/x.tgz", "checksum": "md5:00"},
            "claude_code_install_checksum",
        ),
        ({"version": "2.1.331", "artifact": "/x.tgz"}, "only used with claude_code_install_source: artifact"),
        (
            {"version": "2.1.331", "registry": "registry.npmjs.org"},
            "claude_code_install_registry must be an http(s) URL",
        ),
        ({"version": "2.1.331", "source": "ftp"}, "source"),
        ({"version": "2.1.331", "src": "/tmp/x"}, "set by the action plugin"),
    ],
)
def test_bad_input_is_refused_before_any_host_is_asked(args, words):
    with pytest.raises(A.Refused) as caught:
        check(args)
    assert words in str(caught.value)


def test_absent_needs_no_version():
    assert check({"state": "absent"})["state"] == "absent"


def test_the_action_names_the_platform_that_lacks_the_pinned_version(registry):
    """The action on the controller: the host reports its platform, the registry has no package of
    that version for it, and nothing is downloaded."""
    action = A.ActionModule.__new__(A.ActionModule)
    action._task = FakeTask({"version": "2.1.331", "registry": registry["url"]})
    action._task.check_mode = False
    action._module = lambda args, task_vars, **extra: {"needs_artifact": True, "platform": "darwin-arm64"}
    with pytest.raises(I.InstallError, match=r"claude-code-darwin-arm64 has no version 2\.1\.331 \(newest 2\.1\.330\)"):
        action._run({}, {})
    assert registry["tarball_gets"] == 0
