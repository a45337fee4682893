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

"""History from Prometheus ([metrics]): the queries and their escaping,
the ranges, the faults of the server named, one query per step for every
viewer, and the node's History tab and its JSON (the fake Prometheus of
``ganeti_dashboard.test.fake_prometheus``).
"""

import logging
import os
import threading
from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import prometheus
from ganeti_dashboard.conf import loader
from ganeti_dashboard.test import fake_prometheus
from ganeti_dashboard.test import helpers

CONFIG = helpers.TWO_CLUSTERS + """
[metrics]
prometheus_url = http://user:hidden-pw@prometheus.example.test:9090/
prometheus_timeout = 2
"""
URL = reverse("horizon:admin:ganeti_nodes:history", args=["alpha:n1.alpha"])
DETAIL = reverse("horizon:admin:ganeti_nodes:detail", args=["alpha:n1.alpha"])
NOW = 1_800_000_007.0


class RenderTests(test.TestCase):

    def test_placeholders_and_escaping(self):
        query = prometheus.render(
            'x{cluster="{cluster}", node="{node}"}[{window}]', 15,
            cluster="alpha", node='evil"} or up{a="\\')
        self.assertEqual(
            'x{cluster="alpha", node="evil\\"} or up{a=\\"\\\\"}[60s]',
            query)
        self.assertEqual("y[300s]", prometheus.render("y[{window}]", 300))

    def test_ranges_keep_series_short(self):
        for name in prometheus.RANGE_ORDER:
            start, end, step = prometheus.span(name, NOW)
            self.assertLessEqual((end - start) / step,
                                 prometheus.MAX_POINTS, name)
            self.assertEqual(0, end % step)
            self.assertLessEqual(end, NOW)
        self.assertEqual(3600, NOW - prometheus.span("hour", NOW)[0] - 7)

    def test_default_queries(self):
        metrics = loader.MetricsConfig()
        self.assertFalse(metrics.enabled)
        self.assertEqual(
            {("node", g) for g in ("cpu", "memory", "disk", "network")}
            | {("instance", "cpu"), ("instance", "memory")},
            set(metrics.queries))
        for template in metrics.queries.values():
            query = prometheus.render(template, 15, cluster="c", node="n",
                                      instance="i")
            self.assertNotIn("{cluster}", query)
            self.assertNotIn("{window}", query)


class _Case(helpers.FakeRapiMixin):
    CONFIG = CONFIG

    def make_fake(self):
        fake = super().make_fake()
        fake["alpha"].nodes.clear()
        fake["alpha"].add_node("n1.alpha", "M", mfree=1000, mtotal=4000)
        return fake

    def setUp(self):
        super().setUp()
        cache.clear()
        self.prom = fake_prometheus.FakePrometheus().install(self)
        prometheus.CALLS.reset()
        prometheus._logged.clear()
        patch = mock.patch.object(prometheus, "_now", lambda: self.now)
        patch.start()
        self.addCleanup(patch.stop)
        self.now = NOW

    def graphs(self, range_name="hour"):
        return prometheus.graphs("node", "alpha", range_name=range_name,
                                 node="n1.alpha")


