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

"""The instance resources of a fake cluster's RAPI (see ``fake_rapi``).

``/2/instances`` and everything below it, with the opcodes Ganeti 3.0.2
makes of each request (parameters as it fills them in, measured on the
sandboxes) and what each does to the instance when its job runs, including
the refusals a job reports: an unknown or taken name, renaming an instance
that is up, reinstalling one without disks, migrating one that is stopped.
"""

import uuid

from ganeti_dashboard.test import fake_rapi_cluster as state
from ganeti_dashboard.test import fake_rapi_jobs as jobs
from ganeti_dashboard.test import fake_rapi_networks as networks
from ganeti_dashboard.test import fake_rapi_resources as common

DISK_TEMPLATES = ("diskless", "file", "sharedfile", "plain", "drbd",
                  "blockdev", "rbd", "ext", "gluster")


def _one_op(cluster, call, op_id, params, effect, library,
            dry_run=False):
    """Submit a job of one opcode; ``dry_run``: the opcode has that
    parameter (from ``?dry-run``).
    """
    flag = call.flag("dry-run") if dry_run else None
    return common.submit(cluster, call,
                         [common.op(op_id, params, effect, flag)], library)


def _no_lock(call):
    if call.flag("lock"):
        raise common.HttpError(
            500, "('Sync queries are not allowed', 'wrong_input')")


def _instances(cluster, call):
    _no_lock(call)
    names = state.nice_sorted(cluster.instances)
    if call.flag("bulk"):
        return [cluster.instance_item(cluster.instances[n]) for n in names]
    return [{"id": n, "uri": "/2/instances/%s" % n} for n in names]


def _instance(cluster, call, name):
    _no_lock(call)
    found = cluster.find_instance(name)
    if found is None:
        raise common.HttpError(404)
    return cluster.instance_item(found)


_CREATE_DEFAULTS = {
    "force_variant": False, "wait_for_sync": True, "name_check": True,
    "ignore_ipolicy": False, "opportunistic_locking": False,
    "beparams": {}, "hvparams": {}, "identify_defaults": False,
    "ip_check": True, "conflicts_check": True, "osparams": {},
    "source_shutdown_timeout": 120, "compress": "none", "start": True,
    "forthcoming": False, "commit": False, "tags": [],
    "instance_communication": False, "helper_startup_timeout": 300,
    "helper_shutdown_timeout": 7200}


def _check_import(cluster, params):
    """What an import reads of its export (``src_node``, ``src_path``)."""
    src_node, src_path = params.get("src_node"), params.get("src_path")
    if not src_path:
        raise jobs.OpError("No source path given for import", "wrong_input")
    if src_node:
        node = common.running_node(cluster, src_node)
        if src_path not in cluster.exports.get(node["name"], ()):
            raise jobs.OpError("No export or invalid export found in dir "
                               "/var/lib/ganeti/export/%s" % src_path, None,
                               "OpPrereqError")
    elif not any(src_path in names for names in cluster.exports.values()):
        raise jobs.OpError("No export found for relative path %s"
                           % src_path, "wrong_input")


def _remote_import(cluster, params, log):
    """Checks the handshake (the clusters' domain secrets), then logs where
    it listens for each disk, as Ganeti's ``remote-import`` log entry.
    """
    handshake = params.get("source_handshake")
    if not isinstance(handshake, list) or len(handshake) != 3:
        raise jobs.OpError("Invalid handshake: Invalid handshake",
                           "wrong_input")
    if handshake[2] != cluster.domain_secret:
        raise jobs.OpError("Invalid handshake: Hash didn't match, clusters "
                           "don't share the same domain secret",
                           "wrong_input")
    pnode = cluster.nodes[params["pnode"]] if params.get("pnode") \
        else next(iter(cluster.nodes.values()))
    log(["remote-import", {
        "disks": [[pnode["pip"], 40000 + index, "fakemagic", "hmac",
                   "salt"] for index, _disk in enumerate(params["disks"])],
        "x509_ca": "-----BEGIN CERTIFICATE-----fake destination"}])


def _create(cluster, call):
    body = dict(call.body or {})
    body.pop("__version__", None)
    params, effect = _create_op(cluster, body)
    return _one_op(cluster, call, "OP_INSTANCE_CREATE", params, effect,
                   "instances", dry_run=True)


