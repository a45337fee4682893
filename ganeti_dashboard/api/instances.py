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

"""Instances across clusters, seen and acted on within a scope.

A scope (:mod:`ganeti_dashboard.api.scope`) says what a request may
touch. Every read and write of a single instance goes through :func:`get`
or :func:`act`, which check the scope against a fresh answer from RAPI, so
no URL, form post or bulk post can reach an instance outside it: it is
simply not found.
"""

import bisect
import dataclasses
import heapq

from django.utils.translation import gettext_noop

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instance_devices
from ganeti_dashboard.api import job_starters
from ganeti_dashboard.api import models
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import preconditions
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api import texts

# -- lists: each cluster's snapshot (see api.snapshots) -------------------

# What a list shows of an instance, in the order a snapshot row holds it:
# asked with one /2/query/instance per cluster, no more fields than that.
FIELDS = ("name", "status", "admin_state", "pnode", "snodes", "os", "tags",
          "disk_template", "be/vcpus", "be/maxmem", "disk.sizes", "nic.ips",
          "disk_usage")
NAME, STATUS, PNODE, TAGS = 0, 1, 3, 6
VCPUS, MAXMEM, SIZES, DISK_USAGE = 8, 9, 10, 12


# Asked of the instances themselves. Ganeti 3.0 answers ``pnode`` and
# ``snodes`` slowly for every instance (at thousands of instances they were
# most of the query's time), so those come from the nodes' own lists of
# their instances, which it answers at once.
ASKED = tuple(f for f in FIELDS if f not in ("pnode", "snodes"))


def _fetch(client):
    """A cluster's instances as snapshot rows, sorted by name."""
    primary, secondary = {}, {}
    for node in client.query("node", ("name", "pinst_list", "sinst_list")):
        for name in node.get("pinst_list") or ():
            primary[name] = node["name"]
        for name in node.get("sinst_list") or ():
            secondary.setdefault(name, []).append(node["name"])
    rows = []
    for found in client.query("instance", ASKED):
        found["pnode"] = primary.get(found["name"])
        found["snodes"] = secondary.get(found["name"], [])
        rows.append(tuple(found.get(field) for field in FIELDS))
    return sorted(rows)


SNAPSHOT = snapshots.register(snapshots.Kind("instances", _fetch))


def row_data(row):
    """A snapshot row, shaped as RAPI's answers for :class:`models.Instance`."""
    data = dict(zip(FIELDS, row))
    data["beparams"] = {"vcpus": data.pop("be/vcpus"),
                        "maxmem": data.pop("be/maxmem")}
    for field in ("snodes", "tags", "disk.sizes", "nic.ips"):
        data[field] = data[field] or []
    return data


def _placeholder_row(name, entry):
    """The row of an instance whose create job has not yet listed it."""
    sizes = entry.get("sizes") or {}
    beparams = sizes.get("beparams") or {}
    tags = [models.OWNER_PROJECT_TAG + entry["project_id"]] \
        if entry.get("project_id") else []
    return (name, "creating", None, None, [], None, tags, None,
            beparams.get("vcpus"), beparams.get("maxmem"),
            sizes.get("disk.sizes") or [], [], 0)


@dataclasses.dataclass
class Listing:
    """The scope's instances, in list order (:func:`sort_key`): ``rows``
    of ``(name, cluster, snapshot row)``, and each cluster's
    :class:`snapshots.Snapshot` (its age, its last failure).
    """

    rows: list
    snapshots: dict

    def instances(self, rows=None):
        """:class:`models.Instance` of ``rows`` (default: all), with the
        jobs of ours still pending on them: build only the page's.
        """
        rows = self.rows if rows is None else rows
        pending = pending_jobs.pending_of((cluster, name)
                                          for name, cluster, _row in rows)
        return [models.Instance(cluster, row_data(row),
                                pending=pending.get((cluster, name)))
                for name, cluster, row in rows]


# The rows of a scope merged in list order, per process, one entry per scope
# (the operators' one, one per project viewed), while its snapshots are
# current.
MERGED = snapshots.Derived(size=64)


def _scope_rows(found, owner):
    """``[(name, cluster, row)]`` of the snapshots ``found``, the owner's
    only when ``owner`` is set, in list order; reused while the same
    snapshots are current.
    """
    key = (owner, tuple(sorted(found)))
    generations = tuple(found[name].generation for name in key[1])
    return MERGED.get(key, generations, lambda: _merge(found, owner))


