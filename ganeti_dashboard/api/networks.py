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

"""Ganeti networks across clusters, and their actions: one function per
RAPI call (``/2/networks``, ``/2/networks/<n>``, ``/modify``,
``/connect``, ``/disconnect``, ``/tags``).

Lists come from each cluster's snapshot of its networks
(``/2/networks?bulk=1`` without the address ``map``), refreshed at most
once a minute (and after our own writes), so a page costs no RAPI call.
The same snapshot gives the create workflow its networks. A network's
detail page and its action forms read it fresh (``GET /2/networks/<n>``,
with the map).

Every action starts one Ganeti job with the user and project in the reason
trail and waits for it a few seconds. Ganeti 3.0 facts measured on
sandbox2, handled here before any job:

* ``modify`` with an address outside the subnet *succeeds* and ignores
  it, so every address is checked here against the subnet;
* ``modify`` refuses the gateway and reserved addresses in one job
  ("Cannot modify gateway and reserved ips at once");
* ``DELETE`` of a network still connected to a group is a failed job
  ("Network still connected");
* ``group_list`` holds ``[group, mode, link, vlan]`` per connection.
"""

import ipaddress
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_runs
from ganeti_dashboard.api import models
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import snapshots

# RAPI's URI pattern of a name (connector.py's _NAME_PATTERN), ASCII.
NAME = re.compile(r"^[A-Za-z0-9_.-]+$")
NAME_MAX = 128

# Ganeti's IPV4_NETWORK_MAX_SIZE and IPV4_NETWORK_MIN_SIZE (prefix
# lengths): it refuses a network larger than a /16 or smaller than a /30.
PREFIX_MIN, PREFIX_MAX = 16, 30

# Ganeti's three-octet MAC prefix of a network (lower case).
MAC_PREFIX = re.compile(r"^[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$")

MODES = ("bridged", "routed", "openvswitch")

# How long an action waits for its job before it reports "started" only.
JOB_WAIT = 15.0

# At most one refresh of a cluster's networks a minute (writes of ours
# make it due at once).
INTERVAL = 60


def check_name(name):
    """Why ``name`` cannot be a network's name, or None."""
    if not name:
        return _("A name is required.")
    if not name.isascii():
        return _("A network name may contain only ASCII letters, digits, "
                 "'.', '_' and '-'.")
    if len(name) > NAME_MAX or not NAME.match(name):
        return _("A network name may contain only letters, digits, '.', "
                 "'_' and '-' (RAPI cannot address any other name).")
    return None


def parse_subnet(text):
    """``(IPv4Network, None)`` or ``(None, why)`` for a subnet in CIDR
    notation, as Ganeti accepts it.
    """
    text = (text or "").strip()
    if not text.isascii():
        return None, _("Only ASCII characters: a subnet such as "
                       "10.0.0.0/24.")
    if "/" not in text:
        return None, _("Give the subnet in CIDR notation, such as "
                       "10.0.0.0/24.")
    try:
        subnet = ipaddress.IPv4Network(text, strict=True)
    except ValueError as exc:
        return None, _("Not an IPv4 subnet in CIDR notation (such as "
                       "10.0.0.0/24): %s") % exc
    if not PREFIX_MIN <= subnet.prefixlen <= PREFIX_MAX:
        return None, _("Ganeti takes subnets from /%(low)d to /%(high)d "
                       "only.") % {"low": PREFIX_MIN, "high": PREFIX_MAX}
    return subnet, None


def parse_subnet6(text):
    """``(IPv6Network, None)``, ``(None, None)`` for no text, or
    ``(None, why)``: the network's optional IPv6 subnet. Ganeti keeps no
    address pool for it (instances' IPv6 addresses are not managed), so
    any prefix length goes.
    """
    text = (text or "").strip()
    if not text:
        return None, None
    if not text.isascii():
        return None, _("Only ASCII characters: an IPv6 subnet such as "
                       "2001:db8::/64.")
    try:
        return ipaddress.IPv6Network(text, strict=True), None
    except ValueError as exc:
        return None, _("Not an IPv6 subnet in CIDR notation (such as "
                       "2001:db8::/64): %s") % exc


def parse_mac_prefix(text):
    """``(prefix, None)``, ``(None, None)`` for no text, or ``(None,
    why)``: the three octets Ganeti starts the MAC addresses of the
    network's NICs with, as Ganeti writes them (lower case). A multicast
    first octet is refused: no NIC could use such an address.
    """
    text = (text or "").strip().lower()
    if not text:
        return None, None
    if not MAC_PREFIX.match(text):
        return None, _("A MAC prefix is three octets such as aa:00:00.")
    if int(text[:2], 16) & 1:
        return None, _("The first octet of a MAC prefix must be even: an "
                       "odd one makes multicast addresses.")
    return text, None


