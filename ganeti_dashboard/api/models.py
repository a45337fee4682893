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

"""Objects the panels show, built from RAPI's bulk answers.

Each carries its cluster, because every list spans several clusters, and an
``id`` of the form ``<cluster>:<name>`` that is unique across them (cluster
names may not contain ``:``; Ganeti names cannot).
"""

import re

from django.utils.translation import gettext
from django.utils.translation import pgettext_lazy

from ganeti_dashboard.api import errors

OWNER_PROJECT_TAG = "openstack:project:"
OWNER_USER_TAG = "openstack:user:"
CLUSTER_MAPPING_TAG = "ganeti:cluster:"


def object_id(cluster, name):
    return "%s:%s" % (cluster, name)


def split_id(obj_id):
    """``"cluster:name"`` -> ``("cluster", "name")``; NotFound if malformed.

    Non-ASCII is malformed too: no Ganeti object or configured cluster can
    be named so, and none is ever sent to Ganeti.
    """
    obj_id = str(obj_id)
    cluster, _, name = obj_id.partition(":")
    if not cluster or not name or not obj_id.isascii():
        raise errors.NotFound("not found")
    return cluster, name


def tag_value(tags, prefix):
    for tag in tags or ():
        if tag.startswith(prefix):
            return tag[len(prefix):]
    return None


# Ganeti's instance status -> what the page says. A status not listed is
# shown as Ganeti spells it.
STATUS_LABELS = {
    "running": pgettext_lazy("Ganeti instance state", "Running"),
    "ADMIN_down": pgettext_lazy("Ganeti instance state", "Stopped"),
    "ADMIN_offline": pgettext_lazy("Ganeti instance state", "Offline"),
    "USER_down": pgettext_lazy("Ganeti instance state", "Shut down by its user"),
    "ERROR_up": pgettext_lazy("Ganeti instance state", "Error: running but should be stopped"),
    "ERROR_down": pgettext_lazy("Ganeti instance state", "Error: stopped but should run"),
    "ERROR_nodedown": pgettext_lazy("Ganeti instance state", "Error: node down"),
    "ERROR_nodeoffline": pgettext_lazy("Ganeti instance state", "Error: node offline"),
    "ERROR_wrongnode": pgettext_lazy("Ganeti instance state", "Error: running on the wrong node"),
}


# Ganeti's statuses of an instance that runs, and of one that is stopped.
RUNNING = ("running", "ERROR_up", "ERROR_wrongnode")
STOPPED = ("ADMIN_down", "USER_down", "ERROR_down")


class _Listed:
    """An object of a list: its cluster, its RAPI ``data``, and an ``id``
    unique across clusters. ``KEY`` is the field of ``data`` that names
    it; ``UNKNOWN`` the data of one its cluster cannot tell about now.
    """

    KEY = "name"
    UNKNOWN = {"status": "unknown"}

    @classmethod
    def unknown(cls, cluster, key, why):
        """Stands for an object its cluster cannot tell about now (a row
        whose refresh failed).
        """
        obj = cls(cluster, dict(cls.UNKNOWN, **{cls.KEY: key}))
        obj.refresh_error = why
        return obj

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.id)


class Instance(_Listed):
    """One Ganeti instance, from ``/2/instances?bulk=1`` or ``/2/instances/X``."""

    def __init__(self, cluster, data, pending=None):
        self.cluster = cluster
        self.data = data
        self.name = data["name"]
        self.id = object_id(cluster, self.name)
        self.status = data.get("status") or "unknown"
        self.admin_state = data.get("admin_state")
        self.pnode = data.get("pnode")
        self.snodes = data.get("snodes") or []
        self.os = data.get("os")
        self.tags = data.get("tags") or []
        self.disk_template = data.get("disk_template")
        beparams = data.get("beparams") or {}
        self.vcpus = beparams.get("vcpus")
        self.memory = beparams.get("maxmem", beparams.get("memory"))
        self.disk_sizes = data.get("disk.sizes") or []
        self.disk_total = sum(s for s in self.disk_sizes if s)
        self.ips = [ip for ip in data.get("nic.ips") or [] if ip]
        self.project_id = tag_value(self.tags, OWNER_PROJECT_TAG)
        self.user_id = tag_value(self.tags, OWNER_USER_TAG)
        self.project_name = None  # filled in by the view from Keystone
        # A job the dashboard started on this instance and has not yet seen
        # end: {"job": id, "action": "start"}; see api.pending_jobs.
        self.pending = pending
        # Why the instance could not be read just now (its cluster failed).
        self.refresh_error = None

    @property
    def status_label(self):
        if self.refresh_error:
            return gettext("Unknown: %s") % self.refresh_error
        if self.pending:
            return gettext("%(action)s (job %(job)s)") % {
                "action": self.pending.get("label") or self.pending["action"],
                "job": self.pending["job"]}
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_running(self):
        return self.status in RUNNING

    @property
    def is_stopped(self):
        return self.status in STOPPED

    @property
    def settled(self):
        """False while a job of ours runs on it, or while its cluster cannot
        say: the row keeps polling, and offers no action.
        """
        return not self.pending and not self.refresh_error


