"""Planted credentials: a credential everywhere a user or a foreign file can put one - the
inventory's env (by name, by look, in a proxy URL's user part, in OTLP headers), nested settings
keys and MCP headers in claude_code_extra_settings, a foreign drop-in's gateway and OTLP URLs and
tokens, a private key, managed-mcp.json's headers, env and URL query - then a rotation of every
inventory credential. The collection's rollout (-v, -vvv, --diff, check mode, backups) with
allow_secrets on and off, its drift playbook and every report format run over it. Then every
output, the Ansible log (ANSIBLE_LOG_PATH), the host's journal (what AnsibleModule logs, captured
by a stand-in for systemd's journal module that the module's interpreter imports), every report,
backup and file written is searched: no planted credential may appear, old or new. The managed
settings file alone holds the current ones (what allow_secrets asks for)."""

from __future__ import annotations

import json
import os
import re
import secrets
import stat
import sys

import yaml

from ansible_collections.fleetpolicy.claude_code.tests._support.playbook import run_playbook

from ._helpers import ansible_env, figure, rc_paths, tool

# What AnsibleModule.log writes, in the stand-in's words: systemd.journal.send(**fields) and
# syslog.syslog(...) append one JSON line each to $JOURNAL_CAPTURE (ansible.module_utils.basic
# uses the journal when `from systemd import journal, daemon` works and daemon.booted()).
_JOURNAL = """import json, os


def send(**fields):
    with open(os.environ["JOURNAL_CAPTURE"], "a") as handle:
        handle.write(json.dumps({"journal": fields}, default=str) + "\\n")


def sendv(*args):
    send(args=list(args))
"""
_SITE = """import json, os, syslog


def _syslog(*args):
    with open(os.environ["JOURNAL_CAPTURE"], "a") as handle:
        handle.write(json.dumps({"syslog": [str(a) for a in args]}) + "\\n")


syslog.syslog = _syslog
"""


def _journal_interpreter(tmp_path):
    """A Python for the module whose journal (and syslog) writes go to a file; (path, capture file)."""
    site = tmp_path / "journal-stand-in"
    (site / "systemd").mkdir(parents=True)
    (site / "systemd" / "__init__.py").write_text("")
    (site / "systemd" / "journal.py").write_text(_JOURNAL)
    (site / "systemd" / "daemon.py").write_text("def booted():\n    return True\n")
    (site / "sitecustomize.py").write_text(_SITE)
    capture = tmp_path / "host" / "journal.jsonl"
    wrapper = tmp_path / "python-with-journal"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH="{site}" JOURNAL_CAPTURE="{capture}" exec "{sys.executable}" "$@"\n')
    wrapper.chmod(0o755)
    return str(wrapper), capture


def _token(tag, n=12):
    return f"{tag}{secrets.token_hex(n)}"


def _inventory_plants(tag):
    """(env, settings, {place: credential}) for the inventory, every value new."""
    c = {
        "env by name": _token(f"awsSecret{tag}"),
        "env by look": "sk-ant-api03-" + _token(tag),
        "env by look, innocent name": "ghp_" + _token(tag, 16),
        "env *_HEADERS": _token(f"gwAuth{tag}"),
        "proxy URL user part": _token(f"proxyPw{tag}"),
        "OTLP endpoint user part": _token(f"otlpPw{tag}"),
        "OTLP headers Bearer": _token(f"otlpBearer{tag}"),
        "settings nested apiKey": _token(f"nestedKey{tag}"),
        "settings nested password": _token(f"nestedPw{tag}"),
        "settings Authorization header": _token(f"hdrBearer{tag}"),
        "settings MCP X-Api-Key header": _token(f"mcpKey{tag}"),
    }
    env = {
        "AWS_SECRET_ACCESS_KEY": c["env by name"],
        "ANTHROPIC_API_KEY": c["env by look"],
        "GH_TOKEN_FOR_MCP": c["env by look, innocent name"],
        "ANTHROPIC_CUSTOM_HEADERS": "X-Gateway-Auth: " + c["env *_HEADERS"],
        "HTTPS_PROXY": f"http://proxyuser:{c['proxy URL user part']}@proxy.example.com:3128",
        "OTEL_EXPORTER_OTLP_ENDPOINT": f"https://otel:{c['OTLP endpoint user part']}@otel.example.com:4318",
        "OTEL_EXPORTER_OTLP_HEADERS": "Authorization=Bearer " + c["OTLP headers Bearer"],
        "CLAUDE_CODE_GATEWAY_HINT_HEADERS": "1",  # a switch: no credential, in every rc file
        "CLAUDE_CODE_EXTRA_BODY_NOTE": "visible",
    }
    settings = {
        "x-fleet-tool": {
            "apiKey": c["settings nested apiKey"],
            "password": c["settings nested password"],
            "headers": {"Authorization": "Bearer " + c["settings Authorization header"], "X-Tenant": "acme"},
        },
        "x-mcp": {
            "servers": [
                {"url": "https://mcp.example.com", "headers": {"X-Api-Key": c["settings MCP X-Api-Key header"]}}
            ]
        },
    }
    return env, settings, c


