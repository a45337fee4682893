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

"""The instances table's rows, as a user (and Horizon's scripts) sees them.

Each row is the plugin's template ``ganeti_dashboard/instances/_row.html``
with its actions from ``_row_actions.html`` (``content.instances.row_writer``
writes the same markup in Python while those templates are the plugin's
own). These tests read the rendered pages: the cells of every kind of row,
the actions each row offers to each role, the selection boxes of the bulk
actions, the rows that poll their job; that the Python-written rows are the
templates' markup and the templates Horizon's own (checked against Horizon
27.0.0: a Horizon that changes its markup fails here); and that a template
of the same name earlier in the template directories is used instead.
"""

import html.parser
import os
import re
import shutil
import tempfile

from unittest import mock
from urllib import parse

from django.conf import settings
from django.template import loader
from django.test import utils as test_utils
from django.urls import NoReverseMatch
from django.urls import reverse
from django.utils import html as html_utils
from django.utils import translation

from horizon.tables import base as horizon_tables

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.content.instances import actions as instance_actions
from ganeti_dashboard.content.instances import row_writer
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance
from tests.unit.test_admin_instances import AJAX
from tests.unit.test_admin_instances import fake_ganeti
from tests.unit.test_admin_instances import INDEX_URL

PROJECT_URL = reverse("horizon:project:ganeti_instances:index")
HOSTILE = "x<b>\"'&{$7*7$}.alpha"
# Non-ASCII, with markup characters too.
UNICODE = "\u00fcber-\u540d\u524d<i>&\u00df.alpha"
ROWS = {
    "alpha": [
        _instance("running.alpha", "p-demo"),
        _instance("stopped.alpha", "p-demo", status="ADMIN_down"),
        _instance("pending.alpha", "p-demo"),
        _instance("plain.alpha", "p-demo", disk_template="plain",
                  **{"disk.sizes": [2048]}),
        _instance(HOSTILE, "p-demo"),
        _instance(UNICODE, "p-demo"),
    ],
    "beta": [_instance("readonly.beta", "p-demo")],
}
READ_ONLY_BETA = helpers.TWO_CLUSTERS.replace(
    "rapi_password = secret-beta",
    "rapi_password = secret-beta\nread_only = true")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                   r"[0-9a-f]{12}")
# What each row of a running, settled instance offers an operator.
# Horizon's escape turns Angular's {$ $} into {% %}, in ids too.
SHOWN = HOSTILE.replace("{$", "{%").replace("$}", "%}")
IDS = ["alpha:creating.alpha", "alpha:pending.alpha", "alpha:plain.alpha",
       "beta:readonly.beta", "alpha:running.alpha", "alpha:stopped.alpha",
       "alpha:" + HOSTILE, "alpha:" + UNICODE]
ROW_COUNT = len(IDS)
# A diskless instance has nothing to reinstall, and a running one cannot
# be renamed: those stay in the menu, disabled, saying why.
NO_DISKS = "Reinstall... (it has no disks to reinstall)"
NO_EXPORT = "Export... (it has no disks to export)"
NO_MOVE = "Move to Cluster... (it has no disks to export)"
RUNNING_ACTIONS = ["Shut Down...", "Reboot...", NO_DISKS,
                   "Rename... (it must be shut down first)",
                   "Resize...", "Migrate...", "Fail Over...", NO_EXPORT,
                   NO_MOVE, "Assign Project...", "Delete Instance"]
# Stopped: Start instead of Shut Down and Reboot; renamed, not migrated.
STOPPED_ACTIONS = ["Start Instance", NO_DISKS, "Rename...", "Resize...",
                   "Migrate... (it is not running: fail it over instead)",
                   "Fail Over...", NO_EXPORT, NO_MOVE,
                   "Assign Project...", "Delete Instance"]


