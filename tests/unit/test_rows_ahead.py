"""Rows written while slower clusters answer are the rows the page shows.

The instances list writes the rows a faster cluster may put on the first
page while the others are still answering (``InstancesTable.prepare_rows``).
These tests hold the slow cluster back until that has happened, and compare
the page with the one written without rows ahead: same rows, same markup,
for an operator and for a reader (whose selection column is hidden).
"""

import re
import threading
from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.content.instances import tables as instance_tables
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance

ADMIN_URL = reverse("horizon:admin:ganeti_instances:index")
PROJECT_URL = reverse("horizon:project:ganeti_instances:index")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                   r"[0-9a-f]{12}")
# Long enough for any machine; the slow cluster is let go as soon as the
# fast one's rows are written, so the tests never wait this long.
BOUND = 20


def _table(response):
    """The table (its actions, headers and rows), with Horizon's random
    checkbox ids made equal."""
    content = response.content.decode()
    table = content[content.index("<table"):content.index("</table>")]
    return _UUID.sub("ID", table)


def _tbody(response):
    table = _table(response)
    return table[table.index("<tbody>"):]


class _SlowBeta:
    """Cluster ``beta`` answers only once rows were written ahead (or
    after BOUND seconds); ``prepared`` records whose rows they were."""

    def __init__(self, lists):
        self.lists = lists
        self.prepared = []
        self.released = threading.Event()

    def instances(self, client, bulk=True):
        if client.name == "beta":
            self.released.wait(BOUND)
        return self.lists[client.name]

    def patches(self, ahead=True):
        original = instance_tables.InstancesTable.prepare_rows
        test_case = self

        def prepare_rows(table, data):
            test_case.prepared.append([d.name for d in data])
            if ahead:
                original(table, data)
            test_case.released.set()

        instances = self.instances
        return [mock.patch.object(rapi.RapiClient, "instances",
                                  lambda c, bulk=True: instances(c, bulk)),
                mock.patch.object(instance_tables.InstancesTable,
                                  "prepare_rows", prepare_rows)]


def _get(test_case, url, lists, ahead=True, query=""):
    slow = _SlowBeta(lists)
    patches = slow.patches(ahead)
    for patch in patches:
        patch.start()
    try:
        with helpers.config_file(helpers.TWO_CLUSTERS):
            response = test_case.client.get(url + query)
    finally:
        for patch in patches:
            patch.stop()
    test_case.assertEqual(200, response.status_code)
    return response, slow.prepared


ADMIN_LISTS = {
    "alpha": [_instance("b.alpha", "p-demo"),
              _instance("d.alpha", status="ADMIN_down"),
              _instance("e.alpha", "p-hostile")],
    "beta": [_instance("a.beta", "p-other"), _instance("c.beta")],
}


class AdminRowsAheadTests(test.BaseAdminViewTests):

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(
            keystone_api, "project_names",
            return_value={"p-demo": "demo", "p-other": "other",
                          "p-hostile": "<i>hostile</i>"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_rows_written_ahead_are_the_rows_written_after(self):
        ahead, prepared = _get(self, ADMIN_URL, ADMIN_LISTS)
        # Only alpha answered while another cluster was still asked.
        self.assertEqual([["b.alpha", "d.alpha", "e.alpha"]], prepared)
        after, _unused = _get(self, ADMIN_URL, ADMIN_LISTS, ahead=False)
        self.assertEqual(_table(after), _table(ahead))
        # The bulk actions are there, and with them the selection column.
        for action in ("start", "stop", "reboot", "delete"):
            self.assertIn('id="instances__action_%s"' % action,
                          _table(ahead))
        self.assertNotIn("hidden", re.search(
            r'<td[^>]*multi_select[^>]*>', _tbody(ahead)).group(0))
        body = _tbody(ahead)
        # Both clusters' rows, in name order, the hostile name as text.
        self.assertEqual(
            ["a.beta", "b.alpha", "c.beta", "d.alpha", "e.alpha"],
            re.findall(r'data-display="([^"]+)"', body))
        self.assertIn("&lt;i&gt;hostile&lt;/i&gt;", body)
        self.assertNotIn("<i>hostile", body)

    def test_project_names_are_asked_once_per_page(self):
        names = keystone_api.project_names
        _get(self, ADMIN_URL, ADMIN_LISTS)
        self.assertEqual(1, names.call_count)

    def test_only_the_first_page_is_written_ahead(self):
        with self.settings(API_RESULT_PAGE_SIZE=2):
            response, prepared = _get(self, ADMIN_URL, ADMIN_LISTS,
                                      query="?page=2")
        self.assertEqual([], prepared)
        self.assertEqual(["c.beta", "d.alpha"], re.findall(
            r'data-display="([^"]+)"', _tbody(response)))


class ReaderRowsAheadTests(test.TestCase):
    """A reader has no bulk action, so Horizon hides the selection column;
    rows written ahead must hide it too."""

    def setUp(self):
        super().setUp()
        helpers.become_reader(self)
        own = self.tenant.id
        self.lists = {"alpha": [_instance("b.alpha", own)],
                      "beta": [_instance("a.beta", own)]}
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha", "beta"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_rows_written_ahead_hide_the_selection_column(self):
        ahead, prepared = _get(self, PROJECT_URL, self.lists)
        self.assertEqual([["b.alpha"]], prepared)
        after, _unused = _get(self, PROJECT_URL, self.lists, ahead=False)
        self.assertEqual(_table(after), _table(ahead))
        self.assertIn("hidden", re.search(r'<td[^>]*multi_select[^>]*>',
                                          _tbody(ahead)).group(0))


class AnsweredTests(test.TestCase):
    """``PendingFanout.answered`` hands over answers as they come."""

    def test_answers_in_the_order_clusters_answer_and_keeps_failures(self):
        beta_may_answer = threading.Event()

        def call(client):
            if client.name == "beta":
                beta_may_answer.wait(BOUND)
                raise errors.Unreachable("connection refused", "beta")
            return client.name.upper()

        with helpers.config_file(helpers.TWO_CLUSTERS):
            pending = clusters.start_fetch_all(call)
            seen = []
            for name, result, left in pending.answered():
                seen.append((name, result, left))
                beta_may_answer.set()
            fanout = pending.wait()
        self.assertEqual([("alpha", "ALPHA", 1)], seen)
        self.assertEqual({"alpha": "ALPHA"}, fanout.results)
        self.assertEqual(["beta"], list(fanout.errors))
