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

"""Admin > Ganeti > Nodes in a real browser against the real clusters.

sandbox has one node, sandbox2 two (NODE, the master, and NODE2). Every test
leaves them as it found them: roles restored, its instances deleted, and
instances of others that a node action moved moved back.
"""

import re
import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser import http
from tests.browser import pages
from tests.integration.test_nodes import placement
from tests.integration.test_nodes import restore_placement
from tests.integration.test_nodes import wait_all

pytestmark = pytest.mark.browser


def _row(page, cluster, node):
    return pages.cluster_row(page, "nodes", node, cluster)


def _open(page, horizon_url, cluster, node):
    page.goto(horizon_url + "/admin/ganeti_nodes/")
    page.wait_for_load_state("networkidle")
    row = _row(page, cluster, node)
    row.wait_for()
    return row


def _cell(row, column):
    return pages.cell(row, "ganeti-node-%s" % column)


@pytest.fixture
def node2_role(rapi_client2, sandbox2):
    """NODE2's role, put back after the test whatever happened."""
    before = rapi_client2.node_role(sandbox2["NODE2"])
    yield before
    if rapi_client2.node_role(sandbox2["NODE2"]) != before:
        rapi_client2.wait_for_job(
            rapi_client2.set_node_role(sandbox2["NODE2"], before))


@pytest.fixture
def instance_on_node2(rapi_client2, sandbox2):
    """A running diskless instance on NODE2; deleted, others put back."""
    before = placement(rapi_client2)
    name = "gdnodes-%s.ganeti.test" % uuid.uuid4().hex[:8]
    rapi_client2.wait_for_job(rapi_client2.create_instance({
        "name": name, "disk_template": "diskless", "disks": [],
        "nics": [{}], "os_type": sandbox2["OS"], "pnode": sandbox2["NODE2"],
        "beparams": {"memory": 128}, "start": True, "name_check": False,
        "ip_check": False}), timeout=120)
    yield name
    rapi_client2.wait_for_job(rapi_client2.delete_instance(name),
                              timeout=120)
    restore_placement(rapi_client2, before)


def test_lists_both_clusters_and_names_the_failed_ones(
        login, horizon_url, sandbox, sandbox2):
    page = login(ADMIN)
    row = _open(page, horizon_url, "sandbox", sandbox["NODE"])
    assert "master" in row.inner_text()
    assert "default" in row.inner_text()  # its node group
    for node in (sandbox2["NODE"], sandbox2["NODE2"]):
        _row(page, "sandbox2", node).wait_for()
    warning = " ".join(page.locator(".alert-warning").all_inner_texts())
    assert "zz-down could not be queried: connection refused" in warning
    assert "zz-wrongpw could not be queried: authentication failed" \
        in warning
    assert page.errors == []


def test_single_node_cluster_disables_moves_with_the_reason(
        login, horizon_url, sandbox):
    page = login(ADMIN)
    row = _open(page, horizon_url, "sandbox", sandbox["NODE"])
    pages.dismiss_messages(page)
    row.locator(".dropdown-toggle").click()
    for text in ("Migrate All Primaries...", "Evacuate..."):
        link = row.locator("a", has_text=text)
        assert "the cluster has no other node" in link.inner_text()
        assert "disabled" in link.get_attribute("class")


def test_set_role_drained_and_back(login, horizon_url, rapi_client2,
                                   sandbox2, node2_role):
    node = sandbox2["NODE2"]
    page = login(ADMIN)
    for role, shown in (("drained", "drained"),
                        ("master-candidate", "master candidate")):
        row = _open(page, horizon_url, "sandbox2", node)
        pages.row_action(page, row, "Set Role...")
        page.select_option("#id_role", role)
        pages.submit_modal(page)
        message = pages.success_text(page)
        assert re.search(r"Ganeti job \d+ started and succeeded", message)
        assert rapi_client2.node_role(node) == role
        # The page after the action shows the new role (cache dropped).
        assert _cell(_row(page, "sandbox2", node), "role") == shown


def _refused_post(horizon_url, node, action, data):
    """Post a node action's form as a hand-made client would; its answer
    (the form again, with the refusal).
    """
    admin = http.session(horizon_url, ADMIN)
    url = "%s/admin/ganeti_nodes/sandbox2:%s/%s/" % (horizon_url, node,
                                                     action)
    fields = http.form_fields(admin.get(url, timeout=60).text)
    answer = http.post(admin, url, dict(fields, **data))
    assert answer.status_code == 200, answer.status_code
    return answer.text


