from django.utils.translation import gettext_lazy as _

from horizon import tabs


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "admin/ganeti_nodes/_detail_overview.html"
    policy_rules = (("ganeti", "ganeti:node:list"),)

    def get_context_data(self, request):
        node = self.tab_group.kwargs["node"]
        return {"node": node,
                "ndparams": sorted((node.data.get("ndparams") or {}).items())}


class NodeDetailTabs(tabs.DetailTabsGroup):
    slug = "node_details"
    tabs = (OverviewTab,)
    sticky = True
