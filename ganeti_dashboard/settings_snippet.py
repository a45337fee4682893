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

"""Horizon settings the plugin needs, applied to a settings namespace.

Kept in code rather than only in the ``local_settings.d`` file so that the
snippet, the dev stack and the unit-test settings apply the very same thing.
"""

import os

CONF_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conf")
# The finder of ganeti_dashboard.static_assets, by name: settings are still
# loading, so nothing of Django may be imported here.
CONSOLE_ASSETS_FINDER = "ganeti_dashboard.static_assets.ConsoleAssetsFinder"
ENABLED_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "enabled")
# noVNC and xterm.js as the sdist and the wheel carry them (and as a
# checkout gets them: tools/lib/console_assets.py).
PACKAGED_CONSOLE_ASSETS = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "console", "assets",
    "node_modules")


# Where the plugin's log lines and a view's unhandled exception go when the
# site says nothing: the server's error stream (gunicorn's error log,
# Apache's under mod_wsgi). Horizon from PyPI defines no LOGGING, and
# Django's default then sends an unhandled exception only to mail_admins:
# without mail settings, nowhere.
LOG_FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"
DEFAULT_LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"ganeti_dashboard": {"format": LOG_FORMAT}},
    "handlers": {"ganeti_dashboard_stderr": {
        "class": "logging.StreamHandler", "formatter": "ganeti_dashboard"}},
    "loggers": {
        "django.request": {"handlers": ["ganeti_dashboard_stderr"],
                           "level": "ERROR", "propagate": False},
        "ganeti_dashboard": {"handlers": ["ganeti_dashboard_stderr"],
                             "level": "INFO", "propagate": False},
    },
}


def _logging(namespace):
    """The site's LOGGING, or :data:`DEFAULT_LOGGING`; a LOGGING of the
    operator's own gets the ``ganeti_dashboard`` logger if it lacks one
    (on its handlers for ``django``, or on stderr).
    """
    import copy
    current = namespace.get("LOGGING")
    if not current:
        namespace["LOGGING"] = copy.deepcopy(DEFAULT_LOGGING)
        return
    loggers = current.setdefault("loggers", {})
    if "ganeti_dashboard" in loggers:
        return
    handlers = (loggers.get("django") or {}).get("handlers")
    if not handlers:
        current.setdefault("formatters", {}).update(
            DEFAULT_LOGGING["formatters"])
        current.setdefault("handlers", {}).update(
            DEFAULT_LOGGING["handlers"])
        handlers = ["ganeti_dashboard_stderr"]
    loggers["ganeti_dashboard"] = {"handlers": list(handlers),
                                   "level": "INFO", "propagate": False}


def apply(namespace):
    """Register the ``ganeti`` policy service and the console assets'
    static files finder, and make sure failures are logged; keep operator
    overrides.
    """
    _logging(namespace)
    namespace["POLICY_FILES"].setdefault(
        "ganeti", os.path.join(CONF_DIR, "ganeti_policy.yaml"))
    namespace["DEFAULT_POLICY_FILES"].setdefault(
        "ganeti", os.path.join(CONF_DIR, "default_policies", "ganeti.yaml"))
    namespace.setdefault("GANETI_DASHBOARD_CONFIG",
                         os.environ.get("GANETI_DASHBOARD_CONFIG",
                                        "/etc/ganeti-dashboard/"
                                        "ganeti-dashboard.conf"))
    # The console pages' noVNC and xterm.js (see static_assets).
    namespace.setdefault("GANETI_DASHBOARD_CONSOLE_ASSETS", os.environ.get(
        "GANETI_DASHBOARD_CONSOLE_ASSETS", PACKAGED_CONSOLE_ASSETS))
    finders = list(namespace.get("STATICFILES_FINDERS") or (
        "django.contrib.staticfiles.finders.FileSystemFinder",
        "django.contrib.staticfiles.finders.AppDirectoriesFinder"))
    if CONSOLE_ASSETS_FINDER not in finders:
        namespace["STATICFILES_FINDERS"] = tuple(finders) + (
            CONSOLE_ASSETS_FINDER,)


def user_home(user):
    """Landing page that works with an identity-only service catalog.

    Horizon's default, Project > Overview, needs compute; operators land on
    the Ganeti clusters, project members and readers on their instances.
    """
    from django.urls import reverse
    if user.is_superuser:
        return reverse("horizon:admin:ganeti_clusters:index")
    return reverse("horizon:project:ganeti_instances:index")
