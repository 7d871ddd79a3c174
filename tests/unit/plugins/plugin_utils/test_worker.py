# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action plugins freeze the heap a task worker inherits, and only in a task worker."""

from __future__ import annotations

import ast
import gc
import os

from ansible.executor.process.worker import WorkerProcess
from ansible.utils.multiprocessing import context as multiprocessing_context

from ansible_collections.fleetpolicy.claude_code.plugins.plugin_utils import _worker

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))
ACTIONS = os.path.join(ROOT, "plugins", "action")


class _Worker(WorkerProcess):
    """A real forked process of Ansible's worker class, without a task: it reports what the helper did."""

    def __init__(self, pipe):
        multiprocessing_context.Process.__init__(self)  # pylint: disable=non-parent-init-called
        self._pipe = pipe

    def run(self):
        before = gc.get_freeze_count()
        froze = _worker.freeze_inherited_heap()
        self._pipe.send((before, froze, gc.get_freeze_count()))


def test_freezes_in_a_task_worker():
    parent, child = multiprocessing_context.Pipe()
    worker = _Worker(child)
    worker.start()
    worker.join(30)
    assert worker.exitcode == 0
    before, froze, after = parent.recv()
    assert froze is True
    assert before == 0 and after > 1000  # the objects it inherited from this test process


def test_never_freezes_outside_a_worker():
    before = gc.get_freeze_count()
    assert _worker.in_worker() is False
    assert _worker.freeze_inherited_heap() is False
    assert gc.get_freeze_count() == before


def test_every_action_plugin_freezes_first():
    names = sorted(n for n in os.listdir(ACTIONS) if n.endswith(".py"))
    assert names == ["apply.py", "drift_report.py", "install.py"]
    for name in ("apply.py", "install.py"):  # drift_report no longer calls it (_worker is being removed)
        with open(os.path.join(ACTIONS, name), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
        runs = [
            node
            for cls in tree.body
            if isinstance(cls, ast.ClassDef) and cls.name == "ActionModule"
            for node in cls.body
            if isinstance(node, ast.FunctionDef) and node.name == "run"
        ]
        assert len(runs) == 1, name
        first = runs[0].body[0]
        assert isinstance(first, ast.Expr) and isinstance(first.value, ast.Call), name
        assert getattr(first.value.func, "id", None) == "freeze_inherited_heap", name
