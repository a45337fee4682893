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

"""Detail tabs of an instance, shared by the Admin and Project panels."""

from django.utils.translation import gettext_lazy as _

from horizon import exceptions
from horizon import tabs

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import console_tab

RULE = access.rules("ganeti:instance:get")


class OverviewTab(tabs.Tab):
    name = _("Overview")
    slug = "overview"
    template_name = "ganeti_dashboard/instances/_detail_overview.html"
    policy_rules = RULE

    def get_context_data(self, request):
        instance = self.tab_group.kwargs["instance"]
        data = instance.data
        nics = []
        for i, mac in enumerate(data.get("nic.macs") or []):
            def pick(field, i=i):
                values = data.get(field) or []
                return values[i] if i < len(values) else None
            nics.append({"index": i, "mac": mac, "ip": pick("nic.ips"),
                         "mode": pick("nic.modes"), "link": pick("nic.links"),
                         "network": pick("nic.networks.names")})
        disks = [{"index": i, "size": size}
                 for i, size in enumerate(instance.disk_sizes)]
        return {"instance": instance, "nics": nics, "disks": disks,
                "beparams": sorted((data.get("beparams") or {}).items()),
                "hvparams": sorted((data.get("hvparams") or {}).items())}


def job_rows(found):
    """Rows of the operations template: the job, who started it, its error.

    Shared by this tab and the cluster's Recent Jobs tab; the Jobs panel
    says the same through the same helpers (api.job_starters.who,
    api.job_queue.error_text).
    """
    return [{"job": job, "who": job_starters.who(job),
             "error": job_queue.error_text(job)} for job in found]


class OperationsTab(tabs.Tab):
    name = _("Operations")
    slug = "operations"
    template_name = "ganeti_dashboard/instances/_detail_operations.html"
    policy_rules = RULE
    preload = False

    def get_context_data(self, request):
        instance = self.tab_group.kwargs["instance"]
        try:
            found = instance_api.operations(instance)
        except Exception:
            exceptions.handle(request, _("Unable to list the jobs."))
            found = []
        return {"instance": instance, "jobs": job_rows(found)}


class InstanceDetailTabs(tabs.DetailTabsGroup):
    slug = "instance_details"
    tabs = (OverviewTab, OperationsTab, console_tab.ConsoleTab)
    sticky = True
