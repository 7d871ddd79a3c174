"""A pure-Python reference of how the Claude Code CLI reads /etc/claude-code on Linux: from a
case's files (as tests/data/cli_cases.json describes them) it predicts, for one CLI version, what
the CLI does: which sources load, which are skipped or invalid and why, whether it starts, and
the merged settings and environment. Every rule and its evidence (the executable's source and
the recorded runs) is in docs/claude-code-rules.md; tests/unit/test_cli_rules.py checks the
predictions against every recorded verdict.

This is the reference the collection's judge is to adopt; it lives with the tests until then.
Standard library only. Limits (what it does not model): the schema of fields other than those
in FIELD_CHECKS (plugins/plugin_utils/policy/cli_names.json has them all), the organization and
launcher cases of the held rule, server-managed and MDM sources.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import shlex
import sys

FOLDER = "/etc/claude-code"
MAIN = "managed-settings.json"
DROPINS = "managed-settings.d"
MAX_BYTES = 2097152  # section 4
MAX_DEPTH = 64  # section 8 (2.1.332+)
# Section 8: 2.1.285 and 2.1.325 copy a document recursively and overflow their stack (exit 1)
# on a deep enough value: observed to load at 66 levels and to crash at 5000. Where between is
# the JavaScript engine's stack, not a rule; this reference draws the line at 1000.
CRASH_DEPTH_285 = 1000
RUN_UID = RUN_GID = 65534
# JavaScript's String.prototype.trim(): WhiteSpace and LineTerminator (ECMA-262), with U+FEFF.
JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
PROVIDERS = {
    "anthropic": "Anthropic API",
    "bedrock": "Amazon Bedrock",
    "vertex": "Google Vertex AI",
    "foundry": "Microsoft Foundry",
    "mantle": "Amazon Bedrock (Mantle)",
    "anthropicGoogleCloud": "Claude Platform on Google Cloud",
    "customEndpoint": "a custom endpoint",
}
SWITCHES = (
    ("CLAUDE_CODE_USE_BEDROCK", "bedrock", "Amazon Bedrock", "ANTHROPIC_BEDROCK_BASE_URL"),
    ("CLAUDE_CODE_USE_VERTEX", "vertex", "Google Vertex AI", "ANTHROPIC_VERTEX_BASE_URL"),
    ("CLAUDE_CODE_USE_FOUNDRY", "foundry", "Microsoft Foundry", "ANTHROPIC_FOUNDRY_BASE_URL"),
)
FATAL = "Managed settings document could not be parsed as a JSON object; none of its settings are in effect. Fix or remove it."


def version_tuple(version: str) -> tuple:
    return tuple(int(part) for part in version.split("."))


# --------------------------------------------------------------------------- the case's tree
class Tree:
    """The case's files as the CLI's account sees them: entries by path relative to FOLDER."""

    def __init__(self, case: dict) -> None:
        self.entries = {e["path"]: e for e in case.get("entries", [])}
        self.top = case.get("folder", {})

    def _node(self, rel: str) -> dict | None:
        if rel == "":
            return dict(self.top, type="dir", mode=self.top.get("mode", "755"))
        if rel in self.entries:
            return self.entries[rel]
        if any(p.startswith(rel + "/") for p in self.entries):
            return {"path": rel, "type": "dir", "mode": "755"}
        return None

    @staticmethod
    def _allows(node: dict, bit: int) -> bool:
        mode = int(str(node.get("mode", "755" if node.get("type") == "dir" else "644")), 8)
        owner = node.get("owner", "root")
        group = node.get("group", owner)
        if owner == "user":
            return bool(mode & (bit << 6))
        if group == "user":
            return bool(mode & (bit << 3))
        return bool(mode & bit)

    def searchable(self, rel_dir: str) -> bool:
        """Whether the account may pass through FOLDER/rel_dir (and every folder above it)."""
        parts = [p for p in rel_dir.split("/") if p]
        for i in range(len(parts) + 1):
            node = self._node("/".join(parts[:i]))
            if node is None or not self._allows(node, 1):
                return False
        return True

    def resolve(self, rel: str) -> tuple[str, dict | None, str | None]:
        """(kind, node, outside) of what stat() finds at FOLDER/rel, following links: kind is
        absent, file, dir, fifo, socket, chardev, eacces-stat; outside is the link's target when
        it leads out of FOLDER."""
        outside = None
        for _step in range(16):
            parent = rel.rsplit("/", 1)[0] if "/" in rel else ""
            if not self.searchable(parent):
                return "eacces-stat", None, outside
            node = self._node(rel)
            if node is None:
                return "absent", None, outside
            if node.get("type") == "symlink":
                target = node["target"]
                if target.startswith("/"):
                    outside = target
                    return ("chardev" if target == "/dev/null" else "absent"), None, outside
                base = parent.split("/") if parent else []
                for part in target.split("/"):
                    if part == "..":
                        if not base:
                            return "absent", None, outside
                        base.pop()
                    elif part not in ("", "."):
                        base.append(part)
                rel = "/".join(base)
                continue
            if node.get("type") == "hardlink":
                node = dict(self.entries[node["target"]], mode=self.entries[node["target"]].get("mode", "644"))
            return node.get("type", "file"), node, outside
        return "absent", None, outside

    def readable(self, node: dict) -> bool:
        return self._allows(node, 4)

    def listing(self, rel_dir: str) -> list[tuple[str, str]]:
        """(name, lstat type) of the entries directly in FOLDER/rel_dir."""
        out = []
        for path, entry in self.entries.items():
            if path.startswith(rel_dir + "/") and "/" not in path[len(rel_dir) + 1 :]:
                out.append((path[len(rel_dir) + 1 :], entry.get("type", "file")))
        for path in self.entries:  # folders made implicitly by deeper entries
            if path.startswith(rel_dir + "/"):
                name = path[len(rel_dir) + 1 :].split("/", 1)[0]
                if "/" in path[len(rel_dir) + 1 :] and all(n != name for n, _t in out):
                    out.append((name, "dir"))
        return out


def case_bytes(entry: dict) -> bytes:
    if "base64" in entry:
        data = base64.b64decode(entry["base64"])
    else:
        data = entry.get("text", "").encode("utf-8", "surrogatepass")
    pad = entry.get("pad_to")
    return data + b" " * (int(pad) - len(data)) if pad else data


# --------------------------------------------------------------------------- one document
def decode(data: bytes) -> str:
    """Section 1: FF FE is UTF-16LE, everything else UTF-8 with U+FFFD for bad bytes; CRLF -> LF."""
    if data[:2] == b"\xff\xfe":
        text = (
            data.decode("utf-16-le", "surrogatepass")
            if len(data) % 2 == 0
            else data[:-1].decode("utf-16-le", "surrogatepass")
        )
    else:
        text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n")


def _constant(name: str) -> None:
    raise ValueError("JSON.parse has no %s" % name)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """The deepest bracket nesting of TEXT outside strings."""
    depth = deepest = 0
    for char in _BRACKETS.findall(_STRING.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def js_json_parse(text: str) -> object:
    """JSON.parse after the CLI's own step (one leading U+FEFF off), section 2. Raises ValueError."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text, parse_constant=_constant)
    except RecursionError:
        pass
    # JavaScriptCore's JSON.parse has no depth limit of its own: neither may this.
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, _depth(text) * 2 + 200))
    try:
        return json.loads(text, parse_constant=_constant)
    finally:
        sys.setrecursionlimit(old)


