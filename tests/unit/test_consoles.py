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

"""Console endpoints from RAPI, the console tab and pages (RAPI mocked)."""

import os
import tempfile
from unittest import mock

from django.test import SimpleTestCase
from django.test import utils as django_test_utils
from django.urls import reverse

from openstack_dashboard.test import helpers as test

import ganeti_dashboard
from ganeti_dashboard.api import console_endpoints
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import models
from ganeti_dashboard.api import rapi
from ganeti_dashboard.console import links
from ganeti_dashboard import settings_snippet
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _instance

SERIAL = "/var/run/ganeti/kvm-hypervisor/ctrl/vm1.alpha.serial"
SSH_ANSWER = {
    "instance": "vm1.alpha", "kind": "ssh", "host": "node1", "user": "root",
    "command": ["/usr/lib/ganeti/tools/kvm-console-wrapper", "/usr/bin/socat",
                "vm1.alpha", SERIAL.replace(".serial", ".monitor"),
                "STDIO,raw,echo=0,escape=0x1d", "UNIX-CONNECT:" + SERIAL]}


def _kvm(name="vm1.alpha", project=None, running=True, bind="0.0.0.0",
         **extra):
    data = _instance(name, project, status="running" if running
                     else "ADMIN_down", network_port=11000,
                     oper_state=running,
                     hvparams={"vnc_bind_address": bind,
                               "serial_console": True})
    data.update(extra)
    return data


def _resolve(data, console=None, console_error=None, pip="10.0.0.2"):
    instance = models.Instance("alpha", data)
    with helpers.config_file(helpers.TWO_CLUSTERS), \
            mock.patch.object(rapi.RapiClient, "instance_console",
                              side_effect=console_error,
                              return_value=console), \
            mock.patch.object(rapi.RapiClient, "node",
                              return_value={"pip": pip}) as node:
        return console_endpoints.resolve(instance), node


class ResolveTests(test.TestCase):

    def test_serial_from_the_ssh_answer_vnc_from_the_instance(self):
        found, node = _resolve(_kvm(), SSH_ANSWER)
        self.assertEqual(console_endpoints.Serial("node1", SERIAL),
                         found.serial)
        # A wildcard bind address: the node's primary address.
        self.assertEqual(console_endpoints.Vnc("10.0.0.2", 11000, "node1"),
                         found.vnc)
        node.assert_called_once_with("node1")
        self.assertEqual(["vnc", "serial"], found.kinds)

    def test_a_bind_address_is_used_as_it_is(self):
        found, node = _resolve(_kvm(bind="192.0.2.7"), SSH_ANSWER)
        self.assertEqual("192.0.2.7", found.vnc.host)
        node.assert_not_called()

    def test_vnc_only_instance_survives_ganetis_http_500(self):
        found, _ = _resolve(
            _kvm(hvparams={"vnc_bind_address": "0.0.0.0",
                           "serial_console": False}),
            console_error=errors.RapiError(
                "RAPI answered HTTP 500: Internal Server Error", "alpha",
                500))
        self.assertIsNone(found.serial)
        self.assertEqual(11000, found.vnc.port)

    def test_fake_hypervisor_gives_ganetis_reason(self):
        found, _ = _resolve(_instance("vm1.alpha", oper_state=True), {
            "kind": "msg", "message": "Console not available for fake "
                                      "hypervisor"})
        self.assertEqual([], found.kinds)
        self.assertEqual("Console not available for fake hypervisor",
                         found.message)

    def test_stopped_instance_has_no_console(self):
        found, _ = _resolve(_kvm(running=False), SSH_ANSWER)
        self.assertEqual(console_endpoints.NOT_RUNNING, found.message)
        found, _ = _resolve(_kvm(), console_error=errors.RapiError(
            "RAPI answered HTTP 503: Instance console unavailable",
            "alpha", 503))
        self.assertEqual(console_endpoints.NOT_RUNNING, found.message)


CONSOLE_CONF = helpers.TWO_CLUSTERS + """
[console]
proxy_url = wss://console.example.test
secret = unit-test-secret
"""


