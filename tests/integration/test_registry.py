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

"""The cluster registry against real clusters and real faults at once."""

import socket
import time

import pytest

from django.core.cache import cache

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import snapshots

pytestmark = pytest.mark.integration


@pytest.fixture
def config(tmp_path, sandbox, settings):
    """A config with the sandbox and three broken clusters."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    path = tmp_path / "ganeti-dashboard.conf"
    path.write_text("""
[cluster:sandbox]
rapi_url = {url}
rapi_user = {user}
rapi_password = {password}
ca_file = {ca}
[cluster:down]
rapi_url = https://127.0.0.1:{closed}
[cluster:wrongpw]
rapi_url = {url}
rapi_user = {user}
rapi_password = not-the-password
ca_file = {ca}
[cluster:silent]
rapi_url = https://127.0.0.1:{silent}
connect_timeout = 1
read_timeout = 1
refresh_timeout = 1
""".format(url=sandbox["RAPI_URL"], user=sandbox["RAPI_USER"],
           password=sandbox["RAPI_PASSWORD"], ca=sandbox["RAPI_CA"],
           closed=closed, silent=silent.getsockname()[1]))
    settings.GANETI_DASHBOARD_CONFIG = str(path)
    clusters.reset_clients()
    cache.clear()
    snapshots.forget_decoded()
    yield path
    snapshots.drain()
    silent.close()
    clusters.reset_clients()


def test_summaries_keep_working_clusters_and_name_each_failure(
        config, sandbox):
    started = time.monotonic()
    summaries = {s.name: s for s in cluster_state.cluster_summaries()}
    elapsed = time.monotonic() - started
    assert list(summaries) == ["down", "sandbox", "silent", "wrongpw"]
    good = summaries["sandbox"]
    assert good.reachable
    assert good.info["name"] == sandbox["CLUSTER_NAME"]
    assert good.node_count == 1
    assert good.instance_count == len(
        clusters.client("sandbox").instance_names())
    assert str(summaries["down"].error) == "connection refused"
    assert str(summaries["wrongpw"].error) == "authentication failed"
    assert str(summaries["silent"].error).startswith("no ")
    # Fetched concurrently: the silent cluster's timeout is paid once, and
    # no cluster waits for another (bound is generous, not a benchmark).
    assert elapsed < 8


def test_fetch_all_runs_the_call_on_every_cluster(config):
    fanout = clusters.fetch_all(lambda client: client.version())
    assert fanout.results == {"sandbox": 2}
    assert set(fanout.errors) == {"down", "wrongpw", "silent"}
