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

"""Console tokens: signed, short-lived, single use, and opaque to the browser.

A token is what Horizon puts into the console's WebSocket URL. What it must
guarantee, and how:

* **The browser learns nothing.** The claims (who, which instance, and the
  target: VNC host and port, or node and serial socket path) never travel in
  the token. They are kept in the token store that Horizon and every proxy
  share (memcached, see :mod:`store`), under a random id (``jti``). The token
  only carries that id and the time it was issued, signed. So there is no
  encryption to get right, and the token stays short.
* **Nobody can forge or alter one.** The token is signed with Django's
  :class:`~django.core.signing.Signer`, with the ``[console] secret`` as the
  explicit key and no fallback keys (Horizon's ``SECRET_KEY`` is neither used
  nor accepted). The stored claims are signed too, with another salt, so
  whoever can write to memcached still cannot point a token at another
  target.
* **It expires.** The issue time is checked against ``ttl`` by this module
  (not by :class:`~django.core.signing.TimestampSigner`, whose whole-second
  timestamp and hidden ``time.time()`` make expiry untestable without
  sleeping): every function takes a ``clock``.
* **It connects once.** :func:`verify` records the ``jti`` as used with
  ``cache.add``, which memcached performs atomically, so of two proxy
  processes racing with the same token exactly one wins.

Errors are typed; their ``str()`` is a plain sentence fit for the user (it
names no host, port or path).
"""

import dataclasses
import logging
import re
import secrets
import time

from django.core import signing

from ganeti_dashboard.console import reasons

LOG = logging.getLogger(__name__)

KINDS = ("vnc", "serial")
# Seconds a token may seem to come from the future: Horizon and the proxy
# may run on hosts whose clocks differ a little.
MAX_CLOCK_SKEW = 5
MAX_TOKEN_LENGTH = 512

_TOKEN_SALT = "ganeti_dashboard.console.token"
_RECORD_SALT = "ganeti_dashboard.console.claims"
_KEY_PREFIX = "ganeti-console:"
_JTI = re.compile(r"^[A-Za-z0-9_-]{24}$")
# Host names and addresses only: these end up in an ssh command line, so no
# leading '-' and nothing a shell or ssh would read as syntax.
_HOST = re.compile(r"^[A-Za-z0-9_.:][A-Za-z0-9_.:-]*$")
_SOCKET_PATH = re.compile(r"^/[A-Za-z0-9_.+@/-]+$")


class TokenError(Exception):
    """A token was refused; ``str()`` says why, in words fit for the page."""

    message = reasons.LINK_REFUSED

    def __init__(self, message=None):
        self.message = message or self.message
        super().__init__(self.message)

    def __str__(self):
        return self.message


class TokenInvalid(TokenError):
    message = reasons.LINK_INVALID


class TokenExpired(TokenError):
    message = reasons.LINK_EXPIRED


class TokenUsed(TokenError):
    message = reasons.LINK_USED


class TokenStoreError(TokenError):
    message = reasons.STORE_DOWN


