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


"""The base of the instance action forms (``forms``, ``device_forms``)."""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.content import action_messages


def node_choices(request, cluster, exclude=(), first=()):
    """Choices of a field that picks a node for an instance: the usable
    nodes of ``cluster`` but ``exclude``, after the ``first`` choices; under
    the name of their node group when the cluster has more than one (an
    instance's nodes belong to one group, and a node of another is a move
    across groups). A cluster that cannot be read leaves only ``first``,
    and the page says why.
    """
    try:
        groups = cluster_state.usable_nodes_by_group(cluster)
    except errors.RapiError as exc:
        groups = []
        messages.error(request, _("Cannot list nodes: %s") % exc)
    groups = [(group, [(n, n) for n in names if n not in exclude])
              for group, names in groups]
    groups = [(group, nodes) for group, nodes in groups if nodes]
    if len(groups) > 1:
        return list(first) + groups
    return list(first) + [node for _group, nodes in groups for node in nodes]


def enforce_limits(request, project_id, delta, admin=False):
    """Raise a form error when ``delta`` would take the project over one of
    its limits, or when its usage cannot be counted (nothing starts).
    """
    try:
        limits.enforce(request, project_id, delta, admin=admin)
    except (limits.LimitExceeded, limits.LimitError) as exc:
        raise django_forms.ValidationError(str(exc))


class InstanceActionForm(forms.SelfHandlingForm):
    """Base: ``self.instance`` is the scoped instance; ``run`` the job.

    The instance's state is checked against the action's rule
    (``api.preconditions``): where Ganeti would refuse, the modal says why
    (``refusal``) and the form does not submit; ``warning`` says what the
    action does to a running instance (it stops it).
    """

    action = None  # key of api.instances.ACTIONS

    def __init__(self, request, *args, **kwargs):
        self.instance = kwargs.pop("instance")
        self.scope = kwargs.pop("scope")
        super().__init__(request, *args, **kwargs)
        count = instance_api.node_count(self.instance.cluster) \
            if self.action in instance_api.NEED_NODE_COUNT else None
        self.refusal = preconditions.instance_refusal(
            self.action, self.instance, count)
        self.warning = preconditions.stops_instance(self.action,
                                                    self.instance)

    def clean(self):
        if self.refusal is not None:
            raise django_forms.ValidationError(action_messages.refused(
                self.action, self.instance.name, self.refusal))
        return super().clean()

    def options(self, data):
        return {}

    def report(self, request, job_id):
        messages.success(request, action_messages.started(
            instance_api.ACTIONS[self.action][0],
            [action_messages.Outcome(self.instance.name, job=job_id)]))

    def refused(self, exc):
        """Ganeti's (or the state rule's) refusal as the form's error."""
        why = getattr(exc, "refusal", None) or str(exc)
        self.api_error(action_messages.refused(self.action,
                                               self.instance.name, why))

    def handle(self, request, data):
        try:
            job_id = instance_api.act(request, self.scope, self.instance.id,
                                      self.action, **self.options(data))
        except errors.RapiError as exc:
            self.refused(exc)
            return False
        self.report(request, job_id)
        return True
