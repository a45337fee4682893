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

"""Instances' live figures: the instance's Live tab and its JSON, the
project overview's live status, read from the shared snapshots (one RAPI
query per cluster and interval whatever the number of viewers), and
never another project's.
"""

import os
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import instance_live
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

CONFIG = helpers.TWO_CLUSTERS.replace(
    "refresh_interval = 10",
    "refresh_interval = 10\nlive_interval = 5\nsnapshot_wait = 5\n"
    "first_snapshot_wait = 5")
OTHER = "p-other"


def admin_url(obj_id):
    return reverse("horizon:admin:ganeti_instances:live", args=[obj_id])


def project_url(obj_id):
    return reverse("horizon:project:ganeti_instances:live", args=[obj_id])


OVERVIEW_URL = reverse("horizon:project:ganeti_overview:index")
OVERVIEW_LIVE_URL = reverse("horizon:project:ganeti_overview:live")


class _Case(helpers.FakeRapiMixin):
    CONFIG = CONFIG

    def make_fake(self):
        fake = fake_rapi.FakeGaneti.from_config(self.CONFIG)
        alpha = fake["alpha"]
        alpha.nodes.clear()
        alpha.add_node("n1.alpha", "M", mfree=1000, mtotal=4000)
        own = self.tenant.id
        alpha.add_instance("mine.alpha", pnode="n1.alpha",
                           tags=["openstack:project:" + own],
                           beparams={"memory": 256, "vcpus": 2})
        alpha.add_instance("stopped.alpha", pnode="n1.alpha",
                           status="ADMIN_down",
                           tags=["openstack:project:" + own])
        alpha.add_instance("theirs.alpha", pnode="n1.alpha",
                           tags=["openstack:project:" + OTHER])
        # beta is not mapped to the project: nothing there is its.
        fake["beta"].add_instance("mine.beta",
                                  tags=["openstack:project:" + own])
        return fake

    def setUp(self):
        super().setUp()
        self.monds = self.fake.add_monds("alpha")
        self.clock = helpers.SnapshotClock(self)
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def live_queries(self, cluster="alpha"):
        """The RAPI queries of the instances' live fields."""
        return [r for r in self.fake.requests
                if r.cluster == cluster and r.path == "/2/query/instance"
                and "oper_ram" in ((r.body or {}).get("fields") or ())]

    def become(self, roles=("member", "reader"), project=None):
        self.setActiveUser(
            id=self.user.id, token=self.token, username=self.user.name,
            tenant_id=project or self.tenant.id,
            service_catalog=self.service_catalog,
            authorized_tenants=self.tenants.list(),
            roles=[{"name": r} for r in roles])


