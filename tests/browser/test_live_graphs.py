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

"""The Live tabs against sandbox2's real ganeti-mond.

The sandbox nodes share this machine's kernel, so a busy loop started
here is load on both nodes. Ganeti 3.0's cpu-avg-load is an average over
the collector's whole buffer (150 samples, 5 s apart: about 12 minutes),
so the figure rises slowly: by roughly half a percentage point for each
5 s of both CPUs busy.
"""

import os
import subprocess
import time

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser

BUSY_SECONDS = 40
CPU = '.ganeti-live-graph[data-series="cpu"]'
MEMORY = '.ganeti-live-graph[data-series="memory"]'


@pytest.fixture
def busy_loops():
    """start() runs one bounded busy loop per CPU; all are killed (by
    their pids) when the test ends.
    """
    started = []

    def start():
        for _ in range(os.cpu_count() or 1):
            started.append(subprocess.Popen(
                ["timeout", str(BUSY_SECONDS), "sh", "-c",
                 "while :; do :; done"]))
    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def _count(page, graph):
    return int(page.locator(graph + " svg").first.get_attribute(
        "data-count") or 0)


def _value(page, graph):
    return float(page.locator(graph + " .ganeti-live-value").first
                 .get_attribute("data-value"))


def _wait(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(1)
    raise AssertionError("not within %ds: %s" % (seconds, what))


def test_node_cpu_graph_grows_and_rises_under_load(
        login, horizon_url, sandbox2, busy_loops, screenshot):
    page = login(ADMIN)
    node = sandbox2["NODE"]
    page.goto("%s/admin/ganeti_nodes/sandbox2:%s/?tab=node_details__live"
              % (horizon_url, node))
    page.locator(".ganeti-live").wait_for()
    _wait(lambda: _count(page, CPU) >= 2, 40, "two CPU points")
    _wait(lambda: _count(page, MEMORY) >= 1, 40, "a memory point")
    # The page asks again by itself: the graph grows without a reload.
    first = _count(page, CPU)
    _wait(lambda: _count(page, CPU) >= first + 2, 30, "more CPU points")
    failed = page.locator(".ganeti-live-collectors tr[data-collector="
                          "drbd] .ganeti-live-failed")
    assert failed.inner_text().startswith("HTTP 500")
    answered = page.locator(".ganeti-live-collectors "
                            "tr[data-collector=cpu-avg-load] td").nth(1)
    assert answered.inner_text() == "answered"
    before = _value(page, CPU)
    busy_loops()
    risen = _wait(lambda: _value(page, CPU) > before + 0.3 and
                  _value(page, CPU), BUSY_SECONDS, "the CPU figure rising "
                  "from %.2f%%" % before)
    screenshot(page, "busy")
    assert risen > before
    assert page.errors == []


def test_cluster_live_tab_one_graph_per_node(login, horizon_url, sandbox2):
    page = login(ADMIN)
    page.goto("%s/admin/ganeti_clusters/sandbox2/?tab=cluster_details__live"
              % horizon_url)
    _wait(lambda: page.locator(".ganeti-live-node").count() == 2, 40,
          "both nodes")
    names = page.locator(".ganeti-live-node-name").all_inner_texts()
    assert sorted(names) == sorted([sandbox2["NODE"], sandbox2["NODE2"]])
    for box in page.locator(".ganeti-live-node").all():
        _wait(lambda: int(box.locator(CPU + " svg").get_attribute(
            "data-count")) >= 1, 40, "a CPU point per node")
    assert page.errors == []


def test_a_cluster_without_mond_names_the_failure(login, horizon_url):
    """zz-down's RAPI is a closed port: the tab says so, the page is
    served.
    """
    page = login(ADMIN)
    answer = page.request.get(horizon_url
                              + "/admin/ganeti_clusters/zz-down/live/")
    assert answer.status == 200
    assert "connection refused" in answer.json()["error"]
