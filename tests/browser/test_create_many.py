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

"""Creating many instances at once in a real browser, on sandbox2 (two
nodes: Ganeti's allocator places them): a member asks for three diskless
instances with a name pattern; one /2/instances-multi-alloc job starts,
its create jobs carry the member in their reason trail, every instance has
the project's owner tag and all three rows settle as running. A count the
project's instance limit has no room for is refused in the form, and
nothing reaches the cluster.
"""

import re
import time
import uuid

import pytest
import requests

from tests.browser.conftest import DEMO_MEMBER
from tests.browser.pages import dismiss_messages
from tests.browser.pages import fill_create_workflow
from tests.browser.pages import row
from tests.browser.pages import SETTLE
from tests.browser.test_create_workflow import _has_tag

pytestmark = pytest.mark.browser

CREATE = "/project/ganeti_instances/create/"
OWNER = "openstack:project:"


def _wait(what, check, seconds=120):
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise AssertionError("still waiting for %s after %ds"
                                 % (what, seconds))
        time.sleep(0.5)


def _jobs_since(client, before):
    return client.jobs([j for j in client.job_ids() if j > before])


@pytest.fixture
def demo_on_sandbox2(keystone_admin, mapped_projects):
    """demo may use sandbox2 too (the mapping undone afterwards if the
    test made it); {project name: id}.
    """
    url, headers = keystone_admin
    tags_url, had = _has_tag(url, headers, mapped_projects["demo"],
                             "ganeti:cluster:sandbox2")
    if not had:
        answer = requests.put(tags_url, headers=headers, timeout=30)
        if answer.status_code != 400:  # mapped meanwhile by someone else
            answer.raise_for_status()
    yield mapped_projects
    if not had:
        requests.delete(tags_url, headers=headers, timeout=30)


@pytest.fixture
def batch(rapi_client2):
    """(prefix, before): instances named prefix-N on sandbox2 are removed
    after the test, once every job that names them has ended.
    """
    prefix = "gdmany-%s" % uuid.uuid4().hex[:8]
    before = rapi_client2.job_ids()[0]
    yield prefix, before

    def ours():
        return [j for j in _jobs_since(rapi_client2, before)
                if any(prefix in s or s == "INSTANCE_MULTI_ALLOC"
                       for s in j["summary"])]

    _wait("the batch's jobs to end", lambda: all(
        j["status"] in ("success", "error", "canceled") for j in ours()))
    removals = [rapi_client2.delete_instance(n)
                for n in rapi_client2.instance_names()
                if n.startswith(prefix + "-")]
    for job_id in removals:
        rapi_client2.wait_for_job(job_id, timeout=120)
    assert not [n for n in rapi_client2.instance_names()
                if n.startswith(prefix + "-")]


def _open_workflow(page, horizon_url, pattern, count):
    page.goto(horizon_url + CREATE)
    fill_create_workflow(page, pattern, cluster="sandbox2")
    page.click("a:text-is('Details')")
    page.fill("#id_count", str(count))
    page.click("a:text-is('Review')")


