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


"""Lists cut into pages on the server, as Horizon's tables page.

Every list of the plugin that can be long at a real site (instances,
jobs, nodes, projects) filters its rows on the server, counts them and
builds only the request's page: :class:`PagedView` for the view,
:class:`PagedTable` for its table. Pages are numbered (``?page=N``) and
Horizon's footer shows "Prev" and "Next"; Horizon's server-side filter
lives in the session, so both links keep it, and a changed filter
returns to page 1 (Horizon's ``DataTableView.post`` redirects then).

The table says how many rows there are in all and which are shown, and in
what order, at the top and the bottom (:data:`TEMPLATE` extends Horizon's
table template through its blocks). Horizon sorts a column in the browser,
over the rows on the page only: on a paged list that would look like an
order of the whole list and not be one, so paged tables sort on the
server (:mod:`sorting`): a header of a column in ``sort_keys`` links to
the whole list in that column's order (``?sort=...&dir=...``), which
Prev, Next and a changed filter keep.
"""

import dataclasses

from django import shortcuts
from django.utils.translation import gettext_lazy as _

from horizon import tables

from openstack_dashboard.utils import settings as dashboard_settings

from ganeti_dashboard.content import sorting

PAGE_PARAM = "page"
TEMPLATE = "ganeti_dashboard/_paged_table.html"


def page_number(request, param=PAGE_PARAM):
    """The page the request asks for: a number from 1, else 1."""
    try:
        return max(1, int(request.GET.get(param, 1)))
    except (TypeError, ValueError):
        return 1


@dataclasses.dataclass(frozen=True)
class Page:
    """Which rows of how many a table shows: ``first`` and ``last`` count
    from 1 (both 0 when there is none).
    """

    number: int = 1
    count: int = 1  # how many pages
    total: int = 0
    first: int = 0
    last: int = 0

    @property
    def paged(self):
        return self.count > 1


