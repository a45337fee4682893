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

"""The instances table's rows written in Python: for speed, and only then.

This module exists for speed only. Two templates of the plugin say what a
row of Admin and Project > Ganeti > Instances looks like:
``ganeti_dashboard/instances/_row.html`` (Horizon's
``_data_table_row.html`` with its ``_data_table_cell.html`` inlined) and
``ganeti_dashboard/instances/_row_actions.html`` (the table's
``Meta.row_actions_dropdown_template``: Horizon's
``_data_table_row_actions_dropdown.html`` with its
``_data_table_action.html`` inlined), as Horizon 27 writes them. Django's
template engine spends much of the page's time on them
(``tools/lib/bench_render.py`` with and without ``--templates`` measures
how much), so this module writes the same markup through the same public
row, cell and action properties the templates read, with Django's
escaping.

It is used only while the plugin's own row templates are in effect
(:func:`writes`): a theme or a template directory that overrides either
template is rendered instead, like any Horizon template, and this module
is not used for that table. Nothing else in the plugin writes rows.

``tests/unit/test_instance_rows.py`` renders a page of every kind of row
(hostile and non-ASCII names included) both ways and compares them, holds
the templates to Horizon's own (checked against Horizon 27: a Horizon whose
markup changes fails there) and checks that an override is honoured.
"""

import html
import os

from django.template import loader
from django.utils.safestring import mark_safe
from django.utils.safestring import SafeData

ROW_TEMPLATE = "ganeti_dashboard/instances/_row.html"
ACTIONS_TEMPLATE = "ganeti_dashboard/instances/_row_actions.html"
CELL_TEMPLATE = "horizon/common/_data_table_cell.html"

_OWN = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__)))), "templates")

TOGGLE = ('<a class="btn btn-default btn-sm dropdown-toggle" '
          'data-toggle="dropdown" href="#">'
          '<span class="fa fa-caret-down"></span></a>'
          '<ul class="dropdown-menu dropdown-menu-right row_actions">')


def _own(name):
    """Whether the template ``name`` in effect is the plugin's own file."""
    origin = loader.get_template(name).origin
    return os.path.realpath(origin.name) == os.path.join(_OWN, name)


def writes(table):
    """Whether ``table``'s rows and dropdowns are written here.

    They are while the templates in effect for them are the plugin's own
    files. Asked once per table (once per request), as Django's template
    loaders answer.
    """
    found = table.__dict__.get("_ganeti_writes_rows")
    if found is None:
        # Horizon's private DataTable._meta (checked against Horizon 27):
        # the dropdown template Horizon's render_row_actions renders, as
        # the table's Meta named it; no public attribute says it.
        # tests/unit/test_horizon_private.py fails if Horizon changes that.
        dropdown_template = table._meta.row_actions_dropdown_template
        found = table.__dict__["_ganeti_writes_rows"] = (
            dropdown_template == ACTIONS_TEMPLATE
            and _own(ROW_TEMPLATE) and _own(ACTIONS_TEMPLATE))
    return found


def _text(value):
    """``value`` as the templates write it: Django's conditional escape as
    Horizon sets it (which also turns AngularJS's ``{$ $}`` into ``{% %}``,
    so that no name is read as an expression).

    Django's own functions take the same steps through lazy-string
    wrappers on every call; a page of rows makes thousands of calls.
    """
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value)).replace("{$", "{%").replace("$}", "%}")


def _attrs(attrs):
    """Django's ``flatatt`` (which Horizon's ``attr_string`` uses): the
    valued attributes sorted, then the true boolean ones, sorted.
    """
    valued = sorted((k, v) for k, v in attrs.items()
                    if v is not None and not isinstance(v, bool))
    flags = sorted(k for k, v in attrs.items() if v is True)
    return "".join([' %s="%s"' % (_text(k), _text(v)) for k, v in valued]
                   + [" %s" % _text(k) for k in flags])


def _cell(bound):
    if bound.inline_edit_available:
        return loader.render_to_string(CELL_TEMPLATE, {"cell": bound})
    if bound.wrap_list:
        return "<td%s><ul>%s</ul></td>" % (bound.attr_string,
                                           _text(bound.value))
    return "<td%s>%s</td>" % (bound.attr_string, _text(bound.value))


def row(bound):
    """A row, as ``_row.html`` renders it."""
    return mark_safe("<tr%s>%s</tr>" % (
        _attrs(bound.get_final_attrs()), "".join(_cell(cell) for cell in bound)))


def _action(bound, row_id, first, small):
    """One action, as ``_row_actions.html`` writes it."""
    if bound.method != "GET":
        classes = ["data-table-action"]
        if small:
            classes.append("btn-sm")
        classes += [_text(c) for c in bound.get_default_classes()]
        if bound.action_type:
            classes.append(_text("btn-%s" % bound.action_type))
        classes.append("btn")
        help_text = ' help_text="%s"' % _text(bound.help_text) \
            if bound.help_text else ""
        return ('<button%s class="%s" name="action"%s type="submit" '
                'value="%s__%s__%s"> %s</button>' % (
                    _attrs(bound.get_final_attrs(False)), " ".join(classes),
                    help_text, _text(bound.table.name), _text(bound.name),
                    _text(row_id), _text(bound.verbose_name)))
    classes = ["btn data-table-action"]
    if first:
        classes.append("btn-default")
        if small:
            classes.append("btn-sm")
    if bound.action_type == "danger":
        classes.append("btn-danger")
    classes.append(bound.get_final_css())
    return '<a%s class="%s" href="%s"> %s</a>' % (
        _attrs(bound.get_final_attrs(False)), " ".join(classes),
        _text(bound.bound_url), _text(bound.verbose_name))


def dropdown(actions, row_id):
    """A row's actions, as ``_row_actions.html`` renders them."""
    if len(actions) < 2:
        return mark_safe("".join(_action(a, row_id, True, False)
                                 for a in actions))
    parts = ['<div class="btn-group">',
             _action(actions[0], row_id, True, True), TOGGLE]
    parts += ["<li>%s</li>" % _action(a, row_id, False, False)
              for a in actions[1:]]
    parts.append("</ul></div>")
    return mark_safe("".join(parts))
