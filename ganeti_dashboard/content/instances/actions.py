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

"""The instances table's actions, written once for Admin and Project.

Row actions open a modal form of the panel (:class:`ActionLink`) or start
one Ganeti job per selected instance (:class:`JobBatchAction`); every job
reaches Ganeti through ``api.instances.act``, which checks the scope on
every request.

A batch action's names (``action_present``, ``action_past``) are plain
``ngettext``, not ``ngettext_lazy``: Horizon asks for them on every row,
while the page renders in the request's language, and each lazy plural
builds a class of its own.
"""

from urllib import parse

from django import shortcuts
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horizon import tables

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_messages
from ganeti_dashboard.content.instances import forms as instance_forms


def _rule(name):
    return access.rules("ganeti:instance:%s" % name)


def once_per_request(request, name, key, compute):
    """``compute()``, remembered on ``request`` under ``name`` and ``key``:
    for answers every row's actions ask for and no row changes.
    """
    memo = request.__dict__.setdefault("_ganeti_memo_" + name, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def writable(cluster, request):
    """False for a cluster configured read_only: its write actions hide.

    Once per cluster and request: each answer checks the configuration file.
    """
    return once_per_request(request, "writable", cluster,
                            lambda: _writable(cluster))


def _writable(cluster):
    from ganeti_dashboard.api import clusters
    try:
        config = clusters.settings().cluster(cluster)
    except Exception:
        return False
    return config is not None and not config.read_only


class InstanceTableMixin:
    """What actions need from their table: its scope and its URLs."""

    def scope(self, request):
        return self.table.scope(request)

    def panel_url(self, name, *args):
        return self.table.panel_url(name, *args)


def refusal(request, instance, action):
    """Why ``action`` cannot apply to ``instance`` now, or None: the
    rules of ``api.preconditions``, as the server applies them.

    From the row alone: the number of nodes of its cluster (whether a
    shared-storage instance has anywhere to move) is not asked here, as
    it would make every list wait for the nodes' snapshot of a slow
    cluster; the form says it when opened, and the server refuses.
    """
    return preconditions.instance_refusal(action, instance)


class ActionLink(InstanceTableMixin, tables.LinkAction):
    """A row action that opens a modal form of the panel.

    Where the instance's state says Ganeti would refuse it (``ganeti_action``
    in ``api.preconditions``), the action stays in the menu, disabled, and
    says why in its label and its title; ``hide_refused`` hides it instead
    (Shut Down and Reboot on a stopped instance, whose menu offers Start).
    """

    classes = ("ajax-modal",)
    form = None  # action name in the panel's URLs
    ganeti_action = None  # the rule's name in api.preconditions
    hide_refused = False

    def refusal_of(self, request, datum):
        """Why the action cannot apply to ``datum`` now, or None."""
        return refusal(request, datum, self.ganeti_action)

    def get_link_url(self, datum=None):
        if getattr(self, "refused", None):
            return "#"
        return self.panel_url("action", datum.id, self.form)

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        if not (instance.settled and writable(instance.cluster, request)):
            return False
        return not (self.hide_refused
                    and self.refusal_of(request, instance))

    def update(self, request, datum):
        """Horizon's hook for a row's copy of the action: disabled, with
        the reason in its label and title, where the state refuses it.
        """
        self.refused = self.refusal_of(request, datum)
        if self.refused:
            self.classes = tuple(c for c in self.classes
                                 if c != "ajax-modal") + ("disabled",)
            self.attrs["title"] = str(self.refused)
            self.attrs["aria-disabled"] = "true"
            self.verbose_name = format_html(
                '{}<span class="ganeti-action-reason"> ({})</span>',
                type(self).verbose_name, self.refused)


class RunsJobs(InstanceTableMixin):
    """Runs one job per selected instance and says what became of each.

    Horizon's batch handling says "You are not allowed to start instance:
    X" for an instance already running, as for one the user may not
    touch, and only "Unable to ..." when Ganeti refuses. Here each selected
    instance's outcome is one of: a job started, refused by its state
    (``api.preconditions``: "already running" is information), or refused
    by Ganeti (its own text); :mod:`action_messages` words them. The
    policy rules were required before (``access.PolicyTable``).
    """

    ganeti_action = None  # key of api.instances.ACTIONS
    options = {}

    def handle(self, table, request, obj_ids):
        # Every id first: one outside the scope is a 404 before any job.
        found = [table.get_object_by_id(obj_id) for obj_id in obj_ids]
        outcomes = [self.run_one(request, instance) for instance in found]
        action_messages.report(
            request, self.ganeti_action,
            instance_api.ACTIONS[self.ganeti_action][0], outcomes)
        return shortcuts.redirect(self.get_success_url(request))

    def run_one(self, request, instance):
        outcome = action_messages.Outcome(instance.name)
        if not instance.settled:
            outcome.refusal = _("a job is still running on it")
        elif not writable(instance.cluster, request):
            outcome.refusal = _("its cluster is read-only for the "
                                "dashboard")
        else:
            outcome.refusal = refusal(request, instance, self.ganeti_action)
        if outcome.refusal is not None:
            return outcome
        try:
            outcome.job = instance_api.act(
                request, self.scope(request), instance.id,
                self.ganeti_action, **self.options)
        except errors.Refused as exc:
            outcome.refusal = exc.refusal or str(exc)
        except errors.RapiError as exc:
            outcome.error = str(exc)
        return outcome

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        return (instance.settled
                and writable(instance.cluster, request)
                and not refusal(request, instance, self.ganeti_action))


class JobBatchAction(RunsJobs, tables.BatchAction):
    """A one-click action on one or many instances."""


class StartInstance(JobBatchAction):
    name = "start"
    ganeti_action = "start"
    classes = ("btn-confirm",)
    policy_rules = _rule("start")
    help_text = _("Each instance is started by a Ganeti job of its own; "
                  "one already running is left as it is.")

    @staticmethod
    def action_present(count):
        return ngettext("Start Instance", "Start Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext("Started job for instance",
                        "Started jobs for instances", count)


class StopInstance(JobBatchAction):
    name = "stop"
    ganeti_action = "shutdown"
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = _rule("shutdown")
    help_text = _("The instances stop: whatever runs on them stops with "
                  "them. Each is shut down by ACPI, then forced off after "
                  "Ganeti's timeout.")

    @staticmethod
    def action_present(count):
        return ngettext("Shut Down Instance", "Shut Down Instances",
                        count)

    @staticmethod
    def action_past(count):
        return ngettext("Started shutdown job for instance",
                        "Started shutdown jobs for instances", count)


class RebootInstance(JobBatchAction):
    name = "reboot"
    ganeti_action = "reboot"
    options = {"reboot_type": "soft"}
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = _rule("reboot")
    help_text = _("A soft reboot of each instance: whatever runs on it is "
                  "interrupted.")

    @staticmethod
    def action_present(count):
        return ngettext("Soft Reboot Instance", "Soft Reboot Instances",
                        count)

    @staticmethod
    def action_past(count):
        return ngettext("Started reboot job for instance",
                        "Started reboot jobs for instances", count)


class DeleteInstance(RunsJobs, tables.DeleteAction):
    ganeti_action = "delete"
    policy_rules = _rule("delete")
    help_text = _("A running instance is shut down first. Deleted "
                  "instances and their disks cannot be recovered.")

    @staticmethod
    def action_present(count):
        return ngettext("Delete Instance", "Delete Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext("Started delete job for instance",
                        "Started delete jobs for instances", count)

    def delete(self, request, obj_id):
        # Not reached: RunsJobs.handle runs each job.
        raise NotImplementedError


class ShutdownLink(ActionLink):
    name = "shutdown"
    form = ganeti_action = "shutdown"
    verbose_name = _("Shut Down...")
    policy_rules = instance_forms.FORMS["shutdown"].rules
    hide_refused = True


class RebootLink(ActionLink):
    name = "reboot_form"
    form = ganeti_action = "reboot"
    verbose_name = _("Reboot...")
    policy_rules = instance_forms.FORMS["reboot"].rules
    hide_refused = True


class ReinstallLink(ActionLink):
    name = "reinstall"
    form = ganeti_action = "reinstall"
    verbose_name = _("Reinstall...")
    policy_rules = instance_forms.FORMS["reinstall"].rules


class RenameLink(ActionLink):
    name = "rename"
    form = ganeti_action = "rename"
    verbose_name = _("Rename...")
    policy_rules = instance_forms.FORMS["rename"].rules


class ResizeLink(ActionLink):
    name = "resize"
    form = "resize"
    ganeti_action = "modify"
    verbose_name = _("Resize...")
    policy_rules = instance_forms.FORMS["resize"].rules


class MigrateLink(ActionLink):
    name = "migrate"
    form = ganeti_action = "migrate"
    verbose_name = _("Migrate...")
    policy_rules = instance_forms.FORMS["migrate"].rules


class FailoverLink(ActionLink):
    name = "failover"
    form = ganeti_action = "failover"
    verbose_name = _("Fail Over...")
    policy_rules = instance_forms.FORMS["failover"].rules


class ExportLink(ActionLink):
    name = "export"
    form = ganeti_action = "export"
    verbose_name = _("Export...")
    policy_rules = instance_forms.FORMS["export"].rules


class MoveClusterLink(ActionLink):
    name = "move"
    form = ganeti_action = "move"
    verbose_name = _("Move to Cluster...")
    policy_rules = instance_forms.FORMS["move"].rules


class CreateLink(InstanceTableMixin, tables.LinkAction):
    name = "create"
    verbose_name = _("Create Instance")
    classes = ("ajax-modal",)
    icon = "plus"
    policy_rules = _rule("create")

    def get_link_url(self, datum=None):
        return self.panel_url("create")


class CreateFromInstance(ActionLink):
    """Opens the create workflow pre-filled from this instance."""

    name = "create_from"
    verbose_name = _("Create from this Instance")
    policy_rules = _rule("create")

    def get_link_url(self, datum=None):
        return self.panel_url("create") + "?" + parse.urlencode(
            {"from": datum.id})
