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

"""Cluster Edit Settings / Redistribute Config and Admin > Ganeti > Job
Filters against the HTTP-level fake RAPI.
"""

import json

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import filters as filter_api
from ganeti_dashboard.test import helpers

CLUSTERS = reverse("horizon:admin:ganeti_clusters:index")
SETTINGS = reverse("horizon:admin:ganeti_clusters:settings", args=["alpha"])
REDIST = reverse("horizon:admin:ganeti_clusters:redistribute",
                 args=["alpha"])
FILTERS = reverse("horizon:admin:ganeti_filters:index")
CREATE = reverse("horizon:admin:ganeti_filters:create")
READ_ONLY = helpers.TWO_CLUSTERS.replace(
    "rapi_password = secret-beta", "rapi_password = secret-beta\n"
    "read_only = true")
REASON = [["reason", ["=~", "reason", "project=abc"]]]


def _form_data(form):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            value = "yes" if value else "no"
        data[name] = value
    return data


class ClusterSettingsTests(helpers.FakeRapiMixin, test.BaseAdminViewTests):
    CONFIG = READ_ONLY

    def _unchanged(self):
        res = self.client.get(SETTINGS)
        self.assertEqual(200, res.status_code)
        return _form_data(res.context["form"])

    def test_form_shows_current_values_and_sends_only_changes(self):
        res = self.client.get(SETTINGS)
        self.assertContains(res, "Candidate pool size")
        self.assertContains(res, "Now: 10")
        data = _form_data(res.context["form"])
        data.update(cps=5, be_vcpus=2)
        self.fake.reset_requests()
        res = self.client.post(SETTINGS, data)
        self.assertNoFormErrors(res)
        writes = self.fake.writes("alpha")
        self.assertEqual(1, len(writes))
        self.assertEqual("/2/modify", writes[0].path)
        self.assertEqual({"candidate_pool_size": 5,
                          "beparams": {"vcpus": 2}}, writes[0].body)
        self.assertIn("user=", writes[0].query["reason"])
        info = self.fake["alpha"].info
        self.assertEqual(5, info["candidate_pool_size"])
        self.assertEqual(2, info["beparams"]["default"]["vcpus"])

    def test_nothing_changed_sends_nothing(self):
        data = self._unchanged()
        self.fake.reset_requests()
        res = self.client.post(SETTINGS, data)
        self.assertContains(res, "Nothing changed")
        self.assertEqual([], self.fake.writes())

    def test_values_ganeti_would_accept_wrongly_are_refused_first(self):
        data = self._unchanged()
        data.update(be_vcpus=0, ip_vcpu_ratio=-1)
        self.fake.reset_requests()
        res = self.client.post(SETTINGS, data)
        self.assertEqual({"be_vcpus", "ip_vcpu_ratio"},
                         set(res.context["form"].errors))
        self.assertEqual([], self.fake.writes())

    def test_non_ascii_refused(self):
        data = self._unchanged()
        data["hv_migration_mode"] = "l\u00efve"
        self.fake.reset_requests()
        res = self.client.post(SETTINGS, data)
        self.assertContains(res, "Only ASCII text")
        self.assertEqual([], self.fake.writes())

    def test_ganeti_refusal_is_a_form_error_and_nothing_changes(self):
        before = json.dumps(self.fake["alpha"].info, sort_keys=True)
        data = self._unchanged()
        data["hv_migration_mode"] = "bogus"
        res = self.client.post(SETTINGS, data)
        self.assertContains(res, "invalid migration mode")
        self.assertContains(res, "Nothing was changed")
        self.assertEqual(before,
                         json.dumps(self.fake["alpha"].info, sort_keys=True))

    def test_minmax_sent_whole(self):
        data = self._unchanged()
        data["max_cpu_count"] = 4
        self.fake.reset_requests()
        res = self.client.post(SETTINGS, data)
        self.assertNoFormErrors(res)
        body = self.fake.writes("alpha")[0].body
        self.assertEqual(["ipolicy"], list(body))
        self.assertEqual(4, body["ipolicy"]["minmax"][0]["max"]["cpu-count"])
        self.assertEqual(1, len(body["ipolicy"]["minmax"]))

    def test_redistribute_config(self):
        res = self.client.post(REDIST, {})
        self.assertNoFormErrors(res)
        self.assertEqual(["/2/redistribute-config"],
                         [w.path for w in self.fake.writes("alpha")])

    def test_read_only_cluster_disabled_with_reason_and_refused(self):
        content = self.client.get(CLUSTERS).content.decode()
        self.assertIn("read-only for the dashboard", content)
        self.assertIn(SETTINGS, content)
        url = reverse("horizon:admin:ganeti_clusters:redistribute",
                      args=["beta"])
        self.assertNotIn(url, content)
        res = self.client.post(url, {})
        self.assertContains(res, "Not possible now")
        self.assertEqual([], self.fake.writes())


