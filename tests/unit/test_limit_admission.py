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

"""Limits hold under concurrent requests: the check and the job it admits
run under the project's lease, and admitted jobs count until they end.
"""

import threading
import time
import types
from unittest import mock

from django.core.cache import cache
from django.test import SimpleTestCase

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.test import helpers

PROJECT = "p-demo"


class _Cluster:
    """What RAPI says: the project's listed instances and its jobs."""

    def __init__(self):
        self.listed = [{"name": "old.alpha", "be/vcpus": 1,
                        "be/maxmem": 128, "disk.sizes": []}]
        self.jobs = {}
        self.results = {}
        self.next_job = 100

    def query(self, client, resource, fields, qfilter=None):
        time.sleep(0.01)  # RAPI takes its time: room for a race
        return [dict(row) for row in self.listed]

    def job(self, client, job_id):
        if job_id not in self.jobs:
            raise errors.NotFound("not found", client.name)
        return {"id": job_id, "status": self.jobs[job_id],
                "opresult": [self.results.get(job_id)]}


class AdmissionTests(SimpleTestCase):

    def setUp(self):
        super().setUp()
        cache.clear()
        self.cluster = _Cluster()
        self.request = types.SimpleNamespace()
        limited = limits.ProjectLimits(PROJECT, "svc", {"instances": 2},
                                       {"instances": 2}, {})
        self.project_limits = mock.Mock(return_value=limited)
        for patch in (
                mock.patch.object(limits, "project_limits",
                                  self.project_limits),
                mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"}),
                mock.patch.object(rapi.RapiClient, "query",
                                  lambda client, *args, **kwargs:
                                  self.cluster.query(client, *args)),
                mock.patch.object(rapi.RapiClient, "job",
                                  lambda client, job_id:
                                  self.cluster.job(client, job_id))):
            patch.start()
            self.addCleanup(patch.stop)
        self.conf = helpers.config_file(helpers.TWO_CLUSTERS)
        self.conf.__enter__()
        self.addCleanup(self.conf.__exit__, None, None, None)

    def _start_create(self, name):
        def start():
            time.sleep(0.02)
            job_id = self.cluster.next_job = self.cluster.next_job + 1
            self.cluster.jobs[job_id] = "running"
            return "alpha", [job_id], name
        return start

    def _admit(self, name):
        return limits.admit(self.request, PROJECT,
                            limits.Delta(instances=1), self._start_create(
                                name))

    def test_a_running_create_counts_until_its_job_ends(self):
        self._admit("new1.alpha")
        with self.assertRaises(limits.LimitExceeded):
            self._admit("new2.alpha")
        # Listed now, job still running: counted once, not twice.
        self.cluster.listed.append({"name": "new1.alpha", "be/vcpus": 1,
                                    "be/maxmem": 128, "disk.sizes": []})
        scope = scope_api.for_project(self.request, PROJECT)
        self.assertEqual(2, limits.counted_usage(scope).instances)
        # The job failed: Ganeti never made it, and it counts no more.
        self.cluster.listed.pop()
        self.cluster.jobs[101] = "error"
        self.assertEqual(1, limits.counted_usage(scope).instances)
        self._admit("new3.alpha")

    def test_concurrent_admissions_never_pass_the_limit(self):
        # Room for one more: 20 requests at the same moment.
        outcomes = []
        gate = threading.Barrier(20)

        def one(i):
            gate.wait()
            try:
                self._admit("c%d.alpha" % i)
                outcomes.append("admitted")
            except limits.LimitExceeded:
                outcomes.append("refused")

        threads = [threading.Thread(target=one, args=(i,))
                   for i in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(1, outcomes.count("admitted"), outcomes)
        self.assertEqual(19, outcomes.count("refused"))

    def _start_batch(self, names):
        def start():
            time.sleep(0.02)
            job_id = self.cluster.next_job = self.cluster.next_job + 1
            self.cluster.jobs[job_id] = "running"
            return "alpha", [job_id], list(names)
        return start

    def _admit_batch(self, *names):
        return limits.admit(self.request, PROJECT,
                            limits.Delta(instances=len(names),
                                         vcpus=len(names)),
                            self._start_batch(names), batch=True)

    def test_concurrent_batches_never_pass_the_limit(self):
        # Room for two more (limit 4, one used): ten batches of two at the
        # same moment; one gets in.
        self.project_limits.return_value = limits.ProjectLimits(
            PROJECT, "svc", {"instances": 4}, {"instances": 4}, {})
        outcomes = []
        gate = threading.Barrier(10)

        def one(i):
            gate.wait()
            try:
                self._admit_batch("b%d-1.alpha" % i, "b%d-2.alpha" % i)
                outcomes.append("admitted")
            except limits.LimitExceeded:
                outcomes.append("refused")

        threads = [threading.Thread(target=one, args=(i,))
                   for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        self.assertEqual(1, outcomes.count("admitted"), outcomes)
        self.assertEqual(9, outcomes.count("refused"))

    def test_a_batch_counts_through_its_create_jobs_per_instance(self):
        self.project_limits.return_value = limits.ProjectLimits(
            PROJECT, "svc", {"instances": 5}, {"instances": 5}, {})
        scope = scope_api.for_project(self.request, PROJECT)
        self._admit_batch("m1.alpha", "m2.alpha", "m3.alpha")
        multi = self.cluster.next_job
        self.assertEqual(4, limits.counted_usage(scope).instances)
        # The multi-allocation job ends, having placed two of three; their
        # create jobs run and one instance is listed already.
        self.cluster.jobs[multi] = "success"
        self.cluster.jobs.update({201: "running", 202: "running"})
        self.cluster.results[multi] = {
            "allocatable": ["m1.alpha", "m3.alpha"], "failed": ["m2.alpha"],
            "jobs": [[True, 201], [True, 202]]}
        self.cluster.listed.append({"name": "m1.alpha", "be/vcpus": 1,
                                    "be/maxmem": 128, "disk.sizes": []})
        used = limits.counted_usage(scope)
        self.assertEqual((3, 3), (used.instances, used.vcpus))
        # Its create jobs end: only what Ganeti lists counts.
        self.cluster.jobs.update({201: "success", 202: "error"})
        self.assertEqual(2, limits.counted_usage(scope).instances)
        self.assertEqual([], cache.get(
            "ganeti-dashboard:limits-reserved:%s" % PROJECT))

    def test_a_held_lease_makes_others_wait_then_say_so(self):
        with limits.lease(PROJECT):
            with self.assertRaises(limits.LimitError) as caught:
                with limits.lease(PROJECT, wait=0.2):
                    pass
        self.assertIn("try again", str(caught.exception))
        with limits.lease(PROJECT, wait=0.2):
            pass  # released by its holder

    def test_a_dead_holder_frees_the_lease_by_its_ttl(self):
        cache.add("ganeti-dashboard:limits-lease:%s" % PROJECT, "dead", 1)
        with limits.lease(PROJECT, wait=5):
            pass

    def test_usage_of_a_cluster_that_fails_refuses(self):
        def down(client, *args, **kwargs):
            raise errors.Unreachable("connection refused", client.name)
        with mock.patch.object(rapi.RapiClient, "query", down):
            with self.assertRaises(limits.LimitError):
                self._admit("x.alpha")
        self.assertEqual({}, self.cluster.jobs)

    def test_no_limits_or_no_owner_need_no_lease(self):
        start = mock.Mock(return_value=("alpha", [5], None))
        with limits.lease(PROJECT):
            limits.admit(self.request, None, limits.Delta(instances=1),
                         start)
            limits.admit(self.request, PROJECT, limits.Delta(vcpus=-1),
                         start)
        self.assertEqual(2, start.call_count)
