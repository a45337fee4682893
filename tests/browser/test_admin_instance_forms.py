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

"""The option-taking instance actions, for real, on both clusters.

Migrate and fail over run on the two-node cluster; rename and resize on the
one-node one. Each result is checked through RAPI, not only in the page.
"""

import re
import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.pages import open_instance
from tests.browser.pages import row as _row
from tests.browser.pages import SETTLE
from tests.browser.pages import submit as _submit

pytestmark = pytest.mark.browser

URL = "/admin/ganeti_instances/"


def _open_action(page, horizon_url, name, label):
    found = open_instance(page, horizon_url + URL, name)
    found.locator(".dropdown-toggle").click()
    found.locator("a", has_text=label).click()


@pytest.fixture
def instance2(made_instance2):
    """A running instance on the two-node cluster's first node."""
    return made_instance2("gdweb2-%s.ganeti.test" % uuid.uuid4().hex[:8])


def test_migrate_then_fail_over_on_two_nodes(login, horizon_url, sandbox2,
                                             rapi_client2, instance2):
    page = login(ADMIN)
    _open_action(page, horizon_url, instance2, "Migrate...")
    page.select_option("#id_target_node", sandbox2["NODE2"])
    _submit(page)
    _row(page, instance2).locator("td", has_text=sandbox2["NODE2"]) \
        .wait_for(timeout=SETTLE)
    assert rapi_client2.instance(instance2)["pnode"] == sandbox2["NODE2"]

    _open_action(page, horizon_url, instance2, "Fail Over...")
    page.select_option("#id_target_node", sandbox2["NODE"])
    _submit(page)
    # Horizon pads plain cells with white space.
    _row(page, instance2).locator("td", has_text=re.compile(
        r"^\s*%s\s*$" % re.escape(sandbox2["NODE"]))).wait_for(
            timeout=SETTLE)
    assert rapi_client2.instance(instance2)["pnode"] == sandbox2["NODE"]


def test_migrate_form_refuses_on_one_node(login, horizon_url, made_instance,
                                          rapi_client):
    name = made_instance()
    page = login(ADMIN)
    _open_action(page, horizon_url, name, "Migrate...")
    _submit(page)
    page.locator(".alert-danger, .error", has_text="one node").first \
        .wait_for()
    assert rapi_client.instance(name)["status"] == "running"


def test_rename_and_resize(login, horizon_url, made_instance, rapi_client):
    name = made_instance(start=False)
    page = login(ADMIN)
    _open_action(page, horizon_url, name, "Resize...")
    page.fill("#id_vcpus", "2")
    page.fill("#id_memory", "256")
    _submit(page)
    _row(page, name).locator("td", has_text="256 MiB").wait_for(
        timeout=SETTLE)
    beparams = rapi_client.instance(name)["beparams"]
    assert (beparams["vcpus"], beparams["maxmem"]) == (2, 256)

    new_name = "renamed-" + name
    _open_action(page, horizon_url, name, "Rename...")
    page.fill("#id_new_name", "not a name!")
    _submit(page)
    page.locator(".has-error, .error").first.wait_for()
    page.fill("#id_new_name", new_name)
    _submit(page)
    try:
        _row(page, new_name).locator("td", has_text="Stopped").wait_for(
            timeout=SETTLE)
        assert new_name in rapi_client.instance_names()
    finally:
        if new_name in rapi_client.instance_names():
            rapi_client.wait_for_job(rapi_client.rename_instance(new_name,
                                                                 name))
