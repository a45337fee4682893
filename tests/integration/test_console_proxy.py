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

"""ganeti-console-proxy for real, on loopback only.

The proxy runs as a subprocess with a temporary config, a private memcached
or Redis as its token store (every test runs on both), a fake VNC server
(RFB 003.008 banner) and a unix-socket echo server standing in for a serial
console; for ``serial_mode = ssh`` a private sshd on 127.0.0.1 with its own
host key and authorized key. Every wait is a bounded poll or a socket
timeout: nothing depends on timing luck.
"""

import http.client
import os
import socket
import ssl
import subprocess
import sys
import threading
import time

import pytest

from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import store as store_mod
from ganeti_dashboard.console import tokens

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "tools", "lib"))
import console_harness as harness  # noqa: E402

pytestmark = pytest.mark.integration

ORIGIN = "http://127.0.0.1:8080"
SECRET = "integration-console-secret"


class RunningProxy:
    def __init__(self, directory, store, name, **options):
        self.port = harness.free_port()
        scheme = "wss" if options.get("cert_file") else "ws"
        self.url = "%s://127.0.0.1:%d" % (scheme, self.port)
        path = harness.write_config(
            os.path.join(directory, name + ".conf"), proxy_url=self.url,
            listen_port=self.port, allowed_origins=ORIGIN, secret=SECRET,
            token_store=store, **dict(dict(connect_timeout=2), **options))
        self.console = loader.load(path).console
        self.tokens = []
        self.process = harness.Proxy(path, self.port,
                                     os.path.join(directory, name + ".log"))

    def token(self, claims, clock=time.time, secret=SECRET):
        cache = store_mod.build(self.console)
        try:
            token = tokens.issue(secret, claims, cache, self.console.token_ttl,
                                 clock=clock)
        finally:
            cache.close()
        self.tokens.append(token)
        return token

    def connect(self, kind, token, origin=ORIGIN):
        url = "%s/%s?token=%s" % (self.url, kind, token)
        return harness.ws_connect(url, origin)


@pytest.fixture(scope="module", params=["memcached", "redis"])
def token_store(request):
    with getattr(harness, request.param)() as servers:
        yield servers


@pytest.fixture(scope="module")
def proxy(tmp_path_factory, token_store):
    running = RunningProxy(str(tmp_path_factory.mktemp("proxy")), token_store,
                           "local")
    yield running
    running.process.stop()


@pytest.fixture
def rfb():
    server = harness.FakeRfbServer()
    yield server
    server.close()


@pytest.fixture
def echo(tmp_path):
    server = harness.UnixEchoServer(str(tmp_path / "web1.serial"))
    yield server
    server.close()


def vnc(port, **changes):
    values = dict(user_id="u-alice", project_id="p-a", cluster="prod",
                  instance="web1", kind="vnc", host="127.0.0.1", port=port)
    values.update(changes)
    return tokens.Claims(**values)


def serial(path, **changes):
    values = dict(user_id="u-alice", project_id="p-a", cluster="prod",
                  instance="web1", kind="serial", node="127.0.0.1",
                  socket_path=path)
    values.update(changes)
    return tokens.Claims(**values)


def closed(ws):
    """Wait for the proxy to close ``ws``: (code, reason)."""
    data = harness.ws_recv(ws)
    assert data is None, "expected a close, got %r" % (data,)
    return ws.close_code, ws.close_reason


def test_a_valid_token_connects_and_bytes_flow_both_ways(proxy, rfb):
    ws = proxy.connect("vnc", proxy.token(vnc(rfb.port)))
    assert harness.rfb_handshake(ws) == harness.RFB_SECURITY
    harness.wait_for(lambda: rfb.received, 5, "the client's RFB version")
    assert rfb.received == [harness.RFB_BANNER] and rfb.connections == 1
    ws.close()


def test_a_token_connects_once(proxy, rfb):
    token = proxy.token(vnc(rfb.port))
    first = proxy.connect("vnc", token)
    harness.rfb_handshake(first)
    code, reason = closed(proxy.connect("vnc", token))
    assert (code, reason) == (1008, "The console link was already used: open "
                                    "the console again.")
    assert rfb.connections == 1
    first.close()


