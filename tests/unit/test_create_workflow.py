"""The create workflow: checks before submit, owner tags, no job on error."""

from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers

CREATE_URL = reverse("horizon:project:ganeti_instances:create")
INFO = {"enabled_disk_templates": ["diskless", "file"],
        "ipolicy": {"minmax": [{"min": {"memory-size": 128, "cpu-count": 1,
                                        "disk-size": 1024, "disk-count": 1},
                                "max": {"memory-size": 32768, "cpu-count": 8,
                                        "disk-size": 1048576,
                                        "disk-count": 16}}],
                    "disk-templates": ["diskless", "file"]}}

GOOD = {"name": "new1.example.org", "cluster": "alpha", "os": "noop",
        "vcpus": 2, "memory": 256, "disk_template": "file", "disks": "1024",
        "nic_mode": "", "nic_link": "", "nic_network": "", "node": "",
        "start": "on"}


class WorkflowBase(test.TestCase):
    """RAPI mocked for a project mapped to cluster alpha."""

    def setUp(self):
        super().setUp()
        cache.clear()
        for patch in (
                mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"}),
                mock.patch.object(rapi.RapiClient, "info",
                                  return_value=INFO),
                mock.patch.object(rapi.RapiClient, "operating_systems",
                                  return_value=["noop",
                                                "debian+minimal"]),
                mock.patch.object(rapi.RapiClient, "node_names",
                                  return_value=["node1", "node2"]),
                mock.patch.object(rapi.RapiClient, "instance_names",
                                  return_value=["taken.example.org"])):
            patch.start()
        self.create = mock.patch.object(rapi.RapiClient, "create_instance",
                                        return_value=42).start()
        self.addCleanup(mock.patch.stopall)

    def _post(self, **changes):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            return self.client.post(CREATE_URL, dict(GOOD, **changes))


class CreateWorkflowTests(WorkflowBase):
    def test_form_offers_the_projects_clusters_and_their_options(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(CREATE_URL)
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn('value="alpha"', content)
        self.assertNotIn('value="beta"', content)
        self.assertIn("debian+minimal", content)

    def test_valid_input_creates_with_owner_tags(self):
        res = self._post()
        self.assertNoFormErrors(res)
        body = self.create.call_args.args[0]
        self.assertEqual("new1.example.org", body["name"])
        self.assertIn("openstack:project:%s" % self.tenant.id, body["tags"])
        self.assertIn("openstack:user:%s" % self.user.id, body["tags"])
        self.assertEqual([{"size": 1024}], body["disks"])
        self.assertEqual({"vcpus": 2, "maxmem": 256, "minmem": 256},
                         body["beparams"])
        self.assertNotIn("pnode", body)
        self.assertIn("horizon user=",
                      self.create.call_args.kwargs["reason"])

    def test_bad_input_is_a_form_error_and_no_job(self):
        for changes in ({"name": "has spaces"},
                        {"name": "<b>x</b>"},
                        {"name": "caf\u00e9.example.org"},
                        {"name": "taken.example.org"},
                        {"memory": 64},
                        {"vcpus": 64},
                        {"disks": "512"},
                        {"disks": "abc"},
                        {"disk_template": "diskless", "disks": "1024"},
                        {"os": "windows"},
                        {"cluster": "beta"},
                        {"node": "node9"},
                        {"nic_link": "br\u00e9"}):
            res = self._post(**changes)
            self.assertEqual(200, res.status_code, changes)
            errors = [step.action.errors for step in
                      res.context["workflow"].steps if step.action.errors]
            self.assertTrue(errors, changes)
        self.create.assert_not_called()


TEMPLATES = helpers.TWO_CLUSTERS + """
[template:small]
description = One vCPU, file disk
vcpus = 1
memory = 512
disk_template = file
disks = 2048,4096
os = debian+minimal
"""


class CreatePrefillTests(CreateWorkflowTests):

    def _get(self, query, conf=TEMPLATES):
        with helpers.config_file(conf):
            return self.client.get(CREATE_URL + query)

    def test_template_prefills_the_workflow_and_is_offered(self):
        res = self._get("?template=small")
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn('value="2048,4096"', content)
        self.assertIn('value="512"', content)
        self.assertIn('value="debian+minimal" selected', content)
        self.assertIn('href="?template=small"', self._get("").content
                      .decode())

    def test_unknown_template_is_404(self):
        self.assertEqual(404, self._get("?template=nope").status_code)

    def test_create_from_own_instance_prefills(self):
        own = {"name": "mine.alpha", "status": "running", "os": "noop",
               "tags": ["openstack:project:%s" % self.tenant.id],
               "disk_template": "file", "disk.sizes": [3072],
               "beparams": {"vcpus": 3, "maxmem": 768}}
        with mock.patch.object(rapi.RapiClient, "instance",
                               return_value=own):
            res = self._get("?from=alpha:mine.alpha")
        content = res.content.decode()
        self.assertEqual(200, res.status_code)
        self.assertIn('value="3072"', content)
        self.assertIn('value="768"', content)

    def test_create_from_another_projects_instance_is_404(self):
        theirs = {"name": "theirs.alpha", "status": "running",
                  "tags": ["openstack:project:someone-else"]}
        with mock.patch.object(rapi.RapiClient, "instance",
                               return_value=theirs):
            res = self._get("?from=alpha:theirs.alpha")
        self.assertEqual(404, res.status_code)