def _create_op(cluster, body):
    """The parameters and effect of one create opcode of ``body``."""
    body = dict(body)
    for old, new in (("name", "instance_name"), ("os", "os_type")):
        if old in body:
            body[new] = body.pop(old)
    for key in ("instance_name", "mode", "disks"):
        if key not in body:
            raise common.invalid("OP_INSTANCE_CREATE", key)
    if body["mode"] not in ("create", "import", "remote-import"):
        raise common.invalid("OP_INSTANCE_CREATE", "mode")
    if body.get("disk_template") not in DISK_TEMPLATES:
        raise common.invalid("OP_INSTANCE_CREATE", "disk_template")
    for key in ("disks", "nics"):
        if not isinstance(body.get(key, []), list):
            raise common.invalid("OP_INSTANCE_CREATE", key)
    params = dict(_CREATE_DEFAULTS, **body)
    params.setdefault("nics", [])

    def effect(log):
        name = params["instance_name"]
        if name in cluster.instances:
            raise jobs.OpError("Instance '%s' is already in the cluster"
                               % name, "already_exists")
        pnode = params.get("pnode")
        if not pnode:
            pnode, said = common.other_node(
                cluster, {"name": name, "pnode": None, "snodes": []})
            log(said)
        common.running_node(cluster, pnode)
        if params["mode"] == "import":
            _check_import(cluster, params)
        if params["mode"] == "remote-import":
            _remote_import(cluster, params, log)
        known = set(cluster.os_names) | {
            n.partition("+")[0] for n in cluster.os_names}
        if params.get("os_type") and params["os_type"] not in known:
            raise jobs.OpError(
                "OS Parameters validation failed on node %s: Directory for "
                "OS %s not found in search path"
                % (pnode, params["os_type"].split("+")[0]), None,
                "OpExecError")
        params["nics"] = [networks.check_nic(cluster, nic, pnode)
                          for nic in params["nics"]]
        snodes = [params["snode"]] if params.get("snode") else []
        log("* creating instance disks...")
        log("adding instance %s to cluster config" % name)
        log("adding disks to cluster config")
        hypervisor = params.get("hypervisor") or \
            cluster.info["default_hypervisor"]
        cluster.add_instance(
            name, status="running" if params["start"] else "ADMIN_down",
            pnode=pnode, snodes=snodes, tags=params["tags"],
            beparams=params["beparams"],
            disk_template=params.get("disk_template"),
            disks=params["disks"], nics=params["nics"] or [{}],
            os=params.get("os_type"), hypervisor=hypervisor)
        if params["start"]:
            log("* starting instance...")
        # What Ganeti fills in once the opcode has run.
        params.update(beparams=state.upgrade_beparams(params["beparams"]),
                      hypervisor=hypervisor,
                      pnode_uuid=cluster.nodes[pnode]["uuid"],
                      osparams_private={}, osparams_secret={})
        return [pnode] + snodes
    return params, effect


def _multi_alloc(cluster, call):
    """``POST /2/instances-multi-alloc``: one job that places every
    instance (on its ``pnode``, else with the cluster's default
    allocator) and submits one create job each, as Ganeti 3.0 does; its
    result lists them (``allocatable``, ``failed``, ``jobs``).
    """
    body = call.body if isinstance(call.body, dict) else {}
    if "instances" not in body:
        raise common.HttpError(400, "Request is missing required "
                                    "'instances' field in body")
    creates = [_create_op(cluster, spec) for spec in body["instances"]]
    iallocator = body.get("iallocator")
    params = {"instances": [dict(p, OP_ID="OP_INSTANCE_CREATE")
                            for p, _e in creates],
              "iallocator": iallocator,
              "opportunistic_locking": bool(
                  body.get("opportunistic_locking", False))}
    flag = call.flag("dry-run")

    def effect(log):
        names = [p["instance_name"] for p, _e in creates]
        placed = [bool(p.get("pnode")) for p, _e in creates]
        if any(p.get("iallocator") for p, _e in creates):
            raise jobs.OpError("iallocator are not allowed to be set on "
                               "instance objects")
        if any(placed) and not all(placed):
            raise jobs.OpError("There are instance objects providing "
                               "pnode/snode while others do not")
        chosen = iallocator
        if not any(placed) and not chosen:
            chosen = cluster.info.get("default_iallocator")
            if not chosen:
                raise jobs.OpError(
                    "No iallocator or nodes on the instances given and no "
                    "cluster-wide default iallocator found; please specify "
                    "either an iallocator or nodes on the instances or set "
                    "a cluster-wide default iallocator")
        dups = sorted({n for n in names if names.count(n) > 1})
        if dups:
            raise jobs.OpError("There are duplicate instance names: %s"
                               % ", ".join(dups))
        if chosen and any(p.get("hypervisor") is None for p, _e in creates):
            raise jobs.OpError("Request parameter 'hypervisor' has invalid "
                               "type <class 'NoneType'>/value None")
        started = []
        if flag:
            log(" - INFO: dry-run mode requested, not actually executing "
                "the operation")
        else:
            # Each create job carries the reason trail of this one.
            for op_params, op_effect in creates:
                child = cluster.queue.submit(
                    [common.op("OP_INSTANCE_CREATE", op_params, op_effect,
                               False)], trail=multi.reason)
                started.append([True, child.id])
        return {"allocatable": names, "failed": [], "jobs": started}

    # Its checks run in a dry run too (Ganeti checks, then does not
    # execute): the effect runs either way, dry_run is a parameter.
    params["dry_run"] = flag
    multi = common.op("OP_INSTANCE_MULTI_ALLOC", params, effect)
    return common.submit(cluster, call, [multi], "instances_multi_alloc")


