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

"""Admin > Ganeti > Node Groups in a real browser against sandbox2 (two
nodes, one group "default").

Each test leaves the cluster as it found it: its groups deleted, NODE2
back in "default", its instance deleted and any instance it moved moved
back.
"""

import re
import uuid

import pytest

from ganeti_dashboard.api import errors
from tests.browser.conftest import ADMIN
from tests.browser import http
from tests.browser import pages
from tests.integration.test_nodes import placement
from tests.integration.test_nodes import restore_placement

pytestmark = pytest.mark.browser

URL = "/admin/ganeti_groups/"


def _row(page, group, cluster="sandbox2"):
    return pages.cluster_row(page, "groups", group, cluster)


def _open(page, horizon_url, group=None):
    page.goto(horizon_url + URL)
    page.wait_for_load_state("networkidle")
    if group is None:
        return None
    row = _row(page, group)
    row.wait_for()
    return row


def _success(page):
    return pages.success_text(page, dismiss=True)


def _cell(row, column):
    return pages.cell(row, "ganeti-group-%s" % column)


def _group_names(client):
    return {g["name"] for g in client.groups(bulk=False)}


def _node_group(client, node):
    return client.query("node", ["name", "group"],
                        ["=", "name", node])[0]["group"]


def _put_back(client, node, groups_before):
    """NODE2 back in "default", groups made since deleted."""
    if _node_group(client, node) != "default":
        client.wait_for_job(client.assign_group_nodes("default", [node]),
                            timeout=120)
    for name in sorted(_group_names(client) - groups_before):
        try:
            client.wait_for_job(client.delete_group(name), timeout=120)
        except errors.RapiError:
            pass
    assert _group_names(client) == groups_before


@pytest.fixture
def group_name(rapi_client2, sandbox2):
    """A fresh group name; after the test, every group made since is gone
    and NODE2 is back in "default".
    """
    before = _group_names(rapi_client2)
    yield "gdgroup-%s" % uuid.uuid4().hex[:8]
    _put_back(rapi_client2, sandbox2["NODE2"], before)


def test_group_lifecycle(login, horizon_url, rapi_client2, sandbox2,
                         group_name):
    node = sandbox2["NODE2"]
    page = login(ADMIN)
    # Create.
    _open(page, horizon_url)
    pages.dismiss_messages(page)
    page.locator("#groups__action_create").click()
    page.locator(".modal form").wait_for()
    page.select_option("#id_cluster", "sandbox2")
    page.fill("#id_name", group_name)
    pages.submit_modal(page)
    assert re.search(r"Create group %s: Ganeti job \d+ succeeded"
                     % group_name, _success(page))
    row = _row(page, group_name)
    assert _cell(row, "nodes") == "0"
    # A non-ASCII name is refused by the form; nothing reaches Ganeti.
    before = rapi_client2.job_ids()[0]
    pages.row_action(page, row, "Rename...")
    page.fill("#id_new_name", "gr\u00fcn")
    page.locator(".modal input.btn-primary[type=submit]").click()
    page.locator(".modal .error, .modal .has-error").first.wait_for()
    assert rapi_client2.job_ids()[0] == before
    # Rename.
    renamed = group_name + "-r"
    page.fill("#id_new_name", renamed)
    pages.submit_modal(page)
    assert "Rename group %s" % group_name in _success(page)
    row = _row(page, renamed)
    # Modify its allocation policy.
    pages.row_action(page, row, "Modify...")
    page.select_option("#id_alloc_policy", "last_resort")
    pages.submit_modal(page)
    _success(page)
    row = _row(page, renamed)
    assert _cell(row, "alloc") == "last resort"
    assert rapi_client2.group(renamed)["alloc_policy"] == "last_resort"
    # Tags.
    pages.row_action(page, row, "Add Tag...")
    page.fill("#id_tag", "gdtest:rack")
    pages.submit_modal(page)
    _success(page)
    row = _row(page, renamed)
    assert _cell(row, "tags") == "gdtest:rack"
    pages.row_action(page, row, "Remove Tag...")
    page.select_option("#id_tag", "gdtest:rack")
    pages.submit_modal(page)
    _success(page)
    assert rapi_client2.group_tags(renamed) == []
    # Assign NODE2 to it: then it cannot be deleted.
    row = _row(page, renamed)
    pages.row_action(page, row, "Assign Nodes...")
    page.check("input[name=nodes][value='%s']" % node)
    pages.submit_modal(page)
    _success(page)
    assert _node_group(rapi_client2, node) == renamed
    row = _row(page, renamed)
    assert _cell(row, "nodes") == "1"
    row.locator(".dropdown-toggle").click()
    link = row.locator("a", has_text="Delete Group...")
    assert "it still has 1 node" in link.inner_text()
    assert "disabled" in link.get_attribute("class").split()
    # A hand-made POST is refused before any job.
    admin = http.session(horizon_url, ADMIN)
    url = "%s%ssandbox2:%s/delete/" % (horizon_url, URL, renamed)
    fields = http.form_fields(admin.get(url, timeout=60).text)
    before = rapi_client2.job_ids()[0]
    answer = http.post(admin, url, fields)
    assert answer.status_code == 200
    assert "%s was not deleted: it still has 1 node" % renamed in answer.text
    assert rapi_client2.job_ids()[0] == before
    # NODE2 back to "default", from that group's row.
    _open(page, horizon_url)
    pages.dismiss_messages(page)
    pages.row_action(page, _row(page, "default"), "Assign Nodes...")
    page.check("input[name=nodes][value='%s']" % node)
    pages.submit_modal(page)
    _success(page)
    assert _node_group(rapi_client2, node) == "default"
    # Delete it.
    pages.row_action(page, _row(page, renamed), "Delete Group...")
    pages.submit_modal(page)
    assert "Delete group %s" % renamed in _success(page)
    assert renamed not in _group_names(rapi_client2)
    assert _row(page, renamed).count() == 0
    assert page.errors == []


