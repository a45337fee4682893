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

"""The History tabs (a node's, a KVM instance's) and the JSON their graphs
read: series from Prometheus (``[metrics]``, :mod:`api.prometheus`) over
the last hour, day, week, month or year.

Built on the Live tabs (:mod:`content.live`): the tab renders at once
without a figure, and its script (``static/ganeti_dashboard/js/
history.js``) asks the JSON endpoint for the chosen range, again every
step while the tab is open. Prometheus down, slow or erroring is in the
JSON (each graph's ``error``, and the first as ``error``), never an error
page; without a ``prometheus_url`` the tab says that only live figures
are shown and asks nothing.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import prometheus
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import live

INSTANCE_RULE = access.rules("ganeti:instance:metrics")


class HistoryView(live.LiveView):
    """GET ``?range=hour|day|week|month|year``: the graphs as JSON
    (:func:`api.prometheus.graphs`); ``graph_scope`` (node or instance)
    and :meth:`names` say whose.
    """

    graph_scope = "node"

    def names(self):
        """``(cluster, {placeholder: name})`` of the object shown."""
        raise NotImplementedError

    def figures(self):
        wanted = self.request.GET.get("range", "hour")
        if wanted not in prometheus.RANGES:
            wanted = "hour"
        cluster, names = self.names()
        if loader.load().cluster(cluster) is None:
            raise errors.NotFound("not found")
        notice = self.notice()
        if notice:
            return {"configured": loader.load().metrics.enabled,
                    "range": wanted, "graphs": {}, "error": None,
                    "notice": notice}
        return prometheus.graphs(self.graph_scope, cluster, range_name=wanted,
                                 **names)

    def notice(self):
        """Why the object has no series (nothing asked then), or None."""
        return None


def hypervisor_of(instance):
    """``kvm``, ``fake``, another name, or None when not known, of an
    instance read by ``GET /2/instances/<name>``: that answer has no
    hypervisor field (``/2/query/instance`` has one: the live snapshot's),
    its hvparams tell (kvm's have ``kvm_path``; the fake hypervisor has
    none at all), as for hotplugging (``api.preconditions``).
    """
    data = instance.data or {}
    hvparams = data.get("hvparams") or {}
    if "kvm_path" in hvparams:
        return "kvm"
    if data.get("hypervisor"):
        return data["hypervisor"]
    return "fake" if not hvparams else None


def unsupported(hypervisor):
    """Why an instance on ``hypervisor`` has no history of its own, or
    None (KVM).
    """
    if hypervisor == "kvm":
        return None
    if hypervisor == "fake":
        return _("This instance runs on Ganeti's fake hypervisor, which "
                 "starts no process for it: there is no CPU or memory of "
                 "its own to measure, so it has no history. The node's "
                 "History tab shows the node's.")
    if hypervisor:
        return _("Only KVM instances have a history here: their QEMU "
                 "process is measured by a process exporter. This instance "
                 "runs on the %s hypervisor.") % hypervisor
    return _("Only KVM instances have a history here: their QEMU process "
             "is measured by a process exporter. This instance does not "
             "run on KVM.")


class HistoryTab(live.LiveTab):
    """Graphs of the object's history; ``url()`` is its JSON endpoint."""

    name = gettext_lazy("History")
    slug = "history"
    template_name = "ganeti_dashboard/_history.html"
    # (graph, its title, its unit: percent, bytes or rate) in page order.
    graphs = ()

    def get_context_data(self, request):
        metrics = loader.load().metrics
        return {"history_url": self.url(), "configured": metrics.enabled,
                "ranges": [(name, prometheus.RANGES[name][1])
                           for name in prometheus.RANGE_ORDER],
                "graphs": self.graphs, "scope": self.scope,
                "max_points": prometheus.MAX_POINTS}


NODE_GRAPHS = (
    ("cpu", gettext_lazy("CPU busy"), "percent"),
    ("memory", gettext_lazy("Memory used"), "bytes"),
    ("disk", gettext_lazy("Disk I/O (read and written)"), "rate"),
    ("network", gettext_lazy("Network (received and sent)"), "rate"),
)
INSTANCE_GRAPHS = (
    ("cpu", gettext_lazy("CPU (percent of one CPU)"), "percent"),
    ("memory", gettext_lazy("Resident memory"), "bytes"),
)
