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

"""Project > Ganeti > Instances: a project sees and touches only its own.

RAPI is the HTTP-level fake; the project is mapped to cluster alpha only.
"""

import types
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance
from tests.unit.test_admin_instances import add
from tests.unit.test_admin_instances import asked
from tests.unit.test_admin_instances import fake_ganeti
from tests.unit.test_admin_instances import ListPage
from tests.unit.test_admin_instances import polled

INDEX_URL = reverse("horizon:project:ganeti_instances:index")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


class _Case(ListPage, test.TestCase):
    """A member of the project, mapped to alpha, on the fake Ganeti."""

    index_url = INDEX_URL

    def setUp(self):
        super().setUp()
        own = self.tenant.id
        self.start_fake({
            "alpha": [_instance("mine.alpha", own),
                      _instance("theirs.alpha", "someone-else"),
                      _instance("nobody.alpha")],
            # beta is not mapped to the project: nothing there is visible.
            "beta": [_instance("mine.beta", own)],
        })
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)


class ProjectInstancesTests(_Case):

    def test_lists_only_own_instances_on_mapped_clusters(self):
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual(["mine.alpha"], self.names(res))
        self.assertNotContains(res, "theirs.alpha")
        self.assertNotContains(res, "nobody.alpha")
        self.assertNotContains(res, "mine.beta")
        # An unmapped cluster is not even asked.
        self.assertEqual({"alpha"}, {r.cluster for r in self.fake.requests})

    def test_only_own_rows_are_counted_and_paged(self):
        for number in range(45):
            add(self.fake["alpha"], _instance("other%02d.alpha" % number,
                                              "someone-else"))
        res = self.client.get(INDEX_URL)
        self.assertEqual(["mine.alpha"], self.names(res))
        self.assertEqual(1, res.context["view"]._total_of_entries)
        self.assertEqual(1, res.context["view"]._number_of_pages)
        self.assertContains(res, "Displaying 1 item")
        # No page of another project's rows to reach either.
        self.assertEqual(["mine.alpha"], self.names(
            self.client.get(INDEX_URL + "?page=3")))

    def test_a_members_filter_cannot_widen_the_list(self):
        for field, value in (("cluster", "beta"), ("name", "theirs"),
                             ("name", "nobody"), ("project", "someone"),
                             ("project", "unassigned"), ("node", "node1"),
                             ("status", "running"), ("name", ".")):
            res = self.filtered(field, value)
            self.assertEqual(200, res.status_code, (field, value))
            shown = self.names(res)
            self.assertLessEqual(set(shown), {"mine.alpha"}, (field, value))
            for name in ("theirs.alpha", "nobody.alpha", "mine.beta"):
                self.assertNotContains(res, name)
        self.assertEqual(["mine.alpha"],
                         self.names(self.filtered("name", "mine")))
        # The unmapped cluster was never asked, whatever the filter.
        self.assertNotIn("beta", {r.cluster for r in self.fake.requests})

    def test_every_url_of_another_projects_instance_is_404(self):
        for obj_id in ("alpha:theirs.alpha", "alpha:nobody.alpha",
                       "beta:mine.beta", "nope:x"):
            detail = reverse("horizon:project:ganeti_instances:detail",
                             args=[obj_id])
            self.assertEqual(404, self.client.get(detail).status_code,
                             obj_id)
            for action in ("shutdown", "reboot", "rename", "resize",
                           "reinstall"):
                url = reverse("horizon:project:ganeti_instances:action",
                              args=[obj_id, action])
                self.assertEqual(404, self.client.get(url).status_code)
                self.assertEqual(404, self.client.post(
                    url, {"timeout": 0, "new_name": "x.y"}).status_code)
            row = self.client.get(
                INDEX_URL + "?action=row_update&table=instances"
                "&obj_id=" + obj_id, **AJAX)
            self.assertEqual(404, row.status_code, obj_id)
            for action in ("start", "stop", "delete"):
                bulk = self.client.post(INDEX_URL, {
                    "action": "instances__%s" % action,
                    "object_ids": ["alpha:mine.alpha", obj_id]})
                self.assertEqual(404, bulk.status_code, (obj_id, action))
        self.assertEqual([], self.fake.writes())
        self.assertEqual({}, self.fake["alpha"].queue.jobs)

    def test_own_instance_can_be_shut_down(self):
        url = reverse("horizon:project:ganeti_instances:action",
                      args=["alpha:mine.alpha", "shutdown"])
        res = self.client.post(url, {"timeout": 0})
        self.assertNoFormErrors(res)
        sent = self.fake.writes()
        self.assertEqual([("PUT", "/2/instances/mine.alpha/shutdown")],
                         [(r.method, r.path) for r in sent])
        self.assertEqual({"timeout": 0}, sent[0].body)
        self.assertTrue(sent[0].query["reason"].startswith("horizon user="))
        self.assertEqual("ADMIN_down", self.fake["alpha"].instances[
            "mine.alpha"]["status"])

    def test_members_get_no_migrate_or_owner_actions(self):
        content = self.client.get(INDEX_URL).content.decode()
        self.assertNotIn("/migrate/", content)
        self.assertNotIn("assign-owner", content)
        self.assertIn("/shutdown/", content)

    def test_keystone_failure_shows_nothing_and_says_why(self):
        with mock.patch.object(
                keystone_api, "clusters_of_project",
                side_effect=keystone_api.KeystoneError("could not be "
                                                       "reached")):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual([], list(res.context["table"].data))
        self.assertContains(res, "could not be reached")
        self.assertEqual([], self.fake.requests)


