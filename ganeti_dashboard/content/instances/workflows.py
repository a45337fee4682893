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

"""The multi-step "Create Instance" workflow.

The steps are one HTML form, so each step's checks may read the fields of
the others from the raw POST (``self.data``): the cluster chosen in Details
decides which OS, disk templates, nodes and policy bounds the later steps
accept. Everything Ganeti would only refuse later, in a failed job (taken
name, policy bounds, unknown OS or node), is checked here first.
"""

from django import forms as django_forms
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages
from horizon import workflows

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.content.instances import forms as instance_forms

NIC_MODES = (("", _("Cluster default")), ("bridged", _("Bridged")),
             ("routed", _("Routed")), ("openvswitch", _("Open vSwitch")))


class _ClusterAware(workflows.Action):
    """Knows the workflow's scope and the options of the chosen cluster."""

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        self.scope = context["scope"]

    def chosen_cluster(self):
        return (self.data or {}).get("cluster") or \
            self.initial.get("cluster")

    def options(self, cluster=None):
        cluster = cluster or self.chosen_cluster()
        if not cluster or not self.scope.has_cluster(cluster):
            return None
        try:
            return cluster_state.create_options(cluster)
        except errors.RapiError as exc:
            raise django_forms.ValidationError(_(
                "Cluster %(cluster)s cannot be asked: %(error)s")
                % {"cluster": cluster, "error": exc})

    def all_options(self):
        """Options of every cluster in scope (for the choices offered)."""
        found, failed = cluster_state.create_options_of(
            [cluster.name for cluster in self.scope.clusters()])
        for cluster, exc in sorted(failed.items()):
            messages.error(self.request, _(
                "Cluster %(cluster)s cannot be asked: %(error)s")
                % {"cluster": cluster, "error": exc})
        return found

    def bound(self, field, value, key):
        """Check ``value`` against the cluster's instance policy."""
        options = self.options()
        if not options or value is None:
            return
        low, high = options["min"].get(key), options["max"].get(key)
        if low is not None and value < low:
            self.add_error(field, _("At least %(min)s on this cluster.")
                           % {"min": low})
        if high is not None and value > high:
            self.add_error(field, _("At most %(max)s on this cluster.")
                           % {"max": high})


class DetailsAction(_ClusterAware):
    name = forms.CharField(
        label=_("Instance name"), max_length=253,
        validators=[instance_forms.validate_instance_name],
        help_text=_("A host name, e.g. web1.example.org."))
    cluster = forms.ChoiceField(label=_("Cluster"))
    os = forms.ChoiceField(label=_("Operating system"))

    class Meta:
        name = _("Details")
        help_text = _("Choose a name, one of your project's clusters, and an "
                      "operating system (with its variant) of that cluster.")

    def get_help_text(self, extra_context=None):
        """The Meta help, plus one link per operator-defined template."""
        text = super().get_help_text(extra_context)
        templates = clusters.settings().templates
        if not templates:
            return text
        links = format_html_join(", ", '<a href="?template={}">{}</a>{}', (
            (t.name, t.name, " (%s)" % t.description if t.description
             else "") for t in templates))
        return format_html("{}<p>{} {}</p>", text,
                           _("Start from a template:"), links)

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        found = self.all_options()
        self.fields["cluster"].choices = [(c, c) for c in sorted(found)]
        systems = sorted({os for o in found.values() for os in o["os"]})
        self.fields["os"].choices = [(os, os) for os in systems]

    def clean(self):
        data = super().clean()
        cluster, name, os_name = (data.get("cluster"), data.get("name"),
                                  data.get("os"))
        options = self.options(cluster) if cluster else None
        if options and os_name and os_name not in options["os"]:
            self.add_error("os", _("Cluster %s has no such operating "
                                   "system.") % cluster)
        if cluster and name:
            try:
                taken = instance_api.name_taken(cluster, name)
            except errors.RapiError as exc:
                raise django_forms.ValidationError(str(exc))
            if taken:
                self.add_error("name", _("An instance named %s already "
                                         "exists on this cluster.") % name)
        return data