_EXPORT_DEFAULTS = {
    "compress": "none", "shutdown_timeout": 120, "shutdown": True,
    "remove_instance": False, "ignore_remove_failures": False,
    "zero_free_space": False, "long_sleep": False}
SNAPSHOT_CAPABLE = ("drbd", "ext", "plain")


def _prepare_export(cluster, call, name):
    mode = call.arg("mode")
    if mode not in ("local", "remote"):
        raise common.invalid("OP_BACKUP_PREPARE", "mode")
    params = common.instance_params(cluster, name, mode=mode)

    def effect(log):
        instance = common.running_instance(cluster, name)
        if mode == "local":
            return None
        key = "x509-fake-%s" % uuid.uuid4().hex[:8]
        return {"handshake": [0, "fakehash", cluster.domain_secret],
                "x509_key_name": [key, "fakehmac", "fakesalt"],
                "x509_ca": "-----BEGIN CERTIFICATE-----fake %s"
                           % instance["name"]}
    return _one_op(cluster, call, "OP_BACKUP_PREPARE", params, effect,
                   "instances_name_prepare_export")


def _export(cluster, call, name):
    body = dict(call.body or {})
    if "destination" in body:  # RAPI's PUT_RENAME
        body["target_node"] = body.pop("destination")
    if body.get("mode") not in ("local", "remote"):
        raise common.invalid("OP_BACKUP_EXPORT", "mode")
    if "target_node" not in body:
        raise common.invalid("OP_BACKUP_EXPORT", "target_node")
    if body["mode"] == "remote":
        return _remote_export(cluster, call, name, body)
    params = common.instance_params(cluster, name,
                                    **dict(_EXPORT_DEFAULTS, **body))

    def effect(log):
        instance = common.running_instance(cluster, name)
        target = common.running_node(cluster, params["target_node"])
        role = target.get("role")
        if role == "O":
            raise jobs.OpError("Can't use offline node %s"
                               % target["name"], "wrong_state")
        if role == "D":
            raise jobs.OpError("Can't use drained node %s"
                               % target["name"], "wrong_state")
        was_running = instance["status"] == "running"
        if params["shutdown"]:
            log("Shutting down instance %s" % instance["name"])
        snapshots = instance["disk_template"] in SNAPSHOT_CAPABLE
        if not snapshots and not params["shutdown"]:
            raise jobs.OpError("Not all disks could be snapshotted, and you "
                               "requested a live export; aborting", None,
                               "OpExecError")
        if not snapshots and not params["long_sleep"]:
            instance["status"] = "ERROR_down"
            raise jobs.OpError(
                "Not all disks could be snapshotted, and you did not allow "
                "the instance to remain offline for a longer time through "
                "the --long-sleep option; aborting", None, "OpExecError")
        if not instance["disk.sizes"]:
            raise jobs.OpError("Export failed, errors in export "
                               "finalization", None, "OpExecError")
        log("Finalizing export on %s" % target["name"])
        if was_running and params["shutdown"]:
            log("Starting instance %s" % instance["name"])
        log("Removing old exports for instance %s" % instance["name"])
        for names in cluster.exports.values():
            names.discard(instance["name"])
        cluster.exports.setdefault(target["name"], set()).add(
            instance["name"])
        return [True, [True] * len(instance["disk.sizes"])]
    return _one_op(cluster, call, "OP_BACKUP_EXPORT", params, effect,
                   "instances_name_export")


