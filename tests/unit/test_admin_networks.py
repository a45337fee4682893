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

"""Admin > Ganeti > Networks against the HTTP-level fake RAPI: the list
from the snapshot, each action's write with its reason trail, and what is
refused before any job.
"""

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_networks:index")
CREATE_URL = reverse("horizon:admin:ganeti_networks:create")


def _action_url(network_id, action):
    return reverse("horizon:admin:ganeti_networks:action",
                   args=[network_id, action])


class _Case(helpers.FakeRapiMixin):

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        alpha.add_group("rack2")
        alpha.networks = [
            {"name": "net1", "network": "192.0.2.0/28",
             "gateway": "192.0.2.1", "reserved": ["192.0.2.5"],
             "tags": ["t1"], "group_list": [["default", "bridged", "br0"]]},
            {"name": "spare", "network": "198.51.100.0/24"}]
        return fake

    def writes(self):
        return [w for w in self.fake.writes() if "/networks" in w.path]


class NetworksListTests(_Case, test.BaseAdminViewTests):

    def test_lists_networks_with_counts_and_groups(self):
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        self.assertEqual(["alpha:net1", "alpha:spare"], [r.id for r in rows])
        content = res.content.decode()
        # 16 addresses: network, broadcast, gateway and .5 reserved.
        self.assertIn("12 free, 4 reserved of 16", content)
        self.assertIn("default (bridged, br0)", content)
        # A connected network cannot be deleted: disabled, with why.
        self.assertIn("still connected to group default", content)

    def test_the_list_is_read_at_most_once_a_minute(self):
        self.client.get(INDEX_URL)
        self.client.get(INDEX_URL)
        calls = [r for r in self.fake.requests
                 if r.path == "/2/networks" and r.cluster == "alpha"]
        self.assertEqual(1, len(calls))

    def test_detail_page_has_the_chart_and_the_map_reservations(self):
        res = self.client.get(reverse(
            "horizon:admin:ganeti_networks:detail", args=["alpha:net1"]))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "pie-chart-usage")
        self.assertContains(res, "192.0.2.5")


