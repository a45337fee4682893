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

"""Benchmark at the scale of real sites: prints figures, asserts nothing.

Run through ``tools/bench``, which brings the dev stack's clusters and
Keystone up first. In one run, against the dev stack's two real sandbox
clusters:

1. seeds ``--instances`` instances on each cluster (``tools/ganeti-sandbox
   seed``: written into Ganeti's configuration, reported by real Ganeti
   like any other), removed again at the end unless ``--keep``;
2. the floor: the raw concurrent ``GET /2/instances?bulk=1`` of every
   cluster, answers parsed; and, beside it, a snapshot refresh's own
   fetch (what the dashboard asks instead);
3. Admin > Ganeti > Instances and Project > Ganeti > Instances (demo's
   member) rendered by Django in this process, when no snapshot exists,
   when it is stale, when it is fresh, in alternating rounds; the RAPI
   list calls of each view; whether the first page is the right one;
4. 20 logged-in users on two gunicorn sites sharing one memcached (two
   Horizon hosts of one deployment), each opening the page every 3 s,
   once with the clusters' daemons at normal priority and once at the
   lowest (on a real site they run on machines of their own; here they
   share the two cores with Horizon), with the CPU time they used:
   p50/p95 against one user's median, errors, the list calls each
   cluster got (from the sites' own RAPI log lines); the same 20 without
   pause (pages per second); the workers' memory before and after;
5. worker memory with ``--rss-clusters`` clusters of that size (the two
   configured again under new names), growing with the snapshots, not
   with the views;
6. with ``--big N``: one cluster at N instances, the floor and the page;
7. a real KVM guest's VNC console through ganeti-console-proxy against a
   direct connection (``--console-rounds``; 0 skips it).

Only the sandbox clusters (in the project's own network namespaces) and
loopback Keystone and memcached are contacted.
"""

import argparse
import collections
import concurrent.futures
import os
import re
import statistics
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools", "lib"))
sys.path.insert(0, REPO)

import horizon_site  # noqa: E402
import sandbox_daemons  # noqa: E402
from tests.browser import http  # noqa: E402

STATE = os.environ.get("GANETI_DASHBOARD_STATE",
                       "/var/lib/ganeti-dashboard-dev")
ADMIN = ("admin", os.environ.get("ADMIN_PASSWORD", "adminpw"))
MEMBER = ("demo-member", "demopw")
KEYSTONE = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
SANDBOX = os.path.join(REPO, "tools", "ganeti-sandbox")
# The dev stack's clusters: dashboard name -> (sandbox id, state dir).
CLUSTERS = {"sandbox": ("dash1", "ganeti"), "sandbox2": ("dash2", "ganeti2")}
PREFIX = "bench"
CONSOLE_GUEST = "bench-console.ganeti.test"
ADMIN_URL = "/admin/ganeti_instances/"
MEMBER_URL = "/project/ganeti_instances/"
FLOOR_URL = "/settings/password/"  # Horizon's lightest full page
SETTLE = 0.2  # seconds of quiet before each timing (Ganeti's bookkeeping)


def _env(directory):
    path = os.path.join(STATE, directory, "cluster.env")
    with open(path) as f:
        return dict(line.strip().split("=", 1) for line in f
                    if "=" in line and not line.startswith("#"))


def _clients(settings):
    """RAPI clients of the bench's own, patient enough for a bulk list of
    thousands (no page waits for these).
    """
    import dataclasses

    from ganeti_dashboard.api import rapi
    return {c.name: rapi.RapiClient(dataclasses.replace(
        c, read_timeout=900)) for c in settings.clusters
        if c.name in CLUSTERS}


def _bench_names(client, cluster):
    pattern = re.compile(r"^%s-\d+\.%s\.test$" % (PREFIX,
                                                  CLUSTERS[cluster][0]))
    return [n for n in client.instance_names() if pattern.match(n)]


def _seed(clients, wanted):
    """``wanted`` bench instances on each cluster (``{cluster: count}``)."""
    for cluster, count in wanted.items():
        have = len(_bench_names(clients[cluster], cluster))
        if have == count:
            continue
        sandbox_id = CLUSTERS[cluster][0]
        if have > count:
            subprocess.run([SANDBOX, "--cluster", sandbox_id, "unseed",
                            "--prefix", PREFIX], check=True)
            have = 0
        print("seeding %s with %d instances ..." % (cluster, count - have),
              flush=True)
        subprocess.run([SANDBOX, "--cluster", sandbox_id, "seed",
                        str(count - have), "--prefix", PREFIX], check=True)


