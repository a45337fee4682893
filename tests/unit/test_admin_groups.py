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

"""Admin > Ganeti > Node Groups and the cluster's Node Groups tab against
the HTTP-level fake RAPI: the list, every action's write, its reason
trail and the refusals that must send nothing to Ganeti.
"""

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_groups:index")
CREATE_URL = reverse("horizon:admin:ganeti_groups:create")
RACK = "<b>rack1</b>"
READ_ONLY = helpers.TWO_CLUSTERS.replace(
    "rapi_password = secret-beta",
    "rapi_password = secret-beta\nread_only = true")


def _fake_ganeti(config=helpers.TWO_CLUSTERS):
    """alpha: group default with n1 (web, diskless, running; db, drbd;
    off, sharedfile, stopped), group spare with n2, empty group empty;
    beta: one group, one node.
    """
    fake = fake_rapi.FakeGaneti.from_config(config)
    alpha = fake["alpha"]
    alpha.nodes.clear()
    alpha.add_group("spare", tags=["rack:2"])
    alpha.add_group("empty", alloc_policy="unallocable")
    alpha.add_node("n1.alpha", "M")
    alpha.add_node("n2.alpha", "C", group="spare")
    alpha.add_instance("web", pnode="n1.alpha", beparams={"memory": 512})
    alpha.add_instance("db", pnode="n1.alpha", snodes=["n2.alpha"],
                       disk_template="drbd", disks=[1024])
    alpha.add_instance("off", pnode="n1.alpha", status="ADMIN_down",
                       disk_template="sharedfile", disks=[1024])
    return fake


def _url(group_id, action):
    return reverse("horizon:admin:ganeti_groups:action",
                   args=[group_id, action])


class _Case(helpers.FakeRapiMixin, test.BaseAdminViewTests):

    def make_fake(self):
        return _fake_ganeti(self.CONFIG)

    def alpha(self):
        return self.fake["alpha"]

    def post(self, group_id, action, data):
        return self.client.post(_url(group_id, action), data)

    def assert_started_by_user(self, write):
        self.assertIn("horizon user=", write.query.get("reason", ""))


class GroupsListTests(_Case):

    def test_lists_groups_with_counts_and_policies(self):
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        self.assertEqual(["alpha:default", "alpha:empty", "alpha:spare",
                          "beta:default"], [g.id for g in rows])
        self.assertEqual([1, 0, 1, 1], [g.node_cnt for g in rows])
        self.assertEqual([3, 0, 0, 0], [g.instance_count for g in rows])
        content = res.content.decode()
        self.assertIn("unallocable", content)
        self.assertIn("rack:2", content)
        self.assertIn("the cluster&#x27;s", content)

    def test_group_names_are_escaped(self):
        self.alpha().add_group(RACK)
        content = self.client.get(INDEX_URL).content.decode()
        self.assertIn("&lt;b&gt;rack1&lt;/b&gt;", content)
        self.assertNotIn(RACK, content)
        # Made by the CLI: no RAPI URL can name it, so no action.
        self.assertIn("(RAPI cannot address its name)", content)

    def test_delete_of_a_group_with_nodes_is_disabled_with_the_reason(self):
        content = self.client.get(INDEX_URL).content.decode()
        self.assertIn("Delete Group...<span class=\"ganeti-action-reason\">"
                      " (it still has 1 node)</span>", content)
        self.assertIn(_url("alpha:empty", "delete"), content)
        self.assertNotIn(_url("alpha:default", "delete"), content)
        # The only group of beta: it has a node, and is the last one.
        self.assertNotIn(_url("beta:default", "delete"), content)

    def test_filtered_by_cluster(self):
        res = self.client.get(INDEX_URL + "?cluster=beta")
        self.assertEqual(["beta:default"],
                         [g.id for g in res.context["table"].data])

    def test_cluster_tab_lists_its_groups(self):
        res = self.client.get(reverse(
            "horizon:admin:ganeti_clusters:detail", args=["alpha"]))
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn('data-group="spare"', content)
        self.assertIn(_url("alpha:empty", "delete"), content)
        self.assertIn("(it still has 1 node)", content)
        self.assertIn(CREATE_URL + "?cluster=alpha", content)

    def test_one_cluster_down_shows_the_other(self):
        self.fake["beta"].fail("refused")
        res = self.client.get(INDEX_URL)
        self.assertEqual({"alpha"},
                         {g.cluster for g in res.context["table"].data})
        self.assertContains(res, "beta could not be queried")


