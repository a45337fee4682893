from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages
from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits as limits_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.projects import forms as project_forms
from ganeti_dashboard.content.admin.projects import tables as project_tables
from ganeti_dashboard.content import redirects

INDEX_URL = reverse_lazy("horizon:admin:ganeti_projects:index")


def configured_clusters(request):
    """Names of the configured clusters; None (and a message) if unknown."""
    try:
        return frozenset(c.name for c in cluster_api.settings().clusters)
    except loader.ConfigError as exc:
        messages.error(request, str(exc))
        return None


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = access.rules("ganeti:project:list")
    table_class = project_tables.ProjectsTable
    page_title = _("Ganeti Projects")

    def get_data(self):
        try:
            projects = keystone_api.projects_with_clusters(self.request)
        except keystone_api.KeystoneError as exc:
            messages.error(self.request, str(exc))
            return []
        configured = configured_clusters(self.request)
        limits, usage = self.limits_and_usage(
            projects if configured is not None else [])
        for project in projects:
            project.configured = configured
            project.limits = limits.get(project.id, limits.get(None))
            project.usage = usage.get(project.id)
        return projects

    def limits_and_usage(self, projects):
        """Every project's limits (two Keystone calls) and usage (from
        the clusters' instance snapshots, as the Instances panel's list).
        Counted, as enforced, on the clusters mapped to each."""
        try:
            limits = limits_api.all_project_limits(self.request)
        except limits_api.LimitError as exc:
            messages.error(self.request, str(exc))
            limits = {}
        if not projects:
            return limits, {}
        found, failures = instance_api.list_all(instance_api.ALL)
        for cluster, exc in sorted(failures.items()):
            messages.warning(self.request, _(
                "Cluster %(cluster)s could not be queried, so usage is not "
                "shown: %(error)s") % {"cluster": cluster, "error": exc})
        usage = {}
        if not failures:
            for project in projects:
                mapped = set(project.clusters)
                usage[project.id] = limits_api.count(
                    i for i in found if i.project_id == project.id
                    and i.cluster in mapped)
        return limits, usage


class MappingView(access.PolicyView, forms.ModalFormView):
    """The map and unmap forms of one project (``form_class`` says which).

    The panel's rule lets one see the mappings; changing them takes the
    action's rule.
    """

    template_name = "admin/ganeti_projects/mapping.html"
    success_url = INDEX_URL
    url_name = None
    help_text = None
    policy_rules = project_tables.MAP_RULE

    @memoized.memoized_method
    def get_project(self):
        try:
            project = keystone_api.project(
                self.request, self.kwargs["project_id"], admin=True)
        except keystone_api.KeystoneError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        try:
            project.configured = frozenset(
                c.name for c in cluster_api.settings().clusters)
        except loader.ConfigError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        return project

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["project"] = self.get_project()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        context["project"] = project
        context["help_text"] = self.help_text
        context["page_title"] = context["modal_header"] = "%s: %s" % (
            self.title, project.name)
        context["submit_url"] = reverse(
            "horizon:admin:ganeti_projects:%s" % self.url_name,
            args=[project.id])
        context["form_id"] = "ganeti_project_%s_form" % self.url_name
        return context


class MapView(MappingView):
    form_class = project_forms.MapForm
    title = _("Map to Cluster")
    submit_label = _("Map")
    url_name = "map"
    help_text = _("Members of the project may then create and manage "
                  "instances on the cluster. The mapping is the Keystone "
                  "project tag ganeti:cluster:<name>.")


class UnmapView(MappingView):
    form_class = project_forms.UnmapForm
    title = _("Remove Mapping")
    submit_label = _("Remove")
    url_name = "unmap"
    help_text = _("Members of the project can no longer use the cluster "
                  "from the dashboard. Instances on it are not touched.")


class LimitsView(MappingView):
    form_class = project_forms.LimitsForm
    title = _("Set Limits")
    submit_label = _("Save")
    url_name = "limits"
    policy_rules = project_tables.LIMITS_RULE
    help_text = _("Keystone project limits of the ganeti service. Leave a "
                  "field empty to use the default; -1 means unlimited. "
                  "Limits are checked when members create or resize "
                  "instances; instances already there are not touched.")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        try:
            kwargs["limits"] = limits_api.project_limits(
                self.request, self.kwargs["project_id"], admin=True)
        except limits_api.LimitError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        if kwargs["limits"].service_id is None:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Keystone has no service of type %s: register it (with an "
                "endpoint) before setting limits.") % limits_api.SERVICE_TYPE)
        return kwargs
