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

"""The fake Ganeti RAPI, driven by the real ``RapiClient``.

What these pin down is that a unit test run against the fake sees what it
would see against Ganeti 3.0.2: the answers, the jobs, the quirks, and the
failures as the dashboard's typed errors.
"""

from unittest import mock

from django.core.cache import cache
from django.urls import reverse
from openstack_dashboard.test import helpers as test
import pytest
import requests

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

OWNER = "openstack:project:p1"


@pytest.fixture
def fake():
    with helpers.config_file(helpers.TWO_CLUSTERS), \
            fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS) as fake:
        yield fake


@pytest.fixture
def alpha(fake):
    cluster = fake["alpha"]
    cluster.add_node("node2.alpha.example.test")
    cluster.add_instance("web1.example.test", tags=[OWNER],
                         beparams={"maxmem": 512, "vcpus": 2})
    cluster.add_instance("db1.example.test", status="ADMIN_down",
                         disk_template="file", disks=[1024])
    cluster.add_instance("other.example.test", tags=["openstack:project:p2"])
    return cluster


@pytest.fixture
def client(alpha):
    return clusters.client("alpha")


def test_lists_and_single_objects_look_like_ganetis(client, alpha):
    assert client.instance_names() == ["db1.example.test",
                                       "other.example.test",
                                       "web1.example.test"]
    web = {i["name"]: i for i in client.instances()}["web1.example.test"]
    assert list(web) == list(fake_rapi.fake_rapi_cluster.INSTANCE_KEYS)
    assert (web["status"], web["admin_state"], web["oper_ram"]) == \
        ("running", "up", 512)
    assert web["beparams"]["memory"] == 512  # the bulk list adds it
    db = client.instance("db1.example.test")
    assert (db["status"], db["oper_ram"], db["disk.sizes"]) == \
        ("ADMIN_down", None, [1024])
    # Ganeti expands a leading name component.
    assert client.instance("web1")["name"] == "web1.example.test"
    master, node2 = client.nodes()
    assert (master["role"], master["pinst_cnt"]) == ("M", 3)
    assert master["pinst_list"] == client.instance_names()
    assert client.node_role(node2["name"]) == "master-candidate"
    assert client.info()["master"] == master["name"]
    assert [g["node_cnt"] for g in client.groups()] == [2]
    assert client.networks() == []
    assert "instance-create-reqv1" in client.features()
    assert client.version() == 2
    # Ganeti runs a job to list OSes.
    assert client.operating_systems() == [
        "noop", "noop-variants+default", "noop-variants+minimal"]
    assert alpha.last_job().summary == ["OS_DIAGNOSE"]
    assert client.instance_console("web1.example.test") == {
        "instance": "web1.example.test", "kind": "msg",
        "message": "Console not available for fake hypervisor"}


def test_query_filters_as_ganeti_does(client):
    rows = client.query("instance", ["name", "status", "oper_ram"],
                        ["=[]", "tags", OWNER])
    assert rows == [{"name": "web1.example.test", "status": "running",
                     "oper_ram": 512}]
    names = client.query("instance", ["name"], ["&", [
        "!", ["=", "status", "running"]], ["=~", "name", r"\.example\."]])
    assert names == [{"name": "db1.example.test"}]
    # A value Ganeti does not have passes every comparison on it.
    assert len(client.query("instance", ["name"],
                            ["<", "oper_ram", 1])) == 1
    # Named items come in the order named, as often as named.
    assert [r["name"] for r in client.query("instance", ["name"], [
        "|", ["=", "name", "web1"], ["=", "name", "db1.example.test"],
        ["=", "name", "web1"]])] == ["web1.example.test",
                                     "db1.example.test",
                                     "web1.example.test"]


