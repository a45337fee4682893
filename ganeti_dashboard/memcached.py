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

"""Choosing the memcached server of a key, without hashing it for one server.

Django's ``PyMemcacheCache`` always talks through pymemcache's
``HashClient``, which picks each key's server by rendezvous hashing with a
murmur3 written in pure Python, for every key, even when there is only one
server to pick. The instances lists read a cached value per listed
instance (its pending job) in one ``get_many``, so that hashing grows with
the page, on its critical path; the console proxy hashes twice per console
opened.

:class:`ServerChoice` is pymemcache's own rendezvous hash, which with a
single server answers that server without hashing. With several servers it
hashes exactly as pymemcache does, so every client (Horizon, each console
proxy, older and newer versions of this package) still agrees on which
server holds a key. Use it as the cache's ``hasher`` option, in Horizon's
``local_settings.py``::

    from ganeti_dashboard import memcached

    CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": "127.0.0.1:11211",
        "OPTIONS": {"hasher": memcached.ServerChoice},
    }}
"""

from pymemcache.client import rendezvous


class ServerChoice(rendezvous.RendezvousHash):
    """pymemcache's server choice; no hashing when one server is left.

    ``HashClient`` removes a server that fails from the nodes and adds it
    back after its dead timeout, so the number of nodes can change while
    the client lives: it is counted on every call.
    """

    def get_node(self, key):
        if len(self.nodes) == 1:
            return self.nodes[0]
        return super().get_node(key)
