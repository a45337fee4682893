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

"""A client for one Ganeti cluster's RAPI (version 2), on ``requests``.

It is written around how Ganeti 3.0's RAPI really behaves (the facts, and
where each is handled: ``doc/source/contributor/rapi-facts.rst``):

* every answer closes the connection, so the ``Session`` buys settings and
  certificate handling, not connection reuse;
* a GET without ``Content-Length: 0`` is answered late when the answer is
  short;
* a body must be sent as exactly ``application/json``;
* error texts arrive HTML-escaped and are unescaped once here;
* unknown objects answer 500 on some sub-resources and an unknown job answers
  200 with null fields: both become :class:`NotFound`;
* non-ASCII text can brick a cluster, so none is ever sent.

GETs are retried with backoff on connection failures and 502/503/504. Writes
are never retried, because a POST that reached Ganeti has started a job.
"""

import contextlib
import contextvars
import html
import json
import logging
import re
import threading
import time
import urllib.parse

import requests
from requests import adapters
from urllib3.util import retry as urllib3_retry

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import opcodes
from ganeti_dashboard.api.texts import gettext_noop
from ganeti_dashboard.api.texts import Text

LOG = logging.getLogger(__name__)

JOB_DONE = ("success", "error", "canceled")
JOB_PENDING = ("queued", "waiting", "canceling", "running")

# The Horizon request a write was made for (``req-`` and 32 hex digits,
# set by every view of the plugin: content.access.PolicyView), so that a
# started job's log line can be found with the request's other lines.
REQUEST_ID = contextvars.ContextVar("ganeti_request_id", default=None)


class CallCounter:
    """Counts the HTTP requests sent to RAPI, for benchmarks and tests."""

    def __init__(self):
        self._lock = threading.Lock()
        self.calls = []

    def record(self, cluster, method, path):
        with self._lock:
            self.calls.append((cluster, method, path))

    def reset(self):
        with self._lock:
            self.calls = []

    def count(self, cluster=None, method=None, path=None):
        with self._lock:
            return sum(1 for c, m, p in self.calls
                       if (cluster is None or c == cluster)
                       and (method is None or m == method)
                       and (path is None or p == path))


CALLS = CallCounter()


_refreshing = threading.local()


@contextlib.contextmanager
def snapshot_refresh():
    """Within it, this thread refreshes a snapshot (see api.snapshots):
    its requests wait the cluster's ``refresh_timeout`` for an answer (no
    page waits for them), and their failures are not logged here, since
    the snapshot logs them once per spell of failures, not at every
    attempt.
    """
    _refreshing.active = True
    try:
        yield
    finally:
        _refreshing.active = False


def check_ascii(value, what):
    """Refuse text Ganeti's daemons cannot store (see module docstring)."""
    text = value if isinstance(value, str) else json.dumps(
        value, ensure_ascii=False, default=str)
    if not text.isascii():
        raise errors.BadRequest(Text(gettext_noop(
            "%(what)s may contain only ASCII characters: Ganeti cannot "
            "store other text safely"), {"what": what}))
    return value


def _quote(name):
    check_ascii(name, "A name")
    return urllib.parse.quote(str(name), safe="")


