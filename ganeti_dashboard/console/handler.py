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

"""The proxy's request handler: websockify's, with this project's checks.

Order of a connection, and why:

1. The request line is parsed and the ``?token=`` is taken out of
   ``self.path`` and ``self.requestline`` at once, before anything can log
   them (websockify logs the path of every WebSocket, and the request line
   when verbose).
2. A plain GET (or HEAD) gets 405: without ``--web`` websockify serves no
   files, and this proxy never sets it. Other methods get http.server's 501.
3. Before the WebSocket handshake: the ``Origin`` header must be one of
   ``allowed_origins`` (missing is refused too: browsers always send it on
   WebSockets, so only a non-browser omits it, and there is no reason to
   serve one), and the path must end in ``/vnc`` or ``/serial``. Refusals
   here are HTTP errors: no WebSocket exists yet.
4. After the handshake: the token is verified and used up. A refused token
   closes the WebSocket with code 1008 and a plain reason, so the console
   page can say "expired, open it again" (browsers hide the status of a
   failed handshake from scripts). Nothing has connected to the target yet.
5. The target is opened with ``connect_timeout``; failing that, the
   WebSocket closes with 1011 and a reason naming no host, port or path.
   A serial console already open for another WebSocket is joined instead
   (:mod:`serial_lines`).
6. websockify's loop moves bytes both ways, in binary frames.

Each connection has a handler of its own, in a thread of its own (see
:mod:`proxy`): per-connection state lives on the handler, never on the
server the threads share; the token store is the server's, safe to share.
"""

import socket
import urllib.parse

from websockify import websocketproxy

from ganeti_dashboard.console import targets
from ganeti_dashboard.console import tokens

POLICY_VIOLATION = 1008
UNAVAILABLE = 1011
# A close frame carries at most 123 bytes of reason.
_MAX_REASON = 123


class _Refused(Exception):
    """The request was answered with an HTTP error; stop handling it."""


def _reason(text):
    data = text.encode("utf-8")[:_MAX_REASON]
    return data.decode("utf-8", "ignore")


class ConsoleRequestHandler(websocketproxy.ProxyRequestHandler):

    # Seconds a client may take to send its request: a connection that
    # sends nothing does not hold a thread for ever. Lifted once the
    # WebSocket is up (consoles idle for long).
    timeout = 10
    server_version = "ganeti-console-proxy"
    sys_version = ""
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"

    token = None
    kind = None

    def parse_request(self):
        ok = super().parse_request()
        if ok:
            url = urllib.parse.urlsplit(self.path)
            values = urllib.parse.parse_qs(url.query).get("token")
            self.token = values[0].strip() if values else None
            self.path = url.path or "/"
            self.requestline = "%s %s %s" % (self.command, self.path,
                                             self.request_version)
        return ok

    def _refuse(self, code, message):
        self.log_message("refused: %s", message)
        self.send_error(code, message)
        raise _Refused()

    def handle_upgrade(self):
        try:
            super().handle_upgrade()
        except _Refused:
            pass

    def validate_connection(self):
        """Origin and path, before the handshake (websockify's hook)."""
        console = self.server.console
        origin = self.headers.get("Origin")
        if not origin:
            self._refuse(403, "Origin header missing")
        if origin.strip().lower().rstrip("/") not in console.allowed_origins:
            self.log_message("Origin %r is not in allowed_origins", origin[:200])
            self._refuse(403, "Origin not allowed")
        kind = self.path.rstrip("/").rsplit("/", 1)[-1]
        if kind not in tokens.KINDS:
            self._refuse(404, "No console here: use /vnc or /serial")
        self.kind = kind

    def auth_connection(self):
        """No websockify auth plugin: the token is the authentication."""

    def new_websocket_client(self):
        self.connection.settimeout(None)
        # Keystrokes are tiny packets: send them at once.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        claims = self._verify()
        self.log_message("%s console of %s/%s for user %s of project %s: "
                         "connecting to %s", claims.kind, claims.cluster,
                         claims.instance, claims.user_id, claims.project_id,
                         claims.target)
        # websockify's loop names its target in log lines from the server's
        # target_host and target_port: this connection's own, here.
        self.server = _ConnectionView(
            self.server, target_host="%s/%s" % (claims.cluster, claims.instance),
            target_port=claims.kind)
        try:
            target = self._open_target(claims)
        except targets.Unavailable as exc:
            self.log_message("%s console of %s/%s unavailable: %s",
                             claims.kind, claims.cluster, claims.instance,
                             exc.detail)
            raise self.CClose(UNAVAILABLE, _reason(str(exc))) from None
        try:
            self.do_proxy(target.socket)
        except self.CClose:
            failure = target.ended() and target.failure()
            if failure:
                raise self.CClose(UNAVAILABLE, _reason(failure)) from None
            raise
        finally:
            target.close()

    def _open_target(self, claims):
        """The console's far end. A serial console is opened once for all
        the WebSockets on it (QEMU serves one client at a time), and a
        WebSocket that joins gets its last output first (see
        :mod:`serial_lines`).
        """
        console = self.server.console
        if claims.kind == "serial":
            return self.server.serial_lines.attach(
                claims, lambda: targets.open_target(claims, console))
        return targets.open_target(claims, console)

    def _verify(self):
        console = self.server.console
        try:
            return tokens.verify(self.token, console.secret, console.token_ttl,
                                 self.server.store, expect={"kind": self.kind})
        except tokens.TokenError as exc:
            self.log_message("refused %s console: %s", self.kind, exc)
            raise self.CClose(POLICY_VIOLATION, _reason(str(exc))) from None


class _ConnectionView:
    """The shared server, with attributes of one connection's own on top."""

    def __init__(self, server, **own):
        self.__dict__.update(own)
        self._server = server

    def __getattr__(self, name):
        return getattr(self._server, name)
