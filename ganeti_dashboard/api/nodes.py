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

"""Nodes across clusters, and the node actions (role, evacuate, migrate).

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
  where the iallocator says.
"""

import dataclasses
import urllib.parse

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_starters
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

# How long an action waits for its job before it reports "started" only.
JOB_WAIT = 15.0

# A node's state as the page says it.
STATES = {"online": pgettext_lazy("Ganeti node state", "online"),
          "drained": pgettext_lazy("Ganeti node state", "drained"),
          "offline": pgettext_lazy("Ganeti node state", "offline")}


class Node(models.Node):
    """A node with what the panel needs besides RAPI's node fields."""

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

    @property
    def other_nodes(self):
        return [n for n in self.cluster_nodes if n != self.name]

    @property
    def state(self):
        if self.offline:
            return "offline"
        return "drained" if self.drained else "online"

    @property
    def status_label(self):
        if self.refresh_error:
            return _("unknown: %s") % self.refresh_error
        if self.pending:
            return _("%(action)s (job %(job)s)") % {
                "action": self.pending["label"],
                "job": ", ".join(str(j) for j in self.pending["jobs"])}
        return STATES.get(self.state, self.state)

    @property
    def settled(self):
        return not self.pending and not self.refresh_error

    def cannot(self, action):
        """Why ``action`` cannot apply to this node now, or None (the
        rules beside the instances' in ``api.preconditions``).
        """
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
    return Node(cluster, data, groups, names, pending_jobs.pending(
        cluster, data["name"], pending_jobs.NODE))


# -- jobs of ours still running on a node -------------------------------

def _remember(node, job_ids, label):
    node.pending = {"jobs": [int(j) for j in job_ids],
                    "label": label} if job_ids else None
    pending_jobs.keep(node.cluster, node.name, node.pending,
                      pending_jobs.NODE)


def _sub_jobs(job):
    """(ids submitted, refusals) of a job whose result lists new jobs."""
    submitted, refused = [], []
    for result in job.get("opresult") or []:
        if isinstance(result, dict):
            for ok, value in result.get("jobs") or []:
                (submitted if ok else refused).append(value)
    return submitted, refused


def refresh_pending(node):
    """Ask Ganeti (one call) about the node's pending jobs.

    A finished job that submitted jobs of its own is followed by them. When
    every job has ended the node settles. Returns Ganeti's error texts of
    the jobs that failed.
    """
    if not node.pending:
        return []
    client = clusters.client(node.cluster)
    found = {int(j["id"]): j for j in client.jobs(node.pending["jobs"])}
    waiting, failed = [], []
    for job_id in node.pending["jobs"]:
        job = found.get(job_id)
        if job is None or job.get("status") is None:
            continue  # archived: long over
        if job["status"] in rapi.JOB_PENDING:
            waiting.append(job_id)
        elif job["status"] == "success":
            submitted, refused = _sub_jobs(job)
            waiting.extend(submitted)
            failed.extend(str(r) for r in refused)
        else:
            failed.append("job %s: %s" % (job_id, rapi.job_error(job)))
    if waiting == node.pending["jobs"]:
        return failed
    _remember(node, waiting, node.pending["label"])
    # Snapshots taken while the jobs ran show the node as it was.
    snapshots.mark_stale(node.cluster)
    return failed


# -- actions -----------------------------------------------------------

@dataclasses.dataclass
class Started:
    """What an action started: its job and, once known, the jobs it made."""

    job_id: int
    done: bool = False
    sub_jobs: list = dataclasses.field(default_factory=list)
    refused: list = dataclasses.field(default_factory=list)


def _check(node, action):
    """Refuse (no job sent) what :meth:`Node.cannot` says will not work."""
    why = node.cannot(action)
    if why:
        raise errors.Refused("%s: %s" % (node.name, why), node.cluster, why)


def _run(request, node, label, submit, wait):
    """Start ``submit(client, reason)``'s job on ``node`` and follow it.

    :class:`errors.JobFailed` (Ganeti refused) propagates; a job still
    running after ``wait`` seconds is reported as started and tracked.
    """
    client = clusters.client(node.cluster)
    started = Started(submit(client, job_starters.reason(request)))
    try:
        job = client.wait_for_job(started.job_id, timeout=wait)
    except errors.JobFailed:
        snapshots.mark_stale(node.cluster)
        raise
    except errors.RapiError:
        job = None  # still running, or the poll failed: started all the same
    if job is not None:
        started.done = True
        started.sub_jobs, started.refused = _sub_jobs(job)
    _remember(node, started.sub_jobs if job else [started.job_id], label)
    snapshots.mark_stale(node.cluster)
    return started


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
