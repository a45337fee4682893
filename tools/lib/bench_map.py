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

"""What the cluster map's JSON endpoint costs on a large cluster.

Prints figures, asserts nothing; needs no stack, no root, no network::

    PYTHONPATH=. python tools/lib/bench_map.py [--instances 5000]
        [--nodes 20] [--groups 2] [--rounds 30]

One cluster (alpha) of ``--nodes`` nodes in ``--groups`` node groups and
``--instances`` synthetic instances, every other one DRBD with its
secondary on the next node. Its node and instance snapshots are written
into the cache as a refresh writes them (JSON, compressed, in chunks:
``api.snapshots``), so the endpoint reads them as on a site; the cache is
the unit-test settings' local memory one, not memcached. As Horizon's
test admin (Django's test client), in ms, the median and the fastest of
``--rounds`` after a warm-up:

- ``map, cold``: the map after this process forgot the decoded snapshots
  and the built map (a new generation: decode both, build);
- ``map``: the map again (the usual view: nothing to decode or build);
- ``node page``: one page of a node's instances (``?node=&page=``);
- ``build``: ``api.cluster_map.build`` alone.

Wall time of the request (the thread's CPU time beside it), and the size
of each answer.
"""

import argparse
import os
import statistics
import sys
import time
import unittest
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)
os.environ.setdefault("DJANGO_SETTINGS_MODULE",
                      "ganeti_dashboard.test.settings")

import django  # noqa: E402

django.setup()

from django.test import utils as test_utils  # noqa: E402
from django.urls import reverse  # noqa: E402

from openstack_dashboard.test import helpers as test  # noqa: E402

from ganeti_dashboard.api import cluster_map  # noqa: E402
from ganeti_dashboard.api import instances as instance_api  # noqa: E402
from ganeti_dashboard.api import nodes as node_api  # noqa: E402
from ganeti_dashboard.api import snapshots  # noqa: E402
from ganeti_dashboard.test import helpers  # noqa: E402

OPTIONS = {}
# Snapshots that stay fresh for the whole run: no refresh is tried.
CONFIG = helpers.TWO_CLUSTERS.replace(
    "refresh_interval = 10",
    "refresh_interval = 86400\nmax_snapshot_age = 172800")


def synthetic(nodes, instances, groups):
    """``(node snapshot data, instance rows)`` of one cluster."""
    listed = []
    for i in range(nodes):
        listed.append({
            "name": "node%03d.example.test" % i,
            "group.uuid": "uuid-group-%d" % (i % groups),
            "role": "M" if i == 0 else ("C" if i < 10 else "R"),
            "offline": False, "drained": False,
            "mtotal": 262144, "mfree": 262144 - 2048 * (i % 120),
            "dtotal": 4194304, "dfree": 4194304 // (1 + i % 12),
            "ctotal": 64})
    names = [n["name"] for n in listed]
    rows = []
    for i in range(instances):
        data = dict.fromkeys(instance_api.FIELDS)
        drbd = bool(i % 2)
        data.update({
            "name": "instance%05d.example.test" % i,
            "status": ("running", "ADMIN_down", "ERROR_down")[i % 3],
            "admin_state": "up", "pnode": names[i % nodes],
            "snodes": [names[(i + 1) % nodes]] if drbd else [],
            "os": "debootstrap+default",
            "tags": ["openstack:project:p-%d" % (i % 25)],
            "disk_template": "drbd" if drbd else "diskless",
            "be/vcpus": 1 + i % 4, "be/maxmem": 512 * (1 + i % 8),
            "disk.sizes": [10240] if drbd else [],
            "nic.ips": ["10.%d.%d.%d" % (i // 65536, i // 256 % 256,
                                         i % 256)],
            "disk_usage": 10240 if drbd else 0})
        rows.append(tuple(data[f] for f in instance_api.FIELDS))
    groups_named = {"uuid-group-%d" % g: "group%d" % g
                    for g in range(groups)}
    return (listed, groups_named), sorted(rows)


def _store(cluster, kind_name, data):
    """Write ``data`` as the cluster's snapshot of ``kind_name``, as a
    refresh does (the fetch is the data itself).
    """
    snapshots._refresh(cluster, snapshots.Kind(kind_name,
                                               lambda client: data),
                       (uuid.uuid4().hex, time.time()))


class Bench(test.BaseAdminViewTests):

    def runTest(self):
        node_data, rows = synthetic(OPTIONS["nodes"], OPTIONS["instances"],
                                    OPTIONS["groups"])
        url = reverse("horizon:admin:ganeti_clusters:map", args=["alpha"])
        node = node_data[0][0]["name"]
        with helpers.config_file(CONFIG), \
                test_utils.override_settings(ALLOWED_HOSTS=["testserver"]):
            _store("alpha", node_api.SNAPSHOT.name, node_data)
            _store("alpha", instance_api.SNAPSHOT.name, rows)
            print("cluster map of %d instances on %d nodes in %d groups; "
                  "%d rounds" % (len(rows), OPTIONS["nodes"],
                                 OPTIONS["groups"], OPTIONS["rounds"]))
            print("%-12s %17s %17s %9s" % ("", "wall ms", "CPU ms",
                                           "bytes"))
            print("%-12s %17s %17s" % ("", "median     min",
                                       "median     min"))

            def cold():
                snapshots.forget_decoded()
                cluster_map.forget()
                return self.client.get(url)

            self._measure("map, cold", cold)
            self._measure("map", lambda: self.client.get(url))
            page = 1 + OPTIONS["instances"] // OPTIONS["nodes"] // 100
            self._measure("node page", lambda: self.client.get(
                url + "?node=%s&page=%d" % (node, page)))
            self._measure("build", lambda: cluster_map.build(node_data,
                                                             rows))

    def _measure(self, label, call):
        walls, cpus, size = [], [], None
        for i in range(OPTIONS["rounds"] + 1):
            wall, cpu = time.perf_counter(), time.thread_time()
            res = call()
            cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
            if hasattr(res, "status_code"):
                assert res.status_code == 200, res.status_code
                assert b'"error"' not in res.content, res.content[:200]
                size = len(res.content)
            if i:
                walls.append(wall)
                cpus.append(cpu)
        print("%-12s %s %s %9s" % (label, _ms(walls), _ms(cpus),
                                   size if size is not None else "-"))


def _ms(times):
    return "%8.1f %8.1f" % (1000 * statistics.median(times),
                            1000 * min(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=5000)
    parser.add_argument("--nodes", type=int, default=20)
    parser.add_argument("--groups", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=30)
    OPTIONS.update(vars(parser.parse_args()))
    from django.db import connection
    connection.creation.create_test_db(verbosity=0)
    result = unittest.TextTestRunner(verbosity=0, stream=sys.stderr).run(
        unittest.TestSuite([Bench()]))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
