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


def apply(namespace):
    """Register the ``ganeti`` policy service and the console assets'
    static files finder; keep operator overrides."""
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
        "GANETI_DASHBOARD_CONSOLE_ASSETS",
        "/usr/share/ganeti-dashboard/console-assets/node_modules"))
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
