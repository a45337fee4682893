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

"""A cluster's detail tabs in a real browser, on the two-node cluster."""

import uuid

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser


def test_resource_charts_and_nodes_of_the_two_node_cluster(
        login, horizon_url, sandbox2, screenshot):
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/")
    page.wait_for_load_state("networkidle")
    assert sandbox2["CLUSTER_NAME"] in page.locator(".detail").first \
        .inner_text()
    page.click("a[data-target$='resources']")
    # Horizon's d3 code drew the pie charts.
    page.locator(".ganeti-resources .pie-chart-usage svg").first.wait_for()
    assert page.locator(".ganeti-resources .pie-chart-usage svg").count() \
        == 3
    nodes = page.locator(".ganeti-node-resources").inner_text()
    assert sandbox2["NODE"] in nodes and sandbox2["NODE2"] in nodes
    screenshot(page, "resources")  # for the operator guide
    page.click("a[data-target$='__nodes']")
    assert sandbox2["NODE2"] in page.locator(
        ".ganeti-cluster-nodes").inner_text()


def test_overview_labels_are_whole(login, horizon_url):
    """Every label of the overview reads in full, none cut with an
    ellipsis ("Enabled disk templ..." in Bootstrap's dl-horizontal).
    """
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/")
    page.wait_for_load_state("networkidle")
    label = page.locator(".ganeti-detail-list th",
                         has_text="Enabled disk templates")
    assert label.inner_text().strip() == "Enabled disk templates"
    cut = page.evaluate(
        "() => [...document.querySelectorAll('.ganeti-detail-list th')]"
        ".filter(e => e.scrollWidth > e.clientWidth)"
        ".map(e => e.textContent)")
    assert cut == []


def test_add_and_remove_a_cluster_tag(login, horizon_url, rapi_client2):
    tag = "dashboard-test:%s" % uuid.uuid4().hex[:6]
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/"
              "?tab=cluster_details__tags")
    page.wait_for_load_state("networkidle")
    try:
        page.click(".ganeti-add-tag")
        page.fill("#id_tag", tag)
        page.click("input.btn-primary[type=submit]")
        page.locator(".alert-success", has_text=tag).wait_for()
        assert tag in rapi_client2.cluster_tags()
        row = page.locator(".ganeti-cluster-tags tr", has_text=tag)
        row.wait_for()
        page.evaluate("document.querySelectorAll('.messages .alert')"
                      ".forEach(e => e.remove())")
        # Removing asks first, naming the tag; Cancel keeps it.
        row.locator("a", has_text="Remove").click()
        question = page.locator(".modal .ganeti-confirm-remove-tag")
        question.wait_for()
        assert question.inner_text().strip() == (
            "Remove the tag %s from cluster sandbox2?" % tag)
        page.locator(".modal a.cancel").click()
        question.wait_for(state="detached")
        assert tag in rapi_client2.cluster_tags()
        row.locator("a", has_text="Remove").click()
        page.locator(".modal input[type=submit][value='Remove Tag']") \
            .click()
        page.locator(".alert-success", has_text="removed").wait_for()
        assert tag not in rapi_client2.cluster_tags()
        # An invalid tag is a form error and reaches nothing.
        page.click(".ganeti-add-tag")
        page.fill("#id_tag", "not a tag")
        page.click("input.btn-primary[type=submit]")
        page.locator(".has-error, .error").first.wait_for()
        # The Recent Jobs tab shows both tag jobs and who ran them.
        page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/"
                  "?tab=cluster_details__jobs")
        jobs = page.locator(".ganeti-operations")
        jobs.wait_for()
        text = jobs.inner_text()
        assert "TAGS_SET" in text and "TAGS_DEL" in text
        assert "admin (admin)" in text
    finally:
        if tag in rapi_client2.cluster_tags():
            rapi_client2.wait_for_job(
                rapi_client2.delete_cluster_tags([tag]))
