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

"""Views of the instances panels: list, detail, action forms.

Subclasses set ``table_class`` (whose ``scope`` decides what the request may
see) and, for the list, may decorate rows (the Admin panel adds project
names). Anything outside the scope is a 404, whatever the URL.
"""

from django.http import Http404
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views import generic

from horizon import messages
from horizon import tables
from horizon.utils import http as http_utils
from horizon.utils import memoized
from horizon import workflows

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import console_endpoints
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instance_live
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import reasons
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import history
from ganeti_dashboard.content.instances import console_tab
from ganeti_dashboard.content.instances import device_forms
from ganeti_dashboard.content.instances import filters
from ganeti_dashboard.content.instances import forms as instance_forms
from ganeti_dashboard.content.instances import tabs as instance_tabs
from ganeti_dashboard.content.instances import workflows as create_workflow
from ganeti_dashboard.content import live
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import redirects
from ganeti_dashboard.content import snapshot_notes


class ScopedMixin:
    table_class = None

    def scope(self):
        return self.table_class.scope(self.request)

    def namespace(self):
        return self.table_class.url_namespace

    def instance_or_failure(self):
        """``(instance, None)``, or ``(None, why)`` when RAPI fails; a 404
        out of scope. For console pages and their script, which say a
        failure themselves: a redirect would lose it in a frame, and its
        message would show on the user's next page.
        """
        try:
            return instance_api.get(self.scope(),
                                    self.kwargs["instance_id"]), None
        except errors.NotFound:
            raise Http404()
        except errors.RapiError as exc:
            return None, str(exc)

    @memoized.memoized_method
    def get_instance(self):
        return self.read_instance(self.kwargs["instance_id"],
                                  _("Cannot show the instance: %s"))

    def read_instance(self, obj_id, failure):
        """The instance ``obj_id`` in scope, fresh from RAPI: a 404
        outside it, a redirect to the list saying ``failure`` when its
        cluster cannot answer.
        """
        return redirects.read_or_leave(
            self.request, lambda: instance_api.get(self.scope(), obj_id),
            reverse("%s:index" % self.namespace()), failure)


class IndexView(ScopedMixin, access.PolicyView, paging.PagedView,
                tables.DataTableView):
    """Subclasses name the panel's list rule; row updates are reads of the
    list, and posted table actions check their own rules
    (:class:`access.PolicyTable`).
    """

    page_title = _("Instances")

    def get_data(self):
        """The page's instances: the scope's snapshot rows filtered,
        counted and cut to the page, and only those built and shown.
        """
        info = self.get_server_filter_info(self.request) or {}
        field, value = info.get("field"), info.get("value")
        try:
            # A cluster the filter leaves out could show no row: it is not
            # read (nor named when it is down).
            scope = self.scope()
            scope = scope.within(filters.filter_clusters(
                scope.clusters(), field, value))
            found = instance_api.listing(scope)
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        for cluster in scope.clusters():
            if cluster.read_only:
                messages.info(self.request, _(
                    "Cluster %s is read-only for the dashboard: its "
                    "instances cannot be changed here.") % cluster.name)
        snapshot_notes.report(self.request, found.snapshots)
        rows = filters.filter_rows(
            found.rows, field, value,
            lambda: self.table_class.project_names(self.request))
        instances = found.instances(self.page_of(rows))
        self.table_class.decorate(self.request, instances)
        return instances


class DetailView(ScopedMixin, detail_view.DetailView):
    policy_rules = access.rules("ganeti:instance:get")
    tab_group_class = instance_tabs.InstanceDetailTabs
    page_title = "{{ instance.name }}"
    object_name = "instance"

    def get_object(self):
        return self.get_instance()

    def get_index_url(self):
        return reverse("%s:index" % self.namespace())

    def tab_kwargs(self):
        return dict(super().tab_kwargs(), namespace=self.namespace())


class ActionView(ScopedMixin, action_view.FormActionView):
    """An instance action's form; its rule is the registry's
    (:data:`instance_forms.FORMS`).
    """

    registry = instance_forms.FORMS
    template_name = "ganeti_dashboard/instances/action.html"
    submit_label = _("Submit")
    object_name = "instance"

    def get_object(self):
        return self.get_instance()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["scope"] = self.scope()
        return kwargs

    def get_success_url(self):
        """A form of the Disks or NICs tab leads back to that tab."""
        action = self.kwargs.get("action")
        if action not in device_forms.FORMS:
            return super().get_success_url()
        tab = "nics" if action.startswith("nic_") else "disks"
        return "%s?tab=%s__%s" % (
            reverse("%s:detail" % self.namespace(),
                    args=[self.kwargs["instance_id"]]),
            instance_tabs.InstanceDetailTabs.slug, tab)


