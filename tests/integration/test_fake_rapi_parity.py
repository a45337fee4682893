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

"""The fake RAPI answers in the shapes the real one does.

The same ``RapiClient`` calls run against sandbox2 and against the fake:
create an instance of our own (``fakecheck-``, diskless, stopped), read it,
its node, the cluster, its jobs and queries, start it, fail a job, ask for
things that are not there; then the answers must have the same keys and
value types, and the errors the same types and texts. The instance is
removed again; nothing else on the cluster is touched.
"""

import contextlib
import json
import uuid

import pytest

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader
from ganeti_dashboard.test import fake_rapi

pytestmark = pytest.mark.integration

QUERY_FIELDS = (
    "name", "status", "admin_state", "oper_state", "oper_ram", "oper_vcpus",
    "pnode", "snodes", "os", "tags", "disk_template", "disk.sizes",
    "disk.count", "nic.ips", "nic.macs", "nic.modes", "nic.links",
    "nic.networks.names", "beparams", "hvparams", "be/vcpus", "be/maxmem",
    "be/minmem", "hypervisor", "network_port", "ctime", "mtime", "uuid",
    "serial_no", "nic.ip/0", "disk.size/0", "no-such-field")
JOB_FIELDS = ("id", "status", "summary", "received_ts", "start_ts",
              "end_ts", "ops", "opstatus", "opresult", "oplog", "priority",
              "opstart", "opexec", "opend", "oppriority", "archived")


@pytest.fixture(scope="module")
def real(sandbox2):
    return rapi.RapiClient(loader.ClusterConfig(
        name="sandbox2", rapi_url=sandbox2["RAPI_URL"],
        rapi_user=sandbox2["RAPI_USER"],
        rapi_password=sandbox2["RAPI_PASSWORD"],
        ca_file=sandbox2["RAPI_CA"], connect_timeout=3, read_timeout=60))


