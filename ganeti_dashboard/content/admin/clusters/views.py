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

from django.http import Http404
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages
from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import cluster_settings
from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import monitoring
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.clusters import forms as cluster_forms
from ganeti_dashboard.content.admin.clusters import settings_forms
from ganeti_dashboard.content.admin.clusters import tables as cluster_tables
from ganeti_dashboard.content.admin.clusters import tabs as cluster_tabs
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import live
from ganeti_dashboard.content import redirects
from ganeti_dashboard.content import snapshot_notes

INDEX_URL = reverse_lazy("horizon:admin:ganeti_clusters:index")


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = access.rules("ganeti:cluster:list")
    table_class = cluster_tables.ClustersTable
    page_title = _("Ganeti Clusters")

    def get_data(self):
        try:
            summaries = cluster_state.cluster_summaries()
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        snapshot_notes.report(self.request, {
            s.name: s.snapshot for s in summaries})
        return summaries


class DetailView(detail_view.DetailView):
    policy_rules = access.rules("ganeti:cluster:get")
    tab_group_class = cluster_tabs.ClusterDetailTabs
    page_title = "{{ cluster.name }}"
    object_name = "cluster"
    table_class = cluster_tables.ClustersTable  # its row actions
    index_url = INDEX_URL

    @memoized.memoized_method
    def get_object(self):
        name = self.kwargs["cluster"]
        try:
            summaries = cluster_state.cluster_summaries(names=[name])
        except loader.ConfigError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        if not summaries:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "No cluster named %s is configured.") % name)
        summary = summaries[0]
        if summary.info is None:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Cluster %(name)s: %(error)s")
                % {"name": name, "error": summary.error})
        snapshot_notes.report(self.request, {name: summary.snapshot})
        return summary

    def tab_kwargs(self):
        return {"summary": self.get_object()}


class LiveView(live.LiveView):
    """Every node's live figures as JSON (the cluster's Live tab)."""

    def figures(self):
        return monitoring.cluster_figures(self.kwargs["cluster"])


class TagView(access.PolicyView, forms.ModalFormView):
    """Add or remove one cluster tag (waits for the short tag job)."""

    policy_rules = access.rules("ganeti:cluster:tag")
    template_name = "ganeti_dashboard/instances/action.html"
    remove = False

    def get(self, request, *args, **kwargs):
        self.check_cluster()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_cluster()
        return super().post(request, *args, **kwargs)

    def check_cluster(self):
        """Checked after the policy (PolicyView.dispatch): only then may
        the request learn which clusters exist.
        """
        try:
            cluster = cluster_api.settings().cluster(self.kwargs["cluster"])
        except loader.ConfigError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        if cluster is None:
            raise Http404()
        if cluster.read_only:
            redirects.redirect_saying(
                self.request, self.success_url_for(cluster.name), _(
                    "Cluster %s is read-only for the dashboard.")
                % cluster.name)

    def get_template_names(self):
        """A removal is a confirmation: a page of its own (Horizon picks
        the modal's ``_`` template for an AJAX request).
        """
        if self.remove:
            self.template_name = "admin/ganeti_clusters/remove_tag.html"
        return super().get_template_names()

    def get_form_class(self):
        return cluster_forms.RemoveTagForm if self.remove \
            else cluster_forms.TagForm

    def get_initial(self):
        return {"tag": self.request.GET.get("tag", "")}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cluster"] = self.kwargs["cluster"]
        return kwargs

    @staticmethod
    def success_url_for(cluster):
        return reverse("horizon:admin:ganeti_clusters:detail",
                       args=[cluster]) + "?tab=cluster_details__tags"

    def get_success_url(self):
        return self.success_url_for(self.kwargs["cluster"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.kwargs["cluster"]
        context["page_title"] = context["modal_header"] = (
            _("Remove Tag from %s") if self.remove else _("Add tag to %s")) \
            % name
        context["cluster"] = name
        context["submit_label"] = _("Remove Tag") if self.remove \
            else _("Add")
        context["submit_url"] = reverse(
            "horizon:admin:ganeti_clusters:%s"
            % ("remove_tag" if self.remove else "add_tag"), args=[name])
        context["cancel_url"] = self.get_success_url()
        context["form_id"] = "cluster_tag_form"
        return context


def _detail_url(cluster):
    return reverse("horizon:admin:ganeti_clusters:detail", args=[cluster])


class ClusterFormView(access.PolicyView, forms.ModalFormView):
    """A form on one cluster; the cluster is looked up after the policy
    check (only then may the request learn which clusters exist).
    """

    url_name = None

    def cluster_config(self):
        try:
            cluster = cluster_api.settings().cluster(self.kwargs["cluster"])
        except loader.ConfigError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, str(exc))
        if cluster is None:
            raise Http404()
        return cluster

    def get_success_url(self):
        return str(INDEX_URL)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.kwargs["cluster"]
        context["cluster"] = name
        context["cannot"] = preconditions.cluster_refusal(
            self.cluster_config())
        context["submit_url"] = reverse(
            "horizon:admin:ganeti_clusters:" + self.url_name, args=[name])
        context["cancel_url"] = self.get_success_url()
        context["form_id"] = "cluster_%s_form" % self.url_name
        return context


class SettingsView(ClusterFormView):
    """Edit Settings: the cluster's settings read fresh from RAPI."""

    policy_rules = access.rules("ganeti:cluster:modify")
    template_name = "admin/ganeti_clusters/settings.html"
    form_class = settings_forms.SettingsForm
    url_name = "settings"

    @memoized.memoized_method
    def get_settings(self):
        self.cluster_config()
        try:
            return cluster_settings.read(self.kwargs["cluster"])
        except errors.RapiError as exc:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Cannot read the settings of %(name)s: %(error)s")
                % {"name": self.kwargs["cluster"], "error": exc})

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["settings"] = self.get_settings()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        settings = self.get_settings()
        context["page_title"] = context["modal_header"] = _(
            "Edit Settings of %s") % self.kwargs["cluster"]
        context["submit_label"] = _("Save Changes")
        context["several_ranges"] = settings.minmax is None
        return context


class RedistributeView(ClusterFormView):
    policy_rules = access.rules("ganeti:cluster:redistribute_config")
    template_name = "admin/ganeti_clusters/redistribute.html"
    form_class = settings_forms.RedistributeForm
    url_name = "redistribute"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cluster"] = self.cluster_config()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = context["modal_header"] = _(
            "Redistribute Config of %s") % self.kwargs["cluster"]
        context["submit_label"] = _("Redistribute Config")
        return context