class _ConsoleBase(test.TestCase):
    """RAPI mocked: the project owns mine.alpha, a running KVM instance."""

    def setUp(self):
        super().setUp()
        own = self.tenant.id
        self.singles = {"mine.alpha": _kvm("mine.alpha", own),
                        "theirs.alpha": _kvm("theirs.alpha", "someone")}
        assets = tempfile.mkdtemp()
        for name in ("@novnc/novnc/core/rfb.js", "@xterm/xterm/lib/xterm.mjs",
                     "@xterm/xterm/css/xterm.css",
                     "@xterm/addon-fit/lib/addon-fit.mjs"):
            os.makedirs(os.path.dirname(os.path.join(assets, name)),
                        exist_ok=True)
            open(os.path.join(assets, name), "w").close()
        self.assets = django_test_utils.override_settings(
            GANETI_DASHBOARD_CONSOLE_ASSETS=assets)
        self.assets.enable()
        self.addCleanup(self.assets.disable)
        for patch in (
                mock.patch.object(keystone_api, "clusters_of_project",
                                  return_value={"alpha"}),
                mock.patch.object(rapi.RapiClient, "instance",
                                  lambda c, name: self.singles[name]),
                mock.patch.object(rapi.RapiClient, "instance_console",
                                  return_value=SSH_ANSWER),
                mock.patch.object(rapi.RapiClient, "node",
                                  return_value={"pip": "10.0.0.2"})):
            patch.start()
        self.link = mock.patch.object(
            links, "console_link",
            return_value="wss://console.example.test/vnc?token=T0KEN").start()
        self.addCleanup(mock.patch.stopall)

    def _get(self, name, kind="vnc", conf=CONSOLE_CONF):
        url = reverse("horizon:project:ganeti_instances:console",
                      args=["alpha:" + name, kind])
        with helpers.config_file(conf):
            return self.client.get(url)


class ConsoleViewTests(_ConsoleBase):
    """Project > Ganeti > Instances: a member's console of their own."""

    def test_page_gets_a_token_for_the_resolved_target_and_nothing_else(self):
        res = self._get("mine.alpha")
        self.assertEqual(200, res.status_code)
        self.assertContains(res, 'data-ws-url="wss://console.example.test/'
                                 'vnc?token=T0KEN"')
        claims = self.link.call_args.args[1]
        self.assertEqual(("vnc", "10.0.0.2", 11000, "mine.alpha",
                          self.user.id, self.tenant.id),
                         (claims.kind, claims.host, claims.port,
                          claims.instance, claims.user_id,
                          claims.project_id))
        content = res.content.decode()
        # No node address, password or socket path reaches the browser.
        for secret in ("10.0.0.2", "unit-test-secret", "secret-alpha",
                       "11000"):
            self.assertNotIn(secret, content)
        self.assertEqual("SAMEORIGIN", res["X-Frame-Options"])

    def test_serial_page_binds_the_serial_socket(self):
        res = self._get("mine.alpha", "serial")
        self.assertEqual(200, res.status_code)
        claims = self.link.call_args.args[1]
        self.assertEqual(("serial", "node1", SERIAL),
                         (claims.kind, claims.node, claims.socket_path))
        self.assertNotIn(SERIAL, res.content.decode())

    def test_another_projects_instance_is_404_and_no_token(self):
        self.assertEqual(404, self._get("theirs.alpha").status_code)
        self.assertEqual(404, self._get("theirs.alpha", "serial")
                         .status_code)
        self.link.assert_not_called()

    def test_unknown_kind_is_404(self):
        url = reverse("horizon:project:ganeti_instances:index") + \
            "alpha:mine.alpha/console/spice/"
        with helpers.config_file(CONSOLE_CONF):
            self.assertEqual(404, self.client.get(url).status_code)

    def test_without_console_config_the_page_says_so(self):
        res = self._get("mine.alpha", conf=helpers.TWO_CLUSTERS)
        self.assertContains(res, "Consoles are not set up")
        self.assertContains(res, "option secret is required")
        self.link.assert_not_called()

    def test_tab_lists_both_consoles(self):
        url = reverse("horizon:project:ganeti_instances:detail",
                      args=["alpha:mine.alpha"])
        with helpers.config_file(CONSOLE_CONF):
            res = self.client.get(url + "?tab=instance_details__console",
                                  HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "alpha:mine.alpha/console/vnc/")
        self.assertContains(res, "alpha:mine.alpha/console/serial/")
        self.assertContains(res, "Open in its own window")
        # The tab frames the page; it issues no token itself.
        self.link.assert_not_called()

    def test_a_rapi_failure_is_said_in_the_tab_and_nowhere_later(self):
        url = reverse("horizon:project:ganeti_instances:detail",
                      args=["alpha:mine.alpha"])
        # The node's address (for a VNC bound to a wildcard) cannot be read.
        with helpers.config_file(CONSOLE_CONF), mock.patch.object(
                rapi.RapiClient, "node",
                side_effect=errors.RapiError("RAPI answered HTTP 401: "
                                             "Unauthorized", "alpha", 401)):
            res = self.client.get(url + "?tab=instance_details__console",
                                  HTTP_X_REQUESTED_WITH="XMLHttpRequest")
            self.assertContains(res, "Unable to find the console: RAPI "
                                     "answered HTTP 401")
            self.assertNotContains(res, "alpha:mine.alpha/console/vnc/")
            later = self.client.get(url)
        self.assertEqual(200, later.status_code)
        self.assertNotContains(later, "Unable to find the console")

    def test_state_says_whether_it_runs(self):
        url = reverse("horizon:project:ganeti_instances:console_state",
                      args=["alpha:mine.alpha"])
        self.singles["mine.alpha"] = _kvm("mine.alpha", self.tenant.id,
                                          running=False)
        with helpers.config_file(CONSOLE_CONF):
            res = self.client.get(url)
        self.assertEqual({"running": False, "status": "Stopped"}, res.json())

    def test_state_of_an_unreadable_instance_is_said_to_the_script(self):
        url = reverse("horizon:project:ganeti_instances:console_state",
                      args=["alpha:mine.alpha"])
        with helpers.config_file(CONSOLE_CONF), mock.patch.object(
                rapi.RapiClient, "instance", side_effect=errors.Unreachable(
                    "cluster unreachable: connection refused", "alpha")):
            res = self.client.get(url)
            self.assertEqual(503, res.status_code)
        self.assertEqual({"running": None, "error": "cluster "
                          "unreachable: connection refused"}, res.json())
        with helpers.config_file(CONSOLE_CONF):
            later = self.client.get(reverse(
                "horizon:project:ganeti_instances:detail",
                args=["alpha:mine.alpha"]))
        self.assertEqual(200, later.status_code)
        self.assertNotContains(later, "connection refused")


