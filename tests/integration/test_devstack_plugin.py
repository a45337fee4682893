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

"""The DevStack plugin's phases, with DevStack's functions stubbed.

``devstack_stubs.sh`` records every DevStack function the plugin calls and
edits ini files as DevStack's ``iniset`` does; npm is a stub that lays down
the files the console pages load. Each test runs phases in order, as
``stack.sh`` and ``unstack.sh`` would, on a copy of the plugin's clone, and
checks what each phase left behind.
"""

import configparser
import getpass
import os
import re
import shlex
import shutil
import subprocess
import sys

import pytest

from ganeti_dashboard import static_assets

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
STUBS = os.path.join(REPO, "tests", "integration", "devstack_stubs.sh")
BIN_DIR = "/opt/stack/data/venv/bin"
# What the console pages load (as the node_modules of npm ci).
ASSETS = (static_assets.NOVNC, static_assets.XTERM, static_assets.XTERM_CSS,
          static_assets.XTERM_FIT)

pytestmark = pytest.mark.integration

FAKE_NPM = """#!/bin/sh
printf 'npm %s\\n' "$*" >> "$CALLS"
pwd >> "$NPM_DIRS"
for f in {files}; do
    mkdir -p "node_modules/$(dirname "$f")"
    echo "// $f" > "node_modules/$f"
done
"""

MANAGE_PY = """import os, sys
with open(os.environ["CALLS"], "a") as f:
    f.write("manage.py %s in %s\\n" % (" ".join(sys.argv[1:]), os.getcwd()))
"""


