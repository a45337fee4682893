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

"""Options of ``ganeti-dashboard.conf``.

Clusters are not a fixed list of groups: every section whose name starts
with ``cluster:`` describes one cluster, so operators add a cluster by adding
a section. The options of such a section are registered on demand, once the
file has been read and its section names are known.
"""

from oslo_config import cfg

CLUSTER_SECTION_PREFIX = "cluster:"
TEMPLATE_SECTION_PREFIX = "template:"
CONSOLE_SECTION = "console"
METRICS_SECTION = "metrics"

default_opts = [
    cfg.IntOpt(
        "refresh_interval", default=10, min=1, deprecated_name="cache_ttl",
        help="Seconds after which a cluster's snapshot (its instances, "
             "nodes, jobs: what the lists show) is refreshed. Pages keep "
             "showing the snapshot while one Horizon process, for all "
             "users, workers and hosts sharing the cache, asks the cluster "
             "again; writes made through the dashboard make the snapshot "
             "due at once. A cluster whose refresh failed is asked again "
             "after this long."),
    cfg.IntOpt(
        "refresh_cost_factor", default=10, min=1,
        help="A cluster's snapshot is refreshed at most every this many "
             "times as long as its last refresh took (and never more often "
             "than refresh_interval), so a large cluster's master spends at "
             "most 1/refresh_cost_factor of its time answering the "
             "dashboard's lists. Writes made through the dashboard still "
             "make the snapshot due at once."),
    cfg.IntOpt(
        "max_snapshot_age", default=300, min=1,
        help="Seconds after which a snapshot is too old to be shown "
             "without first trying for a newer one: the page waits for "
             "the refresh (at most snapshot_wait), then shows the old one "
             "with its age."),
    cfg.FloatOpt(
        "snapshot_wait", default=10.0, min=0,
        help="Seconds a page waits for a cluster of which there is no "
             "snapshot (or only one older than max_snapshot_age) before it "
             "shows the other clusters and says this one has not answered "
             "yet."),
    cfg.FloatOpt(
        "first_snapshot_wait", default=30.0, min=0,
        help="Seconds a page waits for a cluster nothing is known of yet "
             "(no snapshot and no failed refresh: a new deployment or an "
             "emptied cache), where it has nothing else to show of it; a "
             "large cluster's first answer can take longer than "
             "snapshot_wait. Never less than snapshot_wait."),
    cfg.IntOpt(
        "max_concurrent_clusters", default=16, min=1,
        help="How many clusters are queried at the same time when a page "
             "needs all of them."),
    cfg.IntOpt(
        "jobs_listed", default=500, min=10, max=5000,
        help="How many of each cluster's newest jobs the job lists hold "
             "(Admin > Jobs, a project's Operations, an instance's "
             "operations tab): they are paged and searched within these. "
             "Each snapshot refresh of a cluster's jobs reads this many "
             "jobs from its queue in one query."),
    cfg.IntOpt(
        "max_create_count", default=20, min=1, max=100,
        help="The most instances a project member may create at once with "
             "the create workflow's Count (one request to the cluster's "
             "/2/instances-multi-alloc); 1 turns creating many off."),
    cfg.IntOpt(
        "live_interval", default=5, min=2, max=300,
        help="Seconds between two readings of a cluster's live figures "
             "(each node's monitoring daemon, ganeti-mond): the Live tabs "
             "of a node's and a cluster's detail page ask this often, and "
             "one Horizon process, for all viewers, workers and hosts "
             "sharing the cache, reads each node's daemon at most once in "
             "this time."),
]

