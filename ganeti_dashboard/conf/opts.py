"""Options of ``ganeti-dashboard.conf``.

Clusters are not a fixed list of groups: every section whose name starts
with ``cluster:`` describes one cluster, so operators add a cluster by adding
a section. The options of such a section are registered on demand, once the
file has been read and its section names are known.
"""

from oslo_config import cfg

CLUSTER_SECTION_PREFIX = "cluster:"
TEMPLATE_SECTION_PREFIX = "template:"

default_opts = [
    cfg.IntOpt(
        "cache_ttl", default=10, min=0,
        help="Seconds that list answers from RAPI (instances, nodes, ...) "
             "are shared between page views through Django's cache. Writes "
             "made through the dashboard drop the cached answers of their "
             "cluster at once. 0 turns caching off."),
    cfg.IntOpt(
        "max_concurrent_clusters", default=16, min=1,
        help="How many clusters are queried at the same time when a page "
             "needs all of them."),
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
    ]
