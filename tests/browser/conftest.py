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

"""A Horizon of this checkout, on a port of its own, and Debian's chromium.

The Horizon is built and served exactly as the dev stack's
(tools/lib/horizon_site.py), but from the checkout under test and with its
own site directory and port, so it runs beside a dev stack that is already
up without touching it. Keystone and the sandbox cluster are shared.
"""

import os
import secrets
import socket
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools", "lib"))

import horizon_site  # noqa: E402

STATE = os.environ.get("GANETI_DASHBOARD_STATE",
                       "/var/lib/ganeti-dashboard-dev")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ADMIN = ("admin", os.environ.get("ADMIN_PASSWORD", "adminpw"))
DEMO_MEMBER = ("demo-member", "demopw")
DEMO_READER = ("demo-reader", "demopw")
# Where each browser test leaves a picture of every page it had open when it
# ended, named by the test and the user, for eyes to check what the
# assertions say (kept between runs; each run overwrites its own files).
# The dev stack's Prometheus, which tools/test brings up
# (tools/lib/prometheus.sh).
PROMETHEUS_URL = "http://127.0.0.1:%s" % os.environ.get(
    "PROMETHEUS_PORT", "9091")
SCREENSHOTS = os.environ.get("GANETI_DASHBOARD_SCREENSHOTS",
                             os.path.join(STATE, "screenshots"))


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def faults():
    """Broken clusters the browser tests configure beside the sandbox."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # accepts, never answers
    closed = _free_port()
    yield {"closed_port": closed, "silent_port": silent.getsockname()[1]}
    silent.close()


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory):
    path = tmp_path_factory.mktemp("ca")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", str(path / "k.pem"), "-out",
                    str(path / "ca.pem"), "-subj", "/CN=not the sandbox CA",
                    "-days", "1"], check=True, capture_output=True)
    return str(path / "ca.pem")


@pytest.fixture(scope="session")
def horizon_port():
    return _free_port()


@pytest.fixture(scope="session")
def console_port():
    return _free_port()


@pytest.fixture(scope="session")
def dashboard_config(sandbox, sandbox2, faults, other_ca, tmp_path_factory,
                     horizon_port, console_port):
    path = tmp_path_factory.mktemp("conf") / "ganeti-dashboard.conf"
    path.write_text("""
[console]
proxy_url = ws://127.0.0.1:{console_port}
listen_port = {console_port}
allowed_origins = http://127.0.0.1:{horizon_port}
secret = {secret}
token_store = 127.0.0.1:{memcached_port}
serial_mode = local
connect_timeout = 3
[DEFAULT]
cache_ttl = 10
[metrics]
prometheus_url = {prometheus_url}
[template:small]
description = 1 vCPU, 256 MiB, diskless
vcpus = 1
memory = 256
disk_template = diskless
os = noop
[cluster:sandbox]
rapi_url = {url}
rapi_user = {user}
rapi_password = {password}
ca_file = {ca}
[cluster:sandbox2]
rapi_url = {url2}
rapi_user = {user}
rapi_password = {password}
ca_file = {ca2}
[cluster:zz-down]
rapi_url = https://127.0.0.1:{closed}
[cluster:zz-silent]
rapi_url = https://127.0.0.1:{silent}
connect_timeout = 2
read_timeout = 2
[cluster:zz-untrusted]
rapi_url = {url}
rapi_user = {user}
rapi_password = {password}
ca_file = {other_ca}
[cluster:zz-wrongpw]
rapi_url = {url}
rapi_user = {user}
rapi_password = not-the-password
ca_file = {ca}
""".format(url=sandbox["RAPI_URL"], user=sandbox["RAPI_USER"],
           password=sandbox["RAPI_PASSWORD"], ca=sandbox["RAPI_CA"],
           closed=faults["closed_port"], silent=faults["silent_port"],
           other_ca=other_ca, url2=sandbox2["RAPI_URL"],
           ca2=sandbox2["RAPI_CA"], console_port=console_port,
           horizon_port=horizon_port, secret=secrets.token_urlsafe(32),
           memcached_port=os.environ.get("MEMCACHED_PORT", "11211"),
           prometheus_url=PROMETHEUS_URL))
    os.chmod(path, 0o600)
    return str(path)


@pytest.fixture(scope="session")
def console_proxy(dashboard_config, console_port, tmp_path_factory):
    """This checkout's ganeti-console-proxy, for the test Horizon."""
    import console_harness
    proxy = console_harness.Proxy(
        dashboard_config, console_port,
        str(tmp_path_factory.mktemp("proxy") / "console-proxy.log"))
    yield proxy
    proxy.stop()