cluster_opts = [
    cfg.StrOpt(
        "rapi_url", required=True,
        help="Base URL of the cluster's RAPI, e.g. "
             "https://cluster.example.org:5080"),
    cfg.StrOpt("rapi_user", help="RAPI user name."),
    cfg.StrOpt("rapi_password", secret=True, help="RAPI password."),
    cfg.StrOpt(
        "ca_file",
        help="PEM file with the CA certificate(s) that signed the RAPI "
             "certificate. Unset: the system's trusted CAs."),
    cfg.BoolOpt(
        "verify_tls", default=True,
        help="Verify the RAPI certificate. Turning this off exposes the RAPI "
             "credentials to anyone on the path and is logged as a warning "
             "at every start."),
    cfg.FloatOpt("connect_timeout", default=3.0, min=0.1,
                 help="Seconds to wait for a TCP and TLS connection."),
    cfg.FloatOpt("read_timeout", default=10.0, min=0.1,
                 help="Seconds to wait for RAPI's answer once connected."),
    cfg.FloatOpt(
        "refresh_timeout", default=120.0, min=0.1,
        help="Seconds to wait for the answer to a snapshot's list query, "
             "once connected. No page waits for it (pages show the last "
             "snapshot meanwhile), and a large cluster takes its time to "
             "list thousands of instances with their live state."),
    cfg.IntOpt(
        "retries", default=1, min=0, max=5,
        help="Extra attempts for a GET that failed to connect or got a "
             "502/503/504, with exponential backoff. Writes are never "
             "retried: a retried POST could start a second job."),
    cfg.BoolOpt(
        "read_only", default=False,
        help="Never send writes to this cluster, whatever the RAPI user "
             "may do."),
    cfg.StrOpt("description", default="",
               help="Free text shown to operators."),
    cfg.BoolOpt(
        "mond_enabled", default=True,
        help="Read live figures (CPU load, LVM, DRBD, disk statistics) "
             "from the monitoring daemon, ganeti-mond, of each node of "
             "this cluster. Off: the Live tabs show only RAPI's figures "
             "(free memory and disk)."),
    cfg.PortOpt(
        "mond_port", default=1815,
        help="TCP port of ganeti-mond on the nodes (Ganeti's default is "
             "1815). The daemon speaks plain HTTP without authentication: "
             "the dashboard sends it nothing but GET requests."),
    cfg.StrOpt(
        "mond_address_field", default="pip", choices=[
            ("pip", "the node's primary IP address, as RAPI reports it"),
            ("sip", "the node's secondary IP address (the replication "
                    "network), as RAPI reports it"),
            ("name", "the node's name, resolved by the Horizon host")],
        help="Which address of a node the dashboard reaches its "
             "ganeti-mond at (mond listens on the node's primary address "
             "unless told otherwise with its --bind option)."),
    cfg.FloatOpt(
        "mond_timeout", default=2.0, min=0.1, max=30,
        help="Seconds to wait for a node's ganeti-mond, both to connect "
             "and for each answer. A daemon or collector that does not "
             "answer in time is shown as timed out; no page waits for it."),
]


template_opts = [
    cfg.StrOpt("description", default="",
               help="What the template is for, shown to project members."),
    cfg.IntOpt("vcpus", min=1, help="vCPUs."),
    cfg.IntOpt("memory", min=1, help="Memory in MiB."),
    cfg.StrOpt("disk_template", help="Ganeti disk template, e.g. diskless "
                                     "or drbd."),
    cfg.ListOpt("disks", item_type=int, default=[],
                help="Disk sizes in MiB, e.g. 10240,20480."),
    cfg.StrOpt("os", help="OS with its variant, e.g. debootstrap+default."),
]


