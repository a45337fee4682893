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

"""Pages of the instances and jobs lists with a filter on, and a
project's Operations panel, in a real browser against the sandbox.

The module makes :data:`BULK` stopped diskless instances on the fake
hypervisor once (more than Horizon's default page of 20), sharing a
token in their names, and removes them at the end.
"""

import re
import time
import uuid

import pytest

from tests.browser.conftest import _instance_maker
from tests.browser.conftest import _remove_made
from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import DEMO_READER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser.pages import dismiss_messages
from tests.browser.pages import open_instance
from tests.browser.pages import row
from tests.browser.pages import SETTLE

pytestmark = pytest.mark.browser

BULK = 23  # Horizon's default page size is 20: two pages
ADMIN_INSTANCES = "/admin/ganeti_instances/"
JOBS = "/admin/ganeti_jobs/"
OPERATIONS = "/project/ganeti_operations/"


@pytest.fixture(scope="module")
def bulk(rapi_client, sandbox):
    """(token, names): BULK stopped instances whose names hold token."""
    token = "gdpage%s" % uuid.uuid4().hex[:6]
    made = []
    make = _instance_maker(rapi_client, sandbox, made)
    names = [make(name="%s-%02d.ganeti.test" % (token, i), start=False)
             for i in range(BULK)]
    yield token, names
    _remove_made(rapi_client, made)


def _filter(page, table, field, text):
    """Set the table's server-side filter (Horizon themes the field
    choice as a dropdown over a hidden select: set the select itself).
    """
    dismiss_messages(page)
    page.evaluate("([table, field]) => document.querySelector("
                  "`select[name='${table}__filter__q_field']`).value = field",
                  [table, field])
    page.fill("input[name='%s__filter__q']" % table, text)
    page.click("#%s__action_filter" % table)
    page.wait_for_load_state("networkidle")
    dismiss_messages(page)


def _count(page, table):
    """The count the table says at its bottom."""
    return page.locator("#%s tfoot .ganeti-table-count" % table) \
        .inner_text()


def _shown(page, table, token):
    return [t for t in page.locator("#%s tbody tr" % table).all_inner_texts()
            if token in t]


def _until(page, url, table, field, text, wanted, limit=90):
    """Open ``url`` filtered until ``wanted(page)`` holds: rows made
    outside the dashboard show once the cluster's snapshot is refreshed.
    """
    deadline = time.monotonic() + limit
    while True:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        _filter(page, table, field, text)
        if wanted(page):
            return
        assert time.monotonic() < deadline, _count(page, table)
        page.wait_for_timeout(2000)


def test_instances_page_across_with_a_filter_on(login, horizon_url, bulk):
    token, names = bulk
    page = login(ADMIN)
    url = horizon_url + ADMIN_INSTANCES
    _until(page, url, "instances", "name", token,
           lambda p: "of %d items" % BULK in _count(p, "instances"))
    assert "Displaying 1–20 of %d items (page 1 of 2), sorted by name" \
        % BULK in _count(page, "instances")
    first = _shown(page, "instances", token)
    assert len(first) == 20 and all(token in t for t in first)
    # Columns do not pretend to sort the whole list in the browser.
    assert page.locator("#instances th.sortable").count() == 0

    page.locator("#instances tfoot a", has_text="Next").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"[?&]page=2\b", page.url)
    # The filter is still on: only the token's instances, the last three
    # by name, and the count says so.
    second = page.locator("#instances tbody tr").all_inner_texts()
    assert len(second) == BULK - 20
    assert all(token in t for t in second)
    for name in names[20:]:
        assert row(page, name).count() == 1
    assert "Displaying 21–%d of %d items (page 2 of 2)" % (BULK, BULK) \
        in _count(page, "instances")
    assert page.locator("#instances tfoot a", has_text="Next").count() == 0

    page.locator("#instances thead a", has_text="Prev").click()
    page.wait_for_load_state("networkidle")
    assert row(page, names[0]).count() == 1

    # Going to page 2 and changing the filter comes back to page 1.
    page.goto(url + "?page=2")
    page.wait_for_load_state("networkidle")
    _filter(page, "instances", "name", names[5])
    assert "page=" not in page.url
    assert [t for t in page.locator("#instances tbody tr")
            .all_inner_texts()] and row(page, names[5]).count() == 1
    assert "Displaying 1 item" in _count(page, "instances")
    assert page.errors == []


