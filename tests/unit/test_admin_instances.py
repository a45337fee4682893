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

"""Admin > Ganeti > Instances: every cluster's instances, from snapshots.

RAPI is the HTTP-level fake (``ganeti_dashboard.test.fake_rapi``): the list
reads each cluster's snapshot (one ``PUT /2/query/instance`` per cluster,
then none while it is fresh), filters and pages its rows, and says which
clusters it cannot show as they are now.
"""

import re
import threading
import time
import types
from unittest import mock
import urllib.parse

from django.conf import settings
from django.urls import reverse
from keystoneauth1 import exceptions as ks_exceptions

from openstack_dashboard.api import keystone as horizon_keystone
from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers
from tests.unit.test_snapshots import Clock

INDEX_URL = reverse("horizon:admin:ganeti_instances:index")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
QUERY = ("PUT", "/2/query/instance")
NODE_QUERY = ("PUT", "/2/query/node")


def _instance(name, project=None, status="running", **extra):
    """An instance as RAPI answers ``/2/instances/<name>`` (its main
    fields); :func:`add` puts one on a fake cluster.
    """
    data = {"name": name, "status": status, "admin_state": "up",
            "pnode": "node1", "snodes": [], "os": "noop",
            "tags": ["openstack:project:%s" % project] if project else [],
            "disk_template": "diskless",
            "beparams": {"vcpus": 1, "maxmem": 128}, "disk.sizes": [],
            "nic.ips": ["10.0.0.5"], "nic.macs": ["aa:00:00:00:00:01"]}
    data.update(extra)
    return data


# What add() passes as add_instance()'s own arguments; any other key is
# set on the fake instance as it is.
_ADD_KEYS = ("name", "status", "admin_state", "pnode", "snodes", "os",
             "tags", "disk_template", "beparams", "disk.sizes", "nic.ips",
             "nic.macs")


def add(cluster, data):
    """Put ``data`` (an :func:`_instance` dict) on the fake ``cluster``."""
    cluster.add_instance(
        data["name"], status=data["status"], pnode=data["pnode"],
        snodes=data["snodes"], os=data["os"], tags=data["tags"],
        beparams=data["beparams"], disk_template=data["disk_template"],
        disks=data["disk.sizes"],
        nics=[{"ip": ip, "mac": mac} for ip, mac in
              zip(data["nic.ips"], data["nic.macs"])],
        **{k: v for k, v in data.items() if k not in _ADD_KEYS})


def fake_ganeti(lists, config=helpers.TWO_CLUSTERS):
    """A fake Ganeti whose clusters hold ``lists`` (cluster name -> list
    of :func:`_instance` dicts).
    """
    fake = fake_rapi.FakeGaneti.from_config(config)
    for name, items in lists.items():
        for data in items:
            add(fake[name], data)
    return fake


LISTS = {
    "alpha": [_instance("vm1.alpha", "p-demo"),
              _instance("vm2.alpha", status="ADMIN_down")],
    "beta": [_instance("vm3.beta", "p-other")],
}


def _patched(failures=None):
    """The fake Ganeti of :data:`LISTS` (as it is when called), to use
    as a context manager; ``failures``: cluster name -> a fault of
    ``FakeCluster.fail`` (e.g. "refused").
    """
    fake = fake_ganeti(LISTS)
    for name, fault in (failures or {}).items():
        fake[name].fail(fault)
    return fake


def polled(res):
    """The classes of the row a row update answered if Horizon's script
    asks for it again (a ``warning`` row with ``ajax-update``), else [].
    """
    tag = re.search(r"<tr[^>]*>", res.content.decode()).group(0)
    classes = re.search(r'class="([^"]*)"', tag).group(1).split()
    return classes if {"warning", "ajax-update"} <= set(classes) else []


def asked(fake, method="PUT", path="/2/query/instance"):
    """The clusters sent ``method path``, in order, one per request."""
    return [r.cluster for r in fake.requests
            if (r.method, r.path) == (method, path)]