class SeriesTests(_Case, test.TestCase):

    def test_the_graphs_of_a_node(self):
        found = self.graphs()
        self.assertTrue(found["configured"])
        self.assertIsNone(found["error"])
        self.assertEqual({"cpu", "memory", "disk", "network"},
                         set(found["graphs"]))
        cpu = found["graphs"]["cpu"]
        self.assertEqual(15, cpu["step"])
        points = cpu["series"][0]["points"]
        self.assertEqual(241, len(points))  # NaN left out
        self.assertEqual(42.0, points[0][1])
        query, start, end, step = self.prom.queries[0]
        self.assertIn('node="n1.alpha"', query)
        self.assertIn('cluster="alpha"', query)
        self.assertEqual("15", step)

    def test_every_range(self):
        for name in prometheus.RANGE_ORDER:
            found = self.graphs(name)
            self.assertIsNone(found["error"], name)
            for graph in found["graphs"].values():
                self.assertLessEqual(len(graph["series"][0]["points"]),
                                     prometheus.MAX_POINTS + 1)

    def test_one_query_per_step_for_many_viewers(self):
        answers = []
        start = threading.Barrier(20)
        self.prom.delay = 0.2  # all of them miss the cache at once

        def viewer():
            start.wait(10)
            answers.append(self.graphs())
        threads = [threading.Thread(target=viewer) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(20, len(answers))
        self.assertTrue(all(a["error"] is None for a in answers))
        self.assertEqual(4, len(self.prom.queries))  # one per graph
        for _ in range(10):
            self.graphs()
        self.assertEqual(4, len(self.prom.queries))
        self.now += 15  # the next step
        self.graphs()
        self.assertEqual(8, len(self.prom.queries))


class FaultTests(_Case, test.TestCase):

    def assertNamed(self, fault, text):
        self.prom.fault = fault
        with self.assertLogs(prometheus.LOG, logging.WARNING) as logs:
            found = self.graphs()
        self.assertIn(text, found["error"])
        for graph in found["graphs"].values():
            self.assertIn(text, graph["error"])
        self.assertEqual(1, len(logs.output), logs.output)  # once
        self.assertNotIn("hidden-pw", logs.output[0])
        self.assertIn("http://prometheus.example.test:9090", logs.output[0])
        return found

    def test_refused(self):
        self.assertNamed("refused", "Prometheus unreachable: connection "
                                    "refused")

    def test_connect_timeout(self):
        self.assertNamed("connect-timeout", "no connection within 2s")

    def test_slow(self):
        self.assertNamed("hanging", "Prometheus did not answer within 2s")

    def test_http_500_with_its_error(self):
        self.assertNamed(500, "Prometheus answered HTTP 500: 1:5: parse "
                              "error")

    def test_a_proxy_page(self):
        self.assertNamed("html", "Prometheus answered HTTP 502")

    def test_bad_json(self):
        self.assertNamed("not-json", "Prometheus' answer is not its JSON")

    def test_not_a_matrix(self):
        self.assertNamed("not-matrix", "something else than a range")

    def test_untrusted_certificate(self):
        self.assertNamed("untrusted", "certificate not trusted")

    def test_a_server_that_does_not_answer_is_asked_once_per_request(self):
        self.prom.fault = "hanging"
        with self.assertLogs(prometheus.LOG, logging.WARNING):
            found = self.graphs()
        self.assertEqual(1, len(self.prom.queries))
        self.assertEqual(4, len(found["graphs"]))
        for graph in found["graphs"].values():
            self.assertIn("did not answer", graph["error"])

    def test_a_query_error_does_not_stop_the_other_graphs(self):
        self.prom.fault = 400
        with self.assertLogs(prometheus.LOG, logging.WARNING):
            self.graphs()
        self.assertEqual(4, len(self.prom.queries))
        self.graphs()  # cached, with their status
        self.assertEqual(4, len(self.prom.queries))

    def test_too_many_series_are_cut(self):
        real = self.prom.answer

        def many(params):
            found = real(params)
            one = found["data"]["result"][0]
            found["data"]["result"] = [
                dict(one, metric={"cpu": str(i)}) for i in range(25)]
            return found
        self.prom.answer = many
        cpu = self.graphs()["graphs"]["cpu"]
        self.assertEqual(prometheus.MAX_SERIES, len(cpu["series"]))
        self.assertEqual(25 - prometheus.MAX_SERIES, cpu["more"])

    def test_a_failure_is_asked_once_per_step_and_logged_once(self):
        self.prom.fault = "refused"
        with self.assertLogs(prometheus.LOG, logging.WARNING) as logs:
            for _ in range(5):
                self.graphs()
            self.now += 15
            self.graphs()
        # Once per step, and only the first graph: the server is down.
        self.assertEqual(2, len(self.prom.queries))
        self.assertEqual(1, len(logs.output))
        self.prom.fault = None
        self.now += 15
        with self.assertLogs(prometheus.LOG, logging.INFO) as logs:
            self.assertIsNone(self.graphs()["error"])
        self.assertIn("answers again", logs.output[0])


class NotConfiguredTests(_Case, test.TestCase):
    CONFIG = helpers.TWO_CLUSTERS

    def test_nothing_is_asked(self):
        found = self.graphs()
        self.assertFalse(found["configured"])
        self.assertEqual({}, found["graphs"])
        self.assertEqual([], self.prom.queries)


class ConfigTests(test.TestCase):

    def test_options(self):
        with helpers.config_file(helpers.TWO_CLUSTERS + """
[metrics]
prometheus_url = https://prom.example.test:9090/
verify_tls = false
node_cpu_query = avg(my_cpu{host="{node}"})
"""):
            metrics = loader.load().metrics
        self.assertEqual("https://prom.example.test:9090",
                         metrics.prometheus_url)
        self.assertFalse(metrics.verify_tls)
        self.assertFalse(prometheus.Prometheus(metrics).verify)
        self.assertEqual('avg(my_cpu{host="{node}"})',
                         metrics.queries[("node", "cpu")])

    def test_not_a_url(self):
        with helpers.config_file(helpers.TWO_CLUSTERS + """
[metrics]
prometheus_url = prom.example.test:9090
"""):
            with self.assertRaisesRegex(loader.ConfigError, "prometheus_url"):
                loader.load()

    def test_ca_file(self):
        with helpers.config_file(helpers.TWO_CLUSTERS + """
[metrics]
prometheus_url = https://prom.example.test:9090/
ca_file = %s
""" % os.devnull):
            metrics = loader.load().metrics
        self.assertEqual(os.devnull, prometheus.Prometheus(metrics).verify)


class ViewTests(_Case, test.BaseAdminViewTests):

    def test_the_tab(self):
        res = self.client.get(DETAIL + "?tab=node_details__history")
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'data-history-url="%s"' % URL)
        self.assertContains(res, 'data-range="year"')
        self.assertEqual([], self.prom.queries)  # the page asks nothing

    def test_the_json(self):
        res = self.client.get(URL + "?range=day")
        self.assertEqual(200, res.status_code)
        found = res.json()
        self.assertEqual("day", found["range"])
        self.assertEqual(300, found["graphs"]["cpu"]["step"])
        self.assertEqual("no-store", res["Cache-Control"])

    def test_an_unknown_range_is_the_hour(self):
        self.assertEqual("hour",
                         self.client.get(URL + "?range=x").json()["range"])

    def test_the_error_is_in_the_json(self):
        self.prom.fault = 503
        with self.assertLogs(prometheus.LOG, logging.WARNING):
            res = self.client.get(URL)
        self.assertEqual(200, res.status_code)
        self.assertIn("HTTP 503", res.json()["error"])

    def test_unknown_cluster(self):
        res = self.client.get(reverse("horizon:admin:ganeti_nodes:history",
                                      args=["nope:n1"]))
        self.assertEqual(404, res.status_code)
        self.assertEqual([], self.prom.queries)