def _merge(found, owner):
    per_cluster = []
    for cluster in sorted(found):
        rows = found[cluster].data or ()
        if owner:
            rows = [row for row in rows if owner in (row[TAGS] or ())]
        per_cluster.append([(row[NAME], cluster, row) for row in rows])
    return list(heapq.merge(*per_cluster))


def listing(scope):
    """The :class:`Listing` of ``scope``, from its clusters' snapshots,
    with rows of instances whose create job has not listed them yet.
    """
    found = snapshots.read(scope.clusters(), SNAPSHOT.name)
    owner = models.OWNER_PROJECT_TAG + scope.project_id \
        if scope.project_id else None
    merged = _scope_rows(found, owner)
    extra = []
    for cluster, creating in pending_jobs.creating_many(found).items():
        rows = found[cluster].data or ()
        taken = found[cluster].taken
        for name, entry in sorted(creating.items()):
            listed = _listed(rows, name)
            done = entry.get("done")
            if done is not None and (listed or (taken is not None
                                                and taken >= done)):
                pending_jobs.forget_create(cluster, name)
                continue
            row = _placeholder_row(name, entry)
            if not listed and (not owner or owner in row[TAGS]):
                extra.append((name, cluster, row))
    if extra:
        merged = list(heapq.merge(merged, sorted(extra)))
    return Listing(merged, found)


def _listed(rows, name):
    """Whether snapshot ``rows`` (sorted by name) hold instance ``name``."""
    index = bisect.bisect_left(rows, name, key=lambda row: row[NAME])
    return index < len(rows) and rows[index][NAME] == name


def last_known(scope, cluster, name):
    """The instance as ``cluster``'s snapshot last showed it (in scope),
    or None: what a row shows while its cluster cannot be asked.
    """
    found = listing(scope.within([c for c in scope.clusters()
                                  if c.name == cluster]))
    rows = [row for row in found.rows if row[0] == name]
    return found.instances(rows)[0] if rows else None


def unavailable(found):
    """``{cluster: why}`` of the snapshots that hold no data."""
    return {name: snap.error or texts.NO_ANSWER_YET
            for name, snap in found.items() if not snap.available}


def sort_key(instance):
    """The order of every instance list: by name, then cluster."""
    return instance.name, instance.cluster


def _placeholder(cluster, name, entry):
    """The instance of a create job that Ganeti does not list yet."""
    pending = {"job": entry["job"], "action": "create",
               "label": "Creating"}
    if entry.get("batch"):
        pending["batch"] = True
    return models.Instance(cluster, row_data(_placeholder_row(name, entry)),
                           pending=pending)


def get(scope, obj_id):
    """One instance, fresh from RAPI; NotFound when outside the scope."""
    cluster, name = models.split_id(obj_id)
    if not scope.has_cluster(cluster):
        raise errors.NotFound("not found")
    try:
        data = clusters.client(cluster).instance(name)
    except errors.NotFound:
        entry = pending_jobs.creating(cluster).get(name)
        if entry is None or "done" in entry:
            raise
        placeholder = _placeholder(cluster, name, entry)
        if not scope.contains(placeholder):
            raise
        return placeholder
    if data.get("name") != name:
        # Ganeti expanded a name that starts another one's: not this.
        raise errors.NotFound("not found")
    instance = models.Instance(cluster, data,
                               pending=pending_jobs.pending(cluster, name))
    if not scope.contains(instance):
        raise errors.NotFound("not found")
    return instance


def refresh_pending(instance):
    """Ask Ganeti about the instance's pending job; settle it when done.

    Returns the job's error text if it failed, else None.
    """
    if not instance.pending or "job" not in instance.pending:
        return None
    client = clusters.client(instance.cluster)
    try:
        job = client.job(instance.pending["job"])
    except errors.NotFound:
        job = {"status": "success"}
    if job["status"] not in ("success", "error", "canceled"):
        return None
    if job["status"] == "success" and instance.pending.get("batch"):
        return _hand_on(client, instance, job)
    # Snapshots taken while the job ran show the state before it.
    snapshots.mark_stale(instance.cluster)
    pending_jobs.forget(instance.cluster, instance.name)
    if job["status"] == "success":
        pending_jobs.finish_create(instance.cluster, instance.name,
                                   snapshots._now())
    else:
        pending_jobs.forget_create(instance.cluster, instance.name)
    instance.pending = None
    if job["status"] != "success":
        from ganeti_dashboard.api import rapi
        return rapi.job_error(job)
    return None


