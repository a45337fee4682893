"""Unit-test helpers: a ganeti-dashboard.conf written for one test."""

import contextlib
import os
import tempfile

from django.test import utils as django_test_utils

from ganeti_dashboard.api import clusters


@contextlib.contextmanager
def config_file(text):
    """Point the dashboard at a config file holding ``text``."""
    handle, path = tempfile.mkstemp(suffix=".conf")
    with os.fdopen(handle, "w") as f:
        f.write(text)
    clusters.reset_clients()
    try:
        with django_test_utils.override_settings(
                GANETI_DASHBOARD_CONFIG=path):
            yield path
    finally:
        os.unlink(path)
        clusters.reset_clients()


TWO_CLUSTERS = """
[DEFAULT]
refresh_interval = 10

[cluster:alpha]
rapi_url = https://alpha.example.test:5080
rapi_user = ganeti
rapi_password = secret-alpha

[cluster:beta]
rapi_url = https://beta.example.test:5080
rapi_user = ganeti
rapi_password = secret-beta
"""


def become_reader(case):
    """Make the logged-in test user of ``case`` a reader of its project."""
    case.setActiveUser(id=case.user.id, token=case.token,
                       username=case.user.name, tenant_id=case.tenant.id,
                       service_catalog=case.service_catalog,
                       authorized_tenants=case.tenants.list(),
                       roles=[{"name": "reader"}])
