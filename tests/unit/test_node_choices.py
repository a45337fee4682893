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

"""The node a form moves an instance to: only nodes that can take it, by
node group when the cluster has more than one.
"""

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.test import helpers


def url(action, obj_id):
    return reverse("horizon:admin:ganeti_instances:action",
                   args=[obj_id, action])


class _Case(helpers.FakeRapiMixin, test.BaseAdminViewTests):

    extra_groups = ()

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        for group in self.extra_groups:
            alpha.add_group(group)
        alpha.add_node("same.alpha", group="default")
        alpha.add_node("drained.alpha", role="D")
        alpha.add_node("offline.alpha", role="O")
        alpha.add_node("novm.alpha", vm_capable=False)
        if self.extra_groups:
            alpha.add_node("rack2.alpha", group=self.extra_groups[0])
        alpha.add_instance("shared.alpha", disk_template="sharedfile", disks=[512])
        alpha.add_instance("down.alpha", disk_template="file", disks=[512],
                           status="ADMIN_down")
        alpha.add_instance("drbd.alpha", disk_template="drbd", disks=[512],
                           snodes=["same.alpha"])
        return fake

    def choices(self, action, obj_id, field):
        res = self.client.get(url(action, obj_id))
        self.assertEqual(200, res.status_code)
        return list(res.context["form"].fields[field].choices)


class OneGroupTests(_Case):

    def test_only_usable_nodes_other_than_the_instances_are_offered(self):
        choices = self.choices("migrate", "alpha:shared.alpha", "target_node")
        self.assertEqual(["", "same.alpha"], [c[0] for c in choices])
        choices = self.choices("change_primary", "alpha:down.alpha", "node")
        self.assertEqual([("same.alpha", "same.alpha")], choices)
        choices = self.choices("replace_disks", "alpha:drbd.alpha",
                               "remote_node")
        self.assertEqual([""], [c[0] for c in choices])


class TwoGroupsTests(_Case):

    extra_groups = ("rack2",)

    def test_nodes_are_offered_under_their_group(self):
        choices = self.choices("failover", "alpha:shared.alpha", "target_node")
        self.assertEqual("", choices[0][0])
        self.assertEqual([("default", [("same.alpha", "same.alpha")]),
                          ("rack2", [("rack2.alpha", "rack2.alpha")])],
                         choices[1:])
        content = self.client.get(url("failover", "alpha:shared.alpha")) \
            .content.decode()
        self.assertIn('<optgroup label="rack2">', content)
        # Neither of the instance's own nodes is a new secondary; what
        # is left is in one group, so no group is named.
        choices = self.choices("replace_disks", "alpha:drbd.alpha",
                               "remote_node")
        self.assertEqual(["", "rack2.alpha"], [c[0] for c in choices])

    def test_a_post_of_a_node_of_another_group_reaches_ganeti(self):
        res = self.client.post(url("failover", "alpha:shared.alpha"),
                               {"target_node": "rack2.alpha"})
        self.assertNoFormErrors(res)
        self.assertEqual("rack2.alpha",
                         self.fake.writes()[0].body.get("target_node"))
