"""What the managed_settings module ships to every host: its own code and the module_utils it
imports, transitively. The host does file mechanics; the policy core and the controller's facts
stay on the controller (each line shipped is compiled on every host at every run)."""
from __future__ import annotations

import ast
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
PREFIX = "ansible_collections.fleetpolicy.claude_code.plugins.module_utils"


def _collection_imports(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == PREFIX:
                found.update(alias.name for alias in node.names)
            elif node.module.startswith(PREFIX + "."):
                found.add(node.module[len(PREFIX) + 1:])
        elif isinstance(node, ast.Import):
            found.update(a.name[len(PREFIX) + 1:] for a in node.names if a.name.startswith(PREFIX + "."))
    return found


def _shipped(module):
    todo = [os.path.join(ROOT, "plugins", "modules", module + ".py")]
    seen = set()
    while todo:
        for name in _collection_imports(todo.pop()):
            if name not in seen:
                seen.add(name)
                todo.append(os.path.join(ROOT, "plugins", "module_utils", name + ".py"))
    return seen


def test_managed_settings_ships_file_mechanics_only():
    assert _shipped("managed_settings") == {"_layout", "_files", "_secrets"}


def test_what_is_shipped_needs_only_the_standard_library():
    for name in sorted(_shipped("managed_settings")):
        with open(os.path.join(ROOT, "plugins", "module_utils", name + ".py"), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or module.startswith(PREFIX), (name, module)
