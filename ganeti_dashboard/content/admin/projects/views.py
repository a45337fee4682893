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

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits as limits_api
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content.admin.projects import forms as project_forms
from ganeti_dashboard.content.admin.projects import tables as project_tables
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import redirects
from ganeti_dashboard.content import snapshot_notes

NAMESPACE = project_tables.NAMESPACE
INDEX_URL = reverse_lazy(NAMESPACE + ":index")


def configured_clusters(request):
    """Names of the configured clusters; None (and a message) if unknown."""
    try:
        return cluster_api.settings().cluster_names()
    except loader.ConfigError as exc:
        messages.error(request, str(exc))
        return None


class IndexView(access.PolicyView, paging.PagedView, tables.DataTableView):
    policy_rules = access.rules("ganeti:project:list")
    table_class = project_tables.ProjectsTable
    page_title = _("Ganeti Projects")

    def get_data(self):
        """The page's projects, filtered and cut before their limits and
        usage are worked out.
        """
        info = self.get_server_filter_info(self.request) or {}
        try:
            projects = keystone_api.projects_with_clusters(self.request)
        except keystone_api.KeystoneError as exc:
            messages.error(self.request, str(exc))
            return []
        projects = self.page_of(project_tables.filter_projects(
            projects, info.get("field"), info.get("value")))
        configured = configured_clusters(self.request)
        limits, usage, missing = self.limits_and_usage(
            projects if configured is not None else [])
        for project in projects:
            project.configured = configured
            project.limits = limits.get(project.id, limits.get(None))
            project.usage = usage.get(project.id)
            project.usage_missing = missing.get(project.id)
        return projects

    def limits_and_usage(self, projects):
        """Every project's limits (two Keystone calls) and usage (from
        the clusters' instance snapshots, as the Instances panel's list).
        Counted, as enforced, on the clusters mapped to each.

        A cluster that cannot be shown leaves out the usage of the
        projects mapped to it only (a usage without it would tell them
        they have room they have not): the third result is ``{project
        id: {cluster: why}}`` of those; the others' usage is shown.
        """
        try:
            limits = limits_api.all_project_limits(self.request)
        except limits_api.LimitError as exc:
            messages.error(self.request, str(exc))
            limits = {}
        if not projects:
            return limits, {}, {}
        found = instance_api.listing(scope_api.ALL)
        snapshot_notes.report(self.request, found.snapshots)
        down = snapshot_notes.unavailable(found.snapshots)
        owned = limits_api.by_project(found.rows)  # one pass over the rows
        usage, missing = {}, {}
        for project in projects:
            mapped = set(project.clusters)
            gone = {name: down[name] for name in mapped if name in down}
            if gone:
                missing[project.id] = gone
                continue
            usage[project.id] = limits_api.count_rows(
                e for e in owned.get(project.id, ()) if e[1] in mapped)
        return limits, usage, missing


class ActionView(action_view.FormActionView):
    """A project action's form (map, unmap, limits); its rule is the
    registry's (:data:`project_forms.FORMS`). The panel's rule lets one see
    the mappings; changing them takes the action's rule.
    """

    registry = project_forms.FORMS
    template_name = "admin/ganeti_projects/mapping.html"
    url_namespace = NAMESPACE
    object_name = "project"
    form_prefix = "ganeti_project"

    @memoized.memoized_method
    def get_object(self):
        return redirects.read_or_leave(self.request, self._read, INDEX_URL,
                                       "%s")

    def _read(self):
        project = keystone_api.project(
            self.request, self.kwargs["project_id"], admin=True)
        project.configured = cluster_api.settings().cluster_names()
        return project

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.kwargs["action"] == "limits":
            kwargs["limits"] = self.get_limits()
        return kwargs

    def get_limits(self):
        """The project's limits, for the limits form; the page leaves for
        the list when Keystone cannot give them or has no ganeti service.
        """
        try:
            found = limits_api.project_limits(
                self.request, self.kwargs["project_id"], admin=True)
        except limits_api.LimitError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        if found.service_id is None:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Keystone has no service of type %s: register it (with an "
                "endpoint) before setting limits.") % limits_api.SERVICE_TYPE)
        return found
