"""The collection's judge against the real Claude Code CLI: every case of tests/data/cli_cases.json
(recorded from runs of the oldest supported, the pinned and the newest CLI as an ordinary account,
and kept true by tests/integration/test_cli_oracle.py) is laid out on disk, read by the module's
code (plugins/module_utils/_sources.py, as that account would read it) and judged by the
controller's (plugins/plugin_utils/policy/_effective.py) for each CLI version; the verdict must be
the CLI's: whether it stops (and on which file), what it lists as invalid (file, key, kind), the
effective env it ends with (the feature-flag and auto-update markers), the provider route, and
whether a session starts or is refused. The cases where the collection still differs are listed
in docs/claude-code-rules.md ("Where the collection differs") and in DIFFERS below, with why."""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _cliread, _sources
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _effective as E
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import compute
from ansible_collections.fleetpolicy.claude_code.tests._support import cli_oracle

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
with open(os.path.join(ROOT, "tests", "data", "cli_cases.json"), encoding="utf-8") as _handle:
    CATALOGUE = json.load(_handle)
CASES = {case["id"]: case for case in CATALOGUE["cases"]}
VERSIONS = sorted(set(CATALOGUE["clis"].values()), key=E.version_tuple)
FOLDER = "/etc/claude-code"
ACCOUNT = _cliread.Account(CATALOGUE["run_as"]["uid"], (CATALOGUE["run_as"]["gid"],))
# Cases the collection judges differently, with why (docs/claude-code-rules.md says the same).
DIFFERS: dict[str, str] = {}

# The recorded "Invalid settings" lines, reduced to (file, key, kind).
_KINDS = (
    (r"File exceeds maxBytes limit", "too-large"),
    (r"Not a regular file", "not-regular"),
    (r"EISDIR", "directory"),
    (r"EACCES", "unreadable"),
    (r"Failed schema validation", "schema"),
    (r"is nested more than \d+ levels deep", "nesting"),
    (r"was present but invalid; enforcing an empty allowlist", "allowlist-emptied"),
    (r"is reached through a link that leads outside", "link-outside"),
)


def _recorded_problem(line: str) -> tuple:
    match = re.match(r"^(/\S+?)(?: › ([^.:]+)[^:]*)?: (.*)$", line)
    assert match, line
    kind = next(k for pattern, k in _KINDS if re.search(pattern, match.group(3)))
    return (match.group(1), match.group(2), kind)


def _route_label(way: dict) -> str | None:
    """doctor's words for the route: the provider's label, or "a custom endpoint" for an Anthropic
    session sent elsewhere than api.anthropic.com."""
    if way["provider"] != "anthropic":
        return F.PROVIDER_RECORDS[way["provider"]]["label"]
    return "a custom endpoint" if way["custom"] else None


@pytest.fixture(scope="module")
def read_cases():
    """{case id: the sources the module reads}, each case laid out once under a folder every
    account may pass through (paths given as under /etc/claude-code). Without root, the cases
    whose files belong to the ordinary account are left out (None): the rest is laid out as this
    user, who then stands for root."""
    me = os.geteuid()
    top = tempfile.mkdtemp(prefix="judge-cases-", dir="/tmp")
    os.chmod(top, 0o755)
    real_lchown, real_chown = os.lchown, os.chown

    def owner(uid: int, gid: int) -> tuple:
        if me == 0:
            return uid, gid
        if uid != 0 or gid != 0:
            raise PermissionError("needs root")
        return me, os.getegid()

    found = {}
    try:
        for cid, case in CASES.items():
            base = os.path.join(top, cid, "etc", "claude-code")
            os.makedirs(os.path.dirname(base))
            os.chmod(os.path.join(top, cid), 0o755)
            os.chmod(os.path.dirname(base), 0o755)
            os.lchown = lambda p, u, g: real_lchown(p, *owner(u, g))
            os.chown = lambda p, u, g: real_chown(p, *owner(u, g))
            try:
                cli_oracle.lay_out(case, base)
            except PermissionError:
                found[cid] = None
                continue
            finally:
                os.lchown, os.chown = real_lchown, real_chown
            trusted = frozenset((0, me))
            # Without root, this user owns every file: the account is then any other one.
            account = ACCOUNT if me == 0 else _cliread.Account()
            sources = _sources.managed_sources(
                os.path.join(base, "managed-settings.json"), "Debian", account=account, trusted=trusted
            )
            for source in sources:
                source["path"] = FOLDER + source["path"][len(base) :]
            found[cid] = sources
    finally:
        shutil.rmtree(top, ignore_errors=True)
    return found


INTENDED = compute({"provider": "anthropic", "plan": "api"})


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("cid", sorted(CASES))
def test_the_judge_gives_the_cli_verdict(read_cases, cid, version):
    if cid in DIFFERS:
        pytest.xfail(DIFFERS[cid])
    sources = read_cases[cid]
    if sources is None:
        pytest.skip("the case's files belong to the ordinary account: laid out only as root")
    case = CASES[cid]
    recorded = case["verdict"][version]
    doctor = recorded["doctor"]
    got = E.state(sources, cli_version=version, shell_env=case.get("env") or {})
    judged = E.evaluate(
        INTENDED["policy"],
        INTENDED["posture"],
        INTENDED["settings"],
        sources,
        cli_version=version,
        shell_env=case.get("env") or {},
    )
    assert judged["starts"] == got["starts"] and bool(judged["broken"]) == (not got["starts"])
    if "fatal" in doctor:
        if any("Maximum call stack size exceeded" in line for line in doctor["fatal"]):
            assert got["crash"] is not None and not got["fatal"], got
        else:
            files = [line.split(": Managed settings document", 1)[0] for line in doctor["fatal"]]
            assert [f["file"] for f in got["fatal"]] == files
        assert not got["starts"]
    else:
        assert not got["fatal"] and got["crash"] is None, got["fatal"]
        assert sorted((p["file"], p["key"], p["kind"]) for p in got["problems"]) == sorted(
            _recorded_problem(line) for line in doctor["invalid"]
        )
        assert bool(got["env"].get("DISABLE_TELEMETRY")) == (doctor["flags_off_by"] == "DISABLE_TELEMETRY")
        assert bool(got["env"].get("DISABLE_AUTOUPDATER")) == doctor["auto_updates"].startswith("disabled")
        assert _route_label(got["route"]) == doctor["route"]
        refused_in_doctor = (
            E.version_tuple(version) >= (2, 1, 332)
            and got["refusal"] is not None
            and got["route"]["provider"] == "anthropic"
        )
        assert doctor["providers_refused"] == refused_in_doctor
    session = recorded.get("session")
    if session is not None:
        assert got["starts"] == (session["outcome"] == "started"), got["refusal"]
        if session["outcome"] == "started":
            assert (session["first_post"] is not None) == (got["route"]["url"] is not None)
