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

"""What one fake Ganeti 3.0.2 cluster holds (see ``fake_rapi``).

Instances, nodes, groups, tags, the job queue, the RAPI users and the fault
a test gave it, kept in the shapes RAPI lists them in, so a test can set up
and inspect a cluster with plain dicts. How its RAPI answers is in
``fake_rapi_resources``.
"""

import copy
import re
import time
import urllib.parse
import uuid

from ganeti_dashboard.test import fake_rapi_data
from ganeti_dashboard.test import fake_rapi_jobs as jobs
from ganeti_dashboard.test import fake_rapi_query as query

FAULTS = ("refused", "connect-timeout", "hanging", "untrusted", "read-only",
          "not-json")
# A set in Ganeti: its order changes between daemon starts.
FEATURES = ["instance-create-reqv1", "node-migrate-reqv1",
            "instance-reinstall-reqv1", "node-evac-res1"]
ROLES = {"M": "master", "C": "master-candidate", "R": "regular",
         "D": "drained", "O": "offline"}
# /2/instances?bulk=1 items, keys in Ganeti's order.
INSTANCE_KEYS = (
    "name", "admin_state", "os", "pnode", "snodes", "disk_template",
    "nic.ips", "nic.macs", "nic.modes", "nic.uuids", "nic.names",
    "nic.links", "nic.networks", "nic.networks.names", "nic.bridges",
    "network_port", "disk.sizes", "disk.spindles", "disk_usage",
    "disk.uuids", "disk.names", "beparams", "hvparams", "oper_state",
    "oper_ram", "oper_vcpus", "status", "custom_hvparams", "custom_beparams",
    "custom_nicparams", "ctime", "mtime", "uuid", "serial_no", "tags")
NODE_KEYS = (
    "name", "offline", "master_candidate", "drained", "dtotal", "dfree",
    "sptotal", "spfree", "mtotal", "mnode", "mfree", "pinst_cnt",
    "sinst_cnt", "ctotal", "cnos", "cnodes", "csockets", "pip", "sip",
    "role", "pinst_list", "sinst_list", "master_capable", "vm_capable",
    "ndparams", "group.uuid", "ctime", "mtime", "uuid", "serial_no", "tags")
# status -> (admin_state, oper_state)
STATES = {"running": ("up", True), "ADMIN_down": ("down", False),
          "ADMIN_offline": ("offline", False), "ERROR_up": ("down", True),
          "ERROR_down": ("up", False), "USER_down": ("up", False),
          "ERROR_nodedown": ("up", False), "ERROR_nodeoffline": ("up", False),
          "ERROR_wrongnode": ("up", True)}


def now():
    return time.time()


def new_mac():
    return "aa:00:00:%02x:%02x:%02x" % tuple(uuid.uuid4().bytes[:3])


def upgrade_beparams(beparams):
    """Ganeti turns the old ``memory`` into ``maxmem`` and ``minmem``."""
    beparams = dict(beparams)
    if "memory" in beparams:
        memory = beparams.pop("memory")
        beparams = dict({"maxmem": memory, "minmem": memory}, **beparams)
    return beparams


def set_status(instance, status):
    """Set an instance's status and the fields that go with it."""
    admin, running = STATES[status]
    beparams = instance["beparams"]
    instance.update(status=status, admin_state=admin, oper_state=running,
                    oper_ram=beparams["maxmem"] if running else None,
                    oper_vcpus=beparams["vcpus"] if running else None)


def touch(item):
    """Ganeti's bookkeeping of a changed object."""
    item["mtime"] = now()
    item["serial_no"] += 1


def nice_sorted(names):
    return sorted(names, key=query.nice_key)


