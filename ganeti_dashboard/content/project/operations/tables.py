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

"""Project > Ganeti > Operations: the jobs on the project's instances.

The task log Proxmox VE shows under every page, here as a panel: the jobs
``api.operations`` lets the project's members see, newest first, searched
and paged on the server (``job_lists``), each linked to its instance while
the project owns it. Rows of unfinished jobs poll until they end, each
answer checked against the project's scope again.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import models
from ganeti_dashboard.api import operations
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content import job_lists
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import rows

INSTANCE_DETAIL = "horizon:project:ganeti_instances:detail"


def link_instances(jobs, owned):
    """Set each job's ``instance_url``: the detail page of the first of
    its instances the project owns (None when it owns none now).
    """
    for job in jobs:
        job.instance_url = next(
            (reverse(INSTANCE_DETAIL, args=[models.object_id(
                job.cluster, name)]) for name in job.instance_names
             if (job.cluster, name) in owned), None)
    return jobs


class UpdateRow(rows.RefreshedRow):
    """A row whose job has not ended reads that one job until it does:
    only a job of the member's scope (anything else is a 404).
    """

    model = models.Job

    def fetch(self, request, obj_id):
        scope = scope_api.for_member(request)
        cluster, _sep, _job = obj_id.partition(":")
        if not scope.has_cluster(cluster):
            raise Http404()
        job = job_queue.get(obj_id)
        owned = operations.owned(scope.within([
            c for c in scope.clusters() if c.name == cluster]))
        if not operations.of_project(job, owned, scope.project_id):
            raise Http404()
        return link_instances([job], owned)[0]

    def stand_in(self, request, cluster, name, why):
        if not scope_api.for_member(request).has_cluster(cluster):
            raise Http404()
        job = super().stand_in(request, cluster, name, why)
        job.instance_url = None
        return job


def _instances(job):
    return ", ".join(job.instance_names) or "-"


class OperationsTable(access.PolicyTable, job_lists.JobsTable):
    instances = tables.Column(
        _instances, verbose_name=_("Instance"),
        link=lambda job: getattr(job, "instance_url", None))
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    job_id = tables.Column("job_id", verbose_name=_("Job"))

    title = _("Jobs on this project's instances, among the newest "
              "%(listed)d jobs of each cluster")

    class Meta(object):
        name = "operations"
        verbose_name = _("Operations")
        no_data_message = _("No operations on your project's instances "
                            "yet: starting, stopping or creating one from "
                            "Instances shows here while Ganeti keeps its "
                            "job.")
        hidden_title = False  # the title says what the list holds
        columns = ("instances", "summary", "status", "who", "started",
                   "ended", "cluster", "job_id", "error")
        status_columns = ["status"]
        row_class = UpdateRow
        multi_select = False
        table_actions = (job_lists.JobSearch,)
        template = paging.TEMPLATE
        footer = False  # the paged template writes the count and links
        pagination_param = paging.PAGE_PARAM
