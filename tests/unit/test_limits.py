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

"""Keystone unified limits: the checks, the forms that enforce them, the
project overview and the operators' limits form (Keystone mocked, RAPI the
HTTP-level fake).

Two usages: what a change is checked against is counted fresh, one
owner-tag query per mapped cluster (``limits.counted_usage``); what pages
show (overview, review step, projects table) comes from the snapshots.
"""

import types
from unittest import mock

from django.urls import reverse

from openstack_dashboard.api import keystone as horizon_keystone
from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.content.instances import workflows
from ganeti_dashboard.test import helpers
from tests.unit import test_create_workflow as workflow_tests

SERVICE = "svc-ganeti"


def _registered(**values):
    return [types.SimpleNamespace(resource_name=k, default_limit=v)
            for k, v in values.items()]


def _limit(project_id, resource, value, limit_id=None):
    return types.SimpleNamespace(project_id=project_id,
                                 resource_name=resource,
                                 resource_limit=value,
                                 id=limit_id or "lim-%s" % resource)


def _limits(defaults, overrides=None, project_id="p"):
    return limits.ProjectLimits(project_id, SERVICE,
                                dict(defaults, **(overrides or {})),
                                defaults, {k: "id-" + k
                                           for k in overrides or {}})


def _add_instance(cluster, name, project, **fields):
    """An instance of ``project`` (None: of none) with one vCPU and 128
    MiB of memory, as the fake cluster lists it.
    """
    cluster.add_instance(name, tags=["openstack:project:%s" % project]
                         if project else [], **fields)


def _owner_queries(fake):
    """The owner-tag queries the clusters got (counted usage)."""
    return [(r.cluster, r.body["filter"]) for r in fake.requests
            if r.path == "/2/query/instance"
            and (r.body.get("filter") or [None])[0] == "=[]"]


class CheckTests(test.TestCase):

    def test_within_limits_passes(self):
        limits.check(_limits({"instances": 2, "vcpus": 4}),
                     limits.Usage(instances=1, vcpus=2),
                     limits.Delta(instances=1, vcpus=2))

    def test_each_exceeded_limit_is_named(self):
        with self.assertRaises(limits.LimitExceeded) as caught:
            limits.check(_limits({"instances": 2, "vcpus": 4,
                                  "memory_mb": 1024, "disk_gb": 10}),
                         limits.Usage(instances=2, vcpus=3, memory_mb=512,
                                      disk_gb=9),
                         limits.Delta(instances=1, vcpus=2, memory_mb=256,
                                      disk_mb=2048))
        text = str(caught.exception)
        self.assertIn("Instances: 3 of 2 allowed (2 in use)", text)
        self.assertIn("vCPUs: 5 of 4 allowed", text)
        self.assertIn("Disk: 11 GiB of 10 GiB allowed", text)
        self.assertNotIn("Memory", text)

    def test_unlimited_and_unset_limits_never_refuse(self):
        limits.check(_limits({"instances": -1}),
                     limits.Usage(instances=1000, vcpus=1000),
                     limits.Delta(instances=1, vcpus=64))

    def test_shrinking_is_allowed_even_when_over(self):
        limits.check(_limits({"vcpus": 2}), limits.Usage(vcpus=8),
                     limits.Delta(vcpus=-2))

    def test_usage_counts_instances_vcpus_memory_and_disk(self):
        def entry(name, project, sizes, vcpus=1):
            row = [None] * len(instance_api.FIELDS)
            row[instance_api.NAME] = name
            row[instance_api.TAGS] = ["openstack:project:" + project]
            row[instance_api.VCPUS] = vcpus
            row[instance_api.MAXMEM] = 128
            row[instance_api.SIZES] = sizes
            return (name, "a", tuple(row))
        rows = [entry("x", "p", [1024, 512]), entry("y", "p", None),
                entry("z", "q", [2048], vcpus=None)]
        owned = limits.by_project(rows)
        self.assertEqual(["p", "q"], sorted(owned))
        self.assertEqual(limits.Usage(instances=2, vcpus=2, memory_mb=256,
                                      disk_gb=2),
                         limits.count_rows(owned["p"]))
        self.assertEqual(limits.Usage(instances=1, vcpus=0, memory_mb=128,
                                      disk_gb=2),
                         limits.count_rows(owned["q"]))


