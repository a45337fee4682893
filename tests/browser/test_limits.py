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

"""Keystone unified limits in a real browser: an operator sets a project's
limits, a member sees them on the overview and is refused past them.
"""

import re
import uuid

import pytest
import requests

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.pages import dismiss_messages
from tests.browser.pages import fill_create_workflow
from tests.browser.pages import row
from tests.browser.pages import submit

pytestmark = pytest.mark.browser


def _demo_limits(keystone_admin, project_id):
    url, headers = keystone_admin
    answer = requests.get(url + "/limits", headers=headers, timeout=30,
                          params={"project_id": project_id})
    answer.raise_for_status()
    return answer.json()["limits"]


@pytest.fixture
def demo_limits(keystone_admin, mapped_projects):
    """demo's project limits are removed again after the test."""
    demo = mapped_projects["demo"]
    before = {limit["id"] for limit in _demo_limits(keystone_admin, demo)}
    yield demo
    url, headers = keystone_admin
    for limit in _demo_limits(keystone_admin, demo):
        if limit["id"] not in before:
            requests.delete("%s/limits/%s" % (url, limit["id"]),
                            headers=headers, timeout=30)


def test_operator_limits_a_project_member_is_refused(
        login, horizon_url, keystone_admin, rapi_client, demo_limits,
        screenshot):
    admin = login(ADMIN)
    admin.goto(horizon_url + "/admin/ganeti_projects/")
    demo_row = row(admin, "demo", table="projects")
    assert "Instances:" in demo_row.locator(
        ".ganeti-project-limits").inner_text()
    dismiss_messages(admin)
    demo_row.locator(".dropdown-toggle").click()
    demo_row.locator("a", has_text="Set Limits").click()
    admin.locator("#id_instances").wait_for()
    admin.fill("#id_instances", "0")
    admin.fill("#id_vcpus", "-1")
    screenshot(admin, "set-limits")  # for the operator guide
    submit(admin)
    admin.locator(".alert-success", has_text="Limits of project demo saved"
                  ).wait_for()
    held = {limit["resource_name"]: limit["resource_limit"]
            for limit in _demo_limits(keystone_admin, demo_limits)}
    assert held == {"instances": 0, "vcpus": -1}
    assert "Instances: " in row(admin, "demo", table="projects").inner_text()
    assert "/ 0 *" in row(admin, "demo", table="projects").inner_text()

    member = login(DEMO_MEMBER)
    member.goto(horizon_url + "/project/ganeti_overview/")
    instances = member.locator(".ganeti-limit-instances")
    assert "project limit" in instances.inner_text()
    assert member.locator(".ganeti-limit-vcpus").inner_text().count(
        "unlimited") == 1
    # Horizon's d3 charts drew one pie per resource.
    member.locator(".ganeti-chart svg").first.wait_for()
    assert member.locator(".ganeti-chart svg").count() == 4
    screenshot(member, "overview")  # for the user guide

    before = rapi_client.job_ids()[0]
    name = "gdweb-%s.ganeti.test" % uuid.uuid4().hex[:8]
    member.goto(horizon_url + "/project/ganeti_instances/create/")
    fill_create_workflow(member, name)
    # The review step shows what the other steps hold.
    member.click("a:text-is('Review')")
    review = member.locator("#ganeti-create-review")
    assert name in review.inner_text()
    assert "diskless" in review.inner_text()
    member.click("input.btn-primary[type=submit]")
    # Whatever demo already holds on the shared sandbox: none is allowed.
    member.locator(".alert-danger, .error", has_text=re.compile(
        r"Instances: \d+ of 0 allowed")).first.wait_for()
    # No job for it (others may run on the shared sandbox meanwhile).
    started = [j for j in rapi_client.job_ids() if j > before]
    assert not any(name in summary for job in rapi_client.jobs(started)
                   for summary in job["summary"])
    assert name not in rapi_client.instance_names()
