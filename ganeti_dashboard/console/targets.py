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

"""Opening the far end of a console: a VNC server, a serial socket, or ssh.

Each opener returns a :class:`Target` whose ``socket`` websockify's proxy
loop can use as is (it selects on one socket, reads and writes it). For SSH
that is one end of a socket pair whose other end is the ssh process's stdin
and stdout, so the loop needs no second file descriptor.

Failures raise :class:`Unavailable`: ``str()`` is for the user and names no
host, port or path (the browser must not learn them); ``detail`` is for the
proxy's log.

Serial over SSH runs ``socat STDIO UNIX-CONNECT:<socket>`` on the node.
Ganeti's own console command (``kvm-console-wrapper`` with
``STDIO,raw,echo=0,escape=0x1d``) cannot be used: without a terminal socat
fails with "tcgetattr: Inappropriate ioctl for device", and a pty would eat
the binary transparency the WebSocket relies on. Plain ``STDIO`` passes every
byte, Ctrl-] included.
"""

import logging
import math
import select
import shlex
import socket
import subprocess
import tempfile

from ganeti_dashboard.console import reasons

LOG = logging.getLogger(__name__)

SSH = "ssh"
# How long a finished ssh may take to exit before it is killed.
_SSH_EXIT_WAIT = 2.0


class Unavailable(Exception):
    """The console cannot be reached: ``str()`` for the user, ``detail`` for logs."""

    def __init__(self, message, detail):
        super().__init__(message)
        self.detail = detail


class Target:
    """An open connection to a console."""

    def __init__(self, sock, description):
        self.socket = sock
        self.description = description

    def ended(self):
        """Whether the far end has closed its side (rather than the browser)."""
        try:
            readable, _, _ = select.select([self.socket], [], [], 0)
            return bool(readable) and self.socket.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def failure(self):
        """Why the far end went away, if it failed (a text for the user)."""
        return None

    def close(self):
        try:
            self.socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.socket.close()


def open_target(claims, console):
    """Connect to the console ``claims`` name, as ``console`` configures."""
    if claims.kind == "vnc":
        return open_vnc(claims.host, claims.port, console.connect_timeout)
    if console.serial_mode == "ssh":
        return open_serial_ssh(claims.node, claims.socket_path, console)
    return open_serial_local(claims.socket_path, console.connect_timeout)


def open_vnc(host, port, timeout):
    where = "%s:%s" % (host, port)
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except ConnectionRefusedError:
        raise Unavailable(reasons.VNC_REFUSED,
                          "%s: connection refused" % where) from None
    except TimeoutError:
        raise Unavailable(reasons.VNC_SILENT % {"seconds": timeout},
                          "%s: timed out after %g s" % (where, timeout)) from None
    except OSError as exc:
        raise Unavailable(reasons.VNC_UNREACHABLE,
                          "%s: %s" % (where, exc.strerror or exc)) from None
    sock.settimeout(None)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return Target(sock, "VNC " + where)


def open_serial_local(path, timeout):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError as exc:
        sock.close()
        if isinstance(exc, FileNotFoundError):
            message = reasons.SERIAL_ELSEWHERE
        elif isinstance(exc, PermissionError):
            message = reasons.SERIAL_FORBIDDEN
        elif isinstance(exc, TimeoutError):
            message = reasons.SERIAL_SILENT
        else:
            message = reasons.SERIAL_REFUSED
        raise Unavailable(message, "%s: %s" % (path, exc.strerror or exc)) from None
    sock.settimeout(None)
    return Target(sock, "serial " + path)


def ssh_command(node, path, console):
    """The ssh command line that connects ``path`` on ``node``."""
    command = [SSH, "-T", "-p", str(console.ssh_port),
               "-o", "BatchMode=yes",
               "-o", "StrictHostKeyChecking=yes",
               "-o", "ConnectTimeout=%d" % max(1, math.ceil(console.connect_timeout)),
               "-o", "LogLevel=ERROR"]
    if console.ssh_key_file:
        command += ["-i", console.ssh_key_file, "-o", "IdentitiesOnly=yes"]
    if console.ssh_known_hosts_file:
        command += ["-o", "UserKnownHostsFile=" + console.ssh_known_hosts_file]
    remote = "socat STDIO %s" % shlex.quote("UNIX-CONNECT:" + path)
    return command + ["-l", console.ssh_user, "--", node, remote]


class SshTarget(Target):
    """A serial console bridged by ``ssh node socat ...``."""

    def __init__(self, sock, description, process, errors):
        super().__init__(sock, description)
        self.process = process
        self.errors = errors

    def failure(self):
        try:
            code = self.process.wait(_SSH_EXIT_WAIT)
        except subprocess.TimeoutExpired:
            return None
        if code == 0:
            return None
        self.errors.seek(0)
        said = self.errors.read().decode("utf-8", "replace").strip()
        LOG.warning("%s ended with status %s: %s", self.description, code,
                    said.splitlines()[-1] if said else "(nothing on stderr)")
        if code == 255:  # ssh's own failure: connection, host key, login
            return reasons.SSH_LOGIN
        return reasons.SSH_SERIAL

    def close(self):
        super().close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(_SSH_EXIT_WAIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.errors.close()


def open_serial_ssh(node, path, console):
    ours, theirs = socket.socketpair()
    errors = tempfile.TemporaryFile()
    try:
        process = subprocess.Popen(
            ssh_command(node, path, console), stdin=theirs, stdout=theirs,
            stderr=errors, close_fds=True, start_new_session=True)
    except OSError as exc:
        ours.close()
        errors.close()
        raise Unavailable(reasons.SSH_MISSING,
                          "%s: %s" % (SSH, exc.strerror or exc)) from None
    finally:
        theirs.close()
    return SshTarget(ours, "serial %s:%s over ssh" % (node, path), process,
                     errors)
