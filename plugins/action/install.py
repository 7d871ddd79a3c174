# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin for fleetpolicy.claude_code.install (documentation in plugins/modules/install.py).

The controller computes, the host applies:
1. check the input (exact version, source, artifact and checksum) - nothing is contacted yet;
2. call the module on the host without an artifact: it reports the host's platform and, when the
   version is already installed, finishes there (nothing is transferred);
3. otherwise resolve the platform package (registry document on the controller, or the user's
   artifact), download it once per platform into the controller cache (a lock serialises the
   forks), verify it, transfer it, and call the module again to install it.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.six.moves.urllib.error import HTTPError, URLError
from ansible.module_utils.urls import open_url
from ansible.plugins.action import ActionBase

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _install as I
from ansible_collections.fleetpolicy.claude_code.plugins.modules.install import ARGUMENT_SPEC

MODULE = "fleetpolicy.claude_code.install"
CONTROLLER_ONLY = ("artifact", "cache_dir")
# option -> the role variable users set; messages name both
ROLE_VARS = dict(
    version="claude_code_version",
    source="claude_code_install_source",
    registry="claude_code_install_registry",
    artifact="claude_code_install_artifact",
    checksum="claude_code_install_checksum",
    cache_dir="claude_code_install_cache_dir",
)


class Refused(Exception):
    pass


def open_json(url, timeout, validate_certs):
    """(status, document) of a registry GET; status None when the registry cannot be reached."""
    try:
        rsp = open_url(url, headers={"Accept": "application/json"}, timeout=timeout, validate_certs=validate_certs)
        return rsp.getcode(), json.loads(rsp.read().decode("utf-8"))
    except HTTPError as exc:
        return exc.code, None
    except (URLError, OSError, ValueError) as exc:
        raise I.InstallError(f"claude_code_install_registry: cannot read {url} from the controller: {exc}")


