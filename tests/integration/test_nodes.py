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

"""api.nodes against the real sandboxes: sandbox (one node), sandbox2 (two).

Every test leaves the clusters as it found them: roles restored, instances
deleted, and instances of others that a node action moved moved back.
"""

import types
import uuid

import pytest

from django.core.cache import cache

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.api import snapshots

pytestmark = pytest.mark.integration


@pytest.fixture
def config(tmp_path, sandbox, sandbox2, settings):
    path = tmp_path / "ganeti-dashboard.conf"
    path.write_text("""
[cluster:sandbox]
rapi_url = {s[RAPI_URL]}
rapi_user = {s[RAPI_USER]}
rapi_password = {s[RAPI_PASSWORD]}
ca_file = {s[RAPI_CA]}
read_timeout = 30
[cluster:sandbox2]
rapi_url = {s2[RAPI_URL]}
rapi_user = {s2[RAPI_USER]}
rapi_password = {s2[RAPI_PASSWORD]}
ca_file = {s2[RAPI_CA]}
read_timeout = 30
[cluster:down]
rapi_url = https://127.0.0.1:1
""".format(s=sandbox, s2=sandbox2))
    settings.GANETI_DASHBOARD_CONFIG = str(path)
    clusters.reset_clients()
    # Every test lists from snapshots of its own.
    cache.clear()
    snapshots.forget_decoded()
    yield path
    snapshots.drain()
    clusters.reset_clients()


def placement(client):
    """{instance: (primary node, running)} of a cluster."""
    return {i["name"]: (i["pnode"], i["status"] == "running")
            for i in client.instances(bulk=True)}


def restore_placement(client, before):
    """Move back instances a node action moved (other tests' included)."""
    for name, (pnode, _) in placement(client).items():
        if name not in before or before[name][0] == pnode:
            continue
        if before[name][1]:
            job = client.migrate_instance(name, target_node=before[name][0])
        else:
            job = client.failover_instance(name,
                                           target_node=before[name][0])
        try:
            client.wait_for_job(job, timeout=120)
        except errors.JobFailed:
            pass  # changed meanwhile by its owner


def wait_all(client, job_ids):
    """Wait for jobs (bounded); the ones that fail are other instances'."""
    for job_id in job_ids:
        try:
            client.wait_for_job(job_id, timeout=120)
        except errors.JobFailed:
            pass


@pytest.fixture
def request_():
    """What job_starters.reason() reads of a Horizon request."""
    user = types.SimpleNamespace(username="itest", id="u1",
                                 project_name="admin", project_id="p1")
    return types.SimpleNamespace(user=user)


@pytest.fixture
def node2(config, sandbox2):
    """NODE2 of sandbox2, its role restored after the test."""
    client = clusters.client("sandbox2")
    before = client.node_role(sandbox2["NODE2"])
    yield node_api.get("sandbox2:" + sandbox2["NODE2"])
    if client.node_role(sandbox2["NODE2"]) != before:
        client.wait_for_job(client.set_node_role(sandbox2["NODE2"], before))


def test_lists_both_clusters_and_names_the_down_one(config, sandbox,
                                                    sandbox2):
    found, snapshots = node_api.list_all()
    ids = {n.id: n for n in found}
    assert "sandbox:" + sandbox["NODE"] in ids
    assert {"sandbox2:" + sandbox2["NODE"],
            "sandbox2:" + sandbox2["NODE2"]} <= set(ids)
    failures = {n: s.error for n, s in snapshots.items()
                if not s.available}
    assert list(failures) == ["down"]
    assert "connection refused" in str(failures["down"])
    single = ids["sandbox:" + sandbox["NODE"]]
    assert single.role == "master" and single.group == "default"
    assert single.mtotal and single.cpus
    assert single.cannot("migrate") == "the cluster has no other node"
    assert single.cannot("evacuate") == "the cluster has no other node"
    # Refused before Ganeti is asked (api/preconditions.py).
    with pytest.raises(errors.Refused) as caught:
        node_api.migrate(None, single)
    assert "the cluster has no other node" in str(caught.value)


def test_set_role_drained_and_back(config, node2, request_, sandbox2):
    client = clusters.client("sandbox2")
    started = node_api.set_role(request_, node2, "drained")
    assert started.done
    assert client.node_role(sandbox2["NODE2"]) == "drained"
    job = client.job(started.job_id)
    assert ["gnt:user", "horizon user=itest(u1) project=admin(p1)"] == \
        job["ops"][0]["reason"][0][:2]
    node_api.set_role(request_, node2, "master-candidate")
    assert client.node_role(sandbox2["NODE2"]) == "master-candidate"


def test_master_role_change_is_refused_before_ganeti_is_asked(
        config, request_, sandbox2):
    # Ganeti would refuse it ("only via master-failover"); the dashboard
    # knows the role and refuses first, with no job.
    client = clusters.client("sandbox2")
    newest = client.job_ids()[:1]
    master = node_api.get("sandbox2:" + sandbox2["NODE"])
    with pytest.raises(errors.Refused) as caught:
        node_api.set_role(request_, master, "regular")
    assert "its role changes only by a master failover" in str(caught.value)
    assert client.job_ids()[:1] == newest
    assert client.node_role(sandbox2["NODE"]) == "master"


def test_migrate_moves_primaries_in_the_chosen_mode(config, request_,
                                                    sandbox2):
    client = clusters.client("sandbox2")
    before = placement(client)
    name = "gdnode-%s.ganeti.test" % uuid.uuid4().hex[:8]
    client.wait_for_job(client.create_instance({
        "name": name, "disk_template": "diskless", "disks": [],
        "nics": [{}], "os_type": sandbox2["OS"], "pnode": sandbox2["NODE2"],
        "beparams": {"memory": 128}, "start": True, "name_check": False,
        "ip_check": False}), timeout=120)
    try:
        node = node_api.get("sandbox2:" + sandbox2["NODE2"])
        assert node.cannot("migrate") is None
        started = node_api.migrate(request_, node, "non-live")
        assert started.done and started.sub_jobs
        # RAPI ignores the body when the query has the reason: the mode
        # must reach Ganeti all the same.
        assert client.job(started.job_id)["ops"][0]["mode"] == "non-live"
        # One job per primary instance; stopped ones (other tests') fail.
        wait_all(client, started.sub_jobs)
        assert client.instance(name)["pnode"] == sandbox2["NODE"]
        # Its row settles once every job it followed has ended.
        assert not node.settled
        node_api.refresh_pending(node)
        assert node.settled
    finally:
        client.wait_for_job(client.delete_instance(name), timeout=120)
        restore_placement(client, before)
