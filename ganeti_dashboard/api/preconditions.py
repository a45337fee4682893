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

"""What Ganeti would refuse, known before asking it: the state rules of
the instance and node actions.

Each rule reads only what the dashboard already holds of the object (its
snapshot row, or the object fresh from RAPI when an action is posted):
status, admin state, disk template, disks, secondary nodes, the number of
nodes of its cluster, node roles. The same rules decide what the tables
offer (an action that cannot work is shown disabled, with the reason) and
what the server accepts (``api.instances.act`` and ``api.nodes`` refuse
before any job is sent), so a hidden or disabled button is never the only
guard.

The rules follow Ganeti 3.0's own checks (``cmdlib``): rename needs the
instance marked down (``INSTANCE_NOT_RUNNING``); reinstall needs disks
and an online instance (RAPI's reinstall job shuts the instance down
first); migrate needs a running instance with mirrored disks (a stopped
one is refused: "Can't migrate, please use failover"); migrate and
failover need disks another node can reach (``DTS_MIRRORED``) and, for
drbd, a secondary node; a node's migrate-all starts one migration per
primary instance, each refused if its instance cannot migrate.
"""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Ganeti's DTS_MIRRORED: disks another node can reach, so the instance can
# move (diskless has nothing to move).
MIRRORED = ("diskless", "drbd", "sharedfile", "blockdev", "rbd", "ext",
            "gluster")
# Ganeti's DTS_INT_MIRROR: moves only to its secondary node.
INTERNALLY_MIRRORED = ("drbd",)
# Ganeti's DTS_GROWABLE.
GROWABLE = ("drbd", "ext", "file", "gluster", "plain", "rbd", "sharedfile")

# Ganeti's DTS_SNAPSHOT_CAPABLE: disks an export can copy while the
# instance runs; others are copied only from a stopped instance.
SNAPSHOT_CAPABLE = ("drbd", "ext", "plain")

# Actions that stop a running instance, for the warning before them.
STOPS = ("shutdown", "reboot", "reinstall", "failover", "delete", "export",
         "move")


@dataclasses.dataclass(frozen=True)
class Refusal:
    """Why an action cannot apply now. ``done``: the instance is already
    where the action would take it ("already running"), so nothing is
    wrong and nothing needs doing.
    """

    why: str
    done: bool = False

    def __str__(self):
        return self.why


def _offline(instance):
    return instance.admin_state == "offline" \
        or instance.status == "ADMIN_offline"


def _has_disks(instance):
    return instance.disk_template not in (None, "diskless") \
        and bool(instance.disk_sizes)


def _start(instance, node_count):
    if instance.is_running:
        return Refusal(_("it is already running"), done=True)
    if _offline(instance):
        return Refusal(_("it is marked offline"))
    if not instance.is_stopped:
        return Refusal(_("its state is %s") % instance.status_label)
    return None


def _shutdown(instance, node_count):
    if instance.is_stopped or _offline(instance):
        return Refusal(_("it is already stopped"), done=True)
    if not instance.is_running:
        return Refusal(_("its state is %s") % instance.status_label)
    return None


def _reboot(instance, node_count):
    if not instance.is_running:
        return Refusal(_("it is not running: start it instead"))
    return None


def _reinstall(instance, node_count):
    if not _has_disks(instance):
        return Refusal(_("it has no disks to reinstall"))
    if _offline(instance):
        return Refusal(_("it is marked offline"))
    return None


def _rename(instance, node_count):
    if instance.is_running or instance.admin_state not in ("down",
                                                           "offline"):
        return Refusal(_("it must be shut down first"))
    return None


def _move(instance, node_count):
    template = instance.disk_template
    if template not in MIRRORED:
        return Refusal(_("its %s disks stay on one node") % template)
    if template in INTERNALLY_MIRRORED and not instance.snodes:
        return Refusal(_("it has no secondary node"))
    if node_count is not None and node_count < 2:
        return Refusal(_("its cluster has one node"))
    return None


def _migrate(instance, node_count):
    refusal = _move(instance, node_count)
    if refusal is None and not instance.is_running:
        refusal = Refusal(_("it is not running: fail it over instead"))
    return refusal


def _grow_disk(instance, node_count):
    if not _has_disks(instance):
        return Refusal(_("it has no disks"))
    if instance.disk_template not in GROWABLE:
        return Refusal(_("its %s disks cannot grow")
                       % instance.disk_template)
    return None


def _hotplugs(instance):
    """Whether the instance's hypervisor can hotplug (kvm; the snapshot
    row has no hypervisor field, its hvparams tell).
    """
    return "kvm_path" in ((instance.data or {}).get("hvparams") or {})


def _disk_add(instance, node_count):
    if instance.disk_template in (None, "diskless"):
        return Refusal(_("it is diskless: Ganeti adds disks only to an "
                         "instance that has a disk template"))
    if _offline(instance):
        return Refusal(_("it is marked offline"))
    return None


def _disk_remove(instance, node_count):
    if not _has_disks(instance):
        return Refusal(_("it has no disks"))
    if instance.is_running and not _hotplugs(instance):
        return Refusal(_("it is running and its hypervisor cannot "
                         "hotplug: shut it down first"))
    return None


def _nics(instance, node_count):
    if not (instance.data or {}).get("nic.macs"):
        return Refusal(_("it has no network interfaces"))
    return None


def _activate_disks(instance, node_count):
    if not _has_disks(instance):
        return Refusal(_("it has no disks"))
    if _offline(instance):
        return Refusal(_("it is marked offline"))
    return None


def _stopped_with_disks(instance, node_count):
    if not _has_disks(instance):
        return Refusal(_("it has no disks"))
    if instance.is_running or instance.admin_state == "up":
        return Refusal(_("it must be shut down first"))
    return None