class Gate:
    """Holds every request to one fake cluster until opened: a cluster
    that takes its time to answer (the fake's own faults answer at once).
    """

    def __init__(self, fake, cluster):
        self.event = threading.Event()
        host = fake[cluster].host
        send = fake.send

        def held(adapter, request, timeout, verify):
            if urllib.parse.urlsplit(request.url).hostname == host:
                self.event.wait(30)
            return send(adapter, request, timeout, verify)

        fake.send = held

    def open(self):
        self.event.set()


class ListPage:
    """A test case's instances list (``index_url``) on a fake Ganeti."""

    index_url = INDEX_URL

    def start_fake(self, lists, config=helpers.TWO_CLUSTERS):
        """``self.fake``, holding ``lists``, and ``config`` in force
        until the test ends.
        """
        self.fake = fake_ganeti(lists, config)
        self.fake.install(self)
        conf = helpers.config_file(config)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)

    def names(self, res):
        return [r.name for r in res.context["table"].data]

    def filtered(self, field, value):
        return self.client.post(self.index_url, {
            "instances__filter__q_field": field,
            "instances__filter__q": value}, follow=True)


class _Case(ListPage, test.BaseAdminViewTests):
    """An operator, the fake Ganeti of :data:`LISTS` on ``config``."""

    config = helpers.TWO_CLUSTERS

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(
            keystone_api, "project_names",
            return_value={"p-demo": "demo", "p-other": "<i>other</i>"})
        patcher.start()
        self.addCleanup(patcher.stop)
        self.start_fake(LISTS, self.config)


class AdminInstancesTests(_Case):

    def test_lists_all_clusters_with_owner_project(self):
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual(["vm1.alpha", "vm2.alpha", "vm3.beta"],
                         self.names(res))
        content = res.content.decode()
        self.assertIn("unassigned", content)
        self.assertIn("demo", content)
        self.assertIn("&lt;i&gt;other&lt;/i&gt;", content)
        self.assertIn("Stopped", content)
        self.assertIn("10.0.0.5", content)

    def test_one_query_per_cluster_then_none_within_refresh_interval(self):
        self.client.get(INDEX_URL)
        # A refresh: the nodes' lists of their instances, and the
        # instances' own fields.
        self.assertEqual([("alpha",) + QUERY, ("alpha",) + NODE_QUERY,
                          ("beta",) + QUERY, ("beta",) + NODE_QUERY], sorted(
            (r.cluster, r.method, r.path) for r in self.fake.requests))
        self.fake.reset_requests()
        # Another view, another page, a filter: all from the snapshots.
        again = self.client.get(INDEX_URL)
        self.client.get(INDEX_URL + "?page=2")
        self.filtered("status", "running")
        self.assertEqual([], self.fake.requests)
        self.assertEqual(["vm1.alpha", "vm2.alpha", "vm3.beta"],
                         self.names(again))

    def test_the_page_after_our_write_shows_what_it_did(self):
        self.client.get(INDEX_URL)
        clusters.client("alpha").startup_instance("vm2.alpha")
        self.fake.reset_requests()
        # Due at once: the next page waits (bounded) for alpha's refresh,
        # and only alpha's.
        self.assertNotContains(self.client.get(INDEX_URL), "Stopped")
        self.assertEqual(["alpha"], asked(self.fake))
        self.fake.reset_requests()
        self.client.get(INDEX_URL)
        self.assertEqual([], asked(self.fake))

    def test_one_cluster_down_names_it_and_shows_the_other(self):
        self.fake["beta"].fail("refused")
        res = self.client.get(INDEX_URL)
        self.assertEqual(["vm1.alpha", "vm2.alpha"], self.names(res))
        self.assertContains(res, "beta could not be queried: connection "
                                 "refused")

    def test_bad_page_number_is_not_a_500(self):
        for page in ("abc", "0", "-1", "99"):
            res = self.client.get(INDEX_URL + "?page=" + page)
            self.assertEqual(200, res.status_code, page)

    def test_row_update_of_a_pending_job_settles_it(self):
        alpha = self.fake["alpha"]
        alpha.hold_jobs = True
        job_id = clusters.client("alpha").shutdown_instance("vm1.alpha")
        pending_jobs.remember("alpha", "vm1.alpha", job_id, "shutdown",
                              "Shutting down")
        url = (INDEX_URL + "?action=row_update&table=instances"
               "&obj_id=alpha:vm1.alpha")
        running = self.client.get(url, **AJAX)
        self.assertContains(running, "Shutting down (job %d)" % job_id)
        # Not settled: Horizon's script asks again.
        self.assertIn("warning", polled(running))
        alpha.finish_job(job_id)
        res = self.client.get(url, **AJAX)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Stopped")
        self.assertEqual([], polled(res))
        self.assertIsNone(pending_jobs.pending("alpha", "vm1.alpha"))

    def test_row_update_outside_the_scope_is_404(self):
        res = self.client.get(
            INDEX_URL + "?action=row_update&table=instances"
            "&obj_id=nocluster:vm1.alpha", **AJAX)
        self.assertEqual(404, res.status_code)

    def test_read_only_rapi_user_refusal_is_explained(self):
        alpha = self.fake["alpha"]
        alpha.fail("read-only")
        res = self.client.post(INDEX_URL, {
            "action": "instances__start",
            "object_ids": ["alpha:vm2.alpha"]}, follow=True)
        self.assertContains(res, "this cluster is read-only for the "
                                 "dashboard")
        refused = self.fake.writes()
        self.assertEqual(["/2/instances/vm2.alpha/startup"],
                         [r.path for r in refused])
        self.assertEqual(403, refused[0].status)
        self.assertEqual({}, alpha.queue.jobs)
        self.assertEqual("ADMIN_down", alpha.instances["vm2.alpha"]["status"])

    def test_a_cluster_filter_asks_only_the_clusters_it_can_show(self):
        self.fake["beta"].fail("refused")
        filtered = self.filtered("cluster", "ALPHA ")
        self.assertEqual(["vm1.alpha", "vm2.alpha"], self.names(filtered))
        # beta, down, could show nothing: it was not asked, nor named.
        self.assertEqual(["alpha"], asked(self.fake))
        self.assertEqual({"alpha"}, {r.cluster for r in self.fake.requests})
        self.assertNotContains(filtered, "could not be queried")
        self.fake.reset_requests()
        # "a" is in both names: beta is asked too (alpha's snapshot is
        # fresh) and named.
        both = self.filtered("cluster", "a")
        self.assertEqual({"beta"}, {r.cluster for r in self.fake.requests})
        self.assertContains(both, "beta could not be queried")
        self.assertEqual(["vm1.alpha", "vm2.alpha"], self.names(both))


