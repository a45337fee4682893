from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_instances:index")


def _instance(name, project=None, status="running", **extra):
    data = {"name": name, "status": status, "admin_state": "up",
            "pnode": "node1", "snodes": [], "os": "noop",
            "tags": ["openstack:project:%s" % project] if project else [],
            "disk_template": "diskless",
            "beparams": {"vcpus": 1, "maxmem": 128}, "disk.sizes": [],
            "nic.ips": ["10.0.0.5"], "nic.macs": ["aa:00:00:00:00:01"]}
    data.update(extra)
    return data


LISTS = {
    "alpha": [_instance("vm1.alpha", "p-demo"),
              _instance("vm2.alpha", status="ADMIN_down")],
    "beta": [_instance("vm3.beta", "p-other")],
}


def _patched(failures=None):
    failures = failures or {}

    def instances(self, bulk=True):
        if self.name in failures:
            raise failures[self.name]
        return LISTS[self.name]

    return mock.patch.object(rapi.RapiClient, "instances", instances)


class AdminInstancesTests(test.BaseAdminViewTests):

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(
            keystone_api, "project_names",
            return_value={"p-demo": "demo", "p-other": "<i>other</i>"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_lists_all_clusters_with_owner_project(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        self.assertEqual(["vm1.alpha", "vm2.alpha", "vm3.beta"],
                         [r.name for r in rows])
        content = res.content.decode()
        self.assertIn("unassigned", content)
        self.assertIn("demo", content)
        self.assertIn("&lt;i&gt;other&lt;/i&gt;", content)
        self.assertIn("Stopped", content)
        self.assertIn("10.0.0.5", content)

    def test_one_cluster_down_names_it_and_shows_the_other(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(
                {"beta": errors.Unreachable("connection refused")}):
            res = self.client.get(INDEX_URL)
        self.assertEqual(["vm1.alpha", "vm2.alpha"],
                         [r.name for r in res.context["table"].data])
        self.assertContains(res, "beta could not be queried: connection "
                                 "refused")

    def test_bad_page_number_is_not_a_500(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(INDEX_URL + "?page=abc")
        self.assertEqual(200, res.status_code)

    def test_row_update_of_a_pending_job_settles_it(self):
        from ganeti_dashboard.api import jobs
        jobs.remember("alpha", "vm1.alpha", 7, "shutdown", "Shutting down")
        single = dict(LISTS["alpha"][0], status="ADMIN_down")
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(rapi.RapiClient, "instance",
                                  return_value=single), \
                mock.patch.object(rapi.RapiClient, "job",
                                  return_value={"id": 7,
                                                "status": "success"}):
            res = self.client.get(
                INDEX_URL + "?action=row_update&table=instances"
                "&obj_id=alpha:vm1.alpha",
                HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Stopped")
        self.assertIsNone(jobs.pending("alpha", "vm1.alpha"))

    def test_row_update_outside_the_scope_is_404(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(
                INDEX_URL + "?action=row_update&table=instances"
                "&obj_id=nocluster:vm1.alpha",
                HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(404, res.status_code)

    def test_read_only_cluster_hides_write_actions(self):
        conf = helpers.TWO_CLUSTERS.replace(
            "rapi_password = secret-beta",
            "rapi_password = secret-beta\nread_only = true")
        with helpers.config_file(conf), _patched():
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertIn("Cluster beta is read-only for the dashboard", content)
        self.assertIn("alpha:vm1.alpha/shutdown", content)
        self.assertNotIn("beta:vm3.beta/shutdown", content)

    def test_read_only_rapi_user_refusal_is_explained(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(rapi.RapiClient, "instance",
                                  return_value=LISTS["alpha"][1]), \
                mock.patch.object(rapi.RapiClient, "startup_instance",
                                  side_effect=errors.Forbidden()):
            res = self.client.post(INDEX_URL, {
                "action": "instances__start",
                "object_ids": ["alpha:vm2.alpha"]}, follow=True)
        self.assertContains(res, "this cluster is read-only for the "
                                 "dashboard")

    def test_server_side_filter_and_pages(self):
        many = {"alpha": [_instance("vm%03d.alpha" % i) for i in range(45)],
                "beta": [_instance("web.beta", "p-other")]}
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.dict(LISTS, many), _patched():
            first = self.client.get(INDEX_URL)
            third = self.client.get(INDEX_URL + "?page=3")
            filtered = self.client.post(INDEX_URL, {
                "instances__filter__q_field": "cluster",
                "instances__filter__q": "beta"}, follow=True)
            by_project = self.client.post(INDEX_URL, {
                "instances__filter__q_field": "project",
                "instances__filter__q": "other"}, follow=True)
        page_size = len(first.context["table"].data)
        self.assertLess(page_size, 23)  # at least three pages
        self.assertEqual(min(page_size, 46 - 2 * page_size),
                         len(third.context["table"].data))
        self.assertEqual(["web.beta"],
                         [r.name for r in filtered.context["table"].data])
        self.assertEqual(["web.beta"],
                         [r.name for r in by_project.context["table"].data])

    def test_a_cluster_filter_asks_only_the_clusters_it_can_show(self):
        asked = []

        def instances(client, bulk=True):
            asked.append(client.name)
            if client.name == "beta":
                raise errors.Unreachable("connection refused")
            return LISTS[client.name]

        with helpers.config_file(helpers.TWO_CLUSTERS), mock.patch.object(
                rapi.RapiClient, "instances", instances):
            filtered = self.client.post(INDEX_URL, {
                "instances__filter__q_field": "cluster",
                "instances__filter__q": "ALPHA "}, follow=True)
            asked_filtered = sorted(set(asked))
            del asked[:]
            self.client.post(INDEX_URL, {
                "instances__filter__q_field": "cluster",
                "instances__filter__q": "a"}, follow=True)
        self.assertEqual(["vm1.alpha", "vm2.alpha"],
                         [r.name for r in filtered.context["table"].data])
        # beta, down, could show nothing: it was not asked, nor named.
        self.assertEqual(["alpha"], asked_filtered)
        self.assertNotContains(filtered, "could not be queried")
        # "a" is in both names: both are asked.
        self.assertEqual(["alpha", "beta"], sorted(set(asked)))

    def test_hostile_names_are_escaped(self):
        hostile = {"alpha": [_instance("x.alpha", os="<script>alert(1)"
                                       "</script>", pnode="n\"'<b>")],
                   "beta": []}
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.dict(LISTS, hostile), _patched():
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertEqual(200, res.status_code)
        self.assertNotIn("<script>alert(1)</script>", content)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", content)
        self.assertNotIn("n\"'<b>", content)