def parse_address(text, subnet, what):
    """``(address text, None)`` or ``(None, why)``: an address inside
    ``subnet`` (an IPv4Network or IPv6Network, the address of the same
    version). ``what`` names the field in the message.
    """
    text = (text or "").strip()
    if not text.isascii():
        return None, _("%s: only ASCII characters.") % what
    try:
        address = ipaddress.ip_address(text)
        if address.version != subnet.version:
            raise ValueError(text)
    except ValueError:
        return None, (_("%(what)s: %(value)s is not an IPv6 address.")
                      if subnet.version == 6 else
                      _("%(what)s: %(value)s is not an IPv4 address.")) % {
            "what": what, "value": text}
    if address not in subnet:
        return None, _("%(what)s: %(value)s is outside the subnet "
                       "%(subnet)s.") % {"what": what, "value": text,
                                         "subnet": subnet}
    return str(address), None


def parse_addresses(text, subnet, what):
    """Addresses separated by commas, spaces or lines: ``(list, errors)``."""
    found, problems = [], []
    for item in re.split(r"[\s,]+", text or ""):
        if not item:
            continue
        address, why = parse_address(item, subnet, what)
        if why:
            problems.append(why)
        elif address not in found:
            found.append(address)
    return found, problems


class Network(job_runs.Tracked):
    """A Ganeti network as the panel shows it."""

    PENDING_KIND = pending_jobs.NETWORK

    def __init__(self, cluster, data, all_groups=(), read_only=False):
        self.cluster = cluster
        self.data = data
        self.name = data["name"]
        self.id = models.object_id(cluster, self.name)
        self.subnet = data.get("network")
        self.gateway = data.get("gateway")
        self.subnet6 = data.get("network6")
        self.gateway6 = data.get("gateway6")
        self.mac_prefix = data.get("mac_prefix")
        self.free_count = data.get("free_count") or 0
        self.reserved_count = data.get("reserved_count") or 0
        self.connections = [tuple((list(c) + [None, None, None])[:3])
                            for c in data.get("group_list") or []]
        self.instances = list(data.get("inst_list") or [])
        self.tags = list(data.get("tags") or [])
        self.map = data.get("map")
        self.external = [a.strip() for a in (
            data.get("external_reservations") or "").split(",")
            if a.strip()]
        self.all_groups = list(all_groups)
        self.read_only = read_only

    @property
    def total(self):
        return self.free_count + self.reserved_count

    @property
    def used_pct(self):
        return int(round(100.0 * self.reserved_count / self.total)) \
            if self.total else 0

    @property
    def groups(self):
        return [c[0] for c in self.connections]

    @property
    def connections_summary(self):
        return ", ".join("%s (%s, %s)" % (g, m or "-", link or "-")
                         for g, m, link in self.connections) or "-"

    @property
    def unconnected_groups(self):
        return [g for g in self.all_groups if g not in self.groups]

    @property
    def subnet_net(self):
        subnet, _why = parse_subnet(self.subnet)
        return subnet

    @property
    def subnet6_net(self):
        subnet, _why = parse_subnet6(self.subnet6)
        return subnet

    def is_reserved(self, address):
        """Whether ``address`` is taken (the map), where the map is known."""
        subnet = self.subnet_net
        if self.map is None or subnet is None:
            return None
        index = int(ipaddress.IPv4Address(address)) - int(
            subnet.network_address)
        return 0 <= index < len(self.map) and self.map[index] == "X"

    def cannot(self, action):
        """Why ``action`` cannot apply to this network now, or None (the
        rules the table shows and the server applies).
        """
        refusal = preconditions.cluster_refusal(self)
        if refusal is not None:
            return refusal
        if self.refresh_error:
            return preconditions.Refusal(self.status_label)
        if check_name(self.name):
            return preconditions.Refusal(_("RAPI cannot address its name"))
        if action == "delete":
            return preconditions.network_delete_refusal(self.groups,
                                                        self.instances)
        if action == "connect" and self.all_groups \
                and not self.unconnected_groups:
            return preconditions.Refusal(
                _("it is connected to every group of its cluster"))
        if action == "disconnect" and not self.connections:
            return preconditions.Refusal(_("it is connected to no group"))
        if action == "remove_tag" and not self.tags:
            return preconditions.Refusal(_("it has no tags"))
        return None


# -- the snapshot ---------------------------------------------------------

# What the list and the create workflow show (not ``map``: one character
# per address, 65,536 of them for a /16).
_FIELDS = ("name", "network", "gateway", "network6", "gateway6",
           "mac_prefix", "free_count", "reserved_count", "group_list",
           "inst_list", "tags")