class NetworkActionTests(_Case, test.BaseAdminViewTests):

    def test_create_sends_one_job_with_the_reason(self):
        res = self.client.post(CREATE_URL, {
            "cluster": "alpha", "name": "net2", "subnet": "10.1.0.0/24",
            "gateway": "10.1.0.1", "reserved_ips": "10.1.0.9, 10.1.0.10",
            "tags": "a:b"})
        self.assertNoFormErrors(res)
        (write,) = self.writes()
        self.assertEqual(("POST", "/2/networks"), (write.method, write.path))
        self.assertEqual({"network_name": "net2", "network": "10.1.0.0/24",
                          "gateway": "10.1.0.1",
                          "add_reserved_ips": ["10.1.0.9", "10.1.0.10"],
                          "tags": ["a:b"]}, write.body)
        self.assertTrue(write.query["reason"].startswith("horizon user="))
        self.assertIn("net2", [n["name"] for n in
                               clusters.client("alpha").networks()])

    def test_bad_addresses_are_form_errors_and_send_nothing(self):
        for fields, text in (
                ({"subnet": "10.1.0.1/24"}, "CIDR"),
                ({"subnet": "10.1.0.0"}, "CIDR"),
                ({"subnet": "10.0.0.0/8"}, "/16 to /30"),
                ({"gateway": "10.2.0.1"}, "outside the subnet"),
                ({"reserved_ips": "10.1.0.300"}, "not an IPv4 address"),
                ({"reserved_ips": "10.9.9.9"}, "outside the subnet"),
                ({"name": "n\u00e9t"}, "ASCII"),
                ({"tags": "caf\u00e9"}, "ASCII")):
            data = dict({"cluster": "alpha", "name": "net2",
                         "subnet": "10.1.0.0/24", "gateway": "",
                         "reserved_ips": "", "tags": ""}, **fields)
            res = self.client.post(CREATE_URL, data)
            self.assertContains(res, text, msg_prefix=str(fields))
        self.assertEqual([], self.writes())

    def test_modify_reserves_and_releases(self):
        res = self.client.post(_action_url("alpha:net1", "modify"), {
            "gateway": "", "add_reserved": "192.0.2.7",
            "remove_reserved": "192.0.2.5"})
        self.assertNoFormErrors(res)
        (write,) = self.writes()
        self.assertEqual("/2/networks/net1/modify", write.path)
        self.assertEqual({"add_reserved_ips": ["192.0.2.7"],
                          "remove_reserved_ips": ["192.0.2.5"]}, write.body)
        self.assertIn("reason", write.query)

    def test_modify_refuses_what_ganeti_would_ignore_or_refuse(self):
        url = _action_url("alpha:net1", "modify")
        for fields, text in (
                ({"add_reserved": "10.0.0.7"}, "outside the subnet"),
                ({"add_reserved": "192.0.2.5"}, "reserved or in use"),
                ({"remove_reserved": "192.0.2.9"}, "not an external"),
                ({"gateway": "192.0.2.3", "add_reserved": "192.0.2.8"},
                 "one at a time"),
                ({"gateway": "192.0.2.\u0663"}, "ASCII")):
            data = dict({"gateway": "", "add_reserved": "",
                         "remove_reserved": ""}, **fields)
            self.assertContains(self.client.post(url, data), text,
                                msg_prefix=str(fields))
        self.assertEqual([], self.writes())

    def test_create_with_an_ipv6_subnet_and_a_mac_prefix(self):
        res = self.client.post(CREATE_URL, {
            "cluster": "alpha", "name": "net6", "subnet": "10.1.0.0/24",
            "subnet6": "2001:db8:1::/64", "gateway6": "2001:DB8:1::1",
            "mac_prefix": "AA:00:01"})
        self.assertNoFormErrors(res)
        (write,) = self.writes()
        self.assertEqual({"network_name": "net6", "network": "10.1.0.0/24",
                          "network6": "2001:db8:1::/64",
                          "gateway6": "2001:db8:1::1",
                          "mac_prefix": "aa:00:01"}, write.body)
        res = self.client.get(reverse(
            "horizon:admin:ganeti_networks:detail", args=["alpha:net6"]))
        self.assertContains(res, "2001:db8:1::/64")
        self.assertContains(res, "aa:00:01")

    def test_bad_ipv6_and_mac_prefix_are_form_errors_and_send_nothing(self):
        for fields, text in (
                ({"subnet6": "2001:db8::1/64"}, "Not an IPv6 subnet"),
                ({"subnet6": "10.1.0.0/24"}, "Not an IPv6 subnet"),
                ({"subnet6": "2001:db8::/64", "gateway6": "2001:db9::1"},
                 "outside the subnet"),
                ({"subnet6": "2001:db8::/64", "gateway6": "10.1.0.1"},
                 "not an IPv6 address"),
                ({"gateway6": "2001:db8::1"}, "needs an IPv6 subnet"),
                ({"mac_prefix": "aa:00"}, "three octets"),
                ({"mac_prefix": "ab:00:00"}, "multicast"),
                ({"mac_prefix": "aa:00:0٣"}, "ASCII")):
            data = dict({"cluster": "alpha", "name": "net2",
                         "subnet": "10.1.0.0/24"}, **fields)
            res = self.client.post(CREATE_URL, data)
            self.assertContains(res, text, msg_prefix=str(fields))
        self.assertEqual([], self.writes())

    def test_modify_sets_the_ipv6_gateway_inside_the_current_subnet(self):
        url = _action_url("alpha:net1", "modify")
        res = self.client.post(url, {"subnet6": "2001:db8:5::/64"})
        self.assertNoFormErrors(res)
        res = self.client.post(url, {"gateway6": "2001:db8:6::1"})
        self.assertContains(res, "outside the subnet")
        res = self.client.post(url, {"gateway6": "2001:db8:5::1",
                                     "mac_prefix": "aa:bb:cc"})
        self.assertNoFormErrors(res)
        first, second = self.writes()
        self.assertEqual({"network6": "2001:db8:5::/64"}, first.body)
        self.assertEqual({"gateway6": "2001:db8:5::1",
                          "mac_prefix": "aa:bb:cc"}, second.body)
        (net1,) = [n for n in clusters.client("alpha").networks()
                   if n["name"] == "net1"]
        self.assertEqual(("2001:db8:5::/64", "2001:db8:5::1", "aa:bb:cc"),
                         (net1["network6"], net1["gateway6"],
                          net1["mac_prefix"]))

    def test_connect_and_disconnect(self):
        res = self.client.post(_action_url("alpha:spare", "connect"), {
            "group": "rack2", "mode": "routed", "link": "100"})
        self.assertNoFormErrors(res)
        res = self.client.post(_action_url("alpha:net1", "disconnect"), {
            "group": "default"})
        self.assertNoFormErrors(res)
        connect, disconnect = self.writes()
        self.assertEqual({"group_name": "rack2", "network_mode": "routed",
                          "network_link": "100"}, connect.body)
        self.assertEqual({"group_name": "default"}, disconnect.body)
        found = {n["name"]: n["group_list"]
                 for n in clusters.client("alpha").networks()}
        self.assertEqual([["rack2", "routed", "100", ""]], found["spare"])
        self.assertEqual([], found["net1"])

    def test_delete_of_a_connected_network_is_refused_before_any_job(self):
        res = self.client.post(_action_url("alpha:net1", "delete"), {})
        self.assertContains(res, "still connected to group default")
        self.assertEqual([], self.writes())
        res = self.client.post(_action_url("alpha:spare", "delete"), {})
        self.assertNoFormErrors(res)
        (write,) = self.writes()
        self.assertEqual(("DELETE", "/2/networks/spare"),
                         (write.method, write.path))

    def test_tags(self):
        self.assertNoFormErrors(self.client.post(
            _action_url("alpha:net1", "add_tag"), {"tag": "x:y"}))
        self.assertNoFormErrors(self.client.post(
            _action_url("alpha:net1", "remove_tag"), {"tag": "t1"}))
        self.assertEqual(["x:y"], clusters.client("alpha").network_tags(
            "net1"))

    def test_a_read_only_cluster_takes_no_action(self):
        self.fake["beta"].networks = [{"name": "b1",
                                       "network": "10.5.0.0/24"}]
        with helpers.config_file(helpers.TWO_CLUSTERS.replace(
                "rapi_password = secret-beta",
                "rapi_password = secret-beta\nread_only = true")):
            res = self.client.post(_action_url("beta:b1", "add_tag"),
                                   {"tag": "x"})
            self.assertContains(res, "read-only")
        self.assertEqual([], self.writes())


class MemberNicTests(_Case, test.TestCase):
    """The create workflow's choices come from the same snapshot."""

    def test_only_connected_networks_are_offered(self):
        from ganeti_dashboard.api import cluster_state
        options = cluster_state.create_options("alpha")
        self.assertEqual(["net1"], options["network_names"])
        self.assertEqual({"net1": ["default"]}, options["network_groups"])

    def test_the_fake_gives_an_address_from_the_pool(self):
        client = clusters.client("alpha")
        client.wait_for_job(client.create_instance({
            "name": "vm1", "disk_template": "diskless", "disks": [],
            "nics": [{"network": "net1", "ip": "pool"}], "os_type": "noop",
            "beparams": {"memory": 128}, "start": False}))
        data = client.instance("vm1")
        self.assertEqual(["192.0.2.2"], data["nic.ips"])
        self.assertEqual(["br0"], data["nic.links"])
        self.assertEqual(["vm1"], client.network("net1")["inst_list"])
