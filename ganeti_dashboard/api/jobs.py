"""Jobs the dashboard starts: who started them, and which are still running.

Who: every write carries RAPI's ``reason`` parameter, which Ganeti records
as the ``gnt:user`` entry of the job's reason trail, so ``gnt-job info``, the
operations tab and the Jobs panel all show the Keystone user and project.
Ganeti stores only ASCII safely, so names are reduced to ASCII and the ids
are what identifies.

Ganeti 3.0 drops ``reason`` for some jobs (reinstall): for those, the
dashboard records the starter in a tag on the instance,
``openstack:job:<job id>:<user id>:<user>@<project>`` (ASCII, Ganeti's tag
characters, at most 128), added by a tag job that carries the reason trail
itself; the newest few are kept. :func:`recorded_starters` reads them back.

Which are running: Ganeti has no per-instance "pending job" field, and
scanning its job queue is unbounded. The job id of each action is kept in
Django's cache (shared by every Horizon process) under the instance, so a
list page marks those rows transitional without any RAPI call and only their
row updates ask Ganeti how the job is doing.
"""

import logging
import re

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import models

LOG = logging.getLogger(__name__)

PENDING_TTL = 3600
_REASON = re.compile(r"^horizon user=(?P<user>.*?)\((?P<user_id>[^)]*)\) "
                     r"project=(?P<project>.*?)\((?P<project_id>[^)]*)\)$")


def _ascii(text):
    text = str(text or "")
    return text.encode("ascii", "replace").decode().replace("?", "_") \
        .replace("(", "_").replace(")", "_")


def reason(request):
    """The reason-trail text for a job started by this request's user."""
    user = request.user
    return "horizon user=%s(%s) project=%s(%s)" % (
        _ascii(user.username), _ascii(user.id),
        _ascii(getattr(user, "project_name", "")),
        _ascii(getattr(user, "project_id", "")))


# Actions whose Ganeti job leaves the ``reason`` out of its trail.
REASON_DROPPED = ("reinstall",)
STARTER_TAG = "openstack:job:"
STARTER_TAGS_KEPT = 5
_STARTER = re.compile(r"^openstack:job:(?P<job>\d+):(?P<user_id>[^:]*):"
                      r"(?P<user>[^:@]*)@(?P<project>[^:@]*)$")
_TAG_UNSAFE = re.compile(r"[^A-Za-z0-9.+*/_-]")


def _tag_safe(text, length):
    return _TAG_UNSAFE.sub("_", _ascii(text))[:length]


def starter_tag(request, job_id):
    """The tag that says who started ``job_id`` (see module docstring)."""
    user = request.user
    head = "%s%d:%s:" % (STARTER_TAG, int(job_id),
                         _tag_safe(user.id, 64))
    room = max(2, 128 - len(head) - 1)
    return "%s%s@%s" % (head, _tag_safe(user.username, room // 2),
                        _tag_safe(getattr(user, "project_name", ""),
                                  room - room // 2))


def record_starter(client, request, instance, job_id):
    """Tag ``instance`` with who started ``job_id``; drop the oldest
    starter tags beyond :data:`STARTER_TAGS_KEPT`. A failure is logged:
    the job itself has started."""
    tag = starter_tag(request, job_id)
    try:
        client.add_instance_tags(instance.name, [tag],
                                 reason=reason(request))
        old = sorted((t for t in instance.tags if _STARTER.match(t)),
                     key=lambda t: int(_STARTER.match(t).group("job")))
        stale = old[:max(0, len(old) + 1 - STARTER_TAGS_KEPT)]
        if stale:
            client.delete_instance_tags(instance.name, stale,
                                        reason=reason(request))
    except errors.RapiError as exc:
        LOG.warning("cluster %s: could not record who started job %s on "
                    "%s: %s", client.name, job_id, instance.name, exc)


def recorded_starters(tags):
    """``{job id: {"user", "user_id", "project"}}`` from starter tags."""
    found = {}
    for tag in tags or ():
        match = _STARTER.match(tag)
        if match:
            found[int(match.group("job"))] = {
                "user": match.group("user"), "user_id": match.group(
                    "user_id"), "project": match.group("project")}
    return found


def parse_reason(text):
    """``{"user": ..., "user_id": ..., "project": ..., "project_id": ...}``
    for a reason the dashboard wrote; None for any other (e.g. the CLI's).
    """
    match = _REASON.match(text or "")
    return match.groupdict() if match else None


def _cache():
    from django.core.cache import cache
    return cache


def _key(cluster, name):
    return "ganeti-dashboard:pending:%s" % models.object_id(
        cluster, name).replace(" ", "_")[:200]


def remember(cluster, name, job_id, action, label=None):
    _cache().set(_key(cluster, name),
                 {"job": int(job_id), "action": action,
                  "label": label or action}, PENDING_TTL)


def forget(cluster, name):
    _cache().delete(_key(cluster, name))


def pending(cluster, name):
    return _cache().get(_key(cluster, name))


def pending_many(cluster, names):
    """Pending jobs of many instances in one cache round trip."""
    if not names:
        return {}
    keys = {_key(cluster, n): n for n in names}
    found = _cache().get_many(list(keys))
    return {keys[k]: v for k, v in found.items()}


def _creating_key(cluster):
    return "ganeti-dashboard:creating:%s" % cluster


def remember_create(cluster, name, job_id, project_id, sizes=None):
    """A create job in flight: its row shows before Ganeti lists it.

    ``sizes`` (``beparams`` and ``disk.sizes`` as RAPI lists them) let the
    project's usage count the instance before Ganeti does. Kept per cluster
    in one cache entry (read-modify-write: two creates in the same instant
    may lose one placeholder row, never an instance).
    """
    creating = _cache().get(_creating_key(cluster)) or {}
    creating[name] = {"job": int(job_id), "project_id": project_id,
                      "sizes": sizes or {}}
    _cache().set(_creating_key(cluster), creating, PENDING_TTL)
    remember(cluster, name, job_id, "create", "Creating")


def creating(cluster):
    return _cache().get(_creating_key(cluster)) or {}


def creating_many(clusters):
    """``{cluster: creating(cluster)}`` in one cache round trip."""
    keys = {_creating_key(c): c for c in clusters}
    found = _cache().get_many(list(keys)) if keys else {}
    return {keys[k]: v for k, v in found.items() if v}


def pending_of(pairs):
    """``{(cluster, name): pending job}`` of ``(cluster, name)`` pairs, in
    one cache round trip whatever the clusters."""
    keys = {_key(c, n): (c, n) for c, n in pairs}
    found = _cache().get_many(list(keys)) if keys else {}
    return {keys[k]: v for k, v in found.items()}


def finish_create(cluster, name, when):
    """The create job ended well at ``when`` (wall clock): its row stays
    until a snapshot taken since lists the instance (the next page may
    still show one taken before; see ``instances.listing``)."""
    entries = creating(cluster)
    if name in entries:
        entries[name] = dict(entries[name], done=when)
        _cache().set(_creating_key(cluster), entries, PENDING_TTL)


def forget_create(cluster, name):
    entries = creating(cluster)
    if entries.pop(name, None) is not None:
        _cache().set(_creating_key(cluster), entries, PENDING_TTL)
