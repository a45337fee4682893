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

"""The server decides, against the real Horizon, Keystone and Ganeti.

Hostile users post what the dashboard's own forms post, by hand: every
write URL and table action the policy file lists (``conf/policies.py``
operations), for every role the policy denies it, with the role's real
Keystone login; nothing may reach Ganeti. And a project's limits hold when
many creates arrive at the same moment.
"""

import concurrent.futures
import uuid

from oslo_config import cfg
import pytest
import requests

from ganeti_dashboard.conf import policies
from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import DEMO_READER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser import http
from tests.browser.pages import dismiss_messages
from tests.browser.pages import open_instance

pytestmark = pytest.mark.browser

OWNER = "openstack:project:"
# Roles of the dev stack's users, as Keystone gives them.
ROLES = {DEMO_MEMBER: ["member", "reader"], DEMO_READER: ["reader"],
         OTHER_MEMBER: ["member", "reader"]}
# A body every form of the dashboard would accept, or nearly.
FORM_BODY = {"timeout": "0", "reboot_type": "hard", "os_name": "noop",
             "start": "on", "new_name": "gdweb-renamed.ganeti.test",
             "vcpus": "2", "memory": "256", "mode": "non-live",
             "target_node": "", "cluster": "sandbox", "tag": "hostile",
             "role": "offline", "project": "-", "ids": "",
             "instances": "100", "name": "gdweb-hostile.ganeti.test",
             "os": "noop", "disk_template": "diskless", "disks": "",
             "nic_mode": "", "nic_link": "", "nic_network": "", "node": ""}


def _enforcer():
    conf = cfg.ConfigOpts()
    conf(args=[], default_config_files=[], default_config_dirs=[])
    return policies.get_enforcer(conf)


def _allowed(enforcer, rule, roles):
    return bool(enforcer.enforce(rule, {}, {"roles": roles,
                                            "project_id": "p"}))


def _panel_rules():
    """The rule of each panel's list (Horizon checks it on every URL of
    the panel): the rule whose operations GET the panel's root.
    """
    found = {}
    for rule in policies.list_rules():
        for op in getattr(rule, "operations", None) or []:
            path = op["path"]
            if op["method"] == "GET" and path.count("/") == 3:
                found[path] = rule.name
    return found


def _writes():
    """``(rule, path, body)`` of every POST the policy file lists."""
    for rule in policies.list_rules():
        for op in getattr(rule, "operations", None) or []:
            if op["method"] != "POST":
                continue
            path, _sep, action = op["path"].partition(" (action=")
            yield rule.name, path, action.rstrip(")") or None


def _fill(path, ids):
    for mark, value in ids.items():
        path = path.replace(mark, value)
    return path


@pytest.fixture
def demo_instance(mapped_projects, made_instance):
    """A running instance of project demo on the sandbox."""
    return made_instance(tags=[OWNER + mapped_projects["demo"]])


def _jobs_on(client, name, since):
    started = [j for j in client.job_ids() if j > since]
    return [job for job in client.jobs(started)
            if any(name in s for s in job["summary"])]


def test_every_write_a_role_is_denied_changes_nothing(
        horizon_url, demo_instance, mapped_projects, rapi_client, sandbox):
    enforcer, panels = _enforcer(), _panel_rules()
    instance_id = "sandbox:" + demo_instance
    ids = {"<cluster>:<instance>": instance_id,
           "<cluster>:<node>": "sandbox:" + sandbox["NODE"],
           "<cluster>:<job>": "sandbox:%d" % rapi_client.job_ids()[-1],
           "<cluster>": "sandbox",
           "<project_id>": mapped_projects["demo"]}
    sessions = {who: http.session(horizon_url, who) for who in ROLES}
    sessions[None] = requests.Session()  # not logged in, CSRF cookie only
    sessions[None].get(horizon_url + "/auth/login/", timeout=60)
    before = rapi_client.job_ids()[0]
    tried = []
    for who, session in sessions.items():
        roles = ROLES.get(who, [])
        for rule, path, action in _writes():
            panel = panels["/%s/" % "/".join(path.split("/")[1:3])]
            allowed = who is not None and all(
                _allowed(enforcer, r, roles) for r in (rule, panel))
            # demo's instance is outside another project's scope.
            scoped_out = who == OTHER_MEMBER and (
                "<cluster>:<instance>" in path or bool(action))
            if allowed and not scoped_out:
                continue  # the role may: posting would act for real
            body = dict(FORM_BODY, object_ids=[instance_id])
            if action:
                body["action"] = action
            url = horizon_url + _fill(path, ids)
            answer = http.post(session, url, body)
            tried.append((who and who[0], rule, path, action))
            assert http.refused(answer), (who, rule, path, action,
                                          answer.status_code,
                                          answer.headers.get("Location"),
                                          answer.text[:300])
            if not action:
                got = session.get(url, timeout=60, allow_redirects=False)
                assert http.refused(got), (who, rule, path, "GET",
                                           got.status_code)
    # Readers, another project's member, a member on admin-only rules
    # and the anonymous: dozens of refusals, and not one job.
    assert len(tried) > 40, tried
    assert _jobs_on(rapi_client, demo_instance, before) == []
    assert rapi_client.instance(demo_instance)["status"] == "running"
    assert "gdweb-hostile.ganeti.test" not in rapi_client.instance_names()


