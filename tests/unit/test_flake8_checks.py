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

"""The project's own flake8 check (tools/lib/flake8_checks.py)."""

import importlib.util
import os

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def _checks():
    path = os.path.join(REPO, "tools", "lib", "flake8_checks.py")
    spec = importlib.util.spec_from_file_location("flake8_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("line, filename, refused", [
    ("import requests", "ganeti_dashboard/content/views.py", True),
    ("from requests import adapters", "./ganeti_dashboard/conf/x.py", True),
    ("import urllib3", "/src/ganeti_dashboard/console/proxy.py", True),
    ("import requests", "ganeti_dashboard/api/rapi.py", False),
    ("import requests", "ganeti_dashboard/test/fake_rapi.py", False),
    ("import requests", "tests/unit/test_fake_rapi.py", False),
    ("import requests", "tools/lib/bench.py", False),
    ("import requests", "my_ganeti_dashboard/content/x.py", False),
    ("import requests_mock", "ganeti_dashboard/content/x.py", False),
    ("from horizon import tables", "ganeti_dashboard/content/x.py", False),
])
def test_http_clients_are_imported_in_api_only(line, filename, refused):
    found = list(_checks().http_only_in_api(line, filename))
    assert bool(found) == refused
    if refused:
        assert found[0][1].startswith("GD101 ")
