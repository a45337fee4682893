"""Admin > Ganeti > Nodes with RAPI mocked at the RapiClient methods."""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_nodes:index")


def _node(name, role="R", pinst=0, sinst=0, **extra):
    data = {"name": name, "role": role, "offline": role == "O",
            "drained": role == "D", "group.uuid": "g-1",
            "mtotal": 24576, "mfree": 20480, "dtotal": 102400,
            "dfree": 51200, "ctotal": 4, "pinst_cnt": pinst,
            "sinst_cnt": sinst, "pinst_list": ["vm%d" % i
                                               for i in range(pinst)],
            "sinst_list": [], "tags": [], "pip": "10.0.0.1",
            "ndparams": {"spindle_count": 1}}
    data.update(extra)
    return data


NODES = {
    # alpha: two nodes; beta: one (nowhere to move anything to).
    "alpha": [_node("n1.alpha", "M", pinst=1),
              _node("n2.alpha", "C", pinst=2, sinst=1)],
    "beta": [_node("n1.beta", "M", pinst=3)],
}
GROUPS = {"alpha": [{"uuid": "g-1", "name": "<b>rack1</b>"}],
          "beta": [{"uuid": "g-1", "name": "default"}]}


def _fake_rapi(failures=None, group_failures=()):
    failures = failures or {}

    def guard(method):
        def call(self, *args, **kwargs):
            if self.name in failures:
                raise failures[self.name]
            return method(self, *args, **kwargs)
        return call

    def groups(self, bulk=True):
        if self.name in group_failures:
            raise errors.Timeout("no answer within 10s", self.name)
        return GROUPS[self.name]

    def node(self, name):
        for data in NODES[self.name]:
            if data["name"] == name:
                return data
        raise errors.NotFound("not found", self.name)

    return mock.patch.multiple(
        rapi.RapiClient,
        nodes=guard(lambda self, bulk=True: NODES[self.name]),
        groups=guard(groups),
        node=guard(node),
        node_names=guard(lambda self: [n["name"] for n in NODES[self.name]]),
    )


def _action_url(node_id, action):
    return reverse("horizon:admin:ganeti_nodes:action",
                   args=[node_id, action])


def _job(job_id, sub_jobs=None, status="success"):
    result = [{"jobs": [[True, j] for j in sub_jobs]}] \
        if sub_jobs is not None else [None]
    return {"id": job_id, "status": status, "opstatus": [status],
            "opresult": result}


