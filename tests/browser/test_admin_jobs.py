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

"""Admin > Ganeti > Jobs in a real browser against the real clusters."""

import os
import re
import subprocess
import time
import uuid

import pytest

from ganeti_dashboard.api import errors
from tests.browser.conftest import ADMIN
from tests.browser.conftest import REPO
from tests.browser.test_admin_instances import _confirm
from tests.browser.test_admin_instances import _dismiss_messages

pytestmark = pytest.mark.browser

SETTLE = 90_000  # ms: rows poll until their job ends
SANDBOX = os.path.join(REPO, "tools", "ganeti-sandbox")


def _open(page, horizon_url):
    """Open the Jobs page; return its messages, then clear them away."""
    page.goto(horizon_url + "/admin/ganeti_jobs/")
    page.wait_for_load_state("networkidle")
    messages = page.locator(".messages").inner_text()
    _dismiss_messages(page)
    return messages


def _open_showing(page, horizon_url, cluster, job_id):
    """Open the Jobs page until it lists the job. A job another client
    started shows once the cluster's jobs snapshot is next refreshed:
    the first page past ``refresh_interval`` (the test's 10 s) serves the
    old snapshot and refreshes it behind, so the page is reloaded, with a
    bound, until the refresh has it.
    """
    deadline = time.monotonic() + 60
    while True:
        messages = _open(page, horizon_url)
        if _row(page, cluster, job_id).count():
            return messages
        assert time.monotonic() < deadline, (
            "job %s:%d not listed within 60 s" % (cluster, job_id))
        page.wait_for_timeout(1000)


def _row(page, cluster, job_id):
    return page.locator('#jobs tbody tr[data-object-id="%s:%d"]'
                        % (cluster, job_id))


def _status_cell(row, label):
    return row.locator("td", has_text=re.compile(r"^\s*(?:%s)\s*$" % label))


def _delay(seconds, reason):
    """A TEST_DELAY job on the sandbox's master, which holds the master
    node's lock while it runs: RAPI has no way to start a job that stays
    running or waiting, so the test uses Ganeti's own CLI on the node.
    """
    done = subprocess.run(
        [SANDBOX, "exec", "gnt-debug", "delay", "--submit",
         "--reason", reason, str(seconds)],
        capture_output=True, text=True, timeout=60, check=True)
    return int(re.search(r"JobID: (\d+)",
                         done.stdout + done.stderr).group(1))


def test_create_job_listed_with_detail_and_no_cancel(
        login, horizon_url, rapi_client, made_instance):
    name = made_instance()
    job_id = max(j["id"] for j in rapi_client.jobs(
        rapi_client.job_ids()[:50], ("id", "summary"))
        if "INSTANCE_CREATE(%s)" % name in j["summary"])
    page = login(ADMIN)
    messages = _open_showing(page, horizon_url, "sandbox", job_id)
    # The broken clusters are named; the sandboxes are still listed.
    assert "zz-down could not be queried: connection refused" in messages
    assert "Newest 500 jobs of each cluster" in page.content()
    row = _row(page, "sandbox", job_id)
    text = row.inner_text()
    assert "INSTANCE_CREATE(%s)" % name in text
    assert "Success" in text
    assert "Ganeti CLI or another client" in text  # made through RAPI
    # A finished job offers no cancel.
    assert row.locator("button", has_text="Cancel Job").count() == 0

    row.locator("a", has_text=re.compile(r"^%d$" % job_id)).click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/admin/ganeti_jobs/sandbox:%d/" % job_id)
    opcodes = page.locator(".ganeti-opcodes").inner_text()
    assert "OP_INSTANCE_CREATE" in opcodes
    assert "Success" in opcodes
    assert "adding instance %s to cluster config" % name in opcodes
    assert page.errors == []


def test_failed_job_shows_ganetis_error(login, horizon_url, rapi_client,
                                        made_instance):
    name = made_instance()
    job_id = rapi_client.migrate_instance(name)
    with pytest.raises(errors.JobFailed) as failed:
        rapi_client.wait_for_job(job_id, timeout=60)
    assert "Can't find any good node" in str(failed.value)
    page = login(ADMIN)
    _open_showing(page, horizon_url, "sandbox", job_id)
    text = _row(page, "sandbox", job_id).inner_text()
    assert "Error" in text
    assert "Can't find any good node" in text

    page.goto(horizon_url + "/admin/ganeti_jobs/sandbox:%d/" % job_id)
    page.wait_for_load_state("networkidle")
    assert "Can't find any good node" in page.locator(
        ".ganeti-job-error").inner_text()
    assert "Error" in page.locator(".ganeti-opcodes").inner_text()


def test_running_row_settles_and_waiting_job_is_canceled(
        login, horizon_url, rapi_client):
    page = login(ADMIN)
    reason = "gdweb-jobs-test-%s" % uuid.uuid4().hex[:8]
    holder = _delay(30, reason)
    waiter = _delay(1, reason)
    try:
        _open_showing(page, horizon_url, "sandbox", waiter)
        holder_row = _row(page, "sandbox", holder)
        _status_cell(holder_row, "Running").wait_for(timeout=20_000)
        assert reason in holder_row.inner_text()  # another client's reason
        waiter_row = _row(page, "sandbox", waiter)
        _status_cell(waiter_row, "Waiting|Queued").wait_for(timeout=20_000)
        assert holder_row.locator("button",
                                  has_text="Cancel Job").count() == 0

        _dismiss_messages(page)
        waiter_row.locator("button", has_text="Cancel Job").click()
        _confirm(page)
        message = page.locator(".messages").inner_text()
        real = rapi_client.job(waiter)["status"]
        # The page says what became of the job, as Ganeti reports it.
        if rapi_client.job(holder)["status"] == "running":
            # The waiter could not have started: Ganeti dequeued it.
            assert "Job sandbox:%d canceled." % waiter in message
            assert real == "canceled"
        elif "Job sandbox:%d canceled." % waiter in message:
            assert real == "canceled"  # a slow machine: still truthful
        else:
            assert "Job sandbox:%d was not canceled" % waiter in message
            assert real != "canceled"
        if real == "canceled":
            _status_cell(_row(page, "sandbox", waiter),
                         "Canceled").wait_for(timeout=10_000)

        # The running job's row settles by itself, without a reload.
        _status_cell(_row(page, "sandbox", holder), "Success").wait_for(
            timeout=SETTLE)
        assert rapi_client.job(holder)["status"] == "success"
        assert page.errors == []
    finally:
        for job_id in (waiter, holder):
            try:
                rapi_client.wait_for_job(job_id, timeout=60)
            except errors.RapiError:
                pass
