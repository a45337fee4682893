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

import dataclasses

import pytest

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader
from tests.integration.keystone import keystone_settings  # noqa: F401
from tests.integration.keystone import project_ids  # noqa: F401
from tests.integration.keystone import rest  # noqa: F401


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test shows the log of the console proxy it talked to: the
    proxy is another process, and its log says where a connection stopped.
    """
    outcome = yield
    report = outcome.get_result()
    proxy = getattr(item, "funcargs", {}).get("proxy")
    process = getattr(proxy, "process", None)
    if report.failed and hasattr(process, "log"):
        report.sections.append(("ganeti-console-proxy log",
                                process.log()[-6000:]))


@pytest.fixture(scope="session")
def cluster_config(sandbox):
    return loader.ClusterConfig(
        name="sandbox", rapi_url=sandbox["RAPI_URL"],
        rapi_user=sandbox["RAPI_USER"],
        rapi_password=sandbox["RAPI_PASSWORD"], ca_file=sandbox["RAPI_CA"],
        connect_timeout=3, read_timeout=30)


@pytest.fixture(scope="session")
def client(cluster_config):
    return rapi.RapiClient(cluster_config)


@pytest.fixture(scope="session")
def readonly_client(cluster_config, sandbox):
    return rapi.RapiClient(dataclasses.replace(
        cluster_config, rapi_user=sandbox["RAPI_RO_USER"],
        rapi_password=sandbox["RAPI_RO_PASSWORD"]))


@pytest.fixture
def make_instance(client, sandbox):
    """Create instances through RAPI; remove them after the test."""
    made = []

    def make(name, start=True, **spec):
        body = {"name": name, "disk_template": "diskless", "disks": [],
                "nics": [{}], "os_type": sandbox["OS"],
                "pnode": sandbox["NODE"], "beparams": {"memory": 128},
                "start": start, "name_check": False, "ip_check": False}
        body.update(spec)
        made.append(name)
        client.wait_for_job(client.create_instance(body), timeout=120)
        return name

    yield make
    for name in made:
        try:
            client.wait_for_job(client.delete_instance(name), timeout=120)
        except errors.NotFound:
            pass
        except errors.JobFailed as exc:
            if "not known" not in str(exc):
                raise
