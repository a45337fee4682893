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

from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content.instances import actions
from ganeti_dashboard.content.instances import tables as base


class ProjectInstancesTable(base.InstancesTable):
    url_namespace = "horizon:project:ganeti_instances"

    @classmethod
    def scope(cls, request):
        return scope_api.for_member(request)

    def empty_scope_message(self):
        scope = self.scope(self.request)
        if scope.unknown:
            return _("Which clusters this project may use cannot be read "
                     "now: try again later, or ask an operator.")
        if not scope.cluster_names:
            return _("This project may not use any Ganeti cluster yet: ask "
                     "an operator to map it to one (Admin > Ganeti > "
                     "Projects > Map to Cluster).")
        return _("This project has no instances yet: a member creates one "
                 "with Create Instance.")

    class Meta(base.InstancesTable.Meta):
        table_actions = (actions.CreateLink,) + \
            base.InstancesTable.Meta.table_actions
        row_actions = base.InstancesTable.Meta.row_actions[:-1] + (
            actions.CreateFromInstance, actions.DeleteInstance)
