"""Shell quoting, property-based: hypothesis generates env values (quotes, $(), backticks, \\,
newlines, %, globs, unicode, control characters), shell_exports renders them for each shell, and
the real dash, bash, zsh and fish source the result. What a child process then sees (env -0) must
equal the input byte for byte, the shell must print nothing on stderr, and no command may run
(canary files in the working directory must never appear).

Values are checked in batches of BATCH variables per sourced file; every value is compared on its
own. RELIABILITY_QUOTING_EXAMPLES (default 2000) sets the values per shell."""

from __future__ import annotations

import math
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ._helpers import figure, rc_paths, run_module

TARGET = int(os.environ.get("RELIABILITY_QUOTING_EXAMPLES", "2000"))
BATCH = 50
LOCALES = ("C.UTF-8", "C")

# Pieces that break naive quoting, in every shell we write for. CANARY tokens would create a file
# in the working directory if any shell ran them.
TOKENS = [
    "'",
    '"',
    "\\",
    "\\'",
    "'\\''",
    "''",
    '""',
    "\\\\",
    "\\\n",
    "\\n",
    "\\t",
    "\\x41",
    "\\0",
    "$(touch CANARY1)",
    "`touch CANARY2`",
    "$(touch CANARY3)$",
    "'; touch CANARY4; '",
    '"; touch CANARY5; "',
    "\ntouch CANARY6\n",
    "> CANARY7",
    "| touch CANARY8",
    "&& touch CANARY9",
    "; (touch CANARY10)",
    "{ touch CANARY11; }",
    "$(printf x>CANARY12)",
    "(touch CANARY13)",
    "$HOME",
    "${HOME}",
    "$0",
    "$$",
    "$?",
    "$1",
    "$@",
    "$*",
    "$'x\\n'",
    '$"x"',
    "${X:-y}",
    "$((1+1))",
    "\n",
    "\r",
    "\t",
    "\r\n",
    " ",
    "  ",
    "%",
    "%s",
    "%n",
    "%%",
    "%d",
    "%(x)s",
    "*",
    "?",
    "[a-z]",
    "**",
    "~",
    "~root",
    "~/",
    "!",
    "!!",
    "!$",
    "^",
    "{a,b}",
    "{1..3}",
    "#",
    "# x",
    ";",
    "&",
    "|",
    "<",
    ">",
    "(",
    ")",
    "=",
    "-e",
    "--",
    "-",
    "EOF",
    "<<EOF",
    "end",
    "set -gx",
    "export",
    "é",
    "ß",
    "Ω",
    "中文",
    "🎉",
    "👩‍👩‍👧",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\u0085",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1f",
    "\uf600",
    "\uf6ff",
    "\ue000",
    "\U0010ffff",
    "\ufffd",
    "\ufffe",
]

_char = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
values = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(alphabet=_char, max_size=6)), max_size=8).map("".join)
# For environment.d, also plenty of values it can carry (so acceptance is tested as hard as refusal).
envd_values = st.one_of(
    values, st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=24)
)

SHELLS = {
    # name: (shell_exports kind, argv to source FILE then dump the environment)
    "dash": ("sh", ["dash", "-c", '. "$1" && exec env -0', "dash"]),
    "bash": ("bash", ["bash", "--norc", "--noprofile", "-c", '. "$1" && exec env -0', "bash"]),
    "zsh": ("zsh", ["zsh", "-f", "-c", '. "$1" && exec env -0', "zsh"]),
    "fish": ("fish", ["fish", "--no-config", "-c", "source $argv[1]; and exec env -0"]),
}


def _binary(name):
    found = shutil.which(name)
    if not found:
        figure("quoting-skip:" + name, f"{name} not installed", add=False)
        pytest.skip(
            f"{name} is not installed: install it (scripts/bootstrap.sh installs zsh and fish) to test quoting for it"
        )
    return found