def _hand_on(client, instance, job):
    """A multi-allocation job ended: the instance's row follows the create
    job it submitted for it from now on, or says why it got none.
    """
    from ganeti_dashboard.api import rapi
    started, refused = rapi.multi_alloc_jobs(job)
    snapshots.mark_stale(instance.cluster)
    entry = pending_jobs.creating(instance.cluster).get(instance.name) or {}
    if instance.name in started:
        job_id = started[instance.name]
        pending_jobs.remember_create(
            instance.cluster, instance.name, job_id,
            entry.get("project_id"), entry.get("sizes"))
        instance.pending = {"job": job_id, "action": "create",
                            "label": "Creating"}
        return None
    pending_jobs.forget(instance.cluster, instance.name)
    pending_jobs.forget_create(instance.cluster, instance.name)
    instance.pending = None
    return refused.get(instance.name) or texts.Text(gettext_noop(
        "job %(job)s submitted no create job for it"), {"job": job["id"]})


def _owner_tags(tags):
    return [t for t in tags if t.startswith(models.OWNER_PROJECT_TAG)]


# action -> (label while its job runs, function(client, name, **kwargs))
ACTIONS = {
    "start": ("Starting", lambda c, n, **kw: c.startup_instance(n, **kw)),
    "shutdown": ("Shutting down",
                 lambda c, n, **kw: c.shutdown_instance(n, **kw)),
    "reboot": ("Rebooting", lambda c, n, **kw: c.reboot_instance(n, **kw)),
    "reinstall": ("Reinstalling",
                  lambda c, n, **kw: c.reinstall_instance(n, **kw)),
    "rename": ("Renaming", lambda c, n, **kw: c.rename_instance(n, **kw)),
    "modify": ("Resizing", lambda c, n, **kw: c.modify_instance(n, **kw)),
    "grow_disk": ("Growing disk", lambda c, n, **kw: c.grow_disk(n, **kw)),
    "migrate": ("Migrating", lambda c, n, **kw: c.migrate_instance(n, **kw)),
    "failover": ("Failing over",
                 lambda c, n, **kw: c.failover_instance(n, **kw)),
    "export": ("Exporting",
               lambda c, n, **kw: c.export_instance(n, **kw)),
    "delete": ("Deleting", lambda c, n, **kw: c.delete_instance(n, **kw)),
}
ACTIONS.update(instance_devices.ACTIONS)

# Actions whose rule needs the number of nodes of the cluster.
NEED_NODE_COUNT = ("migrate", "failover", "change_primary",
                   "replace_disks")


def node_count(cluster):
    """How many nodes ``cluster`` has, from its nodes' snapshot; None when
    there is none yet (a rule that needs it then lets Ganeti decide).
    """
    config = clusters.settings().cluster(cluster)
    if config is None:
        return None
    snapshot = snapshots.read([config], "nodes")[cluster]
    return len(snapshot.data[0]) if snapshot.available else None


def check_state(instance, action):
    """Raise :class:`errors.Refused` when the instance's state says Ganeti
    would refuse ``action`` (or it would change nothing): no job is sent.
    """
    count = None
    if action in NEED_NODE_COUNT:
        count = node_count(instance.cluster)
    refusal = preconditions.instance_refusal(action, instance, count)
    if refusal is not None:
        raise errors.Refused("%s: %s" % (instance.name, refusal),
                             instance.cluster, refusal)


def act(request, scope, obj_id, action, **kwargs):
    """Start ``action``'s job on an instance in scope; return the job id.

    The instance is read fresh, and its state checked against the action's
    rule (``api.preconditions``) before anything is sent to Ganeti.
    """
    instance = get(scope, obj_id)
    check_state(instance, action)
    label, call = ACTIONS[action]
    client = clusters.client(instance.cluster)
    job_id = call(client, instance.name, reason=job_starters.reason(request),
                  **kwargs)
    if action in job_starters.REASON_DROPPED:
        job_starters.record_starter(client, request, instance, job_id)
    name = kwargs.get("new_name") or instance.name
    pending_jobs.remember(instance.cluster, name, job_id, action, label)
    return job_id


def set_owner(request, scope, obj_id, project_id, wait=30):
    """Make ``project_id`` the owner (None: unassigned); return job ids.

    Tag jobs take a fraction of a second: they are waited for (bounded), so
    the page that follows shows the new owner and a failure is reported.
    """
    instance = get(scope, obj_id)
    client = clusters.client(instance.cluster)
    reason = job_starters.reason(request)
    started = []
    old = _owner_tags(instance.tags)
    new = models.OWNER_PROJECT_TAG + project_id if project_id else None
    stale = [t for t in old if t != new]
    if stale:
        started.append(client.delete_instance_tags(instance.name, stale,
                                                   reason=reason))
    if new and new not in old:
        started.append(client.add_instance_tags(instance.name, [new],
                                                reason=reason))
    for job_id in started:
        client.wait_for_job(job_id, timeout=wait)
    snapshots.mark_stale(instance.cluster)
    return started