class RapiClient:
    """One cluster's RAPI. Thread-safe: a page may call it from a pool."""

    def __init__(self, cluster, after_write=None):
        self.cluster = cluster
        self.name = cluster.name
        self.base_url = cluster.rapi_url.rstrip("/")
        self.timeout = (cluster.connect_timeout, cluster.read_timeout)
        # Given with every request: requests lets REQUESTS_CA_BUNDLE in the
        # environment override a Session's own ``verify``.
        self.verify = (cluster.ca_file or True) if cluster.verify_tls \
            else False
        # Called after every write (e.g. to make the cluster's snapshots
        # due): whatever the answer, a write may have started a job.
        self.after_write = after_write
        self._read = self._session(cluster.retries)
        self._write = self._session(0)

    def _session(self, retries):
        session = requests.Session()
        if self.cluster.rapi_user:
            session.auth = (self.cluster.rapi_user,
                            self.cluster.rapi_password or "")
        session.headers.update({"Accept": "application/json",
                                "User-Agent": "ganeti-dashboard"})
        policy = urllib3_retry.Retry(
            total=retries, connect=retries, read=0, other=0, status=retries,
            allowed_methods=frozenset({"GET"}),
            status_forcelist=(502, 503, 504), backoff_factor=0.2,
            raise_on_status=False, respect_retry_after_header=False)
        adapter = adapters.HTTPAdapter(max_retries=policy)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    # -- transport -----------------------------------------------------

    def request(self, method, path, query=None, body=None,
                missing_on_500=False, reads_only=False, read_timeout=None):
        """Send one request; return the decoded JSON answer.

        ``missing_on_500``: RAPI answers 500, not 404, for an unknown object
        on this sub-resource (``/tags``, ``/console``, ``/role``).
        ``read_timeout``: instead of the cluster's (a snapshot's list).

        A failure is logged here, once, with the cluster, method, path and
        cause (never the credentials, nor the query, which may carry the
        reason trail), unless the caller logs it (see
        :func:`snapshot_refresh`); an object that is not found is
        no failure of the cluster's.
        """
        LOG.debug("cluster %s: %s %s", self.name, method, path)
        try:
            return self._send(method, path, query, body, missing_on_500,
                              reads_only, read_timeout)
        except errors.NotFound:
            raise
        except errors.RapiError as exc:
            if not getattr(_refreshing, "active", False):
                LOG.warning("cluster %s: %s %s failed: %s", self.name,
                            method, path, exc.english)
            raise

    def _send(self, method, path, query, body, missing_on_500, reads_only,
              read_timeout):
        if method != "GET" and not reads_only and self.cluster.read_only:
            raise errors.Forbidden(Text(gettext_noop(
                "cluster %(cluster)s is configured read-only for the "
                "dashboard"), {"cluster": self.name}), self.name)
        params = []
        for key, value in (query or {}).items():
            if value is None:
                continue
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, bool):
                    item = int(item)
                params.append((key, check_ascii(str(item), "'%s'" % key)))
        headers = {}
        data = None
        if body is not None:
            check_ascii(body, Text(gettext_noop("The request")))
            data = json.dumps(body).encode("ascii")
            headers["Content-Type"] = "application/json"
        else:
            headers["Content-Length"] = "0"
        session = self._read if method == "GET" else self._write
        url = self.base_url + path
        if read_timeout is None and getattr(_refreshing, "active", False):
            read_timeout = self.cluster.refresh_timeout
        timeout = self.timeout if read_timeout is None else (
            self.timeout[0], read_timeout)
        CALLS.record(self.name, method, path)
        try:
            answer = session.request(method, url, params=params, data=data,
                                     headers=headers, timeout=timeout,
                                     verify=self.verify)
        except requests.exceptions.SSLError as exc:
            raise errors.CertificateError(_tls_reason(exc), self.name)
        except requests.exceptions.ConnectTimeout:
            raise errors.Timeout(Text(gettext_noop(
                "no connection within %(seconds)gs"),
                {"seconds": self.timeout[0]}), self.name)
        except requests.exceptions.ReadTimeout as exc:
            raise errors.Timeout(_read_timeout_text(exc, timeout), self.name)
        except requests.exceptions.ConnectionError as exc:
            # With a retry policy, urllib3 reports a read timeout inside a
            # MaxRetryError, which requests turns into a ConnectionError.
            if "Read timed out" in str(exc):
                raise errors.Timeout(_read_timeout_text(exc, timeout),
                                     self.name)
            raise errors.Unreachable(_connection_reason(exc), self.name)
        except requests.exceptions.RequestException as exc:
            raise errors.Unreachable(Text(gettext_noop(
                "cluster unreachable: %(cause)s"),
                {"cause": type(exc).__name__}), self.name)
        if answer.status_code >= 400:
            raise self._http_error(answer, missing_on_500)
        try:
            return answer.json()
        except ValueError:
            raise errors.RapiError(Text(gettext_noop(
                "RAPI sent an answer that is not JSON")),
                self.name, answer.status_code)

    def _http_error(self, answer, missing_on_500):
        code = answer.status_code
        message = _error_text(answer)
        if code == 401:
            return errors.AuthenticationFailed(None, self.name)
        if code == 403:
            return errors.Forbidden(None, self.name)
        if code == 404:
            return errors.NotFound(None, self.name)
        if code == 400:
            return errors.BadRequest(message, self.name)
        if (code == 500 and missing_on_500 and message
                and _NOT_KNOWN.search(message)):
            return errors.NotFound(None, self.name)
        if message:
            text = Text(gettext_noop("RAPI answered HTTP %(code)d: "
                                     "%(message)s"),
                        {"code": code, "message": message})
        else:
            text = Text(gettext_noop("RAPI answered HTTP %(code)d"),
                        {"code": code})
        return errors.RapiError(text, self.name, code)

    def get(self, path, query=None, missing_on_500=False):
        return self.request("GET", path, query,
                            missing_on_500=missing_on_500)

    def write(self, method, path, query=None, body=None, reason=None,
              missing_on_500=False):
        query = dict(query or {})
        if reason:
            query["reason"] = reason
        try:
            answer = self.request(method, path, query, body,
                                  missing_on_500=missing_on_500)
        finally:
            if self.after_write is not None:
                self.after_write()
        if isinstance(answer, int):
            # Every write of RAPI answers the id of the job it started.
            LOG.info("cluster %s: %s %s started job %s (%s) by %s, "
                     "request %s", self.name, method, path, answer,
                     opcodes.opcode(method, path) or "opcode not known",
                     reason or "no reason given",
                     REQUEST_ID.get() or "none")
        return answer

    # -- cluster -------------------------------------------------------

    def info(self):
        return self.get("/2/info")

    def features(self):
        return sorted(self.get("/2/features"))

    def version(self):
        return self.get("/version")

    def operating_systems(self):
        """OS names with variants (``noop``, ``debian+minimal``).

        Ganeti runs a diagnose job for this, so callers must not use it on
        list pages.
        """
        return self.get("/2/os")

    def cluster_tags(self):
        return self.get("/2/tags")

    def add_cluster_tags(self, tags, reason=None):
        return self.write("PUT", "/2/tags", {"tag": list(tags)},
                          reason=reason)

    def delete_cluster_tags(self, tags, reason=None):
        return self.write("DELETE", "/2/tags", {"tag": list(tags)},
                          reason=reason)

    def modify_cluster(self, reason=None, **changes):
        """``gnt-cluster modify``: only the given parameters change. Ill-typed
        values are a 400; most refusals fail the job.
        """
        return self.write("PUT", "/2/modify", body=changes, reason=reason)

    def redistribute_config(self, reason=None):
        return self.write("PUT", "/2/redistribute-config", reason=reason)

    # -- job filters (Ganeti 2.13+) ------------------------------------

    def filters(self):
        """Every filter rule (uuid, watermark, priority, predicates,
        action, reason_trail): few, so always bulk.
        """
        return self.get("/2/filters", {"bulk": 1})

    def filter_rule(self, uuid):
        return self.get("/2/filters/%s" % _quote(uuid))

    @staticmethod
    def _filter_body(priority, predicates, action, reason):
        """A filter's body. Its reason is a reason *trail* in the body
        (``[[source, text, timestamp], ...]``): ``/2/filters`` is no
        opcode resource and ignores ``?reason=``. The watermark is not
        accepted (400): Ganeti sets it.
        """
        body = {"priority": int(priority), "predicates": predicates,
                "action": action}
        if reason:
            body["reason"] = [["gui:ganeti-dashboard", reason,
                               time.time_ns()]]
        return body

    def add_filter(self, priority, predicates, action, reason=None):
        """Answers the new rule's uuid (no job: luxid changes it at
        once). A malformed predicate or action is answered 502.
        """
        return self.write("POST", "/2/filters", body=self._filter_body(
            priority, predicates, action, reason))

    def replace_filter(self, uuid, priority, predicates, action,
                       reason=None):
        """Replace a rule (its watermark is renewed); answers its uuid."""
        return self.write("PUT", "/2/filters/%s" % _quote(uuid),
                          body=self._filter_body(priority, predicates,
                                                 action, reason))

    def delete_filter(self, uuid):
        """An unknown uuid is a 500 ("... does not exist")."""
        return self.write("DELETE", "/2/filters/%s" % _quote(uuid),
                          missing_on_500=True)

    # -- nodes, groups, networks ---------------------------------------

    def nodes(self, bulk=True):
        return self.get("/2/nodes", {"bulk": 1 if bulk else None})

    def node_names(self):
        return [n["id"] for n in self.nodes(bulk=False)]

    def node(self, name):
        return self.get("/2/nodes/" + _quote(name))

    def node_role(self, name):
        return self.get("/2/nodes/%s/role" % _quote(name), missing_on_500=True)

    def set_node_role(self, name, role, force=False, reason=None):
        """Role: master-candidate, regular, drained, offline or master."""
        return self.write("PUT", "/2/nodes/%s/role" % _quote(name),
                          {"force": force or None}, body=role,
                          reason=reason, missing_on_500=True)

    def evacuate_node(self, name, mode="primary-only", iallocator=None,
                      remote_node=None, early_release=False, reason=None):
        """Mode: primary-only, secondary-only or all (RAPI requires one)."""
        body = {}
        _put(body, iallocator=iallocator, remote_node=remote_node, mode=mode,
             early_release=early_release or None)
        return self.write("POST", "/2/nodes/%s/evacuate" % _quote(name),
                          body=body, reason=reason)

    def migrate_node(self, name, mode=None, reason=None):
        """Migrate the node's primaries; Ganeti's allocator picks targets.

        The mode goes in the query: RAPI ignores the body as soon as the
        query has arguments, and ``reason`` always is one.
        """
        return self.write("POST", "/2/nodes/%s/migrate" % _quote(name),
                          {"mode": mode}, reason=reason)

    def modify_node(self, name, changes, reason=None):
        """OpNodeSetParams with ``changes`` (drained, offline,
        master_capable, vm_capable, secondary_ip...): ``POST .../modify``.
        """
        return self.write("POST", "/2/nodes/%s/modify" % _quote(name),
                          body=dict(changes), reason=reason)

    def node_tags(self, name):
        return self.get("/2/nodes/%s/tags" % _quote(name),
                        missing_on_500=True)

    def add_node_tags(self, name, tags, reason=None):
        return self.write("PUT", "/2/nodes/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason,
                          missing_on_500=True)

    def delete_node_tags(self, name, tags, reason=None):
        return self.write("DELETE", "/2/nodes/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason,
                          missing_on_500=True)

    def node_storage(self, name, storage_type, fields):
        """Start the job that lists a node's storage units (Ganeti runs
        OpNodeQueryStorage for this GET, and only for a write user);
        returns the job id: the rows are its result.
        """
        return self.request("GET", "/2/nodes/%s/storage" % _quote(name),
                            {"storage_type": storage_type,
                             "output_fields": ",".join(fields)})

    def modify_node_storage(self, name, storage_type, unit,
                            allocatable=None, reason=None):
        query = {"storage_type": storage_type, "name": unit}
        if allocatable is not None:
            query["allocatable"] = 1 if allocatable else 0
        return self.write("PUT", "/2/nodes/%s/storage/modify" % _quote(name),
                          query, reason=reason)

    def repair_node_storage(self, name, storage_type, unit, reason=None):
        return self.write("PUT", "/2/nodes/%s/storage/repair" % _quote(name),
                          {"storage_type": storage_type, "name": unit},
                          reason=reason)

    def powercycle_node(self, name, reason=None):
        """Never on a cluster of the fake hypervisor: its power-cycle
        reboots the machine Ganeti runs on (``api.nodes`` refuses it).
        """
        return self.write("POST", "/2/nodes/%s/powercycle" % _quote(name),
                          reason=reason)

    def groups(self, bulk=True):
        return self.get("/2/groups", {"bulk": 1 if bulk else None})

    def group(self, name):
        return self.get("/2/groups/" + _quote(name))

    def create_group(self, name, alloc_policy=None, reason=None):
        """``POST /2/groups`` (OP_GROUP_ADD)."""
        body = {"name": name}
        _put(body, alloc_policy=alloc_policy)
        return self.write("POST", "/2/groups", body=body, reason=reason)

    def delete_group(self, name, reason=None):
        """Ganeti refuses, in the job, a group that still has nodes."""
        return self.write("DELETE", "/2/groups/" + _quote(name),
                          reason=reason)

    def rename_group(self, name, new_name, reason=None):
        return self.write("PUT", "/2/groups/%s/rename" % _quote(name),
                          body={"new_name": new_name}, reason=reason)

    def modify_group(self, name, reason=None, **changes):
        """``alloc_policy``, ``ipolicy``, ``diskparams``, ``ndparams``: a
        parameter's value ``"default"`` resets it to the cluster's.
        """
        return self.write("PUT", "/2/groups/%s/modify" % _quote(name),
                          body=dict(changes), reason=reason)

    def assign_group_nodes(self, name, nodes, force=False, reason=None):
        """Move ``nodes`` into the group (``force``: even when it splits
        an instance's nodes over two groups).
        """
        return self.write("PUT", "/2/groups/%s/assign-nodes" % _quote(name),
                          {"force": force or None},
                          body={"nodes": list(nodes)}, reason=reason)

    def group_tags(self, name):
        return self.get("/2/groups/%s/tags" % _quote(name),
                        missing_on_500=True)

    def add_group_tags(self, name, tags, reason=None):
        return self.write("PUT", "/2/groups/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason,
                          missing_on_500=True)

    def delete_group_tags(self, name, tags, reason=None):
        return self.write("DELETE", "/2/groups/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason,
                          missing_on_500=True)

    def networks(self, bulk=True):
        return self.get("/2/networks", {"bulk": 1 if bulk else None})

    def network(self, name):
        return self.get("/2/networks/" + _quote(name))

    def create_network(self, name, network, gateway=None,
                       reserved_ips=(), tags=(), network6=None,
                       gateway6=None, mac_prefix=None, reason=None):
        """``POST /2/networks`` (OP_NETWORK_ADD)."""
        body = {"network_name": name, "network": network}
        _put(body, gateway=gateway or None,
             add_reserved_ips=list(reserved_ips) or None,
             tags=list(tags) or None, network6=network6,
             gateway6=gateway6, mac_prefix=mac_prefix)
        return self.write("POST", "/2/networks", body=body, reason=reason)

    def delete_network(self, name, reason=None):
        """Ganeti refuses, in the job, a network still connected."""
        return self.write("DELETE", "/2/networks/" + _quote(name),
                          reason=reason)

    def modify_network(self, name, reason=None, **changes):
        """``gateway``, ``add_reserved_ips``, ``remove_reserved_ips``,
        ``network6``, ``gateway6``, ``mac_prefix`` (Ganeti refuses the
        gateway and reserved IPs in one job; an IP outside the subnet is
        ignored by the job, which still succeeds).
        """
        return self.write("PUT", "/2/networks/%s/modify" % _quote(name),
                          body=dict(changes), reason=reason)

    def connect_network(self, name, group, mode, link, reason=None):
        return self.write("PUT", "/2/networks/%s/connect" % _quote(name),
                          body={"group_name": group, "network_mode": mode,
                                "network_link": link}, reason=reason)

    def disconnect_network(self, name, group, reason=None):
        return self.write("PUT", "/2/networks/%s/disconnect" % _quote(name),
                          body={"group_name": group}, reason=reason)

    def network_tags(self, name):
        return self.get("/2/networks/%s/tags" % _quote(name),
                        missing_on_500=True)

    def add_network_tags(self, name, tags, reason=None):
        return self.write("PUT", "/2/networks/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason,
                          missing_on_500=True)

    def delete_network_tags(self, name, tags, reason=None):
        return self.write("DELETE", "/2/networks/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason,
                          missing_on_500=True)

    # -- instances -----------------------------------------------------

    def instances(self, bulk=True):
        return self.get("/2/instances", {"bulk": 1 if bulk else None})

    def instance_names(self):
        return [i["id"] for i in self.instances(bulk=False)]

    def instance(self, name):
        return self.get("/2/instances/" + _quote(name))

    def create_instance(self, spec, dry_run=False, reason=None):
        """Start a create job; ``spec`` is a request-version-1 body."""
        body = dict(spec, __version__=1)
        body.setdefault("mode", "create")
        return self.write("POST", "/2/instances",
                          {"dry-run": dry_run or None}, body=body,
                          reason=reason)

    def create_instances(self, specs, iallocator=None, dry_run=False,
                         reason=None):
        """Start one job that allocates several instances
        (``/2/instances-multi-alloc``); ``specs``: create bodies, with
        ``name`` and ``os`` as in :meth:`create_instance`. The job submits
        one create job per instance it could place (see
        :func:`multi_alloc_jobs`). Ganeti 3.0 serves it without listing
        it in ``/2/features``.
        """
        instances = [dict(spec, mode=spec.get("mode", "create"))
                     for spec in specs]
        body = {"instances": instances}
        if iallocator:
            body["iallocator"] = iallocator
        return self.write("POST", "/2/instances-multi-alloc",
                          {"dry-run": dry_run or None}, body=body,
                          reason=reason)

    def delete_instance(self, name, reason=None):
        return self.write("DELETE", "/2/instances/" + _quote(name),
                          reason=reason)

    def startup_instance(self, name, reason=None):
        return self.write("PUT", "/2/instances/%s/startup" % _quote(name),
                          reason=reason)

    def shutdown_instance(self, name, timeout=None, force=False,
                          no_remember=False, reason=None):
        body = {}
        _put(body, timeout=timeout, force=force or None)
        return self.write("PUT", "/2/instances/%s/shutdown" % _quote(name),
                          {"no_remember": no_remember or None}, body=body,
                          reason=reason)

    def reboot_instance(self, name, reboot_type="soft", reason=None):
        return self.write("POST", "/2/instances/%s/reboot" % _quote(name),
                          {"type": reboot_type}, reason=reason)

    def reinstall_instance(self, name, os_name=None, osparams=None,
                           start=True, reason=None):
        """RAPI refuses query arguments beside a body ("Can't combine query
        and body parameters"), so without OS parameters everything goes in
        the query, reason included (Ganeti 3.0 still leaves it out of the
        trail); OS parameters need the body and lose the reason.
        """
        path = "/2/instances/%s/reinstall" % _quote(name)
        if osparams:
            body = {"start": start, "osparams": osparams}
            _put(body, os=os_name)
            return self.write("POST", path, body=body)
        return self.write("POST", path, {"os": os_name,
                                         "nostartup": not start or None},
                          reason=reason)

    def rename_instance(self, name, new_name, ip_check=False,
                        name_check=False, reason=None):
        _quote(new_name)
        return self.write("PUT", "/2/instances/%s/rename" % _quote(name),
                          body={"new_name": new_name, "ip_check": ip_check,
                                "name_check": name_check}, reason=reason)

    def modify_instance(self, name, reason=None, **changes):
        """Changes as in OpInstanceSetParams: beparams, disks, nics, ..."""
        return self.write("PUT", "/2/instances/%s/modify" % _quote(name),
                          body=changes, reason=reason)

    def grow_disk(self, name, disk=0, amount=0, reason=None):
        """Grow disk number ``disk`` by ``amount`` MiB."""
        return self.write("POST", "/2/instances/%s/disk/%d/grow"
                          % (_quote(name), int(disk)),
                          body={"amount": int(amount)}, reason=reason)

    def activate_instance_disks(self, name, ignore_size=False,
                                reason=None):
        """Ganeti takes the options from the query only."""
        return self.write("PUT", "/2/instances/%s/activate-disks"
                          % _quote(name),
                          {"ignore_size": 1 if ignore_size else None},
                          reason=reason)

    def deactivate_instance_disks(self, name, force=False, reason=None):
        return self.write("PUT", "/2/instances/%s/deactivate-disks"
                          % _quote(name), {"force": 1 if force else None},
                          reason=reason)

    def recreate_instance_disks(self, name, disks=None, nodes=None,
                                iallocator=None, reason=None):
        """``disks``: ``[[index, {params}], ...]`` (None: all of them)."""
        body = {}
        _put(body, disks=disks, nodes=nodes, iallocator=iallocator)
        return self.write("POST", "/2/instances/%s/recreate-disks"
                          % _quote(name), body=body, reason=reason)

    def replace_instance_disks(self, name, mode="replace_auto",
                               remote_node=None, iallocator=None,
                               disks=None, early_release=False,
                               reason=None):
        """DRBD only. ``mode``: replace_on_primary, replace_on_secondary,
        replace_new_secondary (with ``remote_node`` or ``iallocator``) or
        replace_auto. The options go in the body (the query is only the
        legacy interface, which Ganeti reads when there is no body).
        """
        body = {"mode": mode}
        _put(body, remote_node=remote_node, iallocator=iallocator,
             disks=list(disks) if disks else None,
             early_release=early_release or None)
        return self.write("POST", "/2/instances/%s/replace-disks"
                          % _quote(name), body=body, reason=reason)

    def migrate_instance(self, name, mode=None, cleanup=False,
                         target_node=None, reason=None):
        body = {}
        _put(body, mode=mode, cleanup=cleanup or None,
             target_node=target_node)
        return self.write("PUT", "/2/instances/%s/migrate" % _quote(name),
                          body=body, reason=reason)

    def failover_instance(self, name, target_node=None,
                          ignore_consistency=False, reason=None):
        body = {}
        _put(body, target_node=target_node,
             ignore_consistency=ignore_consistency or None)
        return self.write("PUT", "/2/instances/%s/failover" % _quote(name),
                          body=body, reason=reason)

    def export_instance(self, name, destination, mode="local",
                        shutdown=True, long_sleep=False,
                        remove_instance=False, shutdown_timeout=None,
                        x509_key_name=None, destination_x509_ca=None,
                        reason=None):
        """Export an instance to node ``destination`` (``mode=local``).

        RAPI renames ``destination`` to the opcode's ``target_node``.
        Disks that cannot be snapshotted (every template but plain, drbd
        and ext) are copied only with ``shutdown`` and ``long_sleep``:
        without them Ganeti shuts the instance down and then fails,
        leaving it stopped (measured on Ganeti 3.0.2).

        ``mode=remote`` (a move to another cluster): ``destination`` is
        the destination import job's list of disk addresses, with the
        source's ``x509_key_name`` from :meth:`prepare_export` and the
        destination's ``destination_x509_ca``.
        """
        body = {"mode": mode, "destination": destination,
                "shutdown": bool(shutdown),
                "remove_instance": bool(remove_instance)}
        _put(body, long_sleep=long_sleep or None,
             shutdown_timeout=shutdown_timeout, x509_key_name=x509_key_name,
             destination_x509_ca=destination_x509_ca)
        return self.write("PUT", "/2/instances/%s/export" % _quote(name),
                          body=body, reason=reason)

    def prepare_export(self, name, mode="remote", reason=None):
        """Start a job that prepares a remote export; its result holds
        ``handshake``, ``x509_key_name`` and ``x509_ca`` (RAPI reads the
        mode from the query only).
        """
        return self.write("PUT", "/2/instances/%s/prepare-export"
                          % _quote(name), {"mode": mode}, reason=reason)

    def exports(self):
        """``[(node, export name)]`` of every node's exports, and the
        nodes that could not say (offline, unreachable): one
        ``GET /2/query/export`` (RAPI has neither size nor date of an
        export, and cannot remove one).
        """
        answer = self.get("/2/query/export", {"fields": "node,export"})
        found, silent = [], []
        for (node_status, node), (status, export) in (
                row[:2] for row in answer["data"]):
            if status == 0 and export:
                found.append((node, export))
            elif status != 2:  # RS_NODATA: the node has none
                silent.append(node)
        return sorted(found), sorted(set(silent))

    def instance_console(self, name):
        return self.get("/2/instances/%s/console" % _quote(name),
                        missing_on_500=True)

    def instance_tags(self, name):
        return self.get("/2/instances/%s/tags" % _quote(name), missing_on_500=True)

    def add_instance_tags(self, name, tags, reason=None):
        return self.write("PUT", "/2/instances/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason, missing_on_500=True)

    def delete_instance_tags(self, name, tags, reason=None):
        return self.write("DELETE", "/2/instances/%s/tags" % _quote(name),
                          {"tag": list(tags)}, reason=reason, missing_on_500=True)

    # -- jobs ----------------------------------------------------------

    def job_ids(self):
        """All job ids, newest first (the list only grows: never bulk)."""
        ids = [int(j["id"]) for j in self.get("/2/jobs")]
        return sorted(ids, reverse=True)

    def job(self, job_id):
        job = self.get("/2/jobs/%d" % int(job_id))
        if not job or job.get("status") is None:
            raise errors.NotFound(Text(gettext_noop("job %(job)s not found"),
                                       {"job": job_id}), self.name)
        return job

    JOB_FIELDS = ("id", "status", "summary", "received_ts", "start_ts",
                  "end_ts", "ops", "opstatus", "opresult", "oplog")

    def query(self, resource, fields, qfilter=None, read_timeout=None):
        """Ganeti's query resource: rows of dicts. A PUT that only reads,
        so it is allowed on read-only clusters and never retried.

        Mind Ganeti's filter language
        (``doc/source/contributor/rapi-facts.rst``): a bare ``|`` of ``=``
        on names is a lookup that fails on one unknown name (wrap it in
        ``&``), and ``=`` on a name also matches a longer name that starts
        with it (compare the names it answers).
        """
        body = {"fields": list(fields)}
        if qfilter is not None:
            body["filter"] = qfilter
        answer = self.request("PUT", "/2/query/%s" % _quote(resource),
                              body=body, reads_only=True,
                              read_timeout=read_timeout)
        names = [f["name"] for f in answer["fields"]]
        return [dict(zip(names, (value for _, value in row)))
                for row in answer["data"]]

    def jobs(self, job_ids, fields=JOB_FIELDS):
        """Several jobs in one call (by id, so Ganeti reads only those)."""
        if not job_ids:
            return []
        qfilter = ["|"] + [["=", "id", int(j)] for j in job_ids]
        return self.query("job", fields, qfilter)

    def cancel_job(self, job_id, reason=None):
        """Ask Ganeti to cancel; the answer says little (see
        ``job_queue.cancel``).
        """
        return self.write("DELETE", "/2/jobs/%d" % int(job_id),
                          reason=reason)

    def wait_for_job(self, job_id, timeout=120.0, interval=0.2):
        """Poll a job until it ends; return it or raise :class:`JobFailed`.

        Polling with a bound, not RAPI's ``/wait``, because that needs a
        write-capable user and holds a connection open.
        """
        deadline = time.monotonic() + timeout
        while True:
            job = self.job(job_id)
            if job["status"] == "success":
                return job
            if job["status"] in ("error", "canceled"):
                raise errors.JobFailed(job_error(job), self.name, job_id,
                                       job["status"])
            if time.monotonic() >= deadline:
                raise errors.Timeout(Text(gettext_noop(
                    "job %(job)s still %(status)s after %(seconds)gs"),
                    {"job": job_id, "status": job["status"],
                     "seconds": timeout}), self.name)
            time.sleep(interval)
            interval = min(interval * 1.5, 2.0)


def multi_alloc_jobs(job):
    """What a finished ``/2/instances-multi-alloc`` job did:
    ``({instance name: create job id}, {instance name: why not})``.

    Its result lists the instances it could place (``allocatable``) and
    the create jobs it submitted for them, in the same order (each
    ``[True, job id]`` or ``[False, error]``), and those it could not
    (``failed``).
    """
    results = job.get("opresult") or []
    result = results[0] if results and isinstance(results[0], dict) \
        else {}
    started, refused = {}, {}
    for name, entry in zip(result.get("allocatable") or [],
                           result.get("jobs") or []):
        if isinstance(entry, (list, tuple)) and len(entry) == 2 \
                and entry[0]:
            started[name] = int(entry[1])
        else:
            refused[name] = html.unescape(str(
                entry[1] if isinstance(entry, (list, tuple))
                and len(entry) == 2 else entry))
    for name in result.get("failed") or []:
        refused[name] = Text(gettext_noop(
            "the cluster's allocator found no node for it"))
    return started, refused


def job_error(job):
    """Ganeti's own error text of a failed job."""
    for status, result in zip(job.get("opstatus") or [],
                              job.get("opresult") or []):
        if status not in ("error", "canceled"):
            continue
        if status == "canceled":
            return Text(gettext_noop("job %(job)s was canceled"),
                        {"job": job.get("id")})
        # Errors are encoded as [class name, [message, (code)]].
        if (isinstance(result, list) and len(result) == 2
                and isinstance(result[1], list) and result[1]):
            return html.unescape(str(result[1][0]))
        return html.unescape(str(result))
    return Text(gettext_noop("job %(job)s ended with status %(status)s"),
                {"job": job.get("id"), "status": job.get("status")})


def _put(body, **values):
    for key, value in values.items():
        if value is not None:
            body[key] = value


# What those 500s say, as measured: "('Instance name X not found',
# 'unknown_entity')" on /tags; "list index out of range" on /console and
# /role.
_NOT_KNOWN = re.compile(r"(not found|not known|unknown_entity|"
                        r"list index out of range|does not exist)")


def _error_text(answer):
    try:
        body = answer.json()
    except ValueError:
        return None
    if isinstance(body, dict):
        # "explain" is the HTTP status's generic text; say it only when
        # Ganeti gave no message of its own.
        text = body.get("message") or body.get("explain")
        return html.unescape(str(text)) if text else None
    return None


def _tls_reason(exc):
    text = str(exc)
    match = re.search(r"certificate verify failed: ([^(')\]]+)", text)
    if match:
        return Text(gettext_noop("certificate not trusted (%(cause)s)"),
                    {"cause": match.group(1).strip()})
    if "hostname" in text and "match" in text:
        return Text(gettext_noop(
            "certificate not trusted (host name does not match)"))
    return Text(gettext_noop("TLS handshake failed"))


_FIRED = re.compile(r"read timeout=([0-9.]+)")


def _read_timeout_text(exc, timeout):
    """Which wait ran out, in the user's words. urllib3 times a TLS
    handshake with the connect timeout but reports it as a read timeout
    naming the value that fired: a server that accepts the connection and
    never speaks TLS is "no TLS handshake", not "no answer" after the
    (much longer) read timeout it never reached.
    """
    connect, read = timeout
    fired = _FIRED.search(str(exc))
    if fired and float(fired.group(1)) == connect and connect != read:
        return Text(gettext_noop("no TLS handshake within %(seconds)gs"),
                    {"seconds": connect})
    return Text(gettext_noop("no answer within %(seconds)gs"),
                {"seconds": read})


_CONNECTION_REASONS = (
    ("Connection refused", gettext_noop("connection refused")),
    ("No route to host", gettext_noop("no route to host")),
    ("Name or service not known", gettext_noop("host name unknown")),
    ("Temporary failure in name resolution",
     gettext_noop("host name unknown")),
    ("Network is unreachable", gettext_noop("network unreachable")),
    ("Connection reset", gettext_noop("connection reset")),
    ("RemoteDisconnected",
     gettext_noop("connection closed without an answer")))


def _connection_reason(exc):
    text = str(exc)
    for needle, reason in _CONNECTION_REASONS:
        if needle in text:
            return Text(reason)
    return Text(gettext_noop("cluster unreachable"))
