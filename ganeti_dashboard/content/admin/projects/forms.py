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

"""The project actions' forms: map a project to a cluster or take one away
(a Keystone project tag), and set its limits.

The mapping forms each write one Keystone project tag
``ganeti:cluster:<name>``; a Keystone refusal is shown in the form and
nothing else happens.
"""

from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import limits as limits_api
from ganeti_dashboard.content.action_view import FormAction


class _MappingForm(forms.SelfHandlingForm):
    """Base: ``self.project`` is the :class:`ProjectMapping` being changed."""

    cluster = forms.ChoiceField(label=_("Cluster"))

    def __init__(self, request, *args, **kwargs):
        self.project = kwargs.pop("project")
        super().__init__(request, *args, **kwargs)
        self.fields["cluster"].choices = self.choices()

    def choices(self):
        raise NotImplementedError

    def write(self, request, cluster):
        raise NotImplementedError

    def handle(self, request, data):
        try:
            self.write(request, data["cluster"])
        except (keystone_api.KeystoneError, ValueError) as exc:
            self.api_error(str(exc))
            return False
        messages.success(request, self.done % {
            "project": self.project.name, "cluster": data["cluster"]})
        return True


class MapForm(_MappingForm):
    done = _("Project %(project)s may now use cluster %(cluster)s.")

    def choices(self):
        return [(name, name) for name in self.project.unmapped()]

    def write(self, request, cluster):
        keystone_api.add_mapping(request, self.project.id, cluster)


class UnmapForm(_MappingForm):
    done = _("Project %(project)s may no longer use cluster %(cluster)s.")

    def choices(self):
        unknown = set(self.project.unconfigured())
        return [(name, _("%s (not configured)") % name if name in unknown
                 else name) for name in self.project.clusters]

    def write(self, request, cluster):
        keystone_api.remove_mapping(request, self.project.id, cluster)


class LimitsForm(forms.SelfHandlingForm):
    """The project's overrides of the ganeti service's default limits."""

    def __init__(self, request, *args, **kwargs):
        self.project = kwargs.pop("project")
        self.limits = kwargs.pop("limits")
        super().__init__(request, *args, **kwargs)
        for resource, (label, unit) in limits_api.RESOURCES.items():
            default = self.limits.defaults.get(resource)
            self.fields[resource] = forms.IntegerField(
                label="%s (%s)" % (label, unit) if unit else label,
                required=False, min_value=-1, max_value=2 ** 31 - 1,
                initial=self.limits.limits.get(resource)
                if resource in self.limits.overrides else None,
                help_text=_("Default: %s") % (
                    _("none") if default is None else default))

    def handle(self, request, data):
        try:
            limits_api.set_project_limits(request, self.project.id, data)
        except limits_api.LimitError as exc:
            self.api_error(str(exc))
            return False
        messages.success(request, _("Limits of project %s saved.")
                         % self.project.name)
        return True


# action in the URL -> its form, title, policy rule, button and help.
FORMS = {
    "map": FormAction(
        MapForm, _("Map to Cluster"), "ganeti:project:map",
        submit_label=_("Map"),
        help_text=_("Members of the project may then create and manage "
                    "instances on the cluster. The mapping is the Keystone "
                    "project tag ganeti:cluster:<name>.")),
    "unmap": FormAction(
        UnmapForm, _("Remove Mapping"), "ganeti:project:map",
        submit_label=_("Remove"),
        help_text=_("Members of the project can no longer use the cluster "
                    "from the dashboard. Instances on it are not touched.")),
    "limits": FormAction(
        LimitsForm, _("Set Limits"), "ganeti:project:set_limits",
        submit_label=_("Save"),
        help_text=_("Keystone project limits of the ganeti service. Leave a "
                    "field empty to use the default; -1 means unlimited. "
                    "Limits are checked when members create or resize "
                    "instances; instances already there are not touched.")),
}