def name_taken(cluster, name):
    """Whether ``cluster`` has an instance named exactly ``name``: one
    query (Ganeti's ``=`` on a name also matches longer names that start
    with it, so the names it answers are compared).
    """
    found = clusters.client(cluster).query(
        "instance", ["name"], ["&", ["=", "name", name]])
    return any(row["name"] == name for row in found)


def names_taken(cluster, names):
    """The ``names`` that ``cluster`` already has, in one query."""
    if not names:
        return []
    wanted = [["=", "name", n] for n in names]
    # Wrapped in "&": a bare lookup fails on one unknown name.
    qfilter = ["&", wanted[0] if len(wanted) == 1 else ["|"] + wanted]
    found = {row["name"] for row in clusters.client(cluster).query(
        "instance", ["name"], qfilter)}
    return [n for n in names if n in found]


def _create_body(request, scope, name, spec):
    """The create request of ``name``: ``spec`` with the owner tags (they
    go in with the create itself, so the instance is never visible without
    its project). Name and IP checks are off: the dashboard cannot assume
    the name resolves in DNS (Ganeti's default).
    """
    tags = list(spec.get("tags", []))
    if scope.project_id:
        tags.append(models.OWNER_PROJECT_TAG + scope.project_id)
    user_id = getattr(request.user, "id", None)
    if user_id:
        tags.append(models.OWNER_USER_TAG + user_id)
    body = dict(spec, name=name, tags=tags, name_check=False,
                ip_check=False)
    body.setdefault("start", True)
    return body


def _remember_create(cluster, scope, name, body, job_id, batch=False):
    pending_jobs.remember_create(
        cluster, name, job_id, scope.project_id, sizes={
            "beparams": body.get("beparams") or {},
            "disk.sizes": [d.get("size") for d in body.get("disks") or []]},
        batch=batch)


def create(request, scope, cluster, name, spec):
    """Start a create job for the scope's project; return the job id."""
    if not scope.has_cluster(cluster):
        raise errors.NotFound("not found")
    body = _create_body(request, scope, name, spec)
    job_id = clusters.client(cluster).create_instance(
        body, reason=job_starters.reason(request))
    _remember_create(cluster, scope, name, body, job_id)
    return job_id


@dataclasses.dataclass
class Batch:
    """What :func:`create_many` started: ``job_ids`` (one
    multi-allocation job, or one create job per instance when the cluster
    does not serve it: ``one_by_one``), and the names it could not start
    with why (``refused``; only one by one, where each is a request).
    """

    job_ids: list
    one_by_one: bool = False
    refused: dict = dataclasses.field(default_factory=dict)


# How a cluster says it has no /2/instances-multi-alloc.
NO_MULTI_ALLOC = (404, 405, 501)


def create_many(request, scope, cluster, names, spec):
    """Create an instance of ``spec`` for each of ``names`` with ONE
    request (``/2/instances-multi-alloc``): one job, which places them all
    and submits a create job per instance. Every row shows the
    multi-allocation job until it ends, then its own create job
    (:func:`refresh_pending`). A cluster that does not serve the resource
    (HTTP 404/405/501; Ganeti 3.0 serves it without listing it in
    ``/2/features``) gets one create request per instance instead.
    Returns a :class:`Batch`.
    """
    if not scope.has_cluster(cluster):
        raise errors.NotFound("not found")
    bodies = [_create_body(request, scope, name, spec) for name in names]
    client = clusters.client(cluster)
    reason = job_starters.reason(request)
    try:
        job_id = client.create_instances(bodies, reason=reason)
    except errors.RapiError as exc:
        if exc.status_code not in NO_MULTI_ALLOC:
            raise
        return _create_one_by_one(client, scope, cluster, names, bodies,
                                  reason)
    for name, body in zip(names, bodies):
        _remember_create(cluster, scope, name, body, job_id, batch=True)
    return Batch([job_id])


def _create_one_by_one(client, scope, cluster, names, bodies, reason):
    batch = Batch([], one_by_one=True)
    for name, body in zip(names, bodies):
        try:
            job_id = client.create_instance(body, reason=reason)
        except errors.RapiError as exc:
            if not batch.job_ids:
                raise
            batch.refused[name] = exc
            continue
        batch.job_ids.append(job_id)
        _remember_create(cluster, scope, name, body, job_id)
    return batch