def _remote_export(cluster, call, name, body):
    """Sends the disks to a remote import's addresses (the fake: at once;
    a destination address that no fake import listens on fails).
    """
    params = common.instance_params(cluster, name,
                                    **dict(_EXPORT_DEFAULTS, **body))

    def effect(log):
        instance = common.running_instance(cluster, name)
        if not params.get("x509_key_name"):
            raise jobs.OpError("Missing X509 key name for encryption",
                               "wrong_input")
        if not params.get("destination_x509_ca"):
            raise jobs.OpError("Missing destination X509 CA",
                               "wrong_input")
        if len(params["target_node"]) != len(instance["disk.sizes"]):
            raise jobs.OpError("Received destination information for %s "
                               "disks, but instance %s has %s disks"
                               % (len(params["target_node"]), name,
                                  len(instance["disk.sizes"])),
                               "wrong_input")
        log("Shutting down instance %s" % name)
        if instance["disk_template"] not in SNAPSHOT_CAPABLE \
                and not params["long_sleep"]:
            # as a local export: stopped, then refused (Ganeti 3.0.2)
            instance["status"] = "ERROR_down"
            raise jobs.OpError(
                "Not all disks could be snapshotted, and you did not allow "
                "the instance to remain offline for a longer time through "
                "the --long-sleep option; aborting", None, "OpExecError")
        if any(disk[0] == "unreachable" for disk in params["target_node"]):
            raise jobs.OpError("Export failed, errors in disk export: "
                               "disk(s) 0", None, "OpExecError")
        if params["remove_instance"]:
            log("Removing instance %s" % name)
            del cluster.instances[instance["name"]]
        return [True, [True] * len(instance["disk.sizes"])]
    return _one_op(cluster, call, "OP_BACKUP_EXPORT", params, effect,
                   "instances_name_export")


def _delete(cluster, call, name):
    params = common.instance_params(cluster, name, shutdown_timeout=120,
                                    ignore_failures=False)

    def effect(log):
        instance = common.running_instance(cluster, name)
        del cluster.instances[instance["name"]]
    return _one_op(cluster, call, "OP_INSTANCE_REMOVE", params, effect,
                   "instances_name", dry_run=True)


def _startup_op(cluster, name, force=False, dry_run=None):
    params = common.instance_params(
        cluster, name, force=force, ignore_offline_nodes=False,
        hvparams={}, beparams={}, no_remember=False, startup_paused=False,
        shutdown_timeout=120)

    def effect(log):
        instance = common.running_instance(cluster, name)
        state.set_status(instance, "running")
        state.touch(instance)
    return common.op("OP_INSTANCE_STARTUP", params, effect, dry_run)


def _shutdown_op(cluster, name, timeout=120, force=False, no_remember=False,
                 dry_run=None):
    params = common.instance_params(
        cluster, name, force=force, ignore_offline_nodes=False,
        timeout=timeout, no_remember=no_remember,
        admin_state_source="admin")

    def effect(log):
        instance = common.running_instance(cluster, name)
        state.set_status(instance, "ERROR_down" if no_remember
                         else "ADMIN_down")
        state.touch(instance)
    return common.op("OP_INSTANCE_SHUTDOWN", params, effect, dry_run)


def _startup(cluster, call, name):
    return common.submit(cluster, call, [_startup_op(
        cluster, name, bool(call.field("force")), call.flag("dry-run"))],
        "instances_name_startup")


def _shutdown(cluster, call, name):
    return common.submit(cluster, call, [_shutdown_op(
        cluster, name, call.field("timeout", 120),
        bool(call.field("force")), call.flag("no_remember"),
        call.flag("dry-run"))], "instances_name_shutdown")


def _reboot(cluster, call, name):
    kind = call.arg("type", "hard")
    if kind not in ("soft", "hard", "full"):
        raise common.invalid("OP_INSTANCE_REBOOT", "reboot_type")
    params = common.instance_params(
        cluster, name, shutdown_timeout=120,
        ignore_secondaries=call.flag("ignore_secondaries"), reboot_type=kind)

    def effect(log):
        # A stopped instance is started (measured).
        instance = common.running_instance(cluster, name)
        state.set_status(instance, "running")
    return _one_op(cluster, call, "OP_INSTANCE_REBOOT", params, effect,
                   "instances_name_reboot", dry_run=True)


