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

"""Creating many instances at once: Count and a name pattern in the create
workflow, one ``/2/instances-multi-alloc`` request (one create per
instance where the cluster does not serve it), the batch counted against
the project's limits as a whole, its rows tracked through the jobs.
"""

from django.contrib.messages import get_messages
from django import forms as django_forms
from django.test import SimpleTestCase

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content.instances import create_fields
from ganeti_dashboard.content.instances import workflows
from tests.unit import test_create_workflow as workflow_tests
from tests.unit import test_limits as limit_tests

MULTI = ("POST", "/2/instances-multi-alloc")
BATCH = {"name": "web-%d.example.org", "count": 3,
         "disk_template": "diskless", "disks": ""}
NAMES = ["web-1.example.org", "web-2.example.org", "web-3.example.org"]


class PatternTests(SimpleTestCase):

    def test_a_pattern_numbers_from_one(self):
        self.assertEqual(["web-1", "web-2", "web-3"],
                         create_fields.batch_names("web-%d", 3))
        self.assertEqual(["db01.x", "db02.x"],
                         create_fields.batch_names("db%02d.x", 2))
        self.assertEqual(["a-1"], create_fields.batch_names("a-%d", 1))
        self.assertEqual(["plain"], create_fields.batch_names("plain", 1))

    def test_what_is_not_one_pattern_is_refused(self):
        for text, count in (("web", 2), ("web-%d-%d", 2), ("web-%s", 2),
                            ("100%", 1), ("w-%d%", 2)):
            with self.assertRaises(django_forms.ValidationError,
                                   msg=text):
                create_fields.batch_names(text, count)

    def test_the_result_of_a_multi_alloc_job_is_read(self):
        job = {"id": 7, "opresult": [{
            "allocatable": ["a", "b", "c"], "failed": ["d"],
            "jobs": [[True, 8], [False, "queue full"], [True, "9"]]}]}
        started, refused = rapi.multi_alloc_jobs(job)
        self.assertEqual({"a": 8, "c": 9}, started)
        self.assertEqual({"b", "d"}, set(refused))
        self.assertEqual("queue full", refused["b"])


