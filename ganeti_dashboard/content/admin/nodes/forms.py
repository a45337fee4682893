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

"""Modal forms of the node actions: each is the action's confirmation.

Each starts one Ganeti job through ``api.nodes`` and says which job it
started (and, for evacuate and migrate, the jobs that move the instances).
Ganeti's refusal is shown as the form's error, with the job's number.
"""

import re

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.content.action_view import FormAction
from ganeti_dashboard.content import job_forms


class NodeActionForm(job_forms.ObjectActionForm):
    """Base: ``self.node`` is the node, fresh from RAPI."""

    object_kwarg = "node"

    # Evacuate and migrate: the job plans the moves and starts one job
    # per instance, which the message names.
    moves_instances = False

    def report(self, request, data, started):
        for one in started if isinstance(started, list) else [started]:
            messages.success(request, self.started_text(one))
            for refusal in one.refused:
                messages.error(request, _("Ganeti did not start a job: %s")
                               % refusal)

    def started_text(self, started):
        """What the page says of one job the action started."""
        text = _("%(action)s %(name)s: Ganeti job %(job)s started") % {
            "action": self.label, "name": self.node.name,
            "job": started.job_id}
        if not started.done:
            return _("%s; it is still running.") % text
        if not self.moves_instances:
            return _("%s and succeeded.") % text
        if started.sub_jobs:
            return _("%(text)s; it started job(s) %(jobs)s to move the "
                     "instances.") % {"text": text, "jobs": ", ".join(
                         str(j) for j in started.sub_jobs)}
        return _("%s; there was nothing to move.") % text


class SetRoleForm(NodeActionForm):
    action = "set_role"
    label = _("Set role of")
    role = forms.ChoiceField(label=_("New role"), choices=(
        ("master-candidate", _("Master candidate")),
        ("regular", _("Regular")),
        ("drained", _("Drained: keeps its instances, gets no new ones")),
        ("offline", _("Offline: Ganeti stops talking to it"))))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["role"].help_text = _(
            "The master's role changes only by a master failover.")

    def start(self, request, data):
        return node_api.set_role(request, self.node, data["role"])


class EvacuateForm(NodeActionForm):
    action = "evacuate"
    moves_instances = True
    label = _("Evacuate")
    IALLOCATOR = ""
    mode = forms.ChoiceField(label=_("Instances to move"), choices=(
        ("primary-only", _("Primary instances")),
        ("secondary-only", _("Secondary instances (their mirrors)"))),
        help_text=_("Ganeti 3.0 moves primary and secondary instances in "
                    "separate evacuations."))
    target = forms.ChoiceField(label=_("Target"), required=False)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["target"].choices = [
            (self.IALLOCATOR, _("Chosen by the cluster's iallocator"))] + [
            (n, n) for n in self.node.other_nodes]
        self.fields["target"].help_text = _(
            "A target node can be given for secondary instances only.")

    def clean(self):
        data = super().clean()
        if data.get("target") and data.get("mode") != "secondary-only":
            self.add_error("target", _(
                "Primary instances move where the iallocator says: choose "
                "the iallocator, or evacuate secondary instances."))
        return data

    def start(self, request, data):
        return node_api.evacuate(request, self.node, data["mode"],
                                 remote_node=data.get("target") or None)


class MigrateForm(NodeActionForm):
    action = "migrate"
    moves_instances = True
    label = _("Migrate primary instances of")
    mode = forms.ChoiceField(label=_("Mode"), initial="live", choices=(
        ("live", _("Live")), ("non-live", _("Non-live"))),
        help_text=_("Ganeti chooses each instance's target: its secondary "
                    "node, or the iallocator's choice. Offered only when "
                    "every primary instance runs and its disks can move: "
                    "Ganeti refuses to migrate the others, and the node "
                    "would be left half emptied."))

    def start(self, request, data):
        return node_api.migrate(request, self.node, data["mode"])


