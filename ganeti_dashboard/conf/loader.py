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

"""Reading ``ganeti-dashboard.conf`` into plain, immutable objects.

The file is read again whenever its modification time changes, so an operator
who adds a cluster does not have to restart Horizon. Every problem with the
file becomes a :class:`ConfigError` whose text names the file and, where there
is one, the section and option: that text is shown in the page as is.
"""

import dataclasses
import logging
import os
import re
import threading
import urllib.parse

from oslo_config import cfg

from ganeti_dashboard.conf import opts

LOG = logging.getLogger(__name__)

ENV_VAR = "GANETI_DASHBOARD_CONFIG"
# Cluster names appear in URLs, object ids ("cluster:instance") and Keystone
# project tags ("ganeti:cluster:<name>"), whose characters Ganeti and
# Keystone restrict.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# What a browser sends as Origin: scheme, host, optional port, nothing else.
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|"
                     r"^https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")
SETTING = "GANETI_DASHBOARD_CONFIG"
DEFAULT_PATH = "/etc/ganeti-dashboard/ganeti-dashboard.conf"


class ConfigError(Exception):
    """The configuration file is missing or wrong; the text says where."""


@dataclasses.dataclass(frozen=True)
class ClusterConfig:
    name: str
    rapi_url: str
    rapi_user: str | None = None
    rapi_password: str | None = dataclasses.field(default=None, repr=False)
    ca_file: str | None = None
    verify_tls: bool = True
    connect_timeout: float = 3.0
    read_timeout: float = 10.0
    refresh_timeout: float = 120.0
    retries: int = 1
    read_only: bool = False
    description: str = ""
    mond_enabled: bool = True
    mond_port: int = 1815
    mond_address_field: str = "pip"
    mond_timeout: float = 2.0


@dataclasses.dataclass(frozen=True)
class InstanceTemplate:
    name: str
    description: str = ""
    vcpus: int | None = None
    memory: int | None = None
    disk_template: str | None = None
    disks: tuple = ()
    os: str | None = None


@dataclasses.dataclass(frozen=True)
class ConsoleConfig:
    """The ``[console]`` section.

    Only what both Horizon and the proxy can check is checked when the file
    is read; the proxy checks its own files and needs when it starts
    (:meth:`require`), so Horizon's host needs no certificate or SSH key.
    """

    path: str = DEFAULT_PATH  # the file, for error messages
    proxy_url: str | None = None
    listen_address: str = "127.0.0.1"
    listen_port: int = 6080
    cert_file: str | None = None
    key_file: str | None = None
    allowed_origins: tuple = ()
    token_ttl: int = 60
    secret: str | None = dataclasses.field(default=None, repr=False)
    token_store: tuple = ("127.0.0.1:11211",)
    serial_mode: str = "local"
    ssh_user: str = "root"
    ssh_key_file: str | None = None
    ssh_known_hosts_file: str | None = None
    ssh_port: int = 22
    connect_timeout: float = 5.0

    @property
    def tls(self):
        return bool(self.cert_file and self.key_file)

    def require(self, option, why="to use consoles"):
        """The value of ``option``, or a :class:`ConfigError` saying it is unset."""
        value = getattr(self, option)
        if value in (None, "", ()):
            raise ConfigError("%s: option %s is required in section [%s] %s"
                              % (self.path, option, opts.CONSOLE_SECTION, why))
        return value

    def require_readable(self, option):
        """Like :meth:`require` for a file the proxy itself must read."""
        value = getattr(self, option)
        if value and not os.access(value, os.R_OK):
            raise ConfigError("%s: option %s in section [%s] names %s, which "
                              "cannot be read"
                              % (self.path, option, opts.CONSOLE_SECTION, value))
        return value


# The [metrics] queries, by graph: (scope, graph) -> option.
METRIC_QUERIES = {
    ("node", "cpu"): "node_cpu_query",
    ("node", "memory"): "node_memory_query",
    ("node", "disk"): "node_disk_query",
    ("node", "network"): "node_network_query",
    ("instance", "cpu"): "instance_cpu_query",
    ("instance", "memory"): "instance_memory_query",
}


