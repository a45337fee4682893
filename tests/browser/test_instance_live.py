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

"""Instances' live figures against the real sandbox: an instance's Live
tab (operator, member) and the project overview's live status (member),
never another project's.

The instances are made by the test through RAPI, as the CLI would: the
dashboard lists them after its next refresh (refresh_interval), so the
pages are given that long to show them.
"""


import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser.pages import until

pytestmark = pytest.mark.browser

LIVE = ".ganeti-instance-live"
RAM = LIVE + ' .ganeti-live-graph[data-series="oper_ram"]'
NODE_MEMORY = LIVE + ' .ganeti-live-graph[data-series="memory"]'
OVERVIEW = "/project/ganeti_overview/"


def _count(page, graph):
    return int(page.locator(graph + " svg").get_attribute("data-count")
               or 0)


def _status(page):
    return page.locator(LIVE + " .ganeti-live-status").get_attribute(
        "data-status")


def test_operator_sees_a_running_instance_live(
        login, horizon_url, made_instance, rapi_client, screenshot):
    name = made_instance()
    live = rapi_client.instance(name)
    assert live["oper_state"], live  # the sandbox runs it (fake hv)
    page = login(ADMIN)
    page.goto("%s/admin/ganeti_instances/sandbox:%s/"
              "?tab=instance_details__live" % (horizon_url, name))
    page.locator(LIVE).wait_for()
    until(lambda: _status(page) == "running", 60, "the running state")
    until(lambda: _count(page, RAM) >= 1, 40, "a memory point")
    value = page.locator(RAM + " .ganeti-live-value")
    assert float(value.get_attribute("data-value")) == live["oper_ram"]
    assert value.inner_text() == "%d of %d MiB" % (
        live["oper_ram"], live["beparams"]["maxmem"])
    assert page.locator(LIVE + " .ganeti-live-pnode").inner_text() == \
        live["pnode"]
    # The fake hypervisor's limits are said.
    assert page.locator(LIVE + " .ganeti-live-fake").is_visible()
    assert "no KVM collector" in page.locator(
        LIVE + " .ganeti-live-limits").inner_text()
    # The page asks again by itself: a point is added without a reload.
    first = _count(page, RAM)
    until(lambda: _count(page, RAM) > first, 40, "another memory point")
    until(lambda: _count(page, NODE_MEMORY) >= 1, 40, "a node memory point")
    screenshot(page, "instance-live")
    assert page.errors == []


def test_member_sees_own_instances_live_never_anothers(
        login, horizon_url, made_instance, mapped_projects, rapi_client,
        screenshot):
    ours = made_instance(tags=["openstack:project:%s"
                               % mapped_projects["demo"]])
    theirs = made_instance(tags=["openstack:project:%s"
                                 % mapped_projects["other"]])
    live = rapi_client.instance(ours)
    page = login(DEMO_MEMBER)
    page.goto(horizon_url + OVERVIEW)
    row = page.locator('.ganeti-project-live tr[data-instance="sandbox:%s"]'
                       % ours)
    # Listed after the dashboard's next refresh; the table fills by
    # itself, without a reload.
    until(lambda: row.count() == 1, 90, "our instance's live row")
    until(lambda: row.locator(".ganeti-live-status").get_attribute(
        "data-status") == "running", 60, "its running state")
    memory = "%s / %s MiB" % (live["oper_ram"], live["beparams"]["maxmem"])
    until(lambda: row.locator(".ganeti-live-memory").inner_text()
          == memory, 30, "its memory")
    assert row.locator(".ganeti-live-vcpus").inner_text() == "%s / %s" % (
        live["oper_vcpus"], live["beparams"]["vcpus"])
    until(lambda: int(row.locator("svg").get_attribute("data-count")) >= 2,
          40, "two memory points")
    assert theirs not in page.content()
    # One page of rows: no pager.
    assert not page.locator(".ganeti-live-next").is_visible()
    assert not page.locator(".ganeti-live-prev").is_visible()
    screenshot(page, "overview-live")
    assert page.errors == []

    # Its Live tab, as the member.
    page.goto("%s/project/ganeti_instances/sandbox:%s/"
              "?tab=instance_details__live" % (horizon_url, ours))
    until(lambda: _status(page) == "running", 40, "the tab's state")
    until(lambda: _count(page, RAM) >= 1, 40, "the tab's memory point")

    # The other project's member gets nothing of ours, by any URL.
    other = login(OTHER_MEMBER)
    answer = other.request.get("%s/project/ganeti_instances/sandbox:%s/"
                               "live/" % (horizon_url, ours))
    assert answer.status == 404
    assert "oper_ram" not in answer.text()
    answer = other.request.get("%s/admin/ganeti_instances/sandbox:%s/"
                               "live/" % (horizon_url, ours))
    assert answer.status in (403, 404) or "/auth/login" in answer.url
    assert "oper_ram" not in answer.text()
    seen = other.request.get(horizon_url + OVERVIEW + "live/").json()
    names = [item["name"] for item in seen["instances"]]
    assert ours not in names
    until(lambda: theirs in [item["name"] for item in other.request.get(
        horizon_url + OVERVIEW + "live/").json()["instances"]], 60,
        "their own instance in their overview")
