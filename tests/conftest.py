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

"""Fixtures shared by the integration and browser tests: the dev stack.

These tests run against the real parts that ``tools/stack`` (or
``tools/test``) brings up: the sandbox Ganeti cluster and Keystone. They fail,
not skip, when those are missing: a skipped real-parts test proves nothing.
"""

import os
import shlex
import uuid

import pytest

STATE = os.environ.get("GANETI_DASHBOARD_STATE", "/var/lib/ganeti-dashboard-dev")


def _read_env(path):
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, value = line.split("=", 1)
                values[key] = shlex.split(value)[0] if value else ""
    return values


@pytest.fixture(scope="session")
def sandbox():
    """Facts of the sandbox cluster, from the file its script writes."""
    path = os.path.join(STATE, "ganeti", "cluster.env")
    if not os.path.exists(path):
        pytest.fail("%s is missing: bring the dev stack up first "
                    "(tools/stack up, or run tools/test)" % path)
    return _read_env(path)


@pytest.fixture(scope="session")
def sandbox2():
    """Facts of the second sandbox cluster (two nodes: NODE and NODE2)."""
    path = os.path.join(STATE, "ganeti2", "cluster.env")
    if not os.path.exists(path):
        pytest.fail("%s is missing: bring the dev stack up first "
                    "(tools/stack up, or run tools/test)" % path)
    return _read_env(path)


@pytest.fixture
def unique_name():
    """A fresh instance name (name_check is off for these)."""
    return "gdtest-%s.ganeti.test" % uuid.uuid4().hex[:8]
