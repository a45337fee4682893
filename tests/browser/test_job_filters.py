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

"""Admin > Ganeti > Job Filters in a real browser, against sandbox2: a
REJECT rule on a reason no real job has, its summary, a new priority, and
its deletion; a bad predicate refused in the form.
"""

import json
import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser import pages

pytestmark = pytest.mark.browser


@pytest.fixture
def no_new_filters(rapi_client2):
    before = {r["uuid"] for r in rapi_client2.filters()}
    yield
    for rule in rapi_client2.filters():
        if rule["uuid"] not in before:
            rapi_client2.delete_filter(rule["uuid"])


def _submit(page):
    page.locator("input.btn-primary[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_add_see_summary_modify_delete(login, horizon_url, rapi_client2,
                                       no_new_filters):
    marker = "gdtest-%s" % uuid.uuid4().hex[:8]
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_filters/create/")
    page.locator("form#filter_create_form").wait_for()
    page.select_option("#id_cluster", "sandbox2")
    page.fill("#id_priority", "90")
    page.fill("#id_predicates", json.dumps(
        [["reason", ["=~", "reason", marker]]]))
    page.select_option("#id_action", "REJECT")
    _submit(page)
    page.locator(".alert-success").first.wait_for()
    rules = [r for r in rapi_client2.filters()
             if marker in json.dumps(r["predicates"])]
    assert len(rules) == 1 and rules[0]["action"] == "REJECT"
    rule = rules[0]
    row = page.locator("#filters tbody tr", has_text=rule["uuid"])
    assert "Rejects jobs where the reason contains '%s'" % marker \
        in row.inner_text()
    page.goto(horizon_url + "/admin/ganeti_filters/sandbox2:%s/update/"
              % rule["uuid"])
    page.locator("form#filter_update_form").wait_for()
    page.fill("#id_priority", "91")
    _submit(page)
    page.locator(".alert-success").first.wait_for()
    assert rapi_client2.filter_rule(rule["uuid"])["priority"] == 91
    row = page.locator("#filters tbody tr", has_text=rule["uuid"])
    pages.select(row)
    page.locator("#filters__action_delete").click()
    pages.confirm(page)
    page.locator(".alert-success").first.wait_for()
    assert rule["uuid"] not in {r["uuid"] for r in rapi_client2.filters()}


def test_bad_predicate_refused_in_the_form(login, horizon_url,
                                           rapi_client2, no_new_filters):
    before = rapi_client2.filters()
    page = login(ADMIN)
    page.goto(horizon_url + "/admin/ganeti_filters/create/")
    page.locator("form#filter_create_form").wait_for()
    page.select_option("#id_cluster", "sandbox2")
    page.fill("#id_predicates", '[["bogus", ["=", "id", 1]]]')
    _submit(page)
    assert "a predicate is [name, expression]" in page.content()
    assert rapi_client2.filters() == before
