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

import json
import urllib.parse

from django.core import validators as django_validators
from django import forms as django_forms
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horizon import forms
from horizon import messages
from horizon import workflows

from ganeti_dashboard.api import backups
from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import create_fields as fields
from ganeti_dashboard.content.instances import forms as instance_forms

NIC_MODES = (("", _("Cluster default")), ("bridged", _("Bridged")),
             ("routed", _("Routed")), ("openvswitch", _("Open vSwitch")))
# Disk templates that mirror onto a secondary node.
MIRRORED = ("drbd",)
_MEMO = "_ganeti_create_options"
IMPORT_RULES = access.rules("ganeti:export:import")


def scope_options(request, scope):
    """``(options, failures)`` of the scope's clusters, read once per
    request from their snapshots (every step needs them); a cluster that
    cannot be asked is said once, and not offered.
    """
    memo = getattr(request, _MEMO, None)
    if memo is None or memo[0] != scope.cluster_names:
        found, failed = cluster_state.create_options_of(
            [cluster.name for cluster in scope.clusters()])
        for cluster, exc in sorted(failed.items()):
            messages.error(request, _(
                "Cluster %(cluster)s cannot be asked: %(error)s")
                % {"cluster": cluster, "error": exc})
        memo = (scope.cluster_names, found, failed)
        setattr(request, _MEMO, memo)
    return memo[1], memo[2]


class _ClusterAware(workflows.Action):
    """Knows the workflow's scope and the options of the chosen cluster."""

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        self.scope = context["scope"]

    def chosen_cluster(self):
        return (self.data or {}).get("cluster") or \
            self.initial.get("cluster")

    def options(self, cluster=None):
        """The chosen cluster's options; None when it is not the scope's
        (the cluster field says so); a form error when it cannot be asked.
        """
        cluster = cluster or self.chosen_cluster()
        if not cluster or not self.scope.has_cluster(cluster):
            return None
        found, failed = self.all_options(), self.failures()
        if cluster in failed:
            raise django_forms.ValidationError(_(
                "Cluster %(cluster)s cannot be asked: %(error)s")
                % {"cluster": cluster, "error": failed[cluster]})
        return found.get(cluster)

    def all_options(self):
        """Options of every cluster in scope (for the choices offered)."""
        return scope_options(self.request, self.scope)[0]

    def failures(self):
        return scope_options(self.request, self.scope)[1]

    def check_policy(self, values):
        """Field errors for ``values`` ({field: (spec, value)}) outside
        the chosen cluster's instance policy.
        """
        options = self.options()
        if not options:
            return
        specs = {spec: value for spec, value in values.values()
                 if value is not None}
        refused = cluster_state.policy_violations(options, specs)
        for field, (spec, _value) in values.items():
            if spec in refused:
                low, high = refused[spec]
                self.add_error(field, fields.policy_message(
                    spec, low, high, self.chosen_cluster()))

    def offered(self, field, value, key, message):
        """A field error unless the chosen cluster offers ``value``."""
        options = self.options()
        if options is not None and value and value not in options[key]:
            self.add_error(field, message % {
                "cluster": self.chosen_cluster(), "value": value})


