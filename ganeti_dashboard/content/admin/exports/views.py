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

"""Admin > Ganeti > Exports: every cluster's exports, by node."""

from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import backups
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.exports import tables as export_tables
from ganeti_dashboard.content import object_views


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = access.rules("ganeti:export:list")
    table_class = export_tables.ExportsTable
    page_title = _("Ganeti Exports")

    def get_data(self):
        return object_views.list_all(self.request, backups,
                                     say=_say_silent_nodes)


def _say_silent_nodes(request, silent):
    for cluster, nodes in sorted(silent.items()):
        messages.warning(request, _(
            "Cluster %(cluster)s: nodes %(nodes)s did not list their "
            "exports.") % {"cluster": cluster, "nodes": ", ".join(nodes)})
