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

"""The token store: a Django cache on the servers of ``[console] token_store``.

``token_store`` is either memcached servers (``host:port``, one or more) or
one Redis server (``redis://[:password@]host:port/db``, or ``rediss://`` for
TLS, which redis-py verifies by default). Django's own memcached and Redis
backends do the talking, with ``pymemcache`` and ``redis`` (both installed
with Horizon and websockify).

Horizon and every proxy build it from the same ``[console]`` options rather
than using Django's default cache, because the default cache of a Horizon may
be process-local (``LocMemCache``) or carry a ``KEY_PREFIX`` the proxy cannot
know; a store the proxy does not share makes every token "unknown".

Four things differ from Django's stock cache settings, all on purpose:

* Values are plain text only. Django's memcached and Redis backends unpickle
  whatever a key holds, so anybody who can write to the store could run code
  in the network-facing proxy. Here a stored value that is not text reads as
  absent (and the token is refused).
* A server that fails is reported at once (no retries), instead of quietly
  answering "not found" while the client waits to retry: a token store
  outage must say so, not look like a wrong token.
* With one memcached server, keys are not hashed to choose it
  (:class:`ganeti_dashboard.memcached.ServerChoice`).
* Clients keep their connections in a pool and are safe to share between
  threads, so :func:`shared` gives one store per process: a console open
  then costs its memcached or Redis commands, not a new TCP connection too.
"""

import threading
import urllib.parse

from django.core.cache.backends import memcached
from django.core.cache.backends import redis as redis_backend

from ganeti_dashboard import memcached as memcached_hasher

KEY_PREFIX = "ganeti-dashboard"
REDIS_SCHEMES = ("redis", "rediss")


class TextSerde:
    """pymemcache (de)serializer that knows only UTF-8 text."""

    def serialize(self, key, value):
        if not isinstance(value, str):
            raise TypeError("the console token store holds text only")
        return value.encode("utf-8"), 0

    def deserialize(self, key, value, flags):
        if flags != 0:
            return None
        return _text(value)


class TextSerializer:
    """Django Redis serializer that knows only UTF-8 text."""

    def dumps(self, value):
        if not isinstance(value, str):
            raise TypeError("the console token store holds text only")
        return value.encode("utf-8")

    def loads(self, value):
        return _text(value)


def _text(value):
    try:
        return value.decode("utf-8")
    except (AttributeError, UnicodeDecodeError):
        return None


def is_redis(server):
    """Whether a ``token_store`` entry names a Redis server."""
    return urllib.parse.urlsplit(server).scheme in REDIS_SCHEMES


def describe(console):
    """``token_store`` for log lines: a Redis password shows as ``***``."""
    shown = []
    for server in console.token_store:
        parts = urllib.parse.urlsplit(server)
        if is_redis(server) and parts.password is not None:
            netloc = "%s:***@%s" % (parts.username or "",
                                    parts.netloc.rpartition("@")[2])
            server = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
        shown.append(server)
    return ",".join(shown)


def build(console):
    """A new Django cache on ``console.token_store`` (a :class:`ConsoleConfig`).

    Building one opens no connection. ``close()`` it when done, or use
    :func:`shared` instead.
    """
    servers = list(console.token_store)
    params = {"KEY_PREFIX": KEY_PREFIX, "TIMEOUT": console.token_ttl}
    if is_redis(servers[0]):
        # One server only (the loader checks): Django's Redis backend reads
        # from the others, which may not hold a token written a moment ago.
        return redis_backend.RedisCache(servers[0], dict(params, OPTIONS={
            "serializer": TextSerializer,
            "socket_timeout": console.connect_timeout,
            "socket_connect_timeout": console.connect_timeout,
        }))
    return memcached.PyMemcacheCache(servers, dict(params, OPTIONS={
        "serde": TextSerde(),
        "connect_timeout": console.connect_timeout,
        "timeout": console.connect_timeout,
        "retry_attempts": 0,
        "dead_timeout": 1,
        "use_pooling": True,
        "hasher": memcached_hasher.ServerChoice,
    }))


_shared = {}
_shared_lock = threading.Lock()


def shared(console):
    """This process's store for ``console``'s options, built on first use."""
    key = (console.token_store, console.token_ttl, console.connect_timeout)
    with _shared_lock:
        store = _shared.get(key)
        if store is None:
            store = _shared[key] = build(console)
        return store
