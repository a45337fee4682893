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

"""Unit-test settings: Horizon's own test settings plus this plugin."""

import atexit
import os
import shutil
import tempfile

# A temporary directory of this test run's own, for every temporary file of
# the run: Horizon's test settings keep their secret key in the temporary
# directory (.secret_key_store, mode 0600), so under the shared /tmp the
# first user to run the tests would lock every other user out, and two
# checkouts tested at once would share files.
tempfile.tempdir = tempfile.mkdtemp(prefix="ganeti-dashboard-tests-")
atexit.register(shutil.rmtree, tempfile.tempdir, ignore_errors=True)

from horizon.test.settings import *  # noqa: E402,F401,F403
from openstack_dashboard.test.settings import *  # noqa: E402,F401,F403

import openstack_dashboard.enabled  # noqa: E402
from openstack_dashboard.utils import settings as settings_utils  # noqa: E402

import ganeti_dashboard.enabled  # noqa: E402
from ganeti_dashboard import settings_snippet  # noqa: E402

# Horizon's test settings turn policy checks off; this plugin's tests check
# that a member has no Admin > Ganeti, so they are on, with Horizon's shipped
# policy files for its own services.
POLICY_CHECK_FUNCTION = "openstack_auth.policy.check"
POLICY_FILES = {
    "identity": "keystone_policy.yaml",
    "compute": "nova_policy.yaml",
}
settings_snippet.apply(globals())

# Django's default cache, a LocMemCache, keeps 300 items and then drops a
# third of them: django_compressor alone stores about 250 on the first page
# rendered, so the clusters' snapshots were dropped between two views and
# every view asked RAPI again. memcached, which the dashboard runs on, drops
# nothing at this size.
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 100000},
}}

# Unit tests never read a real file: each test that needs one writes its own.
GANETI_DASHBOARD_CONFIG = os.path.join(tempfile.gettempdir(),
                                       "ganeti-dashboard-unit-tests.conf")

# Horizon's test settings already added its own dashboards; start again from
# the base apps so that every dashboard is added exactly once.
INSTALLED_APPS = [app for app in INSTALLED_APPS  # noqa: F405
                  if not app.startswith("openstack_dashboard.dashboards.")]
settings_utils.update_dashboards(
    [openstack_dashboard.enabled, ganeti_dashboard.enabled],
    HORIZON_CONFIG,  # noqa: F405
    INSTALLED_APPS,  # noqa: F405
)