def _default(name):
    for opt in opts.metrics_opts:
        if opt.name == name:
            return opt.default
    raise KeyError(name)


@dataclasses.dataclass(frozen=True)
class MetricsConfig:
    """The ``[metrics]`` section: Prometheus, and the graphs' queries
    (``queries``: ``{(scope, graph): PromQL with placeholders}``).
    """

    prometheus_url: str = ""
    prometheus_timeout: float = 5.0
    ca_file: str | None = None
    verify_tls: bool = True
    queries: dict = dataclasses.field(default_factory=lambda: {
        key: _default(name) for key, name in METRIC_QUERIES.items()})

    @property
    def enabled(self):
        return bool(self.prometheus_url)

    def __hash__(self):
        return hash((self.prometheus_url, self.prometheus_timeout,
                     self.ca_file, self.verify_tls,
                     tuple(sorted(self.queries.items()))))


@dataclasses.dataclass(frozen=True)
class Settings:
    path: str
    clusters: tuple
    refresh_interval: int = 10
    refresh_cost_factor: int = 10
    max_snapshot_age: int = 300
    snapshot_wait: float = 10.0
    first_snapshot_wait: float = 30.0
    max_concurrent_clusters: int = 16
    jobs_listed: int = 500
    max_create_count: int = 20
    live_interval: int = 5
    templates: tuple = ()
    console: ConsoleConfig = ConsoleConfig()
    metrics: MetricsConfig = MetricsConfig()

    def template(self, name):
        for template in self.templates:
            if template.name == name:
                return template
        return None

    def cluster(self, name):
        for cluster in self.clusters:
            if cluster.name == name:
                return cluster
        return None

    def clusters_named(self, names=None):
        """The clusters whose names are in ``names`` (every one when it is
        None), in the file's order.
        """
        return [c for c in self.clusters if names is None or c.name in names]

    def cluster_names(self):
        return frozenset(c.name for c in self.clusters)


def config_path():
    """The file to read: Horizon setting, then environment, then default."""
    try:
        from django.conf import settings
        path = getattr(settings, SETTING, None)
    except Exception:  # Django not configured (command-line tools)
        path = None
    return path or os.environ.get(ENV_VAR) or DEFAULT_PATH


_lock = threading.Lock()
_cache = {}


def load(path=None):
    """Return the :class:`Settings` of ``path`` (default: :func:`config_path`)."""
    path = path or config_path()
    try:
        mtime = os.stat(path).st_mtime_ns
    except FileNotFoundError:
        raise ConfigError(
            "Configuration file %s does not exist (set %s in Horizon's "
            "settings or the %s environment variable to point at it)"
            % (path, SETTING, ENV_VAR))
    except OSError as exc:
        raise ConfigError("Configuration file %s cannot be read: %s"
                          % (path, exc.strerror))
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        settings = _parse(path)
        _cache[path] = (mtime, settings)
        return settings


