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

"""Views of Admin > Ganeti > Nodes: list, detail, action forms."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import models
from ganeti_dashboard.api import monitoring
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content.admin.nodes import forms as node_forms
from ganeti_dashboard.content.admin.nodes import tables as node_tables
from ganeti_dashboard.content.admin.nodes import tabs as node_tabs
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import history
from ganeti_dashboard.content import live
from ganeti_dashboard.content import object_views
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import redirects

NAMESPACE = node_tables.NAMESPACE
INDEX_URL = reverse_lazy(NAMESPACE + ":index")
LIST_RULE = access.rules("ganeti:node:list")


class IndexView(access.PolicyView, paging.PagedView, tables.DataTableView):
    policy_rules = LIST_RULE
    table_class = node_tables.NodesTable
    page_title = _("Ganeti Nodes")

    def get_data(self):
        info = self.get_server_filter_info(self.request) or {}
        found = object_views.list_all(self.request, node_api)
        return self.page_of(node_tables.filter_nodes(
            found, info.get("field"), info.get("value")))


class NodeMixin(object_views.FreshObject):
    api = node_api
    id_kwarg = "node_id"
    index_url = INDEX_URL
    read_error = _("Cannot show the node: %s")

    def get_node(self):
        return self.get_fresh()


class DetailView(NodeMixin, detail_view.DetailView):
    policy_rules = LIST_RULE
    tab_group_class = node_tabs.NodeDetailTabs
    page_title = "{{ node.name }}"
    object_name = "node"
    table_class = node_tables.NodesTable


class LiveView(live.LiveView):
    """The node's live figures as JSON (its Live tab polls them)."""

    def figures(self):
        cluster, name = models.split_id(self.kwargs["node_id"])
        return monitoring.node_figures(cluster, name)


class HistoryView(history.HistoryView):
    """The node's history graphs as JSON (its History tab reads them)."""

    def names(self):
        cluster, name = models.split_id(self.kwargs["node_id"])
        return cluster, {"node": name}


class ActionView(NodeMixin, object_views.CannotContext,
                 action_view.FormActionView):
    """A node action's form; its rule is the registry's
    (:data:`node_forms.FORMS`).
    """

    registry = node_forms.FORMS
    template_name = "admin/ganeti_nodes/action.html"
    submit_label = _("Confirm")
    url_namespace = NAMESPACE
    object_name = "node"

    @memoized.memoized_method
    def get_object(self):
        """The node fresh; for a migrate-all, its primary instances' state
        too (one query), for a power-cycle its cluster's hypervisors (one
        call), which the form's confirmation and check need.
        """
        node = self.get_node()
        fresh = {"migrate": node_api.primaries_now,
                 "powercycle": node_api.hypervisors_now}.get(
                     self.kwargs.get("action"))
        if fresh is not None:
            redirects.read_or_leave(
                self.request, lambda: fresh(node),
                INDEX_URL, self.read_error)
        return node