def test_of_two_racing_connections_with_one_token_one_connects(proxy, rfb):
    token = proxy.token(vnc(rfb.port))
    results = [None, None]
    start = threading.Barrier(2)

    def open_console(index):
        start.wait(5)
        ws = proxy.connect("vnc", token)
        banner = harness.ws_read(ws, len(harness.RFB_BANNER))
        results[index] = (banner, ws.close_code, ws.close_reason)
        if banner == harness.RFB_BANNER:
            ws.close()

    racers = [threading.Thread(target=open_console, args=(i,)) for i in (0, 1)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(30)
    assert sorted(banner == harness.RFB_BANNER for banner, _, _ in results) \
        == [False, True]
    refused = [r for r in results if r[0] != harness.RFB_BANNER][0]
    assert refused[1:] == (1008, "The console link was already used: open "
                                 "the console again.")
    assert rfb.connections == 1


def test_consoles_open_at_once_each_reach_their_own_target(proxy, tmp_path):
    servers = [harness.UnixEchoServer(str(tmp_path / ("web%d.serial" % i)))
               for i in range(4)]
    try:
        consoles = [proxy.connect("serial", proxy.token(serial(
            server.path, instance="web%d" % i))) for i, server in
            enumerate(servers)]
        for i, ws in enumerate(consoles):
            ws.send(b"to web%d\n" % i)
        for i, ws in enumerate(consoles):
            assert harness.ws_read(ws, 8) == b"to web%d\n" % i
        assert [b"".join(server.received) for server in servers] == [
            b"to web%d\n" % i for i in range(4)]
        for ws in consoles:
            ws.close()
    finally:
        for server in servers:
            server.close()


def test_a_token_store_that_is_down_refuses_clearly(tmp_path, proxy, rfb):
    down = "127.0.0.1:%d" % harness.free_port()
    if store_mod.is_redis(proxy.console.token_store[0]):
        down = "redis://%s/0" % down
    broken = RunningProxy(str(tmp_path), down, "store-down")
    try:
        started = time.monotonic()
        code, reason = closed(broken.connect("vnc", proxy.token(vnc(rfb.port))))
        assert (code, reason) == (1008, str(tokens.TokenStoreError()))
        assert time.monotonic() - started < 5
        assert rfb.connections == 0
    finally:
        broken.process.stop()


@pytest.mark.parametrize("case, kind, expected", [
    ("expired", "vnc", "The console link has expired"),
    ("tampered", "vnc", "The console link is not valid."),
    ("other secret", "vnc", "The console link is not valid."),
    ("missing", "vnc", "The console link is not valid."),
    ("serial token on /vnc", "vnc", "issued for another kind"),
    ("vnc token on /serial", "serial", "issued for another kind"),
])
def test_refused_tokens_never_reach_the_target(proxy, rfb, case, kind, expected):
    claims = vnc(rfb.port)
    if case == "expired":
        token = proxy.token(claims, clock=lambda: time.time() - 61)
    elif case == "tampered":
        token = proxy.token(claims)
        token = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    elif case == "other secret":
        token = proxy.token(claims, secret="not-the-proxy-secret")
    elif case == "missing":
        token = ""
    elif case == "serial token on /vnc":
        token = proxy.token(serial("/run/ganeti/x.serial"))
    else:
        token = proxy.token(claims)
    code, reason = closed(proxy.connect(kind, token))
    assert code == 1008 and expected in reason
    assert rfb.connections == 0


@pytest.mark.parametrize("origin", [None, "https://evil.example.org",
                                    "http://127.0.0.1:8081", "null"])
def test_other_or_missing_origin_is_refused_before_the_handshake(proxy, rfb, origin):
    token = proxy.token(vnc(rfb.port))
    with pytest.raises(Exception, match="WebSocket request denied: 403"):
        proxy.connect("vnc", token, origin=origin)
    assert rfb.connections == 0
    # The refusal did not use the token up for the page it belongs to.
    harness.rfb_handshake(proxy.connect("vnc", token))


def test_a_path_that_is_no_console_is_404(proxy, rfb):
    with pytest.raises(Exception, match="WebSocket request denied: 404"):
        proxy.connect("websockify", proxy.token(vnc(rfb.port)))
    assert rfb.connections == 0


@pytest.mark.parametrize("method, status", [("GET", 405), ("HEAD", 405),
                                            ("POST", 501)])
def test_plain_http_is_refused_and_no_file_is_served(proxy, rfb, method, status):
    token = proxy.token(vnc(rfb.port))
    for path in ("/vnc?token=" + token, "/", "/etc/passwd", "//example.org/%2F.."):
        conn = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
        conn.request(method, path, headers={"Origin": ORIGIN})
        answer = conn.getresponse()
        assert answer.status == status
        assert answer.getheader("Location") is None
        conn.close()
    assert rfb.connections == 0


def test_a_closed_vnc_port_closes_promptly_with_a_clear_reason(proxy):
    nothing_there = harness.free_port()
    started = time.monotonic()
    code, reason = closed(proxy.connect("vnc", proxy.token(vnc(nothing_there))))
    assert time.monotonic() - started < 1  # connect_timeout is 2
    assert code == 1011
    assert reason == ("The VNC server of the instance refused the connection: "
                      "is the instance running?")


@pytest.fixture
def silent_port():
    """A port whose SYNs go unanswered: a listener with a full backlog."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=5)
    yield port
    filler.close()
    listener.close()


def test_a_vnc_server_that_does_not_answer_gives_up_at_connect_timeout(
        proxy, silent_port):
    started = time.monotonic()
    code, reason = closed(proxy.connect("vnc", proxy.token(vnc(silent_port))))
    assert 1.9 < time.monotonic() - started < 5  # connect_timeout is 2
    assert (code, reason) == (1011, "The VNC server of the instance did not "
                                    "answer within 2 seconds.")


def test_serial_console_on_the_node_bridges_bytes(proxy, echo):
    ws = proxy.connect("serial", proxy.token(serial(echo.path)))
    every_byte = bytes(range(256)) + b"\x1d\r\n"
    ws.send(every_byte)
    assert harness.ws_read(ws, len(every_byte)) == every_byte
    assert b"".join(echo.received) == every_byte and echo.connections == 1
    ws.close()


def test_a_client_that_reads_slowly_loses_no_byte_either_way(proxy, echo):
    # A browser tab that does not read for a while: its receive buffer is
    # full while it goes on typing. The proxy must hold what the console
    # sends back until the client reads, and still take the client's
    # bytes meanwhile; everything arrives, whole and in order.
    ws = harness.MinimalWebSocket(
        "%s/serial?token=%s" % (proxy.url, proxy.token(serial(echo.path))),
        ORIGIN, rcvbuf=4096)
    chunks = [bytes([i % 256]) * 16384 + bytes(range(256))
              for i in range(64)]
    for chunk in chunks:
        ws.send(chunk)
    sent = b"".join(chunks)
    assert ws.read(len(sent)) == sent
    harness.wait_for(lambda: sum(map(len, echo.received)) == len(sent), 10,
                     "every byte at the serial console")
    assert b"".join(echo.received) == sent
    ws.close()


def test_a_missing_serial_socket_closes_with_a_clear_reason(proxy, tmp_path):
    code, reason = closed(proxy.connect(
        "serial", proxy.token(serial(str(tmp_path / "gone.serial")))))
    assert code == 1011 and "not on this node" in reason
    assert str(tmp_path) not in reason


def test_the_log_never_holds_a_token(proxy, rfb):
    token = proxy.token(vnc(rfb.port))
    harness.rfb_handshake(proxy.connect("vnc", token))
    closed(proxy.connect("vnc", token))  # used: refused, and logged so
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=10) as raw:
        # A request line http.server cannot parse, which it logs whole.
        raw.sendall(("GET /vnc?token=%s junk HTTP/1.1\r\n\r\n" % token).encode())
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    harness.wait_for(lambda: proxy.process.log().count("already used") >= 1
                     and "Bad request syntax" in proxy.process.log(), 10,
                     "the proxy to log the refusals")
    log = proxy.process.log()
    assert "token=***" in log
    signatures = [t.rsplit(":", 1)[-1] for t in proxy.tokens if t]
    for issued in proxy.tokens:
        if issued:
            assert issued not in log
    for signature in signatures:
        assert signature not in log


def test_a_port_already_taken_is_a_failure_exit(tmp_path, token_store):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        path = harness.write_config(
            str(tmp_path / "taken.conf"), listen_port=port,
            allowed_origins=ORIGIN, secret=SECRET, token_store=token_store)
        ran = subprocess.run(
            [sys.executable, "-m", "ganeti_dashboard.console.proxy",
             "--config-file", path], capture_output=True, text=True,
            timeout=60, cwd=harness.REPO, env=dict(os.environ, PYTHONPATH=harness.REPO))
    assert ran.returncode == 1
    assert "Cannot listen on 127.0.0.1:%d" % port in ran.stderr


# --- TLS -----------------------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    directory = tmp_path_factory.mktemp("tls")
    cert, key = str(directory / "proxy.pem"), str(directory / "proxy.key")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", key, "-out", cert],
        check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def tls_proxy(tmp_path_factory, token_store, certificate):
    cert, key = certificate
    running = RunningProxy(str(tmp_path_factory.mktemp("tls-proxy")),
                           token_store, "tls", cert_file=cert, key_file=key)
    yield running
    running.process.stop()


def test_wss_with_a_certificate_the_client_verifies(
        tls_proxy, certificate, rfb, monkeypatch):
    # The client verifies as browsers do; it trusts only the test's cert.
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    assert tls_proxy.url.startswith("wss://")
    ws = tls_proxy.connect("vnc", tls_proxy.token(vnc(rfb.port)))
    assert harness.rfb_handshake(ws) == harness.RFB_SECURITY
    ws.close()


def test_wss_is_not_trusted_without_the_certificate(tls_proxy, rfb):
    with pytest.raises(ssl.SSLCertVerificationError):
        tls_proxy.connect("vnc", tls_proxy.token(vnc(rfb.port)))
    assert rfb.connections == 0


def test_a_client_stalled_in_its_tls_hello_neither_blocks_others_nor_stays(
        tls_proxy, certificate, rfb, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    stalled = socket.create_connection(("127.0.0.1", tls_proxy.port), timeout=30)
    try:
        stalled.sendall(b"\x16")  # the first byte of a TLS ClientHello
        started = time.monotonic()
        ws = tls_proxy.connect("vnc", tls_proxy.token(vnc(rfb.port)))
        assert harness.rfb_handshake(ws) == harness.RFB_SECURITY
        ws.close()
        # The proxy gives a client 10 seconds to say what it wants.
        assert stalled.recv(1) == b""
        assert time.monotonic() - started < 20
    finally:
        stalled.close()


def test_plain_ws_is_refused_when_the_proxy_has_a_certificate(tls_proxy, rfb):
    token = tls_proxy.token(vnc(rfb.port))
    with pytest.raises(Exception, match="Socket closed unexpectedly|Connection reset"):
        harness.ws_connect("ws://127.0.0.1:%d/vnc?token=%s"
                           % (tls_proxy.port, token), ORIGIN)
    assert rfb.connections == 0


# --- serial over ssh -----------------------------------------------------

@pytest.fixture(scope="module")
def sshd(tmp_path_factory):
    """A private sshd on 127.0.0.1: own host key, own authorized key."""
    directory = tmp_path_factory.mktemp("sshd")
    host_key, client_key = str(directory / "host_key"), str(directory / "id")
    for key in (host_key, client_key):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key],
                       check=True)
    authorized = directory / "authorized_keys"
    authorized.write_text(open(client_key + ".pub").read())
    port = harness.free_port()
    config = directory / "sshd_config"
    config.write_text("\n".join([
        "Port %d" % port, "ListenAddress 127.0.0.1", "HostKey " + host_key,
        "PidFile " + str(directory / "sshd.pid"),
        "AuthorizedKeysFile " + str(authorized), "UsePAM no",
        "PasswordAuthentication no", "KbdInteractiveAuthentication no",
        "PermitRootLogin prohibit-password", "StrictModes no",
        "AllowUsers root", ""]))
    known_hosts = directory / "known_hosts"
    host_pub = open(host_key + ".pub").read().split()
    known_hosts.write_text("[127.0.0.1]:%d %s %s\n" % (port, host_pub[0], host_pub[1]))
    with open(directory / "sshd.log", "wb") as log:
        process = subprocess.Popen(
            ["/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
            stdout=subprocess.DEVNULL, stderr=log)
    try:
        harness.wait_for(lambda: harness.can_connect(port)
                         or process.poll() is not None, 10, "sshd")
        assert process.poll() is None, (directory / "sshd.log").read_text()
        yield dict(port=port, key=client_key, known_hosts=str(known_hosts))
    finally:
        harness.stop(process)


@pytest.fixture(scope="module")
def ssh_proxy(tmp_path_factory, token_store, sshd):
    running = RunningProxy(
        str(tmp_path_factory.mktemp("ssh-proxy")), token_store, "ssh",
        serial_mode="ssh", ssh_user="root", ssh_port=sshd["port"],
        ssh_key_file=sshd["key"], ssh_known_hosts_file=sshd["known_hosts"])
    yield running
    running.process.stop()


def _echoed(ws, data, proxy):
    """Send ``data`` and read it back; a wait that runs out says what the
    proxy logged (ssh's login, the shared line) instead of a bare timeout.
    """
    ws.send(data)
    try:
        return harness.ws_read(ws, len(data))
    except TimeoutError:
        pytest.fail("no echo within the WebSocket's timeout; proxy log:\n"
                    + proxy.process.log())


def test_serial_console_over_ssh_bridges_bytes(ssh_proxy, echo):
    ws = ssh_proxy.connect("serial", ssh_proxy.token(serial(echo.path)))
    every_byte = bytes(range(256)) + b"\x1d\r\n"
    assert _echoed(ws, every_byte, ssh_proxy) == every_byte
    assert _echoed(ws, b"more", ssh_proxy) == b"more"
    assert echo.connections == 1
    ws.close()


def test_a_node_whose_host_key_is_unknown_is_refused_clearly(ssh_proxy, echo):
    # "localhost" is not in the known_hosts file: strict checking refuses it.
    started = time.monotonic()
    code, reason = closed(ssh_proxy.connect(
        "serial", ssh_proxy.token(serial(echo.path, node="localhost"))))
    assert time.monotonic() - started < 5
    assert (code, reason) == (1011, "The console proxy cannot log in to the "
                                    "instance's node.")
    assert echo.connections == 0
    harness.wait_for(lambda: "Host key verification failed"
                     in ssh_proxy.process.log(), 5, "ssh's complaint in the log")
