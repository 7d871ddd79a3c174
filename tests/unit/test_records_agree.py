"""The records in _facts are the one list of providers, plans, profiles and shells: the argument
specs (role and modules), the report schema's enums, the report's statuses and the records agree,
and every record is complete."""

from __future__ import annotations

import json
import os
import re

import yaml

from ansible_collections.fleetpolicy.claude_code.plugins.action import apply as apply_action
from ansible_collections.fleetpolicy.claude_code.plugins.module_utils import _layout as L
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _facts as F
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.policy import _policy
from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils.report import _build as R

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _load(*parts):
    with open(os.path.join(ROOT, *parts), encoding="utf-8") as handle:
        return handle.read()


def _schema_enums():
    schema = json.loads(_load("docs", "drift-report.schema.json"))
    found = {}

    def walk(node, name=None):
        if isinstance(node, dict):
            if "enum" in node and name:
                found.setdefault(name, [v for v in node["enum"] if v is not None])
            for key, value in node.items():
                walk(value, key if key not in ("properties", "items", "$defs", "definitions") else name)
        elif isinstance(node, list):
            for item in node:
                walk(item, name)

    walk(schema)
    return found


def test_schema_enums_are_the_records():
    enums = _schema_enums()
    assert sorted(enums["provider"]) == sorted(F.PROVIDERS)
    assert sorted(enums["plan"]) == sorted(F.PLANS)
    assert sorted(enums["profile"]) == sorted(F.PROFILES)
    assert sorted(enums["status"]) == sorted(R.STATUSES)


def _role_options(role):
    return yaml.safe_load(_load("roles", role, "meta", "argument_specs.yml"))["argument_specs"]["main"]["options"]


def test_argument_spec_choices_are_the_records():
    role = _role_options("settings")
    assert role["claude_code_settings_shells"]["default"] == list(L.SHELLS)
    assert apply_action.ARGUMENT_SPEC["shells"]["choices"] == list(L.SHELLS)
    assert role["claude_code_provider"]["choices"] == list(F.PROVIDERS)
    assert role["claude_code_plan"]["choices"] == list(F.PLANS)
    assert role["claude_code_profile"]["choices"] == list(F.PROFILES)
    module_doc = yaml.safe_load(
        re.search(r'DOCUMENTATION = r"""(.*?)"""', _load("plugins", "modules", "managed_settings.py"), re.S).group(1)
    )
    assert module_doc["options"]["os_family"]["choices"] == list(L.OS_FAMILIES)
    # every policy field is an option of the action
    assert set(_policy.POLICY_FIELDS) <= set(apply_action.ARGUMENT_SPEC)


def test_each_role_variable_is_typed_as_the_action_option_it_sets():
    """The settings role's argument spec and the apply action's: one variable per option, with the
    same type, elements, choices and default (the action converts and checks by its own)."""
    role = _role_options("settings")
    assert sorted(apply_action.ROLE_VARIABLES) == sorted(apply_action.ARGUMENT_SPEC)
    assert sorted(apply_action.ROLE_VARIABLES.values()) == sorted(role)
    for option, variable in apply_action.ROLE_VARIABLES.items():
        action, documented = apply_action.ARGUMENT_SPEC[option], role[variable]
        for key in ("type", "elements", "choices", "default"):
            assert documented.get(key) == action.get(key), (variable, key, documented.get(key), action.get(key))
        assert documented.get("version_added") and documented.get("description"), variable


def test_the_role_task_passes_each_option_from_its_variable():
    (task,) = yaml.safe_load(_load("roles", "settings", "tasks", "main.yml"))
    args = task["fleetpolicy.claude_code.apply"]
    assert sorted(args) == sorted(apply_action.ARGUMENT_SPEC)
    for option, value in args.items():
        assert re.match(r"^\{\{ %s\b" % apply_action.ROLE_VARIABLES[option], value), (option, value)
    assert task["register"] == "claude_code_result"