@pytest.fixture
def instance_in_group(rapi_client2, sandbox2, group_name):
    """Group ``group_name`` holding NODE2, and a running diskless instance
    on NODE2; afterwards the instance is deleted and whatever the test
    moved moved back (the group goes with ``group_name``'s fixture).
    """
    before = placement(rapi_client2)
    node = sandbox2["NODE2"]
    rapi_client2.wait_for_job(rapi_client2.create_group(group_name),
                              timeout=120)
    rapi_client2.wait_for_job(rapi_client2.assign_group_nodes(
        group_name, [node]), timeout=120)
    name = "gdgroups-%s.ganeti.test" % uuid.uuid4().hex[:8]
    rapi_client2.wait_for_job(rapi_client2.create_instance({
        "name": name, "disk_template": "diskless", "disks": [],
        "nics": [{}], "os_type": sandbox2["OS"], "pnode": node,
        "beparams": {"memory": 128}, "start": True, "name_check": False,
        "ip_check": False}), timeout=120)
    yield name
    try:
        rapi_client2.wait_for_job(rapi_client2.delete_instance(name),
                                  timeout=120)
    finally:
        restore_placement(rapi_client2, before)


def test_evacuate_a_group(login, horizon_url, rapi_client2, sandbox2,
                          group_name, instance_in_group):
    """Its instance migrates to the node of "default", by a job of its
    own that the page names.
    """
    page = login(ADMIN)

    def offered():
        # The group was made behind Horizon's back: shown once its
        # snapshot is renewed.
        _open(page, horizon_url)
        row = _row(page, group_name)
        if not row.count() or _cell(row, "instances") != "1":
            return None
        return row
    row = pages.until(offered, pages.CACHE_TTL * 6,
                      "the group's instance to show")
    pages.row_action(page, row, "Evacuate...")
    page.select_option("#id_target", "default")
    pages.submit_modal(page)
    message = _success(page)
    found = re.search(r"%s to %s \(Ganeti job (\d+)\)" % (
        re.escape(instance_in_group), re.escape(sandbox2["NODE"])), message)
    assert found, message
    rapi_client2.wait_for_job(int(found.group(1)), timeout=120)
    moved = rapi_client2.instance(instance_in_group)
    assert moved["pnode"] == sandbox2["NODE"]
    assert moved["status"] == "running"
    job = rapi_client2.job(int(found.group(1)))
    assert any(entry[0] == "gnt:user" and "horizon user=admin" in entry[1]
               for entry in job["ops"][0]["reason"])