class DetailsStep(workflows.Step):
    action_class = DetailsAction
    depends_on = ("scope",)
    contributes = ("name", "cluster", "os")


class ResourcesAction(_ClusterAware):
    vcpus = forms.IntegerField(label=_("vCPUs"), min_value=1, initial=1)
    memory = forms.IntegerField(label=_("Memory (MiB)"), min_value=1,
                                initial=128)
    disk_template = forms.ChoiceField(label=_("Disk template"))
    disks = forms.CharField(
        label=_("Disk sizes (MiB)"), required=False, initial="1024",
        help_text=_("Comma-separated, one per disk, e.g. 1024,2048. Empty "
                    "for the diskless template."))

    class Meta:
        name = _("Resources")
        help_text = _("Sizes are checked against the cluster's instance "
                      "policy.")

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        found = self.all_options()
        templates = sorted({t for o in found.values()
                            for t in o["disk_templates"]})
        self.fields["disk_template"].choices = [(t, t) for t in templates]

    def clean_disks(self):
        text = (self.cleaned_data.get("disks") or "").strip()
        if not text:
            return []
        try:
            sizes = [int(part) for part in text.replace(" ", "").split(",")]
        except ValueError:
            raise django_forms.ValidationError(_(
                "Give whole numbers of MiB separated by commas."))
        if any(size <= 0 for size in sizes):
            raise django_forms.ValidationError(_("Sizes must be positive."))
        return sizes

    def clean(self):
        data = super().clean()
        options = self.options()
        template, disks = data.get("disk_template"), data.get("disks")
        if options and template and \
                template not in options["disk_templates"]:
            self.add_error("disk_template", _(
                "This disk template is not enabled on the cluster."))
        if template == "diskless" and disks:
            self.add_error("disks", _("A diskless instance has no disks."))
        if template and template != "diskless" and disks == []:
            self.add_error("disks", _("Give at least one disk size."))
        self.bound("vcpus", data.get("vcpus"), "cpu-count")
        self.bound("memory", data.get("memory"), "memory-size")
        if disks and template != "diskless":
            self.bound("disks", len(disks), "disk-count")
            for size in disks:
                self.bound("disks", size, "disk-size")
        if not self.errors:
            instance_forms.enforce_limits(
                self.request, self.scope.project_id, limits.Delta(
                    instances=1, vcpus=data.get("vcpus") or 0,
                    memory_mb=data.get("memory") or 0,
                    disk_mb=sum(disks or [])))
        return data


class ResourcesStep(workflows.Step):
    action_class = ResourcesAction
    depends_on = ("scope",)
    contributes = ("vcpus", "memory", "disk_template", "disks")


class NetworkAction(_ClusterAware):
    nic_mode = forms.ChoiceField(label=_("NIC mode"), choices=NIC_MODES,
                                 required=False)
    nic_link = forms.CharField(
        label=_("Link"), required=False, max_length=64,
        help_text=_("Bridge or routing table; empty for the cluster's "
                    "default."))
    nic_network = forms.CharField(
        label=_("Ganeti network"), required=False, max_length=64,
        help_text=_("Instead of mode and link: a network defined in "
                    "Ganeti."))
    no_nic = forms.BooleanField(label=_("No network interface"),
                                required=False)

    class Meta:
        name = _("Network")
        help_text = _("One network interface, bridged on the cluster's "
                      "default link unless you say otherwise.")

    def clean(self):
        data = super().clean()
        for field in ("nic_link", "nic_network"):
            if data.get(field) and not data[field].isascii():
                self.add_error(field, _("Only ASCII characters."))
        if data.get("nic_network") and (data.get("nic_mode")
                                        or data.get("nic_link")):
            self.add_error("nic_network", _("Give either a Ganeti network "
                                            "or a mode and link."))
        return data