def _unseed(clusters):
    for cluster in clusters:
        subprocess.run([SANDBOX, "--cluster", CLUSTERS[cluster][0], "unseed",
                        "--prefix", PREFIX], check=True)


def _setup_django(config):
    site = os.path.join(STATE, "bench-horizon")
    horizon_site.write(site, 0, config)
    horizon_site.build(site)
    sys.path.insert(0, site)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openstack_dashboard.settings"
    import django
    django.setup()


def _login(credentials):
    """A Django test client logged in as ``credentials``."""
    from django.test import Client
    from django.test import utils
    utils.setup_test_environment()  # the login form's context
    browser = Client(HTTP_HOST="127.0.0.1")
    form = browser.get("/auth/login/").context["form"]
    fields = {name: field.initial or "" for name, field in
              form.fields.items()}
    fields.update(username=credentials[0], password=credentials[1])
    answer = browser.post("/auth/login/", fields)
    if answer.status_code != 302:
        raise SystemExit("login of %s failed (HTTP %d)"
                         % (credentials[0], answer.status_code))
    # Timed pages render as a server does, without the test environment's
    # instrumented templates.
    utils.teardown_test_environment()
    return browser


def _ms(seconds):
    return seconds * 1000.0


def _median(values):
    return statistics.median(values) if values else float("nan")


def _p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] \
        if ordered else float("nan")


def _map_demo(clusters):
    """Map demo to every bench cluster (Keystone tags); returns the tags
    to remove again.
    """
    import requests
    token = requests.post(KEYSTONE + "/auth/tokens", timeout=30, json={
        "auth": {"identity": {"methods": ["password"], "password": {
            "user": {"name": ADMIN[0], "domain": {"id": "default"},
                     "password": ADMIN[1]}}},
                 "scope": {"project": {"name": "admin",
                                       "domain": {"id": "default"}}}}}
    ).headers["X-Subject-Token"]
    headers = {"X-Auth-Token": token}
    demo = requests.get(KEYSTONE + "/projects", params={"name": "demo"},
                        headers=headers, timeout=30).json()["projects"][0]
    added = []
    for cluster in clusters:
        url = "%s/projects/%s/tags/ganeti:cluster:%s" % (KEYSTONE,
                                                         demo["id"], cluster)
        if requests.get(url, headers=headers, timeout=30).status_code == 404:
            requests.put(url, headers=headers, timeout=30).raise_for_status()
            added.append(url)

    def undo():
        for url in added:
            requests.delete(url, headers=headers, timeout=30)
    return demo["id"], undo


# -- the floor ---------------------------------------------------------

def _concurrently(clients, call):
    with concurrent.futures.ThreadPoolExecutor(len(clients)) as pool:
        for future in [pool.submit(call, c) for c in clients.values()]:
            future.result()


def _floor(clients, rounds):
    """The raw concurrent bulk fetch, and a snapshot refresh's own fetch,
    of every cluster, alternating: ``(raw times, snapshot fetch times)``.
    A bulk fetch that fails (Ganeti's RAPI gives up on a bulk list of
    10,000 instances with its own 504) is said, and timed as it failed.
    """
    from ganeti_dashboard.api import errors
    from ganeti_dashboard.api import instances as instance_api
    raw, fetch = [], []
    for _ in range(rounds):
        time.sleep(SETTLE)
        started = time.perf_counter()
        try:
            _concurrently(clients, lambda c: c.instances(bulk=True))
        except errors.RapiError as exc:
            print("  the raw bulk fetch failed after %.1f s: %s"
                  % (time.perf_counter() - started, exc))
        raw.append(time.perf_counter() - started)
        time.sleep(SETTLE)
        started = time.perf_counter()
        _concurrently(clients, instance_api.SNAPSHOT.fetch)
        fetch.append(time.perf_counter() - started)
    return raw, fetch


# -- pages rendered in this process -------------------------------------

def _first_page(clients, project_id, size):
    """The ids the first page must show, from the clusters themselves."""
    found = []
    tag = "openstack:project:%s" % project_id if project_id else None
    for cluster, client in clients.items():
        for item in client.query("instance", ["name", "tags"]):
            if tag is None or tag in item["tags"]:
                found.append((item["name"], cluster))
    found.sort()
    return ["%s:%s" % (cluster, name) for name, cluster in found[:size]], \
        len(found)


