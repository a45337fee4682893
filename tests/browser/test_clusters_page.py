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

"""Admin > Ganeti > Clusters in a real browser, on real Keystone and Ganeti."""

import re
import time

import pytest

from tests.browser.pages import row

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import DEMO_READER

pytestmark = pytest.mark.browser


def _row(page, name):
    return row(page, name, table="clusters")


def test_admin_lands_on_clusters_and_sees_the_sandbox(login, client_info):
    page = login(ADMIN)
    assert page.url.endswith("/admin/ganeti_clusters/")
    sidebar = page.locator("#sidebar").inner_text()
    assert "Ganeti" in sidebar and "Clusters" in sidebar
    row = _row(page, "sandbox")
    text = row.inner_text()
    # The version the sandbox's RAPI reports, read by the test itself.
    assert client_info["software_version"] in text
    assert client_info["master"] in text
    assert "fake" in text
    assert "reachable" in text
    assert page.errors == []


def test_each_broken_cluster_shows_its_cause_and_the_sandbox_still_shows(
        login, horizon_url):
    page = login(ADMIN)
    started = time.monotonic()
    page.goto(horizon_url + "/admin/ganeti_clusters/")
    elapsed = time.monotonic() - started
    assert "connection refused" in _row(page, "zz-down").inner_text()
    assert "authentication failed" in _row(page, "zz-wrongpw").inner_text()
    assert "certificate not trusted" in _row(
        page, "zz-untrusted").inner_text()
    # It accepts TCP and never answers: the TLS handshake times out. The
    # refresh names the connect timeout that fired; a call whose connect and
    # read timeouts are equal cannot tell the two apart and says "answer".
    assert re.search(r"no (connection|TLS handshake|answer) within 2s",
                     _row(page, "zz-silent").inner_text())
    assert "reachable" in _row(page, "sandbox").inner_text()
    # One message per cluster, worded as on every other list.
    warning = " ".join(page.locator(".alert-warning").all_inner_texts())
    assert "Cluster zz-down could not be queried: connection refused" \
        in warning
    assert "Cluster zz-wrongpw could not be queried: authentication " \
        "failed" in warning
    # The silent cluster costs its read timeout once, not once per cluster
    # (a generous bound against hanging, not a benchmark).
    assert elapsed < 15


def test_cluster_detail_page(login, horizon_url, client_info):
    page = login(ADMIN)
    page.click("#clusters tbody a:text-is('sandbox')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/admin/ganeti_clusters/sandbox/")
    detail = page.locator(".detail").first.inner_text()
    assert client_info["software_version"] in detail
    assert ", ".join(client_info["enabled_disk_templates"]) in detail
    assert "ganeti-sandbox" not in page.content()  # no RAPI password


@pytest.mark.parametrize("user", [DEMO_MEMBER, DEMO_READER])
def test_project_users_have_no_admin_ganeti(login, horizon_url, user):
    page = login(user)
    # They land on a page that works with an identity-only catalog.
    assert page.url.endswith("/project/ganeti_instances/")
    assert "not authorized" not in page.content()
    sidebar = page.locator("#sidebar").inner_text()
    assert "Admin" not in sidebar and "Clusters" not in sidebar
    response = page.goto(horizon_url + "/admin/ganeti_clusters/")
    page.wait_for_load_state("networkidle")
    assert "zz-down" not in page.content()
    assert "Ganeti Clusters" not in page.title()
    assert response.status != 500
