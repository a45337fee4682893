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

"""Node groups across clusters, and their actions: one function per RAPI
call (``/2/groups``, ``/2/groups/<g>``, ``/modify``, ``/rename``,
``/assign-nodes``, ``/tags``), plus the evacuation of a group, which RAPI
does not offer.

Lists come from each cluster's snapshot of its groups (``/2/groups?bulk=1``
and each node's primary instance count, one query), so a page costs no
RAPI call.

Every action starts one Ganeti job (an evacuation one per instance) with
the user and project in the reason trail, and waits for it a few seconds:
what Ganeti refuses (a group that still has nodes, a name taken) is only
known from the job.

Ganeti 3.0 facts measured on the sandbox (``doc/source/contributor/
rapi-facts.rst``):

* RAPI addresses a group only by a name of letters, digits, ``.``, ``_``
  and ``-`` (its URI pattern); ``POST /2/groups`` accepts any other name
  and creates a group no RAPI URL can reach again. Names are checked
  here before any job.
* ``DELETE /2/groups/<g>`` of a group with nodes is a failed job ("not
  empty, has the following nodes: <uuids>"), not an HTTP error.
* There is no group evacuation and no ``change-group`` in 3.0's RAPI: the
  dashboard moves each instance itself, with migrate (running) or failover
  (stopped) and a target node of another group, which Ganeti allows only
  for externally mirrored disks (``DTS_EXT_MIRROR``: diskless,
  sharedfile, blockdev, rbd, ext, gluster). drbd instances move only to
  their secondary node, and plain and file disks stay on their node.
"""

import dataclasses
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.utils.translation import ngettext
from django.utils.translation import pgettext_lazy

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_runs
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import snapshots

# RAPI's URI pattern of a group name (connector.py's _NAME_PATTERN, ASCII).
NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
NAME_MAX = 128

ALLOC_POLICIES = {
    "preferred": pgettext_lazy("Ganeti alloc policy", "preferred"),
    "last_resort": pgettext_lazy("Ganeti alloc policy", "last resort"),
    "unallocable": pgettext_lazy("Ganeti alloc policy", "unallocable"),
}

# Ganeti's DTS_EXT_MIRROR: an instance with these disks may move to any
# node given as target, in another group too.
EXTERNALLY_MIRRORED = ("diskless", "sharedfile", "blockdev", "rbd", "ext",
                       "gluster")

# How long an action waits for its job before it reports "started" only.
JOB_WAIT = 15.0

# The ipolicy values the modify form edits (besides the disk templates).
IPOLICY_RATIOS = ("vcpu-ratio", "spindle-ratio")

_FIELDS = ("name", "uuid", "alloc_policy", "node_cnt", "node_list",
           "ipolicy", "custom_ipolicy", "diskparams", "custom_diskparams",
           "serial_no", "tags")


def check_name(name):
    """Why ``name`` cannot be a group's name, or None."""
    if not name:
        return _("A name is required.")
    if not name.isascii():
        return _("A group name may contain only ASCII letters, digits, "
                 "'.', '_' and '-'.")
    if len(name) > NAME_MAX or not NAME.match(name):
        return _("A group name may contain only letters, digits, '.', '_' "
                 "and '-' (RAPI cannot address any other name).")
    return None


