"""Keystone unified limits: the checks, the forms that enforce them, the
project overview and the operators' limits form (Keystone and RAPI mocked).
"""

import types
from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from openstack_dashboard.api import keystone as horizon_keystone
from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import rapi
from ganeti_dashboard.content.instances import workflows
from ganeti_dashboard.test import helpers
from tests.unit import test_create_workflow as workflow_tests
from tests.unit.test_admin_instances import _instance

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


def _query_via_list(client, resource, fields, qfilter=None):
    """RapiClient.query answered from the (mocked) bulk list: the owner-tag
    filter and the fields counted_usage asks for."""
    assert resource == "instance" and qfilter[:2] == ["=[]", "tags"]
    rows = []
    for data in client.instances(bulk=True):
        if qfilter[2] not in data.get("tags", []):
            continue
        be = data.get("beparams") or {}
        values = {"name": data["name"], "be/vcpus": be.get("vcpus"),
                  "be/maxmem": be.get("maxmem"),
                  "disk.sizes": data.get("disk.sizes") or []}
        rows.append({f: values[f] for f in fields})
    return rows


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
        from ganeti_dashboard.api import models
        used = limits.count([
            models.Instance("a", _instance("x", "p", **{
                "disk.sizes": [1024, 512]})),
            models.Instance("a", _instance("y", "p"))])
        self.assertEqual(limits.Usage(instances=2, vcpus=2, memory_mb=256,
                                      disk_gb=2), used)


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

    def setUp(self):
        super().setUp()
        own = self.tenant.id
        mock.patch.object(rapi.RapiClient, "instances", lambda c, bulk=True: [
            _instance("mine.alpha", own), _instance("theirs.alpha", "x")]
        ).start()
        mock.patch.object(rapi.RapiClient, "query", _query_via_list).start()

    def test_exceeding_a_limit_is_a_form_error_and_no_job(self):
        self.keystone(_registered(instances=1, vcpus=10))
        res = self._post()
        errors = [str(e) for step in res.context["workflow"].steps
                  for e in step.action.non_field_errors()]
        self.assertTrue(any("Instances: 2 of 1 allowed" in e
                            for e in errors), errors)
        self.create.assert_not_called()

    def test_within_limits_creates(self):
        self.keystone(_registered(instances=2, vcpus=3, memory_mb=384,
                                  disk_gb=1))
        self.assertNoFormErrors(self._post())
        self.create.assert_called_once()

    def test_usage_unknown_refuses(self):
        self.keystone(_registered(instances=5))

        def down(client, bulk=True):
            from ganeti_dashboard.api import errors
            raise errors.Unreachable("connection refused", client.name)

        with mock.patch.object(rapi.RapiClient, "instances", down):
            res = self._post()
        self.assertContains(res, "Usage cannot be counted")
        self.create.assert_not_called()


class ResizeLimitTests(_KeystoneLimits, test.TestCase):

    def setUp(self):
        super().setUp()
        cache.clear()
        own = self.tenant.id
        self.mine = _instance("mine.alpha", own, **{"disk.sizes": [1024]})
        for patch in (
                mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"}),
                mock.patch.object(rapi.RapiClient, "instances",
                                  lambda c, bulk=True: [self.mine]),
                mock.patch.object(rapi.RapiClient, "instance",
                                  lambda c, name: self.mine),
                mock.patch.object(rapi.RapiClient, "query",
                                  _query_via_list)):
            patch.start()
        self.modify = mock.patch.object(rapi.RapiClient, "modify_instance",
                                        return_value=9).start()
        self.grow = mock.patch.object(rapi.RapiClient, "grow_disk",
                                      return_value=10).start()
        self.addCleanup(mock.patch.stopall)
        self.url = reverse("horizon:project:ganeti_instances:action",
                           args=["alpha:mine.alpha", "resize"])

    def _post(self, **data):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            return self.client.post(self.url, dict(
                {"vcpus": 1, "memory": 128, "disk": "", "grow_by": ""},
                **data))

    def test_growing_past_a_limit_is_refused(self):
        self.keystone(_registered(vcpus=2, disk_gb=1))
        res = self._post(vcpus=3)
        self.assertContains(res, "vCPUs: 3 of 2 allowed")
        res = self._post(disk="0", grow_by=1024)
        self.assertContains(res, "Disk: 2 GiB of 1 GiB allowed")
        self.modify.assert_not_called()
        self.grow.assert_not_called()

    def test_within_limits_resizes(self):
        self.keystone(_registered(vcpus=2))
        res = self._post(vcpus=2)
        self.assertNoFormErrors(res)
        self.modify.assert_called_once()