def test_query_answer_format_and_unknown_fields(client):
    answer = client.request("PUT", "/2/query/instance", body={
        "fields": ["name", "oper_ram", "disk.size/0", "bogus"],
        "filter": ["=", "name", "db1.example.test"]}, reads_only=True)
    assert answer["data"] == [[[0, "db1.example.test"], [3, None],
                               [0, 1024], [1, None]]]
    assert answer["fields"] == [
        {"name": "name", "title": "Instance", "kind": "text",
         "doc": "Instance name"},
        {"name": "oper_ram", "title": "Memory", "kind": "unit",
         "doc": "Actual memory usage as seen by hypervisor"},
        {"name": "disk.size/0", "title": "Disk/0", "kind": "unit",
         "doc": "Disk size of 1st disk"},
        {"name": "bogus", "title": "bogus", "kind": "unknown",
         "doc": "Unknown field 'bogus'"}]


@pytest.mark.parametrize("qfilter, status, text", [
    (["=", "name", "nope"], 500,
     "('Instance name nope not found', 'unknown_entity')"),
    (["=~", "tags", "^openstack"], 500,
     "Invalid field value used in regexp matching, expecting string"),
    (["=", "tags", "x"], 500, "Invalid types in comparison"),
    (["=", "bogus", "x"], 500, "Can't find field named 'bogus'"),
    (["frob", "name", "x"], 502, "Unknown filter operand 'frob'"),
    (["=", "oper_state", True], 502, "expecting string or integer"),
])
def test_query_errors_are_ganetis(client, qfilter, status, text):
    with pytest.raises(errors.RapiError) as failed:
        client.query("instance", ["name"], qfilter)
    assert failed.value.status_code == status
    assert text in str(failed.value)
    assert not isinstance(failed.value, errors.NotFound)


def test_job_query_answers_unknown_ids_with_nothing(client, alpha):
    job_id = client.startup_instance("db1.example.test")
    found = client.jobs([job_id, 999], ("id", "status", "summary"))
    assert found == [
        {"id": job_id, "status": "success",
         "summary": ["INSTANCE_STARTUP(db1.example.test)"]},
        {"id": 999, "status": None, "summary": None}]


def test_unknown_objects_answer_404_500_or_null_job(client, fake):
    for call in (lambda: client.instance("nope"),
                 lambda: client.instance_tags("nope"),
                 lambda: client.instance_console("nope"),
                 lambda: client.node("nope"),
                 lambda: client.node_role("nope"),
                 lambda: client.job(4242)):
        with pytest.raises(errors.NotFound):
            call()
    statuses = [r.status for r in fake.requests[-6:]]
    assert statuses == [404, 500, 500, 404, 500, 200]
    assert fake.requests[-1].answer["status"] is None


def _job(client, job_id):
    return client.wait_for_job(job_id, timeout=1)


def test_writes_change_the_cluster_through_jobs(client, alpha):
    name = "db1.example.test"
    _job(client, client.startup_instance(name))
    assert alpha.instances[name]["status"] == "running"
    _job(client, client.reboot_instance(name, "hard"))
    assert alpha.instances[name]["status"] == "running"
    _job(client, client.modify_instance(name, beparams={"memory": 256,
                                                        "vcpus": 2}))
    instance = client.instance(name)
    assert (instance["beparams"]["maxmem"], instance["beparams"]["minmem"],
            instance["beparams"]["vcpus"]) == (256, 256, 2)
    assert instance["oper_ram"] == 128  # until it restarts, as in Ganeti
    _job(client, client.grow_disk(name, 0, 512))
    assert client.instance(name)["disk.sizes"] == [1536]
    _job(client, client.shutdown_instance(name, timeout=0))
    assert client.instance(name)["status"] == "ADMIN_down"
    job = _job(client, client.rename_instance(name, "db2.example.test"))
    assert job["summary"] == ["INSTANCE_RENAME"]  # no name, as in Ganeti
    assert job["opresult"] == ["db2.example.test"]
    assert "db2.example.test" in client.instance_names()
    _job(client, client.delete_instance("db2.example.test"))
    assert "db2.example.test" not in client.instance_names()