def _reinstall(cluster, call, name):
    """Shutdown, reinstall and (unless told not to) startup in one job,
    made by rlib2 itself: none of its opcodes gets ``?reason=``.
    """
    if call.has_body and call.query:
        raise common.HttpError(400,
                               "Can't combine query and body parameters")
    if call.has_body:
        os_name, start = call.field("os"), call.field("start", True)
        osparams = call.field("osparams")
    else:
        os_name, start = call.arg("os"), not call.flag("nostartup")
        osparams = None
    shutdown = _shutdown_op(cluster, name)
    params = common.instance_params(cluster, name, force_variant=False)
    if os_name:
        params["os_type"] = os_name
    if osparams:
        params["osparams"] = osparams

    def effect(log):
        instance = common.running_instance(cluster, name)
        if not instance["disk.sizes"]:
            raise jobs.OpError("Instance '%s' has no disks"
                               % instance["name"], "wrong_input")
        if os_name:
            instance["os"] = os_name
        state.touch(instance)
    ops = [shutdown, common.op("OP_INSTANCE_REINSTALL", params, effect)]
    if start:
        ops.append(_startup_op(cluster, name))
    return common.submit(cluster, call, ops, None, reason=False)


def _rename(cluster, call, name):
    new_name = call.field("new_name")
    if not new_name:
        raise common.invalid("OP_INSTANCE_RENAME", "new_name")
    params = common.instance_params(
        cluster, name, new_name=new_name,
        name_check=call.field("name_check", True),
        ip_check=call.field("ip_check", True))

    def effect(log):
        instance = common.running_instance(cluster, name)
        if instance["admin_state"] == "up":
            raise jobs.OpError("Instance '%s' is marked to be up, cannot "
                               "rename" % instance["name"], "wrong_state")
        if new_name in cluster.instances:
            raise jobs.OpError("Instance '%s' is already in the cluster"
                               % new_name, "already_exists")
        del cluster.instances[instance["name"]]
        instance["name"] = new_name
        cluster.instances[new_name] = instance
        state.touch(instance)
        return new_name
    return _one_op(cluster, call, "OP_INSTANCE_RENAME", params, effect,
                   "instances_name_rename")


_MODIFY_DEFAULTS = {
    "force": False, "force_variant": False, "ignore_ipolicy": False,
    "nics": [], "disks": [], "beparams": {}, "hvparams": {},
    "ext_params": {}, "osparams": {}, "wait_for_sync": True,
    "conflicts_check": True, "hotplug": False, "hotplug_if_possible": False}


def _modify(cluster, call, name):
    params = common.instance_params(
        cluster, name, **dict(_MODIFY_DEFAULTS, **(call.body or {})))

    def effect(log):
        instance = common.running_instance(cluster, name)
        changes = []
        beparams = state.upgrade_beparams(params["beparams"])
        if beparams:
            instance["custom_beparams"].update(beparams)
            instance["beparams"] = cluster.merged_beparams(
                instance["custom_beparams"])
            changes += [["be/%s" % k, v] for k, v in beparams.items()]
        if params["hvparams"]:
            instance["custom_hvparams"].update(params["hvparams"])
            instance["hvparams"].update(params["hvparams"])
            changes += [["hv/%s" % k, v]
                        for k, v in params["hvparams"].items()]
        if params.get("os_name"):
            instance["os"] = params["os_name"]
            changes.append(["os", params["os_name"]])
        hotplug = _hotplug(instance, params)
        if params.get("pnode"):
            _change_primary(cluster, instance, params["pnode"])
            changes.append(["pnode", params["pnode"]])
        for change in params["disks"]:
            changes += _disk_change(instance, change, hotplug)
        for change in params["nics"]:
            changes += _nic_change(cluster, instance, change, hotplug)
        state.touch(instance)
        return changes
    return _one_op(cluster, call, "OP_INSTANCE_SET_PARAMS", params, effect,
                   "instances_name_modify")


def _hotplug(instance, params):
    """Whether a device change is hotplugged: asked for, and possible (a
    kvm instance; the fake hypervisor refuses, as Ganeti's does).
    """
    if not (params.get("hotplug") or params.get("hotplug_if_possible")):
        return False
    possible = instance["oper_state"] and "kvm_path" in instance["hvparams"]
    if params.get("hotplug") and not possible:
        raise jobs.OpError("Hotplug is not possible: Hotplug is not "
                           "supported by this hypervisor", "wrong_state")
    return possible


def _change_primary(cluster, instance, node):
    if cluster.find_node(node) is None:
        raise jobs.OpError("Node '%s' not known" % node, "unknown_entity")
    if instance["oper_state"]:
        raise jobs.OpError("Instance is still running on %s"
                           % instance["pnode"], "wrong_state")
    instance["pnode"] = cluster.find_node(node)["name"]


_DISK_FIELDS = ("disk.sizes", "disk.spindles", "disk.names", "disk.uuids")
_NIC_FIELDS = ("nic.ips", "nic.macs", "nic.modes", "nic.uuids",
               "nic.names", "nic.links", "nic.networks",
               "nic.networks.names", "nic.bridges")


