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

"""The create workflow's choices per cluster: what each cluster offers is
marked as its own, and what is posted is checked against the chosen
cluster (a value of another cluster is a field error and no job); the
instance policy's bounds; the empty state of a project with no cluster.
"""

import re
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.test import helpers
from tests.unit.test_create_workflow import GOOD
from tests.unit.test_create_workflow import WorkflowBase

CREATE_URL = reverse("horizon:project:ganeti_instances:create")


def _errors(res):
    found = {}
    for step in res.context["workflow"].steps:
        found.update(step.action.errors)
    return found


class ChoicesPerClusterTests(WorkflowBase):
    """alpha (fake and kvm, groups default and rack2, a network) and beta
    (fake only, an OS of its own), both mapped to the project.
    """

    def make_fake(self):
        fake = super().make_fake()
        alpha, beta = fake["alpha"], fake["beta"]
        alpha.info["enabled_hypervisors"] = ["fake", "kvm"]
        alpha.add_group("rack2")
        alpha.add_node("node3.alpha.example.test", group="rack2")
        alpha.add_node("node4.alpha.example.test", role="O")
        alpha.networks = [{"name": "net1", "network": "192.0.2.0/24",
                           "group_list": [["default", "bridged", "br9"]]}]
        beta.os_names = ["noop", "beta-only+default"]
        return fake

    def setUp(self):
        super().setUp()
        self.mapped.return_value = {"alpha", "beta"}

    def test_each_choice_names_the_clusters_that_offer_it(self):
        content = self.client.get(CREATE_URL).content.decode()
        for value, offered_on in (
                ("beta-only+default", "beta"), ("debian+minimal", "alpha"),
                ("noop", "alpha beta"), ("kvm", "alpha"),
                ("rack2", "alpha"), ("net1", "alpha"), ("br9", "alpha")):
            self.assertIn('<option value="%s" data-clusters="%s">'
                          % (value, offered_on), content)
        # An offline node is not offered.
        self.assertNotIn("node4.alpha", content)
        # The bounds beside the memory field, one line per cluster.
        self.assertIn('data-ganeti-hint-for="alpha">Instance policy of '
                      'alpha: 128 to 32768 MiB (standard 128)', content)
        self.assertIn('data-ganeti-hint-for="beta">', content)
        self.assertIn("data-ganeti-cluster", content)

    def test_another_clusters_choice_is_a_field_error_and_no_job(self):
        for changes, field, said in (
                ({"os": "beta-only+default"}, "os",
                 "Cluster alpha has no operating system beta-only+default."),
                ({"cluster": "beta", "os": "debian+minimal"}, "os",
                 "Cluster beta has no operating system debian+minimal."),
                ({"cluster": "beta", "hypervisor": "kvm"}, "hypervisor",
                 "Cluster beta has not enabled the hypervisor kvm."),
                ({"cluster": "beta", "nic_network": "net1"}, "nic_network",
                 "Cluster beta has no network net1."),
                ({"cluster": "beta", "nic_link": "br9"}, "nic_link",
                 "Cluster beta has no link br9."),
                ({"cluster": "beta", "node": "node2.alpha.example.test"},
                 "node", "Cluster beta has no usable node "
                 "node2.alpha.example.test."),
                # Offline: no cluster offers it.
                ({"node": "node4.alpha.example.test"}, "node",
                 "Select a valid choice. node4.alpha.example.test is not "
                 "one of the available choices."),
                ({"cluster": "beta", "group": "rack2"}, "group",
                 "Cluster beta has no node group rack2.")):
            res = self._post(**changes)
            self.assertEqual(200, res.status_code, changes)
            errors = _errors(res)
            self.assertIn(field, errors, (changes, errors))
            self.assertIn(said, [str(e) for e in errors[field]])
        self.assertEqual([], self.creates())

    def test_the_chosen_clusters_choices_are_sent(self):
        res = self._post(hypervisor="kvm", nic_link="br9",
                         group="rack2")
        self.assertNoFormErrors(res)
        (create,) = self.creates()
        self.assertEqual("kvm", create.body["hypervisor"])
        self.assertEqual([{"link": "br9"}], create.body["nics"])
        self.assertEqual("rack2", create.body["group_name"])
        self.assertNotIn("pnode", create.body)

    def test_placement_is_checked(self):
        for changes, field in (
                ({"node": "node1.alpha.example.test", "group": "rack2"},
                 "node"),
                ({"node": "node1.alpha.example.test",
                  "snode": "node2.alpha.example.test"}, "snode"),
                ({"nic_network": "net1", "nic_link": "br9"}, "nic_network")):
            errors = _errors(self._post(**changes))
            self.assertIn(field, errors, (changes, errors))
        self.assertEqual([], self.creates())

    def test_network_and_node_are_sent(self):
        self.assertNoFormErrors(self._post(
            nic_network="net1", node="node1.alpha.example.test"))
        (create,) = self.creates()
        self.assertEqual([{"network": "net1"}], create.body["nics"])
        self.assertEqual("node1.alpha.example.test", create.body["pnode"])
        self.assertNotIn("group_name", create.body)

    def test_a_node_of_a_group_the_network_misses_is_refused(self):
        res = self.client.post(CREATE_URL, dict(
            GOOD, nic_network="net1", node="node3.alpha.example.test"),
            follow=True)
        self.assertContains(res, "Network net1 is not connected to node "
                                 "group rack2")
        self.assertEqual([], self.creates())

    def test_pool_address_and_a_connected_group_for_the_allocator(self):
        self.assertNoFormErrors(self._post(nic_network="net1",
                                           nic_ip_pool="on"))
        (create,) = self.creates()
        self.assertEqual([{"network": "net1", "ip": "pool"}],
                         create.body["nics"])
        # alpha's group rack2 does not connect net1: the allocator is
        # told the group that does.
        self.assertEqual("default", create.body["group_name"])

    def test_pool_address_needs_a_network(self):
        errors = _errors(self._post(nic_ip_pool="on"))
        self.assertIn("nic_ip_pool", errors)
        self.assertEqual([], self.creates())

    def test_no_nic_against_a_policy_of_one_nic_at_least(self):
        res = self._post(no_nic="on")
        self.assertIn("Cluster alpha's instance policy allows 1 to 8 "
                      "network interfaces.",
                      [str(e) for e in _errors(res)["no_nic"]])
        self.assertEqual([], self.creates())

    def test_a_step_with_errors_is_marked_and_opens_first(self):
        res = self._post(memory=999999)
        content = res.content.decode()
        self.assertIn("Cluster alpha&#x27;s instance policy allows 128 to "
                      "32768 MiB.", content)
        tabs = re.findall(r'<li class="([^"]*)">\s*<a href="#'
                          r'create_ganeti_instance__(\w+)"', content)
        classes = {step: cls.split() for cls, step in tabs}
        self.assertIn("error", classes["resourcesaction"])
        self.assertIn("active", classes["resourcesaction"])
        self.assertNotIn("error", classes["detailsaction"])

    def test_a_cluster_down_is_said_in_the_form(self):
        self.fake["beta"].fail("refused")
        content = self.client.get(CREATE_URL).content.decode()
        self.assertIn("ganeti-create-down", content)
        self.assertIn("beta: connection refused", content)
        self.assertNotIn('value="beta"', content)
        # Posting for it anyway: a field error, no job, no 500.
        res = self._post(cluster="beta")
        self.assertEqual(200, res.status_code)
        self.assertIn("cluster", _errors(res))
        self.assertEqual([], self.creates())

    def test_stand_alone_page_has_its_title_in_the_breadcrumb(self):
        res = self.client.get(CREATE_URL)
        self.assertEqual("Create Instance", str(res.context["page_title"]))
        crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>',
                           res.content.decode(), re.S).group(1)
        self.assertIn("Create Instance", crumbs)
        self.assertNotIn("None", crumbs)


