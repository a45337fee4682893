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

"""Live figures of instances: RAPI's live fields, and their primary node's.

What RAPI tells of a running instance is its state (``status``,
``oper_state``), the memory its hypervisor gives it (``oper_ram``, MiB)
and its virtual CPUs (``oper_vcpus``); nothing of the CPU time a guest
uses (Ganeti 3.0's mond has no KVM collector either: a guest's CPU
history needs Prometheus). The primary node's free memory and CPU load
come from :mod:`monitoring` (RAPI's node fields and the node's mond).

How 20 viewers cost no more RAPI calls than one: the live fields of
**every** instance of a cluster are one snapshot (:mod:`snapshots`, kind
``instance_live``): one ``/2/query/instance`` with :data:`FIELDS`, taken
at most once per ``live_interval`` (or ``refresh_cost_factor`` times as
long as it took, for a large cluster) by one Horizon process for every
viewer, tab, page, worker and host sharing the cache, and only while
somebody looks. Which instance a request may see is decided from the
instances' snapshot too (:func:`instances.last_known` within the
request's scope: its cluster and, for a project, its owner tag), never by
asking RAPI; the node's figures are the nodes' and the ``live``
snapshots. So a poll of a Live tab or of the project overview asks
Ganeti nothing: it reads the cache.
"""

import bisect

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models
from ganeti_dashboard.api import monitoring
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api import texts
from ganeti_dashboard.api.texts import gettext_noop
from ganeti_dashboard.api.texts import Text

# A snapshot row, in this order (sorted by name).
FIELDS = ("name", "status", "oper_state", "oper_ram", "oper_vcpus",
          "be/maxmem", "be/minmem", "be/vcpus", "hypervisor")
(NAME, STATUS, OPER_STATE, OPER_RAM, OPER_VCPUS, MAXMEM, MINMEM, VCPUS,
 HYPERVISOR) = range(len(FIELDS))
# Rows of the project overview's JSON, at most, per request.
PAGE_SIZE = 50


def _fetch(client):
    """Every instance's live fields, as rows sorted by name."""
    return sorted([found.get(field) for field in FIELDS]
                  for found in client.query("instance", FIELDS))


# Paced (refresh_cost_factor): unlike a mond reading, the query costs the
# master, and at thousands of instances it takes seconds.
SNAPSHOT = snapshots.register(snapshots.Kind("instance_live", _fetch,
                                             every="live_interval"))


def _row(rows, name):
    """The row of ``name`` in sorted ``rows``, or None."""
    rows = rows or ()
    index = bisect.bisect_left(rows, name, key=lambda row: row[NAME])
    if index < len(rows) and rows[index][NAME] == name:
        return rows[index]
    return None


def _stale_after(conf, live):
    """Three refreshes late: of ``live_interval``, or of the pace of a
    cluster whose query takes long (``refresh_cost_factor``).
    """
    return 3 * max(conf.live_interval,
                   conf.refresh_cost_factor * (live.took or 0))


def _live_part(instance, row, live, conf):
    """An instance's figures: its live row if there is one, else what
    the instances' snapshot says (state, configured sizes), no live
    figure.
    """
    status = row[STATUS] if row else instance.status
    label = models.STATUS_LABELS.get(status, status)
    return {
        "id": instance.id, "name": instance.name,
        "cluster": instance.cluster, "pnode": instance.pnode,
        "status": status, "status_label": str(label) if label else None,
        "running": bool(row[OPER_STATE]) if row else None,
        "hypervisor": row[HYPERVISOR] if row else None,
        "memory": {"oper_ram": row[OPER_RAM] if row else None,
                   "maxmem": row[MAXMEM] if row else instance.memory,
                   "minmem": row[MINMEM] if row else None},
        "vcpus": {"oper_vcpus": row[OPER_VCPUS] if row else None,
                  "configured": row[VCPUS] if row else instance.vcpus},
        "taken": live.taken,
        "stale": live.taken is None
        or snapshots._now() - live.taken > _stale_after(conf, live),
    }


def _error(snapshot):
    if snapshot.error:
        return str(snapshot.error)
    if not snapshot.available:
        return str(texts.NO_ANSWER_YET)
    return None


