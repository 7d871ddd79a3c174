# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Claude Code's names and types, read from its native executable: writes cli_names.json.

    python3 scripts/cli_names.py            # regenerate plugins/plugin_utils/policy/cli_names.json
    python3 scripts/cli_names.py --check    # exit 1 (and name what differs) when the file is stale
    python3 scripts/cli_names.py --exe 2.1.337=/path/to/claude ...   # executables found elsewhere
    python3 scripts/cli_names.py --no-install   # never run npm

The versions read are the `checked` list of meta/cli_versions.json (the pinned version among them).
Each one's executable is the linux-x64 platform package, @anthropic-ai/claude-code-linux-x64: it is
taken from .cache/claude-cli*/ when one of them holds that version (scripts/bootstrap.sh puts the
pinned, the oldest and the newest there), else installed with
`npm install --prefix .cache/cli-names/<version> @anthropic-ai/claude-code-linux-x64@<version>`.
Python standard library only; nothing in the executable is run.

What is read. The executable is a Bun single-file executable: its JavaScript is stored in clear
text, split into modules ("chunks"), in the module graph at the end of the `.bun` section (a table
of name/contents offsets just before the "\\n---- Bun! ----\\n" trailer). This script reads that
table, tokenizes the chunks it needs and evaluates, symbolically, the few expressions that declare
what the CLI accepts:

  settings  the CLI's own settings schema: the function that returns the lazily built object whose
            first key is `$schema` (`{$schema:()=>r().optional().describe(...), apiKeyHelper:...}`),
            plus the feature-gated shapes merged into it (`{autoMode:{buildGate, shape:()=>({...})}}`).
            Each value is a schema of the CLI's zod-like library; the library's factories are
            recognised by the class they construct and that class's `get type(){return"string"}`,
            its methods by name (.int(), .positive(), .min(n), .optional(), .describe(text), ...).
            The type recorded is what the key accepts as input, in JSON Schema words.
  env       the env registries: `__export(ns,{NAME:()=>x,...})` objects whose getters are
            declared `x=H.bool()`, `H.str()`, `H.int({min:0})`, `H.enum([...])`, ... (the type is
            that method and its arguments), and every `process.env.NAME` / `process.env["NAME"]`,
            also through a function that returns process.env[its parameter] (`u("NAME")`).
  providers the `allowedProviders` values: the enum inside that key's schema.
  notes     the release notes bundled in the executable: the environment-style names they mention.
  named     a documented (or absent, or release-notes) name that none of the above declares but
            the code names as a string or a property ("NAME", .NAME, {NAME:...}).

