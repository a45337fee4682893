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

"""Modal forms of the instance actions that take options.

Each form starts one Ganeti job through ``api.instances.act`` (which checks
the scope again) and says which job it started; Ganeti's refusal is shown as
the form's error and nothing else happens.
"""

import re

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import moves
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.content import action_messages
from ganeti_dashboard.content.action_view import FormAction
from ganeti_dashboard.content.instances import base_forms
from ganeti_dashboard.content.instances import device_forms

# A host name as Ganeti accepts it (ASCII letters, digits, '-', '.').
NAME_RE = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})"
                     r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$")


def validate_instance_name(value):
    if not NAME_RE.match(value or ""):
        raise django_forms.ValidationError(_(
            "Use a host name: ASCII letters, digits, '-' and '.', no "
            "spaces."))


enforce_limits = base_forms.enforce_limits
InstanceActionForm = base_forms.InstanceActionForm


class ShutdownForm(InstanceActionForm):
    action = "shutdown"
    timeout = forms.IntegerField(
        label=_("Timeout (seconds)"), min_value=0, max_value=3600,
        initial=120, help_text=_("How long to wait for a clean (ACPI) "
                                 "shutdown before the instance is forced "
                                 "off. 0 forces it off at once."))

    def options(self, data):
        return {"timeout": data["timeout"]}


class RebootForm(InstanceActionForm):
    action = "reboot"
    reboot_type = forms.ChoiceField(
        label=_("Reboot type"), initial="soft",
        choices=(("soft", _("Soft: ask the guest")),
                 ("hard", _("Hard: restart the hypervisor process")),
                 ("full", _("Full: shut down, then start"))))

    def options(self, data):
        return {"reboot_type": data["reboot_type"]}


class ReinstallForm(InstanceActionForm):
    action = "reinstall"
    os_name = forms.ChoiceField(label=_("Operating system"))
    start = forms.BooleanField(label=_("Start it afterwards"),
                               required=False, initial=True)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        try:
            names = cluster_state.operating_systems(self.instance.cluster)
        except errors.RapiError as exc:
            names = []
            messages.error(request, _("Cannot list operating systems: %s")
                           % exc)
        self.fields["os_name"].choices = [(n, n) for n in names]
        self.fields["os_name"].initial = self.instance.os
        self.fields["os_name"].help_text = _(
            "All data on the instance's disks is lost.")
        if self.warning:
            self.fields["start"].help_text = _(
                "Unticked, the instance stays stopped afterwards.")

    def options(self, data):
        return {"os_name": data["os_name"], "start": data["start"]}


class RenameForm(InstanceActionForm):
    action = "rename"
    new_name = forms.CharField(label=_("New name"), max_length=253,
                               validators=[validate_instance_name])

    def clean_new_name(self):
        name = self.cleaned_data["new_name"]
        if name == self.instance.name:
            raise django_forms.ValidationError(_("That is its name now."))
        try:
            taken = instance_api.name_taken(self.instance.cluster, name)
        except errors.RapiError:
            taken = False  # Ganeti will refuse it, and say so
        if taken:
            raise django_forms.ValidationError(_(
                "An instance named %s already exists on this cluster.")
                % name)
        return name

    def options(self, data):
        return {"new_name": data["new_name"]}

    def handle(self, request, data):
        """Renames take about a second: wait (bounded) for the job, so the
        list that follows shows the new name rather than losing the row.
        """
        try:
            job_id = instance_api.act(request, self.scope, self.instance.id,
                                      self.action, **self.options(data))
            client = clusters.client(self.instance.cluster)
            client.wait_for_job(job_id, timeout=60)
        except errors.RapiError as exc:
            self.refused(exc)
            return False
        finally:
            pending_jobs.forget(self.instance.cluster, data["new_name"])
        messages.success(request, _("Renamed %(old)s to %(new)s (Ganeti job "
                                    "%(job)s).") % {
            "old": self.instance.name, "new": data["new_name"],
            "job": job_id})
        return True


