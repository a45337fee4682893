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

"""``pip install .`` carries everything Horizon needs from the package,
and the README's install commands work in a fresh Horizon from PyPI.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile

import pytest

from ganeti_dashboard import static_assets

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

pytestmark = pytest.mark.integration


def test_wheel_holds_panels_wiring_policy_and_templates(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "--disable-pip-version-check", "-w", str(tmp_path), REPO],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob("ganeti_dashboard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
            "ganeti_dashboard/api/rapi.py",
            "ganeti_dashboard/enabled/_3000_ganeti_admin_panel_group.py",
            "ganeti_dashboard/enabled/_3010_ganeti_admin_clusters_panel.py",
            "ganeti_dashboard/local_settings.d/_3000_ganeti_dashboard.py",
            "ganeti_dashboard/conf/default_policies/ganeti.yaml",
            "ganeti_dashboard/conf/ganeti_policy.yaml",
            "ganeti_dashboard/content/admin/clusters/templates/"
            "ganeti_clusters/_detail_overview.html"):
        assert needed in names
    assert not any(n.startswith("tests/") for n in names)
    # Every file of the package git holds (templates of every panel too),
    # and the console's libraries, which git does not hold.
    tracked = subprocess.run(["git", "ls-files", "ganeti_dashboard"],
                             cwd=REPO, check=True, capture_output=True,
                             text=True).stdout.split()
    assert tracked and sorted(set(tracked) - names) == []
    assets = "ganeti_dashboard/console/assets/node_modules/"
    for name in (static_assets.NOVNC, static_assets.XTERM,
                 static_assets.XTERM_CSS, static_assets.XTERM_FIT,
                 "@novnc/novnc/LICENSE.txt", "@xterm/xterm/LICENSE"):
        assert assets + name in names
    metadata = next(n for n in names if n.endswith("entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "ganeti_dashboard.conf.opts:list_opts" in entry_points
    assert "ganeti = ganeti_dashboard.conf.policies:list_rules" in \
        entry_points


def test_the_wheel_installs_a_working_ganeti_console_proxy(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "--disable-pip-version-check", "-w", str(tmp_path), REPO],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob("ganeti_dashboard-*.whl")
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-index",
                    "--no-deps", "-q", "--disable-pip-version-check",
                    "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    script = target / "bin" / "ganeti-console-proxy"
    config = tmp_path / "ganeti-dashboard.conf"
    config.write_text("[console]\nsecret = s\n")
    env = dict(os.environ, PYTHONPATH=str(target))
    ran = subprocess.run([str(script), "--config-file", str(config)],
                         capture_output=True, text=True, env=env, timeout=60)
    # It starts, reads the file and refuses to listen without allowed_origins.
    assert ran.returncode == 2
    assert ("%s: option allowed_origins is required in section [console]"
            % config) in ran.stderr


# What the README says to run, in the section of that name.
README_SECTION = "## Installing into an existing Horizon"
# What Horizon's settings then say, from the venv's Python.
SITE_FACTS = """
import json
import django
django.setup()
from django.conf import settings
from ganeti_dashboard import static_assets
print(json.dumps({"static_root": settings.STATIC_ROOT,
                  "missing": static_assets.missing()}))
"""


def _readme_install_commands():
    with open(os.path.join(REPO, "README.md")) as f:
        section = f.read().split(README_SECTION, 1)[1]
    return section.split("```sh\n", 1)[1].split("```", 1)[0]


def _checkout_copy(dest):
    """The checkout's files as git knows them (edits included) and its
    console libraries, without the build/ directory an earlier in-tree
    build left (whose files pip would install again, deleted or not);
    and the version pbr gives the checkout, which the copy, without
    .git, is told.
    """
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO,
                             check=True, capture_output=True,
                             text=True).stdout.split("\0")
    for name in filter(None, tracked):
        if os.path.isfile(os.path.join(REPO, name)):
            os.makedirs(os.path.join(dest, os.path.dirname(name)),
                        exist_ok=True)
            shutil.copy2(os.path.join(REPO, name), os.path.join(dest, name))
    assets = os.path.join("ganeti_dashboard", "console", "assets",
                          "node_modules")
    if os.path.isdir(os.path.join(REPO, assets)):
        shutil.copytree(os.path.join(REPO, assets),
                        os.path.join(dest, assets))
    return subprocess.run([sys.executable, "setup.py", "--version"],
                          cwd=REPO, check=True, capture_output=True,
                          text=True).stdout.split()[-1]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def horizon_venv(tmp_path_factory):
    """An operator's existing Horizon: a fresh venv, Horizon from PyPI
    (with a Django the plugin supports, so that installing it changes
    nothing of Horizon's).
    """
    venv = tmp_path_factory.mktemp("horizon") / "venv"
    with open(os.path.join(REPO, "requirements.txt")) as f:
        django = [line.strip() for line in f
                  if line.lower().startswith("django")]
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                    "--disable-pip-version-check", "horizon"] + django,
                   check=True, capture_output=True, timeout=1200)
    return venv


def test_readme_install_commands_serve_the_console_from_the_package(
        horizon_venv, tmp_path):
    bin_dir = str(horizon_venv / "bin")
    port = _free_port()
    config = tmp_path / "ganeti-dashboard.conf"
    config.write_text(
        "[console]\nproxy_url = ws://127.0.0.1:%d\n"
        "allowed_origins = http://127.0.0.1:8080\nsecret = %s\n"
        "listen_port = %d\ntoken_store = 127.0.0.1:11211\n"
        % (port, secrets.token_hex(32), port))
    checkout = str(tmp_path / "checkout")
    version = _checkout_copy(checkout)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
               VIRTUAL_ENV=str(horizon_venv), PBR_VERSION=version,
               GANETI_DASHBOARD_CONFIG=str(config))
    for name in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE",
                 "GANETI_DASHBOARD_CONSOLE_ASSETS"):
        env.pop(name, None)
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _readme_install_commands()],
        cwd=checkout, env=env, capture_output=True, text=True, timeout=1200)
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    # compress went through every template without a complaint.
    assert "Compressed" in ran.stdout, output
    assert "Error parsing template" not in output
    assert "Traceback" not in output

    # Horizon's settings find the console's libraries in the package, and
    # collectstatic put them where Horizon serves static files.
    facts = subprocess.run(
        [os.path.join(bin_dir, "python"), "-c", SITE_FACTS], cwd=str(tmp_path),
        env=dict(env, DJANGO_SETTINGS_MODULE="openstack_dashboard.settings"),
        capture_output=True, text=True, timeout=120, check=True)
    facts = json.loads(facts.stdout.strip().splitlines()[-1])
    assert facts["missing"] == []
    for name in (static_assets.NOVNC, static_assets.XTERM,
                 static_assets.XTERM_CSS, static_assets.XTERM_FIT):
        assert os.path.isfile(os.path.join(
            facts["static_root"], static_assets.PREFIX, name)), name

    # The installed ganeti-console-proxy serves the [console] written.
    proxy = subprocess.Popen(
        [os.path.join(bin_dir, "ganeti-console-proxy"), "--config-file",
         str(config)], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        status = None
        while status is None and time.monotonic() < deadline:
            assert proxy.poll() is None, proxy.stderr.read()
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/" % port,
                                       timeout=5)
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                time.sleep(0.2)
        # A plain GET: no WebSocket, no files.
        assert status == 405
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
