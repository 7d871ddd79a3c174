"""Record what the real Claude Code CLI does with each managed-settings case: write
tests/data/cli_cases.json (the case files and, per CLI version, the verdict observed in real runs).

The cases are defined here (CASES: their files, bytes, modes, owners and types, the shell
environment, whether a `claude -p` session is run too); the verdicts come only from running the
CLIs of tests/_support/cli_oracle.py ORACLE_CLIS (oldest supported, pinned, newest platform
package) on them, as the ordinary account cli_oracle.RUN_UID, in private namespaces with only
loopback (scripts/claude-doctor.sh). Nothing in a verdict is written by hand.
tests/integration/test_cli_oracle.py re-runs every case and checks the recorded verdict.

Usage (root: the namespaces, the file owners):
  scripts/record_cli_cases.py                  record every case on every CLI present
  scripts/record_cli_cases.py --only ID ...    record these cases (others kept as recorded)
  scripts/record_cli_cases.py --cli oldest     run only these CLIs (labels of ORACLE_CLIS); the
      verdicts of every other version stay as recorded (a version no longer installed too)
  scripts/record_cli_cases.py --install-newest 2.1.337
      install @anthropic-ai/claude-code-linux-x64@VERSION (the platform package; the wrapper
      package on the registry stops earlier) as .cache/claude-cli-platform
"""

from __future__ import annotations

import argparse
import base64
import concurrent.futures
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "_support"))
oracle = importlib.import_module("cli_oracle")  # tests/_support, standard library only


MAIN = "managed-settings.json"
D = "managed-settings.d/"
OFF = {"env": {"DISABLE_TELEMETRY": "1"}}  # marker: "flags_off_by: DISABLE_TELEMETRY" when applied
ON = {"env": {"DISABLE_TELEMETRY": ""}}  # an empty value: the variable counts as unset
OFF_TEXT = json.dumps(OFF)
ON_TEXT = json.dumps(ON)
LIMIT = 2097152  # the managed-file size limit the executables hold (docs/claude-code-rules.md)
STAND_IN_ENV = {"ANTHROPIC_BASE_URL": oracle.STAND_IN}
# A drop-in that sends a session to the stand-in, for cases about something else: a session that
# starts then ends at its first model request instead of running into cli_oracle.SESSION_TIMEOUT.
GATEWAY = {"path": D + "00-gateway.json", "type": "file", "text": json.dumps({"env": STAND_IN_ENV})}


def f(path: str, text: str | None = None, *, raw: bytes | None = None, **extra) -> dict:
    """A file entry: text (UTF-8) or raw bytes (stored as base64)."""
    entry = {"path": path, "type": "file"}
    if raw is not None:
        entry["base64"] = base64.b64encode(raw).decode("ascii")
    else:
        entry["text"] = text if text is not None else ""
    entry.update(extra)
    return entry


def special(path: str, kind: str, **extra) -> dict:
    return dict({"path": path, "type": kind}, **extra)


def doc(*parts: dict) -> str:
    merged: dict = {}
    for part in parts:
        merged.update(part)
    return json.dumps(merged)


def nest(depth: int, leaf: str = "x") -> str:
    """The JSON text of LEAF (a string) inside DEPTH nested arrays."""
    return "[" * depth + json.dumps(leaf) + "]" * depth


def with_deep(text: str) -> str:
    """The flags-off document with a key no schema checks (xOracleDeep) set to the JSON TEXT: what
    happens to a deep value is the nesting rule alone."""
    return '{"env":{"DISABLE_TELEMETRY":"1"},"xOracleDeep":%s}' % text


def order_case(cid: str, first: str, last: str, about: str) -> dict:
    """Two drop-ins: FIRST turns feature flags off, LAST turns them back on. Flags on means LAST
    was read after FIRST."""
    return {
        "id": cid,
        "rule": "sort order",
        "about": about,
        "entries": [f(D + first, OFF_TEXT), f(D + last, ON_TEXT)],
    }


