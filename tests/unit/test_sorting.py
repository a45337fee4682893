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

"""Paged lists sorted on the server by a column header
(``content/sorting.py``): the whole list, across pages, after the filter.
"""

import re

from django.test import RequestFactory
from django.test import utils as test_utils
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.content import sorting
from ganeti_dashboard.test import helpers
from tests.unit import test_admin_instances as instance_tests
from tests.unit import test_admin_jobs as job_tests
from tests.unit import test_admin_nodes as node_tests
from tests.unit import test_admin_projects as project_tests
from tests.unit import test_project_instances as member_tests
from tests.unit import test_project_operations as operation_tests

INSTANCES_URL = reverse("horizon:admin:ganeti_instances:index")
JOBS_URL = reverse("horizon:admin:ganeti_jobs:index")
NODES_URL = reverse("horizon:admin:ganeti_nodes:index")
PROJECTS_URL = reverse("horizon:admin:ganeti_projects:index")
MEMBER_INSTANCES_URL = reverse("horizon:project:ganeti_instances:index")
OPERATIONS_URL = reverse("horizon:project:ganeti_operations:index")
PAGE = 4  # rows a page: three pages of ten instances

# name, cluster, status, primary node, vCPUs, memory, project
ROWS = [
    ("vm00", "alpha", "running", "nc", 2, 512, "p-demo"),
    ("vm01", "beta", "ADMIN_down", "na", 1, 1024, None),
    ("vm02", "alpha", "ERROR_down", "nb", 4, 256, "p-other"),
    ("vm03", "beta", "running", "nc", 1, 512, "p-demo"),
    ("vm04", "alpha", "ADMIN_down", "na", 2, 2048, None),
    ("vm05", "beta", "running", "nb", 8, 128, "p-other"),
    ("vm06", "alpha", "running", "nc", 1, 1024, "p-demo"),
    ("vm07", "beta", "ADMIN_down", "na", 2, 512, None),
    ("vm08", "alpha", "ERROR_down", "nb", 4, 4096, "p-other"),
    ("vm09", "beta", "running", "nc", 1, 256, "p-demo"),
    # The same name on both clusters: alpha's first, in either direction.
    ("vm05", "alpha", "running", "na", 1, 512, None),
]
LABELS = {"running": "running", "ADMIN_down": "stopped",
          "ERROR_down": "error: stopped but should run"}
PROJECT_NAMES = {"p-demo": "demo", "p-other": "<i>other</i>"}
# Each sortable column's value of a ROWS entry, as the list orders it.
VALUES = {
    "name": lambda r: r[0], "cluster": lambda r: r[1],
    "status": lambda r: LABELS[r[2]], "node": lambda r: r[3],
    "vcpus": lambda r: r[4], "memory": lambda r: r[5],
    "project": lambda r: PROJECT_NAMES[r[6]].lower() if r[6] else None,
}


def expected(column, descending, rows=ROWS):
    """``(name, cluster)`` of ``rows`` in ``column``'s order: ties in the
    default order (name, cluster), no value last.
    """
    default = sorted(rows, key=lambda r: (r[0], r[1]))
    value = VALUES[column]
    present = [r for r in default if value(r) is not None]
    present.sort(key=value, reverse=descending)
    return [(r[0], r[1]) for r in present +
            [r for r in default if value(r) is None]]


def test_ordered_is_stable_both_ways_and_puts_none_last():
    rows = [("a", 2), ("b", None), ("c", 1), ("d", 2), ("e", None),
            ("f", 1)]
    key = lambda row: row[1]  # noqa: E731
    assert [r[0] for r in sorting.ordered(rows, key)] == \
        ["c", "f", "a", "d", "b", "e"]
    assert [r[0] for r in sorting.ordered(rows, key, True)] == \
        ["a", "d", "c", "f", "b", "e"]
    # A new list: the snapshot's merged rows are shared between requests.
    assert sorting.ordered(rows, key) is not rows
    assert rows[0] == ("a", 2)


def test_an_unknown_column_or_direction_is_the_default_order():
    factory = RequestFactory()
    columns = ("name", "memory")
    for query in ("", "?sort=os", "?sort=name&dir=up", "?dir=desc",
                  "?sort=", "?sort=NAME", "?sort=name&dir=",
                  "?sort=%3Cb%3E&dir=desc"):
        assert sorting.requested(factory.get("/" + query), columns) == \
            sorting.Order(), query
    assert sorting.requested(factory.get("/?sort=memory"), columns) == \
        sorting.Order("memory")
    assert sorting.requested(factory.get("/?sort=memory&dir=desc"),
                             columns) == sorting.Order("memory", True)
    assert sorting.Order("memory", True).query() == "sort=memory&dir=desc"
    assert sorting.Order().query() == ""