def test_tags_jobs(client, alpha):
    name = "web1.example.test"
    job = _job(client, client.add_instance_tags(name, ["b:2", "a:1"]))
    assert job["ops"][0]["OP_ID"] == "OP_TAGS_SET"
    assert job["summary"] == ["TAGS_SET"]
    assert client.instance_tags(name) == ["a:1", "b:2", OWNER]
    _job(client, client.delete_instance_tags(name, ["a:1"]))
    assert client.instance_tags(name) == ["b:2", OWNER]
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.delete_instance_tags(name, ["x:1", "a:1"]))
    assert str(failed.value) == "Tag(s) 'a:1', 'x:1' not found"
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.add_instance_tags(name, ["a=b"]))
    assert str(failed.value) == "Tag contains invalid characters"
    _job(client, client.add_cluster_tags(["ganeti:cluster:x"]))
    assert client.cluster_tags() == ["ganeti:cluster:x"]
    assert client.info()["tags"] == ["ganeti:cluster:x"]
    _job(client, client.delete_cluster_tags(["ganeti:cluster:x"]))
    assert client.cluster_tags() == []


def test_create_from_a_request_version_1_body(client, alpha):
    job_id = client.create_instance({
        "name": "new1.example.test", "disk_template": "file",
        "disks": [{"size": 2048}], "nics": [{"ip": "10.0.0.9"}],
        "os_type": "noop", "beparams": {"memory": 256}, "start": False,
        "tags": [OWNER], "name_check": False, "ip_check": False},
        reason="horizon user=u1")
    job = _job(client, job_id)
    op = job["ops"][0]
    assert op["OP_ID"] == "OP_INSTANCE_CREATE"
    assert (op["instance_name"], op["tags"], op["beparams"]) == \
        ("new1.example.test", [OWNER], {"maxmem": 256, "minmem": 256})
    assert job["opresult"] == [[alpha.master]]
    assert [entry[2:] for entry in job["oplog"][0]][1:3] == [
        ["message", "* creating instance disks..."],
        ["message", "adding instance new1.example.test to cluster config"]]
    new = client.instance("new1.example.test")
    assert (new["status"], new["tags"], new["disk.sizes"], new["nic.ips"]) \
        == ("ADMIN_down", [OWNER], [2048], ["10.0.0.9"])
    with pytest.raises(errors.JobFailed) as taken:
        _job(client, client.create_instance({
            "name": "new1.example.test", "disk_template": "diskless",
            "disks": [], "nics": [{}], "os_type": "noop"}))
    assert str(taken.value) == \
        "Instance 'new1.example.test' is already in the cluster"
    with pytest.raises(errors.BadRequest) as bad:
        client.create_instance({"name": "x", "disk_template": "nope",
                                "disks": [], "os_type": "noop"})
    assert str(bad.value) == (
        "Invalid body parameters: (\"Parameter "
        "'OP_INSTANCE_CREATE.disk_template' fails validation\", "
        "'wrong_input')")


def test_reason_trail_and_reinstall_dropping_it(client, alpha):
    job = _job(client, client.startup_instance("db1.example.test",
                                               reason="horizon user=u1"))
    trail = job["ops"][0]["reason"]
    assert [entry[:2] for entry in trail] == [
        ["gnt:user", "horizon user=u1"],
        ["gnt:library:rlib2:instances_name_startup", ""],
        ["gnt:opcode:instance_startup", "job=%d;index=0" % job["id"]]]
    assert all(isinstance(entry[2], int) for entry in trail)
    assert models_reason(client, job["id"]) == "horizon user=u1"
    job = _job(client, client.reinstall_instance(
        "db1.example.test", os_name="noop", start=True,
        reason="horizon user=u1"))
    assert [op["OP_ID"] for op in job["ops"]] == [
        "OP_INSTANCE_SHUTDOWN", "OP_INSTANCE_REINSTALL",
        "OP_INSTANCE_STARTUP"]
    assert [[entry[0] for entry in op["reason"]] for op in job["ops"]] == [
        ["gnt:opcode:instance_shutdown"], ["gnt:opcode:instance_reinstall"],
        ["gnt:opcode:instance_startup"]]
    assert alpha.instances["db1.example.test"]["status"] == "running"