class _KeystoneLimits:
    """A keystoneclient mock holding the ganeti service's limits."""

    def keystone(self, registered, project_limits=()):
        client = mock.Mock()
        client.registered_limits.list.return_value = registered
        client.limits.list.return_value = list(project_limits)
        for patch in (
                mock.patch.object(horizon_keystone, "keystoneclient",
                                  return_value=client),
                mock.patch.object(limits, "service_id",
                                  return_value=SERVICE)):
            patch.start()
            self.addCleanup(patch.stop)
        return client


class ProjectLimitsTests(_KeystoneLimits, test.TestCase):

    def test_project_limit_overrides_the_default(self):
        client = self.keystone(_registered(instances=10, vcpus=20),
                               [_limit("p1", "vcpus", 4, "L1"),
                                _limit("p1", "not-ours", 1)])
        found = limits.project_limits(mock.Mock(), "p1")
        self.assertEqual(10, found.limit("instances"))
        self.assertEqual(4, found.limit("vcpus"))
        self.assertIsNone(found.limit("disk_gb"))
        self.assertEqual({"vcpus": "L1"}, found.overrides)
        client.limits.list.assert_called_once_with(service=SERVICE,
                                                   project_id="p1")

    def test_set_limits_creates_updates_and_drops_overrides(self):
        client = self.keystone(_registered(instances=10),
                               [_limit("p1", "vcpus", 4, "L1"),
                                _limit("p1", "memory_mb", 512, "L2")])
        limits.set_project_limits(mock.Mock(), "p1", {
            "instances": 3, "vcpus": 8, "memory_mb": None, "disk_gb": None})
        client.limits.create.assert_called_once_with(
            project="p1", service=SERVICE, resource_name="instances",
            resource_limit=3)
        client.limits.update.assert_called_once_with("L1", resource_limit=8)
        client.limits.delete.assert_called_once_with("L2")

    def test_without_the_service_nothing_is_limited(self):
        with mock.patch.object(limits, "service_id", return_value=None):
            found = limits.project_limits(mock.Mock(), "p1")
            limits.enforce(mock.Mock(), "p1", limits.Delta(instances=1))
        self.assertEqual({}, found.limits)


class CreateLimitTests(_KeystoneLimits, workflow_tests.WorkflowBase):
    """The workflow refuses what the project's limits do not allow."""

    def make_fake(self):
        fake = super().make_fake()
        _add_instance(fake["alpha"], "mine.alpha", self.tenant.id)
        _add_instance(fake["alpha"], "theirs.alpha", "x")
        return fake

    def test_exceeding_a_limit_is_a_form_error_and_no_job(self):
        self.keystone(_registered(instances=1, vcpus=10))
        res = self._post()
        errors = [str(e) for step in res.context["workflow"].steps
                  for e in step.action.non_field_errors()]
        self.assertTrue(any("Instances: 2 of 1 allowed" in e
                            for e in errors), errors)
        self.assertEqual([], self.creates())

    def test_within_limits_creates(self):
        self.keystone(_registered(instances=2, vcpus=3, memory_mb=384,
                                  disk_gb=1))
        self.fake.reset_requests()
        self.assertNoFormErrors(self._post())
        self.assertEqual(1, len(self.creates()))
        # Counted fresh, with the project's owner tag, on each check: the
        # form's, then the one that admits the job.
        tag = "openstack:project:%s" % self.tenant.id
        self.assertEqual([("alpha", ["=[]", "tags", tag])] * 2,
                         _owner_queries(self.fake))

    def test_usage_unknown_refuses(self):
        # The project is on beta too, which is down: its usage there is
        # unknown, so nothing is created on alpha either.
        self.mapped.return_value = {"alpha", "beta"}
        self.fake["beta"].fail("refused")
        self.keystone(_registered(instances=5))
        res = self._post()
        self.assertContains(res, "Usage cannot be counted: beta: "
                                 "connection refused")
        self.assertEqual([], self.creates())


