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

"""Views of Admin > Ganeti > Job Filters."""

import json

from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages
from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import filters as filter_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.filters import forms as filter_forms
from ganeti_dashboard.content.admin.filters import tables as filter_tables
from ganeti_dashboard.content import object_views
from ganeti_dashboard.content import redirects

NAMESPACE = filter_tables.NAMESPACE
INDEX_URL = reverse_lazy(NAMESPACE + ":index")


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = access.rules("ganeti:filter:list")
    table_class = filter_tables.FiltersTable
    page_title = _("Ganeti Job Filters")

    def get_data(self):
        return object_views.list_all(self.request, filter_api,
                                     say=_say_unsupported)


def _say_unsupported(request, unsupported):
    for name in unsupported:
        messages.info(request, _(
            "Cluster %s has no job filters (Ganeti 2.13 or later has "
            "them).") % name)


class FormView(access.PolicyView, forms.ModalFormView):
    template_name = "admin/ganeti_filters/form.html"

    def get_success_url(self):
        return str(INDEX_URL)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context


class CreateView(FormView):
    policy_rules = access.rules("ganeti:filter:create")
    form_class = filter_forms.CreateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        try:
            kwargs["clusters"] = clusters.settings().clusters
        except loader.ConfigError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = context["modal_header"] = _("Add Filter")
        context["submit_label"] = _("Add Filter")
        context["submit_url"] = reverse(NAMESPACE + ":create")
        context["form_id"] = "filter_create_form"
        return context


class UpdateView(FormView):
    policy_rules = access.rules("ganeti:filter:update")
    form_class = filter_forms.UpdateForm

    @memoized.memoized_method
    def get_rule(self):
        try:
            return filter_api.get(self.kwargs["rule_id"])
        except (errors.RapiError, loader.ConfigError) as exc:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Cannot show the filter: %s") % exc)

    def get_initial(self):
        rule = self.get_rule()
        return {"priority": rule.priority,
                "predicates": json.dumps(rule.predicates),
                "action": rule.action_name,
                "rate_limit": rule.rate_limit}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["rule"] = self.get_rule()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rule = self.get_rule()
        context["rule"] = rule
        context["page_title"] = context["modal_header"] = _(
            "Modify Filter %s") % rule.uuid
        context["submit_label"] = _("Save")
        context["submit_url"] = reverse(NAMESPACE + ":update",
                                        args=[rule.id])
        context["form_id"] = "filter_update_form"
        return context
