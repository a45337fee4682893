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

"""Per-project limits, from Keystone's unified limits, and their usage.

The limits are Keystone's (the OpenStack-native quota store):
registered limits of the service of type ``ganeti`` are the defaults, a
project limit overrides one for a project. Usage is counted from the
instances that carry the project's owner tag on the clusters it is mapped
to, so there is nothing of ours to keep in sync: an instance deleted with
the CLI stops counting at once.

The service is found in the user's own token catalog: Keystone lets any
user list limits and registered limits, but not services, so a service
without an endpoint could not be found by a project member. The dev stack
and the DevStack plugin register it with one.

A project limit of -1 means unlimited (Keystone's convention); a resource
without any limit is unlimited too. Enforcement is the flat model: the
project's own usage against its own limit.
"""

import contextlib
import dataclasses
import math
import time
import uuid

from django.utils.translation import gettext_lazy as _
from keystoneauth1 import exceptions as ks_exceptions

from openstack_dashboard.api import keystone as horizon_keystone

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models
from ganeti_dashboard.api import scope as scope_api

SERVICE_TYPE = "ganeti"
UNLIMITED = -1

# resource name -> (label, unit)
RESOURCES = {
    "instances": (_("Instances"), ""),
    "vcpus": (_("vCPUs"), ""),
    "memory_mb": (_("Memory"), "MiB"),
    "disk_gb": (_("Disk"), "GiB"),
}


class LimitError(Exception):
    """Limits or usage could not be read; ``str()`` is fit for the page."""


class LimitExceeded(Exception):
    """The change would take the project over a limit (text: which)."""


@dataclasses.dataclass
class Usage:
    """What a project uses, in the units of :data:`RESOURCES`."""

    instances: int = 0
    vcpus: int = 0
    memory_mb: int = 0
    disk_gb: int = 0

    def get(self, resource):
        return getattr(self, resource)


@dataclasses.dataclass
class Delta:
    """What an action adds; disk in MiB as Ganeti counts it."""

    instances: int = 0
    vcpus: int = 0
    memory_mb: int = 0
    disk_mb: int = 0


def count_rows(rows):
    """The usage of a listing's ``(name, cluster, snapshot row)``
    entries (disk rounded up to whole GiB), read from the rows themselves:
    the Projects panel works out every project's usage over every instance
    of every cluster, and a model of each would cost more than the page.
    """
    usage = Usage()
    disk_mb = 0
    for _name, _cluster, row in rows:
        usage.instances += 1
        usage.vcpus += row[instance_api.VCPUS] or 0
        usage.memory_mb += row[instance_api.MAXMEM] or 0
        disk_mb += sum(s for s in row[instance_api.SIZES] or () if s)
    usage.disk_gb = int(math.ceil(disk_mb / 1024.0))
    return usage


def by_project(rows):
    """``{project id: [entry]}`` of a listing's rows, by owner tag (the
    same tag :class:`models.Instance` reads its project from).
    """
    owned = {}
    for entry in rows:
        project = models.tag_value(entry[2][instance_api.TAGS],
                                   models.OWNER_PROJECT_TAG)
        owned.setdefault(project, []).append(entry)
    return owned


def service_id(request):
    """The id of the ``ganeti`` service in the token's catalog, or None."""
    for service in getattr(request.user, "service_catalog", None) or []:
        if service.get("type") == SERVICE_TYPE:
            return service.get("id")
    return None


@dataclasses.dataclass
class ProjectLimits:
    """Effective limits of a project, and where each comes from.

    ``limits`` maps resource to its number (-1: unlimited, None: none
    set); ``overrides`` maps resource to the id of the project limit that
    sets it, for the resources that have one.
    """

    project_id: str
    service_id: str | None
    limits: dict
    defaults: dict
    overrides: dict

    def limit(self, resource):
        value = self.limits.get(resource)
        return None if value is None or value < 0 else value


def _call(what, call):
    try:
        return call()
    except ks_exceptions.ClientException as exc:
        raise LimitError(_("Keystone could not %(what)s: %(error)s")
                         % {"what": what, "error": exc})


def registered_defaults(request, admin=False):
    """``(service_id, {resource: default})`` of the ganeti service."""
    sid = service_id(request)
    if sid is None:
        return None, {}
    client = horizon_keystone.keystoneclient(request, admin=admin)
    found = _call(_("read the default limits"),
                  lambda: client.registered_limits.list(service=sid))
    return sid, {r.resource_name: r.default_limit for r in found
                 if r.resource_name in RESOURCES}