class ReadOnlyClusterTests(_Case):

    config = helpers.TWO_CLUSTERS.replace(
        "rapi_password = secret-beta",
        "rapi_password = secret-beta\nread_only = true")

    def test_read_only_cluster_hides_write_actions(self):
        content = self.client.get(INDEX_URL).content.decode()
        self.assertIn("Cluster beta is read-only for the dashboard", content)
        self.assertIn("alpha:vm1.alpha/shutdown", content)
        self.assertIn("vm3.beta", content)
        self.assertNotIn("beta:vm3.beta/shutdown", content)
        self.assertEqual([], self.fake.writes())


class PagingTests(_Case):
    """Filters and pages over the snapshots' rows, across clusters."""

    def setUp(self):
        super().setUp()
        page_size = settings.API_RESULT_PAGE_SIZE
        # Names of both clusters interleave in the list's order.
        self.total = 2 * page_size + page_size // 2
        for number in range(self.total):
            add(self.fake["alpha" if number % 2 else "beta"],
                _instance("vm%03d.x" % number))
        self.page_size = page_size

    def test_page_two_of_three_shows_the_right_rows(self):
        res = self.client.get(INDEX_URL + "?page=2")
        size = self.page_size
        shown = [(i.name, i.cluster) for i in res.context["table"].data]
        self.assertEqual([("vm%03d.x" % n, "alpha" if n % 2 else "beta")
                          for n in range(size, 2 * size)], shown)
        total = self.total + sum(len(v) for v in LISTS.values())
        self.assertEqual(total, res.context["view"]._total_of_entries)
        # "Next" and "Prev" lead to pages 3 and 1 (no menu of every page:
        # at 5,000 instances it wrote hundreds of links).
        content = res.content.decode()
        # The count of all rows, at the top and the bottom.
        self.assertEqual(2, content.count(
            "Displaying %d&ndash;%d of %d items (page 2 of 3), sorted by "
            "name" % (size + 1, 2 * size, total)))
        self.assertEqual(2, content.count(
            'href="?page=3">Next&nbsp;&raquo;</a>'))
        self.assertEqual(2, content.count(
            'href="?page=1">&laquo;&nbsp;Prev</a>'))
        # Horizon's own count (of the page's rows) is left out, and no
        # column sorts the page's rows in the browser as if they were all.
        self.assertNotIn("Displaying %d items" % size, content)
        self.assertNotIn("sortable", content)
        self.assertNotIn('href="?page=2"', content)
        self.assertNotIn("marker", content)
        last = self.client.get(INDEX_URL + "?page=3")
        self.assertEqual(total - 2 * size,
                         len(last.context["table"].data))
        # A page past the last is the last.
        self.assertEqual(self.names(last), self.names(
            self.client.get(INDEX_URL + "?page=9")))

    def test_server_side_filter_and_pages(self):
        first = self.client.get(INDEX_URL)
        self.assertEqual(self.page_size, len(first.context["table"].data))
        filtered = self.filtered("cluster", "beta")
        beta = sorted(self.fake["beta"].instances)
        self.assertEqual(beta[:self.page_size], self.names(filtered))
        self.assertTrue(all(i.cluster == "beta"
                            for i in filtered.context["table"].data))
        by_project = self.filtered("project", "other")
        self.assertEqual(["vm3.beta"], self.names(by_project))
        by_name = self.filtered("name", "VM01")
        self.assertEqual(["vm%03d.x" % n for n in range(10, 20)],
                         self.names(by_name))
        stopped = self.filtered("status", "stopped")
        self.assertEqual(["vm2.alpha"], self.names(stopped))
        # Every filter and page from one query per cluster.
        self.assertEqual(["alpha", "beta"], sorted(asked(self.fake)))


