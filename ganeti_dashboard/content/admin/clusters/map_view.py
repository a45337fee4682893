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

"""The Map tab of a cluster's detail page, and the JSON it draws.

The tab holds no figure: it renders at once, and its script
(``static/ganeti_dashboard/js/cluster_map.js``) asks :class:`MapView`
when the tab is shown, then one node's instances a page at a time when
the operator expands it. Both answers come from the cluster's snapshots
(``api.cluster_map``). A cluster without a snapshot is an ``error`` in
the JSON, shown in the tab, never an error page.
"""

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import ngettext
from django.views import generic

from horizon import tabs

from ganeti_dashboard.api import cluster_map
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import models
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import snapshot_notes

RULE = access.rules("ganeti:cluster:map")
NODE_DETAIL = "horizon:admin:ganeti_nodes:detail"
INSTANCE_DETAIL = "horizon:admin:ganeti_instances:detail"


def _answer(found, status=200):
    answer = JsonResponse(found, status=status)
    answer["Cache-Control"] = "no-store"
    return answer


def _node_url(cluster, node):
    return reverse(NODE_DETAIL, args=[models.object_id(cluster, node)])


def _instance_url(cluster, name):
    return reverse(INSTANCE_DETAIL, args=[models.object_id(cluster, name)])


def map_json(cluster, found):
    """The map of :class:`cluster_map.Found` ``found``, as the page gets
    it: the built map with each node's URL and role's name, and what the
    page says of its age.
    """
    if found.built is None:
        return {"error": _("Cannot show the map of %(cluster)s: "
                           "%(error)s") % {"cluster": cluster,
                                           "error": found.error}}
    data = dict(found.built.data)
    groups = []
    for group in data["groups"]:
        nodes = []
        for node in group["nodes"]:
            role = models.Node.ROLES.get(node["role"], node["role"] or "-")
            nodes.append(dict(node, url=_node_url(cluster, node["name"]),
                              role_label=str(role)))
        groups.append(dict(group, nodes=nodes))
    data["groups"] = groups
    data["cluster"] = cluster
    totals = data["totals"]
    data["summary"] = _(
        "%(nodes)s, %(instances)s (%(primary)s primary and %(secondary)s "
        "secondary places), %(links)s mirrored between nodes.") % {
            "nodes": ngettext("%(count)s node", "%(count)s nodes",
                              totals["nodes"]) % {"count": totals["nodes"]},
            "instances": ngettext(
                "%(count)s instance", "%(count)s instances",
                totals["instances"]) % {"count": totals["instances"]},
            "primary": totals["primary"], "secondary": totals["secondary"],
            "links": totals["links"]}
    if found.stale_error:
        data["notice"] = _(
            "Shown as it was %(age)s ago: the cluster cannot be queried "
            "now: %(error)s") % {
                "age": snapshot_notes.age_text(found.age),
                "error": found.stale_error}
    return data


def node_json(cluster, found, node, page):
    """One page of ``node``'s instances (None: no such node)."""
    try:
        rows, total, page, pages = cluster_map.node_page(found.built, node,
                                                         page)
    except KeyError:
        return None
    shown = []
    for name, role, status, peers in rows:
        shown.append({
            "name": name, "url": _instance_url(cluster, name),
            "role": role,
            "role_label": _("primary") if role == "primary"
            else _("secondary"),
            "status": status,
            "status_label": str(models.STATUS_LABELS.get(status, status
                                                         or "-")),
            "peers": [{"name": peer, "url": _node_url(cluster, peer)}
                      for peer in peers]})
    return {"cluster": cluster, "node": node, "instances": shown,
            "total": total, "page": page, "pages": pages,
            "page_text": ngettext(
                "Page %(page)s of %(pages)s (%(total)s instance)",
                "Page %(page)s of %(pages)s (%(total)s instances)",
                total) % {"page": page, "pages": pages, "total": total}}


class MapView(access.PolicyView, generic.View):
    """GET: the cluster's map as JSON; with ``?node=N&page=P``, a page of
    node N's instances.
    """

    policy_rules = RULE

    def get(self, request, *args, **kwargs):
        cluster = self.kwargs["cluster"]
        node = request.GET.get("node")
        try:
            page = int(request.GET.get("page") or 1)
        except ValueError:
            page = 1
        try:
            found = cluster_map.cluster_map(cluster)
        except errors.NotFound:
            return _answer({"error": _("No cluster named %s is "
                                       "configured.") % cluster}, 404)
        except (errors.RapiError, loader.ConfigError) as exc:
            found = cluster_map.Found(None, error=exc)
        if node is None or found.built is None:
            return _answer(map_json(cluster, found))
        answer = node_json(cluster, found, node, page)
        if answer is None:
            return _answer({"error": _("No node named %(node)s in "
                                       "%(cluster)s.") % {
                "node": node, "cluster": cluster}}, 404)
        return _answer(answer)


class MapTab(tabs.Tab):
    """Node groups, nodes, DRBD pairs and pressure, drawn in the browser."""

    name = gettext_lazy("Map")
    slug = "map"
    template_name = "admin/ganeti_clusters/_detail_map.html"
    policy_rules = access.rules("ganeti:cluster:get", "ganeti:cluster:map")

    def get_context_data(self, request):
        name = self.tab_group.kwargs["summary"].name
        levels = {"medium": cluster_map.WARN, "high": cluster_map.HIGH}
        # Texts with a percent sign are formatted here: a template's
        # blocktrans and the extraction disagree on how to write it.
        return {
            "map_url": reverse("horizon:admin:ganeti_clusters:map",
                               args=[name]),
            "cluster": name,
            "help": _(
                "Each node with how many primary and secondary instances "
                "it holds; a line joins two nodes that mirror instances' "
                "disks (DRBD), thicker for more. A node's memory and disk "
                "bars show the higher of what is in use now and what its "
                "primary instances were given, coloured from %(medium)s %% "
                "and from %(high)s %%. Click a node's name to open it, or "
                "its instances to list them here.") % levels,
            "legend": [
                ("text-success", _("below %(medium)s %%") % levels),
                ("text-warning", _("from %(medium)s %%") % levels),
                ("text-danger", _("from %(high)s %%") % levels),
                ("text-muted", _("not known"))],
        }
