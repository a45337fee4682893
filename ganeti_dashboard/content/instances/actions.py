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

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.content import access
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


class ActionLink(InstanceTableMixin, tables.LinkAction):
    """A row action that opens a modal form of the panel."""

    classes = ("ajax-modal",)
    form = None  # action name in the panel's URLs

    def get_link_url(self, datum=None):
        return self.panel_url("action", datum.id, self.form)

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        return (instance.settled
                and writable(instance.cluster, request)
                and self.applies(instance))

    def applies(self, instance):
        return True


class ReportsGanetiErrors:
    """Horizon's bulk message says only "Unable to ...": add Ganeti's why."""

    def handle(self, table, request, obj_ids):
        # Every id first: one outside the scope is a 404 before any job.
        for obj_id in obj_ids:
            table.get_object_by_id(obj_id)
        self.failures = []
        response = super().handle(table, request, obj_ids)
        for obj_id, text in self.failures:
            messages.error(request, _("%(instance)s: %(error)s")
                           % {"instance": obj_id, "error": text})
        return response

    def recorded(self, obj_id, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except errors.RapiError as exc:
            self.failures.append((obj_id, str(exc)))
            raise


class JobBatchAction(ReportsGanetiErrors, InstanceTableMixin,
                     tables.BatchAction):
    """Runs one job per selected instance; Horizon combines the messages."""

    ganeti_action = None  # key of api.instances.ACTIONS
    options = {}

    def action(self, request, obj_id):
        self.recorded(obj_id, instance_api.act, request, self.scope(request),
                      obj_id, self.ganeti_action, **self.options)

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        return (instance.settled
                and writable(instance.cluster, request)
                and self.applies(instance))

    def applies(self, instance):
        return True


class StartInstance(JobBatchAction):
    name = "start"
    ganeti_action = "start"
    classes = ("btn-confirm",)
    policy_rules = _rule("start")
    help_text = _("Each instance is started by a Ganeti job of its own.")

    @staticmethod
    def action_present(count):
        return ngettext("Start Instance", "Start Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext("Started job for instance",
                        "Started jobs for instances", count)

    def applies(self, instance):
        return instance.is_stopped


class StopInstance(JobBatchAction):
    name = "stop"
    ganeti_action = "shutdown"
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = _rule("shutdown")
    help_text = _("The instances are shut down (ACPI, then forced after "
                  "Ganeti's timeout).")

    @staticmethod
    def action_present(count):
        return ngettext("Shut Down Instance", "Shut Down Instances",
                        count)

    @staticmethod
    def action_past(count):
        return ngettext("Started shutdown job for instance",
                        "Started shutdown jobs for instances", count)

    def applies(self, instance):
        return instance.is_running


class RebootInstance(JobBatchAction):
    name = "reboot"
    ganeti_action = "reboot"
    options = {"reboot_type": "soft"}
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = _rule("reboot")
    help_text = _("A soft reboot of each instance.")

    @staticmethod
    def action_present(count):
        return ngettext("Soft Reboot Instance", "Soft Reboot Instances",
                        count)

    @staticmethod
    def action_past(count):
        return ngettext("Started reboot job for instance",
                        "Started reboot jobs for instances", count)

    def applies(self, instance):
        return instance.is_running


class DeleteInstance(ReportsGanetiErrors, InstanceTableMixin,
                     tables.DeleteAction):
    policy_rules = _rule("delete")
    help_text = _("Deleted instances and their disks cannot be recovered.")

    @staticmethod
    def action_present(count):
        return ngettext("Delete Instance", "Delete Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext("Started delete job for instance",
                        "Started delete jobs for instances", count)

    def allowed(self, request, instance=None):
        return instance is None or (instance.settled
                                    and writable(instance.cluster, request))

    def delete(self, request, obj_id):
        self.recorded(obj_id, instance_api.act, request, self.scope(request),
                      obj_id, "delete")


class ShutdownLink(ActionLink):
    name = "shutdown"
    form = "shutdown"
    verbose_name = _("Shut Down...")
    policy_rules = instance_forms.FORMS["shutdown"].rules

    def applies(self, instance):
        return instance.is_running


class RebootLink(ActionLink):
    name = "reboot_form"
    form = "reboot"
    verbose_name = _("Reboot...")
    policy_rules = instance_forms.FORMS["reboot"].rules

    def applies(self, instance):
        return instance.is_running


class ReinstallLink(ActionLink):
    name = "reinstall"
    form = "reinstall"
    verbose_name = _("Reinstall...")
    policy_rules = instance_forms.FORMS["reinstall"].rules


class RenameLink(ActionLink):
    name = "rename"
    form = "rename"
    verbose_name = _("Rename...")
    policy_rules = instance_forms.FORMS["rename"].rules


class ResizeLink(ActionLink):
    name = "resize"
    form = "resize"
    verbose_name = _("Resize...")
    policy_rules = instance_forms.FORMS["resize"].rules


class _MoveLink(ActionLink):
    """Migrate and failover: disabled, with the reason, where they can't."""

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        if not instance.settled or not writable(instance.cluster, request):
            return False
        movable, why = instance_api.can_move(instance)
        if not movable:
            self.classes = tuple(self.classes) + ("disabled",)
            self.verbose_name = "%s (%s)" % (self.base_name, why)
        return True

    def get_link_url(self, datum=None):
        movable, _ = instance_api.can_move(datum)
        return super().get_link_url(datum) if movable else "#"


class MigrateLink(_MoveLink):
    name = "migrate"
    form = "migrate"
    base_name = verbose_name = _("Migrate...")
    policy_rules = instance_forms.FORMS["migrate"].rules


class FailoverLink(_MoveLink):
    name = "failover"
    form = "failover"
    base_name = verbose_name = _("Fail Over...")
    policy_rules = instance_forms.FORMS["failover"].rules


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
