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

"""Benchmark: opening a VNC console through ganeti-console-proxy, against a
direct TCP connection to the same VNC server.

:func:`measure` is the part ``tools/bench`` can call against a real QEMU VNC
server. Each round times a VNC client's whole connect (RFC 6143: versions,
security, ServerInit; ``console_harness.rfb_connect``), side by side:

* proxied: issue a token, open the proxy's WebSocket, connect through it;
* direct: TCP connect to the VNC server, connect;
* relay: a WebSocket through :class:`MinimalRelay`, the least a WebSocket
  proxy written in Python does (no token, no checks, a fixed target): the
  floor under any proxy built on websockify;
* plain: plain websockify with a fixed target, no checks (optional).

The WebSocket client (``console_harness.MinimalWebSocket``) does no more than a browser
does in native code, so the figures are the proxies', not a Python client
library's. :func:`measure` returns the medians in milliseconds. Run as a
script, it brings up its own loopback pieces (a fake RFB server, a private
memcached, the proxy as a subprocess; see ``console_harness``), prints the
figures and stops them. Prints figures; asserts nothing.
"""

import argparse
import contextlib
import gc
import os
import select
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import console_harness as harness  # noqa: E402

DEFAULT_ORIGIN = "http://127.0.0.1:8080"


class MinimalRelay(harness.ThreadedServer):
    """The least a WebSocket proxy in Python can do, as a floor for the
    figures: a thread per connection reads the upgrade request, answers
    101, connects one fixed target and moves bytes both ways in binary
    frames. No token, no Origin or path check, no TLS, no logging: not a
    proxy to run, a measure of what Python and a WebSocket cost alone.
    """

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        self.url = "ws://127.0.0.1:%d/" % listener.getsockname()[1]
        super().__init__(listener)

    def talk(self, client):
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = client.recv(4096)
            if not chunk:
                return
            request += chunk
        keys = [line.split(b":", 1)[1].strip()
                for line in request.split(b"\r\n")
                if line.lower().startswith(b"sec-websocket-key:")]
        if not keys:
            return
        key = keys[0]
        with harness.connected(self.target, 10) as target:
            client.sendall(b"HTTP/1.1 101 Switching Protocols\r\n"
                           b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
                           b"Sec-WebSocket-Accept: %s\r\n\r\n"
                           % harness.accept_key(key))
            self._relay(client, target)

    @staticmethod
    def _relay(client, target):
        pending = b""
        while True:
            readable, _, _ = select.select([client, target], [], [])
            if target in readable:
                data = target.recv(65536)
                if not data:
                    return
                head = (struct.pack(">BB", 0x82, len(data)) if len(data) < 126
                        else struct.pack(">BBH", 0x82, 126, len(data))
                        if len(data) < 65536
                        else struct.pack(">BBQ", 0x82, 127, len(data)))
                client.sendall(head + data)
            if client in readable:
                data = client.recv(65536)
                if not data:
                    return
                pending += data
                while len(pending) >= 6:
                    length, offset = pending[1] & 0x7F, 2
                    if length == 126:
                        length, offset = struct.unpack(">H", pending[2:4])[0], 4
                    if len(pending) < offset + 4 + length:
                        break
                    mask = pending[offset:offset + 4]
                    body = pending[offset + 4:offset + 4 + length]
                    opcode = pending[0] & 0x0F
                    pending = pending[offset + 4 + length:]
                    if opcode == 0x8:
                        return
                    target.sendall(bytes(b ^ mask[i % 4]
                                         for i, b in enumerate(body)))

    def serve(self):
        """Serve until killed (the relay's own process)."""
        threading.Event().wait()


class RelayProcess:
    """:class:`MinimalRelay` in a process of its own, as the proxy runs
    in one: the relay shares no interpreter with the benchmark's client.
    Stopped by its pid.
    """

    def __init__(self, target_host, target_port):
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--relay",
             "%s:%d" % (target_host, target_port)],
            stdout=subprocess.PIPE, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("ws://"):
            self.stop()
            raise RuntimeError("the minimal relay did not start")

    def stop(self):
        harness.stop(self.process)
        self.process.stdout.close()


def _through(ws):
    """Connect VNC through an open WebSocket; close it."""
    try:
        harness.rfb_connect(ws.read, ws.send)
    finally:
        ws.close()


def _proxied(proxy_url, issue_token, origin, timeout):
    started = time.perf_counter()
    token = issue_token()
    issued = time.perf_counter()
    ws = harness.MinimalWebSocket("%s/vnc?%s" % (
        proxy_url, urllib.parse.urlencode({"token": token})), origin, timeout)
    _through(ws)
    return issued - started, time.perf_counter() - started


def _direct(host, port, timeout):
    started = time.perf_counter()
    with harness.connected((host, port), timeout) as sock:
        harness.rfb_connect(lambda n: harness._read_exactly(sock, n),
                            sock.sendall)
        return time.perf_counter() - started


def _websocket(url, origin, timeout):
    """A VNC connect through a WebSocket proxy with a fixed target."""
    started = time.perf_counter()
    _through(harness.MinimalWebSocket(url, origin, timeout))
    return time.perf_counter() - started


class PlainWebsockify:
    """``websockify`` itself, on a free loopback port, with one fixed
    target: the baseline of a WebSocket proxy without this project's
    checks. Stopped by its pid.
    """

    def __init__(self, target_host, target_port, log_path):
        self.port = harness.free_port()
        self.url = "ws://127.0.0.1:%d/" % self.port
        self._log = open(log_path, "wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "websockify", "127.0.0.1:%d" % self.port,
             "%s:%d" % (target_host, target_port)],
            stdout=self._log, stderr=subprocess.STDOUT)
        harness.wait_for(lambda: harness.can_connect(self.port), 15,
                         "plain websockify on port %d" % self.port)

    def stop(self):
        harness.stop(self.process)
        self._log.close()


