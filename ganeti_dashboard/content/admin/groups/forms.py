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

"""Modal forms of Admin > Ganeti > Node Groups: create, and the actions
on one group. Each starts a Ganeti job through ``api.groups`` (one per
instance for an evacuation) and names it; Ganeti's refusal is the form's
error. A name, a tag or a parameter that is not ASCII, or that RAPI could
not address, is refused here, before any job.
"""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import groups as group_api
from ganeti_dashboard.content import action_messages
from ganeti_dashboard.content.action_view import FormAction
from ganeti_dashboard.content import job_forms

ALLOC_CHOICES = tuple(group_api.ALLOC_POLICIES.items())
# Ganeti's disk templates (constants.DISK_TEMPLATES).
DISK_TEMPLATES = ("diskless", "file", "sharedfile", "plain", "drbd",
                  "blockdev", "rbd", "ext", "gluster")
KEEP = ""


class CreateForm(job_forms.CreateJobForm):
    api = group_api
    object_kwarg = "group"
    label = _("Create group")
    name = forms.CharField(label=_("Name"), max_length=group_api.NAME_MAX,
                           help_text=_("Letters, digits, '.', '_' and '-'."))
    alloc_policy = forms.ChoiceField(
        label=_("Allocation policy"), choices=ALLOC_CHOICES,
        initial="preferred",
        help_text=_("preferred: new instances go here; last resort: only "
                    "when no preferred group fits; unallocable: never."))

    def start(self, request, data):
        return group_api.create(request, data["cluster"], data["name"],
                                alloc_policy=data["alloc_policy"])


class GroupActionForm(job_forms.ObjectActionForm):
    """Base of the actions on one group: ``self.group``, fresh."""

    object_kwarg = "group"
    api = group_api


class RenameForm(GroupActionForm):
    action = "rename"
    label = _("Rename group")
    new_name = forms.CharField(label=_("New name"),
                               max_length=group_api.NAME_MAX,
                               help_text=_("Letters, digits, '.', '_' and "
                                           "'-'."))

    def clean_new_name(self):
        name = job_forms.checked_name(group_api,
                                      self.cleaned_data["new_name"])
        if name == self.group.name:
            raise django_forms.ValidationError(_("That is its name "
                                                 "already."))
        return name

    def start(self, request, data):
        return group_api.rename(request, self.group, data["new_name"])


def _ratio(value):
    if value in (None, ""):
        return None
    return value


