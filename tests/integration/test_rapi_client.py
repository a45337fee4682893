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

"""The RAPI client against the real sandbox cluster: every method, for real.

Jobs are waited for by polling them with a bound (``wait_for_job``).
"""

import dataclasses

import pytest

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi

pytestmark = pytest.mark.integration


def test_info_reports_the_cluster(client, sandbox):
    info = client.info()
    assert info["name"] == sandbox["CLUSTER_NAME"]
    assert info["master"] == sandbox["NODE"]
    assert info["software_version"].startswith("3.")
    assert "fake" in info["enabled_hypervisors"]
    assert client.version() == 2


def test_features_list_request_versions(client):
    assert "instance-create-reqv1" in client.features()


def test_operating_systems_include_the_noop_os_and_variants(client, sandbox):
    names = client.operating_systems()
    assert sandbox["OS"] in names
    assert "noop-variants+minimal" in names


def test_nodes_groups_and_networks(client, sandbox):
    nodes = client.nodes()
    assert [n["name"] for n in nodes] == [sandbox["NODE"]]
    assert "mtotal" in nodes[0] and "pinst_cnt" in nodes[0]
    assert client.node_names() == [sandbox["NODE"]]
    assert client.node(sandbox["NODE"])["master_candidate"] is True
    assert client.node_role(sandbox["NODE"]) == "master"
    assert [g["name"] for g in client.groups()] == ["default"]
    assert client.networks() == []


def test_unknown_objects_are_not_found(client, sandbox):
    # RAPI answers 404 for some of these and 500 for others.
    for call in (lambda: client.instance("nope.ganeti.test"),
                 lambda: client.instance_tags("nope.ganeti.test"),
                 lambda: client.instance_console("nope.ganeti.test"),
                 lambda: client.node("nope.ganeti.test"),
                 lambda: client.node_role("nope.ganeti.test"),
                 lambda: client.job(10 ** 9)):
        with pytest.raises(errors.NotFound):
            call()


def test_instance_lifecycle(client, make_instance, unique_name, sandbox):
    name = make_instance(unique_name, start=False)
    assert name in client.instance_names()
    found = {i["name"]: i for i in client.instances()}[name]
    assert found["status"] == "ADMIN_down"
    assert found["pnode"] == sandbox["NODE"]

    client.wait_for_job(client.startup_instance(name))
    assert client.instance(name)["status"] == "running"

    client.wait_for_job(client.reboot_instance(name, "hard"))
    assert client.instance(name)["status"] == "running"

    client.wait_for_job(client.modify_instance(
        name, beparams={"maxmem": 256, "minmem": 256, "vcpus": 2}))
    beparams = client.instance(name)["beparams"]
    assert (beparams["maxmem"], beparams["vcpus"]) == (256, 2)

    client.wait_for_job(client.shutdown_instance(name, timeout=0))
    assert client.instance(name)["status"] == "ADMIN_down"

    client.wait_for_job(client.delete_instance(name))
    assert name not in client.instance_names()


def test_rename_and_reinstall(client, make_instance, unique_name):
    name = make_instance(unique_name, disk_template="file",
                         disks=[{"size": 1024}], start=False)
    new_name = "re" + unique_name
    client.wait_for_job(client.rename_instance(name, new_name))
    try:
        assert new_name in client.instance_names()
        assert name not in client.instance_names()
        # With a reason, as the dashboard always sends one.
        job = client.wait_for_job(client.reinstall_instance(
            new_name, os_name="noop", start=False, reason="horizon test"))
        assert job["status"] == "success"
    finally:
        client.wait_for_job(client.rename_instance(new_name, name))


def test_instance_tags_and_reason_trail(client, make_instance, unique_name):
    name = make_instance(unique_name, start=False)
    job_id = client.add_instance_tags(
        name, ["openstack:project:abc123"], reason="keystone:user:u1")
    job = client.wait_for_job(job_id)
    assert ["gnt:user", "keystone:user:u1"] == job["ops"][0]["reason"][0][:2]
    assert client.instance_tags(name) == ["openstack:project:abc123"]
    client.wait_for_job(client.delete_instance_tags(
        name, ["openstack:project:abc123"]))
    assert client.instance_tags(name) == []


def test_cluster_tags(client):
    tag = "ganeti-dashboard:itest"
    client.wait_for_job(client.add_cluster_tags([tag]))
    try:
        assert tag in client.cluster_tags()
    finally:
        client.wait_for_job(client.delete_cluster_tags([tag]))
    assert tag not in client.cluster_tags()


def test_console_of_fake_instance_says_why(client, make_instance,
                                           unique_name):
    name = make_instance(unique_name)
    console = client.instance_console(name)
    assert console["kind"] == "msg"
    assert "fake hypervisor" in console["message"]