class AdminTests(_Case, test.BaseAdminViewTests):

    def test_figures_of_a_running_instance(self):
        res = self.client.get(admin_url("alpha:mine.alpha"))
        self.assertEqual(200, res.status_code)
        self.assertEqual("no-store", res["Cache-Control"])
        found = res.json()
        self.assertIsNone(found["error"])
        self.assertEqual(5, found["interval"])
        item = found["instance"]
        self.assertEqual("running", item["status"])
        self.assertEqual("Running", item["status_label"])
        self.assertTrue(item["running"])
        self.assertEqual({"oper_ram": 256, "maxmem": 256, "minmem": 256},
                         item["memory"])
        self.assertEqual({"oper_vcpus": 2, "configured": 2}, item["vcpus"])
        self.assertFalse(item["stale"])
        node = found["node"]
        self.assertEqual("n1.alpha", node["name"])
        self.assertEqual({"free": 1000, "total": 4000}, node["memory"])
        self.assertEqual(30.0, node["cpu"]["percent"])

    def test_a_stopped_instance_has_no_live_memory(self):
        item = self.client.get(admin_url("alpha:stopped.alpha")) \
            .json()["instance"]
        self.assertEqual("ADMIN_down", item["status"])
        self.assertFalse(item["running"])
        self.assertIsNone(item["memory"]["oper_ram"])
        self.assertIsNone(item["vcpus"]["oper_vcpus"])

    def test_figures_follow_the_instance_each_interval(self):
        self.client.get(admin_url("alpha:mine.alpha"))
        alpha = self.fake["alpha"]
        alpha.instances["mine.alpha"].update(
            status="ADMIN_down", admin_state="down", oper_state=False,
            oper_ram=None, oper_vcpus=None)
        # Within the interval: the same reading.
        item = self.client.get(admin_url("alpha:mine.alpha")) \
            .json()["instance"]
        self.assertEqual("running", item["status"])
        self.clock.now += 6
        self.client.get(admin_url("alpha:mine.alpha"))
        snapshots.drain()
        item = self.client.get(admin_url("alpha:mine.alpha")) \
            .json()["instance"]
        self.assertEqual("ADMIN_down", item["status"])
        self.assertIsNone(item["memory"]["oper_ram"])

    def test_old_figures_are_marked_stale_with_the_failure(self):
        self.client.get(admin_url("alpha:mine.alpha"))
        self.fake["alpha"].fail("refused")
        self.clock.now += 20
        self.client.get(admin_url("alpha:mine.alpha"))
        snapshots.drain()
        res = self.client.get(admin_url("alpha:mine.alpha"))
        self.assertEqual(200, res.status_code)
        found = res.json()
        self.assertTrue(found["instance"]["stale"])
        self.assertIn("connection refused", found["error"])
        # The last figures are still said, marked old.
        self.assertEqual(256, found["instance"]["memory"]["oper_ram"])

    def test_a_slow_clusters_pace_is_not_old(self):
        from ganeti_dashboard.api import clusters
        conf = clusters.settings()  # refresh_cost_factor 10 by default
        quick = snapshots.Snapshot("alpha", "instance_live", took=0.1)
        slow = snapshots.Snapshot("alpha", "instance_live", took=3.0)
        self.assertEqual(15, instance_live._stale_after(conf, quick))
        self.assertEqual(90, instance_live._stale_after(conf, slow))

    def test_unknown_instance_and_cluster(self):
        for obj_id in ("alpha:nope.alpha", "nope:x", "alpha:mine"):
            res = self.client.get(admin_url(obj_id))
            self.assertEqual(404, res.status_code, obj_id)
            self.assertNotIn("instance", res.json())

    def test_a_cluster_that_never_answered_is_named_not_a_500(self):
        self.fake["alpha"].fail("refused")
        res = self.client.get(admin_url("alpha:mine.alpha"))
        self.assertEqual(503, res.status_code)
        self.assertIn("connection refused", res.json()["error"])
        self.assertNotIn("instance", res.json())

    def test_the_tab_is_on_the_detail_page(self):
        res = self.client.get(reverse(
            "horizon:admin:ganeti_instances:detail",
            args=["alpha:mine.alpha"]) + "?tab=instance_details__live")
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'data-live-url="%s"'
                            % admin_url("alpha:mine.alpha"))
        self.assertContains(res, "no KVM collector")
        # The fake hypervisor's limits are said (shown for one).
        self.assertContains(res, "ganeti-live-fake")
        found = self.client.get(admin_url("alpha:mine.alpha")).json()
        self.assertEqual("fake", found["instance"]["hypervisor"])


class CoalescingTests(_Case, test.BaseAdminViewTests):
    VIEWERS = 20

    def setUp(self):
        super().setUp()
        self.clock = helpers.SnapshotClock(self, frozen=True)

    def viewers(self, call):
        return helpers.at_once(call, self.VIEWERS)

    def test_twenty_viewers_one_query_per_interval(self):
        from ganeti_dashboard.api import scope
        instance_live.instance_figures(scope.ALL, "alpha:mine.alpha")
        snapshots.drain()
        self.fake.reset_requests()
        for interval in range(3):
            self.clock.now += 5
            answers = self.viewers(lambda: instance_live.instance_figures(
                scope.ALL, "alpha:mine.alpha"))
            self.assertEqual(self.VIEWERS, len(answers))
            self.assertEqual(interval + 1, len(self.live_queries()))
        # No viewer asked RAPI for the instance itself.
        self.assertEqual([], [r for r in self.fake.requests
                              if r.path.startswith("/2/instances/")])

    def test_tabs_and_the_overview_share_the_reading(self):
        self.client.get(admin_url("alpha:mine.alpha"))
        self.client.get(admin_url("alpha:theirs.alpha"))
        self.become(project=None)
        self.client.get(OVERVIEW_LIVE_URL)
        self.client.get(project_url("alpha:mine.alpha"))
        snapshots.drain()
        self.assertEqual(1, len(self.live_queries()))


class MemberTests(_Case, test.TestCase):
    """A member of the project, mapped to alpha only."""

    def test_own_instance(self):
        res = self.client.get(project_url("alpha:mine.alpha"))
        self.assertEqual(200, res.status_code)
        self.assertEqual(256, res.json()["instance"]["memory"]["oper_ram"])

    def test_another_projects_instance_is_not_found(self):
        for obj_id in ("alpha:theirs.alpha", "beta:mine.beta"):
            res = self.client.get(project_url(obj_id))
            self.assertEqual(404, res.status_code, obj_id)
            self.assertNotIn("instance", res.json())
            self.assertNotIn(b"oper_ram", res.content)
        # Nor through the Admin panel.
        res = self.client.get(admin_url("alpha:theirs.alpha"))
        self.assertIn(res.status_code, (302, 403, 404))
        self.assertNotIn(b"oper_ram", res.content)

    def test_the_other_projects_member_cannot_see_ours(self):
        self.become(project=OTHER)
        res = self.client.get(project_url("alpha:mine.alpha"))
        self.assertEqual(404, res.status_code)
        self.assertNotIn(b"oper_ram", res.content)
        res = self.client.get(project_url("alpha:theirs.alpha"))
        self.assertEqual(200, res.status_code)

    def test_a_reader_is_refused(self):
        self.become(roles=("reader",))
        for url in (project_url("alpha:mine.alpha"), OVERVIEW_LIVE_URL):
            res = self.client.get(url)
            self.assertIn(res.status_code, (302, 403), url)
            self.assertNotIn(b"oper_ram", res.content)
        self.assertEqual([], self.live_queries())
        # The overview still shows, without the live table.
        res = self.client.get(OVERVIEW_URL)
        self.assertEqual(200, res.status_code)
        self.assertNotContains(res, "ganeti-project-live")

    def test_the_tab_on_the_project_detail_page(self):
        res = self.client.get(reverse(
            "horizon:project:ganeti_instances:detail",
            args=["alpha:mine.alpha"]) + "?tab=instance_details__live")
        self.assertContains(res, 'data-live-url="%s"'
                            % project_url("alpha:mine.alpha"))