def token_issuer(console, claims):
    """A function issuing a fresh token for ``claims``, as Horizon does on
    each console page view: with its process's shared token store.
    """
    from ganeti_dashboard.console import store
    from ganeti_dashboard.console import tokens

    def issue():
        return tokens.issue(console.secret, claims, store.shared(console),
                            console.token_ttl)
    return issue


@contextlib.contextmanager
def _quiet():
    """As timeit does: the collector off while timing, so that a collection
    of the caller's heap (a whole Horizon in tools/bench) lands in no round.
    Rounds are a few ms each; the collector runs between them.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def measure(proxy_url, issue_token, vnc_host, vnc_port, n=20,
            origin=DEFAULT_ORIGIN, timeout=10, plain_url=None):
    """Median milliseconds of ``n`` console connects of each kind.

    ``proxy_url`` is the proxy's base URL (``ws://...``, without ``/vnc``);
    ``issue_token()`` returns a fresh VNC token for ``vnc_host``:``vnc_port``;
    ``origin`` must be in the proxy's ``allowed_origins``. Each round times
    proxied, direct and the minimal relay in turn, so all see the same
    machine load.
    """
    relay = RelayProcess(vnc_host, vnc_port)
    issue, proxied, direct, floor, plain = [], [], [], [], []
    try:
        for _ in range(n):
            with _quiet():
                issued, opened = _proxied(proxy_url, issue_token, origin,
                                          timeout)
                issue.append(issued)
                proxied.append(opened)
                direct.append(_direct(vnc_host, vnc_port, timeout))
                floor.append(_websocket(relay.url, origin, timeout))
    finally:
        relay.stop()
    # Plain websockify forks a process per connection, which goes on
    # exiting after its round: its rounds come last, so that no other
    # round shares the cores with those exits.
    for _ in range(n if plain_url else 0):
        with _quiet():
            plain.append(_websocket(plain_url, origin, timeout))
    series = [("issue_ms", issue), ("proxied_ms", proxied),
              ("direct_ms", direct), ("relay_ms", floor)] + (
                  [("plain_ms", plain)] if plain else [])
    ms = {name: round(statistics.median(values) * 1000, 2)
          for name, values in series}
    ms["overhead_ms"] = round(ms["proxied_ms"] - ms["direct_ms"], 2)
    ms["n"] = n
    return ms


def report(figures, what):
    """Print :func:`measure`'s figures."""
    print("%s, median of %d connects (versions, security, ServerInit):"
          % (what, figures["n"]))
    rows = [
        ("token issue", figures["issue_ms"]),
        ("issue + proxy WebSocket + RFB connect", figures["proxied_ms"]),
        ("  of which the proxy (after the token)",
         figures["proxied_ms"] - figures["issue_ms"]),
        ("direct TCP + RFB connect", figures["direct_ms"]),
        ("minimal Python WebSocket relay (floor)", figures["relay_ms"]),
    ]
    if "plain_ms" in figures:
        rows.append(("plain websockify (no token, no checks)",
                     figures["plain_ms"]))
    for label, ms in rows:
        print("  %-42s %8.2f ms" % (label + ":", ms))
    direct = figures["direct_ms"]
    print("  %-42s %8.2f  (target <= 1.50)"
          % ("ratio proxied / direct:", figures["proxied_ms"] / direct))
    print("  %-42s %8.2f  (no Python WebSocket proxy does better)"
          % ("ratio minimal relay / direct:", figures["relay_ms"] / direct))
    print("  %-42s %8.2f" % ("ratio proxied / minimal relay:",
                             figures["proxied_ms"] / figures["relay_ms"]))
    if "plain_ms" in figures:
        print("  %-42s %8.2f" % ("ratio proxied / plain websockify:",
                                 figures["proxied_ms"] / figures["plain_ms"]))


def _local_run(n):
    sys.path.insert(0, harness.REPO)
    from ganeti_dashboard.conf import loader
    from ganeti_dashboard.console import tokens

    rfb = harness.FakeRfbServer()
    with tempfile.TemporaryDirectory() as directory, harness.memcached() as servers:
        port = harness.free_port()
        path = harness.write_config(
            os.path.join(directory, "ganeti-dashboard.conf"),
            proxy_url="ws://127.0.0.1:%d" % port, listen_port=port,
            allowed_origins=DEFAULT_ORIGIN, secret="bench-console-secret",
            token_store=servers)
        console = loader.load(path).console
        claims = tokens.Claims(user_id="bench", project_id="bench",
                               cluster="bench", instance="bench1", kind="vnc",
                               host="127.0.0.1", port=rfb.port)

        issue_token = token_issuer(console, claims)
        proxy = harness.Proxy(path, port,
                              os.path.join(directory, "proxy.log"),
                              verbose=False)
        try:
            return measure(console.proxy_url, issue_token, "127.0.0.1", rfb.port,
                           n=n)
        finally:
            proxy.stop()
            rfb.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="rounds (default 20)")
    parser.add_argument("--relay", metavar="HOST:PORT",
                        help="only run a MinimalRelay to HOST:PORT, printing "
                             "its URL (what RelayProcess starts)")
    args = parser.parse_args(argv)
    if args.relay:
        host, port = args.relay.rsplit(":", 1)
        relay = MinimalRelay(host, int(port))
        print(relay.url, flush=True)
        relay.serve()
    report(_local_run(args.n), "VNC console, loopback fake RFB server")


if __name__ == "__main__":
    main()
