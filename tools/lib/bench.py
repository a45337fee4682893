"""Benchmark: Admin > Ganeti > Instances against the raw RAPI fetch.

Prints figures; asserts nothing. Run through ``tools/bench``, which brings
the dev stack's clusters and Keystone up first. In one process and one run:

1. seeds instances on every sandbox cluster (kept for the next run);
2. times the raw concurrent ``GET /2/instances?bulk=1`` of all clusters;
3. times the Admin Instances page rendered by Django in this process (the
   server's time, no browser), each time with the clusters' cached lists
   dropped, and counts the RAPI calls each view makes; fetch and page
   alternate, each after a short quiet (``SETTLE``); and once more per
   round with Horizon's navigation rendered afresh too (a user's first
   view of the list in a minute, see ``page_blocks``);
4. views the page again within the cache TTL and counts its RAPI calls;
   times Horizon pages without Ganeti (the floor), alone and rendered
   while the raw fetch runs, and Horizon's Keystone project-list call,
   alone and during the raw fetch;
5. opens a real KVM guest's VNC console through ganeti-console-proxy
   (token issue + WebSocket + a VNC client's whole connect) against a
   direct TCP connection to the same VNC server, and against the least
   any WebSocket proxy in Python costs (``bench_console.measure``).

Only the sandbox clusters (in the project's own network namespaces) and
loopback Keystone/memcached are contacted.
"""

import argparse
import collections
import concurrent.futures
import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tools", "lib"))
sys.path.insert(0, REPO)

import horizon_site  # noqa: E402

STATE = os.environ.get("GANETI_DASHBOARD_STATE",
                       "/var/lib/ganeti-dashboard-dev")
ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD", "adminpw")
# Horizon's own floor: full pages that ask no Ganeti cluster, lightest first.
FLOORS = ("/settings/password/", "/settings/")
# Seconds of quiet before each timed fetch or page: Ganeti's daemons go on
# working for a moment after they answer (the RAPI's and luxid's own
# bookkeeping), which would otherwise land in whichever timing comes next.
SETTLE = 0.2
CONSOLE_GUEST = "bench-console.ganeti.test"
FILTER_PARAM = "instances__filter__q"


def _setup_django(config):
    site = os.path.join(STATE, "bench-horizon")
    horizon_site.write(site, 0, config)
    horizon_site.build(site)
    sys.path.insert(0, site)
    os.environ["DJANGO_SETTINGS_MODULE"] = "openstack_dashboard.settings"
    import django
    django.setup()
    # Lets the test client see the login form's context.
    from django.test import utils
    utils.setup_test_environment()


def _bench_name(index, cluster):
    # Numbered first, so that the clusters' instances alternate on the
    # page, as names from several clusters do: page 1 holds some of each.
    return "bench-%03d-%s.ganeti.test" % (index, cluster)


def _seed(clients, per_cluster, envs):
    """Create the bench instances each cluster lacks; delete other
    ``bench-`` instances (older runs' names), except the console guest."""
    from ganeti_dashboard.api import errors
    for name, client in clients.items():
        env = envs[name]
        have = {n for n in client.instance_names() if n.startswith("bench-")}
        wanted = [_bench_name(i, name) for i in range(per_cluster)]
        stale = sorted(have - set(wanted) - {CONSOLE_GUEST})
        missing = [n for n in wanted if n not in have]
        if not missing and not stale:
            continue
        print("seeding %s: %d to create, %d to delete ..."
              % (name, len(missing), len(stale)), flush=True)
        nodes = [env["NODE"]] + ([env["NODE2"]] if env.get("NODE2") else [])
        job_ids = [client.delete_instance(n) for n in stale]
        for i, instance in enumerate(missing):
            job_ids.append(client.create_instance({
                "name": instance, "disk_template": "diskless", "disks": [],
                "nics": [{}], "os_type": env["OS"],
                "pnode": nodes[i % len(nodes)],
                "beparams": {"memory": 128}, "start": i % 2 == 0,
                "name_check": False, "ip_check": False}))
        for job_id in job_ids:
            try:
                client.wait_for_job(job_id, timeout=600)
            except errors.JobFailed as exc:
                print("  job %s failed: %s" % (job_id, exc))


