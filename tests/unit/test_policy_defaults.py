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

"""The policy rules in code (ganeti_dashboard/conf/policies.py) against
what Horizon loads, what the code checks, and the URLs they document.
"""

import configparser
import importlib
import os
import pkgutil
import re
from urllib import parse

from django.conf import settings
from django.urls import resolve
from django.urls import Resolver404
from oslo_config import cfg
from oslo_policy import policy as oslo_policy
import pytest
import yaml

import horizon
from horizon import tables
from openstack_auth import policy as auth_policy

import ganeti_dashboard
from ganeti_dashboard.conf import policies
from ganeti_dashboard.content.admin.nodes import forms as node_forms
from ganeti_dashboard.content.admin.nodes import tabs as node_tabs
from ganeti_dashboard.content.admin.projects import forms as project_forms
from ganeti_dashboard.content.instances import device_forms
from ganeti_dashboard.content.instances import forms as instance_forms

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PACKAGE = os.path.dirname(os.path.abspath(ganeti_dashboard.__file__))
RULES = {rule.name: rule for rule in policies.list_rules()}
# What stands for each placeholder of the operations' paths.
SAMPLES = {"<cluster>": "c1", "<instance>": "i1", "<node>": "n1",
           "<job>": "42", "<project_id>": "p1",
           "<uuid>": "0b5e1a2c-3d4e-4f60-8a7b-9c0d1e2f3a4b"}


def _operations():
    for rule in policies.list_rules():
        for operation in getattr(rule, "operations", ()):
            yield rule, operation


def _resolve(path):
    """(match, query, table action) of an operation's path."""
    action = None
    found = re.fullmatch(r"(\S+) \(action=(\w+)\)", path)
    if found:
        path, action = found.groups()
    for mark, value in SAMPLES.items():
        path = path.replace(mark, value)
    path, _, query = path.partition("?")
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if match is None:
        pytest.fail("%s is no URL of Horizon's" % path)
    return match, parse.parse_qs(query), action


def _ganeti_panels():
    resolve("/")  # Horizon registers the dashboards as its URLs load.
    for dashboard in horizon.get_dashboards():
        for panel in dashboard.get_panels():
            if type(panel).__module__.startswith("ganeti_dashboard."):
                yield dashboard, panel


def _table_class(match):
    return match.func.view_class.table_class


def _table_action(table_class, name):
    """The action ``name`` that the table's form POSTs (not a link)."""
    found = [a for a in (list(table_class._meta.table_actions)
                         + list(table_class._meta.row_actions))
             if a.name == name and issubclass(a, tables.Action)]
    assert found, "%s has no action %s" % (table_class.__name__, name)
    return found[0]


def test_list_rules_has_each_rule_once_base_rules_first():
    names = [rule.name for rule in policies.list_rules()]
    assert len(names) == len(set(names))
    assert names[:3] == ["admin_required", "project_reader", "project_member"]
    for rule in policies.list_rules():
        assert rule.description
        if rule.name.startswith("ganeti:"):
            assert isinstance(rule, oslo_policy.DocumentedRuleDefault)


def test_the_yaml_horizon_loads_is_the_rules_in_code():
    path = settings.DEFAULT_POLICY_FILES["ganeti"]
    assert path == os.path.join(PACKAGE, "conf", "default_policies",
                                "ganeti.yaml")
    with open(path) as f:
        loaded = yaml.safe_load(f)
    assert [(p["name"], p["check_str"]) for p in loaded] == [
        (r.name, r.check_str) for r in policies.list_rules()]
    assert [(p["description"], p["operations"], p["scope_types"])
            for p in loaded] == [
        (r.description, getattr(r, "operations", []), r.scope_types)
        for r in policies.list_rules()]


def test_horizon_enforces_the_defaults_for_each_role():
    auth_policy.reset()
    try:
        enforcer = auth_policy._get_enforcer()["ganeti"]
    finally:
        auth_policy.reset()
    assert set(enforcer.registered_rules) == set(RULES)
    who = {"rule:admin_required": {"admin"},
           "rule:project_reader": {"admin", "member", "reader"},
           "rule:project_member": {"admin", "member"}}
    for name, rule in RULES.items():
        if not name.startswith("ganeti:"):
            continue
        for role in ("admin", "member", "reader"):
            allowed = enforcer.enforce(name, {}, {"roles": [role],
                                                  "project_id": "p1"})
            assert allowed == (role in who[rule.check_str]), (name, role)