class ReaderConsoleTests(_ConsoleBase):
    """A reader sees the instance but gets no console."""

    def setUp(self):
        super().setUp()
        helpers.become_reader(self)

    def test_reader_gets_no_console_page(self):
        self.assertEqual(403, self._get("mine.alpha").status_code)
        self.link.assert_not_called()


class PolicyOverrideTests(_ConsoleBase):
    """An operator's policy file overrides a default rule."""

    def test_overriding_the_console_rule_takes_the_console_away(self):
        from django.conf import settings
        from openstack_auth import policy as auth_policy
        handle, path = tempfile.mkstemp(suffix=".yaml")
        with os.fdopen(handle, "w") as f:
            f.write('"ganeti:instance:console": "role:ganeti_console"\n')
        files = dict(settings.POLICY_FILES, ganeti=path)
        self.addCleanup(os.unlink, path)
        self.addCleanup(auth_policy.reset)
        self.assertEqual(200, self._get("mine.alpha").status_code)
        with django_test_utils.override_settings(POLICY_FILES=files):
            auth_policy.reset()
            self.assertEqual(403, self._get("mine.alpha").status_code)
            tab = reverse("horizon:project:ganeti_instances:detail",
                          args=["alpha:mine.alpha"])
            with helpers.config_file(CONSOLE_CONF):
                res = self.client.get(tab)
            self.assertNotContains(res, "instance_details__console")


class ConsoleAssetsSettingTests(SimpleTestCase):
    """Where Horizon looks for noVNC and xterm.js: the package's own copy
    (the sdist and the wheel carry it), unless the site says otherwise.
    """

    def _applied(self, namespace):
        namespace.update(POLICY_FILES={}, DEFAULT_POLICY_FILES={})
        settings_snippet.apply(namespace)
        return namespace["GANETI_DASHBOARD_CONSOLE_ASSETS"]

    @mock.patch.dict(os.environ)
    def test_the_package_serves_its_own_copy_by_default(self):
        os.environ.pop("GANETI_DASHBOARD_CONSOLE_ASSETS", None)
        self.assertEqual(
            os.path.join(os.path.dirname(ganeti_dashboard.__file__),
                         "console", "assets", "node_modules"),
            self._applied({}))

    @mock.patch.dict(os.environ,
                     {"GANETI_DASHBOARD_CONSOLE_ASSETS": "/srv/assets"})
    def test_the_environment_or_the_site_names_another(self):
        self.assertEqual("/srv/assets", self._applied({}))
        self.assertEqual("/site", self._applied(
            {"GANETI_DASHBOARD_CONSOLE_ASSETS": "/site"}))
