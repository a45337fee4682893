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

"""A cluster's map (Admin > Ganeti > Clusters > a cluster > Map): the
JSON builder (``api.cluster_map``) on snapshot data, and the endpoint and
tab against the HTTP-level fake RAPI.
"""

import json
import unittest
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import cluster_map
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.test import helpers


def _row(name, pnode, snodes=(), status="running", maxmem=512,
         disk_usage=1024, template=None):
    data = dict.fromkeys(instance_api.FIELDS)
    data.update({"name": name, "status": status, "pnode": pnode,
                 "snodes": list(snodes), "be/maxmem": maxmem,
                 "disk_usage": disk_usage,
                 "disk_template": template or ("drbd" if snodes
                                               else "diskless")})
    return tuple(data[f] for f in instance_api.FIELDS)


def _node(name, group="g-default", mtotal=4096, mfree=4096, dtotal=10240,
          dfree=10240, role="R", **extra):
    return dict({"name": name, "group.uuid": group, "mtotal": mtotal,
                 "mfree": mfree, "dtotal": dtotal, "dfree": dfree,
                 "role": role}, **extra)


GROUPS = {"g-default": "default", "g-rack2": "rack2"}


def _nodes_by_name(built):
    return {n["name"]: n for g in built.data["groups"] for n in g["nodes"]}


