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
here is load on both nodes. Ganeti 3.0's cpu-avg-load is the average of
the last 10 minutes (its samples are 5 s apart), so the figure rises
slowly: by (busy now - busy 10 minutes ago) / 120 for each 5 s. On a
machine whose CPUs are already busy (other test runs), a busy loop adds
nothing to rise by: the test then says so, with the measured idle time,
instead of failing.
"""

import os
import signal
import subprocess
import time

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.pages import until

pytestmark = pytest.mark.browser

BUSY_SECONDS = 45
CPU = '.ganeti-live-graph[data-series="cpu"]'
MEMORY = '.ganeti-live-graph[data-series="memory"]'


@pytest.fixture
def busy_loops():
    """start() runs one bounded busy loop per CPU, each in a process group
    of its own; the groups are killed when the test ends. (Killing only
    ``timeout`` would leave its shell looping for ever: a SIGKILL is not
    passed on, and the loops slowed every later test of the run.)
    """
    started = []

    def start():
        for _ in range(os.cpu_count() or 1):
            started.append(subprocess.Popen(
                ["timeout", str(BUSY_SECONDS), "sh", "-c",
                 "while :; do :; done"], start_new_session=True))
    yield start
    for process in started:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # timeout ended it, and its loop, already
        process.wait(10)


def _idle_fraction(seconds):
    """The share of this machine's CPU time spent idle over ``seconds``."""
    def read():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return values[3], sum(values)
    idle0, total0 = read()
    time.sleep(seconds)
    idle1, total1 = read()
    return (idle1 - idle0) / max(1, total1 - total0)


def _count(page, graph):
    return int(page.locator(graph + " svg").first.get_attribute(
        "data-count") or 0)


def _value(page, graph):
    return float(page.locator(graph + " .ganeti-live-value").first
                 .get_attribute("data-value"))


def test_node_cpu_graph_grows_and_rises_under_load(
        login, horizon_url, sandbox2, busy_loops, screenshot):
    page = login(ADMIN)
    node = sandbox2["NODE"]
    page.goto("%s/admin/ganeti_nodes/sandbox2:%s/?tab=node_details__live"
              % (horizon_url, node))
    page.locator(".ganeti-live").wait_for()
    until(lambda: _count(page, CPU) >= 2, 40, "two CPU points")
    until(lambda: _count(page, MEMORY) >= 1, 40, "a memory point")
    # The page asks again by itself: the graph grows without a reload.
    first = _count(page, CPU)
    seen = set()

    def more_points():
        seen.add(_value(page, CPU))
        return _count(page, CPU) >= first + 2
    until(more_points, 30, "more CPU points")
    # The graph moves: the figures differ (the daemon's 10-minute
    # average changes a little every 5 s).
    seen.add(_value(page, CPU))
    assert len(seen) > 1, seen
    failed = page.locator(".ganeti-live-collectors tr[data-collector="
                          "drbd] .ganeti-live-failed")
    assert failed.inner_text().startswith("HTTP 500")
    answered = page.locator(".ganeti-live-collectors "
                            "tr[data-collector=cpu-avg-load] td").nth(1)
    assert answered.inner_text() == "answered"
    idle = _idle_fraction(5)
    before = _value(page, CPU)
    busy_loops()
    deadline = time.monotonic() + BUSY_SECONDS
    risen = before
    while time.monotonic() < deadline and risen <= before + 0.05:
        time.sleep(1)
        risen = _value(page, CPU)
    screenshot(page, "busy")
    assert page.errors == []
    if risen <= before + 0.05 and idle < 0.05:
        pytest.skip("the CPUs were busy already (%.1f%% idle before the "
                    "busy loops): nothing for the loops to add, the figure "
                    "went from %.2f%% to %.2f%%"
                    % (100 * idle, before, risen))
    assert risen > before + 0.05, (
        "the CPU figure did not rise from %.2f%% in %ds with %.1f%% of "
        "the CPUs idle before" % (before, BUSY_SECONDS, 100 * idle))


def test_cluster_live_tab_one_graph_per_node(login, horizon_url, sandbox2):
    page = login(ADMIN)
    page.goto("%s/admin/ganeti_clusters/sandbox2/?tab=cluster_details__live"
              % horizon_url)
    until(lambda: page.locator(".ganeti-live-node").count() == 2, 40,
          "both nodes")
    names = page.locator(".ganeti-live-node-name").all_inner_texts()
    assert sorted(names) == sorted([sandbox2["NODE"], sandbox2["NODE2"]])
    for box in page.locator(".ganeti-live-node").all():
        until(lambda: int(box.locator(CPU + " svg").get_attribute(
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
