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

from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import scope as scope_api

UNASSIGNED = "-"


class AssignOwnerForm(forms.SelfHandlingForm):
    """Writes the owner tag of one or many instances (CLI-made ones too)."""

    ids = forms.CharField(widget=forms.HiddenInput())
    project = forms.ChoiceField(label=_("Owner project"))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.keystone_error = None
        names = self.project_names(request)
        self.fields["project"].choices = [(UNASSIGNED, _("unassigned"))] + \
            sorted(((pid, name) for pid, name in names.items()),
                   key=lambda item: item[1].lower())

    def project_names(self, request):
        """``{id: name}`` of the projects to offer.

        Opened, the form lists them fresh from Keystone: a project made a
        moment ago is offered. Posted, the cached list is enough, unless
        the chosen project is not in it: Keystone is asked for that one
        before it is refused.
        """
        if not self.is_bound:
            return keystone_api.project_names(request, fresh=True)
        names = keystone_api.project_names(request)
        chosen = self.data.get(self.add_prefix("project"))
        if chosen and chosen != UNASSIGNED and chosen not in names:
            try:
                name = keystone_api.project_name(request, chosen)
            except keystone_api.KeystoneError as exc:
                self.keystone_error = str(exc)
            else:
                if name is not None:
                    names = {**names, chosen: name}
        return names

    def clean(self):
        data = super().clean()
        if self.keystone_error:
            raise forms.ValidationError(self.keystone_error)
        return data

    def handle(self, request, data):
        project = None if data["project"] == UNASSIGNED else data["project"]
        done, failed = [], []
        for obj_id in [i for i in data["ids"].split(",") if i]:
            try:
                instance_api.set_owner(request, scope_api.ALL, obj_id,
                                       project)
                done.append(obj_id.partition(":")[2])
            except errors.RapiError as exc:
                failed.append("%s (%s)" % (obj_id.partition(":")[2] or obj_id,
                                           exc))
        if done:
            messages.success(request, _("Owner set for: %s")
                             % ", ".join(done))
        if failed:
            messages.error(request, _("Owner not set for: %s")
                           % "; ".join(failed))
        return bool(done)
