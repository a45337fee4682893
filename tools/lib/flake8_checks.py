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

"""flake8 checks of this project's own (setup.cfg [flake8:local-plugins]).

GD101: only ``ganeti_dashboard/api/`` speaks HTTP. Panels, forms, the
console code and the settings call the functions of ``api/``; a
``requests`` or ``urllib3`` import anywhere else in the package is a second
HTTP layer that would miss its timeouts, retries, TLS settings and typed
errors. The test helpers (``ganeti_dashboard/test/``, ``tests/``) and the
dev tools may import them.
"""

import os
import re

_HTTP_IMPORT = re.compile(r"^\s*(import|from)\s+(requests|urllib3)\b")
_PACKAGE = "ganeti_dashboard" + os.sep
_ALLOWED = tuple(_PACKAGE + part + os.sep for part in ("api", "test"))


def _in_package(filename):
    path = os.path.normpath(filename)
    index = path.find(_PACKAGE)
    if index < 0 or (index and path[index - 1] != os.sep):
        return None
    return path[index:]


def http_only_in_api(logical_line, filename):
    """GD101: requests/urllib3 imported outside ganeti_dashboard/api/."""
    if not _HTTP_IMPORT.match(logical_line):
        return
    inside = _in_package(filename)
    if inside is None or inside.startswith(_ALLOWED):
        return
    yield 0, ("GD101 HTTP client imported outside ganeti_dashboard/api/: "
              "call a function of api/ instead")