def _view(browser, url, expected):
    from ganeti_dashboard.api import rapi
    rapi.CALLS.reset()
    time.sleep(SETTLE)
    started = time.perf_counter()
    answer = browser.get(url)
    took = time.perf_counter() - started
    text = answer.content.decode()
    right = answer.status_code == 200 and all(
        'data-object-id="%s"' % obj_id in text for obj_id in expected)
    return took, list(rapi.CALLS.calls), right


def _page_rounds(views, rounds, clusters):
    """Each round, for each ``views`` entry (label -> (client, url,
    expected ids)): the page with no snapshot, fresh, then stale.

    Returns ``{(label, state): [(seconds, RAPI calls, right page)]}``; a
    stale view's calls include the refresh it started behind it, which is
    let finish before the next timing.
    """
    from ganeti_dashboard.api import rapi
    from ganeti_dashboard.api import snapshots
    found = collections.defaultdict(list)
    for _ in range(rounds):
        for label, (browser, url, expected) in views.items():
            snapshots.forget(clusters, "instances")
            found[(label, "none")].append(_view(browser, url, expected))
            snapshots.drain()  # a refresh past snapshot_wait ends first
            found[(label, "fresh")].append(_view(browser, url, expected))
            # Stale by age (past refresh_interval): served at once, and
            # refreshed behind the page.
            snapshots.backdate(clusters, "instances")
            took, _calls, right = _view(browser, url, expected)
            snapshots.drain()
            found[(label, "stale")].append(
                (took, list(rapi.CALLS.calls), right))
    return found


def _list_calls(calls):
    return sum(1 for _c, method, path in calls
               if (method, path) == ("PUT", "/2/query/instance"))


def _report_pages(found, raw_ms, rounds):
    print("page (server time, median of %d rounds)           ms   / floor  "
          "list calls/view  right page" % rounds)
    for (label, state), samples in sorted(found.items()):
        took = _ms(_median([s[0] for s in samples]))
        calls = statistics.mean(_list_calls(s[1]) for s in samples)
        right = sum(1 for s in samples if s[2])
        print("  %-24s %-6s %10.1f  %7.3f  %15.1f  %d/%d"
              % (label, state, took, took / raw_ms, calls, right,
                 len(samples)))


# -- many users on gunicorn ---------------------------------------------

LOGGING_EXTRA = '''
_settings.LOGGING = {{
    "version": 1, "disable_existing_loggers": False,
    "formatters": {{"plain": {{"format": "%(asctime)s %(process)d "
                                        "%(levelname)s %(name)s: %(message)s"}}}},
    "handlers": {{"file": {{"class": "logging.FileHandler",
                          "filename": {log!r}, "formatter": "plain"}}}},
    "loggers": {{"ganeti_dashboard": {{"handlers": ["file"],
                                      "level": "DEBUG",
                                      "propagate": False}},
                "django.request": {{"handlers": ["file"],
                                   "level": "ERROR"}}}},
}}
'''


def _free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _site_rss(site):
    """RSS in MB of each worker of the site's gunicorn."""
    pid = horizon_site._pid(site)
    found = []
    for worker in horizon_site._children(pid) if pid else []:
        try:
            with open("/proc/%d/status" % worker) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        found.append(int(line.split()[1]) / 1024.0)
        except OSError:
            pass
    return found


