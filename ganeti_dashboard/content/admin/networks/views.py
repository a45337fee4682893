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

"""Views of Admin > Ganeti > Networks: list, detail, create, action
forms.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import networks as network_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content.admin.networks import forms as network_forms
from ganeti_dashboard.content.admin.networks import tables as network_tables
from ganeti_dashboard.content.admin.networks import tabs as network_tabs
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import object_views

NAMESPACE = network_tables.NAMESPACE
INDEX_URL = reverse_lazy(NAMESPACE + ":index")
LIST_RULE = access.rules("ganeti:network:list")


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = LIST_RULE
    table_class = network_tables.NetworksTable
    page_title = _("Ganeti Networks")

    def get_data(self):
        found = object_views.list_all(self.request, network_api)
        cluster = self.request.GET.get("cluster")
        if cluster:  # ?cluster=<name>: one cluster's networks
            found = [n for n in found if n.cluster == cluster]
        return found


class NetworkMixin(object_views.FreshObject):
    api = network_api
    id_kwarg = "network_id"
    index_url = INDEX_URL
    read_error = _("Cannot show the network: %s")


class DetailView(NetworkMixin, detail_view.DetailView):
    policy_rules = LIST_RULE
    tab_group_class = network_tabs.NetworkDetailTabs
    page_title = "{{ network.name }}"
    object_name = "network"
    table_class = network_tables.NetworksTable


class CreateView(object_views.CreateView):
    policy_rules = access.rules("ganeti:network:create")
    form_class = network_forms.CreateForm
    template_name = "admin/ganeti_networks/create.html"
    modal_header = page_title = _("Create Network")
    submit_url = reverse_lazy(NAMESPACE + ":create")
    success_url = INDEX_URL
    form_id = "network_create_form"


class ActionView(NetworkMixin, object_views.CannotContext,
                 action_view.FormActionView):
    """A network action's form; its rule is the registry's
    (:data:`network_forms.FORMS`).
    """

    registry = network_forms.FORMS
    template_name = "admin/ganeti_networks/action.html"
    submit_label = _("Confirm")
    url_namespace = NAMESPACE
    object_name = "network"