def _index(instance, kind, identifier, adding=False):
    count = len(instance["%s.uuids" % kind])
    index = int(identifier)
    if adding and index == -1:
        return count
    if index < 0:
        index += count
    if not 0 <= index < count + (1 if adding else 0):
        raise jobs.OpError("Invalid %s index %s" % (
            "disk" if kind == "disk" else "NIC", identifier),
            "wrong_input")
    return index


def _disk_change(instance, change, hotplug):
    """One ``[op, index, params]`` of a modify's ``disks``; its log."""
    op, identifier, params = change
    suffix = [] if not hotplug else ["hotplug:done"]
    if op == "add":
        if instance["disk_template"] == "diskless":
            raise jobs.OpError("Must specify disk type on diskless "
                               "instance", "wrong_input")
        index = _index(instance, "disk", identifier, adding=True)
        size = int(params["size"])
        for key, value in zip(_DISK_FIELDS, (size, None, params.get("name"),
                                             str(uuid.uuid4()))):
            instance[key].insert(index, value)
        instance["disk_usage"] = state.disk_usage(instance)
        return [["disk/%d" % index, "add:size=%d,mode=%s" % (
            size, params.get("mode", "rw"))]] + [
            ["disk/%d" % index, s] for s in suffix]
    if op == "remove":
        if instance["oper_state"] and not hotplug:
            raise jobs.OpError("Can't remove volume from a running "
                               "instance without using hotplug: instance "
                               "is running", "wrong_state")
        index = _index(instance, "disk", identifier)
        for key in _DISK_FIELDS:
            del instance[key][index]
        instance["disk_usage"] = state.disk_usage(instance)
        return [["disk/%d" % index, "remove"]]
    index = _index(instance, "disk", identifier)
    if "size" in params:
        raise jobs.OpError("Disk size change not possible, use grow-disk",
                           "wrong_input")
    if "name" in params:
        instance["disk.names"][index] = params["name"]
    return [["disk.name/%d" % index, params.get("name")]]


def _nic_change(cluster, instance, change, hotplug):
    """One ``[op, index, params]`` of a modify's ``nics``; its log."""
    op, identifier, params = change
    if params.get("network") and (params.get("mode") or params.get("link")):
        raise jobs.OpError("If network is given mode or link should not",
                           "wrong_input")
    suffix = ["hotplug:done"] if hotplug else []
    if op == "remove":
        index = _index(instance, "nic", identifier)
        for key in _NIC_FIELDS:
            del instance[key][index]
        instance["custom_nicparams"].pop(index)
        return [["nic.%d" % index, "remove"]]
    default = cluster.info["nicparams"]["default"]
    if op == "add":
        index = _index(instance, "nic", identifier, adding=True)
        mac = params.get("mac")
        if mac in (None, "auto", "generate"):
            mac = state.new_mac()
        values = {"nic.ips": params.get("ip"), "nic.macs": mac,
                  "nic.modes": params.get("mode") or default["mode"],
                  "nic.uuids": str(uuid.uuid4()),
                  "nic.names": params.get("name"),
                  "nic.links": params.get("link") or default["link"],
                  "nic.networks": params.get("network"),
                  "nic.networks.names": params.get("network"),
                  "nic.bridges": None}
        for key in _NIC_FIELDS:
            instance[key].insert(index, values[key])
        instance["custom_nicparams"].insert(index, {})
    else:
        index = _index(instance, "nic", identifier)
        if params.get("mac") in ("auto", "generate"):
            raise jobs.OpError("'auto' is not a valid MAC address when "
                               "modifying an existing NIC", "wrong_input")
        for key, field in (("ip", "nic.ips"), ("mac", "nic.macs"),
                           ("mode", "nic.modes"), ("link", "nic.links"),
                           ("name", "nic.names")):
            if key in params:
                value = params[key]
                instance[field][index] = None if value == "none" else value
        if "network" in params:
            instance["nic.networks"][index] = params["network"]
            instance["nic.networks.names"][index] = params["network"]
    modes, links = instance["nic.modes"], instance["nic.links"]
    instance["nic.bridges"][index] = links[index] \
        if modes[index] == "bridged" else None
    text = ",".join("%s=%s" % (k, v) for k, v in sorted(params.items()))
    return [["nic.%d" % index, "%s:%s" % (op, text)]] + [
        ["nic.%d" % index, s] for s in suffix]