class DetailsAction(_ClusterAware):
    name = forms.CharField(
        label=_("Instance name"), max_length=253,
        help_text=_("A host name, e.g. web1.example.org. To create several "
                    "at once, a pattern with %(number)s where each one's "
                    "number goes (%(padded)s: 01, 02, ...), e.g. "
                    "%(example)s.") % {
            "number": "%d", "padded": "%02d",
            "example": "web-%d.example.org"})
    count = forms.IntegerField(
        label=_("Count"), min_value=1, initial=1, required=False,
        help_text=_("How many instances to create, alike, with one request "
                    "to the cluster; all of them count against your "
                    "project's limits."))
    cluster = forms.ChoiceField(
        label=_("Cluster"), widget=django_forms.Select(
            attrs={"data-ganeti-cluster": "1"}),
        help_text=_("Choose it first: the other choices are its own."))
    os = forms.ChoiceField(label=_("Operating system"),
                           widget=fields.PerClusterSelect())
    hypervisor = forms.ChoiceField(
        label=_("Hypervisor"), required=False,
        widget=fields.PerClusterSelect(),
        help_text=_("kvm instances have a VNC and a serial console."))
    source_export = forms.ChoiceField(
        label=_("Source"), required=False,
        widget=fields.PerClusterSelect(),
        help_text=_("From an export (node/export) of the chosen cluster: "
                    "its disks' data are copied into the new disks, whose "
                    "sizes must be at least the exported instance's; the "
                    "operating system is the export's. The new instance "
                    "gets new network interfaces and the owner of this "
                    "create."))

    class Meta:
        name = _("Details")
        help_text = _("Choose a name, one of your project's clusters, and an "
                      "operating system (with its variant) and hypervisor "
                      "of that cluster.")

    def get_help_text(self, extra_context=None):
        """The Meta help, the clusters that cannot be asked now, and one
        link per operator-defined template (it fills the form in place;
        without script it opens the create page filled in).
        """
        text = super().get_help_text(extra_context)
        failed = self.failures()
        if failed:
            text = format_html(
                '{}<div class="alert alert-warning ganeti-create-down">{}'
                '<ul>{}</ul></div>', text,
                _("Not offered now, since they cannot be asked:"),
                format_html_join("", "<li>{}: {}</li>", (
                    (name, str(exc)) for name, exc in sorted(
                        failed.items()))))
        templates = clusters.settings().templates
        if not templates:
            return text
        links = format_html_join(", ", (
            '<a href="{}" class="ganeti-template" '
            'data-ganeti-template="{}">{}</a>{}'), (
            ("%s?%s" % (self.request.path,
                        urllib.parse.urlencode({"template": t.name})),
             json.dumps(template_values(t), sort_keys=True), t.name,
             " (%s)" % t.description if t.description else "")
            for t in templates))
        return format_html(
            '{}<p class="ganeti-templates">{} {}</p>'
            '<p class="ganeti-template-applied text-info" '
            'style="display: none"></p>', text, _("Start from a template:"),
            links)

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        found = self.all_options()
        most = clusters.settings().max_create_count
        count = self.fields["count"]
        count.max_value = most
        count.validators.append(django_validators.MaxValueValidator(most))
        count.widget.attrs["max"] = most
        if most == 1:
            count.widget = django_forms.HiddenInput()
        self.fields["cluster"].choices = [(c, c) for c in sorted(found)]
        fields.per_cluster_choices(self.fields["os"], found,
                                   lambda o: o["os"])
        fields.per_cluster_choices(
            self.fields["hypervisor"], found, lambda o: o["hypervisors"],
            first=("", _("Cluster default")))
        hint = [(c, _("Default of %(cluster)s: %(hv)s") % {
            "cluster": c, "hv": o["default_hypervisor"]})
            for c, o in sorted(found.items()) if o["default_hypervisor"]]
        self.fields["hypervisor"].widget.hints = tuple(hint)
        if not access.allowed(request, IMPORT_RULES):
            # Exports hold any project's data and say not whose: only
            # operators may import one (ganeti:export:import).
            del self.fields["source_export"]
            return
        try:
            exports = backups.list_all(sorted(found))[0]
        except errors.RapiError:
            exports = []
        by_cluster = {}
        for export in exports:
            by_cluster.setdefault(export.cluster, []).append(export.value)
        fields.per_cluster_choices(
            self.fields["source_export"], by_cluster, lambda v: v,
            first=("", _("None: install the operating system")))

    def clean_source_export(self):
        value = self.cleaned_data.get("source_export")
        if value and not access.allowed(self.request, IMPORT_RULES):
            raise django_forms.ValidationError(_(
                "You may not import exports."))
        return value

    def clean_count(self):
        """1 when not given (one instance, as before there was a Count)."""
        return self.cleaned_data.get("count") or 1

    def clean_name(self):
        """The name, or the pattern of a batch's names: every name it
        gives must be a host name (ASCII only).
        """
        text = self.cleaned_data.get("name") or ""
        count = batch_count(self.data)
        names = fields.batch_names(text, count)
        for name in names:
            try:
                instance_forms.validate_instance_name(name)
            except django_forms.ValidationError:
                if len(names) == 1:
                    raise
                raise django_forms.ValidationError(_(
                    "%(name)s is no host name: use ASCII letters, digits, "
                    "'-' and '.', no spaces.") % {"name": name})
        self.names = names
        return text

    def clean(self):
        data = super().clean()
        cluster, name = data.get("cluster"), data.get("name")
        names = getattr(self, "names", None) if name else None
        data["names"] = names
        if "source_export" in self.fields:
            self.offered_export(cluster, data.get("source_export"))
            if data.get("source_export") and names and len(names) > 1:
                self.add_error("source_export", _(
                    "An export is imported as one instance at a time."))
        self.offered("os", data.get("os"), "os", _(
            "Cluster %(cluster)s has no operating system %(value)s."))
        self.offered("hypervisor", data.get("hypervisor"), "hypervisors",
                     _("Cluster %(cluster)s has not enabled the hypervisor "
                       "%(value)s."))
        if cluster and names and "count" not in self.errors:
            try:
                taken = instance_api.names_taken(cluster, names)
            except errors.RapiError as exc:
                raise django_forms.ValidationError(str(exc))
            creating = pending_jobs.creating(cluster)
            taken += [n for n in names if n not in taken
                      and n in creating and "done" not in creating[n]]
            if taken and len(names) == 1:
                self.add_error("name", _("An instance named %s already "
                                         "exists on this cluster.") % name)
            elif taken:
                self.add_error("name", _(
                    "Cluster %(cluster)s already has (or is creating) "
                    "%(names)s.") % {"cluster": cluster,
                                     "names": ", ".join(taken)})
        return data

    def offered_export(self, cluster, value):
        """A field error unless ``value`` is an export of ``cluster``."""
        if not value or not cluster:
            return
        offered = self.fields["source_export"].widget.offered or {}
        if cluster not in offered.get(value, ()):
            self.add_error("source_export", _(
                "Cluster %(cluster)s has no export %(value)s (Admin > "
                "Ganeti > Exports lists them).")
                % {"cluster": cluster, "value": value})


