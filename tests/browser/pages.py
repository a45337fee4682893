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

"""What browser tests do to Horizon pages, written once."""

import re
import time

SETTLE = 120_000  # ms: rows poll until their job ends
CACHE_TTL = 10  # s: the test Horizon's cache_ttl


def dismiss_messages(page):
    """Horizon's message toasts cover the table's first rows."""
    page.evaluate("document.querySelectorAll('.messages .alert')"
                  ".forEach(e => e.remove())")


def exactly(text):
    """A cell's text that is ``text`` and nothing more."""
    return re.compile(r"^\s*%s\s*$" % re.escape(text))


def row(page, name, table="instances"):
    """The row whose cell reads exactly ``name``."""
    return page.locator("#%s tbody tr" % table, has=page.locator(
        "td", has_text=exactly(name)))


def cluster_row(page, table, name, cluster):
    """The row of ``name`` of ``cluster`` (names repeat across clusters)."""
    return row(page, name, table).filter(
        has=page.locator("td", has_text=exactly(cluster)))


def cell(found, css_class):
    """The text of the row's cell of class ``css_class``."""
    return found.locator("td.%s" % css_class).inner_text().strip()


def row_action(page, found, text):
    """Open the modal form of the row action labelled ``text`` (from the
    row's menu if it is not the row's button).
    """
    dismiss_messages(page)
    link = found.locator("a", has_text=text)
    if not link.is_visible():
        found.locator(".dropdown-toggle").click()
    link.click()
    page.locator(".modal form").wait_for()


def submit_modal(page):
    page.locator(".modal input.btn-primary[type=submit]").click()
    page.wait_for_load_state("networkidle")


def success_text(page, timeout=30_000, dismiss=False):
    """The success messages' text, once there is one (then gone from the
    page if ``dismiss``).
    """
    alert = page.locator(".alert-success")
    alert.first.wait_for(timeout=timeout)
    text = " ".join(alert.all_inner_texts())
    if dismiss:
        dismiss_messages(page)
    return text


def select(found):
    """Tick a row (Horizon hides the input behind a themed label)."""
    dismiss_messages(found.page)
    found.locator("input[type=checkbox] + label").click()
    assert found.locator("input[type=checkbox]").is_checked()


def confirm(page):
    page.locator(".modal-footer .btn-danger, .modal-footer .btn-primary") \
        .first.click()
    page.wait_for_load_state("networkidle")


def submit(page):
    dismiss_messages(page)
    page.click("input.btn-primary[type=submit]")


def until(check, timeout=120, what="condition", page=None):
    """``check()``'s first true value, polled within ``timeout`` seconds;
    with ``page``, the page is reloaded between tries (a list that shows
    what its cached snapshot has).
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, "timed out waiting for " + what
        if page is not None:
            page.reload()
            page.wait_for_load_state("networkidle")
        else:
            time.sleep(1)


def open_instance(page, url, name, limit=60, filter_text=None,
                  field="name"):
    """Open an instances page filtered on ``name`` (or on ``filter_text``,
    a part shared by several instances, in filter ``field``) and return
    ``name``'s row.

    An instance made outside the dashboard (as tests make them, like the
    CLI) shows once the cached list expires (cache_ttl), so the page is
    reloaded until it does, within a bound.
    """
    deadline = time.monotonic() + limit
    while True:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        dismiss_messages(page)
        # Horizon themes the field choice as a dropdown over a hidden
        # select: set the select itself.
        page.evaluate("field => document.querySelector(\"select[name$="
                      "'filter__q_field']\").value = field", field)
        page.fill("input[name$='filter__q']", filter_text or name)
        page.click("#instances__action_filter")
        page.wait_for_load_state("networkidle")
        dismiss_messages(page)
        found = row(page, name)
        if found.count() or time.monotonic() > deadline:
            found.wait_for(timeout=5000)
            return found
        time.sleep(2)


def fill_create_workflow(page, name, cluster="sandbox",
                         disk_template="diskless", disks=""):
    """Fill the create workflow's Details and Resources for a small
    instance, diskless unless told (the other steps keep their defaults;
    ``cluster`` None keeps the one the page chose).
    """
    page.fill("#id_name", name)
    if cluster is not None:
        page.select_option("#id_cluster", cluster)
    page.select_option("#id_os", "noop")
    page.click("a:text-is('Resources')")
    page.fill("#id_memory", "128")
    page.select_option("#id_disk_template", disk_template)
    page.fill("#id_disks", disks)


# What Ganeti says of a resize below the instance policy's minimum.
BELOW_POLICY = "violates policy"


def resize_below_policy(page, found):
    """Resize ``found``'s instance to 64 MiB, below the sandbox's instance
    policy (Ganeti's default minimum, 128 MiB): a job Ganeti fails, which
    the dashboard cannot know beforehand; wait for the page to say so.
    """
    dismiss_messages(page)
    found.locator(".dropdown-toggle").click()
    found.locator("a", has_text="Resize...").click()
    page.fill("#id_memory", "64")
    page.click("input.btn-primary[type=submit]")
    page.locator(".alert-danger", has_text=BELOW_POLICY).wait_for(
        timeout=SETTLE)
