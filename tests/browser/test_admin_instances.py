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

"""Admin > Ganeti > Instances in a real browser against the real cluster."""

import uuid

import pytest
import requests

from tests.browser.conftest import ADMIN
from tests.browser.pages import BELOW_POLICY
from tests.browser.pages import confirm as _confirm
from tests.browser.pages import dismiss_messages as _dismiss_messages
from tests.browser.pages import open_instance
from tests.browser.pages import resize_below_policy
from tests.browser.pages import row as _row
from tests.browser.pages import select as _select
from tests.browser.pages import SETTLE

pytestmark = pytest.mark.browser

URL = "/admin/ganeti_instances/"


def _open(page, horizon_url, name):
    return open_instance(page, horizon_url + URL, name)


def test_bulk_shutdown_start_settle_and_carry_the_reason(
        login, horizon_url, rapi_client, made_instance):
    name = made_instance()
    page = login(ADMIN)
    row = _open(page, horizon_url, name)
    assert "Running" in row.inner_text()

    _select(row)
    page.click("#instances__action_stop")
    _confirm(page)
    assert "Shutting down: %s (Ganeti job" % name in page.locator(
        ".alert-success").inner_text()
    row = _row(page, name)
    # Transitional first, then it settles by itself, without a reload.
    row.locator("td", has_text="Stopped").wait_for(timeout=SETTLE)
    assert rapi_client.instance(name)["status"] == "ADMIN_down"

    _select(row)
    page.click("#instances__action_start")
    _row(page, name).locator("td", has_text="Running").wait_for(
        timeout=SETTLE)
    assert rapi_client.instance(name)["status"] == "running"

    # Who did it is in Ganeti's own reason trail.
    job = rapi_client.job(rapi_client.job_ids()[0])
    reasons = [r[1] for op in job["ops"] for r in op["reason"]
               if r[0] == "gnt:user"]
    assert reasons and reasons[0].startswith("horizon user=admin(")
    assert page.errors == []


def test_shutdown_form_and_operations_tab(login, horizon_url, rapi_client,
                                          made_instance):
    name = made_instance()
    page = login(ADMIN)
    row = _open(page, horizon_url, name)
    row.locator("a", has_text="Shut Down...").click()
    page.fill("#id_timeout", "0")
    _dismiss_messages(page)
    page.click("input.btn-primary[type=submit]")
    page.wait_for_load_state("networkidle")
    _row(page, name).locator("td", has_text="Stopped").wait_for(
        timeout=SETTLE)

    page.click("#instances a:text-is('%s')" % name)
    page.wait_for_load_state("networkidle")
    assert "Stopped" in page.locator(".ganeti-instance-status").inner_text()
    page.click("a[data-target$='operations']")
    page.locator(".ganeti-operations").wait_for()
    operations = page.locator(".ganeti-operations").inner_text()
    assert "INSTANCE_SHUTDOWN(%s)" % name in operations
    assert "admin (admin)" in operations


def test_assign_owner_writes_the_tag(login, horizon_url, rapi_client,
                                     made_instance, keystone_projects):
    name = made_instance()
    page = login(ADMIN)
    row = _open(page, horizon_url, name)
    assert "unassigned" in row.inner_text()
    _select(row)
    page.click("#instances__action_assign_owner_many")
    page.select_option("#id_project", label="demo")
    _dismiss_messages(page)
    page.click("input.btn-primary[type=submit]")
    page.wait_for_load_state("networkidle")
    tag = "openstack:project:%s" % keystone_projects["demo"]
    assert rapi_client.instance_tags(name) == [tag]
    assert "demo" in _open(page, horizon_url, name).inner_text()