def batch_count(data):
    """The Count posted with the workflow (every step reads it from the
    one form); 1 when it is missing or no number (the Details step says
    so).
    """
    try:
        return max(1, int((data or {}).get("count") or 1))
    except (TypeError, ValueError):
        return 1


def template_values(template):
    """An operator's template as the fields it fills in."""
    values = {k: v for k, v in (
        ("vcpus", template.vcpus), ("memory", template.memory),
        ("disk_template", template.disk_template),
        ("os", template.os)) if v is not None}
    values["disks"] = ",".join(str(d) for d in template.disks)
    return values


class DetailsStep(workflows.Step):
    action_class = DetailsAction
    depends_on = ("scope",)
    contributes = ("name", "count", "names", "cluster", "os", "hypervisor",
                   "source_export")


class ResourcesAction(_ClusterAware):
    vcpus = forms.IntegerField(label=_("vCPUs"), min_value=1, initial=1,
                               widget=fields.BoundedNumberInput())
    memory = forms.IntegerField(label=_("Memory (MiB)"), min_value=1,
                                initial=128,
                                widget=fields.BoundedNumberInput())
    disk_template = forms.ChoiceField(label=_("Disk template"),
                                      widget=fields.PerClusterSelect())
    disks = forms.CharField(
        label=_("Disk sizes (MiB)"), required=False, initial="1024",
        widget=fields.BoundedTextInput(),
        help_text=_("Comma-separated, one per disk, e.g. 1024,2048. Empty "
                    "for the diskless template."))

    class Meta:
        name = _("Resources")
        help_text = _("Sizes are checked against the chosen cluster's "
                      "instance policy, shown under each field, and "
                      "against your project's limits.")

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        found = self.all_options()
        fields.per_cluster_choices(self.fields["disk_template"], found,
                                   lambda o: o["disk_templates"])
        fields.show_bounds(self.fields["vcpus"], found, "cpu-count")
        fields.show_bounds(self.fields["memory"], found, "memory-size")
        fields.show_bounds(self.fields["disks"], found, "disk-size",
                           "disk-count")

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
        template, disks = data.get("disk_template"), data.get("disks")
        self.offered("disk_template", template, "disk_templates", _(
            "Cluster %(cluster)s does not allow the disk template "
            "%(value)s."))
        if template == "diskless" and disks:
            self.add_error("disks", _("A diskless instance has no disks."))
        if template and template != "diskless" and disks == []:
            self.add_error("disks", _("Give at least one disk size."))
        checked = {"vcpus": ("cpu-count", data.get("vcpus")),
                   "memory": ("memory-size", data.get("memory"))}
        if disks and template != "diskless":
            # As Ganeti: a diskless instance's disk count is not checked.
            checked["disks"] = ("disk-size", disks)
        self.check_policy(checked)
        if disks and template != "diskless" and "disks" not in self.errors:
            self.check_policy({"disks": ("disk-count", len(disks))})
        if not self.errors:
            instance_forms.enforce_limits(
                self.request, self.scope.project_id, batch_delta(
                    batch_count(self.data), data.get("vcpus"),
                    data.get("memory"), disks))
        return data


