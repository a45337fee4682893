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


"""An instance's Disks and NICs tabs and their actions, on the fake RAPI:
what reaches Ganeti (body, reason trail), what is refused before any job
(a disk that would shrink, non-ASCII text, a state Ganeti refuses, a
read-only cluster, a role without the rule), and what the user is told
about hotplug.
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import instance_devices
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.test import helpers
from tests.unit import test_limits

ADMIN = "horizon:admin:ganeti_instances:"
PROJECT = "horizon:project:ganeti_instances:"
KVM = {"kvm_path": "/usr/bin/kvm"}


def url(action, obj_id="alpha:vm.alpha", namespace=ADMIN):
    return reverse(namespace + "action", args=[obj_id, action])


def detail(obj_id="alpha:vm.alpha", tab="disks", namespace=ADMIN):
    return reverse(namespace + "detail", args=[obj_id]) + \
        "?tab=instance_details__%s" % tab


class _Case(helpers.FakeRapiMixin, test.BaseAdminViewTests):

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        alpha.add_node("node2.alpha.example.test")
        alpha.add_node("node3.alpha.example.test")
        alpha.add_instance("vm.alpha", disk_template="file",
                           disks=[{"size": 1024, "name": "root"}],
                           nics=[{"ip": "10.0.0.5"}])
        alpha.add_instance("down.alpha", status="ADMIN_down",
                           disk_template="file", disks=[1024, 512],
                           nics=[{}, {}])
        alpha.add_instance("kvm.alpha", disk_template="file", disks=[1024],
                           hvparams=dict(KVM))
        alpha.add_instance("drbd.alpha", disk_template="drbd",
                           disks=[1024], snodes=["node2.alpha.example.test"])
        alpha.add_instance("none.alpha")
        return fake

    def instance(self, name="vm.alpha"):
        return self.fake["alpha"].instances[name]

    def sent(self):
        return [(r.method, r.path) for r in self.fake.writes()]


class DisksTabTests(_Case):

    def test_lists_disks_and_offers_what_applies(self):
        res = self.client.get(detail())
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn("ganeti-instance-disks", content)
        self.assertIn(self.instance()["disk.uuids"][0], content)
        self.assertIn("root", content)
        self.assertIn(":vm.alpha/disk_add/", content)
        self.assertIn(":vm.alpha/disk_grow/?index=0", content)
        # A running fake-hypervisor instance cannot lose a disk, and
        # file disks cannot be replaced: disabled, with the reason.
        self.assertIn("only DRBD disks can be replaced; its disks are "
                      "file", content)
        self.assertIn("its hypervisor cannot hotplug", content)
        self.assertNotIn(":vm.alpha/replace_disks/", content)
        self.assertEqual([], self.fake.writes())

    def test_nics_tab_lists_nics(self):
        res = self.client.get(detail(tab="nics"))
        content = res.content.decode()
        self.assertIn("10.0.0.5", content)
        self.assertIn(self.instance()["nic.macs"][0], content)
        self.assertIn(":vm.alpha/nic_modify/?index=0", content)
        self.assertIn("take effect at its next reboot", content)


class DiskActionTests(_Case):

    def test_add_disk(self):
        res = self.client.post(url("disk_add"), {
            "size": 256, "mode": "rw", "disk_name": "data"})
        self.assertNoFormErrors(res)
        self.assertEqual([("PUT", "/2/instances/vm.alpha/modify")],
                         self.sent())
        body = self.fake.writes()[0].body
        self.assertEqual([["add", -1, {"size": 256, "mode": "rw",
                                       "name": "data"}]], body["disks"])
        self.assertTrue(body["hotplug_if_possible"])
        self.assertTrue(self.fake.writes()[0].query["reason"].startswith(
            "horizon user="))
        self.assertEqual([1024, 256], self.instance()["disk.sizes"])
        self.assertEqual(["root", "data"], self.instance()["disk.names"])

    def test_running_fake_hypervisor_says_next_reboot(self):
        res = self.client.post(url("disk_add"), {"size": 256, "mode": "rw"},
                               follow=True)
        self.assertContains(res, "takes effect at the instance&#x27;s next "
                                 "reboot")

    def test_kvm_instance_is_hotplugged(self):
        res = self.client.post(url("disk_add", "alpha:kvm.alpha"),
                               {"size": 256, "mode": "rw"}, follow=True)
        self.assertContains(res, "The change was hotplugged")

    def test_diskless_instance_gets_no_disk(self):
        res = self.client.post(url("disk_add", "alpha:none.alpha"),
                               {"size": 256, "mode": "rw"})
        self.assertContains(res, "it is diskless")
        self.assertEqual([], self.fake.writes())

    def test_grow_to_a_larger_size(self):
        res = self.client.post(url("disk_grow"), {"disk": "0",
                                                  "size": 1536})
        self.assertNoFormErrors(res)
        self.assertEqual([("POST", "/2/instances/vm.alpha/disk/0/grow")],
                         self.sent())
        self.assertEqual({"amount": 512}, self.fake.writes()[0].body)
        self.assertEqual([1536], self.instance()["disk.sizes"])

    def test_shrinking_or_same_size_is_refused_before_any_job(self):
        for size in (512, 1024):
            res = self.client.post(url("disk_grow"), {"disk": "0",
                                                      "size": size})
            self.assertContains(res, "Disk 0 is 1024 MiB now")
            self.assertContains(res, "disks cannot shrink")
        self.assertEqual([], self.fake.writes())

    def test_remove_disk_of_stopped_instance(self):
        res = self.client.post(url("disk_remove", "alpha:down.alpha"),
                               {"disk": "1", "confirm": "on"})
        self.assertNoFormErrors(res)
        self.assertEqual([["remove", 1, {}]],
                         self.fake.writes()[0].body["disks"])
        self.assertEqual([1024], self.instance("down.alpha")["disk.sizes"])

    def test_remove_disk_of_running_fake_instance_is_refused(self):
        res = self.client.post(url("disk_remove"),
                               {"disk": "0", "confirm": "on"})
        self.assertContains(res, "shut it down first")
        self.assertEqual([], self.fake.writes())

    def test_non_ascii_disk_name_is_refused(self):
        res = self.client.post(url("disk_add"), {
            "size": 256, "mode": "rw", "disk_name": "d\u00e9j\u00e0"})
        self.assertContains(res, "ASCII letters")
        self.assertEqual([], self.fake.writes())

    def test_activate_deactivate_recreate(self):
        res = self.client.post(url("activate_disks"), {})
        self.assertNoFormErrors(res)
        res = self.client.post(url("deactivate_disks", "alpha:down.alpha"),
                               {})
        self.assertNoFormErrors(res)
        res = self.client.post(url("recreate_disks", "alpha:down.alpha"),
                               {"confirm": "on"})
        self.assertNoFormErrors(res)
        self.assertEqual([
            ("PUT", "/2/instances/vm.alpha/activate-disks"),
            ("PUT", "/2/instances/down.alpha/deactivate-disks"),
            ("POST", "/2/instances/down.alpha/recreate-disks")],
            self.sent())
        jobs = self.fake["alpha"].queue.jobs
        self.assertEqual({"success"}, {j.status for j in jobs.values()})

    def test_deactivate_and_recreate_need_a_stopped_instance(self):
        for action in ("deactivate_disks", "recreate_disks"):
            res = self.client.post(url(action), {"confirm": "on"})
            self.assertContains(res, "it must be shut down first")
        self.assertEqual([], self.fake.writes())


class ReplaceAndPrimaryTests(_Case):
    """DRBD cannot exist on the sandbox (no device-mapper): replace-disks
    is tested here only, on the fake RAPI.
    """

    def test_replace_on_secondary(self):
        res = self.client.post(url("replace_disks", "alpha:drbd.alpha"),
                               {"mode": "replace_on_secondary"})
        self.assertNoFormErrors(res)
        self.assertEqual([("POST", "/2/instances/drbd.alpha/replace-disks")],
                         self.sent())
        self.assertEqual({"mode": "replace_on_secondary"},
                         self.fake.writes()[0].body)

    def test_new_secondary_by_chosen_node_or_iallocator(self):
        res = self.client.post(url("replace_disks", "alpha:drbd.alpha"), {
            "mode": "replace_new_secondary",
            "remote_node": "node3.alpha.example.test"})
        self.assertNoFormErrors(res)
        self.assertEqual({"mode": "replace_new_secondary",
                          "remote_node": "node3.alpha.example.test"},
                         self.fake.writes()[0].body)
        res = self.client.post(url("replace_disks", "alpha:drbd.alpha"),
                               {"mode": "replace_new_secondary"})
        self.assertNoFormErrors(res)
        self.assertEqual({"mode": "replace_new_secondary",
                          "iallocator": "hail"},
                         self.fake.writes()[1].body)
        self.assertEqual(["node2.alpha.example.test"],
                         self.instance("drbd.alpha")["snodes"])

    def test_a_node_without_new_secondary_mode_is_refused(self):
        res = self.client.post(url("replace_disks", "alpha:drbd.alpha"), {
            "mode": "replace_on_primary", "remote_node": "node3.alpha.example.test"})
        self.assertContains(res, "only for a new secondary")
        self.assertEqual([], self.fake.writes())

    def test_non_drbd_is_refused_with_the_reason(self):
        res = self.client.get(url("replace_disks"))
        self.assertContains(res, "only DRBD disks can be replaced")
        res = self.client.post(url("replace_disks"),
                               {"mode": "replace_auto"})
        self.assertContains(res, "only DRBD disks can be replaced")
        self.assertEqual([], self.fake.writes())

    def test_change_primary_of_stopped_file_instance(self):
        res = self.client.post(url("change_primary", "alpha:down.alpha"),
                               {"node": "node2.alpha.example.test"})
        self.assertNoFormErrors(res)
        self.assertEqual({"pnode": "node2.alpha.example.test"},
                         self.fake.writes()[0].body)
        self.assertEqual("node2.alpha.example.test", self.instance("down.alpha")["pnode"])

    def test_change_primary_refusals(self):
        res = self.client.post(url("change_primary", "alpha:drbd.alpha"),
                               {"node": "node1.alpha.example.test"})
        self.assertContains(res, "move with failover or migrate only")
        res = self.client.post(url("change_primary"),
                               {"node": "node2.alpha.example.test"})
        self.assertContains(res, "it must be shut down first")
        self.assertEqual([], self.fake.writes())


class NicActionTests(_Case):

    def test_add_nic_says_next_reboot(self):
        res = self.client.post(url("nic_add"), {
            "mode": "bridged", "link": "br1", "ip": "10.0.0.9",
            "nic_name": "eth1"}, follow=True)
        self.assertEqual([("PUT", "/2/instances/vm.alpha/modify")],
                         self.sent())
        body = self.fake.writes()[0].body
        self.assertEqual([["add", -1, {"mode": "bridged", "link": "br1",
                                       "ip": "10.0.0.9", "name": "eth1",
                                       "mac": "generate"}]], body["nics"])
        self.assertTrue(body["hotplug_if_possible"])
        self.assertContains(res, "The hypervisor cannot hotplug")
        self.assertEqual(["10.0.0.5", "10.0.0.9"],
                         self.instance()["nic.ips"])

    def test_change_nic(self):
        mac = "aa:00:00:11:22:33"
        res = self.client.post(url("nic_modify"), {
            "nic": "0", "mac": mac, "ip": "10.0.0.6", "link": "br2"})
        self.assertNoFormErrors(res)
        self.assertEqual([["modify", 0, {"mac": mac, "ip": "10.0.0.6",
                                         "link": "br2"}]],
                         self.fake.writes()[0].body["nics"])
        self.assertEqual([mac], self.instance()["nic.macs"])
        self.assertEqual(["br2"], self.instance()["nic.links"])

    def test_bad_nic_values_are_refused_before_any_job(self):
        for data, text in (
                ({"mac": "zz:00"}, "Give a MAC address"),
                ({"ip": "10.0.0.300"}, "Give an IP address"),
                ({"link": "br\u00fc"}, "ASCII letters"),
                ({"ip": "\u0661.2.3.4"}, "Give an IP address"),
                ({"nic_name": "n\u00e9"}, "ASCII letters"),
                ({"mac": "generate"}, "Give the new MAC address itself"),
                ({"ip": "pool"}, "needs a network"),
                ({}, "Nothing to change")):
            res = self.client.post(url("nic_modify"), dict(data, nic="0"))
            self.assertContains(res, text, msg_prefix=str(data))
        self.assertEqual([], self.fake.writes())

    def test_remove_nic(self):
        res = self.client.post(url("nic_remove", "alpha:down.alpha"),
                               {"nic": "1"})
        self.assertNoFormErrors(res)
        self.assertEqual([["remove", 1, {}]],
                         self.fake.writes()[0].body["nics"])
        self.assertEqual(1, len(self.instance("down.alpha")["nic.macs"]))


class ReadOnlyTests(_Case):

    CONFIG = helpers.TWO_CLUSTERS.replace(
        "rapi_password = secret-alpha",
        "rapi_password = secret-alpha\nread_only = true")

    def test_buttons_disabled_with_the_reason_and_posts_refused(self):
        res = self.client.get(detail())
        self.assertContains(res, "the cluster is read-only for the "
                                 "dashboard")
        self.assertNotContains(res, ":vm.alpha/disk_add/")
        res = self.client.post(url("disk_add"), {"size": 256, "mode": "rw"})
        self.assertContains(res, "read-only")
        self.assertEqual([], self.fake.writes())


class MemberTests(test_limits._KeystoneLimits, helpers.FakeRapiMixin,
                  test.TestCase):
    """A project member: disks of their own instance within the limits;
    NICs and the disk operations are the operators'.
    """

    def make_fake(self):
        fake = super().make_fake()
        fake["alpha"].add_instance(
            "mine.alpha", tags=["openstack:project:%s" % self.tenant.id],
            disk_template="file", disks=[1024])
        return fake

    def setUp(self):
        super().setUp()
        patch = mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"})
        patch.start()
        self.addCleanup(patch.stop)

    def test_adds_a_disk_within_limits_only(self):
        self.keystone(test_limits._registered(disk_gb=1))
        res = self.client.post(url("disk_add", "alpha:mine.alpha", PROJECT),
                               {"size": 1024, "mode": "rw"})
        self.assertContains(res, "Disk: 2 GiB of 1 GiB allowed")
        self.assertEqual([], self.fake.writes())
        self.keystone(test_limits._registered(disk_gb=2))
        res = self.client.post(url("disk_add", "alpha:mine.alpha", PROJECT),
                               {"size": 1024, "mode": "rw"})
        self.assertNoFormErrors(res)
        self.assertEqual(1, len(self.fake.writes()))

    def test_nic_and_disk_operations_are_refused(self):
        for action in ("nic_add", "nic_modify", "nic_remove",
                       "activate_disks", "replace_disks",
                       "change_primary"):
            res = self.client.post(url(action, "alpha:mine.alpha",
                                       PROJECT), {"nic": "0"})
            self.assertEqual(403, res.status_code, action)
        self.assertEqual([], self.fake.writes())
        res = self.client.get(detail("alpha:mine.alpha", "nics", PROJECT))
        self.assertNotContains(res, "/nic_add/")


class HotplugTests(test.TestCase):

    def test_job_result_says_whether_it_was_hotplugged(self):
        client = mock.Mock()
        client.wait_for_job.return_value = {"opresult": [[
            ["nic.1", "add:mac=x"], ["nic.1", "hotplug:done"]]]}
        with mock.patch.object(instance_devices.clusters, "client",
                               return_value=client):
            self.assertTrue(instance_devices.hotplugged("alpha", 3))
            client.wait_for_job.return_value = {"opresult": [[
                ["nic.1", "add:mac=x"]]]}
            self.assertFalse(instance_devices.hotplugged("alpha", 3))
