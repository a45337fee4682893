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

from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.content import access


def _info(field):
    def get(summary):
        return (summary.info or {}).get(field) or "-"
    return get


def _hypervisors(summary):
    return ", ".join((summary.info or {}).get("enabled_hypervisors") or []) \
        or "-"


def _count(field):
    def get(summary):
        value = getattr(summary, field)
        return "-" if value is None else value
    return get


def _status(summary):
    return _("reachable") if summary.reachable else str(summary.error)


class ClustersTable(access.PolicyTable, tables.DataTable):
    name = tables.WrappingColumn(
        "name", verbose_name=_("Name"),
        link="horizon:admin:ganeti_clusters:detail")
    version = tables.Column(_info("software_version"),
                            verbose_name=_("Ganeti version"))
    master = tables.Column(_info("master"), verbose_name=_("Master node"))
    hypervisors = tables.Column(_hypervisors,
                                verbose_name=_("Enabled hypervisors"))
    nodes = tables.Column(_count("node_count"), verbose_name=_("Nodes"))
    instances = tables.Column(_count("instance_count"),
                              verbose_name=_("Instances"))
    status = tables.Column(
        _status, verbose_name=_("Status"), status=True,
        status_choices=((_("reachable"), True),),
        classes=("ganeti-cluster-status",))

    def get_object_id(self, datum):
        return datum.name

    def get_object_display(self, datum):
        return datum.name

    class Meta(object):
        name = "clusters"
        verbose_name = _("Clusters")
        no_data_message = _("No Ganeti cluster is configured: add a "
                            "[cluster:<name>] section to "
                            "ganeti-dashboard.conf (see the configuration "
                            "guide) and restart Horizon.")
        status_columns = ["status"]
