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

"""Nodes across clusters, and the node actions (role, evacuate, migrate,
modify, tags, storage units, powercycle).

Lists come from each cluster's snapshot of its nodes (``/2/nodes?bulk=1``
and the group names of ``/2/groups?bulk=1``; see :mod:`snapshots`), so a
page costs no RAPI call, and a cluster that is down is reported beside the
others.

Actions start one Ganeti job and wait for it a few seconds, because what
the operator needs to see is only known then:

* a role change Ganeti refuses (the master's) is a *job* error, not an HTTP
  one;
* evacuate and migrate jobs only plan the moves and submit one job per
  instance (their result is ``[{"jobs": [[true, N], ...]}]``): those are the
  jobs that really move instances, so the page names them and the node's
  row stays transitional until they end.

Ganeti 3.0 quirks measured on the sandboxes and handled here:

* ``POST /2/nodes/N/migrate`` ignores its body whenever the query string is
  not empty, which it always is (``reason``): the mode goes in the query
  and no target can be given (Ganeti picks it);
* evacuating ``all`` instances at once is always refused, and a target
  node is accepted only for secondary instances: primary instances move
  where the iallocator says;
* listing a node's storage units (``GET /2/nodes/N/storage``) is a job,
  started only for a RAPI user with write access; its result is the rows.
  Only ``lvm-pv`` units can be modified (allocatable) and only ``lvm-vg``
  ones repaired; a type whose disk template is not enabled is a job error;
* the fake hypervisor's power-cycle runs ``reboot -n -f`` on the machine
  Ganeti runs on: a power-cycle is refused before any call on a cluster
  that enables it, and on the master node.
"""

import dataclasses
import urllib.parse

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_runs
from ganeti_dashboard.api import models
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots

# Roles a node can be given through RAPI (the master changes only by
# master-failover, which Ganeti says itself when asked).
ROLES = ("master-candidate", "regular", "drained", "offline")
EVACUATE_MODES = ("primary-only", "secondary-only")
MIGRATE_MODES = ("live", "non-live")
# What the modify form may change (OpNodeSetParams parameters).
MODIFY_FIELDS = ("drained", "offline", "master_capable", "vm_capable",
                 "secondary_ip")
# Actions that write: refused on a cluster configured read_only.
WRITE_ACTIONS = ("set_role", "evacuate", "migrate", "modify", "tags",
                 "powercycle", "storage_modify", "storage_repair")
# Ganeti's storage type of each disk template that has storage units.
STORAGE_OF_TEMPLATE = {"plain": "lvm-vg", "drbd": "lvm-vg",
                       "file": "file", "sharedfile": "sharedfile"}
STORAGE_ORDER = ("lvm-vg", "lvm-pv", "file", "sharedfile")
STORAGE_FIELDS = ("name", "size", "used", "free", "allocatable")
# constants.MODIFIABLE_STORAGE_FIELDS and VALID_STORAGE_OPERATIONS
MODIFIABLE_STORAGE = ("lvm-pv",)
REPAIRABLE_STORAGE = ("lvm-vg",)
# How long a storage listing waits for its job.
STORAGE_WAIT = 20.0

# How long an action waits for its job before it reports "started" only.
JOB_WAIT = 15.0

# A node's state as the page says it.
STATES = {"online": pgettext_lazy("Ganeti node state", "online"),
          "drained": pgettext_lazy("Ganeti node state", "drained"),
          "offline": pgettext_lazy("Ganeti node state", "offline")}