The curated part (meaning, source, since, scope of the documented names; the documented names the
CLI does not have) is kept by hand in scripts/cli_names_documented.json and merged in: each name in
the output says whether it is documented, where from, and its type as the CLI declares it.
tests/unit/plugins/plugin_utils/test_cli_names.py re-reads the pinned executable and compares.
"""

from __future__ import annotations

import argparse
import json
import mmap
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
VERSIONS_FILE = os.path.join(ROOT, "meta", "cli_versions.json")
DOCUMENTED_FILE = os.path.join(ROOT, "scripts", "cli_names_documented.json")
OUTPUT_FILE = os.path.join(ROOT, "plugins", "plugin_utils", "policy", "cli_names.json")
PLATFORM_PACKAGE = "@anthropic-ai/claude-code-linux-x64"


class ExtractError(Exception):
    """The executable is not laid out as this script expects (say what, and where)."""


# ----------------------------------------------------------------------------- the Bun module graph

TRAILER = b"\n---- Bun! ----\n"


def read_modules(path: str) -> dict[str, str]:
    """{module name: JavaScript text} of every JavaScript module stored in a Bun executable.

    Layout (Bun's StandaloneModuleGraph): the trailer is preceded by an Offsets record whose first
    fields are byte_count (u64) and the modules table (u32 offset, u32 length); byte_count bytes of
    payload end where the record starts. Each table row begins with StringPointers (u32 offset,
    u32 length, relative to the payload) for name and contents. The row size is found by checking
    that every row's name is a /$bunfs/ path, so that a field added by a newer Bun is tolerated."""
    with open(path, "rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            return _modules(data, path)
        finally:
            data.close()


def _modules(data, path):
    end = data.rfind(TRAILER)
    if end < 0:
        raise ExtractError(f"{path}: no Bun module graph (trailer {TRAILER!r} not found)")
    for record in range(24, 129, 4):
        start = end - record
        byte_count, table_at, table_len = struct.unpack_from("<QII", data, start)
        base = start - byte_count
        if base < 0 or table_at + table_len > byte_count or table_len == 0:
            continue
        for row in range(16, 129, 4):
            if table_len % row:
                continue
            rows = [struct.unpack_from("<IIII", data, base + table_at + k) for k in range(0, table_len, row)]
            if all(
                n_len and n_at + n_len <= byte_count and data[base + n_at : base + n_at + 8] == b"/$bunfs/"
                for n_at, n_len, _c_at, _c_len in rows
            ):
                out = {}
                for n_at, n_len, c_at, c_len in rows:
                    name = data[base + n_at : base + n_at + n_len].decode("utf-8")
                    contents = data[base + c_at : base + c_at + c_len]
                    if contents.startswith(b"// @bun"):
                        out[name] = contents.decode("utf-8")
                if out:
                    return out
    raise ExtractError(f"{path}: the Bun module table before the trailer has a layout this script does not know")


def cli_version(modules: dict[str, str]) -> str:
    """The version every chunk states in its header ("// Version: 2.1.332")."""
    found = {
        m.group(1) for text in modules.values() for m in [re.search(r"^// Version: (\S+)$", text[:2000], re.M)] if m
    }
    if len(found) != 1:
        raise ExtractError(f"expected one '// Version:' in the chunk headers, found {sorted(found) or 'none'}")
    return found.pop()


# ----------------------------------------------------------------------------- tokens

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>//[^\n]*|/\*.*?\*/)
    |(?P<id>(?:[A-Za-z_$\u00a0-\U0010ffff]|\\u\{[0-9a-fA-F]+\}|\\u[0-9a-fA-F]{4})
       (?:[\w$\u00a0-\U0010ffff]|\\u\{[0-9a-fA-F]+\}|\\u[0-9a-fA-F]{4})*)
    |(?P<num>0[xXoObB][0-9a-fA-F_]+n?|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?n?)
    |(?P<str>"(?:[^"\\\n]|\\.|\\\n)*"|'(?:[^'\\\n]|\\.|\\\n)*')
    |(?P<tpl>`)
    |(?P<punct>>>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|\?\?=|&&=|\|\|=|=>|==|!=|<=|>=|&&|\|\||\?\?|\?\.(?!\d)
       |\+\+|--|\+=|-=|\*=|/=|%=|&=|\|=|\^=|\*\*|<<|>>|[{}()\[\];,<>+\-*/%&|^!~?:=.@#])""",
    re.S | re.X,
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
# After these words a "/" starts a regular expression, after other identifiers it divides.
_BEFORE_REGEX = {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else"}
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


class Tok:
    __slots__ = ("kind", "nl", "pos", "text")

    def __init__(self, kind, text, pos, nl):
        self.kind, self.text, self.pos, self.nl = kind, text, pos, nl

    def __repr__(self):
        return f"{self.kind}:{self.text[:40]}"


def js_string(literal: str) -> str:
    """The value of a JavaScript string literal (quotes included)."""
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        d = body[i + 1]
        if d in _ESCAPES and not (d == "0" and body[i + 2 : i + 3].isdigit()):
            out.append(_ESCAPES[d])
            i += 2
        elif d == "x":
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        elif d == "u" and body[i + 2] == "{":
            k = body.index("}", i)
            out.append(chr(int(body[i + 3 : k], 16)))
            i = k + 1
        elif d == "u":
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        elif d in "\r\n\u2028\u2029":
            i += 2
        else:
            out.append(d)
            i += 2
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16")


def _skip_regex(text, i):
    i += 1
    in_class = False
    while True:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "\n":
            raise ExtractError(f"unterminated regular expression at {i}")
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "/":
            i += 1
            while i < len(text) and (text[i].isalnum() or text[i] in "_$"):
                i += 1
            return i
        i += 1


def tokenize(text: str):
    """Tokens of a chunk and, for each opening bracket, the index of its closing one.

    A template literal is one token (its ${...} parts are scanned, then dropped)."""
    toks, pairs = [], {}
    _scan(text, 0, toks, pairs, False)
    return toks, pairs


def _scan(text, i, toks, pairs, in_template):
    """Tokenize from i; inside a template's ${...} stop at the "}" that closes it (its index)."""
    stack, n, nl, prev = [], len(text), False, None
    first = len(toks)
    while i < n:
        m = _TOKEN.match(text, i)
        if m is None:
            raise ExtractError(f"cannot tokenize at {i}: {text[i : i + 40]!r}")
        kind, piece = m.lastgroup, m.group()
        if kind == "ws" or kind == "comment":
            nl = nl or "\n" in piece
            i = m.end()
            continue
        if kind == "tpl":
            end = _skip_template(text, i)
            tok = Tok("tpl", text[i:end], i, nl)
            i = end
        elif piece in ("/", "/="):
            regex = prev is None or (
                (prev.kind == "punct" and prev.text not in (")", "]", "}"))
                or (prev.kind == "id" and prev.text in _BEFORE_REGEX)
            )
            if regex:
                end = _skip_regex(text, i)
                tok = Tok("regex", text[i:end], i, nl)
                i = end
            else:
                tok = Tok("punct", piece, i, nl)
                i = m.end()
        else:
            if in_template and piece == "}" and not stack:
                del toks[first:]
                return i
            tok = Tok(kind, piece, i, nl)
            i = m.end()
        if tok.kind == "punct":
            if tok.text in _OPEN:
                stack.append(len(toks))
            elif tok.text in (")", "]", "}"):
                if not stack or _OPEN[toks[stack[-1]].text] != tok.text:
                    raise ExtractError(
                        f"unbalanced {tok.text!r} at {tok.pos}: {text[max(0, tok.pos - 60) : tok.pos + 20]!r}"
                    )
                pairs[stack.pop()] = len(toks)
        toks.append(tok)
        prev, nl = tok, False
    if stack or in_template:
        raise ExtractError("unclosed bracket or template at end of chunk")
    return i


def _skip_template(text, i):
    """Index after the template literal starting at text[i] (a backquote)."""
    i += 1
    while True:
        c = text[i]
        if c == "\\":
            i += 2
        elif c == "`":
            return i + 1
        elif c == "$" and text[i + 1] == "{":
            i = _scan(text, i + 2, [], {}, True) + 1
        else:
            i += 1


# ----------------------------------------------------------------------------- chunks and their names

_DECL_END = {"var", "let", "const", "function", "class", "import", "export", "if", "for", "return", "async"}


class Chunk:
    """One module of the bundle: its tokens, top-level definitions, imports and exports."""

    def __init__(self, program, name, text):
        self.program, self.name, self.text = program, name, text
        self._toks = None

    @property
    def toks(self):
        self.index()
        return self._toks

    def index(self):
        """Tokenise the chunk and index its definitions, once."""
        if self._toks is None:
            self._toks, self.pairs = tokenize(self.text)
            self._index()

    def _index(self):
        """Top-level function, class and variable definitions; import and export lists."""
        toks, pairs = self._toks, self.pairs
        self.defs, self.imports, self.exports = {}, {}, {}
        i, n = 0, len(toks)
        while i < n:
            t = toks[i]
            if t.kind == "punct" and t.text in _OPEN:
                i = pairs[i] + 1
                continue
            if t.kind != "id":
                i += 1
                continue
            word = t.text
            if word == "function" or (word == "async" and i + 1 < n and toks[i + 1].text == "function"):
                j = i + (2 if word == "async" else 1)
                if toks[j].text == "*":
                    j += 1
                if toks[j].kind == "id" and toks[j + 1].text == "(":
                    body = pairs[j + 1] + 1
                    self.defs[toks[j].text] = ("function", j + 1, body)
                    i = pairs[body] + 1
                    continue
                i = j
            elif word == "class" and toks[i + 1].kind == "id":
                j = i + 2
                while toks[j].text != "{":
                    j = pairs[j] + 1 if toks[j].text in _OPEN else j + 1
                self.defs[toks[i + 1].text] = ("class", i + 2, j)
                i = pairs[j] + 1
            elif word in ("var", "let", "const"):
                i = self._declarators(i + 1)
            elif word == "import" and toks[i + 1].text == "{":
                close = pairs[i + 1]
                source = js_string(toks[close + 2].text)
                for a, b in _split(toks, pairs, i + 2, close):
                    names = [x.text for x in toks[a:b]]
                    self.imports[names[-1]] = (source, names[0])
                i = close + 3
            elif word == "export" and toks[i + 1].text == "{":
                close = pairs[i + 1]
                for a, b in _split(toks, pairs, i + 2, close):
                    names = [x.text for x in toks[a:b]]
                    self.exports[names[-1]] = names[0]
                i = close + 1
            else:
                i += 1

    def _declarators(self, i):
        toks, pairs, n = self._toks, self.pairs, len(self._toks)
        while i < n:
            name = toks[i].text if toks[i].kind == "id" else None
            j = pairs[i] + 1 if toks[i].text in _OPEN else i + 1
            start = None
            if j < n and toks[j].text == "=":
                start = j = j + 1
            while j < n:
                t = toks[j]
                if t.kind == "punct" and t.text in (",", ";"):
                    break
                if t.nl and j > (start or i) and t.kind == "id" and t.text in _DECL_END:
                    break
                j = pairs[j] + 1 if t.kind == "punct" and t.text in _OPEN else j + 1
            if name is not None and start is not None:
                self.defs[name] = ("var", start, j)
            if j >= n or toks[j].text != ",":
                return j + 1 if j < n and toks[j].text == ";" else j
            i = j + 1
        return i

    def resolve(self, name, seen=()):
        """(chunk, definition) of a top-level name of this chunk, following imports; or None."""
        self.index()
        if name in self.defs:
            return self, self.defs[name]
        if name in self.imports and (self.name, name) not in seen:
            source, exported = self.imports[name]
            target = self.program.chunk(source)
            if target is None:
                return None
            target.index()
            local = target.exports.get(exported, exported)
            return target.resolve(local, seen + ((self.name, name),))
        return None


def _split(toks, pairs, i, j, sep=","):
    """[(start, end)] of the parts of toks[i:j] between top-level separators (empty parts dropped)."""
    parts, start = [], i
    while i < j:
        t = toks[i]
        if t.kind == "punct" and t.text in _OPEN:
            i = pairs[i] + 1
            continue
        if t.kind == "punct" and t.text == sep:
            if i > start:
                parts.append((start, i))
            start = i + 1
        i += 1
    if j > start:
        parts.append((start, j))
    return parts


class Program:
    """The chunks of one executable, tokenized on demand."""

    def __init__(self, modules):
        self.modules = modules
        self.chunks = {}

    def chunk(self, name):
        if name not in self.modules:
            return None
        if name not in self.chunks:
            self.chunks[name] = Chunk(self, name, self.modules[name])
        return self.chunks[name]

    def chunks_with(self, needle):
        return [self.chunk(name) for name, text in self.modules.items() if needle in text]


# ----------------------------------------------------------------------------- a small evaluator
# Enough of JavaScript to evaluate schema declarations: literals, objects, arrays, closures, calls,
# `new`, member access, the usual operators, and function bodies made of declarations, `if` and
# `return`. What it cannot know (a parameter, an environment variable) is Unknown; an `if` on an
# Unknown runs its branch unless that branch returns or throws.


class _Undefined:
    def __repr__(self):
        return "undefined"


UNDEF = _Undefined()


class Unknown:
    __slots__ = ("label",)

    def __init__(self, label=None):
        self.label = label

    def __repr__(self):
        return f"Unknown({self.label})" if self.label else "Unknown"


UNKNOWN = Unknown()


class Closure:
    __slots__ = ("block", "body", "chunk", "env", "key", "params")

    def __init__(self, chunk, params, body, block, env, key=None):
        self.chunk, self.params, self.body, self.block, self.env, self.key = chunk, params, body, block, env, key


class ClassRef:
    __slots__ = ("body", "chunk", "head")

    def __init__(self, chunk, head, body):
        self.chunk, self.head, self.body = chunk, head, body


class ZodClass:
    """A class of zod 4 (`var X = $constructor("ZodString", init)`): its kind from its name."""

    __slots__ = ("kind",)

    def __init__(self, name):
        self.kind = _ZOD_KINDS.get(name) or ("string" if name.startswith("ZodString") else "any")


# zod 4 class names -> the kinds make_schema knows (the CLI bundled zod 4 up to about 2.1.29x).
_ZOD_KINDS = {
    "ZodString": "string", "ZodURL": "string", "ZodEmail": "string", "ZodUUID": "string", "ZodGUID": "string",
    "ZodNumber": "number", "ZodNumberFormat": "integer", "ZodBoolean": "boolean", "ZodObject": "object",
    "ZodArray": "array", "ZodRecord": "record", "ZodMap": "record", "ZodEnum": "enum", "ZodLiteral": "literal",
    "ZodUnion": "union", "ZodDiscriminatedUnion": "union", "ZodIntersection": "intersection", "ZodPipe": "pipe",
    "ZodPreprocess": "pipe", "ZodLazy": "lazy", "ZodOptional": "optional", "ZodNullable": "nullable",
    "ZodDefault": "default", "ZodPrefault": "prefault", "ZodCatch": "catch", "ZodReadonly": "readonly",
    "ZodTransform": "transform", "ZodNull": "null", "ZodUndefined": "undefined", "ZodNever": "never",
    "ZodTuple": "tuple", "ZodSet": "set", "ZodTemplateLiteral": "template_literal",
}  # fmt: skip


class Instance:
    """`new C()` of a class that is not a schema: its methods can be called (`this` is Unknown)."""

    __slots__ = ("cls",)

    def __init__(self, cls):
        self.cls = cls


class JsObject:
    """An object literal: entries in order, and the condition under which a spread added each."""

    __slots__ = ("entries", "when")

    def __init__(self, entries=None, when=None):
        self.entries = entries if entries is not None else {}
        self.when = when if when is not None else {}


class Cond:
    """`test && value` where test is Unknown: value, present only when `label` holds."""

    __slots__ = ("label", "value")

    def __init__(self, value, label):
        self.value, self.label = value, label


class Schema:
    __slots__ = ("attrs", "kind")

    def __init__(self, kind, **attrs):
        self.kind, self.attrs = kind, attrs

    def but(self, kind=None, **attrs):
        return Schema(kind or self.kind, **dict(self.attrs, **attrs))

    def __repr__(self):
        return f"Schema({self.kind}, {self.attrs})"


class Builtin:
    """A few of JavaScript's own functions, as the schema declarations use them."""

    __slots__ = ("name", "target")

    def __init__(self, name, target=None):
        self.name, self.target = name, target


class Bound:
    __slots__ = ("name", "schema")

    def __init__(self, schema, name):
        self.schema, self.name = schema, name


class _Abort(Exception):
    """A `throw` was reached, or the evaluation went too deep."""


class _Return(Exception):
    def __init__(self, value):
        self.value = value


class Env:
    __slots__ = ("chunk", "parent", "vars")

    def __init__(self, chunk, parent=None):
        self.vars, self.parent, self.chunk = {}, parent, chunk

    def lookup(self, name, ev):
        env = self
        while env is not None:
            if name in env.vars:
                return env.vars[name]
            env = env.parent
        return ev.global_value(self.chunk, name)

    def assign(self, name, value):
        env = self
        while env is not None:
            if name in env.vars:
                env.vars[name] = value
                return
            env = env.parent


_BINARY = {
    "??": 1,
    "||": 2,
    "&&": 3,
    "|": 4,
    "^": 5,
    "&": 6,
    "==": 7,
    "!=": 7,
    "===": 7,
    "!==": 7,
    "<": 8,
    ">": 8,
    "<=": 8,
    ">=": 8,
    "instanceof": 8,
    "in": 8,
    "<<": 9,
    ">>": 9,
    ">>>": 9,
    "+": 10,
    "-": 10,
    "*": 11,
    "/": 11,
    "%": 11,
    "**": 12,
}
_ASSIGN = {"=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??="}
_KEYWORD_VALUES = {"true": True, "false": False, "null": None, "undefined": UNDEF}
_PASS_THROUGH = {
    # methods of the schema library that keep what a value may be (the key accepts the same input)
    "optional", "nullable", "nullish", "describe", "default", "catch", "meta", "readonly", "prefault",
    "brand", "passthrough", "strict", "strip", "loose", "check", "refine", "superRefine", "transform",
    "overwrite", "trim", "toLowerCase", "toUpperCase", "normalize", "nonempty", "length", "email", "uuid",
    "guid", "cuid", "cuid2", "ulid", "regex", "startsWith", "endsWith", "includes", "datetime", "date",
    "time", "ip", "ipv4", "ipv6", "cidr", "base64", "emoji", "nanoid", "jwt", "finite", "safe", "multipleOf",
    "step", "pipe", "with", "unwrap", "slugify", "lowercase", "uppercase", "hostname", "e164",
}  # fmt: skip


def _truthy(value):
    """True or False when known, None when not."""
    if isinstance(value, (Unknown, Cond)):
        return None
    if value is UNDEF or value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value != 0
    if isinstance(value, str):
        return value != ""
    return True


class Evaluator:
    MAX_DEPTH = 60

    def __init__(self, program):
        self.program = program
        self.depth = 0
        self.globals = {}
        self.class_types = {}
        self.factories = {}

    # -- names of a chunk

    def global_value(self, chunk, name):
        found = chunk.resolve(name)
        if found is None:
            if name in ("Array", "Object"):
                return Builtin(name)
            return Unknown(name if re.fullmatch(r"[A-Z][A-Z0-9_]+", name) else None)
        target, (kind, a, b) = found
        key = (target.name, a)
        if key in self.globals:
            value = self.globals[key]
            return UNKNOWN if value is _PENDING else value
        env = Env(target)
        toks = target.toks
        if (
            kind == "var"
            and b - a >= 3
            and toks[a].kind == "id"
            and toks[a + 1].text == "("
            and toks[a + 2].kind == "str"
            and re.fullmatch(r'"Zod[A-Z]\w*"', toks[a + 2].text)
        ):
            value = ZodClass(js_string(toks[a + 2].text))
        elif kind == "function":
            value = Closure(target, (a + 1, target.pairs[a]), (b + 1, target.pairs[b]), True, env, key)
        elif kind == "class":
            value = ClassRef(target, a, b)
        else:
            self.globals[key] = _PENDING
            try:
                value = self.expr(target, a, b, env)
            except (_Abort, ExtractError, IndexError, KeyError, ValueError):
                value = UNKNOWN
        self.globals[key] = value
        return value

    def class_type(self, cls):
        """The `get type(){return"..."}` of a class of the schema library, looking up `extends`
        (a zod 4 class: the kind its name gives)."""
        if isinstance(cls, ZodClass):
            return cls.kind
        if not isinstance(cls, ClassRef):
            return None
        key = (cls.chunk.name, cls.head)
        if key not in self.class_types:
            self.class_types[key] = None
            toks, pairs = cls.chunk.toks, cls.chunk.pairs
            found = None
            i, end = cls.body + 1, pairs[cls.body]
            while i < end:
                if toks[i].text in _OPEN:
                    i = pairs[i] + 1
                    continue
                if (
                    toks[i].text == "get"
                    and toks[i + 1].text == "type"
                    and toks[i + 2].text == "("
                    and toks[i + 4].text == "{"
                    and toks[i + 5].text == "return"
                    and toks[i + 6].kind == "str"
                ):
                    found = js_string(toks[i + 6].text)
                    break
                i += 1
            if found is None and toks[cls.head].text == "extends":
                found = self.class_type(self.expr(cls.chunk, cls.head + 1, cls.body, Env(cls.chunk)))
            self.class_types[key] = found
        return self.class_types[key]

    def factory(self, closure):
        """(type, integer) when the closure is a factory of the schema library
        (`function r(e){return new StringSchema(e)}`), else None."""
        if closure.key is None or not closure.block:
            return None
        if closure.key not in self.factories:
            self.factories[closure.key] = None
            toks, (i, j) = closure.chunk.toks, closure.body
            # `return new Class(...)`, or (zod 4) `return helper(Class, ...)` with helper making `new Class`
            at = i + 2 if j - i >= 4 and toks[i + 1].text == "new" else i + 3 if toks[i + 2].text == "(" else None
            if toks[i].text == "return" and at is not None and toks[at].kind == "id":
                kind = self.class_type(closure.env.lookup(toks[at].text, self))
                if kind is not None:
                    integer = any(t.kind == "id" and self._says_integer(closure.chunk, t.text) for t in toks[i + 3 : j])
                    self.factories[closure.key] = (kind, integer)
        return self.factories[closure.key]

    def _says_integer(self, chunk, name):
        found = chunk.resolve(name)
        if found is None or found[1][0] != "var":
            return False
        target, (_kind, a, b) = found
        toks = target.toks
        return any(
            toks[k].text == "kind" and toks[k + 1].text == ":" and toks[k + 2].text == '"integer"'
            for k in range(a, min(b, a + 40) - 2)
        )

    # -- expressions

    def expr(self, chunk, i, j, env):
        parser = _Parser(self, chunk, i, j, env)
        value = parser.sequence()
        if parser.pos != j:
            raise ExtractError(f"{chunk.name}: unexpected {chunk.toks[parser.pos]!r} at {chunk.toks[parser.pos].pos}")
        return value

    def call(self, fn, args):
        if isinstance(fn, Bound):
            return schema_method(self, fn.schema, fn.name, args)
        if isinstance(fn, Builtin):
            return self.builtin(fn, args)
        if not isinstance(fn, Closure):
            return UNKNOWN
        made = self.factory(fn)
        if made is not None:
            return make_schema(self, made[0], made[1], args)
        if self.depth >= self.MAX_DEPTH:
            return UNKNOWN
        self.depth += 1
        try:
            env = Env(fn.chunk, fn.env)
            self.bind(fn.chunk, fn.params, env, args)
            if not fn.block:
                return self.expr(fn.chunk, fn.body[0], fn.body[1], env)
            try:
                self.run(fn.chunk, fn.body[0], fn.body[1], env)
            except _Return as ret:
                return ret.value
            return UNDEF
        except _Abort:
            return UNKNOWN
        finally:
            self.depth -= 1

    def builtin(self, fn, args):
        first = args[0] if args else UNDEF
        if fn.name == "Array.isArray":
            return UNKNOWN if isinstance(first, (Unknown, Cond)) else isinstance(first, list)
        if fn.name == "Object.fromEntries" and isinstance(first, list):
            pairs = [p for p in first if isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)]
            return JsObject(dict(pairs)) if len(pairs) == len(first) else UNKNOWN
        if fn.name in ("Object.keys", "Object.values") and isinstance(first, JsObject):
            return list(first.entries) if fn.name == "Object.keys" else list(first.entries.values())
        if fn.name == "map" and isinstance(fn.target, list) and isinstance(first, Closure):
            return [self.call(first, [item, n]) for n, item in enumerate(fn.target)]
        return UNKNOWN

    def bind(self, chunk, params, env, args):
        toks, pairs = chunk.toks, chunk.pairs
        for n, (a, b) in enumerate(_split(toks, pairs, params[0], params[1])):
            if toks[a].text == "...":
                env.vars[toks[a + 1].text] = UNKNOWN
            elif toks[a].kind == "id" and (b == a + 1 or toks[a + 1].text == "="):
                given = args[n] if n < len(args) else UNDEF
                if given is UNDEF and b > a + 1:
                    given = UNKNOWN  # a default value: not needed by the schema declarations
                env.vars[toks[a].text] = given
            else:  # a destructuring pattern: every name in it is unknown
                for k in range(a, b):
                    if toks[k].kind == "id" and toks[k + 1].text not in (":",):
                        env.vars[toks[k].text] = UNKNOWN

    # -- statements

    def run(self, chunk, i, j, env):
        """Run the statements toks[i:j]; a `return` raises _Return."""
        toks, pairs = chunk.toks, chunk.pairs
        while i < j:
            t = toks[i]
            word = t.text if t.kind == "id" else None
            if t.text == ";":
                i += 1
            elif t.text == "{":
                self.run(chunk, i + 1, pairs[i], env)
                i = pairs[i] + 1
            elif word == "function" and toks[i + 1].kind == "id":
                p = i + 2
                body = pairs[p] + 1
                env.vars[toks[i + 1].text] = Closure(chunk, (p + 1, pairs[p]), (body + 1, pairs[body]), True, env)
                i = pairs[body] + 1
            elif word in ("var", "let", "const"):
                i = self._declare(chunk, i + 1, j, env)
            elif word == "return":
                end = self._statement_end(chunk, i + 1, j)
                raise _Return(self.expr(chunk, i + 1, end, env) if end > i + 1 else UNDEF)
            elif word == "throw":
                raise _Abort()
            elif word == "if":
                test = _truthy(self.expr(chunk, i + 2, pairs[i + 1], env))
                then_at = pairs[i + 1] + 1
                then_end = self._branch_end(chunk, then_at, j)
                else_at = else_end = None
                if then_end < j and toks[then_end].text == "else":
                    else_at = then_end + 1
                    else_end = self._branch_end(chunk, else_at, j)
                if test is True or (test is None and not self._exits(chunk, then_at, then_end)):
                    self.run(chunk, then_at, then_end, env)
                elif test is False and else_at is not None:
                    self.run(chunk, else_at, else_end, env)
                i = else_end if else_end is not None else then_end
            elif word in ("for", "while", "switch", "with", "catch"):
                i = self._branch_end(chunk, pairs[i + 1] + 1, j)
            elif word in ("do", "try", "finally", "class"):
                k = i + 1
                while toks[k].text != "{":
                    k += 1
                i = pairs[k] + 1
                if word == "do":
                    i = pairs[i + 1] + 1
            else:
                end = self._statement_end(chunk, i, j)
                try:
                    self.expr(chunk, i, end, env)
                except (ExtractError, IndexError, KeyError, ValueError):
                    pass
                i = end

    def _declare(self, chunk, i, j, env):
        toks, pairs = chunk.toks, chunk.pairs
        end = self._statement_end(chunk, i, j)
        for a, b in _split(toks, pairs, i, end):
            if toks[a].kind == "id":
                env.vars[toks[a].text] = self.expr(chunk, a + 2, b, env) if b > a + 1 else UNDEF
            else:
                for k in range(a, b):
                    if toks[k].kind == "id":
                        env.vars[toks[k].text] = UNKNOWN
        return end

    def _statement_end(self, chunk, i, j):
        toks, pairs = chunk.toks, chunk.pairs
        k = i
        while k < j:
            t = toks[k]
            if t.text == ";" and t.kind == "punct":
                return k
            if k > i and t.nl and t.kind == "id" and t.text in _DECL_END and toks[k - 1].text not in ("=", ",", "("):
                return k
            k = pairs[k] + 1 if t.kind == "punct" and t.text in _OPEN else k + 1
        return j

    def _branch_end(self, chunk, i, j):
        toks, pairs = chunk.toks, chunk.pairs
        if toks[i].text == "{":
            return pairs[i] + 1
        if toks[i].text == "if":
            end = self._branch_end(chunk, pairs[i + 1] + 1, j)
            if end < j and toks[end].text == "else":
                return self._branch_end(chunk, end + 1, j)
            return end
        if toks[i].text in ("for", "while"):
            return self._branch_end(chunk, pairs[i + 1] + 1, j)
        end = self._statement_end(chunk, i, j)
        return end + 1 if end < j and toks[end].text == ";" else end

    def _exits(self, chunk, i, j):
        toks = chunk.toks
        if toks[i].text == "{":
            i += 1
        return toks[i].text in ("return", "throw")


_PENDING = object()


class _Parser:
    """Recursive descent over toks[i:j], evaluating as it goes."""

    def __init__(self, ev, chunk, i, j, env):
        self.ev, self.chunk, self.toks, self.pairs = ev, chunk, chunk.toks, chunk.pairs
        self.pos, self.end, self.env = i, j, env

    def peek(self, k=0):
        at = self.pos + k
        return self.toks[at] if at < self.end else None

    def at(self, text, k=0):
        t = self.peek(k)
        return t is not None and t.text == text and t.kind in ("punct", "id")

    def take(self, text):
        if not self.at(text):
            t = self.peek()
            raise ExtractError(f"{self.chunk.name}: expected {text!r}, got {t!r} at {t.pos if t else 'end'}")
        self.pos += 1

    def sequence(self):
        value = self.assign()
        while self.at(","):
            self.pos += 1
            value = self.assign()
        return value

    def _arrow(self):
        """A closure when an arrow function starts here, else None."""
        t = self.peek()
        start = self.pos
        if t.text == "async" and self.at("(", 1) and self._is(self.pairs[self.pos + 1] + 1, "=>"):
            self.pos += 1
            t = self.peek()
        if t.kind == "id" and self.at("=>", 1):
            params = (self.pos, self.pos + 1)
            self.pos += 2
        elif t.text == "(" and t.kind == "punct" and self._is(self.pairs[self.pos] + 1, "=>"):
            params = (self.pos + 1, self.pairs[self.pos])
            self.pos = self.pairs[self.pos] + 2
        else:
            self.pos = start
            return None
        if self.at("{"):
            body = (self.pos + 1, self.pairs[self.pos])
            self.pos = self.pairs[self.pos] + 1
            return Closure(self.chunk, params, body, True, self.env)
        k = self.pos
        while k < self.end:
            tk = self.toks[k]
            if tk.kind == "punct" and tk.text in (",", ")", "]", "}", ";"):
                break
            k = self.pairs[k] + 1 if tk.kind == "punct" and tk.text in _OPEN else k + 1
        body = (self.pos, k)
        self.pos = k
        return Closure(self.chunk, params, body, False, self.env)

    def _is(self, k, text):
        return k < self.end and self.toks[k].text == text

    def assign(self):
        arrow = self._arrow()
        if arrow is not None:
            return arrow
        t, nxt = self.peek(), self.peek(1)
        if t.kind == "id" and nxt is not None and nxt.kind == "punct" and nxt.text in _ASSIGN:
            name, op = t.text, nxt.text
            self.pos += 2
            value = self.assign()
            if op == "=":
                self.env.assign(name, value)
            elif op in ("??=", "||=", "&&="):
                old = self.env.lookup(name, self.ev)
                known = (
                    _truthy(old)
                    if op != "??="
                    else (None if isinstance(old, Unknown) else old is not UNDEF and old is not None)
                )
                if op == "&&=":
                    value = value if known else old
                elif known is True:
                    value = old
                self.env.assign(name, value)
            else:
                value = UNKNOWN
            return value
        value = self.conditional()
        t = self.peek()
        if t is not None and t.kind == "punct" and t.text in _ASSIGN:
            self.pos += 1
            return self.assign()
        return value

    def conditional(self):
        test = self.binary(1)
        if not self.at("?"):
            return test
        self.pos += 1
        yes = self.assign()
        self.take(":")
        no = self.assign()
        known = _truthy(test)
        if known is True:
            return yes
        if known is False:
            return no
        if isinstance(yes, Schema) or not isinstance(no, Schema):
            return yes
        return no

    def binary(self, level):
        left = self.unary()
        while True:
            t = self.peek()
            if t is None or t.kind not in ("punct", "id"):
                return left
            prec = _BINARY.get(t.text)
            if prec is None or prec < level or (t.kind == "id" and t.text not in ("in", "instanceof")):
                return left
            self.pos += 1
            right = self.binary(prec + 1 if t.text != "**" else prec)
            left = _operate(t.text, left, right)

    def unary(self):
        t = self.peek()
        if t.kind == "punct" and t.text in ("!", "-", "+", "~", "++", "--"):
            self.pos += 1
            value = self.unary()
            if t.text == "!":
                known = _truthy(value)
                return UNKNOWN if known is None else not known
            if t.text == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
                return -value
            if t.text == "+" and isinstance(value, (int, float)):
                return value
            return UNKNOWN
        if t.kind == "id" and t.text in ("typeof", "void", "delete", "await"):
            self.pos += 1
            self.unary()
            return UNDEF if t.text == "void" else UNKNOWN
        return self.postfix()

    def postfix(self):
        value = self.primary()
        while True:
            t = self.peek()
            if t is None:
                return value
            if t.kind == "punct" and t.text in (".", "?."):
                self.pos += 1
                if self.at("("):
                    value = self.ev.call(value, self.arguments())
                elif self.at("["):
                    inner = self._bracket()
                    value = member(self.ev, value, inner)
                else:
                    name = self.peek().text
                    if self.peek().text == "#":
                        self.pos += 1
                        name = "#" + self.peek().text
                    self.pos += 1
                    value = member(self.ev, value, name)
            elif t.kind == "punct" and t.text == "[":
                value = member(self.ev, value, self._bracket())
            elif t.kind == "punct" and t.text == "(":
                value = self.ev.call(value, self.arguments())
            elif t.kind == "tpl" or (t.kind == "punct" and t.text in ("++", "--") and not t.nl):
                self.pos += 1
                value = UNKNOWN
            else:
                return value

    def _bracket(self):
        close = self.pairs[self.pos]
        inner = self.ev.expr(self.chunk, self.pos + 1, close, self.env)
        self.pos = close + 1
        return inner

    def arguments(self):
        close = self.pairs[self.pos]
        args = []
        for a, b in _split(self.toks, self.pairs, self.pos + 1, close):
            if self.toks[a].text == "...":
                spread = self.ev.expr(self.chunk, a + 1, b, self.env)
                args.extend(spread if isinstance(spread, list) else [UNKNOWN])
            else:
                args.append(self.ev.expr(self.chunk, a, b, self.env))
        self.pos = close + 1
        return args

    def primary(self):
        t = self.peek()
        if t is None:
            raise ExtractError(f"{self.chunk.name}: expression ends too early")
        self.pos += 1
        if t.kind == "num":
            text = t.text.replace("_", "").rstrip("n")
            if text[:2].lower() in ("0x", "0o", "0b"):
                return int(text, 0)
            number = float(text)
            return int(number) if number.is_integer() else number
        if t.kind == "str":
            return js_string(t.text)
        if t.kind == "tpl":
            return template_text(t.text)
        if t.kind == "regex":
            return UNKNOWN
        if t.kind == "punct":
            if t.text == "(":
                close = self.pairs[self.pos - 1]
                value = self.ev.expr(self.chunk, self.pos, close, self.env)
                self.pos = close + 1
                return value
            if t.text == "[":
                return self._array()
            if t.text == "{":
                return self._object()
            raise ExtractError(f"{self.chunk.name}: unexpected {t.text!r} at {t.pos}")
        word = t.text
        if word in _KEYWORD_VALUES:
            return _KEYWORD_VALUES[word]
        if word == "new":
            return self._new()
        if word == "function":
            if self.peek().kind == "id" and self.peek().text != "(":
                self.pos += 1
            if self.at("*"):
                self.pos += 1
            params = (self.pos + 1, self.pairs[self.pos])
            body = self.pairs[self.pos] + 1
            self.pos = self.pairs[body] + 1
            return Closure(self.chunk, params, (body + 1, self.pairs[body]), True, self.env)
        if word == "class":
            while not self.at("{"):
                self.pos += 1
            self.pos = self.pairs[self.pos] + 1
            return UNKNOWN
        if word in ("this", "super", "arguments", "import"):
            return UNKNOWN
        if word == "async":
            return self.primary()
        return self.env.lookup(word, self.ev)

    def _new(self):
        if self.at("."):  # new.target
            self.pos += 2
            return UNKNOWN
        callee = self.primary()
        while self.at("."):
            self.pos += 1
            callee = member(self.ev, callee, self.peek().text)
            self.pos += 1
        args = self.arguments() if self.at("(") else []
        kind = self.ev.class_type(callee)
        if kind is not None:
            if isinstance(callee, ZodClass) and args and isinstance(args[0], JsObject):
                return zod_def_schema(self.ev, kind, args[0])
            return make_schema(self.ev, kind, False, args, constructor=True)
        if isinstance(callee, ClassRef):
            return Instance(callee)
        return UNKNOWN

    def _array(self):
        close = self.pairs[self.pos - 1]
        out = []
        for a, b in _split(self.toks, self.pairs, self.pos, close):
            if self.toks[a].text == "...":
                spread = self.ev.expr(self.chunk, a + 1, b, self.env)
                if isinstance(spread, list):
                    out.extend(spread)
                else:
                    out.append(UNKNOWN)
            else:
                out.append(self.ev.expr(self.chunk, a, b, self.env))
        self.pos = close + 1
        return out

    def _object(self):
        close = self.pairs[self.pos - 1]
        obj = JsObject()
        toks = self.toks
        for a, b in _split(toks, self.pairs, self.pos, close):
            t = toks[a]
            if t.text == "...":
                spread = self.ev.expr(self.chunk, a + 1, b, self.env)
                label = None
                if isinstance(spread, Cond):
                    spread, label = spread.value, spread.label
                if isinstance(spread, JsObject):
                    for key, value in spread.entries.items():
                        obj.entries[key] = value
                        when = spread.when.get(key) or label
                        if when:
                            obj.when[key] = when
                continue
            k = a
            if t.text in ("get", "set", "async") and toks[a + 1].text not in (":", "(", ",") and a + 1 < b:
                k = a + 1
            if toks[k].text == "*":
                k += 1
            key_tok = toks[k]
            if key_tok.text == "[":
                key = self.ev.expr(self.chunk, k + 1, self.pairs[k], self.env)
                k = self.pairs[k] + 1
                if not isinstance(key, str):
                    continue
            else:
                key = js_string(key_tok.text) if key_tok.kind == "str" else key_tok.text
                k += 1
            if k == b:  # shorthand {name}
                obj.entries[key] = self.env.lookup(key, self.ev)
            elif toks[k].text == ":":
                obj.entries[key] = self.ev.expr(self.chunk, k + 1, b, self.env)
            elif toks[k].text == "(":  # method
                body = self.pairs[k] + 1
                obj.entries[key] = Closure(
                    self.chunk, (k + 1, self.pairs[k]), (body + 1, self.pairs[body]), True, self.env
                )
            elif toks[k].text == "=":  # a default in a pattern
                obj.entries[key] = UNKNOWN
        self.pos = close + 1
        return obj


def template_text(raw):
    """A template literal's text with each ${...} part shown as "…"."""
    out, i = [], 1
    while i < len(raw) - 1:
        c = raw[i]
        if c == "\\":
            out.append(raw[i : i + 2])
            i += 2
        elif c == "$" and raw[i + 1] == "{":
            toks, _pairs = [], {}
            i = _scan(raw, i + 2, toks, _pairs, True) + 1
            out.append("…")
        else:
            out.append(c)
            i += 1
    return js_string('"' + "".join(out).replace('"', '\\"').replace("\n", "\\n") + '"')


def _operate(op, left, right):
    """A binary operator; with an Unknown left side, `??` and `||` give the right side, `&&` gives
    the right side present under a condition (Cond)."""
    if op in ("&&", "||", "??"):
        known = _truthy(left)
        if op == "??":
            known = None if isinstance(left, (Unknown, Cond)) else not (left is UNDEF or left is None)
        if op == "&&":
            if known is None:
                label = left.label if isinstance(left, Unknown) else None
                return Cond(right, label or "a condition") if _truthy(right) is not False else UNKNOWN
            return right if known else left
        return left if known else right
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
    if op in ("===", "==", "!==", "!="):
        if all(isinstance(v, (int, float, str, bool)) or v is None or v is UNDEF for v in (left, right)):
            same = left == right and type(left) is type(right)
            return same if op in ("===", "==") else not same
        return UNKNOWN
    if numbers:
        try:
            return {
                "+": lambda: left + right,
                "-": lambda: left - right,
                "*": lambda: left * right,
                "/": lambda: left / right if right else float("inf"),
                "**": lambda: left**right,
                "<": lambda: left < right,
                ">": lambda: left > right,
                "<=": lambda: left <= right,
                ">=": lambda: left >= right,
            }.get(op, lambda: UNKNOWN)()
        except (OverflowError, ZeroDivisionError):
            return UNKNOWN
    if op == "+" and isinstance(left, str) and isinstance(right, str):
        return left + right
    return UNKNOWN


def member(ev, value, name):
    if isinstance(value, Cond):
        value = value.value
    if isinstance(value, JsObject):
        return value.entries.get(name, UNDEF) if isinstance(name, str) else UNKNOWN
    if isinstance(value, list):
        if isinstance(name, int) and 0 <= name < len(value):
            return value[name]
        if name == "map":
            return Builtin("map", value)
        return len(value) if name == "length" else UNKNOWN
    if isinstance(value, Builtin) and value.target is None and isinstance(name, str):
        return Builtin(f"{value.name}.{name}")
    if isinstance(value, Schema):
        if name == "shape" and value.kind == "object":
            return JsObject(dict(value.attrs.get("props", {})))
        if name == "element" and value.kind == "array":
            return value.attrs.get("items", Schema("any"))
        return Bound(value, name) if isinstance(name, str) else UNKNOWN
    if isinstance(value, Instance) and isinstance(name, str):
        return _method(value.cls, name)
    if isinstance(name, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", name):
        return Unknown(name)
    return UNKNOWN


def _method(cls, name):
    """A method `name(...){...}` of a class body, as a closure."""
    toks, pairs = cls.chunk.toks, cls.chunk.pairs
    i, end = cls.body + 1, pairs[cls.body]
    while i < end:
        if toks[i].text == "(" and i > cls.body + 1 and toks[i - 1].text == name and toks[i - 2].text != ".":
            body = pairs[i] + 1
            if toks[body].text == "{":
                return Closure(cls.chunk, (i + 1, pairs[i]), (body + 1, pairs[body]), True, Env(cls.chunk))
        i = pairs[i] + 1 if toks[i].text in _OPEN and toks[i].text != "(" else i + 1
    return UNKNOWN


# ----------------------------------------------------------------------------- schemas


def as_schema(ev, value):
    """A schema from a value found where one is expected (a thunk is called)."""
    if isinstance(value, Cond):
        value = value.value
    if isinstance(value, Schema):
        return value
    if isinstance(value, Closure):
        return as_schema(ev, ev.call(value, []))
    return Schema("unknown")


def _shape(ev, value):
    return dict(value.entries) if isinstance(value, JsObject) else {}


def make_schema(ev, kind, integer, args, constructor=False):
    """The schema a factory (or constructor) of the library's class of type `kind` makes."""
    first = args[0] if args else UNDEF
    if kind in ("string", "template_literal"):
        return Schema("string")
    if kind == "number":
        return Schema("integer" if integer else "number")
    if kind in ("boolean", "null", "undefined", "never", "bigint", "date", "symbol", "nan", "void"):
        return Schema(kind)
    if kind == "object":
        return Schema("object", props=_shape(ev, first))
    if kind in ("array", "set"):
        return Schema("array", items=as_schema(ev, first) if args else Schema("any"))
    if kind == "tuple":
        return Schema("array", items=Schema("any"))
    if kind in ("record", "map"):
        return Schema("record", values=as_schema(ev, args[1] if len(args) > 1 else first))
    if kind == "enum":
        values = first.entries.values() if isinstance(first, JsObject) else first if isinstance(first, list) else []
        return Schema("enum", values=[v for v in values if isinstance(v, (str, int, float))])
    if kind == "literal":
        values = first if isinstance(first, list) else [first]
        return Schema("enum", values=[v for v in values if isinstance(v, (str, int, float, bool))])
    if kind == "union":
        return _union([as_schema(ev, v) for v in first] if isinstance(first, list) else [Schema("unknown")])
    if kind == "intersection":
        return Schema("intersection", options=[as_schema(ev, v) for v in args[:2]])
    if kind == "pipe":
        if constructor and isinstance(first, Schema) and first.kind != "transform":
            return first
        return as_schema(ev, args[-1]) if args else Schema("unknown")
    if kind == "lazy":
        return as_schema(ev, first)
    if kind in ("optional", "nullable", "default", "catch", "prefault", "readonly", "nonoptional", "success"):
        return as_schema(ev, first)
    if kind == "transform":
        return Schema("transform")
    return Schema("any")


def zod_def_schema(ev, kind, definition):
    """The schema `new ZodX({type, ...})` makes: its definition's fields by kind (zod 4)."""
    d = definition.entries
    by_kind = {
        "object": ["shape"],
        "array": ["element"],
        "set": ["valueType"],
        "record": ["keyType", "valueType"],
        "enum": ["entries"],
        "literal": ["values"],
        "union": ["options"],
        "intersection": ["left", "right"],
        "pipe": ["in", "out"],
        "lazy": ["getter"],
    }
    args = [d.get(field, UNDEF) for field in by_kind.get(kind, ["innerType"])]
    if kind == "object" and isinstance(args[0], Closure):  # `get shape(){...}`
        args[0] = ev.call(args[0], [])
    if kind == "pipe" and isinstance(args[0], Schema) and args[0].kind != "transform":
        return args[0]
    return make_schema(ev, kind, d.get("format") in ("safeint", "int32", "uint32"), args)


def _union(options):
    flat = []
    for option in options:
        for o in option.attrs["options"] if option.kind == "union" else [option]:
            if o.kind not in ("undefined", "never") and o not in flat:
                flat.append(o)
    if len(flat) == 1:
        return flat[0]
    return Schema("union", options=flat)


def _bound(schema, which, value, exclusive=False):
    attrs = dict(schema.attrs)
    attrs[which] = (value, exclusive)
    return Schema(schema.kind, **attrs)


def schema_method(ev, schema, name, args):
    """A method of the library's schemas, by name."""
    first = args[0] if args else UNDEF
    number = schema.kind in ("number", "integer")
    if name == "describe" and isinstance(first, str):
        return schema.but(description=first)
    if name in ("int", "safe") and number:
        return schema.but("integer")
    if number and isinstance(first, (int, float)) and not isinstance(first, bool):
        if name in ("min", "gte"):
            return _bound(schema, "minimum", first)
        if name == "gt":
            return _bound(schema, "minimum", first, True)
        if name in ("max", "lte"):
            return _bound(schema, "maximum", first)
        if name == "lt":
            return _bound(schema, "maximum", first, True)
    if number and name == "positive":
        return _bound(schema, "minimum", 0, True)
    if number and name == "nonnegative":
        return _bound(schema, "minimum", 0)
    if number and name == "negative":
        return _bound(schema, "maximum", 0, True)
    if number and name == "nonpositive":
        return _bound(schema, "maximum", 0)
    if name in ("min", "max", "gte", "lte", "gt", "lt", "positive", "nonnegative") or name in _PASS_THROUGH:
        return schema
    if name == "array":
        return Schema("array", items=schema)
    if name == "or":
        return _union([schema, as_schema(ev, first)])
    if name == "and":
        return Schema("intersection", options=[schema, as_schema(ev, first)])
    if name in ("extend", "safeExtend", "merge") and schema.kind == "object":
        extra = as_schema(ev, first).attrs.get("props", {}) if isinstance(first, Schema) else _shape(ev, first)
        return schema.but(props=dict(schema.attrs.get("props", {}), **extra))
    if name in ("omit", "pick") and schema.kind == "object" and isinstance(first, JsObject):
        props = schema.attrs.get("props", {})
        chosen = set(first.entries)
        keep = {k: v for k, v in props.items() if (k in chosen) == (name == "pick")}
        return schema.but(props=keep)
    if name in ("partial", "required", "strict", "deepPartial", "catchall", "keyof") and schema.kind == "object":
        return schema
    return schema


def to_json(schema, depth=0):
    """What a schema accepts, in JSON Schema words (nested types to depth 2)."""
    if depth > 2:
        return {}
    kind, a = schema.kind, schema.attrs
    if kind in ("string", "boolean", "null"):
        return {"type": kind}
    if kind in ("integer", "number"):
        out = {"type": kind}
        for which in ("minimum", "maximum"):
            if which in a:
                value, exclusive = a[which]
                if kind == "integer" and exclusive:
                    value = value + 1 if which == "minimum" else value - 1
                    exclusive = False
                key = ("exclusiveM" + which[1:]) if exclusive else which
                out[key] = value
        return out
    if kind == "enum":
        return {"enum": list(a.get("values", []))}
    if kind == "array":
        return {"type": "array", "items": to_json(a["items"], depth + 1)}
    if kind == "object":
        return {"type": "object"}
    if kind == "record":
        return {"type": "object", "additionalProperties": to_json(a["values"], depth + 1)}
    if kind == "union":
        return {"anyOf": [to_json(o, depth + 1) for o in a["options"]]}
    if kind == "intersection":
        return {"allOf": [to_json(o, depth + 1) for o in a["options"]]}
    if kind in ("undefined", "never"):
        return {"not": {}}
    return {}


def check_type(cli):
    """The type the policy core checks a settings value against (_policy._type_ok) for what the CLI
    accepts: the narrowest of those types that accepts every value the CLI accepts (the CLI may still
    refuse some of them: an integer of at least 40 is checked as "int>=1"), or "json" (unchecked)."""
    if cli is None:
        return "json"
    t = cli.get("type")
    if t == "boolean":
        return "bool"
    if t == "string" or _strings_only(cli):
        return "str" if t == "string" or "anyOf" in cli else "enum:" + ",".join(cli["enum"])
    if t == "integer":
        low = cli.get("minimum", cli.get("exclusiveMinimum"))
        if low is not None and low >= 1:
            return "int>=1"
        if low is not None and low >= 0:
            return "int>=0"
    if t == "number":
        low = cli.get("minimum", cli.get("exclusiveMinimum"))
        high = cli.get("maximum", cli.get("exclusiveMaximum"))
        if low is not None and high is not None and low >= 0 and high <= 1:
            return "num0..1"
    if t == "array" and _strings_only(cli.get("items", {})):
        return "list[str]"
    if t == "object":
        return "dict"
    options = cli.get("anyOf", [])
    if len(options) == 2 and any(_strings_only(o) for o in options):
        other = [o for o in options if not _strings_only(o)]
        if len(other) == 1 and other[0].get("type") == "array" and _strings_only(other[0].get("items", {})):
            return "str|list[str]"
    return "json"


def _strings_only(cli):
    """Whether a type accepts strings only: a string, a string enum, or a union of those."""
    if cli.get("type") == "string":
        return True
    if "enum" in cli:
        return bool(cli["enum"]) and all(isinstance(v, str) and v and "," not in v for v in cli["enum"])
    options = cli.get("anyOf")
    return bool(options) and all(_strings_only(o) for o in options)


# ----------------------------------------------------------------------------- what one executable declares

_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ENV_READERS = {"bool", "triBool", "triBoolOr", "str", "rawStr", "int", "names", "enum"}


def _enclosing_def(chunk, index, kind):
    for name, (k, a, b) in chunk.defs.items():
        if k != kind:
            continue
        end = chunk.pairs[b] if kind == "function" else b
        if a <= index <= end:
            return name
    return None


def settings_schema(program, ev):
    """{key: (schema, condition)} of the CLI's settings schema and its feature-gated shapes."""
    found = []
    for chunk in program.chunks_with("{$schema:()=>"):
        toks = chunk.toks
        for i in range(2, len(toks)):
            if toks[i].text == "$schema" and toks[i - 1].text == "{" and toks[i - 2].text == "return":
                name = _enclosing_def(chunk, i, "function")
                if name is not None:
                    found.append((chunk, name))
    if len(found) != 1:
        where = ", ".join(f"{c.name}:{n}" for c, n in found) or "nowhere"
        raise ExtractError(f"expected one function returning {{$schema:()=>...}}, found {where}")
    chunk, name = found[0]
    shape = ev.call(ev.global_value(chunk, name), [])
    if not isinstance(shape, JsObject) or "$schema" not in shape.entries:
        raise ExtractError(f"{chunk.name}:{name} did not evaluate to the settings object")
    out = {key: (as_schema(ev, value), shape.when.get(key)) for key, value in shape.entries.items()}
    for chunk in program.chunks_with("buildGate:"):
        toks = chunk.toks
        tables = {
            _enclosing_def(chunk, i, "var")
            for i in range(len(toks) - 1)
            if toks[i].text == "buildGate" and toks[i + 1].text == ":"
        }
        for table in sorted(t for t in tables if t):
            features = ev.global_value(chunk, table)
            if not isinstance(features, JsObject):
                continue
            for feature, record in features.entries.items():
                if not isinstance(record, JsObject) or "shape" not in record.entries:
                    continue
                gate = _truthy(ev.call(record.entries.get("buildGate"), []))
                keys = ev.call(record.entries["shape"], [])
                for key, value in _shape(ev, keys).items():
                    label = f"feature {feature}" + ("" if gate is not False else " (built without it)")
                    out.setdefault(key, (as_schema(ev, value), label))
    return out


def _reader_type(method, args):
    first = args[0] if args else UNDEF
    if method in ("bool", "triBool"):
        return {"type": "boolean"} if method == "bool" else {"type": "boolean", "unset": "distinct"}
    if method == "triBoolOr":
        return {"anyOf": [{"type": "boolean", "unset": "distinct"}, {"enum": [first]}]}
    if method == "int":
        out = {"type": "integer"}
        if isinstance(first, JsObject):
            for js, key in (("min", "minimum"), ("max", "maximum")):
                if isinstance(first.entries.get(js), (int, float)):
                    out[key] = first.entries[js]
        return out
    if method == "enum":
        return {"enum": [v for v in first if isinstance(v, str)] if isinstance(first, list) else []}
    if method == "names":
        return {"type": "array", "items": {"type": "string"}, "separator": ","}
    return {"type": "string"}


_REGISTRY = re.compile(r"[\w$]\([\w$]+,\{((?:[A-Za-z_]\w*:\(\)=>[\w$]+,)+[A-Za-z_]\w*:\(\)=>[\w$]+)\}\)")
_REGISTRY_HINT = re.compile(r"\{[A-Z_][A-Z0-9_]*:\(\)=>[\w$]+,[A-Z_][A-Z0-9_]*:\(\)=>")
_GETTER = re.compile(r"([A-Za-z_]\w*):\(\)=>([\w$]+)")
_READER = re.compile(r"(?<![\w$.])([\w$]+)=[\w$]+\.(" + "|".join(sorted(_ENV_READERS)) + r")\(")


def env_registries(program):
    """{NAME: type} of the env registries: `__export(ns, {NAME: () => x, ...})` whose getters are
    declared `x = H.bool()`, `H.str()`, `H.int({min: 0})`, ... (found by text, then evaluated)."""
    out = {}
    for name, text in program.modules.items():
        found = list(_REGISTRY.finditer(text)) if _REGISTRY_HINT.search(text) else None
        if not found:
            continue
        declared = {m.group(1): m for m in _READER.finditer(text)}
        for m in found:
            readers = {}
            for env_name, target in _GETTER.findall(m.group(1)):
                d = declared.get(target)
                if d is None:
                    readers[env_name] = None
                    continue
                open_at = d.end() - 1
                args_text = text[open_at + 1 : _closing_paren(text, open_at)]
                args = _literal_args(program, name, args_text) if args_text.strip() else []
                readers[env_name] = _reader_type(d.group(2), args)
            if sum(kind is not None for kind in readers.values()) >= 3:
                for env_name, kind in readers.items():
                    out[env_name] = kind if kind is not None else {}
    return out


def _closing_paren(text, i):
    """The index of the bracket closing the one at text[i]."""
    depth, k = 0, i
    while True:
        m = _TOKEN.match(text, k)
        piece = m.group()
        if m.lastgroup == "tpl":
            k = _skip_template(text, k)
            continue
        if piece in ("(", "[", "{"):
            depth += 1
        elif piece in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return k
        k = m.end()


def _literal_args(program, chunk_name, args_text):
    """The values of a reader's arguments: literals, or names of the chunk (evaluated there)."""
    scratch = Chunk(program, chunk_name + "#args", args_text)
    toks = scratch.toks
    if any(t.kind == "id" and t.text not in _KEYWORD_VALUES for t in toks):
        chunk = program.chunk(chunk_name)
        env = Env(chunk)
        ev = Evaluator(program)
        values = []
        for a, b in _split(toks, scratch.pairs, 0, len(toks)):
            names = [t.text for t in toks[a:b] if t.kind == "id"]
            if len(names) == 1 and b - a == 1:
                values.append(env.lookup(names[0], ev))
            else:
                values.append(ev.expr(scratch, a, b, Env(scratch, env)))
        return values
    ev = Evaluator(program)
    return [ev.expr(scratch, a, b, Env(scratch)) for a, b in _split(toks, scratch.pairs, 0, len(toks))]


_PROCESS_ENV = re.compile(
    r"""process\.env(?:\?\.|\.)([A-Za-z_][A-Za-z0-9_]*)|process\.env\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]"""
)


_ENV_HELPER = re.compile(r"function ([\w$]+)\(([\w$]+)[^)]*\)\{(?:[^{}]|\{[^{}]*\}){0,200}?process\.env\[\2\]")
_IMPORTS = re.compile(r'import\{([^}]*)\}from"([^"]+)"')
_EXPORTS = re.compile(r"export\{([^}]*)\}")


def _aliases(listing):
    """[(outer, inner)] of an import or export list: "a,b as c" -> [("a", "a"), ("b", "c")]."""
    out = []
    for part in listing.split(","):
        names = part.split(" as ")
        if names[0].strip():
            out.append((names[0].strip(), names[-1].strip()))
    return out


def process_env(program):
    """Every NAME read as process.env.NAME or process.env["NAME"], or passed as "NAME" to a
    function whose body reads process.env[its first parameter] (`function u(e){return process.env[e]}`)."""
    names = set()
    helpers = {}  # module -> local names of helper functions
    for module, text in program.modules.items():
        for m in _PROCESS_ENV.finditer(text):
            names.add(m.group(1) or m.group(2))
        found = {m.group(1) for m in _ENV_HELPER.finditer(text)}
        if found:
            helpers[module] = found
    exported = {}
    for module, local in helpers.items():
        for m in _EXPORTS.finditer(program.modules[module]):
            for inner, outer in _aliases(m.group(1)):
                if inner in local:
                    exported[(module, outer)] = inner
    for module, text in program.modules.items():
        usable = set(helpers.get(module, ()))
        for m in _IMPORTS.finditer(text[:20000]):
            for outer, inner in _aliases(m.group(1)):
                if (m.group(2), outer) in exported:
                    usable.add(inner)
        if usable:
            call = re.compile(r"(?<![\w$.])(?:" + "|".join(map(re.escape, usable)) + r')\("([A-Za-z_][A-Za-z0-9_]*)"\)')
            names.update(call.findall(text))
    return names


_NOTES = re.compile(r'"## (\d+\.\d+\.\d+)\\n')
_NOTE_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def release_notes(program):
    """{NAME: the oldest version whose bundled release notes name it} (environment-style names)."""
    out = {}
    for text in program.modules.values():
        for m in _NOTES.finditer(text):
            literal = _TOKEN.match(text, m.start())
            notes = js_string(literal.group())
            for section in re.split(r"(?m)^(?=## \d)", notes):
                head = re.match(r"## (\S+)", section)
                if not head:
                    continue
                version = head.group(1)
                for name in _NOTE_NAME.findall(section):
                    if name not in out or _version_key(version) < _version_key(out[name]):
                        out[name] = version
    return out


def _version_key(version):
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.-]", version))


def first_sentence(text, limit=200):
    text = " ".join(text.split())
    m = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = m.group(1) if m else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def _named(modules, names):
    """Those of `names` the code names as a string or a property ("NAME", 'NAME', .NAME, {NAME:)."""
    if not names:
        return set()
    pattern = re.compile(
        r"(?<![\w$])(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")(?![\w$])"
    )
    found = set()
    for text in modules.values():
        for m in pattern.finditer(text):
            before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
            if (before in ("'", '"') and after == before) or before == "." or (before in ("{", ",") and after == ":"):
                found.add(m.group())
    return found