def _sort_by(page, table, header):
    """Click the header ``header`` of ``table`` (a link to the whole list
    in that column's order) and wait for the page it opens.
    """
    page.locator("#%s thead th a.ganeti-sort" % table,
                 has_text=header).click()
    page.wait_for_load_state("networkidle")


def _in_order(texts, names):
    """Whether each row text of ``texts`` shows the name of ``names`` at
    its place.
    """
    return len(texts) == len(names) and all(
        name in text for text, name in zip(texts, names))


def test_instances_sort_by_a_column_across_pages(login, horizon_url, bulk):
    """A column header orders the whole filtered list, not the page's
    rows: page 2 goes on where page 1 ends, and the filter stays on.
    """
    token, names = bulk
    page = login(ADMIN)
    url = horizon_url + ADMIN_INSTANCES
    _until(page, url, "instances", "name", token,
           lambda p: "of %d items" % BULK in _count(p, "instances"))
    # By name is the default order: its header is marked, and a click
    # turns it round.
    assert page.locator("#instances thead th[aria-sort='ascending']",
                        has_text="Name").count() == 1
    _sort_by(page, "instances", "Name")
    assert re.search(r"[?&]sort=name&dir=desc\b", page.url)
    assert "Displaying 1–20 of %d items (page 1 of 2), sorted by Name, " \
        "descending" % BULK in _count(page, "instances")
    newest_first = sorted(names, reverse=True)
    assert _in_order(_shown(page, "instances", token), newest_first[:20])
    assert page.locator("#instances thead th[aria-sort='descending']",
                        has_text="Name").count() == 1

    # Page 2 holds the rest of the same order, the filter still on.
    page.locator("#instances tfoot a", has_text="Next").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"[?&]page=2\b", page.url)
    assert "sort=name&dir=desc" in page.url
    second = page.locator("#instances tbody tr").all_inner_texts()
    assert _in_order(second, newest_first[20:])
    assert "Displaying 21–%d of %d items (page 2 of 2), sorted by Name, " \
        "descending" % (BULK, BULK) in _count(page, "instances")
    page.locator("#instances thead a", has_text="Prev").click()
    page.wait_for_load_state("networkidle")
    assert _in_order(_shown(page, "instances", token), newest_first[:20])

    # A changed filter starts again at page 1, in the same order.
    page.goto(url + "?sort=name&dir=desc&page=2")
    page.wait_for_load_state("networkidle")
    _filter(page, "instances", "name", "%s-1" % token)
    assert "page=" not in page.url and "sort=name&dir=desc" in page.url
    tens = [n for n in newest_first if "%s-1" % token in n]
    assert len(tens) == 10
    assert _in_order(page.locator("#instances tbody tr").all_inner_texts(),
                     tens)
    assert "sorted by Name, descending" in _count(page, "instances")

    # Another column: every instance is stopped, so ties keep the
    # default order (by name), over the filtered list.
    _filter(page, "instances", "name", token)
    _sort_by(page, "instances", "Status")
    assert "sort=status&dir=asc" in page.url
    assert "sorted by Status, ascending" in _count(page, "instances")
    assert _in_order(_shown(page, "instances", token), names[:20])
    assert page.errors == []


def test_jobs_are_searched_by_instance_and_paged(login, horizon_url, bulk):
    token, names = bulk
    page = login(ADMIN)
    url = horizon_url + JOBS
    # One create job per instance.
    _until(page, url, "jobs", "instance", token,
           lambda p: "of %d items" % BULK in _count(p, "jobs"))
    assert "Displaying 1–20 of %d items (page 1 of 2), newest first" \
        % BULK in _count(page, "jobs")
    first = _shown(page, "jobs", token)
    assert len(first) == 20
    assert all("INSTANCE_CREATE(%s" % token in t for t in first)
    # Newest first: the last instance made is on top.
    assert names[-1] in first[0]

    page.locator("#jobs tfoot a", has_text="Next").click()
    page.wait_for_load_state("networkidle")
    second = page.locator("#jobs tbody tr").all_inner_texts()
    assert len(second) == BULK - 20
    assert names[0] in second[-1]

    # By operation: Ganeti's opcode name finds it too.
    _filter(page, "jobs", "summary", "OP_INSTANCE_CREATE")
    assert all("INSTANCE_CREATE" in t for t in page.locator(
        "#jobs tbody tr").all_inner_texts())
    # By who started them: the tests' RAPI client, not a dashboard user.
    _filter(page, "jobs", "user", "another client")
    assert page.locator("#jobs tbody tr", has_text="INSTANCE_CREATE(%s"
                        % token).count() > 0
    _filter(page, "jobs", "user", "admin (admin)")
    assert page.locator("#jobs tbody tr", has_text="INSTANCE_CREATE(%s"
                        % token).count() == 0
    assert page.errors == []


