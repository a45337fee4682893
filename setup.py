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

import os
import sys

import setuptools

# Building the sdist or the wheel: noVNC and xterm.js from npm first, into
# ganeti_dashboard/console/assets/node_modules, which both then carry
# (setup.cfg [files] package_data; tools/lib/console_assets.py). Done once
# per version of package-lock.json, so a build from the sdist needs no npm.
# Metadata and develop-mode installs do not need them.
if {"sdist", "bdist_wheel", "build", "build_py", "install"} & set(sys.argv):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(
        __file__)), "tools", "lib"))
    import console_assets
    console_assets.ensure()

# pbr: metadata in setup.cfg, dependencies in requirements.txt, the version
# from git (the newest tag, or a dev version counted from it).
setuptools.setup(setup_requires=["pbr>=6.0.0"], pbr=True)