def extract(path: str, env_names=(), setting_names=()) -> dict:
    """What one executable declares: its settings schema, env names and allowedProviders values.

    env_names and setting_names (the documented ones) are also looked for as plain names in the
    code ("read": "named") when the schema and the env readers do not declare them."""
    modules = read_modules(path)
    program = Program(modules)
    ev = Evaluator(program)
    version = cli_version(modules)
    settings = {}
    for key, (schema, when) in settings_schema(program, ev).items():
        record = {"cli": to_json(schema), "read": "schema"}
        description = schema.attrs.get("description")
        if description:
            if description.startswith("@internal"):
                record["internal"] = True
                description = description[len("@internal") :].strip()
            record["description"] = first_sentence(description)
        if when:
            record["when"] = when
        settings[key] = record
    providers = settings.get("allowedProviders", {}).get("cli", {}).get("items", {}).get("enum")
    if not providers:
        raise ExtractError("the allowedProviders schema names no values")
    env = {name: {"cli": kind, "read": "registry"} for name, kind in env_registries(program).items()}
    for name in process_env(program):
        env.setdefault(name, {"cli": {}, "read": "process.env"})
    notes = release_notes(program)
    for name in _named(modules, (set(env_names) | set(notes)) - set(env)):
        env[name] = {"cli": {}, "read": "named"}
    for key in _named(modules, set(setting_names) - set(settings)):
        settings[key] = {"cli": None, "read": "named"}
    return {"version": version, "settings": settings, "env": env, "allowed_providers": providers, "notes": notes}


