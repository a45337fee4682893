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

"""Add and modify a job filter rule (``gnt-filter add/replace``).

The predicates are written in Ganeti's own filter language (JSON) and
checked here before anything is sent; the watermark is Ganeti's and not
offered.
"""

import json

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import filters as filter_api
from ganeti_dashboard.api import preconditions

PREDICATES_HELP = _(
    "A JSON list of [name, expression], name one of jobid, opcode, reason; "
    "the expression in Ganeti's query filter language, e.g. "
    "[[\"reason\", [\"=~\", \"reason\", \"project=abc\"]]] or "
    "[[\"opcode\", [\"=\", \"OP_ID\", \"OP_INSTANCE_CREATE\"]]] or "
    "[[\"jobid\", [\">\", \"id\", \"watermark\"]]]. [] matches every job.")


class FilterForm(forms.SelfHandlingForm):
    priority = forms.IntegerField(
        label=_("Priority"), min_value=0, initial=0,
        help_text=_("0 is applied first."))
    predicates = forms.CharField(
        label=_("Predicates"), widget=forms.Textarea(attrs={"rows": 4}),
        initial="[]", required=False, help_text=PREDICATES_HELP)
    action = forms.ChoiceField(label=_("Action"), choices=[
        ("ACCEPT", _("ACCEPT: run, no further rule applies")),
        ("PAUSE", _("PAUSE: keep queued, do not run")),
        ("REJECT", _("REJECT: refuse (cancel if queued)")),
        ("CONTINUE", _("CONTINUE: no effect, next rule")),
        ("RATE_LIMIT", _("RATE_LIMIT: at most n running"))])
    rate_limit = forms.IntegerField(
        label=_("Rate limit n"), min_value=1, required=False,
        help_text=_("For RATE_LIMIT: how many matching jobs may run at "
                    "once."))

    def __init__(self, request, *args, **kwargs):
        self.rule = kwargs.pop("rule", None)
        super().__init__(request, *args, **kwargs)

    def clean_predicates(self):
        text = (self.cleaned_data.get("predicates") or "").strip() or "[]"
        if not text.isascii():
            raise django_forms.ValidationError(_(
                "Only ASCII text can be sent to Ganeti."))
        try:
            predicates = json.loads(text)
        except ValueError as exc:
            raise django_forms.ValidationError(
                _("Not JSON: %s") % exc)
        try:
            filter_api.check_predicates(predicates)
        except filter_api.BadPredicate as exc:
            raise django_forms.ValidationError(str(exc))
        return predicates

    def clean(self):
        data = super().clean()
        if data.get("action") == "RATE_LIMIT" and not data.get("rate_limit"):
            self.add_error("rate_limit", _("RATE_LIMIT needs n."))
        return data

    def action_value(self, data):
        return filter_api.action_value(data["action"],
                                       data.get("rate_limit"))

    def handle(self, request, data):
        try:
            uuid = self.send(request, data)
        except errors.RapiError as exc:
            self.api_error(_("Ganeti refused the filter: %s") % exc)
            return False
        messages.success(request, self.done % {"uuid": uuid})
        return True


class CreateForm(FilterForm):
    cluster = forms.ChoiceField(label=_("Cluster"))
    done = _("Added filter %(uuid)s.")

    field_order = ["cluster", "priority", "predicates", "action",
                   "rate_limit"]

    def __init__(self, request, *args, **kwargs):
        self.configs = kwargs.pop("clusters")
        super().__init__(request, *args, **kwargs)
        self.fields["cluster"].choices = [(c.name, c.name)
                                          for c in self.configs]

    def clean_cluster(self):
        name = self.cleaned_data["cluster"]
        config = next(c for c in self.configs if c.name == name)
        why = preconditions.cluster_refusal(config)
        if why:
            raise django_forms.ValidationError(_("Not possible now: %s.")
                                               % why)
        return name

    def send(self, request, data):
        return filter_api.add(request, data["cluster"], data["priority"],
                              data["predicates"], self.action_value(data))


class UpdateForm(FilterForm):
    done = _("Modified filter %(uuid)s.")

    def clean(self):
        why = preconditions.cluster_refusal(self.rule_config())
        if why:
            raise django_forms.ValidationError(_("Not possible now: %s.")
                                               % why)
        return super().clean()

    def rule_config(self):
        from ganeti_dashboard.api import clusters
        return clusters.settings().cluster(self.rule.cluster)

    def send(self, request, data):
        return filter_api.replace(request, self.rule, data["priority"],
                                  data["predicates"],
                                  self.action_value(data))
