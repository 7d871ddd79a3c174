"""The real Claude Code CLI as the oracle of what it reads from /etc/claude-code: lay out a case's
files (bytes, modes, owners, FIFOs, sockets, folders, symbolic links), run the CLI on them as an
ordinary account through scripts/claude-doctor.sh (private mount and network namespaces, loopback
only), and reduce what it printed to a verdict that can be recorded and compared.

Used by scripts/record_cli_cases.py (which writes tests/data/cli_cases.json from real runs) and
tests/integration/test_cli_oracle.py (which re-runs every case and checks the recorded verdict).

A verdict has two parts:
  - "doctor": `claude doctor` (about a second): its exit status, the fatal messages it stopped
    with, the "Invalid settings" it listed, the provider route it names, which variable turned
    feature flags off (the DISABLE_TELEMETRY family), the auto-update state, and whether the
    allowedProviders policy refuses the session's route;
  - "session" (cases that ask for it): `claude -p hello` under
    extensions/molecule/shared/files/offline_probe.py (DNS stub, stand-in model on 127.0.0.1:8765), ended
    soon after its first model request: whether it started or refused (with the refusal's
    first line), and which model endpoints it tried.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCTOR = os.path.join(ROOT, "scripts", "claude-doctor.sh")
PROBE = os.path.join(ROOT, "extensions", "molecule", "shared", "files", "offline_probe.py")
CATALOGUE = os.path.join(ROOT, "tests", "data", "cli_cases.json")

# The ordinary account the CLI runs as: nobody/nogroup, present on every Debian and Ubuntu host,
# so nothing is created on the machine. A case's "owner: user" is this account.
RUN_UID = 65534
RUN_GID = 65534
STAND_IN_PORT = 8765
STAND_IN = "http://127.0.0.1:%d" % STAND_IN_PORT

# label -> CLI folder (bin/claude and .version, as scripts/bootstrap.sh lays them out). "newest"
# is the newest platform package (@anthropic-ai/claude-code-linux-x64): the wrapper package on
# the registry stops earlier. scripts/record_cli_cases.py --install-newest VERSION installs it.
ORACLE_CLIS = (
    ("oldest", os.path.join(ROOT, ".cache", "claude-cli-oldest")),
    ("pinned", os.path.join(ROOT, ".cache", "claude-cli")),
    ("newest", os.environ.get("CLAUDE_CLI_NEWEST_PLATFORM") or os.path.join(ROOT, ".cache", "claude-cli-newest")),
)


def cli_version(folder: str) -> str | None:
    """The version of the CLI in FOLDER (its .version), or None when it is not installed."""
    try:
        with open(os.path.join(folder, ".version"), encoding="utf-8") as handle:
            version = handle.read().strip()
    except OSError:
        return None
    if not os.access(os.path.join(folder, "bin", "claude"), os.X_OK):
        return None
    return version or None


# --------------------------------------------------------------------------- case files
def case_bytes(entry: dict) -> bytes:
    """The bytes of a file entry: text (UTF-8) or base64, padded with spaces to pad_to bytes."""
    if "base64" in entry:
        data = base64.b64decode(entry["base64"])
    else:
        data = entry.get("text", "").encode("utf-8", "surrogatepass")
    pad = entry.get("pad_to")
    if pad:
        data = data + b" " * (int(pad) - len(data))
    return data


def _owner(spec: dict) -> tuple[int, int]:
    """(uid, gid) of an entry: owner and group are "root" or "user" (the group defaults to the
    owner's)."""
    owner = spec.get("owner", "root")
    group = spec.get("group", owner)
    return (RUN_UID if owner == "user" else 0), (RUN_GID if group == "user" else 0)


def _socket_at(path: str) -> None:
    """A UNIX socket file at PATH (bound in a short folder of the same file system, then moved:
    socket paths are limited to about 100 bytes)."""
    short = tempfile.mkdtemp(prefix="s", dir=os.path.dirname(path))
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(os.path.join(short, "s"))
        finally:
            sock.close()
        os.rename(os.path.join(short, "s"), path)
    finally:
        shutil.rmtree(short, ignore_errors=True)


def lay_out(case: dict, folder: str) -> None:
    """Make FOLDER (standing for /etc/claude-code) hold CASE's entries, in their order, with their
    types, modes and owners. Folders not listed are made 0755 root."""
    os.makedirs(folder, exist_ok=True)
    for entry in case.get("entries", []):
        path = os.path.join(folder, entry["path"])
        kind = entry.get("type", "file")
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent)
            os.chmod(parent, 0o755)
        if kind == "file":
            with open(path, "wb") as handle:
                handle.write(case_bytes(entry))
        elif kind == "dir":
            os.makedirs(path, exist_ok=True)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "socket":
            _socket_at(path)
        elif kind == "symlink":
            os.symlink(entry["target"], path)
        elif kind == "hardlink":
            os.link(os.path.join(folder, entry["target"]), path)
        else:
            raise ValueError("unknown entry type %r in case %s" % (kind, case["id"]))
        if kind != "symlink":
            default = 0o755 if kind == "dir" else 0o644
            os.chmod(path, int(str(entry.get("mode", "%o" % default)), 8))
        os.lchown(path, *_owner(entry))
    top = case.get("folder", {})
    os.chmod(folder, int(str(top.get("mode", "755")), 8))
    os.chown(folder, *_owner(top))