class CreateView(ScopedMixin, access.PolicyView, workflows.WorkflowView):
    """The create workflow, as a modal or a page of its own; a project
    that may use no cluster gets, instead, what to ask an operator.
    """

    policy_rules = access.rules("ganeti:instance:create")
    workflow_class = create_workflow.CreateInstance
    page_title = _("Create Instance")
    template_name = "ganeti_dashboard/instances/create.html"
    ajax_template_name = "ganeti_dashboard/instances/_create.html"
    unavailable_templates = (
        "ganeti_dashboard/instances/create_unavailable.html",
        "ganeti_dashboard/instances/_create_unavailable.html")

    def required_rules(self):
        """An import (``?export=``) needs its own rule too: a user who may
        create but not import is refused, rather than served a plain
        create under the import's URL.
        """
        if "export" in self.request.GET:
            return self.policy_rules + create_workflow.IMPORT_RULES
        return self.policy_rules

    def get(self, request, *args, **kwargs):
        if not self.scope().cluster_names:
            return self.unavailable()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.scope().cluster_names:
            return self.unavailable()
        return super().post(request, *args, **kwargs)

    def unavailable(self):
        """The empty state: no cluster, and whom to ask for one."""
        scope = self.scope()
        modal = http_utils.is_ajax(self.request)
        return render(self.request, self.unavailable_templates[modal], {
            "page_title": self.page_title, "hide": modal,
            "unknown": scope.unknown,
            "project_name": getattr(self.request.user, "project_name", ""),
            "project_id": scope.project_id,
            "index_url": reverse("%s:index" % self.namespace())})

    def get_context_data(self, **kwargs):
        """Horizon's workflow view sets no ``page_title``: its breadcrumb
        would end in "None".
        """
        context = super().get_context_data(**kwargs)
        context.setdefault("page_title", self.page_title)
        return context

    def get_initial(self):
        """Pre-fill from an operator's template or an existing instance."""
        initial = super().get_initial()
        initial["scope"] = self.scope()
        template_name = self.request.GET.get("template")
        source = self.request.GET.get("from")
        export = self.request.GET.get("export")
        if export:
            # Allowed: required_rules has IMPORT_RULES then.
            # <cluster>:<node>:<export>, from Admin > Ganeti > Exports.
            cluster, _sep, rest = export.partition(":")
            node, _sep, name = rest.partition(":")
            if cluster and node and name:
                initial.update(cluster=cluster,
                               source_export="%s/%s" % (node, name))
        if template_name:
            template = clusters.settings().template(template_name)
            if template is None:
                raise Http404()
            initial.update(create_workflow.template_values(template))
        elif source:
            instance = self.read_instance(
                source, _("Cannot read the instance: %s"))
            initial.update(cluster=instance.cluster, os=instance.os,
                           vcpus=instance.vcpus, memory=instance.memory,
                           disk_template=instance.disk_template,
                           disks=",".join(str(d) for d in
                                          instance.disk_sizes))
        return initial

    def get_workflow(self, *args, **kwargs):
        workflow = super().get_workflow(*args, **kwargs)
        workflow.success_url = reverse("%s:index" % self.namespace())
        return workflow


@method_decorator([never_cache, xframe_options_sameorigin], name="dispatch")
class ConsoleView(ScopedMixin, access.PolicyView, generic.TemplateView):
    """The console page (noVNC or a terminal), in the console tab's frame
    or a window of its own.

    Every load resolves the target from RAPI, within the scope (anything
    else is a 404), and issues a fresh single-use token bound to the user,
    the project, the instance, the kind and that target. A failure is said
    in the page: it is inside a frame, where a redirect would lose it.
    """

    policy_rules = console_tab.RULE
    templates = {"vnc": "ganeti_dashboard/instances/console_vnc.html",
                 "serial": "ganeti_dashboard/instances/console_serial.html"}
    url_choices = {"kind": tuple(templates)}

    def dispatch(self, request, *args, **kwargs):
        if kwargs.get("kind") not in self.templates:
            raise Http404()
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        return [self.templates[self.kwargs["kind"]]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        instance, failure = self.instance_or_failure()
        if failure:
            context["error"] = _("Cannot read the instance: %s") % failure
            return context
        context["instance"] = instance
        context["close_reasons"] = reasons.translations()
        context["state_url"] = reverse(
            "%s:console_state" % self.namespace(), args=[instance.id])
        context.update(console_tab.page_context(
            self.request, instance, self.kwargs["kind"]))
        return context


class HistoryView(ScopedMixin, history.HistoryView):
    """A KVM instance's history graphs as JSON (its History tab reads
    them); a 404 outside the scope (another project's instance).
    """

    policy_rules = history.INSTANCE_RULE
    graph_scope = "instance"

    def names(self):
        """From the snapshots (the live one says the hypervisor), so that
        a poll asks RAPI nothing; fresh from RAPI only while the live
        snapshot does not list the instance yet.
        """
        obj_id = self.kwargs["instance_id"]
        self.instance, self.hypervisor = instance_live.known(self.scope(),
                                                             obj_id)
        if self.hypervisor is None:
            self.instance = instance_api.get(self.scope(), obj_id)
            self.hypervisor = history.hypervisor_of(self.instance)
        return self.instance.cluster, {"instance": self.instance.name}

    def notice(self):
        return history.unsupported(self.hypervisor)


class ConsoleStateView(ScopedMixin, access.PolicyView, generic.View):
    """Whether the instance still runs: asked by a console page whose
    connection has just closed, so that it can say the instance stopped.
    """

    policy_rules = console_tab.RULE

    def get(self, request, *args, **kwargs):
        instance, failure = self.instance_or_failure()
        if failure:
            return JsonResponse({"running": None, "error": failure},
                                status=503)
        running, label = console_endpoints.state(instance)
        return JsonResponse({"running": running, "status": label})


class LiveView(ScopedMixin, live.LiveView):
    """The instance's live figures as JSON (its Live tab polls them).

    From the shared snapshots only (``api.instance_live``): a poll asks
    Ganeti nothing, whoever and however many look. The instance must be
    in the request's scope as its cluster's snapshot lists it (a cluster
    the project may use, the project's owner tag): anything else is a
    404 with no figure.
    """

    policy_rules = instance_tabs.LIVE_RULE

    def figures(self):
        return instance_live.instance_figures(self.scope(),
                                              self.kwargs["instance_id"])
