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

"""Each cluster's snapshot: refreshed once for everyone, served stale while
it revalidates, never waited for long, never one big cache item.
"""

import dataclasses
import logging
import threading
import time
from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

CONFIG = helpers.TWO_CLUSTERS.replace(
    "refresh_interval = 10",
    "refresh_interval = 10\nmax_snapshot_age = 60\nsnapshot_wait = 2\nfirst_snapshot_wait = 2")


class Clock:
    """The snapshots module's wall clock, moved by the test."""

    def __init__(self):
        self.now = time.time()

    def __call__(self):
        return self.now


class _Case(SimpleTestCase):

    def setUp(self):
        super().setUp()
        self.conf = helpers.config_file(CONFIG)
        self.conf.__enter__()
        self.addCleanup(self.conf.__exit__, None, None, None)
        self.clock = Clock()
        patch = mock.patch.object(snapshots, "_now", self.clock)
        patch.start()
        self.addCleanup(patch.stop)
        self.addCleanup(snapshots.drain)

    def configs(self, *names):
        conf = clusters.settings()
        return [conf.cluster(n) for n in names or ("alpha", "beta")]


class ControlledKind:
    """A kind whose fetch the test lets through, counts, or fails."""

    def __init__(self, name):
        self.calls = []
        self.gate = threading.Event()
        self.gate.set()
        self.answer = {"alpha": "a1", "beta": "b1"}
        self.failure = None
        snapshots.register(snapshots.Kind(name, self.fetch))
        self.name = name

    def fetch(self, client):
        self.calls.append(client.name)
        self.gate.wait(30)
        if self.failure:
            raise self.failure
        return self.answer[client.name]


