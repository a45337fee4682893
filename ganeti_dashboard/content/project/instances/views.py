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

from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import views as base
from ganeti_dashboard.content.project.instances import tables


class _Project:
    table_class = tables.ProjectInstancesTable


class IndexView(_Project, base.IndexView):
    policy_rules = access.rules("ganeti:instance:list")
    page_title = _("Instances")


class DetailView(_Project, base.DetailView):
    pass


class ActionView(_Project, base.ActionView):
    pass


class ConsoleView(_Project, base.ConsoleView):
    pass


class ConsoleStateView(_Project, base.ConsoleStateView):
    pass


class LiveView(_Project, base.LiveView):
    pass


class HistoryView(_Project, base.HistoryView):
    pass


class CreateView(_Project, base.CreateView):
    pass
