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

"""The project's usage of Ganeti against its Keystone limits, as charts."""

from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import views

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content import snapshot_notes


class IndexView(access.PolicyView, views.HorizonTemplateView):
    policy_rules = access.rules("ganeti:limits:get")
    template_name = "project/ganeti_overview/index.html"
    page_title = _("Ganeti Overview")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        scope = scope_api.for_member(request)
        used = found = None
        listed = instance_api.listing(scope)
        if snapshot_notes.report_usage(request, listed.snapshots):
            used = limits.count_rows(listed.rows)
        try:
            found = limits.project_limits(request, request.user.project_id)
        except limits.LimitError as exc:
            messages.error(request, str(exc))
        if found is not None and found.service_id is None:
            messages.info(request, _(
                "Keystone has no service of type %s: this project's use of "
                "Ganeti is not limited.") % limits.SERVICE_TYPE)
        context["charts"] = limits.charts(found, used)
        context["clusters"] = sorted(scope.cluster_names)
        return context
