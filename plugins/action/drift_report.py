# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin for fleetpolicy.claude_code.drift_report (documentation in plugins/modules/drift_report.py).

Runs on the controller only: reads each host's record from hostvars once (untemplated: see
read_records), builds the report in one pass and writes each format atomically into a directory of
its own run (DEST/2026-12-07T021500Z/), then points the symbolic link DEST/latest at it (replaced
atomically; a partial run leaves it alone). It never connects to a host.
"""

from __future__ import annotations

import datetime
import getpass
import json
import os
import socket
import tempfile

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.fleetpolicy.claude_code.plugins.action import apply as _apply
from ansible_collections.fleetpolicy.claude_code.plugins.action.mdm_artifacts import HostError, read_policy
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils._data import is_mapping, mark_vaulted
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError, compute
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _render

ARGUMENT_SPEC = dict(
    hosts=dict(type="list", elements="str", required=True),
    dest=dict(type="path", required=True),
    formats=dict(
        type="list", elements="str", choices=sorted(_render.FORMATS), default=["json", "junit", "markdown", "html"]
    ),
    name=dict(type="str", default="claude-code-drift"),
    pattern=dict(type="str"),
)
# DEST/LATEST -> the directory of the last run that checked the whole inventory.
LATEST = "latest"
# The format named first where the run says where its report is.
_FIRST = ("html", "markdown", "json", "junit")
# The host variable read for each host: the settings role registers it (see the module documentation).
RESULT_VAR = "claude_code_result"


def read_records(hostvars, hosts):
    """{host: its RESULT_VAR, or None}, as stored (raw_get): the record is the registered result
    (or set_fact's already templated stand-in), with nothing left to template, whereas
    hostvars[host][RESULT_VAR] would template a copy of the whole of it."""
    records = {}
    for host in hosts:
        host_vars = hostvars.raw_get(host) if host in hostvars else {}
        records[host] = host_vars.get(RESULT_VAR)
    return records


def with_postures(records, hostvars):
    """The records, each result of a host that was not reached or on which the module failed given
    the intended posture (and policy) the apply action computes: that action leaves them out of such
    a result, which Ansible prints whole on one line. Computed from the host's inventory variables as
    the apply action reads and converts them; a host whose policy does not compute keeps its record
    as it is (the report shows why it failed)."""
    out = {}
    for host, record in records.items():
        if (
            is_mapping(record)
            and record.get("state") == "present"
            and (record.get("unreachable") or record.get("failed"))
            and "posture" not in record
        ):
            try:
                policy = read_policy(hostvars, host)
                if policy is not None:
                    policy = {field: _apply._convert(field, value) for field, value in policy.items()}
                    computed = compute(mark_vaulted({k: v for k, v in policy.items() if v is not None}))
                    record = dict(record, posture=computed["posture"], policy=computed["policy"])
            except (HostError, PolicyError):
                pass
        out[host] = record
    return out


def _write(path, text):
    directory = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _run_dir(dest: str, name: str) -> str:
    """A new directory DEST/NAME for this run's files (NAME-2, NAME-3, ... when two runs start in
    the same second): made with mkdir, which fails when the name is taken, so no run writes into
    another's."""
    for n in range(1, 1000):
        path = os.path.join(dest, name if n == 1 else f"{name}-{n}")
        try:
            os.mkdir(path, 0o755)
            return path
        except FileExistsError:
            continue
    raise OSError(f"{dest}: no free directory name for {name}")


def _point_latest(dest: str, run_dir: str) -> None:
    """DEST/latest -> run_dir (relative), replaced in one rename: a reader sees the old run's files
    or the new run's, never a mix or none. A link that already names a later run stays."""
    link = os.path.join(dest, LATEST)
    target = os.path.basename(run_dir)
    if os.path.islink(link) and os.readlink(link) > target:
        return
    tmp = os.path.join(dest, f".{LATEST}.{os.getpid()}.tmp")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except OSError:
        os.unlink(tmp)
        raise


