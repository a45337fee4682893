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

"""Actions offered by state, and what the page says they did (issue 18,
items 3 and 4), in a real browser against the real sandbox: a running
instance's Rename is disabled with its reason, a forged rename is refused
and changes nothing, a bulk start of a running instance says it already
runs and sends no job, Shut Down asks first and says the instance stops,
the Jobs panel's times read on one line.
"""

import re

import pytest

from ganeti_dashboard.api import errors
from tests.browser.conftest import ADMIN
from tests.browser import http
from tests.browser.pages import confirm
from tests.browser.pages import dismiss_messages
from tests.browser.pages import open_instance
from tests.browser.pages import row as row_of
from tests.browser.pages import select
from tests.browser.pages import SETTLE

pytestmark = pytest.mark.browser

URL = "/admin/ganeti_instances/"
RENAME_WHY = "it must be shut down first"


def _menu_link(found, label):
    """A row action of the dropdown, the menu opened."""
    dismiss_messages(found.page)
    found.locator(".dropdown-toggle").click()
    link = found.locator("a", has_text=label)
    link.wait_for()
    return link


def _lines(page, locator):
    """How many lines the element's text takes, as rendered."""
    return page.evaluate("""e => {
        const range = document.createRange();
        range.selectNodeContents(e);
        const height = range.getBoundingClientRect().height;
        const style = getComputedStyle(e);
        const line = parseFloat(style.lineHeight)
            || 1.2 * parseFloat(style.fontSize);
        return height / line;
    }""", locator.element_handle())


def test_running_instance_shows_rename_disabled_with_its_reason(
        login, horizon_url, made_instance):
    name = made_instance()
    page = login(ADMIN)
    found = open_instance(page, horizon_url + URL, name)
    rename = _menu_link(found, "Rename...")
    assert rename.inner_text().strip() == "Rename... (%s)" % RENAME_WHY
    assert "disabled" in rename.get_attribute("class").split()
    assert rename.get_attribute("title") == RENAME_WHY
    assert rename.get_attribute("href") == "#"
    # Greyed out, as Horizon's theme shows a disabled button.
    assert float(page.evaluate("e => getComputedStyle(e).opacity",
                               rename.element_handle())) < 1
    # A diskless instance has nothing to reinstall: said the same way.
    reinstall = found.locator("a", has_text="Reinstall...")
    assert "(it has no disks to reinstall)" in reinstall.inner_text()
    # Clicking it opens no form.
    rename.click(force=True)
    page.wait_for_load_state("networkidle")
    assert page.locator(".modal form").count() == 0


def test_forged_rename_of_a_running_instance_is_refused(
        horizon_url, made_instance, rapi_client):
    name = made_instance()
    new_name = "renamed-" + name
    admin = http.session(horizon_url, ADMIN)
    url = "%s%ssandbox:%s/rename/" % (horizon_url, URL, name)
    opened = admin.get(url, timeout=60).text
    assert "Not possible now: %s." % RENAME_WHY in opened
    before = rapi_client.job_ids()[0]
    answer = http.post(admin, url, dict(http.form_fields(opened),
                                        new_name=new_name))
    assert answer.status_code == 200, answer.status_code
    assert "%s was not renamed: %s." % (name, RENAME_WHY) in answer.text
    # Nothing reached Ganeti: no job, the instance as it was.
    assert rapi_client.job_ids()[0] == before
    assert rapi_client.instance(name)["status"] == "running"
    with pytest.raises(errors.NotFound):
        rapi_client.instance(new_name)


def test_bulk_start_of_a_running_instance_says_it_already_runs(
        login, horizon_url, made_instance, rapi_client):
    name = made_instance()
    page = login(ADMIN)
    found = open_instance(page, horizon_url + URL, name)
    before = rapi_client.job_ids()[0]
    select(found)
    page.click("#instances__action_start")
    said = page.locator(".messages .alert-info", has_text="already running")
    said.wait_for(timeout=30_000)
    assert "%s was not started: it is already running." % name \
        in said.inner_text()
    assert "not allowed" not in page.locator(".messages").inner_text()
    assert rapi_client.job_ids()[0] == before
    assert rapi_client.instance(name)["status"] == "running"


def test_shut_down_asks_first_and_says_the_instance_stops(
        login, horizon_url, made_instance, rapi_client):
    name = made_instance()
    page = login(ADMIN)
    found = open_instance(page, horizon_url + URL, name)
    select(found)
    page.click("#instances__action_stop")
    modal = page.locator(".modal", has_text="Please confirm your selection")
    modal.wait_for()
    text = modal.inner_text()
    assert name in text
    assert "whatever runs on them stops with them" in text
    # Cancelled: nothing happens.
    modal.locator("a.cancel").click()
    modal.wait_for(state="detached")
    assert rapi_client.instance(name)["status"] == "running"
    # The row's Shut Down... form says it too, then does it.
    found = row_of(page, name)
    dismiss_messages(page)
    found.locator("a", has_text="Shut Down...").click()
    warning = page.locator(".modal .ganeti-stop-warning")
    warning.wait_for()
    assert "The instance stops" in warning.inner_text()
    page.fill("#id_timeout", "0")
    page.click(".modal input.btn-primary[type=submit]")
    row_of(page, name).locator("td", has_text="Stopped").wait_for(
        timeout=SETTLE)
    # Stopped, Rename opens its form.
    found = row_of(page, name)
    rename = _menu_link(found, "Rename...")
    assert rename.inner_text().strip() == "Rename..."
    assert "disabled" not in rename.get_attribute("class").split()
    select(found)
    page.click("#instances__action_stop")
    confirm(page)
    page.locator(".messages .alert-info", has_text="already stopped") \
        .wait_for(timeout=30_000)


def test_jobs_times_read_on_one_line(login, horizon_url, made_instance):
    made_instance()  # a job of a moment ago, at least
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_jobs/")
    page.wait_for_load_state("networkidle")
    received = page.locator("#jobs tbody td.ganeti-job-received").first
    received.wait_for()
    # As Horizon shows an age ("2 minutes", "1 hour, 3 minutes").
    assert re.match(r"^\d+\s(minute|hour|day|week|month|year)s?",
                    received.inner_text().strip()), received.inner_text()
    ran_for = page.locator("#jobs tbody td.ganeti-job-ran-for").first
    assert re.match(r"^(-|\d+ s|\d+ min \d+ s|\d+ h \d+ min)$",
                    ran_for.inner_text().strip()), ran_for.inner_text()
    for cell in (received, ran_for):
        assert _lines(page, cell) < 1.5, cell.inner_text()
    assert not re.search(r"\d{4}-\d\d-\d\d \d\d:",
                         page.locator("#jobs tbody").inner_text())
