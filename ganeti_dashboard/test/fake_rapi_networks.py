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

"""The network resources of a fake cluster's RAPI (see ``fake_rapi``).

``/2/networks`` and everything below it, as Ganeti 3.0.2 answers on
sandbox2: the bulk fields (``free_count``, ``reserved_count``, ``map``,
``group_list`` of ``[group, mode, link, vlan]``, ``inst_list``,
``external_reservations``), and the jobs' refusals ("Network still
connected", gateway and reserved addresses in one modify). As Ganeti does,
a modify with an address outside the subnet succeeds and ignores it.

``cluster.networks`` is a list of dicts; a test may put there only
``name``, ``network`` and ``group_list``, the rest is filled in.
Instances' NICs with ``ip=pool`` get a free address (:func:`pool_ip`).
"""

import ipaddress
import uuid

from ganeti_dashboard.test import fake_rapi_cluster as state
from ganeti_dashboard.test import fake_rapi_jobs as jobs
from ganeti_dashboard.test import fake_rapi_resources as common


def find(cluster, name):
    return next((n for n in cluster.networks if n.get("name") == name),
                None)


def _running(cluster, name):
    found = find(cluster, name)
    if found is None:
        raise jobs.OpError("Network '%s' not found" % name,
                           "unknown_entity")
    return found


def _net(network):
    return ipaddress.IPv4Network(network["network"])


def _users(cluster, name):
    """(instance, ip) of every NIC on network ``name``."""
    for instance in cluster.instances.values():
        for net, ip in zip(instance.get("nic.networks.names") or [],
                           instance.get("nic.ips") or []):
            if net == name:
                yield instance["name"], ip


def _map(cluster, network):
    net = _net(network)
    taken = {str(net.network_address), str(net.broadcast_address)}
    taken.update(network.get("reserved") or [])
    if network.get("gateway"):
        taken.add(network["gateway"])
    taken.update(ip for _name, ip in _users(cluster, network["name"]) if ip)
    return "".join("X" if str(a) in taken else "."
                   for a in net), taken


def item(cluster, network):
    """The network as ``/2/networks?bulk=1`` lists it."""
    net = _net(network)
    found, _taken = _map(cluster, network)
    external = [str(net.network_address)]
    if network.get("gateway"):
        external.append(network["gateway"])
    external.extend(network.get("reserved") or [])
    external.append(str(net.broadcast_address))
    ordered = sorted(set(external), key=ipaddress.IPv4Address)
    return {
        "name": network["name"], "network": network["network"],
        "gateway": network.get("gateway"),
        "network6": network.get("network6"),
        "gateway6": network.get("gateway6"),
        "mac_prefix": network.get("mac_prefix"),
        "free_count": found.count("."), "reserved_count": found.count("X"),
        "map": found,
        "group_list": [list(g) + [""] * (4 - len(g))
                       for g in network.get("group_list") or []],
        "inst_list": state.nice_sorted({n for n, _ip
                                        in _users(cluster,
                                                  network["name"])}),
        "external_reservations": ", ".join(ordered),
        "ctime": network.get("ctime", 0), "mtime": network.get("mtime", 0),
        "uuid": network.setdefault("uuid", str(uuid.uuid4())),
        "serial_no": network.get("serial_no", 1),
        "tags": list(network.get("tags") or [])}


def pool_ip(cluster, name):
    """A free address of network ``name`` (Ganeti's GenerateIp), or the
    job error.
    """
    network = _running(cluster, name)
    _found, taken = _map(cluster, network)
    for address in _net(network):
        if str(address) not in taken:
            return str(address)
    raise jobs.OpError("Unable to get a free IP for NIC 0 from the address "
                       "pool", "wrong_state")