class NetworkStep(workflows.Step):
    action_class = NetworkAction
    depends_on = ("scope",)
    contributes = ("nic_mode", "nic_link", "nic_network", "no_nic")


class PlacementAction(_ClusterAware):
    node = forms.CharField(
        label=_("Primary node"), required=False, max_length=253,
        help_text=_("Empty: the cluster's allocator chooses (on a one-node "
                    "cluster, that node)."))
    start = forms.BooleanField(label=_("Start it once created"),
                               required=False, initial=True)

    class Meta:
        name = _("Placement")
        help_text = _("By default Ganeti's allocator places the instance.")

    def clean(self):
        data = super().clean()
        node, options = data.get("node"), self.options()
        if node and options and node not in options["nodes"]:
            self.add_error("node", _("The cluster has no node %s.") % node)
        if not node and options and len(options["nodes"]) == 1:
            # Nothing to choose: Ganeti's allocator would only add ways to
            # fail (its N+1 checks cannot pass on one node).
            data["node"] = options["nodes"][0]
        return data


class PlacementStep(workflows.Step):
    action_class = PlacementAction
    depends_on = ("scope",)
    contributes = ("node", "start")


class ReviewAction(_ClusterAware):
    """No fields: the step shows the other steps' values (copied in the
    browser as they change) and the project's usage against its limits,
    which are checked again when the form is submitted.
    """

    class Meta:
        name = _("Review")
        help_text = _("Check what will be created. Nothing starts until you "
                      "press Create; the cluster then runs a Ganeti job and "
                      "the new row shows it until it settles.")

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        self.usage_rows = []
        project_id = self.scope.project_id
        if not project_id:
            return
        try:
            found = limits.project_limits(request, project_id)
            if any(found.limit(r) is not None for r in limits.RESOURCES):
                self.usage_rows = limits.charts(
                    found, limits.usage(self.scope))
        except limits.LimitError:
            pass  # said where it matters: when the Resources step is checked


class ReviewStep(workflows.Step):
    action_class = ReviewAction
    depends_on = ("scope",)
    template_name = "ganeti_dashboard/instances/_create_review.html"


class CreateInstance(workflows.Workflow):
    slug = "create_ganeti_instance"
    name = _("Create Instance")
    finalize_button_name = _("Create")
    success_message = _('Creating instance "%s": its row shows the job.')
    failure_message = _('Unable to create instance "%s".')
    default_steps = (DetailsStep, ResourcesStep, NetworkStep, PlacementStep,
                     ReviewStep)

    def format_status_message(self, message):
        return message % self.context.get("name", "")

    def handle(self, request, context):
        nics = []
        if not context.get("no_nic"):
            nic = {}
            for key, field in (("mode", "nic_mode"), ("link", "nic_link"),
                               ("network", "nic_network")):
                if context.get(field):
                    nic[key] = context[field]
            nics.append(nic)
        spec = {
            "os_type": context["os"],
            "disk_template": context["disk_template"],
            "disks": [{"size": size} for size in context.get("disks") or []],
            "nics": nics,
            "beparams": {"vcpus": context["vcpus"],
                         "maxmem": context["memory"],
                         "minmem": context["memory"]},
            "start": bool(context.get("start")),
        }
        if context.get("node"):
            spec["pnode"] = context["node"]
        scope, cluster, name = (context["scope"], context["cluster"],
                                context["name"])

        def start():
            job_id = instance_api.create(request, scope, cluster, name, spec)
            return cluster, [job_id], name

        delta = limits.Delta(instances=1, vcpus=context["vcpus"],
                             memory_mb=context["memory"],
                             disk_mb=sum(context.get("disks") or []))
        try:
            _cluster, (self.job_id,), _name = limits.admit(
                request, scope.project_id, delta, start)
        except (errors.RapiError, limits.LimitExceeded,
                limits.LimitError) as exc:
            messages.error(request, str(exc))
            return False
        return True