@test_utils.override_settings(API_RESULT_PAGE_SIZE=PAGE)
class InstancesSortTests(instance_tests.ListPage, test.BaseAdminViewTests):
    """Admin > Ganeti > Instances over two clusters, three pages."""

    def setUp(self):
        super().setUp()
        patcher = instance_tests.mock.patch.object(
            instance_tests.keystone_api, "project_names",
            return_value=PROJECT_NAMES)
        patcher.start()
        self.addCleanup(patcher.stop)
        lists = {"alpha": [], "beta": []}
        for name, cluster, status, node, vcpus, memory, project in ROWS:
            lists[cluster].append(instance_tests._instance(
                name, project, status, pnode=node,
                beparams={"vcpus": vcpus, "maxmem": memory}))
        fake = instance_tests.fake_ganeti({})
        for cluster in ("alpha", "beta"):
            for node in ("na", "nb", "nc"):
                fake[cluster].add_node(node, "R")
        for cluster, items in lists.items():
            for data in items:
                instance_tests.add(fake[cluster], data)
        self.fake = fake
        fake.install(self)
        conf = helpers.config_file(helpers.TWO_CLUSTERS)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)

    def every_page(self, query):
        """``(name, cluster)`` of every row, page after page, following
        the "Next" links; the responses.
        """
        shown, pages = [], []
        url = INSTANCES_URL + ("?" + query if query else "")
        while url:
            res = self.client.get(url)
            self.assertEqual(200, res.status_code)
            pages.append(res)
            shown += [(i.name, i.cluster) for i in res.context["table"].data]
            found = re.search(r'class="ganeti-page-next" href="([^"]*)"',
                              res.content.decode())
            url = INSTANCES_URL + found.group(1).replace("&amp;", "&") \
                if found else None
        return shown, pages

    def test_every_sortable_column_sorts_the_whole_list_both_ways(self):
        for column in VALUES:
            for descending in (False, True):
                order = sorting.Order(column, descending)
                shown, pages = self.every_page(order.query())
                self.assertEqual(expected(column, descending), shown,
                                 order)
                self.assertEqual(3, len(pages))
                # Next keeps the order, and the page is the second.
                self.assertIn('href="?%s&amp;page=2"' % order.query()
                              .replace("&", "&amp;"),
                              pages[0].content.decode())

    def test_memory_sorts_as_a_number_and_vcpus_too(self):
        shown, _pages = self.every_page("sort=memory&dir=desc")
        self.assertEqual(["vm08", "vm04", "vm01", "vm06"],
                         [name for name, _c in shown[:4]])
        # 128 before 256 and 512 (as text "1024" would come first).
        shown, _pages = self.every_page("sort=memory&dir=asc")
        self.assertEqual([("vm05", "beta"), ("vm02", "alpha"),
                          ("vm09", "beta")], shown[:3])
        shown, _pages = self.every_page("sort=vcpus&dir=desc")
        self.assertEqual(("vm05", "beta"), shown[0])

    def test_the_count_names_the_order_and_headers_link_to_orders(self):
        res = self.client.get(INSTANCES_URL + "?sort=status&dir=desc"
                              "&page=2")
        content = res.content.decode()
        self.assertEqual(2, content.count(
            "Displaying 5&ndash;8 of 11 items (page 2 of 3), sorted by "
            "Status, descending"))
        self.assertEqual(2, content.count(
            'href="?sort=status&amp;dir=desc&amp;page=3">Next'))
        self.assertEqual(2, content.count(
            'href="?sort=status&amp;dir=desc&amp;page=1">&laquo;'))
        header = re.search(r'<th[^>]*aria-sort="descending"[^>]*>(.*?)</th>',
                           content, re.S).group(1)
        # The sorted column's header links to the other direction, page 1.
        self.assertIn('href="?sort=status&amp;dir=asc"', header)
        self.assertIn("Status", header)
        for column in ("name", "cluster", "project", "node", "vcpus",
                       "memory"):
            self.assertIn('class="ganeti-sort" href="?sort=%s&amp;dir=asc"'
                          % column, content)
        for column in ("os", "disk", "ips"):
            self.assertNotIn("sort=%s" % column, content)
        # Still no sorting in the browser over the page's rows.
        self.assertNotIn("sortable", content)

    def test_the_default_order_is_by_name_and_its_header_says_so(self):
        res = self.client.get(INSTANCES_URL)
        content = res.content.decode()
        self.assertIn("Displaying 1&ndash;4 of 11 items (page 1 of 3), "
                      "sorted by name", content)
        header = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>(.*?)</th>',
                           content, re.S).group(1)
        self.assertIn('href="?sort=name&amp;dir=desc"', header)
        self.assertIn('href="?page=2">Next', content)
        shown, _pages = self.every_page("")
        self.assertEqual(expected("name", False), shown)

    def test_bad_parameters_are_the_default_order_not_an_error(self):
        default, _pages = self.every_page("")
        for query in ("sort=os", "sort=name&dir=sideways", "sort=&dir=desc",
                      "sort=%3Cscript%3E&dir=desc", "dir=desc",
                      "sort=memory&sort=vcpus&dir=up"):
            res = self.client.get(INSTANCES_URL + "?" + query)
            self.assertEqual(200, res.status_code, query)
            self.assertIn("sorted by name", res.content.decode())
            self.assertEqual(default[:PAGE],
                             [(i.name, i.cluster)
                              for i in res.context["table"].data], query)

    def test_the_filter_keeps_the_order_and_the_order_the_filter(self):
        # Horizon's filter posts to the page's URL and, when it changed,
        # redirects to the list's page 1: in the same order.
        res = self.client.post(
            INSTANCES_URL + "?sort=memory&dir=desc&page=2",
            {"instances__filter__q_field": "cluster",
             "instances__filter__q": "alpha"})
        self.assertEqual(302, res.status_code)
        self.assertEqual(INSTANCES_URL + "?sort=memory&dir=desc",
                         res["Location"])
        alpha = [r for r in ROWS if r[1] == "alpha"]
        shown, pages = self.every_page("sort=memory&dir=desc")
        self.assertEqual(expected("memory", True, alpha), shown)
        self.assertEqual(2, len(pages))
        self.assertIn("Displaying 1&ndash;4 of 6 items (page 1 of 2), "
                      "sorted by Memory, descending",
                      pages[0].content.decode())
        # Another column, the filter still on.
        shown, _pages = self.every_page("sort=project&dir=asc")
        self.assertEqual(expected("project", False, alpha), shown)
        # Without an order, the redirect is the list's own URL.
        res = self.client.post(INSTANCES_URL + "?page=2", {
            "instances__filter__q_field": "cluster",
            "instances__filter__q": "beta"})
        self.assertEqual(INSTANCES_URL, res["Location"])


