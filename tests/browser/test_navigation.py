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

"""Horizon's navigation on the dashboard's pages: each user sees the
navigation of their own roles, with the panel shown marked, on every view.
"""

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_READER

pytestmark = pytest.mark.browser

ADMIN_URL = "/admin/ganeti_instances/"
PROJECT_URL = "/project/ganeti_instances/"
OTHER_LISTS = ("/admin/ganeti_nodes/", "/admin/ganeti_jobs/",
               "/admin/ganeti_clusters/", "/admin/ganeti_projects/")


def _navigation(page):
    """(dashboards shown, href of the active panel, whole markup)."""
    sidebar = page.locator("#sidebar")
    dashboards = sidebar.locator("li.openstack-dashboard > a").all_inner_texts()
    active = sidebar.locator("a.openstack-panel.active")
    return ([d.strip() for d in dashboards], active.get_attribute("href"),
            sidebar.inner_html())


def test_each_user_sees_navigation_of_their_own_on_every_view(
        login, horizon_url, mapped_projects):
    admin = login(ADMIN)
    views = []
    for url in (ADMIN_URL, ADMIN_URL, PROJECT_URL, ADMIN_URL) + OTHER_LISTS:
        admin.goto(horizon_url + url)
        views.append((url, _navigation(admin)))
    for url, (dashboards, active, _markup) in views:
        assert "Admin" in dashboards and "Project" in dashboards
        assert active == url
    # A reload shows the navigation of the first view, unchanged.
    assert views[0][1] == views[1][1] == views[3][1]

    # The reader, on the same Horizon right after, gets the navigation of
    # a reader: no Admin dashboard, on the first view and the next.
    reader = login(DEMO_READER)
    for _ in range(2):
        reader.goto(horizon_url + PROJECT_URL)
        dashboards, active, markup = _navigation(reader)
        assert "Admin" not in dashboards
        assert "Project" in dashboards
        assert active == PROJECT_URL
        assert ADMIN_URL not in markup
