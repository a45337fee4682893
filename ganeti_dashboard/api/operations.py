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


"""The jobs a scope may see: an instance's, a project's operations.

Ganeti's job queue is the cluster's, not a project's. A project's
member sees, on the clusters mapped to the project, the jobs on the
instances the project owns now (their owner tag, in the instances'
snapshot), and the jobs a user of the project started from the dashboard
on an instance (their reason trail names the project: e.g. the removal of
an instance that is gone). Never a job of a node or of the cluster, nor
one on another project's instance that none of its users started.

Everything is read from the clusters' job and instance snapshots: no
RAPI call per view, whatever the number of jobs, users or instances,
except :func:`of_instance`'s one query for the instance's unfinished jobs.
"""

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models


def owned(scope):
    """``{(cluster, name)}`` of the instances ``scope`` reaches, from
    their snapshots.
    """
    return {(row[1], row[0]) for row in instance_api.listing(scope).rows}


def in_scope(scope, owned_now=None):
    """``(jobs, snapshots)``: the jobs ``scope`` may see (every job of its
    clusters when it has no project), newest first; ``snapshots`` of the
    clusters' job queues say their age and failures. ``owned_now``: the
    scope's :func:`owned`, if the caller has it already.
    """
    names = [c.name for c in scope.clusters()]
    if not names:
        return [], {}
    found, snapshots = job_queue.list_recent(names)
    if scope.project_id is None:
        return found, snapshots
    if owned_now is None:
        owned_now = owned(scope)
    return [job for job in found
            if of_project(job, owned_now, scope.project_id)], snapshots


def of_project(job, owned, project_id):
    """Whether a member of ``project_id`` may see ``job``: it acts on an
    instance of ``owned`` (``{(cluster, name)}``), or on an instance and a
    user of the project started it from the dashboard.
    """
    names = job.instance_names
    if not names:
        return False
    if any((job.cluster, name) in owned for name in names):
        return True
    started = job_starters.parse_reason(job.reason)
    return bool(started) and started["project_id"] == project_id


def started_by(job, user_id):
    """Whether the Keystone user ``user_id`` started ``job``."""
    starter = job_starters.starter_of(job)
    return bool(starter) and bool(user_id) and \
        starter.get("user_id") == user_id


def of_instance(instance):
    """``(jobs, snapshot)``: the jobs on ``instance`` (just read, in
    scope) among its cluster's listed jobs, newest first. Those that had
    not ended when the snapshot was taken are read again, in one query,
    so that the tab never shows a finished job as running.
    """
    found, snapshots = job_queue.list_recent([instance.cluster])
    jobs = [job for job in found if instance.name in job.instance_names]
    running = [job.job_id for job in jobs if not job.done]
    if running:
        try:
            fresh = {int(data["id"]): data for data in clusters.client(
                instance.cluster).jobs(running, job_queue.LIST_FIELDS)}
        except errors.RapiError:
            fresh = {}
        for i, job in enumerate(jobs):
            if job.job_id in fresh:
                again = models.Job(job.cluster, fresh[job.job_id])
                again.starter = job.starter
                jobs[i] = again
    recorded = job_starters.recorded_starters(instance.tags)
    for job in jobs:
        job.starter = job.starter or recorded.get(job.job_id)
    return jobs, snapshots.get(instance.cluster)
