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

"""Actions offered and accepted by the object's state (issue 18, item 3),
and the words that say what each did (item 4).

The rules (``api.preconditions``) are checked one by one; then, on the
fake RAPI, that the page shows a refused action disabled with its reason,
that a forged post of it sends nothing to Ganeti, and that a bulk action
says per instance what happened.
"""

import unittest
from unittest import mock

from django.contrib.messages import get_messages
from django.urls import reverse

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content import action_messages
from tests.unit.test_admin_instances import _Case
from tests.unit.test_admin_instances import _instance
from tests.unit.test_admin_instances import INDEX_URL
from tests.unit import test_instance_rows


def _made(status="running", **fields):
    data = _instance("vm.x", status=status, **fields)
    data["admin_state"] = {"running": "up", "ADMIN_down": "down",
                           "ADMIN_offline": "offline",
                           "USER_down": "up"}.get(status, "up")
    return models.Instance("c", data)


def _why(action, instance, node_count=None):
    refusal = preconditions.instance_refusal(action, instance, node_count)
    return None if refusal is None else str(refusal)


FILE = {"disk_template": "file", "disk.sizes": [1024]}
DRBD = {"disk_template": "drbd", "disk.sizes": [1024], "snodes": ["n2"]}


class InstanceRuleTests(unittest.TestCase):

    def test_start_and_stop_say_already(self):
        running, stopped = _made(), _made("ADMIN_down")
        self.assertIsNone(_why("start", stopped))
        refusal = preconditions.instance_refusal("start", running)
        self.assertEqual("it is already running", str(refusal))
        self.assertTrue(refusal.done)
        self.assertIsNone(_why("shutdown", running))
        refusal = preconditions.instance_refusal("shutdown", stopped)
        self.assertEqual("it is already stopped", str(refusal))
        self.assertTrue(refusal.done)
        # Shut down by its user: Ganeti starts it (and stops it for good).
        self.assertIsNone(_why("start", _made("USER_down")))
        self.assertEqual("it is marked offline",
                         _why("start", _made("ADMIN_offline")))

    def test_reboot_only_what_runs(self):
        self.assertIsNone(_why("reboot", _made()))
        self.assertEqual("it is not running: start it instead",
                         _why("reboot", _made("ADMIN_down")))

    def test_rename_only_when_marked_down(self):
        self.assertEqual("it must be shut down first",
                         _why("rename", _made()))
        # Ganeti's INSTANCE_NOT_RUNNING: down or offline, not "up".
        self.assertEqual("it must be shut down first",
                         _why("rename", _made("USER_down")))
        self.assertIsNone(_why("rename", _made("ADMIN_down")))
        self.assertIsNone(_why("rename", _made("ADMIN_offline")))

    def test_reinstall_needs_disks_and_an_online_instance(self):
        self.assertEqual("it has no disks to reinstall",
                         _why("reinstall", _made()))
        self.assertIsNone(_why("reinstall", _made(**FILE)))
        self.assertIsNone(_why("reinstall", _made("ADMIN_down", **FILE)))
        self.assertEqual("it is marked offline",
                         _why("reinstall", _made("ADMIN_offline", **FILE)))

    def test_moves_need_mirrored_disks_and_somewhere_to_go(self):
        self.assertEqual("its file disks stay on one node",
                         _why("failover", _made(**FILE)))
        self.assertEqual("its file disks stay on one node",
                         _why("migrate", _made(**FILE)))
        self.assertIsNone(_why("migrate", _made(**DRBD)))
        self.assertEqual("it has no secondary node", _why(
            "failover", _made(**dict(DRBD, snodes=[]))))
        self.assertEqual("its cluster has one node",
                         _why("failover", _made(), node_count=1))
        self.assertIsNone(_why("failover", _made(), node_count=2))
        # Ganeti migrates only a running instance ("please use failover").
        self.assertEqual("it is not running: fail it over instead",
                         _why("migrate", _made("ADMIN_down", **DRBD)))
        self.assertIsNone(_why("failover", _made("ADMIN_down", **DRBD)))

    def test_grow_disk_needs_growable_disks(self):
        self.assertEqual("it has no disks", _why("grow_disk", _made()))
        self.assertIsNone(_why("grow_disk", _made(**FILE)))
        self.assertEqual("its blockdev disks cannot grow", _why(
            "grow_disk", _made(disk_template="blockdev",
                               **{"disk.sizes": [1]})))

    def test_no_rule_no_refusal(self):
        for action in ("modify", "delete"):
            self.assertIsNone(_why(action, _made("ADMIN_offline")))

    def test_warning_before_what_stops_a_running_instance(self):
        for action in preconditions.STOPS:
            self.assertTrue(preconditions.stops_instance(action, _made()))
            self.assertIsNone(preconditions.stops_instance(
                action, _made("ADMIN_down")))
        for action in ("start", "rename", "migrate", "modify"):
            self.assertIsNone(preconditions.stops_instance(action, _made()))


