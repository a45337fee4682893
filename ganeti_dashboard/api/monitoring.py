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

"""Live figures of a cluster's nodes: each node's ganeti-mond, and RAPI's.

Ganeti runs a monitoring daemon, ``ganeti-mond``, on every node: plain
HTTP (port 1815 by default), no authentication, JSON answers. Its calls,
one function each here (:class:`Mond`):

* ``GET /1/list/collectors``: ``[[name, category, kind], ...]``;
* ``GET /1/report/<category>/<name>``: one collector's report
  (``{"name", "timestamp" (ns), "data", ...}``); the category of the
  ``default`` collectors is ``null`` in the list and ``default`` in the URL;
* ``GET /1/report/all``: every collector's report in one answer, but
  **HTTP 500** as soon as one collector fails (Ganeti 3.0.2 on a node
  without DRBD or with a kernel it cannot read), so a node whose ``all``
  failed is asked collector by collector, each failure named on its own.

How the figures are read and shared (the snapshot machinery of
:mod:`snapshots`, kind ``live``): one reading of a cluster covers all its
nodes, in parallel, and is taken at most once per ``live_interval`` by
one Horizon process for every viewer, thread, worker and host sharing the
cache. A reading that takes long does not space the next one out, as
``refresh_cost_factor`` does for the clusters' lists: it costs the master
nothing, and a node's daemon is asked for :data:`NODE_BUDGET` times
``mond_timeout`` at most. Pages (the Live tabs, through their JSON
endpoints) only read the latest reading. Per node and reading, that is
one request (``all``), or one per collector when ``all`` fails; which of
the two, and the list of collectors, are kept in the cache for
:data:`PLAN_KEEP` seconds.

A daemon that refuses, times out (``mond_timeout``, for the connection and
for each answer; a node stops being asked after :data:`NODE_BUDGET` times
that) or answers an error is named with its cause per node, and a failing
collector per collector, like a cluster's failure: never an error page.
Node memory and disk are not mond collectors: they are RAPI's live node
fields (``mfree``, ``mtotal``, ``dfree``, ``dtotal``) from the nodes'
snapshot.
"""

import concurrent.futures
import json
import logging
import time
import urllib.parse

import requests

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api import texts
from ganeti_dashboard.api.texts import english
from ganeti_dashboard.api.texts import gettext_noop
from ganeti_dashboard.api.texts import Text

LOG = logging.getLogger(__name__)

# How long a node's plan (whether /1/report/all works there, and its list
# of collectors) is reused: collectors change only with Ganeti's version.
PLAN_KEEP = 600
PLAN_PREFIX = "ganeti-dashboard:mond-plan:"
# A node is asked for at most this many times mond_timeout per reading.
NODE_BUDGET = 3
# A collector whose data (as JSON) is larger than this is named, not kept:
# its data is then OMITTED, which the page says in the viewer's language.
MAX_OTHER_DATA = 4096
OMITTED = {"ganeti-dashboard:omitted": "too large"}
_now = time.time


# A daemon (or one of its collectors) that answers too slowly: the other
# collectors are still asked, as long as the node's budget lasts.
NO_ANSWER_WITHIN = gettext_noop("no answer within %(seconds)gs")


class MondError(errors.RapiError):
    summary = Text(gettext_noop("monitoring daemon unreachable"))


class MondHTTPError(MondError):
    """The daemon answered, with an error: the node is fine, the
    collector is not.
    """


class Counter(rapi.CallCounter):
    """Requests sent to monitoring daemons (``cluster`` is the node's
    address), for benchmarks and tests.
    """


CALLS = Counter()