class _Rows(html.parser.HTMLParser):
    """The rows of table ``#instances``, by ``data-object-id``.

    Each: the row's attributes, its cells (attributes, text, links,
    inputs) and the labels of the actions in its last cell.
    """

    def __init__(self, anywhere=False):
        super().__init__()
        self.rows = {}
        self.table, self.row, self.cell = anywhere, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "instances":
            self.table = True
        if not self.table:
            return
        if tag == "tr" and "data-object-id" in attrs:
            self.row = self.rows[attrs["data-object-id"]] = {
                "attrs": attrs, "cells": []}
        elif tag == "td" and self.row is not None:
            self.cell = {"attrs": attrs, "text": "", "links": [],
                         "inputs": [], "labels": [], "actions": []}
            self.row["cells"].append(self.cell)
        elif self.cell is not None:
            if tag == "a":
                self.cell["links"].append(attrs)
            elif tag == "input":
                self.cell["inputs"].append(attrs)
            elif tag == "label":
                self.cell["labels"].append(attrs)
            if tag in ("a", "button") and "data-table-action" in attrs.get(
                    "class", ""):
                self.cell["actions"].append(dict(attrs, label=""))

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "table":
            self.table = False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
            if self.cell["actions"]:
                self.cell["actions"][-1]["label"] += data


def rows_of(res, anywhere=False):
    parser = _Rows(anywhere)
    parser.feed(res.content.decode())
    for row in parser.rows.values():
        row["texts"] = [c["text"].strip() for c in row["cells"]]
        row["actions"] = [dict(a, label=a["label"].strip())
                          for a in row["cells"][-1]["actions"]]
    return parser.rows


def labels(row):
    return [a["label"] for a in row["actions"]]


def classes(attrs):
    return set(attrs.get("class", "").split())


def _ids_numbered(text):
    """Horizon gives each checkbox a random id: number them in order."""
    seen = {}
    return _UUID.sub(lambda m: "id-%d" % seen.setdefault(m.group(),
                                                         len(seen)), text)


def _spaces_around_tags_dropped(text):
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", text)


def _comparable(page):
    """A rendered table with its random parts numbered or blanked.

    Horizon's checkbox ids, and the CSRF token Django masks anew each time.
    """
    page = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"',
                  page)
    return _ids_numbered(_spaces_around_tags_dropped(page))


class _Page(test.BaseAdminViewTests):
    """Every kind of row of the list, from the fake Ganeti's snapshots.

    Running, stopped, with a job of ours, being created, unmovable, with a
    hostile name, on a read-only cluster.
    """

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
        fake = fake_ganeti(ROWS, READ_ONLY_BETA)
        for cluster in ROWS:
            fake[cluster].add_node("node1")
        self.fake = fake.install(self)
        conf = helpers.config_file(READ_ONLY_BETA)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)