def test_provider_records_are_complete():
    keys = {
        "label",
        "switch",
        "params",
        "required",
        "exclusive",
        "gateway_var",
        "gateway_excludes",
        "endpoint",
        "endpoint_by",
        "terms",
        "lock",
        "service_hosts",
    }
    for name, record in F.PROVIDER_RECORDS.items():
        assert set(record) == keys, name
        # the provider's own endpoint, formatted with a plausible value, is its own service
        sample = record["endpoint"].format(aws_region="us-east-1", vertex_region="us-east5", foundry_resource="acme")
        assert re.match(record["service_hosts"], sample), name
        assert record["terms"] == "plan" or record["terms"] in F.PROVIDER_TERMS, name
        assert record["lock"] in F.ALLOWED_PROVIDER_VALUES, name
        for field, spec in record["params"].items():
            assert spec["kind"] in ("pattern", "url"), (name, field)
            assert spec["env"] and re.match(r"^[A-Z][A-Z0-9_]*$", spec["env"]), (name, field)
            if spec["kind"] == "pattern":
                re.compile(spec["pattern"])
                assert spec["allowed"], (name, field)
        for group in record["required"] + record["exclusive"] + (record["gateway_excludes"],):
            assert set(group) <= set(record["params"]), (name, group)
    # a field shared by providers (aws_region) means the same everywhere: the same variable and pattern
    for field, owners in F.FIELD_PROVIDERS.items():
        specs = [json.dumps(F.PROVIDER_RECORDS[o]["params"][field], sort_keys=True) for o in owners]
        assert len(set(specs)) == 1, field


def _names_used(*folders):
    used = set()
    for folder in folders:
        assert os.path.isdir(os.path.join(ROOT, folder)), folder
        for base, _dirs, files in os.walk(os.path.join(ROOT, folder)):
            for name in files:
                if name.endswith((".yml", ".yaml")):
                    with open(os.path.join(base, name), encoding="utf-8") as handle:
                        used.update(re.findall(r"\b(claude_code_[a-z0-9_]+)\b", handle.read()))
    return used


def test_known_variables_are_the_roles_and_playbooks():
    """The apply action's list of known variables (for "did you mean") is the two roles' documented
    inputs plus what the playbooks and roles name: nothing missing, nothing dead."""
    known = apply_action.KNOWN_VARIABLES
    documented = set().union(*(_role_options(role) for role in ("settings", "install", "mdm", "pull")))
    assert documented <= known
    assert sorted(known) == sorted(documented | _names_used("playbooks", "roles"))
    assert sorted(_names_used(os.path.join("extensions", "molecule")) - known) == []


def test_shell_and_os_records_are_complete():
    for name, record in L.SHELL_RECORDS.items():
        assert set(record) == {"label", "quote", "line", "layout", "assign", "reserved"}, name
        assert record["quote"] in ("sh", "fish", "none") and record["layout"] in ("file", "block"), name
        assert (
            re.compile(record["assign"]).match(record["line"].format(name="CLAUDE_X", value="v")).group(1) == "CLAUDE_X"
        )
    for family, record in L.OS_RECORDS.items():
        assert set(record["rc"]) <= set(L.SHELLS), family
        assert all(os.path.isabs(p) for p in record["rc"].values()), family


def test_the_supported_cli_range_holds_every_version_fact():
    def version(text):
        return tuple(int(p) for p in text.split("."))

    oldest, pinned = F.CLI_SUPPORTED_OLDEST, F.CHECKED_CLI_VERSION  # meta/cli_versions.json
    assert version(oldest) <= version(pinned)
    # every version fact a profile relies on is within the supported range
    assert max(version(v) for _w, v, _s, _a in F.CLI_VERSION_FACTS) <= version(oldest)
    assert f"Claude Code {oldest} and later" in _load("README.md")


def test_the_oldest_ansible_core_is_stated_alike():
    """meta/runtime.yml's requires_ansible and every role's min_ansible_version name one release
    (noxfile.py checks that release is the oldest it tests; docs/quality-gates.md says why)."""
    floor = re.fullmatch(r">=(\d+\.\d+)\.0", yaml.safe_load(_load("meta", "runtime.yml"))["requires_ansible"]).group(1)
    roles = sorted(os.listdir(os.path.join(ROOT, "roles")))
    assert roles
    for role in roles:
        meta = yaml.safe_load(_load("roles", role, "meta", "main.yml"))
        assert meta["galaxy_info"]["min_ansible_version"] == floor, role


