from django.utils.translation import gettext_lazy as _

from horizon import tabs

from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "admin/ganeti_jobs/_detail_overview.html"
    policy_rules = (("ganeti", "ganeti:job:list"),)

    def get_context_data(self, request):
        job = self.tab_group.kwargs["job"]
        return {"job": job, "who": job_starters.who(job),
                "error": job_queue.error_text(job),
                "opcodes": job_queue.opcodes(job)}


class JobDetailTabs(tabs.DetailTabsGroup):
    slug = "job_details"
    tabs = (OverviewTab,)
    sticky = True