def models_reason(client, job_id):
    from ganeti_dashboard.api import models
    return models.Job("alpha", client.job(job_id)).reason


def test_reinstall_quirks(client, alpha):
    # Diskless: Ganeti shuts the instance down, then refuses.
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.reinstall_instance("web1.example.test"))
    assert str(failed.value) == \
        "Instance 'web1.example.test' has no disks"
    job = client.job(failed.value.job_id)
    assert job["opstatus"] == ["success", "error", "error"]
    assert job["opresult"][2] == ["OpExecError",
                                  ["Preceding opcode failed"]]
    assert alpha.instances["web1.example.test"]["status"] == "ADMIN_down"
    with pytest.raises(errors.BadRequest) as refused:
        client.request("POST", "/2/instances/db1.example.test/reinstall",
                       {"reason": "x"}, {"os": "noop"})
    assert str(refused.value) == "Can't combine query and body parameters"


def test_migrate_failover_and_node_jobs(client, alpha):
    node1, node2 = sorted(alpha.nodes)
    alpha.add_instance("drbd1", disk_template="drbd", disks=[1024],
                       snodes=[node2])
    _job(client, client.migrate_instance("drbd1"))
    assert (alpha.instances["drbd1"]["pnode"],
            alpha.instances["drbd1"]["snodes"]) == (node2, [node1])
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.migrate_instance("db1.example.test"))
    assert "Can't migrate, please use failover" in str(failed.value)
    job = _job(client, client.failover_instance("db1.example.test"))
    assert alpha.instances["db1.example.test"]["pnode"] == node2
    assert "via iallocator hail" in job["oplog"][0][0][3]
    job = _job(client, client.evacuate_node(node1, iallocator="hail"))
    submitted = job["opresult"][0]["jobs"]
    assert len(submitted) == 2 and all(ok for ok, _ in submitted)
    assert {_job(client, j)["ops"][0]["OP_ID"] for _, j in submitted} == {
        "OP_INSTANCE_MIGRATE"}
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.evacuate_node(node1, mode="all"))
    assert "not possible to evacuate all instances" in str(failed.value)
    # With a query, RAPI reads the node migrate mode from it, not the body.
    job = _job(client, client.migrate_node(node2, mode="non-live"))
    assert job["ops"][0]["mode"] == "non-live"
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.set_node_role(node1, "drained"))
    assert "only via master-failover" in str(failed.value)
    job = _job(client, client.set_node_role(node2, "drained"))
    assert {k: job["ops"][0].get(k) for k in (
        "node_name", "drained", "master_candidate")} == {
        "node_name": node2, "drained": True, "master_candidate": None}
    assert client.node_role(node2) == "drained"
    assert client.node(node2)["drained"] is True
    # Nowhere left to move to.
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.migrate_instance("web1"))
    assert "Can't find any good node" in str(failed.value)


def test_held_jobs_cancel_and_forced_failures(client, alpha):
    alpha.hold_jobs = True
    job_id = client.startup_instance("db1.example.test")
    assert client.job(job_id)["status"] == "queued"
    assert "debug_level" not in client.job(job_id)["ops"][0]
    assert alpha.instances["db1.example.test"]["status"] == "ADMIN_down"
    assert client.cancel_job(job_id) == [True, "Dequeued job %d" % job_id]
    with pytest.raises(errors.JobFailed) as canceled:
        client.wait_for_job(job_id, timeout=1)
    assert canceled.value.status == "canceled"
    job_id = client.startup_instance("db1.example.test")
    alpha.start_job(job_id)
    assert client.job(job_id)["status"] == "running"
    assert client.cancel_job(job_id)[0] is False
    alpha.finish_job(job_id)
    assert client.job(job_id)["status"] == "success"
    assert alpha.instances["db1.example.test"]["status"] == "running"
    assert client.cancel_job(job_id) == \
        [False, "Job %d not found in queue" % job_id]
    alpha.hold_jobs = False
    alpha.fail_next_job("Instance &#x27;x&#x27; is busy", code="wrong_state")
    with pytest.raises(errors.JobFailed) as failed:
        client.wait_for_job(client.shutdown_instance("db1.example.test"))
    assert str(failed.value) == "Instance 'x' is busy"
    assert client.job(failed.value.job_id)["opresult"] == [
        ["OpPrereqError", ["Instance &#x27;x&#x27; is busy", "wrong_state"]]]
    assert alpha.instances["db1.example.test"]["status"] == "running"