class Node(models.Node, job_runs.Tracked):
    """A node with what the panel needs besides RAPI's node fields."""

    PENDING_KIND = pending_jobs.NODE

    def __init__(self, cluster, data, group_names=None, cluster_nodes=(),
                 pending=None):
        super().__init__(cluster, data, group_names)
        # Names of every node of its cluster: whether there is anywhere to
        # move instances to, and where.
        self.cluster_nodes = list(cluster_nodes)
        self.sinst_list = data.get("sinst_list") or []
        # {"jobs": [ids], "label": "Evacuating"} while jobs we started run.
        self.pending = pending
        # (name, running, disk template) of each primary instance, where
        # known (the instances' snapshot, or fresh before a migrate-all).
        self.primaries = None
        self.master_capable = bool(data.get("master_capable", True))
        self.vm_capable = bool(data.get("vm_capable", True))
        self.sip = data.get("secondary_ip") or data.get("sip")
        # The cluster's enabled hypervisors, where known (cluster info):
        # a power-cycle is refused while they are not known.
        self.hypervisors = None

    @property
    def read_only(self):
        """Whether its cluster is configured read_only (the RAPI client
        refuses its writes too); a cluster not configured is not, here.
        """
        try:
            config = clusters.settings().cluster(self.cluster)
        except Exception:
            return False
        return config is not None and bool(config.read_only)

    @property
    def other_nodes(self):
        return [n for n in self.cluster_nodes if n != self.name]

    @property
    def state(self):
        if self.offline:
            return "offline"
        return "drained" if self.drained else "online"

    @property
    def settled_label(self):
        return STATES.get(self.state, self.state)

    def cannot(self, action):
        """Why ``action`` cannot apply to this node now, or None (the
        rules beside the instances' in ``api.preconditions``).
        """
        if action in WRITE_ACTIONS and self.read_only:
            return _("its cluster is read-only for the dashboard")
        if action == "powercycle":
            return self._powercycle_refusal()
        if action == "set_role" and self.role_code == "M":
            return _("it is the master: its role changes only by a "
                     "master failover")
        if action in ("evacuate", "migrate"):
            if not self.other_nodes:
                return _("the cluster has no other node")
            if action == "migrate" and not self.pinst_cnt:
                return _("the node has no primary instances")
            if action == "evacuate" and not (self.pinst_cnt
                                             or self.sinst_cnt):
                return _("the node has no instances")
        if action == "migrate":
            if self.offline:
                return _("the node is offline: live migration needs it")
            if self.primaries is not None:
                return preconditions.migrate_all_refusal(self.primaries)
        return None

    def _powercycle_refusal(self):
        if self.role_code == "M":
            return _("it is the master node: Ganeti would power-cycle "
                     "itself")
        if self.hypervisors is None:
            return _("the cluster's hypervisors are not known")
        if "fake" in self.hypervisors:
            return _("the cluster enables the fake hypervisor, whose "
                     "power-cycle reboots the machine Ganeti runs on")
        return None


def _hypervisors(info):
    return list((info or {}).get("enabled_hypervisors") or []) or None


def set_hypervisors(cluster, nodes):
    """Each node's cluster hypervisors from the cluster's info snapshot
    (one cache read), for :meth:`Node.cannot` of a power-cycle.
    """
    from ganeti_dashboard.api import cluster_state
    config = clusters.settings().cluster(cluster)
    snapshot = snapshots.read([config], cluster_state.INFO.name)[cluster]
    found = _hypervisors(snapshot.data) if snapshot.available else None
    for node in nodes:
        node.hypervisors = found


def _group_names(client):
    """Group uuid -> name; without them the page shows the uuid."""
    try:
        return {g["uuid"]: g["name"] for g in client.groups(bulk=True)}
    except errors.RapiError:
        return {}


def _fetch(client):
    """A cluster's nodes and group names, as its snapshot holds them."""
    found = client.get("/2/nodes", {"bulk": 1})
    return found, _group_names(client)


SNAPSHOT = snapshots.register(snapshots.Kind("nodes", _fetch))


def list_all(cluster_names=None):
    """Every node of the configured clusters (or of ``cluster_names``),
    from their snapshots.

    Returns ``(nodes, snapshots)``: the nodes in order, and each cluster's
    :class:`snapshots.Snapshot` (its age, its failure, if it has no data).
    """
    found = snapshots.read(clusters.settings().clusters_named(cluster_names),
                           SNAPSHOT.name)
    nodes = []
    for cluster, snapshot in found.items():
        if not snapshot.available:
            continue
        data, groups = snapshot.data
        names = [d["name"] for d in data]
        pending = pending_jobs.pending_many(cluster, names,
                                            pending_jobs.NODE)
        listed = [Node(cluster, d, groups, names, pending.get(d["name"]))
                  for d in data]
        _set_primaries(cluster, listed)
        set_hypervisors(cluster, listed)
        nodes.extend(listed)
    nodes.sort(key=lambda n: (n.cluster, n.name))
    return nodes, found


def _set_primaries(cluster, nodes):
    """Each node's primary instances' state, from the cluster's instances
    snapshot (where it has one), for :meth:`Node.cannot`. Only nodes with
    primary instances ask, and the snapshot is read once per cluster.
    """
    if not any(node.pinst_list for node in nodes):
        return
    from ganeti_dashboard.api import instances as instance_api
    config = clusters.settings().cluster(cluster)
    snapshot = snapshots.read([config], instance_api.SNAPSHOT.name)[cluster]
    if not snapshot.available:
        return
    index = instance_api.FIELDS.index("disk_template")
    states = {row[instance_api.NAME]: (
        row[instance_api.STATUS] in models.RUNNING, row[index])
        for row in snapshot.data}
    for node in nodes:
        node.primaries = [(name,) + states[name]
                          for name in node.pinst_list if name in states]


