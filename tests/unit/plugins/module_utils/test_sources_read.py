"""What the module reads on a host: the managed sources in Claude Code's order, and the CLI's
version from its package (plugins/module_utils/_sources.py)."""

import json
import os

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _sources


def test_the_module_reads_what_claude_code_reads(tmp_path):
    base = tmp_path / "claude-code"
    (base / "managed-settings.d").mkdir(parents=True)
    (base / "managed-settings.json").write_text(
        json.dumps({"env": {"ANTHROPIC_API_KEY": "sk-ant-api03-SECRETSECRETSECRET"}})
    )
    (base / "managed-settings.d" / "10-empty.json").write_text("")
    (base / "managed-settings.d" / "20-broken.json").write_text('{"env":{')
    (base / "managed-settings.d" / ".30-hidden.json").write_text("{}")
    (base / "managed-settings.d" / "40-notes.txt").write_text("x")
    (base / "managed-mcp.json").write_text(json.dumps({"mcpServers": {"jira": {"url": "https://jira.example"}}}))
    found = _sources.managed_sources(str(base / "managed-settings.json"), "Debian")
    summary = [(os.path.basename(e["path"]), e["kind"], e["status"], e["ours"]) for e in found]
    assert summary == [
        ("managed-settings.json", "main", "ok", True),
        ("10-empty.json", "dropin", "ok", False),
        ("20-broken.json", "dropin", "unparseable", False),
        # not drop-ins for Claude Code: listed after the ones it reads, with why
        (".30-hidden.json", "dropin", "ignored", False),
        ("40-notes.txt", "dropin", "ignored", False),
        ("managed-mcp.json", "mcp", "ok", False),
    ]
    assert found[1]["content"] == {} and found[0]["sha256"] and len(found[0]["sha256"]) == 64


@pytest.mark.parametrize("version, expected", [("2.1.331", "2.1.331"), (None, None)])
def test_cli_version_from_its_package(tmp_path, version, expected):
    pkg = tmp_path / "lib" / "node_modules" / "@anthropic-ai" / "claude-code-linux-x64"
    pkg.mkdir(parents=True)
    exe = pkg / "claude"
    exe.write_text("#!/bin/sh\nexit 3\n")
    exe.chmod(0o755)
    if version:
        (pkg / "package.json").write_text(
            json.dumps({"name": "@anthropic-ai/claude-code-linux-x64", "version": version})
        )
    link = tmp_path / "claude"
    link.symlink_to(exe)
    found = _sources.cli_version([str(tmp_path / "missing"), str(link)], lambda argv: (3, "", "no"))
    assert found["path"] == str(link) and found["version"] == expected