def _load(config, users, seconds, pause, burst_seconds):
    """Two sites of one deployment, ``users`` logged-in users; prints."""
    import requests
    sites, urls, logs = [], [], []
    for name in ("bench-site-a", "bench-site-b"):
        site = os.path.join(STATE, name)
        log = os.path.join(site, "dashboard.log")
        os.makedirs(site, exist_ok=True)
        port = _free_port()
        urls.append(horizon_site.up(site, port, config,
                                    key_prefix="ganeti-dashboard-bench",
                                    extra=LOGGING_EXTRA.format(log=log)))
        sites.append(site)
        logs.append(log)
    try:
        sessions = [http.session(urls[i % 2], ADMIN) for i in range(users)]
        bases = [urls[i % 2] for i in range(users)]
        for session, base in zip(sessions, bases):
            session.get(base + ADMIN_URL, timeout=300)  # warm, both sites
        rss_idle = [r for site in sites for r in _site_rss(site)]

        alone = _alone(sessions[0], bases[0], ADMIN_URL)
        floor_alone = _alone(sessions[0], bases[0], FLOOR_URL)

        offsets = [os.path.getsize(log) if os.path.exists(log) else 0
                   for log in logs]
        daemons = sandbox_daemons.pids([c[0] for c in CLUSTERS.values()])
        print()
        print("%d users on 2 gunicorn sites (2 workers x 4 threads each, one "
              "memcached), each opening %s every %.0f s for %d s, their starts "
              "spread over the first period:"
              % (users, ADMIN_URL, pause, seconds))
        print("  one user alone, median:  %8.1f ms" % _ms(_median(alone)))
        _paced(sessions, bases, seconds, pause, alone, daemons,
               "the clusters' daemons at normal priority")
        with sandbox_daemons.lowest_priority(daemons):
            _paced(sessions, bases, seconds, pause, alone, daemons,
                   "the clusters' daemons at the lowest CPU priority, as if "
                   "on machines of their own")
            floor, _floor_failures = _users(sessions, bases, seconds, pause,
                                            path=FLOOR_URL)
        counts = _logged_list_calls(logs, offsets)
        print("  Horizon's own lightest page (%s) opened the same way, the "
              "daemons at the lowest priority: alone %.1f ms; p50 %.1f ms, "
              "p95 %.1f ms (p95 / its alone median %.2f)" % (
                  FLOOR_URL, _ms(_median(floor_alone)), _ms(_median(floor)),
                  _ms(_p95(floor)), _p95(floor) / _median(floor_alone)))
        print("  list calls (PUT /2/query/instance) per cluster in those "
              "%d s x 3, both sites together: %s" % (seconds, ", ".join(
                  "%s %d" % item for item in sorted(counts.items()))))

        offsets = [os.path.getsize(log) for log in logs]
        with sandbox_daemons.lowest_priority(daemons):
            latencies, failures = _users(sessions, bases, burst_seconds, 0)
        counts = _logged_list_calls(logs, offsets)
        print("the same %d users without pause for %d s: %.1f pages/s, "
              "p50 %.1f ms, p95 %.1f ms, %d errors; list calls per cluster: "
              "%s" % (users, burst_seconds, len(latencies) / burst_seconds,
                      _ms(_median(latencies)), _ms(_p95(latencies)),
                      len(failures), ", ".join(
                          "%s %d" % item for item in sorted(counts.items()))))
        rss_after = [r for site in sites for r in _site_rss(site)]
        print("gunicorn worker RSS, MB: idle %s -> after %s" % (
            " / ".join("%.0f" % r for r in rss_idle),
            " / ".join("%.0f" % r for r in rss_after)))
    except requests.RequestException as exc:
        print("load test failed: %s" % exc)
    finally:
        for site in sites:
            horizon_site.down(site)


def _alone(session, base, path):
    """Ten views of ``path`` by one user, nobody else on the site."""
    took = []
    for _ in range(10):
        started = time.perf_counter()
        session.get(base + path, timeout=300)
        took.append(time.perf_counter() - started)
        time.sleep(0.3)
    return took


def _rss_with_many(config, count, users, seconds):
    """Worker memory with ``count`` clusters of the seeded size: the dev
    stack's clusters configured again under new names until there are
    ``count`` (each name has a snapshot of its own), on one gunicorn site
    that ``users`` users open every 3 s, twice ``seconds``: memory should
    grow with the snapshots, not with the views.
    """
    with open(config) as f:
        text = f.read()
    sections = re.findall(r"(?ms)^\[cluster:([^\]]+)\]\n(.*?)(?=^\[|\Z)",
                          text)
    copies = ["[cluster:%s-%d]\n%s" % (sections[i % len(sections)][0], i,
                                       sections[i % len(sections)][1])
              for i in range(len(sections), count)]
    site = os.path.join(STATE, "bench-site-many")
    os.makedirs(site, exist_ok=True)
    path = os.path.join(site, "ganeti-dashboard.conf")
    with open(path, "w") as f:
        f.write(text + "\n" + "\n".join(copies))
    url = horizon_site.up(site, _free_port(), path,
                          key_prefix="ganeti-dashboard-bench-many")
    try:
        rss = [("started", _site_rss(site))]
        sessions = [http.session(url, ADMIN) for _ in range(users)]
        for session in sessions[:8]:  # each worker thread, each snapshot
            session.get(url + ADMIN_URL, timeout=300)
        rss.append(("first pages", _site_rss(site)))
        views = 0
        for _ in range(2):
            latencies, _failures = _users(sessions, [url] * users, seconds,
                                          3.0)
            views += len(latencies)
            rss.append(("after %d views" % views, _site_rss(site)))
        print()
        print("gunicorn worker RSS, MB, with %d clusters (%d configured "
              "again under new names) of the seeded size, one site: %s"
              % (count, len(copies), "; ".join(
                  "%s %s" % (label, " / ".join("%.0f" % r for r in found))
                  for label, found in rss)))
    finally:
        horizon_site.down(site)


