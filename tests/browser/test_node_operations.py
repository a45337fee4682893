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

"""Node operations (modify, tags, storage, power-cycle) in a real browser
against sandbox2's real Ganeti 3.0.

NODE2 is left as found: its role, flags, secondary IP and tags are put
back by the fixture whatever happened. The sandbox has no LVM (its kernel
has no device-mapper): the Storage tab shows the file storage Ganeti
lists; LVM units' actions are tested on the fake RAPI only
(tests/unit/test_node_operations.py). A power-cycle is never sent: the
fake hypervisor's would reboot this machine; the test checks it is
disabled with the reason and that a hand-made POST starts no job.
"""

import re
import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser import http
from tests.browser import pages
from tests.browser.test_admin_nodes import _open
from tests.browser.test_admin_nodes import _row

pytestmark = pytest.mark.browser

FLAGS = ("drained", "offline", "master_capable", "vm_capable")


def _state(client, node):
    data = client.node(node)
    return dict({key: data[key] for key in FLAGS},
                role=client.node_role(node), sip=data.get("sip"),
                tags=sorted(data.get("tags") or []))


@pytest.fixture
def node2_state(rapi_client2, sandbox2):
    """NODE2 as found; put back after the test whatever happened."""
    node = sandbox2["NODE2"]
    before = _state(rapi_client2, node)
    assert not before["drained"] and not before["offline"], before
    yield before
    now = _state(rapi_client2, node)
    extra = sorted(set(now["tags"]) - set(before["tags"]))
    if extra:
        rapi_client2.wait_for_job(rapi_client2.delete_node_tags(node, extra))
    changes = {key: before[key] for key in FLAGS if now[key] != before[key]}
    if changes:
        rapi_client2.wait_for_job(rapi_client2.modify_node(node, changes))
    if rapi_client2.node_role(node) != before["role"]:
        rapi_client2.wait_for_job(
            rapi_client2.set_node_role(node, before["role"]))
    assert _state(rapi_client2, node) == before


def test_drain_node2_and_undrain(login, horizon_url, rapi_client2,
                                 sandbox2, node2_state):
    node = sandbox2["NODE2"]
    page = login(ADMIN)
    for drained in (True, False):
        row = _open(page, horizon_url, "sandbox2", node)
        pages.row_action(page, row, "Modify...")
        assert page.input_value("#id_secondary_ip") == node2_state["sip"]
        # Horizon's themed checkbox: the input is hidden, its label shows.
        if page.is_checked("#id_drained") != drained:
            page.locator(".modal label[for=id_drained]").first.click()
        assert page.is_checked("#id_drained") == drained
        pages.submit_modal(page)
        message = pages.success_text(page)
        assert re.search(r"Modify %s: Ganeti job \d+ started and "
                         r"succeeded" % re.escape(node), message), message
        assert rapi_client2.node(node)["drained"] is drained
    # Ganeti promoted it back to master candidate on its own, or the
    # fixture does.
    assert page.errors == []


def test_modify_refuses_an_invalid_secondary_ip_in_the_form(
        login, horizon_url, rapi_client2, sandbox2, node2_state):
    node = sandbox2["NODE2"]
    page = login(ADMIN)
    before = rapi_client2.job_ids()[0]
    row = _open(page, horizon_url, "sandbox2", node)
    pages.row_action(page, row, "Modify...")
    page.fill("#id_secondary_ip", "198.18.82.300")
    pages.submit_modal(page)
    page.locator(".modal .error, .modal .help-block.error, .modal "
                 ".has-error").first.wait_for()
    assert "is not an IPv4 address" in page.locator(".modal").inner_text()
    assert rapi_client2.job_ids()[0] == before


def test_tags_add_and_remove(login, horizon_url, rapi_client2, sandbox2,
                             node2_state):
    node = sandbox2["NODE2"]
    tag = "gdtest:%s" % uuid.uuid4().hex[:8]
    page = login(ADMIN)
    row = _open(page, horizon_url, "sandbox2", node)
    pages.row_action(page, row, "Tags...")
    page.fill("#id_add", tag)
    pages.submit_modal(page)
    assert "Ganeti job" in pages.success_text(page)
    assert tag in rapi_client2.node_tags(node)
    row = _open(page, horizon_url, "sandbox2", node)
    pages.row_action(page, row, "Tags...")
    page.check('.modal input[name=remove][value="%s"]' % tag)
    pages.submit_modal(page)
    assert "Ganeti job" in pages.success_text(page)
    assert tag not in rapi_client2.node_tags(node)


def test_storage_tab_lists_file_storage(login, horizon_url, sandbox2):
    node = sandbox2["NODE2"]
    page = login(ADMIN)
    page.goto("%s/admin/ganeti_nodes/sandbox2:%s/" % (horizon_url, node))
    page.locator("a", has_text="Storage").first.click()
    page.locator(".ganeti-node-storage").wait_for(timeout=60_000)
    text = page.locator(".ganeti-node-storage").inner_text()
    # sandbox2 enables file and sharedfile (no LVM: no device-mapper).
    assert "/srv/ganeti/file-storage" in text, text
    assert "Ganeti changes and repairs LVM units only." in text
    assert page.errors == []


def _post(horizon_url, node, action, data):
    admin = http.session(horizon_url, ADMIN)
    url = "%s/admin/ganeti_nodes/sandbox2:%s/%s/" % (horizon_url, node,
                                                     action)
    fields = http.form_fields(admin.get(url, timeout=60).text)
    answer = http.post(admin, url, dict(fields, **data))
    assert answer.status_code == 200, answer.status_code
    return answer.text


def test_powercycle_disabled_on_the_fake_cluster_and_a_post_refused(
        login, horizon_url, rapi_client2, sandbox2):
    """NEVER sent for real: the fake hypervisor reboots this machine."""
    page = login(ADMIN)
    for node, reason in ((sandbox2["NODE2"], "the cluster enables the fake "
                          "hypervisor"),
                         (sandbox2["NODE"], "it is the master node")):
        row = _open(page, horizon_url, "sandbox2", node)
        row.locator(".dropdown-toggle").click()
        link = row.locator("a", has_text="Power-cycle...")
        assert reason in link.inner_text()
        assert "disabled" in link.get_attribute("class").split()
    before = rapi_client2.job_ids()[0]
    for node, reason in ((sandbox2["NODE2"], "fake hypervisor"),
                         (sandbox2["NODE"], "it is the master node")):
        text = _post(horizon_url, node, "powercycle", {"confirm": node})
        assert reason in text
    assert rapi_client2.job_ids()[0] == before
    assert _row(page, "sandbox2", sandbox2["NODE2"]).count() == 1
