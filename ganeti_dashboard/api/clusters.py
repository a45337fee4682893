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

"""The configured clusters, and asking all of them at once.

A page that covers several clusters must not wait for them one after another,
and one cluster that is down or slow must not hide the others: every fan-out
goes through :func:`fetch_all`, which runs one call per cluster in a thread
pool and returns the answers together with a per-cluster error.
"""

import concurrent.futures
import dataclasses
import functools
import re
import threading

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import texts
from ganeti_dashboard.conf import loader

_clients_lock = threading.Lock()
_clients = {}


def settings():
    return loader.load()


def client(cluster):
    """The :class:`RapiClient` of a cluster (by name or config), reused."""
    conf = settings()
    if isinstance(cluster, str):
        found = conf.cluster(cluster)
        if found is None:
            raise errors.NotFound(texts.not_configured(cluster))
        cluster = found
    key = (conf.path, cluster)
    with _clients_lock:
        found = _clients.get(key)
        if found is None:
            found = rapi.RapiClient(cluster, functools.partial(
                _written, cluster.name))
            _clients[key] = found
        return found


def _written(name):
    """After a write: the cluster's snapshots are due (see snapshots)."""
    from ganeti_dashboard.api import snapshots
    try:
        snapshots.mark_stale(name)
    except Exception:  # no Django cache: command-line use
        pass


def key_safe(name):
    """``name`` as a part of a cache key (memcached: no spaces, short)."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", name)[:100]


def reset_clients():
    with _clients_lock:
        _clients.clear()


@dataclasses.dataclass
class Fanout:
    """Answers of a call made on several clusters."""

    results: dict
    errors: dict

    def items(self):
        return self.results.items()


def fetch_all(call, clusters=None):
    """Run ``call(client)`` on every cluster concurrently; return the
    :class:`Fanout` once all have answered.

    Only :class:`errors.RapiError` is collected per cluster; anything else is
    a bug and propagates.
    """
    conf = settings()
    if clusters is None:
        clusters = conf.clusters
    if not clusters:
        return Fanout({}, {})
    slots = threading.BoundedSemaphore(
        min(len(clusters), conf.max_concurrent_clusters))

    def bounded(client_):
        with slots:
            return call(client_)

    pool = _shared_pool()
    futures = {pool.submit(bounded, client(c)): c.name for c in clusters}
    results, failures = {}, {}
    for future in concurrent.futures.as_completed(futures):
        try:
            results[futures[future]] = future.result()
        except errors.RapiError as exc:
            failures[futures[future]] = exc
    return Fanout(results, failures)


_pool_lock = threading.Lock()
_pool = None
# Threads of the process-wide pool: enough for several pages at once, each
# asking every cluster; a page's own share is bounded by
# ``max_concurrent_clusters`` (see :func:`fetch_all`).
POOL_THREADS = 64


def _shared_pool():
    """One pool of fetch threads per process, made on first use (after a
    server has forked its workers).

    Its threads outlive the page that started them, and with them the
    connections each thread has opened to the cache (Django's cache client
    is per thread): a pool per page made new threads, and a new cache
    connection in each, on every page view.
    """
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=POOL_THREADS, thread_name_prefix="ganeti-fetch")
        return _pool
