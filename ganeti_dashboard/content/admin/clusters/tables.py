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

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import preconditions
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


class ClusterLink(tables.LinkAction):
    """A modal form on the cluster; disabled, with the reason, where the
    dashboard may not change the cluster (``api.preconditions``).
    """

    classes = ("ajax-modal",)
    url_name = None

    def get_link_url(self, datum=None):
        if getattr(self, "refused", None):
            return "#"
        return reverse("horizon:admin:ganeti_clusters:" + self.url_name,
                       args=[datum.name])

    def allowed(self, request, summary=None):
        return summary is None or summary.info is not None

    def update(self, request, datum):
        self.refused = preconditions.cluster_refusal(datum.config)
        if self.refused:
            self.classes = tuple(c for c in self.classes
                                 if c != "ajax-modal") + ("disabled",)
            self.attrs["title"] = str(self.refused)
            self.attrs["aria-disabled"] = "true"
            self.verbose_name = format_html(
                '{}<span class="ganeti-action-reason"> ({})</span>',
                type(self).verbose_name, self.refused)


class EditSettings(ClusterLink):
    name = "edit_settings"
    url_name = "settings"
    verbose_name = _("Edit Settings")
    policy_rules = access.rules("ganeti:cluster:modify")


class RedistributeConfig(ClusterLink):
    name = "redistribute_config"
    url_name = "redistribute"
    verbose_name = _("Redistribute Config")
    policy_rules = access.rules("ganeti:cluster:redistribute_config")


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
        row_actions = (EditSettings, RedistributeConfig)