class RowsTests(_Page):

    def test_each_row_shows_its_instance(self):
        res = self.client.get(INDEX_URL)
        rows = rows_of(res)
        self.assertEqual(ROW_COUNT, len(rows))
        running = rows["alpha:running.alpha"]
        # Selection box, then the columns in their order (browser tests
        # read the cluster from the third cell).
        self.assertEqual(["", "running.alpha", "alpha", "demo", "Running",
                          "node1", "noop", "1", "128 MiB", "-", "10.0.0.5"],
                         running["texts"][:-1])
        self.assertEqual(
            [{"href": reverse("horizon:admin:ganeti_instances:detail",
                              args=["alpha:running.alpha"])}],
            running["cells"][1]["links"])
        self.assertIn("status_up", classes(running["cells"][4]["attrs"]))
        self.assertIn("status_up", classes(running["attrs"]))
        stopped = rows["alpha:stopped.alpha"]
        self.assertEqual("Stopped", stopped["texts"][4])
        self.assertEqual("2.0 GiB", rows["alpha:plain.alpha"]["texts"][9])
        creating = rows["alpha:creating.alpha"]
        self.assertEqual(["creating.alpha", "alpha", "demo"],
                         creating["texts"][1:4])
        self.assertEqual("256 MiB", creating["texts"][8])

    def test_hostile_name_is_text(self):
        res = self.client.get(INDEX_URL)
        content = res.content.decode()
        row = rows_of(res)["alpha:" + SHOWN]
        self.assertEqual(SHOWN, row["texts"][1])
        self.assertNotIn("<b>\"'&", content)
        self.assertNotIn("{$7*7$}", content)
        row = rows_of(res)["alpha:" + UNICODE]
        self.assertEqual(UNICODE, row["texts"][1])
        self.assertNotIn("<i>&", content)

    def test_rows_carry_what_horizons_scripts_need(self):
        rows = rows_of(self.client.get(INDEX_URL))
        self.assertEqual(len(IDS), len(rows))
        for obj_id in IDS:
            row = rows[obj_id.replace(HOSTILE, SHOWN)]
            attrs = row["attrs"]
            self.assertEqual("instances__row__" + obj_id.replace(
                HOSTILE, SHOWN), attrs["id"])
            # Horizon escapes the name once more than the page shows it.
            self.assertEqual(html_utils.escape(obj_id.partition(":")[2]),
                             attrs["data-display"])
            self.assertIn("ajax-update", classes(attrs))
            self.assertEqual("%s?%s" % (INDEX_URL, parse.urlencode([
                ("action", "row_update"), ("table", "instances"),
                ("obj_id", obj_id)])), attrs["data-update-url"])
            self.assertIn("data-update-interval", attrs)
            self.assertIn("actions_column", classes(row["cells"][-1]["attrs"]))
        # A row with a job of ours in flight (or being created) polls
        # until it ends: Horizon's script polls "warning" rows.
        for polling in ("alpha:pending.alpha", "alpha:creating.alpha"):
            self.assertIn("warning", classes(rows[polling]["attrs"]))
        self.assertIn("status_up",
                      classes(rows["alpha:running.alpha"]["attrs"]))

    def test_every_row_has_one_selection_box_for_the_bulk_actions(self):
        res = self.client.get(INDEX_URL)
        rows = rows_of(res)
        ids = set()
        for obj_id, row in rows.items():
            box = row["cells"][0]
            self.assertIn("multi_select_column", classes(box["attrs"]))
            self.assertEqual(1, len(box["inputs"]), obj_id)
            field = box["inputs"][0]
            self.assertEqual(("checkbox", "object_ids", obj_id),
                             (field["type"], field["name"], field["value"]))
            self.assertIn("table-row-multi-select", classes(field))
            # Horizon's theme hides the input behind its label.
            self.assertEqual([{"for": field["id"]}], box["labels"])
            ids.add(field["id"])
        self.assertEqual(len(rows), len(ids))
        content = res.content.decode()
        for bulk in ("start", "stop", "reboot", "assign_owner_many",
                     "delete"):
            self.assertIn('id="instances__action_%s"' % bulk, content)

    def test_bulk_action_posts_the_selected_rows(self):
        res = self.client.post(INDEX_URL, {
            "action": "instances__stop",
            "object_ids": ["alpha:running.alpha"]})
        self.assertEqual(302, res.status_code)
        self.assertEqual(["/2/instances/running.alpha/shutdown"],
                         [w.path for w in self.fake.writes()])

    def test_row_update_answers_the_pages_row(self):
        page = rows_of(self.client.get(INDEX_URL))
        for obj_id in ("alpha:running.alpha", "alpha:stopped.alpha"):
            res = self.client.get(INDEX_URL, {
                "action": "row_update", "table": "instances",
                "obj_id": obj_id}, **AJAX)
            self.assertEqual(200, res.status_code)
            self.assertTrue(res.content.decode().startswith("<tr"))
            updated = rows_of(res, anywhere=True)[obj_id]
            for row in (updated, page[obj_id]):
                # The selection box has a new random id in each answer.
                del row["cells"][0]["inputs"][0]["id"]
                row["cells"][0]["labels"] = []
            self.assertEqual(page[obj_id], updated)


