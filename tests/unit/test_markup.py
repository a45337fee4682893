"""The Python-written rows and row actions match Horizon's templates.

``content.instances.markup`` writes the markup of Horizon's row, cell,
row-action dropdown and action templates itself (for speed); these tests
render both for every kind of row, so a Horizon upgrade that changes the
templates is caught here.
"""

import re

from unittest import mock

from django.template import loader
from django.urls import NoReverseMatch
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import jobs
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.content.instances import markup
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import INDEX_URL
from tests.unit.test_admin_instances import _instance
from tests.unit.test_admin_instances import _patched
from tests.unit.test_admin_instances import LISTS

ROWS = {
    "alpha": [
        _instance("running.alpha", "p-demo"),
        _instance("stopped.alpha", status="ADMIN_down"),
        _instance("pending.alpha"),
        _instance("plain.alpha", disk_template="plain"),
        _instance("x<b>\"'&.alpha", "p-demo"),
    ],
    "beta": [_instance("readonly.beta")],
}
READ_ONLY_BETA = helpers.TWO_CLUSTERS.replace(
    "rapi_password = secret-beta",
    "rapi_password = secret-beta\nread_only = true")


def _spaces_around_tags_dropped(html):
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html)


class RowMarkupTests(test.BaseAdminViewTests):

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(keystone_api, "project_names",
                                    return_value={"p-demo": "demo"})
        patcher.start()
        self.addCleanup(patcher.stop)
        job = {"job": 7, "action": "shutdown", "label": "Shutting down"}
        patcher = mock.patch.object(
            jobs, "pending_many",
            lambda cluster, names: {n: job for n in names
                                    if n == "pending.alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def _table(self):
        with helpers.config_file(READ_ONLY_BETA), \
                mock.patch.dict(LISTS, ROWS), _patched():
            res = self.client.get(INDEX_URL)
            table = res.context["table"]
            self.assertFalse(table.get_object_by_id(
                "alpha:pending.alpha").settled)
            rows = [(d, table.get_row_actions(d),
                     table.render_row_actions(d)) for d in table.data]
            self.rendered = [(r, r.render(), loader.render_to_string(
                "horizon/common/_data_table_row.html", {"row": r}))
                for r in table.get_rows()]
        return table, rows

    def test_rows_are_horizons_markup(self):
        self._table()
        self.assertEqual(6, len(self.rendered))
        for bound, ours, horizon in self.rendered:
            self.assertEqual(_spaces_around_tags_dropped(horizon),
                             _spaces_around_tags_dropped(ours), bound.id)
            self.assertIn("</td><td", ours)

    def test_dropdown_is_horizons_markup_for_every_kind_of_row(self):
        table, rows = self._table()
        template = loader.get_template(
            table._meta.row_actions_dropdown_template)
        self.assertEqual(6, len(rows))
        counts = set()
        for datum, actions, _page in rows:
            # The full dropdown, a single action, and none.
            for shown in (actions, actions[:1], []):
                counts.add(len(shown))
                row_id = table.get_object_id(datum)
                horizon = template.render({"row_actions": shown,
                                           "row_id": row_id})
                self.assertEqual(horizon.strip(),
                                 markup.dropdown(shown, row_id).strip(),
                                 datum.name)
        self.assertTrue({0, 1} < counts)

    def test_page_shows_the_written_dropdowns(self):
        table, rows = self._table()
        kinds = {(a.method, a.action_type, "disabled" in a.get_final_css())
                 for _datum, actions, _page in rows for a in actions}
        # Links and buttons, danger and not, a disabled move: all covered.
        self.assertLessEqual({("GET", "default", True),
                              ("GET", "default", False),
                              ("POST", "danger", False),
                              ("POST", "default", False)}, kinds)
        for datum, actions, page in rows:
            self.assertEqual(markup.dropdown(actions, datum.id), page)

    def test_urls_reversed_once_are_reverses(self):
        table, rows = self._table()
        ids = [d.id for d, _actions, _page in rows] + [
            "a:b:c", "a:\u00fc", "a:%20", "a:b c", "a:?x=1#y", "a:b\nc"]
        namespace = table.url_namespace
        for obj_id in ids:
            for form in ("shutdown", "migrate"):
                self.assertEqual(
                    reverse(namespace + ":action", args=[obj_id, form]),
                    table.panel_url("action", obj_id, form), obj_id)
            self.assertEqual(reverse(namespace + ":detail", args=[obj_id]),
                             table.panel_url("detail", obj_id))
        self.assertEqual(reverse(namespace + ":index"),
                         table.panel_url("index"))
        for refused in ("a/b:c", ":b", "a:", "ab"):
            with self.assertRaises(NoReverseMatch):
                table.panel_url("action", refused, "shutdown")
