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

"""Read-only clusters, both kinds, on the real sandbox cluster.

A Horizon of its own (the session's Horizon keeps its clusters) sees the
sandbox twice: as ``sandbox-ro``, configured ``read_only = true`` but with
the RAPI user that may write (so only the dashboard stands between a post
and a change), and as ``sandbox-rouser``, with Ganeti's read-only RAPI
user and no flag (so Ganeti refuses, and the page must say why).
"""

import os

import pytest

from tests.browser import conftest
from tests.browser.conftest import ADMIN
from tests.browser import http
from tests.browser import pages

pytestmark = pytest.mark.browser

INDEX = "/admin/ganeti_instances/"


@pytest.fixture(scope="module")
def ro_horizon_url(sandbox, tmp_path_factory):
    path = tmp_path_factory.mktemp("ro-conf") / "ganeti-dashboard.conf"
    path.write_text("""
[cluster:sandbox-ro]
rapi_url = {url}
rapi_user = {user}
rapi_password = {password}
ca_file = {ca}
read_only = true
[cluster:sandbox-rouser]
rapi_url = {url}
rapi_user = {ro_user}
rapi_password = {ro_password}
ca_file = {ca}
""".format(url=sandbox["RAPI_URL"], user=sandbox["RAPI_USER"],
           password=sandbox["RAPI_PASSWORD"], ca=sandbox["RAPI_CA"],
           ro_user=sandbox["RAPI_RO_USER"],
           ro_password=sandbox["RAPI_RO_PASSWORD"]))
    os.chmod(path, 0o600)
    port = conftest._free_port()
    site = os.path.join(conftest.STATE, "test-horizon-ro", str(port))
    url = conftest.horizon_site.up(site, port, str(path))
    yield url
    conftest.horizon_site.down(site)


@pytest.fixture
def ro_login(browser, ro_horizon_url, request):
    contexts = []
    yield conftest.login_to(browser, ro_horizon_url, contexts)
    conftest.closed_with_pictures(request.node.nodeid, contexts)


def _newest_job(client):
    return max((int(job["id"]) for job in client.get("/2/jobs")), default=0)


def _status(client, name):
    return client.get("/2/instances/%s" % name)["status"]


def test_read_only_clusters_offer_nothing_and_refuse_posts(
        ro_login, ro_horizon_url, made_instance, rapi_client, screenshot):
    name = made_instance()
    page = ro_login(ADMIN)
    page.goto(ro_horizon_url + INDEX)
    page.fill("input[name$='filter__q']", name)
    page.click("#instances__action_filter")
    page.wait_for_load_state("networkidle")
    assert pages.row(page, name).count() == 2
    text = page.locator("body").inner_text()
    assert ("Cluster sandbox-ro is read-only for the dashboard: its "
            "instances cannot be changed here.") in text
    content = page.content()
    # Both rows are listed; only the cluster whose RAPI user is read-only
    # (which the dashboard cannot know before Ganeti says so) offers
    # actions.
    assert "sandbox-ro:%s/shutdown" % name not in content
    assert "sandbox-rouser:%s/shutdown" % name in content
    screenshot(page, "instances")
    page.goto(ro_horizon_url + "/admin/ganeti_clusters/sandbox-ro/")
    overview = page.locator(".detail").first.inner_text()
    assert "Read-only" in overview

    # Posted by hand, a shutdown of each is refused with its reason, and
    # Ganeti runs no job: the instance still runs.
    session = http.session(ro_horizon_url, ADMIN)
    before = _newest_job(rapi_client)
    answers = {}
    for cluster in ("sandbox-ro", "sandbox-rouser"):
        answer = http.post(session, ro_horizon_url + INDEX, {
            "action": "instances__stop",
            "object_ids": ["%s:%s" % (cluster, name)]})
        assert answer.status_code == 302, answer.status_code
        answers[cluster] = session.get(ro_horizon_url + INDEX,
                                       timeout=60).text
    assert "read-only for the dashboard" in answers["sandbox-ro"]
    assert "this cluster is read-only for the dashboard" in \
        answers["sandbox-rouser"]
    assert _newest_job(rapi_client) == before
    assert _status(rapi_client, name) == "running"
