# Copyright 2026 The ganeti-dashboard Authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""noVNC and xterm.js, the console pages' browser libraries, from npm.

``npm ci`` of ``ganeti_dashboard/console/assets/package*.json``, once per
version of those files (a stamp in ``node_modules`` says which). By
default into that very directory, ``node_modules`` beside the two files:
``setup.py`` does it before it builds the sdist or the wheel, which then
carry the files the pages load (setup.cfg ``package_data``), so that
``pip install`` alone serves the console and building a wheel from the
sdist needs no npm. The DevStack plugin does it in its clone, the dev stack
(``tools/lib/common.sh``) into a directory of its own.

Only the standard library: setup.py runs it before anything is installed.

Command line: ``console_assets.py [--check] [DIR]`` (default: the
package's directory); ``--check`` only says (exit status 1) whether they
must be installed.
"""

import hashlib
import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SOURCE = os.path.join(REPO, "ganeti_dashboard", "console", "assets")
FILES = ("package.json", "package-lock.json")
# Inside node_modules, so that the sdist and the wheel carry it.
STAMP = os.path.join("node_modules", ".ganeti-dashboard-assets")


def digest():
    """What the installed libraries must match: the two npm files."""
    sha = hashlib.sha1()
    for name in FILES:
        with open(os.path.join(SOURCE, name), "rb") as f:
            sha.update(f.read())
    return sha.hexdigest()


def current(dest=SOURCE):
    try:
        with open(os.path.join(dest, STAMP)) as f:
            return f.read().strip() == digest()
    except OSError:
        return False


def ensure(dest=SOURCE):
    """Install the libraries into ``dest/node_modules`` unless those of
    this version are there; True when it ran npm.
    """
    if current(dest):
        return False
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit(
            "npm is needed to install the console's noVNC and xterm.js "
            "into %s (Debian and Ubuntu: apt install npm); an sdist or a "
            "wheel of ganeti-dashboard already carries them" % dest)
    os.makedirs(dest, exist_ok=True)
    if os.path.realpath(dest) != os.path.realpath(SOURCE):
        for name in FILES:
            shutil.copyfile(os.path.join(SOURCE, name),
                            os.path.join(dest, name))
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts",
                    "--loglevel=error"], cwd=dest, check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(dest, STAMP), "w") as f:
        f.write(digest() + "\n")
    return True


def main(args):
    """``[--check] [DIR]``: with --check, exit 1 unless they are there."""
    check = args[:1] == ["--check"]
    args = args[1:] if check else args
    dest = os.path.abspath(args[0]) if args else SOURCE
    if check:
        return 0 if current(dest) else 1
    ensure(dest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