class Stack(object):
    """A DevStack host in a temporary directory: the plugin's clone,
    Horizon's clone, the configuration file and the recorded calls.
    """

    def __init__(self, tmp_path, disabled=""):
        self.clone = str(tmp_path / "ganeti-dashboard")
        for part in ("devstack", "ganeti_dashboard"):
            shutil.copytree(os.path.join(REPO, part),
                            os.path.join(self.clone, part),
                            ignore=shutil.ignore_patterns(
                                "node_modules", "__pycache__"))
        os.makedirs(os.path.join(self.clone, "tools", "lib"))
        shutil.copy(os.path.join(REPO, "tools", "lib", "console_assets.py"),
                    os.path.join(self.clone, "tools", "lib"))
        self.horizon = tmp_path / "horizon"
        (self.horizon / "openstack_dashboard" / "local" / "enabled").mkdir(
            parents=True)
        (self.horizon / "manage.py").write_text(MANAGE_PY)
        fake_bin = tmp_path / "bin"
        fake_bin.mkdir()
        npm = fake_bin / "npm"
        npm.write_text(FAKE_NPM.format(files=" ".join(ASSETS)))
        npm.chmod(0o755)
        self.calls_file = tmp_path / "calls"
        self.npm_dirs = tmp_path / "npm-dirs"
        self.conf = str(tmp_path / "etc" / "ganeti-dashboard.conf")
        self.env = dict(
            os.environ, PATH="%s:%s" % (fake_bin, os.environ["PATH"]),
            CALLS=str(self.calls_file), NPM_DIRS=str(self.npm_dirs),
            GANETI_DASHBOARD_DIR=self.clone, HORIZON_DIR=str(self.horizon),
            DEST=str(tmp_path), PYTHON=sys.executable, STUB_BIN_DIR=BIN_DIR,
            STACK_USER=getpass.getuser(), SERVICE_HOST="192.0.2.10",
            SERVICE_PROTOCOL="http", SERVICE_LISTEN_ADDRESS="0.0.0.0",
            REGION_NAME="RegionOne", ENABLED_SERVICES="key,horizon",
            DISABLED=disabled, GANETI_DASHBOARD_CONF=self.conf,
            GANETI_RAPI_URL="https://cluster1.example.org:5080",
            GANETI_RAPI_USER="dashboard", GANETI_RAPI_PASSWORD="pa$$word")
        for name in ("APACHE_USER", "GANETI_CONSOLE_SECRET",
                     "DJANGO_SETTINGS_MODULE", "PYTHONPATH"):
            self.env.pop(name, None)

    def run(self, *phase):
        """Run one phase; the calls it made, each as its words."""
        start = self.calls()
        ran = subprocess.run(["bash", STUBS] + list(phase), env=self.env,
                             capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, ran.stdout + ran.stderr
        return self.calls()[len(start):]

    def calls(self):
        if not self.calls_file.exists():
            return []
        return [shlex.split(line) for line in
                self.calls_file.read_text().splitlines()]

    def config(self):
        parser = configparser.RawConfigParser(interpolation=None)
        assert parser.read(self.conf) == [self.conf]
        return parser

    def assets(self):
        return os.path.join(self.clone, "ganeti_dashboard", "console",
                            "assets")

    def enabled(self):
        return sorted(os.listdir(self.horizon / "openstack_dashboard" /
                                 "local" / "enabled"))


def _named(calls, name):
    return [call[1:] for call in calls if call[0] == name]


def test_stack_installs_console_configures_it_runs_and_unstack_stops_proxy(
        tmp_path):
    stack = Stack(tmp_path)

    # stack install: the plugin in develop mode, the console's libraries
    # from npm into the clone, where Horizon's settings look by default.
    calls = stack.run("stack", "install")
    assert ["setup_develop", stack.clone] in calls
    assert [c[:2] for c in calls if c[0] == "npm"] == [["npm", "ci"]]
    assert stack.npm_dirs.read_text().split() == [stack.assets()]
    for name in ASSETS:
        assert os.path.isfile(os.path.join(stack.assets(), "node_modules",
                                           name)), name
    # Once per version of package-lock.json.
    assert not any(c[0] == "npm" for c in stack.run("stack", "install"))

    # stack post-config: Horizon's enabled files and settings snippet, the
    # configuration file with its cluster and [console], static files.
    calls = stack.run("stack", "post-config")
    plugin_enabled = sorted(
        n for n in os.listdir(os.path.join(stack.clone, "ganeti_dashboard",
                                           "enabled"))
        if re.match(r"_\d+.*\.py$", n))
    assert stack.enabled() == plugin_enabled
    assert os.path.isfile(stack.horizon / "openstack_dashboard" / "local" /
                          "local_settings.d" / "_3000_ganeti_dashboard.py")
    conf = stack.config()
    assert conf.get("cluster:cluster1", "rapi_url") == \
        "https://cluster1.example.org:5080"
    assert conf.get("cluster:cluster1", "rapi_password") == "pa$$$$word"
    assert dict(conf.items("console"), secret="") == {
        "proxy_url": "ws://192.0.2.10:6090",
        "listen_address": "0.0.0.0",
        "listen_port": "6090",
        "allowed_origins": "http://192.0.2.10",
        "token_store": "127.0.0.1:11211",
        "secret": ""}
    secret = conf.get("console", "secret")
    assert re.match(r"^[0-9a-f]{64}$", secret)
    assert oct(os.stat(stack.conf).st_mode & 0o777) == "0o600"
    manage = [" ".join(c) for c in calls if c[0] == "manage.py"]
    assert manage == [
        "manage.py collectstatic --noinput in %s" % stack.horizon,
        "manage.py compress --force in %s" % stack.horizon]

    # Stacking again keeps the secret and whatever the operator added, and
    # GANETI_CONSOLE_SECRET sets one of the operator's choosing.
    with open(stack.conf, "a") as f:
        f.write("serial_mode = ssh\n")
    stack.run("stack", "post-config")
    conf = stack.config()
    assert conf.get("console", "secret") == secret
    stack.env["GANETI_CONSOLE_SECRET"] = "chosen$key"
    stack.run("stack", "post-config")
    assert stack.config().get("console", "secret") == "chosen$$key"
    stack.run("stack", "post-config")
    assert stack.config().get("console", "secret") == "chosen$$key"
    del stack.env["GANETI_CONSOLE_SECRET"]
    stack.run("stack", "post-config")
    conf = stack.config()
    assert conf.get("console", "secret") == "chosen$$key"
    assert conf.get("console", "serial_mode") == "ssh"
    assert conf.get("cluster:cluster1", "rapi_user") == "dashboard"

    # stack extra: the service and its limits in Keystone, and the proxy
    # as a DevStack service, as the user who may read the file.
    calls = stack.run("stack", "extra")
    assert ["ganeti", "ganeti", "Ganeti clusters (ganeti-dashboard)"] in \
        _named(calls, "get_or_create_service")
    assert _named(calls, "run_process") == [[
        "ganeti-console-proxy",
        "%s/ganeti-console-proxy --config-file %s" % (BIN_DIR, stack.conf),
        "", getpass.getuser()]]

    # unstack: the proxy stopped, Horizon's copies removed, the file kept.
    calls = stack.run("unstack")
    assert _named(calls, "stop_process") == [["ganeti-console-proxy"]]
    assert [n for n in stack.enabled() if n in plugin_enabled] == []
    assert stack.config().get("console", "secret") == "chosen$$key"


def test_without_the_console_proxy_service_nothing_of_the_console(tmp_path):
    stack = Stack(tmp_path, disabled="ganeti-console-proxy")
    calls = stack.run("stack", "install")
    assert not any(c[0] in ("npm", "install_package") for c in calls)
    stack.run("stack", "post-config")
    assert not stack.config().has_section("console")
    assert _named(stack.run("stack", "extra"), "run_process") == []
    assert _named(stack.run("unstack"), "stop_process") == []