def test_setup_cfg_entry_points_name_list_rules_and_the_enforcer():
    config = configparser.ConfigParser(interpolation=None)
    config.read(os.path.join(REPO, "setup.cfg"))
    groups = config["entry_points"]
    for group, target in (("oslo.policy.policies", policies.list_rules),
                          ("oslo.policy.enforcer", policies.get_enforcer)):
        lines = [line.strip() for line in groups[group].splitlines()
                 if line.strip()]
        assert len(lines) == 1
        name, value = (part.strip() for part in lines[0].split("="))
        module, function = value.split(":")
        assert name == "ganeti"
        assert getattr(importlib.import_module(module), function) is target


def test_the_enforcer_of_the_oslopolicy_tools(tmp_path):
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text('"ganeti:instances:list": "role:admin"\n')
    config = tmp_path / "check.conf"
    config.write_text("[oslo_policy]\npolicy_file = %s\n" % overrides)
    conf = cfg.ConfigOpts()
    conf(["--config-file", str(config)])
    enforcer = policies.get_enforcer(conf)
    enforcer.load_rules()
    assert set(enforcer.registered_rules) == set(RULES)
    # What oslopolicy-validator reports: a rule no code knows (a typo).
    assert set(enforcer.file_rules) - set(enforcer.registered_rules) == {
        "ganeti:instances:list"}

    conf = cfg.ConfigOpts()
    conf([])
    assert policies.get_enforcer(conf).policy_file == os.path.join(
        PACKAGE, "conf", "ganeti_policy.yaml")


