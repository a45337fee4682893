"""Row updates answer a row or a 404, never Horizon's empty status 100.

A row whose cluster fails (refused, hanging, slow) comes back marked with the
cause and keeps polling; an id that cannot exist (outside the scope, non-ASCII)
is a 404, which Horizon's script takes as "gone".
"""

import re
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance

AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
FAULTS = {
    "refused": errors.Unreachable("connection refused", "alpha"),
    "hanging": errors.Timeout("no answer within 15s", "alpha"),
    "slow": errors.Timeout("no connection within 5s", "alpha"),
}


def _row_url(namespace, table, obj_id):
    return (reverse(namespace + ":index") + "?action=row_update&table=%s"
            "&obj_id=%s" % (table, obj_id))


def _row_tag(res):
    return re.search(r"<tr[^>]*>", res.content.decode()).group(0)


class _RowUpdateCase:
    """Each fault of the cluster, then ids that cannot exist."""

    namespace = table = obj_id = method = None

    def _get(self, obj_id, side_effect):
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient, self.method,
                                  side_effect=side_effect):
            return self.client.get(
                _row_url(self.namespace, self.table, obj_id), **AJAX)

    def test_failing_cluster_keeps_the_row_marked_and_polling(self):
        for fault, exc in FAULTS.items():
            res = self._get(self.obj_id, exc)
            self.assertEqual(200, res.status_code, fault)
            self.assertContains(res, str(exc))
            self.assertContains(res, self.obj_id.partition(":")[2])
            # Not settled: Horizon's script asks again.
            self.assertIn("ajax-update", _row_tag(res), fault)
            self.assertIn("data-update-url", _row_tag(res), fault)

    def test_ids_that_cannot_exist_are_404(self):
        for obj_id in ("alpha:vm\u00e9.alpha", "nocluster:x", "nocolon"):
            res = self._get(obj_id, errors.NotFound("not found", "alpha"))
            self.assertEqual(404, res.status_code, obj_id)

    def test_object_gone_is_404(self):
        res = self._get(self.obj_id, errors.NotFound("not found", "alpha"))
        self.assertEqual(404, res.status_code)


class AdminInstanceRowTests(_RowUpdateCase, test.BaseAdminViewTests):
    namespace = "horizon:admin:ganeti_instances"
    table = "instances"
    obj_id = "alpha:vm1.alpha"
    method = "instance"

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(keystone_api, "project_names",
                                    return_value={})
        patcher.start()
        self.addCleanup(patcher.stop)


class ProjectInstanceRowTests(_RowUpdateCase, test.TestCase):
    namespace = "horizon:project:ganeti_instances"
    table = "instances"
    obj_id = "alpha:mine.alpha"
    method = "instance"

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_own_instance_row_is_served(self):
        res = self._get(self.obj_id, [_instance("mine.alpha",
                                                self.tenant.id)])
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Running")


class NodeRowTests(_RowUpdateCase, test.BaseAdminViewTests):
    namespace = "horizon:admin:ganeti_nodes"
    table = "nodes"
    obj_id = "alpha:n1.alpha"
    method = "node"


class JobRowTests(_RowUpdateCase, test.BaseAdminViewTests):
    namespace = "horizon:admin:ganeti_jobs"
    table = "jobs"
    obj_id = "alpha:12"
    method = "job"