def _source(shell, path, cwd, locale):
    argv = list(SHELLS[shell][1])
    argv[0] = _binary(argv[0])
    if shell == "fish":
        argv += [path]
    else:
        argv.insert(len(argv), path)
    home = cwd + "-home"  # fish writes ~/.config and ~/.local: keep them out of the canary directory
    os.makedirs(home, exist_ok=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": home, "LC_ALL": locale}
    proc = subprocess.run(argv, cwd=cwd, env=env, check=False, capture_output=True, timeout=60)
    assert proc.returncode == 0, (shell, proc.returncode, proc.stderr[-2000:])
    assert proc.stderr == b"", (shell, proc.stderr[-2000:])
    seen = {}
    for entry in proc.stdout.split(b"\0"):
        name, sep, value = entry.partition(b"=")
        if sep:
            seen[name.decode()] = value
    return seen


def _check_batch(shell, workdir, batch, locale):
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._shells import shell_exports

    env = {"CCQ_%02d" % i: value for i, value in enumerate(batch)}
    kind = SHELLS[shell][0]
    text = shell_exports(env, kind)
    rc = os.path.join(workdir, "rc")
    canary = os.path.join(workdir, "cwd")
    shutil.rmtree(canary, ignore_errors=True)
    os.makedirs(canary)
    with open(rc, "w", encoding="utf-8") as handle:
        handle.write(text)
    seen = _source(shell, rc, canary, locale)
    ran = os.listdir(canary)
    if ran:
        figure("quoting:canary_runs", len(ran))
    assert not ran, f"a command ran while {shell} sourced the exports: {ran!r}"
    for name, value in env.items():
        assert name in seen, f"{shell} lost {name} = {value!r}"
        assert seen[name] == value.encode("utf-8"), f"{shell} read {name} back as {seen[name]!r}, wrote {value!r}"
    return len(env)


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_values_round_trip_in_real_shells(shell, tmp_path):
    _binary(SHELLS[shell][1][0])
    checked = {"values": 0}

    @settings(settings.get_profile("reliability"), max_examples=math.ceil(TARGET / BATCH))
    @given(batch=st.lists(values, min_size=BATCH, max_size=BATCH), locale=st.sampled_from(LOCALES))
    def check(batch, locale):
        checked["values"] += _check_batch(shell, str(tmp_path), batch, locale)

    check()
    figure("quoting:" + shell, checked["values"])
    assert checked["values"] >= TARGET


def test_every_token_alone_and_together(tmp_path):
    """The hand-picked tokens, each as its own variable and all in one value, in every installed shell."""
    batch = list(TOKENS) + ["".join(TOKENS)]
    tried = 0
    for shell in sorted(SHELLS):
        if not shutil.which(SHELLS[shell][1][0]):
            continue
        for locale in LOCALES:
            tried += _check_batch(shell, str(tmp_path), batch, locale)
    assert tried, "no shell installed"


def test_module_written_rc_files_round_trip(tmp_path):
    """End to end: the files the module writes (whole files for sh and fish, marked blocks inside the
    distribution's bash.bashrc and zshenv) give every shell exactly the values in settings.env."""
    root = str(tmp_path / "etc")
    paths = rc_paths(root)
    os.makedirs(os.path.dirname(paths["zsh"]))
    with open(paths["bash"], "w") as handle:
        handle.write("# distribution bash.bashrc\n[ -z \"$PS1\" ] && return\nalias ll='ls -l'\n")
    with open(paths["zsh"], "w") as handle:
        handle.write("# distribution zshenv\nsetopt no_global_rcs 2>/dev/null || true\n")
    env = {"CCQ_%03d" % i: v for i, v in enumerate(TOKENS)}
    env["CCQ_ALL"] = "".join(TOKENS)
    res = run_module(
        {
            "path": os.path.join(root, "claude-code", "managed-settings.json"),
            "os_family": "Debian",
            "settings": {"env": env},
            "shells": ["sh", "bash", "zsh", "fish"],
            "shell_paths": paths,
        }
    )
    assert res.get("changed") and not res.get("failed"), res
    # bash.bashrc returns early for non-interactive shells: the block must come before that line to
    # matter there; what we test here is that the block's own lines set the values exactly.
    with open(paths["bash"], "rb") as handle:
        bash_text = handle.read().replace(b'[ -z "$PS1" ] && return\n', b"")
    bash_only = os.path.join(root, "bash-noninteractive.rc")
    with open(bash_only, "wb") as handle:
        handle.write(bash_text)
    for shell, path in (("dash", paths["sh"]), ("bash", bash_only), ("zsh", paths["zsh"]), ("fish", paths["fish"])):
        if not shutil.which(shell):
            continue
        canary = str(tmp_path / ("cwd-" + shell))
        os.makedirs(canary)
        seen = _source(shell, path, canary, "C.UTF-8")
        assert os.listdir(canary) == [], shell
        for name, value in env.items():
            assert seen.get(name) == value.encode("utf-8"), (shell, name, value, seen.get(name))


# --------------------------------------------------------------------------- environment.d

_GENERATOR_CANDIDATES = (
    "/usr/lib/systemd/user-environment-generators/30-systemd-environment-d-generator",
    "/lib/systemd/user-environment-generators/30-systemd-environment-d-generator",
)


def _envd_unquote(text):
    """Undo systemd's shell quoting of a generator output value (shell_maybe_quote + cescape)."""
    if not text.startswith('"'):
        return text
    assert text.endswith('"'), text
    body, out, i = text[1:-1], [], 0
    simple = {
        "a": "\a",
        "b": "\b",
        "f": "\f",
        "n": "\n",
        "r": "\r",
        "t": "\t",
        "v": "\v",
        "\\": "\\",
        '"': '"',
        "'": "'",
        "$": "$",
        "`": "`",
    }
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "x":
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        elif nxt in "01234567":
            out.append(chr(int(body[i + 1 : i + 4], 8)))
            i += 4
        else:
            raise AssertionError(f"unknown escape in generator output: {text!r}")
    return "".join(out)


def test_environment_d_values_round_trip_or_are_refused(tmp_path):
    """Accepted values round-trip through systemd's own environment.d parser; refused ones are
    exactly those the rule names (\\ $ " ' ` line breaks, surrounding blanks), with env.NAME in
    the message."""
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._shells import (
        PolicyError,
        export_lines,
    )

    generator = next((g for g in _GENERATOR_CANDIDATES if os.access(g, os.X_OK)), None)
    counts = {"accepted": 0, "refused": 0}

    @settings(settings.get_profile("reliability"), max_examples=math.ceil(TARGET / BATCH))
    @given(batch=st.lists(envd_values, min_size=BATCH, max_size=BATCH))
    def check(batch):
        accepted = {}
        for i, value in enumerate(batch):
            name = "CCE_%02d" % i
            unsafe = _envd_unrepresentable(value)
            try:
                (line,) = export_lines({name: value}, "environment_d")
            except PolicyError as exc:
                assert unsafe, f"refused a value systemd keeps as written: {value!r} ({exc.message})"
                assert f"'env.{name}'" in exc.message
                counts["refused"] += 1
                continue
            assert not unsafe, f"accepted a value systemd would expand or unquote: {value!r}"
            assert line == f"{name}={value}"
            accepted[name] = value
        if generator and accepted:
            conf = tmp_path / "environment.d"
            conf.mkdir(exist_ok=True)
            (conf / "60-claude-code.conf").write_text(
                "".join(export_lines(accepted, "environment_d")[i] + "\n" for i in range(len(accepted))),
                encoding="utf-8",
            )
            proc = subprocess.run(
                [generator],
                env={"XDG_CONFIG_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
                check=False,
                capture_output=True,
                timeout=60,
            )
            assert proc.returncode == 0, proc.stderr
            seen = {}
            for raw in proc.stdout.decode("utf-8", "surrogateescape").split("\n"):
                name, sep, value = raw.partition("=")
                if sep and name.startswith("CCE_"):
                    seen[name] = _envd_unquote(value)
            for name, value in accepted.items():
                assert seen.get(name) == value, (
                    f"systemd read {name} back as {seen.get(name)!r}, wrote {value!r} (stderr {proc.stderr[-500:]!r})"
                )
        counts["accepted"] += len(accepted)

    check()
    figure("envd:accepted", counts["accepted"] if generator else 0)
    figure("envd:refused", counts["refused"])
    if not generator:
        pytest.skip(
            "systemd-environment-d-generator not installed: only the refusal rules were tested "
            "(%d values refused, %d accepted)" % (counts["refused"], counts["accepted"])
        )
    assert counts["accepted"] + counts["refused"] >= TARGET


def _envd_unrepresentable(value):
    """The specification, written independently of the code: values an environment.d line cannot
    carry as written. systemd expands $ and unquotes \\ " ' `; a line ends at a line break; it
    strips surrounding blanks; v252 drops an empty value ("invalid syntax") and rejects, then
    crashes on, Unicode noncharacters; control characters (other than tab) are refused too."""
    if value == "" or value != value.strip():
        return True
    for ch in value:
        code = ord(ch)
        if ch in "\\$\"'`\n\r" or (code < 32 and ch != "\t") or code == 127:
            return True
        if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
            return True
    return False


# ------------------------------------------------------------------------ shell variable names


def _shell_variable_names():
    """Every variable name the installed shells define for themselves (asked at run time)."""
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"}
    asks = {
        "bash": ["bash", "--norc", "--noprofile", "-c", "compgen -v"],
        "zsh": ["zsh", "-f", "-c", "print -rl -- ${(k)parameters}"],
        "fish": ["fish", "--no-config", "-c", "set -n"],
        "dash": ["dash", "-c", "set"],
    }
    names, asked = set(), []
    for shell, argv in asks.items():
        if not shutil.which(argv[0]):
            continue
        home = tempfile.mkdtemp(prefix="names-home-")
        out = subprocess.run(
            argv, env=dict(env, HOME=home), check=False, capture_output=True, text=True, timeout=60
        ).stdout
        shutil.rmtree(home, ignore_errors=True)
        names.update(line.split("=", 1)[0].strip() for line in out.splitlines())
        asked.append(shell)
    return {n for n in names if re.match(r"^[A-Za-z_][A-Za-z0-9_]*\Z", n)}, asked


def test_shell_variable_names_are_refused_or_round_trip(tmp_path):
    """A name a shell reserves (zsh stops reading the file at `export status=...`, dash exits on
    OPTIND) is refused by the policy; every other name the shells know round-trips in all of them,
    and a variable exported after it still arrives."""
    from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._policy import PolicyError, compute

    names, asked = _shell_variable_names()
    if not asked:
        pytest.skip("no shell installed")
    accepted, refused = [], []
    for name in sorted(names):
        try:
            compute({"provider": "anthropic", "plan": "team", "env": {name: "ccvalue"}})
            accepted.append(name)
        except PolicyError as exc:
            assert "'env" in exc.message
            refused.append(name)
    env = dict.fromkeys(accepted, "ccvalue")
    env["ZZZ_AFTER_ALL"] = "after"
    for shell in sorted(SHELLS):
        if not shutil.which(SHELLS[shell][1][0]):
            continue
        from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy._shells import shell_exports

        rc = str(tmp_path / ("rc-" + shell))
        with open(rc, "w") as handle:
            handle.write(shell_exports(env, SHELLS[shell][0]))
        canary = str(tmp_path / ("cwd-" + shell))
        os.makedirs(canary)
        seen = _source(shell, rc, canary, "C.UTF-8")
        wrong = sorted(n for n, v in env.items() if seen.get(n) != v.encode())
        assert not wrong, f"{shell}: these accepted names do not round-trip: {wrong}"
    figure("names:accepted", len(accepted), add=False)
    figure("names:refused", len(refused), add=False)
    figure("names:shells", ",".join(asked), add=False)
