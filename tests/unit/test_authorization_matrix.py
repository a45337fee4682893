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

"""Every URL of the plugin, with every role and every method it accepts.

Built from the URL conf and the policy rules themselves: each URL pattern
of each Ganeti panel is reversed with sample arguments (a word argument
with each word its view names), each table action a POST can run is
posted, each row update asked for; the expected answer is worked out from
the policy rules with oslo.policy, independently of the views. Allowed:
served (never a 500); denied: 403, 404 or the login page (401 for an AJAX
request), and not one write
reached Ganeti or Keystone. A new URL, view or action is covered without
editing this test (and one that names no rule does not even load).

RAPI is the HTTP-level fake (``ganeti_dashboard.test.fake_rapi``), so a
write is any request that reached it, whatever code sent it.
"""

import copy
import importlib
import re
from unittest import mock

from django.core.cache import cache
from django.urls import get_resolver
from django.urls import reverse
from oslo_config import cfg

import horizon
from horizon import tables
from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits as limits_api
from ganeti_dashboard.conf import policies
from ganeti_dashboard.content import access
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

OTHER_PROJECT = "p-other"
FORM_BODY = {"timeout": "0", "reboot_type": "hard", "os_name": "noop",
             "start": "on", "new_name": "renamed.alpha", "vcpus": "2",
             "memory": "256", "mode": "non-live", "target_node": "",
             "tag": "hostile", "role": "drained", "project": "-",
             "ids": "alpha:mine.alpha", "cluster": "alpha",
             "instances": "100", "vcpus_limit": "", "name": "new.alpha",
             "os": "noop", "disk_template": "diskless", "disks": "",
             "nic_mode": "", "nic_link": "", "nic_network": "", "node": ""}
# The roles a test user takes, and the project it is a member of.
ROLES = {
    "admin": (["admin", "member", "reader"], None),
    "member": (["member", "reader"], None),
    "reader": (["reader"], None),
    "other-member": (["member", "reader"], OTHER_PROJECT),
    "anonymous": ([], None),
}


def _enforcer():
    conf = cfg.ConfigOpts()
    conf(args=[], default_config_files=[], default_config_dirs=[])
    return policies.get_enforcer(conf)


def plugin_urls():
    """``(panel, pattern, view class)`` of every URL of the Ganeti
    panels, as Horizon mounts them.
    """
    get_resolver().url_patterns  # Horizon registers dashboards then
    found = []
    for dashboard in horizon.get_dashboards():
        for panel in dashboard.get_panels():
            if not type(panel).__module__.startswith("ganeti_dashboard"):
                continue
            # A panel's urls.py sits beside it, as Horizon finds it.
            package = type(panel).__module__.rpartition(".")[0]
            module = importlib.import_module(package + ".urls")
            for pattern in module.urlpatterns:
                found.append((panel, pattern,
                              pattern.callback.view_class))
    return found


def _variants(pattern, view, ids):
    """Every kwargs with which the pattern can be reversed."""
    variants = [{}]
    for name in re.findall(r"\(\?P<(\w+)>", pattern.pattern.regex.pattern):
        words = view.choices_of(name)
        values = list(words) if words else [ids[name]]
        variants = [dict(v, **{name: value}) for v in variants
                    for value in values]
    return variants


_MARKS = re.compile(r"<cluster>:<instance>|<cluster>:<node>|"
                    r"<cluster>:<group>|<cluster>:<network>|<cluster>:<job>|<cluster>:<uuid>|"
                    r"<cluster>|"
                    r"<project_id>")


def _operation_pattern(path):
    """A compiled pattern of a policy operation's path template."""
    path, _sep, action = path.partition(" (action=")
    parts = _MARKS.split(path)
    regex = "[^/?&]+".join(re.escape(part) for part in parts)
    return re.compile("^%s$" % regex), action.rstrip(")") or None


def policy_operations():
    """``[(method, path pattern, table action, rule)]`` of every rule:
    which URL each guards, as the policy file says (not the views).
    """
    return [(op["method"],) + _operation_pattern(op["path"]) + (rule.name,)
            for rule in policies.list_rules()
            for op in getattr(rule, "operations", None) or []]


def rules_of(operations, method, url, action):
    """The rules the policy file gives this request, with the rule of the
    panel it belongs to (the rule of a GET of the panel's root).
    """
    path = url.split("?")[0] if action else url
    found = {rule for m, pattern, act, rule in operations
             if m == method and act == action and pattern.match(path)}
    root = "/%s/" % "/".join(url.split("/")[1:3])
    panel = {rule for m, pattern, act, rule in operations
             if m == "GET" and act is None and pattern.match(root)}
    return found, panel