def js_string(value: object) -> str:
    """JavaScript's String(value) for JSON values (z.coerce.string(), section 9)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    return "[object Object]"


def _only_objects(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    return all(_only_objects(v) for v in value.values())


def cut_deep(doc: dict) -> tuple[dict, list[str]]:
    """Section 8 (2.1.332+): containers deeper than MAX_DEPTH become null (or, in an object, go
    when they hold only objects); returns the copy and the top-level keys that lost something."""
    cut: list[str] = []

    def copy(value: object, depth: int, top: str) -> object:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if isinstance(item, (dict, list)) and depth >= MAX_DEPTH:
                    if top not in cut:
                        cut.append(top)
                    if _only_objects(item):
                        continue
                    out[key] = None
                else:
                    out[key] = copy(item, depth + 1, top)
            return out
        if isinstance(value, list):
            out_list = []
            for item in value:
                if isinstance(item, (dict, list)) and depth >= MAX_DEPTH:
                    if top not in cut:
                        cut.append(top)
                    out_list.append(None)
                else:
                    out_list.append(copy(item, depth + 1, top))
            return out_list
        return value

    result = {}
    for key, value in doc.items():
        result[key] = copy(value, 2, key) if isinstance(value, (dict, list)) else value
    return result, cut


def _positive_int(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        return False
    return value > 0


# Section 9: the fields the catalogue exercises. check(value) -> (ok, value to keep or None)
FIELD_CHECKS = {
    "env": lambda v: (True, {k: js_string(x) for k, x in v.items()}) if isinstance(v, dict) else (False, None),
    "cleanupPeriodDays": lambda v: (True, v) if _positive_int(v) else (False, None),
    "companyAnnouncements": lambda v: (
        (True, v) if isinstance(v, list) and all(isinstance(x, str) for x in v) else (False, None)
    ),
    "managedSourcesBehavior": lambda v: (True, v) if v in ("first-wins", "merge") else (False, None),
    "apiKeyHelper": lambda v: (True, v) if isinstance(v, str) else (False, None),
}


def validate(doc: dict, path: str) -> tuple[dict, list[dict]]:
    """The document as the schema keeps it, and its per-field problems (section 9)."""
    kept, problems = {}, []
    for key, value in doc.items():
        if key == "allowedProviders":
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                problems.append({"file": path, "key": key, "kind": "allowlist-emptied"})
                kept[key] = []
            else:
                kept[key] = [x for x in value if x in PROVIDERS]
            continue
        check = FIELD_CHECKS.get(key)
        if check is None:
            kept[key] = value
            continue
        ok, value = check(value)
        if ok:
            kept[key] = value
        else:
            problems.append({"file": path, "key": key, "kind": "schema"})
    return kept, problems


# --------------------------------------------------------------------------- sources
def _source(tree: Tree, rel: str, version: str) -> dict:
    """One managed file: status absent, skipped (with kind), fatal, or loaded (with settings)."""
    path = FOLDER + "/" + rel
    kind, node, outside = tree.resolve(rel)
    entry: dict = {"path": path, "problems": []}
    if outside and version_tuple(version) >= (2, 1, 325) and rel == MAIN:  # section 5: not 2.1.285
        entry["problems"].append({"file": path, "key": None, "kind": "link-outside"})
    if kind == "absent":
        entry["status"] = "absent"
        return entry
    reason = {
        "eacces-stat": "unreadable",
        "dir": "directory",
        "fifo": "not-regular",
        "socket": "not-regular",
        "chardev": "not-regular",
    }.get(kind)
    if reason is None and not tree.readable(node):
        reason = "unreadable"
    data = b""
    if reason is None:
        data = case_bytes(node)
        if len(data) > MAX_BYTES:
            reason = "too-large"
    if reason is not None:
        entry["status"] = "skipped"
        entry["problems"].insert(0, {"file": path, "key": None, "kind": reason})
        return entry
    text = decode(data)
    if text.strip(JS_SPACE) == "":
        entry.update(status="loaded", settings={})
        return entry
    try:
        doc = js_json_parse(text)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        entry["status"] = "fatal"
        return entry
    if version_tuple(version) >= (2, 1, 332):
        doc, cut = cut_deep(doc)
        entry["problems"] += [{"file": path, "key": key, "kind": "nesting"} for key in cut]
    elif text.count("[") + text.count("{") > CRASH_DEPTH_285 and _depth(text) > CRASH_DEPTH_285:
        entry["status"] = "crash"
        return entry
    settings, problems = validate(doc, path)
    entry["problems"] += problems
    entry.update(status="loaded", settings=settings)
    return entry


def utf16_key(name: str) -> bytes:
    """JavaScript's default sort compares UTF-16 code units (section 7)."""
    return name.encode("utf-16-be", "surrogatepass")


