"""Who started a job whose reason Ganeti drops (reinstall): a starter tag
on the instance, shown by the operations tab and the Jobs panel."""

import types
from unittest import mock

from django.test import SimpleTestCase

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import jobs
from ganeti_dashboard.api import models
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api.rapi import check_ascii
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance

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
            tag = jobs.starter_tag(_request(username, project), 4711)
            self.assertRegex(tag, TAG_RE)
            check_ascii(tag, "tag")
            found = jobs.recorded_starters(["other", tag])[4711]
            self.assertEqual("u" * 32, found["user_id"])
        tag = jobs.starter_tag(_request(), 12)
        self.assertEqual({"user": "demo-member", "user_id": "u" * 32,
                          "project": "demo"},
                         jobs.recorded_starters([tag])[12])

    def test_who_prefers_the_reason_then_the_tag(self):
        job = models.Job("alpha", {"id": 3, "status": "success", "ops": [
            {"OP_ID": "OP_INSTANCE_REINSTALL", "instance_name": "vm1"}]})
        self.assertEqual("Ganeti CLI or another client", job_queue.who(job))
        job.starter = {"user": "demo-member", "project": "demo",
                       "user_id": "x"}
        self.assertEqual("demo-member (demo)", job_queue.who(job))


class ReinstallRecordsItsStarterTests(SimpleTestCase):

    def setUp(self):
        super().setUp()
        self.conf = helpers.config_file(helpers.TWO_CLUSTERS)
        self.conf.__enter__()
        self.addCleanup(self.conf.__exit__, None, None, None)
        old = ["openstack:job:%d:u:x@y" % n for n in range(1, 6)]
        self.data = _instance("vm1.alpha", "p1", tags=[
            "openstack:project:p1"] + old)
        for name, value in (("instance", lambda c, n: self.data),
                            ("reinstall_instance", mock.Mock(
                                return_value=40))):
            patch = mock.patch.object(rapi.RapiClient, name, value)
            patch.start()
            self.addCleanup(patch.stop)
        self.add = mock.patch.object(rapi.RapiClient, "add_instance_tags",
                                     return_value=41).start()
        self.delete = mock.patch.object(
            rapi.RapiClient, "delete_instance_tags", return_value=42).start()
        self.addCleanup(mock.patch.stopall)

    def test_reinstall_tags_the_starter_and_keeps_the_newest(self):
        request = _request()
        job_id = instance_api.act(request, instance_api.ALL,
                                  "alpha:vm1.alpha", "reinstall",
                                  os_name="noop")
        self.assertEqual(40, job_id)
        (name, tags), kwargs = self.add.call_args
        self.assertEqual(["openstack:job:40:%s:demo-member@demo"
                          % ("u" * 32)], tags)
        self.assertEqual(jobs.reason(request), kwargs["reason"])
        (name, stale), _kwargs = self.delete.call_args
        self.assertEqual(["openstack:job:1:u:x@y"], stale)

    def test_a_failed_tag_does_not_fail_the_reinstall(self):
        self.add.side_effect = errors.Forbidden(None, "alpha")
        with self.assertLogs("ganeti_dashboard.api.jobs", "WARNING"):
            self.assertEqual(40, instance_api.act(
                _request(), instance_api.ALL, "alpha:vm1.alpha",
                "reinstall", os_name="noop"))

    def test_other_actions_tag_nothing(self):
        with mock.patch.object(rapi.RapiClient, "startup_instance",
                               return_value=43):
            instance_api.act(_request(), instance_api.ALL,
                             "alpha:vm1.alpha", "start")
        self.add.assert_not_called()

    def test_jobs_list_reads_starters_in_one_query(self):
        reinstall = {"id": 40, "status": "success", "summary": [
            "INSTANCE_REINSTALL(vm1.alpha)"], "ops": [
            {"OP_ID": "OP_INSTANCE_SHUTDOWN", "instance_name": "vm1.alpha"},
            {"OP_ID": "OP_INSTANCE_REINSTALL", "instance_name": "vm1.alpha"}]}
        tagged = {"name": "vm1.alpha", "tags": [
            jobs.starter_tag(_request(), 40)]}
        with mock.patch.object(rapi.RapiClient, "job_ids",
                               return_value=[40]), \
                mock.patch.object(rapi.RapiClient, "jobs",
                                  return_value=[reinstall]), \
                mock.patch.object(rapi.RapiClient, "query",
                                  return_value=[tagged]) as query:
            found, failures = job_queue.list_recent(["alpha"])
        self.assertEqual({}, failures)
        self.assertEqual("demo-member (demo)", job_queue.who(found[0]))
        query.assert_called_once_with(
            "instance", ("name", "tags"),
            ["&", ["|", ["=", "name", "vm1.alpha"]]])
