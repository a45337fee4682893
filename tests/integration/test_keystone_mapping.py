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

"""Cluster mappings (Keystone project tags) against the real Keystone.

The dashboard's helpers run with real Horizon users (an admin, and a
project member whose token cannot list projects); the test reads and sets
tags itself through Keystone's REST API, as ``openstack project set --tag``
would, so it checks what Keystone really holds.
"""

import socket
import uuid

import pytest

from horizon import exceptions as horizon_exceptions

from ganeti_dashboard.api import keystone as keystone_api
from tests.integration.keystone import ADMIN
from tests.integration.keystone import DEMO_MEMBER
from tests.integration.keystone import horizon_request
from tests.integration.keystone import KEYSTONE

pytestmark = [pytest.mark.integration,
              pytest.mark.usefixtures("keystone_settings")]


def tags(rest, project_id):
    answer = rest.get("%s/projects/%s/tags" % (KEYSTONE, project_id),
                      timeout=30)
    answer.raise_for_status()
    return answer.json()["tags"]


@pytest.fixture
def cluster(rest, project_ids):
    """A cluster name no one else maps; its tags are removed afterwards."""
    name = "gdtest-%s" % uuid.uuid4().hex[:8]
    yield name
    for project_id in project_ids.values():
        rest.delete("%s/projects/%s/tags/ganeti:cluster:%s"
                    % (KEYSTONE, project_id, name), timeout=30)


def test_tag_set_with_the_rest_api_is_listed(rest, project_ids, cluster):
    other = project_ids["other"]
    rest.put("%s/projects/%s/tags/ganeti:cluster:%s"
             % (KEYSTONE, other, cluster), timeout=30).raise_for_status()
    projects = {p.name: p for p in keystone_api.projects_with_clusters(
        horizon_request(ADMIN))}
    assert cluster in projects["other"].clusters
    assert cluster not in projects["demo"].clusters


def test_add_and_remove_mapping(rest, project_ids, cluster):
    demo = project_ids["demo"]
    request = horizon_request(ADMIN)
    keystone_api.add_mapping(request, demo, cluster)
    assert "ganeti:cluster:%s" % cluster in tags(rest, demo)
    keystone_api.add_mapping(request, demo, cluster)  # idempotent
    keystone_api.remove_mapping(request, demo, cluster)
    assert "ganeti:cluster:%s" % cluster not in tags(rest, demo)
    keystone_api.remove_mapping(request, demo, cluster)  # already gone


def test_member_reads_the_clusters_of_their_own_project(rest, project_ids,
                                                        cluster):
    demo, other = project_ids["demo"], project_ids["other"]
    request = horizon_request(DEMO_MEMBER)
    assert cluster not in keystone_api.clusters_of_project(request, demo)
    rest.put("%s/projects/%s/tags/ganeti:cluster:%s"
             % (KEYSTONE, demo, cluster), timeout=30).raise_for_status()
    # A new request: the earlier answer was remembered for one request.
    request = horizon_request(DEMO_MEMBER)
    assert cluster in keystone_api.clusters_of_project(request, demo)
    # Another project's mappings are not the member's to read ...
    with pytest.raises(keystone_api.KeystoneError) as refused:
        keystone_api.clusters_of_project(request, other)
    assert "403" in str(refused.value)
    # ... nor are mappings theirs to change.
    with pytest.raises(horizon_exceptions.NotAuthorized):
        keystone_api.add_mapping(request, other, cluster)
    assert "ganeti:cluster:%s" % cluster not in tags(rest, other)


def test_keystone_down_is_a_keystone_error(project_ids):
    request = horizon_request(ADMIN)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    request.user.service_catalog = []
    request.session["region_endpoint"] = "http://127.0.0.1:%d/v3" % closed
    with pytest.raises(keystone_api.KeystoneError) as failed:
        keystone_api.projects_with_clusters(request)
    assert "could not be reached" in str(failed.value)