def test_master_role_is_not_offered_and_a_forged_post_sends_nothing(
        login, horizon_url, rapi_client2, sandbox2):
    """Ganeti changes the master's role only by a master failover."""
    master = sandbox2["NODE"]
    page = login(ADMIN)
    row = _open(page, horizon_url, "sandbox2", master)
    link = row.locator("a", has_text="Set Role...")
    assert "it is the master" in link.inner_text()
    assert "disabled" in link.get_attribute("class").split()
    before = rapi_client2.job_ids()[0]
    text = _refused_post(horizon_url, master, "set_role", {"role": "regular"})
    assert "%s was not given a new role: it is the master" % master in text
    assert rapi_client2.job_ids()[0] == before
    assert rapi_client2.node_role(master) == "master"


def test_migrate_all_waits_for_every_primary_to_run(
        login, horizon_url, rapi_client2, sandbox2, instance_on_node2):
    """Ganeti would migrate the running ones and refuse the stopped one:
    the node half emptied. The menu names it; a post sends nothing.
    """
    node = sandbox2["NODE2"]
    rapi_client2.wait_for_job(rapi_client2.shutdown_instance(
        instance_on_node2))
    page = login(ADMIN)

    def refused_in_menu():
        row = _open(page, horizon_url, "sandbox2", node)
        link = row.locator("a", has_text="Migrate All Primaries...")
        return link if "not running" in link.inner_text() else None
    link = pages.until(refused_in_menu, pages.CACHE_TTL * 3,
                       "the menu to name the stopped instance")
    assert instance_on_node2 in link.inner_text()
    assert "disabled" in link.get_attribute("class").split()
    before = rapi_client2.job_ids()[0]
    text = _refused_post(horizon_url, node, "migrate", {"mode": "live"})
    assert "%s was not migrated: not running: %s" % (
        node, instance_on_node2) in text
    assert rapi_client2.job_ids()[0] == before
    assert rapi_client2.instance(instance_on_node2)["pnode"] == node


def _primaries_shown(page, horizon_url, node, action):
    """Reload until the list shows instances and offers the action.

    The snapshot can still hold an instance an earlier test stopped and
    deleted (it is refreshed at most every CACHE_TTL), and the action stays
    disabled, with that instance named, until it does not.
    """
    def check():
        row = _open(page, horizon_url, "sandbox2", node)
        link = row.locator("a", has_text=action)
        if _cell(row, "primaries") == "0" or "disabled" in (
                link.get_attribute("class") or "").split():
            return None
        return row
    return pages.until(check, pages.CACHE_TTL * 3,
                       "%s's instances to show, with %s offered" % (node, action))


@pytest.mark.parametrize("action,option", [
    ("Migrate All Primaries...", ("#id_mode", "live")),
    ("Evacuate...", ("#id_mode", "primary-only")),
])
def test_move_instances_off_node2(login, horizon_url, rapi_client2, sandbox2,
                                  instance_on_node2, action, option):
    node = sandbox2["NODE2"]
    page = login(ADMIN)
    row = _primaries_shown(page, horizon_url, node, action)
    pages.row_action(page, row, action)
    page.select_option(*option)
    pages.submit_modal(page)
    message = pages.success_text(page)
    jobs = re.search(r"it started job\(s\) ([\d, ]+) to move", message)
    assert jobs, message
    # The row is transitional while those jobs run, then settles itself.
    row = _row(page, "sandbox2", node)
    row.locator("td.ganeti-node-state", has_text=pages.exactly(
        "online")).wait_for(timeout=pages.SETTLE)
    wait_all(rapi_client2, [int(j) for j in jobs.group(1).split(",")])
    assert rapi_client2.instance(instance_on_node2)["pnode"] == \
        sandbox2["NODE"]
    # Whoever started the jobs is in Ganeti's reason trail.
    parent = rapi_client2.job(int(re.search(
        r"Ganeti job (\d+) started", message).group(1)))
    assert parent["ops"][0]["reason"][0][1].startswith("horizon user=admin(")


def test_node_detail_page(login, horizon_url, sandbox2):
    page = login(ADMIN)
    _open(page, horizon_url, "sandbox2", sandbox2["NODE2"])
    _row(page, "sandbox2", sandbox2["NODE2"]).locator(
        "a", has_text=sandbox2["NODE2"]).click()
    page.wait_for_load_state("networkidle")
    detail = page.locator(".detail").inner_text()
    assert sandbox2["NODE2"] in detail and "sandbox2" in detail
    assert "spindle_count" in detail
    assert page.locator(".detail-actions a", has_text="Set Role...").count()
