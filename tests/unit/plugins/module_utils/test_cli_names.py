# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The table of names Claude Code reads (_cli_names): its shape, and that the pinned CLI has every name.

The second half needs the pinned CLI that scripts/bootstrap.sh installs into .cache/claude-cli. When
bootstrap could not install it, .cache/claude-cli/UNAVAILABLE holds the reason and those tests skip
with it; they never pass without having read the executable.
"""

import mmap
import os
import re

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _cli_names as N

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
CLI_DIR = os.environ.get("CLAUDE_CLI_DIR") or os.path.join(ROOT, ".cache", "claude-cli")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
MADE_UP = "FLEETPOLICY_NO_SUCH_CLAUDE_VARIABLE_7Q"


# ---------------------------------------------------------------- structure


def test_env_records_are_well_formed():
    assert len(N.ENV_VARS) > 300
    for name, rec in N.ENV_VARS.items():
        assert re.match(r"^[A-Z][A-Z0-9_]*$", name), name
        assert set(rec) == {"type", "meaning", "source", "since"}, name
        assert rec["type"] in N.ENV_TYPES, (name, rec["type"])
        assert rec["meaning"].strip(), name
        assert rec["source"].strip(), name
        assert rec["since"] is None or VERSION_RE.match(rec["since"]), (name, rec["since"])


def test_settings_records_are_well_formed():
    assert len(N.SETTINGS_KEYS) > 150
    for key, rec in N.SETTINGS_KEYS.items():
        assert re.match(r"^[a-z][A-Za-z0-9]*$", key), key
        assert {"type", "scope", "meaning", "source", "since"} <= set(rec), key
        assert set(rec) <= {"type", "scope", "meaning", "source", "since", "files", "values"}, key
        kind = rec["type"]
        if kind.startswith("enum:"):
            values = kind[len("enum:") :].split(",")
            assert values and all(values), (key, kind)
        else:
            assert kind in N.SETTINGS_TYPES, (key, kind)
        assert rec["scope"] in ("any", "managed"), key
        if "files" in rec:
            assert rec["scope"] == "any" and rec["files"] not in ("Any file", "Managed"), key
        assert rec["meaning"].strip() and rec["source"].strip(), key
        assert rec["since"] is None or VERSION_RE.match(rec["since"]), (key, rec["since"])


def test_the_facts_issue_14_and_15_rely_on():
    env, keys = N.ENV_VARS, N.SETTINGS_KEYS
    for name in ("DISABLE_TELEMETRY", "DISABLE_ERROR_REPORTING", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"):
        assert env[name]["type"] == "switch_nonempty", name
    assert env["DO_NOT_TRACK"]["type"] == "bool"
    for name in (
        "CLAUDE_CODE_USE_BEDROCK",
        "CLAUDE_CODE_USE_VERTEX",
        "CLAUDE_CODE_USE_FOUNDRY",
        "CLAUDE_CODE_USE_ANTHROPIC_AWS",
        "CLAUDE_CODE_USE_MANTLE",
        "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH",
        "CLAUDE_CODE_SKIP_MANTLE_AUTH",
        "CLAUDE_CODE_DISABLE_WEB_FETCH",
    ):
        assert env[name]["type"] == "bool", name
    for name in ("ANTHROPIC_AWS_BASE_URL", "ANTHROPIC_BEDROCK_MANTLE_BASE_URL", "HTTPS_PROXY"):
        assert env[name]["type"] == "url", name
    for name in (
        "ANTHROPIC_AWS_WORKSPACE_ID",
        "ANTHROPIC_AWS_API_KEY",
        "AWS_REGION",
        "CLOUD_ML_REGION",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "ANTHROPIC_FOUNDRY_RESOURCE",
        "ANTHROPIC_MODEL",
        "NO_PROXY",
    ):
        assert env[name]["type"] == "string", name
    assert keys["feedbackDrafts"]["type"] == "enum:notify,quiet,off"
    assert keys["cleanupPeriodDays"]["type"] == "int>=1"
    assert keys["desktopSessionCleanupPeriodDays"]["type"] == "int>=0"
    assert keys["skipWebFetchPreflight"]["type"] == "bool"
    assert keys["forceLoginOrgUUID"]["type"] == "str|list[str]"
    assert keys["allowedProviders"] == dict(keys["allowedProviders"], type="list[str]", scope="managed")
    assert keys["allowedProviders"]["values"] == N.ALLOWED_PROVIDERS
    assert set(N.ALLOWED_PROVIDERS) == {
        "anthropic",
        "bedrock",
        "vertex",
        "foundry",
        "anthropicAws",
        "mantle",
        "customEndpoint",
        "gateway",
    }
    for key in ("managedSourcesBehavior", "allowManagedHooksOnly", "policyHelper", "wslInheritsWindowsSettings"):
        assert keys[key]["scope"] == "managed", key


def test_documented_but_absent_names_are_kept_apart():
    assert not set(N.DOCUMENTED_NOT_IN_CLI) & set(N.ENV_VARS)
    assert not set(N.SETTINGS_DOCUMENTED_NOT_IN_CLI) & set(N.SETTINGS_KEYS)


def test_pinned_version_matches_bootstrap():
    with open(os.path.join(ROOT, "scripts", "bootstrap.sh")) as f:
        pinned = re.search(r'^CLI_VERSION="([^"]+)"', f.read(), re.M).group(1)
    assert pinned == N.PINNED_CLI_VERSION
    assert N.PINNED_CLI_VERSION in N.CHECKED_CLI_VERSIONS


# ---------------------------------------------------------------- against the pinned CLI


class Executable:
    """The pinned CLI's native executable, mapped once; search() finds byte strings in it.

    A name is first looked for in a window around the first CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC
    (where the CLI's JavaScript, and so nearly every name, lives) and, only when not there, in the
    whole file. The window makes ~600 look-ups take about a second instead of ~20 s; the fallback
    keeps the answer exact.
    """

    BEFORE, AFTER = 4 << 20, 24 << 20

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.map = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        anchor = self.map.find(b"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC")
        if anchor < 0:
            self.window = b""
        else:
            self.window = self.map[max(0, anchor - self.BEFORE) : anchor + self.AFTER]

    def contains(self, name):
        needle = name.encode("ascii")
        return needle in self.window or self.map.find(needle) >= 0

    def missing(self, names):
        return sorted(n for n in names if not self.contains(n))


@pytest.fixture(scope="module")
def executable():
    marker = os.path.join(CLI_DIR, "UNAVAILABLE")
    if os.path.exists(marker):
        with open(marker) as f:
            pytest.skip("Claude Code CLI unavailable: " + (f.read().strip() or "(empty UNAVAILABLE marker)"))
    if not os.path.isdir(CLI_DIR):
        pytest.skip(f"Claude Code CLI not installed in {CLI_DIR}: run scripts/bootstrap.sh cli")
    version_file = os.path.join(CLI_DIR, ".version")
    assert os.path.isfile(version_file), f"{CLI_DIR} has no .version: rerun scripts/bootstrap.sh cli"
    with open(version_file) as f:
        installed = f.read().strip()
    assert installed == N.PINNED_CLI_VERSION, (
        f"installed CLI {installed}, the names were checked against {N.PINNED_CLI_VERSION}"
    )
    path = os.path.realpath(os.path.join(CLI_DIR, "bin", "claude"))
    assert os.path.isfile(path), f"no executable behind {CLI_DIR}/bin/claude"
    assert os.path.getsize(path) > 50 << 20, f"{path} is too small to be the native CLI"
    exe = Executable(path)
    yield exe
    exe.map.close()


def test_search_can_fail(executable):
    # The same search as below reports a name the CLI does not have.
    assert executable.missing([MADE_UP, "DISABLE_TELEMETRY"]) == [MADE_UP]


def test_every_env_var_is_in_the_pinned_cli(executable):
    assert executable.missing(N.ENV_VARS) == []


def test_every_settings_key_is_in_the_pinned_cli(executable):
    assert executable.missing(N.SETTINGS_KEYS) == []


def test_allowed_provider_values_are_the_cli_list(executable):
    listed = "[" + ",".join(f'"{v}"' for v in N.ALLOWED_PROVIDERS) + "]"
    assert executable.contains(listed), listed


def test_documented_but_absent_names_are_really_absent(executable):
    # When a newer pinned CLI has one of these, move it into the table.
    assert [n for n in N.DOCUMENTED_NOT_IN_CLI + N.SETTINGS_DOCUMENTED_NOT_IN_CLI if executable.contains(n)] == []
