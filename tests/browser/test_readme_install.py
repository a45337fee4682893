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

"""The README's install path, followed literally, in an operator's Horizon.

A fresh venv with Horizon from PyPI and settings of its own (Keystone,
memcached), the README's install commands run in a copy of this checkout,
the README's ``[console]`` section written, the installed
``ganeti-console-proxy`` started: then an operator logs in through that
Horizon and sees Admin > Ganeti > Clusters, and a project member opens a
KVM guest's console, drawn by the noVNC the package carries.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from ganeti_dashboard import static_assets
from tests.browser.conftest import _free_port
from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests import checkout_copy

pytestmark = pytest.mark.browser

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# What the README says to run, in the section of that name.
README_SECTION = "## Installing into an existing Horizon"
# An operator's own Horizon settings, written before the plugin is added.
LOCAL_SETTINGS = '''\
DEBUG = False
SECRET_KEY = {secret!r}
ALLOWED_HOSTS = ["127.0.0.1"]
OPENSTACK_KEYSTONE_URL = {keystone!r}
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
CACHES = {{"default": {{
    "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
    "LOCATION": "127.0.0.1:{memcached}", "KEY_PREFIX": {prefix!r}}}}}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
COMPRESS_OFFLINE = True
'''
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


def _status(url):
    """The HTTP status of a GET of ``url``, or None while nothing listens."""
    try:
        return urllib.request.urlopen(url, timeout=5).status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


def _wait_for(url, process, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert process.poll() is None, "%s ended" % process.args[0]
        status = _status(url)
        if status is not None:
            return status
        time.sleep(0.2)
    pytest.fail("nothing answered %s within %ss" % (url, limit))


def _dashboard_dir(venv):
    """Where the venv's openstack_dashboard package is."""
    return subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import openstack_dashboard, os; "
         "print(os.path.dirname(openstack_dashboard.__file__))"],
        check=True, capture_output=True, text=True).stdout.strip()


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


@pytest.fixture(scope="module")
def readme_site(horizon_venv, tmp_path_factory, sandbox):
    """The venv's Horizon after the README's commands, served on a port of
    its own, with the installed console proxy beside it.
    """
    tmp_path = tmp_path_factory.mktemp("readme")
    bin_dir = str(horizon_venv / "bin")
    horizon_port, proxy_port = _free_port(), _free_port()
    memcached = os.environ.get("MEMCACHED_PORT", "11211")
    dashboard = _dashboard_dir(horizon_venv)
    with open(os.path.join(dashboard, "local", "local_settings.py"),
              "w") as f:
        f.write(LOCAL_SETTINGS.format(
            secret=secrets.token_urlsafe(32),
            keystone=os.environ.get("KEYSTONE_URL",
                                    "http://127.0.0.1:5000/v3"),
            memcached=memcached, prefix="readme-%d" % horizon_port))
    # The README's [console] section, and a cluster (its section above).
    config = tmp_path / "ganeti-dashboard.conf"
    config.write_text(
        "[console]\nproxy_url = ws://127.0.0.1:%d\n"
        "allowed_origins = http://127.0.0.1:%d\nsecret = %s\n"
        "listen_port = %d\ntoken_store = 127.0.0.1:%s\n"
        "[cluster:sandbox]\nrapi_url = %s\nrapi_user = %s\n"
        "rapi_password = %s\nca_file = %s\n"
        % (proxy_port, horizon_port, secrets.token_hex(32), proxy_port,
           memcached, sandbox["RAPI_URL"], sandbox["RAPI_USER"],
           sandbox["RAPI_PASSWORD"], sandbox["RAPI_CA"]))
    os.chmod(config, 0o600)
    checkout = str(tmp_path / "checkout")
    version = checkout_copy.checkout_copy(checkout)
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
               VIRTUAL_ENV=str(horizon_venv), PBR_VERSION=version,
               GANETI_DASHBOARD_CONFIG=str(config))
    for name in ("PYTHONPATH", "DJANGO_SETTINGS_MODULE",
                 "GANETI_DASHBOARD_CONSOLE_ASSETS"):
        env.pop(name, None)
    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _readme_install_commands()],
        cwd=checkout, env=env, capture_output=True, text=True, timeout=1200)
    site_env = dict(env, DJANGO_SETTINGS_MODULE="openstack_dashboard.settings")
    facts = subprocess.run(
        [os.path.join(bin_dir, "python"), "-c", SITE_FACTS],
        cwd=str(tmp_path), env=site_env, capture_output=True, text=True,
        timeout=120) if ran.returncode == 0 else None

    proxy_log = tmp_path / "proxy.log"
    proxy = subprocess.Popen(
        [os.path.join(bin_dir, "ganeti-console-proxy"), "--config-file",
         str(config)], env=env, stdout=subprocess.DEVNULL,
        stderr=open(proxy_log, "w"), text=True)
    # The operator's web server: Django's own, serving the static files
    # collected and compressed above (``--insecure``: DEBUG is off).
    log = tmp_path / "horizon.log"
    horizon = subprocess.Popen(
        [os.path.join(bin_dir, "django-admin"), "runserver", "--noreload",
         "--insecure", "127.0.0.1:%d" % horizon_port],
        cwd=str(tmp_path), env=site_env, stdout=subprocess.DEVNULL,
        stderr=open(log, "w"), text=True)
    try:
        url = "http://127.0.0.1:%d" % horizon_port
        if ran.returncode == 0:
            _wait_for(url + "/auth/login/", horizon, 120)
        yield {"ran": ran, "facts": facts, "url": url, "proxy": proxy,
               "proxy_url": "http://127.0.0.1:%d/" % proxy_port, "log": log,
               "proxy_log": proxy_log}
    finally:
        for process in (horizon, proxy):
            process.terminate()
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def horizon_url(readme_site):
    """The README's Horizon, for the ``login`` fixture."""
    return readme_site["url"]


