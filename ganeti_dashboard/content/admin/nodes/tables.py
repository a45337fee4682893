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

"""The nodes table: one row per node of every cluster, and its actions.

Each action opens a modal form (the confirmation) that starts one Ganeti
job. An action that cannot apply to a node stays in the menu, disabled, and
says why (e.g. migrate on a one-node cluster).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.nodes import forms as node_forms
from ganeti_dashboard.content.instances import tables as instance_tables
from ganeti_dashboard.content import object_tables
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import sorting

NAMESPACE = "horizon:admin:ganeti_nodes"


class NodeActionLink(object_tables.CannotLink):
    """A modal-form action; disabled, with the reason, where it can't apply
    (:meth:`api.nodes.Node.cannot`, which the server applies too), and
    while the node has a job of ours in flight.
    """

    def allowed(self, request, node=None):
        return node is None or node.settled


def _link(action, label, danger=False):
    return object_tables.form_link(NodeActionLink, node_forms.FORMS, action,
                                   label, danger)


SetRoleLink = _link("set_role", _("Set Role..."))
EvacuateLink = _link("evacuate", _("Evacuate..."))
MigrateLink = _link("migrate", _("Migrate All Primaries..."))
ModifyLink = _link("modify", _("Modify..."))
TagsLink = _link("tags", _("Tags..."))
PowercycleLink = _link("powercycle", _("Power-cycle..."), danger=True)


class NodeFilter(tables.FilterAction):
    """Applied on the server, over every cluster's nodes, before paging:
    several clusters of a few hundred nodes make pages.
    """

    filter_type = "server"
    filter_choices = (
        ("name", _("Name ="), True),
        ("cluster", _("Cluster ="), True),
        ("group", _("Node group ="), True),
        ("role", _("Role ="), True),
    )


def filter_nodes(found, field, value):
    """The nodes whose ``field`` holds ``value`` (case-insensitive)."""
    return paging.search(found, NodeFilter, field, value)


# Rows of nodes with jobs of ours in flight poll until they end.
UpdateRow = object_tables.tracked_row(node_api, node_api.Node)


def _detail_link(node):
    return reverse(NAMESPACE + ":detail", args=[node.id])


def _status(node):
    return node.status_label


def _size(total_field, free_field):
    """"free / total" in GiB; RAPI gives MiB, and None for an offline node."""
    def get(node):
        total, free = getattr(node, total_field), getattr(node, free_field)
        if total is None:
            return "-"
        return "%s / %.1f GiB" % ("-" if free is None else
                                  "%.1f" % (free / 1024.0), total / 1024.0)
    return get


def _count(field):
    def get(node):
        return getattr(node, field)
    return get


# Roles by rank: the master first, offline nodes last.
_ROLE_RANK = {code: rank for rank, code in enumerate("MCRDO")}

# The sortable columns, and their keys (paging.PagedTable.sort_keys).
SORT_KEYS = {
    "name": lambda node: sorting.text(node.name),
    "cluster": lambda node: sorting.text(node.cluster),
    "group": lambda node: sorting.text(node.group),
    "role": lambda node: _ROLE_RANK.get(node.role_code, len(_ROLE_RANK)),
}


class NodesTable(access.PolicyTable, instance_tables.PanelUrls,
                 paging.PagedTable, object_tables.ObjectRows,
                 tables.DataTable):
    STATUS_CHOICES = (("online", True), ("drained", True),
                      ("offline", False))

    name = tables.WrappingColumn("name", verbose_name=_("Name"),
                                 link=_detail_link)
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    group = tables.Column("group", verbose_name=_("Node group"))
    role = tables.Column("role", verbose_name=_("Role"),
                         classes=("ganeti-node-role",))
    status = tables.Column(_status, verbose_name=_("State"), status=True,
                           status_choices=STATUS_CHOICES,
                           display_choices=tuple(node_api.STATES.items()),
                           classes=("ganeti-node-state",))
    memory = tables.Column(_size("mtotal", "mfree"),
                           verbose_name=_("Memory free / total"))
    disk = tables.Column(_size("dtotal", "dfree"),
                         verbose_name=_("Disk free / total"))
    cpus = tables.Column("cpus", verbose_name=_("CPUs"))
    primary = tables.Column(_count("pinst_cnt"),
                            verbose_name=_("Primary instances"),
                            classes=("ganeti-node-primaries",))
    secondary = tables.Column(_count("sinst_cnt"),
                              verbose_name=_("Secondary instances"))

    url_namespace = NAMESPACE
    order = paging.ORDER_BY_CLUSTER_AND_NAME  # api.nodes.list_all's
    sort_keys = SORT_KEYS

    class Meta(object):
        name = "nodes"
        verbose_name = _("Nodes")
        no_data_message = _("No nodes to show: no cluster is configured, "
                            "or none has answered yet (see the messages "
                            "above). Clusters are configured in "
                            "ganeti-dashboard.conf.")
        status_columns = ["status"]
        row_class = UpdateRow
        table_actions = (NodeFilter,)
        row_actions = (SetRoleLink, ModifyLink, TagsLink, EvacuateLink,
                       MigrateLink, PowercycleLink)
        template = paging.TEMPLATE
        footer = False  # the paged template writes the count and links
        pagination_param = paging.PAGE_PARAM
