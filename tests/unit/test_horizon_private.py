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

"""Horizon's private attributes the plugin still relies on, pinned.

Each is read (or set) in one place, whose comment names it and the Horizon
release it was checked against (Horizon 27). Horizon may rename or drop a
private attribute in any release: these tests fail then, instead of a page.

- ``DataTable._meta``: the table's ``Meta`` options with Horizon's defaults
  (``access.posted_actions``, ``row_writer.writes``);
- ``PagedTableWithPageMenu``'s ``_current_page``, ``_number_of_pages``,
  ``_page_size`` and ``_total_of_entries``, set by every paged list view
  (``content/paging.py``).
"""

from unittest import mock

from django.test import RequestFactory
from django.test import SimpleTestCase

from horizon import tables
from horizon.tables import base as horizon_tables

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.instances import tables as admin_tables
from ganeti_dashboard.content.instances import row_writer
from ganeti_dashboard.content.instances import tables as instance_tables

DROPDOWN = "pinned/_row_actions.html"


class _Link(tables.LinkAction):
    name = "open"
    verbose_name = "Open"
    url = "#"


class _Batch(tables.BatchAction):
    name = "poke"

    @staticmethod
    def action_present(count):
        return "Poke"

    @staticmethod
    def action_past(count):
        return "Poked"

    def action(self, request, obj_id):
        pass


class _Table(tables.DataTable):
    name = tables.Column("name")

    class Meta:
        name = "pinned"
        row_actions = (_Link, _Batch)
        table_actions = (_Batch,)
        row_actions_dropdown_template = DROPDOWN


class _Datum:
    id = "d1"
    name = "d1"


class TableMetaTests(SimpleTestCase):
    """``DataTable._meta``, as ``access`` and ``row_writer`` read it."""

    def test_meta_lists_the_actions_of_the_tables_meta(self):
        self.assertEqual((_Link, _Batch), tuple(_Table._meta.row_actions))
        self.assertEqual((_Batch,), tuple(_Table._meta.table_actions))
        self.assertEqual([_Batch], access.posted_actions(_Table))

    def test_meta_names_the_dropdown_template_horizon_renders(self):
        self.assertEqual(DROPDOWN, _Table._meta.row_actions_dropdown_template)
        request = RequestFactory().get("/")
        table = _Table(request, data=[_Datum()])
        rendered = mock.Mock()
        rendered.render.return_value = "dropdown"
        with mock.patch.object(horizon_tables.template.loader,
                               "get_template",
                               return_value=rendered) as get_template:
            self.assertEqual("dropdown",
                             table.render_row_actions(_Datum()))
        get_template.assert_called_once_with(DROPDOWN)

    def test_the_instances_tables_meta_names_the_plugins_templates(self):
        for table_class in (instance_tables.InstancesTable,
                            admin_tables.AdminInstancesTable):
            meta = table_class._meta
            self.assertEqual(row_writer.ACTIONS_TEMPLATE,
                             meta.row_actions_dropdown_template)
            self.assertEqual(instance_tables.PAGE_PARAM,
                             meta.pagination_param)


class _Paged(tables.PagedTableWithPageMenu):
    pass


class PagedTableStateTests(SimpleTestCase):
    """The private page state the paged list views set."""

    def test_horizon_starts_with_the_state_the_view_sets(self):
        view = _Paged()
        self.assertEqual(
            {"_current_page": 1, "_number_of_pages": 0,
             "_total_of_entries": 0, "_page_size": 0},
            {name: getattr(view, name) for name in (
                "_current_page", "_number_of_pages", "_total_of_entries",
                "_page_size")})

    def test_horizons_page_methods_answer_from_that_state(self):
        view = _Paged()
        view._page_size = 20
        view._total_of_entries = 50
        view._number_of_pages = 3
        view._current_page = 2
        self.assertTrue(view.has_prev_data(None))
        self.assertTrue(view.has_more_data(None))
        self.assertEqual(2, view.current_page())
        self.assertEqual(3, view.number_of_pages())
        self.assertEqual(41, view.current_offset(None))
        view._current_page = 3
        self.assertFalse(view.has_more_data(None))
        view._current_page = 1
        self.assertFalse(view.has_prev_data(None))