@pytest.fixture(autouse=True)
def site_log(readme_site):
    """The README Horizon's and proxy's own logs, printed after each test:
    pytest shows them when it fails (tracebacks are there, not in pages).
    """
    yield
    for log in ("log", "proxy_log"):
        print(readme_site[log].read_text(errors="replace")[-20000:])


def test_readme_install_commands_serve_the_console_from_the_package(
        readme_site):
    ran = readme_site["ran"]
    output = ran.stdout + ran.stderr
    assert ran.returncode == 0, output
    # compress went through every template without a complaint.
    assert "Compressed" in ran.stdout, output
    assert "Error parsing template" not in output
    assert "Traceback" not in output

    # Horizon's settings find the console's libraries in the package, and
    # collectstatic put them where Horizon serves static files.
    facts = readme_site["facts"]
    assert facts.returncode == 0, facts.stderr
    facts = json.loads(facts.stdout.strip().splitlines()[-1])
    assert facts["missing"] == []
    for name in (static_assets.NOVNC, static_assets.XTERM,
                 static_assets.XTERM_CSS, static_assets.XTERM_FIT):
        assert os.path.isfile(os.path.join(
            facts["static_root"], static_assets.PREFIX, name)), name

    # The installed ganeti-console-proxy serves the [console] written:
    # a plain GET, no WebSocket, no files.
    assert _wait_for(readme_site["proxy_url"], readme_site["proxy"],
                     60) == 405


def test_operator_sees_the_clusters_through_the_readme_horizon(
        login, readme_site):
    page = login(ADMIN)
    page.goto(readme_site["url"] + "/admin/ganeti_clusters/")
    row = page.locator("#clusters tbody tr", has_text="sandbox")
    row.wait_for(timeout=30_000)
    # Asked of the cluster through its RAPI: its master node, reachable.
    assert "node1.ganeti.test" in row.inner_text()
    assert "reachable" in row.inner_text()
    assert page.locator(".alert-danger").count() == 0
    assert page.errors == []


@pytest.fixture
def kvm_instance(made_instance, mapped_projects):
    return made_instance(
        name="gdreadme-%s.ganeti.test" % uuid.uuid4().hex[:8],
        hypervisor="kvm", tags=["openstack:project:%s"
                                % mapped_projects["demo"]])


def test_member_opens_a_console_served_by_the_package(login, readme_site,
                                                      kvm_instance):
    page = login(DEMO_MEMBER)
    page.goto("%s/project/ganeti_instances/sandbox:%s/"
              % (readme_site["url"], kvm_instance))
    page.wait_for_load_state("networkidle")
    page.locator("a:text-is('Console')").first.click()
    page.locator(".ganeti-console-frame").wait_for(timeout=30_000)
    frame = page.frame_locator(".ganeti-console-frame")
    # noVNC from the package's static files, through the installed proxy.
    frame.locator("#status").filter(has_text="Connected").wait_for(
        timeout=90_000)
    frame.locator("#screen canvas").wait_for()