def _disks_op(cluster, call, name, op_id, library, check, **params):
    """activate-disks, deactivate-disks, recreate-disks, replace-disks."""
    params = common.instance_params(cluster, name, **params)

    def effect(log):
        instance = common.running_instance(cluster, name)
        check(instance)
        state.touch(instance)
        return None
    return _one_op(cluster, call, op_id, params, effect, library)


def _needs_disks(instance):
    if not instance["disk.sizes"]:
        raise jobs.OpError("Instance '%s' has no disks" % instance["name"],
                           "wrong_input")


def _needs_down(instance, what):
    _needs_disks(instance)
    if instance["oper_state"] or instance["admin_state"] == "up":
        raise jobs.OpError("Instance %s is running, %s"
                           % (instance["name"], what), "wrong_state")


def _activate_disks(cluster, call, name):
    return _disks_op(cluster, call, name, "OP_INSTANCE_ACTIVATE_DISKS",
                     "instances_name_activate_disks", _needs_disks,
                     ignore_size=call.flag("ignore_size"),
                     wait_for_sync=False)


def _deactivate_disks(cluster, call, name):
    return _disks_op(cluster, call, name, "OP_INSTANCE_DEACTIVATE_DISKS",
                     "instances_name_deactivate_disks",
                     lambda i: _needs_down(i, "cannot shutdown disks"),
                     force=call.flag("force"))


def _recreate_disks(cluster, call, name):
    body = call.body or {}
    return _disks_op(cluster, call, name, "OP_INSTANCE_RECREATE_DISKS",
                     "instances_name_recreate_disks",
                     lambda i: _needs_down(i, "cannot recreate disks"),
                     disks=body.get("disks", []),
                     nodes=body.get("nodes", []),
                     iallocator=body.get("iallocator"))


REPLACE_MODES = ("replace_on_primary", "replace_on_secondary",
                 "replace_new_secondary", "replace_auto")


def _replace_disks(cluster, call, name):
    body = call.body or {}
    mode = body.get("mode")
    if mode not in REPLACE_MODES:
        raise common.invalid("OP_INSTANCE_REPLACE_DISKS", "mode")

    def check(instance):
        if instance["disk_template"] != "drbd":
            raise jobs.OpError("Can only run replace disks for DRBD8-based "
                               "instances", "wrong_input")
        if mode == "replace_new_secondary":
            if not (body.get("remote_node") or body.get("iallocator")):
                raise jobs.OpError("When changing the secondary either an "
                                   "iallocator script must be used or the "
                                   "new node given", "wrong_input")
            taken = [instance["pnode"]] + instance["snodes"]
            new = body.get("remote_node") or next(
                (n for n in state.nice_sorted(cluster.nodes)
                 if n not in taken), None)
            if new is None or new in taken:
                raise jobs.OpError("Can't compute nodes using iallocator "
                                   "'hail': Request failed: Can't find any "
                                   "good node", "wrong_input")
            instance["snodes"] = [new]
    return _disks_op(cluster, call, name, "OP_INSTANCE_REPLACE_DISKS",
                     "instances_name_replace_disks", check, mode=mode,
                     remote_node=body.get("remote_node"),
                     iallocator=body.get("iallocator"),
                     disks=body.get("disks", []),
                     early_release=bool(body.get("early_release", False)))


def _grow(cluster, call, name, disk):
    amount = call.field("amount")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise common.invalid("OP_INSTANCE_GROW_DISK", "amount")
    index = int(disk)
    absolute = bool(call.field("absolute", False))
    params = common.instance_params(
        cluster, name, wait_for_sync=call.field("wait_for_sync", True),
        disk=index, amount=amount, absolute=absolute, ignore_ipolicy=False)

    def effect(log):
        instance = common.running_instance(cluster, name)
        sizes = instance["disk.sizes"]
        if index >= len(sizes):
            # Ganeti's text, typo and unclosed parenthesis included.
            raise jobs.OpError("Invalid disk index: %d (instace has disks 0 "
                               "to %d" % (index, len(sizes) - 1),
                               "wrong_input")
        sizes[index] = amount if absolute else sizes[index] + amount
        instance["disk_usage"] = state.disk_usage(instance)
        state.touch(instance)
    return _one_op(cluster, call, "OP_INSTANCE_GROW_DISK", params, effect,
                   "instances_name_disk_grow")


def _move_params(cluster, call, name, **params):
    target = call.field("target_node")
    if not target:
        params["iallocator"] = call.field("iallocator", "hail")
    for key in ("mode", "target_node"):
        if call.field(key) is not None:
            params[key] = call.field(key)
    return common.instance_params(cluster, name, **params)


