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

"""An in-memory Ganeti 3.0.2 RAPI at the HTTP layer, for unit tests.

Unit tests that mock ``RapiClient`` methods skip the code that matters most
when Ganeti misbehaves: the transport, its retries and timeouts, the typed
errors, the quirks of the answers. With this fake installed, every request
``requests`` sends to a fake cluster's URL is answered by the fake as Ganeti
3.0.2 answers it (formats measured on the dev sandboxes), so
``ganeti_dashboard.api.rapi`` runs end to end and ``rapi.CALLS`` counts real
requests. A request to any other host fails as an unknown host does.

Setting one up::

    fake = fake_rapi.FakeGaneti.from_config(helpers.TWO_CLUSTERS)
    alpha = fake["alpha"]
    alpha.add_instance("web1", tags=["openstack:project:p1"])
    with fake:                         # or fake.install(self) in setUp
        ...                            # RapiClient calls reach the fake
    assert [r.path for r in fake.writes()] == [...]

Writes start jobs that, by default, succeed at once and change the cluster
(``alpha.hold_jobs = True`` keeps them queued until ``finish_job``;
``alpha.fail_next_job(text)`` makes the next one fail as Ganeti encodes
it). ``alpha.fail("refused" | "connect-timeout" | "hanging" | "untrusted" |
"read-only" | "not-json" | <HTTP status>)`` makes the cluster misbehave,
``alpha.heal()`` ends that.

Beside this module, which holds the transport and the record of requests:
``fake_rapi_cluster`` (what a cluster holds), ``fake_rapi_resources`` and
``fake_rapi_instances`` (how its RAPI answers), ``fake_rapi_jobs`` (its job
queue), ``fake_rapi_query`` (the query language) and ``fake_rapi_data``
(Ganeti's own field definitions and settings).
"""

import configparser
import dataclasses
import io
import json
import socket
import ssl
import threading
import time
from unittest import mock
import urllib.parse

import requests
from requests import adapters
import urllib3
from urllib3 import exceptions as u3

from ganeti_dashboard.test import fake_mond
from ganeti_dashboard.test import fake_rapi_cluster
from ganeti_dashboard.test import fake_rapi_instances  # noqa: F401 routes
from ganeti_dashboard.test import fake_rapi_networks  # noqa: F401 routes
from ganeti_dashboard.test import fake_rapi_nodes  # noqa: F401 routes
from ganeti_dashboard.test import fake_rapi_resources as resources
from ganeti_dashboard.test import fake_rapi_settings  # noqa: F401 routes

FakeCluster = fake_rapi_cluster.FakeCluster
FAULTS = fake_rapi_cluster.FAULTS
set_status = fake_rapi_cluster.set_status


@dataclasses.dataclass
class Request:
    """One request a fake cluster was sent (each retry is one more).

    ``query`` holds a key's value, or the list of them if it was repeated;
    ``status`` is None when the request got no answer (``error``: the
    fault's name); ``answer`` is the decoded answer.
    """

    cluster: str
    method: str
    path: str
    query: dict
    body: object
    headers: dict
    status: int | None = None
    error: str | None = None
    answer: object = None

    @property
    def is_write(self):
        return self.method != "GET" and not self.path.startswith("/2/query/")

    def values(self, key):
        found = self.query.get(key, [])
        return found if isinstance(found, list) else [found]


# -- the transport -----------------------------------------------------------

