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

"""A cluster's settings (``gnt-cluster modify``) and redistribute-config.

What the settings form shows is read fresh from the cluster's ``/2/info``
(the current values) and ``/2/features``; a setting the cluster's
``/2/info`` does not hold (an older Ganeti) is not offered. Only changed
values are sent, in one ``PUT /2/modify`` (``OP_CLUSTER_SET_PARAMS``),
whose job is followed for a short while: Ganeti checks most values in the
job (an instance policy whose std is above its max, an lvm disk template
without a volume group, a hypervisor parameter's syntax), and refuses the
whole change then, so nothing is changed.

Measured on Ganeti 3.0.2 (the dev stack's sandbox): an ill-typed value
(``candidate_pool_size`` 0) is a 400 when sent; ``beparams`` vcpus 0 and a
negative ``vcpu-ratio`` are *accepted* by Ganeti, so the form refuses them
before anything is sent; ``beparams`` and ``ipolicy`` std are merged into
the current ones, the ``minmax`` list is replaced whole.
"""

import dataclasses

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_runs
from ganeti_dashboard.api import preconditions

JOB_WAIT = 30.0

# Ganeti's instance specs (ipolicy min/max/std), in its order.
ISPECS = ("memory-size", "cpu-count", "disk-count", "disk-size",
          "nic-count", "spindle-use")
# Backend parameters offered (Ganeti 3.0 names; ``memory`` is maxmem).
BEPARAMS = ("maxmem", "minmem", "vcpus", "auto_balance")


@dataclasses.dataclass
class Settings:
    """A cluster's current settings, fresh from RAPI."""

    cluster: str
    info: dict
    features: list
    read_only: bool = False

    @property
    def default_hypervisor(self):
        return self.info.get("default_hypervisor")

    @property
    def hvparams(self):
        """The default hypervisor's parameters, or {}."""
        return dict((self.info.get("hvparams") or {}).get(
            self.default_hypervisor) or {})

    @property
    def beparams(self):
        return dict((self.info.get("beparams") or {}).get("default") or {})

    @property
    def ipolicy(self):
        return self.info.get("ipolicy") or {}

    @property
    def minmax(self):
        """The one min/max pair, or None when there are several (a policy
        of several ranges is edited with ``gnt-cluster modify``).
        """
        pairs = self.ipolicy.get("minmax") or []
        return pairs[0] if len(pairs) == 1 else None

    @property
    def known_hypervisors(self):
        return sorted(self.info.get("hvparams") or {})

    @property
    def known_disk_templates(self):
        return sorted(self.info.get("diskparams") or {})


def read(cluster):
    """The :class:`Settings` of ``cluster`` (by name), read fresh."""
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound(None, cluster)
    client = clusters.client(config)
    return Settings(config.name, client.info(), client.features(),
                    config.read_only)


Started = job_runs.Started
_run = job_runs.run


def modify(request, settings, changes, wait=JOB_WAIT):
    """Send ``changes`` (a ``/2/modify`` body holding only what changed)
    to the cluster of ``settings``; a :class:`Started`, or
    :class:`errors.JobFailed` / :class:`errors.BadRequest` with Ganeti's
    own message.
    """
    why = preconditions.cluster_refusal(settings)
    if why:
        raise errors.Refused(str(why), settings.cluster, why)
    if not changes:
        raise errors.BadRequest("nothing to change", settings.cluster)
    return _run(request, settings.cluster,
                lambda c, reason: c.modify_cluster(reason=reason, **changes),
                wait)


def redistribute_config(request, cluster, wait=JOB_WAIT):
    config = clusters.settings().cluster(cluster)
    if config is None:
        raise errors.NotFound(None, cluster)
    why = preconditions.cluster_refusal(config)
    if why:
        raise errors.Refused(str(why), cluster, why)
    return _run(request, cluster,
                lambda c, reason: c.redistribute_config(reason=reason), wait)
