"""Validate a document against docs/drift-report.schema.json.

Uses the jsonschema package when it is installed (it comes with ansible-lint); otherwise a small
validator for the keywords that schema uses (type, const, enum, required, properties,
additionalProperties, items, $ref, oneOf, pattern, minimum). Both return a list of error strings.
"""

import json
import os
import re

SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "drift-report.schema.json")

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_KNOWN = {
    "$schema",
    "$id",
    "$defs",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "$ref",
    "oneOf",
    "pattern",
    "minimum",
}


def load_schema():
    with open(SCHEMA_PATH) as handle:
        return json.load(handle)


def _lite(value, schema, root, where, errors):
    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"schema_check: unsupported keywords {sorted(unknown)} at {where}")
    if "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        _lite(value, node, root, where, errors)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_TYPES[t](value) for t in types):
            errors.append(f"{where}: {value!r} is not of type {types}")
            return
    if "const" in schema and value != schema["const"]:
        errors.append("{}: {!r} is not {!r}".format(where, value, schema["const"]))
    if "enum" in schema and value not in schema["enum"]:
        errors.append("{}: {!r} is not one of {!r}".format(where, value, schema["enum"]))
    if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
        errors.append("{}: {!r} does not match {}".format(where, value, schema["pattern"]))
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        errors.append("{}: {!r} < {!r}".format(where, value, schema["minimum"]))
    if "oneOf" in schema:
        ok = 0
        for sub in schema["oneOf"]:
            sub_errors = []
            _lite(value, sub, root, where, sub_errors)
            ok += not sub_errors
        if ok != 1:
            errors.append("%s: matches %d of oneOf" % (where, ok))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: {key!r} is required")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                _lite(item, props[key], root, f"{where}.{key}", errors)
            elif extra is False:
                errors.append(f"{where}: additional property {key!r}")
            elif isinstance(extra, dict):
                _lite(item, extra, root, f"{where}.{key}", errors)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _lite(item, schema["items"], root, "%s[%d]" % (where, i), errors)


def validate(document, schema=None):
    schema = schema or load_schema()
    try:
        import jsonschema
    except ImportError:
        errors = []
        _lite(document, schema, schema, "$", errors)
        return errors
    validator = jsonschema.Draft202012Validator(schema)
    return [
        "{}: {}".format("/".join(str(p) for p in e.absolute_path), e.message) for e in validator.iter_errors(document)
    ]
