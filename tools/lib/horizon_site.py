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

"""A Horizon site with this plugin, served as an operator would serve it.

gunicorn, DEBUG off, static files collected and compressed offline, Django's
cache and sessions on memcached. Used by ``tools/stack`` (the dev stack's
Horizon) and by the browser tests (their own Horizon, from the checkout under
test, on a port of their own), so both run the very same setup.

The plugin is found through PYTHONPATH (the checkout this file belongs to),
and its enabled files through the package path of
``openstack_dashboard.local.enabled``: nothing is written into site-packages.

Command line: ``horizon_site.py up|down SITE_DIR PORT CONFIG_FILE``.
"""

import hashlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
VENV_BIN = os.path.dirname(os.path.abspath(sys.executable))
STATE = os.environ.get("GANETI_DASHBOARD_STATE",
                       "/var/lib/ganeti-dashboard-dev")
# noVNC and xterm.js, installed from npm by tools/lib/common.sh
# (ensure_console_assets).
CONSOLE_ASSETS = os.path.join(STATE, "console-assets", "node_modules")

LOCAL_SETTINGS = '''\
# Written by tools/lib/horizon_site.py. Horizon settings of this site.
import os

import openstack_dashboard.local.enabled as _local_enabled
import openstack_dashboard.settings as _settings  # being imported: shared

from ganeti_dashboard import memcached as _memcached
from ganeti_dashboard import settings_snippet as _ganeti

DEBUG = False
SECRET_KEY = {secret_key!r}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
OPENSTACK_HOST = "127.0.0.1"
OPENSTACK_KEYSTONE_URL = {keystone_url!r}
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
CACHES = {{
    "default": {{
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "127.0.0.1:{memcached_port}",
        "KEY_PREFIX": {key_prefix!r},
        # One server: no murmur3 of every key (doc/source/install.rst).
        "OPTIONS": {{"hasher": _memcached.ServerChoice}},
    }},
}}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
STATIC_ROOT = {static_root!r}
COMPRESS_ENABLED = True
COMPRESS_OFFLINE = True
GANETI_DASHBOARD_CONFIG = {config!r}
GANETI_DASHBOARD_CONSOLE_ASSETS = {console_assets!r}

_ganeti.apply(vars(_settings))
_settings.HORIZON_CONFIG["user_home"] = \\
    "ganeti_dashboard.settings_snippet.user_home"
if _ganeti.ENABLED_DIR not in _local_enabled.__path__:
    _local_enabled.__path__.append(_ganeti.ENABLED_DIR)
{extra}'''

WSGI = '''\
# Written by tools/lib/horizon_site.py: Horizon plus its static files.
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openstack_dashboard.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from whitenoise import WhiteNoise  # noqa: E402

application = WhiteNoise(get_wsgi_application(), root=settings.STATIC_ROOT,
                         prefix=settings.STATIC_URL, max_age=3600)
'''


def _env(site):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([site, REPO])
    env["DJANGO_SETTINGS_MODULE"] = "openstack_dashboard.settings"
    env.pop("GANETI_DASHBOARD_CONFIG", None)
    return env


