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

"""Project > Ganeti > Instances for members, in a real browser."""

import time
import uuid

import pytest

from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import DEMO_READER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser.pages import BELOW_POLICY
from tests.browser.pages import dismiss_messages as _dismiss
from tests.browser.pages import fill_create_workflow
from tests.browser.pages import open_instance
from tests.browser.pages import resize_below_policy
from tests.browser.pages import row as _row
from tests.browser.pages import select as _select
from tests.browser.pages import SETTLE

pytestmark = pytest.mark.browser

URL = "/project/ganeti_instances/"


def test_member_creates_uses_and_deletes_an_instance(
        login, horizon_url, rapi_client, mapped_projects):
    name = "gdweb-%s.ganeti.test" % uuid.uuid4().hex[:8]
    page = login(DEMO_MEMBER)
    assert page.url.endswith(URL)
    try:
        page.click("#instances__action_create")
        fill_create_workflow(page, name)
        page.click("input.btn-primary[type=submit]")
        row = _row(page, name)
        row.wait_for(timeout=SETTLE)
        # It settles by itself, running, owned by demo.
        row.locator("td", has_text="Running").wait_for(timeout=SETTLE)
        tags = rapi_client.instance_tags(name)
        assert "openstack:project:%s" % mapped_projects["demo"] in tags

        _dismiss(page)
        row.locator("a", has_text="Shut Down...").click()
        page.fill("#id_timeout", "0")
        page.click("input.btn-primary[type=submit]")
        _row(page, name).locator("td", has_text="Stopped").wait_for(
            timeout=SETTLE)
        _select(_row(page, name))
        page.click("#instances__action_start")
        _row(page, name).locator("td", has_text="Running").wait_for(
            timeout=SETTLE)
        assert rapi_client.instance(name)["status"] == "running"

        # Another project's member reaches none of it, by any URL.
        other = login(OTHER_MEMBER)
        response = other.goto(horizon_url + URL)
        assert name not in other.content()
        obj = "sandbox:" + name
        for path in ("%s%s/" % (URL, obj), "%s%s/shutdown/" % (URL, obj)):
            assert other.goto(horizon_url + path).status == 404
        response = other.request.post(
            horizon_url + URL, form={"action": "instances__delete",
                                     "object_ids": obj},
            headers={"X-CSRFToken": _csrf(other),
                     "Referer": horizon_url + URL})
        assert response.status in (403, 404)
        assert rapi_client.instance(name)["status"] == "running"

        _select(_row(page, name))
        page.click("#instances__action_delete")
        page.locator(".modal-footer .btn-danger, .modal-footer .btn-primary"
                     ).first.click()
        _row(page, name).wait_for(state="detached", timeout=SETTLE)
        # Ganeti may list the name until its delete job has ended.
        deadline = time.monotonic() + 60
        while name in rapi_client.instance_names() and \
                time.monotonic() < deadline:
            time.sleep(1)
        assert name not in rapi_client.instance_names()
    finally:
        if name in rapi_client.instance_names():
            rapi_client.wait_for_job(rapi_client.delete_instance(name))


def _csrf(page):
    for cookie in page.context.cookies():
        if cookie["name"] == "csrftoken":
            return cookie["value"]
    return ""


def test_create_refuses_bad_input_without_a_job(login, horizon_url,
                                                rapi_client,
                                                mapped_projects):
    page = login(DEMO_MEMBER)
    before = rapi_client.job_ids()[0]
    page.goto(horizon_url + URL + "create/")
    page.fill("#id_name", "bad name <b>")
    page.click("input.btn-primary[type=submit]")
    page.locator(".has-error, .error").first.wait_for()
    # The form asks Ganeti for its OS list, which Ganeti answers with a
    # diagnose job of its own when the list is not cached; no other job.
    started = [j for j in rapi_client.job_ids() if j > before]
    summaries = [summary for job in rapi_client.jobs(started)
                 for summary in job["summary"]]
    assert all(s.startswith("OS_DIAGNOSE") for s in summaries), summaries


def test_reader_sees_but_cannot_act(login, horizon_url, made_instance,
                                    rapi_client, mapped_projects):
    name = made_instance(tags=["openstack:project:%s"
                               % mapped_projects["demo"]])
    page = login(DEMO_READER)
    row = open_instance(page, horizon_url + URL, name)
    assert "Running" in row.inner_text()
    assert row.locator("a, button").filter(has_text="Shut Down").count() \
        == 0
    assert page.locator("#instances__action_create").count() == 0
    assert page.locator("#instances__action_delete").count() == 0


def test_create_from_this_instance_prefills(login, horizon_url, rapi_client,
                                            made_instance, mapped_projects):
    name = made_instance(tags=["openstack:project:%s"
                               % mapped_projects["demo"]],
                         beparams={"maxmem": 384, "minmem": 384,
                                   "vcpus": 2})
    page = login(DEMO_MEMBER)
    row = open_instance(page, horizon_url + URL, name)
    row.locator(".dropdown-toggle").click()
    row.locator("a", has_text="Create from this Instance").click()
    page.locator("#id_name").wait_for()
    assert page.locator("#id_cluster").input_value() == "sandbox"
    assert page.locator("#id_memory").input_value() == "384"
    assert page.locator("#id_vcpus").input_value() == "2"


def test_members_see_who_did_what_and_ganetis_refusals(
        login, horizon_url, made_instance, mapped_projects):
    """The operations tab is the project's audit: who in it did what, and
    why Ganeti refused (a resize below the instance policy is a job
    Ganeti fails).
    """
    name = made_instance(tags=["openstack:project:%s"
                               % mapped_projects["demo"]])
    page = login(DEMO_MEMBER)
    row = open_instance(page, horizon_url + URL, name)
    row.locator("a", has_text="Shut Down...").click()
    page.fill("#id_timeout", "0")
    page.click("input.btn-primary[type=submit]")
    row = _row(page, name)
    row.locator("td", has_text="Stopped").wait_for(timeout=SETTLE)
    resize_below_policy(page, row)
    # A reader of the project reads the same trail.
    reader = login(DEMO_READER)
    reader.goto("%s%ssandbox:%s/" % (horizon_url, URL, name))
    reader.click("a[data-target$='operations']")
    operations = reader.locator(".ganeti-operations")
    operations.wait_for()
    text = operations.inner_text()
    assert "INSTANCE_SHUTDOWN(%s)" % name in text
    assert "demo-member (demo)" in text
    assert "INSTANCE_SET_PARAMS(%s)" % name in text
    assert BELOW_POLICY in text