def _fetch(client):
    found = []
    for n in client.networks(bulk=True):
        item = {key: n.get(key) for key in _FIELDS}
        item["group_list"] = [list(g) for g in n.get("group_list") or []]
        # What the create workflow reads (api.cluster_state).
        item["groups"] = item["group_list"]
        found.append(item)
    return found


SNAPSHOT = snapshots.register(snapshots.Kind("networks", _fetch,
                                             interval=INTERVAL))


def _group_names(cluster):
    """The cluster's group names, from its nodes' snapshot (no RAPI call
    of its own); empty while it has none.
    """
    from ganeti_dashboard.api import nodes as node_api
    config = clusters.settings().cluster(cluster)
    snapshot = snapshots.read([config], node_api.SNAPSHOT.name)[cluster]
    if not snapshot.available:
        return []
    return sorted(set(snapshot.data[1].values()))


def list_all(cluster_names=None):
    """Every network of the configured clusters (or of
    ``cluster_names``), from their snapshots: ``(networks, snapshots)``.
    """
    configs = clusters.settings().clusters_named(cluster_names)
    found = snapshots.read(configs, SNAPSHOT.name)
    read_only = {c.name: c.read_only for c in configs}
    listed = []
    for cluster, snapshot in found.items():
        if not snapshot.available:
            continue
        groups = _group_names(cluster) if snapshot.data else []
        listed.extend(Network(cluster, n, groups, read_only.get(cluster))
                      for n in snapshot.data)
    listed.sort(key=lambda n: (n.cluster, n.name))
    return job_runs.with_pending(listed), found


def get(obj_id):
    """One network, fresh from RAPI (``GET /2/networks/<n>``, with its
    address map), and its cluster's group names (``/2/groups``).
    """
    cluster, name = models.split_id(obj_id)
    if check_name(name):
        raise errors.NotFound("not found", cluster)
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound("not found", cluster)
    client = clusters.client(cluster)
    data = client.network(name)
    if data.get("name") != name:
        raise errors.NotFound("not found", cluster)
    groups = sorted(g["name"] for g in client.groups(bulk=False))
    return Network(cluster, data, groups, config.read_only).with_pending()


def tags_of(network):
    """``GET /2/networks/<n>/tags``."""
    return clusters.client(network.cluster).network_tags(network.name)


def connected_on(cluster):
    """``{network name: [group names]}`` of the networks of ``cluster``
    connected to a group (the snapshot).
    """
    config = clusters.settings().cluster(cluster)
    if config is None:
        return {}
    snapshot = snapshots.read([config], SNAPSHOT.name)[cluster]
    return {n["name"]: [g[0] for g in n.get("group_list") or []]
            for n in snapshot.data or [] if n.get("group_list")}


# -- actions ---------------------------------------------------------------

Started = job_runs.Started
_run = job_runs.run
_check = job_runs.check
_act = job_runs.act


def _bad(why, cluster):
    raise errors.BadRequest(why, cluster)


def _check_ipv6(cluster, subnet6, gateway6, mac_prefix):
    """The IPv6 subnet text (or None) of a create or a modify, after
    checking its parts: a gateway needs a subnet and lies inside it.
    """
    net6, why = parse_subnet6(subnet6)
    if why:
        _bad(why, cluster)
    if gateway6:
        if net6 is None:
            _bad(_("An IPv6 gateway needs an IPv6 subnet."), cluster)
        _found, why = parse_address(gateway6, net6, _("IPv6 gateway"))
        if why:
            _bad(why, cluster)
    _found, why = parse_mac_prefix(mac_prefix)
    if why:
        _bad(why, cluster)
    return net6


def create(request, cluster, name, subnet, gateway=None, reserved_ips=(),
           tags=(), subnet6=None, gateway6=None, mac_prefix=None,
           wait=JOB_WAIT):
    """``POST /2/networks``: everything checked first (name, subnet,
    gateway and reserved addresses inside it, the IPv6 subnet and its
    gateway, the MAC prefix, tags ASCII).
    """
    why = check_name(name)
    if why:
        _bad(why, cluster)
    net, why = parse_subnet(subnet)
    if why:
        _bad(why, cluster)
    addresses = [gateway] if gateway else []
    for address in addresses + list(reserved_ips):
        _found, why = parse_address(address, net, _("Address"))
        if why:
            _bad(why, cluster)
    net6 = _check_ipv6(cluster, subnet6, gateway6, mac_prefix)
    for tag in tags:
        if not tag.isascii():
            _bad(_("Tags may hold only ASCII characters."), cluster)
    job_runs.writable(cluster)
    return _run(request, cluster, lambda c, reason: c.create_network(
        name, str(net), gateway=gateway, reserved_ips=reserved_ips,
        tags=tags, network6=str(net6) if net6 else None,
        gateway6=gateway6 or None, mac_prefix=mac_prefix or None,
        reason=reason), wait)