CASES = [
    # ------------------------------------------------------------------ encoding and JSON grammar
    {"id": "baseline", "rule": "JSON grammar", "about": "a plain object", "entries": [f(MAIN, OFF_TEXT)]},
    {
        "id": "utf8-bom",
        "rule": "encoding",
        "about": "a UTF-8 byte order mark before the object",
        "entries": [f(MAIN, raw=b"\xef\xbb\xbf" + OFF_TEXT.encode())],
    },
    {
        "id": "utf8-bom-twice",
        "rule": "encoding",
        "about": "two UTF-8 byte order marks: one is taken off",
        "entries": [f(MAIN, raw=b"\xef\xbb\xbf\xef\xbb\xbf" + OFF_TEXT.encode())],
    },
    {
        "id": "utf16le-bom",
        "rule": "encoding",
        "about": "UTF-16LE with its byte order mark (Python's utf-8-sig refuses it)",
        "entries": [f(MAIN, raw=b"\xff\xfe" + OFF_TEXT.encode("utf-16-le"))],
    },
    {
        "id": "utf16be-bom",
        "rule": "encoding",
        "about": "UTF-16BE with its byte order mark",
        "entries": [f(MAIN, raw=b"\xfe\xff" + OFF_TEXT.encode("utf-16-be"))],
    },
    {
        "id": "utf16le-no-bom",
        "rule": "encoding",
        "about": "UTF-16LE without a byte order mark",
        "entries": [f(MAIN, raw=OFF_TEXT.encode("utf-16-le"))],
    },
    {
        "id": "invalid-utf8-in-string",
        "rule": "encoding",
        "about": "a byte that is not UTF-8 inside a string value (Python refuses the file)",
        "entries": [f(MAIN, raw=b'{"env":{"DISABLE_TELEMETRY":"1","X_ORACLE":"\xff\xfe"}}')],
    },
    {
        "id": "invalid-utf8-outside-string",
        "rule": "encoding",
        "about": "a byte that is not UTF-8 between tokens",
        "entries": [f(MAIN, raw=b'{"env":{"DISABLE_TELEMETRY":"1"}}\xff')],
    },
    {
        "id": "latin1-in-string",
        "rule": "encoding",
        "about": "Latin-1 text (e9) in a value",
        "entries": [f(MAIN, raw=b'{"env":{"DISABLE_TELEMETRY":"1"},"companyAnnouncements":["caf\xe9"]}')],
    },
    {
        "id": "raw-nul-in-string",
        "rule": "JSON grammar",
        "about": "a raw NUL byte inside a string",
        "entries": [f(MAIN, raw=b'{"env":{"DISABLE_TELEMETRY":"1","X_ORACLE":"a\x00b"}}')],
    },
    {
        "id": "escaped-nul",
        "rule": "JSON grammar",
        "about": "\\u0000 in an env value",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1","X_ORACLE":"a\\u0000b"}}')],
    },
    {
        "id": "lone-surrogate-escape",
        "rule": "JSON grammar",
        "about": "\\ud800 (a lone surrogate) in a value",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"companyAnnouncements":["\\ud800"]}')],
    },
    {
        "id": "duplicate-keys",
        "rule": "JSON grammar",
        "about": "env twice in one object: the last one counts",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"env":{"DISABLE_TELEMETRY":""}}')],
    },
    {
        "id": "proto-key",
        "rule": "JSON grammar",
        "about": "a __proto__ key beside env",
        "entries": [f(MAIN, '{"__proto__":{"x":1},"env":{"DISABLE_TELEMETRY":"1"}}')],
    },
    {
        "id": "line-comment",
        "rule": "JSON grammar",
        "about": "a // comment",
        "entries": [f(MAIN, "// fleet policy\n" + OFF_TEXT)],
    },
    {
        "id": "block-comment",
        "rule": "JSON grammar",
        "about": "a /* */ comment inside the object",
        "entries": [f(MAIN, '{/* fleet */"env":{"DISABLE_TELEMETRY":"1"}}')],
    },
    {
        "id": "trailing-comma",
        "rule": "JSON grammar",
        "about": "a comma after the last member",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},}')],
    },
    {
        "id": "nan-literal",
        "rule": "JSON grammar",
        "about": "NaN as a value (Python's json takes it)",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"cleanupPeriodDays":NaN}')],
    },
    {
        "id": "huge-number",
        "rule": "per-field schema",
        "about": "1e400 (Infinity in JavaScript) for cleanupPeriodDays",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"cleanupPeriodDays":1e400}')],
    },
    {
        "id": "negative-zero",
        "rule": "per-field schema",
        "about": "-0 for cleanupPeriodDays",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"cleanupPeriodDays":-0}')],
    },
    {
        "id": "crlf",
        "rule": "JSON grammar",
        "about": "CRLF line ends",
        "entries": [f(MAIN, '{\r\n  "env": {\r\n    "DISABLE_TELEMETRY": "1"\r\n  }\r\n}\r\n')],
    },
    {
        "id": "line-separator-whitespace",
        "rule": "JSON grammar",
        "about": "U+2028 between tokens (not JSON whitespace)",
        "entries": [f(MAIN, '{\u2028"env":{"DISABLE_TELEMETRY":"1"}}')],
    },
    {
        "id": "text-after-object",
        "rule": "JSON grammar",
        "about": "a second value after the object",
        "entries": [f(MAIN, OFF_TEXT + "\n{}")],
    },
    # ------------------------------------------------------------------ what counts as empty / not an object
    {"id": "empty-file", "rule": "empty", "about": "0 bytes", "entries": [f(MAIN, "")]},
    {"id": "whitespace-only", "rule": "empty", "about": "blanks and line ends", "entries": [f(MAIN, " \n\t\r\n")]},
    {
        "id": "nbsp-only",
        "rule": "empty",
        "about": "a no-break space (U+00A0): JavaScript's trim() takes it off, Python's bytes.strip() does not",
        "entries": [f(MAIN, "\u00a0\n")],
    },
    {
        "id": "bom-only",
        "rule": "empty",
        "about": "a UTF-8 byte order mark alone",
        "entries": [f(MAIN, raw=b"\xef\xbb\xbf")],
    },
    {
        "id": "empty-main-dropin-applies",
        "rule": "empty",
        "about": "an empty main file beside a drop-in",
        "entries": [f(MAIN, ""), f(D + "50-x.json", OFF_TEXT)],
    },
    {"id": "json-null", "rule": "empty", "about": "the JSON value null", "entries": [f(MAIN, "null")]},
    {"id": "json-array", "rule": "empty", "about": "an array", "entries": [f(MAIN, "[]")]},
    {"id": "json-string", "rule": "empty", "about": "a string", "entries": [f(MAIN, '"{}"')]},
    {"id": "empty-object", "rule": "empty", "about": "{}", "entries": [f(MAIN, "{}")]},
    # ------------------------------------------------------------------ nesting depth
    {
        "id": "nesting-63",
        "rule": "nesting depth",
        "about": "a value nested 62 arrays deep (64 levels with the document and the string)",
        "entries": [f(MAIN, with_deep(nest(62)))],
    },
    {
        "id": "nesting-66",
        "rule": "nesting depth",
        "about": "a value nested 65 arrays deep",
        "entries": [f(MAIN, with_deep(nest(65)))],
    },
    {
        "id": "nesting-5000",
        "rule": "nesting depth",
        "about": "a value nested 5000 arrays deep (past Python's recursion limit)",
        # 2.1.285 has no depth limit: whether it overflows its stack at 5000 levels depends on the
        # process (recorded as a crash, seen starting on a re-run), so its re-run is not checked.
        "unstable_on": ["2.1.285"],
        "entries": [f(MAIN, with_deep(nest(5000)))],
    },
    # ------------------------------------------------------------------ size limit
    {
        "id": "size-at-limit",
        "rule": "size limit",
        "about": "the main file exactly at the limit (padded with spaces)",
        "entries": [f(MAIN, OFF_TEXT, pad_to=LIMIT)],
    },
    {
        "id": "size-over-limit",
        "rule": "size limit",
        "about": "the main file one byte over the limit",
        "entries": [f(MAIN, OFF_TEXT, pad_to=LIMIT + 1)],
    },
    {
        "id": "dropin-over-limit",
        "rule": "size limit",
        "about": "a drop-in one byte over the limit after a main file that turns flags off",
        "entries": [f(MAIN, OFF_TEXT), f(D + "50-big.json", ON_TEXT, pad_to=LIMIT + 1)],
    },
    # ------------------------------------------------------------------ file types
    {"id": "main-fifo", "rule": "file types", "about": "the main file is a FIFO", "entries": [special(MAIN, "fifo")]},
    {
        "id": "main-directory",
        "rule": "file types",
        "about": "the main file is a directory",
        "entries": [special(MAIN, "dir")],
    },
    {
        "id": "main-socket",
        "rule": "file types",
        "about": "the main file is a socket",
        "entries": [special(MAIN, "socket")],
    },
    {
        "id": "main-dev-null",
        "rule": "file types",
        "about": "the main file is a link to /dev/null (a character device)",
        "entries": [special(MAIN, "symlink", target="/dev/null")],
    },
    {
        "id": "dropin-fifo",
        "rule": "file types",
        "about": "a drop-in that is a FIFO, after a main file that turns flags off",
        "entries": [f(MAIN, OFF_TEXT), special(D + "50-fifo.json", "fifo")],
    },
    {
        "id": "dropin-directory",
        "rule": "file types",
        "about": "a directory named *.json among the drop-ins",
        "entries": [f(MAIN, OFF_TEXT), special(D + "50-dir.json", "dir")],
    },
    {
        "id": "dropin-socket",
        "rule": "file types",
        "about": "a socket named *.json among the drop-ins",
        "entries": [f(MAIN, OFF_TEXT), special(D + "50-sock.json", "socket")],
    },
    {
        "id": "dropin-dangling-symlink",
        "rule": "file types",
        "about": "a drop-in that is a link to nothing",
        "entries": [f(MAIN, OFF_TEXT), special(D + "50-gone.json", "symlink", target="/nonexistent/x.json")],
    },
    {
        "id": "dropin-symlink-to-file",
        "rule": "file types",
        "about": "a drop-in that is a link to a file in another folder",
        "entries": [
            f("elsewhere/vendor.json", OFF_TEXT),
            special(D + "50-link.json", "symlink", target="../elsewhere/vendor.json"),
        ],
    },
    {
        "id": "dropin-symlink-to-fifo",
        "rule": "file types",
        "about": "a drop-in that is a link to a FIFO",
        "entries": [
            f(MAIN, OFF_TEXT),
            special("elsewhere/pipe", "fifo"),
            special(D + "50-link.json", "symlink", target="../elsewhere/pipe"),
        ],
    },
    {
        "id": "main-symlink-to-file",
        "rule": "file types",
        "about": "the main file is a link to a file in another folder",
        "entries": [f("elsewhere/main.json", OFF_TEXT), special(MAIN, "symlink", target="elsewhere/main.json")],
    },
    {
        "id": "dropin-folder-is-file",
        "rule": "file types",
        "about": "managed-settings.d is a regular file",
        "entries": [f(MAIN, OFF_TEXT), f("managed-settings.d", ON_TEXT)],
    },
    {
        "id": "dropin-hardlink",
        "rule": "file types",
        "about": "a drop-in hard-linked to the main file (two links)",
        "entries": [f(MAIN, OFF_TEXT), special(D + "50-same.json", "hardlink", target=MAIN)],
    },
    # ------------------------------------------------------------------ readability by the account
    {
        "id": "main-unreadable",
        "rule": "readability",
        "about": "the main file is 0600 root",
        "entries": [f(MAIN, OFF_TEXT, mode="600")],
    },
    {
        "id": "dropin-unreadable",
        "rule": "readability",
        "about": "a 0600 root drop-in after a main file that turns flags off",
        "entries": [f(MAIN, OFF_TEXT), f(D + "50-secret.json", ON_TEXT, mode="600")],
    },
    {
        "id": "dropin-folder-unlistable",
        "rule": "readability",
        "about": "managed-settings.d is 0711 root (enterable, not listable)",
        "entries": [f(MAIN, OFF_TEXT), special("managed-settings.d", "dir", mode="711"), f(D + "50-x.json", ON_TEXT)],
    },
    {
        "id": "dropin-folder-closed",
        "rule": "readability",
        "about": "managed-settings.d is 0700 root",
        "entries": [f(MAIN, OFF_TEXT), special("managed-settings.d", "dir", mode="700"), f(D + "50-x.json", ON_TEXT)],
    },
    {
        "id": "folder-closed",
        "rule": "readability",
        "about": "/etc/claude-code itself is 0700 root",
        "folder": {"mode": "700"},
        "entries": [f(MAIN, OFF_TEXT)],
    },
    # ------------------------------------------------------------------ drop-in sort order
    order_case("order-digits", "9-a.json", "10-b.json", "9-a.json and 10-b.json: code-unit order puts 10-b first"),
    order_case("order-case", "B.json", "a.json", "B.json sorts before a.json (upper case first)"),
    order_case(
        "order-astral-vs-bmp",
        "\uff21.json",
        "\U0001f600.json",
        "U+FF21 and U+1F600: UTF-16 code units (D83D...) put the emoji first; Python's code points put it last",
    ),
    order_case("order-accent", "z.json", "\u00e9.json", "z.json before \u00e9.json (U+00E9 > z)"),
    order_case("order-prefix", "50-x.json", "50-x.json.json", "a name that is a prefix of another sorts first"),
    {
        "id": "order-main-before-dropins",
        "rule": "sort order",
        "about": "the main file is read before every drop-in",
        "entries": [f(MAIN, ON_TEXT), f(D + "00-first.json", OFF_TEXT)],
    },
    {
        "id": "names-ignored",
        "rule": "sort order",
        "about": "hidden, .JSON, .json~ and .json.bak names are not drop-ins",
        "entries": [
            f(MAIN, OFF_TEXT),
            f(D + ".hidden.json", ON_TEXT),
            f(D + "upper.JSON", ON_TEXT),
            f(D + "backup.json~", ON_TEXT),
            f(D + "old.json.bak", ON_TEXT),
            f(D + ".json", ON_TEXT),
        ],
    },
    {
        "id": "name-with-space",
        "rule": "sort order",
        "about": "a drop-in named ' x.json' (leading blank) counts",
        "entries": [f(MAIN, OFF_TEXT), f(D + " x.json", ON_TEXT)],
    },
    {
        "id": "unparseable-hidden-ignored",
        "rule": "sort order",
        "about": "an unparseable hidden file is not read",
        "entries": [f(MAIN, OFF_TEXT), f(D + ".broken.json", "{")],
    },
    {
        "id": "unparseable-dropin",
        "rule": "JSON grammar",
        "about": "an unparseable drop-in",
        "entries": [f(MAIN, OFF_TEXT), f(D + "60-broken.json", '{"env":{')],
    },
    # ------------------------------------------------------------------ per-field schema, merge
    {
        "id": "env-number-value",
        "rule": "per-field schema",
        "about": "DISABLE_TELEMETRY: 1 (a number, not a string)",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":1}}')],
    },
    {
        "id": "env-bool-value",
        "rule": "per-field schema",
        "about": "DISABLE_TELEMETRY: true",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":true}}')],
    },
    {
        "id": "env-null-value-keeps-earlier",
        "rule": "per-field schema",
        "about": "a drop-in's DISABLE_TELEMETRY: null after the main file's \"1\"",
        "entries": [f(MAIN, OFF_TEXT), f(D + "50-x.json", '{"env":{"DISABLE_TELEMETRY":null}}')],
    },
    {
        "id": "env-object-value-keeps-earlier",
        "rule": "per-field schema",
        "about": "a drop-in's DISABLE_TELEMETRY: {} after the main file's \"1\"",
        "entries": [f(MAIN, OFF_TEXT), f(D + "50-x.json", '{"env":{"DISABLE_TELEMETRY":{}}}')],
    },
    {
        "id": "env-null-after-empty",
        "rule": "per-field schema",
        "about": 'a drop-in\'s DISABLE_TELEMETRY: null after the main file\'s "" (coerced to "null", or dropped?)',
        "entries": [f(MAIN, ON_TEXT), f(D + "50-x.json", '{"env":{"DISABLE_TELEMETRY":null}}')],
    },
    {
        "id": "env-false-value",
        "rule": "per-field schema",
        "about": "DISABLE_TELEMETRY: false",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":false}}')],
    },
    {
        "id": "env-empty-array-value",
        "rule": "per-field schema",
        "about": "DISABLE_TELEMETRY: [] (String([]) is empty)",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":[]}}')],
    },
    {
        "id": "env-not-object-keeps-earlier",
        "rule": "per-field schema",
        "about": "a drop-in whose env is a string, after the main file's env",
        "entries": [f(MAIN, OFF_TEXT), f(D + "50-x.json", '{"env":"DISABLE_TELEMETRY="}')],
    },
    {
        "id": "wrong-type-field-rest-applies",
        "rule": "per-field schema",
        "about": 'cleanupPeriodDays: "x" beside env: the field goes, env stays',
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"cleanupPeriodDays":"x"}')],
    },
    {
        "id": "unknown-key",
        "rule": "per-field schema",
        "about": "a key the CLI does not know",
        "entries": [f(MAIN, '{"env":{"DISABLE_TELEMETRY":"1"},"notASetting":true}')],
    },
    {
        "id": "env-merges-per-variable",
        "rule": "merge",
        "about": "the main file's DISABLE_TELEMETRY and a drop-in's DISABLE_AUTOUPDATER both apply",
        "entries": [f(MAIN, OFF_TEXT), f(D + "50-x.json", '{"env":{"DISABLE_AUTOUPDATER":"1"}}')],
    },
    {
        "id": "provider-switch-from-dropin",
        "rule": "merge",
        "about": "a drop-in switches the session to Bedrock",
        "entries": [
            f(MAIN, OFF_TEXT),
            f(D + "20-bedrock.json", '{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","AWS_REGION":"us-east-1"}}'),
        ],
    },
    {
        "id": "provider-switch-back-off",
        "rule": "merge",
        "about": "a later drop-in empties the Bedrock switch a main file set",
        "entries": [
            f(MAIN, '{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","AWS_REGION":"us-east-1"}}'),
            f(D + "90-off.json", '{"env":{"CLAUDE_CODE_USE_BEDROCK":""}}'),
        ],
    },
    {
        "id": "managed-env-beats-shell",
        "rule": "merge",
        "about": "the managed env wins over the shell's DISABLE_TELEMETRY=",
        "env": {"DISABLE_TELEMETRY": ""},
        "entries": [f(MAIN, OFF_TEXT)],
    },
    # ------------------------------------------------------------------ allowedProviders at start-up
    {
        "id": "providers-anthropic-refused",
        "rule": "allowedProviders",
        "about": "allowedProviders [bedrock], the session goes to Anthropic",
        "session": True,
        "entries": [f(MAIN, '{"allowedProviders":["bedrock"]}')],
    },
    {
        "id": "providers-gateway-not-listed",
        "rule": "allowedProviders",
        "about": "allowedProviders [anthropic] and a managed ANTHROPIC_BASE_URL",
        "session": True,
        "entries": [f(MAIN, json.dumps({"allowedProviders": ["anthropic"], "env": STAND_IN_ENV}))],
    },
    {
        "id": "providers-gateway-listed",
        "rule": "allowedProviders",
        "about": "allowedProviders [anthropic, customEndpoint] and a managed ANTHROPIC_BASE_URL",
        "session": True,
        "entries": [f(MAIN, json.dumps({"allowedProviders": ["anthropic", "customEndpoint"], "env": STAND_IN_ENV}))],
    },
    {
        "id": "providers-no-lock-gateway",
        "rule": "allowedProviders",
        "about": "no allowedProviders and a managed ANTHROPIC_BASE_URL",
        "session": True,
        "entries": [f(MAIN, json.dumps({"env": STAND_IN_ENV}))],
    },
    {
        "id": "providers-shell-gateway-refused",
        "rule": "allowedProviders",
        "about": "allowedProviders [anthropic]; the shell sets ANTHROPIC_BASE_URL",
        "session": True,
        "env": STAND_IN_ENV,
        "entries": [f(MAIN, '{"allowedProviders":["anthropic"]}')],
    },
    {
        "id": "providers-bedrock-allowed",
        "rule": "allowedProviders",
        "about": "allowedProviders [bedrock]; managed env switches to Bedrock through the stand-in",
        "session": True,
        "entries": [
            f(
                MAIN,
                json.dumps(
                    {
                        "allowedProviders": ["bedrock"],
                        "env": {
                            "CLAUDE_CODE_USE_BEDROCK": "1",
                            "AWS_REGION": "us-east-1",
                            "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
                            "ANTHROPIC_BEDROCK_BASE_URL": oracle.STAND_IN,
                        },
                    }
                ),
            )
        ],
    },
    {
        "id": "providers-bedrock-custom-endpoint",
        "rule": "allowedProviders",
        "about": "allowedProviders [bedrock, customEndpoint]; managed env switches to Bedrock through the stand-in",
        "session": True,
        "entries": [
            f(
                MAIN,
                json.dumps(
                    {
                        "allowedProviders": ["bedrock", "customEndpoint"],
                        "env": {
                            "CLAUDE_CODE_USE_BEDROCK": "1",
                            "AWS_REGION": "us-east-1",
                            "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
                            "ANTHROPIC_BEDROCK_BASE_URL": oracle.STAND_IN,
                        },
                    }
                ),
            )
        ],
    },
    {
        "id": "providers-lists-across-files",
        "rule": "allowedProviders",
        "about": "main allows [anthropic, customEndpoint], a drop-in allows [bedrock]; the session uses the stand-in gateway",
        "session": True,
        "entries": [
            f(MAIN, json.dumps({"allowedProviders": ["anthropic", "customEndpoint"], "env": STAND_IN_ENV})),
            f(D + "50-x.json", '{"allowedProviders":["bedrock"]}'),
        ],
    },
    {
        "id": "providers-lists-across-files-reversed",
        "rule": "allowedProviders",
        "about": "main allows [bedrock] and sets the stand-in gateway, a drop-in allows [anthropic, customEndpoint]",
        "session": True,
        "entries": [
            f(MAIN, json.dumps({"allowedProviders": ["bedrock"], "env": STAND_IN_ENV})),
            f(D + "50-x.json", '{"allowedProviders":["anthropic","customEndpoint"]}'),
        ],
    },
    {
        "id": "providers-empty-list",
        "rule": "allowedProviders",
        "about": "allowedProviders []",
        "session": True,
        "entries": [f(MAIN, '{"allowedProviders":[]}')],
    },
    {
        "id": "providers-not-a-list",
        "rule": "allowedProviders",
        "about": 'allowedProviders "bedrock" (a string)',
        "session": True,
        "entries": [f(MAIN, '{"allowedProviders":"bedrock"}')],
    },
    {
        "id": "providers-unknown-name",
        "rule": "allowedProviders",
        "about": "allowedProviders [bedrock, nosuch]",
        "session": True,
        "entries": [f(MAIN, '{"allowedProviders":["bedrock","nosuch"]}')],
    },
    {
        "id": "providers-shell-vertex-refused",
        "rule": "allowedProviders",
        "about": "allowedProviders [bedrock]; the shell switches to Vertex",
        "session": True,
        "env": {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "us-east5", "ANTHROPIC_VERTEX_PROJECT_ID": "acme"},
        "entries": [f(MAIN, '{"allowedProviders":["bedrock"]}')],
    },
    # ------------------------------------------------------------------ held rule (the account can change the file)
    {
        "id": "held-file-unparseable",
        "rule": "held rule",
        "about": "an unparseable main file owned by the account",
        "session": True,
        "entries": [GATEWAY, f(MAIN, '{"env":{', owner="user")],
    },
    {
        "id": "held-folder-unparseable",
        "rule": "held rule",
        "about": "an unparseable root file in a folder owned by the account",
        "session": True,
        "folder": {"owner": "user"},
        "entries": [GATEWAY, f(MAIN, '{"env":{')],
    },
    {
        "id": "held-group-writable-folder-unparseable",
        "rule": "held rule",
        "about": "an unparseable root file in a root folder writable by the account's group (0775 root:nogroup)",
        "session": True,
        "folder": {"mode": "775", "group": "user"},
        "entries": [GATEWAY, f(MAIN, '{"env":{')],
    },
    {
        "id": "held-world-writable-dropins-unparseable",
        "rule": "held rule",
        "about": "an unparseable drop-in in a world-writable managed-settings.d (1777)",
        "session": True,
        "entries": [
            f(MAIN, json.dumps({"env": STAND_IN_ENV})),
            special("managed-settings.d", "dir", mode="1777"),
            f(D + "50-x.json", '{"env":{'),
        ],
    },
    {
        "id": "held-dropin-unparseable",
        "rule": "held rule",
        "about": "an unparseable drop-in owned by the account (0644), root folders",
        "session": True,
        "entries": [
            f(MAIN, doc(OFF, {"env": dict(STAND_IN_ENV, DISABLE_TELEMETRY="1")})),
            f(D + "50-x.json", '{"env":{', owner="user"),
        ],
    },
    {
        "id": "held-file-api-key-helper",
        "rule": "held rule",
        "about": "apiKeyHelper in a main file owned by the account; gateway is the stand-in",
        "session": True,
        "env": {"ANTHROPIC_AUTH_TOKEN": ""},
        "entries": [
            f(MAIN, json.dumps({"apiKeyHelper": "echo sk-ant-oracle-helper", "env": STAND_IN_ENV}), owner="user")
        ],
    },
    {
        "id": "root-file-api-key-helper",
        "rule": "held rule",
        "about": "the same apiKeyHelper in a root file",
        "session": True,
        "env": {"ANTHROPIC_AUTH_TOKEN": ""},
        "entries": [f(MAIN, json.dumps({"apiKeyHelper": "echo sk-ant-oracle-helper", "env": STAND_IN_ENV}))],
    },
    {
        "id": "held-file-flags",
        "rule": "held rule",
        "about": "a valid main file owned by the account: are its settings applied?",
        "entries": [f(MAIN, OFF_TEXT, owner="user")],
    },
    # ------------------------------------------------------------------ managedSourcesBehavior
    {
        "id": "sources-behavior-merge",
        "rule": "managedSourcesBehavior",
        "about": "managedSourcesBehavior merge in the file (no other managed source on Linux)",
        "entries": [f(MAIN, doc(OFF, {"managedSourcesBehavior": "merge"}))],
    },
    {
        "id": "sources-behavior-invalid",
        "rule": "managedSourcesBehavior",
        "about": 'managedSourcesBehavior "both" (not first-wins or merge)',
        "entries": [f(MAIN, doc(OFF, {"managedSourcesBehavior": "both"}))],
    },
]


