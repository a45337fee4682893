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

"""Admin > Ganeti > Nodes against the HTTP-level fake RAPI (the node
actions' writes and job waits mocked at the RapiClient methods).
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers
from tests.unit import snapshot_notes_checks

INDEX_URL = reverse("horizon:admin:ganeti_nodes:index")
# Sizes every fake node reports: 20 of 24 GiB memory and 50 of 100 GiB
# disk free.
SIZES = {"mtotal": 24576, "mfree": 20480, "dtotal": 102400,
         "dfree": 51200, "ctotal": 4}
RACK = "<b>rack1</b>"


def _fake_ganeti(config=helpers.TWO_CLUSTERS):
    """alpha: two nodes in group RACK; beta: one (nowhere to move
    anything to). Instances: on alpha, vm0 and vm1 on n2 and a0 on n1
    with n2 its secondary; on beta, three on its node.
    """
    fake = fake_rapi.FakeGaneti.from_config(config)
    alpha, beta = fake["alpha"], fake["beta"]
    for cluster in (alpha, beta):
        cluster.nodes.clear()
    alpha.add_group(RACK)
    alpha.add_node("n1.alpha", "M", group=RACK, **SIZES)
    alpha.add_node("n2.alpha", "C", group=RACK, **SIZES)
    beta.add_node("n1.beta", "M", **SIZES)
    alpha.add_instance("a0", pnode="n1.alpha", snodes=["n2.alpha"],
                       disk_template="drbd", disks=[1024])
    alpha.add_instance("vm0", pnode="n2.alpha")
    alpha.add_instance("vm1", pnode="n2.alpha")
    for number in range(3):
        beta.add_instance("b%d" % number, pnode="n1.beta")
    return fake


class _FakeRapiCase(helpers.FakeRapiMixin):

    def make_fake(self):
        return _fake_ganeti(self.CONFIG)


def _action_url(node_id, action):
    return reverse("horizon:admin:ganeti_nodes:action",
                   args=[node_id, action])


def _job(job_id, sub_jobs=None, status="success"):
    result = [{"jobs": [[True, j] for j in sub_jobs]}] \
        if sub_jobs is not None else [None]
    return {"id": job_id, "status": status, "opstatus": [status],
            "opresult": result}


def _forget_pending(cluster, name):
    node_api._remember(node_api.Node(cluster, {"name": name}), [], "")


def _node_pending(name, cluster="alpha"):
    return pending_jobs.pending_many(cluster, [name], pending_jobs.NODE)


class NodesListTests(_FakeRapiCase, test.BaseAdminViewTests):

    def test_lists_nodes_of_every_cluster(self):
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        self.assertEqual(["alpha:n1.alpha", "alpha:n2.alpha",
                          "beta:n1.beta"], [r.id for r in rows])
        self.assertEqual([1, 2, 3], [r.pinst_cnt for r in rows])
        self.assertEqual([0, 1, 0], [r.sinst_cnt for r in rows])
        content = res.content.decode()
        self.assertIn("master candidate", content)
        self.assertIn("20.0 / 24.0 GiB", content)
        self.assertIn("50.0 / 100.0 GiB", content)
        # Group names are Ganeti text: escaped.
        self.assertIn("&lt;b&gt;rack1&lt;/b&gt;", content)
        self.assertNotIn("<b>rack1</b>", content)

    def test_filtered_and_counted_on_the_server(self):
        res = self.client.post(INDEX_URL, {
            "nodes__filter__q_field": "cluster",
            "nodes__filter__q": "ALPHA"}, follow=True)
        self.assertEqual(["alpha:n1.alpha", "alpha:n2.alpha"],
                         [r.id for r in res.context["table"].data])
        self.assertContains(res, "Displaying 2 items, sorted by cluster "
                                 "and name")

    def test_one_call_per_cluster_for_nodes(self):
        self.client.get(INDEX_URL)
        # Per cluster, its bulk node list and its group names, the
        # instances' snapshot (their states say whether a migrate-all can
        # work; the instance panels share it) and the info snapshot (its
        # hypervisors say whether a power-cycle can be offered; the
        # Clusters panel shares it): no call per row.
        asked = sorted((r.cluster, r.method, r.path, r.query)
                       for r in self.fake.requests)
        self.assertEqual([
            ("alpha", "GET", "/2/groups", {"bulk": "1"}),
            ("alpha", "GET", "/2/info", {}),
            ("alpha", "GET", "/2/nodes", {"bulk": "1"}),
            ("alpha", "PUT", "/2/query/instance", {}),
            ("alpha", "PUT", "/2/query/node", {}),
            ("beta", "GET", "/2/groups", {"bulk": "1"}),
            ("beta", "GET", "/2/info", {}),
            ("beta", "GET", "/2/nodes", {"bulk": "1"}),
            ("beta", "PUT", "/2/query/instance", {}),
            ("beta", "PUT", "/2/query/node", {})], asked)
        # The next view, by anyone, reads the snapshots only.
        self.fake.reset_requests()
        self.assertEqual(3, len(self.client.get(INDEX_URL)
                                .context["table"].data))
        self.assertEqual([], self.fake.requests)

    def test_one_node_cluster_disables_moves_with_the_reason(self):
        res = self.client.get(INDEX_URL)
        content = res.content.decode()
        reason = '<span class="ganeti-action-reason"> (%s)</span>'
        self.assertIn("Migrate All Primaries..." + reason
                      % "the cluster has no other node", content)
        self.assertIn("Evacuate..." + reason
                      % "the cluster has no other node", content)
        # The two-node cluster's nodes can move their instances.
        self.assertIn(_action_url("alpha:n2.alpha", "migrate"), content)
        self.assertNotIn(_action_url("beta:n1.beta", "migrate"), content)

    def test_one_cluster_down_names_it_and_shows_the_other(self):
        self.fake["beta"].fail("refused")
        res = self.client.get(INDEX_URL)
        self.assertEqual(["n1.alpha", "n2.alpha"],
                         [r.name for r in res.context["table"].data])
        self.assertContains(res, "beta could not be queried: connection "
                                 "refused")

    def test_group_names_missing_still_lists_nodes(self):
        self.fake["alpha"].fail("hanging", path="^/2/groups")
        res = self.client.get(INDEX_URL)
        rows = res.context["table"].data
        self.assertEqual(3, len(rows))
        # Without its group's name, a node shows the group's uuid.
        self.assertEqual(self.fake["alpha"].groups[RACK]["uuid"],
                         rows[0].group)
        self.assertEqual("default", rows[2].group)

    def test_detail_page(self):
        res = self.client.get(reverse(
            "horizon:admin:ganeti_nodes:detail", args=["alpha:n2.alpha"]))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "vm0, vm1")
        self.assertContains(res, "spindle_count")
        self.assertContains(res, _action_url("alpha:n2.alpha", "evacuate"))

    def test_detail_of_unknown_node_is_404(self):
        res = self.client.get(reverse(
            "horizon:admin:ganeti_nodes:detail", args=["alpha:nope"]))
        self.assertEqual(404, res.status_code)

    def test_detail_of_unreachable_cluster_redirects(self):
        self.fake["alpha"].fail("refused")
        res = self.client.get(reverse(
            "horizon:admin:ganeti_nodes:detail", args=["alpha:n1.alpha"]))
        self.assertRedirectsNoFollow(res, INDEX_URL)


class NodesSnapshotNotesTests(snapshot_notes_checks.SnapshotNotesChecks,
                              _FakeRapiCase, test.BaseAdminViewTests):
    """What the list says of a cluster it cannot show as it is now."""

    URL = INDEX_URL
    KIND = node_api.SNAPSHOT.name

    def test_a_cluster_answering_an_error_is_named_with_it(self):
        self.fake["beta"].fail(503)
        clusters, said = self.shown()
        self.assertEqual(["alpha"], clusters)
        self.assertEqual(1, len(said))
        self.assertTrue(said[0].startswith(
            "Cluster beta could not be queried: RAPI answered HTTP 503"),
            said)


class NodeActionTests(_FakeRapiCase, test.BaseAdminViewTests):

    def _post(self, node_id, action, data, **patches):
        with mock.patch.multiple(rapi.RapiClient, **patches):
            return self.client.post(_action_url(node_id, action), data)

    def test_set_role_waits_for_the_job_and_names_it(self):
        set_role = mock.Mock(return_value=41)
        res = self._post("alpha:n2.alpha", "set_role", {"role": "drained"},
                         set_node_role=set_role,
                         wait_for_job=mock.Mock(return_value=_job(41)))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        args, kwargs = set_role.call_args
        self.assertEqual(("n2.alpha", "drained"), args)
        self.assertTrue(kwargs["reason"].startswith("horizon user="))
        self.assertMessageCount(success=1)

    def test_set_role_refused_by_ganeti_shows_its_message(self):
        refused = errors.JobFailed("Node is in use", "alpha", 42, "error")
        res = self._post("alpha:n2.alpha", "set_role", {"role": "offline"},
                         set_node_role=mock.Mock(return_value=42),
                         wait_for_job=mock.Mock(side_effect=refused))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Ganeti job 42 failed: Node is in use")

    def test_set_role_of_the_master_is_refused_without_a_job(self):
        # Ganeti changes the master's role only by a master failover: the
        # menu says so, and a forged post sends nothing.
        content = self.client.get(INDEX_URL).content.decode()
        self.assertNotIn(_action_url("alpha:n1.alpha", "set_role"), content)
        self.assertIn("it is the master: its role changes only by a master "
                      "failover", content)
        set_role = mock.Mock(return_value=42)
        res = self._post("alpha:n1.alpha", "set_role", {"role": "regular"},
                         set_node_role=set_role)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "n1.alpha was not given a new role: it is "
                                 "the master")
        set_role.assert_not_called()

    def test_migrate_all_with_a_stopped_primary_is_refused(self):
        # Ganeti would migrate vm0 and refuse vm1 (stopped): the node left
        # half emptied. The menu says which, and a post sends nothing.
        self.fake["alpha"].instances["vm1"]["status"] = "ADMIN_down"
        self.fake["alpha"].instances["vm1"]["admin_state"] = "down"
        content = self.client.get(INDEX_URL).content.decode()
        self.assertNotIn(_action_url("alpha:n2.alpha", "migrate"), content)
        self.assertIn("not running: vm1 (fail them over first)", content)
        self._migrate_refused("n2.alpha was not migrated: not running: vm1")

    def test_migrate_all_checks_the_primaries_fresh(self):
        # The list's snapshot says all run; vm1 stopped since: the post
        # asks Ganeti and refuses.
        self.client.get(INDEX_URL)
        self.fake["alpha"].instances["vm1"]["status"] = "ADMIN_down"
        self._migrate_refused("not running: vm1")

    def _migrate_refused(self, text):
        write = mock.Mock(return_value=60)
        res = self._post("alpha:n2.alpha", "migrate", {"mode": "live"},
                         write=write)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, text)
        write.assert_not_called()

    def test_evacuate_names_the_jobs_that_move_instances(self):
        evacuate = mock.Mock(return_value=50)
        res = self._post(
            "alpha:n2.alpha", "evacuate",
            {"mode": "secondary-only", "target": "n1.alpha"},
            evacuate_node=evacuate,
            wait_for_job=mock.Mock(return_value=_job(50, [51, 52])))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        kwargs = evacuate.call_args[1]
        self.assertEqual(("secondary-only", "n1.alpha"),
                         (kwargs["mode"], kwargs["remote_node"]))
        self.assertIsNotNone(kwargs["reason"])
        pending = _node_pending("n2.alpha")
        self.assertEqual([51, 52], pending["n2.alpha"]["jobs"])
        _forget_pending("alpha", "n2.alpha")

    def test_evacuate_primaries_to_a_node_is_refused_by_the_form(self):
        evacuate = mock.Mock(return_value=50)
        res = self._post("alpha:n2.alpha", "evacuate",
                         {"mode": "primary-only", "target": "n1.alpha"},
                         evacuate_node=evacuate)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "move where the iallocator says")
        evacuate.assert_not_called()

    def test_migrate_sends_the_mode_in_the_query_with_the_reason(self):
        write = mock.Mock(return_value=60)
        res = self._post("alpha:n2.alpha", "migrate", {"mode": "non-live"},
                         write=write,
                         wait_for_job=mock.Mock(return_value=_job(60, [61])))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        args, kwargs = write.call_args
        self.assertEqual(("POST", "/2/nodes/n2.alpha/migrate",
                          {"mode": "non-live"}), args)
        self.assertTrue(kwargs["reason"].startswith("horizon user="))
        _forget_pending("alpha", "n2.alpha")

    def test_migrate_on_a_one_node_cluster_is_refused(self):
        write = mock.Mock(return_value=60)
        res = self._post("beta:n1.beta", "migrate", {"mode": "live"},
                         write=write)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "the cluster has no other node")
        write.assert_not_called()

    def test_job_still_running_is_reported_started_and_tracked(self):
        res = self._post(
            "alpha:n2.alpha", "set_role", {"role": "drained"},
            set_node_role=mock.Mock(return_value=43),
            wait_for_job=mock.Mock(side_effect=errors.Timeout("slow")))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        pending = _node_pending("n2.alpha")
        self.assertEqual([43], pending["n2.alpha"]["jobs"])
        _forget_pending("alpha", "n2.alpha")

    def test_unknown_action_is_404(self):
        res = self.client.get(_action_url("alpha:n2.alpha", "reboot"))
        self.assertEqual(404, res.status_code)

    def test_action_rule_is_checked_on_the_form(self):
        def check(rules, request, target=None):
            return ("ganeti", "ganeti:node:evacuate") not in rules
        with mock.patch("openstack_dashboard.policy.check", check):
            res = self.client.get(_action_url("alpha:n2.alpha", "evacuate"))
        self.assertEqual(403, res.status_code)


class NodeRowUpdateTests(_FakeRapiCase, test.BaseAdminViewTests):

    def _row_update(self, jobs):
        with mock.patch.object(rapi.RapiClient, "jobs", return_value=jobs):
            return self.client.get(
                INDEX_URL + "?action=row_update&table=nodes"
                "&obj_id=alpha:n2.alpha",
                HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    def test_parent_job_done_follows_its_sub_jobs_then_settles(self):
        node = node_api.Node("alpha", {"name": "n2.alpha"})
        node_api._remember(node, [70], "Evacuating")
        res = self._row_update([_job(70, [71])])
        self.assertContains(res, "Evacuating (job 71)")
        res = self._row_update([_job(71, status="running")])
        self.assertContains(res, "Evacuating (job 71)")
        failed = dict(_job(71, status="error"),
                      opresult=[["OpExecError", ["no memory on n1"]]])
        res = self._row_update([failed])
        self.assertEqual(200, res.status_code)
        self.assertNotContains(res, "Evacuating")
        self.assertEqual({}, _node_pending("n2.alpha"))


class NodesMemberTests(_FakeRapiCase, test.TestCase):
    """A project member (no admin role) has no Admin > Ganeti > Nodes."""

    def test_member_cannot_open_nodes(self):
        res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
        self.assertEqual([], self.fake.requests)