class ClusterSettingsMemberTests(helpers.FakeRapiMixin, test.TestCase):

    def test_member_cannot_post(self):
        res = self.client.post(SETTINGS, {"cps": 3})
        self.assertNotEqual(200, res.status_code)
        self.assertEqual([], self.fake.writes())
        res = self.client.post(REDIST, {})
        self.assertNotEqual(200, res.status_code)
        self.assertEqual([], self.fake.writes())


class FilterTests(helpers.FakeRapiMixin, test.BaseAdminViewTests):
    CONFIG = READ_ONLY

    def _add(self, **data):
        values = {"cluster": "alpha", "priority": 5,
                  "predicates": json.dumps(REASON), "action": "PAUSE"}
        values.update(data)
        return self.client.post(CREATE, values)

    def test_add_list_modify_delete(self):
        res = self._add()
        self.assertNoFormErrors(res)
        write = self.fake.writes("alpha")[-1]
        self.assertEqual(("POST", "/2/filters"), (write.method, write.path))
        self.assertNotIn("watermark", write.body)
        self.assertIn("user=", write.body["reason"][0][1])
        res = self.client.get(FILTERS)
        rules = res.context["table"].data
        self.assertEqual(1, len(rules))
        self.assertContains(res, "Pauses jobs where the reason contains "
                                 "&#x27;project=abc&#x27;")
        rule = rules[0]
        url = reverse("horizon:admin:ganeti_filters:update", args=[rule.id])
        res = self.client.get(url)
        self.assertEqual(200, res.status_code)
        res = self.client.post(url, {
            "priority": 9, "predicates": json.dumps(REASON),
            "action": "RATE_LIMIT", "rate_limit": 3})
        self.assertNoFormErrors(res)
        stored = self.fake["alpha"].filter_rules[rule.uuid]
        self.assertEqual((9, ["RATE_LIMIT", 3]),
                         (stored["priority"], stored["action"]))
        res = self.client.post(FILTERS, {
            "action": "filters__delete__%s" % rule.id})
        self.assertEqual({}, self.fake["alpha"].filter_rules)

    def test_bad_predicates_refused_in_the_form(self):
        self.fake.reset_requests()
        for text, said in (
                ("[[\"bogus\", [\"=\", \"id\", 1]]]", "a predicate is"),
                ("not json", "Not JSON"),
                ("[[\"jobid\", [\"=\", \"name\", 1]]]", "unknown field"),
                ("[[\"reason\", [\"=~\", \"reason\", \"(\"]]]",
                 "bad regular expression"),
                ("[[\"reason\", [\"=\", \"reason\", \"\u00e9\"]]]",
                 "Only ASCII")):
            res = self._add(predicates=text)
            self.assertContains(res, said, msg_prefix=text)
        self.assertEqual([], self.fake.writes())

    def test_read_only_cluster_refused(self):
        res = self._add(cluster="beta")
        self.assertContains(res, "Not possible now")
        self.assertEqual([], self.fake.writes())


class FilterSummaryTests(test.TestCase):

    def test_summaries(self):
        self.assertEqual(
            "Rate-limits to 3 running jobs where an opcode is "
            "'OP_INSTANCE_CREATE'",
            filter_api.summary([["opcode", ["=", "OP_ID",
                                            "OP_INSTANCE_CREATE"]]],
                               ["RATE_LIMIT", 3]))
        self.assertEqual("Rejects jobs: every job",
                         filter_api.summary([], "REJECT"))
        self.assertEqual(
            "Accepts jobs where the job id is above the watermark (12)",
            filter_api.summary([["jobid", [">", "id", "watermark"]]],
                               "ACCEPT", 12))