def _median_ms(values):
    return statistics.median(values) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", type=int, default=50,
                        help="instances per cluster to seed (default 50)")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--console-rounds", type=int, default=20,
                        help="console opens to time (0: skip the console)")
    args = parser.parse_args()

    config = os.path.join(STATE, "ganeti-dashboard.conf")
    _setup_django(config)

    from django.test import Client

    from ganeti_dashboard.api import rapi
    from ganeti_dashboard.conf import loader

    settings = loader.load(config)
    envs = {}
    for cluster, directory in (("sandbox", "ganeti"),
                               ("sandbox2", "ganeti2")):
        path = os.path.join(STATE, directory, "cluster.env")
        if os.path.exists(path):
            with open(path) as f:
                envs[cluster] = dict(line.strip().split("=", 1)
                                     for line in f if "=" in line
                                     and not line.startswith("#"))
    raw_clients = {c.name: rapi.RapiClient(c) for c in settings.clusters}
    _seed({n: c for n, c in raw_clients.items() if n in envs},
          args.instances, envs)

    counts = {n: len(c.instance_names()) for n, c in raw_clients.items()}

    def raw_fetch(during=None):
        """The concurrent list calls; ``during()`` runs in this thread
        while they do."""
        with concurrent.futures.ThreadPoolExecutor(len(raw_clients)) as pool:
            calls = [pool.submit(c.instances, bulk=True)
                     for c in raw_clients.values()]
            if during is not None:
                during()
            for call in calls:
                call.result()

    browser = Client(HTTP_HOST="127.0.0.1")
    login_form = browser.get("/auth/login/").context["form"]
    fields = {name: field.initial or "" for name, field in
              login_form.fields.items()}
    fields.update(username="admin", password=ADMIN_PASSWORD)
    answer = browser.post("/auth/login/", fields)
    if answer.status_code != 302:
        raise SystemExit("admin login to Keystone failed (HTTP %d): %s"
                         % (answer.status_code,
                            answer.context and answer.context["form"].errors))
    # Timed pages render as a server does: without the test environment's
    # instrumented templates, which copy each template's context for the
    # test client.
    from django.test import utils
    utils.teardown_test_environment()
    url = "/admin/ganeti_instances/"
    browser.get(url)  # warm Django itself (templates, Keystone names)

    # Horizon pages without Ganeti: the password form is the lightest full
    # page (header, Keystone project list, navigation, scripts); /settings/
    # adds a timezone form of several hundred options (~0.25 s more).
    floor_times = {}
    for floor in FLOORS:
        browser.get(floor)
        floor_times[floor] = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            browser.get(floor)
            floor_times[floor].append(time.perf_counter() - started)

    raw_times, page_times, calls_per_view, beside_times, fresh_times = \
        _time_pages(browser, url, raw_fetch, counts, args.rounds,
                    floor=FLOORS[0])
    # The worst case for the rows written while slower clusters answer:
    # a first page that holds only the slowest cluster's instances, all
    # written after its answer. A name filter (the bench names end in
    # their cluster's) keeps every cluster asked; a cluster filter would
    # ask only that one.
    slowest = _slowest(raw_clients)
    browser.post(url, {FILTER_PARAM: "-%s." % slowest,
                       FILTER_PARAM + "_field": "name"})
    try:
        raw_only, page_only, _calls, _beside, _fresh = _time_pages(
            browser, url, raw_fetch, counts, args.rounds)
    finally:
        browser.post(url, {FILTER_PARAM: "", FILTER_PARAM + "_field":
                           "name"})

    rapi.CALLS.reset()
    answer = browser.get(url)
    warm_calls = list(rapi.CALLS.calls)
    keystone_ms = _keystone_project_list_ms(answer.wsgi_request.user,
                                            raw_fetch, args.rounds)

    raw_ms, page_ms = _median_ms(raw_times), _median_ms(page_times)
    print()
    print("clusters: %s" % ", ".join("%s (%d instances)" % item
                                     for item in sorted(counts.items())))
    print("rounds: %d (medians); each round times the raw fetch, then the "
          "page" % args.rounds)
    print("raw concurrent GET /2/instances?bulk=1: %8.1f ms" % raw_ms)
    print("Admin Instances page, cold cache:      %8.1f ms" % page_ms)
    print("ratio page / raw:                      %8.2f  (target <= 1.20)"
          % (page_ms / raw_ms))
    print("  median of each round's page / raw:   %8.2f"
          % _median_ratio(page_times, raw_times))
    fresh_ms = _median_ms(fresh_times)
    print("same, Horizon's navigation and script tags rendered afresh "
          "(a first view within a minute):")
    print("  %.1f ms, / raw %.2f, median of rounds' ratios %.2f"
          % (fresh_ms, fresh_ms / raw_ms,
             _median_ratio(fresh_times, raw_times)))
    print("same, page 1 filtered to %s's instances by name (all its rows "
          "written after the slowest answer):" % slowest)
    only = (_median_ms(raw_only), _median_ms(page_only))
    print("  raw %.1f ms, page %.1f ms, ratio %.2f, median of rounds' "
          "ratios %.2f" % (only + (only[1] / only[0],
                                   _median_ratio(page_only, raw_only))))
    for floor in FLOORS:
        print("Horizon page without Ganeti, %-19s %8.1f ms"
              % (floor + ":", _median_ms(floor_times[floor])))
    beside_ms = _median_ms(beside_times)
    print("%s rendered while the same fetch runs, then waiting for it:"
          % FLOORS[0])
    print("  %.1f ms, / raw %.2f, median of rounds' ratios %.2f: Horizon's "
          "own page beside the fetch, with no row to write"
          % (beside_ms, beside_ms / raw_ms,
             _median_ratio(beside_times, raw_times)))
    print("  Admin Instances page / that: %.2f" % (page_ms / beside_ms))
    floor_ms = _median_ms(floor_times[FLOORS[0]])
    print("page minus the %s floor, / raw: %8.2f"
          % (FLOORS[0], (page_ms - floor_ms) / raw_ms))
    print("Keystone project list (every Horizon page's header): %.1f ms "
          "alone, %.1f ms during the raw fetch" % keystone_ms)
    per_view = collections.Counter(
        (c, m, p) for view in calls_per_view for c, m, p in view)
    print("RAPI calls per cold page view:")
    for (cluster, method, path), n in sorted(per_view.items()):
        print("  %-10s %-6s %-20s %5.1f"
              % (cluster, method, path, n / args.rounds))
    print("RAPI calls per page view within the cache TTL: %d"
          % len(warm_calls))
    instance_paths = [p for view in calls_per_view for _, _, p in view
                      if p.startswith("/2/instances/")]
    print("per-row RAPI calls: %d" % len(instance_paths))
    if args.console_rounds and "sandbox" in envs:
        _console_bench(raw_clients["sandbox"], envs["sandbox"], settings,
                       args.console_rounds)