def _port_open(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _pid(site):
    try:
        with open(os.path.join(site, "gunicorn.pid")) as f:
            pid = int(f.read().strip())
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            if b"gunicorn" in f.read() and site.encode() in open(
                    "/proc/%d/environ" % pid, "rb").read():
                return pid
    except (OSError, ValueError):
        pass
    return None


def write(site, port, config, keystone_url="http://127.0.0.1:5000/v3",
          memcached_port=11211, console_assets=CONSOLE_ASSETS,
          key_prefix=None, extra=""):
    """The site's settings. ``key_prefix``: of the shared cache (each
    site has its own by default; sites given the same one are hosts of
    one deployment, sharing sessions and snapshots); ``extra``: settings
    text appended (e.g. a benchmark's logging).
    """
    os.makedirs(os.path.join(site, "local"), exist_ok=True)
    key_file = os.path.join(site, "secret_key")
    if not os.path.exists(key_file):
        with open(os.open(key_file, os.O_WRONLY | os.O_CREAT, 0o600),
                  "w") as f:
            f.write(secrets.token_urlsafe(48))
    with open(key_file) as f:
        secret_key = f.read().strip()
    settings = LOCAL_SETTINGS.format(
        secret_key=secret_key, keystone_url=keystone_url,
        memcached_port=memcached_port,
        key_prefix=key_prefix or "ganeti-dashboard-%d" % port,
        static_root=os.path.join(site, "static"), config=config,
        console_assets=console_assets, extra=extra)
    _write_if_changed(os.path.join(site, "local", "local_settings.py"),
                      settings)
    _write_if_changed(os.path.join(site, "local", "__init__.py"), "")
    _write_if_changed(os.path.join(site, "wsgi.py"), WSGI)


def _write_if_changed(path, text):
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except OSError:
        pass
    with open(path, "w") as f:
        f.write(text)


def _build_stamp(site):
    """What the collected and compressed static files depend on."""
    digest = hashlib.sha1()
    import horizon
    digest.update(horizon.__file__.encode())
    with open(os.path.join(site, "local", "local_settings.py"), "rb") as f:
        digest.update(f.read())
    try:
        # tools/lib/console_assets.py's stamp: the libraries' version.
        with open(os.path.join(CONSOLE_ASSETS,
                               ".ganeti-dashboard-assets"), "rb") as f:
            digest.update(f.read())
    except OSError:
        pass
    # Every template of the package (the shared ones and each panel's):
    # compress reads them all; the package's own scripts, which it
    # compresses; and the enabled files, whose ADD_JS_FILES name them.
    for root, dirs, files in os.walk(os.path.join(REPO, "ganeti_dashboard")):
        dirs[:] = sorted(d for d in dirs
                         if d not in ("node_modules", "__pycache__"))
        for name in sorted(files):
            if not (name.endswith((".html", ".js", ".css"))
                    or os.path.basename(root) == "enabled"):
                continue
            path = os.path.join(root, name)
            digest.update(path.encode())
            with open(path, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()


def build(site):
    """collectstatic + offline compress, only when their inputs changed."""
    stamp_file = os.path.join(site, "static.stamp")
    stamp = _build_stamp(site)
    try:
        with open(stamp_file) as f:
            if f.read() == stamp:
                return False
    except OSError:
        pass
    admin = os.path.join(VENV_BIN, "django-admin")
    for command in (["collectstatic", "--noinput", "--clear", "-v0"],
                    ["compress", "--force", "-v0"]):
        subprocess.run([admin] + command, env=_env(site), check=True,
                       cwd=site, stdout=subprocess.DEVNULL)
    with open(stamp_file, "w") as f:
        f.write(stamp)
    return True


def up(site, port, config, **kwargs):
    """Start (or keep) the site; return its URL. Idempotent."""
    site = os.path.abspath(site)
    write(site, port, config, **kwargs)
    rebuilt = build(site)
    url = "http://127.0.0.1:%d" % port
    pid = _pid(site)
    if pid and not rebuilt and _port_open(port):
        # Code may have changed: a HUP makes gunicorn reload its workers.
        os.kill(pid, signal.SIGHUP)
        _wait(url, 60)
        return url
    if pid:
        down(site)
    if _port_open(port):
        raise SystemExit("127.0.0.1:%d is already in use by another program"
                         % port)
    subprocess.run([
        os.path.join(VENV_BIN, "gunicorn"), "--chdir", site,
        "--bind", "127.0.0.1:%d" % port, "--workers", "2", "--threads", "4",
        "--timeout", "120", "--graceful-timeout", "5", "--pid", os.path.join(site, "gunicorn.pid"),
        # The plugin's log (and Django's tracebacks) go to stderr, which
        # a daemon would otherwise drop: into the error log with them.
        "--error-logfile", os.path.join(site, "gunicorn.log"),
        "--capture-output",
        "--access-logfile", os.path.join(site, "access.log"),
        "--daemon", "wsgi:application"], env=_env(site), check=True)
    _wait(url, 60)
    return url


def _wait(url, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/auth/login/", timeout=10)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("Horizon did not answer at %s within %ds" % (url, limit))


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def _alive(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def down(site):
    """Stop the site's gunicorn and its workers: only the pids it started.

    Workers that still hold a client connection can outlive their master,
    so they are collected first and killed if they are still there.
    """
    site = os.path.abspath(site)
    pid = _pid(site)
    if not pid:
        return
    workers = _children(pid)
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(
            _alive(p) for p in [pid] + workers):
        time.sleep(0.1)
    for leftover in [pid] + workers:
        if _alive(leftover):
            os.kill(leftover, signal.SIGKILL)


if __name__ == "__main__":
    if sys.argv[1] == "up":
        print(up(sys.argv[2], int(sys.argv[3]), sys.argv[4]))
    elif sys.argv[1] == "down":
        down(sys.argv[2])
    else:
        raise SystemExit(__doc__)