class CreatePlaceholderTests(_Case):
    """A create job's row shows before Ganeti lists the instance."""

    def create(self, name, project_id):
        request = types.SimpleNamespace(user=types.SimpleNamespace(
            id=self.user.id, username=self.user.name,
            project_id=project_id, project_name="demo"))
        return instance_api.create(
            request, scope_api.Scope(project_id=project_id), "alpha",
            name, {"os_type": "noop", "disk_template": "plain",
                   "disks": [{"size": 1024}], "nics": [{}],
                   "beparams": {"vcpus": 2, "maxmem": 256,
                                "minmem": 256}})

    def test_a_create_shows_at_once_and_settles_when_ganeti_lists_it(self):
        alpha = self.fake["alpha"]
        self.client.get(INDEX_URL)  # alpha's snapshot, without it
        alpha.hold_jobs = True
        job_id = self.create("new.alpha", self.tenant.id)
        self.create("elsewhere.alpha", "someone-else")
        res = self.client.get(INDEX_URL)
        self.assertEqual(["mine.alpha", "new.alpha"], self.names(res))
        self.assertNotIn("new.alpha", alpha.instances)
        new = res.context["table"].data[1]
        self.assertEqual("Creating (job %d)" % job_id, new.status_label)
        self.assertEqual((2, 256, 1024),
                         (new.vcpus, new.memory, new.disk_total))
        self.assertNotContains(res, "elsewhere.alpha")
        row_url = (INDEX_URL + "?action=row_update&table=instances"
                   "&obj_id=alpha:new.alpha")
        row = self.client.get(row_url, **AJAX)
        self.assertContains(row, "Creating (job %d)" % job_id)
        self.assertTrue(polled(row))
        # Ganeti runs the job: the row settles, the list shows it once.
        alpha.finish_job(job_id)
        row = self.client.get(row_url, **AJAX)
        self.assertContains(row, "Running")
        self.assertEqual([], polled(row))
        snapshots.drain()
        self.fake.reset_requests()
        # The next page is served from the snapshot taken before the job
        # ended (and refreshed behind it): the instance is still there.
        between = self.client.get(INDEX_URL)
        self.assertEqual(["mine.alpha", "new.alpha"], self.names(between))
        snapshots.drain()
        self.assertEqual(["alpha"], asked(self.fake))
        res = self.client.get(INDEX_URL)
        self.assertEqual(["mine.alpha", "new.alpha"], self.names(res))
        self.assertEqual("Running", res.context["table"].data[1].status_label)
        self.assertEqual(["elsewhere.alpha"],
                         list(pending_jobs.creating("alpha")))

    def test_a_failed_create_leaves_no_row(self):
        alpha = self.fake["alpha"]
        alpha.hold_jobs = True
        job_id = self.create("new.alpha", self.tenant.id)
        alpha.finish_job(job_id, error="Not enough memory")
        row = self.client.get(INDEX_URL + "?action=row_update"
                              "&table=instances&obj_id=alpha:new.alpha",
                              **AJAX)
        self.assertEqual(404, row.status_code)
        self.assertEqual(["mine.alpha"],
                         self.names(self.client.get(INDEX_URL)))

    def test_a_created_instance_gone_before_any_list_leaves_no_row(self):
        alpha = self.fake["alpha"]
        self.client.get(INDEX_URL)
        alpha.hold_jobs = True
        job_id = self.create("new.alpha", self.tenant.id)
        alpha.finish_job(job_id)
        row_url = (INDEX_URL + "?action=row_update&table=instances"
                   "&obj_id=alpha:new.alpha")
        self.assertContains(self.client.get(row_url, **AJAX), "Running")
        del alpha.instances["new.alpha"]  # removed outside the dashboard
        self.assertEqual(404, self.client.get(row_url, **AJAX).status_code)
        snapshots.drain()
        self.client.get(INDEX_URL)  # refreshed behind this page
        snapshots.drain()
        self.assertEqual(["mine.alpha"],
                         self.names(self.client.get(INDEX_URL)))
        self.assertEqual({}, pending_jobs.creating("alpha"))


class ProjectReaderTests(test.TestCase):
    """A reader sees the project's instances but no action."""

    def setUp(self):
        super().setUp()
        helpers.become_reader(self)
        fake = fake_ganeti({"alpha": [_instance("mine.alpha",
                                                self.tenant.id)]})
        fake.install(self)
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_reader_sees_but_cannot_act(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertIn("mine.alpha", content)
        for action in ("/shutdown/", "/reboot/", "instances__delete",
                       "instances__start", "/rename/"):
            self.assertNotIn(action, content)


class EmptyStateTests(_Case):
    """A project's empty list says what to do, in the page, not in a
    message that fades.
    """

    def test_a_project_mapped_to_no_cluster_is_told_whom_to_ask(self):
        with mock.patch.object(keystone_api, "clusters_of_project",
                               return_value=set()):
            res = self.client.get(INDEX_URL)
        self.assertContains(res, "This project may not use any Ganeti "
                                 "cluster yet: ask an operator to map it")
        self.assertContains(res, 'class="odd empty"')

    def test_a_mapped_project_without_instances_is_told_how_to_make_one(
            self):
        self.fake["alpha"].instances.pop("mine.alpha")
        res = self.client.get(INDEX_URL)
        self.assertContains(res, "This project has no instances yet: a "
                                 "member creates one with Create Instance.")