@pytest.fixture(scope="session")
def horizon_url(dashboard_config, horizon_port):
    port = horizon_port
    site = os.path.join(STATE, "test-horizon", str(port))
    url = horizon_site.up(site, port, dashboard_config)
    yield url
    horizon_site.down(site)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _screenshot_path(nodeid, suffix):
    """SCREENSHOTS/<test file>/<test>-<suffix>.png, its folder made."""
    module, _, test = nodeid.partition("::")
    folder = os.path.join(SCREENSHOTS,
                          os.path.splitext(os.path.basename(module))[0])
    os.makedirs(folder, exist_ok=True)
    stem = "".join(c if c.isalnum() or c in "-_." else "_" for c in test)
    return os.path.join(folder, "%s-%s.png" % (stem, suffix))


def _save_picture(page, path):
    try:
        # From the top: a full-page picture of a scrolled page draws
        # Horizon's fixed header where the page was scrolled to.
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=path, full_page=True, timeout=10000)
    except Exception:  # a closed or crashed page has no picture
        pass


def _save_screenshots(nodeid, contexts):
    """A picture of each page still open, as the test left it."""
    for user, context in contexts:
        for number, page in enumerate(context.pages):
            _save_picture(page, _screenshot_path(
                nodeid, "%s%s" % (user, "-%d" % number if number else "")))


@pytest.fixture
def screenshot(request):
    """screenshot(page, label): a picture of ``page`` as it is now, saved
    as SCREENSHOTS/<test file>/<test>-<label>.png, for a state the test
    passes through but does not end on (the guides use some:
    tools/lib/doc_screenshots.py). Never fails the test.
    """
    def take(page, label):
        _save_picture(page, _screenshot_path(request.node.nodeid, label))
    return take


def login_to(browser, horizon_url, contexts):
    """login(user) -> a Playwright page logged in to the Horizon at
    ``horizon_url``; each browser context made is appended to ``contexts``
    as (user name, context).
    """
    def do_login(credentials):
        context = browser.new_context()
        contexts.append((credentials[0], context))
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.goto(horizon_url + "/auth/login/")
        page.fill("#id_username", credentials[0])
        page.fill("#id_password", credentials[1])
        page.click("#loginBtn")
        page.wait_for_load_state("networkidle")
        assert "/auth/login" not in page.url, "login failed"
        return page
    return do_login


def closed_with_pictures(nodeid, contexts):
    """Save a picture of every page still open, then close the contexts."""
    _save_screenshots(nodeid, contexts)
    for _, context in contexts:
        context.close()


@pytest.fixture
def login(browser, horizon_url, request):
    """login(user) -> a Playwright page logged in to the test Horizon.

    When the test ends, every page it left open is saved as a picture under
    SCREENSHOTS/<test file>/<test>-<user>.png.
    """
    contexts = []
    yield login_to(browser, horizon_url, contexts)
    closed_with_pictures(request.node.nodeid, contexts)


@pytest.fixture(scope="session")
def client_info(sandbox):
    """The sandbox's /2/info, read by the test itself through RAPI."""
    from ganeti_dashboard.api import rapi
    from ganeti_dashboard.conf import loader
    return rapi.RapiClient(loader.ClusterConfig(
        name="sandbox", rapi_url=sandbox["RAPI_URL"],
        rapi_user=sandbox["RAPI_USER"],
        rapi_password=sandbox["RAPI_PASSWORD"],
        ca_file=sandbox["RAPI_CA"])).info()