def _time_pages(browser, url, raw_fetch, counts, rounds, floor=None):
    """Rounds of the raw fetch and a cold view of ``url``, side by side;
    their times and the RAPI calls of each view. With ``floor`` (a page
    that asks no cluster), each round also renders it while the raw fetch
    runs, then waits for the fetch: Horizon's own page overlapped with the
    list calls as well as it can be, which no page that shows them beats;
    and views ``url`` once more with Horizon's navigation and script tags
    rendered afresh (``page_blocks`` keeps them for a minute): the user's
    first view of the list in that minute.
    """
    from ganeti_dashboard.api import clusters
    from ganeti_dashboard.api import rapi
    from ganeti_dashboard.content import page_blocks

    raw_times, page_times, calls_per_view, beside_times = [], [], [], []
    fresh_times = []
    for _ in range(rounds):
        time.sleep(SETTLE)
        started = time.perf_counter()
        raw_fetch()
        raw_times.append(time.perf_counter() - started)

        if floor is not None:
            time.sleep(SETTLE)
            started = time.perf_counter()
            raw_fetch(during=lambda: browser.get(floor))
            beside_times.append(time.perf_counter() - started)

        for name in counts:
            clusters.client(name).invalidate()
        rapi.CALLS.reset()
        time.sleep(SETTLE)
        started = time.perf_counter()
        answer = browser.get(url)
        page_times.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.status_code
        calls_per_view.append(list(rapi.CALLS.calls))

        if floor is not None:
            for name in counts:
                clusters.client(name).invalidate()
            page_blocks.forget()
            time.sleep(SETTLE)
            started = time.perf_counter()
            browser.get(url)
            fresh_times.append(time.perf_counter() - started)
    return raw_times, page_times, calls_per_view, beside_times, fresh_times


def _median_ratio(pages, raws):
    """The median of each round's page / raw: a drift of the machine's
    speed during the run moves both of a round alike."""
    return statistics.median(p / r for p, r in zip(pages, raws))


def _slowest(clients, rounds=5):
    """The cluster whose list call takes longest, alone."""
    times = {}
    for name, client in clients.items():
        samples = []
        for _ in range(rounds):
            time.sleep(SETTLE)
            started = time.perf_counter()
            client.instances(bulk=True)
            samples.append(time.perf_counter() - started)
        times[name] = statistics.median(samples)
    return max(times, key=times.get)


def _keystone_project_list_ms(user, raw_fetch, rounds):
    """Horizon's Keystone call of every page, alone and beside the fetch.

    The clusters and Keystone share this machine's cores, so the call the
    page makes while the list calls run takes longer than alone.
    """
    from openstack_auth import utils

    def project_list():
        started = time.perf_counter()
        utils.get_project_list(user_id=user.id, auth_url=user.endpoint,
                               token=user.unscoped_token,
                               is_federated=user.is_federated)
        return time.perf_counter() - started

    alone = [project_list() for _ in range(rounds)]
    beside = []
    for _ in range(rounds):
        raw_fetch(during=lambda: beside.append(project_list()))
    return _median_ms(alone), _median_ms(beside)


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
