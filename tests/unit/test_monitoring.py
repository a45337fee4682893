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

"""Live figures: each node's ganeti-mond (the fake in the fake transport),
read once per interval for every viewer, its faults named per node and
collector, and the Live tabs and their JSON.
"""

import collections

from django.conf import settings
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import monitoring
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers
from tests.unit import pseudo_locale

CONFIG = helpers.TWO_CLUSTERS.replace(
    "refresh_interval = 10",
    "refresh_interval = 10\nlive_interval = 5\nsnapshot_wait = 5\n"
    "first_snapshot_wait = 5")
NODE_URL = reverse("horizon:admin:ganeti_nodes:live",
                   args=["alpha:n1.alpha"])
CLUSTER_URL = reverse("horizon:admin:ganeti_clusters:live",
                      args=["alpha"])
FAILURE = ("HTTP 500: A web handler threw an exception. Details: "
           "ExitFailure 1")


def _fake(config=CONFIG):
    fake = fake_rapi.FakeGaneti.from_config(config)
    alpha = fake["alpha"]
    alpha.nodes.clear()
    alpha.add_node("n1.alpha", "M", mfree=1000, mtotal=4000)
    alpha.add_node("n2.alpha", "C", mfree=3000, mtotal=4000)
    return fake


class _Case(helpers.FakeRapiMixin):
    CONFIG = CONFIG

    def make_fake(self):
        return _fake(self.CONFIG)

    def setUp(self):
        super().setUp()
        self.monds = self.fake.add_monds("alpha")
        self.clock = helpers.SnapshotClock(self)
        monitoring.CALLS.reset()

    def asked(self, node):
        """Paths the node's mond was asked, in order."""
        return [path for path, _fault in self.monds[node].attempts]


