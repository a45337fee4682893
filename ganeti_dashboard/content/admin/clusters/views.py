from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import exceptions
from horizon import messages
from horizon import tables
from horizon import tabs
from horizon.utils import memoized

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content.admin.clusters import tables as cluster_tables
from ganeti_dashboard.content.admin.clusters import tabs as cluster_tabs

INDEX_URL = reverse_lazy("horizon:admin:ganeti_clusters:index")


class IndexView(tables.DataTableView):
    table_class = cluster_tables.ClustersTable
    page_title = _("Ganeti Clusters")

    def get_data(self):
        try:
            summaries = cluster_api.cluster_summaries()
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        failed = [s for s in summaries if not s.reachable]
        if failed:
            messages.warning(self.request, _(
                "Some clusters could not be queried: %s") % "; ".join(
                    "%s (%s)" % (s.name, s.error) for s in failed))
        return summaries


class DetailView(tabs.TabView):
    tab_group_class = cluster_tabs.ClusterDetailTabs
    template_name = "horizon/common/_detail.html"
    page_title = "{{ cluster.name }}"

    @memoized.memoized_method
    def get_data(self):
        name = self.kwargs["cluster"]
        try:
            summaries = cluster_api.cluster_summaries(names=[name])
        except loader.ConfigError as exc:
            raise exceptions.Http302(INDEX_URL, message=str(exc))
        if not summaries:
            raise exceptions.Http302(INDEX_URL, message=_(
                "No cluster named %s is configured.") % name)
        summary = summaries[0]
        if summary.error is not None:
            raise exceptions.Http302(INDEX_URL, message=_(
                "Cluster %(name)s: %(error)s")
                % {"name": name, "error": summary.error})
        return summary

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cluster"] = self.get_data()
        context["url"] = INDEX_URL
        return context

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, summary=self.get_data(),
                                    **kwargs)
