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

"""Loopback pieces for exercising ganeti-console-proxy: tests and benchmark.

A fake VNC server (speaks the RFB 003.008 banner), a unix-socket echo
server (stands in for a serial console), a private memcached or Redis, the proxy
itself as a subprocess, and a WebSocket client. Everything listens on
127.0.0.1 or in a temporary directory, and every process started here is
stopped by its own pid.
"""

import base64
import contextlib
import hashlib
import os
import signal
import socket
import struct
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
RFB_NONE = b"\x01"
RFB_SECURITY_OK = b"\x00\x00\x00\x00"
# ServerInit of a 640x480 screen, 32 bits per pixel, named "fake".
FAKE_SERVER_INIT = (struct.pack(">HHBBBBHHHBBB3x", 640, 480, 32, 24, 0, 1,
                                255, 255, 255, 16, 8, 0)
                    + struct.pack(">I", 4) + b"fake")


# The sandbox's KVM guest (tools/lib/sandbox/kvm.sh, GUEST_BANNER and
# GUEST_PROMPT), and where dash1's QEMU puts serial sockets: dash1 keeps
# Ganeti's directories on the host, so the path RAPI reports is the host's.
GUEST_BANNER = b"ganeti-dashboard guest ready"
GUEST_PROMPT = b"guest# "
SANDBOX_SERIAL_DIR = "/run/ganeti/kvm-hypervisor/ctrl"
# RFC 6455's key for Sec-WebSocket-Accept.
WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def guest_prompt_answers(instance):
    """Whether the sandbox guest ``instance``'s shell answers a newline on
    its serial console (so it has booted).
    """
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


class ThreadedServer:
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


class FakeRfbServer(ThreadedServer):
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
        # A client that goes on (``rfb_connect``) gets the rest of the
        # handshake: the security result, then the server's init message.
        if _read_exactly(conn, 1) != RFB_NONE:
            return
        conn.sendall(RFB_SECURITY_OK)
        if len(_read_exactly(conn, 1)) != 1:  # ClientInit
            return
        conn.sendall(FAKE_SERVER_INIT)
        conn.recv(1)  # wait for the client to go