class ActionsTests(_Page):
    """Which actions each row offers, by its state and the user's role."""

    def test_operator_sees_the_actions_each_row_allows(self):
        rows = rows_of(self.client.get(INDEX_URL))
        self.assertEqual(RUNNING_ACTIONS,
                         labels(rows["alpha:running.alpha"]))
        # Shut down and reboot only what runs, start only what does not.
        self.assertEqual(STOPPED_ACTIONS,
                         labels(rows["alpha:stopped.alpha"]))
        # A job of ours in flight, an instance being created, a cluster
        # configured read-only: nothing to do on those rows.
        for busy in ("alpha:pending.alpha", "alpha:creating.alpha",
                     "beta:readonly.beta"):
            self.assertEqual([], labels(rows[busy]), busy)

    def test_first_action_is_a_button_the_others_a_dropdown(self):
        rows = rows_of(self.client.get(INDEX_URL))
        first, *others = rows["alpha:running.alpha"]["actions"]
        self.assertEqual({"btn", "btn-default", "btn-sm", "ajax-modal",
                          "data-table-action"}, classes(first))
        self.assertEqual(
            reverse("horizon:admin:ganeti_instances:action",
                    args=["alpha:running.alpha", "shutdown"]),
            first["href"])
        delete = others[-1]
        self.assertEqual("instances__delete__alpha:running.alpha",
                         delete["value"])
        self.assertEqual("action", delete["name"])
        self.assertIn("btn-danger", classes(delete))
        self.assertIn("help_text", delete)

    def test_unmovable_instance_says_why_it_cannot_move(self):
        rows = rows_of(self.client.get(INDEX_URL))
        migrate = [a for a in rows["alpha:plain.alpha"]["actions"]
                   if a["label"].startswith("Migrate...")][0]
        self.assertIn("disabled", classes(migrate))
        self.assertEqual("#", migrate["href"])
        self.assertIn("(", migrate["label"])

    def test_batch_action_names_are_in_each_requests_language(self):
        # The names are translated while each request renders, in its
        # language: the first request's language does not stay.
        def tagged(singular, plural, count):
            return "%s:%s" % (translation.get_language(),
                              singular if count == 1 else plural)

        with mock.patch.object(instance_actions, "ngettext", tagged):
            for language in ("de", "fr", "de"):
                content = self.client.get(
                    INDEX_URL, HTTP_ACCEPT_LANGUAGE=language
                ).content.decode()
                other = "fr" if language == "de" else "de"
                self.assertIn("%s:Delete Instance<" % language, content)
                self.assertIn("%s:Start Instances" % language, content)
                self.assertNotIn("%s:" % other, content)

    def test_each_action_rule_is_checked_once_per_page(self):
        from openstack_auth import policy
        checked = []

        def counting(rules, request, target=None):
            checked.append(tuple(rules))
            return real(rules, request, target)

        real = policy.check
        with mock.patch.object(policy, "check", counting):
            res = self.client.get(INDEX_URL)
        meta = res.context["table"]._meta
        action_rules = {tuple(a.policy_rules)
                        for a in meta.table_actions + meta.row_actions
                        if getattr(a, "policy_rules", None)}
        ours = [r for r in checked if r in action_rules]
        self.assertEqual(sorted(action_rules), sorted(ours))


class ProjectRolesTests(test.TestCase):
    """A member acts on the project's instances; a reader only sees them."""

    def setUp(self):
        super().setUp()
        own = self.tenant.id
        fake_ganeti({"alpha": [
            _instance("up.alpha", own),
            _instance("down.alpha", own, status="ADMIN_down")]}).install(self)
        patcher = mock.patch.object(keystone_api, "clusters_of_project",
                                    return_value={"alpha"})
        patcher.start()
        self.addCleanup(patcher.stop)
        conf = helpers.config_file(helpers.TWO_CLUSTERS)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)

    def test_member_acts_on_own_instances(self):
        res = self.client.get(PROJECT_URL)
        rows = rows_of(res)
        # Migrate and fail over are the operators' (ganeti:instance:*).
        self.assertEqual(
            RUNNING_ACTIONS[:5] + ["Create from this Instance",
                                   "Delete Instance"],
            labels(rows["alpha:up.alpha"]))
        self.assertEqual("Start Instance",
                         labels(rows["alpha:down.alpha"])[0])
        content = res.content.decode()
        self.assertIn('id="instances__action_create"', content)
        self.assertNotIn("assign_owner", content)
        self.assertTrue(all(r["cells"][0]["inputs"] for r in rows.values()))

    def test_reader_sees_rows_without_actions_or_selection(self):
        helpers.become_reader(self)
        res = self.client.get(PROJECT_URL)
        rows = rows_of(res)
        self.assertEqual({"alpha:up.alpha", "alpha:down.alpha"}, set(rows))
        for row in rows.values():
            self.assertEqual([], row["actions"])
            self.assertEqual("Running" if row is rows["alpha:up.alpha"]
                             else "Stopped", row["texts"][3])
            # No bulk action: Horizon hides the selection column.
            self.assertIn("hidden", classes(row["cells"][0]["attrs"]))
        content = res.content.decode()
        for bulk in ("create", "start", "stop", "reboot", "delete"):
            self.assertNotIn('id="instances__action_%s"' % bulk, content)


