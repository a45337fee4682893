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

"""The create workflow against the HTTP-level fake RAPI: checks before
submit, owner tags, no job on error; its options come from snapshots.
"""

import time
from unittest import mock

from django.contrib.messages import get_messages
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.test import helpers

CREATE_URL = reverse("horizon:project:ganeti_instances:create")

GOOD = {"name": "new1.example.org", "cluster": "alpha", "os": "noop",
        "vcpus": 2, "memory": 256, "disk_template": "file", "disks": "1024",
        "nic_mode": "", "nic_link": "", "nic_network": "", "node": "",
        "start": "on"}


class WorkflowBase(helpers.FakeRapiMixin, test.TestCase):
    """A project mapped to cluster alpha (``self.mapped``), which offers
    the OSes noop and debian+minimal, the disk templates diskless and
    file, two nodes and the instance policy of the fake (128 MiB to 32
    GiB of memory, 1 to 8 vCPUs, disks of 1 GiB at least); an instance
    named taken.example.org exists there.
    """

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        alpha.os_names = ["noop", "debian+minimal"]
        alpha.info["enabled_disk_templates"] = ["diskless", "file"]
        alpha.info["ipolicy"]["disk-templates"] = ["diskless", "file"]
        alpha.add_node("node2.alpha.example.test")
        alpha.add_instance("taken.example.org")
        return fake

    def setUp(self):
        super().setUp()
        self.mapped = mock.patch.object(
            keystone_api, "clusters_of_project",
            return_value={"alpha"}).start()
        self.addCleanup(mock.patch.stopall)

    def _post(self, **changes):
        return self.client.post(CREATE_URL, dict(GOOD, **changes))

    def creates(self):
        """The create requests the clusters got."""
        return [r for r in self.fake.writes()
                if (r.method, r.path) == ("POST", "/2/instances")]


class CreateWorkflowTests(WorkflowBase):
    def test_form_offers_the_projects_clusters_and_their_options(self):
        res = self.client.get(CREATE_URL)
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn('value="alpha"', content)
        self.assertNotIn('value="beta"', content)
        self.assertIn("debian+minimal", content)
        self.assertIn('value="file"', content)
        self.assertNotIn('value="sharedfile"', content)  # not enabled
        # The options come from alpha's snapshots only.
        self.assertEqual({("alpha", "/2/info"), ("alpha", "/2/os"),
                          ("alpha", "/2/nodes"), ("alpha", "/2/groups"),
                          ("alpha", "/2/networks")},
                         {(r.cluster, r.path) for r in self.fake.requests})

    def test_a_cluster_that_cannot_be_asked_is_named_the_other_offered(self):
        self.mapped.return_value = {"alpha", "beta"}
        self.fake["beta"].fail("refused")
        res = self.client.get(CREATE_URL)
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn('value="alpha"', content)
        self.assertNotIn('value="beta"', content)
        self.assertIn("Cluster beta cannot be asked: connection refused",
                      [str(m) for m in get_messages(res.wsgi_request)])

    def test_valid_input_creates_with_owner_tags(self):
        res = self._post()
        self.assertNoFormErrors(res)
        (create,) = self.creates()
        body = create.body
        self.assertEqual("new1.example.org", body["name"])
        self.assertIn("openstack:project:%s" % self.tenant.id, body["tags"])
        self.assertIn("openstack:user:%s" % self.user.id, body["tags"])
        self.assertEqual([{"size": 1024}], body["disks"])
        self.assertEqual({"vcpus": 2, "maxmem": 256, "minmem": 256},
                         body["beparams"])
        self.assertNotIn("pnode", body)  # two nodes: the allocator places
        self.assertIn("horizon user=", create.query["reason"])
        created = self.fake["alpha"].instances["new1.example.org"]
        self.assertIn("openstack:project:%s" % self.tenant.id,
                      created["tags"])

    def test_bad_input_is_a_form_error_and_no_job(self):
        for changes, field in (
                ({"name": "has spaces"}, "name"),
                ({"name": "<b>x</b>"}, "name"),
                ({"name": "caf\u00e9.example.org"}, "name"),
                ({"name": "taken.example.org"}, "name"),
                ({"memory": 64}, "memory"),
                ({"vcpus": 64}, "vcpus"),
                ({"disks": "512"}, "disks"),
                ({"disks": "abc"}, "disks"),
                ({"disk_template": "diskless", "disks": "1024"}, "disks"),
                ({"os": "windows"}, "os"),
                ({"cluster": "beta"}, "cluster"),
                ({"node": "node9"}, "node"),
                ({"nic_link": "br\u00e9"}, "nic_link")):
            res = self._post(**changes)
            self.assertEqual(200, res.status_code, changes)
            errors = {}
            for step in res.context["workflow"].steps:
                errors.update(step.action.errors)
            self.assertIn(field, errors, (changes, errors))
        self.assertEqual([], self.creates())

    def test_a_taken_name_is_checked_with_one_query(self):
        self.fake.reset_requests()
        self._post(name="taken.example.org")
        queries = [r.body for r in self.fake.requests
                   if r.path == "/2/query/instance"]
        self.assertIn({"fields": ["name"], "filter": [
            "&", ["=", "name", "taken.example.org"]]}, queries)


