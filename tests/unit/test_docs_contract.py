# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The documentation is a contract: it must say what the code does.

- the DOCUMENTATION options of every module implemented by an action plugin alone (its file in
  plugins/modules/ holds documentation only) equal the action's ARGUMENT_SPEC: names, types,
  defaults, choices, elements, required, aliases. ansible-test sanity (validate-modules) does
  this for the modules that call AnsibleModule, and skips the documentation-only ones;
- every role's meta/argument_specs.yml defaults equal the role's defaults/main.yml, every
  default is documented, and the defaults pass the role's own argument spec;
- every filter has a parseable doc file whose options match the filter function's signature.
"""

from __future__ import annotations

import glob
import importlib
import inspect
import os

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.fleetpolicy.claude_code.plugins.filter.policy import FilterModule

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PKG = "ansible_collections.fleetpolicy.claude_code.plugins"

MODULES = sorted(
    os.path.splitext(os.path.basename(p))[0]
    for p in glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py"))
    if not p.endswith("__init__.py")
)
# The modules whose plugins/modules/ file is documentation only: an action plugin implements them.
ACTION_ONLY = sorted(name for name in MODULES if not hasattr(importlib.import_module(f"{PKG}.modules.{name}"), "main"))
ROLES = sorted(
    os.path.basename(os.path.dirname(os.path.dirname(p)))
    for p in glob.glob(os.path.join(ROOT, "roles", "*", "meta", "argument_specs.yml"))
)
FILTERS = sorted(FilterModule().filters())


def _argument_spec(name):
    action = importlib.import_module(f"{PKG}.action.{name}")
    spec = getattr(action, "ARGUMENT_SPEC", None)
    assert isinstance(spec, dict), f"{name}: the action plugin exposes no ARGUMENT_SPEC"
    return spec


def _choices(value):
    if value is None:
        return None
    if isinstance(value, dict):  # documented choices with descriptions
        value = list(value)
    return sorted(str(v) for v in value)


def _normalise(options, sub):
    """Options of module docs (sub="suboptions") or of an argument spec (sub="options") in one shape."""
    out = {}
    for name, opt in (options or {}).items():
        out[name] = {
            "type": opt.get("type", "str"),
            "elements": opt.get("elements"),
            "required": bool(opt.get("required", False)),
            "default": opt.get("default"),
            "choices": _choices(opt.get("choices")),
            "aliases": sorted(opt.get("aliases") or []),
            "options": _normalise(opt.get(sub), sub) if opt.get(sub) else None,
        }
    return out


def _from_doc(options):
    return _normalise(options, "suboptions")


def _from_spec(spec):
    return _normalise(spec, "options")


def _diff(documented, coded, prefix=""):
    problems = []
    for name in sorted(set(documented) | set(coded)):
        where = prefix + name
        if name not in coded:
            problems.append(f"{where}: documented but not in the argument spec")
            continue
        if name not in documented:
            problems.append(f"{where}: in the argument spec but not documented")
            continue
        doc, code = documented[name], coded[name]
        for key in ("type", "elements", "required", "default", "choices", "aliases"):
            if doc[key] != code[key]:
                problems.append(
                    f"{where}: {key} is {doc[key]!r} in DOCUMENTATION but {code[key]!r} in the argument spec"
                )
        if doc["options"] or code["options"]:
            problems.extend(_diff(doc["options"] or {}, code["options"] or {}, where + "."))
    return problems


@pytest.mark.parametrize("name", ACTION_ONLY)
def test_action_module_documentation_matches_argument_spec(name):
    module = importlib.import_module(f"{PKG}.modules.{name}")
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert doc["module"] == name
    for section in ("EXAMPLES", "RETURN"):
        assert isinstance(getattr(module, section, None), str), f"{name} has no {section}"
    yaml.safe_load(module.EXAMPLES)
    yaml.safe_load(module.RETURN)
    problems = _diff(_from_doc(doc.get("options")), _from_spec(_argument_spec(name)))
    assert not problems, "\n".join(problems)


def _load_yaml(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _role_defaults(role):
    """The value each variable takes when the user sets nothing: the role's defaults/main.yml."""
    return _load_yaml(os.path.join(ROOT, "roles", role, "defaults", "main.yml"))


@pytest.mark.parametrize("role", ROLES)
def test_role_argument_spec_defaults_match_defaults_file(role):
    specs = _load_yaml(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"))["argument_specs"]
    options = specs["main"]["options"]
    defaults = _role_defaults(role)
    problems = []
    for name in sorted(set(options) | set(defaults)):
        if name not in options:
            problems.append(f"{name}: read by the role but not documented in meta/argument_specs.yml")
            continue
        documented = options[name].get("default")
        actual = defaults.get(name)
        if documented != actual:
            problems.append(f"{name}: default is {documented!r} in meta/argument_specs.yml but {actual!r} in the role")
        if options[name].get("required") and name in defaults:
            problems.append(f"{name}: required in meta/argument_specs.yml but given a default in the role")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_role_defaults_pass_the_role_argument_spec(role):
    """What Ansible's own role validation (`roles:`) checks when the user sets nothing: every
    default, null ones included (it refuses null for a variable with choices)."""
    specs = _load_yaml(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml"))["argument_specs"]
    for entry, spec in specs.items():
        defaults = _role_defaults(role)
        result = ArgumentSpecValidator(spec["options"]).validate(defaults)
        assert not result.error_messages, f"{role}/{entry}: {result.error_messages}"


def _filter_doc(name):
    path = os.path.join(ROOT, "plugins", "filter", name + ".yml")
    assert os.path.exists(path), f"filter {name} has no documentation file {path}"
    return _load_yaml(path)


@pytest.mark.parametrize("name", FILTERS)
def test_filter_documentation_matches_signature(name):
    doc = _filter_doc(name)
    assert set(doc) >= {"DOCUMENTATION", "EXAMPLES", "RETURN"}, sorted(doc)
    documentation = doc["DOCUMENTATION"]
    assert documentation["name"] == name
    assert documentation.get("version_added"), f"{name}: version_added missing"
    options = documentation["options"]
    assert options["_input"].get("required") is True
    params = list(inspect.signature(FilterModule().filters()[name]).parameters.values())[1:]
    assert [p.name for p in params] == [k for k in options if k != "_input"], (
        f"{name}: options do not match the parameters"
    )
    positional = documentation.get("positional")
    if params:
        names = [p.strip() for p in positional.split(",")] if isinstance(positional, str) else (positional or [])
        assert names == [p.name for p in params if p.default is inspect.Parameter.empty]
    for param in params:
        assert bool(options[param.name].get("required")) == (param.default is inspect.Parameter.empty), param.name
    assert isinstance(yaml.safe_load(doc["EXAMPLES"]), list)
    assert "_value" in doc["RETURN"]


def test_every_filter_doc_file_belongs_to_a_filter():
    names = {
        os.path.splitext(os.path.basename(p))[0] for p in glob.glob(os.path.join(ROOT, "plugins", "filter", "*.yml"))
    }
    assert names == set(FILTERS)