class Node(_Listed):
    """One node, from ``/2/nodes?bulk=1``."""

    UNKNOWN = {}

    ROLES = {"M": pgettext_lazy("Ganeti node role", "master"),
             "C": pgettext_lazy("Ganeti node role", "master candidate"),
             "R": pgettext_lazy("Ganeti node role", "regular"),
             "D": pgettext_lazy("Ganeti node role", "drained"),
             "O": pgettext_lazy("Ganeti node role", "offline")}

    def __init__(self, cluster, data, group_names=None):
        self.cluster = cluster
        self.data = data
        self.name = data["name"]
        self.id = object_id(cluster, self.name)
        self.role_code = data.get("role")
        self.role = self.ROLES.get(self.role_code, self.role_code or "-")
        self.offline = bool(data.get("offline"))
        self.drained = bool(data.get("drained"))
        self.group_uuid = data.get("group.uuid")
        self.group = (group_names or {}).get(self.group_uuid,
                                             self.group_uuid)
        self.mtotal, self.mfree = data.get("mtotal"), data.get("mfree")
        self.dtotal, self.dfree = data.get("dtotal"), data.get("dfree")
        self.cpus = data.get("ctotal")
        self.pinst_cnt = data.get("pinst_cnt") or 0
        self.sinst_cnt = data.get("sinst_cnt") or 0
        self.pinst_list = data.get("pinst_list") or []
        self.tags = data.get("tags") or []
        self.pip = data.get("pip")
        self.refresh_error = None


class Job(_Listed):
    """One Ganeti job, from ``/2/jobs/N``."""

    KEY = "id"

    def __init__(self, cluster, data):
        self.cluster = cluster
        self.data = data
        self.job_id = int(data["id"])
        self.id = object_id(cluster, self.job_id)
        self.status = data.get("status")
        self.summary = ", ".join(data.get("summary") or [])
        self.received = _ts(data.get("received_ts"))
        self.started = _ts(data.get("start_ts"))
        self.ended = _ts(data.get("end_ts"))
        self.refresh_error = None
        # Who started it, from the instance's starter tag, where Ganeti
        # dropped the reason (see api.job_starters).
        self.starter = None
        self.reason = None
        for op in data.get("ops") or []:
            for source, text, _ in op.get("reason") or []:
                if source == "gnt:user" and text:
                    self.reason = text
                    break
            if self.reason:
                break

    @property
    def done(self):
        return self.status in ("success", "error", "canceled")

    @property
    def op_ids(self):
        """Its opcodes' ``OP_ID`` (e.g. ``OP_INSTANCE_STARTUP``)."""
        return [(op or {}).get("OP_ID") or "" for op in
                self.data.get("ops") or ()]

    @property
    def instance_names(self):
        """The instances its opcodes act on: their ``instance_name``, or
        the name in a summary's parentheses, ``INSTANCE_STARTUP(name)``,
        of an instance opcode.
        """
        names = []
        for op in self.data.get("ops") or ():
            name = (op or {}).get("instance_name")
            if name and name not in names:
                names.append(name)
        if not names:
            for text in self.data.get("summary") or ():
                match = _INSTANCE_SUMMARY.match(text or "")
                if match and match.group(1) not in names:
                    names.append(match.group(1))
        return names


_INSTANCE_SUMMARY = re.compile(r"^INSTANCE_[A-Z_]+\(([^()]+)\)$")


def _ts(value):
    """RAPI timestamps are [seconds, microseconds]."""
    if not value:
        return None
    import datetime
    seconds, micro = value
    return datetime.datetime.fromtimestamp(
        seconds + micro / 1e6, tz=datetime.timezone.utc)
