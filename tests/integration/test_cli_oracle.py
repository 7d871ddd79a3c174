"""The recorded catalogue of managed-settings cases (tests/data/cli_cases.json) still says what the
real Claude Code CLI does, on every CLI of tests/_support/cli_oracle.py ORACLE_CLIS (the oldest
supported, the pinned, the newest platform package).

Every case's files are laid out again (bytes, modes, owners, FIFOs, sockets, links), the CLI is
run on them as an ordinary account (cli_oracle.RUN_UID) in private namespaces with only loopback,
and its verdict must equal the one scripts/record_cli_cases.py recorded for that version. The
runs of every CLI go in one pool (ORACLE_JOBS at once, default 6), once per session; the tests
then compare. A CLI that is not installed, or whose version the catalogue has no verdicts for, is skipped with
the reason. The rules behind the verdicts: docs/claude-code-rules.md.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import shutil
import tempfile

import pytest

from ansible_collections.fleetpolicy.claude_code.tests._support import cli_oracle as O

with open(O.CATALOGUE, encoding="utf-8") as _handle:
    CATALOGUE = json.load(_handle)
CASES = {case["id"]: case for case in CATALOGUE["cases"]}
JOBS = int(os.environ.get("ORACLE_JOBS", "6"))


@pytest.fixture(scope="module")
def observed():
    """label -> (version, {case id: verdict}) of every case, run once per CLI (all CLIs' runs in
    one pool), or the reason that CLI is skipped."""
    if os.geteuid() != 0:
        pytest.skip("the oracle needs root (mount and network namespaces, file owners)")
    results: dict = {}
    runnable = []
    for label, folder in O.ORACLE_CLIS:
        version = O.cli_version(folder)
        if version is None:
            results[label] = "real Claude Code CLI %r not installed in %s (scripts/bootstrap.sh%s)" % (
                label,
                folder,
                "; scripts/record_cli_cases.py --install-newest VERSION" if label == "newest" else "",
            )
        elif any(version not in case["verdict"] for case in CASES.values()):
            results[label] = "no verdicts recorded for Claude Code %s (%s): run scripts/record_cli_cases.py" % (
                version,
                label,
            )
        else:
            runnable.append((label, folder, version))
    work = tempfile.mkdtemp(prefix="ccoracle.", dir="/tmp")
    os.chmod(work, 0o755)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=JOBS) as pool:
            jobs = {
                (label, cid): pool.submit(O.run_case, case, folder, work)
                for label, folder, _version in runnable
                for cid, case in CASES.items()
            }
            for label, _folder, version in runnable:
                results[label] = (version, {cid: jobs[(label, cid)].result() for cid in CASES})
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def _verdict(observed, label, cid):
    got = observed[label]
    if isinstance(got, str):
        pytest.skip(got)
    version, verdicts = got
    return version, verdicts[cid]


@pytest.mark.parametrize("label", [label for label, _folder in O.ORACLE_CLIS])
@pytest.mark.parametrize("cid", sorted(CASES))
def test_recorded_verdict_holds(observed, label, cid):
    version, got = _verdict(observed, label, cid)
    if version in CASES[cid].get("unstable_on", ()):
        pytest.skip(f"case {cid}: Claude Code {version}'s outcome is not stable across runs (see the case)")
    want = CASES[cid]["verdict"][version]
    assert got == want, "case %s (%s) on Claude Code %s: %s" % (cid, CASES[cid]["about"], version, got)


def test_catalogue_is_large_and_covers_every_rule():
    rules = {case["rule"] for case in CASES.values()}
    assert len(CASES) >= 40
    for rule in (
        "encoding",
        "JSON grammar",
        "empty",
        "size limit",
        "file types",
        "readability",
        "sort order",
        "nesting depth",
        "per-field schema",
        "merge",
        "allowedProviders",
        "held rule",
        "managedSourcesBehavior",
    ):
        assert rule in rules, rule


def test_catalogue_cases_discriminate():
    """A verdict that every case shares tells nothing: the markers must vary across the cases."""
    for version in CATALOGUE["clis"].values():
        doctors = [case["verdict"][version]["doctor"] for case in CASES.values()]
        assert {d.get("flags_off_by") for d in doctors if "fatal" not in d} == {"DISABLE_TELEMETRY", None}
        assert any("fatal" in d for d in doctors) and any(d.get("invalid") for d in doctors)
        sessions = [case["verdict"][version]["session"] for case in CASES.values() if case.get("session")]
        assert {s["outcome"] for s in sessions} == {"started", "refused"}
