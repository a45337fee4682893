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

"""One connection to each serial console, shared by the windows on it.

QEMU's serial socket (``-serial unix:<path>,server,nowait``) serves one
client at a time: a second connection is accepted by the kernel but not
read by QEMU until the first one ends. A second window on the same console
(the console tab and "Open in its own window", or two users) stayed blank,
and what it typed was held until the first window went away.

So the proxy opens a serial console once, however many WebSockets are on
it, and relays: what the console prints goes to every window, what any
window types goes to the console. While the console is open the proxy
keeps the last ``history`` bytes it printed (from the start of a line), and
a window that joins gets them first: it shows the screen at once, and the
terminal's scrollback holds what came before. When the last window leaves,
the console is closed and its history forgotten, so nothing printed is kept
beyond the windows that saw it. Every window holds a token for that
instance's serial console (checked by the handler), as with the VNC
screen, which QEMU shares between its clients too. Two proxies (behind a
load balancer) do not share: a window on the other proxy waits, as before.

Each window's handler gets a :class:`~targets.Target` of its own: one end
of a socket pair whose other end the line's thread serves, so websockify's
proxy loop runs unchanged. The thread never blocks on a window or on the
console (everything is non-blocking and queued), so a slow window holds no
other back, and a window that stops reading altogether is dropped.
"""

import logging
import select
import socket
import threading

from ganeti_dashboard.console import targets

LOG = logging.getLogger(__name__)

HISTORY = 64 * 1024
_CHUNK = 65536
# What a window may have pending before it is dropped: its handler reads
# all the time, so one this far behind is stuck.
_MAX_PENDING = 4 * 1024 * 1024
# What the windows typed that the console has not taken yet, beyond which
# the line stops reading the windows until it has.
_MAX_TYPED = 1024 * 1024
# How long the last output and input may take to go out at the end.
_FLUSH_WAIT = 1.0
_READ = select.POLLIN | select.POLLHUP | select.POLLERR


def key(claims):
    """What makes two tokens' serial consoles the same one."""
    return claims.cluster, claims.instance, claims.node, claims.socket_path


class Lines:
    """The serial consoles one proxy process has open, by :func:`key`."""

    def __init__(self, history=HISTORY):
        self.history = history
        self._lock = threading.Lock()
        self._lines = {}

    def attach(self, claims, opener):
        """A :class:`~targets.Target` for one window on ``claims``' serial
        console: joined to the line already open, else to one opened with
        ``opener()`` (which raises :class:`targets.Unavailable`).
        """
        name = key(claims)
        while True:
            with self._lock:
                line = self._lines.get(name)
                if line is None or line.closed:
                    line = self._lines[name] = _Line(self, name)
            window = line.join(opener)
            if window is not None:
                return window

    def __len__(self):
        with self._lock:
            return len(self._lines)

    def _forget(self, line):
        with self._lock:
            if self._lines.get(line.key) is line:
                del self._lines[line.key]


class Window(targets.Target):
    """One window's end of a shared serial console."""

    def __init__(self, sock, line):
        super().__init__(sock, "%s (shared)" % line.description)
        self._line = line

    def failure(self):
        return self._line.failure


