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

import re
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers
from tests.unit import snapshot_notes_checks

INDEX_URL = reverse("horizon:admin:ganeti_jobs:index")
OURS = ("horizon user=admin(u-1) project=admin(p-1)")


def _job(job_id, status="success", summary=None, reason=None, received=0,
         opresult=None, oplog=None):
    trail = [["gnt:library:rlib2:x", "", 1]]
    if reason:
        trail.insert(0, ["gnt:user", reason, 1])
    return {
        "id": job_id, "status": status,
        "summary": summary or ["INSTANCE_STARTUP(vm%d.test)" % job_id],
        "received_ts": [1795580000 + received, 0],
        "start_ts": [1795580001 + received, 0],
        "end_ts": None if status in ("queued", "running")
        else [1795580002 + received, 0],
        "ops": [{"OP_ID": "OP_INSTANCE_STARTUP", "reason": trail}],
        "opstatus": [status], "opresult": [opresult],
        "oplog": [oplog or []],
    }


FAILED = _job(3, "error", ["INSTANCE_MIGRATE(vm3.test)"], received=3,
              opresult=["OpPrereqError", [
                  "Can&#x27;t find any good node: ", "insufficient"]])
QUEUES = {
    "alpha": [_job(2, "running", reason=OURS, received=20),
              _job(1, reason="somebody else", received=1)],
    "beta": [FAILED,
             _job(4, summary=["<b>TAGS_SET</b>"], received=10)],
}


def _patched(failures=None, ids=None):
    """Patch the queue reads; records the ids each query asked for."""
    failures = failures or {}
    asked = {}

    def job_ids(self):
        if self.name in failures:
            raise failures[self.name]
        if ids is not None:
            return list(ids)
        return sorted((j["id"] for j in QUEUES[self.name]), reverse=True)

    def jobs(self, job_ids, fields=None):
        asked.setdefault(self.name, []).append(list(job_ids))
        return [j for j in QUEUES[self.name] if j["id"] in job_ids]

    patcher = mock.patch.multiple(rapi.RapiClient, job_ids=job_ids,
                                  jobs=jobs)
    patcher.asked = asked
    return patcher


