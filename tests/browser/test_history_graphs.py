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

"""The History tabs against the dev stack's real Prometheus
(tools/lib/prometheus.sh, which tools/test brings up): node_exporter and
process-exporter in each sandbox node's namespace, scraped every 5 s.
"""

import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser.pages import until

pytestmark = pytest.mark.browser

GRAPH = '.ganeti-history-graph[data-graph="%s"] svg'
# A Prometheus that just started has no rate() before a minute of scrapes
# (the window is at least 60 s), and the tab asks again every 15 s.
FIRST_POINTS_WITHIN = 180


def _count(page, graph):
    return int(page.locator(GRAPH % graph).get_attribute("data-count") or 0)


def test_the_hour_graph_draws_from_prometheus(login, horizon_url, sandbox,
                                              screenshot):
    page = login(ADMIN)
    node = sandbox["NODE"]
    page.goto("%s/admin/ganeti_nodes/sandbox:%s/?tab=node_details__history"
              % (horizon_url, node))
    page.locator(".ganeti-history").wait_for()
    until(lambda: _count(page, "cpu") >= 3, FIRST_POINTS_WITHIN,
          "three CPU points from Prometheus")
    until(lambda: _count(page, "memory") >= 3, 30, "three memory points")
    assert page.locator(GRAPH % "cpu" + " path").count() >= 1
    assert page.locator(".ganeti-history-error").is_hidden()
    value = page.locator('.ganeti-history-graph[data-graph="cpu"] '
                         '.ganeti-history-value').inner_text()
    assert value.endswith("%"), value
    memory = page.locator('.ganeti-history-graph[data-graph="memory"] '
                          '.ganeti-history-value').inner_text()
    assert memory.endswith("iB"), memory
    # The JSON the tab read: the series are Prometheus' own, at most
    # 300 points, on 15 s steps, labelled with the sandbox's node.
    answer = page.request.get(
        "%s/admin/ganeti_nodes/sandbox:%s/history/?range=hour"
        % (horizon_url, node))
    assert answer.status == 200
    found = answer.json()
    assert found["configured"] and found["error"] is None
    cpu = found["graphs"]["cpu"]
    assert cpu["step"] == 15
    points = cpu["series"][0]["points"]
    assert 3 <= len(points) <= 300
    assert all(0 <= value <= 100 for _when, value in points)
    # Another range: the buttons ask for it.
    page.locator('.ganeti-history-ranges [data-range="day"]').click()
    until(lambda: page.locator(GRAPH % "cpu").get_attribute("data-range")
          == "day", 30, "the day's graph")
    assert page.locator('.ganeti-history-ranges [data-range="day"]'
                        ).get_attribute("aria-pressed") == "true"
    screenshot(page, "day")
    assert page.errors == []


def test_a_member_gets_no_history(login, horizon_url, sandbox):
    page = login(DEMO_MEMBER)
    answer = page.request.get(
        "%s/admin/ganeti_nodes/sandbox:%s/history/" % (horizon_url,
                                                       sandbox["NODE"]),
        headers={"X-Requested-With": "XMLHttpRequest"})
    assert answer.status in (401, 403), answer.status


@pytest.fixture
def kvm_instance(made_instance, mapped_projects):
    """A running KVM guest of the demo project on sandbox (real QEMU)."""
    return made_instance(
        name="gdhist-%s.ganeti.test" % uuid.uuid4().hex[:8],
        hypervisor="kvm", tags=["openstack:project:%s"
                                % mapped_projects["demo"]])


def test_a_kvm_instance_history_from_its_qemu_process(
        login, horizon_url, kvm_instance, screenshot):
    """process-exporter groups the guest's QEMU by its -name (the
    instance name): the member, coming from the project's overview, sees
    its memory and CPU drawn.
    """
    page = login(DEMO_MEMBER)
    # From the project's overview: its row links to the History tab.
    page.goto("%s/project/ganeti_overview/" % horizon_url)
    link = page.locator('tr[data-instance="sandbox:%s"] '
                        '.ganeti-live-history a' % kvm_instance)
    link.wait_for(timeout=60_000)
    link.click()
    page.wait_for_url("**/sandbox:%s/?tab=instance_details__history"
                      % kvm_instance)
    page.locator(".ganeti-history").wait_for()
    until(lambda: _count(page, "memory") >= 2, FIRST_POINTS_WITHIN,
          "two memory points of the guest's QEMU")
    until(lambda: _count(page, "cpu") >= 1, 60, "a CPU point")
    memory = page.locator('.ganeti-history-graph[data-graph="memory"] '
                          '.ganeti-history-value').inner_text()
    assert memory.endswith("iB"), memory
    assert page.locator(".ganeti-history-error").is_hidden()
    screenshot(page, "kvm")
    assert page.errors == []


def test_another_project_gets_no_instance_history(login, horizon_url,
                                                  kvm_instance):
    page = login(OTHER_MEMBER)
    answer = page.request.get(
        "%s/project/ganeti_instances/sandbox:%s/history/"
        % (horizon_url, kvm_instance),
        headers={"X-Requested-With": "XMLHttpRequest"})
    assert answer.status in (403, 404), answer.status
