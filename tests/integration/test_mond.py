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

"""Live figures from the real ganeti-mond of sandbox2's two nodes, and
the unit tests' fake mond checked against it.
"""

import os
import socket
import tempfile
import time

from django.core.cache import cache
from django.test import override_settings
import pytest

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import monitoring
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_mond

pytestmark = pytest.mark.integration

CONFIG = """
[DEFAULT]
refresh_interval = 2
live_interval = 2
refresh_cost_factor = 1
snapshot_wait = 10
first_snapshot_wait = 10
[cluster:sandbox2]
rapi_url = {s[RAPI_URL]}
rapi_user = {s[RAPI_USER]}
rapi_password = {s[RAPI_PASSWORD]}
ca_file = {s[RAPI_CA]}
connect_timeout = 6
read_timeout = 10
{extra}
"""


def _configured(sandbox2, extra=""):
    handle, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(handle, "w") as f:
        f.write(CONFIG.format(s=sandbox2, extra=extra))
    return path


@pytest.fixture
def live(sandbox2):
    """``live(extra config) -> figures of the cluster`` read for real."""
    paths = []

    def read(extra=""):
        path = _configured(sandbox2, extra)
        paths.append(path)
        cache.clear()
        snapshots.forget_decoded()
        clusters.reset_clients()
        with override_settings(GANETI_DASHBOARD_CONFIG=path):
            found = monitoring.cluster_figures("sandbox2")
            snapshots.drain()
            deadline = time.monotonic() + 30
            while found["taken"] is None and time.monotonic() < deadline:
                time.sleep(0.5)
                found = monitoring.cluster_figures("sandbox2")
            return found
    yield read
    for path in paths:
        os.unlink(path)
    cache.clear()
    clusters.reset_clients()


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_both_nodes_cpu_and_named_collector_failures(live, sandbox2):
    monitoring.CALLS.reset()
    found = live()
    assert found["error"] is None
    nodes = {n["name"]: n for n in found["nodes"]}
    assert {sandbox2["NODE"], sandbox2["NODE2"]} == set(nodes)
    for node in nodes.values():
        assert node["error"] is None, node
        cpu = node["cpu"]
        assert cpu["count"] == os.cpu_count()  # the nodes share this kernel
        assert len(cpu["cpus"]) == cpu["count"]
        assert 0 <= cpu["percent"] <= 100
        assert node["memory"]["total"] > 0
        errors = {c["name"]: c["error"] for c in node["collectors"]}
        # As measured on the sandbox (see the fake): diskstats and drbd
        # fail there, with HTTP 500, and are named; the others answer.
        assert errors["cpu-avg-load"] is None
        assert errors["lv"] is None
        assert errors["diskstats"].startswith("HTTP 500")
        assert errors["drbd"].startswith("HTTP 500")
        assert node["lv"] == []  # no LVM in this kernel
    # One reading per node: all (500), the list, one per collector.
    for node in nodes.values():
        asked = [p for a, _m, p in monitoring.CALLS.calls
                 if a == node["address"]]
        assert asked[:2] == ["/1/report/all", "/1/list/collectors"]
        assert len(asked) == 2 + 5


def test_a_closed_port_is_named_per_node(live):
    found = live("mond_port = %d\nmond_address_field = name\n"
                 % _closed_port())
    for node in found["nodes"]:
        assert node["error"] in ("connection refused", "host name unknown")
        assert node["cpu"] is None
        assert node["memory"]["free"] is not None  # RAPI's still


def test_the_fake_mond_answers_as_the_real_one(sandbox2):
    import requests
    node_address = "198.18.82.2"
    listed = requests.get("http://%s:1815/1/list/collectors"
                          % node_address, timeout=5).json()
    assert fake_mond.COLLECTORS == listed
    failing = {}
    for name, category, _kind in listed:
        answer = requests.get("http://%s:1815/1/report/%s/%s" % (
            node_address, category or "default", name), timeout=5)
        if answer.status_code != 200:
            failing[name] = answer.status_code
            assert answer.content.strip() == fake_mond.FAILURE
        else:
            report = answer.json()
            assert set(report) == {"name", "version", "format_version",
                                   "timestamp", "category", "kind", "data"}
            assert type(report["data"]) is type(fake_mond.DATA[name])
    assert failing == fake_mond.FakeMond(node_address).failing
    assert requests.get("http://%s:1815/1/report/all" % node_address,
                        timeout=5).status_code == 500
