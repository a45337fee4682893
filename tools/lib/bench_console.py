"""Benchmark: opening a VNC console through ganeti-console-proxy, against a
direct TCP connection to the same VNC server.

:func:`measure` is the part ``tools/bench`` can call against a real QEMU VNC
server: each round times, side by side,

* proxied: issue a token, open the proxy's WebSocket, read the RFB banner
  through it and send the client's version;
* direct: TCP connect to the VNC server, read the banner, send the version;

and returns the medians in milliseconds. Run as a script, it brings up its
own loopback pieces (a fake RFB server, a private memcached, the proxy as a
subprocess; see ``console_harness``), prints the figures and stops them.
Prints figures; asserts nothing.
"""

import argparse
import contextlib
import gc
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import console_harness as harness  # noqa: E402

DEFAULT_ORIGIN = "http://127.0.0.1:8080"


def _proxied(proxy_url, issue_token, origin, timeout):
    started = time.perf_counter()
    token = issue_token()
    issued = time.perf_counter()
    ws = harness.ws_connect("%s/vnc?%s" % (
        proxy_url, urllib.parse.urlencode({"token": token})), origin, timeout)
    try:
        banner = harness.ws_read(ws, len(harness.RFB_BANNER))
        if banner != harness.RFB_BANNER:
            raise RuntimeError("no RFB banner through the proxy: %r (close %s "
                               "%r)" % (banner, ws.close_code, ws.close_reason))
        ws.send(harness.RFB_BANNER)
        done = time.perf_counter()
    finally:
        ws.close()
    return issued - started, done - started


def _direct(host, port, timeout):
    started = time.perf_counter()
    with socket.create_connection((host, port), timeout=timeout) as sock:
        banner = b""
        while len(banner) < len(harness.RFB_BANNER):
            chunk = sock.recv(len(harness.RFB_BANNER) - len(banner))
            if not chunk:
                break
            banner += chunk
        if banner != harness.RFB_BANNER:
            raise RuntimeError("no RFB banner from %s:%s: %r" % (host, port, banner))
        sock.sendall(harness.RFB_BANNER)
        return time.perf_counter() - started


def _plain(url, origin, timeout):
    """A WebSocket to plain websockify (fixed target, no checks) and the
    same RFB exchange: what any WebSocket proxy costs."""
    started = time.perf_counter()
    ws = harness.ws_connect(url, origin, timeout)
    try:
        if harness.ws_read(ws, len(harness.RFB_BANNER)) != harness.RFB_BANNER:
            raise RuntimeError("no RFB banner through plain websockify")
        ws.send(harness.RFB_BANNER)
        return time.perf_counter() - started
    finally:
        ws.close()


class PlainWebsockify:
    """``websockify`` itself, on a free loopback port, with one fixed
    target: the baseline of a WebSocket proxy without this project's
    checks. Stopped by its pid."""

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
    each console page view: with its process's shared token store."""
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
    Rounds are a few ms each; the collector runs between them."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def measure(proxy_url, issue_token, vnc_host, vnc_port, n=20,
            origin=DEFAULT_ORIGIN, timeout=10, plain_url=None):
    """Median milliseconds of ``n`` proxied and ``n`` direct console opens.

    ``proxy_url`` is the proxy's base URL (``ws://...`` or ``wss://...``,
    without ``/vnc``); ``issue_token()`` returns a fresh VNC token for
    ``vnc_host``:``vnc_port``; ``origin`` must be in the proxy's
    ``allowed_origins``. Rounds alternate proxied and direct so both see
    the same machine load.
    """
    issue, proxied, direct, plain = [], [], [], []
    for _ in range(n):
        with _quiet():
            issued, opened = _proxied(proxy_url, issue_token, origin, timeout)
            issue.append(issued)
            proxied.append(opened)
            direct.append(_direct(vnc_host, vnc_port, timeout))
    # Plain websockify forks a process per connection, which goes on
    # exiting after its round: its rounds come last, so that no other
    # round shares the cores with those exits.
    for _ in range(n if plain_url else 0):
        with _quiet():
            plain.append(_plain(plain_url, origin, timeout))
    series = [("issue_ms", issue), ("proxied_ms", proxied),
              ("direct_ms", direct)] + ([("plain_ms", plain)] if plain
                                        else [])
    ms = {name: round(statistics.median(values) * 1000, 2)
          for name, values in series}
    ms["overhead_ms"] = round(ms["proxied_ms"] - ms["direct_ms"], 2)
    ms["n"] = n
    return ms


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
        proxy = harness.Proxy(path, port, os.path.join(directory, "proxy.log"))
        try:
            return measure(console.proxy_url, issue_token, "127.0.0.1", rfb.port,
                           n=n)
        finally:
            proxy.stop()
            rfb.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=20, help="rounds (default 20)")
    args = parser.parse_args(argv)
    figures = _local_run(args.n)
    print("console open, median of %(n)d rounds, loopback fake RFB server:"
          % figures)
    for label, key in (("token issue", "issue_ms"),
                       ("proxied: issue + WebSocket + banner + version",
                        "proxied_ms"),
                       ("direct: TCP + banner + version", "direct_ms"),
                       ("proxy overhead", "overhead_ms")):
        print("  %-48s %8.2f ms" % (label, figures[key]))


if __name__ == "__main__":
    main()