class SnapshotTests(_Case):

    def setUp(self):
        super().setUp()
        self.kind = ControlledKind("test-kind")

    def read(self, *names):
        return snapshots.read(self.configs(*names), self.kind.name)

    def test_first_read_waits_for_one_refresh_then_serves_from_it(self):
        found = self.read()
        self.assertEqual({"alpha": "a1", "beta": "b1"},
                         {n: s.data for n, s in found.items()})
        self.assertEqual(["alpha", "beta"], sorted(self.kind.calls))
        again = self.read()
        self.assertEqual("a1", again["alpha"].data)
        self.assertEqual(2, len(self.kind.calls))  # fresh: nobody asked

    def test_a_repeated_read_decodes_nothing(self):
        self.read()
        with mock.patch.object(snapshots, "zlib") as zlib:
            self.assertEqual("a1", self.read()["alpha"].data)
        zlib.decompress.assert_not_called()

    def test_threads_wanting_a_new_generation_decode_it_once(self):
        self.read()
        snapshots.forget_decoded()  # another process wrote it
        real = snapshots.zlib.decompress
        calls = []

        def decompress(blob):
            calls.append(1)
            time.sleep(0.2)  # long enough for the others to arrive
            return real(blob)

        with mock.patch.object(snapshots.zlib, "decompress", decompress):
            threads = [threading.Thread(target=self.read) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(2, len(calls))  # one per cluster, not per thread

    def test_stale_is_served_at_once_and_refreshed_behind(self):
        self.read()
        self.kind.answer = {"alpha": "a2", "beta": "b2"}
        self.kind.gate.clear()
        self.clock.now += 11  # past refresh_interval
        found = self.read()
        self.assertEqual("a1", found["alpha"].data)  # no wait for it
        self.kind.gate.set()
        snapshots.drain()
        self.assertEqual("a2", self.read()["alpha"].data)

    def test_a_slow_cluster_is_asked_less_often_but_at_once_after_a_write(
            self):
        def slow(client):
            self.clock.now += 3  # its answer takes 3 s
            return "a1"
        snapshots.register(snapshots.Kind("slow-kind", slow))
        snapshots.read(self.configs("alpha"), "slow-kind")
        self.clock.now += 11  # past refresh_interval, within 10 x 3 s
        found = snapshots.read(self.configs("alpha"), "slow-kind")["alpha"]
        self.assertFalse(found.refreshing)
        self.clock.now += 20  # 10 x its last refresh's time
        found = snapshots.read(self.configs("alpha"), "slow-kind")["alpha"]
        self.assertTrue(found.refreshing)
        snapshots.drain()
        snapshots.mark_stale("alpha")
        self.clock.now += 0.5
        before = self.clock.now
        snapshots.read(self.configs("alpha"), "slow-kind")
        self.assertGreater(self.clock.now, before)  # refreshed, waited for

    def test_after_our_write_the_next_page_shows_what_it_did(self):
        self.read()
        self.kind.answer = {"alpha": "a2", "beta": "b1"}
        self.clock.now += 1
        snapshots.mark_stale("alpha")
        self.clock.now += 0.5  # the refresh starts after the write
        # Due, not merely stale: the page waits (bounded) for the refresh.
        self.assertEqual("a2", self.read()["alpha"].data)
        self.assertEqual(["alpha", "alpha", "beta"], sorted(self.kind.calls))
        self.assertEqual("a2", self.read()["alpha"].data)  # fresh again

    def test_after_our_write_a_hanging_cluster_costs_one_bounded_wait(self):
        self.read()
        self.kind.gate.clear()
        snapshots.mark_stale("alpha")
        self.clock.now += 0.5
        started = time.monotonic()
        self.assertEqual("a1", self.read()["alpha"].data)
        self.assertLess(time.monotonic() - started, 3.5)  # snapshot_wait 2
        self.kind.gate.set()

    def test_a_cluster_never_seen_is_waited_for_longer(self):
        """Nothing to show of it yet: the page waits first_snapshot_wait
        for its first answer, not snapshot_wait.
        """
        conf = clusters.settings()
        longer = mock.patch.object(clusters, "settings", return_value=(
            dataclasses.replace(conf, first_snapshot_wait=6)))
        self.kind.gate.clear()
        threading.Timer(3, self.kind.gate.set).start()  # past snapshot_wait
        started = time.monotonic()
        with longer:
            found = self.read("alpha")
        self.assertEqual("a1", found["alpha"].data)
        self.assertLess(time.monotonic() - started, 5.5)

    def test_a_cluster_known_to_fail_is_waited_for_only_snapshot_wait(self):
        """Once a refresh of it failed there is a cause to name: the next
        attempt holds the page snapshot_wait at most, even with a longer
        first_snapshot_wait.
        """
        conf = clusters.settings()
        longer = mock.patch.object(clusters, "settings", return_value=(
            dataclasses.replace(conf, first_snapshot_wait=20)))
        self.kind.failure = errors.Unreachable("connection refused", "alpha")
        with longer, self.assertLogs("ganeti_dashboard.api.snapshots",
                                     logging.WARNING):
            self.assertIsNone(self.read("alpha")["alpha"].data)
            snapshots.drain()
            self.kind.failure = None
            self.kind.gate.clear()
            self.clock.now += 11  # past refresh_interval: asked again
            started = time.monotonic()
            found = self.read("alpha")["alpha"]
            waited = time.monotonic() - started
        self.kind.gate.set()
        self.assertIsNone(found.data)
        self.assertLess(waited, 3.5)  # snapshot_wait 2, not 20

    def test_a_failed_refresh_keeps_the_snapshot_and_logs_once(self):
        self.read()
        self.kind.failure = errors.Unreachable("connection refused", "alpha")
        self.clock.now += 11
        with self.assertLogs("ganeti_dashboard.api.snapshots",
                             logging.WARNING) as logged:
            self.read()
            snapshots.drain()
            found = self.read()["alpha"]
            self.assertEqual("a1", found.data)
            self.assertEqual("connection refused", found.error)
            calls = len(self.kind.calls)
            # Not asked again before refresh_interval passes...
            self.read()
            snapshots.drain()
            self.assertEqual(calls, len(self.kind.calls))
            # ...then asked, and it fails the same way: no second line.
            self.clock.now += 11
            self.read()
            snapshots.drain()
            self.assertGreater(len(self.kind.calls), calls)
        refusals = [r for r in logged.output if "alpha" in r]
        self.assertEqual(1, len(refusals), logged.output)
        self.assertIn("connection refused", refusals[0])

    def test_a_hanging_cluster_holds_no_page_while_a_snapshot_exists(self):
        self.read()
        self.kind.gate.clear()  # the next fetch hangs
        self.clock.now += 11
        started = time.monotonic()
        found = self.read()
        self.assertLess(time.monotonic() - started, 0.5)
        self.assertEqual("a1", found["alpha"].data)
        self.assertTrue(found["alpha"].refreshing)
        self.kind.gate.set()

    def test_without_a_snapshot_a_page_waits_at_most_snapshot_wait(self):
        self.kind.gate.clear()
        started = time.monotonic()
        found = self.read()
        waited = time.monotonic() - started
        self.assertLess(waited, 3.5)
        self.assertGreaterEqual(waited, 1.9)
        self.assertFalse(found["alpha"].available)
        self.assertTrue(found["alpha"].refreshing)
        # The next page does not wait again for the same refresh.
        self.clock.now += 3
        started = time.monotonic()
        self.read()
        self.assertLess(time.monotonic() - started, 0.5)
        self.kind.gate.set()

    def test_one_refresh_for_twenty_readers_at_once(self):
        self.kind.gate.clear()
        found = []
        readers = [threading.Thread(target=lambda: found.append(
            self.read("alpha")["alpha"].data)) for _ in range(20)]
        for reader in readers:
            reader.start()
        time.sleep(0.3)
        self.kind.gate.set()
        for reader in readers:
            reader.join(10)
        self.assertEqual(["a1"] * 20, found)
        self.assertEqual(["alpha"], self.kind.calls)

    def test_a_dead_holders_lease_expires(self):
        cache.add(snapshots._key("alpha", self.kind.name, "lease"),
                  ("dead", self.clock.now - 100), 1)
        time.sleep(1.1)
        self.assertEqual("a1", self.read("alpha")["alpha"].data)

    def test_losing_the_cache_loses_only_speed(self):
        self.read()
        cache.clear()
        snapshots.forget_decoded()
        self.assertEqual("a1", self.read()["alpha"].data)
        self.assertEqual(4, len(self.kind.calls))


class ChunkTests(_Case):

    def test_large_snapshots_are_cut_under_the_item_limit(self):
        kind = ControlledKind("big-kind")
        # Incompressible: random-looking names, hostile text among them.
        import os
        rows = [[os.urandom(40).hex(), ["<script>'\"&", "a:b@c", "\u00e9"]]
                for _ in range(20000)]
        kind.answer = {"alpha": rows}
        found = snapshots.read(self.configs("alpha"), kind.name)
        meta = cache.get(snapshots._key("alpha", kind.name, "meta"))
        sizes = [len(cache.get(snapshots._chunk_key(
            "alpha", kind.name, meta["generation"], i)))
            for i in range(meta["chunks"])]
        self.assertEqual(rows, found["alpha"].data)
        self.assertGreater(len(sizes), 1)
        self.assertLessEqual(max(sizes), snapshots.CHUNK_BYTES)
        snapshots.forget_decoded()
        self.assertEqual(rows, snapshots.read(self.configs("alpha"),
                                              kind.name)["alpha"].data)


def instances_pnode(found):
    return found.instances()[0].pnode


class InstanceSnapshotTests(_Case):
    """The instances kind against the HTTP-level fake RAPI."""

    def setUp(self):
        super().setUp()
        self.fake = fake_rapi.FakeGaneti.from_config(CONFIG)
        alpha = self.fake["alpha"]
        alpha.add_instance("b.alpha", tags=["openstack:project:p1"])
        alpha.add_instance("a.alpha", status="ADMIN_down")
        self.fake["beta"].add_instance("a.beta", tags=[
            "openstack:project:p1", "x<y>'\""])
        self.fake.install(self)

    def test_one_query_per_cluster_with_only_the_shown_fields(self):
        found = instance_api.listing(scope_api.ALL)
        self.assertEqual([("a.alpha", "alpha"), ("a.beta", "beta"),
                          ("b.alpha", "alpha")],
                         [(name, cluster) for name, cluster, _ in found.rows])
        asked = [(r.cluster, r.method, r.path) for r in self.fake.requests]
        self.assertEqual(sorted(asked), [
            ("alpha", "PUT", "/2/query/instance"),
            ("alpha", "PUT", "/2/query/node"),
            ("beta", "PUT", "/2/query/instance"),
            ("beta", "PUT", "/2/query/node")])
        fields = {r.path: r.body["fields"] for r in self.fake.requests}
        # Ganeti answers pnode and snodes slowly for every instance: they
        # come from the nodes' own lists.
        self.assertEqual(["name", "pinst_list", "sinst_list"],
                         fields["/2/query/node"])
        self.assertEqual(list(instance_api.ASKED),
                         fields["/2/query/instance"])
        self.assertNotIn("pnode", fields["/2/query/instance"])
        self.assertEqual("node1.alpha.example.test", instances_pnode(found))
        instances = found.instances()
        self.assertEqual("Stopped", instances[0].status_label)
        self.assertEqual(["openstack:project:p1", "x<y>'\""],
                         instances[1].tags)
        self.fake.reset_requests()
        instance_api.listing(scope_api.ALL)
        self.assertEqual([], self.fake.requests)

    def test_a_project_sees_only_its_own_rows(self):
        scope = scope_api.Scope(project_id="p1")
        found = instance_api.listing(scope)
        self.assertEqual(["a.beta", "b.alpha"],
                         [name for name, _c, _r in found.rows])

    def test_a_cluster_that_is_down_is_named_and_hides_no_other(self):
        self.fake["beta"].fail("refused")
        found = instance_api.listing(scope_api.ALL)
        self.assertEqual(["a.alpha", "b.alpha"],
                         [name for name, _c, _r in found.rows])
        self.assertEqual({"beta": "connection refused"},
                         instance_api.unavailable(found.snapshots))

    def test_a_repeated_view_reuses_the_merged_rows_until_a_refresh(self):
        first = instance_api.listing(scope_api.ALL).rows
        self.assertIs(first, instance_api.listing(scope_api.ALL).rows)
        self.fake["alpha"].add_instance("c.alpha")
        self.assertTrue(snapshots.refresh_now("alpha", "instances"))
        again = instance_api.listing(scope_api.ALL).rows
        self.assertIn("c.alpha", [name for name, _c, _r in again])
        # One merged list kept per scope, not one per generation seen.
        kept = [key for key in instance_api.MERGED.keys() if key[0] is None]
        self.assertEqual(1, len(kept))


class DerivedTests(SimpleTestCase):
    """What a process derives from snapshots is reused only while their
    generations hold, and the kept values stay bounded.
    """

    def setUp(self):
        self.derived = snapshots.Derived(size=2)
        self.calls = []

    def get(self, key, generations):
        def derive():
            self.calls.append((key, generations))
            return "%s@%s" % (key, generations)
        return self.derived.get(key, generations, derive)

    def test_a_new_generation_is_derived_again(self):
        self.assertEqual("a@(1,)", self.get("a", (1,)))
        self.assertEqual("a@(1,)", self.get("a", (1,)))
        self.assertEqual("a@(2,)", self.get("a", (2,)))
        self.assertEqual(2, len(self.calls))

    def test_the_least_recently_used_key_goes_first(self):
        self.get("a", (1,))
        self.get("b", (1,))
        self.get("a", (1,))  # a is now newer than b
        self.get("c", (1,))
        self.assertEqual(["a", "c"], sorted(self.derived.keys()))

    def test_a_value_of_no_generation_is_never_kept(self):
        self.get("a", (None, 1))
        self.get("a", (None, 1))
        self.assertEqual(2, len(self.calls))
        self.assertEqual([], self.derived.keys())
