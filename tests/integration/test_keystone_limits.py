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

"""Unified limits against the real Keystone that the dev stack seeds.

The dev stack registers the ``ganeti`` service (with an endpoint, so a
member's token catalog names it) and its default limits. The operators'
helper writes project limits; the test reads back through Keystone's REST
API what Keystone really holds, and a member's token sees the result.
"""

import pytest

from horizon import exceptions as horizon_exceptions

from ganeti_dashboard.api import limits
from tests.integration.keystone import ADMIN
from tests.integration.keystone import DEMO_MEMBER
from tests.integration.keystone import horizon_request
from tests.integration.keystone import KEYSTONE

pytestmark = [pytest.mark.integration,
              pytest.mark.usefixtures("keystone_settings")]


def _project_limits(rest, project_id):
    answer = rest.get(KEYSTONE + "/limits", timeout=30,
                      params={"project_id": project_id})
    answer.raise_for_status()
    return {limit["resource_name"]: limit["resource_limit"]
            for limit in answer.json()["limits"]}


@pytest.fixture
def demo_limits(rest, project_ids):
    """The demo project's limits are put back as they were."""
    demo = project_ids["demo"]
    before = _project_limits(rest, demo)
    yield demo
    request = horizon_request(ADMIN)
    limits.set_project_limits(request, demo, {
        r: before.get(r) for r in limits.RESOURCES})
    assert _project_limits(rest, demo) == before


def test_member_token_finds_the_service_and_its_defaults(project_ids):
    request = horizon_request(DEMO_MEMBER)
    assert limits.service_id(request)
    found = limits.project_limits(request, project_ids["demo"])
    assert set(found.defaults) == set(limits.RESOURCES)
    assert found.limit("instances") == found.defaults["instances"] > 0


def test_operator_sets_overrides_member_sees_them(rest, demo_limits):
    admin = horizon_request(ADMIN)
    limits.set_project_limits(admin, demo_limits, {
        "instances": 1, "vcpus": -1, "memory_mb": None, "disk_gb": None})
    assert _project_limits(rest, demo_limits) == {"instances": 1,
                                                  "vcpus": -1}
    member = horizon_request(DEMO_MEMBER)
    found = limits.project_limits(member, demo_limits)
    assert found.limit("instances") == 1
    assert found.limit("vcpus") is None  # -1: unlimited
    assert found.limit("memory_mb") == found.defaults["memory_mb"]
    with pytest.raises(limits.LimitExceeded) as refused:
        limits.check(found, limits.Usage(instances=1),
                     limits.Delta(instances=1))
    assert "Instances: 2 of 1 allowed" in str(refused.value)
    # Changing one override and dropping another.
    limits.set_project_limits(admin, demo_limits, {
        "instances": 5, "vcpus": None})
    assert _project_limits(rest, demo_limits) == {"instances": 5}


def test_member_cannot_set_limits(rest, demo_limits):
    member = horizon_request(DEMO_MEMBER)
    before = _project_limits(rest, demo_limits)
    with pytest.raises((limits.LimitError, horizon_exceptions.NotAuthorized)):
        limits.set_project_limits(member, demo_limits, {"instances": 99})
    assert _project_limits(rest, demo_limits) == before
