"""The instances table, its row updates and its actions, written once.

Admin > Ganeti > Instances and Project > Ganeti > Instances subclass
:class:`InstancesTable`; each says only its URL namespace, its scope and
the columns it adds. Every action reaches Ganeti through
``api.instances.act``, which checks the scope on every request.
"""

from urllib import parse

from django.http import Http404
from django.urls import reverse
from django.utils import functional
from django.utils import http
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models
from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import forms as instance_forms
from ganeti_dashboard.content.instances import markup
from ganeti_dashboard.content import rows

# Stands for the instance id in URLs reversed once per table (panel_url).
_ID_MARK = "ganeti-dashboard-id:placeholder"


def _rule(name):
    return access.rules("ganeti:instance:%s" % name)


def once_per_request(request, name, key, compute):
    """``compute()``, remembered on ``request`` under ``name`` and ``key``:
    for answers every row's actions ask for and no row changes."""
    memo = request.__dict__.setdefault("_ganeti_memo_" + name, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def writable(cluster, request):
    """False for a cluster configured read_only: its write actions hide.

    Once per cluster and request: each answer checks the configuration file.
    """
    return once_per_request(request, "writable", cluster,
                            lambda: _writable(cluster))


def _writable(cluster):
    from ganeti_dashboard.api import clusters
    try:
        config = clusters.settings().cluster(cluster)
    except Exception:
        return False
    return config is not None and not config.read_only


class PanelUrls:
    """A table whose actions open URLs of its panel (``url_namespace``)."""

    url_namespace = None  # e.g. "horizon:admin:ganeti_instances"

    def panel_url(self, name, *args):
        return reverse("%s:%s" % (self.url_namespace, name), args=args)


class InstanceTableMixin:
    """What actions need from their table: scope, URLs, cheap policy."""

    def _allowed(self, request, datum=None):
        rules = self.policy_rules
        if rules and not access.allowed(request, rules):
            return False
        self.policy_rules = ()
        try:
            return super()._allowed(request, datum)
        finally:
            self.policy_rules = rules

    def scope(self, request):
        return self.table.scope(request)

    def panel_url(self, name, *args):
        return self.table.panel_url(name, *args)


class ActionLink(InstanceTableMixin, tables.LinkAction):
    """A row action that opens a modal form of the panel."""

    classes = ("ajax-modal",)
    form = None  # action name in the panel's URLs

    def get_link_url(self, datum=None):
        return self.panel_url("action", datum.id, self.form)

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        return (instance.settled
                and writable(instance.cluster, request)
                and self.applies(instance))

    def applies(self, instance):
        return True


class ReportsGanetiErrors:
    """Horizon's bulk message says only "Unable to ...": add Ganeti's why.

    Also remembers its translated names: Horizon recomputes them for every
    row, and each lazy plural translation is a gettext call again.
    """

    _name_memo = {}

    def _get_action_name(self, items=None, past=False):
        key = (type(self), 1 if items is None else len(items), past,
               translation.get_language())
        if key not in self._name_memo:
            self._name_memo[key] = str(
                super()._get_action_name(items, past))
        return self._name_memo[key]

    def handle(self, table, request, obj_ids):
        # Every id first: one outside the scope is a 404 before any job.
        for obj_id in obj_ids:
            table.get_object_by_id(obj_id)
        self.failures = []
        response = super().handle(table, request, obj_ids)
        for obj_id, text in self.failures:
            messages.error(request, _("%(instance)s: %(error)s")
                           % {"instance": obj_id, "error": text})
        return response

    def recorded(self, obj_id, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except errors.RapiError as exc:
            self.failures.append((obj_id, str(exc)))
            raise


class JobBatchAction(ReportsGanetiErrors, InstanceTableMixin,
                     tables.BatchAction):
    """Runs one job per selected instance; Horizon combines the messages."""

    ganeti_action = None  # key of api.instances.ACTIONS
    options = {}

    def action(self, request, obj_id):
        self.recorded(obj_id, instance_api.act, request, self.scope(request),
                      obj_id, self.ganeti_action, **self.options)

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        return (instance.settled
                and writable(instance.cluster, request)
                and self.applies(instance))

    def applies(self, instance):
        return True


class StartInstance(JobBatchAction):
    name = "start"
    ganeti_action = "start"
    classes = ("btn-confirm",)
    policy_rules = _rule("start")
    help_text = _("Each instance is started by a Ganeti job of its own.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Start Instance", "Start Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Started job for instance",
                             "Started jobs for instances", count)

    def applies(self, instance):
        return instance.is_stopped


class StopInstance(JobBatchAction):
    name = "stop"
    ganeti_action = "shutdown"
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = _rule("shutdown")
    help_text = _("The instances are shut down (ACPI, then forced after "
                  "Ganeti's timeout).")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Shut Down Instance", "Shut Down Instances",
                             count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Started shutdown job for instance",
                             "Started shutdown jobs for instances", count)

    def applies(self, instance):
        return instance.is_running


class RebootInstance(JobBatchAction):
    name = "reboot"
    ganeti_action = "reboot"
    options = {"reboot_type": "soft"}
    classes = ("btn-danger",)
    action_type = "danger"
    policy_rules = _rule("reboot")
    help_text = _("A soft reboot of each instance.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Soft Reboot Instance", "Soft Reboot Instances",
                             count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Started reboot job for instance",
                             "Started reboot jobs for instances", count)

    def applies(self, instance):
        return instance.is_running


class DeleteInstance(ReportsGanetiErrors, InstanceTableMixin,
                     tables.DeleteAction):
    policy_rules = _rule("delete")
    help_text = _("Deleted instances and their disks cannot be recovered.")

    @staticmethod
    def action_present(count):
        return ngettext_lazy("Delete Instance", "Delete Instances", count)

    @staticmethod
    def action_past(count):
        return ngettext_lazy("Started delete job for instance",
                             "Started delete jobs for instances", count)

    def allowed(self, request, instance=None):
        return instance is None or (instance.settled
                                    and writable(instance.cluster, request))

    def delete(self, request, obj_id):
        self.recorded(obj_id, instance_api.act, request, self.scope(request),
                      obj_id, "delete")


class ShutdownLink(ActionLink):
    name = "shutdown"
    form = "shutdown"
    verbose_name = _("Shut Down...")
    policy_rules = instance_forms.FORMS["shutdown"].rules

    def applies(self, instance):
        return instance.is_running


class RebootLink(ActionLink):
    name = "reboot_form"
    form = "reboot"
    verbose_name = _("Reboot...")
    policy_rules = instance_forms.FORMS["reboot"].rules

    def applies(self, instance):
        return instance.is_running


class ReinstallLink(ActionLink):
    name = "reinstall"
    form = "reinstall"
    verbose_name = _("Reinstall...")
    policy_rules = instance_forms.FORMS["reinstall"].rules


class RenameLink(ActionLink):
    name = "rename"
    form = "rename"
    verbose_name = _("Rename...")
    policy_rules = instance_forms.FORMS["rename"].rules


class ResizeLink(ActionLink):
    name = "resize"
    form = "resize"
    verbose_name = _("Resize...")
    policy_rules = instance_forms.FORMS["resize"].rules


class _MoveLink(ActionLink):
    """Migrate and failover: disabled, with the reason, where they can't."""

    def allowed(self, request, instance=None):
        if instance is None:
            return True
        if not instance.settled or not writable(instance.cluster, request):
            return False
        movable, why = instance_api.can_move(instance)
        if not movable:
            self.classes = tuple(self.classes) + ("disabled",)
            self.verbose_name = "%s (%s)" % (self.base_name, why)
        return True

    def get_link_url(self, datum=None):
        movable, _ = instance_api.can_move(datum)
        return super().get_link_url(datum) if movable else "#"


class MigrateLink(_MoveLink):
    name = "migrate"
    form = "migrate"
    base_name = verbose_name = _("Migrate...")
    policy_rules = instance_forms.FORMS["migrate"].rules


class FailoverLink(_MoveLink):
    name = "failover"
    form = "failover"
    base_name = verbose_name = _("Fail Over...")
    policy_rules = instance_forms.FORMS["failover"].rules


class CreateLink(InstanceTableMixin, tables.LinkAction):
    name = "create"
    verbose_name = _("Create Instance")
    classes = ("ajax-modal",)
    icon = "plus"
    policy_rules = _rule("create")

    def get_link_url(self, datum=None):
        return self.panel_url("create")


class CreateFromInstance(ActionLink):
    """Opens the create workflow pre-filled from this instance."""

    name = "create_from"
    verbose_name = _("Create from this Instance")
    policy_rules = _rule("create")

    def get_link_url(self, datum=None):
        return self.panel_url("create") + "?" + parse.urlencode(
            {"from": datum.id})


class ServerFilter(tables.FilterAction):
    """Filters applied on the server, over every cluster, before paging."""

    filter_type = "server"
    filter_choices = (
        ("name", _("Name ="), True),
        ("cluster", _("Cluster ="), True),
        ("status", _("Status ="), True),
        ("node", _("Primary node ="), True),
    )


class UpdateRow(rows.RefreshedRow):
    """Rows of instances with a job of ours in flight poll until it ends.

    Written by :mod:`markup` rather than Horizon's row template, unless a
    cell is inline-editable (none is here; that template stays Horizon's).
    """

    model = models.Instance

    def render(self):
        if any(cell.inline_edit_available for cell in self):
            return super().render()
        return markup.row(self)

    def stand_in(self, request, cluster, name, why):
        """The instance as the cluster's snapshot last showed it, marked;
        none that the scope's snapshot does not list (nothing is said of
        an instance the user may not see)."""
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
        failed = instance_api.refresh_pending(instance)
        if failed:
            messages.error(request, _("Job on %(name)s failed: %(error)s")
                           % {"name": instance.name, "error": failed})
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


class _NameColumn(tables.WrappingColumn):
    """The name, linked to the instance's page by the table's memoized
    :meth:`InstancesTable.panel_url`: Horizon's column inspects the link
    function's signature and ``reverse()``s its URL again for every row."""

    def get_link_url(self, datum):
        return self.table.panel_url("detail", datum.id)


class InstancesTable(access.PolicyTable, PanelUrls, tables.DataTable):
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

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # Translated once for this request, not again by every row's copy
        # of every action (each lazy string costs a gettext per use).
        for action in self.base_actions.values():
            for attr in ("verbose_name", "base_name", "help_text"):
                value = getattr(action, attr, None)
                if isinstance(value, functional.Promise):
                    setattr(action, attr, str(value))

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

    # Pages are numbered (?page=N); the list view sets this request's page
    # on its table. Horizon's footer then shows "Prev" and "Next" only
    # (number_of_pages None): its numbered menu writes a link for every
    # page, thousands of them at the scale of real sites.
    pages = (1, 1)  # (this page, number of pages)
    number_of_pages = None

    def get_pagination_string(self):
        return "%s=%d" % (self._meta.pagination_param, self.pages[0] + 1)

    def get_prev_pagination_string(self):
        return "%s=%d" % (self._meta.pagination_param, self.pages[0] - 1)

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.name

    def get_object_by_id(self, lookup):
        # An id that is not in the (scoped) table is simply not found; no
        # hint that it may exist elsewhere.
        for datum in self.data:
            if datum.id == str(lookup):
                return datum
        raise Http404()

    def render_row_actions(self, datum, row=False):
        """Horizon's, with the dropdown written by :mod:`markup`.

        Horizon's templates for it are most of the table's time; the row
        of buttons (``row=True``, unused here) stays Horizon's.
        """
        if row:
            return super().render_row_actions(datum, row)
        return markup.dropdown(self.get_row_actions(datum),
                               self.get_object_id(datum))

    class Meta(object):
        name = "instances"
        verbose_name = _("Instances")
        status_columns = ["status"]
        row_class = UpdateRow
        cell_class = markup.Cell
        pagination_param = "page"
        table_actions = (ServerFilter, StartInstance, StopInstance,
                         RebootInstance, DeleteInstance)
        row_actions = (StartInstance, ShutdownLink, RebootLink, ReinstallLink,
                       RenameLink, ResizeLink, MigrateLink, FailoverLink,
                       DeleteInstance)


def _filter_value(value):
    return (value or "").strip().lower()


def filter_clusters(clusters, field, value):
    """The clusters whose instances a filter ``field = value`` can show:
    all of them, unless it filters on the cluster (as :func:`filter_rows`
    does)."""
    value = _filter_value(value)
    if field != "cluster" or not value:
        return clusters
    return [c for c in clusters if value in c.name.lower()]


def filter_rows(rows, field, value, project_names):
    """The listing rows (``(name, cluster, snapshot row)``) that the
    server-side filter ``field = value`` keeps (case-insensitive; a part
    of the text matches). ``project_names()`` gives ``{id: name}``, asked
    only for the project filter."""
    value = _filter_value(value)
    if not field or not value:
        return rows
    if field == "name":
        return [r for r in rows if value in r[0].lower()]
    if field == "cluster":
        return [r for r in rows if value in r[1].lower()]
    if field == "node":
        return [r for r in rows
                if value in (r[2][instance_api.PNODE] or "").lower()]
    if field == "status":
        def text(status):
            return ("%s %s" % (status, models.STATUS_LABELS.get(
                status, status))).lower()
        return [r for r in rows if value in text(r[2][instance_api.STATUS])]
    if field == "project":
        names = project_names()

        def project(row):
            owner = models.tag_value(row[instance_api.TAGS],
                                     models.OWNER_PROJECT_TAG)
            return ("%s %s" % (names.get(owner) or "",
                               owner or "unassigned")).lower()
        return [r for r in rows if value in project(r[2])]
    return rows
