"""Seed the dev stack's Keystone: two projects, a member and a reader in each.

Idempotent: everything is looked up before it is created, so it runs on every
``tools/stack up``. Only talks to the Keystone URL it is given (loopback).
"""

import sys

import requests

PROJECTS = ("demo", "other")
USER_PASSWORD = "demopw"


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


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
