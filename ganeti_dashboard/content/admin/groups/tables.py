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

"""The node groups table: one row per group of every cluster, and its
actions. Each action opens a modal form that starts a Ganeti job; an
action that cannot apply (a group with nodes cannot be deleted, a
read-only cluster takes no action) stays in the menu, disabled, and says
why.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import groups as group_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.groups import forms as group_forms
from ganeti_dashboard.content.instances import tables as instance_tables
from ganeti_dashboard.content import object_tables

NAMESPACE = "horizon:admin:ganeti_groups"


def _link(action, label, danger=False):
    """Disabled, with the reason, where :meth:`api.groups.Group.cannot`
    says so.
    """
    return object_tables.form_link(object_tables.CannotLink,
                                   group_forms.FORMS, action, label, danger)


RenameLink = _link("rename", _("Rename..."))
ModifyLink = _link("modify", _("Modify..."))
AssignNodesLink = _link("assign_nodes", _("Assign Nodes..."))
EvacuateLink = _link("evacuate", _("Evacuate..."))
AddTagLink = _link("add_tag", _("Add Tag..."))
RemoveTagLink = _link("remove_tag", _("Remove Tag..."))
DeleteLink = _link("delete", _("Delete Group..."), danger=True)
CreateLink = object_tables.create_link(NAMESPACE, _("Create Group"),
                                       "ganeti:group:create")


class GroupFilter(tables.FilterAction):
    """Filters the rows shown, in the browser: a few groups per cluster."""

    filter_type = "query"


def _nodes(group):
    return ", ".join(group.node_list) or "-"


class GroupsTable(access.PolicyTable, instance_tables.PanelUrls,
                  object_tables.ObjectRows, tables.DataTable):
    name = tables.WrappingColumn("name", verbose_name=_("Name"))
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    state = object_tables.state_column(("ganeti-group-state",))
    node_cnt = tables.Column("node_cnt", verbose_name=_("Nodes"),
                             classes=("ganeti-group-nodes",))
    node_list = tables.Column(_nodes, verbose_name=_("Node names"))
    instances = tables.Column("instance_count",
                              verbose_name=_("Instances"),
                              classes=("ganeti-group-instances",))
    alloc_policy = tables.Column("alloc_policy_label",
                                 verbose_name=_("Allocation policy"),
                                 classes=("ganeti-group-alloc",))
    ipolicy = tables.Column("ipolicy_summary",
                            verbose_name=_("Instance policy"))
    diskparams = tables.Column("diskparams_summary",
                               verbose_name=_("Disk parameters"))
    tags = tables.Column(object_tables.tags_text, verbose_name=_("Tags"),
                         classes=("ganeti-group-tags",))

    url_namespace = NAMESPACE

    class Meta(object):
        name = "groups"
        verbose_name = _("Node Groups")
        no_data_message = _("No node groups to show: no cluster is "
                            "configured, or none has answered yet (see "
                            "the messages above).")
        status_columns = ["state"]
        row_class = object_tables.tracked_row(group_api, group_api.Group)
        table_actions = (GroupFilter, CreateLink)
        row_actions = (RenameLink, ModifyLink, AssignNodesLink,
                       EvacuateLink, AddTagLink, RemoveTagLink, DeleteLink)


def filter_groups(found, field, value):
    if not value:
        return found
    return [g for g in found if str(getattr(g, field, "")) == value]


def index_url(cluster=None):
    """The panel's list, of one cluster's groups if ``cluster``."""
    url = reverse(NAMESPACE + ":index")
    return "%s?cluster=%s" % (url, cluster) if cluster else url
