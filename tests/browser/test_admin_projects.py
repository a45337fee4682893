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

"""Admin > Ganeti > Projects in a real browser against the real Keystone.

What the page does is checked in Keystone itself, through its REST API and
an admin token of the test's own; a tag set that way (the same call as
``openstack project set --tag``) must show up in the page.
"""

import os
import re
import uuid

import pytest
import requests

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.test_admin_instances import _dismiss_messages

pytestmark = pytest.mark.browser

KEYSTONE = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
WAIT = 30_000  # ms


class Keystone:
    """Project tags, read and written by the test through Keystone's API."""

    def __init__(self):
        self.http = requests.Session()
        answer = self.http.post(KEYSTONE + "/auth/tokens", timeout=30, json={
            "auth": {"identity": {"methods": ["password"], "password": {
                "user": {"name": ADMIN[0], "domain": {"id": "default"},
                         "password": ADMIN[1]}}},
                     "scope": {"project": {"name": "admin",
                                           "domain": {"id": "default"}}}}})
        answer.raise_for_status()
        self.http.headers["X-Auth-Token"] = answer.headers["X-Subject-Token"]

    def _url(self, project_id, tag=""):
        return "%s/projects/%s/tags%s" % (KEYSTONE, project_id,
                                          "/" + tag if tag else "")

    def tags(self, project_id):
        answer = self.http.get(self._url(project_id), timeout=30)
        answer.raise_for_status()
        return answer.json()["tags"]

    def add(self, project_id, tag):
        self.http.put(self._url(project_id, tag), timeout=30) \
            .raise_for_status()

    def remove(self, project_id, tag):
        answer = self.http.delete(self._url(project_id, tag), timeout=30)
        assert answer.status_code in (204, 404), answer.text


@pytest.fixture
def keystone(keystone_projects):
    """Keystone, with the tags this test touches as it found them after."""
    ks = Keystone()
    touched = {(keystone_projects["demo"], "ganeti:cluster:sandbox"),
               (keystone_projects["other"], "ganeti:cluster:sandbox2")}
    ks.touched = touched
    found = {(p, t) for p, t in touched if t in ks.tags(p)}
    for project_id, tag in found:  # the test starts from "not mapped"
        ks.remove(project_id, tag)
    yield ks
    for project_id, tag in touched:
        if (project_id, tag) in found:
            ks.add(project_id, tag)
        else:
            ks.remove(project_id, tag)


def _row(page, project_id):
    return page.locator("#projects tbody tr[data-object-id='%s']"
                        % project_id)


def _open(page, horizon_url, project_id):
    page.goto(horizon_url + "/admin/ganeti_projects/")
    page.wait_for_load_state("networkidle")
    _dismiss_messages(page)
    row = _row(page, project_id)
    row.wait_for(timeout=WAIT)
    return row


def _clusters(row):
    return row.locator("td.ganeti-project-clusters").inner_text()


def _submit(page, cluster_label):
    page.locator("#id_cluster").wait_for(timeout=WAIT)
    page.select_option("#id_cluster", label=cluster_label)
    _dismiss_messages(page)
    page.click(".modal-footer input.btn-primary[type=submit]")
    # The modal posts by ajax, then the index reloads with a message.
    page.locator(".messages .alert").first.wait_for(timeout=WAIT)
    return page.locator(".messages").inner_text()


def _unmap(page, horizon_url, project_id, cluster_label):
    row = _open(page, horizon_url, project_id)
    row.locator(".dropdown-toggle").click()
    row.locator("a", has_text="Remove Mapping").click()
    return _submit(page, cluster_label)


def test_map_see_cli_mapping_and_remove(login, horizon_url, keystone,
                                        keystone_projects):
    demo, other = keystone_projects["demo"], keystone_projects["other"]
    unknown = "gdweb-%s" % uuid.uuid4().hex[:8]
    keystone.touched.add((other, "ganeti:cluster:" + unknown))
    page = login(ADMIN)

    # Map demo to sandbox in the page: Keystone holds the tag.
    row = _open(page, horizon_url, demo)
    assert "sandbox" not in _clusters(row).split()
    row.locator("a", has_text="Map to Cluster").click()
    page.locator("#id_cluster").wait_for(timeout=WAIT)
    offered = page.locator("#id_cluster option").all_inner_texts()
    assert "sandbox" in offered and "zz-down" in offered
    assert "Project demo may now use cluster sandbox." in \
        _submit(page, "sandbox")
    assert "ganeti:cluster:sandbox" in keystone.tags(demo)
    assert _clusters(_row(page, demo)).split() == ["sandbox"]

    # Tags set outside the dashboard show up; an unknown cluster is flagged.
    keystone.add(other, "ganeti:cluster:sandbox2")
    keystone.add(other, "ganeti:cluster:" + unknown)
    row = _open(page, horizon_url, other)
    assert "sandbox2" in _clusters(row)
    assert "%s (not configured)" % unknown in _clusters(row)
    assert "sandbox2 (not configured)" not in _clusters(row)

    # Remove all three through the page: gone from Keystone.
    assert "Project demo may no longer use cluster sandbox." in \
        _unmap(page, horizon_url, demo, "sandbox")
    assert "ganeti:cluster:sandbox" not in keystone.tags(demo)
    assert "may no longer use cluster sandbox2." in \
        _unmap(page, horizon_url, other, "sandbox2")
    assert "may no longer use cluster %s." % unknown in \
        _unmap(page, horizon_url, other, "%s (not configured)" % unknown)
    remaining = keystone.tags(other)
    assert "ganeti:cluster:sandbox2" not in remaining
    assert "ganeti:cluster:" + unknown not in remaining
    row = _open(page, horizon_url, other)
    assert "sandbox2" not in _clusters(row)
    assert row.locator("a", has_text="Map to Cluster").count() == 1
    assert page.errors == []


def test_a_cluster_down_blanks_only_the_usage_of_projects_on_it(
        login, horizon_url, keystone, keystone_projects):
    # zz-down (the tests' config) refuses every connection.
    demo, other = keystone_projects["demo"], keystone_projects["other"]
    keystone.touched.add((other, "ganeti:cluster:zz-down"))
    keystone.add(demo, "ganeti:cluster:sandbox")
    keystone.add(other, "ganeti:cluster:zz-down")
    page = login(ADMIN)
    _open(page, horizon_url, demo)
    ours = _row(page, demo).locator("td.ganeti-project-limits")
    assert re.search(r"Instances: \d+ / ", ours.inner_text())
    assert "incomplete" not in ours.inner_text()
    # A line of markup per resource, no escaped tag.
    assert ours.locator(".ganeti-limit").count() == 4
    assert "<" not in ours.inner_text()
    theirs = _row(page, other).locator("td.ganeti-project-limits")
    assert "incomplete: zz-down (connection refused)" in theirs.inner_text()
    assert "Instances: - / " in theirs.inner_text()
    assert page.errors == []


def test_project_member_has_no_projects_panel(login, horizon_url,
                                              keystone_projects):
    page = login(DEMO_MEMBER)
    response = page.goto(horizon_url + "/admin/ganeti_projects/")
    page.wait_for_load_state("networkidle")
    assert response.status != 500
    assert "Ganeti Projects" not in page.title()
    assert keystone_projects["other"] not in page.content()
