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

"""``tools/ganeti-sandbox seed|unseed`` against the real sandbox clusters.

Seeds a few instances under a prefix of this test's own (other tests' and
other seeds' instances are never touched), checks that Ganeti reports them
like any other (RAPI list and detail, owner tags, a real start and shutdown
job, a remove job, ``gnt-cluster verify`` with no new error), then unseeds
them. Seeding stops the master's daemons for a few seconds: the script
waits until the cluster runs no job first.
"""

import collections
import os
import subprocess
import uuid

import pytest

from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader

pytestmark = pytest.mark.integration

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "tools",
                      "ganeti-sandbox")
COUNT = 30


def sandbox_tool(cluster, *args, check=True):
    return subprocess.run(
        [SCRIPT, "--cluster", cluster] + list(args), check=check,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=300)


def verify_problems(cluster):
    """ERROR/WARNING lines of gnt-cluster verify, without their times."""
    out = sandbox_tool(cluster, "exec", "gnt-cluster", "verify",
                       check=False).stdout
    return {line.split(" - ", 1)[1] for line in out.splitlines()
            if " - ERROR:" in line or " - WARNING:" in line}


@pytest.fixture(params=["dash2"])
def cluster(request, sandbox, sandbox2):
    env = {"dash1": sandbox, "dash2": sandbox2}[request.param]
    client = rapi.RapiClient(loader.ClusterConfig(
        name=request.param, rapi_url=env["RAPI_URL"],
        rapi_user=env["RAPI_USER"], rapi_password=env["RAPI_PASSWORD"],
        ca_file=env["RAPI_CA"], connect_timeout=3, read_timeout=60))
    return request.param, client


def test_seed_and_unseed(cluster, project_ids):
    name, client = cluster
    prefix = "seedtest-%s" % uuid.uuid4().hex[:6]
    suffix = ".%s.test" % name
    problems_before = verify_problems(name)
    try:
        out = sandbox_tool(name, "seed", str(COUNT), "--prefix", prefix,
                           "--running-share", "0.5").stdout
        assert "seed %s:" % name in out, out

        seeded = {i["name"]: i for i in client.instances(bulk=True)
                  if i["name"].startswith(prefix + "-")}
        assert len(seeded) == COUNT
        assert all(n.endswith(suffix) for n in seeded)
        statuses = collections.Counter(i["status"] for i in seeded.values())
        assert statuses == {"running": COUNT // 2, "ADMIN_down": COUNT // 2}
        owners = collections.Counter()
        for inst in seeded.values():
            projects = [t.split(":", 2)[2] for t in inst["tags"]
                        if t.startswith("openstack:project:")]
            users = [t for t in inst["tags"] if t.startswith("openstack:user:")]
            assert len(projects) <= 1 and len(users) == len(projects)
            owners[projects[0] if projects else None] += 1
        assert owners == {project_ids["demo"]: COUNT // 3,
                          project_ids["other"]: COUNT // 3, None: COUNT // 3}
        # every node of the cluster got its share
        nodes = collections.Counter(i["pnode"] for i in seeded.values())
        assert len(nodes) == len(client.node_names())

        assert verify_problems(name) <= problems_before

        # real jobs on seeded instances
        stopped = sorted(n for n, i in seeded.items()
                         if i["status"] == "ADMIN_down")
        running = sorted(n for n, i in seeded.items()
                         if i["status"] == "running")
        client.wait_for_job(client.startup_instance(stopped[0]), timeout=60)
        client.wait_for_job(client.shutdown_instance(running[0]), timeout=60)
        assert client.instance(stopped[0])["status"] == "running"
        assert client.instance(running[0])["status"] == "ADMIN_down"
        client.wait_for_job(client.delete_instance(running[1]), timeout=60)
        assert running[1] not in client.instance_names()
    finally:
        out = sandbox_tool(name, "unseed", "--prefix", prefix).stdout
    assert "unseed %s:" % name in out, out
    assert not [n for n in client.instance_names()
                if n.startswith(prefix + "-")]
    assert verify_problems(name) <= problems_before