class ResizeForm(InstanceActionForm):
    action = "modify"
    vcpus = forms.IntegerField(label=_("vCPUs"), min_value=1,
                               max_value=256)
    memory = forms.IntegerField(label=_("Memory (MiB)"), min_value=64,
                                max_value=4 * 1024 * 1024)
    disk = forms.ChoiceField(label=_("Grow disk"), required=False)
    grow_by = forms.IntegerField(label=_("Grow by (MiB)"), min_value=1,
                                 required=False)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["vcpus"].initial = self.instance.vcpus
        self.fields["memory"].initial = self.instance.memory
        self.fields["disk"].choices = [("", _("none"))] + [
            (str(i), _("disk %(i)d (%(size)d MiB)") % {"i": i, "size": s})
            for i, s in enumerate(self.instance.disk_sizes)]
        cannot_grow = preconditions.instance_refusal("grow_disk",
                                                     self.instance)
        if cannot_grow:
            del self.fields["disk"], self.fields["grow_by"]
            if self.instance.disk_sizes:
                self.fields["vcpus"].help_text = _(
                    "Its disks cannot be grown here: %s.") % cannot_grow
        self.fields["memory"].help_text = _(
            "A running instance gets new memory and vCPUs when it is next "
            "started.")

    def clean(self):
        data = super().clean()
        if data.get("disk") and not data.get("grow_by"):
            self.add_error("grow_by", _("Say by how much to grow the disk."))
        if not self.errors:
            enforce_limits(self.request, self.instance.project_id,
                           self.delta(data),
                           admin=self.scope.project_id is None)
        return data

    def delta(self, data):
        grow = data.get("grow_by") if data.get("disk") else 0
        return limits.Delta(
            vcpus=data["vcpus"] - (self.instance.vcpus or 0),
            memory_mb=data["memory"] - (self.instance.memory or 0),
            disk_mb=grow or 0)

    def handle(self, request, data):
        changes = {}
        if (data["vcpus"] != self.instance.vcpus
                or data["memory"] != self.instance.memory):
            changes = {"beparams": {"vcpus": data["vcpus"],
                                    "maxmem": data["memory"],
                                    "minmem": data["memory"]}}
        grow = data.get("disk") not in (None, "") and data.get("grow_by")
        if not changes and not grow:
            self.api_error(_("Nothing to change."))
            return False
        started = []

        def start():
            if changes:
                started.append(instance_api.act(
                    request, self.scope, self.instance.id, "modify",
                    **changes))
            if grow:
                started.append(instance_api.act(
                    request, self.scope, self.instance.id, "grow_disk",
                    disk=int(data["disk"]), amount=data["grow_by"]))
            return self.instance.cluster, started, None

        try:
            limits.admit(request, self.instance.project_id,
                         self.delta(data), start,
                         admin=self.scope.project_id is None)
        except errors.RapiError as exc:
            if started:
                messages.warning(request, _(
                    "Resizing %(name)s: Ganeti job %(jobs)s started.") % {
                    "name": self.instance.name,
                    "jobs": ", ".join(str(j) for j in started)})
            self.refused(exc)
            return False
        except (limits.LimitExceeded, limits.LimitError) as exc:
            self.api_error(str(exc))
            return False
        messages.success(request, action_messages.started(
            instance_api.ACTIONS[self.action][0],
            [action_messages.Outcome(self.instance.name, job=", ".join(
                str(j) for j in started))]))
        return True


class _MoveForm(InstanceActionForm):
    target_node = forms.ChoiceField(label=_("Target node"), required=False)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["target_node"].choices = base_forms.node_choices(
            request, self.instance.cluster, exclude={self.instance.pnode},
            first=[("", _("Chosen by the cluster's iallocator"))])

    def options(self, data):
        return {"target_node": data.get("target_node") or None}


class MigrateForm(_MoveForm):
    action = "migrate"
    mode = forms.ChoiceField(label=_("Mode"), initial="live",
                             choices=(("live", _("Live")),
                                      ("non-live", _("Non-live"))))

    def options(self, data):
        return dict(super().options(data), mode=data["mode"])


class FailoverForm(_MoveForm):
    action = "failover"


