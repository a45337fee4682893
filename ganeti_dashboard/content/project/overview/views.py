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

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import views

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import instance_live
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import history as history_content
from ganeti_dashboard.content import live
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import snapshot_notes

LIVE_RULE = history_content.INSTANCE_RULE


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
        if access.allowed(request, LIVE_RULE):
            context["live_url"] = reverse(
                "horizon:project:ganeti_overview:live")
            context["live_interval"] = clusters.settings().live_interval
        return context


class LiveView(live.LiveView):
    """The live state and usage of the member's own project's instances
    (JSON, ``?page=N``, at most ``instance_live.PAGE_SIZE`` a page), which
    the overview polls: from the shared snapshots only, so a poll asks
    Ganeti nothing. The scope is the request's own project on the
    clusters mapped to it: no URL reaches another project's instances.
    """

    policy_rules = LIVE_RULE

    def figures(self):
        # Not for_member: its message about an unknown mapping would wait
        # for the member's next page; the JSON says it.
        scope = scope_api.for_project(self.request,
                                      self.request.user.project_id)
        found = instance_live.project_figures(
            scope, paging.page_number(self.request))
        # Prometheus keeps the history of KVM guests only (their QEMU
        # process): the others' rows link to none. The History tab's rule
        # is this view's own (LIVE_RULE), checked already.
        history = loader.load().metrics.enabled
        for row in found["instances"]:
            row["url"] = reverse("horizon:project:ganeti_instances:detail",
                                 args=[row["id"]])
            if history and row.get("hypervisor") == "kvm":
                row["history_url"] = "%s?tab=instance_details__%s" % (
                    row["url"], history_content.HistoryTab.slug)
        found["error"] = str(_("Cannot read which clusters this project "
                               "may use: %s") % scope.unknown) \
            if scope.unknown else None
        return found