def primaries_now(node):
    """The node's primary instances' state fresh from RAPI (one query),
    set on ``node``: what a migrate-all is checked against.
    """
    if not node.pinst_list:
        node.primaries = []
        return node
    wanted = set(node.pinst_list)
    found = clusters.client(node.cluster).query(
        "instance", ["name", "status", "disk_template"],
        ["&", ["|"] + [["=", "name", name] for name in sorted(wanted)]])
    # A bare "|" of names is a lookup that fails on one unknown name: in
    # "&" it is a filter. "=" on a name also matches longer names starting
    # with it: the names answered are compared.
    node.primaries = [(row["name"], row["status"] in models.RUNNING,
                       row["disk_template"]) for row in found
                      if row["name"] in wanted]
    return node


def get(obj_id):
    """One node, fresh from RAPI; its cluster's other nodes and group
    names from the snapshot, where there is one.
    """
    cluster, name = models.split_id(obj_id)
    client = clusters.client(cluster)
    data = client.node(name)
    if data.get("name") != name:
        raise errors.NotFound("not found", cluster)
    config = clusters.settings().cluster(cluster)
    snapshot = snapshots.read([config], SNAPSHOT.name)[cluster]
    if snapshot.available:
        listed, groups = snapshot.data
        names = [d["name"] for d in listed]
    else:
        names, groups = client.node_names(), _group_names(client)
    node = Node(cluster, data, groups, names, pending_jobs.pending(
        cluster, data["name"], pending_jobs.NODE))
    set_hypervisors(cluster, [node])
    return node


def hypervisors_now(node):
    """The cluster's enabled hypervisors fresh from RAPI (``/2/info``),
    set on ``node``: what a power-cycle is checked against.
    """
    node.hypervisors = _hypervisors(clusters.client(node.cluster).info())
    return node


# -- jobs of ours still running on a node -------------------------------

def _remember(node, job_ids, label):
    job_runs.remember(node, job_ids, label)


def refresh_pending(node):
    """Ask Ganeti (one call) about the node's pending jobs (see
    :func:`job_runs.refresh_pending`); Ganeti's texts of those that failed.
    """
    return job_runs.refresh_pending(node)


# -- actions -----------------------------------------------------------

Started = job_runs.Started
_check = job_runs.check  # what :meth:`Node.cannot` says will not work
_run = job_runs.act


def set_role(request, node, role, wait=JOB_WAIT):
    if role not in ROLES:
        raise errors.BadRequest("unknown node role %r" % role)
    _check(node, "set_role")
    return _run(request, node, "Setting role",
                lambda c, reason: c.set_node_role(node.name, role,
                                                  reason=reason), wait)


def evacuate(request, node, mode, remote_node=None, wait=JOB_WAIT):
    """Move the node's instances; ``remote_node`` None: the iallocator."""
    if mode not in EVACUATE_MODES:
        raise errors.BadRequest("unknown evacuation mode %r" % mode)
    if remote_node and mode != "secondary-only":
        raise errors.BadRequest(
            "a target node can be given for secondary instances only: "
            "primary instances move where the iallocator says")
    _check(node, "evacuate")
    return _run(request, node, "Evacuating",
                lambda c, reason: c.evacuate_node(
                    node.name, mode=mode, remote_node=remote_node or None,
                    reason=reason), wait)


def migrate(request, node, mode="live", wait=JOB_WAIT):
    """Migrate every primary instance away (Ganeti picks the target)."""
    if mode not in MIGRATE_MODES:
        raise errors.BadRequest("unknown migration mode %r" % mode)
    primaries_now(node)
    _check(node, "migrate")
    path = "/2/nodes/%s/migrate" % urllib.parse.quote(
        rapi.check_ascii(node.name, "A name"), safe="")
    # The mode in the query: with any query argument RAPI ignores the body.
    return _run(request, node, "Migrating",
                lambda c, reason: c.write("POST", path, {"mode": mode},
                                          reason=reason), wait)


def modify(request, node, changes, wait=JOB_WAIT):
    """Change what ``changes`` names (keys of :data:`MODIFY_FIELDS`)."""
    unknown = sorted(set(changes) - set(MODIFY_FIELDS))
    if unknown or not changes:
        raise errors.BadRequest("nothing to change, or unknown node "
                                "parameters: %s" % ", ".join(unknown))
    if changes.get("drained") and changes.get("offline"):
        raise errors.BadRequest("a node cannot be drained and offline at "
                                "once")
    if "secondary_ip" in changes:
        changes = dict(changes, secondary_ip=check_ipv4(
            changes["secondary_ip"]))
    _check(node, "modify")
    return _run(request, node, "Modifying",
                lambda c, reason: c.modify_node(node.name, changes,
                                                reason=reason), wait)


