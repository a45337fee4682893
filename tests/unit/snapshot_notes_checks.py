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

"""What a list page says of a cluster it cannot show as it is now
(``content/snapshot_notes.py``), checked the same way on every list.

A list's test case mixes :class:`SnapshotNotesChecks` in before its
fake-RAPI case (``helpers.FakeRapiMixin``) and Horizon's test case, and
sets ``URL`` (the list) and ``KIND`` (the snapshot kind its rows come
from); both fake clusters must have rows in the list.
"""

import time

from django.contrib.messages import get_messages
from django.core.cache import cache

from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import helpers


class SnapshotNotesChecks(helpers.FakeRapiMixin):

    CONFIG = helpers.AGING  # max_snapshot_age 60, snapshot_wait 1
    URL = None
    KIND = None

    def setUp(self):
        super().setUp()
        self.clock = helpers.SnapshotClock(self)

    def shown(self):
        """``(clusters with rows, messages)`` of the list, viewed now."""
        res = self.client.get(self.URL)
        self.assertEqual(200, res.status_code)
        return (sorted({row.cluster for row in res.context["table"].data}),
                [str(m) for m in get_messages(res.wsgi_request)])

    def another_worker_refreshes(self, cluster, since):
        """Another worker took the refresh of ``cluster``'s snapshot
        ``since`` seconds ago and has not finished.
        """
        cache.add(snapshots._key(cluster, self.KIND, "lease"),
                  ("another", self.clock.now - since), 60)

    def test_notes_a_cluster_that_never_answered_with_its_cause(self):
        self.fake["beta"].fail("refused")
        self.assertEqual((["alpha"], [
            "Cluster beta could not be queried: connection refused"]),
            self.shown())

    def test_notes_a_cluster_still_answering_after_snapshot_wait(self):
        self.another_worker_refreshes("beta", since=0)
        started = time.monotonic()
        self.assertEqual((["alpha"], [
            "Cluster beta could not be queried: it has not answered yet"]),
            self.shown())
        self.assertLess(time.monotonic() - started, 5)

    def test_shows_a_cluster_that_went_down_as_it_was_with_age(self):
        self.shown()  # the snapshots are taken
        self.fake["beta"].fail("refused")
        self.clock.now += 125  # too old to serve without a new try
        self.assertEqual((["alpha", "beta"], [
            "Cluster beta is shown as it was 2 minutes ago: it cannot be "
            "queried now: connection refused"]), self.shown())

    def test_shows_an_old_snapshot_being_refreshed_with_age(self):
        self.shown()
        self.clock.now += 90
        self.another_worker_refreshes("beta", since=30)
        # The clock runs on while the pages render: 90 s and what they took.
        listed, said = self.shown()
        self.assertEqual(["alpha", "beta"], listed)
        self.assertEqual(1, len(said), said)
        self.assertRegex(said[0], r"^Cluster beta is shown as it was "
                         r"9\d seconds ago; it is being queried again\.$")

    def test_says_nothing_of_clusters_shown_as_they_are(self):
        self.shown()
        self.clock.now += 11  # stale: refreshed behind the page, not old
        self.assertEqual((["alpha", "beta"], []), self.shown())
