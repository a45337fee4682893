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

"""The exports table: one row per export of every cluster's nodes.

RAPI lists only the node and the name of each export (no size, no date)
and cannot remove one, so the table has no delete: the docs say how to
remove one with ``gnt-backup remove``.
"""

import urllib.parse

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.content import access

PROJECT_CREATE = "horizon:project:ganeti_instances:create"


class ExportFilter(tables.FilterAction):
    filter_type = "query"


class ImportLink(tables.LinkAction):
    """The project's create workflow, its source set to this export
    (the current project must be allowed the export's cluster).
    """

    name = "import"
    verbose_name = _("Import as New Instance...")
    classes = ("btn-default",)
    policy_rules = (("ganeti", "ganeti:export:import"),
                    ("ganeti", "ganeti:instance:create"))

    def get_link_url(self, datum=None):
        return "%s?%s" % (reverse(PROJECT_CREATE), urllib.parse.urlencode(
            {"export": datum.id}))


class ExportsTable(access.PolicyTable, tables.DataTable):
    name = tables.Column("name", verbose_name=_("Export"),
                         classes=("ganeti-export-name",))
    node = tables.Column("node", verbose_name=_("Node"))
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = "exports"
        verbose_name = _("Exports")
        no_data_message = _("No exports. An instance's Export... action "
                            "writes one to a node of its cluster.")
        table_actions = (ExportFilter,)
        row_actions = (ImportLink,)
