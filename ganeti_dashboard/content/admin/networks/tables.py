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

"""The networks table: one row per network of every cluster, and its
actions. Each action opens a modal form that starts a Ganeti job; an
action that cannot apply (a connected network cannot be deleted, a
read-only cluster takes no action) stays in the menu, disabled, and says
why.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import networks as network_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.networks import forms as network_forms
from ganeti_dashboard.content.instances import tables as instance_tables
from ganeti_dashboard.content import object_tables

NAMESPACE = "horizon:admin:ganeti_networks"


def _link(action, label, danger=False):
    """Disabled, with the reason, where :meth:`api.networks.Network.cannot`
    says so.
    """
    return object_tables.form_link(object_tables.CannotLink,
                                   network_forms.FORMS, action, label, danger)


ModifyLink = _link("modify", _("Modify..."))
ConnectLink = _link("connect", _("Connect to Group..."))
DisconnectLink = _link("disconnect", _("Disconnect from Group..."))
AddTagLink = _link("add_tag", _("Add Tag..."))
RemoveTagLink = _link("remove_tag", _("Remove Tag..."))
DeleteLink = _link("delete", _("Delete Network..."), danger=True)
CreateLink = object_tables.create_link(NAMESPACE, _("Create Network"),
                                       "ganeti:network:create")


class NetworkFilter(tables.FilterAction):
    """Filters the rows shown, in the browser: a few networks per
    cluster.
    """

    filter_type = "query"


def _detail_link(network):
    return reverse(NAMESPACE + ":detail", args=[network.id])


def _addresses(network):
    return _("%(free)d free, %(reserved)d reserved of %(total)d") % {
        "free": network.free_count, "reserved": network.reserved_count,
        "total": network.total}


class NetworksTable(access.PolicyTable, instance_tables.PanelUrls,
                    object_tables.ObjectRows, tables.DataTable):
    name = tables.WrappingColumn("name", verbose_name=_("Name"),
                                 link=_detail_link)
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    state = object_tables.state_column(("ganeti-network-state",))
    subnet = tables.Column("subnet", verbose_name=_("Subnet"),
                           classes=("ganeti-network-subnet",))
    gateway = tables.Column(lambda n: n.gateway or "-",
                            verbose_name=_("Gateway"),
                            classes=("ganeti-network-gateway",))
    addresses = tables.Column(_addresses, verbose_name=_("Addresses"),
                              classes=("ganeti-network-addresses",))
    groups = tables.Column("connections_summary",
                           verbose_name=_("Groups (mode, link)"),
                           classes=("ganeti-network-groups",))
    tags = tables.Column(object_tables.tags_text, verbose_name=_("Tags"),
                         classes=("ganeti-network-tags",))

    url_namespace = NAMESPACE

    class Meta(object):
        name = "networks"
        verbose_name = _("Networks")
        no_data_message = _("No networks to show: no cluster has one, or "
                            "none has answered yet (see the messages "
                            "above).")
        status_columns = ["state"]
        row_class = object_tables.tracked_row(network_api, network_api.Network)
        table_actions = (NetworkFilter, CreateLink)
        row_actions = (ModifyLink, ConnectLink, DisconnectLink, AddTagLink,
                       RemoveTagLink, DeleteLink)