def shape(value):
    """Keys and value types, all the way down (a list: its elements')."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return ["list"] + sorted({json.dumps(shape(item), sort_keys=True)
                                  for item in value})
    return type(value).__name__


def differences(faked, measured, path=""):
    """Where two shapes differ, as short lines."""
    if isinstance(faked, dict) and isinstance(measured, dict):
        lines = ["%s/%s: only real" % (path, k)
                 for k in measured if k not in faked]
        lines += ["%s/%s: only fake" % (path, k)
                  for k in faked if k not in measured]
        for key in set(faked) & set(measured):
            lines += differences(faked[key], measured[key],
                                 "%s/%s" % (path, key))
        return lines
    if faked != measured:
        return ["%s: fake %s, real %s" % (path, faked, measured)]
    return []


def mismatches(faked, measured, exact=()):
    """What the fake answered otherwise than the real cluster: the same
    value for the keys ``exact``, the same shape for the others.
    """
    problems = []
    for key, value in measured.items():
        if key in exact:
            if faked[key] != value:
                problems.append("%s: fake %s, real %s"
                                % (key, faked[key], value))
        else:
            problems += differences(shape(faked[key]), shape(value), key)
    return problems


@contextlib.contextmanager
def fake_cluster(*nodes):
    """A fake cluster "parity" with ``nodes`` besides its master, served
    while the block runs (only then: the real cluster is reached by the
    same means); the cluster and a client of it.
    """
    fake = fake_rapi.FakeGaneti()
    cluster = fake.add_cluster("parity", "https://parity.example.test:5080",
                               "ganeti", "pw")
    for node in nodes:
        cluster.add_node(node)
    with fake:
        yield cluster, rapi.RapiClient(loader.ClusterConfig(
            name="parity", rapi_url=cluster.url, rapi_user="ganeti",
            rapi_password="pw"))


def failure(call):
    try:
        call()
    except errors.RapiError as exc:
        return type(exc).__name__, str(exc)
    return None


def scenario(client, name, node):
    """The same calls on either cluster; what they answered."""
    seen = {}
    job_id = client.create_instance({
        "name": name, "disk_template": "diskless", "disks": [],
        "nics": [{}], "os_type": "noop", "pnode": node,
        "beparams": {"memory": 128}, "start": False, "name_check": False,
        "ip_check": False, "tags": ["openstack:project:fakecheck"]},
        reason="fakecheck parity")
    seen["create job"] = client.wait_for_job(job_id, timeout=120)
    seen["instance"] = client.instance(name)
    seen["node"] = client.node(node)
    info = client.info()
    info["hvparams"] = {"fake": info["hvparams"]["fake"]}
    seen["info"] = info
    seen["features"] = sorted(client.features())
    by_name = ["=", "name", name]
    seen["query stopped"] = client.request(
        "PUT", "/2/query/instance", reads_only=True,
        body={"fields": list(QUERY_FIELDS), "filter": by_name})
    seen["job query"] = client.request(
        "PUT", "/2/query/job", reads_only=True,
        body={"fields": list(JOB_FIELDS), "filter": ["=", "id", job_id]})
    seen["startup job"] = client.wait_for_job(client.startup_instance(
        name, reason="fakecheck parity"), timeout=120)
    seen["query running"] = client.request(
        "PUT", "/2/query/instance", reads_only=True,
        body={"fields": list(QUERY_FIELDS), "filter": by_name})
    seen["console"] = client.instance_console(name)
    grow = client.grow_disk(name, 0, 512, reason="fakecheck parity")
    seen["grow error"] = failure(lambda: client.wait_for_job(grow, 120))
    seen["failed job"] = client.job(grow)
    seen["unknown job"] = client.get("/2/jobs/%d" % 10 ** 9)
    multi_alloc(client, name, node, seen)
    # Exports: the list's fields, and a diskless export, which Ganeti
    # accepts and fails only at its end.
    seen["export fields"] = client.get(
        "/2/query/export", {"fields": "node,export"})["fields"]
    export = client.export_instance(name, node, shutdown=True,
                                    long_sleep=True,
                                    reason="fakecheck parity")
    seen["export error"] = failure(lambda: client.wait_for_job(export, 120))
    seen["errors"] = [failure(call) for call in (
        lambda: client.instance("fakecheck-nope"),
        lambda: client.instance_tags("fakecheck-nope"),
        lambda: client.instance_console("fakecheck-nope"),
        lambda: client.node_role("fakecheck-nope"),
        lambda: client.query("instance", ["name"],
                             ["=", "name", "fakecheck-nope"]),
        lambda: client.query("instance", ["name"],
                             ["&", by_name, ["=~", "tags", "x"]]),
        lambda: client.query("instance", ["name"],
                             ["&", by_name, ["=", "status", 1]]),
        lambda: client.reinstall_instance(name, osparams={"a": "b"}),
        lambda: client.write("POST", "/2/instances-multi-alloc", body={}),
    )]
    return seen


def batch_names(name):
    return ["%s-m%d" % (name, n) for n in (1, 2)]


def multi_alloc(client, name, node, seen):
    """Two instances with one /2/instances-multi-alloc request (on the
    node: no allocator), and a dry run the allocator refuses.
    """
    def spec(each, **more):
        return dict({
            "name": each, "disk_template": "diskless", "disks": [],
            "nics": [{}], "os": "noop",
            "beparams": {"maxmem": 128, "minmem": 128}, "start": False,
            "name_check": False, "ip_check": False,
            "tags": ["openstack:project:fakecheck"]}, **more)

    multi = client.create_instances(
        [spec(each, pnode=node) for each in batch_names(name)],
        reason="fakecheck parity")
    job = client.wait_for_job(multi, timeout=120)
    started, refused = rapi.multi_alloc_jobs(job)
    seen["multi started"] = (sorted(started), sorted(refused))
    child = client.wait_for_job(started[batch_names(name)[0]], timeout=120)
    for key, found in (("multi job", job), ("multi create job", child)):
        seen[key] = {k: v for k, v in found.items() if k != "ops"}
        # Sources (and the user's reason): job ids differ.
        seen[key + " reason"] = [
            entry[:2] if entry[0] == "gnt:user" else entry[0]
            for entry in found["ops"][0]["reason"]]
    dry = client.create_instances([spec(name + "-d")], dry_run=True,
                                  reason="fakecheck parity")
    seen["multi dry error"] = failure(lambda: client.wait_for_job(dry, 120))


def test_fake_answers_in_the_real_shapes(real, sandbox2):
    name = "fakecheck-%s" % uuid.uuid4().hex[:8]
    try:
        measured = scenario(real, name, sandbox2["NODE"])
    finally:
        for each in [name] + batch_names(name):
            try:
                real.wait_for_job(real.delete_instance(each), timeout=120)
            except errors.RapiError:
                pass
    with fake_cluster("node2.parity.example.test") as (cluster, client):
        faked = scenario(client, name, cluster.master)
    problems = mismatches(faked, measured, exact=(
        "errors", "grow error", "features", "multi started",
        "multi dry error", "multi job reason", "multi create job reason",
        "export fields", "export error"))
    assert not problems, "\n".join(problems)
    # Field definitions and statuses are the same, not only their types.
    for key in ("query stopped", "query running"):
        assert faked[key]["fields"] == measured[key]["fields"]
        assert [s for s, _ in faked[key]["data"][0]] == \
            [s for s, _ in measured[key]["data"][0]], key
    for key in ("multi job", "multi create job"):
        assert faked[key]["summary"][0].split("(")[0] == \
            measured[key]["summary"][0].split("(")[0], key
    for key in ("create job", "startup job"):
        assert faked[key]["summary"] == measured[key]["summary"]
        assert [entry[:2] for entry in faked[key]["ops"][0]["reason"]][:2] \
            == [entry[:2] for entry in measured[key]["ops"][0]["reason"]][:2]


def settings_scenario(client, marker):
    """Cluster settings and job filters, changing nothing for good: a
    modify to the current candidate pool size, refused modifies, a
    redistribute-config, and a filter rule added, replaced and deleted.
    """
    seen = {}
    size = client.info()["candidate_pool_size"]
    seen["modify job"] = client.wait_for_job(client.modify_cluster(
        candidate_pool_size=size, reason="fakecheck parity"), timeout=60)
    refused = client.modify_cluster(
        hvparams={"fake": {"migration_mode": "bogus"}})
    seen["modify refused"] = failure(
        lambda: client.wait_for_job(refused, 60))
    seen["modify refused job"] = client.job(refused)
    seen["modify errors"] = [failure(call) for call in (
        lambda: client.modify_cluster(candidate_pool_size=0),
        lambda: client.modify_cluster(bogus=1),
    )]
    seen["redistribute job"] = client.wait_for_job(
        client.redistribute_config(reason="fakecheck parity"), timeout=60)
    predicates = [["reason", ["=~", "reason", marker]]]
    uuid_ = client.add_filter(90, predicates, "REJECT",
                              reason="fakecheck parity")
    try:
        seen["filter"] = client.filter_rule(uuid_)
        seen["filters"] = [r for r in client.filters()
                           if r["uuid"] == uuid_]
        seen["replaced"] = client.replace_filter(
            uuid_, 91, predicates, ["RATE_LIMIT", 3]) == uuid_
        seen["filter replaced"] = client.filter_rule(uuid_)
        seen["filter errors"] = [failure(call)[0] for call in (
            lambda: client.add_filter(1, [["bogus", ["=", "id", 1]]],
                                      "REJECT"),
            lambda: client.add_filter(1, [], "NOPE"),
            lambda: client.write("POST", "/2/filters", body={
                "priority": 1, "predicates": [], "action": "CONTINUE",
                "watermark": 3}),
        )]
    finally:
        seen["deleted"] = client.delete_filter(uuid_)
    seen["delete unknown"] = failure(
        lambda: client.delete_filter("00000000-0000-0000-0000-000000000000"))
    return seen


def test_fake_settings_and_filters_in_the_real_shapes(real):
    marker = "fakecheck-%s" % uuid.uuid4().hex[:8]
    measured = settings_scenario(real, marker)
    with fake_cluster() as (_cluster, client):
        faked = settings_scenario(client, marker)
    problems = mismatches(faked, measured, exact=(
        "modify refused", "modify errors", "filter errors", "replaced",
        "deleted", "delete unknown"))
    assert not problems, "\n".join(problems)
    for key in ("modify job", "redistribute job"):
        assert faked[key]["summary"] == measured[key]["summary"], key


def node_scenario(client, node, tag):
    """Node operations on either cluster (never a power-cycle: the real
    sandbox's fake hypervisor would reboot this machine); the node is left
    as found: the tag added is removed.
    """
    seen = {}
    seen["tags before"] = client.node_tags(node)
    seen["add tag job"] = client.wait_for_job(client.add_node_tags(
        node, [tag], reason="fakecheck parity"), timeout=60)
    seen["tags"] = client.node_tags(node)
    seen["remove tag job"] = client.wait_for_job(client.delete_node_tags(
        node, [tag], reason="fakecheck parity"), timeout=60)
    seen["file storage job"] = client.wait_for_job(client.node_storage(
        node, "file", ("name", "size", "used", "free", "allocatable")),
        timeout=60)
    seen["storage texts"] = [failure(lambda: client.wait_for_job(
        call(), timeout=60)) for call in (
        lambda: client.node_storage(node, "lvm-vg", ("name", "size")),
        lambda: client.modify_node_storage(
            node, "file", "/srv/ganeti/file-storage", allocatable=False,
            reason="fakecheck parity"),
        lambda: client.repair_node_storage(
            node, "file", "/srv/ganeti/file-storage",
            reason="fakecheck parity"),
        lambda: client.modify_node(node, {}, reason="fakecheck parity"),
    )]
    seen["errors"] = [failure(call) for call in (
        lambda: client.node_tags("fakecheck-nope"),
        lambda: client.node_storage(node, "file", ()),
    )]
    return seen


def test_fake_node_operations_in_the_real_shapes(real, sandbox2):
    tag = "fakecheck:%s" % uuid.uuid4().hex[:8]
    node = sandbox2["NODE2"]
    try:
        measured = node_scenario(real, node, tag)
    finally:
        if tag in real.node_tags(node):
            real.wait_for_job(real.delete_node_tags(node, [tag]))
    with fake_cluster(node) as (_cluster, client):
        faked = node_scenario(client, node, tag)
    # Texts name the node and the enabled templates alike.
    problems = mismatches(faked, measured,
                          exact=("errors", "storage texts"))
    assert not problems, "\n".join(problems)
    assert faked["tags"] == measured["tags"] == sorted(
        measured["tags before"] + [tag])
    for key in ("add tag job", "remove tag job", "file storage job"):
        assert faked[key]["summary"] == measured[key]["summary"], key


def group_scenario(client, name, node):
    """Node group calls on either cluster: create ``name``, read, modify,
    rename, tag it, move ``node`` into it and back, fail to delete it
    while it has the node, delete it.
    """
    seen = {}
    renamed = name + "-r"
    wait = client.wait_for_job
    seen["create job"] = wait(client.create_group(
        name, alloc_policy="last_resort", reason="fakecheck parity"), 120)
    seen["group"] = client.group(name)
    seen["modify job"] = wait(client.modify_group(
        name, alloc_policy="unallocable", ipolicy={"vcpu-ratio": 8},
        diskparams={"plain": {"stripes": 2}},
        reason="fakecheck parity"), 120)
    seen["modified"] = client.group(name)
    seen["rename job"] = wait(client.rename_group(
        name, renamed, reason="fakecheck parity"), 120)
    wait(client.add_group_tags(renamed, ["fakecheck:a", "fakecheck:b"],
                               reason="fakecheck parity"), 120)
    wait(client.delete_group_tags(renamed, ["fakecheck:a"],
                                  reason="fakecheck parity"), 120)
    seen["tags"] = client.group_tags(renamed)
    seen["assign job"] = wait(client.assign_group_nodes(
        renamed, [node], reason="fakecheck parity"), 120)
    seen["listed"] = [g for g in client.groups() if g["name"] == renamed]
    refused = client.delete_group(renamed, reason="fakecheck parity")
    error = failure(lambda: wait(refused, 120))
    # The node uuids it names differ.
    seen["delete refused"] = (error[0], error[1].split(":")[0])
    wait(client.assign_group_nodes("default", [node],
                                   reason="fakecheck parity"), 120)
    seen["delete job"] = wait(client.delete_group(
        renamed, reason="fakecheck parity"), 120)
    seen["errors"] = [failure(call) for call in (
        lambda: client.group("fakecheck-nope"),
        lambda: client.group_tags("fakecheck-nope"),
    )]
    return seen


def test_fake_answers_groups_in_the_real_shapes(real, sandbox2):
    name = "fakecheck-%s" % uuid.uuid4().hex[:8]
    node = sandbox2["NODE2"]
    try:
        measured = group_scenario(real, name, node)
    finally:
        # Whatever happened, node2 goes back and the groups go.
        for call in (lambda: real.assign_group_nodes(
                "default", [node], reason="fakecheck cleanup"),
                lambda: real.delete_group(name + "-r"),
                lambda: real.delete_group(name)):
            try:
                real.wait_for_job(call(), timeout=120)
            except errors.RapiError:
                pass
    with fake_cluster(node) as (_cluster, client):
        faked = group_scenario(client, name, node)
    problems = mismatches(faked, measured,
                          exact=("errors", "delete refused", "tags"))
    assert not problems, "\n".join(problems)
    for key in ("create job", "modify job", "rename job", "assign job",
                "delete job"):
        assert faked[key]["summary"] == measured[key]["summary"], key
        assert faked[key]["opresult"] == measured[key]["opresult"] \
            or key == "modify job", key
        assert [entry[:2] for entry in faked[key]["ops"][0]["reason"]][:2] \
            == [entry[:2] for entry in measured[key]["ops"][0]["reason"]][:2]
    assert faked["modified"]["custom_ipolicy"] == {"vcpu-ratio": 8}
    assert measured["modified"]["custom_ipolicy"] == {"vcpu-ratio": 8}


def network_scenario(client, name):
    """The network calls on either cluster (a network of our own on
    sandbox2's group "default", removed at the end); what they answered.
    """
    seen = {}
    client.wait_for_job(client.create_network(
        name, "10.97.3.0/28", gateway="10.97.3.1",
        reserved_ips=["10.97.3.5"], tags=["fakecheck:net"],
        reason="fakecheck parity"), timeout=60)
    seen["network"] = client.network(name)
    seen["listed"] = [n for n in client.networks() if n["name"] == name]
    seen["names"] = [n for n in client.networks(bulk=False)
                     if n["name"] == name]
    seen["tags"] = client.network_tags(name)
    client.wait_for_job(client.connect_network(
        name, "default", "bridged", "gntbr0", reason="fakecheck parity"),
        timeout=60)
    seen["connected"] = client.network(name)
    seen["job errors"] = [failure(lambda: client.wait_for_job(
        call(), timeout=60)) for call in (
        lambda: client.modify_network(name, gateway="10.97.3.2",
                                      add_reserved_ips=["10.97.3.7"]),
        lambda: client.delete_network(name),
    )]
    # Ganeti ignores an address outside the subnet: the job succeeds.
    client.wait_for_job(client.modify_network(
        name, add_reserved_ips=["10.97.3.7", "10.96.0.1"],
        remove_reserved_ips=["10.97.3.5"]), timeout=60)
    seen["modified"] = client.network(name)
    seen["external"] = seen["modified"]["external_reservations"]
    seen["counts"] = [seen["modified"]["free_count"],
                      seen["modified"]["reserved_count"],
                      seen["modified"]["map"]]
    client.wait_for_job(client.disconnect_network(name, "default"),
                        timeout=60)
    client.wait_for_job(client.delete_network(name), timeout=60)
    seen["errors"] = [failure(call) for call in (
        lambda: client.network(name),
        lambda: client.network_tags(name),
    )]
    return seen


def test_fake_networks_answer_in_the_real_shapes(real):
    name = "fakecheck-net-%s" % uuid.uuid4().hex[:6]
    try:
        measured = network_scenario(real, name)
    finally:
        if name in [n["name"] for n in real.networks(bulk=False)]:
            for group in real.network(name)["group_list"]:
                real.wait_for_job(real.disconnect_network(name, group[0]))
            real.wait_for_job(real.delete_network(name))
    with fake_cluster() as (_cluster, client):
        faked = network_scenario(client, name)
    problems = mismatches(faked, measured, exact=(
        "errors", "job errors", "external", "counts", "tags"))
    assert not problems, "\n".join(problems)
    assert faked["connected"]["group_list"] == \
        measured["connected"]["group_list"]


def test_the_instances_live_fields_are_compared():
    """The fields of the instances' live snapshot (api.instance_live) are
    among those compared above, stopped and running.
    """
    from ganeti_dashboard.api import instance_live
    assert set(instance_live.FIELDS) <= set(QUERY_FIELDS)