class NodeRuleTests(unittest.TestCase):

    def test_migrate_all_only_when_every_primary_can_migrate(self):
        refuse = preconditions.migrate_all_refusal
        self.assertIsNone(refuse([]))
        self.assertIsNone(refuse([("a", True, "drbd"),
                                  ("b", True, "diskless")]))
        self.assertEqual("not running: a, b, c and 1 more (fail them over "
                         "first)", str(refuse(
                             [(n, False, "drbd") for n in "dcba"])))
        self.assertEqual("disks cannot move: p", str(refuse(
            [("p", True, "plain"), ("q", True, "drbd")])))

    def test_node_roles(self):
        from ganeti_dashboard.api import nodes as node_api
        master = node_api.Node("c", {"name": "m", "role": "M"},
                               cluster_nodes=["m", "n"])
        self.assertIn("master failover", master.cannot("set_role"))
        offline = node_api.Node("c", {"name": "n", "role": "O",
                                      "offline": True, "pinst_cnt": 1},
                                cluster_nodes=["m", "n"])
        self.assertIsNone(offline.cannot("set_role"))
        self.assertEqual("the node is offline: live migration needs it",
                         offline.cannot("migrate"))


class MessageTests(unittest.TestCase):

    def test_words(self):
        ok = [action_messages.Outcome("a", job=1),
              action_messages.Outcome("b", job=2)]
        self.assertEqual("Starting: a (Ganeti job 1), b (Ganeti job 2).",
                         action_messages.started("Starting", ok))
        self.assertEqual("a was not started: it is already running.",
                         action_messages.refused(
                             "start", "a", "it is already running"))
        self.assertEqual("a was not failed over: x.",
                         action_messages.refused("failover", "a", "x"))

    def test_report_levels(self):
        request = mock.Mock()
        outcomes = [
            action_messages.Outcome("a", job=1),
            action_messages.Outcome("b", refusal=preconditions.Refusal(
                "it is already running", done=True)),
            action_messages.Outcome("c", error="Ganeti says no")]
        with mock.patch.object(action_messages, "messages") as said:
            action_messages.report(request, "start", "Starting", outcomes)
        said.success.assert_called_once_with(
            request, "Starting: a (Ganeti job 1).")
        said.info.assert_called_once_with(
            request, "b was not started: it is already running.")
        said.error.assert_called_once_with(
            request, "c was not started: Ganeti says no.")


def _messages(res):
    return [str(m) for m in get_messages(res.wsgi_request)]