# The keys of Anthropic's HIPAA baseline, as the README of anthropics/claude-code
# examples/managed-settings lists them ("What the keys do", commit e32908d2), and the managed-mcp.json
# sample beside it: docs/profiles.md must rule on each.
HIPAA_BASELINE_KEYS = (
    "forceLoginMethod",
    "forceLoginOrgUUID",
    "allowedProviders",
    "cleanupPeriodDays",
    "forceRemoteSettingsRefresh",
    "allowManagedHooksOnly",
    "allowedHttpHookUrls",
    "allowManagedMcpServersOnly",
    "allowedMcpServers",
    "deniedMcpServers",
    "allowManagedPermissionRulesOnly",
    "strictKnownMarketplaces",
    "strictPluginOnlyCustomization",
    "disableSideloadFlags",
    "permissions.deny",
    "permissions.disableBypassPermissionsMode",
    "disableRemoteControl",
    "enableArtifact",
    "syncClaudeAiSkills",
    "syncClaudeAiPlugins",
    "crossSessionInbound",
    "skillOverrides",
    "autoMode",
    "sandbox",
    "env",
    "managed-mcp.json",
)


def _table(text, heading):
    """The rows of the first Markdown table after heading, as lists of cells (header left out)."""
    section = text[text.index(heading) :]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    rows = []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= {"-", ":", " "}:
            continue
        rows.append(cells)
        if not section[section.index(line) + len(line) :].lstrip(" ").startswith("\n|"):
            break
    return rows[1:]


def _written(profile):
    """What a profile writes: (settings keys and env names, the tools its permissions.deny names)."""
    record = F.PROFILES[profile]
    names = set(record["settings"]) | set(record["env"])
    names |= {"allowedProviders"} if record["locks_provider"] else set()
    names |= set(F.TRANSCRIPT_KEYS) if record["transcript_days"] else set()
    return names, set(record["settings"].get("permissions", {}).get("deny", []))


def test_the_readme_and_docs_state_each_profiles_promise():
    for text in (_load("README.md"), _load("docs", "profiles.md")):
        rows = {row[0].strip("`"): row[1] for row in _table(text, "| profile | promise |")}
        assert rows == {name: record["promise"] for name, record in F.PROFILES.items()}


def test_docs_profiles_rules_on_every_key_of_the_hipaa_baseline_as_the_records_do():
    """Each row names a baseline key first (then, for permissions.deny and env, the tools or
    variables it is about) and says for each profile "adopted" exactly when the profile writes it."""
    rows = _table(_load("docs", "profiles.md"), "| key (baseline) |")
    covered = set()
    for key_cell, _what, *verdicts in rows:
        head, *named = re.findall(r"`([^`]+)`", key_cell)
        covered.add(head)
        assert len(verdicts) == len(F.PROFILES), key_cell
        for profile, verdict in zip(F.PROFILES, verdicts):
            adopted = verdict.startswith("adopted")
            assert adopted or verdict.startswith("no"), (key_cell, profile, verdict)
            keys, denied = _written(profile)
            if head == "permissions.deny":  # the tools it names
                assert named and all((tool in denied) is adopted for tool in named), (key_cell, profile)
            elif head == "env":  # the variables it names
                assert named and all((name in keys) is adopted for name in named), (key_cell, profile)
            else:
                assert (head in keys) is adopted, (key_cell, profile)
    assert set(HIPAA_BASELINE_KEYS) <= covered, set(HIPAA_BASELINE_KEYS) - covered


def test_docs_profiles_lists_every_kind_of_traffic_with_what_it_sends():
    rows = _table(_load("docs", "profiles.md"), "| kind (`traffic.<kind>`) |")
    assert [row[0].strip("`") for row in rows] == list(F.TRAFFIC)
    for row in rows:
        assert row[1] == F.TRAFFIC[row[0].strip("`")]["sends"], row[0]