def lines(report: dict, files: list[str], run_dir: str, latest: str | None) -> list[str]:
    """What the drift playbook prints after every run, compliant or not: the summary line, where
    the report is (the first of files, the HTML when it was written), and where the latest report
    of the whole inventory is, or that this partial run left it alone."""
    out = [report["summary"]["line"]]
    if files:
        also = ", ".join(os.path.basename(f) for f in files[1:])
        out.append("report: " + files[0] + (f" (also {also})" if also else ""))
    if latest:
        out.append(f"latest: {latest} -> {os.path.basename(run_dir)}")
    elif report["scope"]["partial"]:
        out.append(
            f"a partial run: {os.path.join(os.path.dirname(run_dir), LATEST)} still points at the last run of the whole inventory"
        )
    return out


def _collection_version():
    """The version of this collection: MANIFEST.json when installed, galaxy.yml in a checkout."""
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    try:
        with open(os.path.join(root, "MANIFEST.json"), encoding="utf-8") as handle:
            return str(json.load(handle)["collection_info"]["version"])
    except (OSError, ValueError, KeyError):
        pass
    try:
        with open(os.path.join(root, "galaxy.yml"), encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("version:"):
                    return line.split(":", 1)[1].strip().strip("'\"")
    except OSError:
        pass
    return None


def _user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry for the uid (containers)
        return str(os.getuid())


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = False

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        validation = ArgumentSpecValidator(ARGUMENT_SPEC).validate(self._task.args)
        if validation.error_messages:
            raise AnsibleActionFail(
                "fleetpolicy.claude_code.drift_report: {}".format("; ".join(validation.error_messages))
            )
        args = validation.validated_parameters
        if "/" in args["name"] or not args["name"].strip("."):
            raise AnsibleActionFail(
                "fleetpolicy.claude_code.drift_report: name {!r} must be a plain file name".format(args["name"])
            )

        hostvars = task_vars.get("hostvars", {})
        records = with_postures(read_records(hostvars, args["hosts"]), hostvars)
        version = (task_vars.get("ansible_version") or {}).get("full")
        now = datetime.datetime.now(datetime.timezone.utc)
        provenance = {
            "collection_version": _collection_version(),
            "controller": socket.gethostname(),
            "inventory_sources": [str(s) for s in task_vars.get("ansible_inventory_sources") or []],
            "user": _user(),
        }
        groups = task_vars.get("groups") or {}
        scope = R.scope_of(
            len(records),
            len(groups["all"]) if "all" in groups else None,
            task_vars.get("ansible_limit"),
            args["pattern"],
        )
        report = R.build(
            records, now.strftime("%Y-%m-%dT%H:%M:%SZ"), str(version) if version else None, provenance, scope
        )

        dest = os.path.abspath(os.path.expanduser(args["dest"]))
        formats = sorted(args["formats"], key=lambda f: _FIRST.index(f) if f in _FIRST else len(_FIRST))
        written = []
        try:
            os.makedirs(dest, exist_ok=True)
            run_dir = _run_dir(dest, now.strftime("%Y-%m-%dT%H%M%SZ") + ("-partial" if scope["partial"] else ""))
            for fmt in dict.fromkeys(formats):
                path = os.path.join(run_dir, args["name"] + _render.FORMATS[fmt])
                _write(path, _render.RENDERERS[fmt](report))
                written.append(path)
        except OSError as exc:
            raise AnsibleActionFail(f"fleetpolicy.claude_code.drift_report: cannot write the report to {dest}: {exc}")
        latest = None
        if not scope["partial"]:
            try:
                _point_latest(dest, run_dir)
            except OSError as exc:
                raise AnsibleActionFail(
                    f"fleetpolicy.claude_code.drift_report: the report is in {run_dir}, but {os.path.join(dest, LATEST)} could not point at it: {exc}"
                )
            latest = os.path.join(dest, LATEST)

        result.update(
            changed=False,
            files=written,
            dir=run_dir,
            latest=latest,
            partial=scope["partial"],
            lines=lines(report, written, run_dir, latest),
            summary=report["summary"],
            compliant=report["summary"]["compliant_fleet"],
            not_compliant=[h["host"] for h in report["hosts"] if h["status"] != "compliant"],
            host_status={h["host"]: {"status": h["status"], "message": h["message"]} for h in report["hosts"]},
            msg=report["summary"]["line"],
        )
        return result
