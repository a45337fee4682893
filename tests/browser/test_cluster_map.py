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

"""A cluster's Map tab in a real browser, on the two-node cluster: both
nodes drawn, a node's instances listed on demand, a click on a node or an
instance opens its page. (DRBD links cannot exist here: the sandbox has
no LVM; the unit tests draw them from the fake RAPI.)
"""

import time

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser

WAIT = 90  # s: the test Horizon's snapshot of a new instance


def _node(page, name):
    return page.locator(".ganeti-map-node[data-node='%s']" % name)


def _open_map(page, horizon_url):
    """The detail page opened on another tab, then the Map tab clicked:
    the map is asked only once it is shown.
    """
    page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/"
              "?tab=cluster_details__overview")
    page.wait_for_load_state("networkidle")
    assert page.locator(".ganeti-map-svg").count() == 0
    page.click("a[data-target$='__map']")
    page.locator(".ganeti-map-svg").wait_for()


def _expand_until_listed(page, horizon_url, node, instance):
    """Expand ``node``'s instances until ``instance`` is listed (it was
    made behind the dashboard's back: the next snapshot has it).
    """
    deadline = time.monotonic() + WAIT
    while True:
        _node(page, node).locator(".ganeti-map-expand").click()
        row = page.locator(".ganeti-map-instances tr[data-instance='%s']"
                           % instance)
        try:
            row.wait_for(timeout=3000)
            return row
        except Exception:
            if time.monotonic() > deadline:
                raise
        # A reload would show the tab the URL names (Overview): open the
        # map again.
        _open_map(page, horizon_url)


def test_map_shows_nodes_and_opens_a_node_and_an_instance(
        login, horizon_url, sandbox2, made_instance2, screenshot):
    instance = made_instance2()
    page = login(ADMIN)
    _open_map(page, horizon_url)
    for name in (sandbox2["NODE"], sandbox2["NODE2"]):
        box = _node(page, name)
        box.wait_for()
        assert box.get_attribute("data-level") in (
            "low", "medium", "high", "unknown")
        assert name in box.text_content()
    summary = page.locator(".ganeti-map-summary").inner_text()
    assert summary.startswith("2 nodes")
    assert page.locator(".ganeti-map-group").first.text_content() \
        .startswith("Node group")
    row = _expand_until_listed(page, horizon_url, sandbox2["NODE"],
                               instance)
    # The name is text, as Ganeti spells it; the node is its primary.
    assert row.locator("td").first.inner_text().strip() == instance
    assert row.locator("td").nth(1).inner_text().strip() == "primary"
    assert sandbox2["NODE"] in page.locator(
        ".ganeti-map-instances-title").inner_text()
    screenshot(page, "cluster-map")
    # A click on the instance opens its page.
    row.locator("a", has_text=instance).click()
    page.wait_for_url("**/admin/ganeti_instances/sandbox2:%s/**" % instance)
    assert instance in page.locator(".page-header").inner_text()
    # A click on the node opens its page.
    page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/"
              "?tab=cluster_details__map")
    page.locator(".ganeti-map-svg").wait_for()
    _node(page, sandbox2["NODE"]).locator("a.ganeti-map-node-link").click()
    page.wait_for_url("**/admin/ganeti_nodes/sandbox2:%s/**"
                      % sandbox2["NODE"])
    assert sandbox2["NODE"] in page.locator(".page-header").inner_text()


def test_map_of_a_cluster_that_cannot_be_asked_says_why(login, horizon_url):
    """Its detail page is not shown (no info), but its map's JSON, asked
    directly, is the cause, never an error page.
    """
    page = login(ADMIN)
    answer = page.request.get(horizon_url + "/admin/ganeti_clusters/"
                              "zz-down/map/")
    assert answer.status == 200
    error = answer.json()["error"]
    assert error.startswith("Cannot show the map of zz-down: ")
    assert "refused" in error