class Mond:
    """One node's ganeti-mond: one method per call."""

    def __init__(self, address, port, timeout, name=None):
        host = "[%s]" % address if ":" in address else address
        self.base_url = "http://%s:%d" % (host, port)
        self.address = address
        self.name = name or address
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json",
                                     "User-Agent": "ganeti-dashboard"})
        self.session.trust_env = False  # never through an HTTP proxy

    def list_collectors(self):
        """``[(name, category for the URL, kind)]``."""
        found = self._get("/1/list/collectors")
        return [(item[0], item[1] or "default", item[2])
                for item in found
                if isinstance(item, list) and len(item) >= 3]

    def report(self, category, name):
        """One collector's report."""
        return self._get("/1/report/%s/%s" % (
            urllib.parse.quote(category, safe=""),
            urllib.parse.quote(name, safe="")))

    def report_all(self):
        """Every collector's report (HTTP 500 if any of them fails)."""
        return self._get("/1/report/all")

    def _get(self, path):
        CALLS.record(self.address, "GET", path)
        try:
            answer = self.session.get(self.base_url + path,
                                      timeout=(self.timeout, self.timeout))
        except requests.exceptions.ConnectTimeout:
            raise MondError(Text(gettext_noop(
                "no connection within %(seconds)gs"),
                {"seconds": self.timeout}))
        except requests.exceptions.ReadTimeout:
            raise MondError(self._no_answer())
        except requests.exceptions.ConnectionError as exc:
            if "Read timed out" in str(exc):
                raise MondError(self._no_answer())
            raise MondError(_connection_reason(exc))
        except requests.exceptions.RequestException as exc:
            raise MondError(Text(gettext_noop(
                "monitoring daemon unreachable: %(cause)s"),
                {"cause": type(exc).__name__}))
        if answer.status_code >= 400:
            detail = " ".join(answer.text.split())[:200]
            if detail:
                raise MondHTTPError(Text(gettext_noop(
                    "HTTP %(code)d: %(detail)s"),
                    {"code": answer.status_code, "detail": detail}),
                    status_code=answer.status_code)
            raise MondHTTPError(Text(gettext_noop("HTTP %(code)d"),
                                     {"code": answer.status_code}),
                                status_code=answer.status_code)
        try:
            return answer.json()
        except ValueError:
            raise MondHTTPError(Text(gettext_noop(
                "the answer is not JSON")))

    def _no_answer(self):
        return Text(NO_ANSWER_WITHIN, {"seconds": self.timeout})


def _connection_reason(exc):
    text = str(exc)
    for needle, reason in rapi._CONNECTION_REASONS:
        if needle in text:
            return Text(reason)
    return Text(gettext_noop("monitoring daemon unreachable"))


# -- what is kept of each collector ---------------------------------------

def _round(value, digits=4):
    return round(value, digits) if isinstance(value, float) else value


def _pick(items, fields):
    """Of each dict in ``items``, the ``fields`` it has."""
    if not isinstance(items, list):
        return None
    return [{k: _round(item[k]) for k in fields if k in item}
            for item in items if isinstance(item, dict)]


def _cpu(data):
    if not isinstance(data, dict) or "cpu_total" not in data:
        return None
    return {"total": _round(data.get("cpu_total")),
            "cpus": [_round(c) for c in data.get("cpus") or []],
            "count": data.get("cpu_number")}


def _drbd(data):
    devices = (data or {}).get("device") if isinstance(data, dict) else data
    return _pick(devices, ("minor", "connectionState", "localRole",
                           "remoteRole", "localState", "remoteState",
                           "instance", "syncStatus"))


COMPACT = {
    "cpu-avg-load": _cpu,
    "xen-cpu-avg-load": lambda data: data or None,
    "lv": lambda data: _pick(data, ("lv_name", "vg_name", "lv_size",
                                    "lv_attr", "instance")),
    "drbd": _drbd,
    "diskstats": lambda data: _pick(data, (
        "name", "readsNum", "secRead", "timeRead", "writes", "secWritten",
        "timeWrite", "ios", "timeIO")),
}


def _compact(name, data):
    """What is kept of a collector's ``data``: the fields the page shows,
    or, for a collector not known here, its data if it is small.
    """
    if name in COMPACT:
        return COMPACT[name](data)
    if len(json.dumps(data)) <= MAX_OTHER_DATA:
        return data
    return OMITTED


def _kept(report):
    return {"category": report.get("category") or "default",
            "timestamp": report.get("timestamp"),
            "data": _compact(report.get("name"), report.get("data"))}


def _failure(exc):
    """A failure as the snapshot keeps it (JSON): the Text's parts."""
    text = getattr(exc, "message", None) or str(exc)
    if isinstance(text, Text):
        return [text.msgid, text.params]
    return [str(text), {}]