class NodesListTests(test.BaseAdminViewTests):

    def test_lists_nodes_of_every_cluster(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi():
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        self.assertEqual(["alpha:n1.alpha", "alpha:n2.alpha",
                          "beta:n1.beta"], [r.id for r in rows])
        content = res.content.decode()
        self.assertIn("master candidate", content)
        self.assertIn("20.0 / 24.0 GiB", content)
        self.assertIn("50.0 / 100.0 GiB", content)
        # Group names are Ganeti text: escaped.
        self.assertIn("&lt;b&gt;rack1&lt;/b&gt;", content)
        self.assertNotIn("<b>rack1</b>", content)

    def test_one_call_per_cluster_for_nodes(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(), \
                mock.patch.object(rapi.RapiClient, "node") as node:
            self.client.get(INDEX_URL)
        node.assert_not_called()  # no per-row calls

    def test_one_node_cluster_disables_moves_with_the_reason(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi():
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertIn("Migrate All Primaries... (the cluster has no other "
                      "node)", content)
        self.assertIn("Evacuate... (the cluster has no other node)", content)
        # The two-node cluster's nodes can move their instances.
        self.assertIn(_action_url("alpha:n2.alpha", "migrate"), content)
        self.assertNotIn(_action_url("beta:n1.beta", "migrate"), content)

    def test_one_cluster_down_names_it_and_shows_the_other(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(
                {"beta": errors.Unreachable("connection refused")}):
            res = self.client.get(INDEX_URL)
        self.assertEqual(["n1.alpha", "n2.alpha"],
                         [r.name for r in res.context["table"].data])
        self.assertContains(res, "beta could not be queried: connection "
                                 "refused")

    def test_group_names_missing_still_lists_nodes(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(
                group_failures=("alpha",)):
            res = self.client.get(INDEX_URL)
        self.assertEqual(3, len(res.context["table"].data))
        self.assertEqual("g-1", res.context["table"].data[0].group)

    def test_detail_page(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi():
            res = self.client.get(reverse(
                "horizon:admin:ganeti_nodes:detail",
                args=["alpha:n2.alpha"]))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "vm0, vm1")
        self.assertContains(res, "spindle_count")
        self.assertContains(res, _action_url("alpha:n2.alpha", "evacuate"))

    def test_detail_of_unknown_node_is_404(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi():
            res = self.client.get(reverse(
                "horizon:admin:ganeti_nodes:detail", args=["alpha:nope"]))
        self.assertEqual(404, res.status_code)

    def test_detail_of_unreachable_cluster_redirects(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(
                {"alpha": errors.Unreachable("connection refused")}):
            res = self.client.get(reverse(
                "horizon:admin:ganeti_nodes:detail",
                args=["alpha:n1.alpha"]))
        self.assertRedirectsNoFollow(res, INDEX_URL)


class NodeActionTests(test.BaseAdminViewTests):

    def _post(self, node_id, action, data, **patches):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(), \
                mock.patch.multiple(rapi.RapiClient, **patches):
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
        refused = errors.JobFailed(
            "The master role can be changed only via master-failover",
            "alpha", 42, "error")
        res = self._post("alpha:n1.alpha", "set_role", {"role": "regular"},
                         set_node_role=mock.Mock(return_value=42),
                         wait_for_job=mock.Mock(side_effect=refused))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "Ganeti job 42 failed: The master role can "
                                 "be changed only via master-failover")

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
        pending = node_api._pending_many("alpha", ["n2.alpha"])
        self.assertEqual([51, 52], pending["n2.alpha"]["jobs"])
        node_api._remember(node_api.Node("alpha", NODES["alpha"][1]), [], "")

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
        node_api._remember(node_api.Node("alpha", NODES["alpha"][1]), [], "")

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
        pending = node_api._pending_many("alpha", ["n2.alpha"])
        self.assertEqual([43], pending["n2.alpha"]["jobs"])
        node_api._remember(node_api.Node("alpha", NODES["alpha"][1]), [], "")

    def test_unknown_action_is_404(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi():
            res = self.client.get(_action_url("alpha:n2.alpha", "reboot"))
        self.assertEqual(404, res.status_code)

    def test_action_rule_is_checked_on_the_form(self):
        def check(rules, request, target=None):
            return ("ganeti", "ganeti:node:evacuate") not in rules
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(), \
                mock.patch("openstack_dashboard.policy.check", check):
            res = self.client.get(_action_url("alpha:n2.alpha", "evacuate"))
        self.assertEqual(403, res.status_code)


class NodeRowUpdateTests(test.BaseAdminViewTests):

    def _row_update(self, jobs):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi(), \
                mock.patch.object(rapi.RapiClient, "jobs",
                                  return_value=jobs):
            return self.client.get(
                INDEX_URL + "?action=row_update&table=nodes"
                "&obj_id=alpha:n2.alpha",
                HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    def test_parent_job_done_follows_its_sub_jobs_then_settles(self):
        node = node_api.Node("alpha", NODES["alpha"][1])
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
        self.assertEqual({}, node_api._pending_many("alpha", ["n2.alpha"]))


class NodesMemberTests(test.TestCase):
    """A project member (no admin role) has no Admin > Ganeti > Nodes."""

    def test_member_cannot_open_nodes(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _fake_rapi():
            res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
