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

"""Edit Settings and Redistribute Config of a cluster in a real browser,
against sandbox2. Every value changed is put back, whatever happens.
"""

import re

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser


def _settings(rapi_client2):
    info = rapi_client2.info()
    return (info["candidate_pool_size"],
            dict(info["beparams"]["default"]),
            dict(info["hvparams"][info["default_hypervisor"]]),
            info["ipolicy"], info["enabled_disk_templates"])


@pytest.fixture
def settings_kept(rapi_client2):
    """sandbox2's settings, put back after the test."""
    before = _settings(rapi_client2)
    yield before
    size, beparams, hvparams, _ipolicy, _templates = before
    info = rapi_client2.info()
    changes = {}
    if info["candidate_pool_size"] != size:
        changes["candidate_pool_size"] = size
    if info["beparams"]["default"] != beparams:
        changes["beparams"] = beparams
    hv = info["default_hypervisor"]
    if info["hvparams"][hv] != hvparams:
        changes["hvparams"] = {hv: hvparams}
    if changes:
        rapi_client2.wait_for_job(rapi_client2.modify_cluster(**changes))
    assert _settings(rapi_client2) == before


def _open(page, horizon_url):
    page.goto(horizon_url + "/admin/ganeti_clusters/sandbox2/settings/")
    page.locator("form#cluster_settings_form").wait_for()


def _submit(page):
    page.locator("input.btn-primary[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_change_pool_size_and_a_beparam_and_put_them_back(
        login, horizon_url, rapi_client2, settings_kept):
    size, beparams = settings_kept[0], settings_kept[1]
    page = login(ADMIN)
    _open(page, horizon_url)
    assert "Now: %s" % size in page.content()
    page.fill("#id_cps", str(size + 1))
    page.fill("#id_be_maxmem", str(beparams["maxmem"] + 128))
    _submit(page)
    message = page.locator(".alert-success").first.inner_text()
    assert re.search(r"Ganeti job \d+ started", message), message
    info = rapi_client2.info()
    assert info["candidate_pool_size"] == size + 1
    assert info["beparams"]["default"]["maxmem"] == beparams["maxmem"] + 128
    # And back, through the form.
    _open(page, horizon_url)
    assert "Now: %s" % (size + 1) in page.content()
    page.fill("#id_cps", str(size))
    page.fill("#id_be_maxmem", str(beparams["maxmem"]))
    _submit(page)
    page.locator(".alert-success").first.wait_for()
    info = rapi_client2.info()
    assert info["candidate_pool_size"] == size
    assert info["beparams"]["default"] == beparams


def test_refused_value_shows_ganetis_message_and_changes_nothing(
        login, horizon_url, rapi_client2, settings_kept):
    page = login(ADMIN)
    _open(page, horizon_url)
    page.fill("#id_hv_migration_mode", "bogus")
    _submit(page)
    error = page.locator(".alert-danger, .error").first
    error.wait_for()
    text = page.content()
    assert "invalid migration mode" in text
    assert "Nothing was changed" in text
    assert _settings(rapi_client2) == settings_kept


def test_redistribute_config_runs(login, horizon_url, rapi_client2):
    page = login(ADMIN)
    page.goto(horizon_url
              + "/admin/ganeti_clusters/sandbox2/redistribute-config/")
    page.locator("form#cluster_redistribute_form").wait_for()
    _submit(page)
    message = page.locator(".alert-success").first.inner_text()
    found = re.search(r"Ganeti job (\d+) started and succeeded", message)
    assert found, message
    job = rapi_client2.job(int(found.group(1)))
    assert job["ops"][0]["OP_ID"] == "OP_CLUSTER_REDIST_CONF"