def cached_download(url, checksum, cache_dir, name, timeout, validate_certs):
    """Path of the verified package in the controller cache, downloaded there if missing. One
    download per file however many forks ask at once (flock), and a file that does not match
    the registry's hash never gets the cache name."""
    os.makedirs(cache_dir, mode=0o755, exist_ok=True)
    path = os.path.join(cache_dir, name)
    stamp = path + ".verified"
    with open(os.path.join(cache_dir, f".{name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isfile(path):
            st = os.stat(path)
            seen = "%s %d %d" % (checksum, st.st_size, st.st_mtime_ns)
            try:
                with open(stamp) as handle:
                    if handle.read().strip() == seen:
                        return path
            except OSError:
                pass
            if I.verify_checksums(path, [checksum]) is None:
                with open(stamp, "w") as handle:
                    handle.write(seen + "\n")
                return path
            os.unlink(path)  # a damaged cache entry is fetched again
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=cache_dir)
        try:
            with os.fdopen(fd, "wb") as out:
                rsp = open_url(url, timeout=timeout, validate_certs=validate_certs)
                while True:
                    block = rsp.read(I.CHUNK)
                    if not block:
                        break
                    out.write(block)
            mismatch = I.verify_checksums(tmp, [checksum])
            if mismatch:
                raise I.InstallError(
                    f"the download from the registry does not match its published integrity: {mismatch}"
                )
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except (HTTPError, URLError, OSError) as exc:
            raise I.InstallError(f"claude_code_install_registry: downloading {url} on the controller failed: {exc}")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        st = os.stat(path)
        with open(stamp, "w") as handle:
            handle.write("%s %d %d\n" % (checksum, st.st_size, st.st_mtime_ns))
        return path


class ActionModule(ActionBase):
    TRANSFERS_FILES = True
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        host = task_vars.get("inventory_hostname", "?")
        try:
            result = self._run(result, task_vars)
            if result.get("failed") and isinstance(result.get("msg"), str) and not result["msg"].startswith("host "):
                result["msg"] = "host {}: {}".format(host, result["msg"])
            return result
        except (Refused, I.InstallError) as exc:
            result.update(failed=True, changed=False, msg=f"host {host}: {exc}")
            return result
        finally:
            if self._connection._shell.tmpdir:
                self._remove_tmp_path(self._connection._shell.tmpdir)

    def _check(self):
        validation = ArgumentSpecValidator(ARGUMENT_SPEC).validate(self._task.args)
        if validation.error_messages:
            raise Refused("; ".join(validation.error_messages))
        args = validation.validated_parameters
        if args["src"] or args["src_checksums"]:
            raise Refused("src and src_checksums are set by the action plugin, not in a task")
        if args["state"] == "absent":
            return args
        reason = I.check_version(args["version"])
        if reason:
            raise Refused(f"claude_code_version {reason}")
        if args["checksum"]:
            try:
                I.parse_checksum(args["checksum"])
            except ValueError as exc:
                raise Refused(f"claude_code_install_checksum {exc}")
        if args["source"] == "artifact":
            if not args["artifact"]:
                raise Refused("claude_code_install_artifact is required with claude_code_install_source: artifact")
            if not args["checksum"]:
                raise Refused(
                    "claude_code_install_checksum (algorithm:hex) is required with claude_code_install_source: artifact"
                )
        elif args["artifact"]:
            raise Refused(
                "claude_code_install_artifact is only used with claude_code_install_source: artifact (source is {})".format(
                    args["source"]
                )
            )
        if args["source"] != "artifact" and not args["registry"].startswith(("https://", "http://")):
            raise Refused("claude_code_install_registry must be an http(s) URL, got {!r}".format(args["registry"]))
        return args

    def _module(self, args, task_vars, **extra):
        module_args = {k: v for k, v in args.items() if k not in CONTROLLER_ONLY and v is not None}
        module_args.update(extra)
        return self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)

    def _run(self, result, task_vars):
        args = self._check()
        first = self._module(args, task_vars)
        if first.get("failed") or args["state"] == "absent" or not first.pop("needs_artifact", False):
            first.pop("needs_artifact", None)
            result.update(first)
            return result
        platform = first["platform"]

        if args["source"] == "artifact":
            local = args["artifact"]
            if not os.path.isabs(local):
                try:
                    local = self._find_needle("files", local)
                except AnsibleError:
                    raise Refused(
                        f"claude_code_install_artifact {local} is not in the role's or the playbook's files/ on the controller"
                    )
            if not os.path.isfile(local):
                raise Refused(f"claude_code_install_artifact {local} is not a file on the controller")
            mismatch = I.verify_checksums(local, [args["checksum"]])
            if mismatch:
                raise Refused(
                    f"claude_code_install_artifact does not match claude_code_install_checksum, nothing installed: {mismatch}"
                )
            checksums, origin = [args["checksum"]], local
        else:
            timeout, certs = args["timeout"], args["validate_certs"]
            url, checksum = I.resolve_from_registry(
                lambda u: open_json(u, timeout, certs), args["registry"], args["version"], platform
            )
            checksums, origin = [checksum], url
            if self._task.check_mode:
                local = None
            else:
                name = "{}-{}.tgz".format(I.package_name(platform).replace("@", "").replace("/", "-"), args["version"])
                cache = os.path.expanduser(args["cache_dir"])
                local = cached_download(url, checksum, cache, name, timeout, certs)
                if args["checksum"]:
                    mismatch = I.verify_checksums(local, [args["checksum"]])
                    if mismatch:
                        raise Refused(
                            f"the registry's package does not match claude_code_install_checksum, nothing installed: {mismatch}"
                        )

        if self._task.check_mode:
            first.update(
                changed=True,
                source=origin,
                checksum=checksums[0],
                msg="would install Claude Code {} ({}) from {}".format(args["version"], platform, origin),
            )
            if not self._task.diff:
                first.pop("diff", None)
            result.update(first)
            return result

        if not self._connection._shell.tmpdir:
            self._make_tmp_path()
        remote = self._connection._shell.join_path(self._connection._shell.tmpdir, "claude-code-artifact")
        try:
            self._transfer_file(local, remote)
        except AnsibleError as exc:
            raise I.InstallError(
                f"copying the artifact to the host failed (is its temporary directory full?), nothing installed: {exc}"
            )
        self._fixup_perms2((self._connection._shell.tmpdir, remote))
        second = self._module(args, task_vars, src=remote, src_checksums=checksums)
        second.update(source=origin, checksum=checksums[0])
        result.update(second)
        return result
