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

"""Row updates answer a row or a 404, never Horizon's empty status 100.

A row whose cluster fails (refused, hanging, slow to connect) comes back
marked with the cause and keeps polling: an instance's row as its
cluster's snapshot last showed it, a node's or a job's with its name only.
An id that cannot exist (outside the scope, non-ASCII, gone, or an
instance the scope's snapshot does not list) is a 404, which Horizon's
script takes as "gone".

RAPI is the HTTP-level fake (``ganeti_dashboard.test.fake_rapi``).
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import polled

AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
# Each fault of the fake, and what the row says of it (the cluster's
# default timeouts: 3 s to connect, 10 s to answer).
FAULTS = {
    "refused": "connection refused",
    "hanging": "no answer within 10s",
    "connect-timeout": "no connection within 3s",
}


def _row_url(namespace, table, obj_id):
    return (reverse(namespace + ":index") + "?action=row_update&table=%s"
            "&obj_id=%s" % (table, obj_id))


class _RowUpdateCase:
    """Each fault of the cluster, then ids that cannot exist."""

    namespace = table = obj_id = None

    def setUp(self):
        super().setUp()
        self.fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
        self.fake.install(self)
        conf = helpers.config_file(helpers.TWO_CLUSTERS)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)
        self.add_object(self.fake["alpha"])

    def add_object(self, alpha):
        """Put the row's object (``obj_id``) on cluster alpha."""
        raise NotImplementedError

    def remove_object(self, alpha):
        raise NotImplementedError

    def seen(self):
        """What the list showed before its cluster failed."""

    def _get(self, obj_id):
        return self.client.get(
            _row_url(self.namespace, self.table, obj_id), **AJAX)

    def test_failing_cluster_keeps_the_row_marked_and_polling(self):
        self.seen()
        for fault, text in FAULTS.items():
            self.fake["alpha"].fail(fault)
            res = self._get(self.obj_id)
            self.assertEqual(200, res.status_code, fault)
            self.assertContains(res, text)
            self.assertContains(res, self.obj_id.partition(":")[2])
            # Not settled: Horizon's script asks again.
            self.assertTrue(polled(res), fault)
        self.assertEqual([], self.fake.writes())

    def test_ids_that_cannot_exist_are_404(self):
        for obj_id in ("alpha:vm\u00e9.alpha", "nocluster:x", "nocolon"):
            res = self._get(obj_id)
            self.assertEqual(404, res.status_code, obj_id)

    def test_object_gone_is_404(self):
        self.remove_object(self.fake["alpha"])
        res = self._get(self.obj_id)
        self.assertEqual(404, res.status_code)


class _InstanceRows(_RowUpdateCase):
    """An instance's row, while its cluster fails, is its snapshot row."""

    table = "instances"
    owner_tags = ()

    def add_object(self, alpha):
        alpha.add_instance(self.obj_id.partition(":")[2],
                           tags=self.owner_tags, beparams={"memory": 512},
                           nics=[{"ip": "192.0.2.50"}])

    def remove_object(self, alpha):
        del alpha.instances[self.obj_id.partition(":")[2]]

    def seen(self):
        self.assertEqual(200, self.client.get(
            reverse(self.namespace + ":index")).status_code)

    def test_failing_cluster_shows_the_snapshot_row(self):
        self.seen()
        alpha = self.fake["alpha"]
        alpha.fail("refused")
        self.fake.reset_requests()
        res = self._get(self.obj_id)
        self.assertContains(res, "Unknown: connection refused")
        # As the list showed it, not an empty row; and no action on it.
        self.assertContains(res, "192.0.2.50")
        self.assertContains(res, "512 MiB")
        self.assertNotContains(res, "/shutdown/")
        self.assertTrue(polled(res))
        # The instance was asked for (a GET, retried once); the fresh
        # snapshot was not asked again.
        self.assertEqual({("GET", "/2/instances/" + self.obj_id.partition(
            ":")[2])}, {(r.method, r.path) for r in self.fake.requests})

    def test_failing_cluster_without_a_snapshot_row_is_404(self):
        self.seen()
        alpha = self.fake["alpha"]
        alpha.add_instance("late.alpha", tags=self.owner_tags)
        alpha.fail("refused")
        self.assertEqual(404, self._get("alpha:late.alpha").status_code)

    def test_failing_cluster_with_no_snapshot_at_all_is_404(self):
        self.fake["alpha"].fail("refused")
        self.assertEqual(404, self._get(self.obj_id).status_code)


class AdminInstanceRowTests(_InstanceRows, test.BaseAdminViewTests):
    namespace = "horizon:admin:ganeti_instances"
    obj_id = "alpha:vm1.alpha"

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(keystone_api, "project_names",
                                    return_value={})
        patcher.start()
        self.addCleanup(patcher.stop)


class ProjectInstanceRowTests(_InstanceRows, test.TestCase):
    namespace = "horizon:project:ganeti_instances"
    obj_id = "alpha:mine.alpha"

    def setUp(self):
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)
        super().setUp()

    @property
    def owner_tags(self):
        return ["openstack:project:%s" % self.tenant.id]

    def test_own_instance_row_is_served(self):
        res = self._get(self.obj_id)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Running")
        self.assertFalse(polled(res))

    def test_failing_cluster_says_nothing_of_other_projects_rows(self):
        alpha = self.fake["alpha"]
        alpha.add_instance("theirs.alpha", tags=["openstack:project:other"])
        alpha.add_instance("nobody.alpha")
        self.fake["beta"].add_instance("mine.beta", tags=self.owner_tags)
        self.seen()
        alpha.fail("refused")
        for obj_id in ("alpha:theirs.alpha", "alpha:nobody.alpha",
                       "beta:mine.beta"):
            res = self._get(obj_id)
            self.assertEqual(404, res.status_code, obj_id)
            self.assertNotContains(res, obj_id.partition(":")[2],
                                   status_code=404)


class NodeRowTests(_RowUpdateCase, test.BaseAdminViewTests):
    namespace = "horizon:admin:ganeti_nodes"
    table = "nodes"
    obj_id = "alpha:n1.alpha"

    def add_object(self, alpha):
        alpha.add_node("n1.alpha")

    def remove_object(self, alpha):
        del alpha.nodes["n1.alpha"]


class JobRowTests(_RowUpdateCase, test.BaseAdminViewTests):
    namespace = "horizon:admin:ganeti_jobs"
    table = "jobs"
    obj_id = "alpha:12"

    def add_object(self, alpha):
        # A job of ours still running, as a row that polls has.
        alpha.hold_jobs = True
        alpha.queue.next_id = 12
        self.assertEqual(12, clusters.client("alpha").add_cluster_tags(
            ["seen"]))
        self.fake.reset_requests()

    def remove_object(self, alpha):
        del alpha.queue.jobs[12]