def test_reader_replaying_a_members_form_changes_nothing(
        login, horizon_url, demo_instance, rapi_client):
    member = login(DEMO_MEMBER)
    found = open_instance(member, horizon_url + "/project/ganeti_instances/",
                          demo_instance)
    found.locator(".dropdown-toggle").click()
    found.locator("a", has_text="Shut Down...").click()
    form = member.locator("form#instance_shutdown_form")
    form.wait_for()
    action = form.get_attribute("action")
    fields = member.evaluate(
        "f => Object.fromEntries(new FormData(f))", form.element_handle())
    assert fields["timeout"]

    reader = login(DEMO_READER)
    reader.goto(horizon_url + "/project/ganeti_instances/")
    dismiss_messages(reader)
    before = rapi_client.job_ids()[0]
    status = reader.evaluate("""([action, fields]) => {
        const body = new FormData();
        for (const [k, v] of Object.entries(fields)) body.set(k, v);
        body.set('csrfmiddlewaretoken', document.querySelector(
            'input[name=csrfmiddlewaretoken]').value);
        return fetch(action, {method: 'POST', body: body,
                              credentials: 'same-origin',
                              redirect: 'manual'}).then(r => r.status);
    }""", [action, fields])
    assert status == 403
    assert _jobs_on(rapi_client, demo_instance, before) == []
    assert rapi_client.instance(demo_instance)["status"] == "running"


def _keystone(keystone_admin, method, path, **kwargs):
    url, headers = keystone_admin
    answer = requests.request(method, url + path, headers=headers,
                              timeout=30, **kwargs)
    answer.raise_for_status()
    return answer.json() if answer.content else None


def _demo_usage(mapped_projects, keystone_admin, clients):
    """demo's instances on the clusters its Keystone tags map it to."""
    tags = _keystone(keystone_admin, "GET", "/projects/%s/tags"
                     % mapped_projects["demo"])["tags"]
    tag = OWNER + mapped_projects["demo"]
    return sum(len(client.query("instance", ["name"], ["=[]", "tags", tag]))
               for name, client in clients.items()
               if "ganeti:cluster:" + name in tags)


@pytest.fixture
def demo_instance_limit(keystone_admin, mapped_projects):
    """set(n): demo's instance limit is n until the test ends."""
    made = []
    service = [s for s in _keystone(keystone_admin, "GET", "/services")[
        "services"] if s["type"] == "ganeti"][0]["id"]

    def set_limit(value):
        existing = _keystone(keystone_admin, "GET", "/limits", params={
            "project_id": mapped_projects["demo"],
            "resource_name": "instances"})["limits"]
        for limit in existing:
            made.append(("restore", limit))
            _keystone(keystone_admin, "DELETE", "/limits/" + limit["id"])
        made.extend(("made", limit) for limit in _keystone(
            keystone_admin, "POST", "/limits", json={"limits": [{
                "service_id": service, "project_id": mapped_projects["demo"],
                "resource_name": "instances", "resource_limit": value}]})[
            "limits"])

    yield set_limit
    for kind, limit in reversed(made):
        if kind == "made":
            _keystone(keystone_admin, "DELETE", "/limits/" + limit["id"])
        else:
            _keystone(keystone_admin, "POST", "/limits", json={"limits": [{
                key: limit[key] for key in ("service_id", "project_id",
                                            "resource_name",
                                            "resource_limit")}]})


def test_concurrent_creates_cannot_pass_a_limit(
        horizon_url, mapped_projects, keystone_admin, rapi_client,
        rapi_client2, demo_instance_limit):
    clients = {"sandbox": rapi_client, "sandbox2": rapi_client2}
    used = _demo_usage(mapped_projects, keystone_admin, clients)
    demo_instance_limit(used + 1)  # room for exactly one more
    sessions = [http.session(horizon_url, DEMO_MEMBER) for _ in range(20)]
    prefix = "gdweb-race-%s" % uuid.uuid4().hex[:6]
    names = ["%s-%02d.ganeti.test" % (prefix, i) for i in range(20)]
    before = rapi_client.job_ids()[0]

    def create(i):
        answer = http.post(sessions[i], horizon_url
                           + "/project/ganeti_instances/create/",
                           dict(FORM_BODY, name=names[i], memory="128",
                                vcpus="1", start=""))
        if answer.status_code == 302:
            # Refused when admitting: the message is on the next page.
            return answer, sessions[i].get(
                requests.compat.urljoin(horizon_url,
                                        answer.headers["Location"]),
                timeout=60).text
        return answer, answer.text

    try:
        with concurrent.futures.ThreadPoolExecutor(20) as pool:
            answers = list(pool.map(create, range(20)))
        assert all(a.status_code in (200, 302) for a, _ in answers), \
            [a.status_code for a, _ in answers]
        # Exactly one admitted (its job may still run: count the jobs);
        # each other request was told which limit.
        creates = {s for job in _jobs_on(rapi_client, prefix, before)
                   for s in job["summary"] if s.startswith(
                       "INSTANCE_CREATE(")}
        assert len(creates) == 1, creates
        refusals = [a for a, text in answers
                    if "Instances: %d of %d allowed" % (used + 2, used + 1)
                    in text]
        assert len(refusals) == 19, [a.status_code for a, _ in answers]
    finally:
        for job in _jobs_on(rapi_client, prefix, before):
            try:
                rapi_client.wait_for_job(job["id"], timeout=120)
            except Exception:
                pass
        for name in rapi_client.instance_names():
            if name.startswith(prefix):
                rapi_client.wait_for_job(rapi_client.delete_instance(name),
                                         timeout=120)
