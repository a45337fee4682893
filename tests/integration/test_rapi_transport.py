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

"""Transport behaviour over real sockets: faults, TLS, retries, headers.

The misbehaving servers here are small HTTP servers on 127.0.0.1 that the
tests start themselves; TLS trust is checked against the real sandbox RAPI.
"""

import dataclasses
import http.server
import socket
import subprocess
import threading
import time

import pytest

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader

pytestmark = pytest.mark.integration


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Answers with a fixed status and records what it was sent."""

    status = 200
    body = b"{}"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append((self.command, dict(self.headers),
                                 self.rfile.read(length)))
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.server.body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(self.server.body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    servers = []

    def start(status=200, body=b"{}"):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
        server.status, server.body, server.seen = status, body, []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _config(url, **kwargs):
    values = dict(name="test", rapi_url=url, rapi_user="u",
                  rapi_password="p", connect_timeout=1, read_timeout=1,
                  retries=2)
    values.update(kwargs)
    return loader.ClusterConfig(**values)


def _closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_closed_port_is_connection_refused_quickly():
    client = rapi.RapiClient(_config("https://127.0.0.1:%d" % _closed_port()))
    started = time.monotonic()
    with pytest.raises(errors.Unreachable) as failed:
        client.info()
    assert str(failed.value) == "connection refused"
    assert time.monotonic() - started < 3


def _info_of_silent_server(scheme, **timeouts):
    """``(error, seconds)`` of asking a server that accepts connections
    and never answers, not even a TLS handshake.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        client = rapi.RapiClient(_config(
            "%s://127.0.0.1:%d" % (scheme, listener.getsockname()[1]),
            **timeouts))
        started = time.monotonic()
        with pytest.raises(errors.Timeout) as failed:
            client.info()
        return failed.value, time.monotonic() - started
    finally:
        listener.close()


def test_silent_server_times_out_within_the_read_timeout():
    error, elapsed = _info_of_silent_server("http", read_timeout=0.5)
    assert "no answer within 0.5s" == str(error)
    # No retry of a read timeout: one timeout, not three.
    assert elapsed < 1.5


def test_silent_tls_server_is_named_by_the_timeout_that_fired():
    """An https cluster that accepts and never speaks TLS runs out of the
    connect timeout during the handshake: the message names that wait,
    not the read timeout it never reached.
    """
    error, elapsed = _info_of_silent_server(
        "https", connect_timeout=0.5, read_timeout=30)
    assert str(error) == "no TLS handshake within 0.5s"
    assert elapsed < 5


def test_gets_are_retried_and_writes_never(http_server):
    server = http_server(status=503)
    client = rapi.RapiClient(_config(
        "http://127.0.0.1:%d" % server.server_address[1], retries=2))
    with pytest.raises(errors.RapiError):
        client.info()
    assert [s[0] for s in server.seen] == ["GET"] * 3
    server.seen.clear()
    with pytest.raises(errors.RapiError):
        client.create_instance({"name": "x"})
    assert [s[0] for s in server.seen] == ["POST"]


def test_headers_ganeti_needs(http_server):
    server = http_server(body=b"17")
    client = rapi.RapiClient(_config(
        "http://127.0.0.1:%d" % server.server_address[1]))
    client.info()
    client.startup_instance("vm1")
    client.create_instance({"name": "vm2"})
    (get, _, _), (put, _, _), (post, post_headers, post_body) = [
        (m, h, b) for m, h, b in server.seen]
    get_headers = server.seen[0][1]
    assert get_headers["Content-Length"] == "0"
    assert server.seen[1][1]["Content-Length"] == "0"
    assert post_headers["Content-Type"] == "application/json"
    assert b'"__version__": 1' in post_body
    assert get_headers["Authorization"].startswith("Basic ")


def test_untrusted_certificate_is_refused(cluster_config, tmp_path):
    key, cert = tmp_path / "k.pem", tmp_path / "other-ca.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-subj", "/CN=someone else's CA", "-days", "1"],
                   check=True, capture_output=True)
    client = rapi.RapiClient(dataclasses.replace(cluster_config,
                                                 ca_file=str(cert)))
    with pytest.raises(errors.CertificateError) as failed:
        client.info()
    assert str(failed.value).startswith("certificate not trusted")
    # The right CA is trusted: verification is on, not merely failing.
    assert rapi.RapiClient(cluster_config).info()["name"]


def test_system_trust_store_does_not_trust_the_sandbox(cluster_config):
    client = rapi.RapiClient(dataclasses.replace(cluster_config,
                                                 ca_file=None))
    with pytest.raises(errors.CertificateError):
        client.info()
