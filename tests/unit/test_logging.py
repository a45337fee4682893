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

"""What an operator finds in Horizon's error log: unhandled exceptions with
their traceback, each RAPI failure once (cluster, method, path, cause; no
credentials), each job the dashboard starts and who started it.
"""

import io
import logging
import logging.config

from django.test import SimpleTestCase

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots
from ganeti_dashboard import settings_snippet
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers


class SiteLoggingTests(SimpleTestCase):

    def _configured(self, namespace):
        namespace.setdefault("POLICY_FILES", {})
        namespace.setdefault("DEFAULT_POLICY_FILES", {})
        settings_snippet.apply(namespace)
        return namespace["LOGGING"]

    def test_a_site_without_logging_gets_tracebacks_on_stderr(self):
        config = self._configured({})
        stream = io.StringIO()
        config["handlers"]["ganeti_dashboard_stderr"]["stream"] = stream
        logging.config.dictConfig(config)
        try:
            raise RuntimeError("a bug in a view")
        except RuntimeError:
            logging.getLogger("django.request").error(
                "Internal Server Error: /admin/ganeti_instances/",
                exc_info=True)
        logging.getLogger("ganeti_dashboard.api.rapi").info("a job started")
        text = stream.getvalue()
        self.assertIn("Traceback (most recent call last)", text)
        self.assertIn("RuntimeError: a bug in a view", text)
        self.assertIn("ganeti_dashboard.api.rapi: a job started", text)

    def test_an_operators_logging_keeps_its_handlers(self):
        config = self._configured({"LOGGING": {
            "version": 1, "handlers": {"file": {
                "class": "logging.NullHandler"}},
            "loggers": {"django": {"handlers": ["file"]}}}})
        self.assertEqual(["file"],
                         config["loggers"]["ganeti_dashboard"]["handlers"])


class RapiLogTests(SimpleTestCase):

    def setUp(self):
        super().setUp()
        self.fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
        self.fake["alpha"].add_instance("vm1.alpha")
        self.fake.install(self)
        self.conf = helpers.config_file(helpers.TWO_CLUSTERS)
        self.conf.__enter__()
        self.addCleanup(self.conf.__exit__, None, None, None)

    def test_a_failure_is_logged_once_without_credentials(self):
        self.fake["alpha"].fail("refused")
        with self.assertLogs("ganeti_dashboard", logging.DEBUG) as logged:
            with self.assertRaises(errors.Unreachable):
                clusters.client("alpha").instance("vm1.alpha")
        failures = [r for r in logged.records if r.levelno >= logging.WARNING]
        self.assertEqual(1, len(failures), logged.output)
        line = failures[0].getMessage()
        for part in ("alpha", "GET", "/2/instances/vm1.alpha",
                     "connection refused"):
            self.assertIn(part, line)
        self.assertNotIn("secret-alpha", "\n".join(logged.output))

    def test_a_started_job_names_its_cluster_id_and_starter(self):
        reason = "horizon user=demo(u1) project=demo(p1)"
        with self.assertLogs("ganeti_dashboard.api.rapi",
                             logging.INFO) as logged:
            job = clusters.client("alpha").startup_instance(
                "vm1.alpha", reason=reason)
        line = "\n".join(logged.output)
        self.assertIn("cluster alpha: PUT /2/instances/vm1.alpha/startup "
                      "started job %s (OP_INSTANCE_STARTUP) by %s, request "
                      "none" % (job, reason), line)

    def test_a_started_job_names_the_request_it_was_started_for(self):
        token = rapi.REQUEST_ID.set("req-" + "5" * 32)
        self.addCleanup(rapi.REQUEST_ID.reset, token)
        with self.assertLogs("ganeti_dashboard.api.rapi",
                             logging.INFO) as logged:
            job = clusters.client("alpha").delete_instance("vm1.alpha")
        self.assertIn("cluster alpha: DELETE /2/instances/vm1.alpha started "
                      "job %s (OP_INSTANCE_REMOVE) by no reason given, "
                      "request req-%s" % (job, "5" * 32),
                      "\n".join(logged.output))

    def test_a_snapshot_refresh_failure_is_logged_by_the_snapshot(self):
        self.fake["alpha"].fail(503)
        conf = clusters.settings()
        with self.assertLogs("ganeti_dashboard", logging.WARNING) as logged:
            snapshots.read([conf.cluster("alpha")], "instances")
            snapshots.drain()
        self.assertEqual(1, len(logged.records), logged.output)
        self.assertIn("cluster alpha: cannot refresh its instances: RAPI "
                      "answered HTTP 503", logged.output[0])
