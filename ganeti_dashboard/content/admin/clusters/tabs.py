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

"""Tabs of a cluster's detail page.

Resource Use, Nodes and Instances share the totals over the cluster's node
and instance snapshots (``api.cluster_state.resources``), made once per
page.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import exceptions
from horizon import tabs
from horizon.utils import memoized

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import groups as group_api
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.clusters import map_view
from ganeti_dashboard.content.admin.groups import forms as group_forms
from ganeti_dashboard.content.admin.groups import tables as group_tables
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content.instances.tabs import job_rows
from ganeti_dashboard.content import live

RECENT_JOBS = 30
RULE = (("ganeti", "ganeti:cluster:get"),)


class ClusterTab(tabs.Tab):
    policy_rules = RULE

    @property
    def summary(self):
        return self.tab_group.kwargs["summary"]

    def resources(self, request):
        return self.tab_group.resources(request)


class OverviewTab(ClusterTab):
    name = _("Overview")
    slug = "overview"
    template_name = "admin/ganeti_clusters/_detail_overview.html"

    def get_context_data(self, request):
        info = self.summary.info or {}
        ipolicy = info.get("ipolicy") or {}
        hypervisor = info.get("default_hypervisor")
        return {
            "cluster": self.summary,
            "ipolicy_minmax": ipolicy.get("minmax") or [],
            "ipolicy_std": sorted((ipolicy.get("std") or {}).items()),
            "ipolicy_other": sorted(
                (k, v) for k, v in ipolicy.items()
                if k not in ("minmax", "std")),
            "beparams": detail_view.parameters(
                (info.get("beparams") or {}).get("default")),
            "hvparams": detail_view.parameters(
                (info.get("hvparams") or {}).get(hypervisor)),
            "hypervisor": hypervisor,
        }


class ResourcesTab(ClusterTab):
    name = _("Resource Use")
    slug = "resources"
    template_name = "admin/ganeti_clusters/_detail_resources.html"

    def get_context_data(self, request):
        return {"resources": self.resources(request)}


class NodesTab(ClusterTab):
    name = _("Nodes")
    slug = "nodes"
    template_name = "admin/ganeti_clusters/_detail_nodes.html"

    def get_context_data(self, request):
        return {"resources": self.resources(request)}


class NodeGroupsTab(ClusterTab):
    """The cluster's node groups, with the actions the operator may take
    (Admin > Ganeti > Node Groups' forms; each disabled with its reason
    where it cannot apply).
    """

    name = _("Node Groups")
    slug = "groups"
    template_name = "admin/ganeti_clusters/_detail_groups.html"
    policy_rules = RULE + (("ganeti", "ganeti:group:list"),)
    ACTIONS = (("rename", _("Rename")), ("modify", _("Modify")),
               ("assign_nodes", _("Assign Nodes")),
               ("evacuate", _("Evacuate")), ("add_tag", _("Add Tag")),
               ("remove_tag", _("Remove Tag")), ("delete", _("Delete")))

    def get_context_data(self, request):
        name = self.summary.name
        found, snapshots = group_api.list_all([name])
        for snapshot in snapshots.values():
            if not snapshot.available:
                exceptions.handle(request, _("Unable to list node groups: "
                                             "%s") % snapshot.error)
        allowed = [(action, label) for action, label in self.ACTIONS
                   if access.allowed(request,
                                     group_forms.FORMS[action].rules)]
        rows = []
        for group in found:
            actions = []
            for action, label in allowed:
                cannot = group.cannot(action)
                actions.append({
                    "name": action, "label": label, "cannot": cannot,
                    "url": None if cannot else reverse(
                        group_tables.NAMESPACE + ":action",
                        args=[group.id, action])})
            rows.append({"group": group, "actions": actions})
        create = access.allowed(request, access.rules("ganeti:group:create"))
        return {"rows": rows, "cluster": name,
                "list_url": group_tables.index_url(name),
                "create_url": reverse(group_tables.NAMESPACE + ":create")
                + "?cluster=" + name
                if create and not self.summary.config.read_only else None}


class InstancesTab(ClusterTab):
    """The first instances by name, and how many there are: the whole
    list, with its filters and pages, is Admin > Ganeti > Instances.
    """

    name = _("Instances")
    slug = "instances"
    template_name = "admin/ganeti_clusters/_detail_instances.html"
    SHOWN = 50

    def get_context_data(self, request):
        name = self.summary.name
        scope = scope_api.ALL.within([self.summary.config])
        found = instance_api.listing(scope)
        rows = [{"instance": instance, "url": reverse(
            "horizon:admin:ganeti_instances:detail", args=[instance.id])}
            for instance in found.instances(found.rows[:self.SHOWN])]
        return {"rows": rows, "total": len(found.rows), "cluster": name,
                "list_url": reverse("horizon:admin:ganeti_instances:index")}


class JobsTab(ClusterTab):
    name = _("Recent Jobs")
    slug = "jobs"
    template_name = "ganeti_dashboard/instances/_detail_operations.html"
    preload = False

    def get_context_data(self, request):
        found, snapshots = job_queue.list_recent([self.summary.name])
        for snapshot in snapshots.values():
            if not snapshot.available:
                exceptions.handle(request, _("Unable to list jobs: %s")
                                  % snapshot.error)
        # The newest few, and how many are listed: the whole list, with
        # its search and pages, is Admin > Ganeti > Jobs.
        return {"jobs": job_rows(found[:RECENT_JOBS]),
                "total": len(found),
                "more_url": reverse("horizon:admin:ganeti_jobs:index"),
                "empty_text": _("No jobs in the queue.")}


class TagsTab(ClusterTab):
    name = _("Tags")
    slug = "tags"
    template_name = "admin/ganeti_clusters/_detail_tags.html"

    def get_context_data(self, request):
        name = self.summary.name
        try:
            tags = sorted(cluster_api.client(name).cluster_tags())
        except errors.RapiError as exc:
            exceptions.handle(request, _("Unable to list tags: %s") % exc)
            tags = []
        writable = not self.summary.config.read_only
        return {"tags": tags, "cluster": name, "writable": writable,
                "add_url": reverse("horizon:admin:ganeti_clusters:add_tag",
                                   args=[name])}


class LiveTab(live.LiveTab):
    """One small CPU and memory graph per node (``content.live``)."""

    scope = "cluster"

    def url(self):
        return reverse("horizon:admin:ganeti_clusters:live",
                       args=[self.tab_group.kwargs["summary"].name])


class ClusterDetailTabs(tabs.DetailTabsGroup):
    slug = "cluster_details"
    tabs = (OverviewTab, ResourcesTab, NodesTab, NodeGroupsTab, LiveTab,
            map_view.MapTab, InstancesTab, JobsTab, TagsTab)
    sticky = True

    @memoized.memoized_method
    def resources(self, request):
        try:
            return cluster_state.resources(self.kwargs["summary"].name)
        except errors.RapiError as exc:
            exceptions.handle(request, _("Unable to list nodes and "
                                         "instances: %s") % exc)
            return None