def _replace_disks(instance, node_count):
    if instance.disk_template not in INTERNALLY_MIRRORED:
        return Refusal(_("only DRBD disks can be replaced; its disks are "
                         "%s") % instance.disk_template)
    return None


def _change_primary(instance, node_count):
    if instance.disk_template in INTERNALLY_MIRRORED:
        return Refusal(_("its DRBD disks move with failover or migrate "
                         "only"))
    if instance.is_running:
        return Refusal(_("it must be shut down first"))
    if node_count is not None and node_count < 2:
        return Refusal(_("its cluster has one node"))
    return None


def _export(instance, node_count):
    # Ganeti 3.0 shuts a diskless instance down, then fails to finalize
    # the export ("No such file or directory: .../config.ini...").
    if not _has_disks(instance):
        return Refusal(_("it has no disks to export"))
    return None


# action (a key of api.instances.ACTIONS) -> rule(instance, node_count)
INSTANCE_RULES = {
    "disk_add": _disk_add,
    "disk_grow": _grow_disk,
    "disk_remove": _disk_remove,
    "nic_modify": _nics,
    "nic_remove": _nics,
    "activate_disks": _activate_disks,
    "deactivate_disks": _stopped_with_disks,
    "recreate_disks": _stopped_with_disks,
    "replace_disks": _replace_disks,
    "change_primary": _change_primary,
    "start": _start,
    "shutdown": _shutdown,
    "reboot": _reboot,
    "reinstall": _reinstall,
    "rename": _rename,
    "migrate": _migrate,
    "failover": _move,
    "grow_disk": _grow_disk,
    "export": _export,
    "move": _export,
}


def instance_refusal(action, instance, node_count=None):
    """Why ``action`` cannot apply to ``instance`` now (a :class:`Refusal`),
    or None. ``node_count``: how many nodes its cluster has, if known.
    """
    rule = INSTANCE_RULES.get(action)
    return rule(instance, node_count) if rule else None


def stops_instance(action, instance):
    """The warning to show before ``action`` stops a running ``instance``,
    or None.
    """
    if not instance.is_running or action not in STOPS:
        return None
    return {
        "shutdown": _("The instance stops: whatever runs on it stops "
                      "with it."),
        "reboot": _("The instance restarts: whatever runs on it is "
                    "interrupted."),
        "reinstall": _("The instance is shut down first, and everything "
                       "on its disks is lost."),
        "failover": _("The instance is shut down on its node and started "
                      "on the other: it is unreachable meanwhile."),
        "delete": _("The instance is shut down and deleted with its "
                    "disks."),
        "export": _("Unless you untick the shutdown, the instance is shut "
                    "down while its disks are copied, and started again "
                    "afterwards."),
        "move": _("The instance is shut down while its disks are sent to "
                  "the other cluster."),
    }[action]


# -- nodes -----------------------------------------------------------------

def migrate_all_refusal(primaries, names_shown=3):
    """Why a node's migrate-all would not move every one of its primary
    instances, or None. ``primaries``: ``(name, is_running, disk
    template)`` of each.

    Ganeti starts one migration per primary instance and refuses those of
    the stopped ones and of those whose disks cannot move: the node is
    left half emptied. So the dashboard offers it only when every one
    can migrate, and names those that cannot.
    """
    stopped = sorted(name for name, running, _t in primaries
                     if not running)
    fixed = sorted(name for name, running, template in primaries
                   if running and template not in MIRRORED)

    def named(names):
        shown = ", ".join(names[:names_shown])
        if len(names) > names_shown:
            shown += _(" and %d more") % (len(names) - names_shown)
        return shown

    if stopped:
        return Refusal(_("not running: %s (fail them over first)")
                       % named(stopped))
    if fixed:
        return Refusal(_("disks cannot move: %s") % named(fixed))
    return None


# -- clusters --------------------------------------------------------------

def cluster_refusal(cluster):
    """Why the dashboard may not change ``cluster`` (its configuration,
    or its :class:`api.cluster_settings.Settings`): its settings, its
    configuration's redistribution and its job filters. None if it may.

    A cluster configured ``read_only`` (its RAPI user may only read) is
    refused before anything is sent; a RAPI user that is read-only
    without the configuration saying so gets Ganeti's 403, shown as such.
    """
    if getattr(cluster, "read_only", False):
        return Refusal(_("the cluster is read-only for the dashboard (its "
                         "RAPI user may only read)"))
    return None


# -- node groups -----------------------------------------------------------

def group_delete_refusal(node_count, other_groups):
    """Why a group cannot be removed, or None: Ganeti refuses a group
    with nodes (in the job, naming the nodes' uuids) and the last group.
    """
    if node_count:
        return Refusal(ngettext("it still has %d node",
                                "it still has %d nodes",
                                node_count) % node_count)
    if not other_groups:
        return Refusal(_("it is the cluster's only group"))
    return None


# -- networks ---------------------------------------------------------------

def network_delete_refusal(groups, instances):
    """Why a network cannot be removed, or None: Ganeti refuses one still
    connected to a group (in the job: "Network still connected"), and one
    whose addresses instances use.
    """
    if groups:
        return Refusal(ngettext(
            "it is still connected to group %(groups)s: disconnect it "
            "first", "it is still connected to groups %(groups)s: "
            "disconnect it first", len(groups)) % {
                "groups": ", ".join(groups)})
    if instances:
        return Refusal(ngettext("instance %(names)s uses it",
                                "instances %(names)s use it",
                                len(instances)) % {
            "names": ", ".join(instances)})
    return None
