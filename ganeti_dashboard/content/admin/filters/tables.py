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

"""The job filters table: every cluster's filter rules, and their actions."""

import json

from django import shortcuts
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import filters as filter_api
from ganeti_dashboard.content import access

NAMESPACE = "horizon:admin:ganeti_filters"


class CreateFilter(tables.LinkAction):
    name = "create"
    verbose_name = _("Add Filter")
    url = NAMESPACE + ":create"
    classes = ("ajax-modal",)
    icon = "plus"
    policy_rules = access.rules("ganeti:filter:create")


class UpdateFilter(tables.LinkAction):
    name = "update"
    verbose_name = _("Modify")
    classes = ("ajax-modal",)
    policy_rules = access.rules("ganeti:filter:update")

    def get_link_url(self, datum=None):
        return reverse(NAMESPACE + ":update", args=[datum.id])


class DeleteFilter(tables.DeleteAction):
    """Each rule is read fresh from its cluster before it is deleted."""

    name = "delete"
    policy_rules = access.rules("ganeti:filter:delete")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Filter", "Delete Filters", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Deleted filter", "Deleted filters", count)

    def handle(self, table, request, obj_ids):
        for obj_id in obj_ids:
            try:
                rule = filter_api.get(obj_id)
                filter_api.delete(request, rule)
            except errors.RapiError as exc:
                messages.error(request, _(
                    "Filter %(rule)s was not deleted: %(error)s")
                    % {"rule": obj_id, "error": exc})
                continue
            messages.success(request, _("Deleted filter %(uuid)s of "
                                        "cluster %(cluster)s.")
                             % {"uuid": rule.uuid, "cluster": rule.cluster})
        return shortcuts.redirect(self.get_success_url(request))


def _action(rule):
    if rule.rate_limit is not None:
        return "RATE_LIMIT %s" % rule.rate_limit
    return rule.action_name


def _predicates(rule):
    return json.dumps(rule.predicates) if rule.predicates else "[]"


class FiltersTable(access.PolicyTable, tables.DataTable):
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    uuid = tables.Column("uuid", verbose_name=_("UUID"))
    priority = tables.Column("priority", verbose_name=_("Priority"))
    predicates = tables.Column(_predicates, verbose_name=_("Predicates"),
                               classes=("ganeti-filter-predicates",))
    action = tables.Column(_action, verbose_name=_("Action"))
    watermark = tables.Column("watermark", verbose_name=_("Watermark"))
    summary = tables.Column("summary", verbose_name=_("Summary"),
                            classes=("ganeti-filter-summary",))

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.uuid

    class Meta(object):
        name = "filters"
        verbose_name = _("Job Filters")
        no_data_message = _("No job filter rule on any cluster.")
        table_actions = (CreateFilter, DeleteFilter)
        row_actions = (UpdateFilter, DeleteFilter)
