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

"""Each cluster's latest view of a kind of object, refreshed once for all.

A page never asks RAPI for a list. It reads the latest snapshot of each
cluster (its instances, its nodes, ...), kept in the cache Horizon already
shares between its threads, workers and hosts (memcached or Redis):

* **One refresh per cluster and kind at a time, everywhere.** Whoever finds
  a snapshot due takes a lease in the shared cache (``add``, atomic in
  memcached and Redis; it expires, so a holder that dies frees it) and
  refreshes; everyone else keeps reading the snapshot there is.
* **Stale while it revalidates.** Past ``refresh_interval`` seconds (or
  ``refresh_cost_factor`` times as long as its last refresh took, if that
  is longer: a large cluster's master is not kept busy answering us), a
  snapshot is still served and refreshed behind the page. Past
  ``max_snapshot_age``, when there is none, or after a write of ours
  (:func:`mark_stale`: the page that follows it must show what it did), the
  page waits for the refresh, at most ``snapshot_wait`` seconds (or
  ``first_snapshot_wait`` for a cluster nothing is known of yet: there is
  nothing else to show of it), then shows what it has and says how old it
  is, or that the cluster has not answered yet.
* **A failed refresh replaces nothing.** The last good snapshot stays,
  marked with the failure (logged once, when it starts), and the next
  attempt waits for ``refresh_interval``: a cluster that is down is not
  asked on every page view.
* **Never one big cache item.** A snapshot is encoded as JSON (reading it
  back runs no code, whoever wrote into the cache), compressed and cut into
  chunks well under memcached's 1 MB item limit, written under a new
  generation before the small record that points at it; losing the cache
  loses only speed.
* **Decoded once per worker.** Each process keeps the decoded data of the
  current generation: a repeated view decodes nothing.

A kind says how to fetch its data from one cluster (:class:`Kind`); the
data is any value JSON holds (tuples come back as lists), shaped for the
pages that read it.
"""

import collections
import concurrent.futures
import dataclasses
import json
import logging
import threading
import time
import uuid
import zlib

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api.texts import english
from ganeti_dashboard.conf import loader

LOG = logging.getLogger(__name__)

PREFIX = "ganeti-dashboard:snap:"
CHUNK_BYTES = 512 * 1024  # memcached refuses items over 1 MB by default
# Chunks of a replaced generation stay this long for readers that began
# with it; the record that points at the current one never expires.
CHUNK_KEEP = 3600
POLL = 0.05  # seconds between looks at a refresh another process runs
_now = time.time  # wall-clock seconds, shared by every host (tests move it)


@dataclasses.dataclass(frozen=True)
class Kind:
    """``fetch(client)`` returns the data of one cluster; ``interval``: at
    least this many seconds between refreshes (for what changes rarely and
    costs Ganeti a job, such as its OS list); ``every``: the setting that
    says how often it is refreshed, instead of ``refresh_interval`` (the
    nodes' live figures: ``live_interval``); ``paced``: refreshed at most
    every ``refresh_cost_factor`` times as long as its last refresh took
    (not for what costs the cluster's master nothing).
    """

    name: str
    fetch: object
    interval: int = 0
    every: str = "refresh_interval"
    paced: bool = True


@dataclasses.dataclass
class Snapshot:
    """What a page gets for one cluster: ``data`` (None if there is none
    yet), when it was taken, and the failure of the last refresh if it
    failed since.
    """

    cluster: str
    kind: str
    data: object = None
    generation: str | None = None
    taken: float | None = None
    error: str | None = None
    failed_at: float | None = None
    refreshing: bool = False
    took: float | None = None  # seconds its last refresh took

    @property
    def age(self):
        return None if self.taken is None else max(0.0,
                                                   _now() - self.taken)

    @property
    def available(self):
        return self.taken is not None


def _key(cluster, kind, what):
    return "%s%s:%s:%s" % (PREFIX, clusters.key_safe(cluster), kind, what)


class _Retrying:
    """Django's cache, each call tried twice: after the cache server
    restarted, a client's first call on its old connection fails, and the
    second reconnects (what is lost then is only speed).
    """

    def __getattr__(self, name):
        from django.core.cache import cache
        method = getattr(cache, name)

        def call(*args, **kwargs):
            try:
                return method(*args, **kwargs)
            except Exception as exc:
                LOG.debug("cache %s failed (%s); trying again", name, exc)
                return method(*args, **kwargs)
        return call


_RETRYING = _Retrying()


