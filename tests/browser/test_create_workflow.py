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

"""The create workflow in a real browser: it offers the chosen cluster's
own choices (sandbox has the kvm hypervisor, sandbox2 the OS
noop-cluster2), so a member makes a KVM instance and opens its console at
once; what is posted is checked against the chosen cluster; a step with
errors is marked; templates fill the form; a project with no cluster is
told whom to ask.
"""

import re
import time
import uuid

import pytest
import requests

from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser import http
from tests.browser.pages import dismiss_messages
from tests.browser.pages import fill_create_workflow
from tests.browser.pages import row
from tests.browser.pages import SETTLE
from tests.browser.test_console import _open_tab
from tests.browser.test_console import _poll
from tests.browser.test_console import _serial_text
from tests.browser.test_console import GUEST_PROMPT

pytestmark = pytest.mark.browser

URL = "/project/ganeti_instances/"
CREATE = URL + "create/"
# tools/lib/sandbox/ganeti.sh gives sandbox2 (dash2) this OS, not sandbox.
OWN_OS = "noop-cluster2"


def _has_tag(url, headers, project_id, tag):
    tags_url = "%s/projects/%s/tags/%s" % (url, project_id, tag)
    return tags_url, requests.get(tags_url, headers=headers,
                                  timeout=30).status_code != 404