def check_nic(cluster, nic, pnode):
    """Ganeti's check of a NIC on a network when an instance is created:
    connected to the primary node's group; ``ip=pool`` filled in.
    """
    name = nic.get("network")
    if not name:
        return nic
    network = _running(cluster, name)
    group = next((g for g, d in cluster.groups.items()
                  if d["uuid"] == cluster.nodes[pnode]["group.uuid"]), None)
    link = next((c for c in network.get("group_list") or []
                 if c[0] == group), None)
    if link is None:
        raise jobs.OpError("No netparams found for network %s. Probably not "
                           "connected to node's %s nodegroup"
                           % (name, pnode), "wrong_input")
    nic = dict(nic, mode=link[1], link=link[2])
    if str(nic.get("ip", "")).lower() == "pool":
        nic["ip"] = pool_ip(cluster, name)
    return nic


def _listing(cluster, call):
    items = [item(cluster, n) for n in cluster.networks]
    items.sort(key=lambda i: i["name"])
    if call.flag("bulk"):
        return items
    return [{"name": i["name"], "uri": "/2/networks/%s" % i["name"]}
            for i in items]


def _get(cluster, call, name):
    found = find(cluster, name)
    if found is None:
        raise common.HttpError(404, "Nothing matches the given URI")
    return item(cluster, found)


def _create(cluster, call):
    body = dict(call.body or {})
    name = body.get("network_name")
    if not isinstance(name, str) or not name:
        raise common.invalid("OP_NETWORK_ADD", "network_name")
    if not isinstance(body.get("network"), str):
        raise common.invalid("OP_NETWORK_ADD", "network")
    params = dict({"conflicts_check": True, "tags": [],
                   "add_reserved_ips": None, "gateway": None,
                   "network6": None, "gateway6": None,
                   "mac_prefix": None}, **body)

    def effect(log):
        if find(cluster, name) is not None:
            raise jobs.OpError("Network '%s' already defined" % name,
                               "already_exists")
        try:
            net = ipaddress.IPv4Network(body["network"])
        except ValueError:
            raise jobs.OpError("Invalid network: %s" % body["network"],
                               "wrong_input")
        reserved = [a for a in params["add_reserved_ips"] or []
                    if ipaddress.IPv4Address(a) in net]
        cluster.networks.append({
            "name": name, "network": str(net),
            "gateway": params["gateway"], "reserved": reserved,
            "network6": params["network6"],
            "gateway6": params["gateway6"],
            "mac_prefix": params["mac_prefix"], "group_list": [],
            "tags": list(params["tags"] or []),
            "uuid": str(uuid.uuid4()), "ctime": state.now(),
            "mtime": state.now(), "serial_no": 1})
    return common.submit(cluster, call, [common.op(
        "OP_NETWORK_ADD", params, effect, call.flag("dry-run"))],
        "networks")


def _delete(cluster, call, name):
    def effect(log):
        network = _running(cluster, name)
        if network.get("group_list"):
            log("WARNING: Network '%s' is connected to the following node "
                "groups: %s" % (name, ", ".join(
                    g[0] for g in network["group_list"])))
            raise jobs.OpError("Network still connected", "wrong_state")
        cluster.networks.remove(network)
    return common.submit(cluster, call, [common.op(
        "OP_NETWORK_REMOVE", {"network_name": name, "force": False},
        effect, call.flag("dry-run"))], "networks_name")


def _modify(cluster, call, name):
    body = dict(call.body or {})
    known = ("gateway", "add_reserved_ips", "remove_reserved_ips",
             "mac_prefix", "network6", "gateway6")
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise common.HttpError(400, "Invalid body parameters: unknown %s"
                               % ", ".join(unknown))
    params = dict({"network_name": name}, **body)

    def effect(log):
        network = _running(cluster, name)
        if body.get("gateway") and (body.get("add_reserved_ips")
                                    or body.get("remove_reserved_ips")):
            raise jobs.OpError("Cannot modify gateway and reserved ips at "
                               "once", "wrong_input")
        net = _net(network)
        inside = [a for a in body.get("add_reserved_ips") or []
                  if ipaddress.IPv4Address(a) in net]
        reserved = list(network.get("reserved") or [])
        for address in inside:
            if address not in reserved:
                reserved.append(address)
        for address in body.get("remove_reserved_ips") or []:
            if address in reserved:
                reserved.remove(address)
        network["reserved"] = reserved
        if body.get("gateway"):
            network["gateway"] = body["gateway"]
        for key in ("network6", "gateway6", "mac_prefix"):
            if body.get(key):
                network[key] = body[key]
        network.setdefault("serial_no", 1)
        state.touch(network)
    return common.submit(cluster, call, [common.op(
        "OP_NETWORK_SET_PARAMS", params, effect)], "networks_name_modify")


