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

"""A cluster's map: its node groups, its nodes with how many primary and
secondary instances each holds, the DRBD pairs between nodes, and each
node's memory and disk pressure; and, on demand, one node's instances a
page at a time.

Built from the cluster's node and instance snapshots (:mod:`snapshots`):
no RAPI call, whoever looks. What a page gets stays small at any number
of instances: the map has one entry per node and one per pair of nodes
that DRBD instances link (with their count), never one per instance; a
node's instances come :data:`PAGE` at a time. What is built is kept per
process while the same snapshots are current (:func:`_built`), so a
repeated view only cuts a page.
"""

import collections
import dataclasses

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api import texts

# A node's instances, at most this many per answer.
PAGE = 50
# Pressure levels, by the percentage used: below WARN "low", below HIGH
# "medium", else "high"; "unknown" where the node does not say.
WARN, HIGH = 70, 90
STATUS = instance_api.FIELDS.index("status")
DISK_TEMPLATE = instance_api.FIELDS.index("disk_template")
SNODES = instance_api.FIELDS.index("snodes")


def level(pct):
    if pct is None:
        return "unknown"
    if pct >= HIGH:
        return "high"
    if pct >= WARN:
        return "medium"
    return "low"


def _pct(part, total):
    if not total or part is None:
        return None
    return max(0, min(100, int(round(100.0 * part / total))))


def _pressure(total, free, allocated):
    """``{"used", "allocated", "total", "level"}`` of one resource: the
    percentage in use now (RAPI's live free figure) and the percentage
    given to the node's primary instances; the level is that of the
    higher of the two (either one can keep an instance off the node).
    """
    used = None if free is None else _pct((total or 0) - free, total)
    given = _pct(allocated, total)
    worst = max((p for p in (used, given) if p is not None), default=None)
    return {"used": used, "allocated": given, "total": total,
            "level": level(worst)}


def _running(status):
    return status in models.RUNNING


@dataclasses.dataclass
class Built:
    """One cluster's map (``data``, without URLs) and each node's
    instances (``per_node``: name -> ``[(instance, role, status,
    peers)]``, primaries first, then by name).
    """

    data: dict
    per_node: dict


def build(node_data, instance_rows):
    """The :class:`Built` map of a cluster from its snapshots' data: the
    nodes snapshot's ``(nodes, group names)`` and the instance rows.
    """
    listed, group_names = node_data
    known = {n["name"] for n in listed}
    per_node = {name: [] for name in known}
    counts = {name: collections.Counter() for name in known}
    links = collections.Counter()
    memory = collections.Counter()
    disk = collections.Counter()
    for row in instance_rows:
        name, status, pnode = row[0], row[STATUS], row[instance_api.PNODE]
        snodes = [s for s in row[SNODES] or () if s]
        if pnode in known:
            per_node[pnode].append((name, "primary", status, snodes))
            count = counts[pnode]
            count["primary"] += 1
            count["running" if _running(status) else "stopped"] += 1
            memory[pnode] += row[instance_api.MAXMEM] or 0
            disk[pnode] += row[instance_api.DISK_USAGE] or 0
        for snode in snodes:
            if snode in known:
                per_node[snode].append((name, "secondary", status,
                                        [pnode] if pnode else []))
                counts[snode]["secondary"] += 1
            if pnode and snode != pnode:
                links[tuple(sorted((pnode, snode)))] += 1
    for found in per_node.values():
        found.sort(key=lambda item: (item[1] != "primary", item[0]))
    groups = collections.defaultdict(list)
    for node in sorted(listed, key=lambda n: n["name"]):
        uuid = node.get("group.uuid")
        groups[group_names.get(uuid, uuid) or "-"].append(node)
    order, shown_groups = [], []
    for group in sorted(groups):
        members = []
        for node in groups[group]:
            name = node["name"]
            count = counts[name]
            members.append({
                "name": name,
                "role": node.get("role"),
                "offline": bool(node.get("offline")),
                "drained": bool(node.get("drained")),
                "primary": count["primary"],
                "secondary": count["secondary"],
                "running": count["running"],
                "stopped": count["stopped"],
                "memory": _pressure(node.get("mtotal"), node.get("mfree"),
                                    memory[name]),
                "disk": _pressure(node.get("dtotal"), node.get("dfree"),
                                  disk[name]),
            })
            order.append(name)
        shown_groups.append({"name": group, "nodes": members})
    index = {name: i for i, name in enumerate(order)}
    return Built({
        "groups": shown_groups,
        # [a, b, count]: indexes of two nodes in the groups' order, and
        # how many instances have their disks mirrored between them.
        "links": [[index[a], index[b], n]
                  for (a, b), n in sorted(links.items())
                  if a in index and b in index],
        "totals": {"nodes": len(order), "instances": len(instance_rows),
                   "primary": sum(c["primary"] for c in counts.values()),
                   "secondary": sum(c["secondary"]
                                    for c in counts.values()),
                   "links": sum(links.values())},
        "levels": {"medium": WARN, "high": HIGH},
    }, per_node)


# -- per process: the built map of the current snapshots ------------------

KEPT = snapshots.Derived(size=16)  # cluster -> its Built map


def _built(cluster, nodes, found):
    return KEPT.get(cluster, (nodes.generation, found.generation),
                    lambda: build(nodes.data, found.data))


def forget():
    """Drop what this process built (tests, benchmarks)."""
    KEPT.clear()


@dataclasses.dataclass
class Found:
    """What the map of a cluster shows: ``built`` (None when a snapshot
    has no data: ``error`` says why), the age of the older snapshot and
    the failure of its last refresh, if any (it is then shown as it was).
    """

    built: Built | None
    error: object = None
    age: float | None = None
    stale_error: object = None


def cluster_map(cluster):
    """The :class:`Found` map of ``cluster`` (NotFound: not configured)."""
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound(texts.not_configured(cluster))
    # Read side by side: a page waits for a due refresh once.
    nodes, found = (read[cluster] for read in cluster_state._read_at_once(
        [config], (node_api.SNAPSHOT, instance_api.SNAPSHOT)))
    for snapshot in (nodes, found):
        if not snapshot.available:
            return Found(None, error=snapshot.error or texts.NO_ANSWER_YET)
    return Found(_built(cluster, nodes, found),
                 age=max(nodes.age, found.age),
                 stale_error=nodes.error or found.error)


def node_page(built, node, page=1, size=PAGE):
    """``(rows, total, page, pages)`` of ``node``'s instances: rows of
    ``(instance, role, status, peers)``, the ``page``-th ``size`` of them
    (clamped to the pages there are). KeyError for a node not in the map.
    """
    rows = built.per_node[node]
    pages = max(1, -(-len(rows) // size))
    page = min(max(1, page), pages)
    return rows[(page - 1) * size:page * size], len(rows), page, pages
