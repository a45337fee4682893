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

from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import forms

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.instances import forms as admin_forms
from ganeti_dashboard.content.admin.instances import tables as admin_tables
from ganeti_dashboard.content.instances import views as base


class _Admin:
    table_class = admin_tables.AdminInstancesTable


class IndexView(_Admin, base.IndexView):
    policy_rules = access.rules("ganeti:instance:list_all")
    page_title = _("Instances (all projects)")


class DetailView(_Admin, base.DetailView):
    pass


class ActionView(_Admin, base.ActionView):
    pass


class ConsoleView(_Admin, base.ConsoleView):
    pass


class ConsoleStateView(_Admin, base.ConsoleStateView):
    pass


class LiveView(_Admin, base.LiveView):
    pass


class HistoryView(_Admin, base.HistoryView):
    pass


class AssignOwnerView(access.PolicyView, forms.ModalFormView):
    policy_rules = access.rules("ganeti:instance:set_owner")
    form_class = admin_forms.AssignOwnerForm
    template_name = "ganeti_dashboard/instances/assign_owner.html"
    modal_header = page_title = _("Assign Instances to a Project")
    submit_label = _("Assign")
    submit_url = reverse_lazy("horizon:admin:ganeti_instances:assign_owner")
    success_url = reverse_lazy("horizon:admin:ganeti_instances:index")

    def get_initial(self):
        return {"ids": self.request.GET.get("ids", "")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids = self.request.GET.get("ids") or self.request.POST.get("ids", "")
        context["names"] = [i.partition(":")[2] for i in ids.split(",") if i]
        context["submit_url"] = reverse(
            "horizon:admin:ganeti_instances:assign_owner")
        return context
