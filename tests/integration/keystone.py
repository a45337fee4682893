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

"""Real Keystone for the integration tests: Horizon users, and an admin
session of the tests' own on Keystone's REST API.
"""

import os

from django.contrib import auth
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import pytest
import requests

from openstack_auth import user as auth_user

KEYSTONE = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
ADMIN = ("admin", os.environ.get("ADMIN_PASSWORD", "adminpw"), "admin")
DEMO_MEMBER = ("demo-member", "demopw", "demo")


def horizon_request(credentials):
    """A request whose user is logged in the way openstack_auth does it."""
    username, password, project = credentials
    access = v3.Password(
        auth_url=KEYSTONE, username=username, password=password,
        user_domain_id="default", project_name=project,
        project_domain_id="default").get_access(ks_session.Session())
    token = auth_user.Token(access)
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session.update({
        auth.SESSION_KEY: token.user["id"],
        auth.BACKEND_SESSION_KEY: "openstack_auth.backend.KeystoneBackend",
        "user_id": token.user["id"], "token": token,
        "region_endpoint": KEYSTONE, "services_region": None})
    request.user = auth_user.create_user_from_token(request, token, KEYSTONE)
    return request


@pytest.fixture(scope="session")
def rest():
    """An admin session on Keystone's REST API, the test's own."""
    http = requests.Session()
    answer = http.post(KEYSTONE + "/auth/tokens", timeout=30, json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": ADMIN[0], "domain": {"id": "default"},
            "password": ADMIN[1]}}},
        "scope": {"project": {"name": "admin",
                              "domain": {"id": "default"}}}}})
    answer.raise_for_status()
    http.headers["X-Auth-Token"] = answer.headers["X-Subject-Token"]
    return http


@pytest.fixture(scope="session")
def project_ids(rest):
    projects = rest.get(KEYSTONE + "/projects", timeout=30).json()
    return {p["name"]: p["id"] for p in projects["projects"]}


@pytest.fixture
def keystone_settings(settings):
    """Horizon's Keystone is the dev stack's."""
    settings.OPENSTACK_KEYSTONE_URL = KEYSTONE
