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

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.content import action_messages
from ganeti_dashboard.content.action_view import FormAction


class NodeActionForm(forms.SelfHandlingForm):
    """Base: ``self.node`` is the node, fresh from RAPI."""

    action = None  # the action's name in FORMS
    label = None

    def __init__(self, request, *args, **kwargs):
        self.node = kwargs.pop("node")
        super().__init__(request, *args, **kwargs)

    def clean(self):
        why = self.node.cannot(self.action)
        if why:
            raise django_forms.ValidationError(action_messages.refused(
                self.action, self.node.name, why))
        return super().clean()

    def start(self, request, data):
        raise NotImplementedError

    def handle(self, request, data):
        try:
            started = self.start(request, data)
        except errors.JobFailed as exc:
            self.api_error(_("Ganeti job %(job)s failed: %(error)s")
                           % {"job": exc.job_id, "error": exc})
            return False
        except errors.Refused as exc:
            self.api_error(action_messages.refused(
                self.action, self.node.name, exc.refusal or exc))
            return False
        except errors.RapiError as exc:
            self.api_error(str(exc))
            return False
        text = _("%(action)s %(name)s: Ganeti job %(job)s started") % {
            "action": self.label, "name": self.node.name,
            "job": started.job_id}
        if not started.done:
            text = _("%s; it is still running.") % text
        elif self.action == "set_role":
            text = _("%s and succeeded.") % text
        elif started.sub_jobs:
            text = _("%(text)s; it started job(s) %(jobs)s to move the "
                     "instances.") % {"text": text, "jobs": ", ".join(
                         str(j) for j in started.sub_jobs)}
        else:
            text = _("%s; there was nothing to move.") % text
        messages.success(request, text)
        for refusal in started.refused:
            messages.error(request, _("Ganeti did not start a job: %s")
                           % refusal)
        return True


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


# action in the URL -> its form, title and policy rule.
FORMS = {
    "set_role": FormAction(SetRoleForm, _("Set Node Role"),
                           "ganeti:node:set_role"),
    "evacuate": FormAction(EvacuateForm, _("Evacuate Node"),
                           "ganeti:node:evacuate"),
    "migrate": FormAction(MigrateForm, _("Migrate All Primary Instances"),
                          "ganeti:node:migrate"),
}
