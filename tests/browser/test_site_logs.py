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

"""What an operator reads in Horizon's error log, from the real site.

The test Horizon runs as the dev stack's does (gunicorn, the plugin's
default logging on stderr, into gunicorn's error log): a cluster that
refuses connections, a job an operator started and a refused action each
leave a line that names the cluster, the cause or the job, and the user;
no RAPI password ever does. (A post to a page of a dashboard the user may
not open at all, such as Admin for a member, is refused by Horizon before
the plugin's code runs, and Horizon does not log it.)
"""

import os
import re
import time
import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_READER
from tests.browser.conftest import STATE
from tests.browser import http

pytestmark = pytest.mark.browser


def _log_text(horizon_port):
    path = os.path.join(STATE, "test-horizon", str(horizon_port),
                        "gunicorn.log")
    with open(path, errors="replace") as f:
        return f.read()


def _poll_log(horizon_port, pattern, limit=30):
    """The log's first match of ``pattern``, waited for with a bound (a
    line is written when the request that causes it ends).
    """
    deadline = time.monotonic() + limit
    while True:
        found = re.search(pattern, _log_text(horizon_port))
        if found or time.monotonic() > deadline:
            assert found, "no line matching %r in the site's log" % pattern
            return found
        time.sleep(0.5)


def test_failures_jobs_and_refusals_reach_the_error_log(
        login, horizon_url, horizon_port, rapi_client2, sandbox):
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_clusters/")
    page.wait_for_load_state("networkidle")
    # The cluster that refuses connections: its name and the cause, once.
    _poll_log(horizon_port,
              r"ganeti_dashboard\.[\w.]+: cluster zz-down: .*"
              r"connection refused")

    # A job an operator starts: the cluster, the call, the job's id and
    # who started it, from which project.
    tag = "dashboard-log:%s" % uuid.uuid4().hex[:6]
    session = http.session(horizon_url, ADMIN)
    url = horizon_url + "/admin/ganeti_clusters/sandbox2/tags/add/"
    form = http.form_fields(session.get(url, timeout=60).text)
    form["tag"] = tag
    try:
        answer = http.post(session, url, form)
        assert answer.status_code in (200, 302), answer.status_code
        job = _poll_log(
            horizon_port,
            r"cluster sandbox2: PUT /2/tags started job (\d+) \(OP_TAGS_SET\) "
            r"by horizon user=admin\(\w+\) project=admin\(\w+\), "
            r"request req-[0-9a-f]{32}")
        assert tag in rapi_client2.cluster_tags()
        found, = rapi_client2.jobs([job.group(1)])
        assert found["ops"][0]["OP_ID"] == "OP_TAGS_SET"
    finally:
        if tag in rapi_client2.cluster_tags():
            rapi_client2.wait_for_job(
                rapi_client2.delete_cluster_tags([tag]))

    # A reader's post of the create form: refused by the plugin's own
    # check, with the rule and who was refused.
    reader = http.session(horizon_url, DEMO_READER)
    refused = http.post(reader,
                        horizon_url + "/project/ganeti_instances/create/",
                        {"name": "gdlog-refused.ganeti.test"})
    assert refused.status_code == 403
    _poll_log(horizon_port,
              r"refused .* to user demo-reader \(\w+\) of project \w+: "
              r"policy ganeti:instance:create")
    # The RAPI password is in no line.
    assert sandbox["RAPI_PASSWORD"] not in _log_text(horizon_port)
