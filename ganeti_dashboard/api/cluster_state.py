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

"""What a cluster is and holds, for the Clusters panel and the create
workflow: its ``/2/info``, its operating systems, and totals over its
nodes and instances, all from snapshots (see :mod:`snapshots`), so that no
page waits for a cluster while one of it exists.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import networks as network_api
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api import texts
from ganeti_dashboard.conf import loader

INFO = snapshots.register(snapshots.Kind(
    "info", lambda client: client.info()))
# /2/os runs a Ganeti job (OS diagnose) each time: asked rarely.
SYSTEMS = snapshots.register(snapshots.Kind(
    "os", lambda client: sorted(client.operating_systems()),
    interval=300))


@dataclasses.dataclass
class ClusterSummary:
    """What the Clusters table shows of one cluster."""

    name: str
    config: loader.ClusterConfig
    info: dict | None = None
    node_count: int | None = None
    instance_count: int | None = None
    error: str | None = None
    age: float | None = None
    # The snapshot of its info: what the page says of its age and failure.
    snapshot: snapshots.Snapshot | None = None

    @property
    def id(self):
        return self.name

    @property
    def reachable(self):
        return self.error is None


def cluster_summaries(names=None):
    """A :class:`ClusterSummary` per configured cluster (or of ``names``).

    ``error`` is the cause when the cluster's info cannot be shown, or
    when its last refresh failed (the figures are then the last known).
    """
    chosen = clusters.settings().clusters_named(names)
    infos, nodes, found = _read_at_once(
        chosen, (INFO, node_api.SNAPSHOT, instance_api.SNAPSHOT))
    summaries = []
    for cluster in chosen:
        summary = ClusterSummary(cluster.name, cluster)
        info = infos[cluster.name]
        summary.info, summary.age = info.data, info.age
        summary.snapshot = info
        summary.error = info.error if info.error or not info.available \
            else None
        if not info.available and summary.error is None:
            summary.error = texts.NO_ANSWER_YET
        if nodes[cluster.name].available:
            summary.node_count = len(nodes[cluster.name].data[0])
        if found[cluster.name].available:
            summary.instance_count = len(found[cluster.name].data)
        summaries.append(summary)
    return summaries


def _read_at_once(chosen, kinds):
    """``{cluster: Snapshot}`` of each of ``kinds`` for the clusters
    ``chosen``, the kinds read side by side: a page waits for the
    refreshes of a cluster that has not answered yet (``snapshot_wait``)
    once, not once per kind.
    """
    pool = clusters._shared_pool()
    later = [pool.submit(snapshots.read, chosen, kind.name)
             for kind in kinds[1:]]
    return [snapshots.read(chosen, kinds[0].name)] + [
        future.result() for future in later]


def operating_systems(cluster):
    """The OS names (with variants) a cluster offers, from its snapshot.
    Raises :class:`errors.RapiError` when there is none.
    """
    return _data(cluster, SYSTEMS)


def info(cluster):
    """A cluster's ``/2/info``, from its snapshot (or RapiError)."""
    return _data(cluster, INFO)


def usable_nodes_by_group(cluster):
    """``[(group name, [node names])]`` of the nodes an instance can be put
    on now (not offline, not drained, VM-capable), by name, from the
    snapshot (or RapiError).
    """
    listed, group_names = _data(cluster, node_api.SNAPSHOT)
    grouped = {}
    for node in listed:
        if _usable(node):
            uuid = node.get("group.uuid")
            grouped.setdefault(group_names.get(uuid, uuid) or "",
                               []).append(node["name"])
    return sorted((group, sorted(names)) for group, names in grouped.items())


def _data(cluster, kind):
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound(texts.not_configured(cluster))
    return _available(snapshots.read([config], kind.name)[cluster])


def _available(snapshot):
    """The snapshot's data, or why there is none (RapiError)."""
    if not snapshot.available:
        raise errors.Unreachable(snapshot.error or texts.NO_ANSWER_YET,
                                 snapshot.cluster)
    return snapshot.data