@dataclasses.dataclass(frozen=True)
class Claims:
    """Who may open which console, and where the proxy connects to.

    ``kind`` ``vnc`` needs ``host`` and ``port`` (the VNC server as the
    dashboard resolved it); ``serial`` needs ``node`` and ``socket_path``
    (the instance's serial socket on that node). ``node`` may be given for
    VNC too: it picks the proxy when there is one per node. ``jti`` and
    ``issued_at`` are filled in by :func:`issue` and :func:`verify`.
    """

    user_id: str
    project_id: str
    cluster: str
    instance: str
    kind: str
    host: str | None = None
    port: int | None = None
    node: str | None = None
    socket_path: str | None = None
    jti: str = ""
    issued_at: float = 0.0

    def __post_init__(self):
        for name in ("user_id", "project_id", "cluster", "instance"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value:
                raise ValueError("console claim %s must be a non-empty "
                                 "string, not %r" % (name, value))
        if self.kind not in KINDS:
            raise ValueError("console kind must be one of %s, not %r"
                             % ("/".join(KINDS), self.kind))
        if self.kind == "vnc":
            _check(_HOST, "host", self.host)
            if (not isinstance(self.port, int) or isinstance(self.port, bool)
                    or not 0 < self.port < 65536):
                raise ValueError("console claim port must be a TCP port, "
                                 "not %r" % (self.port,))
        if self.kind == "serial" or self.node is not None:
            _check(_HOST, "node", self.node)
        if self.kind == "serial":
            _check(_SOCKET_PATH, "socket_path", self.socket_path)
            if "/../" in self.socket_path + "/":
                raise ValueError("console claim socket_path may not hold "
                                 "'..': %r" % self.socket_path)

    @property
    def target(self):
        """Where the proxy connects, for logs (never for the browser)."""
        if self.kind == "vnc":
            return "%s:%s" % (self.host, self.port)
        return "%s:%s" % (self.node, self.socket_path)

    def _record(self):
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def _check(pattern, name, value):
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError("console claim %s is missing or malformed: %r"
                         % (name, value))


def _signer(secret, salt):
    if not secret:
        raise ValueError("no console secret given")
    return signing.Signer(key=secret, salt=salt, fallback_keys=[])


def _lifetime(ttl):
    # How long the store keeps a record: the token's whole validity as the
    # other side may count it, whole seconds as memcached counts them.
    return int(ttl) + MAX_CLOCK_SKEW + 1


def issue(secret, claims, store, ttl=60, clock=time.time):
    """Store ``claims`` under a new random id and return the signed token.

    ``store`` is a Django cache shared with every proxy (:func:`store.build`);
    ``ttl`` the seconds the token may be used in.
    """
    jti = secrets.token_urlsafe(18)
    issued_at = round(clock(), 3)
    claims = dataclasses.replace(claims, jti=jti, issued_at=issued_at)
    record = _signer(secret, _RECORD_SALT).sign_object(claims._record())
    try:
        stored = store.add(_KEY_PREFIX + "claims:" + jti, record,
                           timeout=_lifetime(ttl))
    except Exception as exc:
        LOG.warning("Console token store unavailable while issuing a token: "
                    "%s", exc)
        raise TokenStoreError() from None
    if not stored:
        # A fresh 144-bit id cannot exist already: the store dropped it.
        raise TokenStoreError()
    return _signer(secret, _TOKEN_SALT).sign_object(
        {"jti": jti, "iat": issued_at})


def verify(token, secret, ttl, store, expect=None, clock=time.time):
    """Check ``token`` and use it up; return its :class:`Claims`.

    ``expect`` maps claim names to the values they must have (the proxy
    passes the console kind its URL asked for). Raises :class:`TokenInvalid`,
    :class:`TokenExpired`, :class:`TokenUsed` or :class:`TokenStoreError`.
    """
    jti, issued_at = _open(token, secret)
    now = clock()
    if issued_at - now > MAX_CLOCK_SKEW:
        raise TokenInvalid(reasons.LINK_FROM_FUTURE)
    if now - issued_at > ttl:
        raise TokenExpired()
    claims = _claims(jti, secret, store)
    for name, value in (expect or {}).items():
        if getattr(claims, name) != value:
            raise TokenInvalid(reasons.LINK_OTHER.get(name, reasons.LINK_INVALID))
    try:
        first = store.add(_KEY_PREFIX + "used:" + jti, "1",
                          timeout=_lifetime(ttl))
    except Exception as exc:
        LOG.warning("Console token store unavailable while using a token: %s",
                    exc)
        raise TokenStoreError() from None
    if not first:
        raise TokenUsed()
    return claims


def _open(token, secret):
    if not isinstance(token, str) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        raise TokenInvalid()
    try:
        payload = _signer(secret, _TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise TokenInvalid() from None
    if not isinstance(payload, dict):
        raise TokenInvalid()
    jti, issued_at = payload.get("jti"), payload.get("iat")
    if (not isinstance(jti, str) or not _JTI.match(jti)
            or not isinstance(issued_at, (int, float))):
        raise TokenInvalid()
    return jti, issued_at


def _claims(jti, secret, store):
    try:
        record = store.get(_KEY_PREFIX + "claims:" + jti)
    except Exception as exc:
        LOG.warning("Console token store unavailable while reading a token: "
                    "%s", exc)
        raise TokenStoreError() from None
    if record is None:
        # Also what a proxy sees whose token_store is not Horizon's.
        raise TokenInvalid(reasons.LINK_UNKNOWN)
    try:
        data = _signer(secret, _RECORD_SALT).unsign_object(record)
        if data.get("jti") != jti:
            raise ValueError("record of another token")
        return Claims(**data)
    except (signing.BadSignature, ValueError, TypeError, AttributeError):
        LOG.warning("Console token store holds a record that is not signed "
                    "with the console secret: refused")
        raise TokenInvalid() from None