def project_limits(request, project_id, admin=False):
    """The effective :class:`ProjectLimits` of ``project_id``.

    A member's token lists its own project's limits; ``admin`` uses
    Horizon's admin client, for the operators' panels.
    """
    sid, defaults = registered_defaults(request, admin=admin)
    overrides, values = {}, dict(defaults)
    if sid is not None:
        client = horizon_keystone.keystoneclient(request, admin=admin)
        found = _call(_("read the project's limits"),
                      lambda: client.limits.list(service=sid,
                                                 project_id=project_id))
        for limit in found:
            if (limit.resource_name in RESOURCES
                    and getattr(limit, "project_id", None) == project_id):
                values[limit.resource_name] = limit.resource_limit
                overrides[limit.resource_name] = limit.id
    return ProjectLimits(project_id=project_id, service_id=sid,
                         limits=values, defaults=defaults,
                         overrides=overrides)


def all_project_limits(request):
    """``{project_id: ProjectLimits}`` for every project with an override,
    plus the defaults under the key None; two Keystone calls in all.
    """
    sid, defaults = registered_defaults(request, admin=True)
    found = {None: ProjectLimits(None, sid, dict(defaults), defaults, {})}
    if sid is None:
        return found
    client = horizon_keystone.keystoneclient(request, admin=True)
    for limit in _call(_("list the project limits"),
                       lambda: client.limits.list(service=sid)):
        project_id = getattr(limit, "project_id", None)
        if limit.resource_name not in RESOURCES or not project_id:
            continue
        entry = found.setdefault(project_id, ProjectLimits(
            project_id, sid, dict(defaults), defaults, {}))
        entry.limits[limit.resource_name] = limit.resource_limit
        entry.overrides[limit.resource_name] = limit.id
    return found


def set_project_limits(request, project_id, values):
    """Write ``{resource: number or None}`` as the project's overrides.

    None drops the override (the default applies again). Only what changes
    is written.
    """
    current = project_limits(request, project_id, admin=True)
    if current.service_id is None:
        raise LimitError(_("Keystone has no service of type %s: register "
                           "it to set limits.") % SERVICE_TYPE)
    client = horizon_keystone.keystoneclient(request, admin=True)
    for resource, value in values.items():
        limit_id = current.overrides.get(resource)
        if value is None:
            if limit_id:
                _call(_("remove a limit"),
                      lambda: client.limits.delete(limit_id))
        elif limit_id:
            if current.limits.get(resource) != value:
                _call(_("change a limit"), lambda: client.limits.update(
                    limit_id, resource_limit=value))
        else:
            _call(_("set a limit"), lambda: client.limits.create(
                project=project_id, service=current.service_id,
                resource_name=resource, resource_limit=value))


def usage(scope):
    """The :class:`Usage` of ``scope`` that pages show, counted from the
    clusters' instance snapshots (a change is checked against
    :func:`counted_usage`).

    Raises :class:`LimitError` when a cluster has no snapshot: a usage
    that leaves out a cluster would tell a project it has room it has not.
    """
    found = instance_api.listing(scope)
    _refuse_partial(instance_api.unavailable(found.snapshots))
    return count_rows(found.rows)


def check(limits, used, delta):
    """Raise :class:`LimitExceeded` if ``used`` plus ``delta`` exceeds
    ``limits``; the message names every limit exceeded.
    """
    wanted = {
        "instances": used.instances + delta.instances,
        "vcpus": used.vcpus + delta.vcpus,
        "memory_mb": used.memory_mb + delta.memory_mb,
        "disk_gb": int(math.ceil((used.disk_gb * 1024 + delta.disk_mb)
                                 / 1024.0)),
    }
    grows = {"instances": delta.instances, "vcpus": delta.vcpus,
             "memory_mb": delta.memory_mb, "disk_gb": delta.disk_mb}
    over = []
    for resource, total in wanted.items():
        limit = limits.limit(resource)
        # Shrinking is always allowed, even by a project already over.
        if limit is not None and grows[resource] > 0 and total > limit:
            label, unit = RESOURCES[resource]
            over.append(_("%(label)s: %(total)s%(unit)s of %(limit)s"
                          "%(unit)s allowed (%(used)s%(unit)s in use)") % {
                "label": label, "total": total, "limit": limit,
                "used": used.get(resource),
                "unit": " " + unit if unit else ""})
    if over:
        raise LimitExceeded(_("This would exceed the project's limits: "
                              "%s.") % "; ".join(str(o) for o in over))