def test_job_failure_carries_ganetis_message(client, make_instance,
                                             unique_name):
    name = make_instance(unique_name)
    # One node: nowhere to migrate or fail over to.
    for job_id in (client.migrate_instance(name),
                   client.failover_instance(name)):
        with pytest.raises(errors.JobFailed) as failed:
            client.wait_for_job(job_id)
        assert "Can't find any good node" in str(failed.value)
        assert failed.value.job_id == job_id
    # A taken name is a job error, not a 400.
    with pytest.raises(errors.JobFailed) as taken:
        make_instance(name)
    assert "already" in str(taken.value)


def test_bad_request_carries_ganetis_message(client, unique_name):
    with pytest.raises(errors.BadRequest) as bad:
        client.create_instance({"name": unique_name, "disk_template": "nope",
                                "disks": [], "nics": [{}],
                                "os_type": "noop"})
    assert "disk_template" in str(bad.value)
    assert "&#x27;" not in str(bad.value)  # unescaped once


def test_node_role_evacuate_and_migrate(client, sandbox):
    node = sandbox["NODE"]
    with pytest.raises(errors.JobFailed) as failed:
        client.wait_for_job(client.set_node_role(node, "drained"))
    assert "master-failover" in str(failed.value)
    with pytest.raises(errors.JobFailed) as failed:
        client.wait_for_job(client.evacuate_node(node, mode="all",
                                                 iallocator="hail"))
    assert "evacuate" in str(failed.value)
    job = client.job(client.evacuate_node(node, iallocator="hail"))
    assert job["ops"][0]["OP_ID"] == "OP_NODE_EVACUATE"
    # No primary instance that can move: the migrate job has nothing to do.
    job = client.job(client.migrate_node(node, mode="live"))
    assert job["ops"][0]["OP_ID"] == "OP_NODE_MIGRATE"


def test_jobs_list_single_and_cancel(client, make_instance, unique_name):
    name = make_instance(unique_name, start=False)
    job_id = client.startup_instance(name)
    assert job_id in client.job_ids()[:20]
    answer = client.cancel_job(job_id)
    assert isinstance(answer, list) and len(answer) == 2
    # Cancel rarely wins: whatever it said, the real final status counts.
    try:
        final = client.wait_for_job(job_id)["status"]
    except errors.JobFailed as exc:
        final = exc.status
    assert final in ("success", "canceled")
    assert client.job(job_id)["status"] == final


def test_readonly_user_is_forbidden_to_write(readonly_client, client,
                                             unique_name):
    assert readonly_client.info()["name"]
    before = client.job_ids()[0]
    with pytest.raises(errors.Forbidden) as refused:
        readonly_client.add_cluster_tags(["ro:attempt"])
    assert "read-only" in str(refused.value)
    assert client.job_ids()[0] == before


def test_read_only_setting_never_sends_a_write(cluster_config, client):
    ro = rapi.RapiClient(dataclasses.replace(cluster_config, read_only=True))
    rapi.CALLS.reset()
    with pytest.raises(errors.Forbidden):
        ro.add_cluster_tags(["ro:attempt"])
    assert rapi.CALLS.count() == 0


def test_wrong_password_is_authentication_failed(cluster_config):
    bad = rapi.RapiClient(dataclasses.replace(cluster_config,
                                              rapi_password="wrong"))
    with pytest.raises(errors.AuthenticationFailed) as failed:
        bad.info()
    assert str(failed.value) == "authentication failed"


def test_non_ascii_is_refused_before_sending(client, make_instance,
                                             unique_name):
    rapi.CALLS.reset()
    with pytest.raises(errors.BadRequest) as refused:
        client.add_cluster_tags(["caf\u00e9"])
    assert "ASCII" in str(refused.value)
    with pytest.raises(errors.BadRequest):
        client.add_cluster_tags(["ok"], reason="r\u00e9sum\u00e9")
    assert rapi.CALLS.count() == 0
    assert "caf\u00e9" not in client.cluster_tags()


def test_grow_disk_and_query_jobs(client, make_instance, unique_name):
    name = make_instance(unique_name, disk_template="file",
                         disks=[{"size": 1024}], start=False)
    job_id = client.grow_disk(name, disk=0, amount=512, reason="horizon test")
    client.wait_for_job(job_id)
    assert client.instance(name)["disk.sizes"] == [1536]
    found = client.jobs([job_id], ("id", "status", "summary"))
    assert found == [{"id": job_id, "status": "success",
                      "summary": ["INSTANCE_GROW_DISK(%s)" % name]}]