def check_ipv4(text):
    """``text`` as Ganeti's secondary IP must be (IPv4), else BadRequest."""
    import ipaddress
    try:
        return str(ipaddress.IPv4Address(str(text).strip()))
    except ValueError:
        raise errors.BadRequest("not an IPv4 address: %r" % (text,))


def change_tags(request, node, add=(), remove=(), wait=JOB_WAIT):
    """Remove, then add, tags: a job each. Returns the :class:`Started`
    of each job sent, in order.
    """
    if not (add or remove):
        raise errors.BadRequest("no tag to add or remove")
    for tag in list(add) + list(remove):
        rapi.check_ascii(tag, "A tag")
    _check(node, "tags")
    started = []
    if remove:
        started.append(_run(
            request, node, "Removing tags",
            lambda c, reason: c.delete_node_tags(node.name, list(remove),
                                                 reason=reason), wait))
    if add:
        started.append(_run(
            request, node, "Adding tags",
            lambda c, reason: c.add_node_tags(node.name, list(add),
                                              reason=reason), wait))
    return started


def powercycle(request, node, wait=JOB_WAIT):
    """Power-cycle the node; refused (no call) on the master and on a
    cluster with the fake hypervisor, checked fresh (``/2/info``).
    """
    hypervisors_now(node)
    _check(node, "powercycle")
    return _run(request, node, "Power-cycling",
                lambda c, reason: c.powercycle_node(node.name,
                                                    reason=reason), wait)


# -- storage units -----------------------------------------------------

@dataclasses.dataclass
class StorageUnit:
    """One storage unit of a node (sizes in MiB, as Ganeti gives them)."""

    node_id: str
    storage_type: str
    name: str
    size: float | None = None
    used: float | None = None
    free: float | None = None
    allocatable: bool | None = None

    @property
    def id(self):
        return "%s|%s" % (self.storage_type, self.name)

    @property
    def modifiable(self):
        return self.storage_type in MODIFIABLE_STORAGE

    @property
    def repairable(self):
        return self.storage_type in REPAIRABLE_STORAGE


def storage_types(enabled_disk_templates):
    """The storage types whose units a cluster with these disk templates
    has, in a stable order (LVM volume groups bring their volumes).
    """
    found = {STORAGE_OF_TEMPLATE[t] for t in enabled_disk_templates or ()
             if t in STORAGE_OF_TEMPLATE}
    if "lvm-vg" in found:
        found.add("lvm-pv")
    return [t for t in STORAGE_ORDER if t in found]


def storage(node, wait=STORAGE_WAIT):
    """The node's storage units, one job per storage type its cluster
    enables. Returns ``(units, problems)``: problems are
    ``(storage type, Ganeti's text)`` of each listing that failed.
    """
    client = clusters.client(node.cluster)
    types = storage_types(client.info().get("enabled_disk_templates"))
    units, problems = [], []
    for storage_type in types:
        try:
            job_id = client.node_storage(node.name, storage_type,
                                         STORAGE_FIELDS)
            job = client.wait_for_job(int(job_id), timeout=wait)
        except errors.RapiError as exc:
            problems.append((storage_type, str(exc)))
            continue
        rows = (job.get("opresult") or [[]])[0] or []
        for row in rows:
            values = dict(zip(STORAGE_FIELDS, row))
            units.append(StorageUnit(
                node.id, storage_type, values["name"], values.get("size"),
                values.get("used"), values.get("free"),
                values.get("allocatable")))
    return units, problems


def _check_unit(node, storage_type, unit, allowed):
    if storage_type not in allowed:
        raise errors.BadRequest(
            "storage units of type %r cannot be changed this way"
            % (storage_type,))
    rapi.check_ascii(unit, "A storage unit")
    if not unit:
        raise errors.BadRequest("no storage unit named")


def modify_storage(request, node, storage_type, unit, allocatable,
                   wait=JOB_WAIT):
    """Make a storage unit (an LVM physical volume) allocatable or not."""
    _check_unit(node, storage_type, unit, MODIFIABLE_STORAGE)
    _check(node, "storage_modify")
    return _run(request, node, "Modifying storage",
                lambda c, reason: c.modify_node_storage(
                    node.name, storage_type, unit,
                    allocatable=bool(allocatable), reason=reason), wait)


def repair_storage(request, node, storage_type, unit, wait=JOB_WAIT):
    """Repair a storage unit (an LVM volume group's consistency)."""
    _check_unit(node, storage_type, unit, REPAIRABLE_STORAGE)
    _check(node, "storage_repair")
    return _run(request, node, "Repairing storage",
                lambda c, reason: c.repair_node_storage(
                    node.name, storage_type, unit, reason=reason), wait)