class ResizeLimitTests(_KeystoneLimits, helpers.FakeRapiMixin,
                       test.TestCase):

    def make_fake(self):
        fake = super().make_fake()
        _add_instance(fake["alpha"], "mine.alpha", self.tenant.id,
                      disk_template="file", disks=[1024])
        return fake

    def setUp(self):
        super().setUp()
        patch = mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"})
        patch.start()
        self.addCleanup(patch.stop)
        self.url = reverse("horizon:project:ganeti_instances:action",
                           args=["alpha:mine.alpha", "resize"])

    def _post(self, **data):
        return self.client.post(self.url, dict(
            {"vcpus": 1, "memory": 128, "disk": "", "grow_by": ""},
            **data))

    def test_growing_past_a_limit_is_refused(self):
        self.keystone(_registered(vcpus=2, disk_gb=1))
        res = self._post(vcpus=3)
        self.assertContains(res, "vCPUs: 3 of 2 allowed")
        res = self._post(disk="0", grow_by=1024)
        self.assertContains(res, "Disk: 2 GiB of 1 GiB allowed")
        self.assertEqual([], self.fake.writes())

    def test_within_limits_resizes(self):
        self.keystone(_registered(vcpus=2))
        res = self._post(vcpus=2)
        self.assertNoFormErrors(res)
        self.assertEqual([("PUT", "/2/instances/mine.alpha/modify")],
                         [(r.method, r.path) for r in self.fake.writes()])
        self.assertEqual(2, self.fake["alpha"].instances["mine.alpha"][
            "beparams"]["vcpus"])


