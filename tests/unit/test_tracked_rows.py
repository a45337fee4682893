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

"""A node group's or a network's row follows a job of ours that outlived
the action's wait: the list marks it at once, its row updates ask Ganeti
until the job ends, then the row is Ready again (or says the failure).
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers


class _Case(helpers.FakeRapiMixin, test.BaseAdminViewTests):

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        alpha.add_group("spare")
        alpha.networks = [{"name": "net1", "network": "192.0.2.0/28"}]
        return fake

    def outliving(self, panel, obj_id, action, data):
        """Posts ``action`` while Ganeti holds its job and the wait for it
        ends first; the held job's id.
        """
        alpha = self.fake["alpha"]
        alpha.hold_jobs = True
        with mock.patch.object(rapi.RapiClient, "wait_for_job",
                               side_effect=errors.Timeout("slow")):
            res = self.client.post(reverse(
                "horizon:admin:%s:action" % panel, args=[obj_id, action]),
                data)
        self.assertNoFormErrors(res)
        return alpha.last_job().id

    def row_update(self, panel, table, obj_id):
        return self.client.get(
            reverse("horizon:admin:%s:index" % panel)
            + "?action=row_update&table=%s&obj_id=%s" % (table, obj_id),
            HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    def follow(self, panel, table, obj_id, label, job_id, kind):
        marked = "%s (job %d)" % (label, job_id)
        index = self.client.get(reverse("horizon:admin:%s:index" % panel))
        self.assertContains(index, marked)
        self.assertContains(self.row_update(panel, table, obj_id), marked)
        self.fake["alpha"].finish_job(job_id)
        res = self.row_update(panel, table, obj_id)
        self.assertNotContains(res, marked)
        self.assertContains(res, "Ready")
        self.assertEqual({}, pending_jobs.pending_many(
            "alpha", [obj_id.split(":", 1)[1]], kind))


class TrackedRowTests(_Case):

    def test_a_network_row_follows_its_modify_job_to_the_end(self):
        job_id = self.outliving("ganeti_networks", "alpha:net1", "modify",
                                {"mac_prefix": "aa:00:01"})
        self.follow("ganeti_networks", "networks", "alpha:net1",
                    "Modifying", job_id, pending_jobs.NETWORK)

    def test_a_group_row_follows_its_tag_job_to_the_end(self):
        job_id = self.outliving("ganeti_groups", "alpha:spare", "add_tag",
                                {"tag": "rack:9"})
        self.follow("ganeti_groups", "groups", "alpha:spare",
                    "Adding tags", job_id, pending_jobs.GROUP)

    def test_a_failed_job_is_said_and_the_row_settles(self):
        job_id = self.outliving("ganeti_networks", "alpha:net1", "modify",
                                {"mac_prefix": "aa:00:01"})
        self.fake["alpha"].finish_job(job_id, error="Network is locked")
        res = self.row_update("ganeti_networks", "networks", "alpha:net1")
        self.assertContains(res, "Ready")
        # Horizon's page shows the messages of a row update from this
        # header.
        self.assertIn("Network is locked", res["X-Horizon-Messages"])
