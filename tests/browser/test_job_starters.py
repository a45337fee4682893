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

"""Who reinstalled: Ganeti 3.0 drops the reason of reinstall jobs, so the
dashboard tags the instance; the operations tab and the Jobs panel say it,
against the real Horizon, Keystone and Ganeti.
"""

import re
import time

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser import http

pytestmark = pytest.mark.browser


def test_reinstall_names_who_started_it(horizon_url, mapped_projects,
                                        made_instance, rapi_client):
    demo = mapped_projects["demo"]
    name = made_instance(disk_template="file", disks=[{"size": 1024}],
                         tags=["openstack:project:" + demo])
    member = http.session(horizon_url, DEMO_MEMBER)
    url = "%s/project/ganeti_instances/sandbox:%s/reinstall/" % (
        horizon_url, name)
    fields = http.form_fields(member.get(url, timeout=60).text)
    answer = http.post(member, url, dict(fields, os_name="noop",
                                         start="on"))
    assert answer.status_code == 302, answer.text[:500]

    # The reinstall job, and the tag job that records its starter.
    deadline = time.monotonic() + 120
    while True:
        tags = rapi_client.instance(name)["tags"]
        starters = [t for t in tags if t.startswith("openstack:job:")]
        if starters or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert len(starters) == 1, tags
    job_id = int(starters[0].split(":")[2])
    assert starters[0].endswith(":demo-member@demo")
    job = rapi_client.wait_for_job(job_id, timeout=180)
    assert "INSTANCE_REINSTALL(%s)" % name in job["summary"]
    # Ganeti kept no user in the trail itself.
    assert not any(source == "gnt:user" for op in job["ops"]
                   for source, _text, _ts in op.get("reason") or [])

    operations = member.get(
        "%s/project/ganeti_instances/sandbox:%s/?tab="
        "instance_details__operations" % (horizon_url, name),
        headers={"X-Requested-With": "XMLHttpRequest"}, timeout=60).text
    row = re.search(r"<tr[^>]*>\s*<td>%d</td>.*?</tr>" % job_id,
                    operations, re.S)
    assert row and "demo-member (demo)" in row.group(0), operations[:2000]

    admin = http.session(horizon_url, ADMIN)
    detail = admin.get(horizon_url + "/admin/ganeti_jobs/sandbox:%d/"
                       % job_id, timeout=60).text
    assert "demo-member (demo)" in detail
    listed = admin.get(horizon_url + "/admin/ganeti_jobs/", timeout=60).text
    row = re.search(r'<tr[^>]*data-object-id="sandbox:%d".*?</tr>' % job_id,
                    listed, re.S)
    assert row and "demo-member (demo)" in row.group(0)
