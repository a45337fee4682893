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

"""Unit-test helpers: a ganeti-dashboard.conf written for one test, the
fake RAPI behind it, and the snapshots' clock.
"""

import contextlib
import os
import tempfile
import threading
import time
from unittest import mock
import urllib.parse

from django.test import utils as django_test_utils

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_rapi


@contextlib.contextmanager
def config_file(text):
    """Point the dashboard at a config file holding ``text``."""
    handle, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(handle, "w") as f:
        f.write(text)
    clusters.reset_clients()
    try:
        with django_test_utils.override_settings(
                GANETI_DASHBOARD_CONFIG=path):
            yield path
    finally:
        os.unlink(path)
        clusters.reset_clients()


TWO_CLUSTERS = """
[DEFAULT]
refresh_interval = 10

[cluster:alpha]
rapi_url = https://alpha.example.test:5080
rapi_user = ganeti
rapi_password = secret-alpha

[cluster:beta]
rapi_url = https://beta.example.test:5080
rapi_user = ganeti
rapi_password = secret-beta
"""


def become_reader(case):
    """Make the logged-in test user of ``case`` a reader of its project."""
    case.setActiveUser(id=case.user.id, token=case.token,
                       username=case.user.name, tenant_id=case.tenant.id,
                       service_catalog=case.service_catalog,
                       authorized_tenants=case.tenants.list(),
                       roles=[{"name": "reader"}])


# Snapshots age fast: one over a minute old is too old to serve without
# trying for a new one, and a page waits a second at most for that.
AGING = TWO_CLUSTERS.replace(
    "refresh_interval = 10",
    "refresh_interval = 10\nmax_snapshot_age = 60\nsnapshot_wait = 1\nfirst_snapshot_wait = 1")


class FakeRapiMixin:
    """A test case's clusters are the HTTP-level fake RAPI
    (``self.fake``, made by :meth:`make_fake`) configured by ``CONFIG``,
    from ``setUp`` to the end of the test.
    """

    CONFIG = TWO_CLUSTERS

    def make_fake(self):
        return fake_rapi.FakeGaneti.from_config(self.CONFIG)

    def setUp(self):
        super().setUp()
        self.fake = self.make_fake().install(self)
        conf = config_file(self.CONFIG)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)


class SnapshotClock:
    """The snapshots' wall clock for the rest of ``testcase``, moved
    ahead by the test (``clock.now += 90``); it runs on meanwhile, so
    that what waits for it (a refresh another page started less than
    ``snapshot_wait`` ago) ends.
    """

    def __init__(self, testcase, frozen=False):
        """``frozen``: it moves only when the test moves it, for a test
        that counts refreshes (a slow machine must not make one due).
        """
        self.ahead = 0.0
        self._frozen_at = time.time() if frozen else None
        patch = mock.patch.object(snapshots, "_now", self)
        patch.start()
        testcase.addCleanup(patch.stop)

    def _base(self):
        return time.time() if self._frozen_at is None else self._frozen_at

    @property
    def now(self):
        return self._base() + self.ahead

    @now.setter
    def now(self, value):
        self.ahead = value - self._base()

    def __call__(self):
        return self.now


def hang_for_real(fake, testcase):
    """Make the ``"hanging"`` clusters of ``fake`` hang as a real one
    does: a request to one waits its read timeout before it fails (or
    until ``testcase`` ends), instead of failing at once. Returns the list
    of ``(cluster, path)`` of the requests that began to hang.
    """
    released = threading.Event()
    attempt = fake._attempt
    hanging = []

    def hang(pool, request, timeout, verify):
        cluster = fake._cluster_for(request.url)
        path = urllib.parse.urlsplit(request.url).path
        if cluster is not None and cluster.fault_for(path) == "hanging":
            hanging.append((cluster.name, path))
            released.wait(timeout[1] if isinstance(timeout, tuple)
                          else timeout)
        return attempt(pool, request, timeout, verify)

    patch = mock.patch.object(fake, "_attempt", hang)
    patch.start()
    testcase.addCleanup(patch.stop)
    testcase.addCleanup(released.set)
    return hanging


def at_once(call, viewers=20):
    """``call()`` from ``viewers`` threads released together (many
    people looking at the same page), then the refreshes they started
    drained; their answers.
    """
    answers, start = [], threading.Barrier(viewers)

    def view():
        start.wait(10)
        answers.append(call())
    threads = [threading.Thread(target=view) for _ in range(viewers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    snapshots.drain()
    return answers