class Group(job_runs.Tracked):
    """A node group as the panel shows it."""

    PENDING_KIND = pending_jobs.GROUP

    def __init__(self, cluster, data, instance_count=0, cluster_nodes=(),
                 other_groups=(), read_only=False):
        self.cluster = cluster
        self.data = data
        self.name = data["name"]
        self.id = models.object_id(cluster, self.name)
        self.uuid = data.get("uuid")
        self.alloc_policy = data.get("alloc_policy")
        self.node_list = list(data.get("node_list") or [])
        self.node_cnt = data.get("node_cnt", len(self.node_list))
        self.instance_count = instance_count
        self.ipolicy = data.get("ipolicy") or {}
        self.custom_ipolicy = data.get("custom_ipolicy") or {}
        self.diskparams = data.get("diskparams") or {}
        self.custom_diskparams = data.get("custom_diskparams") or {}
        self.tags = list(data.get("tags") or [])
        # Every node of the cluster, and the other groups' names.
        self.cluster_nodes = list(cluster_nodes)
        self.other_groups = list(other_groups)
        self.read_only = read_only

    @property
    def alloc_policy_label(self):
        return ALLOC_POLICIES.get(self.alloc_policy, self.alloc_policy)

    @property
    def ipolicy_summary(self):
        """A line: the custom values, or that it has the cluster's."""
        if not self.custom_ipolicy:
            return _("the cluster's")
        return ", ".join(_ipolicy_item(key, value) for key, value
                         in sorted(self.custom_ipolicy.items()))

    @property
    def diskparams_summary(self):
        """"template: key=value" of the group's own disk parameters."""
        if not self.custom_diskparams:
            return _("the cluster's")
        return "; ".join("%s: %s" % (template, ", ".join(
            "%s=%s" % kv for kv in sorted(values.items())))
            for template, values in sorted(self.custom_diskparams.items())
            if values) or _("the cluster's")

    @property
    def assignable_nodes(self):
        """Nodes of the cluster in other groups."""
        return [n for n in self.cluster_nodes if n not in self.node_list]

    def cannot(self, action):
        """Why ``action`` cannot apply to this group now, or None (the
        rules the table shows and the server applies).
        """
        refusal = preconditions.cluster_refusal(self)
        if refusal is not None:
            return refusal
        if self.refresh_error:
            return preconditions.Refusal(self.status_label)
        if check_name(self.name):
            # Made by the CLI: RAPI's URLs cannot name it.
            return preconditions.Refusal(_("RAPI cannot address its name"))
        if action == "delete":
            return preconditions.group_delete_refusal(
                self.node_cnt, len(self.other_groups))
        if action == "assign_nodes" and not self.assignable_nodes:
            return preconditions.Refusal(
                _("every node of the cluster is in it already"))
        if action == "evacuate":
            if not self.instance_count:
                return preconditions.Refusal(_("it has no instances"))
            if not self.other_groups:
                return preconditions.Refusal(
                    _("the cluster has no other group"))
        if action == "remove_tag" and not self.tags:
            return preconditions.Refusal(_("it has no tags"))
        return None


def _ipolicy_item(key, value):
    if key == "minmax":
        return _("min/max specs")
    if key == "std":
        return _("standard specs")
    if isinstance(value, (list, tuple)):
        value = "/".join(str(v) for v in value)
    return "%s=%s" % (key, value)


# -- the snapshot ---------------------------------------------------------

def _fetch(client):
    """A cluster's groups (only the fields shown), and each node's primary
    instance count, as the snapshot holds them.
    """
    groups = [{key: g.get(key) for key in _FIELDS}
              for g in client.groups(bulk=True)]
    nodes = client.query("node", ["name", "pinst_cnt"])
    return groups, {n["name"]: n.get("pinst_cnt") or 0 for n in nodes}


SNAPSHOT = snapshots.register(snapshots.Kind("groups", _fetch))


def _groups_of(cluster, data, read_only):
    groups, counts = data
    names = [g["name"] for g in groups]
    every_node = sorted(counts)
    return [Group(cluster, g, sum(counts.get(n, 0)
                                  for n in g.get("node_list") or []),
                  every_node, [n for n in names if n != g["name"]],
                  read_only) for g in groups]


def list_all(cluster_names=None):
    """Every group of the configured clusters (or of ``cluster_names``),
    from their snapshots: ``(groups, snapshots)``.
    """
    configs = clusters.settings().clusters_named(cluster_names)
    found = snapshots.read(configs, SNAPSHOT.name)
    read_only = {c.name: c.read_only for c in configs}
    listed = []
    for cluster, snapshot in found.items():
        if snapshot.available:
            listed.extend(_groups_of(cluster, snapshot.data,
                                     read_only.get(cluster, False)))
    listed.sort(key=lambda g: (g.cluster, g.name))
    return job_runs.with_pending(listed), found