def modify(request, network, gateway=None, add_reserved=(),
           remove_reserved=(), subnet6=None, gateway6=None, mac_prefix=None,
           wait=JOB_WAIT):
    """``PUT /2/networks/<n>/modify``: a new gateway, or addresses to
    reserve and release (Ganeti takes one or the other per job); a new
    IPv6 subnet, IPv6 gateway (inside the new or the current IPv6 subnet;
    Ganeti itself takes one outside) or MAC prefix, with either.
    """
    net = network.subnet_net
    if gateway and (add_reserved or remove_reserved):
        _bad(_("Change the gateway and the reserved addresses one at a "
               "time: Ganeti refuses both in one job."), network.cluster)
    if not (gateway or add_reserved or remove_reserved or subnet6
            or gateway6 or mac_prefix):
        _bad(_("Nothing to change."), network.cluster)
    net6 = _check_ipv6(network.cluster, subnet6 or network.subnet6,
                       gateway6, mac_prefix)
    for address in ([gateway] if gateway else []) + list(add_reserved) \
            + list(remove_reserved):
        _found, why = parse_address(address, net, _("Address"))
        if why:
            _bad(why, network.cluster)
    for address in add_reserved:
        if network.is_reserved(address):
            _bad(_("%s is reserved or in use already.") % address,
                 network.cluster)
    for address in remove_reserved:
        if network.external and address not in network.external:
            _bad(_("%s is not an external reservation of the network.")
                 % address, network.cluster)
    _check(network, "modify")
    changes = {}
    if gateway:
        changes["gateway"] = gateway
    if add_reserved:
        changes["add_reserved_ips"] = list(add_reserved)
    if remove_reserved:
        changes["remove_reserved_ips"] = list(remove_reserved)
    if subnet6:
        changes["network6"] = str(net6)
    if gateway6:
        changes["gateway6"] = gateway6
    if mac_prefix:
        changes["mac_prefix"] = mac_prefix
    return _act(request, network, gettext_noop("Modifying"),
                lambda c, reason:
                c.modify_network(network.name, reason=reason, **changes),
                wait)


def connect(request, network, group, mode, link, wait=JOB_WAIT):
    """``PUT /2/networks/<n>/connect``."""
    if mode not in MODES:
        _bad(_("Unknown mode %s.") % mode, network.cluster)
    if not link or not link.isascii() or not NAME.match(link):
        _bad(_("A link is a bridge, routing table or switch name of ASCII "
               "letters, digits, '.', '_' and '-'."), network.cluster)
    if group not in network.all_groups:
        _bad(_("%(group)s is not a group of cluster %(cluster)s.") % {
            "group": group, "cluster": network.cluster}, network.cluster)
    if group in network.groups:
        _bad(_("The network is connected to group %s already.") % group,
             network.cluster)
    _check(network, "connect")
    return _act(request, network, gettext_noop("Connecting"),
                lambda c, reason:
                c.connect_network(network.name, group, mode, link,
                                  reason=reason), wait)


def disconnect(request, network, group, wait=JOB_WAIT):
    """``PUT /2/networks/<n>/disconnect``."""
    if group not in network.groups:
        _bad(_("The network is not connected to group %s.") % group,
             network.cluster)
    _check(network, "disconnect")
    return _act(request, network, gettext_noop("Disconnecting"),
                lambda c, reason:
                c.disconnect_network(network.name, group, reason=reason),
                wait)


def add_tags(request, network, tags, wait=JOB_WAIT):
    """``PUT /2/networks/<n>/tags``."""
    _check(network, "add_tag")
    return _act(request, network, gettext_noop("Adding tags"),
                lambda c, reason:
                c.add_network_tags(network.name, tags, reason=reason),
                wait)


def remove_tags(request, network, tags, wait=JOB_WAIT):
    """``DELETE /2/networks/<n>/tags``."""
    _check(network, "remove_tag")
    return _act(request, network, gettext_noop("Removing tags"),
                lambda c, reason:
                c.delete_network_tags(network.name, tags, reason=reason),
                wait)


def delete(request, network, wait=JOB_WAIT):
    """``DELETE /2/networks/<n>``: refused before any job while it is
    connected or used (the network is read fresh by the caller).
    """
    _check(network, "delete")
    return _act(request, network, gettext_noop("Deleting"),
                lambda c, reason:
                c.delete_network(network.name, reason=reason), wait)