class SnapshotAgeTests(_Case):
    """A cluster shown as it was, and how long ago, when it cannot be
    shown as it is now; never a page waiting for it long.
    """

    config = helpers.TWO_CLUSTERS.replace(
        "refresh_interval = 10",
        "refresh_interval = 10\nmax_snapshot_age = 300\nsnapshot_wait = 1\nfirst_snapshot_wait = 1")

    def setUp(self):
        super().setUp()
        self.clock = Clock()
        patcher = mock.patch.object(snapshots, "_now", self.clock)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_a_failed_refresh_shows_the_snapshot_with_its_age(self):
        self.client.get(INDEX_URL)
        self.fake["beta"].fail("refused")
        self.clock.now += 11
        self.client.get(INDEX_URL)  # refreshes behind the page
        snapshots.drain()
        self.fake.reset_requests()
        res = self.client.get(INDEX_URL)
        self.assertEqual(["vm1.alpha", "vm2.alpha", "vm3.beta"],
                         self.names(res))
        self.assertContains(res, "Cluster beta is shown as it was 11 "
                                 "seconds ago: it cannot be queried now: "
                                 "connection refused")
        self.assertNotContains(res, "Cluster alpha is shown")
        # Not asked again before refresh_interval has passed.
        self.assertEqual([], asked(self.fake))

    def test_an_old_snapshot_of_a_slow_cluster_is_shown_with_its_age(self):
        self.client.get(INDEX_URL)
        self.clock.now += 400  # past max_snapshot_age
        gate = Gate(self.fake, "beta")
        self.addCleanup(gate.open)
        started = time.monotonic()
        res = self.client.get(INDEX_URL)
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertEqual(["vm1.alpha", "vm2.alpha", "vm3.beta"],
                         self.names(res))
        self.assertContains(res, "Cluster beta is shown as it was 6 "
                                 "minutes ago; it is being queried again.")
        self.assertNotContains(res, "Cluster alpha is shown")

    def test_a_hanging_cluster_without_snapshot_holds_no_page_long(self):
        gate = Gate(self.fake, "beta")
        self.addCleanup(gate.open)
        started = time.monotonic()
        res = self.client.get(INDEX_URL)
        waited = time.monotonic() - started
        # snapshot_wait is 1 s; beta hangs until the gate opens, after the
        # page: the bound only leaves room for a busy machine's render.
        self.assertLess(waited, 10)
        self.assertGreaterEqual(waited, 0.9)
        self.assertEqual(["vm1.alpha", "vm2.alpha"], self.names(res))
        self.assertContains(res, "Cluster beta could not be queried: it "
                                 "has not answered yet")
        # Once beta answers, the next page shows it.
        gate.open()
        snapshots.drain()
        res = self.client.get(INDEX_URL)
        self.assertEqual(["vm1.alpha", "vm2.alpha", "vm3.beta"],
                         self.names(res))
        self.assertNotContains(res, "could not be queried")
        self.assertEqual(["alpha", "beta"], sorted(asked(self.fake)))