def sources(case: dict, version: str) -> tuple[list[dict], list[dict]]:
    """(sources in read order, folder-level problems) of CASE on VERSION."""
    tree = Tree(case)
    found = [_source(tree, MAIN, version)]
    problems = []
    kind, node, _outside = tree.resolve(DROPINS)
    if kind == "dir" and tree.searchable("") and tree.readable(node) and tree._allows(node, 1):
        names = [
            n
            for n, t in tree.listing(DROPINS)
            if t in ("file", "symlink", "hardlink") and n.endswith(".json") and not n.startswith(".")
        ]
        for name in sorted(names, key=utf16_key):
            found.append(_source(tree, DROPINS + "/" + name, version))
    elif kind == "dir" or kind == "eacces-stat":
        problems.append({"file": FOLDER + "/" + DROPINS, "key": None, "kind": "unreadable"})
    if not tree.searchable(""):
        problems.append({"file": FOLDER + "/managed-mcp.json", "key": None, "kind": "unreadable"})
    return found, problems


def merge(docs: list[dict]) -> dict:
    """Section 10: objects key by key, arrays combined without repeats, a later scalar wins."""

    def combine(old: object, new: object) -> object:
        if isinstance(old, dict) and isinstance(new, dict):
            out = dict(old)
            for key, value in new.items():
                out[key] = combine(out[key], value) if key in out else value
            return out
        if isinstance(old, list) and isinstance(new, list):
            return old + [v for v in new if v not in old]
        return new

    merged: dict = {}
    for doc in docs:
        merged = combine(merged, doc)
    return merged


