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

"""A real KVM guest on the sandbox cluster: its consoles and a clean shutdown.

``tools/ganeti-sandbox`` enables the kvm hypervisor on dash1 (QEMU under
software emulation) with a small guest: Debian's cloud kernel and a busybox
initramfs with a shell on the serial port and on the VGA screen (seen over
VNC), and acpid, which powers off on the ACPI power button (Ganeti's soft
shutdown). Every wait is polling with a bound, never a fixed sleep.
"""

import os
import re
import select
import socket
import sys
import time

import pytest

from ganeti_dashboard.api import errors

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "tools", "lib"))
import console_harness as harness  # noqa: E402

pytestmark = pytest.mark.integration

BANNER = harness.GUEST_BANNER
PROMPT = harness.GUEST_PROMPT
CTRL_DIR = harness.SANDBOX_SERIAL_DIR


def poll(what, check, timeout, interval=0.5):
    """Call ``check`` until it returns something true; fail after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail("%s: not within %g s" % (what, timeout))
        time.sleep(interval)


def rfb_banner(host, port):
    """The first bytes a VNC server sends, or None while nobody listens."""
    try:
        with socket.create_connection((host, port), timeout=3) as sock:
            sock.settimeout(3)
            return sock.recv(12)
    except OSError:
        return None


class Serial:
    """The guest's serial port through QEMU's unix socket (one client)."""

    def __init__(self, path, timeout):
        self.buf = b""
        self.sock = poll("serial socket %s accepts" % path,
                         lambda: self._connect(path), timeout)

    @staticmethod
    def _connect(path):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except OSError:
            sock.close()
            return None
        return sock

    def send(self, data):
        self.sock.sendall(data)

    def expect(self, pattern, timeout, poke=None, poke_every=2.0):
        """Read until ``pattern`` (bytes regex) matches; returns the match
        and drops what was read up to it. ``poke`` is sent at once and then
        every ``poke_every`` seconds while waiting (a newline asks the shell
        for a fresh prompt).
        """
        regex = re.compile(pattern, re.S)
        deadline = time.monotonic() + timeout
        next_poke = time.monotonic()
        while True:
            match = regex.search(self.buf)
            if match:
                self.buf = self.buf[match.end():]
                return match
            now = time.monotonic()
            if now >= deadline:
                pytest.fail("serial console: no %r within %g s; read %r"
                            % (pattern, timeout, self.buf[-400:]))
            if poke is not None and now >= next_poke:
                self.send(poke)
                next_poke = now + poke_every
            until = deadline if poke is None else min(deadline, next_poke)
            ready, _, _ = select.select([self.sock], [], [],
                                        max(until - now, 0.05))
            if ready:
                data = self.sock.recv(4096)
                if not data:
                    pytest.fail("serial console closed; read %r"
                                % self.buf[-400:])
                self.buf += data

    def close(self):
        self.sock.close()


@pytest.fixture
def kvm_instance(client, sandbox, make_instance, unique_name):
    """A running diskless KVM instance (deleted afterwards)."""
    if "kvm" not in client.info()["enabled_hypervisors"]:
        pytest.fail("kvm is not enabled on the sandbox: run "
                    "tools/ganeti-sandbox --cluster dash1 up")
    started = time.monotonic()
    make_instance(unique_name, hypervisor="kvm", nics=[{"mode": "bridged"}])
    created = time.monotonic()
    print("create job %.1f s" % (created - started))
    return unique_name, created


def test_kvm_guest_consoles_and_clean_shutdown(client, sandbox, kvm_instance):
    name, created = kvm_instance
    inst = client.instance(name)
    assert inst["status"] == "running"
    assert inst["nic.modes"] == ["bridged"]

    # Serial: the console resource answers ssh to the node, with a command
    # that attaches to the instance's serial socket there.
    console = client.instance_console(name)
    serial_path = "%s/%s.serial" % (CTRL_DIR, name)
    assert console["kind"] == "ssh"
    assert console["host"] == sandbox["NODE"]
    assert any(serial_path in arg for arg in console["command"]), console

    # VNC: not in the console resource (one kind per instance); the
    # instance's port on the node's primary IP, since it binds 0.0.0.0.
    assert inst["hvparams"]["vnc_bind_address"] == "0.0.0.0"
    port = inst["network_port"]
    assert isinstance(port, int) and port > 5900
    host = client.node(inst["pnode"])["pip"]
    banner = poll("VNC on %s:%s" % (host, port),
                  lambda: rfb_banner(host, port), 30)
    assert banner == b"RFB 003.008\n"

    serial = Serial(serial_path, 30)
    try:
        # The banner may have gone by before we connected: ask for prompts.
        serial.expect(re.escape(PROMPT), 60, poke=b"\n")
        boot = time.monotonic() - created
        serial.send(b"echo $((6*7))\n")
        serial.expect(rb"\n42\r?\n", 20)
        serial.expect(re.escape(PROMPT), 10)
        # init starts a new shell when this one exits: banner, then prompt.
        serial.send(b"exit\n")
        serial.expect(re.escape(BANNER) + rb"\r?\n.*" + re.escape(PROMPT), 30)
    finally:
        serial.close()
    print("create job done to serial prompt %.1f s" % boot)

    # Soft shutdown presses the ACPI power button; the guest powers off,
    # so the job ends long before Ganeti would give up and kill QEMU.
    shutdown_timeout = 120
    t0 = time.monotonic()
    client.wait_for_job(client.shutdown_instance(name,
                                                 timeout=shutdown_timeout),
                        timeout=shutdown_timeout + 60)
    took = time.monotonic() - t0
    print("soft shutdown %.1f s" % took)
    assert took < shutdown_timeout / 2
    inst = client.instance(name)
    assert inst["status"] == "ADMIN_down"
    assert inst["oper_state"] is False

    client.wait_for_job(client.delete_instance(name), timeout=120)
    with pytest.raises(errors.NotFound):
        client.instance(name)
