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

"""Moving an instance to another configured cluster, as Ganeti's own
``move-instance`` tool does it, through both clusters' RAPI:

1. ``PUT /2/instances/<name>/prepare-export?mode=remote`` on the source:
   its job answers a handshake, an X509 key name and CA;
2. ``POST /2/instances`` with ``mode=remote-import`` on the destination,
   with the handshake, the CA and the source instance's name (and its
   owner tags): its job checks the handshake (both clusters must share
   Ganeti's cluster domain secret), then logs, as a ``remote-import``
   entry, where it listens for each disk (host, port, magic);
3. ``PUT /2/instances/<name>/export`` with ``mode=remote`` on the source,
   to those addresses: its job sends the disks (the source is removed
   only if the operator asked, and only by that job, after success).
   Disks Ganeti cannot snapshot (every template but plain, drbd and ext)
   are sent from the stopped instance with ``long_sleep``: without it
   Ganeti stops the instance and then fails the export (measured on
   Ganeti 3.0.2 with ``file`` disks, as for a local export).

Steps 1 and 2 are waited for here, each with a bound, so a destination
that refuses (a different domain secret, a taken name, a full node) is
said at once and no export starts; step 3's job and the import job run
on, shown in the instance's row and in the Jobs panel. Whether the
source's nodes can reach the destination's cannot be known through RAPI:
an unreachable one fails the export job with Ganeti's message, within
Ganeti's own connect timeouts. The destination's master must resolve the
instance's name (Ganeti resolves the source instance's name even without
a name check): else step 2 fails with "does not resolve".
"""

import time

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api.texts import gettext_noop
from ganeti_dashboard.api.texts import Text

PREPARE_WAIT = 60  # s: the source's prepare-export job
LISTEN_WAIT = 60  # s: until the destination's import job listens
LABEL = "Moving"


def _owner_tags(tags):
    return [t for t in tags or () if t.startswith(
        (models.OWNER_PROJECT_TAG, models.OWNER_USER_TAG))]


def import_info(job):
    """The ``remote-import`` entry of an import job's log, or None."""
    for entries in job.get("oplog") or ():
        for entry in entries or ():
            if len(entry) >= 4 and entry[2] == "remote-import" \
                    and isinstance(entry[3], dict):
                return entry[3]
    return None


def _wait_listening(client, job_id, timeout):
    """The destination import job's listening addresses; raises
    :class:`errors.JobFailed` with Ganeti's text if the job ends first,
    :class:`errors.Timeout` after ``timeout`` (the job is then canceled).
    """
    deadline = time.monotonic() + timeout
    interval = 0.3
    while True:
        job = client.job(job_id)
        found = import_info(job)
        if found:
            return found
        if job["status"] in rapi.JOB_DONE:
            raise errors.JobFailed(rapi.job_error(job), client.name,
                                   job_id, job["status"])
        if time.monotonic() >= deadline:
            try:
                client.cancel_job(job_id)
            except errors.RapiError:
                pass
            raise errors.Timeout(Text(gettext_noop(
                "the destination's import job %(job)s did not listen "
                "within %(seconds)gs"),
                {"job": job_id, "seconds": timeout}), client.name)
        time.sleep(interval)
        interval = min(interval * 1.5, 2.0)


def move(request, scope, obj_id, dest_cluster, dest_node=None,
         remove_source=False, prepare_wait=None, listen_wait=None):
    """Start a move; return ``(prepare job, import job, export job)``.

    The instance is read fresh within the scope and checked as an export
    would be (disks to send). ``prepare_wait``, ``listen_wait``: the
    bounds of steps 1 and 2 (default :data:`PREPARE_WAIT`,
    :data:`LISTEN_WAIT`).
    """
    prepare_wait = PREPARE_WAIT if prepare_wait is None else prepare_wait
    listen_wait = LISTEN_WAIT if listen_wait is None else listen_wait
    instance = instance_api.get(scope, obj_id)
    instance_api.check_state(instance, "move")
    if dest_cluster == instance.cluster or \
            clusters.settings().cluster(dest_cluster) is None:
        raise errors.BadRequest(Text(gettext_noop(
            "choose another configured cluster")), instance.cluster)
    source = clusters.client(instance.cluster)
    dest = clusters.client(dest_cluster)
    if dest.cluster.read_only:
        raise errors.Forbidden(Text(gettext_noop(
            "cluster %(cluster)s is configured read-only for the "
            "dashboard"), {"cluster": dest_cluster}), dest_cluster)
    reason = job_starters.reason(request)
    data = source.instance(instance.name)
    prepare = source.prepare_export(instance.name, reason=reason)
    expinfo = source.wait_for_job(prepare, timeout=prepare_wait)[
        "opresult"][0]
    spec = {
        "mode": "remote-import", "name": instance.name,
        "disk_template": data.get("disk_template"),
        "disks": [{"size": size} for size in data.get("disk.sizes") or []],
        "nics": [{} for _mac in data.get("nic.macs") or [None]],
        "os_type": data.get("os"),
        "beparams": {key: value for key, value in (
            data.get("beparams") or {}).items()
            if key in ("vcpus", "maxmem", "minmem")},
        "start": data.get("admin_state") == "up",
        "source_handshake": expinfo["handshake"],
        "source_x509_ca": expinfo["x509_ca"],
        "source_instance_name": instance.name,
        "tags": _owner_tags(data.get("tags")),
        "name_check": False, "ip_check": False,
    }
    if dest_node:
        spec["pnode"] = dest_node
    importing = dest.create_instance(spec, reason=reason)
    pending_jobs.remember_create(dest_cluster, instance.name, importing,
                                 instance.project_id)
    try:
        impinfo = _wait_listening(dest, importing, listen_wait)
    except errors.RapiError:
        pending_jobs.forget_create(dest_cluster, instance.name)
        snapshots.mark_stale(dest_cluster)
        raise
    export = source.export_instance(
        instance.name, impinfo["disks"], mode="remote", shutdown=True,
        long_sleep=data.get("disk_template") not in
        preconditions.SNAPSHOT_CAPABLE,
        remove_instance=bool(remove_source),
        x509_key_name=expinfo["x509_key_name"],
        destination_x509_ca=impinfo["x509_ca"], reason=reason)
    pending_jobs.remember(instance.cluster, instance.name, export, "move",
                          LABEL, extra={"destination": dest_cluster,
                                        "import_job": importing})
    return prepare, importing, export