def batch_delta(count, vcpus, memory, disks):
    """What ``count`` instances of these sizes add to a project."""
    return limits.Delta(instances=count, vcpus=count * (vcpus or 0),
                        memory_mb=count * (memory or 0),
                        disk_mb=count * sum(disks or []))


class ResourcesStep(workflows.Step):
    action_class = ResourcesAction
    depends_on = ("scope",)
    contributes = ("vcpus", "memory", "disk_template", "disks")


class NetworkAction(_ClusterAware):
    nic_network = forms.ChoiceField(
        label=_("Ganeti network"), required=False,
        widget=fields.PerClusterSelect(),
        help_text=_("A network defined in Ganeti and connected to a node "
                    "group of the cluster (it gives the mode and link), or "
                    "none."))
    nic_ip_pool = forms.BooleanField(
        label=_("Address from the network's pool"), required=False,
        widget=fields.BoundedCheckboxInput(),
        help_text=_("Ganeti gives the interface a free address of the "
                    "Ganeti network chosen above (ip=pool)."))
    nic_mode = forms.ChoiceField(label=_("NIC mode"), choices=NIC_MODES,
                                 required=False)
    nic_link = forms.ChoiceField(
        label=_("Link"), required=False, widget=fields.PerClusterSelect(),
        help_text=_("Bridge or routing table the cluster uses."))
    no_nic = forms.BooleanField(label=_("No network interface"),
                                required=False,
                                widget=fields.BoundedCheckboxInput())

    class Meta:
        name = _("Network")
        help_text = _("One network interface, on the cluster's default "
                      "mode and link unless you choose a Ganeti network or "
                      "another link of the cluster.")

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        found = self.all_options()
        fields.per_cluster_choices(
            self.fields["nic_network"], found,
            lambda o: o["network_names"],
            first=("", _("None")))
        fields.per_cluster_choices(
            self.fields["nic_link"], found, lambda o: o["links"],
            first=("", _("Cluster default")))
        self.fields["nic_link"].widget.hints = tuple(
            (c, _("Default of %(cluster)s: %(mode)s on %(link)s") % {
                "cluster": c, "mode": o["nic_mode"] or "-",
                "link": o["nic_link"] or "-"})
            for c, o in sorted(found.items()))
        fields.show_bounds(self.fields["no_nic"], found, "nic-count")

    def clean(self):
        data = super().clean()
        self.offered("nic_network", data.get("nic_network"),
                     "network_names",
                     _("Cluster %(cluster)s has no network %(value)s."))
        self.offered("nic_link", data.get("nic_link"), "links",
                     _("Cluster %(cluster)s has no link %(value)s."))
        if data.get("nic_ip_pool") and not data.get("nic_network"):
            self.add_error("nic_ip_pool", _("An address from a pool needs "
                                            "a Ganeti network."))
        if data.get("nic_network") and (data.get("nic_mode")
                                        or data.get("nic_link")):
            self.add_error("nic_network", _("Give either a Ganeti network "
                                            "or a mode and link."))
        self.check_policy({"no_nic": ("nic-count",
                                      0 if data.get("no_nic") else 1)})
        return data


class NetworkStep(workflows.Step):
    action_class = NetworkAction
    depends_on = ("scope",)
    contributes = ("nic_mode", "nic_link", "nic_network", "nic_ip_pool",
                   "no_nic")