class FakeGaneti:
    """The fake clusters, the patch that routes ``requests`` to them, and
    the record of every request they were sent.
    """

    def __init__(self):
        self.clusters = {}
        self.monds = {}  # (address, port) -> fake_mond.FakeMond
        self.requests = []
        self.unrouted = []
        self.lock = threading.RLock()
        self._patcher = None

    @classmethod
    def from_config(cls, text):
        """Clusters as a ganeti-dashboard.conf text names them (URL, user
        and password), e.g. ``helpers.TWO_CLUSTERS``.
        """
        parser = configparser.ConfigParser(interpolation=None)
        parser.read_string(text)
        fake = cls()
        for section in parser.sections():
            if section.startswith("cluster:"):
                options = parser[section]
                fake.add_cluster(section[len("cluster:"):],
                                 options["rapi_url"],
                                 options.get("rapi_user"),
                                 options.get("rapi_password"))
        return fake

    def add_cluster(self, name, url, user="ganeti", password="secret"):
        cluster = FakeCluster(name, url, user, password)
        self.clusters[name] = cluster
        return cluster

    def add_mond(self, address, port=1815):
        """A node's ganeti-mond at ``address`` (see ``fake_mond``)."""
        mond = fake_mond.FakeMond(address, port)
        self.monds[(address, port)] = mond
        return mond

    def add_monds(self, cluster, port=1815):
        """A mond at every node's primary address: ``{node: mond}``."""
        return {name: self.add_mond(node["pip"], port)
                for name, node in self.clusters[cluster].nodes.items()}

    def __getitem__(self, name):
        return self.clusters[name]

    # -- installing --------------------------------------------------------

    def start(self):
        fake = self

        def send(adapter, request, stream=False, timeout=None, verify=True,
                 cert=None, proxies=None):
            return fake.send(adapter, request, timeout, verify)

        self._patcher = mock.patch.object(adapters.HTTPAdapter, "send", send)
        self._patcher.start()
        return self

    def stop(self):
        if self._patcher is not None:
            self._patcher.stop()
            self._patcher = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def install(self, testcase):
        """Start now, stop when ``testcase`` (a unittest case) ends."""
        self.start()
        testcase.addCleanup(self.stop)
        return self

    # -- recording ---------------------------------------------------------

    def writes(self, cluster=None):
        """Requests that may change a cluster: all but GETs and the
        read-only ``PUT /2/query/...``, whatever they were answered.
        """
        return [r for r in self.requests if r.is_write
                and (cluster is None or r.cluster == cluster)]

    def reset_requests(self):
        with self.lock:
            self.requests = []
            self.unrouted = []

    # -- answering ---------------------------------------------------------

    def _cluster_for(self, url):
        parts = urllib.parse.urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        for cluster in self.clusters.values():
            if (cluster.scheme, cluster.host, cluster.port) == \
                    (parts.scheme, parts.hostname, port):
                return cluster
        return None

    def send(self, adapter, request, timeout, verify):
        """What ``HTTPAdapter.send`` would return or raise, with the
        adapter's own retry policy deciding on retries (no sleeping).
        """
        parts = urllib.parse.urlsplit(request.url)
        pool_cls = urllib3.HTTPSConnectionPool if parts.scheme == "https" \
            else urllib3.HTTPConnectionPool
        pool = pool_cls(parts.hostname, parts.port)
        url = request.path_url
        retries = adapter.max_retries
        try:
            while True:
                try:
                    answer = self._attempt(pool, request, timeout, verify)
                except (u3.HTTPError, OSError) as error:
                    retries = retries.increment(request.method, url,
                                                error=error, _pool=pool)
                    continue
                if retries.is_retry(request.method, answer.status):
                    try:
                        retries = retries.increment(
                            request.method, url, response=answer, _pool=pool)
                        continue
                    except u3.MaxRetryError:
                        if retries.raise_on_status:
                            raise
                return adapter.build_response(request, answer)
        except u3.MaxRetryError as exc:
            reason = exc.reason
            if isinstance(reason, u3.ConnectTimeoutError) and \
                    not isinstance(reason, u3.NewConnectionError):
                raise requests.exceptions.ConnectTimeout(exc,
                                                         request=request)
            if isinstance(reason, u3.ResponseError):
                raise requests.exceptions.RetryError(exc, request=request)
            if isinstance(reason, u3.SSLError):
                raise requests.exceptions.SSLError(exc, request=request)
            raise requests.exceptions.ConnectionError(exc, request=request)
        except u3.ReadTimeoutError as exc:
            raise requests.exceptions.ReadTimeout(exc, request=request)
        except u3.SSLError as exc:
            raise requests.exceptions.SSLError(exc, request=request)
        except (u3.ProtocolError, OSError) as exc:
            raise requests.exceptions.ConnectionError(exc, request=request)

    def _attempt(self, pool, request, timeout, verify):
        """One attempt: a urllib3 response, or the error urllib3 raises."""
        parts = urllib.parse.urlsplit(request.url)
        conn = pool.ConnectionCls(host=parts.hostname, port=parts.port)
        cluster = self._cluster_for(request.url)
        mond = self.monds.get((parts.hostname, parts.port))
        if cluster is None and mond is not None:
            return self._mond_attempt(mond, conn, pool, request, timeout)
        if cluster is None:
            with self.lock:
                self.unrouted.append((request.method, request.url))
            raise u3.NameResolutionError(
                parts.hostname, conn,
                socket.gaierror(-2, "Name or service not known"))
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        record = Request(
            cluster.name, request.method, parts.path,
            _flat(urllib.parse.parse_qs(parts.query,
                                        keep_blank_values=True)),
            _decoded(body), dict(request.headers))
        with self.lock:
            self.requests.append(record)
            fault = cluster.fault_for(parts.path)
            connect, read = _timeouts(timeout)
            if fault == "refused":
                record.error = fault
                raise u3.NewConnectionError(
                    conn, "Failed to establish a new connection: [Errno 111] "
                          "Connection refused")
            if fault == "connect-timeout":
                record.error = fault
                raise u3.ConnectTimeoutError(
                    conn, "Connection to %s timed out. (connect timeout=%s)"
                          % (parts.hostname, connect))
            if fault == "untrusted" and verify is not False:
                record.error = fault
                raise u3.SSLError(ssl.SSLCertVerificationError(
                    1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
                       "failed: self-signed certificate in certificate "
                       "chain (_ssl.c:1006)"))
            if fault == "hanging":
                record.error = fault
                raise u3.ReadTimeoutError(
                    pool, request.path_url,
                    "Read timed out. (read timeout=%s)" % read)
            if fault == "not-json":
                status, data = 200, b"<html><body>It works!</body></html>"
            else:
                status, data = resources.answer(
                    cluster, request.method, parts.path, parts.query,
                    request.headers, body)
            record.status = status
            record.answer = _decoded(data)
        content_type = "text/html" if isinstance(data, resources.Raw) or \
            fault == "not-json" else "application/json"
        return urllib3.HTTPResponse(
            body=io.BytesIO(bytes(data)), status=status,
            reason=resources.EXPLAIN.get(status, ("OK",))[0],
            headers={"Content-Type": content_type,
                     "Content-Length": str(len(data)),
                     "Connection": "close", "Server": "Ganeti 3.0.2"},
            preload_content=False, decode_content=False,
            request_method=request.method, request_url=request.url)

    def _mond_attempt(self, mond, conn, pool, request, timeout):
        """A fake mond's answer, or the failure it is told to have."""
        path = urllib.parse.urlsplit(request.url).path
        fault = mond.fault_for(path)
        connect, read = _timeouts(timeout)
        with mond.lock:
            mond.attempts.append((path, fault))
        if fault == "refused":
            raise u3.NewConnectionError(
                conn, "Failed to establish a new connection: [Errno 111] "
                      "Connection refused")
        if fault == "connect-timeout":
            raise u3.ConnectTimeoutError(
                conn, "Connection to %s timed out. (connect timeout=%s)"
                      % (mond.address, connect))
        if fault == "hanging":
            raise u3.ReadTimeoutError(pool, request.path_url,
                                      "Read timed out. (read timeout=%s)"
                                      % read)
        if mond.delay:
            time.sleep(mond.delay)
        status, data = mond.answer(path)
        return urllib3.HTTPResponse(
            body=io.BytesIO(data), status=status, reason="",
            headers={"Content-Type": "application/json" if status == 200
                     else "text/plain", "Content-Length": str(len(data))},
            preload_content=False, decode_content=False,
            request_method=request.method, request_url=request.url)


def _timeouts(timeout):
    if isinstance(timeout, tuple):
        return timeout
    return timeout, timeout


def _flat(query_lists):
    return {k: v[0] if len(v) == 1 else v for k, v in query_lists.items()}


def _decoded(data):
    if not data:
        return None
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return bytes(data).decode(errors="replace")