@pytest.fixture
def new_project(keystone_admin):
    """new_project() -> (name, id) of a Keystone project made now, removed
    after the test.
    """
    url, headers = keystone_admin
    made = []

    def make():
        name = "gdweb-%s" % uuid.uuid4().hex[:8]
        answer = requests.post(url + "/projects", headers=headers, timeout=30,
                               json={"project": {"name": name,
                                                 "domain_id": "default"}})
        answer.raise_for_status()
        made.append(answer.json()["project"]["id"])
        return name, made[-1]
    yield make
    for project_id in made:
        requests.delete("%s/projects/%s" % (url, project_id),
                        headers=headers, timeout=30)


def test_assign_owner_offers_a_project_made_a_moment_ago(
        login, horizon_url, rapi_client, made_instance, new_project):
    name = made_instance()
    page = login(ADMIN)
    # The list has read (and cached) the projects' names...
    row = _open(page, horizon_url, name)
    # ...before the project is made.
    project, project_id = new_project()
    _select(row)
    page.click("#instances__action_assign_owner_many")
    page.select_option("#id_project", label=project)
    _dismiss_messages(page)
    page.click("input.btn-primary[type=submit]")
    page.wait_for_load_state("networkidle")
    assert rapi_client.instance_tags(name) == [
        "openstack:project:%s" % project_id]
    assert project in _open(page, horizon_url, name).inner_text()
    assert page.errors == []


def test_refused_action_shows_ganetis_message(login, horizon_url,
                                              made_instance):
    name = made_instance(disk_template="file", disks=[{"size": 1024}])
    page = login(ADMIN)
    row = _open(page, horizon_url, name)
    # file disks stay on one node: the action is disabled, with the reason.
    row.locator(".dropdown-toggle").click()
    migrate = row.locator("a", has_text="Migrate...")
    assert "its file disks stay on one node" in migrate.inner_text()


def test_bulk_delete(login, horizon_url, rapi_client, made_instance):
    token = uuid.uuid4().hex[:8]
    names = [made_instance(name="gdbulk%d-%s.ganeti.test" % (i, token))
             for i in range(2)]
    page = login(ADMIN)
    open_instance(page, horizon_url + URL, names[0], filter_text=token)
    for name in names:
        _select(_row(page, name))
    page.click("#instances__action_delete")
    _confirm(page)
    for name in names:
        _row(page, name).wait_for(state="detached", timeout=SETTLE)
    remaining = rapi_client.instance_names()
    assert not set(names) & set(remaining)


def test_failed_job_shows_ganetis_error(login, horizon_url, made_instance):
    # A resize below the instance policy is a job Ganeti fails.
    name = made_instance()
    page = login(ADMIN)
    row = _open(page, horizon_url, name)
    # The row polls its job; when it fails, Ganeti's reason is shown.
    resize_below_policy(page, row)
    page.click("#instances a:text-is('%s')" % name)
    page.click("a[data-target$='operations']")
    operations = page.locator(".ganeti-operations")
    operations.wait_for()
    assert BELOW_POLICY in operations.inner_text()


def test_a_cluster_filter_shows_and_asks_only_that_cluster(
        login, horizon_url, made_instance, made_instance2):
    """Filtered on sandbox2, the page lists its instances only, and the
    configured clusters that are down or silent are not asked: no
    warning about them, and no wait on the silent one.
    """
    made_instance()
    # First by name, so on the first page whatever else sandbox2 holds.
    name = made_instance2("0-gdweb-%s.cluster2.ganeti.test"
                          % uuid.uuid4().hex[:8], start=False)
    page = login(ADMIN)
    row = open_instance(page, horizon_url + URL, name,
                        filter_text="sandbox2", field="cluster")
    assert "sandbox2" in row.inner_text()
    clusters = page.locator("#instances tbody tr td:nth-child(3)")
    assert set(clusters.all_inner_texts()) == {"sandbox2"}
    # Reload with the filter kept in the session: the page says nothing
    # of the clusters it did not ask.
    page.goto(horizon_url + URL)
    page.wait_for_load_state("networkidle")
    assert _row(page, name).count() == 1
    assert "could not be queried" not in page.content()
    assert page.errors == []