def text_of(kept):
    """The Text of a kept failure (translated when shown)."""
    if not kept:
        return None
    msgid, params = kept
    return Text(msgid, params)


# -- reading a node, a cluster -------------------------------------------

def _cache():
    return snapshots._cache()


def _plan_key(cluster, node):
    return "%s%s:%s" % (PLAN_PREFIX, clusters.key_safe(cluster),
                        clusters.key_safe(node))


def read_node(config, node, address):
    """One reading of a node's mond: ``{"address", "error", "reports":
    {collector: {"category", "timestamp", "data"} or {"category",
    "error"}}}``.
    """
    mond = Mond(address, config.mond_port, config.mond_timeout, node)
    deadline = time.monotonic() + NODE_BUDGET * config.mond_timeout
    found = {"address": address, "error": None, "reports": {}}
    plan_key = _plan_key(config.name, node)
    plan = _cache().get(plan_key) or {}
    try:
        if plan.get("all", True):
            try:
                reports = mond.report_all()
            except MondHTTPError:
                plan = {"all": False}
            else:
                _cache().set(plan_key, {"all": True}, PLAN_KEEP)
                for report in reports if isinstance(reports, list) else []:
                    if isinstance(report, dict) and report.get("name"):
                        found["reports"][report["name"]] = _kept(report)
                return found
        collectors = plan.get("collectors")
        if collectors is None:
            collectors = mond.list_collectors()
            _cache().set(plan_key, {"all": False, "collectors": collectors},
                         PLAN_KEEP)
        for name, category, _kind in collectors:
            if time.monotonic() > deadline:
                found["reports"][name] = {"category": category, "error": [
                    gettext_noop("not asked: the daemon answered too "
                                 "slowly"), {}]}
                continue
            try:
                found["reports"][name] = _kept(mond.report(category, name))
            except MondHTTPError as exc:
                found["reports"][name] = {"category": category,
                                          "error": _failure(exc)}
            except MondError as exc:
                if getattr(exc.message, "msgid", None) != NO_ANSWER_WITHIN:
                    raise  # the daemon went away: the node's failure
                found["reports"][name] = {"category": category,
                                          "error": _failure(exc)}
    except MondError as exc:
        found["error"] = _failure(exc)
    return found


def _addresses(config, node_data):
    """``{node: address}`` of the nodes that can be asked, and ``{node:
    failure}`` of those that cannot (offline, no address).
    """
    field = config.mond_address_field
    addresses, skipped = {}, {}
    for data in node_data:
        name = data.get("name")
        address = name if field == "name" else data.get(field)
        if data.get("offline"):
            skipped[name] = [gettext_noop("the node is offline"), {}]
        elif not address:
            skipped[name] = [gettext_noop("the node has no address %(field)s"),
                             {"field": field}]
        else:
            addresses[name] = address
    return addresses, skipped


def _fetch(client):
    """A reading of every node of the cluster (the ``live`` kind)."""
    config = client.cluster
    if not config.mond_enabled:
        return {"disabled": True, "nodes": {}}
    nodes = snapshots.read([config], "nodes")[config.name]
    if not nodes.available:
        raise errors.RapiError(Text(gettext_noop(
            "its nodes are not known yet: %(error)s"),
            {"error": nodes.error or texts.NO_ANSWER_YET}))
    node_data, _groups = nodes.data
    addresses, skipped = _addresses(config, node_data)
    found = {name: {"address": None, "error": why, "reports": {}}
             for name, why in skipped.items()}
    pool = clusters._shared_pool()
    futures = {pool.submit(read_node, config, name, address): name
               for name, address in addresses.items()}
    for future in concurrent.futures.as_completed(futures):
        found[futures[future]] = future.result()
    for name, reading in found.items():
        if reading["error"]:
            LOG.info("cluster %s: node %s: monitoring daemon: %s",
                     config.name, name, english(text_of(reading["error"])))
    return {"disabled": False, "nodes": found}


# Not paced by refresh_cost_factor: a reading costs the cluster's master
# nothing, and a slow daemon is bounded by its timeouts (NODE_BUDGET).
SNAPSHOT = snapshots.register(snapshots.Kind("live", _fetch,
                                             every="live_interval",
                                             paced=False))


