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

"""The fake RAPI's node operations, as Ganeti 3.0.2's rlib2 and cmdlib
answer them: modify, tags, storage units (list, modify, repair) and
powercycle.

Storage listing is a job (``GET`` answers its id, and needs a write user);
its result is one list of rows in ``output_fields`` order. LVM storage is
there only where a disk template using it is enabled (``plain``, ``drbd``)
and a test put units in ``cluster.storage`` (the sandbox has no LVM).
The powercycle only records that it was asked (``cluster.powercycled``):
the real fake hypervisor would reboot the machine.
"""

import ipaddress

from ganeti_dashboard.test import fake_rapi_cluster as state
from ganeti_dashboard.test import fake_rapi_jobs as jobs
from ganeti_dashboard.test import fake_rapi_resources as common

_NODE = r"/2/nodes/(?P<node>[^/]+)"

# Ganeti's storage type of each disk template (constants.MAP_DISK_TEMPLATE_
# STORAGE_TYPE, of the ones the dashboard lists).
STORAGE_OF_TEMPLATE = {"plain": "lvm-vg", "drbd": "lvm-vg",
                       "file": "file", "sharedfile": "sharedfile"}
STORAGE_FIELDS = ("name", "size", "used", "free", "allocatable", "type",
                  "node")
MODIFIABLE = {"lvm-pv": ("allocatable",)}
OPERATIONS = {"lvm-vg": ("fix-consistency",)}
FILE_DIRS = {"file": "/srv/ganeti/file-storage",
             "sharedfile": "/srv/ganeti/shared-file-storage"}


def storage_units(cluster, node, storage_type):
    """The units of ``storage_type`` on ``node`` (dicts), made on first
    use: the file directories from the node's disk figures; LVM ones only
    where a test put them in ``cluster.storage``.
    """
    store = cluster.__dict__.setdefault("storage", {})
    per_node = store.setdefault(node["name"], {})
    if storage_type not in per_node:
        units = []
        if storage_type in FILE_DIRS:
            units = [{"name": FILE_DIRS[storage_type],
                      "size": node["dtotal"], "used": 0,
                      "free": node["dfree"], "allocatable": True}]
        per_node[storage_type] = units
    return per_node[storage_type]


def _enabled_storage(cluster):
    types = {STORAGE_OF_TEMPLATE.get(t)
             for t in cluster.info["enabled_disk_templates"]}
    if "lvm-vg" in types:
        types.add("lvm-pv")
    return types


def _check_storage_type(cluster, storage_type):
    if storage_type not in _enabled_storage(cluster):
        raise jobs.OpError(
            "No disk template of storage type '%s' is enabled in this "
            "cluster. Enabled disk templates are: %s" % (
                "lvm-vg" if storage_type == "lvm-pv" else storage_type,
                ",".join(cluster.info["enabled_disk_templates"])),
            "wrong_input")


def _storage(cluster, call, node):
    storage_type = call.arg("storage_type")
    fields = call.arg("output_fields")
    if not fields:
        raise common.HttpError(400, "Missing the required 'output_fields'"
                               " parameter")
    fields = fields.split(",")
    params = {"nodes": [node], "storage_type": storage_type,
              "output_fields": fields}

    def effect(log):
        found = common.running_node(cluster, node)
        unknown = [f for f in fields if f not in STORAGE_FIELDS]
        if unknown:
            raise jobs.OpError("Unknown output fields selected: %s"
                               % ",".join(unknown), "wrong_input")
        _check_storage_type(cluster, storage_type)
        rows = []
        for unit in storage_units(cluster, found, storage_type):
            full = dict(unit, type=storage_type, node=found["name"])
            rows.append([full[f] for f in fields])
        return rows
    return common.submit(cluster, call, [common.op(
        "OP_NODE_QUERY_STORAGE", params, effect)], "nodes_name_storage")


def _unit(cluster, node, storage_type, name):
    for unit in storage_units(cluster, node, storage_type):
        if unit["name"] == name:
            return unit
    raise jobs.OpError("Storage unit '%s' not found on node %s"
                       % (name, node["name"]), "unknown_entity")


def _storage_modify(cluster, call, node):
    storage_type, name = call.arg("storage_type"), call.arg("name")
    if not name:
        raise common.HttpError(400, "Missing the required 'name' parameter")
    changes = {}
    if call.arg("allocatable") is not None:
        changes["allocatable"] = call.flag("allocatable")
    params = {"node_name": node, "storage_type": storage_type,
              "name": name, "changes": changes}

    def effect(log):
        found = common.running_node(cluster, node)
        if storage_type not in MODIFIABLE:
            raise jobs.OpError("Storage units of type '%s' can not be "
                               "modified" % storage_type, "wrong_input")
        _check_storage_type(cluster, storage_type)
        _unit(cluster, found, storage_type, name).update(changes)
    return common.submit(cluster, call, [common.op(
        "OP_NODE_MODIFY_STORAGE", params, effect)],
        "nodes_name_storage_modify")


def _storage_repair(cluster, call, node):
    storage_type, name = call.arg("storage_type"), call.arg("name")
    if not name:
        raise common.HttpError(400, "Missing the required 'name' parameter")
    params = {"node_name": node, "storage_type": storage_type,
              "name": name, "ignore_consistency": False}

    def effect(log):
        found = common.running_node(cluster, node)
        if "fix-consistency" not in OPERATIONS.get(storage_type, ()):
            raise jobs.OpError("Storage units of type '%s' can not be "
                               "repaired" % storage_type, "wrong_input")
        _check_storage_type(cluster, storage_type)
        _unit(cluster, found, storage_type, name)
    return common.submit(cluster, call, [common.op(
        "OP_REPAIR_NODE_STORAGE", params, effect)],
        "nodes_name_storage_repair")


