"""The configured clusters, and asking all of them at once.

A page that covers several clusters must not wait for them one after another,
and one cluster that is down or slow must not hide the others: every fan-out
goes through :func:`fetch_all`, which runs one call per cluster in a thread
pool and returns the answers together with a per-cluster error.
"""

import concurrent.futures
import dataclasses
import threading

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader

_clients_lock = threading.Lock()
_clients = {}


def _django_cache():
    try:
        from django.core.cache import cache
        cache.get("ganeti-dashboard:probe")
        return cache
    except Exception:  # no Django settings: command-line use
        return None


def settings():
    return loader.load()


def client(cluster):
    """The :class:`RapiClient` of a cluster (by name or config), reused."""
    conf = settings()
    if isinstance(cluster, str):
        found = conf.cluster(cluster)
        if found is None:
            raise errors.NotFound("no cluster named %s is configured"
                                  % cluster)
        cluster = found
    key = (conf.path, cluster)
    with _clients_lock:
        found = _clients.get(key)
        if found is None:
            found = rapi.RapiClient(cluster, _django_cache(), conf.cache_ttl)
            _clients[key] = found
        return found


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
    """Run ``call(client)`` on every cluster concurrently.

    Only :class:`errors.RapiError` is collected per cluster; anything else is
    a bug and propagates.
    """
    return start_fetch_all(call, clusters).wait()


class PendingFanout:
    """Calls of :func:`start_fetch_all` under way; :meth:`wait` ends them."""

    def __init__(self, futures):
        self._futures = futures
        self._results, self._errors = {}, {}

    def answered(self):
        """``(cluster, result, still_to_answer)`` of each cluster that
        answers, as it does; failures are kept for :meth:`wait`.

        A page uses the time the slower clusters take for what it can do
        with the faster ones' answers.
        """
        waiting = [f for f in self._futures
                   if self._futures[f] not in self._results
                   and self._futures[f] not in self._errors]
        left = len(waiting)
        for future in concurrent.futures.as_completed(waiting):
            name = self._futures[future]
            left -= 1
            try:
                self._results[name] = future.result()
            except errors.RapiError as exc:
                self._errors[name] = exc
                continue
            yield name, self._results[name], left

    def wait(self):
        """The :class:`Fanout`, once every cluster has answered."""
        for _answer in self.answered():
            pass
        return Fanout(dict(self._results), dict(self._errors))


_pool_lock = threading.Lock()
_pool = None
# Threads of the process-wide pool: enough for several pages at once, each
# asking every cluster; a page's own share is bounded by
# ``max_concurrent_clusters`` (see :func:`start_fetch_all`).
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


def start_fetch_all(call, clusters=None):
    """:func:`fetch_all` without waiting: the calls run in their threads.

    A page starts its RAPI calls with this, does its own work that needs no
    answer (Horizon's navigation, Keystone), then waits: the answers come
    while it works instead of after.
    """
    conf = settings()
    if clusters is None:
        clusters = conf.clusters
    if not clusters:
        return PendingFanout({})
    slots = threading.BoundedSemaphore(
        min(len(clusters), conf.max_concurrent_clusters))

    def bounded(client_):
        with slots:
            return call(client_)

    pool = _shared_pool()
    return PendingFanout({pool.submit(bounded, client(c)): c.name
                          for c in clusters})


@dataclasses.dataclass
class ClusterSummary:
    """What the Clusters table shows of one cluster."""

    name: str
    config: loader.ClusterConfig
    info: dict | None = None
    node_count: int | None = None
    instance_count: int | None = None
    error: errors.RapiError | None = None

    @property
    def id(self):
        return self.name

    @property
    def reachable(self):
        return self.error is None


def _summary_call(client_):
    info = client_.info()
    return info, len(client_.nodes(bulk=False)), \
        len(client_.instances(bulk=False))


def cluster_summaries(names=None):
    """A :class:`ClusterSummary` per configured cluster, by name."""
    conf = settings()
    clusters = [c for c in conf.clusters if names is None or c.name in names]
    fanout = fetch_all(_summary_call, clusters)
    summaries = []
    for cluster in clusters:
        summary = ClusterSummary(cluster.name, cluster)
        if cluster.name in fanout.results:
            summary.info, summary.node_count, summary.instance_count = \
                fanout.results[cluster.name]
        else:
            summary.error = fanout.errors.get(cluster.name)
        summaries.append(summary)
    return summaries


def percent(used, total):
    return int(round(100.0 * used / total)) if total else 0


def resources(name):
    """Memory, disk and vCPUs allocated against totals, per node and total.

    Allocation is what instances were given (``maxmem``, disk usage,
    ``vcpus``), counted on their primary node; two bulk list calls.
    """
    client_ = client(name)
    nodes = client_.nodes(bulk=True)
    instances = client_.instances(bulk=True)
    per_node = {n["name"]: {"name": n["name"], "mem_total": n.get("mtotal")
                            or 0, "disk_total": n.get("dtotal") or 0,
                            "cpus": n.get("ctotal") or 0, "mem": 0,
                            "disk": 0, "vcpus": 0, "instances": 0}
                for n in nodes}
    for instance in instances:
        node = per_node.get(instance.get("pnode"))
        if node is None:
            continue
        beparams = instance.get("beparams") or {}
        node["mem"] += beparams.get("maxmem") or 0
        node["vcpus"] += beparams.get("vcpus") or 0
        node["disk"] += instance.get("disk_usage") or 0
        node["instances"] += 1
    rows = sorted(per_node.values(), key=lambda n: n["name"])
    for node in rows:
        node["mem_pct"] = percent(node["mem"], node["mem_total"])
        node["disk_pct"] = percent(node["disk"], node["disk_total"])
        node["vcpu_pct"] = percent(node["vcpus"], node["cpus"])
    total = {key: sum(n[key] for n in rows)
             for key in ("mem", "mem_total", "disk", "disk_total", "vcpus",
                         "cpus", "instances")}
    charts = [
        {"name": "Memory", "used": total["mem"], "total": total["mem_total"],
         "unit": "MiB", "pct": percent(total["mem"], total["mem_total"])},
        {"name": "Disk", "used": total["disk"],
         "total": total["disk_total"], "unit": "MiB",
         "pct": percent(total["disk"], total["disk_total"])},
        {"name": "vCPUs", "used": total["vcpus"], "total": total["cpus"],
         "unit": "on physical CPUs",
         "pct": min(100, percent(total["vcpus"], total["cpus"]))},
    ]
    return {"nodes": rows, "total": total, "charts": charts,
            "instances": instances}