class NotConfiguredViewTests(_Case, test.BaseAdminViewTests):
    CONFIG = helpers.TWO_CLUSTERS

    def test_the_tab_says_so(self):
        res = self.client.get(DETAIL + "?tab=node_details__history")
        self.assertContains(res, "Prometheus is not configured: only live "
                                 "figures are shown.")
        self.assertFalse(self.client.get(URL).json()["configured"])


class AccessTests(_Case, test.TestCase):
    """A project member gets neither the series nor the tab."""

    def test_member_is_refused(self):
        res = self.client.get(URL, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertIn(res.status_code, (401, 403), res.status_code)
        self.assertEqual([], self.prom.queries)


def test_the_script_sets_text_never_html():
    path = os.path.join(os.path.dirname(prometheus.__file__), os.pardir,
                        "static", "ganeti_dashboard", "js", "history.js")
    with open(path) as f:
        source = f.read()
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML",
                 "document.write", "$("):
        assert sink not in source, sink


def _kvm(name, project, kvm=True):
    """As Ganeti 3.0's RAPI answers ``/2/instances/<name>``: no
    hypervisor field, the hvparams tell (the fake hypervisor has none);
    ``/2/query/instance`` (the live snapshot) names the hypervisor.
    """
    from tests.unit.test_admin_instances import _instance
    return _instance(name, project, pnode="n1.alpha",
                     hypervisor="kvm" if kvm else "fake",
                     hvparams={"kvm_path": "/usr/bin/qemu-system-x86_64"}
                     if kvm else {})