class GroupActionTests(_Case):

    def test_create(self):
        res = self.client.post(CREATE_URL, {
            "cluster": "alpha", "name": "rack-3",
            "alloc_policy": "last_resort"})
        self.assertNoFormErrors(res)
        [write] = self.fake.writes()
        self.assertEqual(("POST", "/2/groups"), (write.method, write.path))
        self.assertEqual({"name": "rack-3", "alloc_policy": "last_resort"},
                         write.body)
        self.assert_started_by_user(write)
        self.assertEqual("last_resort",
                         self.alpha().groups["rack-3"]["alloc_policy"])
        self.assertMessageCount(success=1)

    def test_create_refuses_non_ascii_and_unaddressable_names(self):
        for name in ("r\u00e9seau", "bad name!", "a/b"):
            res = self.client.post(CREATE_URL, {
                "cluster": "alpha", "name": name,
                "alloc_policy": "preferred"})
            self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())

    def test_create_name_taken_shows_ganetis_refusal(self):
        res = self.client.post(CREATE_URL, {
            "cluster": "alpha", "name": "spare",
            "alloc_policy": "preferred"})
        self.assertContains(res, "already exists as a node group")

    def test_rename(self):
        res = self.post("alpha:spare", "rename", {"new_name": "spare2"})
        self.assertNoFormErrors(res)
        [write] = self.fake.writes()
        self.assertEqual("/2/groups/spare/rename", write.path)
        self.assertEqual({"new_name": "spare2"}, write.body)
        self.assert_started_by_user(write)
        self.assertIn("spare2", self.alpha().groups)

    def test_rename_refuses_non_ascii(self):
        res = self.post("alpha:spare", "rename",
                        {"new_name": "\u00e9t\u00e9"})
        self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())

    def test_modify(self):
        res = self.post("alpha:spare", "modify", {
            "alloc_policy": "last_resort", "vcpu_ratio": "8",
            "disk_templates": ["diskless", "sharedfile"],
            "diskparams": "plain:stripes=2\nrbd:pool=fast"})
        self.assertNoFormErrors(res)
        [write] = self.fake.writes()
        self.assertEqual("/2/groups/spare/modify", write.path)
        self.assertEqual({
            "alloc_policy": "last_resort",
            "ipolicy": {"vcpu-ratio": 8.0,
                        "disk-templates": ["diskless", "sharedfile"]},
            "diskparams": {"plain": {"stripes": 2},
                           "rbd": {"pool": "fast"}}}, write.body)
        self.assert_started_by_user(write)
        group = self.alpha().groups["spare"]
        self.assertEqual("last_resort", group["alloc_policy"])
        self.assertEqual(8.0, group["custom_ipolicy"]["vcpu-ratio"])

    def test_modify_refuses_bad_disk_parameters(self):
        for text in ("plain:stripes", "nosuch:a=1", "plain:x=\u00e9"):
            res = self.post("alpha:spare", "modify", {
                "alloc_policy": "preferred", "diskparams": text})
            self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())

    def test_assign_nodes_and_back(self):
        res = self.post("alpha:spare", "assign_nodes",
                        {"nodes": ["n1.alpha"]})
        self.assertNoFormErrors(res)
        [write] = self.fake.writes()
        self.assertEqual("/2/groups/spare/assign-nodes", write.path)
        self.assertEqual({"nodes": ["n1.alpha"]}, write.body)
        self.assert_started_by_user(write)
        spare = self.alpha().groups["spare"]["uuid"]
        self.assertEqual(spare, self.alpha().nodes["n1.alpha"]["group.uuid"])

    def test_assign_nodes_only_of_the_cluster(self):
        res = self.post("alpha:spare", "assign_nodes",
                        {"nodes": ["n1.beta"]})
        self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())

    def test_tags(self):
        res = self.post("alpha:spare", "add_tag", {"tag": "row:7"})
        self.assertNoFormErrors(res)
        res = self.post("alpha:spare", "remove_tag", {"tag": "rack:2"})
        self.assertNoFormErrors(res)
        added, removed = self.fake.writes()
        self.assertEqual(("PUT", "/2/groups/spare/tags", "row:7"),
                         (added.method, added.path, added.query["tag"]))
        self.assertEqual(("DELETE", "rack:2"),
                         (removed.method, removed.query["tag"]))
        self.assert_started_by_user(removed)
        self.assertEqual(["row:7"], self.alpha().groups["spare"]["tags"])

    def test_tag_refuses_non_ascii(self):
        res = self.post("alpha:spare", "add_tag", {"tag": "\u00e9"})
        self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())

    def test_delete_of_a_group_with_nodes_is_refused_before_any_job(self):
        res = self.post("alpha:spare", "delete", {})
        self.assertContains(res, "it still has 1 node")
        self.assertEqual([], self.fake.writes())
        self.assertIn("spare", self.alpha().groups)

    def test_delete_empty_group(self):
        res = self.post("alpha:empty", "delete", {})
        self.assertNoFormErrors(res)
        [write] = self.fake.writes()
        self.assertEqual(("DELETE", "/2/groups/empty"),
                         (write.method, write.path))
        self.assert_started_by_user(write)
        self.assertNotIn("empty", self.alpha().groups)

    def test_unknown_group_is_404(self):
        res = self.client.get(_url("alpha:nosuch", "rename"))
        self.assertEqual(404, res.status_code)

    def test_evacuate_moves_what_ganeti_allows(self):
        res = self.post("alpha:default", "evacuate", {"target": "spare"})
        self.assertNoFormErrors(res)
        writes = self.fake.writes()
        self.assertEqual([("PUT", "/2/instances/off/failover",
                           {"target_node": "n2.alpha"}),
                          ("PUT", "/2/instances/web/migrate",
                           {"target_node": "n2.alpha"})],
                         [(w.method, w.path, w.body) for w in writes])
        for write in writes:
            self.assert_started_by_user(write)
        self.assertEqual("n2.alpha", self.alpha().instances["web"]["pnode"])
        # drbd moves only to its secondary: named, not moved.
        self.assertMessageCount(success=1, warning=1)
        self.assertEqual("n1.alpha", self.alpha().instances["db"]["pnode"])

    def test_evacuate_of_a_group_without_instances_is_refused(self):
        res = self.post("alpha:spare", "evacuate", {"target": "default"})
        self.assertContains(res, "it has no instances")
        self.assertEqual([], self.fake.writes())

    def test_evacuate_to_an_empty_group_starts_nothing(self):
        res = self.post("alpha:default", "evacuate", {"target": "empty"})
        self.assertContains(res, "none of its instances can move")
        self.assertEqual([], self.fake.writes())


class ReadOnlyClusterTests(_Case):

    CONFIG = READ_ONLY

    def test_actions_disabled_with_the_reason_and_refused(self):
        content = self.client.get(INDEX_URL).content.decode()
        self.assertIn("(the cluster is read-only for the dashboard",
                      content)
        self.assertNotIn(_url("beta:default", "rename"), content)
        self.assertIn(_url("alpha:spare", "rename"), content)
        res = self.post("beta:default", "rename", {"new_name": "x"})
        self.assertContains(res, "read-only")
        res = self.client.post(CREATE_URL, {
            "cluster": "beta", "name": "x", "alloc_policy": "preferred"})
        self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())
