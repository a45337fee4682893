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

"""Snapshots against a real cluster that goes down or hangs, a real
memcached that restarts, and two "Horizon hosts" sharing that memcached.

The cluster is the sandbox. It "goes down" or "hangs" when the dashboard's
configuration file (read again whenever it changes) sends the same cluster
name to a closed loopback port, or to one that accepts and never answers.
"""

import dataclasses
import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from unittest import mock
import uuid

from django.core.cache import cache
from django.test import override_settings
import pytest

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.api import snapshots

pytestmark = pytest.mark.integration

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CONFIG = """
[DEFAULT]
refresh_interval = 2
refresh_cost_factor = 1
max_snapshot_age = 600
snapshot_wait = 3
first_snapshot_wait = 3
[cluster:sandbox]
rapi_url = {url}
rapi_user = {s[RAPI_USER]}
rapi_password = {s[RAPI_PASSWORD]}
ca_file = {s[RAPI_CA]}
connect_timeout = 6
read_timeout = 10
refresh_timeout = 30
retries = 0
"""


@pytest.fixture
def silent_port():
    """A loopback port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture
def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def point_at(tmp_path, sandbox, settings):
    """point_at(url): the sandbox cluster is reached at ``url`` now."""
    path = tmp_path / "ganeti-dashboard.conf"

    def write(url):
        previous = path.stat().st_mtime if path.exists() else 0
        path.write_text(textwrap.dedent(CONFIG).format(url=url, s=sandbox))
        # A new modification time, whatever the file system's resolution.
        later = max(time.time(), previous + 1)
        os.utime(path, (later, later))
    write(sandbox["RAPI_URL"])
    settings.GANETI_DASHBOARD_CONFIG = str(path)
    clusters.reset_clients()
    cache.clear()
    snapshots.forget_decoded()
    instance_api.MERGED.clear()
    yield write
    snapshots.drain()
    clusters.reset_clients()


def _names(found):
    return {name for name, _cluster, _row in found.rows}


def _listed():
    """A page's listing, once its snapshot exists (a busy sandbox may
    answer after snapshot_wait).
    """
    instance_api.listing(scope_api.ALL)
    snapshots.drain()
    return instance_api.listing(scope_api.ALL)


def test_a_cluster_that_goes_down_keeps_its_last_snapshot(
        point_at, sandbox, closed_port, make_instance, unique_name):
    make_instance(unique_name, start=False)
    found = _listed()
    assert unique_name in _names(found)
    assert found.snapshots["sandbox"].error is None

    point_at("https://127.0.0.1:%d" % closed_port)
    time.sleep(2.5)  # due
    found = _listed()
    snapshot = found.snapshots["sandbox"]
    assert unique_name in _names(found)  # the last good one, not nothing
    assert snapshot.error == "connection refused"
    assert snapshot.age >= 2

    point_at(sandbox["RAPI_URL"])
    time.sleep(2.5)  # not asked again before refresh_interval
    found = _listed()
    assert found.snapshots["sandbox"].error is None
    assert unique_name in _names(found)


def test_a_hanging_refresh_holds_no_page_and_no_lease_forever(
        point_at, silent_port):
    _listed()
    point_at("https://127.0.0.1:%d" % silent_port)
    time.sleep(2.5)
    started = time.monotonic()
    found = instance_api.listing(scope_api.ALL)
    assert time.monotonic() - started < 1.0
    assert found.snapshots["sandbox"].available
    assert found.snapshots["sandbox"].refreshing
    # The refresh gives up after its timeouts, records why, and frees its
    # lease.
    snapshots.drain()
    found = instance_api.listing(scope_api.ALL)
    assert found.snapshots["sandbox"].error
    assert found.snapshots["sandbox"].available
    assert cache.get(snapshots._key("sandbox", "instances", "lease")) is None


def test_without_a_snapshot_a_hanging_cluster_costs_one_bounded_wait(
        point_at, silent_port):
    point_at("https://127.0.0.1:%d" % silent_port)
    started = time.monotonic()
    found = instance_api.listing(scope_api.ALL)
    waited = time.monotonic() - started
    assert 2.5 <= waited < 5  # snapshot_wait, not the timeouts
    assert not found.snapshots["sandbox"].available
    started = time.monotonic()
    instance_api.listing(scope_api.ALL)
    assert time.monotonic() - started < 1.0  # the next page does not wait


HOST_SETTINGS = """
from ganeti_dashboard.test.settings import *  # noqa
GANETI_DASHBOARD_CONFIG = {config!r}
CACHES = {{"default": {{
    "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
    "LOCATION": "127.0.0.1:{port}", "KEY_PREFIX": {prefix!r}}}}}