class InstanceTests(_Case, test.TestCase):
    """A project member's KVM instance: its History tab and JSON, within
    the project only.
    """

    def setUp(self):
        super().setUp()
        from tests.unit.test_admin_instances import add
        own = self.tenant.id
        for data in (_kvm("mine.alpha", own),
                     _kvm("fake.alpha", own, kvm=False),
                     _kvm("theirs.alpha", "someone")):
            add(self.fake["alpha"], data)
        patch = mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"})
        patch.start()
        self.addCleanup(patch.stop)

    def test_a_poll_asks_ganeti_nothing_once_the_snapshots_hold(self):
        self.client.get(self.url("mine.alpha"))
        before = len(self.fake.requests)
        res = self.client.get(self.url("mine.alpha"))
        self.assertEqual(200, res.status_code)
        self.assertEqual(before, len(self.fake.requests))

    def url(self, name, view="history"):
        return reverse("horizon:project:ganeti_instances:%s" % view,
                       args=["alpha:" + name])

    def test_the_series_of_a_kvm_instance(self):
        res = self.client.get(self.url("mine.alpha") + "?range=week")
        self.assertEqual(200, res.status_code)
        found = res.json()
        self.assertEqual({"cpu", "memory"}, set(found["graphs"]))
        self.assertEqual(2400, found["graphs"]["cpu"]["step"])
        queries = [q[0] for q in self.prom.queries]
        self.assertEqual(2, len(queries))
        for query in queries:
            self.assertIn('groupname="mine.alpha"', query)
            self.assertIn('cluster="alpha"', query)

    def test_the_tab(self):
        res = self.client.get(self.url("mine.alpha", "detail")
                              + "?tab=instance_details__history")
        self.assertContains(res, 'data-history-url="%s"'
                            % self.url("mine.alpha"))
        self.assertContains(res, "Resident memory")

    def test_the_project_overview_links_a_kvm_instance_to_its_history(self):
        res = self.client.get(reverse("horizon:project:ganeti_overview:live"))
        self.assertEqual(200, res.status_code)
        rows = {row["name"]: row for row in res.json()["instances"]}
        self.assertEqual({"mine.alpha", "fake.alpha"}, set(rows))
        self.assertEqual(self.url("mine.alpha", "detail")
                         + "?tab=instance_details__history",
                         rows["mine.alpha"]["history_url"])
        self.assertNotIn("history_url", rows["fake.alpha"])

    def test_the_fake_hypervisor_is_explained(self):
        res = self.client.get(self.url("fake.alpha"))
        self.assertEqual(200, res.status_code)
        self.assertIn("fake hypervisor", res.json()["notice"])
        tab = self.client.get(self.url("fake.alpha", "detail")
                              + "?tab=instance_details__history")
        self.assertContains(tab, "fake hypervisor")
        self.assertNotContains(tab, 'data-configured="on"')
        self.assertEqual([], self.prom.queries)

    def test_another_projects_instance_is_not_found(self):
        res = self.client.get(self.url("theirs.alpha"))
        self.assertEqual(404, res.status_code)
        self.assertEqual([], self.prom.queries)

    def test_a_reader_is_refused(self):
        helpers.become_reader(self)
        res = self.client.get(self.url("mine.alpha"),
                              HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertIn(res.status_code, (401, 403))
        self.assertEqual([], self.prom.queries)
