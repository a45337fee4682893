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

"""The Jobs table: recent jobs of every cluster, rows that poll while their
job runs, and Cancel, which reports the job's real status afterwards.
"""

from django import shortcuts
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from horizon import messages
from horizon import tables
from horizon.utils import filters

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models
from ganeti_dashboard.content import access
from ganeti_dashboard.content import rows

STATUS_DISPLAY = (
    ("queued", _("Queued")), ("waiting", _("Waiting")),
    ("running", _("Running")), ("canceling", _("Canceling")),
    ("success", _("Success")), ("error", _("Error")),
    ("canceled", _("Canceled")),
)
# Any other status (queued, waiting, running, canceling) is transitional.
STATUS_CHOICES = (("success", True), ("error", False), ("canceled", False))


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


class JobFilter(tables.FilterAction):
    """Applied on the server: a cluster filter asks only that cluster."""

    filter_type = "server"
    filter_choices = (
        ("cluster", _("Cluster ="), True),
        ("status", _("Status ="), True),
        ("summary", _("Operation ="), True),
    )


class UpdateRow(rows.RefreshedRow):
    """A row whose job has not ended reads that one job until it does."""

    model = models.Job

    def fetch(self, request, obj_id):
        return job_queue.get(obj_id)


def _since_received(job):
    """How long ago Ganeti received the job, as Horizon shows an age
    (Nova's instances: ``timesince_sortable``, sortable by its seconds).
    The exact times are on the job's page.
    """
    if job.received is None:
        return "-"
    return filters.timesince_sortable(job.received)


def _ran_for(job):
    """How long the job ran (or has been running): "4 s", "2 min 5 s"."""
    if job.started is None:
        return "-"
    seconds = int(((job.ended or timezone.now()) - job.started)
                  .total_seconds())
    if seconds < 60:
        return _("%d s") % seconds
    if seconds < 3600:
        return _("%(m)d min %(s)d s") % {"m": seconds // 60,
                                         "s": seconds % 60}
    return _("%(h)d h %(m)d min") % {"h": seconds // 3600,
                                     "m": seconds % 3600 // 60}


def _detail_link(job):
    return reverse("horizon:admin:ganeti_jobs:detail", args=[job.id])


class JobsTable(access.PolicyTable, tables.DataTable):
    job_id = tables.Column("job_id", verbose_name=_("Job"),
                           link=_detail_link)
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    summary = tables.WrappingColumn("summary", verbose_name=_("Operations"))
    status = tables.Column("status", verbose_name=_("Status"), status=True,
                           status_choices=STATUS_CHOICES,
                           display_choices=STATUS_DISPLAY)
    who = tables.Column(job_starters.who, verbose_name=_("Started by"))
    # On one line each: the times are short, and Bootstrap's text-nowrap
    # keeps them whole.
    received = tables.Column(_since_received,
                             verbose_name=_("Time since received"),
                             attrs={"data-type": "timesince"},
                             classes=("text-nowrap", "ganeti-job-received"))
    ran_for = tables.Column(_ran_for, verbose_name=_("Ran for"),
                            classes=("text-nowrap", "ganeti-job-ran-for"))
    error = tables.WrappingColumn(
        lambda job: job.refresh_error or job_queue.error_text(job) or "",
        verbose_name=_("Error"))

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.id

    class Meta(object):
        name = "jobs"
        verbose_name = _("Newest %d jobs of each cluster") \
            % job_queue.RECENT_PER_CLUSTER
        hidden_title = False  # the title says how far back the list goes
        status_columns = ["status"]
        row_class = UpdateRow
        table_actions = (JobFilter, CancelJob)
        row_actions = (CancelJob,)


def filter_jobs(found, field, value):
    """Apply the server-side filter ``field = value`` (case-insensitive)."""
    value = (value or "").strip().lower()
    if field not in ("cluster", "status", "summary") or not value:
        return found
    return [j for j in found if value in str(getattr(j, field)).lower()]