def cut(rows, number, size):
    """``(page, rows of that page)``: page ``number`` of ``rows`` (the
    last one if it is past the end), ``size`` rows a page.
    """
    size = max(1, int(size))
    count = max(1, -(-len(rows) // size))
    number = min(max(1, number), count)
    start = (number - 1) * size
    shown = rows[start:start + size]
    return Page(number=number, count=count, total=len(rows),
                first=start + 1 if shown else 0,
                last=start + len(shown)), shown


def search(found, filter_action, field, value, text=None):
    """The objects of ``found`` whose ``field`` holds ``value`` (a part
    of its text, case-insensitive): what a server-side filter
    (``filter_action``, a FilterAction class) keeps, before paging. All
    of them for an empty value or a field it does not offer.
    ``text(obj, field)``: the text searched; by default the attribute.
    """
    value = (value or "").strip().lower()
    if not value or field not in {c[0] for c in
                                  filter_action.filter_choices}:
        return found
    text = text or (lambda obj, name: getattr(obj, name, ""))
    return [obj for obj in found
            if value in str(text(obj, field) or "").lower()]


class PagedView(tables.PagedTableWithPageMenu):
    """A list view's paging: :meth:`page_of` cuts the filtered rows.

    A mixin before ``DataTableView``. Its Prev/Next answers come from
    Horizon's ``PagedTableWithPageMenu``, from the state this sets.
    """

    def page_size(self):
        """The user's page size (Horizon's user settings)."""
        return dashboard_settings.get_page_size(self.request)

    def page_of(self, rows, table=None):
        """The request's page of ``rows`` (all of them, filtered, in the
        default order), in the order the request asks for; tells the table
        (``page``) which rows of how many.
        """
        table = table or self.table
        page, shown = cut(table.sort(rows), page_number(
            self.request, table._meta.pagination_param), self.page_size())
        # Horizon's private PagedTableWithPageMenu state (checked against
        # Horizon 27): its Prev/Next and page methods answer from these, as
        # its own paged views set them. tests/unit/test_horizon_private.py
        # fails if Horizon changes that.
        self._page_size = self.page_size()
        self._total_of_entries = page.total
        self._number_of_pages = page.count
        self._current_page = page.number
        table.page = page
        return shown

    def post(self, request, *args, **kwargs):
        """Horizon's ``DataTableView.post``, whose redirect after a
        changed filter (to page 1, the URL without its query) keeps the
        list's order.
        """
        if self.handle_server_filter(request):
            table = self.get_table()
            query = table.sort_order.query()
            return shortcuts.redirect(table.get_absolute_url()
                                      + ("?" + query if query else ""))
        return self.get(request, *args, **kwargs)


class PagedTable:
    """A table shown a page at a time (a mixin before ``DataTable``).

    ``order`` names the default order of the rows the view pages (the
    server sorts them; see the module docstring); ``sort_keys`` says which
    columns the user may sort the list by instead, and how. Meta:
    ``template = paging.TEMPLATE`` and ``pagination_param =
    paging.PAGE_PARAM`` (or a name of its own when two paged tables share
    a page), ``footer = False`` (this template writes the count and the
    links itself, at the top and the bottom).
    """

    order = None
    # {column name: key(row) of the rows the view pages (snapshot rows or
    # objects, not the page's models)}: the sortable columns, declared
    # here only. A key is a number, a text (sorting.text) or None (last);
    # a value None is one :meth:`row_key` works out for the request.
    sort_keys = {}
    # The sortable column whose ascending order the default order is
    # (its header shows it), if any.
    default_sort = None
    sort_order = sorting.Order()
    page = Page()
    # None: Horizon's template writes "Prev" and "Next" only; its numbered
    # menu would write a link for every page, thousands at real sites.
    number_of_pages = None

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        for column in self.columns.values():
            # Copies of the class's columns, sharing its class list:
            # replaced, not changed.
            column.sortable = False
            column.classes = [c for c in column.classes if c != "sortable"]
        sortable = [name for name in self.sort_keys if name in self.columns]
        self.sort_order = sorting.requested(request, sortable)
        self._sort_labels = {}
        for name in sortable:
            self._sort_header(name)

    def _sort_header(self, name):
        """The column's header as a link to the list in its order (Horizon
        writes ``str(column)``, its ``verbose_name``, in the header cell).
        """
        column = self.columns[name]
        label = self._sort_labels[name] = column.verbose_name
        shown = self.sort_order
        if shown.column is None and name == self.default_sort:
            shown = sorting.Order(name)
        if shown.column != name:
            column.verbose_name = sorting.header(label, sorting.Order(name))
            return
        column.verbose_name = sorting.header_sorted(
            label, shown, sorting.Order(name, not shown.descending))
        # A copy: the class's column's dict is shared.
        column.attrs = dict(column.attrs, **{
            "aria-sort": "descending" if shown.descending else "ascending"})

    def row_key(self, column):
        """The sort key of ``column`` (one of ``sort_keys``)."""
        return self.sort_keys[column]

    def sort(self, rows):
        """``rows`` (in the default order) in the request's order."""
        order = self.sort_order
        if order.column is None:
            return rows
        return sorting.ordered(rows, self.row_key(order.column),
                               order.descending)

    def _param(self):
        return getattr(self._meta, "pagination_param", PAGE_PARAM)

    def _page_query(self, number):
        query = self.sort_order.query()
        return "%s%s=%d" % (query + "&" if query else "", self._param(),
                            number)

    def get_pagination_string(self):
        return self._page_query(self.page.number + 1)

    def get_prev_pagination_string(self):
        return self._page_query(self.page.number - 1)

    def order_text(self):
        """The order the count names: the chosen column's, or the
        default ``order``.
        """
        if self.sort_order.column is not None:
            return self.sort_order.text(
                self._sort_labels[self.sort_order.column])
        return self.order or ""


ORDER_BY_NAME = _("sorted by name")
ORDER_BY_CLUSTER_AND_NAME = _("sorted by cluster and name")
ORDER_NEWEST_FIRST = _("newest first")