def get(obj_id):
    """One group, fresh from RAPI (``GET /2/groups/<g>``), with its
    cluster's nodes, other groups and instance counts (one more list of
    groups and one query).
    """
    cluster, name = models.split_id(obj_id)
    if check_name(name):
        raise errors.NotFound("not found", cluster)
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound("not found", cluster)
    client = clusters.client(cluster)
    data = client.group(name)
    if data.get("name") != name:
        raise errors.NotFound("not found", cluster)
    groups, counts = _fetch(client)
    for group in _groups_of(cluster, (groups, counts), config.read_only):
        if group.name == name:
            group.data = data
            return group.with_pending()
    raise errors.NotFound("not found", cluster)


def tags_of(group):
    """``GET /2/groups/<g>/tags``."""
    return clusters.client(group.cluster).group_tags(group.name)


# -- actions ---------------------------------------------------------------

Started = job_runs.Started
_run = job_runs.run
_check = job_runs.check
_act = job_runs.act


def _refuse_name(name, cluster):
    why = check_name(name)
    if why:
        raise errors.BadRequest(why, cluster)


def create(request, cluster, name, alloc_policy=None, wait=JOB_WAIT):
    """``POST /2/groups``."""
    _refuse_name(name, cluster)
    if alloc_policy is not None and alloc_policy not in ALLOC_POLICIES:
        raise errors.BadRequest("unknown alloc policy %r" % alloc_policy)
    job_runs.writable(cluster)
    return _run(request, cluster, lambda c, reason: c.create_group(
        name, alloc_policy=alloc_policy, reason=reason), wait)


def rename(request, group, new_name, wait=JOB_WAIT):
    """``PUT /2/groups/<g>/rename``."""
    _refuse_name(new_name, group.cluster)
    _check(group, "rename")
    return _act(request, group, gettext_noop("Renaming"),
                lambda c, reason: c.rename_group(group.name, new_name,
                                                 reason=reason), wait)


def modify(request, group, wait=JOB_WAIT, **changes):
    """``PUT /2/groups/<g>/modify`` with ``alloc_policy``, ``ipolicy``
    and/or ``diskparams``.
    """
    changes = {k: v for k, v in changes.items() if v is not None}
    if not changes:
        raise errors.BadRequest(_("Nothing to change."), group.cluster)
    policy = changes.get("alloc_policy")
    if policy is not None and policy not in ALLOC_POLICIES:
        raise errors.BadRequest("unknown alloc policy %r" % policy)
    _check(group, "modify")
    return _act(request, group, gettext_noop("Modifying"),
                lambda c, reason: c.modify_group(group.name, reason=reason,
                                                 **changes), wait)


def assign_nodes(request, group, nodes, force=False, wait=JOB_WAIT):
    """``PUT /2/groups/<g>/assign-nodes``: only nodes of its cluster."""
    unknown = sorted(set(nodes) - set(group.cluster_nodes))
    if not nodes or unknown:
        raise errors.BadRequest(
            _("Not nodes of cluster %(cluster)s: %(nodes)s") % {
                "cluster": group.cluster, "nodes": ", ".join(unknown)}
            if unknown else _("Choose at least one node."), group.cluster)
    _check(group, "assign_nodes")
    return _act(request, group, gettext_noop("Assigning nodes"),
                lambda c, reason:
                c.assign_group_nodes(group.name, nodes, force=force,
                                     reason=reason), wait)


def add_tags(request, group, tags, wait=JOB_WAIT):
    """``PUT /2/groups/<g>/tags``."""
    _check(group, "add_tag")
    return _act(request, group, gettext_noop("Adding tags"),
                lambda c, reason:
                c.add_group_tags(group.name, tags, reason=reason), wait)


def remove_tags(request, group, tags, wait=JOB_WAIT):
    """``DELETE /2/groups/<g>/tags``."""
    _check(group, "remove_tag")
    return _act(request, group, gettext_noop("Removing tags"),
                lambda c, reason:
                c.delete_group_tags(group.name, tags, reason=reason), wait)


