"""Loopback pieces for exercising ganeti-console-proxy: tests and benchmark.

A fake VNC server (speaks the RFB 003.008 banner), a unix-socket echo
server (stands in for a serial console), a private memcached or Redis, the proxy
itself as a subprocess, and a WebSocket client. Everything listens on
127.0.0.1 or in a temporary directory, and every process started here is
stopped by its own pid.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

from websockify import websocket

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
RFB_BANNER = b"RFB 003.008\n"
# What the fake server answers to the client's version: one security type,
# "none". Enough for a client to tell a live server from a dead one.
RFB_SECURITY = b"\x01\x01"


# The sandbox's KVM guest (tools/ganeti-sandbox, GUEST_BANNER and
# GUEST_PROMPT), and where dash1's QEMU puts serial sockets: dash1 keeps
# Ganeti's directories on the host, so the path RAPI reports is the host's.
GUEST_BANNER = b"ganeti-dashboard guest ready"
GUEST_PROMPT = b"guest# "
SANDBOX_SERIAL_DIR = "/run/ganeti/kvm-hypervisor/ctrl"


def guest_prompt_answers(instance):
    """Whether the sandbox guest ``instance``'s shell answers a newline on
    its serial console (so it has booted)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect("%s/%s.serial" % (SANDBOX_SERIAL_DIR, instance))
            sock.sendall(b"\n")
            seen = b""
            while GUEST_PROMPT not in seen:
                chunk = sock.recv(4096)
                if not chunk:
                    return False
                seen += chunk
            return True
    except OSError:
        return False


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what):
    """Poll ``predicate`` until it is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError("timed out after %g s waiting for %s" % (timeout, what))


def can_connect(port, host="127.0.0.1"):
    try:
        socket.create_connection((host, port), timeout=0.5).close()
        return True
    except OSError:
        return False


class _Server:
    """A thread accepting connections on a listening socket, counting them."""

    def __init__(self, sock):
        self.sock = sock
        self.connections = 0
        self.received = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
            threading.Thread(target=self._session, args=(conn,),
                             daemon=True).start()

    def _session(self, conn):
        with conn:
            conn.settimeout(10)
            try:
                self.talk(conn)
            except OSError:
                pass

    def talk(self, conn):
        raise NotImplementedError

    def close(self):
        self.sock.close()


class FakeRfbServer(_Server):
    """Sends the RFB banner, records the client's version, offers "none"."""

    def __init__(self):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(16)
        self.port = sock.getsockname()[1]
        super().__init__(sock)

    def talk(self, conn):
        conn.sendall(RFB_BANNER)
        version = _read_exactly(conn, len(RFB_BANNER))
        self.received.append(version)
        conn.sendall(RFB_SECURITY)
        conn.recv(1)  # wait for the client to go


class UnixEchoServer(_Server):
    """Echoes every byte back on a unix socket."""

    def __init__(self, path):
        self.path = path
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(path)
        sock.listen(4)
        super().__init__(sock)

    def talk(self, conn):
        while True:
            data = conn.recv(4096)
            if not data:
                return
            self.received.append(data)
            conn.sendall(data)