class CreateManyTests(workflow_tests.WorkflowBase):

    def _batch(self, **changes):
        return self._post(**dict(BATCH, **changes))

    def multi(self):
        return [r for r in self.fake.writes() if (r.method, r.path) == MULTI]

    def _errors(self, res):
        found = {}
        for step in res.context["workflow"].steps:
            for field, texts in step.action.errors.items():
                found.setdefault(field, []).extend(str(t) for t in texts)
        return found

    def test_one_request_creates_them_all_with_owner_tags(self):
        res = self._batch()
        self.assertNoFormErrors(res)
        (request,) = self.multi()
        self.assertEqual([], self.creates())  # no create one by one
        self.assertIn("horizon user=", request.query["reason"])
        bodies = request.body["instances"]
        self.assertEqual(NAMES, [b["name"] for b in bodies])
        own = "openstack:project:%s" % self.tenant.id
        for body in bodies:
            self.assertIn(own, body["tags"])
            self.assertIn("openstack:user:%s" % self.user.id, body["tags"])
            self.assertEqual("create", body["mode"])
            self.assertEqual("diskless", body["disk_template"])
            self.assertFalse(body["name_check"])
            # The allocator places them (two nodes): Ganeti wants the
            # hypervisor said.
            self.assertNotIn("pnode", body)
            self.assertEqual("fake", body["hypervisor"])
        alpha = self.fake["alpha"]
        for name in NAMES:
            self.assertIn(own, alpha.instances[name]["tags"])
        # Every create job the multi-allocation job submitted carries the
        # Keystone user in its reason trail.
        creates = [j for j in alpha.queue.jobs.values()
                   if j.ops[0].op_id == "OP_INSTANCE_CREATE"]
        self.assertEqual(3, len(creates))
        for job in creates:
            self.assertTrue(any(e[0] == "gnt:user" and "horizon user=" in e[1]
                                for e in job.ops[0].reason))
        self.assertIn("Creating 3 instances, web-1.example.org to "
                      "web-3.example.org",
                      " ".join(str(m) for m in get_messages(
                          res.wsgi_request)))

    def test_rows_follow_the_multi_alloc_job_then_their_create_jobs(self):
        alpha = self.fake["alpha"]
        alpha.hold_jobs = True
        self.assertNoFormErrors(self._batch())
        multi_job = alpha.last_job()
        self.assertEqual("OP_INSTANCE_MULTI_ALLOC", multi_job.ops[0].op_id)
        creating = pending_jobs.creating("alpha")
        self.assertEqual(set(NAMES), set(creating))
        self.assertEqual({multi_job.id}, {e["job"] for e in creating.values()})
        scope = scope_api.for_project(self.request, self.tenant.id)
        rows = {i.name: i for i in instance_api.listing(scope).instances()}
        for name in NAMES:
            self.assertEqual(multi_job.id, rows[name].pending["job"])
        # The multi-allocation job ends: each row now shows its own job.
        alpha.finish_job(multi_job.id)
        children = {}
        for name in NAMES:
            instance = instance_api.get(scope, "alpha:" + name)
            self.assertIsNone(instance_api.refresh_pending(instance))
            children[name] = instance.pending["job"]
            self.assertEqual("OP_INSTANCE_CREATE",
                             alpha.job(children[name]).ops[0].op_id)
            self.assertEqual(
                name, alpha.job(children[name]).ops[0].params[
                    "instance_name"])
        self.assertEqual(3, len(set(children.values())))
        alpha.finish_jobs()
        for name in NAMES:
            instance = instance_api.get(scope, "alpha:" + name)
            self.assertIsNone(instance_api.refresh_pending(instance))
            self.assertIsNone(instance.pending)
        self.assertIsNone(pending_jobs.pending("alpha", NAMES[0]))

    def test_a_failed_multi_alloc_job_says_so_on_each_row(self):
        alpha = self.fake["alpha"]
        alpha.hold_jobs = True
        self._batch()
        alpha.finish_job(alpha.last_job().id,
                         error="Can't compute nodes using iallocator")
        scope = scope_api.for_project(self.request, self.tenant.id)
        instance = instance_api.get(scope, "alpha:" + NAMES[1])
        self.assertIn("Can't compute nodes",
                      str(instance_api.refresh_pending(instance)))
        self.assertNotIn(NAMES[1], pending_jobs.creating("alpha"))

    def test_bad_patterns_and_counts_are_form_errors_and_nothing_sent(self):
        self.fake["alpha"].add_instance("web-2.example.org")
        for changes, field, text in (
                ({}, "name", "already has (or is creating) "
                             "web-2.example.org"),
                ({"name": "web.example.org"}, "name", "name pattern"),
                ({"name": "web-%d-%d"}, "name", "once"),
                ({"name": "w\u00e9b-%d"}, "name", "no host name"),
                ({"name": "-web%d"}, "name", "no host name"),
                ({"count": 0}, "count", ""),
                ({"count": 21}, "count", "20"),
                ({"count": "many"}, "count", "")):
            res = self._batch(**changes)
            errors = self._errors(res)
            self.assertIn(field, errors, (changes, errors))
            self.assertIn(text, " ".join(errors[field]), changes)
        self.assertEqual([], self.multi())
        self.assertEqual([], self.creates())

    def test_a_name_being_created_is_taken_too(self):
        self.fake["alpha"].hold_jobs = True
        self.assertNoFormErrors(self._batch())
        res = self._batch(name="web-%d.example.org", count=2)
        self.assertIn("web-1.example.org, web-2.example.org",
                      " ".join(self._errors(res)["name"]))
        self.assertEqual(1, len(self.multi()))

    def test_taken_names_are_asked_in_one_query(self):
        self.fake.reset_requests()
        self._batch()
        queries = [r.body["filter"] for r in self.fake.requests
                   if r.path == "/2/query/instance"
                   and r.body["fields"] == ["name"]]
        self.assertEqual([["&", ["|"] + [["=", "name", n] for n in NAMES]]],
                         queries)

    def test_a_cluster_without_multi_alloc_gets_one_create_each(self):
        for status in (404, 501):
            self.fake["alpha"].fail(status, path="instances-multi-alloc")
            res = self._batch(name="s%d-%%d.example.org" % status)
            self.assertNoFormErrors(res)
            self.assertIn("one create job per instance was started "
                          "instead", " ".join(str(m) for m in get_messages(
                              res.wsgi_request)))
        self.assertEqual(6, len(self.creates()))
        alpha = self.fake["alpha"]
        for name in ("s404-1.example.org", "s501-3.example.org"):
            self.assertIn("openstack:project:%s" % self.tenant.id,
                          alpha.instances[name]["tags"])

    def test_other_refusals_of_the_cluster_are_shown_not_retried(self):
        self.fake["alpha"].fail(500, path="instances-multi-alloc")
        res = self._batch()
        self.assertIn("RAPI answered HTTP 500", " ".join(
            str(m) for m in get_messages(res.wsgi_request)))
        self.assertEqual([], self.creates())

    def test_review_step_shows_count_and_totals(self):
        res = self.client.get(workflow_tests.CREATE_URL)
        self.assertContains(res, 'data-ganeti-review="count"')
        self.assertContains(res, 'name="count"')
        self.assertContains(res, 'max="20"')


