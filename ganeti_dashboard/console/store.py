"""The token store: a Django cache on the memcached servers of ``token_store``.

Horizon and every proxy build it from the same ``[console]`` options rather
than using Django's default cache, because the default cache of a Horizon may
be process-local (``LocMemCache``) or carry a ``KEY_PREFIX`` the proxy cannot
know; a store the proxy does not share makes every token "unknown".

Two things differ from Django's stock memcached settings, both on purpose:

* Values are plain text only. Django's memcached backend unpickles whatever
  a key holds, so anybody who can write to an unauthenticated memcached could
  run code in the network-facing proxy. Here a stored value that is not text
  reads as absent (and the token is refused).
* A server that fails is reported at once (``retry_attempts=0``), instead of
  pymemcache quietly answering "not found" while it waits to retry: a token
  store outage must say so, not look like a wrong token.

A pymemcache client is not thread-safe: build one store per thread (or per
request) and ``close()`` it when done. Building one opens no connection.
"""

from django.core.cache.backends import memcached

KEY_PREFIX = "ganeti-dashboard"


class TextSerde:
    """pymemcache (de)serializer that knows only UTF-8 text."""

    def serialize(self, key, value):
        if not isinstance(value, str):
            raise TypeError("the console token store holds text only")
        return value.encode("utf-8"), 0

    def deserialize(self, key, value, flags):
        if flags != 0:
            return None
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return None


def build(console):
    """A Django cache on ``console.token_store`` (a :class:`ConsoleConfig`)."""
    return memcached.PyMemcacheCache(list(console.token_store), {
        "KEY_PREFIX": KEY_PREFIX,
        "TIMEOUT": console.token_ttl,
        "OPTIONS": {
            "serde": TextSerde(),
            "connect_timeout": console.connect_timeout,
            "timeout": console.connect_timeout,
            "retry_attempts": 0,
            "dead_timeout": 1,
        },
    })