# ----------------------------------------------------------------------------- the data file

ABOUT = [
    "Generated by scripts/cli_names.py from the Claude Code executables of cli_versions; do not edit: edit",
    "scripts/cli_names_documented.json (meaning, source, since, scope of the documented names) and rerun it.",
    "Each name: cli (the type the CLI declares: its settings schema, or its env reader; {} when it reads the raw",
    "value), read (schema, registry, process.env, or named: the code only names it), in (the checked versions that",
    "have it), documented and source (a docs page, or CLI), type (settings: what the policy core checks,",
    "_policy._type_ok; env: the docs' type, or bool/int/string from the CLI), notes (the oldest bundled release",
    "notes naming it). changed: what an older checked version declares differently. absent: documented names no",
    "checked version has.",
]
_ENV_FACTS = ("cli", "read")
_SETTINGS_FACTS = ("cli", "read", "internal", "when")


def facts(extraction: dict) -> dict:
    """What the data file records of one version: the facts this script reads, per name."""
    return {
        "allowed_providers": list(extraction["allowed_providers"]),
        "env": {n: {k: r[k] for k in _ENV_FACTS if k in r} for n, r in extraction["env"].items()},
        "settings": {n: {k: r[k] for k in _SETTINGS_FACTS if k in r} for n, r in extraction["settings"].items()},
    }


