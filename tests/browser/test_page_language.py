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

"""The page's language is on ``<html lang>``, as the request chose it: the
user's language setting (Horizon's language cookie) or English by default.
"""

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER

pytestmark = pytest.mark.browser


def _lang(page):
    return page.evaluate("document.documentElement.getAttribute('lang')")


@pytest.mark.parametrize("user, url", [
    (ADMIN, "/admin/ganeti_instances/"),
    (DEMO_MEMBER, "/project/ganeti_instances/"),
])
def test_html_lang_follows_the_language_of_the_request(
        login, horizon_url, mapped_projects, user, url):
    page = login(user)
    page.goto(horizon_url + url)
    assert _lang(page) == "en"

    page.context.add_cookies([{"name": "horizon_language", "value": "de",
                               "url": horizon_url}])
    page.goto(horizon_url + url)
    assert _lang(page) == "de"