def _foreign_plants():
    c = {
        "foreign drop-in gateway URL": _token("gwPw"),
        "foreign drop-in OTLP URL": _token("fOtlpPw"),
        "foreign drop-in token": _token("fAuthTok"),
        "foreign drop-in nested token": _token("fNested"),
        "foreign drop-in private key": _token("pemBody", 24),
        "managed-mcp.json Authorization header": _token("fMcpBearer"),
        "managed-mcp.json X-Api-Key header": _token("fMcpKey"),
        "managed-mcp.json env": _token("fMcpEnv"),
        "managed-mcp.json URL query": _token("fMcpQuery"),
    }
    dropin = {
        "env": {
            "ANTHROPIC_BASE_URL": f"https://gwuser:{c['foreign drop-in gateway URL']}@gateway.example.com",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"https://otel:{c['foreign drop-in OTLP URL']}@otel.vendor.example.com",
            "ANTHROPIC_AUTH_TOKEN": c["foreign drop-in token"],
        },
        "x-vendor": {
            "token": c["foreign drop-in nested token"],
            "tls": "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n" % c["foreign drop-in private key"],
        },
    }
    mcp = {
        "mcpServers": {
            "vendor": {
                "type": "http",
                "url": "https://mcp.vendor.example.com/v1?api_key=" + c["managed-mcp.json URL query"],
                "headers": {
                    "Authorization": "Bearer " + c["managed-mcp.json Authorization header"],
                    "X-Api-Key": c["managed-mcp.json X-Api-Key header"],
                },
                "env": {"GITHUB_TOKEN": c["managed-mcp.json env"]},
            }
        }
    }
    return dropin, mcp, c


def _value_patterns():
    from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout

    return [re.compile(pattern) for _label, pattern in _layout.SECRET_VALUE_PATTERNS]


