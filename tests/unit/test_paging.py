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

"""The paging helper every long list uses (``content/paging.py``)."""

from django.test import RequestFactory

from ganeti_dashboard.content import paging


def test_a_middle_page_says_which_rows_of_how_many():
    page, shown = paging.cut(list(range(53)), 2, 20)
    assert shown == list(range(20, 40))
    assert (page.number, page.count, page.total, page.first, page.last) \
        == (2, 3, 53, 21, 40)
    assert page.paged


def test_a_page_past_the_end_is_the_last_and_none_is_one_empty_page():
    page, shown = paging.cut(list(range(53)), 9, 20)
    assert (page.number, page.first, page.last) == (3, 41, 53)
    assert shown == list(range(40, 53))
    page, shown = paging.cut([], 4, 20)
    assert (page.number, page.count, page.total, page.first, page.last,
            shown) == (1, 1, 0, 0, 0, [])
    assert not page.paged


def test_the_page_asked_for_is_a_number_from_one():
    factory = RequestFactory()
    for query, expected in (("", 1), ("?page=3", 3), ("?page=0", 1),
                            ("?page=-2", 1), ("?page=x", 1),
                            ("?page=alpha%3Avm1", 1)):
        assert paging.page_number(factory.get("/" + query)) == expected


def test_links_name_the_next_and_previous_page_numbers():
    class Table(paging.PagedTable):
        class _meta:
            pagination_param = "page"

        def __init__(self):
            pass

    table = Table()
    table.page = paging.Page(number=4, count=9, total=170, first=61,
                             last=80)
    assert table.get_pagination_string() == "page=5"
    assert table.get_prev_pagination_string() == "page=3"
