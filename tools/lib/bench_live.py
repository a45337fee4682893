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

"""What the live graphs cost: the node detail page with and without its
Live tab, the JSON the tab polls, and monitoring-daemon requests per node
and interval with many viewers.

Prints figures, asserts nothing; needs no stack, no root, no network::

    PYTHONPATH=. python tools/lib/bench_live.py [--nodes 4] [--rounds 30]
        [--viewers 20] [--intervals 3] [--interval 2] [--mond-delay 0.02]

The unit tests' cluster alpha with ``--nodes`` nodes, each with a fake
ganeti-mond (``ganeti_dashboard.test.fake_mond``: its collectors fail as
the sandbox's do, so a reading is one request per collector; with
``--healthy`` one ``/1/report/all``) answering after ``--mond-delay``
seconds; the unit-test settings (a process-local cache), Horizon's test
admin.

- ``page``: the node detail page, with its Live tab and without it (the
  tab group made of the Overview alone), CPU ms of the request's thread,
  median and fastest of ``--rounds`` after a warm-up: the tab adds
  markup only, never a daemon's answer;
- ``poll``: the tab's JSON (``<node>/live/``), once the cluster's reading
  is there: what each viewer costs every ``live_interval``;
- ``viewers``: ``--viewers`` threads each poll the node's JSON every
  ``--interval`` seconds (the setting ``live_interval``) for
  ``--intervals`` intervals; printed: readings of each node's daemon (a
  reading is its requests of one refresh) and requests per node per
  interval.
"""

import argparse
import collections
import os
import statistics
import sys
import threading
import time
from unittest import mock

# bench_render, as it is imported, puts the repository on the path and
# sets Django up with the unit-test settings.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_render  # noqa: E402

from django.test import utils as test_utils  # noqa: E402
from django.urls import reverse  # noqa: E402

from openstack_dashboard.test import helpers as test  # noqa: E402

from ganeti_dashboard.api import monitoring  # noqa: E402
from ganeti_dashboard.api import snapshots  # noqa: E402
from ganeti_dashboard.content.admin.nodes import tabs  # noqa: E402
from ganeti_dashboard.test import fake_rapi  # noqa: E402
from ganeti_dashboard.test import helpers  # noqa: E402

OPTIONS = {}


class Bench(test.BaseAdminViewTests):

    def runTest(self):
        config = helpers.TWO_CLUSTERS.replace(
            "refresh_interval = 10",
            "refresh_interval = 10\nlive_interval = %d"
            % OPTIONS["interval"])
        fake = fake_rapi.FakeGaneti.from_config(config)
        alpha = fake["alpha"]
        alpha.nodes.clear()
        for number in range(OPTIONS["nodes"]):
            alpha.add_node("n%d.alpha" % number)
        monds = fake.add_monds("alpha")
        for mond in monds.values():
            mond.delay = OPTIONS["mond_delay"]
            if OPTIONS["healthy"]:
                mond.heal()
        node_id = "alpha:n0.alpha"
        detail = reverse("horizon:admin:ganeti_nodes:detail",
                         args=[node_id])
        poll = reverse("horizon:admin:ganeti_nodes:live", args=[node_id])
        with fake, helpers.config_file(config), \
                test_utils.override_settings(
                    TEMPLATES=bench_render._templates(),
                    COMPRESS_ENABLED=False, ALLOWED_HOSTS=["testserver"]):
            print("nodes: %d, live_interval %ds, mond answers after %.3fs, "
                  "%d rounds, CPU ms of the request (median, fastest)"
                  % (OPTIONS["nodes"], OPTIONS["interval"],
                     OPTIONS["mond_delay"], OPTIONS["rounds"]))
            self.client.get(poll)  # snapshots of the nodes, first reading
            snapshots.drain()
            with_tab = self._rounds(detail)
            with mock.patch.object(tabs.NodeDetailTabs, "tabs",
                                   (tabs.OverviewTab,)):
                without = self._rounds(detail)
            print("node detail page with the Live tab:    %s" % _ms(with_tab))
            print("node detail page without it:           %s" % _ms(without))
            print("the tab's JSON (one poll):             %s"
                  % _ms(self._rounds(poll)))
            self._viewers(poll, monds)

    def _rounds(self, url):
        took = []
        for i in range(OPTIONS["rounds"] + 1):
            started = time.thread_time()
            res = self.client.get(url)
            spent = time.thread_time() - started
            assert res.status_code == 200, (url, res.status_code)
            if i:
                took.append(spent)
        return took

    def _viewers(self, url, monds):
        viewers, intervals = OPTIONS["viewers"], OPTIONS["intervals"]
        interval = OPTIONS["interval"]
        snapshots.drain()
        for mond in monds.values():
            mond.attempts.clear()
        readings = collections.Counter()
        stop = time.monotonic() + intervals * interval
        start = threading.Barrier(viewers)
        waits = []

        def viewer(offset):
            start.wait(30)
            time.sleep(offset)
            while time.monotonic() < stop:
                begun = time.monotonic()
                monitoring.node_figures("alpha", "n0.alpha")
                waits.append(time.monotonic() - begun)
                time.sleep(interval)
        threads = [threading.Thread(target=viewer,
                                    args=(interval * i / viewers,))
                   for i in range(viewers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(intervals * interval + 60)
        snapshots.drain()
        for node, mond in monds.items():
            readings[node] = sum(
                1 for path, _f in mond.attempts
                if path in ("/1/report/all",
                            "/1/report/default/cpu-avg-load"))
        requests = {node: len(mond.attempts) for node, mond in monds.items()}
        print("%d viewers polling every %ds for %d intervals (%d polls, "
              "median %.1f ms wall each):"
              % (viewers, interval, intervals, len(waits),
                 1000 * statistics.median(waits)))
        print("  readings per node:                   %s"
              % _spread(readings.values()))
        print("  readings per node per interval:      %.2f"
              % (statistics.mean(readings.values()) / intervals))
        print("  mond requests per node per interval: %.2f (a reading is "
              "%s)" % (statistics.mean(requests.values()) / intervals,
                       "/1/report/all" if OPTIONS["healthy"] else
                       "one request per collector, /1/report/all failing"))


def _ms(times):
    return "%7.2f %7.2f" % (1000 * statistics.median(times),
                            1000 * min(times))


def _spread(values):
    values = sorted(values)
    return "%d..%d" % (values[0], values[-1]) if values else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--viewers", type=int, default=20)
    parser.add_argument("--intervals", type=int, default=3)
    parser.add_argument("--interval", type=int, default=2,
                        help="live_interval, seconds (at least 2)")
    parser.add_argument("--mond-delay", type=float, default=0.02,
                        help="seconds each fake mond answer takes (the "
                        "sandbox's real mond: about 0.02)")
    parser.add_argument("--healthy", action="store_true",
                        help="no collector fails: /1/report/all answers")
    OPTIONS.update(vars(parser.parse_args()))
    return bench_render.run(Bench())


if __name__ == "__main__":
    sys.exit(main())
