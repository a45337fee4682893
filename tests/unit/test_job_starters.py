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

"""Who started a job whose reason Ganeti drops (reinstall): a starter tag
on the instance, shown by the operations tab and the Jobs panel.
"""

import types

from django.test import SimpleTestCase

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models
from ganeti_dashboard.api.rapi import check_ascii
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.test import helpers

TAG_RE = r"^[A-Za-z0-9.+*/:@_-]{1,128}$"


def _request(username="demo-member", project="demo", user_id="u" * 32):
    user = types.SimpleNamespace(username=username, id=user_id,
                                 project_name=project, project_id="p1")
    return types.SimpleNamespace(user=user)


class StarterTagTests(SimpleTestCase):

    def test_tag_is_ganeti_safe_and_read_back(self):
        for username, project in (("demo-member", "demo"),
                                  ("J\u00fcrgen (ops)", "d\u00e9mo:x@y"),
                                  ("u" * 200, "p" * 200)):
            tag = job_starters.starter_tag(_request(username, project), 4711)
            self.assertRegex(tag, TAG_RE)
            check_ascii(tag, "tag")
            found = job_starters.recorded_starters(["other", tag])[4711]
            self.assertEqual("u" * 32, found["user_id"])
        tag = job_starters.starter_tag(_request(), 12)
        self.assertEqual({"user": "demo-member", "user_id": "u" * 32,
                          "project": "demo"},
                         job_starters.recorded_starters([tag])[12])

    def test_who_prefers_the_reason_then_the_tag(self):
        job = models.Job("alpha", {"id": 3, "status": "success", "ops": [
            {"OP_ID": "OP_INSTANCE_REINSTALL", "instance_name": "vm1"}]})
        self.assertEqual("Ganeti CLI or another client", job_starters.who(job))
        job.starter = {"user": "demo-member", "project": "demo",
                       "user_id": "x"}
        self.assertEqual("demo-member (demo)", job_starters.who(job))


OLD_STARTERS = ["openstack:job:%d:u:x@y" % n for n in range(1, 6)]


class ReinstallRecordsItsStarterTests(helpers.FakeRapiMixin,
                                      SimpleTestCase):
    """Against the fake RAPI, which drops a reinstall's reason as Ganeti
    does; vm1.alpha already has the five starter tags kept at most.
    """

    def make_fake(self):
        fake = super().make_fake()
        for name in ("vm1.alpha", "vm2.alpha"):
            fake["alpha"].add_instance(
                name, disk_template="file", disks=[1024],
                tags=["openstack:project:p1"]
                + (OLD_STARTERS if name == "vm1.alpha" else []))
        return fake

    def writes(self):
        return [(r.method, r.path, r.values("tag"))
                for r in self.fake.writes()]

    def test_reinstall_tags_the_starter_and_keeps_the_newest(self):
        request = _request()
        job_id = instance_api.act(request, scope_api.ALL,
                                  "alpha:vm1.alpha", "reinstall",
                                  os_name="noop")
        tag = "openstack:job:%d:%s:demo-member@demo" % (job_id, "u" * 32)
        self.assertEqual([
            ("POST", "/2/instances/vm1.alpha/reinstall", []),
            ("PUT", "/2/instances/vm1.alpha/tags", [tag]),
            ("DELETE", "/2/instances/vm1.alpha/tags",
             ["openstack:job:1:u:x@y"])], self.writes())
        for write in self.fake.writes()[1:]:
            self.assertEqual(job_starters.reason(request),
                             write.query["reason"])
        self.assertEqual(sorted(["openstack:project:p1", tag]
                                + OLD_STARTERS[1:]),
                         self.fake["alpha"].instances["vm1.alpha"]["tags"])
        # Ganeti kept no reason on the reinstall's job: the tag tells.
        job = job_queue.get("alpha:%d" % job_id)
        self.assertIsNone(job.reason)
        self.assertEqual("demo-member (demo)", job_starters.who(job))

    def test_a_failed_tag_does_not_fail_the_reinstall(self):
        self.fake["alpha"].fail(403, path="/tags$")
        with self.assertLogs("ganeti_dashboard.api.job_starters", "WARNING"):
            job_id = instance_api.act(
                _request(), scope_api.ALL, "alpha:vm1.alpha",
                "reinstall", os_name="noop")
        self.assertEqual("success", self.fake["alpha"].job(job_id).status)

    def test_other_actions_tag_nothing(self):
        # (vm1 runs: starting it would be refused, with nothing sent.)
        instance_api.act(_request(), scope_api.ALL, "alpha:vm1.alpha",
                         "shutdown")
        self.assertEqual([("PUT", "/2/instances/vm1.alpha/shutdown", [])],
                         self.writes())

    def test_jobs_list_reads_starters_in_one_query(self):
        started = {}
        for name, user in (("vm1.alpha", "demo-member"),
                           ("vm2.alpha", "other-member")):
            started[instance_api.act(
                _request(username=user), scope_api.ALL,
                "alpha:" + name, "reinstall", os_name="noop")] = user
        self.fake.reset_requests()
        found, snapshots = job_queue.list_recent(["alpha"])
        self.assertTrue(snapshots["alpha"].available)
        self.assertIsNone(snapshots["alpha"].error)
        who = {job.job_id: job_starters.who(job) for job in found}
        for job_id, user in started.items():
            self.assertEqual("%s (demo)" % user, who[job_id])
        (query,) = [r for r in self.fake.requests
                    if r.path == "/2/query/instance"]
        self.assertEqual({"fields": ["name", "tags"], "filter": [
            "&", ["|", ["=", "name", "vm1.alpha"],
                  ["=", "name", "vm2.alpha"]]]}, query.body)