class JobsSortTests(test.BaseAdminViewTests):
    """Admin > Ganeti > Jobs (Project > Operations shares its table)."""

    def ids(self, query):
        with helpers.config_file(helpers.TWO_CLUSTERS), job_tests._patched():
            res = self.client.get(JOBS_URL + "?" + query)
        self.assertEqual(200, res.status_code)
        return [j.id for j in res.context["table"].data], \
            res.content.decode()

    def test_jobs_sort_by_id_status_cluster_who_and_operation(self):
        newest, content = self.ids("")
        self.assertEqual(["alpha:2", "beta:4", "beta:3", "alpha:1"], newest)
        self.assertIn("Displaying 4 items, newest first", content)
        # Newest first is the youngest "time since received" first.
        self.assertIn('href="?sort=received&amp;dir=desc"', content)
        self.assertEqual(newest, self.ids("sort=received&dir=asc")[0])
        self.assertEqual(newest[::-1], self.ids("sort=received&dir=desc")[0])
        self.assertEqual(["alpha:1", "alpha:2", "beta:3", "beta:4"],
                         self.ids("sort=job_id")[0])
        ids, content = self.ids("sort=job_id&dir=desc")
        self.assertEqual(["beta:4", "beta:3", "alpha:2", "alpha:1"], ids)
        self.assertIn("sorted by Job, descending", content)
        # Unfinished first, then as Ganeti's statuses go (ties: newest).
        self.assertEqual(["alpha:2", "beta:4", "alpha:1", "beta:3"],
                         self.ids("sort=status")[0])
        self.assertEqual(["beta:4", "beta:3", "alpha:2", "alpha:1"],
                         self.ids("sort=cluster&dir=desc")[0])
        # "admin (admin)", "Ganeti CLI or another client" (twice),
        # "somebody else".
        self.assertEqual(["alpha:2", "beta:4", "beta:3", "alpha:1"],
                         self.ids("sort=who")[0])
        # "<b>TAGS_SET</b>", INSTANCE_MIGRATE, INSTANCE_STARTUP(vm1...
        self.assertEqual(["beta:4", "beta:3", "alpha:1", "alpha:2"],
                         self.ids("sort=summary")[0])

    def test_an_unknown_column_is_newest_first(self):
        for query in ("sort=error", "sort=instances&dir=desc",
                      "sort=job_id&dir=x"):
            ids, content = self.ids(query)
            self.assertEqual(["alpha:2", "beta:4", "beta:3", "alpha:1"],
                             ids, query)
            self.assertIn("newest first", content)


