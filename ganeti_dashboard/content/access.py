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

"""Who may do what: the one place where the dashboard's server checks it.

A button Horizon hides is a courtesy; a hand-made request reaches the view
all the same. So every view the plugin's URLs route to is a
:class:`PolicyView`, which checks its policy rules before it reads or
writes anything, and every table is a :class:`PolicyTable`, which checks a
posted action's rules before Horizon runs it. :func:`guarded` refuses, when
a panel's URLs are loaded, any view or table action that names no rule: a
new URL or action cannot forget its check.

Horizon checks each panel's own ``policy_rules`` on every URL of the panel
too (``require_component_access``); the rules here come on top of those.
"""

import logging
import uuid

from django.core import exceptions as django_exceptions
from django.core.exceptions import PermissionDenied

from horizon import tables

from openstack_dashboard import policy

from ganeti_dashboard.api import rapi

LOG = logging.getLogger(__name__)

SERVICE = "ganeti"


def rules(*names):
    """Horizon's form of policy rules: ``(("ganeti", name), ...)``."""
    return tuple((SERVICE, name) for name in names)


def allowed(request, wanted):
    """Whether the user of ``request`` passes every rule of ``wanted``.

    Checked once per request and set of rules: a table asks the same rule
    for every row, and none of ours depends on the row (their policy target
    is empty).
    """
    wanted = tuple(wanted or ())
    memo = request.__dict__.setdefault("_ganeti_policy_memo", {})
    if wanted not in memo:
        memo[wanted] = bool(policy.check(wanted, request))
    return memo[wanted]


def require(request, wanted, what):
    """Raise PermissionDenied (HTTP 403) unless ``wanted`` passes; the
    refusal is logged with the rule and the user, once.
    """
    if allowed(request, wanted):
        return
    user = getattr(request, "user", None)
    LOG.warning("refused %s to user %s (%s) of project %s: policy %s, "
                "request %s", what, getattr(user, "username", "?"),
                getattr(user, "id", "?"), getattr(user, "project_id", "?"),
                ", ".join(rule for _service, rule in wanted),
                rapi.REQUEST_ID.get() or "none")
    raise PermissionDenied()


class PolicyView:
    """Base of every view of the plugin: its rules, checked first.

    ``policy_rules`` names them; a view whose rules depend on the URL (the
    action views) overrides :meth:`required_rules`. ``url_choices`` lists,
    for a URL argument that takes one of a few words, those words (so that
    a test can walk every URL the view answers).
    """

    policy_rules = None
    url_choices = {}

    @classmethod
    def choices_of(cls, argument):
        """The words URL argument ``argument`` may be, or None: any."""
        return cls.url_choices.get(argument)

    def required_rules(self):
        return self.policy_rules

    def dispatch(self, request, *args, **kwargs):
        wanted = self.required_rules()
        if not wanted:
            # Fail closed: a view that says no rule serves nobody.
            raise django_exceptions.ImproperlyConfigured(
                "%s names no policy rule" % type(self).__name__)
        token = rapi.REQUEST_ID.set("req-" + uuid.uuid4().hex)
        try:
            require(request, wanted,
                    "%s %s" % (request.method, request.path))
            return super().dispatch(request, *args, **kwargs)
        finally:
            rapi.REQUEST_ID.reset(token)


class PolicyTable:
    """Mixin of every table: a posted action is checked before it runs.

    Horizon itself checks a batch action's rules per row, but not those of
    a plain ``Action`` (such as a bulk link that redirects to a form), nor
    before a preemptive action reads its objects.
    """

    def take_action(self, action_name, obj_id=None, obj_ids=None):
        action = self.base_actions.get(action_name)
        if action is not None and not isinstance(action,
                                                 tables.FilterAction):
            wanted = action_rules(action)
            if not wanted:
                raise django_exceptions.ImproperlyConfigured(
                    "action %s names no policy rule" % action_name)
            require(self.request, wanted,
                    "action %s of table %s" % (action_name, self.name))
        return super().take_action(action_name, obj_id, obj_ids)


class RulesOncePerRequest:
    """A table whose actions' rules are checked once per request.

    A mixin before :class:`PolicyTable`. Horizon checks a bound action's
    ``policy_rules`` for every row it is shown on, a whole policy
    enforcement each time: on a page of instances with nine row actions, a
    large part of the page's time (``tools/lib/bench_render.py``). A rule that names no target
    (``get_policy_target`` not overridden, as none of ours does) has the
    same answer for every row, so this table takes it out of its bound
    actions, where Horizon would check it, and checks it through
    :func:`allowed` in the actions it shows (:meth:`get_row_actions`,
    :meth:`get_table_actions`); a posted action's rules are required by
    :meth:`PolicyTable.take_action` before Horizon runs it. Horizon then
    asks each action's own ``allowed()`` as before.
    """

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        for action in self.base_actions.values():
            if (type(action).get_policy_target
                    is tables.Action.get_policy_target):
                action.policy_rules = None

    def get_table_actions(self):
        return self._permitted(super().get_table_actions())

    def get_row_actions(self, datum):
        return self._permitted(super().get_row_actions(datum))

    def _permitted(self, actions):
        # An action that still carries its rules (one with a target) was
        # checked by Horizon already.
        return [action for action in actions if action.policy_rules
                or allowed(self.request, action_rules(action))]


def action_rules(action):
    """The rules of a table action (class or bound action).

    As its class declares them. A filter has none: it only narrows what
    the view, already checked, shows.
    """
    if not isinstance(action, type):
        action = type(action)
    return tuple(getattr(action, "policy_rules", None) or ())


def posted_actions(table_class):
    """The actions of ``table_class`` that a POST can run (not links)."""
    # Horizon's private DataTable._meta (checked against Horizon 27): the
    # table's Meta options with Horizon's defaults, the only place a table
    # class lists its actions. tests/unit/test_horizon_private.py fails if
    # Horizon changes that.
    meta = table_class._meta
    found = {}
    for action in tuple(meta.table_actions) + tuple(meta.row_actions):
        if issubclass(action, tables.LinkAction):
            continue
        if issubclass(action, tables.FilterAction):
            continue
        found[action.name] = action
    return list(found.values())


def guarded(urlpatterns):
    """Return ``urlpatterns`` after checking that every view is a
    :class:`PolicyView` naming its rules, and that every action of its
    table that a POST can run names rules too. Raises
    ImproperlyConfigured otherwise, when the URLs are loaded.
    """
    for pattern in urlpatterns:
        view = getattr(pattern.callback, "view_class", None)
        if view is None or not issubclass(view, PolicyView):
            raise django_exceptions.ImproperlyConfigured(
                "URL %s does not route to a PolicyView" % pattern.pattern)
        overridden = view.required_rules is not PolicyView.required_rules
        if not (view.policy_rules or overridden):
            raise django_exceptions.ImproperlyConfigured(
                "%s names no policy rule" % view.__name__)
        table = getattr(view, "table_class", None)
        if table is None:
            continue
        if not issubclass(table, PolicyTable):
            raise django_exceptions.ImproperlyConfigured(
                "%s is not a PolicyTable" % table.__name__)
        for action in posted_actions(table):
            if not action_rules(action):
                raise django_exceptions.ImproperlyConfigured(
                    "action %s of %s names no policy rule"
                    % (action.name, table.__name__))
    return urlpatterns