class PostedActionTests(_Case):
    """vm1.alpha runs, vm2.alpha is stopped (both diskless)."""

    def _bulk(self, action, ids):
        return self.client.post(INDEX_URL, {
            "action": "instances__%s" % action, "object_ids": ids})

    def test_bulk_start_says_already_running_and_starts_the_others(self):
        res = self._bulk("start", ["alpha:vm1.alpha", "alpha:vm2.alpha"])
        self.assertEqual(302, res.status_code)
        said = _messages(res)
        self.assertIn("vm1.alpha was not started: it is already running.",
                      said)
        self.assertTrue(any(m.startswith("Starting: vm2.alpha (Ganeti job ")
                            for m in said), said)
        self.assertFalse([m for m in said if "not allowed" in m], said)
        self.assertEqual(["/2/instances/vm2.alpha/startup"],
                         [w.path for w in self.fake.writes()])

    def test_bulk_stop_of_a_stopped_instance_sends_nothing(self):
        res = self._bulk("stop", ["alpha:vm2.alpha"])
        self.assertEqual(["vm2.alpha was not shut down: it is already "
                          "stopped."], _messages(res))
        self.assertEqual([], self.fake.writes())

    def test_running_instance_offers_rename_disabled_with_reason(self):
        rows = test_instance_rows.rows_of(self.client.get(INDEX_URL))
        rename = [a for a in rows["alpha:vm1.alpha"]["actions"]
                  if a["label"].startswith("Rename...")][0]
        self.assertEqual("Rename... (it must be shut down first)",
                         rename["label"])
        self.assertEqual("it must be shut down first", rename["title"])
        self.assertEqual("#", rename["href"])
        self.assertIn("disabled", test_instance_rows.classes(rename))
        self.assertNotIn("ajax-modal", test_instance_rows.classes(rename))

    def _form(self, obj_id, action, data=None):
        url = reverse("horizon:admin:ganeti_instances:action",
                      args=[obj_id, action])
        if data is None:
            return self.client.get(url)
        return self.client.post(url, data)

    def test_forged_rename_of_a_running_instance_changes_nothing(self):
        opened = self._form("alpha:vm1.alpha", "rename")
        self.assertContains(opened, "Not possible now: it must be shut "
                                    "down first.")
        res = self._form("alpha:vm1.alpha", "rename",
                         {"new_name": "other.alpha"})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "vm1.alpha was not renamed: it must be "
                                 "shut down first.")
        self.assertEqual([], self.fake.writes())
        self.assertIn("vm1.alpha", self.fake["alpha"].instances)
        self.assertNotIn("other.alpha", self.fake["alpha"].instances)

    def test_forged_reinstall_of_a_diskless_instance_changes_nothing(self):
        res = self._form("alpha:vm1.alpha", "reinstall",
                         {"os_name": "noop", "start": "on"})
        self.assertContains(res, "vm1.alpha was not reinstalled: it has no "
                                 "disks to reinstall.")
        self.assertEqual([], self.fake.writes())
        self.assertEqual("running",
                         self.fake["alpha"].instances["vm1.alpha"]["status"])

    def test_shutdown_form_warns_that_the_instance_stops(self):
        opened = self._form("alpha:vm1.alpha", "shutdown")
        self.assertContains(opened, "ganeti-stop-warning")
        self.assertContains(opened, "The instance stops")

    def test_act_refuses_by_state_whatever_the_caller(self):
        # The server's own check, below every form and table: the
        # instance is read fresh, and nothing is sent.
        with self.assertRaises(errors.Refused) as caught:
            instance_api.act(mock.Mock(), scope_api.ALL, "alpha:vm1.alpha",
                             "rename", new_name="other.alpha")
        self.assertTrue(str(caught.exception).startswith("vm1.alpha: "))
        with self.assertRaises(errors.Refused):
            instance_api.act(mock.Mock(), scope_api.ALL, "alpha:vm2.alpha",
                             "migrate")
        self.assertEqual([], self.fake.writes())


class EmptyStateTests(_Case):
    """Each list says what to do when it has nothing to show."""

    def test_a_filter_that_matches_nothing_says_so(self):
        res = self.client.post(INDEX_URL, {
            "instances__filter__q_field": "name",
            "instances__filter__q": "no-such-name"}, follow=True)
        self.assertContains(res, "No instance matches the filter: change "
                                 "or clear it.")

    def test_no_instances_at_all(self):
        self.fake["alpha"].instances.clear()
        self.fake["beta"].instances.clear()
        res = self.client.get(INDEX_URL)
        self.assertContains(res, "No instances yet. Instances made here or "
                                 "with the Ganeti CLI")
