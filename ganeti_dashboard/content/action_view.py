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

"""The one view of every modal action form: instances, nodes, projects.

Each panel keeps a registry, action name -> :class:`FormAction`, which names
the action's form, its title and its policy rule, and has one URL for all
of them, ``<object id>/<action>/`` named ``action``. The view takes its rule
from the registry entry that the URL names, so an action cannot be
registered without a rule, and :class:`access.PolicyView` checks it before
the object is read or the form built; the table's link to the action shows
under the same rule (:meth:`FormAction.rules`).
"""

import dataclasses

from django.http import Http404
from django.urls import reverse
from django.utils.functional import Promise

from horizon.forms import views as form_views

from ganeti_dashboard.content import access


@dataclasses.dataclass(frozen=True)
class FormAction:
    form: type
    title: Promise | str
    rule: str  # a rule of the policy service "ganeti"
    submit_label: Promise | str | None = None  # None: the view's
    help_text: Promise | str | None = None  # beside the form

    @property
    def rules(self):
        return access.rules(self.rule)


class FormActionView(access.PolicyView, form_views.ModalFormView):
    """Subclasses say ``registry``, ``url_namespace`` (or override
    :meth:`namespace`), ``object_name``, and read the object once
    (:meth:`get_object`, e.g. by ``redirects.read_or_leave``).

    The form gets the object as the keyword ``object_name``; the form's
    id is ``<form_prefix>_<action>_form`` (``form_prefix`` defaults to
    ``object_name``); the page leaves for the panel's index.
    """

    registry = {}
    url_namespace = None  # e.g. "horizon:admin:ganeti_nodes"
    object_name = None  # the form's and template's name of the object
    form_prefix = None

    @classmethod
    def choices_of(cls, argument):
        if argument == "action":
            return tuple(cls.registry)
        return super().choices_of(argument)

    def namespace(self):
        return self.url_namespace

    def entry(self):
        found = self.registry.get(self.kwargs.get("action"))
        if found is None:
            raise Http404()
        return found

    def required_rules(self):
        return self.entry().rules

    def get_object(self):
        raise NotImplementedError

    def action_url(self, obj, action):
        return reverse("%s:action" % self.namespace(), args=[obj.id, action])

    def get_success_url(self):
        return reverse("%s:index" % self.namespace())

    def get_form_class(self):
        return self.entry().form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs[self.object_name] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        entry = self.entry()
        action = self.kwargs["action"]
        context[self.object_name] = obj
        context["page_title"] = context["modal_header"] = "%s: %s" % (
            entry.title, obj.name)
        context["help_text"] = entry.help_text
        if entry.submit_label:
            context["submit_label"] = entry.submit_label
        context["submit_url"] = self.action_url(obj, action)
        context["cancel_url"] = self.get_success_url()
        context["form_id"] = "%s_%s_form" % (
            self.form_prefix or self.object_name, action)
        return context