def _cache():
    return _RETRYING


def mark_stale(cluster, kinds=None):
    """Our write or a job that ended changed ``cluster``: its snapshots of
    ``kinds`` (all by default) are refreshed at the next look.
    """
    now = _now()
    _cache().set_many({_key(cluster, kind, "stale"): now
                       for kind in kinds or _KINDS}, None)


# -- what each process derives from the snapshots ------------------------

class Derived:
    """Values a process derives from snapshots (their decoded data, the
    instances of a scope merged in list order, a cluster's map), each kept
    while the snapshots it comes from keep the same generations: every view
    of a list is otherwise the same work over thousands of rows. The most
    recently used ``size`` keys are kept. One thread derives a key; the
    others that want it meanwhile wait for it rather than each doing the
    work again.
    """

    def __init__(self, size):
        self.size = size
        self._lock = threading.Lock()
        self._kept = collections.OrderedDict()  # key -> (generations, value)
        # A few locks shared by hash, so that deriving different keys
        # rarely waits and the locks do not grow with the keys.
        self._deriving = [threading.Lock() for _ in range(8)]

    def _current(self, key, generations):
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == generations:
                self._kept.move_to_end(key)
                return kept[1]
        return _MISSING

    def get(self, key, generations, derive):
        """The value of ``key`` for ``generations`` (a tuple), from
        ``derive()`` unless kept. A value derived from a snapshot of no
        generation (``None`` in ``generations``), or the ``_MISSING``
        that ``derive`` may answer, is not kept.
        """
        found = self._current(key, generations)
        if found is not _MISSING:
            return found
        with self._deriving[hash(key) % len(self._deriving)]:
            found = self._current(key, generations)
            if found is not _MISSING:
                return found  # another thread derived it meanwhile
            value = derive()
            if value is not _MISSING and None not in generations:
                self.put(key, generations, value)
            return value

    def put(self, key, generations, value):
        with self._lock:
            self._kept[key] = (generations, value)
            self._kept.move_to_end(key)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def pop(self, key):
        with self._lock:
            self._kept.pop(key, None)

    def keys(self):
        with self._lock:
            return list(self._kept)

    def clear(self):
        with self._lock:
            self._kept.clear()


_MISSING = object()

# (cluster, kind) -> the data of its current generation, in this process.
_decoded = Derived(size=4096)
_lock = threading.Lock()
_executor = None


def _pool():
    global _executor
    with _lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=8, thread_name_prefix="ganeti-snapshot")
        return _executor


def forget_decoded():
    """Drop this process's decoded snapshots (tests)."""
    _decoded.clear()


def backdate(cluster_names, kind_name):
    """Make the snapshots of ``cluster_names`` just old enough to be
    refreshed behind the page that reads them, and not so old that it
    waits (benchmarks: a snapshot that is stale by age).
    """
    conf = clusters.settings()
    kind = _kind(kind_name)
    cache = _cache()
    for name in cluster_names:
        key = _key(name, kind_name, "meta")
        meta = cache.get(key)
        if meta and meta.get("taken") is not None:
            age = _refresh_after(meta, conf, kind) + 1
            cache.set(key, dict(meta, taken=_now() - age), None)


def forget(cluster_names, kind_name):
    """Drop the snapshots of ``cluster_names`` (benchmarks: "no snapshot
    at all").
    """
    _cache().delete_many([_key(name, kind_name, "meta")
                          for name in cluster_names])
    for name in cluster_names:
        _decoded.pop((name, kind_name))


def drain(timeout=30):
    """Wait for this process's refreshes under way (tests, benchmarks)."""
    global _executor
    with _lock:
        executor, _executor = _executor, None
    if executor is not None:
        executor.shutdown(wait=True)


_KINDS = {}


def register(kind):
    _KINDS[kind.name] = kind
    return kind


def _kind(name):
    """The kind registered by the module that defines it."""
    if name not in _KINDS:
        import importlib
        for module in ("instances", "nodes", "groups", "networks",
                       "job_queue", "cluster_state", "filters",
                       "backups", "monitoring", "instance_live"):
            importlib.import_module("ganeti_dashboard.api." + module)
    return _KINDS[name]


# -- reading ---------------------------------------------------------------