def _migrate(cluster, call, name):
    params = _move_params(
        cluster, call, name, allow_runtime_changes=True,
        ignore_ipolicy=False, cleanup=bool(call.field("cleanup", False)),
        allow_failover=bool(call.field("allow_failover", False)),
        ignore_hvversions=False)

    def effect(log):
        instance = common.running_instance(cluster, name)
        if not instance["oper_state"]:
            raise jobs.OpError("Can't migrate, please use failover: "
                               "Instance %s is not running"
                               % instance["name"], "wrong_state")
        target, said = common.other_node(
            cluster, instance, call.field("target_node"))
        if said:
            log(said)
        common.move(instance, target)
    return _one_op(cluster, call, "OP_INSTANCE_MIGRATE", params, effect,
                   "instances_name_migrate")


def _failover(cluster, call, name):
    params = _move_params(
        cluster, call, name, shutdown_timeout=120,
        ignore_consistency=bool(call.field("ignore_consistency", False)),
        ignore_ipolicy=False, cleanup=False)

    def effect(log):
        instance = common.running_instance(cluster, name)
        target, said = common.other_node(
            cluster, instance, call.field("target_node"))
        if said:
            log(said)
        log("Failover instance %s" % instance["name"])
        common.move(instance, target)
    return _one_op(cluster, call, "OP_INSTANCE_FAILOVER", params, effect,
                   "instances_name_failover")


def _console(cluster, call, name):
    instance = cluster.find_instance(name)
    if instance is None:
        raise common.HttpError(500, common.MISSING)
    if not instance["oper_state"]:
        raise common.HttpError(503, "Instance console unavailable")
    if instance["name"] in cluster.consoles:
        return cluster.consoles[instance["name"]]
    if instance["hypervisor"] == "fake":
        return {"instance": instance["name"], "kind": "msg",
                "message": "Console not available for fake hypervisor"}
    socket_path = "/var/run/ganeti/kvm-hypervisor/ctrl/%s.serial" \
        % instance["name"]
    return {"instance": instance["name"], "kind": "ssh",
            "host": instance["pnode"], "port": 22, "user": "root",
            "command": ["/usr/lib/ganeti/tools/kvm-console-wrapper",
                        "/usr/bin/socat", instance["name"], socket_path,
                        "STDIO,raw,echo=0,escape=0x1d",
                        "UNIX-CONNECT:%s" % socket_path]}


def _instance_tags(cluster, call, name):
    instance = cluster.find_instance(name)
    if instance is None:
        raise common.HttpError(
            500, "('Instance name %s not found', 'unknown_entity')" % name)
    return list(instance["tags"])


_INSTANCE = r"/2/instances/(?P<name>[^/]+)"
common.resource(r"/2/instances", GET=_instances, POST=_create)
common.resource(r"/2/instances-multi-alloc", POST=_multi_alloc)
common.resource(_INSTANCE, GET=_instance, DELETE=_delete)
common.resource(_INSTANCE + "/startup", PUT=_startup)
common.resource(_INSTANCE + "/shutdown", PUT=_shutdown)
common.resource(_INSTANCE + "/reboot", POST=_reboot)
common.resource(_INSTANCE + "/reinstall", POST=_reinstall)
common.resource(_INSTANCE + "/rename", PUT=_rename)
common.resource(_INSTANCE + "/modify", PUT=_modify)
common.resource(_INSTANCE + r"/disk/(?P<disk>\d+)/grow", POST=_grow)
common.resource(_INSTANCE + "/activate-disks", PUT=_activate_disks)
common.resource(_INSTANCE + "/deactivate-disks", PUT=_deactivate_disks)
common.resource(_INSTANCE + "/recreate-disks", POST=_recreate_disks)
common.resource(_INSTANCE + "/replace-disks", POST=_replace_disks)
common.resource(_INSTANCE + "/migrate", PUT=_migrate)
common.resource(_INSTANCE + "/failover", PUT=_failover)
common.resource(_INSTANCE + "/export", PUT=_export)
common.resource(_INSTANCE + "/prepare-export", PUT=_prepare_export)
common.resource(_INSTANCE + "/console", GET=_console)
common.resource(
    _INSTANCE + "/tags", GET=_instance_tags,
    PUT=lambda cluster, call, name: common.tags_job(
        cluster, call, "OP_TAGS_SET", common.added_tags, name),
    DELETE=lambda cluster, call, name: common.tags_job(
        cluster, call, "OP_TAGS_DEL", common.removed_tags, name))