class ReadingTests(_Case, test.BaseAdminViewTests):

    def test_node_figures_as_the_sandbox_answers(self):
        res = self.client.get(NODE_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual("no-store", res["Cache-Control"])
        found = res.json()
        self.assertIsNone(found["error"])
        self.assertEqual(5, found["interval"])
        node = found["node"]
        self.assertEqual("n1.alpha", node["name"])
        self.assertEqual("192.0.2.1", node["address"])
        self.assertEqual(30.0, node["cpu"]["percent"])
        self.assertEqual([0.25, 0.35], node["cpu"]["cpus"])
        self.assertEqual({"free": 1000, "total": 4000, "node": 91},
                         node["memory"])
        self.assertEqual("xenvg", node["lv"][0]["vg_name"])
        self.assertNotIn("lv_uuid", node["lv"][0])  # kept compact
        errors = {c["name"]: c["error"] for c in node["collectors"]}
        self.assertEqual({"cpu-avg-load": None, "diskstats": FAILURE,
                          "drbd": FAILURE, "lv": None,
                          "xen-cpu-avg-load": None}, errors)
        # /1/report/all fails as soon as one collector does: then the
        # list, then collector by collector.
        self.assertEqual(["/1/report/all", "/1/list/collectors",
                          "/1/report/default/cpu-avg-load",
                          "/1/report/default/xen-cpu-avg-load",
                          "/1/report/storage/diskstats",
                          "/1/report/storage/drbd",
                          "/1/report/storage/lv"], self.asked("n1.alpha"))

    def test_the_plan_is_kept_so_a_reading_is_one_request_per_collector(
            self):
        self.client.get(NODE_URL)
        self.clock.now += 6
        self.client.get(NODE_URL)
        snapshots.drain()
        self.assertEqual(5 + 2 + 5, len(self.asked("n1.alpha")))

    def test_a_healthy_daemon_is_one_request_per_reading(self):
        for mond in self.monds.values():
            mond.heal()
        found = self.client.get(NODE_URL).json()["node"]
        self.assertEqual(30.0, found["cpu"]["percent"])
        self.assertEqual("sda", found["diskstats"][0]["name"])
        self.assertEqual("Connected", found["drbd"][0]["connectionState"])
        self.assertEqual(["/1/report/all"], self.asked("n1.alpha"))

    def test_cluster_figures_have_every_node(self):
        self.monds["n2.alpha"].set_cpu([1.0, 1.0])
        found = self.client.get(CLUSTER_URL).json()
        self.assertEqual(["n1.alpha", "n2.alpha"],
                         [n["name"] for n in found["nodes"]])
        self.assertEqual([30.0, 100.0],
                         [n["cpu"]["percent"] for n in found["nodes"]])
        self.assertEqual([1000, 3000],
                         [n["memory"]["free"] for n in found["nodes"]])

    def test_unknown_node_and_cluster(self):
        self.client.get(NODE_URL)
        res = self.client.get(reverse("horizon:admin:ganeti_nodes:live",
                                      args=["alpha:nope"]))
        self.assertEqual(404, res.status_code)
        self.assertIn("error", res.json())
        res = self.client.get(reverse("horizon:admin:ganeti_clusters:live",
                                      args=["nope"]))
        self.assertEqual(404, res.status_code)

    def test_the_page_never_waits_for_a_daemon(self):
        # The tab renders with no figure in it: its script asks later.
        self.client.get(NODE_URL)  # the node snapshot is there
        snapshots.drain()
        monitoring.CALLS.reset()
        res = self.client.get(reverse("horizon:admin:ganeti_nodes:detail",
                                      args=["alpha:n1.alpha"]))
        self.assertContains(res, 'data-live-url="%s"' % NODE_URL)
        self.assertEqual(0, monitoring.CALLS.count())
        res = self.client.get(reverse("horizon:admin:ganeti_clusters:detail",
                                      args=["alpha"]))
        self.assertContains(res, 'data-live-url="%s"' % CLUSTER_URL)
        self.assertEqual(0, monitoring.CALLS.count())


class FaultTests(_Case, test.BaseAdminViewTests):

    def node(self):
        res = self.client.get(NODE_URL)
        self.assertEqual(200, res.status_code)
        return res.json()["node"]

    def test_refused(self):
        self.monds["n1.alpha"].fail("refused")
        found = self.node()
        self.assertEqual("connection refused", found["error"])
        self.assertIsNone(found["cpu"])
        self.assertEqual(1000, found["memory"]["free"])  # RAPI's still

    def test_connect_timeout(self):
        self.monds["n1.alpha"].fail("connect-timeout")
        self.assertEqual("no connection within 2s", self.node()["error"])

    def test_a_hanging_daemon_is_a_timeout(self):
        self.monds["n1.alpha"].fail("hanging")
        self.assertEqual("no answer within 2s", self.node()["error"])
        self.assertEqual(["/1/report/all"], self.asked("n1.alpha"))

    def test_one_slow_collector_is_named_the_others_answer(self):
        self.monds["n1.alpha"].failing["lv"] = "hanging"
        found = self.node()
        self.assertIsNone(found["error"])
        errors = {c["name"]: c["error"] for c in found["collectors"]}
        self.assertEqual("no answer within 2s", errors["lv"])
        self.assertEqual(FAILURE, errors["drbd"])
        self.assertIsNone(errors["cpu-avg-load"])
        self.assertEqual(30.0, found["cpu"]["percent"])

    def test_http_500_of_one_collector(self):
        mond = self.monds["n1.alpha"]
        mond.heal()
        mond.failing["cpu-avg-load"] = 500
        found = self.node()
        self.assertIsNone(found["cpu"])
        errors = {c["name"]: c["error"] for c in found["collectors"]}
        self.assertEqual({"cpu-avg-load": FAILURE, "diskstats": None,
                          "drbd": None, "lv": None,
                          "xen-cpu-avg-load": None}, errors)

    def test_one_node_down_the_other_answers(self):
        self.monds["n2.alpha"].fail("refused")
        found = self.client.get(CLUSTER_URL).json()["nodes"]
        self.assertEqual([None, "connection refused"],
                         [n["error"] for n in found])
        self.assertEqual(30.0, found[0]["cpu"]["percent"])

    def test_the_cluster_down(self):
        self.fake["alpha"].fail("refused")
        res = self.client.get(NODE_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual("connection refused", res.json()["error"])
        self.assertEqual(0, monitoring.CALLS.count())

    def test_a_slow_node_is_asked_no_longer_than_its_budget(self):
        mond = self.monds["n1.alpha"]
        mond.failing = {"diskstats": 500}  # no /1/report/all
        ticks = iter(range(0, 1000, 4))
        real = monitoring.time.monotonic
        try:
            monitoring.time.monotonic = lambda: next(ticks)
            found = self.node()
        finally:
            monitoring.time.monotonic = real
        errors = {c["name"]: c["error"] for c in found["collectors"]}
        # Each request "took" 4 s of the node's 6 s budget.
        self.assertIsNone(errors["cpu-avg-load"])
        self.assertEqual("not asked: the daemon answered too slowly",
                         errors["lv"])

    def test_a_failure_is_logged_once_per_reading_and_never_500(self):
        self.monds["n1.alpha"].fail("refused")
        with self.assertLogs("ganeti_dashboard.api.monitoring", "INFO") as log:
            self.node()
        self.assertIn("n1.alpha: monitoring daemon: connection refused",
                      log.output[0])


class SettingsTests(_Case, test.BaseAdminViewTests):
    CONFIG = CONFIG.replace(
        "rapi_password = secret-alpha",
        "rapi_password = secret-alpha\nmond_port = 9815\n"
        "mond_address_field = sip\nmond_timeout = 0.5")

    def make_fake(self):
        fake = _fake(self.CONFIG)
        fake["alpha"].nodes["n1.alpha"]["sip"] = "198.51.100.1"
        return fake

    def setUp(self):
        super().setUp()
        self.other = self.fake.add_mond("198.51.100.1", 9815)

    def test_port_address_and_timeout_from_the_cluster_section(self):
        self.other.fail("hanging")
        found = self.client.get(NODE_URL).json()["node"]
        self.assertEqual("198.51.100.1", found["address"])
        self.assertEqual("no answer within 0.5s", found["error"])
        self.assertEqual([], self.asked("n1.alpha"))


class DisabledTests(_Case, test.BaseAdminViewTests):
    CONFIG = CONFIG.replace("rapi_password = secret-alpha",
                            "rapi_password = secret-alpha\n"
                            "mond_enabled = false")

    def test_no_daemon_is_asked(self):
        found = self.client.get(NODE_URL).json()
        self.assertIn("mond_enabled = false", found["notice"])
        self.assertEqual(1000, found["node"]["memory"]["free"])
        self.assertEqual(0, monitoring.CALLS.count())


class CoalescingTests(_Case, test.BaseAdminViewTests):
    VIEWERS = 20

    def setUp(self):
        super().setUp()
        # The readings are counted: time passes only between intervals.
        self.clock = helpers.SnapshotClock(self, frozen=True)

    def viewers(self, call):
        return helpers.at_once(call, self.VIEWERS)

    def readings(self):
        """Requests of each node's mond for each report (or all)."""
        counts = collections.Counter()
        for node, mond in self.monds.items():
            for path, _fault in mond.attempts:
                if path.startswith("/1/report/"):
                    counts[(node, path)] += 1
        return counts

    def test_twenty_viewers_one_request_per_node_per_interval(self):
        for mond in self.monds.values():
            mond.heal()
        # Horizon's test client is one session: the viewers are pages
        # of the api layer, each thread one viewer.
        for interval in range(3):
            answers = self.viewers(
                lambda: monitoring.cluster_figures("alpha"))
            self.assertEqual(self.VIEWERS, len(answers))
            for node in ("n1.alpha", "n2.alpha"):
                self.assertEqual(interval + 1, self.readings()[
                    (node, "/1/report/all")], (interval, node))
            self.clock.now += 5
        for mond in self.monds.values():
            self.assertEqual(3, len(mond.attempts))

    def test_twenty_viewers_collector_by_collector(self):
        self.viewers(lambda: monitoring.node_figures("alpha", "n1.alpha"))
        self.clock.now += 5
        self.viewers(lambda: monitoring.node_figures("alpha", "n1.alpha"))
        counts = self.readings()
        for node in ("n1.alpha", "n2.alpha"):
            self.assertEqual(1, counts[(node, "/1/report/all")])
            self.assertEqual(2, counts[
                (node, "/1/report/default/cpu-avg-load")])
            self.assertEqual(2, counts[(node, "/1/report/storage/drbd")])
            listed = [p for p, _f in self.monds[node].attempts
                      if p == "/1/list/collectors"]
            self.assertEqual(1, len(listed))


class TranslationTests(_Case, test.BaseAdminViewTests):
    """What the JSON says is in the viewer's language (a pseudo one): the
    figures are data, every failure, notice and note a translated text.
    """

    def setUp(self):
        super().setUp()
        pseudo_locale.enable(self)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = \
            pseudo_locale.LANGUAGE

    def texts(self, url, status=200):
        """Every text of the answer meant for the viewer."""
        res = self.client.get(url)
        self.assertEqual(status, res.status_code)
        found = res.json()
        said = [found.get(key) for key in ("error", "notice")]
        for node in found.get("nodes") or [found.get("node") or {}]:
            said.append(node.get("error"))
            for collector in node.get("collectors") or []:
                said += [collector["error"], collector["note"]]
        return [text for text in said if text]

    def assertTranslated(self, texts):
        self.assertTrue(texts)
        for text in texts:
            self.assertTrue(text.startswith(pseudo_locale.OPEN), text)
            self.assertTrue(text.endswith(pseudo_locale.CLOSE), text)

    def test_daemon_and_collector_failures(self):
        mond = self.monds["n1.alpha"]
        mond.failing["lv"] = "hanging"
        mond.collectors.append(["big", "default", 0])
        mond.data["big"] = {"text": "x" * (2 * monitoring.MAX_OTHER_DATA)}
        self.monds["n2.alpha"].fail("refused")
        texts = self.texts(CLUSTER_URL)
        self.assertTranslated(texts)
        self.assertIn("\u27e6no answer within 2s\u27e7", texts)
        self.assertIn("\u27e6too large to show\u27e7", texts)
        self.assertIn("\u27e6connection refused\u27e7", texts)
        self.assertIn("\u27e6%s\u27e7" % FAILURE, texts)

    def test_a_slow_node_and_an_offline_one(self):
        self.fake["alpha"].nodes["n2.alpha"]["role"] = "O"
        self.monds["n1.alpha"].failing = {"diskstats": 500}
        ticks = iter(range(0, 1000, 4))
        real = monitoring.time.monotonic
        try:
            monitoring.time.monotonic = lambda: next(ticks)
            texts = self.texts(CLUSTER_URL)
        finally:
            monitoring.time.monotonic = real
        self.assertTranslated(texts)
        self.assertIn("\u27e6not asked: the daemon answered too slowly"
                      "\u27e7", texts)
        self.assertIn("\u27e6the node is offline\u27e7", texts)

    def test_the_cluster_down_and_unknown_names(self):
        self.fake["alpha"].fail("refused")
        self.assertTranslated(self.texts(NODE_URL))
        self.assertTranslated(self.texts(reverse(
            "horizon:admin:ganeti_clusters:live", args=["nope"]), 404))


class DisabledTranslationTests(TranslationTests):
    CONFIG = DisabledTests.CONFIG

    test_daemon_and_collector_failures = None
    test_a_slow_node_and_an_offline_one = None
    test_the_cluster_down_and_unknown_names = None

    def test_the_notice(self):
        self.assertTranslated(self.texts(NODE_URL))


class AccessTests(_Case, test.TestCase):
    """A project member gets neither the figures nor the tab."""

    def test_member_is_refused(self):
        for url in (NODE_URL, CLUSTER_URL):
            res = self.client.get(url)
            self.assertIn(res.status_code, (302, 403, 404), url)
        self.assertEqual(0, monitoring.CALLS.count())


def test_the_tab_sets_text_never_html():
    """Every figure and failure the server sends is set as text, by the
    tab's script and by the script every live graph shares.
    """
    import os
    base = os.path.join(os.path.dirname(monitoring.__file__), os.pardir)
    for path in (("templates", "ganeti_dashboard", "_live.html"),
                 ("static", "ganeti_dashboard", "js", "live.js")):
        with open(os.path.join(base, *path)) as f:
            source = f.read()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML",
                     "document.write", "$("):
            assert sink not in source, (path, sink)