@pytest.fixture
def demo_on_both(keystone_admin, mapped_projects):
    """demo may use sandbox and sandbox2 (the second mapping undone
    afterwards if the test made it).
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
def other_unmapped(keystone_admin, keystone_projects):
    """Project other may use no cluster during the test; its mappings
    are put back afterwards.
    """
    url, headers = keystone_admin
    project = keystone_projects["other"]
    tags = requests.get("%s/projects/%s/tags" % (url, project),
                        headers=headers, timeout=30).json()["tags"]
    mapped = [t for t in tags if t.startswith("ganeti:cluster:")]
    for tag in mapped:
        requests.delete("%s/projects/%s/tags/%s" % (url, project, tag),
                        headers=headers, timeout=30)
    yield project
    for tag in mapped:
        requests.put("%s/projects/%s/tags/%s" % (url, project, tag),
                     headers=headers, timeout=30)


def _offered(page, field):
    """The values the chosen cluster offers in select ``field``."""
    return page.evaluate(
        """(name) => Array.from(document.querySelector(
            "form select[name='" + name + "']").options)
            .filter(o => !o.disabled && !o.hidden).map(o => o.value)""",
        field)


def _delete(rapi_client, name):
    if name in rapi_client.instance_names():
        rapi_client.wait_for_job(rapi_client.delete_instance(name))


def _new_name():
    return "gdweb-%s.ganeti.test" % uuid.uuid4().hex[:8]


def test_member_creates_a_kvm_instance_and_opens_its_console(
        login, horizon_url, rapi_client, mapped_projects, console_proxy):
    """The issue's "done when": made in the workflow, its consoles work
    right after.
    """
    name = _new_name()
    page = login(DEMO_MEMBER)
    try:
        page.click("#instances__action_create")
        page.locator("#id_hypervisor").wait_for()
        page.select_option("#id_cluster", "sandbox")
        assert "kvm" in _offered(page, "hypervisor")
        fill_create_workflow(page, name)
        page.click("a:text-is('Details')")
        page.select_option("#id_hypervisor", "kvm")
        page.click("a:text-is('Review')")
        assert "kvm" in page.locator("#ganeti-create-review").inner_text()
        page.click("input.btn-primary[type=submit]")
        found = row(page, name)
        found.wait_for(timeout=SETTLE)
        found.locator("td", has_text="Running").wait_for(timeout=SETTLE)
        made = {r["name"]: r["hypervisor"] for r in rapi_client.query(
            "instance", ["name", "hypervisor"], ["=", "name", name])}
        assert made[name] == "kvm"

        frame = _open_tab(page, horizon_url, name)
        frame.locator("#status").filter(has_text="Connected").wait_for(
            timeout=60_000)
        page.locator(".ganeti-console-kinds a",
                     has_text="Serial console").click()
        serial = page.frame_locator(".ganeti-console-frame")
        serial.locator("#status").filter(has_text="Connected").wait_for(
            timeout=60_000)
        _poll("guest prompt on the serial console",
              lambda: GUEST_PROMPT in _serial_text(page), 90)
    finally:
        _delete(rapi_client, name)


def test_choices_follow_the_chosen_cluster(login, horizon_url,
                                           demo_on_both, sandbox2):
    page = login(DEMO_MEMBER)
    page.goto(horizon_url + CREATE)
    page.select_option("#id_cluster", "sandbox")
    systems = _offered(page, "os")
    assert "noop" in systems and OWN_OS not in systems, systems
    assert "kvm" in _offered(page, "hypervisor")
    assert sandbox2["NODE2"] not in _offered(page, "node")

    page.select_option("#id_cluster", "sandbox2")
    systems = _offered(page, "os")
    assert OWN_OS in systems, (
        "sandbox2 must offer %s (tools/lib/sandbox/ganeti.sh): %s"
        % (OWN_OS, systems))
    assert "kvm" not in _offered(page, "hypervisor")
    assert sandbox2["NODE2"] in _offered(page, "node")
    # The bounds beside memory are sandbox2's now.
    page.click("a:text-is('Resources')")
    hint = page.locator("[data-ganeti-hint-for='sandbox2']").filter(
        has_text="MiB").first
    assert hint.is_visible() and "Instance policy of sandbox2" in \
        hint.inner_text()
    assert not page.locator("[data-ganeti-hint-for='sandbox']").filter(
        has_text="MiB").first.is_visible()


def test_a_forged_post_of_another_clusters_os_is_refused(
        horizon_url, rapi_client, demo_on_both):
    name = _new_name()
    session = http.session(horizon_url, DEMO_MEMBER)
    form = session.get(horizon_url + CREATE, timeout=60)
    assert form.status_code == 200
    before = rapi_client.job_ids()[0]
    answer = http.post(session, horizon_url + CREATE, {
        "name": name, "cluster": "sandbox", "os": OWN_OS, "hypervisor": "",
        "vcpus": 1, "memory": 128, "disk_template": "diskless",
        "disks": "", "nic_mode": "", "nic_link": "", "nic_network": "",
        "group": "", "node": "", "snode": "", "start": "on"})
    assert answer.status_code == 200
    assert "Cluster sandbox has no operating system %s." % OWN_OS \
        in answer.text
    # A field error: the OS field's group is marked and says why.
    assert re.search(r'<div class="form-group[^"]*has-error[^"]*">'
                     r'(?:(?!<div class="form-group).)*id="id_os"'
                     r'(?:(?!<div class="form-group).)*no operating system',
                     answer.text, re.S), answer.text
    started = [j for j in rapi_client.job_ids() if j > before]
    assert not any(name in summary for job in rapi_client.jobs(started)
                   for summary in job["summary"])
    assert name not in rapi_client.instance_names()


def test_an_error_marks_its_step(login, horizon_url, rapi_client,
                                 mapped_projects):
    name = _new_name()
    page = login(DEMO_MEMBER)
    page.click("#instances__action_create")
    fill_create_workflow(page, name)
    page.fill("#id_memory", "99999999")
    page.click("input.btn-primary[type=submit]")
    # The modal that answers (Horizon may keep the one posted, hidden).
    modal = page.locator(".modal >> visible=true")
    marked = modal.locator(".nav-pills li.error a")
    marked.first.wait_for()
    assert marked.count() == 1
    assert "Resources" in marked.inner_text()
    assert "text-danger" in marked.get_attribute("class")
    assert marked.locator(".fa-exclamation-circle").count() == 1
    # Its step is open, the reason beside the field.
    error = modal.locator(".has-error", has=page.locator("#id_memory"))
    assert error.is_visible()
    assert "instance policy allows" in error.inner_text()
    assert modal.locator(".nav-pills li.active a").inner_text() \
        .strip().startswith("Resources")
    assert name not in rapi_client.instance_names()


def test_template_link_inside_the_modal_fills_it_in(
        login, horizon_url, mapped_projects):
    page = login(DEMO_MEMBER)
    page.click("#instances__action_create")
    page.locator(".modal #id_name").wait_for()
    page.fill("#id_name", "kept.ganeti.test")
    page.locator(".modal a.ganeti-template", has_text="small").click()
    page.locator(".modal .ganeti-template-applied",
                 has_text="small").wait_for()
    # Still the modal over the list, the name kept, the template's values.
    assert page.url.endswith(URL)
    assert page.locator(".modal #id_name").input_value() == \
        "kept.ganeti.test"
    assert page.locator(".modal #id_memory").input_value() == "256"
    assert page.locator(".modal #id_disk_template").input_value() == \
        "diskless"


def test_stand_alone_page_has_a_breadcrumb_and_templates(
        login, horizon_url, mapped_projects):
    page = login(DEMO_MEMBER)
    page.goto(horizon_url + CREATE)
    crumbs = page.locator(".breadcrumb").inner_text()
    assert "Create Instance" in crumbs and "None" not in crumbs, crumbs
    link = page.locator("a.ganeti-template", has_text="small")
    assert link.get_attribute("href") == CREATE + "?template=small"
    link.click()
    assert page.locator("#id_memory").input_value() == "256"
    # Opened as a page of its own, the link fills it in too.
    page.goto(horizon_url + CREATE + "?template=small")
    assert page.locator("#id_memory").input_value() == "256"
    assert "None" not in page.locator(".breadcrumb").inner_text()


def test_project_without_a_cluster_is_told_whom_to_ask(
        login, horizon_url, other_unmapped):
    page = login(OTHER_MEMBER)
    # A mapping removed a moment ago shows from the next request on.
    deadline = time.monotonic() + 30
    while True:
        page.goto(horizon_url + URL)
        dismiss_messages(page)
        page.click("#instances__action_create")
        state = page.locator(".modal .ganeti-create-unavailable")
        try:
            state.wait_for(timeout=10_000)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
    text = state.inner_text()
    assert "may not use any Ganeti cluster yet" in text
    assert "Ask an operator" in text and other_unmapped in text
    assert page.locator(".modal select").count() == 0
    page.goto(horizon_url + CREATE)
    assert "Ask an operator" in page.locator(
        ".ganeti-create-unavailable").inner_text()
