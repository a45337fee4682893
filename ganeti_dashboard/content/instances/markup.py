"""Rows of the instances table written in Python, with Horizon's markup.

Horizon renders each row from ``_data_table_row.html`` including
``_data_table_cell.html`` per cell, and each row's actions from
``_data_table_row_actions_dropdown.html`` including
``_data_table_action.html`` per action. On the instances list that is
twenty rows of twelve cells and nine actions, and Django's template engine
spends about a third of a millisecond on each include: most of the page's
time after the clusters have answered. This module writes the same markup
directly, through the same row, cell and action methods the templates call
and with the same escaping; ``tests/unit/test_markup.py`` compares it with
Horizon's templates, so a Horizon upgrade that changes them fails a test
rather than the page.
"""

from django.utils.html import format_html
from django.utils.safestring import mark_safe

TOGGLE = ('<a class="btn btn-default btn-sm dropdown-toggle" '
          'data-toggle="dropdown" href="#">'
          '<span class="fa fa-caret-down"></span></a>'
          '<ul class="dropdown-menu dropdown-menu-right row_actions">')


def _minified(text):
    """What Horizon's ``{% minifyspace %}`` makes of ``text``."""
    return " ".join(text.split()).replace(" > ", ">").replace(" <", "<")


def _classes(*names):
    return " ".join(name for name in names if name)


def action(bound, row_id, is_single=False, is_small=False):
    """One row action, as ``_data_table_action.html`` renders it."""
    if bound.method != "GET":
        text = format_html(
            '<button {} class="{}" name="action"{} type="submit" '
            'value="{}__{}__{}"> {}</button>',
            mark_safe(bound.attr_string_nc),
            _classes("data-table-action", is_small and "btn-sm",
                     *bound.get_default_classes(),
                     bound.action_type and "btn-%s" % bound.action_type,
                     "btn"),
            format_html(' help_text="{}"', bound.help_text)
            if bound.help_text else "",
            bound.table.name, bound.name, row_id, bound.verbose_name)
    else:
        text = format_html(
            '<a {} class="{}" href="{}"> {}</a>',
            mark_safe(bound.attr_string_nc),
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


def cell(bound):
    """A cell without inline editing, as ``_data_table_cell.html``."""
    if bound.wrap_list:
        return format_html("<td{}><ul>{}</ul></td>",
                           mark_safe(bound.attr_string), bound.value)
    return format_html("<td{}>{}</td>", mark_safe(bound.attr_string),
                       bound.value)


def row(bound):
    """A row, as ``_data_table_row.html`` renders it, in ``spaceless``.

    Whitespace around the cells' values differs from Horizon's (the
    template's indentation); nothing else does.
    """
    return mark_safe(format_html("<tr{}>", mark_safe(bound.attr_string))
                     + "".join(cell(c) for c in bound) + "</tr>")
