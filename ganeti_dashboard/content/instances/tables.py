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

"""The instances table, its columns and its row updates, written once.

Admin > Ganeti > Instances and Project > Ganeti > Instances subclass
:class:`InstancesTable`; each says only its URL namespace, its scope and
the columns it adds. Its actions are in :mod:`actions`, its filter in
:mod:`filters`.
"""

from urllib import parse

from django.http import Http404
from django.template import loader
from django.urls import reverse
from django.utils import http
from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables
from horizon.tables import base as horizon_tables

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models
from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import actions
from ganeti_dashboard.content.instances import filters
from ganeti_dashboard.content.instances import row_writer
from ganeti_dashboard.content import paging
from ganeti_dashboard.content import rows
from ganeti_dashboard.content import sorting

# Stands for the instance id in URLs reversed once per table (panel_url).
_ID_MARK = "ganeti-dashboard-id:placeholder"
# The query parameter of the page number (Meta.pagination_param).
PAGE_PARAM = paging.PAGE_PARAM


class PanelUrls:
    """A table whose actions open URLs of its panel (``url_namespace``)."""

    url_namespace = None  # e.g. "horizon:admin:ganeti_instances"

    def panel_url(self, name, *args):
        return reverse("%s:%s" % (self.url_namespace, name), args=args)


class UpdateRow(rows.RefreshedRow):
    """Rows of instances with a job of ours in flight poll until it ends.

    Each renders :data:`template_path`, a template of the plugin's own, on
    the page and in each row update alike (Horizon's ``Row.render`` names
    its template in code); :mod:`row_writer` writes it while it is the
    plugin's own file.
    """

    model = models.Instance
    template_path = row_writer.ROW_TEMPLATE

    def render(self):
        if (self.template_path == row_writer.ROW_TEMPLATE
                and row_writer.writes(self.table)):
            return row_writer.row(self)
        return loader.render_to_string(self.template_path, {"row": self})

    def stand_in(self, request, cluster, name, why):
        """The instance as the cluster's snapshot last showed it, marked;
        none that the scope's snapshot does not list (nothing is said of
        an instance the user may not see).
        """
        scope = self.table.scope(request)
        instance = instance_api.last_known(scope, cluster, name) \
            if scope.has_cluster(cluster) else None
        if instance is None:
            raise Http404()
        instance.refresh_error = why
        return instance

    def get_data(self, request, obj_id):
        instance = super().get_data(request, obj_id)
        instance.table_namespace = self.table.url_namespace
        self.table.decorate(request, [instance])
        return instance

    def fetch(self, request, obj_id):
        scope = self.table.scope(request)
        instance = instance_api.get(scope, obj_id)
        had_job = bool(instance.pending)
        pending = dict(instance.pending or {})
        failed = instance_api.refresh_pending(instance)
        if failed:
            messages.error(request, _("Job on %(name)s failed: %(error)s")
                           % {"name": instance.name, "error": failed})
        if failed and pending.get("action") == "move" \
                and pending.get("destination"):
            # Measured on Ganeti 3.0.2: the import job waits 300 s for
            # data that never comes, then ends in success and keeps the
            # instance it made, started, empty.
            messages.warning(request, _(
                "The move of %(name)s failed, but Ganeti job %(job)s on "
                "%(cluster)s may still make the instance there, without "
                "its data: delete it on %(cluster)s once that job has "
                "ended.") % {"name": instance.name,
                             "job": pending.get("import_job"),
                             "cluster": pending["destination"]})
        if had_job and not instance.pending:
            # Read before the job ended: show the state it left instead.
            instance = instance_api.get(scope, obj_id)
        return instance


def _status(instance):
    return instance.status_label


def _memory(instance):
    return "-" if instance.memory is None else "%d MiB" % instance.memory


def _disk(instance):
    if not instance.disk_sizes:
        return "-"
    return "%.1f GiB" % (instance.disk_total / 1024.0)


def _ips(instance):
    return ", ".join(instance.ips) or "-"


def _detail_link(instance):
    return reverse("%s:detail" % instance.table_namespace,
                   args=[instance.id])


def _row_field(index, key=sorting.text):
    """The sort key of a listing row (``(name, cluster, snapshot row)``):
    ``key`` of its snapshot row's field ``index``.
    """
    return lambda listed: key(listed[2][index])


def _status_key(listed):
    """The status as the list shows it (its label), case-insensitive."""
    status = listed[2][instance_api.STATUS]
    return sorting.text(models.STATUS_LABELS.get(status, status))


def _number(value):
    return value


# The sortable columns and their keys, over the listing's rows (see
# paging.PagedTable.sort_keys): the page's models are built after.
SORT_KEYS = {
    "name": lambda listed: sorting.text(listed[0]),
    "cluster": lambda listed: sorting.text(listed[1]),
    "status": _status_key,
    "node": _row_field(instance_api.PNODE),
    "vcpus": _row_field(instance_api.VCPUS, _number),
    "memory": _row_field(instance_api.MAXMEM, _number),
}


