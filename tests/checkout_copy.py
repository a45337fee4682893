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

"""This checkout as an operator gets it without git: for the packaging
tests, which build and install from a copy of it.
"""

import os
import shutil
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def checkout_copy(dest):
    """Copy the checkout's files as git knows them (edits included) and
    its console libraries to ``dest``, without .git and without the
    build/ directory an earlier in-tree build left (whose files pip would
    install again, deleted or not). Return the version pbr gives the
    checkout, which the copy, without .git, must be told (PBR_VERSION).
    """
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO,
                             check=True, capture_output=True,
                             text=True).stdout.split("\0")
    for name in filter(None, tracked):
        if os.path.isfile(os.path.join(REPO, name)):
            os.makedirs(os.path.join(dest, os.path.dirname(name)),
                        exist_ok=True)
            shutil.copy2(os.path.join(REPO, name), os.path.join(dest, name))
    assets = os.path.join("ganeti_dashboard", "console", "assets",
                          "node_modules")
    if os.path.isdir(os.path.join(REPO, assets)):
        shutil.copytree(os.path.join(REPO, assets),
                        os.path.join(dest, assets))
    return subprocess.run([sys.executable, "setup.py", "--version"],
                          cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.split()[-1]
