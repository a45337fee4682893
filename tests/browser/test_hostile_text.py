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

"""Hostile text from Keystone, in a real browser.

Keystone lets anyone with the CLI name a project with HTML, quotes and
non-ASCII letters; every Ganeti page that shows the name must show it as
text. (Ganeti itself takes no such text: its names and tags are checked in
the forms, see test_cluster_detail and test_project_instances.)
"""

import uuid

import pytest
import requests

from tests.browser.conftest import ADMIN
from tests.browser.pages import open_instance
from tests.browser.pages import row

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=\"window.pwned=1\">'\"\u00e9-%s"


@pytest.fixture
def hostile_project(keystone_admin):
    url, headers = keystone_admin
    name = HOSTILE % uuid.uuid4().hex[:6]
    answer = requests.post(url + "/projects", headers=headers, timeout=30,
                           json={"project": {
                               "name": name, "domain_id": "default",
                               "description": "<script>window.pwned=2"
                                              "</script>"}})
    answer.raise_for_status()
    project = answer.json()["project"]
    yield project
    requests.patch("%s/projects/%s" % (url, project["id"]), headers=headers,
                   timeout=30, json={"project": {"enabled": False}})
    requests.delete("%s/projects/%s" % (url, project["id"]),
                    headers=headers, timeout=30)


def _not_run(page):
    assert page.evaluate("window.pwned") is None
    assert not page.errors, page.errors


def test_hostile_project_name_is_shown_as_text(login, horizon_url,
                                               made_instance,
                                               hostile_project):
    name = made_instance(tags=["openstack:project:%s"
                               % hostile_project["id"]])
    page = login(ADMIN)
    response = page.goto(horizon_url + "/admin/ganeti_projects/")
    assert response.status == 200
    found = row(page, hostile_project["name"], table="projects")
    found.wait_for()
    assert "<script>window.pwned=2</script>" in found.inner_text()
    _not_run(page)

    found = open_instance(page, horizon_url + "/admin/ganeti_instances/",
                          name)
    assert hostile_project["name"] in found.inner_text()
    _not_run(page)