def _connect(cluster, call, name):
    body = dict(call.body or {})
    for key in ("group_name", "network_mode", "network_link"):
        if not isinstance(body.get(key), str):
            raise common.invalid("OP_NETWORK_CONNECT", key)
    if body["network_mode"] not in ("bridged", "routed", "openvswitch"):
        raise common.invalid("OP_NETWORK_CONNECT", "network_mode")
    params = dict({"network_name": name, "network_vlan": "",
                   "conflicts_check": True}, **body)

    def effect(log):
        network = _running(cluster, name)
        group = body["group_name"]
        if group not in cluster.groups:
            raise jobs.OpError("Group '%s' not found" % group,
                               "unknown_entity")
        connected = network.setdefault("group_list", [])
        if any(c[0] == group for c in connected):
            log("WARNING: Network '%s' is already mapped to group '%s'"
                % (name, group))
            return
        connected.append([group, body["network_mode"],
                          body["network_link"], ""])
    return common.submit(cluster, call, [common.op(
        "OP_NETWORK_CONNECT", params, effect)], "networks_name_connect")


def _disconnect(cluster, call, name):
    body = dict(call.body or {})
    if not isinstance(body.get("group_name"), str):
        raise common.invalid("OP_NETWORK_DISCONNECT", "group_name")
    group = body["group_name"]
    params = {"network_name": name, "group_name": group}

    def effect(log):
        network = _running(cluster, name)
        connected = network.get("group_list") or []
        if not any(c[0] == group for c in connected):
            log("WARNING: Network '%s' is not mapped to group '%s'"
                % (name, group))
            return
        in_group = [n for n, d in cluster.nodes.items()
                    if d["group.uuid"] == cluster.groups[group]["uuid"]]
        users = [i for i, _ip in _users(cluster, name)
                 if cluster.instances[i]["pnode"] in in_group]
        if users:
            raise jobs.OpError("Conflicting IP addresses found; remove/"
                               "modify the corresponding network interfaces",
                               "wrong_state")
        network["group_list"] = [c for c in connected if c[0] != group]
    return common.submit(cluster, call, [common.op(
        "OP_NETWORK_DISCONNECT", params, effect)],
        "networks_name_disconnect")


def _tags(cluster, call, name):
    found = find(cluster, name)
    if found is None:
        raise common.HttpError(
            500, "('Network name %s not found', 'unknown_entity')" % name)
    return list(found.get("tags") or [])


def _tags_job(cluster, call, name, op_id, change):
    tags = call.query.get("tag", [])

    def effect(log):
        network = _running(cluster, name)
        network["tags"] = change(network.get("tags") or [], tags)
    return common.submit(cluster, call, [common.op(
        op_id, {"kind": "network", "name": name, "tags": tags}, effect,
        call.flag("dry-run"))], "networks_name_tags")


_NETWORK = r"/2/networks/(?P<name>[^/]+)"
common.resource(r"/2/networks", GET=_listing, POST=_create)
common.resource(_NETWORK, GET=_get, DELETE=_delete)
common.resource(_NETWORK + "/modify", PUT=_modify)
common.resource(_NETWORK + "/connect", PUT=_connect)
common.resource(_NETWORK + "/disconnect", PUT=_disconnect)
common.resource(
    _NETWORK + "/tags", GET=_tags,
    PUT=lambda cluster, call, name: _tags_job(
        cluster, call, name, "OP_TAGS_SET", common.added_tags),
    DELETE=lambda cluster, call, name: _tags_job(
        cluster, call, name, "OP_TAGS_DEL", common.removed_tags))
