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

"""Views of Admin > Ganeti > Node Groups: list, create, action forms."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages
from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import groups as group_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content.admin.groups import forms as group_forms
from ganeti_dashboard.content.admin.groups import tables as group_tables
from ganeti_dashboard.content import redirects
from ganeti_dashboard.content import snapshot_notes

NAMESPACE = group_tables.NAMESPACE
INDEX_URL = reverse_lazy(NAMESPACE + ":index")
LIST_RULE = access.rules("ganeti:group:list")


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = LIST_RULE
    table_class = group_tables.GroupsTable
    page_title = _("Ganeti Node Groups")

    def get_data(self):
        try:
            found, snapshots = group_api.list_all()
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        snapshot_notes.report(self.request, snapshots)
        # ?cluster=<name>: the groups of one cluster (the cluster page's
        # link).
        return group_tables.filter_groups(
            found, "cluster", self.request.GET.get("cluster"))


class CreateView(access.PolicyView, forms.ModalFormView):
    policy_rules = access.rules("ganeti:group:create")
    form_class = group_forms.CreateForm
    template_name = "admin/ganeti_groups/create.html"
    modal_header = page_title = _("Create Node Group")
    submit_label = _("Create")
    submit_url = reverse_lazy(NAMESPACE + ":create")
    success_url = INDEX_URL
    form_id = "group_create_form"

    def get_initial(self):
        return {"cluster": self.request.GET.get("cluster", "")}


class ActionView(action_view.FormActionView):
    """A group action's form; its rule is the registry's
    (:data:`group_forms.FORMS`).
    """

    registry = group_forms.FORMS
    template_name = "admin/ganeti_groups/action.html"
    submit_label = _("Confirm")
    url_namespace = NAMESPACE
    object_name = "group"

    @memoized.memoized_method
    def get_object(self):
        return redirects.read_or_leave(
            self.request, lambda: group_api.get(self.kwargs["group_id"]),
            INDEX_URL, _("Cannot show the node group: %s"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cannot"] = self.get_object().cannot(self.kwargs["action"])
        return context
