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

"""Pages that find a cluster's snapshot due at the same moment."""

import threading
import time
from unittest import mock

from django.core.cache import cache

from ganeti_dashboard.api import snapshots
from tests.unit.test_snapshots import _Case
from tests.unit.test_snapshots import ControlledKind


class LeaseRaceTests(_Case):

    def test_a_page_that_loses_the_race_for_the_lease_waits_too(self):
        kind = ControlledKind("race-kind")
        kind.gate.clear()
        lease_key = snapshots._key("alpha", kind.name, "lease")
        real = snapshots._start_refresh
        others = []

        def start_refresh(name, kind_, lease, **kwargs):
            if not others:
                # Another page found the same free lease and takes it
                # first: this one's add fails.
                other = threading.Thread(target=snapshots.read, args=(
                    self.configs("alpha"), kind.name))
                others.append(other)
                other.start()
                deadline = time.monotonic() + 5
                while cache.get(lease_key) is None and \
                        time.monotonic() < deadline:
                    time.sleep(0.01)
            return real(name, kind_, lease, **kwargs)

        opener = threading.Timer(0.3, kind.gate.set)
        opener.start()
        self.addCleanup(opener.cancel)
        self.addCleanup(kind.gate.set)
        with mock.patch.object(snapshots, "_start_refresh", start_refresh):
            found = snapshots.read(self.configs("alpha"), kind.name)
        others[0].join(10)
        self.assertEqual("a1", found["alpha"].data)
        self.assertEqual(["alpha"], kind.calls)

    def test_a_refresh_that_ended_since_the_look_is_not_done_again(self):
        kind = ControlledKind("again-kind")
        snapshots.read(self.configs("alpha"), kind.name)
        snapshots.drain()
        self.assertEqual(["alpha"], kind.calls)
        self.clock.now += 3600  # stale, even past its hard age
        kind.answer = {"alpha": "a2"}
        real = snapshots._start_refresh

        def start_refresh(name, kind_, lease, **kwargs):
            # Another page refreshes it completely between this page's
            # look (lease free, snapshot old) and its lease.
            snapshots.refresh_now(name, kind_.name)
            return real(name, kind_, lease, **kwargs)

        with mock.patch.object(snapshots, "_start_refresh", start_refresh):
            found = snapshots.read(self.configs("alpha"), kind.name)
        snapshots.drain()
        self.assertEqual(["alpha", "alpha"], kind.calls)
        self.assertEqual("a2", found["alpha"].data)
        lease_key = snapshots._key("alpha", kind.name, "lease")
        self.assertIsNone(cache.get(lease_key))