class ExportForm(InstanceActionForm):
    """A local export to a node of the instance's cluster
    (``PUT /2/instances/<name>/export``, ``mode=local``).

    Ganeti copies disks of a running instance only where it can snapshot
    them (plain, drbd, ext); other disks only with the instance shut down
    for the whole copy (``long_sleep``), else its job shuts the instance
    down and then fails, leaving it stopped. So the form refuses that
    case before any job is sent. The space left on the destination is
    not known through RAPI (the export directory is not a storage unit):
    Ganeti's job says when it runs out.
    """

    action = "export"
    destination = forms.ChoiceField(
        label=_("Destination node"),
        help_text=_("The export is written to this node's export "
                    "directory. A newer export of the same instance "
                    "replaces the older ones."))
    shutdown = forms.BooleanField(
        label=_("Shut the instance down for a consistent copy"),
        required=False, initial=True)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Ganeti writes no export to an offline or drained node.
        self.fields["destination"].choices = base_forms.node_choices(
            request, self.instance.cluster)
        self.fields["destination"].initial = self.instance.pnode
        if not self.snapshots:
            self.fields["shutdown"].help_text = _(
                "Ganeti cannot snapshot %s disks: it copies them only "
                "from a stopped instance, which stays stopped during the "
                "copy.") % self.instance.disk_template

    def clean(self):
        data = super().clean()
        if not data.get("shutdown") and not self.snapshots:
            self.add_error("shutdown", _(
                "Ganeti cannot snapshot %s disks of a running instance: "
                "it would stop the instance and then fail. Leave the "
                "shutdown ticked.") % self.instance.disk_template)
        return data

    @property
    def snapshots(self):
        """Whether Ganeti can copy the disks of the running instance."""
        return self.instance.disk_template in preconditions.SNAPSHOT_CAPABLE

    def options(self, data):
        return {"destination": data["destination"],
                "shutdown": bool(data["shutdown"]),
                "long_sleep": bool(data["shutdown"]) and not self.snapshots,
                "remove_instance": False}


class MoveClusterForm(InstanceActionForm):
    """Move the instance to another configured cluster with Ganeti's
    remote export and import (:mod:`api.moves`). The form waits, with a
    bound, until the destination's import job listens, so a destination
    that refuses is this form's error and no export starts.
    """

    action = "move"
    cluster = forms.ChoiceField(label=_("Destination cluster"))
    node = forms.CharField(
        label=_("Destination node"), required=False, max_length=253,
        help_text=_("Empty: the destination cluster's allocator places "
                    "it."))
    remove_source = forms.BooleanField(
        label=_("Remove the instance here once it has been sent"),
        required=False, initial=False)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        conf = clusters.settings()
        self.fields["cluster"].choices = [
            (c.name, c.name) for c in conf.clusters
            if c.name != self.instance.cluster and not c.read_only]
        self.fields["cluster"].help_text = _(
            "Both clusters must share Ganeti's cluster domain secret, the "
            "destination must resolve the instance's name, and this "
            "cluster's nodes must reach the destination's nodes: Ganeti "
            "refuses or fails the move otherwise, and says why.")

    def clean_node(self):
        node = self.cleaned_data.get("node") or ""
        if node and not NAME_RE.match(node):
            raise django_forms.ValidationError(_(
                "Use a host name: ASCII letters, digits, '-' and '.'."))
        return node

    def handle(self, request, data):
        try:
            prepare, importing, export = moves.move(
                request, self.scope, self.instance.id, data["cluster"],
                data.get("node") or None, data["remove_source"])
        except errors.RapiError as exc:
            self.refused(exc)
            return False
        messages.success(request, _(
            "Moving %(name)s to %(cluster)s: Ganeti jobs %(prepare)s "
            "(prepare) and %(export)s (export) on %(source)s, %(import)s "
            "(import) on %(cluster)s.") % {
            "name": self.instance.name, "cluster": data["cluster"],
            "prepare": prepare, "export": export, "import": importing,
            "source": self.instance.cluster})
        return True


# action in the URL -> its form, title and policy rule.
FORMS = {
    "shutdown": FormAction(ShutdownForm, _("Shut Down Instance"),
                           "ganeti:instance:shutdown"),
    "reboot": FormAction(RebootForm, _("Reboot Instance"),
                         "ganeti:instance:reboot"),
    "reinstall": FormAction(ReinstallForm, _("Reinstall Instance"),
                            "ganeti:instance:reinstall"),
    "rename": FormAction(RenameForm, _("Rename Instance"),
                         "ganeti:instance:rename"),
    "resize": FormAction(ResizeForm, _("Resize Instance"),
                         "ganeti:instance:resize"),
    "migrate": FormAction(MigrateForm, _("Migrate Instance"),
                          "ganeti:instance:migrate"),
    "failover": FormAction(FailoverForm, _("Fail Over Instance"),
                           "ganeti:instance:failover"),
    "export": FormAction(ExportForm, _("Export Instance"),
                         "ganeti:instance:export"),
    "move": FormAction(MoveClusterForm, _("Move Instance to Another "
                                          "Cluster"),
                       "ganeti:instance:move"),
}
FORMS.update(device_forms.FORMS)
