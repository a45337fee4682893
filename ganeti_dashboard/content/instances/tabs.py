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

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import exceptions
from horizon import messages
from horizon import tabs

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instance_devices
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import operations
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.content import access
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import history
from ganeti_dashboard.content.instances import console_tab
from ganeti_dashboard.content.instances import device_forms
from ganeti_dashboard.content import live

RULE = access.rules("ganeti:instance:get")
LIVE_RULE = access.rules("ganeti:instance:metrics")


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
                "beparams": detail_view.parameters(data.get("beparams")),
                "hvparams": detail_view.parameters(data.get("hvparams"))}


def job_rows(found):
    """Rows of the operations template: the job, who started it, its error.

    Shared by this tab and the cluster's Recent Jobs tab; the Jobs panel
    says the same through the same helpers (api.job_starters.who,
    api.job_queue.error_text).
    """
    return [{"job": job, "who": job_starters.who(job),
             "error": job_queue.error_text(job)} for job in found]


# The operations tab's query parameter: "mine", the jobs the user started.
SHOW_PARAM = "operations"
MINE = "mine"


class OperationsTab(tabs.Tab):
    """The jobs on the instance among its cluster's listed jobs (the jobs
    snapshot: ``api.operations.of_instance``), newest first; ``?operations
    =mine`` keeps those the user started.
    """

    name = _("Operations")
    slug = "operations"
    template_name = "ganeti_dashboard/instances/_detail_operations.html"
    policy_rules = RULE
    preload = False

    def get_context_data(self, request):
        instance = self.tab_group.kwargs["instance"]
        mine = request.GET.get(SHOW_PARAM) == MINE
        try:
            found, snapshot = operations.of_instance(instance)
        except Exception:
            exceptions.handle(request, _("Unable to list the jobs."))
            found, snapshot = [], None
        if snapshot is not None and not snapshot.available:
            messages.error(request, _("Unable to list the jobs: %s")
                           % (snapshot.error or _("no answer yet")))
        if mine:
            found = [job for job in found
                     if operations.started_by(job, request.user.id)]
        tab = "?tab=%s__%s" % (self.tab_group.slug, self.slug)
        return {"instance": instance, "jobs": job_rows(found),
                "mine": mine, "all_url": tab,
                "mine_url": "%s&%s=%s" % (tab, SHOW_PARAM, MINE),
                "listed": job_queue.listed_per_cluster(),
                "empty_text": _("No job you started is among the "
                                "cluster's newest jobs.") if mine else None}


def device_action(request, instance, namespace, action, label,
                  index=None, read_only=None, node_count=None):
    """A button of the Disks or NICs tab: the form's URL (``index``
    preselects a device), or the reason it is disabled (the state rule,
    a read-only cluster); None when the user's role may not do it.
    """
    if not access.allowed(request, device_forms.FORMS[action].rules):
        return None
    why = None
    if read_only:
        why = _("the cluster is read-only for the dashboard")
    elif instance.pending:
        why = _("a job of the dashboard is still running on it")
    else:
        why = preconditions.instance_refusal(action, instance, node_count)
    url = reverse("%s:action" % namespace, args=[instance.id, action])
    if index is not None:
        url += "?index=%d" % index
    return {"action": action, "label": label, "url": url,
            "why": str(why) if why else None}


class _DevicesTab(tabs.Tab):
    policy_rules = RULE
    preload = False

    def context(self, request):
        instance = self.tab_group.kwargs["instance"]
        namespace = self.tab_group.kwargs["namespace"]
        if instance.pending:
            # A job of ours that has ended frees the buttons at once.
            try:
                instance_api.refresh_pending(instance)
            except errors.RapiError:
                pass
        config = clusters.settings().cluster(instance.cluster)
        read_only = config is None or config.read_only
        count = [None]

        def button(action, label, index=None):
            if action in instance_api.NEED_NODE_COUNT and count[0] is None:
                count[0] = instance_api.node_count(instance.cluster)
            return device_action(request, instance, namespace, action,
                                 label, index, read_only, count[0])

        return instance, button


class DisksTab(_DevicesTab):
    name = _("Disks")
    slug = "disks"
    template_name = "ganeti_dashboard/instances/_detail_disks.html"

    def get_context_data(self, request):
        instance, button = self.context(request)
        rows = instance_devices.disks(instance)
        for row in rows:
            row["actions"] = [a for a in (
                button("disk_grow", _("Grow"), row["index"]),
                button("disk_remove", _("Remove"), row["index"])) if a]
        actions = [a for a in (
            button("disk_add", _("Add Disk")),
            button("activate_disks", _("Activate Disks")),
            button("deactivate_disks", _("Deactivate Disks")),
            button("recreate_disks", _("Recreate Disks")),
            button("replace_disks", _("Replace Disks")),
            button("change_primary", _("Change Primary Node"))) if a]
        return {"instance": instance, "disks": rows, "actions": actions}


class NicsTab(_DevicesTab):
    name = _("NICs")
    slug = "nics"
    template_name = "ganeti_dashboard/instances/_detail_nics.html"

    def get_context_data(self, request):
        instance, button = self.context(request)
        rows = instance_devices.nics(instance)
        for row in rows:
            row["actions"] = [a for a in (
                button("nic_modify", _("Change"), row["index"]),
                button("nic_remove", _("Remove"), row["index"])) if a]
        actions = [a for a in (button("nic_add", _("Add NIC")),) if a]
        return {"instance": instance, "nics": rows, "actions": actions,
                "running": instance.is_running}


class LiveTab(live.LiveTab):
    """The instance's state, memory and vCPUs from RAPI and its primary
    node's free memory and CPU load, drawn as they come: the script polls
    the panel's ``<instance>/live/`` (``api.instance_live``: the shared
    snapshots, never a RAPI call of the viewer's own).
    """

    template_name = "ganeti_dashboard/instances/_detail_live.html"
    policy_rules = LIVE_RULE
    scope = "instance"
    # Loaded when opened: an instance page open on another tab does not
    # poll, nor keep its cluster's live query going.
    preload = False

    def url(self):
        return reverse("%s:live" % self.tab_group.kwargs["namespace"],
                       args=[self.tab_group.kwargs["instance"].id])


class HistoryTab(history.HistoryTab):
    """A KVM instance's CPU and memory over an hour to a year, from
    Prometheus (``content.history``); other hypervisors' instances have
    no process of their own to measure, which the tab says.
    """

    graphs = history.INSTANCE_GRAPHS
    scope = "instance"
    policy_rules = history.INSTANCE_RULE

    def url(self):
        return reverse("%s:history" % self.tab_group.kwargs["namespace"],
                       args=[self.tab_group.kwargs["instance"].id])

    def get_context_data(self, request):
        context = super().get_context_data(request)
        context["unsupported"] = history.unsupported(
            history.hypervisor_of(self.tab_group.kwargs["instance"]))
        return context


class InstanceDetailTabs(tabs.DetailTabsGroup):
    slug = "instance_details"
    tabs = (OverviewTab, DisksTab, NicsTab, OperationsTab,
            console_tab.ConsoleTab, LiveTab, HistoryTab)
    sticky = True
