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

"""The Jobs table: every cluster's listed jobs (``job_lists``: searched and
paged on the server), rows that poll while their job runs, and Cancel,
which reports the job's real status afterwards.
"""

from django import shortcuts
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import models
from ganeti_dashboard.content import access
from ganeti_dashboard.content import job_lists
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import rows


class CancelJob(tables.BatchAction):
    """Horizon's batch message would claim success: Ganeti often refuses
    or ignores a cancel, so each job's status after the request is said.
    """

    name = "cancel"
    # Each job is read fresh from its cluster: no need to list every
    # cluster's queue before acting (a slow cluster would delay the cancel).
    preempt = True
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = access.rules("ganeti:job:cancel")
    help_text = _("Ganeti cancels only jobs that have not started yet; "
                  "the page shows each job's real status afterwards.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Cancel Job", "Cancel Jobs", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Cancel requested for job",
                             "Cancel requested for jobs", count)

    def allowed(self, request, job=None):
        return job is None or job.status in job_queue.CANCELABLE

    def handle(self, table, request, obj_ids):
        for obj_id in obj_ids:
            self._cancel_one(request, obj_id)
        return shortcuts.redirect(self.get_success_url(request))

    def _cancel_one(self, request, obj_id):
        try:
            job = job_queue.get(obj_id)
            if not self.allowed(request, job):
                messages.error(request, _(
                    "Job %(job)s cannot be canceled: it is %(status)s.")
                    % {"job": obj_id, "status": job.status})
                return
            # The action's rules: PolicyTable.take_action required them
            # already; asked again (memoized per request) through
            # access.allowed rather than Horizon's private _allowed.
            if not access.allowed(request, access.action_rules(self)):
                messages.error(request, _(
                    "You are not allowed to cancel job %s.") % obj_id)
                return
            job, answer = job_queue.cancel(request, job)
        except errors.RapiError as exc:
            messages.error(request, _("Job %(job)s: %(error)s")
                           % {"job": obj_id, "error": exc})
            return
        if job.status == "canceled":
            messages.success(request, _("Job %s canceled.") % obj_id)
        else:
            messages.warning(request, _(
                "Job %(job)s was not canceled: it is %(status)s now "
                "(Ganeti answered: %(answer)s).")
                % {"job": obj_id, "status": job.status,
                   "answer": answer or "-"})


class UpdateRow(rows.RefreshedRow):
    """A row whose job has not ended reads that one job until it does."""

    model = models.Job

    def fetch(self, request, obj_id):
        return job_queue.get(obj_id)


def _detail_link(job):
    return reverse("horizon:admin:ganeti_jobs:detail", args=[job.id])


class JobsTable(access.PolicyTable, job_lists.JobsTable):
    job_id = tables.Column("job_id", verbose_name=_("Job"),
                           link=_detail_link)
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    instances = tables.Column(lambda job: ", ".join(job.instance_names)
                              or "-", verbose_name=_("Instances"))

    class Meta(object):
        name = "jobs"
        no_data_message = _("No jobs in the clusters' queues: every change "
                            "made here or with gnt-* commands shows here "
                            "while Ganeti keeps its job.")
        verbose_name = _("Jobs")
        hidden_title = False  # the title says how far back the list goes
        columns = ("job_id", "cluster", "summary", "instances", "status",
                   "who", "received", "ran_for", "error")
        status_columns = ["status"]
        row_class = UpdateRow
        table_actions = (job_lists.JobSearch, CancelJob)
        row_actions = (CancelJob,)
        template = paging.TEMPLATE
        footer = False  # the paged template writes the count and links
        pagination_param = paging.PAGE_PARAM
