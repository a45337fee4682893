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

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.content import job_forms


class TagForm(forms.SelfHandlingForm):
    tag = forms.CharField(label=_("Tag"), max_length=128)
    remove = False

    def __init__(self, request, *args, **kwargs):
        self.cluster = kwargs.pop("cluster")
        super().__init__(request, *args, **kwargs)

    def clean_tag(self):
        return job_forms.check_tag(self.cleaned_data["tag"])

    def handle(self, request, data):
        client = cluster_api.client(self.cluster)
        call = (client.delete_cluster_tags if self.remove
                else client.add_cluster_tags)
        try:
            job_id = call([data["tag"]], reason=job_starters.reason(request))
            client.wait_for_job(job_id, timeout=30)
        except errors.RapiError as exc:
            self.api_error(str(exc))
            return False
        messages.success(request, _("Tag %(tag)s %(done)s (Ganeti job "
                                    "%(job)s).") % {
            "tag": data["tag"], "job": job_id,
            "done": _("removed") if self.remove else _("added")})
        return True


class RemoveTagForm(TagForm):
    """The confirmation of a tag's removal: the question is the form
    (``_remove_tag.html``), the tag a hidden field.
    """

    remove = True
    tag = forms.CharField(label=_("Tag"), max_length=128,
                          widget=forms.HiddenInput())
