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

"""History of nodes and instances from a Prometheus server (``[metrics]``).

One call of Prometheus' HTTP API is used (:class:`Prometheus`):
``GET /api/v1/query_range?query=&start=&end=&step=``, answering
``{"status": "success", "data": {"resultType": "matrix", "result":
[{"metric": {labels}, "values": [[time, "value"], ...]}]}}``, or
``{"status": "error", "errorType", "error"}`` with an HTTP error status.

The graphs' queries are the ``[metrics]`` options, PromQL with
placeholders (:func:`render`); the names put into them are escaped for a
PromQL double-quoted string. A range name (:data:`RANGES`: hour, day,
week, month, year) gives the span and a step that keeps every series
at 300 points or fewer.

Sharing (simple cache keys, not the snapshots' machinery): the end of a
range is the current time rounded down to the range's step, so every
viewer within one step asks the very same question; its answer (or its
failure) is kept in Django's shared cache under a key of the server,
query, range and end for that step. The first viewer to miss takes a lease
(``cache.add``, atomic in memcached and Redis) and asks Prometheus; the
others wait for its answer (at most ``prometheus_timeout`` and a second)
instead of asking too. So 20 viewers of a graph cause one Prometheus
query per step, and a server that is down or slow is asked once per step,
not once per viewer.

A server that cannot be reached, times out, answers an error or
something that is not its JSON, or whose certificate is not trusted, is
an :class:`PrometheusError` naming the cause (translated on the page, in
English in the log), never an exception on a page. Each distinct failure
is logged once per process (and its end once), without the URL's user or
password.
"""

import hashlib
import logging
import math
import threading
import time
import urllib.parse

import requests

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api.texts import gettext_noop
from ganeti_dashboard.api.texts import Text
from ganeti_dashboard.conf import loader

LOG = logging.getLogger(__name__)

# name -> (seconds shown, step in seconds): at most 300 points each.
RANGES = {
    "hour": (3600, 15),          # 240 points
    "day": (86400, 300),         # 288
    "week": (7 * 86400, 2400),   # 252
    "month": (30 * 86400, 10800),  # 240
    "year": (365 * 86400, 108000),  # 292
}
RANGE_ORDER = ("hour", "day", "week", "month", "year")
MAX_POINTS = 300
# A graph draws (and the cache keeps) this many series at most; a query
# answering more should aggregate (its graph says how many were left out).
MAX_SERIES = 10
# rate() and friends need a window of a few scrapes at least.
MIN_WINDOW = 60
PREFIX = "ganeti-dashboard:prometheus:"
# A failure is kept (and not asked again) this long at most.
FAILURE_KEEP = 15
_now = time.time
_sleep = time.sleep


class PrometheusError(errors.RapiError):
    summary = Text(gettext_noop("Prometheus unreachable"))


class Counter(rapi.CallCounter):
    """Requests sent to Prometheus, for benchmarks and tests."""


CALLS = Counter()


def escape(value):
    """``value`` fit inside a PromQL double-quoted string."""
    return (str(value).replace("\\", "\\\\").replace('"', '\\"')
            .replace("\n", "\\n").replace("\r", "\\r"))


def render(template, step, **names):
    """The PromQL of ``template`` with ``{cluster}``, ``{node}``,
    ``{instance}`` (escaped, :func:`escape`) and ``{window}`` (the step,
    at least :data:`MIN_WINDOW`, as ``<n>s``) replaced. Plain text
    replacement: PromQL's own braces stay as they are.
    """
    query = template.replace("{window}", "%ds" % max(step, MIN_WINDOW))
    for key, value in names.items():
        query = query.replace("{%s}" % key, escape(value))
    return query