def read(cluster_configs, kind_name):
    """``{cluster name: Snapshot}`` for ``cluster_configs``, as fresh as
    the settings ask, waiting only as they allow (see module docstring).
    """
    conf = clusters.settings()
    kind = _kind(kind_name)
    names = [c.name for c in cluster_configs]
    if not names:
        return {}
    records = _records(names, kind_name)
    waiting, started = {}, set()
    now = _now()
    for name in names:
        meta, stale_at, lease = records[name]
        state = _state(meta, stale_at, now, conf, kind)
        if state == "fresh" or _recently_failed(meta, now, conf, kind):
            continue  # a cluster that just failed is not asked again yet
        if _start_refresh(name, kind, lease, needless=lambda m: _state(
                m, stale_at, _now(), conf, kind) == "fresh"):
            started.add(name)
        bound = _wait_bound(meta, conf)
        if state == "due" and _may_wait(lease, name in started, now, bound):
            waiting[name] = (meta and meta.get("generation"), bound)
    if waiting:
        records.update(_wait_for(waiting, kind_name))
    found = {name: _snapshot(name, kind_name, *records[name])
             for name in names}
    for name in started - set(waiting):
        found[name].refreshing = True
    return found


def _records(names, kind_name):
    """``{name: (meta, stale_at, lease)}`` in one cache round trip."""
    keys = {}
    for name in names:
        for what in ("meta", "stale", "lease"):
            keys[_key(name, kind_name, what)] = (name, what)
    found = _cache().get_many(list(keys))
    records = {name: [None, None, None] for name in names}
    slot = {"meta": 0, "stale": 1, "lease": 2}
    for key, value in found.items():
        name, what = keys[key]
        records[name][slot[what]] = value
    return {name: tuple(value) for name, value in records.items()}


def _state(meta, stale_at, now, conf, kind):
    """fresh: serve it; stale: serve it, refresh behind; due: there is
    none, or it is too old, or a write of ours since made it wrong (the
    user who wrote is looking at the next page): try for a newer one.
    """
    if not meta or meta.get("taken") is None:
        return "due"
    if stale_at is not None and stale_at >= meta["taken"]:
        return "due"
    age = now - meta["taken"]
    refresh_after = _refresh_after(meta, conf, kind)
    if age >= max(conf.max_snapshot_age, 2 * refresh_after):
        return "due"
    if age >= refresh_after:
        return "stale"
    return "fresh"


def _refresh_after(meta, conf, kind):
    """The age at which a snapshot is refreshed behind the pages: the
    kind's or the configured interval, or longer for a cluster whose
    last refresh took long (see ``refresh_cost_factor``).
    """
    return max(getattr(conf, kind.every), kind.interval,
               conf.refresh_cost_factor * meta.get("took", 0)
               if kind.paced else 0)


def _recently_failed(meta, now, conf, kind):
    failed_at = (meta or {}).get("failed_at")
    return (failed_at is not None
            and now - failed_at < getattr(conf, kind.every))


def _wait_bound(meta, conf):
    """How long a page waits for a cluster's due refresh: longer for a
    cluster nothing is known of yet (a new deployment, an emptied cache),
    where the page has nothing else to show of it, than for one with an
    old snapshot to show or a failure to name.
    """
    return conf.snapshot_wait if meta else max(conf.snapshot_wait,
                                               conf.first_snapshot_wait)


def _may_wait(lease, started, now, bound):
    """A page waits for a due refresh it started, or one another started
    less than ``bound`` seconds ago (not again and again for a cluster
    that hangs), or just now: the lease it found free (``lease`` None)
    was taken first.
    """
    if started or lease is None:
        return True
    return now - lease[1] < bound


def _wait_for(waiting, kind_name):
    """Poll the records of ``waiting`` (name -> (generation seen, bound))
    until each has a new generation or its refresh ended (it failed), or
    its bound in seconds passed; return the records last read.
    """
    begun = time.monotonic()
    done, left = {}, dict(waiting)
    while True:
        records = _records(list(left), kind_name)
        elapsed = time.monotonic() - begun
        for name, record in records.items():
            meta, _stale, lease = record
            seen, bound = left[name]
            if ((meta or {}).get("generation") != seen or lease is None
                    or elapsed >= bound):
                done[name] = record
                del left[name]
        if not left:
            return done
        time.sleep(POLL)