# --------------------------------------------------------------------------- runs
def _run(folder: str, cli_dir: str, args: str, env: dict, timeout: int, wrapper: str = "") -> tuple[int, str]:
    settings = dict(
        os.environ,
        CLAUDE_CLI_DIR=cli_dir,
        CLAUDE_DOCTOR_TIMEOUT=str(timeout),
        CLAUDE_RUN_ARGS=args,
        CLAUDE_RUN_AS="%d:%d" % (RUN_UID, RUN_GID),
        CLAUDE_RUN_RW="1",
        CLAUDE_RUN_WRAPPER=wrapper,
    )
    proc = subprocess.run(
        [DOCTOR, folder] + ["%s=%s" % item for item in sorted(env.items())],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=timeout + 60,
        check=False,
        env=settings,
    )
    return proc.returncode, proc.stdout + proc.stderr


_ROUTE = re.compile(r"\b(?:is set|is set and [^,]*), so this session is using ([^—.]+?)\s*(?:—|\.|$)", re.M)
_FLAGS_OFF = re.compile(r"Feature-flag evaluation disabled \(disabled by ([A-Z_]+)\)")
_DIGITS = re.compile(r"\b\d+(?:\.\d+)? ?(ms|s)\b")


def normalize_doctor(rc: int, out: str) -> dict:
    """The parts of `claude doctor`'s output that say what it read and applied."""
    lines = [line.rstrip() for line in out.splitlines()]
    verdict: dict = {"rc": rc}
    if not any(line.startswith("Claude Code doctor") for line in lines):
        fatal = []
        for line in lines:
            if line.strip() and line not in fatal:
                fatal.append(line)
        if any(line.startswith("Bun v") for line in fatal):
            # An uncaught exception: Bun prints the source around it and a stack trace whose frames
            # vary from run to run (a stack overflow stops at a different depth); the error is kept.
            fatal = [line.strip() for line in fatal if re.match(r"^\s*[A-Za-z]*Error: ", line)]
        verdict["fatal"] = fatal
        return verdict
    invalid, section = [], None
    for line in lines:
        if line and not line.startswith(" ") and not line.startswith("- "):
            section = line
            continue
        if section == "Invalid settings" and line.startswith("- "):
            invalid.append(line[2:])
    verdict["invalid"] = invalid
    route = _ROUTE.search(out)
    verdict["route"] = route.group(1).strip() if route else None
    flags = _FLAGS_OFF.search(out)
    verdict["flags_off_by"] = flags.group(1) if flags else None
    updates = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Auto-updates:")]
    verdict["auto_updates"] = updates[0] if updates else None
    verdict["providers_refused"] = "allowedProviders policy refuses" in out
    # Anything else that names the managed folder (warnings about held files, skipped sources).
    other = []
    for line in lines:
        text = _DIGITS.sub(r"N \1", line.strip())
        if "/etc/claude-code" in text and not any(text.endswith(i) for i in invalid) and text not in other:
            other.append(text)
    verdict["other"] = other
    return verdict


