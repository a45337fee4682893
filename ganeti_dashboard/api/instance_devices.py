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


"""An instance's disks and NICs, and the jobs that change them.

One function per RAPI call: the device changes are each one
``PUT /2/instances/<name>/modify`` (Ganeti's ``OpInstanceSetParams`` with
``disks`` or ``nics`` in its ``[[op, index, {params}]]`` form), growing a
disk is ``POST .../disk/<index>/grow``, and the disk operations have
resources of their own (``activate-disks``, ``deactivate-disks``,
``recreate-disks``, ``replace-disks``). Every one goes through
:func:`api.instances.act` under its own action name (:data:`ACTIONS`), so
the scope, the state rules (``api.preconditions``), the reason trail and
the row's pending job are the same as for every other instance action.

Device changes ask for ``hotplug_if_possible``: a hypervisor that can
hotplug (kvm) applies the change to the running instance, any other
(fake, xen) leaves it for the next reboot, which :func:`hotplugged`
reads from the job's result (``hotplug:done`` beside the change).
"""

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors

DISK_MODES = ("rw", "ro")
NIC_MODES = ("bridged", "routed", "openvswitch")
REPLACE_MODES = ("replace_auto", "replace_on_primary",
                 "replace_on_secondary", "replace_new_secondary")


def _modify(client, name, reason=None, **changes):
    return client.modify_instance(name, reason=reason,
                                  hotplug_if_possible=True, **changes)


def add_disk(client, name, size, mode="rw", disk_name=None, reason=None):
    """Add a disk of ``size`` MiB after the others."""
    params = {"size": int(size), "mode": mode}
    if disk_name:
        params["name"] = disk_name
    return _modify(client, name, reason, disks=[["add", -1, params]])


def remove_disk(client, name, index, reason=None):
    return _modify(client, name, reason, disks=[["remove", int(index), {}]])


def grow_disk(client, name, index, amount, reason=None):
    """Grow disk ``index`` by ``amount`` MiB (Ganeti's modify refuses a
    size change: "use grow-disk").
    """
    return client.grow_disk(name, disk=int(index), amount=int(amount),
                            reason=reason)


def nic_params(mac=None, ip=None, mode=None, link=None, network=None,
               nic_name=None):
    """A NIC's parameters as Ganeti takes them, unset ones left out.

    With a network, Ganeti takes mode and link from the network's
    connection to the group ("If network is given mode or link should
    not"), so they are left out then.
    """
    params = {}
    if network:
        params["network"] = network
    else:
        if mode:
            params["mode"] = mode
        if link:
            params["link"] = link
    for key, value in (("mac", mac), ("ip", ip), ("name", nic_name)):
        if value:
            params[key] = value
    return params


def add_nic(client, name, reason=None, **params):
    params = nic_params(**params)
    params.setdefault("mac", "generate")
    return _modify(client, name, reason, nics=[["add", -1, params]])


def modify_nic(client, name, index, reason=None, **params):
    return _modify(client, name, reason,
                   nics=[["modify", int(index), nic_params(**params)]])


def remove_nic(client, name, index, reason=None):
    return _modify(client, name, reason, nics=[["remove", int(index), {}]])


def activate_disks(client, name, ignore_size=False, reason=None):
    return client.activate_instance_disks(name, ignore_size=ignore_size,
                                          reason=reason)


def deactivate_disks(client, name, reason=None):
    return client.deactivate_instance_disks(name, reason=reason)


def recreate_disks(client, name, reason=None):
    return client.recreate_instance_disks(name, reason=reason)


def replace_disks(client, name, mode, remote_node=None, iallocator=None,
                  reason=None):
    return client.replace_instance_disks(
        name, mode=mode, remote_node=remote_node, iallocator=iallocator,
        reason=reason)


def change_primary(client, name, node, reason=None):
    """Ganeti only records the new primary node: the disks must already
    be there (shared storage, or moved by hand).
    """
    return client.modify_instance(name, reason=reason, pnode=node)


# action -> (label while its job runs, function(client, name, **kwargs)),
# merged into api.instances.ACTIONS.
ACTIONS = {
    "disk_add": ("Adding disk", add_disk),
    "disk_grow": ("Growing disk", grow_disk),
    "disk_remove": ("Removing disk", remove_disk),
    "nic_add": ("Adding NIC", add_nic),
    "nic_modify": ("Changing NIC", modify_nic),
    "nic_remove": ("Removing NIC", remove_nic),
    "activate_disks": ("Activating disks", activate_disks),
    "deactivate_disks": ("Deactivating disks", deactivate_disks),
    "recreate_disks": ("Recreating disks", recreate_disks),
    "replace_disks": ("Replacing disks", replace_disks),
    "change_primary": ("Changing primary node", change_primary),
}

# The actions whose job Ganeti may apply by hotplug.
HOTPLUG = ("disk_add", "disk_remove", "nic_add", "nic_modify", "nic_remove")


def hotplugged(cluster, job_id, timeout=20):
    """Whether the device change of job ``job_id`` was hotplugged: True,
    False (it takes effect at the instance's next reboot), or None when
    the job did not end within ``timeout`` seconds (then nobody knows
    yet). A failed job raises :class:`errors.JobFailed`.
    """
    client = clusters.client(cluster)
    try:
        job = client.wait_for_job(job_id, timeout=timeout)
    except errors.Timeout:
        return None
    text = repr(job.get("opresult"))
    return "hotplug:done" in text


def disks(instance):
    """Rows of the Disks tab: index, size, name, uuid, template."""
    data = instance.data

    def pick(field, i):
        values = data.get(field) or []
        return values[i] if i < len(values) else None

    return [{"index": i, "size": size, "name": pick("disk.names", i),
             "uuid": pick("disk.uuids", i),
             "spindles": pick("disk.spindles", i),
             "template": instance.disk_template}
            for i, size in enumerate(instance.disk_sizes)]


def nics(instance):
    """Rows of the NICs tab: index, MAC, IP, mode, link, network, name,
    uuid.
    """
    data = instance.data

    def pick(field, i):
        values = data.get(field) or []
        return values[i] if i < len(values) else None

    return [{"index": i, "mac": mac, "ip": pick("nic.ips", i),
             "mode": pick("nic.modes", i), "link": pick("nic.links", i),
             "network": pick("nic.networks.names", i),
             "name": pick("nic.names", i), "uuid": pick("nic.uuids", i)}
            for i, mac in enumerate(data.get("nic.macs") or [])]