def _paced(sessions, bases, seconds, pause, alone, daemons, label):
    """One paced run of the users; prints its figures under ``label``."""
    used = sandbox_daemons.cpu_seconds(daemons)
    latencies, failures = _users(sessions, bases, seconds, pause)
    used = sandbox_daemons.cpu_seconds(daemons) - used
    print("  %s (they used %.1f CPU s of the %d):"
          % (label, used, 2 * seconds))
    print("    p50 %8.1f ms, p95 %8.1f ms (p95 / one user's median %.2f), "
          "%d views, %d errors" % (
              _ms(_median(latencies)), _ms(_p95(latencies)),
              _p95(latencies) / _median(alone), len(latencies),
              len(failures)))
    for failure in failures[:5]:
        print("      error: %s" % failure)
    return latencies, failures


def _users(sessions, bases, seconds, pause, path=ADMIN_URL):
    """Each user opens ``path`` every ``pause`` seconds (or, without a
    pause, again as soon as the last answer came). Users start a fraction
    of the pause apart, as people who did not all log in at the same
    instant: started together, they would stay in step and every page
    would queue behind all the others at once.
    """
    latencies, failures = [], []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def user(session, base, offset):
        time.sleep(offset)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                answer = session.get(base + path, timeout=120)
                ok = answer.status_code == 200 and (
                    path != ADMIN_URL or 'id="instances"' in answer.text)
                why = None if ok else "HTTP %d" % answer.status_code
            except Exception as exc:  # a timeout or a closed connection
                why = type(exc).__name__
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                if why:
                    failures.append(why)
            if pause:
                time.sleep(max(0.0, pause - took))

    step = pause / len(sessions) if pause else 0.0
    threads = [threading.Thread(target=user, args=(s, b, i * step))
               for i, (s, b) in enumerate(zip(sessions, bases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def _logged_list_calls(logs, offsets):
    counts = collections.Counter()
    pattern = re.compile(r"cluster (\S+): PUT /2/query/instance$")
    for log, offset in zip(logs, offsets):
        with open(log) as f:
            f.seek(offset)
            for line in f:
                match = pattern.search(line.rstrip())
                if match:
                    counts[match.group(1)] += 1
    return counts


# -- the run -------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=5000,
                        help="instances per cluster (default 5000)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--users", type=int, default=20,
                        help="users of the load test (0: skip it)")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--burst-seconds", type=int, default=30)
    parser.add_argument("--rss-clusters", type=int, default=5,
                        help="clusters for the memory figure (0: skip it)")
    parser.add_argument("--big", type=int, default=10000,
                        help="instances on one cluster for a last run "
                             "(0: skip it)")
    parser.add_argument("--console-rounds", type=int, default=20,
                        help="console opens to time (0: skip the console)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the seeded instances")
    args = parser.parse_args()

    config = os.path.join(STATE, "ganeti-dashboard.conf")
    _setup_django(config)
    from django.conf import settings as django_settings

    from ganeti_dashboard.conf import loader
    settings = loader.load(config)
    clients = _clients(settings)
    clusters = sorted(clients)
    _seed(clients, {c: args.instances for c in clusters})
    demo, unmap = _map_demo(clusters)
    try:
        _run(args, config, settings, clients, clusters, demo,
             django_settings)
    finally:
        unmap()
        if not args.keep:
            _unseed(clusters)


def _run(args, config, settings, clients, clusters, demo, django_settings):
    counts = {c: len(clients[c].instance_names()) for c in clusters}
    print()
    print("clusters: %s; refresh_interval %d s, snapshot_wait %g s"
          % (", ".join("%s (%d instances)" % item for item in
                       sorted(counts.items())),
             settings.refresh_interval, settings.snapshot_wait))
    raw, fetch = _floor(clients, args.rounds)
    raw_ms = _ms(_median(raw))
    print("floor: raw concurrent GET /2/instances?bulk=1 + JSON, median of "
          "%d: %.1f ms (%s)" % (args.rounds, raw_ms, ", ".join(
              "%.0f" % _ms(r) for r in raw)))
    print("a snapshot refresh's own fetch (node and instance queries), "
          "concurrent: %.1f ms (%.3f of the floor)"
          % (_ms(_median(fetch)), _median(fetch) / _median(raw)))

    size = django_settings.API_RESULT_PAGE_SIZE
    views = {}
    admin_ids, admin_total = _first_page(clients, None, size)
    views["Admin, all projects"] = (_login(ADMIN), ADMIN_URL, admin_ids)
    member_ids, member_total = _first_page(clients, demo, size)
    views["Project, demo-member"] = (_login(MEMBER), MEMBER_URL,
                                     member_ids)
    print("first pages: admin %d of %d instances, member %d of %d"
          % (len(admin_ids), admin_total, len(member_ids), member_total))
    found = _page_rounds(views, args.rounds, clusters)
    _report_pages(found, raw_ms, args.rounds)

    if args.users:
        _load(config, args.users, args.load_seconds, 3.0,
              args.burst_seconds)

    if args.users and args.rss_clusters:
        _rss_with_many(config, args.rss_clusters, args.users,
                       args.load_seconds // 2)

    if args.big:
        big = clusters[0]
        _seed(clients, {big: args.big})
        one = {big: clients[big]}
        raw, fetch = _floor(one, 1)
        print()
        print("%s at %d instances: raw GET /2/instances?bulk=1 %.1f ms, a "
              "snapshot refresh's fetch %.1f ms"
              % (big, args.big, _ms(raw[0]), _ms(fetch[0])))
        ids, total = _first_page(clients, None, size)
        found = _page_rounds({"Admin, all projects": (
            views["Admin, all projects"][0], ADMIN_URL, ids)}, 2, clusters)
        _report_pages(found, _ms(raw[0]), 2)

    if args.console_rounds and "sandbox" in clients:
        _console_bench(clients["sandbox"], _env("ganeti"), settings,
                       args.console_rounds)


def _console_bench(client, env, settings, rounds):
    """A KVM guest's VNC console, proxied against direct (target 1.5x)."""
    import tempfile

    import bench_console
    import console_harness
    from ganeti_dashboard.console import tokens

    name = CONSOLE_GUEST
    if name not in client.instance_names():
        print("creating the KVM guest %s ..." % name, flush=True)
        client.wait_for_job(client.create_instance({
            "name": name, "hypervisor": "kvm", "disk_template": "diskless",
            "disks": [], "nics": [{}], "os_type": env["OS"],
            "pnode": env["NODE"], "beparams": {"memory": 128},
            "start": True, "name_check": False, "ip_check": False}))
    try:
        data = client.instance(name)
        host = client.node(data["pnode"])["pip"]
        port = int(data["network_port"])
        console_harness.wait_for(
            lambda: console_harness.can_connect(port, host), 60,
            "QEMU's VNC server of %s" % name)
        # A booting guest keeps a core busy (QEMU emulates its CPU): time
        # the consoles of a guest that has come up, as a user opens them.
        console_harness.wait_for(
            lambda: console_harness.guest_prompt_answers(name), 180,
            "the shell prompt of %s" % name)
        origin = "http://127.0.0.1:8080"
        with tempfile.TemporaryDirectory() as directory:
            proxy_port = console_harness.free_port()
            config = console_harness.write_config(
                os.path.join(directory, "ganeti-dashboard.conf"),
                proxy_url="ws://127.0.0.1:%d" % proxy_port,
                listen_port=proxy_port, allowed_origins=origin,
                secret=settings.console.secret or "bench-console",
                token_store=",".join(settings.console.token_store))
            from ganeti_dashboard.conf import loader
            console = loader.load(config).console
            claims = tokens.Claims(
                user_id="bench", project_id="bench", cluster="sandbox",
                instance=name, kind="vnc", host=host, port=port,
                node=data["pnode"])
            issue_token = bench_console.token_issuer(console, claims)

            proxy = console_harness.Proxy(
                config, proxy_port, os.path.join(directory, "proxy.log"),
                verbose=False)
            plain = bench_console.PlainWebsockify(
                host, port, os.path.join(directory, "websockify.log"))
            try:
                figures = bench_console.measure(
                    console.proxy_url, issue_token, host, port, n=rounds,
                    origin=origin, plain_url=plain.url)
            finally:
                proxy.stop()
                plain.stop()
    finally:
        client.wait_for_job(client.delete_instance(name))
    print()
    bench_console.report(figures, "VNC console of a KVM guest")


if __name__ == "__main__":
    main()
