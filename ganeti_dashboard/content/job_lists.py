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


"""What every list of Ganeti jobs shares: its columns, its search and its
pages.

Admin > Ganeti > Jobs (every cluster's jobs) and Project > Ganeti >
Operations (the project's: ``api.operations``) subclass
:class:`JobsTable`; their views are :class:`JobsView`. The jobs come from
the clusters' job snapshots, newest first; the search (by instance, user,
operation, status, cluster) runs on the server over all of them, before
the page is cut, and needs no RAPI call.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables
from horizon.utils import filters

from ganeti_dashboard.api import job_queue
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import snapshot_notes
from ganeti_dashboard.content import sorting

STATUS_DISPLAY = (
    ("queued", _("Queued")), ("waiting", _("Waiting")),
    ("running", _("Running")), ("canceling", _("Canceling")),
    ("success", _("Success")), ("error", _("Error")),
    ("canceled", _("Canceled")),
)
# Any other status (queued, waiting, running, canceling) is transitional.
STATUS_CHOICES = (("success", True), ("error", False), ("canceled", False))


class JobSearch(tables.FilterAction):
    """Applied on the server, over every listed job, before paging; a
    cluster filter reads only the clusters it keeps.
    """

    filter_type = "server"
    filter_choices = (
        ("instance", _("Instance ="), True),
        ("user", _("Started by ="), True),
        ("summary", _("Operation ="), True),
        ("status", _("Status ="), True),
        ("cluster", _("Cluster ="), True),
    )


def _text_of(job, field):
    """The text a search of ``field`` looks in."""
    if field == "instance":
        text = " ".join(job.instance_names)
    elif field == "user":
        text = job_starters.who(job)
    elif field == "summary":
        # "startup" finds INSTANCE_STARTUP(...) and OP_INSTANCE_STARTUP.
        text = "%s %s" % (job.summary, " ".join(job.op_ids))
    elif field == "status":
        text = "%s %s" % (job.status, dict(STATUS_DISPLAY).get(
            job.status, ""))
    elif field == "cluster":
        text = job.cluster
    else:
        return None
    return str(text)


def filter_jobs(found, field, value):
    """The jobs of ``found`` whose ``field`` holds ``value`` (a part of
    the text, case-insensitive); all of them for an empty or unknown
    search.
    """
    return paging.search(found, JobSearch, field, value, _text_of)


def search_clusters(clusters, field, value):
    """The clusters a search can find jobs of (the cluster search keeps
    those whose name holds its text).
    """
    value = (value or "").strip().lower()
    if field != "cluster" or not value:
        return clusters
    return [c for c in clusters if value in c.name.lower()]


def job_time(field):
    """A column's value: the job's ``field`` (a datetime) in the user's
    time zone, as one line.
    """
    def get(job):
        value = getattr(job, field)
        if value is None:
            return "-"
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    return get


def since_received(job):
    """How long ago Ganeti received the job, as Horizon shows an age
    (Nova's instances: ``timesince_sortable``). The exact times are on the
    job's page.
    """
    if job.received is None:
        return "-"
    return filters.timesince_sortable(job.received)


def run_time(job):
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


def error_of(job):
    return job.refresh_error or job_queue.error_text(job) or ""


def _time_key(field, sign=1):
    """A time's sort key (a number; None for none): ``sign`` -1 sorts an
    age, as "Time since received" shows it (the newest job is the
    youngest).
    """
    def key(job):
        value = getattr(job, field)
        return None if value is None else sign * value.timestamp()
    return key


# Statuses in a job's life (Ganeti's order): unfinished ones first.
_STATUS_RANK = {status: rank for rank, (status, _label)
                in enumerate(STATUS_DISPLAY)}

# The sortable columns of every job list, and their keys over the jobs
# listed (paging.PagedTable.sort_keys); a list sorts those it shows.
SORT_KEYS = {
    "job_id": lambda job: job.job_id,
    "received": _time_key("received", -1),
    "started": _time_key("started"),
    "ended": _time_key("ended"),
    "status": lambda job: _STATUS_RANK.get(job.status, len(_STATUS_RANK)),
    "cluster": lambda job: sorting.text(job.cluster),
    "who": lambda job: sorting.text(job_starters.who(job)),
    "summary": lambda job: sorting.text(job.summary),
}


class JobsTable(paging.PagedTable, tables.DataTable):
    """Columns shared by every job list; subclasses add theirs and say
    their ``Meta`` (``template``, ``footer`` and ``pagination_param`` as
    :class:`paging.PagedTable` says).
    """

    summary = tables.WrappingColumn("summary", verbose_name=_("Operations"))
    status = tables.Column("status", verbose_name=_("Status"), status=True,
                           status_choices=STATUS_CHOICES,
                           display_choices=STATUS_DISPLAY)
    who = tables.Column(job_starters.who, verbose_name=_("Started by"))
    # Each on one line (Bootstrap's text-nowrap): an age and a duration
    # for the operators' list, the times themselves for the task log.
    received = tables.Column(since_received,
                             verbose_name=_("Time since received"),
                             attrs={"data-type": "timesince"},
                             classes=("text-nowrap", "ganeti-job-received"))
    ran_for = tables.Column(run_time, verbose_name=_("Ran for"),
                            classes=("text-nowrap", "ganeti-job-ran-for"))
    started = tables.Column(job_time("started"), verbose_name=_("Started"),
                            classes=("text-nowrap",))
    ended = tables.Column(job_time("ended"), verbose_name=_("Ended"),
                          classes=("text-nowrap",))
    error = tables.WrappingColumn(error_of, verbose_name=_("Error"))

    order = paging.ORDER_NEWEST_FIRST
    sort_keys = SORT_KEYS
    # Newest first (api.job_queue.list_recent) is the youngest first.
    default_sort = "received"

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.id

    def get_empty_message(self):
        """What to do when the page has no job: change the search, or
        what the list's own ``Meta.no_data_message`` says.
        """
        if self.get_filter_string():
            return _("No job matches the search: change or clear it.")
        return self._meta.no_data_message

    # The title: it says how far back the list goes.
    title = _("Newest %(listed)d jobs of each cluster")

    def __str__(self):
        try:
            return self.title % {"listed": job_queue.listed_per_cluster()}
        except loader.ConfigError:
            return str(self._meta.verbose_name)


class JobsView(paging.PagedView):
    """A list view of jobs: :meth:`jobs_of` says which the view may show
    (``(jobs, snapshots)``) of the clusters the search can find jobs on.
    """

    def jobs_of(self, clusters):
        raise NotImplementedError

    def clusters(self):
        raise NotImplementedError

    def get_data(self):
        info = self.get_server_filter_info(self.request) or {}
        field, value = info.get("field"), info.get("value")
        try:
            found, snapshots = self.jobs_of(
                search_clusters(self.clusters(), field, value))
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        snapshot_notes.report(self.request, snapshots)
        return self.page_of(filter_jobs(found, field, value))