# The networks' snapshot is api.networks' (the Networks panel's list),
# refreshed at most once a minute.
NETWORKS = network_api.SNAPSHOT

# The snapshots a create form's options come from; the networks are
# optional (a cluster without them, or whose RAPI user may not list them,
# still offers its default link).
OPTION_KINDS = (INFO, SYSTEMS, node_api.SNAPSHOT, NETWORKS)


def create_options(cluster):
    """What a create form offers on a cluster (see :func:`_options`), from
    the cluster's snapshots (RapiError when one of them has nothing yet).
    """
    if clusters.settings().cluster(cluster) is None:
        raise errors.NotFound(texts.not_configured(cluster))
    found, failed = create_options_of([cluster])
    if cluster in failed:
        raise failed[cluster]
    return found[cluster]


def create_options_of(names):
    """:func:`create_options` of the clusters ``names``, their snapshots
    read at once: ``({cluster: options}, {cluster: RapiError})``.
    """
    chosen = clusters.settings().clusters_named(names)
    infos, systems, nodes, networks = _read_at_once(chosen, OPTION_KINDS)
    found, failed = {}, {}
    for config in chosen:
        name = config.name
        try:
            listed, groups = _available(nodes[name])
            found[name] = _options(_available(infos[name]),
                                   _available(systems[name]), listed,
                                   groups, networks[name].data or [])
        except errors.RapiError as exc:
            failed[name] = exc
    return found, failed


# The instance policy's specs the create form checks, as Ganeti names them.
SPECS = ("memory-size", "cpu-count", "disk-size", "disk-count", "nic-count")


def _bounds(ipolicy):
    """``(pairs, low, high, std)`` of an instance policy: its min/max
    pairs (an instance must fit one of them whole), and per spec the
    lowest minimum, highest maximum and standard value over them.
    """
    pairs = [{"min": p.get("min") or {}, "max": p.get("max") or {}}
             for p in ipolicy.get("minmax") or []]
    low, high = {}, {}
    for spec in SPECS:
        mins = [p["min"][spec] for p in pairs if spec in p["min"]]
        maxes = [p["max"][spec] for p in pairs if spec in p["max"]]
        if mins:
            low[spec] = min(mins)
        if maxes:
            high[spec] = max(maxes)
    std = {k: v for k, v in (ipolicy.get("std") or {}).items()
           if k in SPECS}
    return pairs, low, high, std


def _usable(node):
    """A node an instance can be placed on now."""
    return node.get("vm_capable", True) and not node.get("offline") \
        and not node.get("drained")


def _options(found, systems, listed, group_names, networks):
    """What a create form offers on one cluster: its OSes (with variants),
    hypervisors (the default first), disk templates its policy allows,
    node groups, usable nodes (and each one's group), networks, links,
    NIC defaults, the instance policy's bounds and default iallocator.
    """
    ipolicy = found.get("ipolicy") or {}
    pairs, low, high, std = _bounds(ipolicy)
    hypervisors = list(found.get("enabled_hypervisors") or [])
    default_hv = found.get("default_hypervisor") or \
        (hypervisors[0] if hypervisors else None)
    if default_hv in hypervisors:
        hypervisors.remove(default_hv)
        hypervisors.insert(0, default_hv)
    nicparams = (found.get("nicparams") or {}).get("default") or {}
    usable = sorted((d for d in listed if _usable(d)),
                    key=lambda d: d["name"])
    node_groups = {d["name"]: group_names.get(d.get("group.uuid"),
                                              d.get("group.uuid"))
                   for d in usable}
    links = {c[2] for n in networks for c in n["groups"]
             if len(c) > 2 and c[2]}
    if nicparams.get("link"):
        links.add(nicparams["link"])
    return {
        "os": systems,
        "hypervisors": hypervisors,
        "default_hypervisor": default_hv,
        "disk_templates": [t for t in found.get("enabled_disk_templates")
                           or [] if t in (ipolicy.get("disk-templates")
                                          or [t])],
        "groups": sorted(set(group_names.values())),
        "nodes": [d["name"] for d in usable],
        "node_groups": node_groups,
        # Only networks a group connects: an instance's NIC on another
        # one fails in Ganeti's job.
        "network_names": sorted(n["name"] for n in networks
                                if n["name"] and n.get("groups")),
        "network_groups": {n["name"]: sorted(c[0] for c in n["groups"])
                           for n in networks
                           if n["name"] and n.get("groups")},
        "links": sorted(links),
        "nic_mode": nicparams.get("mode"),
        "nic_link": nicparams.get("link"),
        "minmax": pairs,
        "min": low,
        "max": high,
        "std": std,
        "default_iallocator": found.get("default_iallocator"),
    }