class ModifyForm(NodeActionForm):
    """Drained, offline, master/VM capable and the secondary IP: only what
    changed is sent (OpNodeSetParams refuses an empty change).
    """

    action = "modify"
    label = _("Modify")
    drained = forms.BooleanField(
        label=_("Drained"), required=False,
        help_text=_("Keeps its instances, gets no new ones."))
    offline = forms.BooleanField(
        label=_("Offline"), required=False,
        help_text=_("Ganeti stops talking to it; its instances must be "
                    "moved first."))
    master_capable = forms.BooleanField(
        label=_("Master capable"), required=False,
        help_text=_("May become a master candidate."))
    vm_capable = forms.BooleanField(
        label=_("VM capable"), required=False,
        help_text=_("May host instances."))
    secondary_ip = forms.CharField(
        label=_("Secondary IP"), required=False, max_length=15,
        help_text=_("IPv4 address of the replication network. Ganeti "
                    "checks that the node answers on it."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        for field in ("drained", "offline", "master_capable",
                      "vm_capable"):
            self.fields[field].initial = self.current()[field]
        self.fields["secondary_ip"].initial = self.node.sip
        if self.node.role_code == "M":
            for field in ("drained", "offline", "master_capable"):
                self.fields[field].disabled = True
                self.fields[field].help_text = _(
                    "Not for the master: it changes only by a master "
                    "failover.")

    def current(self):
        return {"drained": self.node.drained, "offline": self.node.offline,
                "master_capable": self.node.master_capable,
                "vm_capable": self.node.vm_capable,
                "secondary_ip": self.node.sip or ""}

    def clean_secondary_ip(self):
        text = (self.cleaned_data.get("secondary_ip") or "").strip()
        if not text:
            return ""
        if not text.isascii():
            raise django_forms.ValidationError(_(
                "Use only ASCII characters: Ganeti cannot store other "
                "text safely."))
        try:
            return node_api.check_ipv4(text)
        except errors.BadRequest:
            raise django_forms.ValidationError(_(
                "%s is not an IPv4 address (Ganeti's secondary IP is "
                "IPv4).") % text)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        current = self.current()
        changes = {key: data.get(key) for key in node_api.MODIFY_FIELDS
                   if key in data and data.get(key) != current[key]
                   and not (key == "secondary_ip" and not data.get(key))}
        if changes.get("drained") and changes.get("offline") or (
                data.get("drained") and data.get("offline")):
            raise django_forms.ValidationError(_(
                "A node is drained or offline, not both."))
        if not changes:
            raise django_forms.ValidationError(_("Nothing to change."))
        self.changes = changes
        return data

    def start(self, request, data):
        return node_api.modify(request, self.node, self.changes)


class TagsForm(NodeActionForm):
    """Add and remove the node's tags: a Ganeti job for each."""

    action = "tags"
    label = _("Change tags of")
    remove = forms.MultipleChoiceField(
        label=_("Remove"), required=False,
        widget=django_forms.CheckboxSelectMultiple)
    add = forms.CharField(
        label=_("Add"), required=False, max_length=1024,
        help_text=_("Tags separated by spaces: ASCII letters, digits and "
                    ". + * / : @ - _ (at most 128 each)."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["remove"].choices = [(t, t) for t in self.node.tags]
        if not self.node.tags:
            self.fields["remove"].help_text = _("The node has no tags.")

    def clean_add(self):
        tags = (self.cleaned_data.get("add") or "").split()
        for tag in tags:
            job_forms.check_tag(tag, _(
                "%s: tags may hold only ASCII letters, digits and "
                ". + * / : @ - _ (at most 128).") % tag)
        return [t for t in dict.fromkeys(tags) if t not in self.node.tags]

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("add") or data.get("remove")):
            raise django_forms.ValidationError(_(
                "Nothing to change: name tags to add or choose tags to "
                "remove."))
        return data

    def start(self, request, data):
        return node_api.change_tags(request, self.node, add=data["add"],
                                    remove=data["remove"])


class PowercycleForm(NodeActionForm):
    """The operator types the node's name: a power-cycle cuts whatever
    runs on the node.
    """

    action = "powercycle"
    label = _("Power-cycle")
    confirm = forms.CharField(label=_("Type the node's name to confirm"),
                              max_length=255)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["confirm"].help_text = _(
            "%s is switched off and on by its hypervisor: its instances "
            "stop at once, without a shutdown.") % self.node.name

    def clean_confirm(self):
        text = self.cleaned_data.get("confirm") or ""
        if not text.isascii():
            raise django_forms.ValidationError(_(
                "Use only ASCII characters: Ganeti cannot store other "
                "text safely."))
        if text.strip() != self.node.name:
            raise django_forms.ValidationError(_(
                "Type the node's full name, %s, to confirm.")
                % self.node.name)
        return text

    def start(self, request, data):
        return node_api.powercycle(request, self.node)


# A storage unit's name as Ganeti gives them (paths, VG and PV names).
UNIT_RE = re.compile(r"^[A-Za-z0-9_.+/:@-]{1,255}$")


class StorageUnitForm(NodeActionForm):
    """Base of the storage unit actions: the unit is named by the link of
    the Storage tab (``?type=...&name=...``) and checked here.
    """

    storage_types = ()
    storage_type = forms.CharField(
        label=_("Storage type"), max_length=32,
        widget=forms.TextInput(attrs={"readonly": "readonly"}))
    unit = forms.CharField(
        label=_("Storage unit"), max_length=255,
        widget=forms.TextInput(attrs={"readonly": "readonly"}))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["storage_type"].initial = request.GET.get("type")
        self.fields["unit"].initial = request.GET.get("name")

    def clean_storage_type(self):
        found = self.cleaned_data.get("storage_type")
        if found not in self.storage_types:
            raise django_forms.ValidationError(_(
                "Ganeti allows this only on units of type %s.")
                % ", ".join(self.storage_types))
        return found

    def clean_unit(self):
        found = self.cleaned_data.get("unit") or ""
        if not found.isascii() or not UNIT_RE.match(found):
            raise django_forms.ValidationError(_(
                "Not a storage unit's name (ASCII letters, digits and "
                "_ . + / : @ -)."))
        return found


class StorageModifyForm(StorageUnitForm):
    action = "storage_modify"
    label = _("Modify storage of")
    storage_types = node_api.MODIFIABLE_STORAGE
    allocatable = forms.ChoiceField(
        label=_("Allocatable"), choices=(
            ("1", _("Yes: Ganeti may put new disks on it")),
            ("0", _("No: Ganeti puts no new disks on it"))))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if request.GET.get("allocatable") in ("0", "1"):
            # Offer the change: the other value.
            self.fields["allocatable"].initial = (
                "0" if request.GET["allocatable"] == "1" else "1")

    def start(self, request, data):
        return node_api.modify_storage(
            request, self.node, data["storage_type"], data["unit"],
            data["allocatable"] == "1")


class StorageRepairForm(StorageUnitForm):
    action = "storage_repair"
    label = _("Repair storage of")
    storage_types = node_api.REPAIRABLE_STORAGE

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["unit"].help_text = _(
            "Ganeti fixes the volume group's consistency (missing or "
            "inconsistent physical volumes).")

    def start(self, request, data):
        return node_api.repair_storage(
            request, self.node, data["storage_type"], data["unit"])


# action in the URL -> its form, title and policy rule.
FORMS = {
    "set_role": FormAction(SetRoleForm, _("Set Node Role"),
                           "ganeti:node:set_role"),
    "evacuate": FormAction(EvacuateForm, _("Evacuate Node"),
                           "ganeti:node:evacuate"),
    "migrate": FormAction(MigrateForm, _("Migrate All Primary Instances"),
                          "ganeti:node:migrate"),
    "modify": FormAction(ModifyForm, _("Modify Node"),
                         "ganeti:node:modify"),
    "tags": FormAction(TagsForm, _("Node Tags"), "ganeti:node:tags"),
    "powercycle": FormAction(
        PowercycleForm, _("Power-cycle Node"), "ganeti:node:powercycle",
        submit_label=_("Power-cycle")),
    "storage_modify": FormAction(StorageModifyForm,
                                 _("Modify Storage Unit"),
                                 "ganeti:node:storage_modify"),
    "storage_repair": FormAction(StorageRepairForm,
                                 _("Repair Storage Unit"),
                                 "ganeti:node:storage_repair",
                                 submit_label=_("Repair")),
}
