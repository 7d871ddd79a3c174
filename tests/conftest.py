"""Make this checkout importable as ansible_collections.fleetpolicy.claude_code."""

import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COLLECTIONS = os.path.join(ROOT, ".cache", "collections")
LINK = os.path.join(COLLECTIONS, "ansible_collections", "fleetpolicy", "claude_code")


def _ensure_importable():
    # Under ansible-test the checkout already sits at ansible_collections/fleetpolicy/claude_code.
    parts = ROOT.split(os.sep)
    if parts[-3:-1] == ["ansible_collections", "fleetpolicy"]:
        base = os.sep.join(parts[:-3])
    else:
        if not os.path.islink(LINK):
            os.makedirs(os.path.dirname(LINK), exist_ok=True)
            try:
                os.symlink(ROOT, LINK)
            except FileExistsError:
                pass
        base = COLLECTIONS
    if base not in sys.path:
        sys.path.insert(0, base)


_ensure_importable()