class NodesSortTests(node_tests._FakeRapiCase, test.BaseAdminViewTests):

    def ids(self, query):
        res = self.client.get(NODES_URL + "?" + query)
        self.assertEqual(200, res.status_code)
        return [n.id for n in res.context["table"].data], \
            res.content.decode()

    def test_nodes_sort_by_name_cluster_group_and_role(self):
        self.assertEqual(["alpha:n1.alpha", "alpha:n2.alpha",
                          "beta:n1.beta"], self.ids("")[0])
        ids, content = self.ids("sort=name&dir=desc")
        self.assertEqual(["alpha:n2.alpha", "beta:n1.beta",
                          "alpha:n1.alpha"], ids)
        self.assertIn("sorted by Name, descending", content)
        self.assertEqual(["beta:n1.beta", "alpha:n1.alpha",
                          "alpha:n2.alpha"],
                         self.ids("sort=cluster&dir=desc")[0])
        # "<b>rack1</b>" sorts before "default".
        self.assertEqual(["alpha:n1.alpha", "alpha:n2.alpha",
                          "beta:n1.beta"], self.ids("sort=group")[0])
        # By rank: the masters, then the candidate.
        self.assertEqual(["alpha:n2.alpha", "alpha:n1.alpha",
                          "beta:n1.beta"],
                         self.ids("sort=role&dir=desc")[0])
        self.assertIn('class="ganeti-sort" href="?sort=role&amp;dir=asc"',
                      content)
        self.assertNotIn("sort=cpus", content)


class ProjectsSortTests(project_tests._Base):

    def setUp(self):
        super().setUp()
        conf = helpers.config_file(helpers.TWO_CLUSTERS)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)
        patcher = project_tests.mock.patch.object(
            project_tests.rapi.RapiClient, "instances",
            lambda c, bulk=True: [])
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_projects_sort_by_name(self):
        self.keystone()
        res = self.client.get(PROJECTS_URL + "?sort=name&dir=desc")
        self.assertEqual(["other", "empty", "demo"],
                         [p.name for p in res.context["table"].data])
        self.assertContains(res, "sorted by Name, descending")
        self.assertContains(res, 'href="?sort=name&amp;dir=asc"')
        res = self.client.get(PROJECTS_URL + "?sort=id&dir=desc")
        self.assertEqual(["demo", "empty", "other"],
                         [p.name for p in res.context["table"].data])


class MemberInstancesSortTests(member_tests._Case):
    """Project > Ganeti > Instances: the project's rows only, sorted."""

    def test_own_instances_sort_and_there_is_no_project_column(self):
        own = self.tenant.id
        for name, memory in (("b.alpha", 4096), ("c.alpha", 64)):
            instance_tests.add(self.fake["alpha"], instance_tests._instance(
                name, own, beparams={"vcpus": 1, "maxmem": memory}))
        res = self.client.get(MEMBER_INSTANCES_URL + "?sort=memory&dir=desc")
        self.assertEqual(["b.alpha", "mine.alpha", "c.alpha"],
                         self.names(res))
        self.assertContains(res, "sorted by Memory, descending")
        self.assertNotContains(res, "sort=project")
        res = self.client.get(MEMBER_INSTANCES_URL + "?sort=project")
        self.assertEqual(["b.alpha", "c.alpha", "mine.alpha"],
                         self.names(res))
        self.assertContains(res, "sorted by name")


class OperationsSortTests(operation_tests._Jobs, test.TestCase):
    """Project > Ganeti > Operations: its own columns sort."""

    def setUp(self):
        super().setUp()
        self.start_jobs()
        self.map_to_alpha()

    def test_operations_sort_by_their_columns(self):
        mine = "alpha:%d" % self.jobs["mine"]
        ours = "alpha:%d" % self.jobs["ours_on_theirs"]
        res = self.client.get(OPERATIONS_URL)
        self.assertEqual([ours, mine], self.ids(res))
        self.assertContains(res, 'href="?sort=started&amp;dir=asc"')
        self.assertContains(res, 'href="?sort=job_id&amp;dir=asc"')
        self.assertEqual([mine, ours], self.ids(
            self.client.get(OPERATIONS_URL + "?sort=job_id")))
        res = self.client.get(OPERATIONS_URL + "?sort=job_id&dir=desc")
        self.assertEqual([ours, mine], self.ids(res))
        self.assertContains(res, "sorted by Job, descending")
        # Not a column of this list: newest first.
        res = self.client.get(OPERATIONS_URL + "?sort=received&dir=desc")
        self.assertEqual([ours, mine], self.ids(res))
        self.assertContains(res, "newest first")