class _Cell(horizon_tables.Cell):
    """Horizon's cell, its attributes written once per column and state.

    Horizon works out each cell's ``attr_string`` (the column's classes,
    the status class, Django's ``flatatt`` and its escaping) for every
    cell: a dozen a row. A cell with no attributes of its own (``attrs``:
    no tooltip, inline edit or ``cell_attributes_getter``, as in none of
    this table's columns) has the attributes of every other such cell of
    its column in the same state: linked or not, the column's classes then,
    its status class, its own classes. So Horizon works them out once per
    table and state, through its public cell API, and the templates and
    :mod:`row_writer` alike read them; the rows are those of Horizon's own
    cells (``tests/unit/test_instance_rows.py``).
    """

    @property
    def attr_string(self):
        if self.attrs:
            return super().attr_string
        column = self.column
        key = (column.name, bool(self.url), tuple(column.classes),
               column.status and self.get_status_class(self.status),
               self.inline_edit_available, tuple(self.classes))
        memo = column.table.__dict__.setdefault("_ganeti_cell_attrs", {})
        found = memo.get(key)
        if found is None:
            found = memo[key] = super().attr_string
        return found


class _NameColumn(tables.WrappingColumn):
    """The name, linked to the instance's page by the table's memoized
    :meth:`InstancesTable.panel_url`: Horizon's column inspects the link
    function's signature and ``reverse()``s its URL again for every row.
    """

    def get_link_url(self, datum):
        return self.table.panel_url("detail", datum.id)


class InstancesTable(access.RulesOncePerRequest, access.PolicyTable,
                     PanelUrls, paging.PagedTable, tables.DataTable):
    STATUS_CHOICES = (
        ("Running", True), ("Stopped", True), ("Offline", True),
        ("Shut down by its user", True),
    )

    name = _NameColumn("name", verbose_name=_("Name"), link=_detail_link)
    cluster = tables.Column("cluster", verbose_name=_("Cluster"))
    status = tables.Column(_status, verbose_name=_("Status"), status=True,
                           status_choices=STATUS_CHOICES)
    node = tables.Column("pnode", verbose_name=_("Node"))
    os = tables.Column("os", verbose_name=_("OS"))
    vcpus = tables.Column("vcpus", verbose_name=_("vCPUs"))
    memory = tables.Column(_memory, verbose_name=_("Memory"))
    disk = tables.Column(_disk, verbose_name=_("Disk"))
    ips = tables.Column(_ips, verbose_name=_("IP addresses"))

    def panel_url(self, name, *args):
        """``reverse()`` of a URL of the panel, once per table and name.

        Twenty rows ask for eight URLs each, and every ``reverse()`` walks
        the resolver again. An instance id as first argument goes into a
        URL reversed once with a placeholder, quoted as ``reverse()``
        quotes it; an id that the URL pattern (``cluster:name``, no ``/``)
        would refuse is left to ``reverse()`` itself.
        """
        obj_id = str(args[0]) if args else ""
        cluster, _sep, instance = obj_id.partition(":")
        if args and not (cluster and instance and "/" not in obj_id):
            return super().panel_url(name, *args)
        memo = self.__dict__.setdefault("_url_memo", {})
        key = (name,) + tuple(args[1:]) if args else (name, None)
        if key not in memo:
            memo[key] = super().panel_url(
                name, *((_ID_MARK,) + tuple(args[1:]) if args else ()))
        if not args:
            return memo[key]
        return memo[key].replace(_ID_MARK, parse.quote(
            obj_id, safe=http.RFC3986_SUBDELIMS + "/~:@"))

    def scope(self, request):
        raise NotImplementedError

    @classmethod
    def decorate(cls, request, instances):
        """Hook: add what rows need besides RAPI data (e.g. names)."""

    @classmethod
    def project_names(cls, request):
        """Hook: ``{project id: name}`` for the project filter."""
        return {}

    # The listing's order (api.instances.sort_key), the same on every page.
    order = paging.ORDER_BY_NAME
    sort_keys = SORT_KEYS
    default_sort = "name"

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.name

    def get_empty_message(self):
        """What to do when the page has no instance: clear the filter, or
        what the panel's scope needs (:meth:`empty_scope_message`).
        """
        if self.get_filter_string():
            return _("No instance matches the filter: change or clear it.")
        return self.empty_scope_message()

    def empty_scope_message(self):
        return self._meta.no_data_message

    def get_object_by_id(self, lookup):
        # An id that is not in the (scoped) table is simply not found; no
        # hint that it may exist elsewhere.
        for datum in self.data:
            if datum.id == str(lookup):
                return datum
        raise Http404()

    def render_row_actions(self, datum, row=False):
        """Horizon's, written by :mod:`row_writer` while its template is ours."""
        if row or not row_writer.writes(self):
            return super().render_row_actions(datum, row)
        return row_writer.dropdown(self.get_row_actions(datum),
                                   self.get_object_id(datum))

    class Meta(object):
        name = "instances"
        verbose_name = _("Instances")
        status_columns = ["status"]
        row_class = UpdateRow
        cell_class = _Cell
        row_actions_dropdown_template = row_writer.ACTIONS_TEMPLATE
        no_data_message = _("No instances yet. Instances made here or with "
                            "the Ganeti CLI (gnt-instance add) show here.")
        pagination_param = PAGE_PARAM
        template = paging.TEMPLATE
        footer = False  # the paged template writes the count and links
        table_actions = (filters.ServerFilter, actions.StartInstance,
                         actions.StopInstance, actions.RebootInstance,
                         actions.DeleteInstance)
        row_actions = (actions.StartInstance, actions.ShutdownLink,
                       actions.RebootLink, actions.ReinstallLink,
                       actions.RenameLink, actions.ResizeLink,
                       actions.MigrateLink, actions.FailoverLink,
                       actions.ExportLink, actions.MoveClusterLink,
                       actions.DeleteInstance)