def delete(request, group, wait=JOB_WAIT):
    """``DELETE /2/groups/<g>``: refused before any job while it has
    nodes (the group is read fresh by the caller).
    """
    _check(group, "delete")
    return _act(request, group, gettext_noop("Deleting"),
                lambda c, reason:
                c.delete_group(group.name, reason=reason), wait)


# -- evacuation (no RAPI call of its own) ----------------------------------

@dataclasses.dataclass
class Move:
    """One instance of an evacuation: where it goes and how, or why not."""

    instance: str
    template: str
    running: bool
    target: str | None = None
    refusal: str | None = None
    job_id: int | None = None
    error: str | None = None

    @property
    def how(self):
        return "migrate" if self.running else "failover"


def _usable(node):
    return not (node.get("offline") or node.get("drained")) \
        and node.get("vm_capable", True)


def plan(group, target_group):
    """The moves that would empty ``group`` of its primary instances onto
    the nodes of ``target_group`` (read fresh: two queries). Each instance
    goes to the target node with the most free memory at that point (its
    memory counted), or is refused with the reason.
    """
    if target_group not in group.other_groups:
        raise errors.BadRequest(_("%(target)s is not another group of "
                                  "cluster %(cluster)s") % {
            "target": target_group, "cluster": group.cluster},
            group.cluster)
    client = clusters.client(group.cluster)
    nodes = client.query("node", ["name", "group", "offline", "drained",
                                  "vm_capable", "mfree"])
    targets = {n["name"]: n.get("mfree") or 0 for n in nodes
               if n.get("group") == target_group and _usable(n)}
    members = set(group.node_list)
    found = client.query("instance", ["name", "pnode", "disk_template",
                                      "status", "admin_state",
                                      "be/maxmem"])
    moves = []
    for row in sorted(found, key=lambda r: r["name"]):
        if row.get("pnode") not in members:
            continue
        move = Move(row["name"], row.get("disk_template"),
                    row.get("status") in models.RUNNING)
        if move.template not in EXTERNALLY_MIRRORED:
            move.refusal = _("its %s disks cannot leave its node's group "
                             "(Ganeti 3.0's RAPI has no change-group)") \
                % move.template
        elif row.get("admin_state") == "offline":
            move.refusal = _("it is marked offline")
        elif not move.running and row.get("admin_state") == "up":
            move.refusal = _("its state is %s") % row.get("status")
        elif not targets:
            move.refusal = _("group %s has no online, undrained node") \
                % target_group
        else:
            move.target = max(sorted(targets), key=lambda n: targets[n])
            targets[move.target] -= row.get("be/maxmem") or 0
        moves.append(move)
    return moves


def evacuate(request, group, target_group, moves=None):
    """Start one migrate (running) or failover (stopped) job per instance
    of ``group`` that can move, to a node of ``target_group``. Returns the
    moves, each with its job or why it did not start. Refused before any
    job when none can move.
    """
    _check(group, "evacuate")
    if moves is None:
        moves = plan(group, target_group)
    movable = [m for m in moves if m.target]
    if not movable:
        why = preconditions.Refusal(_("none of its instances can move to "
                                      "group %s") % target_group)
        raise errors.Refused("%s: %s" % (group.name, why), group.cluster,
                             why)
    client = clusters.client(group.cluster)
    reason = job_starters.reason(request)
    for move in movable:
        try:
            if move.running:
                move.job_id = client.migrate_instance(
                    move.instance, target_node=move.target, reason=reason)
            else:
                move.job_id = client.failover_instance(
                    move.instance, target_node=move.target, reason=reason)
        except errors.RapiError as exc:
            move.error = str(exc)
    snapshots.mark_stale(group.cluster)
    return moves


def moves_summary(moves):
    """A sentence about what an evacuation started."""
    started = [m for m in moves if m.job_id is not None]
    return ngettext("%(count)d instance moving: %(items)s.",
                    "%(count)d instances moving: %(items)s.",
                    len(started)) % {
        "count": len(started), "items": ", ".join(
            _("%(name)s to %(node)s (Ganeti job %(job)s)") % {
                "name": m.instance, "node": m.target, "job": m.job_id}
            for m in started)}