"""
HOST = """
import json, time
import django
django.setup()
from ganeti_dashboard.api import instances, rapi, scope, snapshots
while time.time() < {start}:
    time.sleep(0.001)
found = instances.listing(scope.ALL)
snapshots.drain()
print(json.dumps({{"rows": len(found.rows), "queries": rapi.CALLS.count(
    method="PUT", path="/2/query/instance"),
    "available": found.snapshots["sandbox"].available}}))
"""


def test_two_horizon_hosts_on_one_memcached_refresh_once(sandbox, tmp_path):
    """Two processes (two hosts' workers) sharing the dev stack's
    memcached under one key prefix find no snapshot at the same instant:
    one refresh, and both show it.
    """
    prefix = "gd-test-hosts-%s" % uuid.uuid4().hex[:8]
    config = tmp_path / "ganeti-dashboard.conf"
    config.write_text(textwrap.dedent("""
        [cluster:sandbox]
        rapi_url = {s[RAPI_URL]}
        rapi_user = {s[RAPI_USER]}
        rapi_password = {s[RAPI_PASSWORD]}
        ca_file = {s[RAPI_CA]}
        """).format(s=sandbox))
    (tmp_path / "host_settings.py").write_text(HOST_SETTINGS.format(
        config=str(config), prefix=prefix,
        port=int(os.environ.get("MEMCACHED_PORT", "11211"))))
    script = HOST.format(start=time.time() + 3)
    env = dict(os.environ, PYTHONWARNINGS="ignore",
               DJANGO_SETTINGS_MODULE="host_settings",
               PYTHONPATH=os.pathsep.join([str(tmp_path), REPO]))
    hosts = [subprocess.Popen([sys.executable, "-c", script],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, cwd=str(tmp_path), env=env)
             for _ in range(2)]
    outputs = [h.communicate(timeout=90) for h in hosts]
    answers = [json.loads(out.splitlines()[-1]) for out, _err in outputs]
    assert sum(a["queries"] for a in answers) == 1, (answers, outputs)
    assert answers[0]["rows"] == answers[1]["rows"], answers
    assert answers[0]["available"] and answers[1]["available"], answers


def test_a_memcached_restart_loses_only_speed(point_at):
    port = _free_port()
    daemon = _memcached(port)
    location = {"default": {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "127.0.0.1:%d" % port}}
    try:
        with override_settings(CACHES=location):
            first = _listed()
            assert first.snapshots["sandbox"].available
            daemon.terminate()
            daemon.wait(10)
            daemon = _memcached(port)
            snapshots.forget_decoded()
            instance_api.MERGED.clear()
            again = _listed()
            assert again.snapshots["sandbox"].available
            assert _names(again) == _names(first)
    finally:
        daemon.terminate()
        daemon.wait(10)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _memcached(port):
    daemon = subprocess.Popen(["memcached", "-l", "127.0.0.1", "-p",
                               str(port), "-U", "0", "-u", "memcache"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return daemon
        time.sleep(0.05)
    raise AssertionError("memcached did not start on %d" % port)


def test_a_slow_refresh_spaces_the_next_ones_but_a_write_refreshes_at_once(
        point_at, sandbox):
    """refresh_cost_factor against the real sandbox: its refresh's own
    duration, times a factor large enough to outlast the test, keeps the
    snapshot fresh past refresh_interval; a write of ours still makes the
    next page ask the cluster.
    """
    real = clusters.settings
    with mock.patch.object(clusters, "settings", lambda: dataclasses.replace(
            real(), refresh_cost_factor=100_000)):
        _listed()
        meta = cache.get(snapshots._key("sandbox", "instances", "meta"))
        assert meta["took"] > 0.001  # a real cluster's answer takes time
        time.sleep(2.5)  # past refresh_interval (2 s)
        rapi.CALLS.reset()
        found = instance_api.listing(scope_api.ALL)
        snapshots.drain()
        assert not found.snapshots["sandbox"].refreshing
        assert rapi.CALLS.count(method="PUT", path="/2/query/instance") == 0

        snapshots.mark_stale("sandbox")
        time.sleep(0.01)
        found = instance_api.listing(scope_api.ALL)
        assert rapi.CALLS.count(method="PUT", path="/2/query/instance") == 1
        assert found.snapshots["sandbox"].available
