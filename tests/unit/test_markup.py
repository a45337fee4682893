"""The Python-written rows and row actions match Horizon's templates.

``content.instances.markup`` writes the markup of Horizon's row, cell,
row-action dropdown and action templates itself (for speed); these tests
render both for every kind of row, so a Horizon upgrade that changes the
templates is caught here.
"""

import re

from unittest import mock

from django.forms.utils import flatatt
from django.template import loader
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils import html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from horizon.forms.fields import ThemableCheckboxInput
from horizon.tables import base as horizon_tables

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.content.instances import markup
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance
from tests.unit.test_admin_instances import fake_ganeti
from tests.unit.test_admin_instances import INDEX_URL

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


HOSTILE = ["plain", "x<b>\"'&", "{$ 7*7 $}", "\u00fc\u00f1\u00ee",
           mark_safe("<em>safe</em>"), gettext_lazy("Name"), 42, ""]
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                   r"[0-9a-f]{12}")


def _spaces_around_tags_dropped(text):
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", text)


def _ids_numbered(text):
    """Horizon gives each checkbox a random id: number them in order."""
    seen = {}
    return _UUID.sub(lambda m: "id-%d" % seen.setdefault(m.group(),
                                                         len(seen)), text)


class HelperMarkupTests(test.TestCase):
    """The pieces markup writes itself are Django's and Horizon's output."""

    def test_escape_is_horizons_conditional_escape(self):
        for value in HOSTILE:
            self.assertEqual(html.conditional_escape(value),
                             markup.escape(value), repr(value))
        # Horizon's own change to Django's escape is in force here.
        self.assertNotIn("{$", markup.escape("{$ x $}"))

    def test_attributes_are_flatatt(self):
        cases = [{}, {"class": "a b", "id": "x"},
                 {"data-display": "x<b>\"'&", "checked": True,
                  "disabled": False, "title": None, "hidden": True},
                 {"z": 1, "a": gettext_lazy("Name"), "m": "{$ 1 $}"}]
        cases += [{"value": value} for value in HOSTILE]
        for attrs in cases:
            self.assertEqual(flatatt(attrs), markup.attributes(attrs), attrs)

    def test_checkbox_is_horizons_widget(self):
        for object_id in ["alpha:vm1.alpha", "alpha:x<b>\"'&", "a:{$x$}"]:
            horizon = ThemableCheckboxInput(check_test=lambda v: False).render(
                "object_ids", object_id, {"class": "table-row-multi-select"})
            ours = markup.checkbox(object_id)
            self.assertEqual(_ids_numbered(horizon), _ids_numbered(ours))
            self.assertEqual(2, ours.count(_UUID.search(ours).group()))
        self.assertNotEqual(_UUID.search(markup.checkbox("a:b")).group(),
                            _UUID.search(markup.checkbox("a:b")).group())


class RowMarkupTests(test.BaseAdminViewTests):
    """Every kind of row of the list, as it reads the fake Ganeti's
    snapshots: running, stopped, with a job of ours, being created,
    unmovable, hostile name, on a read-only cluster."""

    def setUp(self):
        super().setUp()
        patcher = mock.patch.object(keystone_api, "project_names",
                                    return_value={"p-demo": "demo"})
        patcher.start()
        self.addCleanup(patcher.stop)
        pending_jobs.remember("alpha", "pending.alpha", 7, "shutdown",
                              "Shutting down")
        # A create Ganeti does not list yet: a placeholder row.
        pending_jobs.remember_create(
            "alpha", "creating.alpha", 8, "p-demo", sizes={
                "beparams": {"vcpus": 2, "maxmem": 256},
                "disk.sizes": [1024]})
        fake_ganeti(ROWS, READ_ONLY_BETA).install(self)

    def _table(self):
        with helpers.config_file(READ_ONLY_BETA):
            res = self.client.get(INDEX_URL)
            table = res.context["table"]
            for pending in ("alpha:pending.alpha", "alpha:creating.alpha"):
                self.assertFalse(table.get_object_by_id(pending).settled)
            rows = [(d, table.get_row_actions(d),
                     table.render_row_actions(d)) for d in table.data]
            self.rendered = [(r, r.render(), loader.render_to_string(
                "horizon/common/_data_table_row.html", {"row": r}))
                for r in table.get_rows()]
        return table, rows

    def test_rows_are_horizons_markup_with_horizons_cells(self):
        """Rows of markup's Cell, written by markup, against rows of
        Horizon's own Cell class rendered by Horizon's template."""
        table, _rows = self._table()
        ours = [r.render() for r in table.get_rows()]
        with mock.patch.object(table._meta, "cell_class",
                               horizon_tables.Cell):
            horizon = [loader.render_to_string(
                "horizon/common/_data_table_row.html", {"row": r})
                for r in table.get_rows()]
        self.assertEqual(7, len(ours))
        for mine, theirs in zip(ours, horizon):
            self.assertEqual(
                _ids_numbered(_spaces_around_tags_dropped(theirs)),
                _ids_numbered(_spaces_around_tags_dropped(mine)))
            self.assertIn('class="themable-checkbox"', mine)

    def test_rows_are_horizons_markup(self):
        self._table()
        self.assertEqual(7, len(self.rendered))
        for bound, ours, horizon in self.rendered:
            self.assertEqual(_spaces_around_tags_dropped(horizon),
                             _spaces_around_tags_dropped(ours), bound.id)
            self.assertIn("</td><td", ours)

    def test_dropdown_is_horizons_markup_for_every_kind_of_row(self):
        table, rows = self._table()
        template = loader.get_template(
            table._meta.row_actions_dropdown_template)
        self.assertEqual(7, len(rows))
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
        self.assertLess({0, 1}, counts)

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

    def test_each_action_rule_is_checked_once_per_page(self):
        from openstack_auth import policy
        checked = []

        def counting(rules, request, target=None):
            checked.append(tuple(rules))
            return real(rules, request, target)

        real = policy.check
        with mock.patch.object(policy, "check", counting):
            table, rows = self._table()
        actions = table._meta.table_actions + table._meta.row_actions
        action_rules = {tuple(a.policy_rules) for a in actions
                        if getattr(a, "policy_rules", None)}
        ours = [r for r in checked if r in action_rules]
        self.assertEqual(len(action_rules), len(set(ours)))
        self.assertEqual(sorted(set(ours)), sorted(ours))
        self.assertIn((("ganeti", "ganeti:instance:delete"),), ours)

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
        # Each row's name links to its instance's page.
        for datum, _actions, _page in rows:
            url = reverse(namespace + ":detail", args=[datum.id])
            self.assertEqual(url, table.columns["name"].get_link_url(datum))
            self.assertEqual(1, sum('href="%s"' % html.escape(url) in markup
                                    for _row, markup, _horizon
                                    in self.rendered))
        for refused in ("a/b:c", ":b", "a:", "ab"):
            with self.assertRaises(NoReverseMatch):
                table.panel_url("action", refused, "shutdown")