def _catalogue() -> dict:
    try:
        with open(oracle.CATALOGUE, encoding="utf-8") as handle:
            return json.load(handle) or {}
    except FileNotFoundError:
        return {}


def _install_newest(version: str) -> int:
    target = os.path.join(ROOT, ".cache", "claude-cli-platform")
    stage = tempfile.mkdtemp(prefix="claude-cli-platform.", dir=os.path.join(ROOT, ".cache"))
    os.chmod(stage, 0o755)  # the oracle runs the CLI as an ordinary account
    package = "@anthropic-ai/claude-code-linux-x64@%s" % version
    proc = subprocess.run(["npm", "install", "--prefix", stage, "--no-audit", "--no-fund", package], check=False)
    if proc.returncode:
        shutil.rmtree(stage, ignore_errors=True)
        return proc.returncode
    os.makedirs(os.path.join(stage, "bin"))
    os.symlink("../node_modules/@anthropic-ai/claude-code-linux-x64/claude", os.path.join(stage, "bin", "claude"))
    with open(os.path.join(stage, ".version"), "w", encoding="utf-8") as handle:
        handle.write(version + "\n")
    shutil.rmtree(target, ignore_errors=True)
    os.rename(stage, target)
    print("installed %s as %s" % (package, target))
    return 0


