# Copyright (c) 2026, fleetpolicy.claude_code contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-in for pip's get-pip.py, used by ``ansible-test --venv`` to put pip into the empty
virtual environments it creates.

ansible-test downloads get-pip.py from ci-files.testing.ansible.com, a host this project's
machines cannot reach; it looks for a copy in ``~/.ansible/test/cache/get_pip_<version>.py``
first. noxfile.py copies this file there. It does what get-pip.py does: put pip into
the running interpreter's environment (here from the interpreter's own ensurepip, offline),
then install the packages ansible-test asks for (for example ``pip==24.2``) from the index.
"""

from __future__ import annotations

import subprocess
import sys


def main():
    args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"], stdout=subprocess.DEVNULL)
    if args:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--upgrade"] + args)


if __name__ == "__main__":
    main()
