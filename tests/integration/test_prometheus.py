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

"""The Prometheus client against the dev stack's real Prometheus, and its
faults on real sockets (the unit tests' fake adapter stands for them):
a closed port, a server that accepts and never answers, a certificate
nobody trusts, a query Prometheus refuses. Loopback and the sandbox's own
addresses only.
"""

import os
import socket
import threading
import time
import types

import pytest

from ganeti_dashboard.api import prometheus

pytestmark = pytest.mark.integration

URL = "http://127.0.0.1:%s" % os.environ.get("PROMETHEUS_PORT", "9091")


def _client(url=URL, timeout=2.0, verify=True, ca_file=None):
    return prometheus.Prometheus(types.SimpleNamespace(
        prometheus_url=url, prometheus_timeout=timeout, verify_tls=verify,
        ca_file=ca_file))


def _last_minute():
    end = time.time()
    return end - 60, end


def _failure(client, query="up"):
    start, end = _last_minute()
    with pytest.raises(prometheus.PrometheusError) as caught:
        client.query_range(query, start, end, 15)
    return str(caught.value)


def test_the_real_prometheus_has_the_sandbox_nodes():
    """Scraped every 5 s with each series labelled by cluster and Ganeti
    node (what the node graphs' queries select on): wait, bounded, for a
    first scrape of a freshly started server.
    """
    client = _client()
    deadline = time.monotonic() + 60
    while True:
        start, end = _last_minute()
        found = client.query_range("up", start, end, 15)
        nodes = {(s["labels"].get("cluster"), s["labels"].get("node"))
                 for s in found if s["points"]}
        if len(nodes) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(2)
    assert ("sandbox", "node1.ganeti.test") in nodes, nodes
    assert ("sandbox2", "node1.cluster2.ganeti.test") in nodes, nodes
    assert ("sandbox2", "node2.cluster2.ganeti.test") in nodes, nodes


def test_a_query_prometheus_refuses_is_named():
    text = _failure(_client(), query="rate(")
    assert text.startswith("Prometheus answered HTTP 400:"), text
    assert "parse error" in text, text


def test_a_closed_port_is_refused():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    text = _failure(_client("http://127.0.0.1:%d" % port))
    assert text == "Prometheus unreachable: connection refused", text


def test_a_server_that_never_answers_is_given_up_within_the_timeout():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held, stop = [], threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])  # and never answer
            except OSError:
                continue
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        started = time.monotonic()
        text = _failure(_client("http://127.0.0.1:%d"
                                % server.getsockname()[1], timeout=1.0))
        took = time.monotonic() - started
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        server.close()
    assert text == "Prometheus did not answer within 1s", text
    assert took < 5, took


def test_an_untrusted_certificate_is_refused_and_a_given_ca_trusted(
        sandbox2):
    """Sandbox2's RAPI stands for an HTTPS Prometheus: its certificate is
    signed by the sandbox's own CA, which the system does not trust.
    """
    text = _failure(_client(sandbox2["RAPI_URL"]))
    assert "certificate not trusted" in text, text
    # With its CA the TLS handshake succeeds: RAPI's answer is no
    # Prometheus JSON, said as such.
    text = _failure(_client(sandbox2["RAPI_URL"], ca_file=sandbox2["RAPI_CA"]))
    assert "certificate" not in text, text
    assert text.startswith("Prometheus answered HTTP"), text