def _parse(path):
    conf = cfg.ConfigOpts()
    conf.register_opts(opts.default_opts)
    conf.register_opts(opts.console_opts, group=opts.CONSOLE_SECTION)
    conf.register_opts(opts.metrics_opts, group=opts.METRICS_SECTION)
    try:
        conf(args=[], project="ganeti-dashboard", default_config_files=[path],
             use_env=False, validate_default_values=True)
        sections = sorted(s for s in conf.list_all_sections()
                          if s.startswith(opts.CLUSTER_SECTION_PREFIX))
        clusters = []
        for section in sections:
            name = section[len(opts.CLUSTER_SECTION_PREFIX):].strip()
            if not name:
                raise ConfigError("%s: section [%s] has no cluster name after "
                                  "'%s'" % (path, section,
                                            opts.CLUSTER_SECTION_PREFIX))
            if not _NAME.match(name):
                raise ConfigError(
                    "%s: cluster name %r in section [%s] may hold only "
                    "letters, digits, '.', '-' and '_'"
                    % (path, name, section))
            conf.register_opts(opts.cluster_opts, group=section)
            group = conf[section]
            cluster = ClusterConfig(
                name=name,
                rapi_url=_url(path, section, group.rapi_url),
                rapi_user=group.rapi_user,
                rapi_password=group.rapi_password,
                ca_file=_readable(path, section, group.ca_file),
                verify_tls=group.verify_tls,
                connect_timeout=group.connect_timeout,
                read_timeout=group.read_timeout,
                refresh_timeout=group.refresh_timeout,
                retries=group.retries,
                read_only=group.read_only,
                description=group.description,
                mond_enabled=group.mond_enabled,
                mond_port=group.mond_port,
                mond_address_field=group.mond_address_field,
                mond_timeout=group.mond_timeout,
            )
            if not cluster.verify_tls:
                LOG.warning("TLS verification is OFF for Ganeti cluster %s "
                            "(verify_tls = false in %s): RAPI credentials "
                            "can be intercepted", name, path)
            clusters.append(cluster)
        templates = []
        for section in sorted(s for s in conf.list_all_sections()
                              if s.startswith(opts.TEMPLATE_SECTION_PREFIX)):
            conf.register_opts(opts.template_opts, group=section)
            group = conf[section]
            templates.append(InstanceTemplate(
                name=section[len(opts.TEMPLATE_SECTION_PREFIX):].strip(),
                description=group.description, vcpus=group.vcpus,
                memory=group.memory, disk_template=group.disk_template,
                disks=tuple(group.disks or ()), os=group.os))
        return Settings(path=path, clusters=tuple(clusters),
                        refresh_interval=conf.refresh_interval,
                        refresh_cost_factor=conf.refresh_cost_factor,
                        max_snapshot_age=conf.max_snapshot_age,
                        snapshot_wait=conf.snapshot_wait,
                        first_snapshot_wait=conf.first_snapshot_wait,
                        max_concurrent_clusters=conf.max_concurrent_clusters,
                        jobs_listed=conf.jobs_listed,
                        max_create_count=conf.max_create_count,
                        live_interval=conf.live_interval,
                        templates=tuple(templates),
                        console=_console(path, conf[opts.CONSOLE_SECTION]),
                        metrics=_metrics(path, conf[opts.METRICS_SECTION]))
    except ConfigError:
        raise
    except cfg.RequiredOptError as exc:
        raise ConfigError("%s: option %s is required in section [%s]"
                          % (path, exc.opt_name, exc.group.name
                             if exc.group else "DEFAULT"))
    except cfg.ConfigFileValueError as exc:
        raise ConfigError("%s: %s%s" % (path, exc, _former_names(str(exc))))
    except (cfg.NoSuchOptError, cfg.TemplateSubstitutionError) as exc:
        # oslo.config reads "$name" in a value as a reference to an option.
        raise ConfigError("%s: %s (a '$' in a value, e.g. in a password, "
                          "must be written '$$')" % (path, exc))
    except cfg.ConfigFileParseError as exc:
        raise ConfigError("%s: cannot be parsed: %s" % (path, exc.msg))
    except cfg.Error as exc:
        raise ConfigError("%s: %s" % (path, exc))
    finally:
        conf.clear()


def _former_names(text):
    """oslo.config names an option by its current name only, also when
    the file uses a former one (``cache_ttl``): say those too.
    """
    for opt in opts.default_opts + opts.cluster_opts:
        former = [d.name for d in opt.deprecated_opts if d.name]
        if former and re.search(r"\boption %s\b" % opt.name, text):
            return " (option %s was called %s before)" % (
                opt.name, " or ".join(former))
    return ""