class ModifyForm(GroupActionForm):
    action = "modify"
    message_key = "modify_group"
    label = _("Modify group")
    alloc_policy = forms.ChoiceField(label=_("Allocation policy"),
                                     choices=ALLOC_CHOICES)
    vcpu_ratio = forms.FloatField(
        label=_("vCPU ratio"), required=False, min_value=0.1,
        help_text=_("Virtual CPUs per physical CPU. Empty: unchanged."))
    spindle_ratio = forms.FloatField(
        label=_("Spindle ratio"), required=False, min_value=0.1,
        help_text=_("Instances' spindles per node spindle. Empty: "
                    "unchanged."))
    disk_templates = forms.MultipleChoiceField(
        label=_("Disk templates allowed"), required=False,
        choices=[(t, t) for t in DISK_TEMPLATES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Those the group's instances may use; the cluster's "
                    "enabled templates bound them. None ticked: "
                    "unchanged."))
    reset_ipolicy = forms.BooleanField(
        label=_("Reset the instance policy to the cluster's"),
        required=False)
    diskparams = forms.CharField(
        label=_("Disk parameters"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, template:name=value, e.g. "
                    "plain:stripes=2; the value 'default' resets it to the "
                    "cluster's. Empty: unchanged."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        group = self.group
        self.fields["alloc_policy"].initial = group.alloc_policy
        job_forms.say_now(self, {
            "vcpu_ratio": group.ipolicy.get("vcpu-ratio"),
            "spindle_ratio": group.ipolicy.get("spindle-ratio")})
        self.fields["disk_templates"].initial = list(
            group.ipolicy.get("disk-templates") or [])
        self.initial_templates = sorted(
            group.ipolicy.get("disk-templates") or [])

    def clean_diskparams(self):
        text = self.cleaned_data.get("diskparams") or ""
        if not text.isascii():
            raise django_forms.ValidationError(_(
                "Disk parameters may contain only ASCII characters."))
        found = {}
        for line in text.splitlines():
            line = line.strip()
            if not line:
                continue
            template, sep, pair = line.partition(":")
            key, eq, value = pair.partition("=")
            template, key, value = (template.strip(), key.strip(),
                                    value.strip())
            if not (sep and eq and template and key and value):
                raise django_forms.ValidationError(
                    _("Not template:name=value: %s") % line)
            if template not in DISK_TEMPLATES:
                raise django_forms.ValidationError(
                    _("Not a disk template: %s") % template)
            found.setdefault(template, {})[key] = _typed(value)
        return found or None

    def changes(self, data):
        changes = {}
        if data["alloc_policy"] != self.group.alloc_policy:
            changes["alloc_policy"] = data["alloc_policy"]
        if data.get("reset_ipolicy"):
            changes["ipolicy"] = {key: "default" for key
                                  in self.group.custom_ipolicy} or None
        else:
            ipolicy = {}
            for field, key in (("vcpu_ratio", "vcpu-ratio"),
                               ("spindle_ratio", "spindle-ratio")):
                if _ratio(data.get(field)) is not None:
                    ipolicy[key] = data[field]
            templates = sorted(data.get("disk_templates") or [])
            if templates and templates != self.initial_templates:
                ipolicy["disk-templates"] = templates
            changes["ipolicy"] = ipolicy or None
        changes["diskparams"] = data.get("diskparams")
        return {k: v for k, v in changes.items() if v is not None}

    def start(self, request, data):
        changes = self.changes(data)
        if not changes:
            messages.info(request, _("%s: nothing to change.")
                          % self.group.name)
            return None
        return group_api.modify(request, self.group, **changes)


def _typed(value):
    """A disk parameter's value as Ganeti's JSON wants it."""
    if value in ("default",):
        return value
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


class AssignNodesForm(GroupActionForm):
    action = "assign_nodes"
    label = _("Assign nodes to group")
    nodes = forms.MultipleChoiceField(
        label=_("Nodes"), widget=forms.CheckboxSelectMultiple,
        help_text=_("Nodes of the cluster now in other groups."))
    force = forms.BooleanField(
        label=_("Even if it splits an instance's nodes over two groups"),
        required=False)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["nodes"].choices = [
            (n, n) for n in self.group.assignable_nodes]

    def start(self, request, data):
        return group_api.assign_nodes(request, self.group, data["nodes"],
                                      force=data.get("force"))


class EvacuateForm(GroupActionForm):
    action = "evacuate"
    label = _("Evacuate group")
    target = forms.ChoiceField(
        label=_("Move the instances to group"),
        help_text=_("Each instance moves by a job of its own: migrated if "
                    "it runs, failed over if it is stopped, to the node of "
                    "that group with the most free memory. Ganeti allows "
                    "it for diskless, sharedfile, blockdev, rbd, ext and "
                    "gluster instances only: the others stay and are "
                    "named."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["target"].choices = [
            (g, g) for g in self.group.other_groups]

    def start(self, request, data):
        moves = group_api.evacuate(request, self.group, data["target"])
        started = [m for m in moves if m.job_id is not None]
        if started:
            messages.success(request, "%s: %s" % (
                self.group.name, group_api.moves_summary(moves)))
        for move in moves:
            if move.refusal:
                messages.warning(request, action_messages.refused(
                    "migrate", move.instance, move.refusal))
            elif move.error:
                messages.error(request, action_messages.refused(
                    "migrate", move.instance, move.error))
        return None


class AddTagForm(GroupActionForm, job_forms.AddTagForm):
    label = _("Add tag to group")


class RemoveTagForm(GroupActionForm, job_forms.RemoveTagForm):
    label = _("Remove tag from group")


class DeleteForm(GroupActionForm, job_forms.DeleteForm):
    label = _("Delete group")


# action in the URL -> its form, title and policy rule.
FORMS = {
    "rename": FormAction(RenameForm, _("Rename Node Group"),
                         "ganeti:group:rename"),
    "modify": FormAction(ModifyForm, _("Modify Node Group"),
                         "ganeti:group:modify"),
    "assign_nodes": FormAction(AssignNodesForm, _("Assign Nodes"),
                               "ganeti:group:assign_nodes"),
    "evacuate": FormAction(EvacuateForm, _("Evacuate Node Group"),
                           "ganeti:group:evacuate"),
    "add_tag": FormAction(AddTagForm, _("Add Tag"), "ganeti:group:tag"),
    "remove_tag": FormAction(RemoveTagForm, _("Remove Tag"),
                             "ganeti:group:tag"),
    "delete": FormAction(DeleteForm, _("Delete Node Group"),
                         "ganeti:group:delete",
                         submit_label=_("Delete")),
}