class OverviewTests(_Case, test.TestCase):
    """Project > Ganeti > Overview: the project's own instances only."""

    def test_the_page_carries_the_live_table(self):
        res = self.client.get(OVERVIEW_URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'data-live-url="%s"' % OVERVIEW_LIVE_URL)

    def test_own_instances_only(self):
        res = self.client.get(OVERVIEW_LIVE_URL)
        self.assertEqual(200, res.status_code)
        found = res.json()
        self.assertEqual(["mine.alpha", "stopped.alpha"],
                         [i["name"] for i in found["instances"]])
        self.assertNotIn(b"theirs.alpha", res.content)
        self.assertNotIn(b"mine.beta", res.content)
        mine = found["instances"][0]
        self.assertEqual(256, mine["memory"]["oper_ram"])
        self.assertEqual(2, mine["vcpus"]["oper_vcpus"])
        self.assertEqual(reverse("horizon:project:ganeti_instances:detail",
                                 args=["alpha:mine.alpha"]), mine["url"])
        self.assertIsNone(found["instances"][1]["memory"]["oper_ram"])
        self.assertEqual({}, found["errors"])
        self.assertIsNone(found["error"])

    def test_the_other_project_sees_only_its_own(self):
        self.become(project=OTHER)
        found = self.client.get(OVERVIEW_LIVE_URL).json()
        self.assertEqual(["theirs.alpha"],
                         [i["name"] for i in found["instances"]])
        # A page number or a POST reaches nothing more.
        for page in ("2", "-1", "x"):
            found = self.client.get(OVERVIEW_LIVE_URL + "?page=" + page)
            self.assertNotIn(b"mine.alpha", found.content)
        res = self.client.post(OVERVIEW_LIVE_URL, {"project": "x"})
        self.assertEqual(405, res.status_code)

    def test_rows_are_bounded_and_paged(self):
        alpha = self.fake["alpha"]
        for number in range(instance_live.PAGE_SIZE * 2 + 5):
            alpha.add_instance("many%03d.alpha" % number, pnode="n1.alpha",
                               tags=["openstack:project:" + self.tenant.id])
        found = self.client.get(OVERVIEW_LIVE_URL).json()
        self.assertEqual(instance_live.PAGE_SIZE, len(found["instances"]))
        self.assertEqual(2 * instance_live.PAGE_SIZE + 7, found["total"])
        self.assertEqual(3, found["pages"])
        last = self.client.get(OVERVIEW_LIVE_URL + "?page=3").json()
        self.assertEqual(3, last["page"])
        self.assertEqual(["mine.alpha", "stopped.alpha"],
                         [i["name"] for i in last["instances"]][-2:])
        self.assertEqual(7, len(last["instances"]))
        past = self.client.get(OVERVIEW_LIVE_URL + "?page=9").json()
        self.assertEqual(3, past["page"])

    def test_a_cluster_down_is_named(self):
        self.fake["alpha"].fail("refused")
        res = self.client.get(OVERVIEW_LIVE_URL)
        self.assertEqual(200, res.status_code)
        self.assertIn("connection refused", res.json()["errors"]["alpha"])

    def test_an_unknown_mapping_shows_nothing(self):
        with mock.patch.object(
                keystone_api, "clusters_of_project",
                side_effect=keystone_api.KeystoneError("down")):
            found = self.client.get(OVERVIEW_LIVE_URL).json()
        self.assertEqual([], found["instances"])
        self.assertIn("down", found["error"])


def test_the_templates_set_text_never_html():
    """Every figure the server sends is set as text."""
    base = os.path.join(os.path.dirname(instance_live.__file__), os.pardir)
    for path in (("templates", "ganeti_dashboard", "instances",
                  "_detail_live.html"),
                 ("content", "project", "overview", "templates",
                  "ganeti_overview", "_live_status.html")):
        with open(os.path.join(base, *path)) as f:
            source = f.read()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML",
                     "document.write", "$("):
            assert sink not in source, (path, sink)