def test_planted_credentials_appear_nowhere(tmp_path):
    playbook_bin = tool("ansible-playbook")
    interpreter, journal = _journal_interpreter(tmp_path)
    host_root = tmp_path / "host" / "etc"
    paths = rc_paths(str(host_root))
    os.makedirs(os.path.dirname(paths["zsh"]))
    (host_root / "bash.bashrc").write_text("# the distribution's bash.bashrc\nalias ll='ls -l'\n")
    managed = host_root / "claude-code"
    (managed / "managed-settings.d").mkdir(parents=True)
    settings_path = str(managed / "managed-settings.json")
    dropin, mcp, foreign = _foreign_plants()
    (managed / "managed-settings.d" / "50-vendor.json").write_text(json.dumps(dropin))
    (managed / "managed-mcp.json").write_text(json.dumps(mcp))
    planted_files = {str(managed / "managed-settings.d" / "50-vendor.json"), str(managed / "managed-mcp.json")}

    control = tmp_path / "control"
    control.mkdir()
    reports = tmp_path / "reports"
    log = tmp_path / "host" / "ansible.log"
    first_env, first_settings, first = _inventory_plants("One")
    second_env, second_settings, second = _inventory_plants("Two")

    def inventory(env, settings, allow=True, fail=False):
        host = {
            "ansible_connection": "local",
            "claude_code_settings_cli_account": "root",  # pytest's folders are closed to other accounts: Claude Code runs as root on these test hosts.
            "ansible_python_interpreter": interpreter,
            "claude_code_provider": "anthropic",
            "claude_code_plan": "api",
            "claude_code_profile": "private",
            "claude_code_allow_secrets": allow,
            "claude_code_extra_env": env,
            "claude_code_extra_settings": settings,
            "claude_code_settings_path": settings_path,
            "claude_code_settings_shells": list(paths),
            "claude_code_settings_shell_paths": paths,
            "claude_code_settings_backup": True,
            # the foreign drop-in weakens the host: the rollout fails it (after writing) or warns
            "claude_code_settings_fail_on_effective": fail,
        }
        (control / "hosts.yml").write_text(yaml.safe_dump({"all": {"hosts": {"planted": host}}}))

    outputs = []

    def play(playbook, *extra, expect=(0,)):
        proc = run_playbook(
            [playbook_bin, "-i", str(control / "hosts.yml"), playbook] + list(extra),
            cwd=str(control),
            merge_stderr=False,
            env=ansible_env(
                ANSIBLE_LOG_PATH=str(log),
                ANSIBLE_REMOTE_TMP=str(tmp_path / "host" / "ansible-tmp"),
                ANSIBLE_LOCAL_TEMP=str(tmp_path / "host" / "ansible-local"),
            ),
        )
        outputs.append(("ansible-playbook {} {}".format(playbook, " ".join(extra)), proc.output + proc.stderr))
        assert proc.returncode in expect, proc.output[-4000:] + proc.stderr[-2000:]
        return proc

    rollout, drift = "fleetpolicy.claude_code.rollout", "fleetpolicy.claude_code.drift"
    inventory(first_env, first_settings, allow=False)
    refused = play(rollout, "-v", "--diff", expect=(2,))  # without allow_secrets: refused, described
    assert "a URL with a password in its user part" in refused.output or "not shown" in refused.output
    assert not os.path.exists(settings_path)
    inventory(first_env, first_settings, fail=True)
    play(rollout, "-v", "--diff", expect=(0, 2))  # the first write (a host a foreign file weakens may fail)
    inventory(first_env, first_settings)
    play(rollout, "-v", "--diff")  # nothing to change; the foreign drop-in is a warning now
    inventory(second_env, second_settings)
    play(rollout, "-v", "--diff", "--check")  # the rotation, seen as drift
    play(rollout, "-vvv", "--diff")  # the rotation: backups of a file holding the old ones
    play(
        drift,
        "-v",
        "-e",
        f"claude_code_report_dir={reports}",
        "-e",
        '{"claude_code_report_formats": ["json", "junit", "markdown", "html", "prometheus"]}',
        expect=(0, 2),
    )

    # Positive controls: the searches below cannot pass for want of something to search.
    with open(settings_path) as handle:
        written = json.load(handle)
    assert all(v in json.dumps(written) for v in second.values()), "the managed file holds the current credentials"
    assert stat.S_IMODE(os.stat(settings_path).st_mode) == 0o644
    with open(journal) as handle:
        journal_lines = handle.read().splitlines()
    assert any("Invoked with" in line for line in journal_lines), journal_lines[:3]
    for shell, path in paths.items():
        with open(path) as handle:
            text = handle.read()
        assert "CLAUDE_CODE_GATEWAY_HINT_HEADERS" in text and "CLAUDE_CODE_EXTRA_BODY_NOTE" in text, shell
        assert "HTTPS_PROXY" not in text and "OTEL_EXPORTER_OTLP_HEADERS" not in text, shell
    latest = [n for n in os.listdir(str(reports)) if os.path.isfile(str(reports / n))]
    assert len(latest) == 5, latest  # JSON, JUnit, Markdown, HTML, Prometheus (and each run's own folder)
    backups = [n for n in os.listdir(str(managed)) if n.endswith(".bak")]
    assert backups, "the rotation backed the managed file up"

    needles = sorted(set(first.values()) | set(second.values()) | set(foreign.values()))
    patterns = _value_patterns()
    searched, problems = 0, []

    def search(where, text, allowed=()):
        nonlocal searched
        searched += 1
        hits = [n for n in needles if n in text and n not in allowed]
        hits += [m.group(0) for p in patterns for m in p.finditer(text) if not any(a in m.group(0) for a in allowed)]
        if hits:
            problems.append((where, hits[:3]))

    for label, text in outputs:
        search(label, text)
    for dirpath, _dirs, files in os.walk(str(tmp_path / "host")):
        for name in files:
            full = os.path.join(dirpath, name)
            if full in planted_files:
                continue
            with open(full, "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
            # the managed settings file alone may hold the current credentials
            search(full, text, allowed=tuple(second.values()) if full == settings_path else ())
    for folder, _dirs, names in os.walk(str(reports)):  # the latest copies and each run's own folder
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                search(name, handle.read())
    figure("planted:credentials", len(needles), add=False)
    figure("planted:places", len(first) + len(foreign) + 1, add=False)  # + the rotation
    figure("planted:runs", len(outputs), add=False)
    figure("planted:scanned", searched + len(journal_lines), add=False)
    figure("planted:leaks", len(problems), add=False)
    assert not problems, f"planted credentials found: {problems!r}"
