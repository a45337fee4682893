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

"""Node operations of Admin > Ganeti > Nodes against the HTTP-level fake
RAPI, end to end (no mocked client): modify, tags, storage units (LVM
only here: the sandbox has no device-mapper, so LVM cannot be tried for
real) and powercycle, which is never sent on a cluster with the fake
hypervisor nor to the master.
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import fake_rapi_nodes
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_nodes:index")
N1, N2 = "alpha:n1.alpha", "alpha:n2.alpha"


def _url(node_id, action):
    return reverse("horizon:admin:ganeti_nodes:action",
                   args=[node_id, action])


def _detail(node_id):
    return reverse("horizon:admin:ganeti_nodes:detail", args=[node_id])


class _Case(helpers.FakeRapiMixin, test.BaseAdminViewTests):

    def make_fake(self):
        fake = fake_rapi.FakeGaneti.from_config(self.CONFIG)
        for name in ("alpha", "beta"):
            fake[name].nodes.clear()
        alpha = fake["alpha"]
        alpha.add_node("n1.alpha", "M")
        alpha.add_node("n2.alpha", "C")
        fake["beta"].add_node("n1.beta", "M")
        return fake

    @property
    def alpha(self):
        return self.fake["alpha"]

    def writes(self):
        return [(r.method, r.path) for r in self.fake.writes()]

    def said(self, res):
        return [str(m) for m in res.wsgi_request._messages]


class ModifyTests(_Case):

    def test_drain_and_undrain_send_only_the_change(self):
        res = self.client.post(_url(N2, "modify"), {
            "drained": "on", "master_capable": "on", "vm_capable": "on",
            "secondary_ip": "192.0.2.2"})
        self.assertNoFormErrors(res)
        sent = self.fake.writes()
        self.assertEqual([("POST", "/2/nodes/n2.alpha/modify")],
                         self.writes())
        self.assertEqual({"drained": True}, sent[0].body)
        self.assertTrue(sent[0].query["reason"].startswith("horizon user="))
        self.assertEqual("D", self.alpha.nodes["n2.alpha"]["role"])
        self.assertIn("Modify n2.alpha: Ganeti job", " ".join(self.said(res)))
        self.fake.reset_requests()
        res = self.client.post(_url(N2, "modify"), {
            "master_capable": "on", "vm_capable": "on",
            "secondary_ip": "192.0.2.2"})
        self.assertNoFormErrors(res)
        self.assertEqual({"drained": False}, self.fake.writes()[0].body)
        self.assertEqual("C", self.alpha.nodes["n2.alpha"]["role"])

    def test_capabilities_and_secondary_ip(self):
        res = self.client.post(_url(N2, "modify"), {
            "master_capable": "on", "secondary_ip": "198.18.0.9"})
        self.assertNoFormErrors(res)
        self.assertEqual({"vm_capable": False, "secondary_ip": "198.18.0.9"},
                         self.fake.writes()[0].body)
        node = self.alpha.nodes["n2.alpha"]
        self.assertFalse(node["vm_capable"])
        self.assertEqual("198.18.0.9", node["sip"])

    def test_bad_secondary_ip_and_non_ascii_are_refused_in_the_form(self):
        for bad in ("300.1.1.1", "2001:db8::1", "node2", "192.0.2.\u0661"):
            res = self.client.post(_url(N2, "modify"), {
                "master_capable": "on", "vm_capable": "on",
                "secondary_ip": bad})
            self.assertFormErrors(res, 1)
        self.assertContains(res, "ASCII")
        self.assertEqual([], self.writes())

    def test_nothing_changed_or_drained_and_offline_refused(self):
        same = {"master_capable": "on", "vm_capable": "on",
                "secondary_ip": "192.0.2.2"}
        res = self.client.post(_url(N2, "modify"), same)
        self.assertContains(res, "Nothing to change.")
        res = self.client.post(_url(N2, "modify"), dict(
            same, drained="on", offline="on"))
        self.assertContains(res, "A node is drained or offline, not both.")
        self.assertEqual([], self.writes())

    def test_master_cannot_be_drained_from_the_form(self):
        # Disabled fields keep the master's values whatever is posted.
        res = self.client.post(_url(N1, "modify"), {
            "drained": "on", "vm_capable": "on",
            "secondary_ip": "192.0.2.1"})
        self.assertContains(res, "Nothing to change.")
        self.assertEqual([], self.writes())

    def test_ganeti_refusal_shown_with_the_job(self):
        self.alpha.add_instance("vm0", pnode="n2.alpha")
        res = self.client.post(_url(N2, "modify"), {
            "master_capable": "on", "secondary_ip": "192.0.2.2"})
        self.assertContains(res, "Ganeti job 1 failed: Node n2.alpha hosts "
                                 "instances, cannot unset vm_capable")
        self.assertTrue(self.alpha.nodes["n2.alpha"]["vm_capable"])


class TagsTests(_Case):

    def test_add_and_remove_tags_each_a_job(self):
        res = self.client.post(_url(N2, "tags"), {"add": "rack:1 ssd"})
        self.assertNoFormErrors(res)
        self.assertEqual(["rack:1", "ssd"],
                         self.alpha.nodes["n2.alpha"]["tags"])
        sent = self.fake.writes()
        self.assertEqual([("PUT", "/2/nodes/n2.alpha/tags")], self.writes())
        self.assertEqual(["rack:1", "ssd"], sent[0].values("tag"))
        self.assertTrue(sent[0].query["reason"].startswith("horizon user="))
        self.fake.reset_requests()
        res = self.client.post(_url(N2, "tags"), {"remove": ["ssd"],
                                                  "add": "hdd"})
        self.assertNoFormErrors(res)
        self.assertEqual([("DELETE", "/2/nodes/n2.alpha/tags"),
                          ("PUT", "/2/nodes/n2.alpha/tags")], self.writes())
        self.assertEqual(["hdd", "rack:1"],
                         sorted(self.alpha.nodes["n2.alpha"]["tags"]))
        said = " ".join(self.said(res))
        self.assertIn("Ganeti job 2 started and succeeded", said)
        self.assertIn("Ganeti job 3 started and succeeded", said)

    def test_bad_tags_refused_in_the_form(self):
        for bad in ("caf\u00e9", "<b>x</b>", "x=y", "a" * 129):
            res = self.client.post(_url(N2, "tags"), {"add": bad})
            self.assertFormErrors(res, 1)
        res = self.client.post(_url(N2, "tags"), {})
        self.assertContains(res, "Nothing to change")
        res = self.client.post(_url(N2, "tags"), {"remove": ["absent"]})
        self.assertFormErrors(res, 1)
        self.assertEqual([], self.writes())

    def test_tags_shown_on_the_form(self):
        self.alpha.nodes["n2.alpha"]["tags"] = ["rack:1"]
        res = self.client.get(_url(N2, "tags"))
        self.assertContains(res, 'value="rack:1"')


class StorageTests(_Case):
    """File storage as on the sandbox; LVM only here (no device-mapper
    in the sandbox's kernel: LVM cannot exist there).
    """

    def _tab(self, node_id=N2):
        return self.client.get(_detail(node_id) + "?tab=node_details__storage",
                               HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    def _with_lvm(self):
        self.alpha.info["enabled_disk_templates"] = ["plain", "file"]
        self.alpha.storage = {"n2.alpha": {
            "lvm-vg": [{"name": "xenvg", "size": 20476, "used": 4096,
                        "free": 16380, "allocatable": True}],
            "lvm-pv": [{"name": "/dev/loop0", "size": 20476, "used": 4096,
                        "free": 16380, "allocatable": True}]}}

    def test_file_storage_listed_by_jobs(self):
        res = self._tab()
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "/srv/ganeti/file-storage")
        self.assertContains(res, "/srv/ganeti/shared-file-storage")
        self.assertContains(res, "Ganeti changes and repairs LVM units only.")
        self.assertNotContains(res, "storage_modify")
        asked = [r.query for r in self.fake.requests
                 if r.path == "/2/nodes/n2.alpha/storage"]
        self.assertEqual(["file", "sharedfile"],
                         [q["storage_type"] for q in asked])
        self.assertEqual("name,size,used,free,allocatable",
                         asked[0]["output_fields"])

    def test_lvm_units_listed_with_their_actions(self):
        self._with_lvm()
        res = self._tab()
        self.assertContains(res, "xenvg")
        self.assertContains(res, "/dev/loop0")
        self.assertContains(res, "16380")
        self.assertContains(res, _url(N2, "storage_modify")
                            + "?type=lvm-pv&amp;name=/dev/loop0"
                            "&amp;allocatable=1")
        self.assertContains(res, _url(N2, "storage_repair")
                            + "?type=lvm-vg&amp;name=xenvg")

    def test_no_storage_types_says_so(self):
        self.alpha.info["enabled_disk_templates"] = ["diskless"]
        res = self._tab()
        self.assertContains(res, "Ganeti lists no storage units")

    def test_read_only_rapi_user_is_explained(self):
        self.alpha.users["ganeti"][1] = False
        res = self._tab()
        self.assertContains(res, "not listed")
        self.assertContains(res, "read-only")

    def test_make_a_physical_volume_unallocatable(self):
        self._with_lvm()
        res = self.client.get(_url(N2, "storage_modify")
                              + "?type=lvm-pv&name=/dev/loop0&allocatable=1")
        self.assertContains(res, 'value="/dev/loop0"')
        res = self.client.post(_url(N2, "storage_modify"), {
            "storage_type": "lvm-pv", "unit": "/dev/loop0",
            "allocatable": "0"})
        self.assertNoFormErrors(res)
        sent = self.fake.writes()
        self.assertEqual([("PUT", "/2/nodes/n2.alpha/storage/modify")],
                         self.writes())
        self.assertEqual({"storage_type": "lvm-pv", "name": "/dev/loop0",
                          "allocatable": "0"}, {
            k: sent[0].query[k] for k in ("storage_type", "name",
                                          "allocatable")})
        self.assertIn("reason", sent[0].query)
        self.assertFalse(self.alpha.storage["n2.alpha"]["lvm-pv"][0][
            "allocatable"])

    def test_repair_a_volume_group(self):
        self._with_lvm()
        res = self.client.post(_url(N2, "storage_repair"), {
            "storage_type": "lvm-vg", "unit": "xenvg"})
        self.assertNoFormErrors(res)
        self.assertEqual([("PUT", "/2/nodes/n2.alpha/storage/repair")],
                         self.writes())

    def test_wrong_types_and_names_refused_in_the_form(self):
        self._with_lvm()
        for data in ({"storage_type": "file", "unit": "/srv/x",
                      "allocatable": "0"},
                     {"storage_type": "lvm-pv", "unit": "/dev/l\u00f6op",
                      "allocatable": "0"},
                     {"storage_type": "lvm-pv", "unit": "a b",
                      "allocatable": "0"}):
            res = self.client.post(_url(N2, "storage_modify"), data)
            self.assertFormErrors(res, 1)
        res = self.client.post(_url(N2, "storage_repair"), {
            "storage_type": "lvm-pv", "unit": "/dev/loop0"})
        self.assertFormErrors(res, 1)
        self.assertEqual([], self.writes())

    def test_unknown_unit_is_ganeti_s_job_error(self):
        self._with_lvm()
        res = self.client.post(_url(N2, "storage_repair"), {
            "storage_type": "lvm-vg", "unit": "othervg"})
        self.assertContains(res, "Storage unit &#x27;othervg&#x27; not "
                                 "found")


class PowercycleTests(_Case):

    def _kvm(self):
        self.alpha.info["enabled_hypervisors"] = ["kvm"]
        self.alpha.info["default_hypervisor"] = "kvm"

    def test_fake_hypervisor_disables_and_refuses_before_any_call(self):
        content = self.client.get(INDEX_URL).content.decode()
        self.assertIn("Power-cycle...", content)
        self.assertIn("the cluster enables the fake hypervisor", content)
        self.assertNotIn(_url(N2, "powercycle"), content)
        res = self.client.get(_url(N2, "powercycle"))
        self.assertContains(res, "Not possible now: the cluster enables "
                                 "the fake hypervisor")
        res = self.client.post(_url(N2, "powercycle"),
                               {"confirm": "n2.alpha"})
        self.assertFormErrors(res, 1)
        self.assertContains(res, "fake hypervisor")
        self.assertEqual([], self.writes())
        self.assertEqual([], getattr(self.alpha, "powercycled", []))

    def test_checked_fresh_not_from_the_snapshot(self):
        # The list's info snapshot said kvm; the cluster enabled the fake
        # hypervisor since: the post asks /2/info and sends nothing.
        self._kvm()
        self.client.get(INDEX_URL)
        self.alpha.info["enabled_hypervisors"] = ["kvm", "fake"]
        res = self.client.post(_url(N2, "powercycle"),
                               {"confirm": "n2.alpha"})
        self.assertContains(res, "fake hypervisor")
        self.assertEqual([], self.writes())

    def test_refused_on_the_master(self):
        self._kvm()
        res = self.client.post(_url(N1, "powercycle"),
                               {"confirm": "n1.alpha"})
        self.assertContains(res, "it is the master node")
        self.assertEqual([], self.writes())

    def test_needs_the_node_s_name_typed(self):
        self._kvm()
        for typed in ("", "n2", "n1.alpha", "n2.alph\u00e4"):
            res = self.client.post(_url(N2, "powercycle"),
                                   {"confirm": typed})
            self.assertFormErrors(res, 1)
        self.assertEqual([], self.writes())
        res = self.client.post(_url(N2, "powercycle"),
                               {"confirm": "n2.alpha"})
        self.assertNoFormErrors(res)
        sent = self.fake.writes()
        self.assertEqual([("POST", "/2/nodes/n2.alpha/powercycle")],
                         self.writes())
        self.assertTrue(sent[0].query["reason"].startswith("horizon user="))
        self.assertEqual(["n2.alpha"], self.alpha.powercycled)

    def test_api_refuses_without_any_write(self):
        from ganeti_dashboard.api import errors
        from ganeti_dashboard.api import nodes as node_api
        node = node_api.get(N2)
        request = mock.Mock(user=mock.Mock(username="op", id="u1",
                                           project_id="p1"))
        with self.assertRaises(errors.Refused):
            node_api.powercycle(request, node)
        self.assertEqual([], self.writes())


class ReadOnlyClusterTests(_Case):

    CONFIG = helpers.TWO_CLUSTERS.replace(
        "rapi_password = secret-alpha",
        "rapi_password = secret-alpha\nread_only = true")

    def test_write_actions_disabled_with_the_reason_and_refused(self):
        content = self.client.get(INDEX_URL).content.decode()
        self.assertIn("its cluster is read-only for the dashboard", content)
        self.assertNotIn(_url(N2, "modify"), content)
        self.assertNotIn(_url(N2, "tags"), content)
        for action, data in (("modify", {"drained": "on"}),
                             ("tags", {"add": "x"}),
                             ("storage_repair", {"storage_type": "lvm-vg",
                                                 "unit": "xenvg"})):
            res = self.client.post(_url(N2, action), data)
            self.assertEqual(200, res.status_code)
            self.assertContains(res, "read-only for the dashboard")
        self.assertEqual([], self.writes())


class StorageListingUnitTests(test.TestCase):

    def test_storage_types_of_disk_templates(self):
        from ganeti_dashboard.api import nodes as node_api
        self.assertEqual(["lvm-vg", "lvm-pv", "file"],
                         node_api.storage_types(["drbd", "file", "diskless"]))
        self.assertEqual([], node_api.storage_types(["diskless", "rbd"]))
        self.assertEqual(set(fake_rapi_nodes.STORAGE_OF_TEMPLATE),
                         set(node_api.STORAGE_OF_TEMPLATE))