class HostileNamesTests(_Case):

    def test_hostile_names_are_escaped(self):
        add(self.fake["alpha"], _instance(
            "x.alpha", os="<script>alert(1)</script>", pnode="n\"'<b>"))
        res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertEqual(200, res.status_code)
        self.assertIn("x.alpha", self.names(res))
        self.assertNotIn("<script>alert(1)</script>", content)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", content)
        self.assertNotIn("n\"'<b>", content)


class AssignOwnerTests(ListPage, test.BaseAdminViewTests):
    """The Assign Project form offers Keystone's projects as they are,
    not as the cached names (kept a minute for the lists) were.
    """

    URL = reverse("horizon:admin:ganeti_instances:assign_owner")

    def setUp(self):
        super().setUp()
        self.start_fake(LISTS)
        projects = {"p-demo": "demo", "p-other": "other"}
        self.ks = mock.Mock()
        self.ks.projects.list.side_effect = lambda **kw: [
            types.SimpleNamespace(id=pid, name=name)
            for pid, name in projects.items()]

        def get(pid):
            if pid not in projects:
                raise ks_exceptions.NotFound(message="Could not find")
            return types.SimpleNamespace(id=pid, name=projects[pid])
        self.ks.projects.get.side_effect = get
        patcher = mock.patch.object(horizon_keystone, "keystoneclient",
                                    return_value=self.ks)
        patcher.start()
        self.addCleanup(patcher.stop)
        # The list page read the names, which are cached; then a
        # project is made.
        self.assertContains(self.client.get(INDEX_URL), "other")
        self.assertEqual(projects, self.cached_names())
        projects["p-new"] = "new"

    def cached_names(self):
        from django.core.cache import cache
        return cache.get(keystone_api.NAMES_KEY) or {}

    def post(self, project):
        return self.client.post(self.URL, {"ids": "alpha:vm2.alpha",
                                           "project": project})

    def test_the_form_opened_offers_a_project_made_since(self):
        res = self.client.get(self.URL + "?ids=alpha:vm2.alpha")
        self.assertEqual(200, res.status_code)
        self.assertIn(("p-new", "new"),
                      res.context["form"].fields["project"].choices)
        # Lists read the fresh names too.
        self.assertIn("p-new", self.cached_names())

    def test_a_project_made_since_the_form_opened_is_assigned(self):
        res = self.post("p-new")
        self.assertNoFormErrors(res)
        self.assertEqual(["openstack:project:p-new"],
                         self.fake["alpha"].instances["vm2.alpha"]["tags"])
        # Asked for that one project; the lists then read the names anew.
        self.ks.projects.get.assert_called_once_with("p-new")
        self.assertEqual({}, self.cached_names())

    def test_a_project_keystone_does_not_know_is_refused(self):
        for bad in ("p-gone", "../p-demo"):
            res = self.post(bad)
            self.assertFormErrors(res, 1)
        self.ks.projects.get.assert_called_once_with("p-gone")
        self.assertEqual([], self.fake.writes())

    def test_keystone_failing_to_say_is_said(self):
        self.ks.projects.get.side_effect = ks_exceptions.ConnectFailure(
            "connection refused")
        res = self.post("p-new")
        self.assertContains(res, "Keystone could not be reached")
        self.assertEqual([], self.fake.writes())

    def test_a_known_project_needs_no_keystone_call(self):
        res = self.post("p-other")
        self.assertNoFormErrors(res)
        self.ks.projects.get.assert_not_called()
        self.assertEqual(["openstack:project:p-other"],
                         self.fake["alpha"].instances["vm2.alpha"]["tags"])