def test_unknown_instance_is_a_job_error(client):
    with pytest.raises(errors.JobFailed) as failed:
        _job(client, client.startup_instance("nope"))
    assert str(failed.value) == "Instance 'nope' not known"
    assert "instance_uuid" not in client.job(failed.value.job_id)["ops"][0]


@pytest.mark.parametrize("fault, kind, text", [
    ("refused", errors.Unreachable, "connection refused"),
    ("connect-timeout", errors.Timeout, "no connection within 3s"),
    ("hanging", errors.Timeout, "no answer within 10s"),
    ("untrusted", errors.CertificateError,
     "certificate not trusted (self-signed certificate in certificate "
     "chain)"),
    (401, errors.AuthenticationFailed, "authentication failed"),
    (403, errors.Forbidden, "read-only"),
    (500, errors.RapiError, "RAPI answered HTTP 500: Internal Server Error"),
    (502, errors.RapiError, "RAPI answered HTTP 502: Bad Gateway"),
    ("not-json", errors.RapiError, "RAPI sent an answer that is not JSON"),
])
def test_faults_become_typed_errors(client, alpha, fault, kind, text):
    alpha.fail(fault)
    for call in (client.info, lambda: client.startup_instance("web1")):
        with pytest.raises(kind) as failed:
            call()
        assert text in str(failed.value)
    alpha.heal()
    assert client.info()["name"] == "alpha.example.test"


def test_gets_are_retried_by_the_clients_own_policy(client, alpha, fake):
    alpha.fail(502, path="^/2/(info|tags)$")
    fake.reset_requests()
    with pytest.raises(errors.RapiError):
        client.info()
    with pytest.raises(errors.RapiError):
        client.add_cluster_tags(["x:y"])
    assert client.instance_names()  # other paths answer
    assert [(r.method, r.path, r.status) for r in fake.requests] == [
        ("GET", "/2/info", 502), ("GET", "/2/info", 502),
        ("PUT", "/2/tags", 502), ("GET", "/2/instances", 200)]
    alpha.fail("hanging")
    fake.reset_requests()
    with pytest.raises(errors.Timeout):
        client.add_cluster_tags(["x:y"])
    assert [r.error for r in fake.requests] == ["hanging"]


def test_read_only_user_reads_and_queries_but_may_not_write(client, alpha,
                                                            fake):
    alpha.fail("read-only")
    assert client.info()["name"]
    assert client.query("instance", ["name"], ["=", "name", "web1"])
    with pytest.raises(errors.Forbidden):
        client.startup_instance("web1")
    assert fake.writes()[-1].status == 403
    assert alpha.last_job() is None


def test_untrusted_certificate_is_fine_without_verification(alpha):
    alpha.fail("untrusted")
    client = rapi.RapiClient(loader.ClusterConfig(
        name="alpha", rapi_url=alpha.url, rapi_user="ganeti",
        rapi_password="secret-alpha", verify_tls=False))
    assert client.info()["name"]