class PlacementAction(_ClusterAware):
    group = forms.ChoiceField(
        label=_("Node group"), required=False,
        widget=fields.PerClusterSelect(),
        help_text=_("Where the allocator may place the instance."))
    node = forms.ChoiceField(
        label=_("Primary node"), required=False,
        widget=fields.PerClusterSelect())
    snode = forms.ChoiceField(
        label=_("Secondary node"), required=False,
        widget=fields.PerClusterSelect(),
        help_text=_("Only for mirrored disk templates (drbd), with a "
                    "primary node."))
    start = forms.BooleanField(label=_("Start it once created"),
                               required=False, initial=True)

    class Meta:
        name = _("Placement")
        help_text = _("By default the cluster's allocator places the "
                      "instance (on a one-node cluster: on that node).")

    def __init__(self, request, context, *args, **kwargs):
        super().__init__(request, context, *args, **kwargs)
        found = self.all_options()
        fields.per_cluster_choices(self.fields["group"], found,
                                   lambda o: o["groups"],
                                   first=("", _("Any")))
        fields.per_cluster_choices(
            self.fields["node"], found, lambda o: o["nodes"],
            first=("", _("Chosen by the cluster's allocator")))
        fields.per_cluster_choices(self.fields["snode"], found,
                                   lambda o: o["nodes"],
                                   first=("", _("None")))
        self.fields["node"].widget.hints = tuple(
            (c, _("Allocator of %(cluster)s: %(name)s") % {
                "cluster": c, "name": o["default_iallocator"]}
             if o["default_iallocator"] else
             _("%s has no default allocator: choose a node.") % c)
            for c, o in sorted(found.items()))

    def clean(self):
        data = super().clean()
        node, snode, group = (data.get("node"), data.get("snode"),
                              data.get("group"))
        options = self.options()
        message = _("Cluster %(cluster)s has no usable node %(value)s.")
        self.offered("node", node, "nodes", message)
        self.offered("snode", snode, "nodes", message)
        self.offered("group", group, "groups",
                     _("Cluster %(cluster)s has no node group %(value)s."))
        if options is None or self.errors:
            return data
        template = (self.data or {}).get("disk_template")
        if node and group and options["node_groups"].get(node) != group:
            self.add_error("node", _("Node %(node)s is not in group "
                                     "%(group)s.") % {"node": node,
                                                      "group": group})
        if snode and template not in MIRRORED:
            self.add_error("snode", _("Only a mirrored disk template "
                                      "(drbd) has a secondary node."))
        elif snode and snode == node:
            self.add_error("snode", _("Choose another node than the "
                                      "primary."))
        elif snode and not node:
            self.add_error("snode", _("Choose the primary node too."))
        elif node and template in MIRRORED and not snode:
            self.add_error("snode", _("A mirrored disk template needs a "
                                      "secondary node."))
        if not node and len(options["nodes"]) == 1:
            # Nothing to choose: Ganeti's allocator would only add ways to
            # fail (its N+1 checks cannot pass on one node).
            data["node"] = options["nodes"][0]
        elif not node and not options["default_iallocator"]:
            self.add_error("node", _("This cluster has no default "
                                     "allocator: choose a node."))
        return data


class PlacementStep(workflows.Step):
    action_class = PlacementAction
    depends_on = ("scope",)
    contributes = ("group", "node", "snode", "start")


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
                used = limits.usage(self.scope)
                self.usage_rows = limits.charts(found, used)
                for row in self.usage_rows:
                    row["used_value"] = used.get(row["resource"])
                    row["limit_value"] = found.limit(row["resource"])
        except limits.LimitError:
            pass  # said where it matters: when the Resources step is checked


class ReviewStep(workflows.Step):
    action_class = ReviewAction
    depends_on = ("scope",)
    template_name = "ganeti_dashboard/instances/_create_review.html"


def _network_placement(context, spec):
    """With a Ganeti network, the instance must land in a group that
    connects it (else Ganeti's job fails): a chosen group or node outside
    them is refused; with neither, the allocator is given such a group.
    Returns why it is refused, or None.
    """
    network = context.get("nic_network")
    if not network or context.get("no_nic"):
        return None
    try:
        options = cluster_state.create_options(context["cluster"])
    except errors.RapiError as exc:
        return str(exc)
    groups = (options.get("network_groups") or {}).get(network)
    if not groups:
        return _("Cluster %(cluster)s has no network %(value)s.") % {
            "cluster": context["cluster"], "value": network}
    chosen = context.get("group")
    if context.get("node"):
        chosen = options["node_groups"].get(context["node"])
    if chosen and chosen not in groups:
        return _("Network %(network)s is not connected to node group "
                 "%(group)s: choose a group it connects (%(groups)s).") % {
            "network": network, "group": chosen,
            "groups": ", ".join(groups)}
    if not chosen and len(set(options["groups"]) - set(groups)):
        spec["group_name"] = groups[0]
    return None


