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

"""A page that sends the user elsewhere says why, as a Horizon message.

Horizon drops the message of an ``Http302``; each of these redirected
without a word before.
"""

from django.contrib.messages import get_messages
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

READ_ONLY = helpers.TWO_CLUSTERS.replace(
    "rapi_password = secret-beta",
    "rapi_password = secret-beta\nread_only = true")


class RedirectMessageTests(test.BaseAdminViewTests):

    def setUp(self):
        super().setUp()
        self.fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
        self.fake["alpha"].add_instance("vm1.alpha")
        self.fake.install(self)

    def _redirected_saying(self, url, text, config=helpers.TWO_CLUSTERS):
        with helpers.config_file(config):
            res = self.client.get(url)
        self.assertEqual(302, res.status_code, url)
        said = [str(m) for m in get_messages(res.wsgi_request)]
        self.assertTrue(any(text in m for m in said), (url, said))
        return res

    def test_unknown_job(self):
        self._redirected_saying(
            reverse("horizon:admin:ganeti_jobs:detail", args=["alpha:999"]),
            "Cannot show job alpha:999: job 999 not found")

    def test_unknown_cluster(self):
        self._redirected_saying(
            reverse("horizon:admin:ganeti_clusters:detail", args=["nope"]),
            "No cluster named nope is configured")

    def test_cluster_that_is_down(self):
        self.fake["alpha"].fail("refused")
        self._redirected_saying(
            reverse("horizon:admin:ganeti_clusters:detail", args=["alpha"]),
            "Cluster alpha: connection refused")

    def test_tag_form_of_a_read_only_cluster(self):
        self._redirected_saying(
            reverse("horizon:admin:ganeti_clusters:add_tag",
                    args=["beta"]),
            "Cluster beta is read-only for the dashboard", READ_ONLY)

    def test_instance_of_a_cluster_that_is_down(self):
        self.fake["alpha"].fail("hanging")
        self._redirected_saying(
            reverse("horizon:admin:ganeti_instances:detail",
                    args=["alpha:vm1.alpha"]),
            "Cannot show the instance: no answer within")

    def test_node_of_a_cluster_that_is_down(self):
        self.fake["alpha"].fail(503)
        self._redirected_saying(
            reverse("horizon:admin:ganeti_nodes:detail",
                    args=["alpha:node1.alpha.example.test"]),
            "Cannot show the node: RAPI answered HTTP 503")

    def test_non_ascii_id_is_not_found_and_never_sent(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            for url in (reverse("horizon:admin:ganeti_instances:detail",
                                args=["alpha:vm\u00e9.alpha"]),
                        reverse("horizon:admin:ganeti_nodes:detail",
                                args=["alpha:n\u00f6de"])):
                self.assertEqual(404, self.client.get(url).status_code, url)
        # A job's page goes back to the list, saying so.
        self._redirected_saying(reverse(
            "horizon:admin:ganeti_jobs:detail", args=["alpha:12"]).replace(
                "alpha", "\u00e4lpha"), "not found")
        self.assertEqual([], self.fake.requests)