def test_http_quirks(fake, alpha):
    url = alpha.url + "/2/info"
    session = requests.Session()
    assert session.get(url).status_code == 401
    assert session.get(url, auth=("ganeti", "wrong")).status_code == 401
    assert session.get(alpha.url + "/2/nope",
                       auth=("ganeti", "wrong")).status_code == 404
    answer = session.post(url, auth=("ganeti", "secret-alpha"))
    assert (answer.status_code, answer.json()["message"]) == \
        (501, "Method POST is unsupported for path /2/info")
    answer = session.put(alpha.url + "/2/query/instance",
                         auth=("ganeti", "secret-alpha"),
                         data=b'{"fields": ["name"]}', headers={
                             "Content-Type": "application/json; "
                                             "charset=utf-8"})
    assert answer.status_code == 415
    answer = session.get(alpha.url + "/2/instances/nope/tags",
                         auth=("ganeti", "secret-alpha"))
    assert answer.json() == {
        "code": 500, "explain": "Server got itself in trouble",
        "message": "(&#x27;Instance name nope not found&#x27;, "
                   "&#x27;unknown_entity&#x27;)"}
    assert answer.headers["Connection"] == "close"


def test_requests_are_recorded_and_writes_told_apart(client, fake):
    fake.reset_requests()
    rapi.CALLS.reset()
    client.instances()
    client.query("instance", ["name"])
    client.startup_instance("web1", reason="r")
    client.add_instance_tags("web1", ["a:1", "b:2"])
    assert rapi.CALLS.count(cluster="alpha") == 4
    assert [(r.method, r.path) for r in fake.requests] == [
        ("GET", "/2/instances"), ("PUT", "/2/query/instance"),
        ("PUT", "/2/instances/web1/startup"),
        ("PUT", "/2/instances/web1/tags")]
    assert fake.requests[0].query == {"bulk": "1"}
    assert fake.requests[0].headers["Content-Length"] == "0"
    assert fake.requests[1].body == {"fields": ["name"]}
    writes = fake.writes()
    assert [w.path for w in writes] == ["/2/instances/web1/startup",
                                        "/2/instances/web1/tags"]
    assert writes[0].query == {"reason": "r"}
    assert writes[1].values("tag") == ["a:1", "b:2"]
    assert writes[0].answer == 1
    assert fake.writes("beta") == []
    fake.reset_requests()
    assert fake.requests == []


def test_other_hosts_are_unknown(fake):
    client = rapi.RapiClient(loader.ClusterConfig(
        name="elsewhere", rapi_url="https://elsewhere.example.test:5080"))
    with pytest.raises(errors.Unreachable) as failed:
        client.info()
    assert str(failed.value) == "host name unknown"
    assert fake.unrouted[0] == (
        "GET", "https://elsewhere.example.test:5080/2/info")
    assert fake.requests == []
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get("http://localhost:1/")


def test_a_stopped_fake_leaves_the_real_transport():
    fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
    fake.start()
    fake.stop()
    # Back to the real transport, which the unit tests' conftest refuses.
    with pytest.raises(AssertionError, match="reach the network"):
        requests.adapters.HTTPAdapter().send(
            requests.Request("GET", "https://x.test/").prepare(), timeout=1)


class FakeInAViewTest(test.BaseAdminViewTests):
    """The fake behind a Horizon page, installed from setUp."""

    def setUp(self):
        super().setUp()
        cache.clear()  # no create of another test's still in flight
        self.fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
        self.fake["alpha"].add_instance("vm1", tags=[OWNER])
        self.fake["beta"].fail("refused")
        self.fake.install(self)
        patcher = mock.patch.object(keystone_api, "project_names",
                                    return_value={"p1": "demo"})
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_admin_instances_page_reads_and_never_writes(self):
        with helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(
                reverse("horizon:admin:ganeti_instances:index"))
        self.assertEqual(200, res.status_code)
        self.assertEqual(["vm1"], [r.name for r in res.context["table"].data])
        self.assertContains(res, "beta could not be queried: connection "
                                 "refused")
        self.assertTrue(self.fake.requests)
        self.assertEqual([], self.fake.writes())