# --------------------------------------------------------------------------- the verdict
def _route(env: dict) -> tuple[str, str | None, str | None]:
    """(provider name, doctor's label, custom endpoint or None) of the effective env."""
    for switch, name, label, base in SWITCHES:
        if env.get(switch):
            return name, label, env.get(base) or None
    url = env.get("ANTHROPIC_BASE_URL") or None
    if url and "api.anthropic.com" not in url:
        return "anthropic", "a custom endpoint", url
    return "anthropic", None, None


def _refusal(settings: dict, env: dict) -> str | None:
    """Section 11: the first line of the allowedProviders refusal, or None."""
    if "allowedProviders" not in settings:
        return None
    allowed = settings["allowedProviders"]
    if not allowed:
        return (
            "Your organization's managed settings allow Claude Code to use no API provider at all "
            "(allowedProviders is an empty list), so it cannot start on this machine."
        )
    name, _label, endpoint = _route(env)
    if name in allowed and (endpoint is None or "customEndpoint" in allowed):
        return None
    labels = [PROVIDERS[p] for p in allowed if p != "customEndpoint"]
    return "Your organization's managed settings allow Claude Code to use: %s." % ", ".join(labels)


def _helper_key(command: str) -> str | None:
    words = shlex.split(command)
    return " ".join(words[1:]) if words[:1] == ["echo"] else None


def _fingerprint(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def predict(case: dict, version: str, session_token: str = "oracle-token-not-a-credential") -> dict:
    """What VERSION of the CLI does with CASE: {"sources": [...], "problems": [...], "fatal": [...],
    "settings": merged, "env": effective, "route": label, "flags_off_by", "auto_updates",
    "refusal": first line or None, "starts": bool, "crash": bool}."""
    found, problems = sources(case, version)
    fatal = [s["path"] for s in found if s["status"] == "fatal"]
    for source in found:
        problems.extend(source["problems"])
    settings = merge([s["settings"] for s in found if s["status"] == "loaded"])
    env = dict(case.get("env") or {})
    env.update(settings.get("env") or {})
    name, label, endpoint = _route(env)
    refusal = (
        None
        if fatal
        else _refusal(settings, dict(env, ANTHROPIC_AUTH_TOKEN=env.get("ANTHROPIC_AUTH_TOKEN", session_token)))
    )
    credentials = []
    helper = settings.get("apiKeyHelper")
    token = (case.get("env") or {}).get("ANTHROPIC_AUTH_TOKEN", session_token)
    if helper and _helper_key(helper) is not None:
        key = _helper_key(helper)
        credentials = ["authorization:" + _fingerprint("Bearer " + key), "x-api-key:" + _fingerprint(key)]
    elif token:
        credentials = ["authorization:" + _fingerprint("Bearer " + token)]
    return {
        "sources": found,
        "problems": problems,
        "fatal": fatal,
        "crash": any(s["status"] == "crash" for s in found),
        "settings": settings,
        "env": env,
        "provider": name,
        "route": label,
        "endpoint": endpoint,
        "flags_off_by": "DISABLE_TELEMETRY" if env.get("DISABLE_TELEMETRY") else None,
        "auto_updates_disabled": bool(env.get("DISABLE_AUTOUPDATER")),
        "refusal": refusal,
        "starts": not fatal and refusal is None,
        "credentials": credentials,
    }