class AdminJobsTests(test.BaseAdminViewTests):

    def test_lists_recent_jobs_of_every_cluster(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        # Newest first, across clusters.
        self.assertEqual(["alpha:2", "beta:4", "beta:3", "alpha:1"],
                         [r.id for r in rows])
        content = res.content.decode()
        self.assertIn("INSTANCE_STARTUP(vm2.test)", content)
        self.assertIn("admin (admin)", content)
        self.assertIn("somebody else", content)
        self.assertIn("Ganeti CLI or another client", content)
        self.assertIn("Can&#x27;t find any good node", content)
        self.assertNotIn("Can&amp;#x27;t", content)
        self.assertIn("&lt;b&gt;TAGS_SET&lt;/b&gt;", content)
        self.assertIn("Newest 500 jobs of each cluster", content)
        self.assertIn("Displaying 4 items, newest first", content)

    def test_times_are_short_as_horizon_shows_ages(self):
        # Not three "2026-12-03 21:40:56" columns wrapping over three
        # lines: the age as Horizon shows one, and how long it ran.
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        row = re.search(r'<tr[^>]*id="jobs__row__alpha:1".*?</tr>', content,
                        re.S).group(0)
        received = re.search(r'<td[^>]*ganeti-job-received[^>]*>(.*?)</td>',
                             row, re.S)
        self.assertIn("text-nowrap", received.group(0))
        self.assertRegex(received.group(1).strip(),
                         r'^<span data-seconds="\d+">\d+\xa0\w+')
        ran = re.search(r'<td[^>]*ganeti-job-ran-for[^>]*>(.*?)</td>', row,
                        re.S)
        self.assertEqual("1 s", ran.group(1).strip())
        self.assertNotRegex(row, r"\d{4}-\d\d-\d\d \d\d:")

    def test_running_rows_poll_and_finished_rows_do_not(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(INDEX_URL)
        content = res.content.decode()
        row = re.search(r'<tr[^>]*id="jobs__row__alpha:2"[^>]*>', content)
        self.assertIn("warning", row.group(0))
        self.assertIn("ajax-update", row.group(0))
        done = re.search(r'<tr[^>]*id="jobs__row__alpha:1"[^>]*>', content)
        self.assertNotIn("warning", done.group(0))

    def test_queue_reads_are_bounded(self):
        patcher = _patched(ids=range(9000, 0, -1))
        config = helpers.TWO_CLUSTERS.replace(
            "refresh_interval = 10", "refresh_interval = 10\njobs_listed = 40")
        with helpers.config_file(config), patcher:
            res = self.client.get(INDEX_URL)
            self.assertEqual(40, job_queue.listed_per_cluster())
        self.assertEqual(200, res.status_code)
        # One query per cluster, for the newest jobs_listed ids only.
        for cluster in ("alpha", "beta"):
            self.assertEqual([list(range(9000, 8960, -1))],
                             patcher.asked[cluster])
        self.assertIn("Newest 40 jobs of each cluster", res.content.decode())

    def test_one_cluster_down_names_it_and_shows_the_other(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(
                {"beta": errors.Unreachable("connection refused")}):
            res = self.client.get(INDEX_URL)
        self.assertEqual(["alpha:2", "alpha:1"],
                         [r.id for r in res.context["table"].data])
        self.assertContains(res, "beta could not be queried: connection "
                                 "refused")

    def test_cluster_filter_asks_only_that_cluster(self):
        patcher = _patched()
        with helpers.config_file(helpers.TWO_CLUSTERS), patcher:
            res = self.client.post(INDEX_URL, {
                "jobs__filter__q_field": "cluster",
                "jobs__filter__q": "beta"}, follow=True)
        self.assertEqual(["beta:4", "beta:3"],
                         [r.id for r in res.context["table"].data])
        self.assertEqual(["beta"], list(patcher.asked))

    def test_status_filter(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.post(INDEX_URL, {
                "jobs__filter__q_field": "status",
                "jobs__filter__q": "error"}, follow=True)
        self.assertEqual(["beta:3"],
                         [r.id for r in res.context["table"].data])

    def test_a_search_that_finds_nothing_says_to_change_it(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.post(INDEX_URL, {
                "jobs__filter__q_field": "status",
                "jobs__filter__q": "canceled"}, follow=True)
        self.assertEqual([], list(res.context["table"].data))
        self.assertContains(res, "No job matches the search")

    def test_row_update_reads_that_one_job(self):
        done = dict(QUEUES["alpha"][0], status="success")
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient, "job",
                                  return_value=done) as job, \
                mock.patch.object(rapi.RapiClient, "job_ids") as job_ids:
            res = self.client.get(
                INDEX_URL + "?action=row_update&table=jobs&obj_id=alpha:2",
                HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(200, res.status_code)
        job.assert_called_once_with(2)
        job_ids.assert_not_called()
        self.assertContains(res, "Success")
        self.assertNotIn("warning", re.search(r"<tr[^>]*>",
                                              res.content.decode()).group(0))

    def test_detail_shows_each_opcode(self):
        job = _job(80, summary=["INSTANCE_CREATE(vm.test)"],
                   opresult=["node1.test"],
                   oplog=[[1, [1795580379, 0], "message",
                           "* creating instance disks..."]])
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient, "job", return_value=job):
            res = self.client.get(reverse("horizon:admin:ganeti_jobs:detail",
                                          args=["alpha:80"]))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "OP_INSTANCE_STARTUP")
        self.assertContains(res, "* creating instance disks...")
        self.assertContains(res, "[&quot;node1.test&quot;]")
        self.assertContains(res, "INSTANCE_CREATE(vm.test)")
        self.assertContains(res, "Job alpha:80")

    def test_detail_of_failed_job_shows_ganetis_error(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient, "job",
                                  return_value=FAILED):
            res = self.client.get(reverse("horizon:admin:ganeti_jobs:detail",
                                          args=["beta:3"]))
        self.assertContains(res, "Can&#x27;t find any good node")
        self.assertContains(res, "ganeti-opcode-error")
        # A finished job offers no cancel.
        self.assertNotContains(res, "jobs__cancel__")

    def test_detail_of_unknown_job_redirects_with_message(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), \
                mock.patch.object(rapi.RapiClient, "job",
                                  side_effect=errors.NotFound("job 9 not "
                                                              "found")):
            res = self.client.get(reverse("horizon:admin:ganeti_jobs:detail",
                                          args=["alpha:9"]))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        res = self.client.get(reverse("horizon:admin:ganeti_jobs:detail",
                                      args=["nocluster:9"]))
        self.assertRedirectsNoFollow(res, INDEX_URL)

    def _cancel(self, after, answer=(False, "Job no longer waiting")):
        queued = _job(7, "queued", reason=OURS)
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(rapi.RapiClient, "job",
                                  side_effect=[queued, after]), \
                mock.patch.object(rapi.RapiClient, "cancel_job",
                                  return_value=list(answer)) as cancel:
            res = self.client.post(INDEX_URL,
                                   {"action": "jobs__cancel__alpha:7"},
                                   follow=True)
        return res, cancel

    def test_cancel_that_did_not_cancel_reports_the_real_status(self):
        res, cancel = self._cancel(_job(7, "running"))
        cancel.assert_called_once_with(7, reason=mock.ANY)
        self.assertTrue(cancel.call_args.kwargs["reason"]
                        .startswith("horizon user=test_user("))
        self.assertContains(res, "Job alpha:7 was not canceled: it is "
                                 "running now")
        self.assertContains(res, "Job no longer waiting")
        self.assertNotContains(res, "Job alpha:7 canceled")

    def test_cancel_that_canceled(self):
        res, _ = self._cancel(_job(7, "canceled"),
                              answer=(True, "Job 7 canceled"))
        self.assertContains(res, "Job alpha:7 canceled.")

    def test_cancel_of_a_finished_job_is_refused_without_asking_ganeti(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(rapi.RapiClient, "job",
                                  return_value=QUEUES["alpha"][1]), \
                mock.patch.object(rapi.RapiClient, "cancel_job") as cancel:
            res = self.client.post(INDEX_URL,
                                   {"action": "jobs__cancel__alpha:1"},
                                   follow=True)
        cancel.assert_not_called()
        self.assertContains(res, "Job alpha:1 cannot be canceled: it is "
                                 "success.")

    def test_cancel_does_not_list_every_queue_first(self):
        patcher = _patched()
        with helpers.config_file(helpers.TWO_CLUSTERS), patcher, \
                mock.patch.object(rapi.RapiClient, "job",
                                  side_effect=[_job(7, "waiting"),
                                               _job(7, "canceled")]), \
                mock.patch.object(rapi.RapiClient, "cancel_job",
                                  return_value=[True, "ok"]):
            res = self.client.post(INDEX_URL,
                                   {"action": "jobs__cancel__alpha:7"})
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertEqual({}, patcher.asked)

    def test_cancel_refused_by_ganeti_shows_its_text(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(rapi.RapiClient, "job",
                                  return_value=_job(7, "queued")), \
                mock.patch.object(
                    rapi.RapiClient, "cancel_job",
                    side_effect=errors.Forbidden(
                        "cluster alpha is configured read-only")):
            res = self.client.post(INDEX_URL,
                                   {"action": "jobs__cancel__alpha:7"},
                                   follow=True)
        self.assertContains(res, "Job alpha:7: cluster alpha is configured "
                                 "read-only")

    def test_admin_sees_the_panel_in_the_menu(self):
        res = self.client.get(reverse("horizon:settings:user:index"))
        self.assertContains(res, "/admin/ganeti_jobs/")

    def test_missing_config_file_is_a_message_not_a_500(self):
        with helpers.config_file("") as path:
            pass
        with self.settings(GANETI_DASHBOARD_CONFIG=path):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "does not exist")


class JobsSnapshotNotesTests(snapshot_notes_checks.SnapshotNotesChecks,
                             test.BaseAdminViewTests):
    """What the list says of a cluster it cannot show as it is now; on
    the fake RAPI, each cluster with one job (a tag change).
    """

    URL = INDEX_URL
    KIND = job_queue.SNAPSHOT.name

    def setUp(self):
        super().setUp()
        for name in ("alpha", "beta"):
            clusters.client(name).add_cluster_tags(["seen"])


class AdminJobsMemberTests(test.TestCase):
    """A project member (no admin role) has no Jobs panel."""

    def test_member_cannot_open_jobs(self):
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched():
            res = self.client.get(INDEX_URL)
            nav = self.client.get(reverse("horizon:settings:user:index"))
        self.assertNotEqual(200, res.status_code)
        self.assertNotIn(b"INSTANCE_STARTUP", res.content)
        self.assertEqual(200, nav.status_code)
        self.assertNotIn(b"/admin/ganeti_jobs/", nav.content)