TEMPLATES = helpers.TWO_CLUSTERS + """
[template:small]
description = One vCPU, file disk
vcpus = 1
memory = 512
disk_template = file
disks = 2048,4096
os = debian+minimal
"""


class CreatePrefillTests(CreateWorkflowTests):

    CONFIG = TEMPLATES

    def make_fake(self):
        fake = super().make_fake()
        own = "openstack:project:%s" % self.tenant.id
        fake["alpha"].add_instance(
            "mine.alpha", tags=[own], disk_template="file", disks=[3072],
            beparams={"vcpus": 3, "memory": 768})
        fake["alpha"].add_instance(
            "theirs.alpha", tags=["openstack:project:someone-else"])
        return fake

    def _get(self, query):
        return self.client.get(CREATE_URL + query)

    def test_template_prefills_the_workflow_and_is_offered(self):
        res = self._get("?template=small")
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn('value="2048,4096"', content)
        self.assertIn('value="512"', content)
        self.assertIn('value="debian+minimal" selected', content)
        self.assertIn('href="%s?template=small"' % CREATE_URL,
                      self._get("").content.decode())

    def test_unknown_template_is_404(self):
        self.assertEqual(404, self._get("?template=nope").status_code)

    def test_create_from_own_instance_prefills(self):
        res = self._get("?from=alpha:mine.alpha")
        content = res.content.decode()
        self.assertEqual(200, res.status_code)
        self.assertIn('value="3072"', content)
        self.assertIn('value="768"', content)

    def test_create_from_another_projects_instance_is_404(self):
        res = self._get("?from=alpha:theirs.alpha")
        self.assertEqual(404, res.status_code)


# Snapshots a minute old are too old to serve without a new try, and the
# page waits 2 seconds at most for it; RAPI's read timeout is 10 seconds.
SLOW_AGING = helpers.AGING.replace("snapshot_wait = 1", "snapshot_wait = 2")


class CreateOnHangingClusterTests(WorkflowBase):
    """A cluster whose options have snapshots does not hold the form for
    RAPI's read timeout when it hangs.
    """

    CONFIG = SLOW_AGING

    def setUp(self):
        super().setUp()
        self.clock = helpers.SnapshotClock(self)
        self.hanging = helpers.hang_for_real(self.fake, self)
        self.client.get(CREATE_URL)  # alpha's snapshots are taken
        self.fake["alpha"].fail("hanging")

    def _timed_form(self):
        started = time.monotonic()
        res = self.client.get(CREATE_URL)
        took = time.monotonic() - started
        content = res.content.decode()
        self.assertIn('value="alpha"', content)
        self.assertIn("debian+minimal", content)
        return took

    def test_stale_options_are_shown_at_once(self):
        self.clock.now += 11  # past refresh_interval: refreshed behind
        self.assertLess(self._timed_form(), 1.5)
        self.assertIn(("alpha", "/2/info"), self.hanging)

    def test_too_old_options_wait_snapshot_wait_once(self):
        # Past max_snapshot_age: the info and the nodes are tried again,
        # side by side, for snapshot_wait; the old ones are then shown.
        self.clock.now += 61
        took = self._timed_form()
        self.assertGreaterEqual(took, 1.9)
        self.assertLess(took, 3.5)