# body key -> opcode parameter (OpNodeSetParams)
_MODIFY_KEYS = ("master_candidate", "offline", "drained", "master_capable",
                "vm_capable", "secondary_ip", "auto_promote", "force",
                "powered", "ndparams")


def _modify(cluster, call, node):
    body = call.body if isinstance(call.body, dict) else {}
    unknown = sorted(set(body) - set(_MODIFY_KEYS))
    if unknown:
        raise common.HttpError(400, "Invalid body parameters: %r" % (
            ("Parameter(s) %s not known" % ", ".join(unknown),),))
    params = dict(body, node_name=node)
    changes = {k: body[k] for k in ("master_candidate", "offline",
                                    "drained", "master_capable",
                                    "vm_capable", "secondary_ip")
               if body.get(k) is not None}

    def effect(log):
        found = common.running_node(cluster, node)
        if not changes:
            raise jobs.OpError("Please pass at least one modification",
                               "wrong_input")
        if sum(1 for k in ("master_candidate", "offline", "drained")
               if changes.get(k)) > 1:
            raise jobs.OpError("Can't set the node into more than one "
                               "state at the same time", "wrong_input")
        sip = changes.get("secondary_ip")
        if sip is not None:
            try:
                ipaddress.IPv4Address(sip)
            except ValueError:
                raise jobs.OpError("Secondary IP (%s) needs to be a valid "
                                   "IPv4 address" % sip, "wrong_input")
        role = found["role"]
        if role == "M" and any(changes.get(k) is not None for k in (
                "master_candidate", "offline", "drained")):
            raise jobs.OpError("The master role can be changed only via "
                               "master-failover", "wrong_input")
        item = cluster.node_item(found)
        if changes.get("vm_capable") is False and (
                item["pinst_cnt"] or item["sinst_cnt"]):
            raise jobs.OpError("Node %s hosts instances, cannot unset "
                               "vm_capable" % found["name"], "wrong_input")
        if role == "M" and changes.get("master_capable") is False:
            raise jobs.OpError("Master must remain master capable",
                               "wrong_input")
        done = []
        if changes.get("offline"):
            role = "O"
        elif changes.get("drained"):
            role = "D"
        elif changes.get("master_candidate"):
            role = "C"
        elif (changes.get("offline") is False and role == "O") or \
                (changes.get("drained") is False and role == "D"):
            # Ganeti promotes a node coming back while candidates lack.
            role = "C"
        if changes.get("master_capable") is False and role == "C":
            role = "R"
        if role != found["role"]:
            found["role"] = role
            done.append(["master_candidate", str(role in ("M", "C"))])
        for key in ("offline", "drained"):
            if key in changes:
                done.append([key, str(changes[key])])
        for key in ("master_capable", "vm_capable"):
            if key in changes:
                found[key] = bool(changes[key])
                done.append([key, str(found[key])])
        if sip is not None:
            found["sip"] = sip
            done.append(["secondary_ip", sip])
        state.touch(found)
        return done
    return common.submit(cluster, call, [common.op(
        "OP_NODE_SET_PARAMS", params, effect, call.flag("dry-run"))],
        "nodes_name_modify")


def _node_tags(cluster, call, node):
    found = cluster.find_node(node)
    if found is None:
        raise common.HttpError(500, common.MISSING)
    return state.nice_sorted(found["tags"])


def _node_tags_job(op_id, change):
    def handler(cluster, call, node):
        tags = call.query.get("tag", [])
        params = {"kind": "node", "name": node, "tags": tags}

        def effect(log):
            found = common.running_node(cluster, node)
            found["tags"] = change(found["tags"], tags)
            state.touch(found)
        return common.submit(cluster, call, [common.op(
            op_id, params, effect, call.flag("dry-run"))],
            "nodes_name_tags")
    return handler


def _powercycle(cluster, call, node):
    params = {"node_name": node, "force": call.flag("force")}

    def effect(log):
        found = common.running_node(cluster, node)
        if found["role"] == "M" and not params["force"]:
            raise jobs.OpError("The node is the master and the force "
                               "parameter was not set", "wrong_input")
        cluster.__dict__.setdefault("powercycled", []).append(found["name"])
        return found["name"]
    return common.submit(cluster, call, [common.op(
        "OP_NODE_POWERCYCLE", params, effect)], "nodes_name_powercycle")


common.resource(_NODE + "/modify", POST=_modify)
common.resource(_NODE + "/tags", GET=_node_tags,
                PUT=_node_tags_job("OP_TAGS_SET", common.added_tags),
                DELETE=_node_tags_job("OP_TAGS_DEL", common.removed_tags))
# GET /storage needs a write user (rlib2's GET_ACCESS), as writes do.
_storage.needs_write = True
common.resource(_NODE + "/storage", GET=_storage)
common.resource(_NODE + "/storage/modify", PUT=_storage_modify)
common.resource(_NODE + "/storage/repair", PUT=_storage_repair)
common.resource(_NODE + "/powercycle", POST=_powercycle)
