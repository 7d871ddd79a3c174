"""What the managed_settings module ships to every host: its own code and the module_utils it
imports, transitively. The host does file mechanics; the policy core and the controller's facts
stay on the controller (each line shipped is compiled on every host at every run)."""

from __future__ import annotations

import ast
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
PREFIX = "ansible_collections.fleetpolicy.claude_code.plugins.module_utils"


def _imports(path):
    """Every module the file imports, by its full name (`from PREFIX import _x` as PREFIX._x)."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            if node.module == PREFIX:
                for alias in node.names:
                    yield PREFIX + "." + alias.name
            else:
                yield node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name


def _util(path):
    return os.path.join(ROOT, "plugins", "module_utils", path + ".py")


def _shipped(module):
    todo = [os.path.join(ROOT, "plugins", "modules", module + ".py")]
    seen = set()
    while todo:
        for name in _imports(todo.pop()):
            util = name[len(PREFIX) + 1 :] if name.startswith(PREFIX + ".") else None
            if util and util not in seen:
                seen.add(util)
                todo.append(_util(util))
    return seen


def _modules():
    folder = os.path.join(ROOT, "plugins", "modules")
    return sorted(name[:-3] for name in os.listdir(folder) if name.endswith(".py"))


def test_module_utils_holds_exactly_what_modules_ship():
    """plugins/module_utils/ is what ships to hosts: every file in it is imported by a module,
    directly or through another of them; controller-only code lives in plugins/plugin_utils/."""
    shipped = set().union(*(_shipped(module) for module in _modules()))
    folder = os.path.join(ROOT, "plugins", "module_utils")
    present = {name[:-3] for name in os.listdir(folder) if name.endswith(".py") and name != "__init__.py"}
    assert present == shipped, (present - shipped, shipped - present)


def test_what_is_shipped_needs_only_the_standard_library():
    for name in sorted(set().union(*(_shipped(module) for module in _modules()))):
        for module in _imports(_util(name)):
            assert module.split(".")[0] in sys.stdlib_module_names or module.startswith(PREFIX), (name, module)
