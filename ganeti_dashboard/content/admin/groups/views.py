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

from horizon import tables

from ganeti_dashboard.api import groups as group_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content.admin.groups import forms as group_forms
from ganeti_dashboard.content.admin.groups import tables as group_tables
from ganeti_dashboard.content import object_views

NAMESPACE = group_tables.NAMESPACE
INDEX_URL = reverse_lazy(NAMESPACE + ":index")
LIST_RULE = access.rules("ganeti:group:list")


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = LIST_RULE
    table_class = group_tables.GroupsTable
    page_title = _("Ganeti Node Groups")

    def get_data(self):
        found = object_views.list_all(self.request, group_api)
        # ?cluster=<name>: the groups of one cluster (the cluster page's
        # link).
        return group_tables.filter_groups(
            found, "cluster", self.request.GET.get("cluster"))


class CreateView(object_views.CreateView):
    policy_rules = access.rules("ganeti:group:create")
    form_class = group_forms.CreateForm
    template_name = "admin/ganeti_groups/create.html"
    modal_header = page_title = _("Create Node Group")
    submit_url = reverse_lazy(NAMESPACE + ":create")
    success_url = INDEX_URL
    form_id = "group_create_form"


class ActionView(object_views.FreshObject, object_views.CannotContext,
                 action_view.FormActionView):
    """A group action's form; its rule is the registry's
    (:data:`group_forms.FORMS`).
    """

    registry = group_forms.FORMS
    template_name = "admin/ganeti_groups/action.html"
    submit_label = _("Confirm")
    url_namespace = NAMESPACE
    object_name = "group"
    api = group_api
    id_kwarg = "group_id"
    index_url = INDEX_URL
    read_error = _("Cannot show the node group: %s")