def _version_key(version: str) -> tuple:
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--only", nargs="+", help="record only these case ids")
    parser.add_argument(
        "--cli", nargs="+", choices=[label for label, _folder in oracle.ORACLE_CLIS], help="run only these CLIs"
    )
    parser.add_argument("--jobs", type=int, default=4, help="runs at once (default 4)")
    parser.add_argument("--install-newest", metavar="VERSION")
    args = parser.parse_args()
    if args.install_newest:
        return _install_newest(args.install_newest)
    if os.geteuid() != 0:
        print("record_cli_cases.py needs root (namespaces, file owners)", file=sys.stderr)
        return 2
    ids = [case["id"] for case in CASES]
    if len(set(ids)) != len(ids):
        print("duplicate case ids", file=sys.stderr)
        return 2
    clis = [
        (label, folder, oracle.cli_version(folder))
        for label, folder in oracle.ORACLE_CLIS
        if not args.cli or label in args.cli
    ]
    missing = [label for label, _folder, version in clis if version is None]
    if missing:
        print("CLI missing: %s (scripts/bootstrap.sh; --install-newest)" % ", ".join(missing), file=sys.stderr)
        return 2
    old = {case["id"]: case for case in _catalogue().get("cases", [])}
    chosen = [case for case in CASES if not args.only or case["id"] in args.only]
    work = tempfile.mkdtemp(prefix="ccoracle.", dir="/tmp")
    os.chmod(work, 0o755)
    started = time.monotonic()
    try:
        jobs = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            for case in chosen:
                for _label, folder, version in clis:
                    jobs[(case["id"], version)] = pool.submit(oracle.run_case, case, folder, work)
        results = {key: job.result() for key, job in jobs.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    cases = []
    for case in CASES:
        if args.only and case["id"] not in args.only:
            if case["id"] in old:
                cases.append(old[case["id"]])
            continue
        entry = dict(case)
        # merged into what is recorded: the verdicts of versions not run now are kept
        entry["verdict"] = dict(old.get(case["id"], {}).get("verdict", {}))
        entry["verdict"].update({version: results[(case["id"], version)] for _label, _folder, version in clis})
        entry["verdict"] = dict(sorted(entry["verdict"].items(), key=lambda item: _version_key(item[0])))
        cases.append(entry)
    data = {
        "about": (
            "Managed-settings cases and what the real Claude Code CLI did with each, per version. "
            "Written by scripts/record_cli_cases.py from real runs (never by hand); checked by "
            "tests/integration/test_cli_oracle.py. The rules behind them: docs/claude-code-rules.md."
        ),
        "run_as": {"uid": oracle.RUN_UID, "gid": oracle.RUN_GID},
        "clis": {label: oracle.cli_version(folder) for label, folder in oracle.ORACLE_CLIS},
        "cases": cases,
    }
    os.makedirs(os.path.dirname(oracle.CATALOGUE), exist_ok=True)
    with open(oracle.CATALOGUE, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, ensure_ascii=True)
        handle.write("\n")
    print("%d cases x %d CLIs in %.0f s -> %s" % (len(chosen), len(clis), time.monotonic() - started, oracle.CATALOGUE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