class CountConfigTests(workflow_tests.WorkflowBase):
    CONFIG = workflow_tests.helpers.TWO_CLUSTERS.replace(
        "[DEFAULT]", "[DEFAULT]\nmax_create_count = 2")

    def test_the_most_is_a_config_option(self):
        res = self._post(**dict(BATCH, count=3))
        errors = [str(e) for step in res.context["workflow"].steps
                  for e in step.action.errors.get("count", [])]
        self.assertTrue(errors)
        self.assertNoFormErrors(self._post(**dict(BATCH, count=2)))


class CreateManyLimitTests(limit_tests._KeystoneLimits,
                           workflow_tests.WorkflowBase):
    """The batch as a whole against the project's limits: one instance
    of the project (1 vCPU, 128 MiB) exists.
    """

    def make_fake(self):
        fake = super().make_fake()
        limit_tests._add_instance(fake["alpha"], "mine.alpha",
                                  self.tenant.id)
        return fake

    def _refusal(self, res):
        return " ".join(str(e) for step in res.context["workflow"].steps
                        for e in step.action.non_field_errors())

    def test_count_times_the_sizes_is_checked(self):
        self.keystone(limit_tests._registered(instances=3, vcpus=20,
                                              memory_mb=10000))
        res = self._post(**BATCH)
        self.assertIn("Instances: 4 of 3 allowed", self._refusal(res))
        self.keystone(limit_tests._registered(instances=10, vcpus=6))
        res = self._post(**dict(BATCH, vcpus=2))
        self.assertIn("vCPUs: 7 of 6 allowed", self._refusal(res))
        self.keystone(limit_tests._registered(memory_mb=700))
        res = self._post(**dict(BATCH, memory=200))
        self.assertIn("Memory: 728 MiB of 700 MiB", self._refusal(res))
        self.keystone(limit_tests._registered(disk_gb=2))
        res = self._post(**dict(BATCH, disk_template="file", disks="1024"))
        self.assertIn("Disk: 3 GiB of 2 GiB", self._refusal(res))
        self.assertEqual([], self.multi_writes())

    def multi_writes(self):
        return [r for r in self.fake.writes() if (r.method, r.path) == MULTI]

    def test_a_batch_that_fits_is_sent_and_then_counted(self):
        self.keystone(limit_tests._registered(instances=4))
        self.fake["alpha"].hold_jobs = True
        self.assertNoFormErrors(self._post(**BATCH))
        self.assertEqual(1, len(self.multi_writes()))
        # Its job runs: the three count, so a fourth does not fit.
        res = self._post(name="one.example.org", disk_template="diskless",
                         disks="")
        self.assertIn("Instances: 5 of 4 allowed", self._refusal(res))

    def test_review_rows_carry_the_numbers_for_the_totals(self):
        self.keystone(limit_tests._registered(instances=3))
        res = self.client.get(workflow_tests.CREATE_URL)
        self.assertContains(res, 'data-ganeti-limit="instances" '
                                 'data-used="1" data-limit="3"')
        review = [s.action for s in res.context["workflow"].steps
                  if isinstance(s, workflows.ReviewStep)][0]
        self.assertEqual(3, review.usage_rows[0]["limit_value"])
