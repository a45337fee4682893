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

from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import operations
from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content import access
from ganeti_dashboard.content import job_lists
from ganeti_dashboard.content.project.operations import tables as op_tables


class IndexView(access.PolicyView, job_lists.JobsView,
                tables.DataTableView):
    """The project's operations; only the page's rows are linked to their
    instance.
    """

    policy_rules = access.rules("ganeti:job:list_project")
    table_class = op_tables.OperationsTable
    page_title = _("Operations")

    def scope(self):
        return scope_api.for_member(self.request)

    def clusters(self):
        scope = self.scope()
        if not scope.cluster_names and not scope.unknown:
            messages.info(self.request, _(
                "This project may not use any Ganeti cluster yet: an "
                "operator maps projects to clusters in Admin > Ganeti > "
                "Projects."))
        return scope.clusters()

    def jobs_of(self, clusters):
        scope = self.scope().within(clusters)
        self.owned = operations.owned(scope)
        return operations.in_scope(scope, self.owned)

    def get_data(self):
        shown = super().get_data()
        return op_tables.link_instances(shown, getattr(self, "owned", ()))
