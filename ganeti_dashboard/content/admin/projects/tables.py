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

"""One row per Keystone project, with the clusters its tags map it to."""

from django.urls import reverse
from django.utils import html
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import limits as limits_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.projects import forms as project_forms
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import sorting

NAMESPACE = "horizon:admin:ganeti_projects"


def _clusters(project):
    """Mapped cluster names; a tag naming an unknown cluster is flagged.

    format_html escapes the names (they come from Keystone tags, which
    anyone with the CLI may set).
    """
    if not project.clusters:
        return "-"
    unknown = set(project.unconfigured())
    return html.format_html_join(
        ", ", "{}", ((html.format_html(
            '<span class="ganeti-mapped-cluster ganeti-not-configured">{} '
            '<em>({})</em></span>', name, _("not configured"))
            if name in unknown else html.format_html(
                '<span class="ganeti-mapped-cluster">{}</span>', name),)
            for name in project.clusters))


def _limits(project):
    """"used / limit" per resource, a line each; a project's own override
    is starred. A mapped cluster whose usage cannot be counted is named
    with why, first, and no usage is shown ("-").

    Markup, each value escaped by format_html.
    """
    missing = project.usage_missing or {}
    lines = [html.format_html(
        '<div class="ganeti-usage-incomplete text-warning">{}</div>',
        _("incomplete: %(cluster)s (%(error)s)") % {
            "cluster": name, "error": missing[name]})
        for name in sorted(missing)]
    overrides = project.limits.overrides if project.limits else ()
    lines += [html.format_html(
        '<div class="ganeti-limit ganeti-limit-{}">{}: {} / {}{}{}</div>',
        r["resource"], r["name"], r["used"], r["total"],
        " " + r["unit"] if r["unit"] else "",
        " *" if r["resource"] in overrides else "")
        for r in limits_api.charts(project.limits, project.usage)]
    return html.format_html_join("", "{}", ((line,) for line in lines))


class ProjectActionLink(tables.LinkAction):
    """Opens the modal form of the action ``form`` (its entry in
    :data:`project_forms.FORMS` gives the rule).
    """

    classes = ("ajax-modal",)
    form = None

    def get_link_url(self, datum=None):
        return reverse(NAMESPACE + ":action", args=[datum.id, self.form])


class MapToCluster(ProjectActionLink):
    name = form = "map"
    verbose_name = _("Map to Cluster")
    icon = "plus"
    policy_rules = project_forms.FORMS["map"].rules

    def allowed(self, request, project=None):
        return project is None or bool(project.unmapped())


class RemoveMapping(ProjectActionLink):
    name = form = "unmap"
    verbose_name = _("Remove Mapping")
    classes = ("ajax-modal", "btn-danger")
    icon = "minus"
    policy_rules = project_forms.FORMS["unmap"].rules

    def allowed(self, request, project=None):
        return project is None or bool(project.clusters)


class SetLimits(ProjectActionLink):
    name = form = "limits"
    verbose_name = _("Set Limits")
    icon = "pencil"
    policy_rules = project_forms.FORMS["limits"].rules


class ProjectFilter(tables.FilterAction):
    """Applied on the server, over every Keystone project, before paging
    (a real cloud has thousands).
    """

    filter_type = "server"
    filter_choices = (
        ("name", _("Name ="), True),
        ("id", _("Project ID ="), True),
        ("clusters", _("Cluster ="), True),
    )


def _project_text(project, field):
    if field == "clusters":
        return " ".join(project.clusters or ())
    return getattr(project, field, "")


def filter_projects(found, field, value):
    """The projects whose ``field`` holds ``value`` (case-insensitive)."""
    return paging.search(found, ProjectFilter, field, value, _project_text)


class ProjectsTable(access.PolicyTable, paging.PagedTable, tables.DataTable):
    name = tables.WrappingColumn("name", verbose_name=_("Name"))
    id = tables.Column("id", verbose_name=_("Project ID"))
    description = tables.WrappingColumn(
        lambda p: p.description or "-", verbose_name=_("Description"))
    clusters = tables.Column(_clusters, verbose_name=_("Clusters"),
                             classes=("ganeti-project-clusters",))
    limits = tables.Column(_limits, verbose_name=_("Usage / limits"),
                           classes=("ganeti-project-limits",),
                           help_text=_("* a limit set for this project; "
                                       "the others are the defaults."))

    order = paging.ORDER_BY_NAME  # api.keystone.projects_with_clusters'
    sort_keys = {"name": lambda project: sorting.text(project.name)}
    default_sort = "name"

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = "projects"
        verbose_name = _("Projects")
        no_data_message = _("No Keystone projects to show: create one in "
                            "Identity > Projects, then map it to a cluster "
                            "here.")
        table_actions = (ProjectFilter,)
        row_actions = (MapToCluster, RemoveMapping, SetLimits)
        template = paging.TEMPLATE
        footer = False  # the paged template writes the count and links
        pagination_param = paging.PAGE_PARAM
