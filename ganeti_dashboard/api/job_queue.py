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

"""Ganeti's job queues, read across clusters and kept bounded.

A cluster's job queue only grows until Ganeti's archiver runs, so no list
ever asks for all of it: a cluster's snapshot of its jobs (see
:mod:`snapshots`) lists the job ids (a short answer), keeps the newest
``jobs_listed`` (a config option, :func:`listed_per_cluster`) and fetches
those in one query call, by id, so Ganeti reads only them; a cluster that
is down only adds its error. The snapshot keeps of each job only what the
lists show and search (:func:`_compact`): the Jobs panel, a project's
Operations and an instance's operations tab page and filter its rows
without any RAPI call; a job's detail page reads the job itself.

Cancelling rarely cancels (``doc/source/contributor/rapi-facts.rst``): a
job that already has a process is not stopped, whatever Ganeti answers.
:func:`cancel` therefore reads the job again and reports its real status,
not the answer.
"""

import json
import time

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots


# What a list row needs: no "oplog" (the detail page reads it), "ops" only
# for the reason trail, "opstatus"/"opresult" for a failed job's error text.
LIST_FIELDS = ("id", "status", "summary", "received_ts", "start_ts",
               "end_ts", "ops", "opstatus", "opresult")

CANCELABLE = ("queued", "waiting")
# Statuses in which a cancel request may still change the outcome.
UNDECIDED = ("queued", "waiting", "canceling")
CANCEL_SETTLE = 3.0  # seconds to wait for a cancel to take effect


def listed_per_cluster():
    """How many of a cluster's newest jobs the lists hold."""
    return clusters.settings().jobs_listed


def _compact(data):
    """What the lists need of a job's data: each opcode reduced to its
    ``OP_ID``, ``instance_name`` and the dashboard's reason entry (an
    instance create's opcode alone carries every parameter), and the
    results of failed opcodes only (their error text). A few hundred
    bytes a job, whatever its opcodes.
    """
    ops = []
    for op in data.get("ops") or ():
        op = op or {}
        kept = {key: op[key] for key in ("OP_ID", "instance_name")
                if op.get(key)}
        trail = [entry for entry in op.get("reason") or ()
                 if entry and entry[0] == "gnt:user"]
        if trail:
            kept["reason"] = trail
        ops.append(kept)
    statuses = list(data.get("opstatus") or ())
    results = list(data.get("opresult") or ())
    return dict(data, ops=ops, opresult=[
        results[i] if i < len(results) and status in ("error", "canceled")
        else None for i, status in enumerate(statuses)])


def _fetch(client):
    """A cluster's newest jobs, as its snapshot holds them: each job's
    data (:func:`_compact`) and who started it where Ganeti dropped the
    reason.
    """
    found = [models.Job(client.name, data) for data in client.jobs(
        client.job_ids()[:listed_per_cluster()], LIST_FIELDS)]
    job_starters.attach_starters(client, found)
    return [(_compact(job.data), job.starter) for job in found]


SNAPSHOT = snapshots.register(snapshots.Kind("jobs", _fetch))


def list_recent(cluster_names=None):
    """The newest :func:`listed_per_cluster` jobs of each cluster, newest
    first, from the clusters' snapshots.

    ``cluster_names`` None means every configured cluster. Returns ``(jobs,
    snapshots)``: each cluster's :class:`snapshots.Snapshot` says its age
    and failure.
    """
    found = snapshots.read(clusters.settings().clusters_named(cluster_names),
                           SNAPSHOT.name)
    listed = []
    for cluster, snapshot in found.items():
        for data, starter in snapshot.data or ():
            job = models.Job(cluster, data)
            job.starter = starter
            listed.append(job)
    listed.sort(key=lambda j: (j.received.timestamp() if j.received else 0,
                               j.cluster, j.job_id), reverse=True)
    return listed, found


def get(obj_id):
    """One job, fresh from RAPI, by ``"<cluster>:<job id>"``."""
    cluster, job_id = models.split_id(obj_id)
    if not job_id.isdigit():
        raise errors.NotFound("not found")
    client = clusters.client(cluster)
    job = models.Job(cluster, client.job(int(job_id)))
    job_starters.attach_starters(client, [job])
    return job


def error_text(job):
    """Ganeti's error text of a failed or canceled job, else None."""
    if job.status in ("error", "canceled"):
        return rapi.job_error(job.data)
    return None


def opcodes(job):
    """Per opcode: its OP_ID, status, result or error, and log lines."""
    data = job.data
    ops = data.get("ops") or []
    statuses = data.get("opstatus") or []
    results = data.get("opresult") or []
    logs = data.get("oplog") or []

    def at(values, i):
        return values[i] if i < len(values) else None

    rows = []
    for i, op in enumerate(ops):
        status, result = at(statuses, i), at(results, i)
        failed = status in ("error", "canceled")
        rows.append({
            "index": i,
            "op_id": (op or {}).get("OP_ID", "-"),
            "status": status or "-",
            "error": rapi.job_error({"id": job.job_id, "status": status,
                                     "opstatus": [status],
                                     "opresult": [result]})
            if failed else None,
            "result": None if failed or result is None
            else json.dumps(result, sort_keys=True, default=str),
            "log": [_log_line(entry) for entry in at(logs, i) or []],
        })
    return rows


def _log_line(entry):
    """An oplog entry is [serial, [seconds, micro], type, message]."""
    try:
        _, stamp, _, message = entry
        return {"time": models._ts(stamp), "message": str(message)}
    except (TypeError, ValueError):
        return {"time": None, "message": str(entry)}


def cancel(request, job, settle=None):
    """Ask Ganeti to cancel ``job`` (a :class:`models.Job` just read).

    Returns ``(job, answer)``: the job as read after the request (polled for
    at most ``settle`` seconds while the cancel may still take effect) and
    Ganeti's answer text, which is shown only as a detail.
    """
    if job.status not in CANCELABLE:
        raise errors.BadRequest(
            "job %s is %s: only a queued or waiting job can be canceled"
            % (job.job_id, job.status), job.cluster)
    client = clusters.client(job.cluster)
    answer = client.cancel_job(job.job_id,
                               reason=job_starters.reason(request))
    if isinstance(answer, (list, tuple)) and len(answer) == 2:
        answer = answer[1]
    deadline = time.monotonic() + (CANCEL_SETTLE if settle is None
                                   else settle)
    while True:
        job = models.Job(job.cluster, client.job(job.job_id))
        if job.status not in UNDECIDED or time.monotonic() >= deadline:
            return job, str(answer or "")
        time.sleep(0.2)