# Read by Horizon (proxy_url, token_ttl, secret, token_store) and by
# ganeti-console-proxy (all of them): one file can serve both, or each host
# gets a copy holding what it needs.
console_opts = [
    cfg.StrOpt(
        "proxy_url",
        help="Base URL the browser opens console WebSockets on, e.g. "
             "wss://console.example.org or ws://127.0.0.1:6080. The "
             "dashboard appends /vnc or /serial and ?token=. With one proxy "
             "per node (serial_mode = local), write {node} where the "
             "instance's primary node name goes, e.g. wss://{node}:6080."),
    cfg.HostAddressOpt(
        "listen_address", default="127.0.0.1",
        help="Address ganeti-console-proxy listens on."),
    cfg.PortOpt("listen_port", default=6080,
                help="Port ganeti-console-proxy listens on."),
    cfg.StrOpt(
        "cert_file",
        help="PEM certificate (chain) of the proxy. With key_file, the proxy "
             "speaks only TLS (wss://). Leave both unset when a TLS reverse "
             "proxy in front of it terminates TLS."),
    cfg.StrOpt("key_file", help="PEM private key of cert_file."),
    cfg.ListOpt(
        "allowed_origins", default=[],
        help="Exact origins (scheme://host[:port]) of the Horizon pages "
             "allowed to open consoles, e.g. https://horizon.example.org. "
             "A WebSocket whose Origin header is missing or not listed is "
             "refused: that stops other sites from using a visitor's "
             "console links. The proxy does not start while this is empty."),
    cfg.IntOpt(
        "token_ttl", default=60, min=5, max=3600,
        help="Seconds a console token may be used to connect after it was "
             "issued. Each token connects once; an open console is not cut "
             "when its token expires."),
    cfg.StrOpt(
        "secret", secret=True,
        help="Key that signs console tokens, shared by Horizon and every "
             "console proxy, e.g. the output of `openssl rand -hex 32`. "
             "Required as soon as consoles are used."),
    cfg.ListOpt(
        "token_store", default=["127.0.0.1:11211"], secret=True,
        help="The store that Horizon and every console proxy share: "
             "memcached servers (host:port, one or more), or one Redis "
             "server as a URL (redis://[:password@]host:6379/0, or "
             "rediss:// for TLS). A token's target is kept there, never in "
             "the token, and its single use is recorded there. List the "
             "same servers in the same order everywhere; one server is "
             "simplest."),
    cfg.StrOpt(
        "serial_mode", default="local", choices=[
            ("local", "the proxy runs on each node and opens the instance's "
                      "serial socket there"),
            ("ssh", "one proxy reaches every node's serial socket over "
                    "SSH (socat on the node)")],
        help="How the proxy reaches an instance's serial console."),
    cfg.StrOpt("ssh_user", default="root",
               help="serial_mode = ssh: user on the nodes."),
    cfg.StrOpt(
        "ssh_key_file",
        help="serial_mode = ssh: private key the proxy logs in with. Unset: "
             "ssh's own default keys of the user the proxy runs as."),
    cfg.StrOpt(
        "ssh_known_hosts_file",
        help="serial_mode = ssh: known_hosts file listing the nodes' host "
             "keys under their node names. Host keys are always checked "
             "strictly. Unset: ssh's default known_hosts files."),
    cfg.PortOpt("ssh_port", default=22,
                help="serial_mode = ssh: SSH port of the nodes."),
    cfg.FloatOpt(
        "connect_timeout", default=5.0, min=0.1,
        help="Seconds the proxy waits for an instance's VNC server, serial "
             "socket or the node's SSH server, and for the token store."),
]


# The [metrics] section: where the History tabs read their series. Each
# query is PromQL with placeholders, replaced by plain text replacement
# (not Python formatting: PromQL's own braces stay as they are).
_PLACEHOLDERS = (
    " Placeholders: {cluster} (the dashboard's cluster name, the name "
    "after 'cluster:' in its section), {node} (the Ganeti node name), "
    "{instance} (the Ganeti instance name), each replaced by the name "
    "escaped for a PromQL string, so write them inside double quotes; "
    "{window} (a duration such as 300s: the graph's step, at least 60s, "
    "for rate() and the like). The query must answer one series (sum or "
    "aggregate as needed); more are drawn as separate lines, 10 at most.")
