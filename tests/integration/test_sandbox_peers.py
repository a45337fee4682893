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

"""The two sandbox clusters as peers (tools/lib/sandbox/peers.sh), checked
on the running clusters without changing them: one domain secret, the
nodes reach each other's noded, the host forwards between the two node
subnets and nothing else, each cluster resolves the other's nodes (both
ways) and instance names, and every noded runs with the impexpd fix.
"""

import os
import subprocess

import pytest

pytestmark = pytest.mark.integration

SCRIPT = os.path.join(os.path.dirname(__file__), "..", "..", "tools",
                      "ganeti-sandbox")
STATE = os.environ.get("GANETI_DASHBOARD_STATE",
                       "/var/lib/ganeti-dashboard-dev")
# cluster, node number -> (address, name)
NODES = {("dash1", 1): ("198.18.80.2", "node1.ganeti.test"),
         ("dash2", 1): ("198.18.82.2", "node1.cluster2.ganeti.test"),
         ("dash2", 2): ("198.18.82.3", "node2.cluster2.ganeti.test")}
IMPEXPD = "/usr/share/ganeti/3.0/ganeti/impexpd/__init__.py"


def on_node(cluster, node, *args):
    return subprocess.run(
        [SCRIPT, "--cluster", cluster, "--node", str(node), "exec"]
        + list(args), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, timeout=60)


def _lib(cluster, node):
    if cluster == "dash1":
        return "/var/lib/ganeti"
    return os.path.join(STATE, "ganeti2", "root", "node%d" % node, "lib")


def _run(cluster, node):
    if cluster == "dash1":
        return "/run/ganeti"
    return os.path.join(STATE, "ganeti2", "root", "node%d" % node, "run")


def test_one_cluster_domain_secret(sandbox, sandbox2):
    secrets = set()
    for cluster, node in NODES:
        with open(os.path.join(_lib(cluster, node),
                               "cluster-domain-secret")) as f:
            secrets.add(f.read())
    assert len(secrets) == 1


@pytest.mark.parametrize("source", sorted(NODES))
def test_each_node_reaches_the_other_clusters_nodes(source, sandbox,
                                                    sandbox2):
    for (cluster, _node), (address, name) in NODES.items():
        if cluster == source[0]:
            continue
        done = on_node(source[0], source[1], "python3", "-c",
                       "import socket, sys; "
                       "socket.create_connection((sys.argv[1], 1811), 5); "
                       "print(socket.gethostbyaddr(sys.argv[1])[0])",
                       address)
        assert done.returncode == 0, done.stdout
        assert done.stdout.strip() == name


@pytest.mark.parametrize("dev,source,peer", [
    ("gntd1-host", "198.18.80.2", "198.18.82.3"),
    ("gntd2-br", "198.18.82.2", "198.18.80.2")])
def test_the_host_forwards_to_the_peer_subnet_only(dev, source, peer,
                                                   sandbox, sandbox2):
    def route(to):
        return subprocess.run(["ip", "route", "get", to, "from", source,
                               "iif", dev], capture_output=True, text=True,
                              timeout=10)
    assert route(peer).returncode == 0
    # anywhere else, the instance subnets included: prohibited
    for elsewhere in ("192.0.2.1", "8.8.8.8", "198.18.81.5",
                      "198.18.83.5", "10.0.0.1"):
        refused = route(elsewhere)
        assert refused.returncode != 0, (elsewhere, refused.stdout)


@pytest.mark.parametrize("cluster,name", [
    ("dash1", "c2vm042.ganeti.test"), ("dash2", "vm042.ganeti.test")])
def test_the_other_clusters_instance_names_resolve(cluster, name, sandbox,
                                                   sandbox2):
    done = on_node(cluster, 1, "getent", "hosts", name)
    assert done.returncode == 0 and name in done.stdout, done.stdout


def test_every_noded_runs_with_the_impexpd_fix(sandbox, sandbox2):
    with open(IMPEXPD) as f:
        if "gethostbyaddr" in f.read():
            pytest.skip("the installed Ganeti has the fix itself")
    for cluster, node in NODES:
        with open(os.path.join(_run(cluster, node),
                               "ganeti-noded.pid")) as f:
            pid = f.read().strip()
        with open("/proc/%s/root%s" % (pid, IMPEXPD)) as f:
            assert "gethostbyaddr" in f.read(), (cluster, node)
    # and never on the host itself
    with open("/proc/self/mountinfo") as f:
        assert "impexpd" not in f.read()