# A model request: a POST to the stand-in, or the name of a cloud provider's model endpoint. The
# Anthropic API's name is not one: the CLI looks it up for its connectivity preflight too.
MODEL_CONTACT = r"(POST.|bedrock-runtime|aiplatform|services\.ai\.azure)"
# s; every session case sends its model request to the stand-in or is refused long before. One
# still running then (no model request, no refusal) has the outcome "timeout", in no recording.
SESSION_TIMEOUT = 25


def normalize_session(rc: int, out: str) -> dict:
    """The probe's report of `claude -p`: started (it sent a model request: a POST to the stand-in
    or a cloud provider's name asked for), refused (it exited first, with this message) or
    timeout; where its first model request went and with which credential headers (names and
    fingerprints: offline_probe.py never keeps a value)."""
    reports = [line for line in out.splitlines() if line.startswith("{")]
    if rc != 0 or not reports:
        return {"error": "probe failed (rc %d): %s" % (rc, out[-500:])}
    report = json.loads(reports[-1])
    posts = [h for h in report["http"] if h["method"] == "POST"]
    hosts = sorted({d["name"] for d in report["dns"] if re.search(MODEL_CONTACT, d["name"])})
    if posts or hosts:
        outcome = "started"
    elif report["rc"] in (124, 137) or report["ended_on_contact"]:  # timeout(1) ended it
        outcome = "timeout"
    else:
        outcome = "refused"
    verdict: dict = {"outcome": outcome}
    if outcome == "refused":
        text = (report["stderr"] or report["stdout"]).strip().splitlines()
        verdict["rc"] = report["rc"]
        verdict["message"] = text[0] if text else ""
    verdict["model_hosts"] = hosts
    verdict["first_post"] = posts[0]["path"] if posts else None
    verdict["credentials"] = (
        sorted("%s:%s" % item for item in (posts[0].get("credentials") or {}).items()) if posts else []
    )
    return verdict


def run_case(case: dict, cli_dir: str, work: str) -> dict:
    """The CLI's verdict on CASE: its files laid out in a fresh folder under WORK."""
    folder = tempfile.mkdtemp(prefix="case.", dir=work)
    try:
        lay_out(case, os.path.join(folder, "claude-code"))
        env = dict(case.get("env") or {})
        rc, out = _run(os.path.join(folder, "claude-code"), cli_dir, "doctor", env, 30)
        verdict = {"doctor": normalize_doctor(rc, out)}
        if case.get("session"):
            # A bearer token, not an API key: with an Anthropic API key the CLI first asks
            # api.anthropic.com for the organization's policy, and retries while DNS fails.
            env.setdefault("ANTHROPIC_AUTH_TOKEN", "oracle-token-not-a-credential")
            wrapper = "python3 %s --port %d --timeout %d --end-on %s --grace 1 --no-trace --" % (
                PROBE,
                STAND_IN_PORT,
                SESSION_TIMEOUT,
                MODEL_CONTACT,
            )
            rc, out = _run(os.path.join(folder, "claude-code"), cli_dir, "-p hello", env, SESSION_TIMEOUT + 10, wrapper)
            verdict["session"] = normalize_session(rc, out)
        return verdict
    finally:
        _remove(folder)


def _remove(folder: str) -> None:
    for base, dirs, _files in os.walk(folder):
        for name in dirs:
            path = os.path.join(base, name)
            if not os.path.islink(path):
                os.chmod(path, stat.S_IRWXU)
    shutil.rmtree(folder, ignore_errors=True)