def _snapshot(name, kind_name, meta, stale_at, lease):
    snapshot = Snapshot(name, kind_name, refreshing=lease is not None)
    if not meta:
        return snapshot
    snapshot.error = meta.get("error")
    snapshot.failed_at = meta.get("failed_at")
    if meta.get("generation") is None:
        return snapshot
    try:
        data = _decode(name, kind_name, meta)
    except Exception:  # written by another version: as if there were none
        LOG.warning("cluster %s: cannot decode its %s snapshot", name,
                    kind_name)
        data = _MISSING
    if data is _MISSING:
        return snapshot  # its chunks are gone: as if there were none
    snapshot.data, snapshot.taken = data, meta["taken"]
    snapshot.took = meta.get("took")
    snapshot.generation = meta["generation"]
    return snapshot


def _decode(name, kind_name, meta):
    generation = meta["generation"]

    def decode():
        keys = [_chunk_key(name, kind_name, generation, i)
                for i in range(meta["chunks"])]
        found = _cache().get_many(keys)
        if len(found) != len(keys):
            return _MISSING
        return json.loads(zlib.decompress(b"".join(found[k] for k in keys)))

    return _decoded.get((name, kind_name), (generation,), decode)


def _chunk_key(name, kind_name, generation, index):
    return _key(name, kind_name, "%s:%d" % (generation, index))


# -- refreshing ----------------------------------------------------------

def _lease_ttl(cluster):
    """Longer than a refresh can take: its calls' timeouts, retried."""
    config = clusters.settings().cluster(cluster)
    per_call = config.connect_timeout + config.refresh_timeout
    return int(per_call * (config.retries + 1) * 2 + 10)


def _start_refresh(name, kind, lease, needless=None):
    """Take the lease and refresh in the background; False if another
    holds it (or took it first), or if ``needless(meta)`` says the
    snapshot now stored makes it needless: a refresh that ended between
    this page's look and its lease (and released the lease) must not be
    followed by a second one.
    """
    if lease is not None:
        return False
    token = (uuid.uuid4().hex, _now())
    key = _key(name, kind.name, "lease")
    cache = _cache()
    if not cache.add(key, token, _lease_ttl(name)):
        return False
    if needless is not None and needless(
            cache.get(_key(name, kind.name, "meta"))):
        if cache.get(key) == token:
            cache.delete(key)
        return False
    _pool().submit(_refresh, name, kind, token)
    return True


def refresh_now(name, kind_name):
    """Refresh at once in this thread, whatever the snapshot's age (the
    lease still applies): for benchmarks and tests.
    """
    kind = _kind(kind_name)
    token = (uuid.uuid4().hex, _now())
    if not _cache().add(_key(name, kind_name, "lease"), token,
                        _lease_ttl(name)):
        return False
    _refresh(name, kind, token)
    return True


def _refresh(name, kind, token):
    cache = _cache()
    lease_key = _key(name, kind.name, "lease")
    meta_key = _key(name, kind.name, "meta")
    started = _now()
    try:
        try:
            with rapi.snapshot_refresh():
                data = kind.fetch(clusters.client(name))
        except (errors.RapiError, loader.ConfigError) as exc:
            _record_failure(name, kind.name, exc)
            return
        blob = zlib.compress(json.dumps(
            data, separators=(",", ":")).encode(), 1)
        generation = uuid.uuid4().hex[:12]
        chunks = [blob[i:i + CHUNK_BYTES]
                  for i in range(0, len(blob), CHUNK_BYTES)] or [b""]
        cache.set_many({_chunk_key(name, kind.name, generation, i): chunk
                        for i, chunk in enumerate(chunks)}, CHUNK_KEEP)
        old = cache.get(meta_key) or {}
        if old.get("error"):
            LOG.warning("cluster %s: %s answer again", name, kind.name)
        cache.set(meta_key, {"generation": generation,
                             "chunks": len(chunks), "taken": started,
                             "took": _now() - started,
                             "error": None, "failed_at": None}, None)
        _decoded.put((name, kind.name), (generation,), data)
    except Exception:
        LOG.exception("cluster %s: refreshing its %s failed", name,
                      kind.name)
    finally:
        if cache.get(lease_key) == token:
            cache.delete(lease_key)


def _record_failure(name, kind_name, exc):
    cache = _cache()
    meta_key = _key(name, kind_name, "meta")
    meta = dict(cache.get(meta_key) or {})
    # The Text, not its translation: every viewer reads it in their own
    # language (api.texts).
    text = getattr(exc, "message", None) or str(exc)
    if meta.get("error") != text:
        LOG.warning("cluster %s: cannot refresh its %s: %s", name,
                    kind_name, english(text))
    meta.update(error=text, failed_at=_now())
    cache.set(meta_key, meta, None)
