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

"""A node's ganeti-mond (Ganeti 3.0.2), answered by the fake transport.

As measured on the sandbox nodes: ``/1/list/collectors`` lists five
collectors, each ``/1/report/<category>/<name>`` answers one report, the
``diskstats`` and ``drbd`` collectors fail with HTTP 500 there (so
``failing`` holds them by default), and ``/1/report/all`` answers HTTP 500
as soon as one collector fails. Installed with
``FakeGaneti.add_mond(address)`` (or ``add_monds(cluster)``: one per node,
at its primary address).

``mond.fail(fault)`` makes the whole daemon misbehave ("refused",
"connect-timeout", "hanging"); ``mond.failing[name] = 500`` (or
"hanging") one collector.
"""

import copy
import json
import threading
import time

COLLECTORS = [["cpu-avg-load", "default", 0],
              ["xen-cpu-avg-load", "default", 0],
              ["diskstats", "storage", 0], ["drbd", "storage", 1],
              ["lv", "storage", 0]]
FAILURE = (b"A web handler threw an exception. Details:\nExitFailure 1")
DATA = {
    "cpu-avg-load": {"cpu_number": 2, "cpus": [0.25, 0.35],
                     "cpu_total": 0.6},
    "xen-cpu-avg-load": {},
    "lv": [{"lv_name": "disk0", "vg_name": "xenvg", "lv_size": 1024.0,
            "lv_attr": "-wi-ao----", "instance": "web1.example.test",
            "lv_uuid": "x"}],
    "drbd": {"versionInfo": {"k_major": 8}, "device": [
        {"minor": 0, "connectionState": "Connected",
         "localRole": "Primary", "remoteRole": "Secondary",
         "localState": "UpToDate", "remoteState": "UpToDate",
         "instance": "web1.example.test", "perfIndicators": {"ns": 1}}]},
    "diskstats": [{"major": 8, "minor": 0, "name": "sda", "readsNum": 10,
                   "mergedReads": 1, "secRead": 80, "timeRead": 5,
                   "writes": 20, "mergedWrites": 2, "secWritten": 160,
                   "timeWrite": 7, "ios": 0, "timeIO": 12,
                   "wIOmillis": 13}],
}
FAULTS = ("refused", "connect-timeout", "hanging")


class FakeMond:
    def __init__(self, address, port=1815):
        self.address, self.port = address, port
        self.collectors = copy.deepcopy(COLLECTORS)
        self.data = copy.deepcopy(DATA)
        self.failing = {"diskstats": 500, "drbd": 500}
        self.fault = None
        self.lock = threading.Lock()
        self.paths = []  # paths answered
        self.attempts = []  # (path, fault or None) of every request
        # Seconds each answer takes (the transport sleeps, unlocked).
        self.delay = 0.0

    def fail(self, fault):
        if fault not in FAULTS:
            raise ValueError("unknown fault %r" % (fault,))
        self.fault = fault

    def heal(self):
        self.fault = None
        self.failing = {}

    def set_cpu(self, cpus):
        self.data["cpu-avg-load"] = {"cpu_number": len(cpus),
                                     "cpus": list(cpus),
                                     "cpu_total": sum(cpus)}

    def _report(self, name, category):
        return {"name": name, "version": "B", "format_version": 1,
                "timestamp": time.time_ns(),
                "category": None if category == "default" else category,
                "kind": 0, "data": self.data.get(name)}

    def fault_for(self, path):
        """A fault of the daemon, or of the collector ``path`` asks for."""
        if self.fault:
            return self.fault
        for name, _category, _kind in self.collectors:
            if path.endswith("/" + name) and \
                    self.failing.get(name) == "hanging":
                return "hanging"
        return None

    def answer(self, path):
        """``(status, body bytes)`` of a GET of ``path``."""
        with self.lock:
            self.paths.append(path)
        if path == "/1/list/collectors":
            return 200, json.dumps(self.collectors).encode()
        if path == "/1/report/all":
            if any(self.failing.get(c[0]) for c in self.collectors):
                return 500, FAILURE
            return 200, json.dumps([self._report(n, c) for n, c, _k
                                    in self.collectors]).encode()
        for name, category, _kind in self.collectors:
            if path == "/1/report/%s/%s" % (category, name):
                status = self.failing.get(name)
                if isinstance(status, int):
                    return status, FAILURE
                return 200, json.dumps(self._report(name,
                                                    category)).encode()
        return 404, b"Not found"