class CreateInstance(workflows.Workflow):
    """Its steps' choices are every cluster's of the scope, the chosen
    cluster's shown (``_create.html``) and checked.
    """

    slug = "create_ganeti_instance"
    name = _("Create Instance")
    finalize_button_name = _("Create")
    success_message = _('Creating instance "%s": its row shows the job.')
    failure_message = _('Unable to create instance "%s".')
    default_steps = (DetailsStep, ResourcesStep, NetworkStep, PlacementStep,
                     ReviewStep)

    def handle(self, request, context):
        nics = []
        if not context.get("no_nic"):
            nic = {}
            for key, field in (("mode", "nic_mode"), ("link", "nic_link"),
                               ("network", "nic_network")):
                if context.get(field):
                    nic[key] = context[field]
            if nic.get("network") and context.get("nic_ip_pool"):
                nic["ip"] = "pool"
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
        for key, field in (("hypervisor", "hypervisor"), ("pnode", "node"),
                           ("snode", "snode")):
            if context.get(field):
                spec[key] = context[field]
        if context.get("group") and not context.get("node"):
            spec["group_name"] = context["group"]  # for the allocator
        if context.get("source_export"):
            # Ganeti reads the export's OS; the disks, NICs and sizes given
            # here are what is created (and counted against the limits).
            spec["mode"] = "import"
            spec["src_node"], spec["src_path"] = backups.split_value(
                context["source_export"])
        refused = _network_placement(context, spec)
        if refused:
            messages.error(request, refused)
            return False
        scope, cluster = context["scope"], context["cluster"]
        names = context.get("names") or [context["name"]]
        delta = batch_delta(len(names), context["vcpus"], context["memory"],
                            context.get("disks"))
        if len(names) > 1:
            return self._create_many(request, scope, cluster, names, spec,
                                     context, delta)
        name = names[0]

        def start():
            job_id = instance_api.create(request, scope, cluster, name, spec)
            return cluster, [job_id], name

        try:
            _cluster, (self.job_id,), _name = limits.admit(
                request, scope.project_id, delta, start)
        except (errors.RapiError, limits.LimitExceeded,
                limits.LimitError) as exc:
            messages.error(request, str(exc))
            return False
        return True

    def _create_many(self, request, scope, cluster, names, spec, context,
                     delta):
        """One request for the whole batch, admitted as a whole."""
        if not spec.get("pnode") and not spec.get("hypervisor"):
            # Ganeti's allocator needs it said (it does not fill in the
            # cluster's default for a multi-allocation).
            options = scope_options(request, scope)[0].get(cluster) or {}
            if options.get("default_hypervisor"):
                spec["hypervisor"] = options["default_hypervisor"]
        found = {}

        def start():
            found["batch"] = batch = instance_api.create_many(
                request, scope, cluster, names, spec)
            started = [n for n in names if n not in batch.refused]
            return cluster, batch.job_ids, started

        try:
            limits.admit(request, scope.project_id, delta, start,
                         batch=True)
        except (errors.RapiError, limits.LimitExceeded,
                limits.LimitError) as exc:
            messages.error(request, str(exc))
            return False
        batch = found["batch"]
        self.job_ids = batch.job_ids
        if batch.one_by_one:
            messages.warning(request, _(
                "Cluster %(cluster)s does not offer creating many instances "
                "in one request (/2/instances-multi-alloc): one create job "
                "per instance was started instead (jobs %(jobs)s).") % {
                "cluster": cluster,
                "jobs": ", ".join(str(j) for j in batch.job_ids)})
        for name, exc in sorted(batch.refused.items()):
            messages.error(request, _(
                "Unable to create instance \"%(name)s\": %(error)s") % {
                "name": name, "error": exc})
        return True

    def format_status_message(self, message):
        names = self.context.get("names") or []
        if len(names) > 1 and message == self.success_message:
            return ngettext(
                'Creating %(count)d instance, %(first)s to %(last)s: its '
                'row shows the job.',
                'Creating %(count)d instances, %(first)s to %(last)s: '
                'their rows show the jobs.', len(names)) % {
                "count": len(names), "first": names[0], "last": names[-1]}
        if len(names) > 1:
            return _('Unable to create the instances %(first)s to '
                     '%(last)s.') % {"first": names[0], "last": names[-1]}
        return message % (names[0] if names else
                          self.context.get("name", ""))