def version_view(data: dict, version: str) -> dict:
    """The facts of one checked version, read back from the data file (the inverse of build())."""
    changed = data.get("changed", {}).get(version, {})
    out = {"allowed_providers": changed.get("allowed_providers", data["allowed_providers"])}
    for part, fields in (("env", _ENV_FACTS), ("settings", _SETTINGS_FACTS)):
        out[part] = {}
        for name, record in data[part].items():
            if version in record.get("in", ()):
                fact = {k: record[k] for k in fields if k in record}
                fact.update(changed.get(part, {}).get(name, {}))
                out[part][name] = {k: v for k, v in fact.items() if v is not None or k == "cli"}
    return out


def _env_type(cli):
    if cli.get("type") == "boolean":
        return "bool"
    if cli.get("type") == "integer":
        return "int"
    return "string"


def build(extractions: list[dict], documented: dict) -> dict:
    """The data file: every name of every checked version, its facts (from the newest version that
    has it), whether and where it is documented, and what changed in the older versions."""
    extractions = sorted(extractions, key=lambda e: _version_key(e["version"]))
    versions = [e["version"] for e in extractions]
    views = [facts(e) for e in extractions]
    newest = views[-1]
    absent = documented["absent"]
    problems = []
    data = {
        "about": ABOUT,
        "allowed_providers": newest["allowed_providers"],
        "cli_versions": versions,
        "absent": absent,
        "changed": {},
        "env": {},
        "settings": {},
    }
    for part in ("env", "settings"):
        curated = documented[part]
        names = set().union(*(v[part] for v in views))
        for name in sorted(names):
            present = [(ver, v[part][name]) for ver, v in zip(versions, views) if name in v[part]]
            latest = present[-1][1]
            record = dict(latest)
            record["in"] = [ver for ver, _f in present]
            for ver, fact in present[:-1]:
                diff = {k: fact.get(k) for k in set(fact) | set(latest) if fact.get(k) != latest.get(k)}
                if diff:
                    data["changed"].setdefault(ver, {}).setdefault(part, {})[name] = diff
            if name in absent[part]:
                problems.append(f"{part} {name} is listed as absent but CLI {record['in'][-1]} has it")
            extra = curated.get(name)
            if extra is not None:
                record.update(extra)
                record["documented"] = not extra["source"].startswith("CLI")
            else:
                record["documented"] = False
                record["source"] = "CLI"
            if part == "env":
                record.setdefault("type", _env_type(record["cli"] or {}))
                mentioned = [e["notes"][name] for e in extractions if name in e["notes"]]
                if mentioned:
                    record["notes"] = min(mentioned, key=_version_key)
            else:
                if record["cli"] is not None:
                    if "type" in record and extra is not None and "type" in extra:
                        problems.append(
                            f"settings {name}: the CLI's schema types it, drop its type from {DOCUMENTED_FILE}"
                        )
                    record["type"] = check_type(record["cli"])
                elif "type" not in record:
                    problems.append(f"settings {name}: not in the CLI's schema; give its type in {DOCUMENTED_FILE}")
                if name == "allowedProviders":
                    record["values"] = newest["allowed_providers"]
            data[part][name] = record
        for name in sorted(set(curated) - names):
            problems.append(
                f"{part} {name} is in {os.path.relpath(DOCUMENTED_FILE, ROOT)} but in no checked CLI "
                f'({", ".join(versions)}): move it to "absent" with the reason'
            )
    for ver, view in zip(versions[:-1], views[:-1]):
        if view["allowed_providers"] != newest["allowed_providers"]:
            data["changed"].setdefault(ver, {})["allowed_providers"] = view["allowed_providers"]
    if problems:
        raise ExtractError("\n".join(problems))
    return data


