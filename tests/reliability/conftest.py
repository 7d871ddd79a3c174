"""Reliability and security tests: set hypothesis profiles, and print the measured figures at the
end of the session. (tests/conftest.py makes the checkout importable as the collection.)"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from ._helpers import FIGURES

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

settings.register_profile(
    "reliability",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    database=DirectoryBasedExampleDatabase(os.path.join(ROOT, ".cache", "hypothesis")),
)
settings.load_profile("reliability")


def _fmt_shells():
    names = ("dash", "bash", "zsh", "fish")
    parts = []
    for name in names:
        if f"quoting:{name}" in FIGURES:
            parts.append("%s %d" % (name, FIGURES[f"quoting:{name}"]))
        elif f"quoting-skip:{name}" in FIGURES:
            parts.append("{} SKIPPED ({})".format(name, FIGURES[f"quoting-skip:{name}"]))
    return ", ".join(parts)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not FIGURES:
        return
    f = FIGURES.get
    lines = []
    if f("bad:tried"):
        per_layer = ", ".join(
            "%s %d" % (layer, f("bad:layer:" + layer, 0))
            for layer in ("policy", "filter", "module", "role")
            if f("bad:layer:" + layer)
        )
        lines.append(
            "bad inputs: %d tried (%s), %d refused naming the field, %d accepted, %d changed a file"
            % (f("bad:tried"), per_layer, f("bad:refused", 0), f("bad:accepted", 0), f("bad:files_changed", 0))
        )
    if _fmt_shells():
        lines.append(
            "shell quoting: %s values read back exactly; commands run: %d"
            % (_fmt_shells(), f("quoting:canary_runs", 0))
        )
    if f("names:accepted") is not None:
        lines.append(
            "shell variable names: %d the shells define (%s): %d refused by the policy, %d round-trip in every shell"
            % (f("names:accepted") + f("names:refused"), f("names:shells"), f("names:refused"), f("names:accepted"))
        )
    if f("envd:accepted") is not None or f("envd:refused") is not None:
        lines.append(
            "environment.d: %d values round-tripped through systemd's generator, %d refused by rule"
            % (f("envd:accepted", 0), f("envd:refused", 0))
        )
    if f("kill:kills"):
        lines.append(
            "SIGKILL: %d kills survived (%d after writing had begun; settings file after the kill: %d new, %d old), %d stale temp files "
            "cleaned by the next run, files lost: %d, temp files left: %d (seed %s)"
            % (
                f("kill:kills"),
                f("kill:mid_run", 0),
                f("kill:new", 0),
                f("kill:old", 0),
                f("kill:stale_cleaned", 0),
                f("kill:lost", 0),
                f("kill:temps_left", 0),
                f("kill:seed", "?"),
            )
        )
    if f("faults:cases"):
        lines.append(
            "file faults: %d cases (corrupt, empty, symlink, directory, user-owned, unreadable, full disk), "
            "files lost: %d, temp files left: %d" % (f("faults:cases"), f("faults:lost", 0), f("faults:temps_left", 0))
        )
    if f("faults:renames_failed"):
        lines.append(
            "all or nothing: %d runs failed at their Nth rename (each N in turn), every file put back as it was"
            % f("faults:renames_failed")
        )
    if f("race:rounds"):
        lines.append(
            "concurrency: %d rounds of 2 runs at once, %d ended with one valid file (%d runs failed)"
            % (f("race:rounds"), f("race:valid", 0), f("race:failed_runs", 0))
        )
    if f("secrets:scanned"):
        lines.append(
            "secrets: %d files and logs scanned (rc files, backups, diffs, module output, -vvv), %d leaks"
            % (f("secrets:scanned"), f("secrets:leaks", 0))
        )
    if f("hostile:hosts"):
        lines.append(
            "hostile hosts: %d (FIFOs, JSON nested 200,000 deep, names that are not UTF-8, escapes, %d MB of drop-ins, "
            "a held lock, a user-writable profile.d) judged in %d s, %d failed or hung, controller peak %d MB, "
            "raw control characters shown: %d"
            % (
                f("hostile:hosts"),
                f("hostile:flood_mb", 0),
                f("hostile:seconds", 0),
                f("hostile:failed", 0),
                f("hostile:peak_mb", 0),
                f("hostile:raw", 0),
            )
        )
    if f("planted:places"):
        lines.append(
            "planted credentials: %d planted in %d places, %d runs (rollout -v/--diff with allow_secrets on and off, "
            "rotation, drift, reports), %d files, logs and journal lines searched, %d leaks"
            % (
                f("planted:credentials"),
                f("planted:places"),
                f("planted:runs"),
                f("planted:scanned"),
                f("planted:leaks", 0),
            )
        )
    if f("fleet:hosts"):
        lines.append(
            "fleet faults: %d hosts, %d converged, %d failing named in the recap (%s)"
            % (f("fleet:hosts"), f("fleet:converged", 0), f("fleet:named", 0), f("fleet:failing_names", ""))
        )
    terminalreporter.write_sep("=", "reliability figures")
    for line in lines:
        terminalreporter.write_line("reliability: " + line)
