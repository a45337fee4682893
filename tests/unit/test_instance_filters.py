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

"""The instances list's server-side filter, over the snapshots' rows."""

from django.test import SimpleTestCase

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.content.instances import filters


def _row(name, cluster, status="running", pnode="node1.example.test",
         tags=()):
    values = dict.fromkeys(instance_api.FIELDS)
    values.update({"name": name, "status": status, "pnode": pnode,
                   "tags": list(tags)})
    return name, cluster, tuple(values[f] for f in instance_api.FIELDS)


ROWS = [
    _row("web1.example.test", "alpha", tags=["openstack:project:p-demo"]),
    _row("db1.example.test", "alpha", status="ADMIN_down",
         pnode="node2.example.test"),
    _row("web2.example.test", "beta", tags=["openstack:project:p-other",
                                            "other:tag"]),
]
NAMES = {"p-demo": "demo", "p-other": "Other Team"}


def _names(field, value):
    asked = []

    def project_names():
        asked.append(True)
        return NAMES

    kept = filters.filter_rows(ROWS, field, value, project_names)
    return [name for name, _cluster, _row in kept], bool(asked)


class FilterRowsTests(SimpleTestCase):

    def test_each_field_keeps_the_rows_whose_text_holds_the_value(self):
        for field, value, expected in (
                ("name", " WEB ", ["web1.example.test",
                                   "web2.example.test"]),
                ("cluster", "beta", ["web2.example.test"]),
                ("node", "node2", ["db1.example.test"]),
                ("status", "stopped", ["db1.example.test"]),
                ("status", "ADMIN_down", ["db1.example.test"]),
                ("project", "other team", ["web2.example.test"]),
                ("project", "p-demo", ["web1.example.test"]),
                ("project", "unassigned", ["db1.example.test"]),
                ("name", "", [r[0] for r in ROWS]),
                ("nonsense", "x", [r[0] for r in ROWS])):
            self.assertEqual(expected, _names(field, value)[0],
                             (field, value))

    def test_project_names_are_asked_only_for_the_project_filter(self):
        self.assertFalse(_names("name", "web")[1])
        self.assertTrue(_names("project", "demo")[1])