def enforce(request, project_id, delta, admin=False):
    """Check ``delta`` against ``project_id``'s limits and usage.

    ``project_id`` None (an instance no project owns) has no limits.
    Raises :class:`LimitExceeded` or :class:`LimitError`. This alone is
    advice (a form's early answer): what admits a change is :func:`admit`.
    """
    if not _grows(project_id, delta):
        return
    limits = project_limits(request, project_id, admin=admin)
    if not any(limits.limit(r) is not None for r in RESOURCES):
        return
    check(limits, counted_usage(scope_api.for_project(request, project_id)),
          delta)


def _grows(project_id, delta):
    return bool(project_id) and any(v > 0
                                    for v in dataclasses.astuple(delta))


# -- admitting a change: one at a time per project -----------------------
#
# Two requests of one project that each check usage and then start a job
# would both pass a limit that has room for one. So the check and the job
# it admits run under a lease of the project, taken in the cache Horizon
# shares between its threads, workers and hosts (``add`` is atomic in
# memcached and Redis); and a job admitted counts against the project
# until it ends, also before Ganeti lists what it makes.

LEASE_TTL = 60   # seconds: a holder that dies frees the lease by then
LEASE_WAIT = 30  # seconds a request waits for another one's check
RESERVED_TTL = 24 * 3600
QUERY_FIELDS = ("name", "be/vcpus", "be/maxmem", "disk.sizes")


def _cache():
    from django.core.cache import cache
    return cache


def _lease_key(project_id):
    return "ganeti-dashboard:limits-lease:%s" % project_id


def _reserved_key(project_id):
    return "ganeti-dashboard:limits-reserved:%s" % project_id


@contextlib.contextmanager
def lease(project_id, wait=LEASE_WAIT):
    """Hold the project's lease: one check-and-start at a time."""
    cache, key, token = _cache(), _lease_key(project_id), uuid.uuid4().hex
    deadline = time.monotonic() + wait
    pause = 0.02
    while not cache.add(key, token, LEASE_TTL):
        if time.monotonic() >= deadline:
            raise LimitError(_(
                "Another change to this project's instances is still being "
                "checked against its limits; try again in a moment."))
        time.sleep(pause)
        pause = min(pause * 2, 0.25)
    try:
        yield
    finally:
        if cache.get(key) == token:
            cache.delete(key)


def admit(request, project_id, delta, start, admin=False, batch=False):
    """Start a change only if ``delta`` fits the project's limits.

    ``start()`` starts the change's Ganeti jobs and returns
    ``(cluster, job ids, instance name, or a list of the names it creates,
    or None)``; it runs under the project's lease, after the check, and
    its jobs count ``delta`` until they end. ``batch``: the job is one
    multi-allocation job, whose create jobs count once it ends. Returns
    what ``start`` returned. Raises :class:`LimitExceeded` or
    :class:`LimitError` (nothing started).
    """
    if not _grows(project_id, delta):
        return start()
    with lease(project_id):
        enforce(request, project_id, delta, admin=admin)
        started = start()
        cluster, job_ids, name = started
        _reserve(project_id, cluster, job_ids, delta, name, batch)
    return started


def _reserve(project_id, cluster, job_ids, delta, name, batch=False):
    """Record admitted jobs (under the lease: no write is lost)."""
    if not job_ids:
        return
    names = list(name) if isinstance(name, (list, tuple)) else \
        [name] if name else []
    cache = _cache()
    entries = cache.get(_reserved_key(project_id)) or []
    entry = {"cluster": cluster, "jobs": [int(j) for j in job_ids],
             "names": names, "delta": dataclasses.asdict(delta)}
    if batch:
        entry["batch"] = True
    entries.append(entry)
    cache.set(_reserved_key(project_id), entries, RESERVED_TTL)


FINAL = ("success", "error", "canceled")


