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

from django.utils.translation import gettext_lazy as _

from django.urls import reverse

from horizon import tabs

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.nodes import forms as node_forms
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import history
from ganeti_dashboard.content import live


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "admin/ganeti_nodes/_detail_overview.html"
    policy_rules = (("ganeti", "ganeti:node:list"),)

    def get_context_data(self, request):
        node = self.tab_group.kwargs["node"]
        return {"node": node,
                "ndparams": detail_view.parameters(node.data.get("ndparams"))}


class StorageTab(tabs.Tab):
    """The node's storage units: Ganeti lists them by a job per storage
    type (and only to a RAPI user with write access), so the tab is
    loaded when opened, not with the page.
    """

    name = _("Storage")
    slug = "storage"
    template_name = "admin/ganeti_nodes/_detail_storage.html"
    policy_rules = (("ganeti", "ganeti:node:storage"),)
    preload = False
    # The forms its units' buttons open (each under its FORMS rule).
    opens = ("storage_modify", "storage_repair")

    def get_context_data(self, request):
        node = self.tab_group.kwargs["node"]
        units, problems, error = [], [], None
        try:
            units, problems = node_api.storage(node)
        except errors.RapiError as exc:
            error = str(exc)
        may = {action: access.allowed(request, node_forms.FORMS[action].rules)
               and not node.cannot(action) for action in self.opens}
        return {"node": node, "units": units, "problems": problems,
                "error": error, "may_modify": may["storage_modify"],
                "may_repair": may["storage_repair"],
                "cannot_write": node.cannot("storage_modify")}


class LiveTab(live.LiveTab):
    """CPU load and free memory, drawn as they come (``content.live``)."""

    def url(self):
        return reverse("horizon:admin:ganeti_nodes:live",
                       args=[self.tab_group.kwargs["node"].id])


class HistoryTab(history.HistoryTab):
    """CPU, memory, disk and network over an hour to a year, from
    Prometheus (``content.history``).
    """

    graphs = history.NODE_GRAPHS

    def url(self):
        return reverse("horizon:admin:ganeti_nodes:history",
                       args=[self.tab_group.kwargs["node"].id])


class NodeDetailTabs(tabs.DetailTabsGroup):
    slug = "node_details"
    tabs = (OverviewTab, StorageTab, LiveTab, HistoryTab)
    sticky = True