class OverviewTests(_KeystoneLimits, helpers.FakeRapiMixin,
                    test.TestCase):
    URL = reverse("horizon:project:ganeti_overview:index")

    def make_fake(self):
        fake = super().make_fake()
        _add_instance(fake["alpha"], "mine.alpha", self.tenant.id)
        _add_instance(fake["alpha"], "theirs.alpha", "x")
        # Not mapped to the project: does not count.
        _add_instance(fake["beta"], "mine.beta", self.tenant.id)
        return fake

    def setUp(self):
        super().setUp()
        patch = mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"})
        patch.start()
        self.addCleanup(patch.stop)

    def test_shows_usage_against_limits_as_charts(self):
        self.keystone(_registered(instances=4, vcpus=8),
                      [_limit(self.tenant.id, "memory_mb", 1024)])
        res = self.client.get(self.URL)
        self.assertEqual(200, res.status_code)
        charts = {c["resource"]: c for c in res.context["charts"]}
        self.assertEqual((1, 4, 25), (charts["instances"]["used"],
                                      charts["instances"]["total"],
                                      charts["instances"]["pct"]))
        self.assertEqual(1024, charts["memory_mb"]["total"])
        self.assertEqual("project limit", str(charts["memory_mb"]["source"]))
        self.assertEqual("unlimited", str(charts["disk_gb"]["total"]))
        self.assertContains(res, 'class="pie-chart-usage" data-used="25"')
        # Shown usage comes from alpha's snapshot: no owner-tag query.
        self.assertEqual([], _owner_queries(self.fake))
        self.assertEqual({"alpha"}, {r.cluster for r in self.fake.requests})

    def test_usage_of_a_cluster_that_cannot_be_read_is_not_guessed(self):
        self.fake["alpha"].fail("refused")
        self.keystone(_registered(instances=4))
        res = self.client.get(self.URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Cluster alpha could not be queried: "
                                 "connection refused")
        self.assertContains(res, "Usage is not shown while a cluster "
                                 "cannot be queried.")
        charts = {c["resource"]: c for c in res.context["charts"]}
        self.assertEqual(("-", 4), (charts["instances"]["used"],
                                    charts["instances"]["total"]))

    def test_keystone_failure_is_a_message(self):
        from keystoneauth1 import exceptions as ks_exceptions
        client = self.keystone([])
        client.registered_limits.list.side_effect = \
            ks_exceptions.ConnectFailure("refused")
        res = self.client.get(self.URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Keystone could not read the default")


class AdminLimitsFormTests(_KeystoneLimits, helpers.FakeRapiMixin,
                           test.BaseAdminViewTests):

    def make_fake(self):
        fake = super().make_fake()
        _add_instance(fake["alpha"], "mine.alpha", "p-demo")
        _add_instance(fake["beta"], "other.beta", "p-demo")
        return fake

    def setUp(self):
        super().setUp()
        project = types.SimpleNamespace(id="p-demo", name="demo",
                                        tags=["ganeti:cluster:alpha"],
                                        description="", enabled=True)
        self.client_ks = self.keystone(_registered(instances=10, vcpus=20),
                                       [_limit("p-demo", "vcpus", 4, "L1")])
        self.client_ks.projects.get.return_value = project
        self.client_ks.projects.list.return_value = [project]
        self.url = reverse("horizon:admin:ganeti_projects:action",
                           args=["p-demo", "limits"])

    def test_form_shows_overrides_and_defaults(self):
        res = self.client.get(self.url)
        form = res.context["form"]
        self.assertEqual(4, form.fields["vcpus"].initial)
        self.assertIsNone(form.fields["instances"].initial)
        self.assertIn("10", str(form.fields["instances"].help_text))

    def test_saving_writes_keystone_project_limits(self):
        res = self.client.post(self.url, {"instances": "2", "vcpus": "",
                                          "memory_mb": "",
                                          "disk_gb": "-1"})
        self.assertNoFormErrors(res)
        created = {c.kwargs["resource_name"]: c.kwargs["resource_limit"]
                   for c in self.client_ks.limits.create.call_args_list}
        self.assertEqual({"instances": 2, "disk_gb": -1}, created)
        self.client_ks.limits.delete.assert_called_once_with("L1")

    def test_projects_table_shows_usage_on_mapped_clusters(self):
        res = self.client.get(reverse("horizon:admin:ganeti_projects:index"))
        row = res.context["table"].data[0]
        # beta is not mapped to demo: its instance does not count.
        self.assertEqual(1, row.usage.instances)
        self.assertContains(res, "vCPUs: 1 / 4 *")
        self.assertContains(res, "Instances: 1 / 10<")
        # From the clusters' snapshots, not counted query by query.
        self.assertEqual([], _owner_queries(self.fake))

    def projects_page(self):
        """The projects table of demo (mapped to alpha) and on-beta
        (mapped to beta, with one instance there).
        """
        on_beta = types.SimpleNamespace(id="p-beta", name="on-beta",
                                        tags=["ganeti:cluster:beta"],
                                        description="", enabled=True)
        _add_instance(self.fake["beta"], "its.beta", "p-beta")
        self.client_ks.projects.list.return_value = [
            self.client_ks.projects.get.return_value, on_beta]
        res = self.client.get(reverse("horizon:admin:ganeti_projects:index"))
        self.assertEqual(200, res.status_code)
        return res, {row.id: row for row in res.context["table"].data}

    def test_projects_table_usage_is_markup_a_line_per_resource(self):
        res, rows = self.projects_page()
        self.assertEqual(1, rows["p-beta"].usage.instances)
        content = res.content.decode()
        self.assertIn('<div class="ganeti-limit ganeti-limit-vcpus">'
                      'vCPUs: 1 / 4 *</div>', content)
        self.assertNotIn("&lt;br&gt;", content)
        self.assertNotIn("&lt;div", content)
        self.assertNotIn("&lt;span", content)

    def test_a_cluster_down_blanks_only_the_usage_of_projects_on_it(self):
        self.fake["beta"].fail("refused")
        res, rows = self.projects_page()
        # demo is not mapped to beta: its usage is shown.
        self.assertEqual(1, rows["p-demo"].usage.instances)
        self.assertIsNone(rows["p-demo"].usage_missing)
        self.assertContains(res, "vCPUs: 1 / 4 *")
        # on-beta's is not known: said, with why, and not guessed.
        self.assertIsNone(rows["p-beta"].usage)
        self.assertEqual({"beta": "connection refused"},
                         rows["p-beta"].usage_missing)
        self.assertContains(
            res, '<div class="ganeti-usage-incomplete text-warning">'
                 'incomplete: beta (connection refused)</div>', count=1)
        self.assertContains(res, "Instances: - / 10<")
        self.assertContains(res, "Cluster beta could not be queried: "
                                 "connection refused")
        self.assertNotContains(res, "Usage is not shown")

    def test_a_cluster_down_blanks_the_usage_of_every_project_on_it(self):
        self.fake["alpha"].fail("refused")
        res, rows = self.projects_page()
        self.assertIsNone(rows["p-demo"].usage)
        self.assertEqual(["alpha"], list(rows["p-demo"].usage_missing))
        self.assertEqual(1, rows["p-beta"].usage.instances)
        self.assertContains(res, "incomplete: alpha (connection refused)",
                            count=1)


class ReviewStepTests(_KeystoneLimits, workflow_tests.WorkflowBase):

    def make_fake(self):
        fake = super().make_fake()
        _add_instance(fake["alpha"], "mine.alpha", self.tenant.id)
        return fake

    def test_review_step_shows_usage_against_limits(self):
        self.keystone(_registered(instances=3))
        res = self.client.get(workflow_tests.CREATE_URL)
        self.assertContains(res, 'id="ganeti-create-review"')
        rows = [s.action for s in res.context["workflow"].steps
                if isinstance(s, workflows.ReviewStep)][0].usage_rows
        self.assertEqual((1, 3), (rows[0]["used"], rows[0]["total"]))
        # Shown from the snapshot; counted only when a change is checked.
        self.assertEqual([], _owner_queries(self.fake))