class PolicyTests(test.TestCase):
    """Ganeti's rule: one min/max pair must fit every value."""

    POLICY = {"minmax": [
        {"min": {"memory-size": 128, "cpu-count": 1},
         "max": {"memory-size": 1024, "cpu-count": 2}},
        {"min": {"memory-size": 2048, "cpu-count": 4},
         "max": {"memory-size": 8192, "cpu-count": 8}}],
        "std": {"memory-size": 512, "cpu-count": 1}}

    def options(self):
        pairs, low, high, std = cluster_state._bounds(self.POLICY)
        return {"minmax": pairs, "min": low, "max": high, "std": std}

    def test_union_of_the_pairs_is_shown(self):
        options = self.options()
        self.assertEqual({"memory-size": 128, "cpu-count": 1},
                         options["min"])
        self.assertEqual({"memory-size": 8192, "cpu-count": 8},
                         options["max"])

    def test_values_fitting_one_pair_whole_pass(self):
        check = cluster_state.policy_violations
        options = self.options()
        self.assertEqual({}, check(options, {"memory-size": 512,
                                             "cpu-count": 2}))
        self.assertEqual({}, check(options, {"memory-size": 4096,
                                             "cpu-count": 6}))
        # Each within the union, but no pair holds both.
        self.assertEqual({"cpu-count": (1, 2)},
                         check(options, {"memory-size": 512,
                                         "cpu-count": 6}))
        self.assertEqual({"disk-size": (None, 1024)}, check(
            {"minmax": [{"min": {}, "max": {"disk-size": 1024}}]},
            {"disk-size": [512, 2048]}))


class UnmappedProjectTests(helpers.FakeRapiMixin, test.TestCase):
    def setUp(self):
        super().setUp()
        mock.patch.object(keystone_api, "clusters_of_project",
                          return_value=set()).start()
        self.addCleanup(mock.patch.stopall)

    def test_create_says_whom_to_ask_instead_of_empty_choices(self):
        for res in (self.client.get(CREATE_URL),
                    self.client.get(CREATE_URL,
                                    HTTP_X_REQUESTED_WITH="XMLHttpRequest")):
            self.assertEqual(200, res.status_code)
            content = res.content.decode()
            self.assertIn("may not use any Ganeti cluster yet", content)
            self.assertIn("Ask an operator", content)
            self.assertIn(self.tenant.id, content)
            self.assertNotIn('name="os"', content)

    def test_a_post_starts_nothing(self):
        res = self.client.post(CREATE_URL, dict(GOOD))
        self.assertEqual(200, res.status_code)
        self.assertIn("may not use any Ganeti cluster yet",
                      res.content.decode())
        self.assertEqual([], [r for r in self.fake.writes()])
