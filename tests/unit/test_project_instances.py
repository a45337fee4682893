"""Project > Ganeti > Instances: a project sees and touches only its own."""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance

INDEX_URL = reverse("horizon:project:ganeti_instances:index")
AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


class ProjectInstancesTests(test.TestCase):

    def setUp(self):
        super().setUp()
        own = self.tenant.id
        self.lists = {
            "alpha": [_instance("mine.alpha", own),
                      _instance("theirs.alpha", "someone-else"),
                      _instance("nobody.alpha")],
            # beta is not mapped to the project: nothing there is visible.
            "beta": [_instance("mine.beta", own)],
        }
        self.singles = {i["name"]: i for items in self.lists.values()
                        for i in items}
        lists, singles = self.lists, self.singles
        patches = [
            mock.patch.object(keystone_api, "clusters_of_project",
                              return_value={"alpha"}),
            mock.patch.object(rapi.RapiClient, "instances",
                              lambda c, bulk=True: lists[c.name]),
            mock.patch.object(rapi.RapiClient, "instance",
                              lambda c, name: singles[name]),
        ]
        for patch in patches:
            patch.start()
            self.addCleanup(patch.stop)
        self.startup = mock.patch.object(rapi.RapiClient, "startup_instance",
                                         return_value=5).start()
        self.shutdown = mock.patch.object(
            rapi.RapiClient, "shutdown_instance", return_value=6).start()
        self.delete = mock.patch.object(rapi.RapiClient, "delete_instance",
                                        return_value=7).start()
        self.addCleanup(mock.patch.stopall)

    def _get(self, url, **kwargs):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            return self.client.get(url, **kwargs)

    def _post(self, url, data, **kwargs):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            return self.client.post(url, data, **kwargs)

    def test_lists_only_own_instances_on_mapped_clusters(self):
        res = self._get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual(["mine.alpha"],
                         [i.name for i in res.context["table"].data])
        self.assertNotContains(res, "theirs.alpha")
        self.assertNotContains(res, "mine.beta")

    def test_every_url_of_another_projects_instance_is_404(self):
        for obj_id in ("alpha:theirs.alpha", "alpha:nobody.alpha",
                       "beta:mine.beta", "nope:x"):
            detail = reverse("horizon:project:ganeti_instances:detail",
                             args=[obj_id])
            self.assertEqual(404, self._get(detail).status_code, obj_id)
            for action in ("shutdown", "reboot", "rename", "resize",
                           "reinstall"):
                url = reverse("horizon:project:ganeti_instances:action",
                              args=[obj_id, action])
                self.assertEqual(404, self._get(url).status_code)
                self.assertEqual(404, self._post(
                    url, {"timeout": 0, "new_name": "x.y"}).status_code)
            row = self._get(INDEX_URL + "?action=row_update&table=instances"
                            "&obj_id=" + obj_id, **AJAX)
            self.assertEqual(404, row.status_code, obj_id)
            for action in ("start", "stop", "delete"):
                bulk = self._post(INDEX_URL, {
                    "action": "instances__%s" % action,
                    "object_ids": ["alpha:mine.alpha", obj_id]})
                self.assertEqual(404, bulk.status_code, (obj_id, action))
        self.startup.assert_not_called()
        self.shutdown.assert_not_called()
        self.delete.assert_not_called()

    def test_own_instance_can_be_shut_down(self):
        url = reverse("horizon:project:ganeti_instances:action",
                      args=["alpha:mine.alpha", "shutdown"])
        res = self._post(url, {"timeout": 0})
        self.assertNoFormErrors(res)
        self.shutdown.assert_called_once_with(
            "mine.alpha", timeout=0, reason=mock.ANY)

    def test_members_get_no_migrate_or_owner_actions(self):
        content = self._get(INDEX_URL).content.decode()
        self.assertNotIn("/migrate/", content)
        self.assertNotIn("assign-owner", content)
        self.assertIn("/shutdown/", content)

    def test_keystone_failure_shows_nothing_and_says_why(self):
        with mock.patch.object(
                keystone_api, "clusters_of_project",
                side_effect=keystone_api.KeystoneError("could not be "
                                                       "reached")):
            res = self._get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual([], list(res.context["table"].data))
        self.assertContains(res, "could not be reached")


class ProjectReaderTests(test.TestCase):
    """A reader sees the project's instances but no action."""

    def setUp(self):
        super().setUp()
        helpers.become_reader(self)
        own = self.tenant.id
        patches = [
            mock.patch.object(keystone_api, "clusters_of_project",
                              return_value={"alpha"}),
            mock.patch.object(rapi.RapiClient, "instances",
                              lambda c, bulk=True: [_instance("mine.alpha",
                                                              own)]
                              if c.name == "alpha" else []),
        ]
        for patch in patches:
            patch.start()
            self.addCleanup(patch.stop)

    def test_reader_sees_but_cannot_act(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertIn("mine.alpha", content)
        for action in ("/shutdown/", "/reboot/", "instances__delete",
                       "instances__start", "/rename/"):
            self.assertNotIn(action, content)