def _entry_running(client, entry):
    """Whether a job of ``entry`` still runs. A multi-allocation job that
    ended well hands the entry on to the create jobs it submitted (and
    what it placed nowhere stops counting): ``entry`` is changed then.
    """
    for job_id in entry["jobs"]:
        try:
            job = client.job(job_id)
        except errors.NotFound:
            continue
        if job["status"] not in FINAL:
            return True
        if job["status"] == "success" and entry.get("batch"):
            from ganeti_dashboard.api import rapi
            started, _refused = rapi.multi_alloc_jobs(job)
            names = _names(entry)
            each = {k: v // max(len(names), 1)
                    for k, v in entry["delta"].items()}
            entry.update(
                jobs=sorted(started.values()),
                names=[n for n in names if n in started],
                delta={k: v * len([n for n in names if n in started])
                       for k, v in each.items()})
            entry.pop("batch")
            entry.pop("name", None)
            return _entry_running(client, entry)
    return False


def _names(entry):
    """The instances an entry creates (entries of older versions have
    one ``name``).
    """
    if "names" in entry:
        return entry["names"]
    return [entry["name"]] if entry.get("name") else []


def _reserved(project_id, listed):
    """What admitted jobs of the project still add: the :class:`Delta` of
    each entry one of whose jobs runs; a create counts only while Ganeti
    does not list its instance yet (``listed``: cluster -> names), a batch
    per instance not listed. Entries whose jobs ended are dropped; one
    whose cluster cannot say counts.
    """
    cache = _cache()
    entries = cache.get(_reserved_key(project_id)) or []
    kept, total, changed = [], Delta(), False
    for entry in entries:
        before = repr(entry)
        try:
            client = clusters.client(entry["cluster"])
            running = _entry_running(client, entry)
        except errors.NotFound:
            running = False  # the cluster is no longer configured
        except errors.RapiError:
            running = True
        changed = changed or repr(entry) != before
        if not running:
            changed = True
            continue
        kept.append(entry)
        names = _names(entry)
        shown = listed.get(entry["cluster"], ())
        unlisted = len([n for n in names if n not in shown])
        for key, value in entry["delta"].items():
            if names:
                value = value * unlisted // len(names)
            setattr(total, key, getattr(total, key) + value)
    if changed:
        cache.set(_reserved_key(project_id), kept, RESERVED_TTL)
    return total


def counted_usage(scope):
    """The :class:`Usage` a change is checked against.

    Fresh from every mapped cluster, never from a cached list: one query
    per cluster for the project's tagged instances, with configuration
    fields only (Ganeti answers them without asking its nodes), plus what
    the project's admitted jobs still add. Raises :class:`LimitError`
    when a cluster does not answer, or when Keystone could not say which
    clusters are the project's (the scope is then empty, not unused).
    """
    if scope.unknown:
        raise LimitError(scope.unknown)
    tag = models.OWNER_PROJECT_TAG + scope.project_id
    fanout = clusters.fetch_all(
        lambda client: client.query("instance", QUERY_FIELDS,
                                    ["=[]", "tags", tag]),
        scope.clusters())
    _refuse_partial(fanout.errors)
    used = Usage()
    disk_mb = 0
    listed = {}
    for cluster, rows in fanout.items():
        listed[cluster] = {row["name"] for row in rows}
        for row in rows:
            used.instances += 1
            used.vcpus += row.get("be/vcpus") or 0
            used.memory_mb += row.get("be/maxmem") or 0
            disk_mb += sum(s for s in row.get("disk.sizes") or [] if s)
    extra = _reserved(scope.project_id, listed)
    used.instances += extra.instances
    used.vcpus += extra.vcpus
    used.memory_mb += extra.memory_mb
    used.disk_gb = int(math.ceil((disk_mb + extra.disk_mb) / 1024.0))
    return used


def _refuse_partial(failures):
    if failures:
        raise LimitError(_("Usage cannot be counted: %s") % "; ".join(
            "%s: %s" % (c, e) for c, e in sorted(failures.items())))


def charts(limits, used):
    """Chart rows (see ``_usage_charts.html``) of ``used`` against
    ``limits``, one per resource; an unlimited one shows no share.
    """
    rows = []
    for resource, (label, unit) in RESOURCES.items():
        limit = limits.limit(resource) if limits else None
        value = used.get(resource) if used else None
        rows.append({
            "resource": resource, "name": label, "unit": unit,
            "used": "-" if value is None else value,
            "total": _("unlimited") if limit is None else limit,
            "pct": 0 if limit is None or value is None
            else min(100, cluster_state.percent(value, limit)),
            "source": _("project limit")
            if limits and resource in limits.overrides
            else _("default"),
        })
    return rows
