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

from horizon import tabs

from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.content import job_lists


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "admin/ganeti_jobs/_detail_overview.html"
    policy_rules = (("ganeti", "ganeti:job:list"),)

    def get_context_data(self, request):
        job = self.tab_group.kwargs["job"]
        shown = dict(job_lists.STATUS_DISPLAY)
        opcodes = job_queue.opcodes(job)
        for op in opcodes:
            op["status_display"] = shown.get(op["status"], op["status"])
        return {"job": job, "who": job_starters.who(job),
                "status": shown.get(job.status, job.status),
                "error": job_queue.error_text(job), "opcodes": opcodes}


class JobDetailTabs(tabs.DetailTabsGroup):
    slug = "job_details"
    tabs = (OverviewTab,)
    sticky = True
