"""Instances across clusters, seen and acted on within a scope.

A :class:`Scope` says what a request may touch: every configured cluster and
every instance (Admin panels), or the clusters a Keystone project is mapped
to and only the instances tagged with that project (Project panels). Every
read and write of a single instance goes through :func:`get` or :func:`act`,
which check the scope against a fresh answer from RAPI, so no URL, form post
or bulk post can reach an instance outside it: it is simply not found.
"""

import dataclasses
import functools

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import jobs
from ganeti_dashboard.api import models

# Disk templates whose disks another node can reach, so the instance can
# move (diskless has nothing to move).
MOVABLE_TEMPLATES = ("diskless", "drbd", "sharedfile", "blockdev", "rbd",
                     "ext", "gluster")


@dataclasses.dataclass(frozen=True)
class Scope:
    """``project_id`` None: every project; ``cluster_names`` None: all."""

    project_id: str | None = None
    cluster_names: frozenset | None = None

    def clusters(self):
        conf = clusters.settings()
        return [c for c in conf.clusters
                if self.cluster_names is None or c.name in self.cluster_names]

    def has_cluster(self, name):
        return any(c.name == name for c in self.clusters())

    def within(self, clusters):
        """This scope, on those of ``clusters`` (configs) it has only."""
        names = {c.name for c in clusters}
        return dataclasses.replace(self, cluster_names=frozenset(
            c.name for c in self.clusters() if c.name in names))

    def contains(self, instance):
        return (self.has_cluster(instance.cluster)
                and (self.project_id is None
                     or instance.project_id == self.project_id))


ALL = Scope()


def list_all(scope):
    """Every instance in scope: one bulk list call per cluster, concurrent.

    Returns ``(instances, errors)``; errors maps cluster name to its error.
    """
    return start_list_all(scope)()


def start_list_all(scope):
    """Start :func:`list_all`'s calls; calling the result waits for them.

    The list calls are in flight when this returns, so the caller can do
    other work meanwhile. Each cluster's rows are built in that cluster's
    thread as soon as it answers, while slower clusters are still
    answering; :meth:`PendingList.answered` hands them over as they come.
    """
    return PendingList(clusters.start_fetch_all(
        functools.partial(_cluster_instances, scope), scope.clusters()))


def _bulk_list(client):
    return client.instances(bulk=True)


def _cluster_instances(scope, client):
    """One cluster's instances in ``scope``, with the jobs pending on them."""
    cluster = client.name
    items = [models.Instance(cluster, d) for d in _bulk_list(client)]
    listed = {i.name for i in items}
    items += [_placeholder(cluster, name, entry) for name, entry
              in jobs.creating(cluster).items() if name not in listed]
    items = [i for i in items if scope.contains(i)]
    pending_jobs = jobs.pending_many(cluster, [i.name for i in items])
    for instance in items:
        instance.pending = pending_jobs.get(instance.name)
    return items


def sort_key(instance):
    """The order of every instance list: by name, then cluster."""
    return instance.name, instance.cluster


class PendingList:
    """The list calls of :func:`start_list_all`, under way."""

    def __init__(self, pending):
        self._pending = pending

    def answered(self):
        """``(instances, still_to_answer)`` of each cluster that answers,
        as it does (a cluster that fails is reported by the call)."""
        for _cluster, items, left in self._pending.answered():
            yield items, left

    def __call__(self):
        """``(instances, errors)``, once every cluster has answered: the
        instances of all in :func:`sort_key` order, and the error of each
        cluster that failed, by name. The instances are the objects
        :meth:`answered` handed out."""
        fanout = self._pending.wait()
        found = [instance for _cluster, items in fanout.items()
                 for instance in items]
        found.sort(key=sort_key)
        return found, fanout.errors


def _placeholder(cluster, name, entry):
    """The row of an instance whose create job has not yet listed it."""
    tags = [models.OWNER_PROJECT_TAG + entry["project_id"]] \
        if entry.get("project_id") else []
    data = dict(entry.get("sizes") or {}, name=name, status="creating",
                tags=tags)
    return models.Instance(cluster, data,
                           pending={"job": entry["job"],
                                    "action": "create",
                                    "label": "Creating"})