class UnixEchoServer(ThreadedServer):
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
    yields its ``redis://`` URL.
    """
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
    """``ganeti-console-proxy`` running as a subprocess, logging to a file
    (every step with ``verbose``, as the tests read; the benchmark runs it
    as deployed, without).
    """

    def __init__(self, config_path, port, log_path, verbose=True):
        self.port = port
        self.log_path = log_path
        env = dict(os.environ, PYTHONPATH=REPO)
        env.pop("GANETI_DASHBOARD_CONFIG", None)
        self._log = open(log_path, "wb")
        # The console script (setup.cfg) is ganeti_dashboard.console.proxy:
        # main; running the module runs the same function from this checkout.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ganeti_dashboard.console.proxy",
             "--config-file", config_path] + (["--verbose"] if verbose else []),
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


def accept_key(key):
    return base64.b64encode(hashlib.sha1(key + WS_GUID).digest())


def connected(address, timeout):
    sock = socket.create_connection(address, timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


class MinimalWebSocket:
    """A ws:// client doing what a browser's WebSocket does, and no more:
    one upgrade request, the 101 checked (``Sec-WebSocket-Accept``), masked
    binary frames out, frames in. ``read(n)`` returns ``n`` bytes, or fewer
    once the server closed (a close frame or end of stream). ``rcvbuf``
    makes its receive buffer small, as a slow reader's fills up.
    """

    def __init__(self, url, origin, timeout=10, rcvbuf=None):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "ws":
            raise ValueError("MinimalWebSocket speaks ws:// only: %s" % url)
        self.sock = socket.socket()
        if rcvbuf:
            # Set before connecting, so that the TCP window stays small.
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.connect((parts.hostname, parts.port or 80))
        key = base64.b64encode(os.urandom(16))
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        self.sock.sendall(
            b"GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
            b"Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\n"
            b"Sec-WebSocket-Version: 13\r\nOrigin: %s\r\n\r\n"
            % (target.encode(), parts.netloc.encode(), key, origin.encode()))
        buffered = b""
        while b"\r\n\r\n" not in buffered:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("the WebSocket server closed during the "
                                   "handshake")
            buffered += chunk
        head, self._raw = buffered.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        if lines[0].split(b" ")[1:2] != [b"101"]:
            raise RuntimeError("no WebSocket: %r" % lines[0])
        accept = [line.split(b":", 1)[1].strip() for line in lines[1:]
                  if line.lower().startswith(b"sec-websocket-accept:")]
        if accept != [accept_key(key)]:
            raise RuntimeError("wrong Sec-WebSocket-Accept: %r" % accept)
        self._data = b""
        self.closed = False

    def _frame(self):
        """Decode one frame from what was received, if it is all there."""
        raw = self._raw
        if len(raw) < 2:
            return False
        opcode, length = raw[0] & 0x0F, raw[1] & 0x7F
        offset = 2
        if length == 126:
            if len(raw) < 4:
                return False
            length, offset = struct.unpack(">H", raw[2:4])[0], 4
        elif length == 127:
            if len(raw) < 10:
                return False
            length, offset = struct.unpack(">Q", raw[2:10])[0], 10
        if len(raw) < offset + length:
            return False
        payload, self._raw = raw[offset:offset + length], raw[offset + length:]
        if opcode == 0x8:
            self.closed = True
        elif opcode in (0x0, 0x1, 0x2):
            self._data += payload
        return True

    def read(self, size):
        while len(self._data) < size and not self.closed:
            if self._frame():
                continue
            chunk = self.sock.recv(65536)
            if not chunk:
                self.closed = True
                break
            self._raw += chunk
        data, self._data = self._data[:size], self._data[size:]
        return data

    def send(self, data):
        mask = os.urandom(4)
        size = len(data)
        keys = (mask * (size // 4 + 1))[:size]
        masked = (int.from_bytes(data, "big")
                  ^ int.from_bytes(keys, "big")).to_bytes(size, "big")
        if size < 126:
            head = struct.pack(">BB", 0x82, 0x80 | size)
        elif size < 65536:
            head = struct.pack(">BBH", 0x82, 0x80 | 126, size)
        else:
            head = struct.pack(">BBQ", 0x82, 0x80 | 127, size)
        self.sock.sendall(head + mask + masked)

    def close(self):
        self.sock.close()


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


def rfb_connect(read, send):
    """A VNC client's whole connect, RFC 6143 7.1 to 7.3: versions, the
    "none" security type and its result, ClientInit (shared) and the
    server's ServerInit. ``read(n)`` returns exactly ``n`` bytes (or fewer
    once the peer has closed), ``send(data)`` sends. Returns ``(width,
    height, name)`` of the screen.
    """
    banner = read(len(RFB_BANNER))
    if banner != RFB_BANNER:
        raise RuntimeError("expected the RFB 3.8 banner, got %r" % (banner,))
    send(RFB_BANNER)
    count = read(1)
    if not count or count == b"\x00":
        raise RuntimeError("the VNC server offers no security type")
    types = read(count[0])
    if RFB_NONE not in types:
        raise RuntimeError("the VNC server wants authentication: types %r"
                           % (types,))
    send(RFB_NONE)
    if read(4) != RFB_SECURITY_OK:
        raise RuntimeError("the VNC server refused the security type")
    send(b"\x01")  # ClientInit: share the screen
    head = read(24)
    if len(head) != 24:
        raise RuntimeError("no ServerInit from the VNC server: %r" % (head,))
    width, height = struct.unpack(">HH", head[:4])
    name_length = struct.unpack(">I", head[20:24])[0]
    return width, height, read(name_length).decode("latin-1")


def rfb_handshake(ws):
    """Read the banner through ``ws``, answer with our version."""
    banner = ws_read(ws, len(RFB_BANNER))
    if banner != RFB_BANNER:
        raise AssertionError("expected the RFB banner, got %r (close %s %r)"
                             % (banner, ws.close_code, ws.close_reason))
    ws.send(RFB_BANNER)
    return ws_read(ws, len(RFB_SECURITY))
