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

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import tables
from horizon.utils import memoized

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_queue
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.jobs import tables as job_tables
from ganeti_dashboard.content.admin.jobs import tabs as job_tabs
from ganeti_dashboard.content import detail_view
from ganeti_dashboard.content import job_lists
from ganeti_dashboard.content import redirects

INDEX_URL = reverse_lazy("horizon:admin:ganeti_jobs:index")
LIST_RULE = access.rules("ganeti:job:list")


class IndexView(access.PolicyView, job_lists.JobsView,
                tables.DataTableView):
    policy_rules = LIST_RULE
    table_class = job_tables.JobsTable
    page_title = _("Ganeti Jobs")

    def clusters(self):
        return cluster_api.settings().clusters

    def jobs_of(self, clusters):
        return job_queue.list_recent([c.name for c in clusters])


class DetailView(detail_view.DetailView):
    policy_rules = LIST_RULE
    tab_group_class = job_tabs.JobDetailTabs
    page_title = _("Job {{ job.id }}")
    object_name = "job"
    table_class = job_tables.JobsTable
    index_url = INDEX_URL

    @memoized.memoized_method
    def get_object(self):
        job_id = self.kwargs["job_id"]
        try:
            return job_queue.get(job_id)
        except (errors.RapiError, loader.ConfigError) as exc:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Cannot show job %(job)s: %(error)s")
                % {"job": job_id, "error": exc})