def _rules_of_code():
    """Every (service, rule) pair in ``policy_rules`` of a class, or a
    module-level tuple of them, anywhere in ganeti_dashboard.content.
    """
    import ganeti_dashboard.content as content
    found = set()
    for info in pkgutil.walk_packages(content.__path__, content.__name__ +
                                      "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            candidates = [value]
            if isinstance(value, type):
                candidates = [getattr(value, "policy_rules", ())]
            for rules in candidates:
                if (isinstance(rules, tuple) and rules
                        and all(isinstance(r, tuple) and len(r) == 2
                                and isinstance(r[1], str)
                                and r[1].startswith("ganeti:")
                                for r in rules)):
                    found.update(rules)
    return found


def test_every_rule_the_code_names_is_defined():
    found = _rules_of_code()
    assert found
    assert {service for service, _ in found} == {"ganeti"}
    # Literal rule names anywhere in the package (not the Keystone tags
    # "ganeti:cluster:<name>", nor the test helpers' sample tags).
    literal = re.compile(r"""["'](ganeti:[a-z_]+:[a-z_]+)["']""")
    for folder, dirs, files in os.walk(PACKAGE):
        dirs[:] = [d for d in dirs if d not in ("test", "__pycache__")]
        for name in files:
            if name.endswith((".py", ".html")):
                with open(os.path.join(folder, name)) as f:
                    found.update(("ganeti", m) for m in
                                 literal.findall(f.read()))
    # Rules named by their action ("ganeti:node:%s" % action).
    found.update(("ganeti", "ganeti:node:%s" % a) for a in node_forms.FORMS)
    found.update(("ganeti", "ganeti:instance:%s" % a)
                 for a in instance_forms.FORMS)
    undefined = {rule for _, rule in found} - set(RULES)
    assert not undefined


def test_every_panel_has_a_rule_that_exists():
    panels = list(_ganeti_panels())
    assert len(panels) == 12
    for dashboard, panel in panels:
        assert panel.policy_rules, panel.slug
        for service, rule in panel.policy_rules:
            assert service == "ganeti" and rule in RULES, (panel.slug, rule)
            # The panel rule documents the panel's index URL.
            index = "/%s/%s/" % (dashboard.slug, panel.slug)
            assert {"method": "GET", "path": index} in \
                RULES[rule].operations


def test_every_operation_is_a_url_of_the_plugin():
    for rule, operation in _operations():
        assert operation["method"] in ("GET", "POST"), rule.name
        match, query, action = _resolve(operation["path"])
        assert match.func.view_class.__module__.startswith(
            "ganeti_dashboard."), operation
        if "action" in match.kwargs:
            # A form of the registry of the panel's action view.
            assert match.kwargs["action"] in \
                match.func.view_class.registry, operation
        if query.get("action") == ["row_update"]:
            table_class = _table_class(match)
            assert query["table"] == [table_class._meta.name]
            assert table_class._meta.row_class.ajax
        if "tab" in query:
            group_slug, tab_slug = query["tab"][0].split("__")
            group = match.func.view_class.tab_group_class
            assert group.slug == group_slug
            assert tab_slug in [t.slug for t in group.tabs]
        if action:
            assert operation["method"] == "POST"
            table_class = _table_class(match)
            table, name = action.split("__")
            assert table == table_class._meta.name
            # The action's own rule is the rule that documents it.
            assert _table_action(table_class, name).policy_rules == (
                ("ganeti", rule.name),), operation


def test_every_url_and_table_action_of_the_plugin_is_documented():
    documented = {}
    for rule, operation in _operations():
        match, _, action = _resolve(operation["path"])
        documented.setdefault(match.view_name, set()).add(
            action or match.kwargs.get("action") or match.kwargs.get("kind"))
    for dashboard, panel in _ganeti_panels():
        urls = importlib.import_module(
            type(panel).__module__.rsplit(".", 1)[0] + ".urls")
        for pattern in urls.urlpatterns:
            view = "horizon:%s:%s:%s" % (dashboard.slug, panel.slug,
                                         pattern.name)
            assert view in documented, view
        # Every action the panel's table POSTs to its list page.
        index = "horizon:%s:%s:index" % (dashboard.slug, panel.slug)
        table_class = getattr(resolve("/%s/%s/" % (
            dashboard.slug, panel.slug)).func.view_class, "table_class", None)
        for action in (list(table_class._meta.table_actions)
                       + list(table_class._meta.row_actions)
                       if table_class else ()):
            if issubclass(action, tables.Action):
                assert "%s__%s" % (table_class._meta.name, action.name) in \
                    documented[index], (index, action.name)
    # Every form of the action URLs, and both console kinds.
    for panel in ("admin", "project"):
        view = "horizon:%s:ganeti_instances:" % panel
        assert documented[view + "action"] == set(instance_forms.FORMS)
        assert documented[view + "console"] == {"vnc", "serial"}
    assert documented["horizon:admin:ganeti_nodes:action"] == set(
        node_forms.FORMS)
    assert documented["horizon:admin:ganeti_projects:action"] == set(
        project_forms.FORMS)


def test_form_urls_carry_the_rule_of_the_button_that_opens_them():
    for rule, operation in _operations():
        match, _, _ = _resolve(operation["path"])
        if match.url_name != "action":
            continue
        if "ganeti_instances" in match.namespaces \
                and match.kwargs["action"] in device_forms.FORMS:
            # Opened by the Disks and NICs tabs' buttons, which take the
            # registry entry's rule (tabs.device_action).
            entry = device_forms.FORMS[match.kwargs["action"]]
            assert entry.rules == (("ganeti", rule.name),), operation
            continue
        links = [a for a in _table_class_of_panel(match)._meta.row_actions
                 if getattr(a, "form", None) == match.kwargs["action"]]
        if not links and match.url_name == "action" and \
                match.kwargs["action"] in node_tabs.StorageTab.opens:
            # Opened by the buttons of a node's Storage tab, under the
            # form's own rule.
            assert node_forms.FORMS[match.kwargs["action"]].rule == \
                rule.name, operation
            continue
        assert links, operation
        for link in links:
            assert link.policy_rules == (("ganeti", rule.name),), operation


def _table_class_of_panel(match):
    """The table of the panel whose URL ``match`` is."""
    index = resolve("/%s/%s/" % tuple(match.namespaces[1:3]))
    return _table_class(index)
