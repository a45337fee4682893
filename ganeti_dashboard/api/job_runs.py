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
node groups, networks and cluster settings (nodes follow their jobs'
sub-jobs too: ``api.nodes``).
"""

import dataclasses

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import snapshots


@dataclasses.dataclass
class Started:
    """A job an action started; ``done``: it ended well within the wait."""

    job_id: int
    done: bool = False


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


def run(request, cluster, submit, wait):
    """Start ``submit(client, reason)``'s job and wait for it a while.

    :class:`errors.JobFailed` (Ganeti refused) propagates; a job still
    running after ``wait`` seconds is reported as started. The cluster's
    cached lists are stale either way.
    """
    client = clusters.client(cluster)
    started = Started(submit(client, job_starters.reason(request)))
    try:
        client.wait_for_job(started.job_id, timeout=wait)
        started.done = True
    except errors.JobFailed:
        raise
    except errors.RapiError:
        pass  # still running, or the poll failed: started all the same
    finally:
        snapshots.mark_stale(cluster)
    return started
