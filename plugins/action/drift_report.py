# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Action plugin for fleetpolicy.claude_code.drift_report (documentation in plugins/modules/drift_report.py).

Runs on the controller only: reads each host's record from hostvars once (untemplated: see
read_records), builds the report in one pass and writes each format atomically into a directory of
its own run (DEST/2026-12-07T021500Z/), then copies them to DEST/ itself, where the latest report of
the whole inventory is (each copy replaced atomically; a partial run leaves them alone). It never
connects to a host.
"""

from __future__ import annotations

import datetime
import fcntl
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
    history=dict(type="bool", default=True),
)
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


def _copy_latest(dest: str, texts: dict[str, str]) -> list[str]:
    """DEST/<file> for each {file name: text} of this run: the latest report of the whole inventory,
    at the paths that stay the same from run to run. Each copy is written atomically (a reader sees
    the previous run's file or this run's, whole), under a lock on the directory DEST itself (no
    lock file is left), so two runs that end at the same time leave all of one run's copies."""
    fd = os.open(dest, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        out = []
        for name, text in texts.items():
            _write(os.path.join(dest, name), text)
            out.append(os.path.join(dest, name))
        return out
    finally:
        os.close(fd)


def lines(report: dict, files: list[str], latest: list[str], history: bool = True) -> list[str]:
    """What the drift playbook prints after every run, compliant or not: the summary line, where
    this run's report is (the first of files, the HTML when it was written), and where the latest
    report of the whole inventory is: this run's copies, or for a partial run, untouched. Without
    history the run's files are the only ones: named once."""
    out = [report["summary"]["line"]]
    if files:
        also = ", ".join(os.path.basename(f) for f in files[1:])
        out.append("report: " + files[0] + (f" (also {also})" if also else ""))
        where = os.path.dirname(os.path.dirname(files[0]))
        if history and latest:
            out.append(f"latest: {latest[0]} (a copy of this run's; the other formats beside it)")
        elif history and report["scope"]["partial"]:
            out.append(f"a partial run: the latest report in {where} is still the last run of the whole inventory")
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
        written, texts = [], {}
        try:
            os.makedirs(dest, exist_ok=True)
            for fmt in dict.fromkeys(formats):
                texts[args["name"] + _render.FORMATS[fmt]] = _render.RENDERERS[fmt](report)
            if not args["history"]:
                # One file per format in DEST, replaced on each run (pull mode's record and .prom).
                run_dir = dest
                written = latest = _copy_latest(dest, texts)
            else:
                run_dir = _run_dir(dest, now.strftime("%Y-%m-%dT%H%M%SZ") + ("-partial" if scope["partial"] else ""))
                for name, text in texts.items():
                    _write(os.path.join(run_dir, name), text)
                    written.append(os.path.join(run_dir, name))
        except OSError as exc:
            raise AnsibleActionFail(f"fleetpolicy.claude_code.drift_report: cannot write the report to {dest}: {exc}")
        if args["history"]:
            latest = []
            if not scope["partial"]:
                try:
                    latest = _copy_latest(dest, texts)
                except OSError as exc:
                    raise AnsibleActionFail(
                        f"fleetpolicy.claude_code.drift_report: the report is in {run_dir}, but its latest copies"
                        f" in {dest} could not be written: {exc}"
                    )

        result.update(
            changed=False,
            files=written,
            dir=run_dir,
            latest=latest,
            partial=scope["partial"],
            lines=lines(report, written, latest, args["history"]),
            summary=report["summary"],
            compliant=report["summary"]["compliant_fleet"],
            not_compliant=[h["host"] for h in report["hosts"] if h["status"] != "compliant"],
            host_status={h["host"]: {"status": h["status"], "message": h["message"]} for h in report["hosts"]},
            msg=report["summary"]["line"],
        )
        return result
