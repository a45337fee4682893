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

"""Project > Ganeti > Operations, the Jobs panel's search and an
instance's operations tab, on the HTTP-level fake Ganeti.

The project is mapped to alpha only. Its members see the jobs on its
instances and those its users started from the dashboard; never a job of
another project's instance, of the cluster, or of an unmapped cluster.
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.content.project.operations import tables as op_tables
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance
from tests.unit.test_admin_instances import ListPage

INDEX_URL = reverse("horizon:project:ganeti_operations:index")
JOBS_URL = reverse("horizon:admin:ganeti_jobs:index")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


class _Jobs(ListPage):
    """A fake Ganeti with the project's instances and a few jobs."""

    def start_jobs(self):
        own = self.tenant.id
        self.start_fake({
            "alpha": [_instance("mine.alpha", own),
                      _instance("theirs.alpha", "someone-else")],
            "beta": [_instance("mine.beta", own)],
        })
        alpha = clusters.client("alpha")
        ours = "horizon user=%s(%s) project=%s(%s)" % (
            self.user.name, self.user.id, self.tenant.name, own)
        self.jobs = {
            "mine": alpha.startup_instance("mine.alpha"),
            "ours_on_theirs": alpha.shutdown_instance("theirs.alpha",
                                                      reason=ours),
            "theirs": alpha.reboot_instance("theirs.alpha"),
            "cluster": alpha.add_cluster_tags(["seen"]),
            "beta": clusters.client("beta").startup_instance("mine.beta"),
        }
        snapshots.mark_stale("alpha")
        snapshots.mark_stale("beta")

    def map_to_alpha(self):
        """The project is mapped to alpha (for the test)."""
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def ids(self, res):
        return [job.id for job in res.context["table"].data]

    def search(self, url, table, field, value):
        return self.client.post(url, {
            "%s__filter__q_field" % table: field,
            "%s__filter__q" % table: value}, follow=True)


class ProjectOperationsTests(_Jobs, test.TestCase):

    def setUp(self):
        super().setUp()
        self.start_jobs()
        self.map_to_alpha()

    def test_lists_the_projects_jobs_newest_first_linked_to_instances(self):
        self.fake.reset_requests()
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual(["alpha:%d" % self.jobs["ours_on_theirs"],
                          "alpha:%d" % self.jobs["mine"]], self.ids(res))
        content = res.content.decode()
        # The owned instance is linked; the other project's is not.
        self.assertIn('href="%s"' % reverse(
            op_tables.INSTANCE_DETAIL, args=["alpha:mine.alpha"]), content)
        self.assertNotIn("/project/ganeti_instances/alpha:theirs.alpha/",
                         content)
        self.assertIn("INSTANCE_STARTUP(mine.alpha)", content)
        self.assertNotIn("INSTANCE_REBOOT", content)
        self.assertNotIn("TAGS_SET", content)
        self.assertNotIn("mine.beta", content)
        self.assertIn("Displaying 2 items, newest first", content)
        # An unmapped cluster's queue is not even read.
        self.assertNotIn("beta", {r.cluster for r in self.fake.requests})

    def test_no_rapi_call_once_the_snapshots_are_taken(self):
        self.client.get(INDEX_URL)
        snapshots.drain()
        self.fake.reset_requests()
        res = self.client.get(INDEX_URL + "?page=1")
        self.assertEqual(2, len(res.context["table"].data))
        self.assertEqual([], self.fake.requests)

    def test_search_by_instance_user_and_operation(self):
        by_instance = self.search(INDEX_URL, "operations", "instance",
                                  "THEIRS")
        self.assertEqual(["alpha:%d" % self.jobs["ours_on_theirs"]],
                         self.ids(by_instance))
        by_user = self.search(INDEX_URL, "operations", "user",
                              self.user.name)
        self.assertEqual(["alpha:%d" % self.jobs["ours_on_theirs"]],
                         self.ids(by_user))
        by_op = self.search(INDEX_URL, "operations", "summary", "startup")
        self.assertEqual(["alpha:%d" % self.jobs["mine"]],
                         self.ids(by_op))
        # A search never widens the scope: another project's job on
        # the same cluster stays out.
        rebooted = self.search(INDEX_URL, "operations", "summary", "reboot")
        self.assertEqual([], self.ids(rebooted))
        self.assertContains(rebooted, "No job matches the search")

    def test_pages_keep_the_search_and_count_its_rows(self):
        alpha = clusters.client("alpha")
        for _ in range(45):
            alpha.reboot_instance("mine.alpha")
        snapshots.mark_stale("alpha")
        first = self.search(INDEX_URL, "operations", "summary", "reboot")
        self.assertEqual(20, len(first.context["table"].data))
        second = self.client.get(INDEX_URL + "?page=3")
        self.assertEqual(5, len(second.context["table"].data))
        self.assertTrue(all("REBOOT" in job.summary
                            for job in second.context["table"].data))
        self.assertContains(second, "Displaying 41&ndash;45 of 45 items "
                                    "(page 3 of 3), newest first")
        self.assertContains(second, 'href="?page=2">&laquo;&nbsp;Prev')
        # A new search starts again at page 1.
        again = self.client.post(INDEX_URL + "?page=3", {
            "operations__filter__q_field": "summary",
            "operations__filter__q": "startup"})
        self.assertEqual(302, again.status_code)
        self.assertEqual(INDEX_URL, again["Location"])

    def test_another_projects_member_sees_only_its_own(self):
        other = scope_api.Scope(project_id="someone-else",
                                cluster_names=frozenset({"alpha"}))
        with mock.patch.object(scope_api, "for_member", return_value=other):
            res = self.client.get(INDEX_URL)
            self.assertEqual(["alpha:%d" % self.jobs["theirs"],
                              "alpha:%d" % self.jobs["ours_on_theirs"]],
                             self.ids(res))
            # Its row updates of our job: not found.
            row = self.client.get(
                INDEX_URL + "?action=row_update&table=operations&obj_id="
                "alpha:%d" % self.jobs["mine"], **AJAX)
            self.assertEqual(404, row.status_code)

    def test_row_updates_only_for_jobs_in_scope(self):
        url = (INDEX_URL + "?action=row_update&table=operations&obj_id=%s")
        mine = self.client.get(url % ("alpha:%d" % self.jobs["mine"]),
                               **AJAX)
        self.assertEqual(200, mine.status_code)
        self.assertContains(mine, "INSTANCE_STARTUP(mine.alpha)")
        for job in ("theirs", "cluster"):
            res = self.client.get(url % ("alpha:%d" % self.jobs[job]),
                                  **AJAX)
            self.assertEqual(404, res.status_code, job)
        beta = self.client.get(url % ("beta:%d" % self.jobs["beta"]),
                               **AJAX)
        self.assertEqual(404, beta.status_code)

    def test_an_unmapped_project_is_told_what_to_ask(self):
        with mock.patch.object(keystone_api, "clusters_of_project",
                               return_value=set()):
            res = self.client.get(INDEX_URL)
        self.assertEqual([], self.ids(res))
        self.assertContains(res, "may not use any Ganeti cluster yet")