class _Line:
    """A serial console open once, and the windows on it."""

    def __init__(self, lines, name):
        self.lines = lines
        self.key = name
        self.closed = False
        self.failure = None
        self.description = "serial %s/%s" % name[:2]
        self._lock = threading.Lock()
        self._target = None
        self._history = bytearray()
        self._typed = bytearray()
        # The line's end of each window's socket pair -> what it has not
        # been sent yet.
        self._windows = {}
        self._wake_r = self._wake_w = None

    def join(self, opener):
        """A new :class:`Window` on this line (opened first if need be), or
        None if the line has closed meanwhile.
        """
        with self._lock:
            if self.closed:
                return None
            if self._target is None:
                try:
                    self._target = opener()
                except BaseException:
                    self.closed = True
                    self.lines._forget(self)
                    raise
                self.description = self._target.description
                self._target.socket.setblocking(False)
                self._wake_r, self._wake_w = socket.socketpair()
                self._wake_r.setblocking(False)
                self._wake_w.setblocking(False)
                threading.Thread(target=self._run, daemon=True,
                                 name="serial-%s/%s" % self.key[:2]).start()
            ours, theirs = socket.socketpair()
            theirs.setblocking(False)
            self._windows[theirs] = bytearray(self._history)
            count = len(self._windows)
            self._wake()
        if count > 1:
            LOG.info("%s: %d windows share it", self.description, count)
        return Window(ours, self)

    def _wake(self):
        try:
            self._wake_w.send(b"x")
        except OSError:
            pass  # its buffer is full: the thread is woken already

    def _remember(self, data):
        history = self._history
        history += data
        excess = len(history) - self.lines.history
        if excess > 0:
            start = history.find(b"\n", excess)
            del history[:start + 1 if start >= 0 else excess]

    def _run(self):
        ended = False
        try:
            ended = self._serve()
        except Exception:
            LOG.exception("%s: relay failed", self.description)
            ended = True
        finally:
            self._close(ended)

    def _serve(self):
        """Relay until the console ends (True) or no window is left."""
        serial = self._target.socket
        while True:
            with self._lock:
                wanted = {self._wake_r: select.POLLIN, serial: select.POLLIN}
                if self._typed:
                    wanted[serial] |= select.POLLOUT
                for window, pending in self._windows.items():
                    wanted[window] = (select.POLLIN
                                      if len(self._typed) < _MAX_TYPED
                                      else 0) | (select.POLLOUT
                                                 if pending else 0)
            poller = select.poll()
            by_fd = {}
            for sock, mask in wanted.items():
                by_fd[sock.fileno()] = sock
                poller.register(sock, mask)
            events = {by_fd[fd]: event for fd, event in poller.poll()}
            with self._lock:
                if events.get(self._wake_r, 0) & _READ:
                    _recv(self._wake_r)
                if not self._relay_console(serial, events.get(serial, 0)):
                    return True
                for window in list(self._windows):
                    self._relay_window(window, events.get(window, 0))
                if not self._windows:
                    self.closed = True
                    return False

    def _relay_console(self, serial, event):
        """Output to every window, typed input to the console; False once
        the console has gone.
        """
        if event & _READ:
            data = _recv(serial)
            if not data:
                return data is None
            self._remember(data)
            for window, pending in list(self._windows.items()):
                pending += data
                if len(pending) > _MAX_PENDING:
                    LOG.warning("%s: a window stopped reading; dropped",
                                self.description)
                    self._drop(window)
        if event & select.POLLOUT and self._typed:
            sent = _send(serial, self._typed)
            if sent < 0:
                return False
            del self._typed[:sent]
        return True

    def _relay_window(self, window, event):
        if event & _READ:
            data = _recv(window)
            if data:
                self._typed += data
            elif data is not None:
                self._drop(window)
                return
        pending = self._windows[window]
        if event & select.POLLOUT and pending:
            sent = _send(window, pending)
            if sent < 0:
                self._drop(window)
            else:
                del pending[:sent]

    def _drop(self, window):
        del self._windows[window]
        window.close()

    def _close(self, ended):
        """The console has ended (``ended``: the far end went away) or its
        last window has left: close it, and whatever windows are left.
        """
        with self._lock:
            self.closed = True
            windows, self._windows = self._windows, {}
            typed = bytes(self._typed)
        self.lines._forget(self)
        if ended:
            # Before the windows close: their handlers ask for it then.
            self.failure = self._target.failure()
        elif typed:
            _flush(self._target.socket, typed)
        for window, pending in windows.items():
            _flush(window, bytes(pending))
            window.close()
        self._target.close()
        self._wake_r.close()
        self._wake_w.close()
        LOG.debug("%s: closed", self.description)


def _recv(sock):
    """What ``sock`` has: b"" once it has ended, None if nothing yet."""
    try:
        return sock.recv(_CHUNK)
    except BlockingIOError:
        return None
    except OSError:
        return b""


def _send(sock, data):
    """How much of ``data`` ``sock`` took: -1 once it has ended."""
    try:
        return sock.send(data)
    except BlockingIOError:
        return 0
    except OSError:
        return -1


def _flush(sock, data):
    """Send what is left to ``sock`` at the end, if it takes it soon."""
    if not data:
        return
    try:
        sock.settimeout(_FLUSH_WAIT)
        sock.sendall(data)
    except OSError:
        pass