metrics_opts = [
    cfg.StrOpt(
        "prometheus_url", default="",
        help="Base URL of a Prometheus server (or anything answering its "
             "HTTP API, /api/v1/query_range) holding the nodes' and "
             "instances' history, e.g. https://prometheus.example.org:9090. "
             "Empty: no history; the History tabs say that only live "
             "figures are shown."),
    cfg.FloatOpt(
        "prometheus_timeout", default=5.0, min=0.1, max=60,
        help="Seconds to wait for Prometheus, both to connect and for its "
             "answer. A server that does not answer in time is named in "
             "the History tab; no page waits for it."),
    cfg.StrOpt(
        "ca_file",
        help="PEM file with the CA certificate(s) that signed the "
             "Prometheus server's certificate (https:// URLs). Unset: the "
             "system's trusted CAs."),
    cfg.BoolOpt(
        "verify_tls", default=True,
        help="Verify the Prometheus server's certificate. Turning this off "
             "lets anyone on the path answer in its place, and is logged "
             "as a warning at every start."),
    cfg.StrOpt(
        "node_cpu_query",
        default='100 * (1 - avg(rate(node_cpu_seconds_total{cluster='
                '"{cluster}", node="{node}", mode="idle"}[{window}])))',
        help="PromQL of a node's CPU graph: percent busy (0-100) of all "
             "its CPUs. The default reads node_exporter's series labelled "
             "cluster and node, as the dev stack's Prometheus scrapes "
             "them." + _PLACEHOLDERS),
    cfg.StrOpt(
        "node_memory_query",
        default='node_memory_MemTotal_bytes{cluster="{cluster}", '
                'node="{node}"} - node_memory_MemAvailable_bytes{'
                'cluster="{cluster}", node="{node}"}',
        help="PromQL of a node's memory graph: bytes in use (node_exporter "
             "by default)." + _PLACEHOLDERS),
    cfg.StrOpt(
        "node_disk_query",
        default='sum(rate(node_disk_read_bytes_total{cluster="{cluster}", '
                'node="{node}"}[{window}])) + sum(rate('
                'node_disk_written_bytes_total{cluster="{cluster}", '
                'node="{node}"}[{window}]))',
        help="PromQL of a node's disk graph: bytes read and written per "
             "second, all disks (node_exporter by default)."
             + _PLACEHOLDERS),
    cfg.StrOpt(
        "node_network_query",
        default='sum(rate(node_network_receive_bytes_total{cluster='
                '"{cluster}", node="{node}", device!="lo"}[{window}])) + '
                'sum(rate(node_network_transmit_bytes_total{cluster='
                '"{cluster}", node="{node}", device!="lo"}[{window}]))',
        help="PromQL of a node's network graph: bytes received and sent "
             "per second, all interfaces but loopback (node_exporter by "
             "default)." + _PLACEHOLDERS),
    cfg.StrOpt(
        "instance_cpu_query",
        default='100 * sum(rate(namedprocess_namegroup_cpu_seconds_total{'
                'cluster="{cluster}", groupname="{instance}"}[{window}]))',
        help="PromQL of a KVM instance's CPU graph: percent of one CPU "
             "used by its QEMU process (above 100 with several busy "
             "vCPUs). The default reads process-exporter's series of a "
             "group named after the instance (QEMU's -name argument, which "
             "Ganeti sets to the instance name), labelled cluster."
             + _PLACEHOLDERS),
    cfg.StrOpt(
        "instance_memory_query",
        default='sum(namedprocess_namegroup_memory_bytes{cluster='
                '"{cluster}", groupname="{instance}", memtype="resident"})',
        help="PromQL of a KVM instance's memory graph: resident bytes of "
             "its QEMU process (process-exporter by default)."
             + _PLACEHOLDERS),
]


def list_opts():
    """Options for oslo-config-generator.

    ``cluster:example`` stands for every ``cluster:<name>`` section, and
    ``template:example`` for every instance template (like a flavor: it
    pre-fills the create workflow).
    """
    return [
        ("DEFAULT", default_opts),
        (CLUSTER_SECTION_PREFIX + "example", cluster_opts),
        (TEMPLATE_SECTION_PREFIX + "example", template_opts),
        (CONSOLE_SECTION, console_opts),
        (METRICS_SECTION, metrics_opts),
    ]
