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
        known = set(cluster.os_names) | {
            n.partition("+")[0] for n in cluster.os_names}
        if params.get("os_type") and params["os_type"] not in known:
            raise jobs.OpError(
                "OS Parameters validation failed on node %s: Directory for "
                "OS %s not found in search path"
                % (pnode, params["os_type"].split("+")[0]), None,
                "OpExecError")
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
        for change in params["disks"]:
            if change and change[0] == "add":
                size = int(change[-1]["size"])
                instance["disk.sizes"].append(size)
                for key in ("disk.spindles", "disk.names"):
                    instance[key].append(None)
                instance["disk.uuids"].append(str(uuid.uuid4()))
                instance["disk_usage"] = state.disk_usage(instance)
                changes.append(["disk/%d" % (len(instance["disk.sizes"]) - 1),
                                "add:size=%d,mode=rw" % size])
        state.touch(instance)
        return changes
    return _one_op(cluster, call, "OP_INSTANCE_SET_PARAMS", params, effect,
                   "instances_name_modify")


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
common.resource(_INSTANCE + "/migrate", PUT=_migrate)
common.resource(_INSTANCE + "/failover", PUT=_failover)
common.resource(_INSTANCE + "/console", GET=_console)
common.resource(
    _INSTANCE + "/tags", GET=_instance_tags,
    PUT=lambda cluster, call, name: common.tags_job(
        cluster, call, "OP_TAGS_SET", common.added_tags, name),
    DELETE=lambda cluster, call, name: common.tags_job(
        cluster, call, "OP_TAGS_DEL", common.removed_tags, name))