def _console(path, group):
    section = opts.CONSOLE_SECTION
    if group.proxy_url and not group.proxy_url.startswith(("wss://", "ws://")):
        raise ConfigError("%s: option proxy_url in section [%s] must be a "
                          "wss:// (or ws://) URL, not %r"
                          % (path, section, group.proxy_url))
    if bool(group.cert_file) != bool(group.key_file):
        raise ConfigError("%s: options cert_file and key_file in section [%s] "
                          "go together: set both for TLS, or neither"
                          % (path, section))
    origins = []
    for origin in group.allowed_origins:
        if not _ORIGIN.match(origin):
            raise ConfigError(
                "%s: option allowed_origins in section [%s] holds %r, which "
                "is not an origin like https://horizon.example.org (scheme, "
                "host and port only, no path)" % (path, section, origin))
        origins.append(origin.lower())
    _check_token_store(path, section, group.token_store)
    return ConsoleConfig(
        path=path, proxy_url=(group.proxy_url or "").rstrip("/") or None,
        listen_address=group.listen_address, listen_port=group.listen_port,
        cert_file=group.cert_file, key_file=group.key_file,
        allowed_origins=tuple(origins), token_ttl=group.token_ttl,
        secret=group.secret, token_store=tuple(group.token_store),
        serial_mode=group.serial_mode, ssh_user=group.ssh_user,
        ssh_key_file=group.ssh_key_file,
        ssh_known_hosts_file=group.ssh_known_hosts_file,
        ssh_port=group.ssh_port, connect_timeout=group.connect_timeout)


def _metrics(path, group):
    section = opts.METRICS_SECTION
    url = (group.prometheus_url or "").strip().rstrip("/")
    if url and not url.startswith(("https://", "http://")):
        # Not quoted back: the URL may hold a user and password.
        raise ConfigError("%s: option prometheus_url in section [%s] must "
                          "be an https:// (or http://) URL"
                          % (path, section))
    if group.ca_file and not os.access(group.ca_file, os.R_OK):
        raise ConfigError("%s: option ca_file in section [%s] names %s, "
                          "which cannot be read"
                          % (path, section, group.ca_file))
    if url.startswith("https://") and not group.verify_tls:
        LOG.warning("TLS verification is OFF for Prometheus (verify_tls = "
                    "false in section [%s] of %s): anyone on the path can "
                    "answer in its place", section, path)
    queries = {}
    for key, name in METRIC_QUERIES.items():
        query = (group[name] or "").strip()
        if not query:
            raise ConfigError("%s: option %s in section [%s] is empty"
                              % (path, name, section))
        queries[key] = query
    return MetricsConfig(prometheus_url=url,
                         prometheus_timeout=group.prometheus_timeout,
                         ca_file=group.ca_file or None,
                         verify_tls=group.verify_tls, queries=queries)


def _check_token_store(path, section, servers):
    if not servers:
        raise ConfigError("%s: option token_store in section [%s] is empty"
                          % (path, section))
    redis = [server for server in servers
             if urllib.parse.urlsplit(server).scheme in ("redis", "rediss")]
    if redis:
        if len(servers) > 1:
            raise ConfigError(
                "%s: option token_store in section [%s] holds a Redis URL "
                "among other servers: give one Redis server (its URL), or "
                "memcached servers (host:port)" % (path, section))
        try:
            parts = urllib.parse.urlsplit(redis[0])
            database = parts.path.strip("/")
            valid = bool(parts.hostname) and (parts.port or 0) >= 0 and (
                database == "" or database.isdigit())
        except ValueError:
            valid = False
        if not valid:
            # The URL may hold a password: it is not quoted back.
            raise ConfigError(
                "%s: option token_store in section [%s] holds a Redis URL "
                "that is not like redis://host:6379/0" % (path, section))
        return
    for server in servers:
        host, _, port = server.rpartition(":")
        if not host or not port.isdigit():
            raise ConfigError("%s: option token_store in section [%s] holds "
                              "%r, which is not host:port (memcached) or "
                              "redis://host:port/db" % (path, section, server))


def _url(path, section, value):
    # Options registered after parsing are not checked by oslo.config.
    if not value:
        raise ConfigError("%s: option rapi_url is required in section [%s]"
                          % (path, section))
    if not value.startswith(("https://", "http://")):
        raise ConfigError("%s: option rapi_url in section [%s] must be an "
                          "https:// (or http://) URL, not %r"
                          % (path, section, value))
    return value.rstrip("/")


def _readable(path, section, value):
    if value and not os.access(value, os.R_OK):
        raise ConfigError("%s: option ca_file in section [%s] names %s, which "
                          "cannot be read" % (path, section, value))
    return value