class MarkupTests(_Page):
    """The rows written in Python are the templates' markup.

    And the templates are Horizon 27.0.0's own: a Horizon that changes its
    markup fails here, not on the page.
    """

    def _table(self):
        res = self.client.get(INDEX_URL)
        table = res.context["table"]
        self.assertTrue(row_writer.writes(table))
        return table

    def test_written_rows_are_the_row_template(self):
        table = self._table()
        rows = table.get_rows()
        self.assertEqual(ROW_COUNT, len(rows))
        for row in rows:
            self.assertEqual(
                loader.render_to_string(row_writer.ROW_TEMPLATE,
                                        {"row": row}).strip(),
                row_writer.row(row), row.id)

    def test_written_table_is_the_templates_table(self):
        # The whole table of a page of every kind of row: written, then
        # from the templates alone.
        table = self._table()
        written = table.render()
        again = type(table)(table.request, data=table.data)
        with mock.patch.object(row_writer, "writes", return_value=False):
            rendered = again.render()
        self.assertEqual(ROW_COUNT, written.count(" data-object-id="))
        for text in (SHOWN, UNICODE):
            self.assertIn(html_utils.escape(text), written)
        self.assertEqual(_comparable(rendered), _comparable(written))

    def test_written_dropdowns_are_the_actions_template(self):
        table = self._table()
        template = loader.get_template(row_writer.ACTIONS_TEMPLATE)
        kinds = set()
        for datum in table.data:
            actions = table.get_row_actions(datum)
            kinds |= {(a.method, a.action_type,
                       "disabled" in a.get_final_css()) for a in actions}
            # The full dropdown, a single action, and none.
            for shown in (actions, actions[:1], []):
                self.assertEqual(
                    template.render({"row_actions": shown,
                                     "row_id": datum.id}).strip(),
                    row_writer.dropdown(shown, datum.id), datum.id)
        # Links and buttons, danger and not, a disabled move: all covered.
        self.assertLessEqual({("GET", "default", True),
                              ("GET", "default", False),
                              ("POST", "danger", False),
                              ("POST", "default", False)}, kinds)

    def test_row_template_is_horizons_row(self):
        table = self._table()
        ours = [loader.render_to_string(row_writer.ROW_TEMPLATE, {"row": r})
                for r in table.get_rows()]
        # Horizon's own row template, with Horizon's own cells.
        with mock.patch.object(table._meta, "cell_class",
                               horizon_tables.Cell), \
                mock.patch.object(table._meta, "row_actions_dropdown_template",
                                  "horizon/common/"
                                  "_data_table_row_actions_dropdown.html"), \
                mock.patch.object(row_writer, "writes", return_value=False):
            horizons = [loader.render_to_string(
                "horizon/common/_data_table_row.html", {"row": r})
                for r in table.get_rows()]
        self.assertEqual(ROW_COUNT, len(ours))
        for mine, theirs in zip(ours, horizons):
            self.assertEqual(
                _ids_numbered(_spaces_around_tags_dropped(theirs)),
                _ids_numbered(_spaces_around_tags_dropped(mine)))

    def test_actions_template_is_horizons_dropdown(self):
        table = self._table()
        ours = loader.get_template(row_writer.ACTIONS_TEMPLATE)
        horizons = loader.get_template(
            "horizon/common/_data_table_row_actions_dropdown.html")
        for datum in table.data:
            actions = table.get_row_actions(datum)
            for shown in (actions, actions[:1], []):
                context = {"row_actions": shown, "row_id": datum.id}
                self.assertEqual(horizons.render(context).strip(),
                                 ours.render(context).strip(), datum.id)

    def test_urls_reversed_once_are_reverses(self):
        table = self._table()
        ids = [d.id for d in table.data] + [
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
        for datum in table.data:
            self.assertEqual(
                reverse(namespace + ":detail", args=[datum.id]),
                table.columns["name"].get_link_url(datum))
        for refused in ("a/b:c", ":b", "a:", "ab"):
            with self.assertRaises(NoReverseMatch):
                table.panel_url("action", refused, "shutdown")


def _with_templates(directory):
    """The unit-test TEMPLATES with ``directory`` first."""
    engine = dict(settings.TEMPLATES[0])
    engine["DIRS"] = [directory] + list(engine.get("DIRS") or [])
    return test_utils.override_settings(TEMPLATES=[engine])


class OverrideTests(_Page):
    """A template of the same name earlier in the template directories.

    A theme's or an operator's: it renders the rows instead of the
    plugin's.
    """

    ROW = ('<tr class="themed-row" data-object-id="{{ row.datum.id }}">'
           '{% for cell in row %}<td>{{ cell.value }}</td>{% endfor %}</tr>')
    ACTIONS = ('<span class="themed-actions">{% for action in row_actions %}'
               '{{ action.name }};{% endfor %}</span>')

    def setUp(self):
        super().setUp()
        self.directory = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.directory)

    def _write(self, name, text):
        path = os.path.join(self.directory, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)

    def test_a_row_template_earlier_in_the_dirs_renders_the_rows(self):
        self._write(row_writer.ROW_TEMPLATE, self.ROW)
        with _with_templates(self.directory):
            res = self.client.get(INDEX_URL)
            update = self.client.get(INDEX_URL, {
                "action": "row_update", "table": "instances",
                "obj_id": "alpha:running.alpha"}, **AJAX)
        content = res.content.decode()
        self.assertEqual(ROW_COUNT, content.count('<tr class="themed-row"'))
        self.assertIn('data-object-id="alpha:running.alpha"', content)
        self.assertIn("Shut Down...", content)  # Actions: the plugin's.
        self.assertTrue(update.content.decode().startswith(
            '<tr class="themed-row" data-object-id="alpha:running.alpha">'))
        self.assertFalse(row_writer.writes(res.context["table"]))

    def test_an_actions_template_earlier_in_the_dirs_renders_them(self):
        self._write(row_writer.ACTIONS_TEMPLATE, self.ACTIONS)
        with _with_templates(self.directory):
            res = self.client.get(INDEX_URL)
            detail = self.client.get(reverse(
                "horizon:admin:ganeti_instances:detail",
                args=["alpha:running.alpha"]))
        content = res.content.decode()
        self.assertIn('<span class="themed-actions">shutdown;reboot_form;',
                      content)
        self.assertNotIn("dropdown-toggle", content.split(
            "<tbody>")[1].split("</tbody>")[0])
        self.assertEqual(ROW_COUNT, len(rows_of(res)))
        self.assertIn('<span class="themed-actions">shutdown;',
                      detail.content.decode())

    def test_a_themes_templates_render_the_rows(self):
        # Horizon's theme loader looks in <theme>/templates first.
        self._write(os.path.join("templates", row_writer.ROW_TEMPLATE), self.ROW)
        self._write(os.path.join("templates", row_writer.ACTIONS_TEMPLATE),
                    self.ACTIONS)
        res = self.client.get(INDEX_URL)
        table = res.context["table"]
        engine = dict(settings.TEMPLATES[0])
        engine["OPTIONS"] = dict(engine["OPTIONS"], loaders=[
            "horizon.themes.ThemeTemplateLoader"] + list(
                engine["OPTIONS"]["loaders"]))
        with test_utils.override_settings(
                TEMPLATES=[engine], DEFAULT_THEME="ganeti-test",
                AVAILABLE_THEMES=[("ganeti-test", "Test", self.directory)]):
            themed = type(table)(res.wsgi_request, data=table.data)
            content = themed.render()
            self.assertFalse(row_writer.writes(themed))
        self.assertEqual(ROW_COUNT, content.count('<tr class="themed-row"'))
        self.assertIn('<span class="themed-actions">shutdown;', content)

    def test_without_overrides_the_rows_are_written(self):
        res = self.client.get(INDEX_URL)
        self.assertTrue(row_writer.writes(res.context["table"]))
