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

"""The console pages' browser libraries, served as Horizon static files.

noVNC and xterm.js come from their npm releases, installed with ``npm ci``
from ``console/assets/package.json`` at build time, never held in git:
building the sdist or the wheel puts them into ``console/assets/
node_modules``, which both carry (``tools/lib/console_assets.py``), and
the DevStack plugin and the dev stack run the same. This finder makes the
``node_modules`` directory named by the Horizon setting
``GANETI_DASHBOARD_CONSOLE_ASSETS`` (by default the package's own) part of
Horizon's static files under ``ganeti_dashboard/vendor/``, so
``collectstatic`` collects it like any other. Horizon's ``STATICFILES_DIRS`` cannot be used:
its settings compute that list after every local settings file.
"""

import os

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles import storage as static_storage

SETTING = "GANETI_DASHBOARD_CONSOLE_ASSETS"
PREFIX = "ganeti_dashboard/vendor"

# What the console pages load, relative to PREFIX.
NOVNC = "@novnc/novnc/core/rfb.js"
XTERM = "@xterm/xterm/lib/xterm.mjs"
XTERM_CSS = "@xterm/xterm/css/xterm.css"
XTERM_FIT = "@xterm/addon-fit/lib/addon-fit.mjs"


def root():
    path = getattr(settings, SETTING, None)
    return path if path and os.path.isdir(path) else None


def missing():
    """The libraries the console pages need that were not installed, as
    static paths (empty when all are there).
    """
    base = root()
    return [name for name in (NOVNC, XTERM, XTERM_CSS, XTERM_FIT)
            if base is None or not os.path.isfile(os.path.join(base, name))]


class ConsoleAssetsFinder(finders.FileSystemFinder):
    """A FileSystemFinder whose one location is the console assets."""

    def __init__(self, app_names=None, *args, **kwargs):
        # Not FileSystemFinder.__init__: it reads STATICFILES_DIRS.
        finders.BaseFinder.__init__(self)
        self.locations = []
        self.storages = {}
        base = root()
        if base:
            self.locations.append((PREFIX, base))
            storage = static_storage.FileSystemStorage(location=base)
            storage.prefix = PREFIX
            self.storages[base] = storage

    def check(self, **kwargs):
        return []