def get(scope, obj_id):
    """One instance, fresh from RAPI; NotFound when outside the scope."""
    cluster, name = models.split_id(obj_id)
    if not scope.has_cluster(cluster):
        raise errors.NotFound("not found")
    try:
        data = clusters.client(cluster).instance(name)
    except errors.NotFound:
        entry = jobs.creating(cluster).get(name)
        if entry is None:
            raise
        placeholder = _placeholder(cluster, name, entry)
        if not scope.contains(placeholder):
            raise
        return placeholder
    instance = models.Instance(cluster, data,
                               pending=jobs.pending(cluster, name))
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
    # Lists cached while the job ran show the state before it: drop them.
    client.invalidate()
    jobs.forget(instance.cluster, instance.name)
    jobs.forget_create(instance.cluster, instance.name)
    instance.pending = None
    if job["status"] != "success":
        from ganeti_dashboard.api import rapi
        return rapi.job_error(job)
    return None


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
    "delete": ("Deleting", lambda c, n, **kw: c.delete_instance(n, **kw)),
}


def act(request, scope, obj_id, action, **kwargs):
    """Start ``action``'s job on an instance in scope; return the job id."""
    instance = get(scope, obj_id)
    label, call = ACTIONS[action]
    client = clusters.client(instance.cluster)
    job_id = call(client, instance.name, reason=jobs.reason(request),
                  **kwargs)
    if action in jobs.REASON_DROPPED:
        jobs.record_starter(client, request, instance, job_id)
    name = kwargs.get("new_name") or instance.name
    jobs.remember(instance.cluster, name, job_id, action, label)
    return job_id


def set_owner(request, scope, obj_id, project_id, wait=30):
    """Make ``project_id`` the owner (None: unassigned); return job ids.

    Tag jobs take a fraction of a second: they are waited for (bounded), so
    the page that follows shows the new owner and a failure is reported.
    """
    instance = get(scope, obj_id)
    client = clusters.client(instance.cluster)
    reason = jobs.reason(request)
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
    client.invalidate()
    return started


def can_move(instance):
    """(True, None) or (False, reason) for migrate and failover."""
    if instance.disk_template not in MOVABLE_TEMPLATES:
        return False, ("its disk template %s keeps the disks on one node"
                       % instance.disk_template)
    return True, None


def operations(instance, scan=200):
    """Recent Ganeti jobs on this instance, newest first.

    Ganeti keeps no per-instance job index; the newest ``scan`` jobs are
    fetched in one query (by id, so Ganeti reads only those) and those whose
    summary names the instance are kept.
    """
    client = clusters.client(instance.cluster)
    ids = client.job_ids()[:scan]
    needle = "(%s)" % instance.name
    found = [models.Job(instance.cluster, j) for j in client.jobs(ids)
             if any(needle in s for s in j.get("summary") or [])]
    found.sort(key=lambda j: j.job_id, reverse=True)
    starters = jobs.recorded_starters(instance.tags)
    for job in found:
        job.starter = starters.get(job.job_id)
    return found


OPTIONS_TTL = 60


def cluster_options(cluster):
    """What a create form offers on a cluster: OSes, disk templates, nodes,
    instance policy. ``/2/os`` runs a Ganeti job, so the answer is shared
    through Django's cache for a minute.
    """
    from django.core.cache import cache
    key = "ganeti-dashboard:create-options:%s" % cluster
    found = cache.get(key)
    if found is None:
        client = clusters.client(cluster)
        info = client.info()
        ipolicy = info.get("ipolicy") or {}
        bounds = (ipolicy.get("minmax") or [{}])[0]
        found = {
            "os": sorted(client.operating_systems()),
            "disk_templates": [t for t in info.get("enabled_disk_templates")
                               or [] if t in (ipolicy.get("disk-templates")
                                              or [t])],
            "nodes": sorted(client.node_names()),
            "min": bounds.get("min") or {},
            "max": bounds.get("max") or {},
            "default_iallocator": info.get("default_iallocator"),
        }
        cache.set(key, found, OPTIONS_TTL)
    return found


def create(request, scope, cluster, name, spec):
    """Start a create job for the scope's project; return the job id.

    The owner tags go in with the create itself, so the instance is never
    visible without its project. Name and IP checks are off: the dashboard
    cannot assume the name resolves in DNS (Ganeti's default).
    """
    if not scope.has_cluster(cluster):
        raise errors.NotFound("not found")
    tags = list(spec.pop("tags", []))
    if scope.project_id:
        tags.append(models.OWNER_PROJECT_TAG + scope.project_id)
    user_id = getattr(request.user, "id", None)
    if user_id:
        tags.append(models.OWNER_USER_TAG + user_id)
    body = dict(spec, name=name, tags=tags, name_check=False,
                ip_check=False)
    body.setdefault("start", True)
    job_id = clusters.client(cluster).create_instance(
        body, reason=jobs.reason(request))
    jobs.remember_create(cluster, name, job_id, scope.project_id, sizes={
        "beparams": body.get("beparams") or {},
        "disk.sizes": [d.get("size") for d in body.get("disks") or []]})
    return job_id
