"""Rows of the instances table written in Python, with Horizon's markup.

Horizon renders each row from ``_data_table_row.html`` including
``_data_table_cell.html`` per cell, and each row's actions from
``_data_table_row_actions_dropdown.html`` including
``_data_table_action.html`` per action. On the instances list that is
twenty rows of twelve cells and nine actions, and Django's template
engine's includes were most of the page's time after the clusters had
answered. This module writes the same markup
directly, through the same row, cell and action methods the templates call
and with the same escaping; ``tests/unit/test_markup.py`` compares it with
Horizon's templates, so a Horizon upgrade that changes them fails a test
rather than the page.

Each row also carries a dozen attribute lists (row, cells, actions) and a
selection checkbox, which Django writes through ``flatatt`` and form
widget templates, at a cost per call, so :func:`attributes`
and :func:`checkbox` write those too, and :class:`Cell` works out a cell's
link once instead of three times.
"""

import html

from django.utils import functional
from django.utils.safestring import SafeString
from oslo_utils import uuidutils

from horizon.tables import base as horizon_tables

TOGGLE = ('<a class="btn btn-default btn-sm dropdown-toggle" '
          'data-toggle="dropdown" href="#">'
          '<span class="fa fa-caret-down"></span></a>'
          '<ul class="dropdown-menu dropdown-menu-right row_actions">')


def escape(value):
    """Django's ``conditional_escape`` as Horizon patches it (``{$ $}``,
    Angular's markers in Horizon, become ``{% %}``), without the lazy-string
    wrapper around each call. ``tests/unit/test_markup.py`` holds it to
    Django's."""
    if type(value) is not str:
        if isinstance(value, functional.Promise):
            value = str(value)
        if hasattr(value, "__html__"):
            return value.__html__()
    text = html.escape(str(value))
    if "$" in text:
        text = text.replace("{$", "{%").replace("$}", "%}")
    return text


def mark_safe(text):
    """Django's ``mark_safe`` for the ``str`` this module writes, without
    its check for lazy strings (a thousand calls a page)."""
    return SafeString(text)


def _format(template, *args):
    """``format_html`` with :func:`escape`."""
    return mark_safe(template.format(*[escape(arg) for arg in args]))


def attributes(attrs):
    """What Django's ``flatatt`` makes of ``attrs``: sorted ``key="value"``
    pairs, then the names of true booleans; false and ``None`` left out."""
    pairs = sorted((key, value) for key, value in attrs.items()
                   if value is not None and not isinstance(value, bool))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return mark_safe(
        "".join(' %s="%s"' % (escape(key), escape(value))
                for key, value in pairs)
        + "".join(" %s" % escape(key) for key in flags))


def checkbox(object_id):
    """A row's selection box, as Horizon's ``ThemableCheckboxInput``
    renders it for ``object_ids``: with a new random id, as Horizon's."""
    box_id = uuidutils.generate_uuid()
    return mark_safe(
        '<div class="themable-checkbox"><input type="checkbox" '
        'name="object_ids" value="%s" class="table-row-multi-select" '
        'id="%s"><label for="%s"></label></div>'
        % (escape(object_id), box_id, box_id))


class Cell(horizon_tables.Cell):
    """Horizon's cell, with its selection box from :func:`checkbox` and its
    link worked out once (Horizon's asks the column for it three times)."""

    def get_data(self, datum, column, row):
        if column.auto != "multi_select":
            return super().get_data(datum, column, row)
        table = row.table
        object_id = table.get_object_id(datum)
        data = checkbox(object_id) if row.can_be_selected(datum) else ""
        table._data_cache[column][object_id] = data
        return data

    @functional.cached_property
    def url(self):
        return horizon_tables.Cell.url.fget(self)

    def get_default_classes(self):
        """Horizon's, with each column's own classes worked out once per
        table (Horizon works them out again for every cell)."""
        column = self.column
        if not self.url and "anchor" in column.classes:
            column.classes = [cls for cls in column.classes
                              if cls != "anchor"]
        memo = column.table.__dict__.setdefault("_column_classes", {})
        key = (column.name, tuple(column.classes))
        text = memo.get(key)
        if text is None:
            text = memo[key] = column.get_final_attrs().get("class", "")
        classes = set(text.split(" "))
        if column.status:
            classes.add(self.get_status_class(self.status))
        if self.inline_edit_available:
            classes.add("inline_edit_available")
        return list(classes)


def _minified(text):
    """What Horizon's ``{% minifyspace %}`` makes of ``text``."""
    return " ".join(text.split()).replace(" > ", ">").replace(" <", "<")


def _classes(*names):
    return " ".join(name for name in names if name)


def action(bound, row_id, is_single=False, is_small=False):
    """One row action, as ``_data_table_action.html`` renders it."""
    if bound.method != "GET":
        text = _format(
            '<button {} class="{}" name="action"{} type="submit" '
            'value="{}__{}__{}"> {}</button>',
            attributes(bound.get_final_attrs(False)),
            _classes("data-table-action", is_small and "btn-sm",
                     *bound.get_default_classes(),
                     bound.action_type and "btn-%s" % bound.action_type,
                     "btn"),
            _format(' help_text="{}"', bound.help_text)
            if bound.help_text else "",
            bound.table.name, bound.name, row_id, bound.verbose_name)
    else:
        text = _format(
            '<a {} class="{}" href="{}"> {}</a>',
            attributes(bound.get_final_attrs(False)),
            mark_safe(_classes(
                "btn data-table-action", is_single and "btn-default",
                is_small and "btn-sm",
                bound.action_type == "danger" and "btn-danger",
                bound.get_final_css())),
            bound.bound_url, bound.verbose_name)
    return mark_safe(_minified(text))


def dropdown(actions, row_id):
    """A row's actions, as ``_data_table_row_actions_dropdown.html``."""
    if not actions:
        return mark_safe("")
    if len(actions) == 1:
        return action(actions[0], row_id, is_single=True)
    parts = ['<div class="btn-group">',
             action(actions[0], row_id, is_single=True, is_small=True),
             TOGGLE]
    parts += ["<li>%s</li>" % action(a, row_id) for a in actions[1:]]
    parts.append("</ul></div>")
    return mark_safe("".join(parts))


def _cell_attributes(bound):
    """``attributes(bound.get_final_attrs())``.

    A cell whose only attribute is its class (every cell of the instances
    table) has the class of every other cell of its column in the same
    state: link or not, status class, classes of its own. That string is
    worked out once per table and state.
    """
    if bound.attrs:
        return attributes(bound.get_final_attrs())
    column = bound.column
    key = (column.name, bool(bound.url), tuple(column.classes),
           column.status and bound.get_status_class(bound.status),
           bound.inline_edit_available, tuple(bound.classes))
    memo = column.table.__dict__.setdefault("_cell_attributes", {})
    text = memo.get(key)
    if text is None:
        text = memo[key] = attributes(bound.get_final_attrs())
    return text


def cell(bound):
    """A cell without inline editing, as ``_data_table_cell.html``."""
    if bound.wrap_list:
        return _format("<td{}><ul>{}</ul></td>", _cell_attributes(bound),
                       bound.value)
    return _format("<td{}>{}</td>", _cell_attributes(bound), bound.value)


def row(bound):
    """A row, as ``_data_table_row.html`` renders it, in ``spaceless``.

    Whitespace around the cells' values differs from Horizon's (the
    template's indentation); nothing else does.
    """
    return mark_safe("<tr%s>" % attributes(bound.get_final_attrs())
                     + "".join(cell(c) for c in bound) + "</tr>")