def test_member_creates_three_with_one_request(
        login, horizon_url, rapi_client2, demo_on_sandbox2, batch,
        screenshot):
    prefix, before = batch
    names = ["%s-%d" % (prefix, n) for n in (1, 2, 3)]
    page = login(DEMO_MEMBER)
    _open_workflow(page, horizon_url, prefix + "-%d", 3)
    review = page.locator("#ganeti-create-review").inner_text()
    assert "%s-1, %s-2, %s-3" % (prefix, prefix, prefix) in review
    # The totals against the project's limits (the dev stack registers
    # default limits): three instances added.
    instances = page.locator("#ganeti-review-limits "
                             "tr[data-ganeti-limit='instances']")
    assert instances.locator(".ganeti-adds").inner_text().strip() == "3"
    screenshot(page, "review")  # for the user guide
    page.click("input.btn-primary[type=submit]")
    page.locator(".alert-success", has_text="Creating 3 instances").wait_for(
        timeout=SETTLE)
    dismiss_messages(page)
    for name in names:
        row(page, name).locator("td", has_text="Running").wait_for(
            timeout=SETTLE)

    jobs = _jobs_since(rapi_client2, before)
    multi = [j for j in jobs if j["summary"] == ["INSTANCE_MULTI_ALLOC"]
             and j["ops"][0]["instances"][0]["instance_name"] == names[0]]
    assert len(multi) == 1, "one request, one multi-allocation job"
    assert multi[0]["status"] == "success"
    creates = {j["summary"][0]: j for j in jobs
               if j["summary"][0].startswith("INSTANCE_CREATE(" + prefix)}
    assert sorted(creates) == ["INSTANCE_CREATE(%s)" % n for n in names]
    for job in creates.values():
        assert job["status"] == "success"
        users = [e[1] for e in job["ops"][0]["reason"] if e[0] == "gnt:user"]
        assert users and users[0].startswith("horizon user=demo-member(")
    project = demo_on_sandbox2["demo"]
    tags = {r["name"]: r["tags"] for r in rapi_client2.query(
        "instance", ["name", "tags"], ["=~", "name", "^%s-" % prefix])}
    assert sorted(tags) == names
    for name in names:
        assert OWNER + project in tags[name]


@pytest.fixture
def demo_instance_limit(keystone_admin, demo_on_sandbox2, rapi_client,
                        rapi_client2):
    """demo may have two instances more than it has now (a project limit,
    put back as it was afterwards).
    """
    url, headers = keystone_admin
    project = demo_on_sandbox2["demo"]
    used = sum(len(client.query("instance", ["name"],
                                ["=[]", "tags", OWNER + project]))
               for client in (rapi_client, rapi_client2))
    service = requests.get(url + "/services", params={"type": "ganeti"},
                           headers=headers, timeout=30).json()["services"][0]
    found = requests.get(url + "/limits", headers=headers, timeout=30,
                         params={"project_id": project,
                                 "resource_name": "instances"}).json()
    old = [lim for lim in found["limits"] if lim.get("project_id") == project]
    if old:
        limit_id, was = old[0]["id"], old[0]["resource_limit"]
        requests.patch("%s/limits/%s" % (url, limit_id), headers=headers,
                       timeout=30, json={"limit": {
                           "resource_limit": used + 2}}).raise_for_status()
    else:
        answer = requests.post(url + "/limits", headers=headers, timeout=30,
                               json={"limits": [{
                                   "service_id": service["id"],
                                   "project_id": project,
                                   "resource_name": "instances",
                                   "resource_limit": used + 2}]})
        answer.raise_for_status()
        limit_id, was = answer.json()["limits"][0]["id"], None
    yield used
    if was is None:
        requests.delete("%s/limits/%s" % (url, limit_id), headers=headers,
                        timeout=30)
    else:
        requests.patch("%s/limits/%s" % (url, limit_id), headers=headers,
                       timeout=30, json={"limit": {"resource_limit": was}})


def test_a_count_past_the_instance_limit_is_refused(
        login, horizon_url, rapi_client2, demo_instance_limit, batch):
    prefix, before = batch
    used = demo_instance_limit
    page = login(DEMO_MEMBER)
    _open_workflow(page, horizon_url, prefix + "-%02d", 3)
    # The review says so before anything is sent.
    assert page.locator(".ganeti-review-over").is_visible()
    assert page.locator("#ganeti-review-limits "
                        "tr[data-ganeti-limit='instances'] .ganeti-after"
                        ).inner_text().strip() == str(used + 3)
    page.click("input.btn-primary[type=submit]")
    page.locator(".alert-danger, .error", has_text=re.compile(
        r"Instances: %d of %d allowed" % (used + 3, used + 2))
    ).first.wait_for(timeout=SETTLE)
    # Nothing reached the cluster: no job names the batch, no instance.
    for job in _jobs_since(rapi_client2, before):
        assert job["summary"] != ["INSTANCE_MULTI_ALLOC"] or \
            prefix not in str(job["ops"][0].get("instances"))
        assert not any(prefix in s for s in job["summary"])
    assert not [n for n in rapi_client2.instance_names()
                if n.startswith(prefix)]