class Case:
    """One request of the matrix and what it must get."""

    def __init__(self, panel, view, url, method, kwargs, data=None,
                 extra_rules=(), ajax=False):
        self.panel, self.view, self.url = panel, view, url
        self.method, self.kwargs, self.data = method, kwargs, data
        self.extra_rules, self.ajax = tuple(extra_rules), ajax

    def operation(self):
        """``(method, path, table action)`` as the policy file's
        operations write them (a row's own button posts
        ``<table>__<action>__<id>``: the same action).
        """
        action = (self.data or {}).get("action") if self.method == "post" \
            else None
        if action:
            return "POST", self.url, "__".join(action.split("__")[:2])
        if issubclass(self.view, tables.DataTableView):
            # A list's POST without an action is its GET (Horizon's
            # DataTableView.post shows the list, e.g. a filter's).
            return "GET", self.url, None
        return self.method.upper(), self.url, None

    def __repr__(self):
        return "%s %s %s" % (self.method, self.url, self.data and
                             self.data.get("action") or "")


class AuthorizationMatrixTests(test.TestCase):

    def setUp(self):
        super().setUp()
        self.fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
        alpha = self.fake["alpha"]
        self.node = alpha.master
        alpha.add_node("node2.alpha.example.test")
        own = self.tenant.id
        alpha.add_instance("mine.alpha", tags=[
            "openstack:project:" + own], disk_template="sharedfile",
            disks=[1024], beparams={"memory": 128})
        alpha.add_instance("theirs.alpha", tags=[
            "openstack:project:" + OTHER_PROJECT])
        self.fake.install(self)
        self.conf = helpers.config_file(helpers.TWO_CLUSTERS)
        self.conf.__enter__()
        self.addCleanup(self.conf.__exit__, None, None, None)
        # One job on alpha to cancel and to look at.
        from ganeti_dashboard.api import clusters
        alpha.hold_jobs = True
        self.job = clusters.client("alpha").add_cluster_tags(["seen"])
        # And one on the project's instance, for its Operations panel.
        self.instance_job = clusters.client("alpha").startup_instance(
            "mine.alpha")
        alpha.hold_jobs = False  # the forms' jobs end at once
        # A network connected to the group "default" (with a tag), for
        # the Networks panel's forms.
        alpha.networks = [{"name": "net1", "network": "192.0.2.0/24",
                           "gateway": "192.0.2.1", "tags": ["t:9"],
                           "group_list": [["default", "bridged", "br0"]]}]
        self.pristine = copy.deepcopy((alpha.instances, alpha.nodes,
                                       alpha.groups, alpha.networks))
        self.keystone_writes = self._mock_keystone()
        # A job filter rule, for the Job Filters panel.
        self.rule = clusters.client("alpha").add_filter(
            1, [], "CONTINUE")
        self.ids = {"instance_id": "alpha:mine.alpha",
                    "rule_id": "alpha:" + self.rule,
                    "node_id": "alpha:" + self.node,
                    "group_id": "alpha:default",
                    "network_id": "alpha:net1",
                    "job_id": "alpha:%d" % self.job, "cluster": "alpha",
                    "project_id": own}
        self.enforcer = _enforcer()
        self.operations = policy_operations()

    def _mock_keystone(self):
        """Keystone as the panels see it; its writes are recorded."""
        def project(*args, **kwargs):
            return keystone_api.ProjectMapping(
                id=self.tenant.id, name="demo", clusters=("alpha",))

        limits = limits_api.ProjectLimits(self.tenant.id, "svc", {}, {}, {})
        writes = mock.Mock()
        for target, name, value in (
                (keystone_api, "clusters_of_project",
                 lambda request, project_id: {"alpha"}),
                (keystone_api, "project_names",
                 lambda request, fresh=False: {self.tenant.id: "demo"}),
                (keystone_api, "project_name",
                 lambda request, project_id: None),
                (keystone_api, "projects_with_clusters",
                 lambda request: [project()]),
                (keystone_api, "project", project),
                (keystone_api, "add_mapping", writes.add_mapping),
                (keystone_api, "remove_mapping", writes.remove_mapping),
                (limits_api, "project_limits",
                 lambda request, project_id, admin=False: limits),
                (limits_api, "all_project_limits",
                 lambda request: {None: limits}),
                (limits_api, "set_project_limits", writes.set_limits)):
            patch = mock.patch.object(target, name, value)
            patch.start()
            self.addCleanup(patch.stop)
        return writes

    def cases(self):
        found = []
        for panel, pattern, view in plugin_urls():
            namespace = "horizon:%s:%s" % (panel._registered_with.slug,
                                           panel.slug)
            for kwargs in _variants(pattern, view, self.ids):
                url = reverse("%s:%s" % (namespace, pattern.name),
                              kwargs=kwargs)
                for method in ("get", "post"):
                    if hasattr(view, method):
                        found.append(Case(panel, view, url, method, kwargs,
                                          dict(FORM_BODY)
                                          if method == "post" else None))
                found += self._table_cases(panel, view, url, kwargs)
        return found

    def _table_cases(self, panel, view, url, kwargs):
        if not issubclass(view, tables.DataTableView):
            return []
        table = view.table_class
        obj_id = {"jobs": self.ids["job_id"], "nodes": self.ids["node_id"],
                  "operations": "alpha:%d" % self.instance_job,
                  "clusters": "alpha", "projects": self.tenant.id,
                  "filters": self.ids["rule_id"],
                  "networks": self.ids["network_id"],
                  "groups": self.ids["group_id"]}.get(
            table._meta.name, self.ids["instance_id"])
        found = []
        if table._meta.row_class.ajax:
            found.append(Case(panel, view, url + "?action=row_update&table"
                              "=%s&obj_id=%s" % (table._meta.name, obj_id),
                              "get", kwargs, ajax=True))
        for action in access.posted_actions(table):
            name = "%s__%s" % (table._meta.name, action.name)
            for posted in (name, "%s__%s" % (name, obj_id)):
                found.append(Case(panel, view, url, "post", kwargs, {
                    "action": posted, "object_ids": [obj_id]},
                    extra_rules=access.action_rules(action)))
        return found

    def become(self, role):
        roles, project = ROLES[role]
        if role == "anonymous":
            # Horizon's test case answers every request with its user.
            from django.contrib.auth import models as auth_models
            from openstack_auth import utils as auth_utils
            auth_utils.get_user = lambda request: \
                auth_models.AnonymousUser()
            return
        self.setActiveUser(
            id=self.user.id, token=self.token, username=self.user.name,
            tenant_id=project or self.tenant.id,
            service_catalog=self.service_catalog,
            authorized_tenants=self.tenants.list(),
            roles=[{"name": r} for r in roles])

    def expected(self, case, role):
        """``"served"``, ``"denied"`` or ``"not found"``."""
        roles, project = ROLES[role]
        if role == "anonymous":
            return "denied"
        creds = {"roles": roles, "project_id": project or self.tenant.id,
                 "is_admin": "admin" in roles}
        found, panel = rules_of(self.operations, *case.operation())
        # Every URL, method and action is in the policy file, under one
        # rule or more, and in one panel.
        self.assertTrue(found, "no policy operation for %r" % case)
        self.assertEqual(1, len(panel), case)
        if not all(self.enforcer.enforce(rule, {}, creds)
                   for rule in found | panel):
            return "denied"
        # demo's instance is outside another project's scope.
        touches_instance = "instance_id" in case.kwargs or (
            case.data and case.data.get("object_ids") == [
                self.ids["instance_id"]]) or "obj_id=alpha:mine" in case.url \
            or "table=operations&" in case.url  # a job on demo's instance
        if project and touches_instance:
            return "not found"
        return "served"

    def send(self, case):
        headers = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"} \
            if case.ajax else {}
        if case.method == "get":
            return self.client.get(case.url, **headers)
        return self.client.post(case.url, case.data, **headers)

    def test_every_url_role_and_method_agrees_with_the_policy(self):
        cases = self.cases()
        # Sanity: the walk reaches every panel and the action forms.
        self.assertGreater(len(cases), 80)
        self.assertTrue(any("/shutdown/" in c.url for c in cases))
        self.assertTrue(any(c.url.endswith("/export/") for c in cases))
        self.assertTrue(any("/ganeti_exports/" in c.url for c in cases))
        self.assertTrue(any(c.url.endswith("/create/") for c in cases))
        # The cluster map's JSON (operators only: a member is refused).
        self.assertTrue(any(c.url.endswith("/alpha/map/") for c in cases))
        # The instances' live figures (operators and the project's
        # members; another project's member gets a 404, a reader a 403).
        self.assertTrue(any(c.url.endswith(":mine.alpha/live/")
                            and "/project/" in c.url for c in cases))
        self.assertTrue(any(c.url.endswith(":mine.alpha/live/")
                            and "/admin/" in c.url for c in cases))
        self.assertTrue(any(c.url.endswith("/ganeti_overview/live/")
                            for c in cases))
        tally = {"served": 0, "denied": 0, "not found": 0}
        for role in ROLES:
            self.become(role)
            for case in cases:
                want = self.expected(case, role)
                # Each request meets the same clusters: what an allowed
                # one changed (a rename, a delete) is undone.
                alpha = self.fake["alpha"]
                alpha.instances, alpha.nodes, alpha.groups, alpha.networks = \
                    copy.deepcopy(self.pristine)
                cache.clear()
                self.fake.reset_requests()
                self.keystone_writes.reset_mock()
                res = self.send(case)
                what = (role, case, res.status_code, res.get("Location"))
                self.assertNotEqual(500, res.status_code, what)
                if want == "served":
                    self.assertIn(res.status_code, (200, 302), what)
                    self.assertNotIn("/auth/login", res.get("Location", ""),
                                     what)
                    if res.status_code == 200 and not case.ajax:
                        self.assertNotIn(b"Traceback", res.content, what)
                else:
                    # 401: Horizon's answer to an AJAX request that is
                    # not logged in (its script goes to the login page).
                    refused = res.status_code in (401, 403, 404) or (
                        res.status_code == 302
                        and "/auth/login" in res["Location"])
                    self.assertTrue(refused, what)
                    self.assertEqual([], self.fake.writes(), what)
                    self.assertEqual([], self.keystone_writes.mock_calls,
                                     what)
                    if want == "not found" and case.method == "get" \
                            and not case.ajax:
                        self.assertEqual(404, res.status_code, what)
                tally[want] += 1
        # Each kind of answer happened, for the roles it should.
        self.assertTrue(all(tally.values()), tally)