def client_for(name, env):
    """A RAPI client of the tests' own, to check what the page did."""
    from ganeti_dashboard.api import rapi
    from ganeti_dashboard.conf import loader
    return rapi.RapiClient(loader.ClusterConfig(
        name=name, rapi_url=env["RAPI_URL"], rapi_user=env["RAPI_USER"],
        rapi_password=env["RAPI_PASSWORD"], ca_file=env["RAPI_CA"],
        read_timeout=30))


@pytest.fixture(scope="session")
def rapi_client(sandbox):
    return client_for("sandbox", sandbox)


@pytest.fixture(scope="session")
def rapi_client2(sandbox2):
    return client_for("sandbox2", sandbox2)


def _instance_maker(client, env, made):
    """make(name=None, **spec) -> name of an instance made on ``client``'s
    cluster (started unless ``start=False``), listed in ``made``.
    """
    import uuid

    def make(name=None, **spec):
        name = name or "gdweb-%s.ganeti.test" % uuid.uuid4().hex[:8]
        body = {"name": name, "disk_template": "diskless", "disks": [],
                "nics": [{}], "os_type": env["OS"],
                "pnode": env["NODE"], "beparams": {"memory": 128},
                "start": True, "name_check": False, "ip_check": False}
        body.update(spec)
        made.append(name)
        client.wait_for_job(client.create_instance(body))
        return name
    return make


def _remove_made(client, made):
    from ganeti_dashboard.api import errors
    for name in made:
        try:
            client.wait_for_job(client.delete_instance(name))
        except errors.RapiError:
            pass


@pytest.fixture
def made_instance(rapi_client, sandbox):
    """made_instance(**spec) -> name of a started instance, removed after."""
    made = []
    yield _instance_maker(rapi_client, sandbox, made)
    _remove_made(rapi_client, made)


@pytest.fixture
def made_instance2(rapi_client2, sandbox2):
    """As made_instance, on the two-node cluster's first node."""
    made = []
    yield _instance_maker(rapi_client2, sandbox2, made)
    _remove_made(rapi_client2, made)


@pytest.fixture(scope="session")
def keystone_admin():
    """(Keystone URL, headers with an admin token), for the tests' checks."""
    import requests
    url = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": ADMIN[0], "domain": {"id": "default"},
            "password": ADMIN[1]}}},
        "scope": {"project": {"name": "admin",
                              "domain": {"id": "default"}}}}}
    token = requests.post(url + "/auth/tokens", json=body, timeout=30) \
        .headers["X-Subject-Token"]
    return url, {"X-Auth-Token": token}


@pytest.fixture(scope="session")
def keystone_projects(keystone_admin):
    """{project name: id} read from Keystone by the test itself."""
    import requests
    url, headers = keystone_admin
    projects = requests.get(url + "/projects", timeout=30,
                            headers=headers).json()
    return {p["name"]: p["id"] for p in projects["projects"]}


OTHER_MEMBER = ("other-member", "demopw")


@pytest.fixture
def mapped_projects(keystone_admin, keystone_projects):
    """Map demo and other to sandbox (Keystone tags); undo afterwards."""
    import requests
    url, headers = keystone_admin
    tag = "ganeti:cluster:sandbox"
    added = []
    for name in ("demo", "other"):
        tags_url = "%s/projects/%s/tags/%s" % (url, keystone_projects[name],
                                               tag)
        if requests.get(tags_url, headers=headers,
                        timeout=30).status_code == 404:
            answer = requests.put(tags_url, headers=headers, timeout=30)
            # 400 "non-unique": someone else mapped it meanwhile.
            if answer.status_code != 400:
                answer.raise_for_status()
                added.append(tags_url)
    yield keystone_projects
    for tags_url in added:
        requests.delete(tags_url, headers=headers, timeout=30)
