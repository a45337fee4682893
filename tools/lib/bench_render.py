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

"""What Horizon spends on the instances list, from fixed data in memory.

Prints figures, asserts nothing; needs no stack, no root, no network::

    PYTHONPATH=. python tools/lib/bench_render.py [--instances 5000]
        [--rows 50 200] [--rounds 30] [--templates]
        [--query sort=memory&dir=desc]

Each of the unit tests' two clusters (alpha, beta) holds ``--instances``
instances, in a snapshot handed to the list in memory (``snapshots.read``
is mocked: no RAPI, no cache round trip for the snapshot itself). For
each page size ``--rows``, as Horizon's test admin (Django's test client,
the unit-test settings):

- ``page``: Admin > Ganeti > Instances, the whole response (middleware,
  navigation, filter and paging over every snapshot row, the table);
- ``table``: the page's table alone, a new one each round (header, rows
  with their actions and checkboxes, footer);
- ``rows``: the rows alone (``Row.render`` of each, actions included).

With ``--query`` the page is asked with that query string: e.g. a column's
order (``content/sorting.py``), which sorts every row before the page is
cut.

With ``--templates`` the rows are rendered from the plugin's row templates
even where ``content/instances/row_writer.py`` would write them in Python:
what that module is worth is the difference.

CPU time of this thread (so that other work on the machine counts less),
in ms: the median and the fastest of ``--rounds``, after a warm-up round
(on a busy machine the fastest is the steadier figure). Templates are
loaded as a site with ``DEBUG = False`` loads them (Horizon's theme
loader, then Django's cached loader), not as the unit-test settings do
(every template read from disk again), and django-compressor's tags pass
their content through (a real site compresses offline; the unit-test
settings compress on every page, reading every script's modification
time), so that the figures are those of a real site.
"""