def _read_exactly(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    return data


def stop(process, timeout=10):
    """Stop a process we started: SIGTERM, then SIGKILL; by its pid only."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout)


@contextlib.contextmanager
def _store_server(name, argv, port, address):
    """Run ``argv`` until it listens on ``port``; yield ``address``."""
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: can_connect(port) or process.poll() is not None, 10,
                 "%s on port %d" % (name, port))
        if process.poll() is not None:
            raise RuntimeError("%s exited with status %s"
                               % (name, process.returncode))
        yield address
    finally:
        stop(process)


def memcached():
    """A private memcached on a free loopback port; yields ``host:port``."""
    port = free_port()
    return _store_server(
        "memcached", ["memcached", "-l", "127.0.0.1", "-p", str(port),
                      "-U", "0", "-m", "16", "-u", "nobody"],
        port, "127.0.0.1:%d" % port)


def redis():
    """A private Redis on a free loopback port, keeping nothing on disk;
    yields its ``redis://`` URL."""
    port = free_port()
    return _store_server(
        "redis-server", ["redis-server", "--bind", "127.0.0.1", "--port",
                         str(port), "--save", "", "--appendonly", "no",
                         "--dir", "/tmp"],
        port, "redis://127.0.0.1:%d/0" % port)


def write_config(path, **console):
    """Write a ganeti-dashboard.conf with a ``[console]`` section."""
    lines = ["[console]"]
    for name, value in console.items():
        if isinstance(value, (list, tuple)):
            value = ",".join(value)
        lines.append("%s = %s" % (name, value))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path


class Proxy:
    """``ganeti-console-proxy`` running as a subprocess, logging to a file."""

    def __init__(self, config_path, port, log_path):
        self.port = port
        self.log_path = log_path
        env = dict(os.environ, PYTHONPATH=REPO)
        env.pop("GANETI_DASHBOARD_CONFIG", None)
        self._log = open(log_path, "wb")
        # The console script (setup.cfg) is ganeti_dashboard.console.proxy:
        # main; running the module runs the same function from this checkout.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ganeti_dashboard.console.proxy",
             "--config-file", config_path, "--verbose"],
            stdout=self._log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        try:
            wait_for(lambda: can_connect(port) or self.process.poll() is not None,
                     15, "ganeti-console-proxy on port %d" % port)
            if self.process.poll() is not None:
                raise RuntimeError("ganeti-console-proxy exited: %s" % self.log())
        except BaseException:
            self.stop()
            raise

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        stop(self.process)
        self._log.close()


class _Client(websocket.WebSocket):
    """websockify's client WebSocket, with two bugs of its 0.13 worked around.

    * It drops the URL's query: the request line gets it back here.
    * Frames that arrive in the same read as the 101 response stay in its
      buffer undecoded until more bytes arrive; when the proxy closes at once
      (a refused token) none do, and it reports 1006 instead of the close
      frame it holds. The first read after the handshake decodes them here.
    """

    def __init__(self, query):
        super().__init__()
        self._query = query
        self._leftover = False

    def send_request(self, type, path):
        super().send_request(type, path + ("?" + self._query if self._query else ""))

    def connect(self, uri, origin=None, protocols=()):
        super().connect(uri, origin=origin, protocols=list(protocols))
        self._leftover = bool(self._recv_buffer)

    def _recv(self):
        if self._leftover:
            self._leftover = False
            return True
        return super()._recv()


def ws_connect(url, origin, timeout=10):
    """A client WebSocket on ``url``, blocking with ``timeout`` seconds.

    websockify's client makes its own socket; the default timeout is how to
    bound its connect and handshake too.
    """
    ws = _Client(urllib.parse.urlsplit(url).query)
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(timeout)
    try:
        ws.connect(url, origin=origin)
    finally:
        socket.setdefaulttimeout(previous)
    ws.settimeout(timeout)
    return ws


def ws_recv(ws):
    """The next message; ``None`` once the WebSocket is closed.

    On a blocking socket websockify still raises "want read" when a read
    ended inside a frame: read on (the socket timeout bounds the wait).
    """
    while True:
        try:
            return ws.recv()
        except websocket.WebSocketWantReadError:
            continue


def ws_read(ws, size):
    """Read ``size`` bytes; ``None`` when the proxy closed the WebSocket."""
    data = b""
    while len(data) < size:
        chunk = ws_recv(ws)
        if chunk is None:
            return None if not data else data
        data += chunk
    return data


def rfb_handshake(ws):
    """Read the banner through ``ws``, answer with our version."""
    banner = ws_read(ws, len(RFB_BANNER))
    if banner != RFB_BANNER:
        raise AssertionError("expected the RFB banner, got %r (close %s %r)"
                             % (banner, ws.close_code, ws.close_reason))
    ws.send(RFB_BANNER)
    return ws_read(ws, len(RFB_SECURITY))
