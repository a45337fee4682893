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

"""Start one Ganeti job and wait for it a bounded while: the actions of
nodes, node groups, networks and cluster settings; and the jobs of ours
still running on a node, group or network (:class:`Tracked`), which its
row follows until they end.

A tracked object's jobs are kept in the shared cache
(``api.pending_jobs``, one key per object), so a list page marks its row
without any RAPI call and only that row's updates ask Ganeti, one call
each, how the jobs are doing. A job that ended well and submitted jobs
of its own (an evacuation) is followed by them.
"""

import dataclasses

from django.utils.translation import gettext as _

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots


@dataclasses.dataclass
class Started:
    """A job an action started; ``done``: it ended well within the wait;
    then ``sub_jobs`` (ids) and ``refused`` (texts): the jobs it submitted
    and those Ganeti refused.
    """

    job_id: int
    done: bool = False
    sub_jobs: list = dataclasses.field(default_factory=list)
    refused: list = dataclasses.field(default_factory=list)


class Tracked:
    """An object (``cluster``, ``name``) whose row follows the jobs of
    ours running on it: ``pending`` is ``{"jobs": [ids], "label": text}``
    while they run; ``refresh_error`` says why its cluster could not tell
    about it at the row's last update.
    """

    PENDING_KIND = None  # a kind of api.pending_jobs
    READY = "ready"  # the status of an object with no job of ours
    pending = None
    refresh_error = None

    @classmethod
    def unknown(cls, cluster, name, why):
        """Stands for an object its cluster cannot tell about now."""
        obj = cls(cluster, {"name": name})
        obj.refresh_error = why
        return obj

    @property
    def status_label(self):
        if self.refresh_error:
            return _("unknown: %s") % self.refresh_error
        if self.pending:
            return _("%(action)s (job %(job)s)") % {
                "action": _(self.pending["label"]),
                "job": ", ".join(str(j) for j in self.pending["jobs"])}
        return self.settled_label

    @property
    def settled_label(self):
        """The status of the object with no job of ours running."""
        return self.READY

    @property
    def settled(self):
        return not self.pending and not self.refresh_error

    def with_pending(self):
        """Itself, with the jobs of ours kept for it."""
        self.pending = pending_jobs.pending(self.cluster, self.name,
                                            self.PENDING_KIND)
        return self


def with_pending(objects):
    """``objects`` (Tracked, of one or more clusters), each with the jobs
    of ours kept for it: one cache round trip per cluster.
    """
    by_cluster = {}
    for obj in objects:
        by_cluster.setdefault((obj.cluster, obj.PENDING_KIND), []).append(
            obj)
    for (cluster, kind), found in by_cluster.items():
        pending = pending_jobs.pending_many(cluster,
                                            [o.name for o in found], kind)
        for obj in found:
            obj.pending = pending.get(obj.name)
    return objects


def remember(obj, job_ids, label):
    """Keep ``job_ids`` as the jobs of ours on ``obj`` (none: forget)."""
    obj.pending = {"jobs": [int(j) for j in job_ids],
                   "label": label} if job_ids else None
    pending_jobs.keep(obj.cluster, obj.name, obj.pending, obj.PENDING_KIND)


def sub_jobs(job):
    """(ids submitted, refusals) of a job whose result lists new jobs."""
    submitted, refused = [], []
    for result in job.get("opresult") or []:
        if isinstance(result, dict):
            for ok, value in result.get("jobs") or []:
                (submitted if ok else refused).append(value)
    return submitted, refused


def refresh_pending(obj):
    """Ask Ganeti (one call) about the jobs of ours on ``obj``.

    A finished job that submitted jobs of its own is followed by them.
    When every job has ended the object settles. Returns Ganeti's error
    texts of the jobs that failed.
    """
    if not obj.pending:
        return []
    client = clusters.client(obj.cluster)
    found = {int(j["id"]): j for j in client.jobs(obj.pending["jobs"])}
    waiting, failed = [], []
    for job_id in obj.pending["jobs"]:
        job = found.get(job_id)
        if job is None or job.get("status") is None:
            continue  # archived: long over
        if job["status"] in rapi.JOB_PENDING:
            waiting.append(job_id)
        elif job["status"] == "success":
            submitted, refused = sub_jobs(job)
            waiting.extend(submitted)
            failed.extend(str(r) for r in refused)
        else:
            failed.append("job %s: %s" % (job_id, rapi.job_error(job)))
    if waiting == obj.pending["jobs"]:
        return failed
    remember(obj, waiting, obj.pending["label"])
    # Snapshots taken while the jobs ran show the object as it was.
    snapshots.mark_stale(obj.cluster)
    return failed


def check(obj, action):
    """Refuse (no job sent) what ``obj.cannot(action)`` says will not
    work.
    """
    why = obj.cannot(action)
    if why:
        raise errors.Refused("%s: %s" % (obj.name, why), obj.cluster, why)


def writable(cluster):
    """Refuse (no job sent) a cluster that is not configured, or that the
    configuration or its RAPI user keeps from writes.
    """
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound("not found", cluster)
    refusal = preconditions.cluster_refusal(config)
    if refusal is not None:
        raise errors.Refused(str(refusal), cluster, refusal)


def run(request, cluster, submit, wait, track=None, label=None):
    """Start ``submit(client, reason)``'s job and wait for it a while.

    :class:`errors.JobFailed` (Ganeti refused) propagates; a job still
    running after ``wait`` seconds is reported as started and, with
    ``track`` (a :class:`Tracked` object), kept as its pending job under
    ``label``, as are the jobs a finished one submitted. The cluster's
    cached lists are stale either way.
    """
    client = clusters.client(cluster)
    started = Started(submit(client, job_starters.reason(request)))
    try:
        job = client.wait_for_job(started.job_id, timeout=wait)
    except errors.JobFailed:
        raise
    except errors.RapiError:
        job = None  # still running, or the poll failed: started all the same
    finally:
        snapshots.mark_stale(cluster)
    if job is not None:
        started.done = True
        if isinstance(job, dict):
            started.sub_jobs, started.refused = sub_jobs(job)
    if track is not None:
        remember(track, started.sub_jobs if job is not None
                 else [started.job_id], label)
    return started


def act(request, obj, label, submit, wait):
    """Start the job of an action on ``obj`` (a :class:`Tracked`); a job
    still running after ``wait``, or the jobs it submitted, are kept as
    ``obj``'s under ``label`` for its row to follow.
    """
    return run(request, obj.cluster, submit, wait, track=obj, label=label)
