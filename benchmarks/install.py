# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How long the install role takes: a first install and a no-change run, on N local podman
containers of the test image (network none), one ansible-playbook run each, podman connection.

    python benchmarks/install.py --hosts 1,4 [--source artifact|controller] [--artifact PATH --checksum ALG:HEX]

Run it from the Makefile's environment (CONTAINERS_CONF, ANSIBLE_COLLECTIONS_PATH, .venv on PATH)
after `make images`. With --source controller the controller needs the npm registry (for the
version document; the package itself comes from the controller cache after the first download).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

# tests/_support/playbook.py, the one runner of ansible-playbook and reader of PLAY RECAP, as the
# fleet benchmark loads it (benchmarks/fleet.py load_support).
from fleet import playbook_support as playbook

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
IMAGE = "localhost/fleetpolicy-claude-test:bookworm"


def sh(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", default="1,4")
    parser.add_argument("--version", default="2.1.331")
    parser.add_argument("--source", default="artifact", choices=["artifact", "controller"])
    parser.add_argument(
        "--artifact",
        default=os.path.join(ROOT, ".cache", "claude-code-packages", "anthropic-ai-claude-code-linux-x64-2.1.331.tgz"),
    )
    parser.add_argument("--checksum", default="")
    parser.add_argument("--cache-dir", default=os.path.join(ROOT, ".cache", "claude-code-packages"))
    args = parser.parse_args()
    if args.source == "artifact" and not args.checksum:
        args.checksum = "sha512:" + sh("sha512sum", args.artifact).split()[0]
    for n in [int(x) for x in args.hosts.split(",")]:
        names = ["fpc-install-bench-%d" % i for i in range(n)]
        try:
            for name in names:
                sh(
                    "podman",
                    "run",
                    "--detach",
                    "--replace",
                    "--name",
                    name,
                    "--network",
                    "none",
                    IMAGE,
                    "sleep",
                    "infinity",
                )
            with tempfile.TemporaryDirectory() as tmp:
                play = os.path.join(tmp, "play.yml")
                variables = {
                    "ansible_connection": "containers.podman.podman",
                    "ansible_python_interpreter": "/usr/bin/python3",
                    "claude_code_version": args.version,
                    "claude_code_install_source": args.source,
                    "claude_code_install_cache_dir": args.cache_dir,
                }
                if args.source == "artifact":
                    variables.update(
                        claude_code_install_artifact=args.artifact, claude_code_install_checksum=args.checksum
                    )
                with open(play, "w") as handle:
                    json.dump(
                        [
                            {
                                "name": "Install Claude Code",
                                "hosts": "all",
                                "gather_facts": False,
                                "vars": variables,
                                "roles": ["fleetpolicy.claude_code.install"],
                            }
                        ],
                        handle,
                    )
                times = []
                for _run in ("first", "no change"):
                    started = time.monotonic()
                    out = playbook.run_playbook(
                        ["ansible-playbook", "-i", ",".join(names) + ",", "-f", "10", play], merge_stderr=False
                    )
                    times.append(time.monotonic() - started)
                    if out.returncode != 0:
                        sys.exit(out.output + out.stderr)
                    changed = sum(1 for counts in out.recap.values() if counts["changed"])
                    print(
                        "N=%d %-9s %6.1f s  (%.1f s per host; hosts changed: %d)"
                        % (n, _run, times[-1], times[-1] / n, changed)
                    )
        finally:
            for name in names:
                subprocess.run(["podman", "rm", "--force", "--time", "0", name], capture_output=True, check=False)


if __name__ == "__main__":
    main()