class FakeCluster:
    """One Ganeti cluster: its objects, job queue, users and faults.

    ``instances`` (by name) hold every field of ``/2/instances?bulk=1``
    plus ``hypervisor``; ``nodes`` every node field that is not counted
    from the instances. Tests may change both directly.
    """

    def __init__(self, name, url, user="ganeti", password="secret"):
        self.name = name
        self.url = url.rstrip("/")
        parts = urllib.parse.urlsplit(self.url)
        self.scheme, self.host = parts.scheme, parts.hostname
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        # user -> [password, may write]
        self.users = {user: [password or "", True]} if user else {}
        self.info = copy.deepcopy(fake_rapi_data.INFO)
        self.info.update(name=self.host, uuid=str(uuid.uuid4()),
                         ctime=now(), mtime=now())
        self.features = list(FEATURES)
        self.os_names = ["noop", "noop-variants+default",
                         "noop-variants+minimal"]
        self.tags = []
        self.groups = {}
        self.nodes = {}
        self.instances = {}
        self.networks = []
        # node name -> names of the exports on it (gnt-backup)
        self.exports = {}
        # Ganeti's cluster domain secret: remote imports check that the
        # source's handshake was signed with the same one.
        self.domain_secret = "secret-of-" + name
        # instance name -> what /console answers while it runs (KVM: one of
        # Ganeti's console dicts; the fake hypervisor has a message).
        self.consoles = {}
        self.queue = jobs.JobQueue()
        self.fault = self.fault_path = self.fault_body = None
        self.add_group("default")
        self.add_node("node1." + self.host)

    def __repr__(self):
        return "<FakeCluster %s %s>" % (self.name, self.url)

    # -- building it -----------------------------------------------------

    def add_group(self, name, **fields):
        group = copy.deepcopy(fake_rapi_data.GROUP)
        # The group "gnt-cluster init" makes has ctime 0; later ones a
        # float.
        group.update(name=name, uuid=str(uuid.uuid4()), ctime=0,
                     mtime=now())
        group.update(fields)
        self.groups[name] = group
        return group

    def add_node(self, name, role=None, group="default", **fields):
        """``role``: a code (M, C, R, D, O) or a name; the first node is
        the master, later ones master candidates (as on the sandbox).
        """
        role = {v: k for k, v in ROLES.items()}.get(role, role) or \
            ("C" if self.nodes else "M")
        number = len(self.nodes) + 1
        node = {
            "name": name, "dtotal": 258019, "dfree": 80616, "sptotal": None,
            "spfree": None, "mtotal": 24105, "mnode": 91, "mfree": 23085,
            "ctotal": 2, "cnos": 2, "cnodes": 1, "csockets": 1,
            "pip": "192.0.2.%d" % number, "sip": "192.0.2.%d" % number,
            "role": role, "master_capable": True, "vm_capable": True,
            "ndparams": copy.deepcopy(self.info["ndparams"]),
            "group.uuid": self.groups[group]["uuid"], "ctime": now(),
            "mtime": now(), "uuid": str(uuid.uuid4()), "serial_no": 1,
            "tags": []}
        node.update(fields)
        self.nodes[name] = node
        return node

    def add_instance(self, name, status="running", pnode=None, snodes=(),
                     tags=(), beparams=None, disk_template="diskless",
                     disks=(), nics=({},), os="noop", hypervisor="fake",
                     **fields):
        """An instance as Ganeti lists it. ``disks``: sizes in MiB (or
        dicts with ``size`` and ``name``); ``nics``: dicts with ``ip``,
        ``mac``, ``mode``, ``link``, ``network``, ``name``; ``beparams``:
        the instance's own (``memory`` sets minmem and maxmem, as in
        Ganeti); ``fields``: other bulk fields, as they are.
        """
        custom = upgrade_beparams(beparams or {})
        disks = [d if isinstance(d, dict) else {"size": d} for d in disks]
        sizes = [int(d["size"]) for d in disks]
        nics = [self._nic(n) for n in nics]
        stamp = now()
        instance = {
            "name": name, "os": os, "pnode": pnode or self.master,
            "snodes": list(snodes), "disk_template": disk_template,
            "nic.ips": [n.get("ip") for n in nics],
            "nic.macs": [n["mac"] for n in nics],
            "nic.modes": [n["mode"] for n in nics],
            "nic.uuids": [str(uuid.uuid4()) for _ in nics],
            "nic.names": [n.get("name") for n in nics],
            "nic.links": [n["link"] for n in nics],
            "nic.networks": [n.get("network") for n in nics],
            "nic.networks.names": [n.get("network") for n in nics],
            "nic.bridges": [n["link"] if n["mode"] == "bridged" else None
                            for n in nics],
            "network_port": None, "disk.sizes": sizes,
            "disk.spindles": [None for _ in sizes], "disk_usage": 0,
            "disk.uuids": [str(uuid.uuid4()) for _ in sizes],
            "disk.names": [d.get("name") for d in disks],
            "beparams": self.merged_beparams(custom), "hvparams": {},
            "custom_hvparams": {}, "custom_beparams": custom,
            "custom_nicparams": [{} for _ in nics], "ctime": stamp,
            "mtime": stamp, "uuid": str(uuid.uuid4()), "serial_no": 1,
            "tags": sorted(set(tags)), "hypervisor": hypervisor}
        instance["disk_usage"] = disk_usage(instance)
        instance.update(fields)
        set_status(instance, status)
        self.instances[name] = instance
        return instance

    def _nic(self, nic):
        nic = dict(nic)
        default = self.info["nicparams"]["default"]
        if nic.get("mac") in (None, "auto", "generate"):
            nic["mac"] = new_mac()
        nic.setdefault("mode", default["mode"])
        nic.setdefault("link", default["link"])
        return nic

    def merged_beparams(self, custom):
        merged = dict(self.info["beparams"]["default"], **custom)
        merged["memory"] = merged["maxmem"]
        return merged

    @property
    def master(self):
        return next((n for n, d in self.nodes.items() if d["role"] == "M"),
                    None)

    def find_instance(self, name):
        """The instance ``name`` means (Ganeti expands ``web`` to
        ``web.example.test``), or None.
        """
        found = query.lookup(self.instances, name)
        return self.instances[found] if found else None

    def find_node(self, name):
        found = query.lookup(self.nodes, name)
        return self.nodes[found] if found else None

    # -- as RAPI shows it ------------------------------------------------

    def instance_item(self, instance):
        return {key: copy.deepcopy(instance[key]) for key in INSTANCE_KEYS}

    def node_item(self, node, with_group=False):
        name, role = node["name"], node["role"]
        primary = nice_sorted(i for i, d in self.instances.items()
                              if d["pnode"] == name)
        secondary = nice_sorted(i for i, d in self.instances.items()
                                if name in d["snodes"])
        counted = {"offline": role == "O",
                   "master_candidate": role in ("M", "C"),
                   "drained": role == "D", "pinst_cnt": len(primary),
                   "sinst_cnt": len(secondary), "pinst_list": primary,
                   "sinst_list": secondary}
        item = {key: copy.deepcopy(counted[key] if key in counted
                                   else node[key]) for key in NODE_KEYS}
        if with_group:  # a query field, not in the bulk list
            item["group"] = next((g for g, d in self.groups.items()
                                  if d["uuid"] == node["group.uuid"]), None)
        return item

    def group_item(self, group):
        members = nice_sorted(n for n, d in self.nodes.items()
                              if d["group.uuid"] == group["uuid"])
        item = {"alloc_policy": group["alloc_policy"], "name": group["name"],
                "node_cnt": len(members), "node_list": members}
        for key in ("ipolicy", "diskparams", "ndparams"):
            # A group has the cluster's parameters, changed by its own.
            item[key] = dict(self.info[key], **group["custom_" + key])
            item["custom_" + key] = group["custom_" + key]
        for key in ("ctime", "mtime", "uuid", "serial_no", "tags"):
            item[key] = group[key]
        return copy.deepcopy(item)

    def info_item(self):
        return copy.deepcopy(dict(self.info, master=self.master,
                                  tags=nice_sorted(self.tags)))

    # -- jobs ------------------------------------------------------------

    @property
    def hold_jobs(self):
        return self.queue.hold

    @hold_jobs.setter
    def hold_jobs(self, value):
        self.queue.hold = bool(value)

    def job(self, job_id):
        return self.queue.jobs[int(job_id)]

    def last_job(self):
        jobs_ = self.queue.jobs
        return jobs_[max(jobs_)] if jobs_ else None

    def fail_next_job(self, message, kind="OpPrereqError",
                      code="wrong_input"):
        """The next job fails, changing nothing, as Ganeti encodes
        ``kind(message, code)``.
        """
        self.queue.next_failure = (kind, message, code)

    def start_job(self, job_id):
        self.queue.start(self.job(job_id))

    def finish_job(self, job_id, error=None, kind="OpPrereqError",
                   code="wrong_input"):
        """Run a held job to its end (``error``: make it fail so)."""
        self.queue.finish(self.job(job_id),
                          (kind, error, code) if error else None)

    def finish_jobs(self):
        for job in list(self.queue.jobs.values()):
            self.queue.finish(job)

    # -- faults ----------------------------------------------------------

    def fail(self, fault, path=None, body=None):
        """Misbehave from now on: a name in FAULTS, or an HTTP status that
        every request is answered with (``body``: that text instead of
        Ganeti's JSON). ``path``: a regular expression; only requests whose
        path it finds misbehave. "read-only" makes the users read-only.
        """
        if fault not in FAULTS and not isinstance(fault, int):
            raise ValueError("unknown fault %r" % (fault,))
        self.fault, self.fault_path, self.fault_body = fault, path, body
        for entry in self.users.values():
            entry[1] = fault != "read-only"

    def heal(self):
        self.fault = self.fault_path = self.fault_body = None
        for entry in self.users.values():
            entry[1] = True

    def fault_for(self, path):
        if self.fault is not None and (
                self.fault_path is None or re.search(self.fault_path, path)):
            return self.fault
        return None


def disk_usage(instance):
    sizes = instance["disk.sizes"]
    extra = 128 * len(sizes) if instance["disk_template"] == "drbd" else 0
    return sum(sizes) + extra