def synthetic(nodes=8, instances=5000, groups=2):
    """A cluster of ``nodes`` nodes in ``groups`` groups, and
    ``instances`` instances, every other one DRBD with its secondary on
    the next node.
    """
    listed = [_node("node%02d.example.test" % i,
                    group="g-%d" % (i % groups), mtotal=262144,
                    mfree=262144 - 4096 * i, dtotal=4194304,
                    dfree=4194304 // (i + 1), role="M" if i == 0 else "C")
              for i in range(nodes)]
    rows = []
    for i in range(instances):
        pnode = listed[i % nodes]["name"]
        snodes = [listed[(i + 1) % nodes]["name"]] if i % 2 else []
        rows.append(_row("instance%05d.example.test" % i, pnode, snodes,
                         status=("running", "ADMIN_down")[i % 2]))
    return (listed, {"g-%d" % i: "group%d" % i for i in range(groups)}), \
        sorted(rows)


class BuildTests(unittest.TestCase):

    def test_counts_groups_links_and_per_node_lists(self):
        nodes = [_node("n1"), _node("n2"), _node("n3", group="g-rack2")]
        rows = [_row("a", "n1"), _row("b", "n1", ["n2"]),
                _row("c", "n2", ["n1"], status="ADMIN_down"),
                _row("d", "n3", ["n1"]), _row("gone", "elsewhere")]
        built = cluster_map.build((nodes, GROUPS), sorted(rows))
        self.assertEqual(["default", "rack2"],
                         [g["name"] for g in built.data["groups"]])
        self.assertEqual([["n1", "n2"], ["n3"]],
                         [[n["name"] for n in g["nodes"]]
                          for g in built.data["groups"]])
        found = _nodes_by_name(built)
        self.assertEqual((2, 2, 2, 0), (
            found["n1"]["primary"], found["n1"]["secondary"],
            found["n1"]["running"], found["n1"]["stopped"]))
        self.assertEqual((1, 1, 0, 1), (
            found["n2"]["primary"], found["n2"]["secondary"],
            found["n2"]["running"], found["n2"]["stopped"]))
        # One link per pair of nodes, whichever is primary: n1-n2 twice
        # (b and c), n1-n3 once (d); indexes in the groups' order.
        self.assertEqual([[0, 1, 2], [0, 2, 1]], built.data["links"])
        self.assertEqual({"nodes": 3, "instances": 5, "primary": 4,
                          "secondary": 3, "links": 3},
                         built.data["totals"])
        # Primaries first, then by name; each with its other node.
        self.assertEqual([("a", "primary", "running", []),
                          ("b", "primary", "running", ["n2"]),
                          ("c", "secondary", "ADMIN_down", ["n2"]),
                          ("d", "secondary", "running", ["n3"])],
                         built.per_node["n1"])

    def test_pressure_is_the_higher_of_use_and_allocation(self):
        nodes = [_node("idle"),
                 _node("busy", mfree=400),  # 90 % in use
                 _node("promised", dfree=10240),
                 _node("unknown", mtotal=None, mfree=None, dtotal=None,
                       dfree=None)]
        rows = [_row("big", "promised", maxmem=3000, disk_usage=7500)]
        found = _nodes_by_name(cluster_map.build((nodes, GROUPS), rows))
        self.assertEqual({"used": 0, "allocated": 0, "total": 4096,
                          "level": "low"}, found["idle"]["memory"])
        self.assertEqual("high", found["busy"]["memory"]["level"])
        self.assertEqual(90, found["busy"]["memory"]["used"])
        # Nothing in use yet, but 73 % of its memory and disk promised.
        self.assertEqual({"used": 0, "allocated": 73, "total": 4096,
                          "level": "medium"}, found["promised"]["memory"])
        self.assertEqual("medium", found["promised"]["disk"]["level"])
        self.assertEqual({"used": None, "allocated": None, "total": None,
                          "level": "unknown"}, found["unknown"]["disk"])

    def test_levels(self):
        self.assertEqual(["unknown", "low", "low", "medium", "medium",
                          "high", "high"],
                         [cluster_map.level(p)
                          for p in (None, 0, 69, 70, 89, 90, 100)])

    def test_offline_and_empty_nodes(self):
        nodes = [_node("n1", offline=True, role="O"), _node("n2")]
        built = cluster_map.build((nodes, {}), [])
        found = _nodes_by_name(built)
        self.assertTrue(found["n1"]["offline"])
        self.assertEqual([], built.data["links"])
        # A group uuid without a name is shown as its uuid.
        self.assertEqual(["g-default"],
                         [g["name"] for g in built.data["groups"]])
        self.assertEqual(([], 0, 1, 1), cluster_map.node_page(built, "n2"))

    def test_five_thousand_instances_stay_small(self):
        node_data, rows = synthetic()
        built = cluster_map.build(node_data, rows)
        blob = json.dumps(built.data)
        # One entry per node and per linked pair, none per instance.
        self.assertLess(len(blob), 8000, len(blob))
        self.assertNotIn("instance0", blob)
        self.assertEqual(8, built.data["totals"]["nodes"])
        self.assertEqual(5000, built.data["totals"]["instances"])
        self.assertEqual(2500, built.data["totals"]["links"])
        self.assertLessEqual(len(built.data["links"]), 8 * 7 // 2)
        self.assertEqual(2500, sum(link[2] for link in built.data["links"]))
        # A node's instances a page at a time.
        first = "node00.example.test"
        rows, total, page, pages = cluster_map.node_page(built, first)
        self.assertEqual(cluster_map.PAGE, len(rows))
        self.assertEqual((625 + 625, 1, 25), (total, page, pages))
        last, _total, page, _pages = cluster_map.node_page(built, first, 99)
        self.assertEqual((25, total - 24 * cluster_map.PAGE),
                         (page, len(last)))
        with self.assertRaises(KeyError):
            cluster_map.node_page(built, "nope")


MAP_URL = reverse("horizon:admin:ganeti_clusters:map", args=["alpha"])


def _detail_url(cluster, tab=None):
    url = reverse("horizon:admin:ganeti_clusters:detail", args=[cluster])
    return url + "?tab=cluster_details__%s" % tab if tab else url


class _MapCase(helpers.FakeRapiMixin):
    """alpha: n1 (the master) and n2 in group default, n3 in rack2;
    vm1 on n1, db1 DRBD from n1 to n2.
    """

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        alpha.nodes.clear()
        alpha.add_group("rack2")
        alpha.add_node("n1", mtotal=4096, mfree=300)
        alpha.add_node("n2", mtotal=4096, mfree=4000)
        alpha.add_node("n3", group="rack2")
        alpha.add_instance("vm1", pnode="n1")
        alpha.add_instance("db1", pnode="n1", snodes=["n2"],
                           disk_template="drbd", disks=[1024],
                           status="ADMIN_down")
        return fake

    def setUp(self):
        super().setUp()
        cluster_map.forget()
        self.addCleanup(cluster_map.forget)

    def get_json(self, url, status=200):
        res = self.client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(status, res.status_code, res.content)
        self.assertEqual("no-store", res["Cache-Control"])
        return res.json()


class MapViewTests(_MapCase, test.BaseAdminViewTests):

    def test_map_of_groups_nodes_links_and_pressure(self):
        found = self.get_json(MAP_URL)
        self.assertEqual("alpha", found["cluster"])
        self.assertEqual(["default", "rack2"],
                         [g["name"] for g in found["groups"]])
        nodes = {n["name"]: n for g in found["groups"] for n in g["nodes"]}
        self.assertEqual(reverse("horizon:admin:ganeti_nodes:detail",
                                 args=["alpha:n1"]), nodes["n1"]["url"])
        self.assertEqual("master", nodes["n1"]["role_label"])
        self.assertEqual((2, 0), (nodes["n1"]["primary"],
                                  nodes["n1"]["secondary"]))
        self.assertEqual((0, 1), (nodes["n2"]["primary"],
                                  nodes["n2"]["secondary"]))
        self.assertEqual("high", nodes["n1"]["memory"]["level"])
        self.assertEqual("low", nodes["n2"]["memory"]["level"])
        self.assertEqual([[0, 1, 1]], found["links"])
        self.assertNotIn("notice", found)
        self.assertEqual("3 nodes, 2 instances (2 primary and 1 secondary "
                         "places), 1 mirrored between nodes.",
                         found["summary"])

    def test_a_page_of_a_nodes_instances(self):
        found = self.get_json(MAP_URL + "?node=n1")
        self.assertEqual((2, 1, 1), (found["total"], found["page"],
                                     found["pages"]))
        first, second = found["instances"]
        self.assertEqual(("db1", "primary", "Stopped"),
                         (first["name"], first["role"],
                          first["status_label"]))
        self.assertEqual(reverse("horizon:admin:ganeti_instances:detail",
                                 args=["alpha:db1"]), first["url"])
        self.assertEqual([{"name": "n2", "url": reverse(
            "horizon:admin:ganeti_nodes:detail", args=["alpha:n2"])}],
            first["peers"])
        self.assertEqual("vm1", second["name"])
        found = self.get_json(MAP_URL + "?node=n2&page=7")
        self.assertEqual((1, 1), (found["page"], found["pages"]))
        self.assertEqual([("db1", "secondary")],
                         [(i["name"], i["role"])
                          for i in found["instances"]])
        self.get_json(MAP_URL + "?node=nope", 404)
        self.get_json(MAP_URL + "?node=n1&page=x")  # page 1

    def test_pages_are_bounded(self):
        alpha = self.fake["alpha"]
        for number in range(120):
            alpha.add_instance("web%03d" % number, pnode="n3")
        found = self.get_json(MAP_URL + "?node=n3&page=3")
        self.assertEqual((120, 3, 3), (found["total"], found["page"],
                                       found["pages"]))
        self.assertEqual("Page 3 of 3 (120 instances)", found["page_text"])
        self.assertEqual(["web%03d" % n for n in range(100, 120)],
                         [i["name"] for i in found["instances"]])

    def test_no_rapi_call_while_the_snapshots_are_fresh(self):
        self.get_json(MAP_URL)
        self.fake.reset_requests()
        self.get_json(MAP_URL)
        self.get_json(MAP_URL + "?node=n1")
        self.assertEqual([], self.fake.requests)

    def test_built_once_per_snapshot_generation(self):
        with mock.patch.object(cluster_map, "build",
                               wraps=cluster_map.build) as build:
            self.get_json(MAP_URL)
            self.get_json(MAP_URL + "?node=n1")
        self.assertEqual(1, build.call_count)

    def test_unknown_cluster(self):
        url = reverse("horizon:admin:ganeti_clusters:map", args=["nope"])
        found = self.get_json(url, 404)
        self.assertIn("No cluster named nope", found["error"])

    def test_cluster_without_snapshot_says_why_never_a_500(self):
        self.fake["alpha"].fail("refused")
        with helpers.config_file(helpers.AGING):
            found = self.get_json(MAP_URL)
        self.assertIn("Cannot show the map of alpha", found["error"])
        self.assertIn("refused", found["error"].lower())
        self.assertNotIn("groups", found)
        found = self.get_json(MAP_URL + "?node=n1")
        self.assertIn("Cannot show the map of alpha", found["error"])

    def test_detail_page_has_the_map_tab(self):
        res = self.client.get(_detail_url("alpha", "map"))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'data-map-url="%s"' % MAP_URL)
        self.assertContains(res, "ganeti_dashboard/js/cluster_map.js")

    def test_the_tab_is_hidden_without_the_rule(self):
        from openstack_auth import policy
        real = policy.check

        def check(rules, request, target=None):
            if ("ganeti", "ganeti:cluster:map") in rules:
                return False
            return real(rules, request, target)
        with mock.patch.object(policy, "check", check):
            res = self.client.get(_detail_url("alpha"))
            self.assertEqual(200, res.status_code)
            self.assertNotContains(res, "data-map-url")
            res = self.client.get(MAP_URL)
            self.assertEqual(403, res.status_code)


class MapWentDownTests(_MapCase, test.BaseAdminViewTests):

    CONFIG = helpers.AGING

    def test_old_map_is_shown_with_its_age_and_cause(self):
        clock = helpers.SnapshotClock(self)
        self.get_json(MAP_URL)
        self.fake["alpha"].fail("refused")
        clock.now += 125
        found = self.get_json(MAP_URL)
        self.assertEqual(3, found["totals"]["nodes"])
        self.assertIn("Shown as it was", found["notice"])


class MapMemberTests(_MapCase, test.TestCase):
    """A project member has no cluster map: refused, and no RAPI call."""

    def test_member_is_refused(self):
        res = self.client.get(MAP_URL,
                              HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertIn(res.status_code, (401, 403, 302))
        self.assertNotIn(b'"links"', res.content)
        self.assertEqual([], self.fake.requests)
