from django.utils.translation import gettext_lazy as _

from horizon import tabs


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "admin/ganeti_clusters/_detail_overview.html"
    policy_rules = (("ganeti", "ganeti:cluster:get"),)

    def get_context_data(self, request):
        return {"cluster": self.tab_group.kwargs["summary"]}


class ClusterDetailTabs(tabs.TabGroup):
    slug = "cluster_details"
    tabs = (OverviewTab,)
    sticky = True