def policy_violations(options, values):
    """What of ``values`` (spec -> value, or spec -> list of values for
    disk sizes) the cluster's instance policy refuses, as Ganeti checks
    it: ``{spec: (low, high)}`` of the specs out of every min/max pair,
    the pair that fits best deciding (empty when one pair fits whole).
    """
    best = None
    for pair in options.get("minmax") or []:
        failed = {}
        for spec, value in values.items():
            low, high = pair["min"].get(spec), pair["max"].get(spec)
            for one in value if isinstance(value, list) else [value]:
                if one is None:
                    continue
                if (low is not None and one < low) or \
                        (high is not None and one > high):
                    failed[spec] = (low, high)
        if best is None or len(failed) < len(best):
            best = failed
    return best or {}


def percent(used, total):
    return int(round(100.0 * used / total)) if total else 0


def resources(name):
    """Memory, disk and vCPUs allocated against totals, per node and total.

    Allocation is what instances were given (``maxmem``, disk usage,
    ``vcpus``), counted on their primary node; from the cluster's node and
    instance snapshots.
    """
    listed, _groups = _data(name, node_api.SNAPSHOT)
    rows = _data(name, instance_api.SNAPSHOT)
    per_node = {n["name"]: {"name": n["name"], "mem_total": n.get("mtotal")
                            or 0, "disk_total": n.get("dtotal") or 0,
                            "cpus": n.get("ctotal") or 0, "mem": 0,
                            "disk": 0, "vcpus": 0, "instances": 0}
                for n in listed}
    for row in rows:
        node = per_node.get(row[instance_api.PNODE])
        if node is None:
            continue
        node["mem"] += row[instance_api.MAXMEM] or 0
        node["vcpus"] += row[instance_api.VCPUS] or 0
        node["disk"] += row[instance_api.DISK_USAGE] or 0
        node["instances"] += 1
    found = sorted(per_node.values(), key=lambda n: n["name"])
    for node in found:
        node["mem_pct"] = percent(node["mem"], node["mem_total"])
        node["disk_pct"] = percent(node["disk"], node["disk_total"])
        node["vcpu_pct"] = percent(node["vcpus"], node["cpus"])
    total = {key: sum(n[key] for n in found)
             for key in ("mem", "mem_total", "disk", "disk_total", "vcpus",
                         "cpus", "instances")}
    charts = [
        {"name": _("Memory"), "used": total["mem"],
         "total": total["mem_total"], "unit": "MiB",
         "pct": percent(total["mem"], total["mem_total"])},
        {"name": _("Disk"), "used": total["disk"],
         "total": total["disk_total"], "unit": "MiB",
         "pct": percent(total["disk"], total["disk_total"])},
        {"name": _("vCPUs"), "used": total["vcpus"], "total": total["cpus"],
         "unit": _("on physical CPUs"),
         "pct": min(100, percent(total["vcpus"], total["cpus"]))},
    ]
    return {"nodes": found, "total": total, "charts": charts,
            "instance_count": len(rows)}