class OverviewTests(_KeystoneLimits, test.TestCase):
    URL = reverse("horizon:project:ganeti_overview:index")

    def setUp(self):
        super().setUp()
        own = self.tenant.id
        for patch in (
                mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"}),
                mock.patch.object(rapi.RapiClient, "instances",
                                  lambda c, bulk=True: [
                                      _instance("mine.alpha", own),
                                      _instance("theirs.alpha", "x")])):
            patch.start()
        self.addCleanup(mock.patch.stopall)

    def test_shows_usage_against_limits_as_charts(self):
        self.keystone(_registered(instances=4, vcpus=8),
                      [_limit(self.tenant.id, "memory_mb", 1024)])
        with helpers.config_file(helpers.TWO_CLUSTERS):
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

    def test_keystone_failure_is_a_message(self):
        from keystoneauth1 import exceptions as ks_exceptions
        client = self.keystone([])
        client.registered_limits.list.side_effect = \
            ks_exceptions.ConnectFailure("refused")
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(self.URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Keystone could not read the default")


class AdminLimitsFormTests(_KeystoneLimits, test.BaseAdminViewTests):

    def setUp(self):
        super().setUp()
        project = types.SimpleNamespace(id="p-demo", name="demo",
                                        tags=["ganeti:cluster:alpha"],
                                        description="", enabled=True)
        self.client_ks = self.keystone(_registered(instances=10, vcpus=20),
                                       [_limit("p-demo", "vcpus", 4, "L1")])
        self.client_ks.projects.get.return_value = project
        self.client_ks.projects.list.return_value = [project]
        mock.patch.object(rapi.RapiClient, "instances", lambda c, bulk=True: [
            _instance("mine.alpha", "p-demo")] if c.name == "alpha" else [
            _instance("other.beta", "p-demo")]).start()
        self.addCleanup(mock.patch.stopall)
        self.url = reverse("horizon:admin:ganeti_projects:limits",
                           args=["p-demo"])

    def test_form_shows_overrides_and_defaults(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(self.url)
        form = res.context["form"]
        self.assertEqual(4, form.fields["vcpus"].initial)
        self.assertIsNone(form.fields["instances"].initial)
        self.assertIn("10", str(form.fields["instances"].help_text))

    def test_saving_writes_keystone_project_limits(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.post(self.url, {"instances": "2", "vcpus": "",
                                              "memory_mb": "",
                                              "disk_gb": "-1"})
        self.assertNoFormErrors(res)
        created = {c.kwargs["resource_name"]: c.kwargs["resource_limit"]
                   for c in self.client_ks.limits.create.call_args_list}
        self.assertEqual({"instances": 2, "disk_gb": -1}, created)
        self.client_ks.limits.delete.assert_called_once_with("L1")

    def test_projects_table_shows_usage_on_mapped_clusters(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(reverse(
                "horizon:admin:ganeti_projects:index"))
        row = res.context["table"].data[0]
        # beta is not mapped to demo: its instance does not count.
        self.assertEqual(1, row.usage.instances)
        self.assertContains(res, "vCPUs: 1 / 4 *")
        self.assertContains(res, "Instances: 1 / 10<")


class ReviewStepTests(_KeystoneLimits, workflow_tests.WorkflowBase):

    def test_review_step_shows_usage_against_limits(self):
        own = self.tenant.id
        self.keystone(_registered(instances=3))
        with mock.patch.object(rapi.RapiClient, "instances",
                               lambda c, bulk=True: [
                                   _instance("mine.alpha", own)]), \
                helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(workflow_tests.CREATE_URL)
        self.assertContains(res, 'id="ganeti-create-review"')
        rows = [s.action for s in res.context["workflow"].steps
                if isinstance(s, workflows.ReviewStep)][0].usage_rows
        self.assertEqual((1, 3), (rows[0]["used"], rows[0]["total"]))