def test_members_see_their_projects_operations(
        login, horizon_url, rapi_client, mapped_projects, made_instance):
    """demo's member stops demo's instance; the Operations panel and the
    instance's tab show it, to demo's member and reader, and not to the
    other project's member.
    """
    name = made_instance(tags=["openstack:project:%s"
                               % mapped_projects["demo"]])
    theirs = made_instance(tags=["openstack:project:%s"
                                 % mapped_projects["other"]])
    page = login(DEMO_MEMBER)
    found = open_instance(page, horizon_url + "/project/ganeti_instances/",
                          name)
    found.locator("a", has_text="Shut Down...").click()
    page.fill("#id_timeout", "0")
    page.click("input.btn-primary[type=submit]")
    row(page, name).locator("td", has_text="Stopped").wait_for(
        timeout=SETTLE)

    url = horizon_url + OPERATIONS
    _until(page, url, "operations", "instance", name,
           lambda p: p.locator("#operations tbody tr",
                               has_text="INSTANCE_SHUTDOWN").count() == 1)
    shutdown = page.locator("#operations tbody tr",
                            has_text="INSTANCE_SHUTDOWN")
    assert "demo-member (demo)" in shutdown.inner_text()
    # A row read while its job ran settles by itself.
    shutdown.locator("td", has_text="Success").wait_for(timeout=SETTLE)
    created = page.locator("#operations tbody tr",
                           has_text="INSTANCE_CREATE")
    assert "Ganeti CLI or another client" in created.inner_text()
    # The other project's instance is on the same cluster: not listed.
    _filter(page, "operations", "instance", theirs)
    assert page.locator("#operations tbody tr",
                        has_text=theirs).count() == 0

    # Each row leads to its instance; its tab has "Jobs I started".
    _filter(page, "operations", "instance", name)
    page.locator("#operations tbody tr", has_text="INSTANCE_SHUTDOWN") \
        .locator("a", has_text=name).click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/project/ganeti_instances/sandbox:%s/" % name)
    page.click("a[data-target$='operations']")
    page.locator(".ganeti-operations").wait_for()
    everything = page.locator(".ganeti-operations").inner_text()
    assert "INSTANCE_CREATE(%s)" % name in everything
    page.click("a.ganeti-operations-mine")
    page.wait_for_load_state("networkidle")
    page.locator(".ganeti-operations").wait_for()
    mine = page.locator(".ganeti-operations").inner_text()
    assert "INSTANCE_SHUTDOWN(%s)" % name in mine
    assert "INSTANCE_CREATE(%s)" % name not in mine

    # demo's reader sees them too; the other project's member does not.
    reader = login(DEMO_READER)
    _until(reader, url, "operations", "instance", name,
           lambda p: p.locator("#operations tbody tr",
                               has_text="INSTANCE_SHUTDOWN").count() == 1)
    other = login(OTHER_MEMBER)
    other.goto(url)
    other.wait_for_load_state("networkidle")
    assert name not in other.content()
    _filter(other, "operations", "instance", name)
    assert name not in other.locator("#operations tbody").inner_text()
    # Nor through a row update of demo's job.
    ids = [j["id"] for j in rapi_client.jobs(rapi_client.job_ids()[:50],
                                             ("id", "summary"))
           if "INSTANCE_SHUTDOWN(%s)" % name in j["summary"]]
    assert ids
    answer = other.request.get(
        url + "?action=row_update&table=operations&obj_id=sandbox:%d"
        % ids[0], headers={"X-Requested-With": "XMLHttpRequest"})
    assert answer.status == 404
    for each in (page, reader, other):
        assert each.errors == []
