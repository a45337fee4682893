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

"""Serial consoles shared by the windows on them (console/serial_lines.py).

The console is a socket pair whose far end the test holds, as QEMU holds
its serial socket: it serves one client, so a window that is not on the
proxy's one connection would see nothing. Every wait is bounded.
"""

import os
import socket
import sys
import threading
import time

import pytest

from ganeti_dashboard.console import handler
from ganeti_dashboard.console import proxy
from ganeti_dashboard.console import serial_lines
from ganeti_dashboard.console import targets
from ganeti_dashboard.console import tokens
from tests.unit import test_console_proxy_parts as parts

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "tools", "lib"))
import console_harness as harness  # noqa: E402

WAIT = 5


def _claims(kind="serial", instance="web1", **values):
    values = dict(dict(user_id="u-alice", project_id="p-a", cluster="prod",
                       instance=instance, kind=kind, node="node1",
                       socket_path="/run/ganeti/%s.serial" % instance),
                  **values)
    return tokens.Claims(**values)


class Console:
    """A serial console: ``opener`` connects the proxy to it, each call a
    new connection (``self.guest`` is the console's end of the last).
    """

    def __init__(self, failure=None):
        self.opened = 0
        self.failure = failure
        self.guest = None

    def opener(self):
        self.opened += 1
        ours, self.guest = socket.socketpair()
        self.guest.settimeout(WAIT)
        target = targets.Target(ours, "serial test")
        target.failure = lambda: self.failure
        return target


def read(sock, size):
    sock.settimeout(WAIT)
    return harness._read_exactly(sock, size)


def ended(sock):
    sock.settimeout(WAIT)
    return sock.recv(1) == b""


def wait_for(predicate, what):
    deadline = time.monotonic() + WAIT
    while not predicate():
        assert time.monotonic() < deadline, "no %s within %ss" % (what, WAIT)
        time.sleep(0.01)


@pytest.fixture
def lines():
    return serial_lines.Lines()


def test_a_second_window_shares_the_console_and_sees_its_screen_at_once(
        lines):
    console = Console()
    first = lines.attach(_claims(), console.opener)
    console.guest.sendall(b"booting\r\nguest# ")
    assert read(first.socket, 16) == b"booting\r\nguest# "
    # "Open in its own window": the same console, while the tab is on it.
    second = lines.attach(_claims(user_id="u-bob"), console.opener)
    assert console.opened == 1
    assert read(second.socket, 16) == b"booting\r\nguest# "
    console.guest.sendall(b"more")
    assert read(first.socket, 4) == read(second.socket, 4) == b"more"
    first.socket.sendall(b"a")
    assert read(console.guest, 1) == b"a"
    second.socket.sendall(b"b")
    assert read(console.guest, 1) == b"b"
    first.close()
    second.close()


def test_the_last_window_leaving_closes_the_console_and_its_history(lines):
    console = Console()
    windows = [lines.attach(_claims(), console.opener) for _ in range(2)]
    console.guest.sendall(b"secret\n")
    read(windows[0].socket, 7)
    windows[0].close()
    console.guest.sendall(b"x")
    assert read(windows[1].socket, 8) == b"secret\nx"
    first_guest = console.guest
    windows[1].close()
    assert ended(first_guest)
    wait_for(lambda: len(lines) == 0, "line closed")
    # Opened again: a new connection, nothing of the old one's output.
    window = lines.attach(_claims(), console.opener)
    assert console.opened == 2
    console.guest.sendall(b"new")
    assert read(window.socket, 3) == b"new"
    window.close()


def test_history_is_bounded_and_starts_at_a_line(lines):
    lines.history = 64
    console = Console()
    first = lines.attach(_claims(), console.opener)
    output = b"".join(b"line %02d of the boot\r\n" % i for i in range(10))
    console.guest.sendall(output)
    assert read(first.socket, len(output)) == output
    second = lines.attach(_claims(), console.opener)
    console.guest.sendall(b"END")
    seen = b""
    while not seen.endswith(b"END"):
        seen += read(second.socket, 1)
    # The last 64 bytes, from the first line that starts within them.
    assert seen == output[-63:] + b"END"
    assert seen.startswith(b"line 07 ")
    first.close()
    second.close()


def test_consoles_of_other_instances_are_their_own(lines):
    one, two = Console(), Console()
    first = lines.attach(_claims(instance="web1"), one.opener)
    second = lines.attach(_claims(instance="web2"), two.opener)
    one.guest.sendall(b"1")
    two.guest.sendall(b"2")
    assert read(first.socket, 1) == b"1" and read(second.socket, 1) == b"2"
    assert len(lines) == 2
    first.close()
    second.close()


def test_the_console_ending_ends_every_window_with_its_failure(lines):
    console = Console(failure="The serial console of the instance cannot "
                              "be opened on its node.")
    windows = [lines.attach(_claims(), console.opener) for _ in range(2)]
    console.guest.sendall(b"bye")
    console.guest.close()
    for window in windows:
        assert read(window.socket, 4) == b"bye"
        assert window.ended()
        assert window.failure() == console.failure
        window.close()
    wait_for(lambda: len(lines) == 0, "line closed")


def test_a_console_that_cannot_be_opened_is_tried_again_next_time(lines):
    def refused():
        raise targets.Unavailable("The serial console of the instance "
                                  "refused the connection.", "detail")
    with pytest.raises(targets.Unavailable):
        lines.attach(_claims(), refused)
    assert len(lines) == 0
    console = Console()
    window = lines.attach(_claims(), console.opener)
    assert console.opened == 1
    window.close()


def test_much_both_ways_at_once_loses_nothing(lines):
    # The console echoes what it is sent while the window goes on typing:
    # neither side may wait for the other.
    console = Console()
    window = lines.attach(_claims(), console.opener)
    sent = b"".join(bytes([i % 256]) * 16384 + bytes(range(256))
                    for i in range(64))

    def echo():
        while True:
            data = console.guest.recv(65536)
            if not data:
                return
            console.guest.sendall(data)
    echoing = threading.Thread(target=echo, daemon=True)
    echoing.start()
    typing = threading.Thread(target=window.socket.sendall, args=(sent,),
                              daemon=True)
    typing.start()
    assert read(window.socket, len(sent)) == sent
    typing.join(WAIT)
    window.close()
    echoing.join(WAIT)
    assert not echoing.is_alive()


def _handler(server):
    found = handler.ConsoleRequestHandler.__new__(
        handler.ConsoleRequestHandler)
    found.server = server
    return found


def test_the_proxy_shares_serial_consoles_not_vnc(monkeypatch):
    server = proxy.ConsoleProxy(parts.console())
    consoles = {}

    def open_target(claims, console):
        assert console is server.console
        if claims.kind == "vnc":
            return targets.Target(socket.socketpair()[0], "vnc")
        consoles.setdefault(claims.instance, Console())
        return consoles[claims.instance].opener()
    monkeypatch.setattr(targets, "open_target", open_target)
    opened = [_handler(server)._open_target(_claims(user_id=user))
              for user in ("u-alice", "u-alice", "u-bob")]
    assert consoles["web1"].opened == 1
    consoles["web1"].guest.sendall(b"guest# ")
    assert [read(t.socket, 7) for t in opened] == [b"guest# "] * 3
    vnc = [_handler(server)._open_target(_claims(
        kind="vnc", host="10.0.0.1", port=5900)) for _ in range(2)]
    assert vnc[0].socket is not vnc[1].socket
    assert not isinstance(vnc[0], serial_lines.Window)
    for target in opened + vnc:
        target.close()