def _node_part(cluster, pnode):
    """The primary node's free memory and CPU load, or None."""
    if not pnode:
        return None
    try:
        found = monitoring.node_figures(cluster, pnode)
    except errors.NotFound:
        return None
    node = found["node"]
    cpu = node.get("cpu") or {}
    return {"name": node["name"], "taken": found["nodes_taken"],
            "memory": {"free": node["memory"]["free"],
                       "total": node["memory"]["total"]},
            "cpu": {"percent": cpu.get("percent"),
                    "timestamp": cpu.get("timestamp"),
                    "count": cpu.get("count")} if cpu else None,
            "stale": node["stale"],
            "error": node["error"] or found["error"],
            "notice": found["notice"]}


def _in_scope(scope, cluster, name):
    """The instance as its cluster's snapshot shows it, in ``scope``:
    NotFound outside it, a RapiError when the snapshot cannot say.
    """
    if not scope.has_cluster(cluster):
        raise errors.NotFound(None, cluster)
    instance = instance_api.last_known(scope, cluster, name)
    if instance is not None:
        return instance
    listed = snapshots.read([clusters.settings().cluster(cluster)],
                            instance_api.SNAPSHOT.name)[cluster]
    if not listed.available:
        # Nothing says whether it is the user's: no figure.
        raise errors.RapiError(Text(gettext_noop(
            "its cluster has not listed its instances yet: %(error)s"),
            {"error": listed.error or texts.NO_ANSWER_YET}), cluster)
    raise errors.NotFound(None, cluster)


def known(scope, obj_id):
    """``(instance, hypervisor)`` of an instance in ``scope``, from the
    snapshots (NotFound outside it), asking RAPI nothing; the hypervisor
    is None while the live snapshot does not list the instance.
    """
    cluster, name = models.split_id(obj_id)
    instance = _in_scope(scope, cluster, name)
    live = snapshots.read([clusters.settings().cluster(cluster)],
                          SNAPSHOT.name)[cluster]
    row = _row(live.data, name)
    return instance, row[HYPERVISOR] if row else None


def instance_figures(scope, obj_id):
    """``{"cluster", "interval", "error", "instance": figures, "node":
    the primary node's}`` of one instance in ``scope`` (NotFound
    outside it).
    """
    cluster, name = models.split_id(obj_id)
    instance = _in_scope(scope, cluster, name)
    conf = clusters.settings()
    live = snapshots.read([conf.cluster(cluster)], SNAPSHOT.name)[cluster]
    row = _row(live.data, name)
    found = {"cluster": cluster, "interval": conf.live_interval,
             "error": _error(live),
             "instance": _live_part(instance, row, live, conf),
             "node": _node_part(cluster, instance.pnode)}
    if live.available and row is None and not found["error"]:
        found["error"] = str(Text(gettext_noop(
            "the cluster does not list this instance (yet)")))
    return found


def project_figures(scope, page=1, size=PAGE_SIZE):
    """The live figures of the instances of ``scope`` (a project's),
    ``size`` at most, page ``page`` (from 1): ``{"instances", "total",
    "page", "pages", "errors": {cluster: why}}``. Only the clusters that
    have an instance on the page are read.
    """
    conf = clusters.settings()
    listed = instance_api.listing(scope)
    total = len(listed.rows)
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)
    rows = listed.rows[(page - 1) * size:page * size]
    instances = listed.instances(rows)
    wanted = sorted({instance.cluster for instance in instances})
    lives = snapshots.read([conf.cluster(name) for name in wanted],
                           SNAPSHOT.name)
    problems = {name: str(why) for name, why in
                instance_api.unavailable(listed.snapshots).items()}
    for name, live in lives.items():
        why = _error(live)
        if why and name not in problems:
            problems[name] = why
    return {"interval": conf.live_interval, "total": total, "page": page,
            "pages": pages, "size": size,
            "instances": [_live_part(instance,
                                     _row(lives[instance.cluster].data,
                                          instance.name),
                                     lives[instance.cluster], conf)
                          for instance in instances],
            "errors": problems}
