from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_clusters:index")

INFO = {"name": "alpha.example.test", "software_version": "3.0.2",
        "master": "node1.alpha.test", "enabled_hypervisors": ["fake", "kvm"],
        "enabled_disk_templates": ["diskless", "file"], "tags": []}


def _fake_rapi(failures):
    """Patch RapiClient's reads; ``failures`` maps cluster -> exception."""
    def guard(method):
        def call(self, *args, **kwargs):
            if self.name in failures:
                raise failures[self.name]
            return method(self, *args, **kwargs)
        return call
    return mock.patch.multiple(
        rapi.RapiClient,
        info=guard(lambda self: dict(INFO, name=self.name + ".test")),
        nodes=guard(lambda self, bulk=True: [
            {"id": "n1", "name": "n1", "mtotal": 4096, "dtotal": 10240,
             "ctotal": 4},
            {"id": "n2", "name": "n2", "mtotal": 4096, "dtotal": 10240,
             "ctotal": 4}]),
        cluster_tags=guard(lambda self: ["env:test"]),
        instances=guard(lambda self, bulk=True: [
            {"id": "vm1", "name": "vm1", "pnode": "n1", "status": "running",
             "beparams": {"maxmem": 1024, "vcpus": 2}, "disk_usage": 2048,
             "tags": []}]),
    )


class ClustersPanelTests(test.BaseAdminViewTests):

    def test_lists_every_cluster_with_its_facts(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi({}):
            res = self.client.get(INDEX_URL)
        self.assertTemplateUsed(res, "horizon/common/_data_table_view.html")
        rows = res.context["table"].data
        self.assertEqual(["alpha", "beta"], [r.name for r in rows])
        content = res.content.decode()
        self.assertIn("3.0.2", content)
        self.assertIn("node1.alpha.test", content)
        self.assertIn("fake, kvm", content)
        self.assertIn("reachable", content)

    def test_one_cluster_down_shows_its_error_and_the_other(self):
        failures = {"beta": errors.Unreachable("connection refused")}
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(failures):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn("connection refused", content)
        self.assertIn("3.0.2", content)
        alpha, beta = res.context["table"].data
        self.assertTrue(alpha.reachable)
        self.assertFalse(beta.reachable)

    def test_wrong_password_says_authentication_failed(self):
        failures = {"alpha": errors.AuthenticationFailed()}
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(failures):
            res = self.client.get(INDEX_URL)
        self.assertContains(res, "authentication failed")

    def test_missing_config_file_is_a_message_not_a_500(self):
        with helpers.config_file("") as path:
            pass  # deleted on exit: the setting now names a missing file
        with self.settings(GANETI_DASHBOARD_CONFIG=path):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "does not exist")
        self.assertContains(res, path)

    def test_hostile_texts_are_escaped(self):
        hostile = dict(INFO, master="<b>m</b>\"'", software_version="\u00e9")
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(
                {"alpha": errors.RapiError("<script>x</script>")}), \
                mock.patch.object(rapi.RapiClient, "info",
                                  side_effect=[hostile, hostile]):
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertEqual(200, res.status_code)
        self.assertNotIn("<script>x</script>", content)
        self.assertNotIn("<b>m</b>", content)
        self.assertIn("&lt;b&gt;m&lt;/b&gt;", content)

    def test_detail_shows_cluster_info(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi({}):
            res = self.client.get(
                reverse("horizon:admin:ganeti_clusters:detail",
                        args=["alpha"]))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "alpha.test")
        self.assertContains(res, "diskless, file")
        self.assertNotContains(res, "secret-alpha")

    def test_detail_charts_resource_use(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi({}):
            res = self.client.get(
                reverse("horizon:admin:ganeti_clusters:detail",
                        args=["alpha"]))
        content = res.content.decode()
        # 1024 of 8192 MiB memory = 12 %; 2048 of 20480 MiB disk = 10 %.
        self.assertIn('data-used="12"', content)
        self.assertIn('data-used="10"', content)
        self.assertIn("1024 / 8192 MiB", content)
        self.assertIn("vm1", content)

    def test_add_tag_starts_a_job_with_the_reason(self):
        url = reverse("horizon:admin:ganeti_clusters:add_tag",
                      args=["alpha"])
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient, "add_cluster_tags",
                                  return_value=12) as add, \
                mock.patch.object(rapi.RapiClient, "wait_for_job"):
            res = self.client.post(url, {"tag": "env:prod"})
        self.assertNoFormErrors(res)
        add.assert_called_once_with(["env:prod"], reason=mock.ANY)
        self.assertIn("horizon user=", add.call_args.kwargs["reason"])

    def test_bad_tags_are_form_errors_and_nothing_is_sent(self):
        url = reverse("horizon:admin:ganeti_clusters:add_tag",
                      args=["alpha"])
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient,
                                  "add_cluster_tags") as add:
            for bad in ("caf\u00e9", "<b>x</b>", "a b", "x=y"):
                res = self.client.post(url, {"tag": bad})
                self.assertFormErrors(res, 1)
        add.assert_not_called()

    def test_read_only_cluster_refuses_tag_changes(self):
        conf = helpers.TWO_CLUSTERS.replace(
            "rapi_password = secret-alpha",
            "rapi_password = secret-alpha\nread_only = true")
        url = reverse("horizon:admin:ganeti_clusters:add_tag",
                      args=["alpha"])
        with helpers.config_file(conf), \
                mock.patch.object(rapi.RapiClient,
                                  "add_cluster_tags") as add:
            res = self.client.post(url, {"tag": "ok"})
        self.assertEqual(302, res.status_code)
        add.assert_not_called()

    def test_detail_of_unknown_cluster_redirects_with_message(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi({}):
            res = self.client.get(
                reverse("horizon:admin:ganeti_clusters:detail",
                        args=["nope"]))
        self.assertRedirectsNoFollow(res, INDEX_URL)

    def test_detail_of_unreachable_cluster_redirects_with_message(self):
        failures = {"alpha": errors.Timeout("no answer within 10s")}
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(failures):
            res = self.client.get(
                reverse("horizon:admin:ganeti_clusters:detail",
                        args=["alpha"]))
        self.assertRedirectsNoFollow(res, INDEX_URL)


class ClustersPanelMemberTests(test.TestCase):
    """A project member (no admin role) has no Admin > Ganeti."""

    def test_member_cannot_open_clusters(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi({}):
            res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
        self.assertNotIn(b"node1.alpha.test", res.content)