# -- what the pages get (JSON) -------------------------------------------

def _text(kept):
    text = text_of(kept)
    return None if text is None else str(text)


def _node_figures(node, live, live_taken, stale_after):
    """One node's figures for the page, texts translated."""
    reading = live.get(node.get("name")) or {}
    reports = reading.get("reports") or {}
    figures = {
        "name": node.get("name"),
        "taken": live_taken,
        "stale": live_taken is None or _now() - live_taken > stale_after,
        "address": reading.get("address"),
        "error": _text(reading.get("error")),
        "memory": {"free": node.get("mfree"), "total": node.get("mtotal"),
                   "node": node.get("mnode")},
        "disk": {"free": node.get("dfree"), "total": node.get("dtotal")},
        "offline": bool(node.get("offline")),
        "cpu": None,
        "collectors": [],
    }
    for name in sorted(reports):
        report = reports[name]
        data = report.get("data")
        figures["collectors"].append({
            "name": name, "category": report.get("category"),
            "error": _text(report.get("error")),
            "note": str(Text(gettext_noop("too large to show")))
            if data == OMITTED else None})
        if report.get("error") or data == OMITTED:
            continue
        if name == "cpu-avg-load" and data:
            cpu = dict(data)
            count = cpu.get("count") or len(cpu.get("cpus") or []) or 1
            cpu["percent"] = round(100.0 * (cpu.get("total") or 0) / count,
                                   2)
            timestamp = report.get("timestamp")
            cpu["timestamp"] = (timestamp / 1e9 if isinstance(
                timestamp, (int, float)) else live_taken)
            figures["cpu"] = cpu
        elif name in ("lv", "drbd", "diskstats"):
            figures[name] = data
        else:
            figures.setdefault("other", {})[name] = data
    return figures


def _read(cluster):
    """The nodes' and the live snapshots of ``cluster`` (by name)."""
    conf = clusters.settings()
    config = conf.cluster(cluster)
    if config is None:
        raise errors.NotFound(None, cluster)
    nodes = snapshots.read([config], "nodes")[cluster]
    live = snapshots.read([config], SNAPSHOT.name)[cluster]
    return conf, config, nodes, live


def _cluster_part(conf, config, nodes, live):
    interval = conf.live_interval
    found = {"cluster": config.name, "interval": interval,
             "mond_enabled": config.mond_enabled,
             "nodes_taken": nodes.taken, "taken": live.taken,
             "error": None, "notice": None}
    if not config.mond_enabled:
        found["notice"] = str(Text(gettext_noop(
            "The monitoring daemons of this cluster are not read "
            "(mond_enabled = false): only RAPI's figures are shown.")))
    if live.error:
        found["error"] = str(live.error)
    elif not live.available:
        found["error"] = str(texts.NO_ANSWER_YET)
    if not nodes.available:
        found["error"] = str(nodes.error or texts.NO_ANSWER_YET)
    return found


def node_figures(cluster, name):
    """``{"cluster", "interval", "error", "node": figures}`` of one node;
    NotFound if the cluster or (once its nodes are known) the node is
    not.
    """
    conf, config, nodes, live = _read(cluster)
    found = _cluster_part(conf, config, nodes, live)
    node_data = [d for d in (nodes.data[0] if nodes.available else [])
                 if d.get("name") == name]
    if nodes.available and not node_data:
        raise errors.NotFound(None, cluster)
    node = node_data[0] if node_data else {"name": name}
    readings = (live.data or {}).get("nodes") or {}
    found["node"] = _node_figures(node, readings, live.taken,
                                  3 * conf.live_interval)
    return found


def cluster_figures(cluster):
    """``{"cluster", "interval", "error", "nodes": [figures]}`` of every
    node of a cluster.
    """
    conf, config, nodes, live = _read(cluster)
    found = _cluster_part(conf, config, nodes, live)
    readings = (live.data or {}).get("nodes") or {}
    found["nodes"] = [
        _node_figures(node, readings, live.taken, 3 * conf.live_interval)
        for node in sorted(nodes.data[0] if nodes.available else [],
                           key=lambda d: d.get("name") or "")]
    return found
