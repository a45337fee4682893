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

"""``ganeti-console-proxy``: websockify with this project's token checks.

websockify is used as a library (:class:`WebSocketProxy` and its request
handler), configured only from the ``[console]`` section of
``ganeti-dashboard.conf``; none of websockify's own token, auth or web
server options is reachable, so it never serves files and never takes a
target from anywhere but a verified token. See :mod:`handler` for what each
connection goes through.

Every connection runs in a thread of its own, not in a process of its own
as websockify's server does: forking this process for each console was
most of the time a console took to open (``tools/lib/bench_console.py``
measures both), and a thread shares the process's token store
connections. websockify's handshake, TLS wrapping, request handler and
byte-moving loop are used as they are. One process
serves some hundreds of consoles (websockify's loop uses ``select()``, which
stops at file descriptor 1024); run more proxies for more. Stop the proxy
with SIGTERM or SIGINT, which also ends the open consoles.
"""

import argparse
import logging
import os
import shutil
import signal
import ssl
import sys
import threading

from websockify import websocketproxy

from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import handler
from ganeti_dashboard.console import logs
from ganeti_dashboard.console import serial_lines
from ganeti_dashboard.console import store as store_mod
from ganeti_dashboard.console import targets

LOG = logging.getLogger(__name__)
WHY = "to run ganeti-console-proxy"
# websockify turns an empty certificate name into the working directory,
# which exists, and then says it has TLS. /dev/null is no directory, so this
# name can never exist: websockify says "no cert file", and a TLS hello gets
# a clean refusal.
_NO_CERT = "/dev/null/no-certificate"


class ConsoleProxy(websocketproxy.WebSocketProxy):
    """websockify's server, listening where ``[console]`` says."""

    def __init__(self, console, verbose=False):
        self.console = console
        super().__init__(
            RequestHandlerClass=handler.ConsoleRequestHandler,
            listen_host=console.listen_address,
            listen_port=console.listen_port,
            cert=console.cert_file or _NO_CERT, key=console.key_file,
            # With a certificate, plain ws:// is refused: a token must not
            # cross the network in clear text.
            ssl_only=console.tls,
            # Python's defaults for a TLS server (TLS 1.2 at least), rather
            # than websockify's, which clear some of them.
            ssl_options=ssl.create_default_context(
                ssl.Purpose.CLIENT_AUTH).options,
            verbose=verbose, file_only=True)

        self.store = store_mod.shared(console)
        # The serial consoles open, shared by the WebSockets on each.
        self.serial_lines = serial_lines.Lines()

    def started(self):
        console = self.console
        self.msg("ganeti-console-proxy listening on %s://%s:%s, origins %s, "
                 "serial consoles %s, token store %s",
                 "wss" if console.tls else "ws", console.listen_address,
                 console.listen_port, " ".join(console.allowed_origins),
                 "over ssh" if console.serial_mode == "ssh" else "on this node",
                 store_mod.describe(console))

    def start_server(self):
        """Accept connections until SIGTERM or SIGINT; a thread for each.

        Raises :class:`CannotListen` when the address cannot be bound.
        """
        try:
            lsock = self.socket(self.listen_host, self.listen_port, False,
                                self.prefer_ipv6)
        except OSError as exc:
            raise CannotListen(str(exc)) from None
        self.started()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._terminate)
        try:
            while True:
                try:
                    sock, address = lsock.accept()
                except OSError as exc:
                    # Out of file descriptors, say: the listening socket
                    # still works once some console closes.
                    self.msg("cannot accept a connection: %s", exc)
                    threading.Event().wait(0.1)
                    continue
                threading.Thread(target=self._serve, args=(sock, address),
                                 name="console-%s:%s" % address[:2],
                                 daemon=True).start()
        except self.Terminate:
            self.msg("ganeti-console-proxy stopping")
        finally:
            lsock.close()

    def _terminate(self, signum, frame):
        raise self.Terminate()

    def _serve(self, sock, address):
        # websockify's per-connection entry point: TLS, handshake, handler.
        # Its TLS handshake runs before the handler sets its timeout: a
        # client stalled in its hello must not hold a thread for ever.
        sock.settimeout(self.RequestHandlerClass.timeout)
        try:
            self.top_new_client(sock, address)
        finally:
            sock.close()


class CannotListen(Exception):
    """The proxy's address cannot be bound (in use, or not this host's)."""


def check(console):
    """Refuse to start without what the proxy needs (a ConfigError says what)."""
    console.require("secret", WHY)
    console.require("allowed_origins", WHY + " (the origins of the Horizon "
                    "pages, e.g. https://horizon.example.org)")
    for option in ("cert_file", "key_file"):
        console.require_readable(option)
    if console.serial_mode == "ssh":
        for option in ("ssh_key_file", "ssh_known_hosts_file"):
            console.require_readable(option)
        if not shutil.which(targets.SSH):
            raise loader.ConfigError(
                "%s: serial_mode = ssh in section [console], but this host "
                "has no %s command" % (console.path, targets.SSH))


def _probe_store(console):
    """Warn at start when the token store cannot be reached."""
    try:
        store_mod.shared(console).get("console-proxy-probe")
    except Exception as exc:
        LOG.warning("Token store %s cannot be reached (%s): every console "
                    "will be refused until it can", store_mod.describe(console),
                    exc)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="ganeti-console-proxy",
        description="WebSocket proxy for the consoles of ganeti-dashboard.")
    parser.add_argument(
        "--config-file", metavar="PATH",
        help="ganeti-dashboard.conf to read (default: $%s, else %s)"
             % (loader.ENV_VAR, loader.DEFAULT_PATH))
    parser.add_argument("--verbose", action="store_true",
                        help="log every request and connection step")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    logs.setup(verbose=args.verbose)
    path = (args.config_file or os.environ.get(loader.ENV_VAR)
            or loader.DEFAULT_PATH)
    try:
        console = loader.load(path).console
        check(console)
    except loader.ConfigError as exc:
        LOG.error("%s", exc)
        return 2
    _probe_store(console)
    try:
        ConsoleProxy(console, verbose=args.verbose).start_server()
    except CannotListen as exc:
        LOG.error("Cannot listen on %s:%s: %s", console.listen_address,
                  console.listen_port, exc)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
