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

"""Seed the dev stack's Keystone: two projects, a member and a reader in each,
and the ``ganeti`` service with its default limits.

Idempotent: everything is looked up before it is created, so it runs on every
``tools/stack up``. Only talks to the Keystone URL it is given (loopback).
"""

import sys

import requests

PROJECTS = ("demo", "other")
USER_PASSWORD = "demopw"
# Registered limits (defaults) of the ganeti service: generous enough for
# the tests' own instances, which set project limits where they need less.
DEFAULT_LIMITS = {"instances": 20, "vcpus": 40, "memory_mb": 40960,
                  "disk_gb": 500}
# The dashboard finds the service in a user's token catalog, which lists
# only services with an endpoint: the console proxy's address serves.
SERVICE_ENDPOINT = "http://127.0.0.1:6080"


def main(url, admin_password):
    session = requests.Session()
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"},
            "password": admin_password}}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    answer = session.post(url + "/auth/tokens", json=body, timeout=30)
    answer.raise_for_status()
    session.headers["X-Auth-Token"] = answer.headers["X-Subject-Token"]

    def find(kind, name, key):
        found = session.get("%s/%s" % (url, kind), params={"name": name},
                            timeout=30).json()[key]
        return found[0]["id"] if found else None

    def ensure(kind, key, name, extra):
        found = find(kind, name, kind)
        if found:
            return found
        answer = session.post("%s/%s" % (url, kind), timeout=30, json={
            key: dict({"name": name, "domain_id": "default"}, **extra)})
        answer.raise_for_status()
        return answer.json()[key]["id"]

    roles = {name: find("roles", name, "roles") for name in ("member", "reader")}
    for project in PROJECTS:
        project_id = ensure("projects", "project", project,
                            {"description": "ganeti-dashboard dev project"})
        for role in ("member", "reader"):
            user = "%s-%s" % (project, role)
            user_id = ensure("users", "user", user, {
                "password": USER_PASSWORD, "default_project_id": project_id})
            session.put("%s/projects/%s/users/%s/roles/%s" % (
                url, project_id, user_id, roles[role]),
                timeout=30).raise_for_status()
    ensure_ganeti_service(session, url)


def ensure_ganeti_service(session, url):
    """The ``ganeti`` service, its public endpoint and default limits."""
    found = session.get(url + "/services", params={"type": "ganeti"},
                        timeout=30).json()["services"]
    if found:
        service_id = found[0]["id"]
    else:
        answer = session.post(url + "/services", timeout=30, json={
            "service": {"type": "ganeti", "name": "ganeti",
                        "description": "Ganeti clusters (ganeti-dashboard)"}})
        answer.raise_for_status()
        service_id = answer.json()["service"]["id"]
    endpoints = session.get(url + "/endpoints", timeout=30, params={
        "service_id": service_id, "interface": "public"}).json()["endpoints"]
    if not endpoints:
        session.post(url + "/endpoints", timeout=30, json={"endpoint": {
            "service_id": service_id, "interface": "public",
            "region_id": "RegionOne", "url": SERVICE_ENDPOINT}}
        ).raise_for_status()
    have = {r["resource_name"] for r in session.get(
        url + "/registered_limits", params={"service_id": service_id},
        timeout=30).json()["registered_limits"]}
    missing = [{"service_id": service_id, "resource_name": name,
                "default_limit": value}
               for name, value in sorted(DEFAULT_LIMITS.items())
               if name not in have]
    if missing:
        session.post(url + "/registered_limits", timeout=30,
                     json={"registered_limits": missing}).raise_for_status()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