def span(range_name, now=None):
    """``(start, end, step)`` of a range name; ``end`` is ``now`` rounded
    down to the step, so that every viewer within a step asks the same.
    """
    seconds, step = RANGES[range_name]
    now = _now() if now is None else now
    end = int(now // step * step)
    return end - seconds, end, step


def _session():
    """A new HTTP session (the tests' fake Prometheus mounts itself on
    it: ``ganeti_dashboard.test.fake_prometheus``).
    """
    return requests.Session()


class Prometheus:
    """A Prometheus server's HTTP API: one method per call."""

    def __init__(self, metrics):
        self.base_url = metrics.prometheus_url.rstrip("/")
        self.timeout = metrics.prometheus_timeout
        self.verify = (False if not metrics.verify_tls
                       else metrics.ca_file or True)
        self.session = _session()
        self.session.headers.update({"Accept": "application/json",
                                     "User-Agent": "ganeti-dashboard"})
        self.session.trust_env = False  # never through an HTTP proxy

    def query_range(self, query, start, end, step):
        """``[{"labels": {...}, "points": [[time, value], ...]}]``; a
        value that is not a finite number (NaN, +Inf) is left out.
        """
        data = self._get("/api/v1/query_range", {
            "query": query, "start": start, "end": end, "step": step})
        if not isinstance(data, dict) or data.get("resultType") != "matrix":
            raise PrometheusError(Text(gettext_noop(
                "Prometheus answered something else than a range of "
                "series")))
        found = []
        for series in data.get("result") or ():
            if not isinstance(series, dict):
                continue
            points = []
            for item in series.get("values") or ():
                try:
                    when, value = float(item[0]), float(item[1])
                except (TypeError, ValueError, IndexError):
                    continue
                if math.isfinite(value):
                    points.append([when, value])
            labels = series.get("metric")
            found.append({"labels": labels if isinstance(labels, dict)
                          else {}, "points": points})
        return found

    def _get(self, path, params):
        CALLS.record("prometheus", "GET", path)
        try:
            answer = self.session.get(self.base_url + path, params=params,
                                      timeout=self.timeout,
                                      verify=self.verify)
        except requests.exceptions.SSLError as exc:
            raise PrometheusError(rapi._tls_reason(exc))
        except requests.exceptions.ConnectTimeout:
            raise PrometheusError(Text(gettext_noop(
                "no connection within %(seconds)gs"),
                {"seconds": self.timeout}))
        except requests.exceptions.ReadTimeout:
            raise PrometheusError(self._no_answer())
        except requests.exceptions.ConnectionError as exc:
            if "Read timed out" in str(exc):
                raise PrometheusError(self._no_answer())
            raise PrometheusError(_connection_reason(exc))
        except requests.exceptions.RequestException as exc:
            raise PrometheusError(Text(gettext_noop(
                "Prometheus unreachable: %(cause)s"),
                {"cause": type(exc).__name__}))
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code >= 400 or not isinstance(body, dict) or (
                body.get("status") != "success"):
            detail = body.get("error") if isinstance(body, dict) else None
            if detail:
                raise PrometheusError(Text(gettext_noop(
                    "Prometheus answered HTTP %(code)d: %(detail)s"),
                    {"code": answer.status_code,
                     "detail": " ".join(str(detail).split())[:300]}),
                    status_code=answer.status_code)
            if answer.status_code >= 400:
                raise PrometheusError(Text(gettext_noop(
                    "Prometheus answered HTTP %(code)d"),
                    {"code": answer.status_code}),
                    status_code=answer.status_code)
            raise PrometheusError(Text(gettext_noop(
                "Prometheus' answer is not its JSON")))
        return body.get("data")

    def _no_answer(self):
        return Text(gettext_noop("Prometheus did not answer within "
                                 "%(seconds)gs"), {"seconds": self.timeout})


def _connection_reason(exc):
    text = str(exc)
    for needle, reason in rapi._CONNECTION_REASONS:
        if needle in text:
            return Text(gettext_noop("Prometheus unreachable: %(cause)s"),
                        {"cause": Text(reason)})
    return Text(gettext_noop("Prometheus unreachable"))


# -- logging each failure once ---------------------------------------------

_logged = {}
_logged_lock = threading.Lock()


def _safe_url(url):
    """``url`` without a user or password."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = "[%s]" % host
    if parts.port:
        host += ":%d" % parts.port
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _note(url, failure):
    """Log a failure (English) when it differs from the last one of
    ``url``, and its end once.
    """
    with _logged_lock:
        last = _logged.get(url)
        if last == failure:
            return
        _logged[url] = failure
    if failure:
        LOG.warning("Prometheus at %s: %s", _safe_url(url), failure)
    elif last:
        LOG.info("Prometheus at %s answers again", _safe_url(url))


# -- the graphs -----------------------------------------------------------

def _key(metrics, query, range_name, end):
    digest = hashlib.sha256("\0".join(
        (metrics.prometheus_url, query, range_name, str(end))
    ).encode("utf-8")).hexdigest()
    return PREFIX + digest


def series(metrics, query, range_name, now=None):
    """The answer of ``query`` over ``range_name``, shared by every viewer
    for a step (module docstring): ``{"series": [...], "start", "end",
    "step"}``, or :class:`PrometheusError`.
    """
    start, end, step = span(range_name, now)
    key = _key(metrics, query, range_name, end)
    cache = snapshots._cache()
    found = cache.get(key)
    if found is None:
        lease = key + ":lease"
        keep = step + FAILURE_KEEP
        if cache.add(lease, 1, int(metrics.prometheus_timeout) + 5):
            try:
                found = _ask(metrics, query, start, end, step)
                cache.set(key, found, keep if "series" in found
                          else min(step, FAILURE_KEEP))
            finally:
                cache.delete(lease)
        else:
            found = _wait(cache, key, metrics.prometheus_timeout + 1)
            if found is None:  # the one asking went away: ask ourselves
                found = _ask(metrics, query, start, end, step)
    if "error" in found:
        raise PrometheusError(found["error"],
                              status_code=found.get("status"))
    return dict(found, start=start, end=end, step=step)


def _ask(metrics, query, start, end, step):
    try:
        found = {"series": Prometheus(metrics).query_range(
            query, start, end, step)}
        if len(found["series"]) > MAX_SERIES:
            found = {"series": found["series"][:MAX_SERIES],
                     "more": len(found["series"]) - MAX_SERIES}
        _note(metrics.prometheus_url, None)
    except PrometheusError as exc:
        _note(metrics.prometheus_url, exc.english)
        # A Text (picklable): each viewer reads it in their own language.
        found = {"error": exc.message, "status": exc.status_code}
    return found


def _wait(cache, key, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _sleep(0.1)
        found = cache.get(key)
        if found is not None:
            return found
    return None


def graphs(scope, cluster, now=None, range_name="hour", **names):
    """Every graph of ``scope`` (``node`` or ``instance``) for one object:
    ``{"configured": bool, "range", "graphs": {graph: {"series", ...} or
    {"error"}}, "error"}``. Never raises for Prometheus' failures: each
    graph carries its own, and ``error`` the first one.
    """
    if range_name not in RANGES:
        raise ValueError(range_name)
    metrics = loader.load().metrics
    answer = {"configured": metrics.enabled, "range": range_name,
              "graphs": {}, "error": None}
    if not metrics.enabled:
        return answer
    down = None
    for (of, graph), template in sorted(metrics.queries.items()):
        if of != scope:
            continue
        if down is not None:
            # The server did not answer: the next graphs are not asked
            # (a hanging one would hold this request a timeout each).
            answer["graphs"][graph] = {"error": down}
            continue
        step = RANGES[range_name][1]
        query = render(template, step, cluster=cluster, **names)
        try:
            answer["graphs"][graph] = series(metrics, query, range_name, now)
        except PrometheusError as exc:
            answer["graphs"][graph] = {"error": str(exc)}
            answer["error"] = answer["error"] or str(exc)
            if exc.status_code is None:
                down = str(exc)
    return answer
