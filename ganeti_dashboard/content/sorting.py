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


"""The order of a paged list, chosen by its column headers, on the server.

Horizon sorts a column in the browser, over the page's rows only; a paged
list (:mod:`paging`) sorts all its rows, after the filter and before the
page is cut, by the column the URL names (``?sort=status&dir=desc``).
Each paged table says which of its columns sort and by what key
(``PagedTable.sort_keys``); anything else in the URL is its default order.

The sort is one pass over the rows the view already holds (snapshot rows,
not models): keys of the rows, a stable sort of those that have one (so
ties stay in the list's default order), the rows without one last.
"""

import dataclasses
import operator
from urllib import parse

from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

SORT_PARAM = "sort"
DIR_PARAM = "dir"
ASC, DESC = "asc", "desc"


@dataclasses.dataclass(frozen=True)
class Order:
    """A column and a direction; ``column`` None is the default order."""

    column: str = None
    descending: bool = False

    def query(self):
        """The URL's parameters of this order ("" for the default)."""
        if self.column is None:
            return ""
        return parse.urlencode(((SORT_PARAM, self.column),
                                (DIR_PARAM, DESC if self.descending
                                 else ASC)))

    def text(self, label):
        """What the count says of it, ``label`` the column's header."""
        if self.descending:
            return _("sorted by %s, descending") % label
        return _("sorted by %s, ascending") % label


def requested(request, columns):
    """The :class:`Order` the request asks for among ``columns``: the
    default one for no, an unknown or a malformed column or direction.
    """
    column = request.GET.get(SORT_PARAM)
    direction = request.GET.get(DIR_PARAM, ASC)
    if column not in columns or direction not in (ASC, DESC):
        return Order()
    return Order(column, direction == DESC)


def ordered(rows, key, descending=False):
    """``rows`` by ``key(row)``, a new list: stable (equal keys keep their
    order in ``rows``, in either direction), rows whose key is None last.
    """
    keyed, missing = [], []
    for row in rows:
        value = key(row)
        if value is None:
            missing.append(row)
        else:
            keyed.append((value, row))
    keyed.sort(key=operator.itemgetter(0), reverse=descending)
    return [row for _value, row in keyed] + missing


def text(value):
    """A text's key: case-insensitive; None for none or an empty one."""
    return str(value).lower() if value else None


def header(label, order):
    """A sortable column's header: a link to the list in its ``order``
    (page 1: the filter in the session stays), escaped.
    """
    return format_html('<a class="ganeti-sort" href="?{}">{}</a>',
                       order.query(), label)


def header_sorted(label, order, next_order):
    """The header of the column the list is sorted by: its direction,
    and a link to the other one.
    """
    return format_html(
        '<a class="ganeti-sort ganeti-sorted-{}" href="?{}" title="{}">{} '
        '<span class="fa fa-caret-{}" aria-hidden="true"></span></a>',
        DESC if order.descending else ASC, next_order.query(),
        order.text(label), label, "down" if order.descending else "up")