_EXPAND = {"about": 1, "absent": 2, "changed": 3, "env": 1, "settings": 1}


def render(data: dict) -> str:
    """The text of the data file (and of the curated input): sorted keys, one line per name."""
    return _block(data, "", 1 + max(_EXPAND.values()), top=True) + "\n"


def _block(value, indent, levels, top=False):
    if levels <= 0 or not isinstance(value, (dict, list)) or not value:
        return _one_line(value)
    inner = indent + "  "
    if isinstance(value, list):
        return "[\n" + ",\n".join(inner + _one_line(v) for v in value) + "\n" + indent + "]"
    rows = []
    for key in sorted(value):
        depth = _EXPAND.get(key, 0) if top else levels - 1
        rows.append(f"{inner}{json.dumps(key)}: {_block(value[key], inner, depth)}")
    return "{\n" + ",\n".join(rows) + "\n" + indent + "}"


def _one_line(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


# ----------------------------------------------------------------------------- executables and the command


def _installed_version(folder):
    package = os.path.join(folder, "node_modules", *PLATFORM_PACKAGE.split("/"), "package.json")
    try:
        with open(package, encoding="utf-8") as handle:
            return json.load(handle)["version"], os.path.join(os.path.dirname(package), "claude")
    except (OSError, ValueError, KeyError):
        return None, None


def find_executable(version: str, install: bool = True) -> str:
    """The linux-x64 executable of `version`: from .cache/claude-cli*/ or .cache/cli-names/<version>,
    installed there with npm when absent (and install is true)."""
    cache = os.path.join(ROOT, ".cache")
    folders = (
        [os.path.join(cache, d) for d in sorted(os.listdir(cache)) if d.startswith("claude-cli")]
        if os.path.isdir(cache)
        else []
    )
    folders.append(os.path.join(cache, "cli-names", version))
    for folder in folders:
        found, path = _installed_version(folder)
        if found == version and os.path.isfile(path):
            return path
    if not install:
        raise ExtractError(f"no executable of Claude Code {version} in .cache (run without --no-install)")
    target = os.path.join(cache, "cli-names", version)
    command = [
        "npm",
        "install",
        "--prefix",
        target,
        "--no-audit",
        "--no-fund",
        "--no-save",
        f"{PLATFORM_PACKAGE}@{version}",
    ]
    print("cli_names: " + " ".join(command), file=sys.stderr)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    found, path = _installed_version(target)
    if found != version:
        raise ExtractError(f"npm installed {found} into {target}, not {version}")
    return path


def load_json(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def looked_for(documented: dict) -> tuple[set, set]:
    """The env and settings names to look for as plain names in the code: the documented ones and
    the absent ones (so that one turning up is noticed)."""
    env = set(documented["env"]) | set(documented["absent"]["env"])
    settings = set(documented["settings"]) | set(documented["absent"]["settings"])
    return env, settings


def generate(executables: dict[str, str]) -> str:
    documented = load_json(DOCUMENTED_FILE)
    extractions = []
    for version, path in sorted(executables.items(), key=lambda item: _version_key(item[0])):
        got = extract(path, *looked_for(documented))
        if got["version"] != version:
            raise ExtractError(f"{path} is Claude Code {got['version']}, not {version}")
        extractions.append(got)
    return render(build(extractions, documented))


def _what_differs(old_text, new_text):
    """One line per part: the names added, gone or changed between two data files."""
    try:
        old = json.loads(old_text) if old_text else {}
    except ValueError:
        return "the data file is not JSON"
    new = json.loads(new_text)
    lines = []
    for part in ("env", "settings"):
        a, b = old.get(part, {}), new[part]
        for what, names in (
            ("new", sorted(set(b) - set(a))),
            ("gone", sorted(set(a) - set(b))),
            ("changed", sorted(n for n in set(a) & set(b) if a[n] != b[n])),
        ):
            if names:
                lines.append(
                    f"  {part} {what} ({len(names)}): {', '.join(names[:12])}{' ...' if len(names) > 12 else ''}"
                )
    rest = sorted(k for k in set(old) | set(new) if k not in ("env", "settings") and old.get(k) != new.get(k))
    if rest:
        lines.append("  also: " + ", ".join(rest))
    return "\n".join(lines) or "  (the layout only)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the data file is not what the executables give"
    )
    parser.add_argument("--no-install", action="store_true", help="never run npm; every executable must be in .cache")
    parser.add_argument(
        "--exe", action="append", default=[], metavar="VERSION=PATH", help="the executable of a version"
    )
    args = parser.parse_args(argv)
    versions = load_json(VERSIONS_FILE)
    given = dict(item.split("=", 1) for item in args.exe)
    unknown = set(given) - set(versions["checked"])
    if unknown:
        parser.error(f"{', '.join(sorted(unknown))} not in the checked versions of {VERSIONS_FILE}")
    try:
        executables = {v: given.get(v) or find_executable(v, not args.no_install) for v in versions["checked"]}
        text = generate(executables)
    except (ExtractError, subprocess.CalledProcessError, OSError) as err:
        print(f"cli_names: {err}", file=sys.stderr)
        return 2
    relative = os.path.relpath(OUTPUT_FILE, ROOT)
    try:
        with open(OUTPUT_FILE, encoding="utf-8") as handle:
            current = handle.read()
    except FileNotFoundError:
        current = ""
    if args.check:
        if current != text:
            print(_what_differs(current, text), file=sys.stderr)
            print(
                f"cli_names: {relative} is not what {', '.join(versions['checked'])} give: run scripts/cli_names.py",
                file=sys.stderr,
            )
            return 1
        return 0
    if current != text:
        with open(OUTPUT_FILE, "w", encoding="utf-8") as handle:
            handle.write(text)
        print(f"cli_names: wrote {relative}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
