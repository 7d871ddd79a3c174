# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Claude Code's names (_names, plugins/plugin_utils/policy/cli_names.json): their shape, and that
the data file is what scripts/cli_names.py reads from the executables.

The second half reads the executables scripts/bootstrap.sh installs: the pinned CLI
(.cache/claude-cli) and the newest on npm (.cache/claude-cli-newest). When bootstrap could not
install one, its folder's UNAVAILABLE file holds the reason and those tests skip with it; they never
pass without having read the executable.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re

import pytest

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _names as N

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
MADE_UP = "FLEETPOLICY_NO_SUCH_CLAUDE_VARIABLE_7Q"


def _load_generator():
    spec = importlib.util.spec_from_file_location("cli_names", os.path.join(ROOT, "scripts", "cli_names.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


G = _load_generator()
DATA = G.load_json(G.OUTPUT_FILE)
VERSIONS = G.load_json(G.VERSIONS_FILE)
DOCUMENTED = G.load_json(G.DOCUMENTED_FILE)


# ---------------------------------------------------------------- structure


def _common(name, rec):
    assert rec["in"] and set(rec["in"]) <= set(N.CHECKED_CLI_VERSIONS), (name, rec["in"])
    assert rec["source"].strip(), name
    if rec["documented"]:
        assert rec["source"].startswith("https://code.claude.com/docs/"), (name, rec["source"])
        assert rec["meaning"].strip(), name
    assert rec.get("since") is None or VERSION_RE.match(rec["since"]), (name, rec["since"])


def test_env_records_are_well_formed():
    assert len(N.ENV_VARS) > 1000
    allowed = {"cli", "read", "in", "documented", "source", "type", "meaning", "since", "notes"}
    for name, rec in N.ENV_VARS.items():
        assert re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name), name
        assert {"cli", "read", "in", "documented", "source", "type"} <= set(rec) <= allowed, name
        assert rec["type"] in N.ENV_TYPES, (name, rec["type"])
        assert rec["read"] in ("registry", "process.env", "named"), (name, rec["read"])
        _common(name, rec)


def test_settings_records_are_well_formed():
    assert len(N.SETTINGS_KEYS) > 200
    allowed = {"cli", "read", "in", "documented", "source", "type", "meaning", "since", "scope", "files"}
    allowed |= {"values", "description", "internal", "when"}
    for key, rec in N.SETTINGS_KEYS.items():
        assert re.match(r"^\$?[a-z][A-Za-z0-9]*$", key), key
        assert {"cli", "read", "in", "documented", "source", "type"} <= set(rec) <= allowed, key
        kind = rec["type"]
        if kind.startswith("enum:"):
            assert all(kind[len("enum:") :].split(",")), (key, kind)
        else:
            assert kind in N.SETTINGS_TYPES, (key, kind)
        assert rec["read"] in ("schema", "named"), key
        assert (rec["cli"] is None) == (rec["read"] == "named"), key
        if "scope" in rec:
            assert rec["scope"] in ("any", "managed"), key
        if "files" in rec:
            assert rec["scope"] == "any" and rec["files"] not in ("Any file", "Managed"), key
        _common(key, rec)


def test_the_facts_the_collection_relies_on():
    env, keys = N.ENV_VARS, N.SETTINGS_KEYS
    for name in ("DISABLE_TELEMETRY", "DISABLE_ERROR_REPORTING", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"):
        assert env[name]["type"] == "switch_nonempty" and name in F.NONEMPTY_SWITCHES, name
    assert env["DO_NOT_TRACK"]["type"] == "bool"
    for name in (
        "CLAUDE_CODE_USE_BEDROCK",
        "CLAUDE_CODE_USE_VERTEX",
        "CLAUDE_CODE_USE_FOUNDRY",
        "CLAUDE_CODE_USE_ANTHROPIC_AWS",
        "CLAUDE_CODE_USE_MANTLE",
        "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD",
        "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH",
        "CLAUDE_CODE_SKIP_MANTLE_AUTH",
        "CLAUDE_CODE_SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH",
        "CLAUDE_CODE_DISABLE_WEB_FETCH",
    ):
        assert env[name]["type"] == "bool", name
    for name in ("ANTHROPIC_AWS_BASE_URL", "ANTHROPIC_BEDROCK_MANTLE_BASE_URL", "ANTHROPIC_GOOGLE_CLOUD_BASE_URL"):
        assert env[name]["type"] == "url", name
    for name in (
        "ANTHROPIC_AWS_WORKSPACE_ID",
        "ANTHROPIC_AWS_API_KEY",
        "ANTHROPIC_GOOGLE_CLOUD_PROJECT",
        "ANTHROPIC_GOOGLE_CLOUD_LOCATION",
        "ANTHROPIC_GOOGLE_CLOUD_WORKSPACE_ID",
        "AWS_REGION",
        "CLOUD_ML_REGION",
        "ANTHROPIC_VERTEX_PROJECT_ID",
        "ANTHROPIC_FOUNDRY_RESOURCE",
        "ANTHROPIC_MODEL",
        "NO_PROXY",
    ):
        assert env[name]["type"] == "string", name
    # named in the release notes bundled in the executables, read by the CLI
    for name in ("CLAUDE_CODE_MODEL_CATALOG", "CLAUDE_CODE_DISABLE_FEATURE_FLAGS", "OTEL_SERVICE_NAME"):
        assert name in env, name
    assert keys["feedbackDrafts"]["type"] == "enum:notify,quiet,off"
    assert keys["cleanupPeriodDays"]["cli"] == {"type": "integer", "minimum": 1}
    assert keys["cleanupPeriodDays"]["type"] == "int>=1"
    assert keys["desktopSessionCleanupPeriodDays"]["cli"] == {"type": "integer", "minimum": 0}
    assert keys["desktopSessionCleanupPeriodDays"]["type"] == "int>=0"
    assert keys["skipWebFetchPreflight"]["type"] == "bool"
    assert keys["forceLoginOrgUUID"]["type"] == "str|list[str]"
    assert keys["allowedProviders"] == dict(keys["allowedProviders"], type="list[str]", scope="managed")
    assert tuple(keys["allowedProviders"]["values"]) == N.ALLOWED_PROVIDERS == F.ALLOWED_PROVIDER_VALUES
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
    for key in (
        "managedSourcesBehavior",
        "allowManagedHooksOnly",
        "policyHelper",
        "wslInheritsWindowsSettings",
        "downloadsMirrorUrl",
        "attributionProjectPolicy",
        "allowedAdminConsoleOrgUUIDs",
        "modelCatalogUrl",
        "modelCatalogPublicKey",
        "disableDirectMcpSkills",
        "disableLocalMcpServers",
        "allowClaudeInChromeWithManagedMcp",
    ):
        assert keys[key]["scope"] == "managed", key
    assert "autoUploadSessions" in keys


def test_documented_but_absent_names_are_kept_apart():
    assert not set(N.DOCUMENTED_NOT_IN_CLI) & set(N.ENV_VARS)
    assert not set(N.SETTINGS_DOCUMENTED_NOT_IN_CLI) & set(N.SETTINGS_KEYS)
    # read by no checked CLI, so the policy core treats it as nobody's variable
    assert "DISABLE_NON_ESSENTIAL_MODEL_CALLS" in N.DOCUMENTED_NOT_IN_CLI
    assert "DISABLE_NON_ESSENTIAL_MODEL_CALLS" not in F.BOOLEAN_ENV | F.KNOWN_ENV_HERE


def test_the_versions_are_stated_once():
    assert N.PINNED_CLI_VERSION == VERSIONS["pinned"] == F.CHECKED_CLI_VERSION
    assert N.OLDEST_CLI_VERSION == VERSIONS["oldest"] == F.CLI_SUPPORTED_OLDEST
    # the data file was made from the versions the versions file says are checked
    assert list(N.CHECKED_CLI_VERSIONS) == VERSIONS["checked"] and N.PINNED_CLI_VERSION in VERSIONS["checked"]
    # the files that install or pin the CLI read it (other files cite versions as observations)
    for path in ("scripts/bootstrap.sh", "Makefile", "scripts/molecule-mutants.sh") + tuple(
        f"extensions/molecule/{s}/molecule.yml"
        for s in sorted(os.listdir(os.path.join(ROOT, "extensions", "molecule")))
        if s != "shared"
    ):
        with open(os.path.join(ROOT, path), encoding="utf-8") as handle:
            text = handle.read()
        for version in (VERSIONS["pinned"], VERSIONS["oldest"]):
            assert version not in text, f"{path} states {version}: read meta/cli_versions.json instead"


def test_the_data_file_is_in_the_generators_layout():
    with open(G.OUTPUT_FILE, encoding="utf-8") as handle:
        text = handle.read()
    assert G.render(json.loads(text)) == text
    with open(G.DOCUMENTED_FILE, encoding="utf-8") as handle:
        text = handle.read()
    assert G.render(json.loads(text)) == text


# ---------------------------------------------------------------- against the executables


def _executable(folder):
    """(version, path of the native executable) that bootstrap installed into FOLDER; skips with
    bootstrap's reason when it could not."""
    marker = os.path.join(folder, "UNAVAILABLE")
    if os.path.exists(marker):
        with open(marker, encoding="utf-8") as handle:
            pytest.skip("Claude Code CLI unavailable: " + (handle.read().strip() or "(empty UNAVAILABLE marker)"))
    if not os.path.isdir(folder):
        pytest.skip(f"Claude Code CLI not installed in {folder}: run scripts/bootstrap.sh cli cli-range")
    version_file = os.path.join(folder, ".version")
    assert os.path.isfile(version_file), f"{folder} has no .version: rerun scripts/bootstrap.sh cli cli-range"
    with open(version_file, encoding="utf-8") as handle:
        version = handle.read().strip()
    path = os.path.realpath(os.path.join(folder, "bin", "claude"))
    assert os.path.isfile(path) and os.path.getsize(path) > 50 << 20, f"no native CLI behind {folder}/bin/claude"
    return version, path


@pytest.fixture(scope="module")
def pinned():
    version, path = _executable(os.environ.get("CLAUDE_CLI_DIR") or os.path.join(ROOT, ".cache", "claude-cli"))
    assert version == N.PINNED_CLI_VERSION, f"installed CLI {version}, pinned {N.PINNED_CLI_VERSION}: rerun bootstrap"
    return version, G.extract(path, *G.looked_for(DOCUMENTED))


@pytest.fixture(scope="module")
def newest():
    version, path = _executable(os.path.join(ROOT, ".cache", "claude-cli-newest"))
    return version, G.extract(path, *G.looked_for(DOCUMENTED))


def _differences(expected, got):
    """The names whose facts differ, per part, for a readable failure."""
    out = {}
    for part in ("env", "settings"):
        names = set(expected[part]) | set(got[part])
        wrong = sorted(n for n in names if expected[part].get(n) != got[part].get(n))
        if wrong:
            out[part] = {n: (expected[part].get(n), got[part].get(n)) for n in wrong[:10]}
            out[part]["(count)"] = len(wrong)
    if expected["allowed_providers"] != got["allowed_providers"]:
        out["allowed_providers"] = (expected["allowed_providers"], got["allowed_providers"])
    return out


def test_the_data_file_is_what_the_generator_reads_from_the_pinned_cli(pinned):
    version, extraction = pinned
    assert extraction["version"] == version
    differences = _differences(G.version_view(DATA, version), G.facts(extraction))
    assert differences == {}, f"cli_names.json is not what CLI {version} declares: run scripts/cli_names.py"


def test_the_comparison_can_fail(pinned):
    version, extraction = pinned
    view = G.version_view(DATA, version)
    assert MADE_UP not in extraction["env"]
    view["env"][MADE_UP] = {"cli": {}, "read": "registry"}
    view["settings"]["cleanupPeriodDays"] = {"cli": {"type": "string"}, "read": "schema"}
    assert set(_differences(view, G.facts(extraction))) == {"env", "settings"}


def test_every_known_name_occurs_in_the_newest_cli(newest):
    version, extraction = newest
    latest = N.CHECKED_CLI_VERSIONS[-1]
    key = G._version_key
    if key(version) < key(latest):
        pytest.skip(f"the newest CLI installed is {version}, older than {latest}: rerun scripts/bootstrap.sh cli-range")
    expected = G.version_view(DATA, latest)
    if version == latest:
        assert _differences(expected, G.facts(extraction)) == {}, f"cli_names.json is not what CLI {version} declares"
        return
    # a newer CLI than the data file knows: it may add names, but every known one must still be there
    gone = {part: sorted(set(expected[part]) - set(extraction[part])) for part in ("env", "settings")}
    assert gone == {"env": [], "settings": []}, (
        f"CLI {version} no longer has these names of {latest}: add {version} to meta/cli_versions.json checked "
        "and run scripts/cli_names.py"
    )


@pytest.mark.parametrize("which", ["pinned", "newest"])
def test_documented_but_absent_names_are_really_absent(which, request):
    _version, extraction = request.getfixturevalue(which)
    # the extraction looked for these as plain names too (G.looked_for): when one turns up, move it
    # from "absent" in scripts/cli_names_documented.json into the documented names
    assert [n for n in N.DOCUMENTED_NOT_IN_CLI if n in extraction["env"]] == []
    assert [k for k in N.SETTINGS_DOCUMENTED_NOT_IN_CLI if k in extraction["settings"]] == []