class ProjectOperationsRolesTests(_Jobs, test.TestCase):

    def setUp(self):
        super().setUp()
        self.start_jobs()

    def test_a_reader_may_see_the_operations(self):
        helpers.become_reader(self)
        with mock.patch.object(keystone_api, "clusters_of_project",
                               return_value={"alpha"}):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual(2, len(res.context["table"].data))

    def test_a_user_without_a_role_is_refused(self):
        helpers.become_reader(self)
        self.setActiveUser(id=self.user.id, token=self.token,
                           username=self.user.name, tenant_id=self.tenant.id,
                           service_catalog=self.service_catalog,
                           authorized_tenants=self.tenants.list(), roles=[])
        res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
        self.assertNotContains(res, "INSTANCE_STARTUP", status_code=(
            res.status_code))


class JobsSearchTests(_Jobs, test.BaseAdminViewTests):
    """Admin > Ganeti > Jobs: searched over every cluster's listed jobs."""

    def setUp(self):
        super().setUp()
        self.start_jobs()

    def test_search_by_instance_user_and_opcode(self):
        by_instance = self.search(JOBS_URL, "jobs", "instance", "mine")
        self.assertEqual({"alpha:%d" % self.jobs["mine"],
                          "beta:%d" % self.jobs["beta"]},
                         set(self.ids(by_instance)))
        by_user = self.search(JOBS_URL, "jobs", "user", "another client")
        self.assertNotIn("alpha:%d" % self.jobs["ours_on_theirs"],
                         self.ids(by_user))
        self.assertEqual(4, len(self.ids(by_user)))
        # Ganeti's OP_ID matches too.
        by_opcode = self.search(JOBS_URL, "jobs", "summary", "OP_TAGS_SET")
        self.assertEqual(["alpha:%d" % self.jobs["cluster"]],
                         self.ids(by_opcode))

    def test_the_snapshot_keeps_only_what_the_lists_need(self):
        self.client.get(JOBS_URL)
        found = snapshots.read(clusters.settings().clusters_named(
            ["alpha"]), "jobs")["alpha"].data
        for data, _starter in found:
            for op in data["ops"]:
                self.assertLessEqual(set(op), {"OP_ID", "instance_name",
                                               "reason"})


class OperationsTabTests(_Jobs, test.TestCase):
    """An instance's operations tab: its jobs, and the user's own."""

    def setUp(self):
        super().setUp()
        self.start_jobs()
        self.map_to_alpha()
        ours = "horizon user=%s(%s) project=%s(%s)" % (
            self.user.name, self.user.id, self.tenant.name, self.tenant.id)
        self.mine = clusters.client("alpha").reboot_instance(
            "mine.alpha", reason=ours)
        snapshots.mark_stale("alpha")

    def tab(self, query=""):
        url = reverse("horizon:project:ganeti_instances:detail",
                      args=["alpha:mine.alpha"])
        return self.client.get(url + "?tab=instance_details__operations"
                               + query, **AJAX).content.decode()

    def test_all_jobs_on_the_instance_or_only_mine(self):
        everything = self.tab()
        self.assertIn("INSTANCE_STARTUP(mine.alpha)", everything)
        self.assertIn("INSTANCE_REBOOT(mine.alpha)", everything)
        self.assertNotIn("theirs.alpha", everything)
        self.assertIn("operations=mine", everything)
        mine = self.tab("&operations=mine")
        self.assertIn("INSTANCE_REBOOT(mine.alpha)", mine)
        self.assertNotIn("INSTANCE_STARTUP(mine.alpha)", mine)
