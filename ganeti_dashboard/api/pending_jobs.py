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

"""Jobs of the dashboard's still running, and instances being created.

Ganeti has no per-object "pending job" field, and scanning its job queue is
unbounded. The jobs of each action are kept in Django's cache (shared by
every Horizon process) under their object, an instance or a node (``kind``),
so a list page marks those rows transitional without any RAPI call and only
their row updates ask Ganeti how the jobs are doing. A create job in flight
is kept per cluster, so that its row shows before Ganeti lists the
instance.
"""

from ganeti_dashboard.api import models

PENDING_TTL = 3600
# Kinds of object: a node and an instance may share a name.
INSTANCE = "pending"
NODE = "node-pending"
GROUP = "group-pending"
NETWORK = "network-pending"


def _cache():
    from django.core.cache import cache
    return cache


def _key(cluster, name, kind=INSTANCE):
    return "ganeti-dashboard:%s:%s" % (kind, models.object_id(
        cluster, name).replace(" ", "_")[:200])


def remember(cluster, name, job_id, action, label=None, batch=False,
             extra=None):
    """An instance's job of ours, started by ``action``; ``batch``: a
    multi-allocation job, which hands the instance on to a create job of
    its own (see ``instances.refresh_pending``); ``extra``: more keys
    (plain values) kept with it, e.g. a move's destination.
    """
    value = dict(extra or {})
    value.update({"job": int(job_id), "action": action,
                  "label": label or action})
    if batch:
        value["batch"] = True
    keep(cluster, name, value, INSTANCE)


def forget(cluster, name):
    keep(cluster, name, None, INSTANCE)


def pending(cluster, name, kind=INSTANCE):
    return _cache().get(_key(cluster, name, kind))


def pending_many(cluster, names, kind=INSTANCE):
    """Pending jobs of many objects of a cluster in one cache round trip."""
    keys = {_key(cluster, n, kind): n for n in names}
    found = _cache().get_many(list(keys)) if keys else {}
    return {keys[k]: v for k, v in found.items()}


def keep(cluster, name, value, kind):
    """Keep ``value`` (anything the cache holds) as the object's pending
    jobs; None forgets them.
    """
    if value:
        _cache().set(_key(cluster, name, kind), value, PENDING_TTL)
    else:
        _cache().delete(_key(cluster, name, kind))


def _creating_key(cluster):
    return "ganeti-dashboard:creating:%s" % cluster


def remember_create(cluster, name, job_id, project_id, sizes=None,
                    batch=False):
    """A create job in flight: its row shows before Ganeti lists it.

    ``sizes`` (``beparams`` and ``disk.sizes`` as RAPI lists them) let the
    project's usage count the instance before Ganeti does. Kept per cluster
    in one cache entry (read-modify-write: two creates in the same instant
    may lose one placeholder row, never an instance).
    """
    creating = _cache().get(_creating_key(cluster)) or {}
    creating[name] = {"job": int(job_id), "project_id": project_id,
                      "sizes": sizes or {}}
    if batch:
        creating[name]["batch"] = True
    _cache().set(_creating_key(cluster), creating, PENDING_TTL)
    remember(cluster, name, job_id, "create", "Creating", batch=batch)


def creating(cluster):
    return _cache().get(_creating_key(cluster)) or {}


def creating_many(clusters):
    """``{cluster: creating(cluster)}`` in one cache round trip."""
    keys = {_creating_key(c): c for c in clusters}
    found = _cache().get_many(list(keys)) if keys else {}
    return {keys[k]: v for k, v in found.items() if v}


def pending_of(pairs):
    """``{(cluster, name): pending job}`` of ``(cluster, name)`` pairs, in
    one cache round trip whatever the clusters.
    """
    keys = {_key(c, n): (c, n) for c, n in pairs}
    found = _cache().get_many(list(keys)) if keys else {}
    return {keys[k]: v for k, v in found.items()}


def finish_create(cluster, name, when):
    """The create job ended well at ``when`` (wall clock): its row stays
    until a snapshot taken since lists the instance (the next page may
    still show one taken before; see ``instances.listing``).
    """
    entries = creating(cluster)
    if name in entries:
        entries[name] = dict(entries[name], done=when)
        _cache().set(_creating_key(cluster), entries, PENDING_TTL)


def forget_create(cluster, name):
    entries = creating(cluster)
    if entries.pop(name, None) is not None:
        _cache().set(_creating_key(cluster), entries, PENDING_TTL)
