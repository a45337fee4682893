"""Cluster mappings (Keystone project tags) against the real Keystone.

The dashboard's helpers run with real Horizon users (an admin, and a
project member whose token cannot list projects); the test reads and sets
tags itself through Keystone's REST API, as ``openstack project set --tag``
would, so it checks what Keystone really holds.
"""

import os
import socket
import uuid

import pytest
import requests
from django.contrib import auth
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from horizon import exceptions as horizon_exceptions
from openstack_auth import user as auth_user

from ganeti_dashboard.api import keystone as keystone_api

pytestmark = pytest.mark.integration

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


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def project_ids(rest):
    projects = rest.get(KEYSTONE + "/projects", timeout=30).json()
    return {p["name"]: p["id"] for p in projects["projects"]}


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


@pytest.fixture(autouse=True)
def django_settings(settings):
    settings.OPENSTACK_KEYSTONE_URL = KEYSTONE


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