import argparse
import os
import statistics
import sys
import time
import unittest
from unittest import mock

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)
os.environ.setdefault("DJANGO_SETTINGS_MODULE",
                      "ganeti_dashboard.test.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import utils as test_utils  # noqa: E402
from django.urls import reverse  # noqa: E402

from openstack_dashboard.test import helpers as test  # noqa: E402

from ganeti_dashboard.api import instances as instance_api  # noqa: E402
from ganeti_dashboard.api import keystone as keystone_api  # noqa: E402
from ganeti_dashboard.api import scope as scope_api  # noqa: E402
from ganeti_dashboard.api import snapshots  # noqa: E402
from ganeti_dashboard.content.admin.instances import tables  # noqa: E402
from ganeti_dashboard.test import helpers  # noqa: E402

INDEX_URL = reverse("horizon:admin:ganeti_instances:index")
URL = INDEX_URL  # with --query
PROJECTS = {"p-%d" % i: "project %d" % i for i in range(20)}
OPTIONS = {}


def _templates():
    """The unit-test TEMPLATES, loaded as a site with DEBUG off loads them."""
    engine = dict(settings.TEMPLATES[0])
    options = dict(engine["OPTIONS"])
    options["loaders"] = [
        "horizon.themes.ThemeTemplateLoader",
        ("django.template.loaders.cached.Loader", [
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
            "horizon.loaders.TemplateLoader"])]
    options["debug"] = False
    engine["OPTIONS"] = options
    return [engine]


def _rows(cluster, count):
    """``count`` snapshot rows of ``cluster``, sorted as a snapshot is.

    Running and stopped, owned and not, movable and not.
    """
    rows = []
    for i in range(count):
        data = {
            "name": "vm%05d.%s" % (i, cluster),
            "status": ("running", "ADMIN_down", "ERROR_down")[i % 3],
            "admin_state": "up" if i % 3 == 0 else "down",
            "pnode": "node%d.%s" % (i % 4, cluster),
            "snodes": ["node%d.%s" % ((i + 1) % 4, cluster)]
            if i % 2 else [],
            "os": "debootstrap+default",
            "tags": ["openstack:project:p-%d" % (i % 25)],
            "disk_template": ("drbd", "plain", "diskless")[i % 3],
            "be/vcpus": 1 + i % 4, "be/maxmem": 512 * (1 + i % 8),
            "disk.sizes": [10240] if i % 3 != 2 else [],
            "nic.ips": ["10.%d.%d.%d" % (i // 65536, i // 256 % 256,
                                         i % 256)],
            "disk_usage": 10240,
        }
        rows.append(tuple(data[f] for f in instance_api.FIELDS))
    return sorted(rows)


class Bench(test.BaseAdminViewTests):

    def runTest(self):
        count = OPTIONS["instances"]
        data = {name: _rows(name, count) for name in ("alpha", "beta")}

        def read(cluster_configs, kind_name):
            assert kind_name == instance_api.SNAPSHOT.name
            return {c.name: snapshots.Snapshot(
                c.name, kind_name, data=data[c.name], generation="bench",
                taken=time.time()) for c in cluster_configs}

        with mock.patch.object(snapshots, "read", read), \
                mock.patch.object(keystone_api, "project_names",
                                  return_value=PROJECTS), \
                helpers.config_file(helpers.TWO_CLUSTERS), \
                test_utils.override_settings(TEMPLATES=_templates(),
                                             COMPRESS_ENABLED=False,
                                             ALLOWED_HOSTS=["testserver"]):
            print("instances per cluster: %d (2 clusters); %d rounds, CPU "
                  "ms; %s" % (count, OPTIONS["rounds"], URL))
            print("%6s  %15s  %15s  %15s" % ("", "page", "table", "rows"))
            print("%6s  %s" % ("rows", "  median     min" * 3))
            for size in OPTIONS["rows"]:
                with test_utils.override_settings(API_RESULT_PAGE_SIZE=size):
                    self._measure(size)

    def _table(self, shown):
        request = self.factory.get(URL)
        request.session = {}
        tables.AdminInstancesTable.decorate(request, shown)
        return tables.AdminInstancesTable(request, data=shown)

    def _measure(self, size):
        page, table, rows = [], [], []
        res = None
        for i in range(OPTIONS["rounds"] + 1):
            started = time.thread_time()
            res = self.client.get(URL)
            took = time.thread_time() - started
            assert res.status_code == 200, res.status_code
            if i:
                page.append(took)
        assert res.content.count(b"data-object-id=") == size, "short page"
        found = instance_api.listing(scope_api.ALL)
        shown = found.instances(found.rows[:size])
        for i in range(OPTIONS["rounds"] + 1):
            # A new request each time: what a page remembers per request
            # (policy answers, for one) is not carried over.
            started = time.thread_time()
            self._table(shown).render()
            took = time.thread_time() - started
            fresh = self._table(shown)
            started = time.thread_time()
            for row in fresh.get_rows():
                row.render()
            rows_took = time.thread_time() - started
            if i:
                table.append(took)
                rows.append(rows_took)
        print("%6d  %s  %s  %s" % (size, _ms(page), _ms(table), _ms(rows)))


def _ms(times):
    return "%7.1f %7.1f" % (1000 * statistics.median(times),
                            1000 * min(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=5000,
                        help="instances per cluster (two clusters)")
    parser.add_argument("--rows", type=int, nargs="+", default=[50, 200],
                        help="page sizes")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--templates", action="store_true",
                        help="render the rows' templates, never write them "
                        "in Python (content/instances/row_writer.py)")
    parser.add_argument("--query", default="",
                        help="query string of the page asked, e.g. "
                        "sort=memory&dir=desc")
    OPTIONS.update(vars(parser.parse_args()))
    global URL
    URL = INDEX_URL + ("?" + OPTIONS["query"] if OPTIONS["query"] else "")
    if OPTIONS["templates"]:
        from ganeti_dashboard.content.instances import row_writer
        row_writer.writes = lambda table: False
    return run(Bench())


def run(bench):
    """Runs ``bench`` (a test case) on a test database: the exit code.

    Not setup_test_environment(): its instrumented template rendering
    (a copy of the context for each template rendered) would be most of
    the figures.
    """
    from django.db import connection
    connection.creation.create_test_db(verbosity=0)
    result = unittest.TextTestRunner(verbosity=0, stream=sys.stderr).run(
        unittest.TestSuite([bench]))
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
