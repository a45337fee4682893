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

"""Who started a Ganeti job of the dashboard's, written and read back.

Every write carries RAPI's ``reason`` parameter, which Ganeti records as
the ``gnt:user`` entry of the job's reason trail, so ``gnt-job info``, the
operations tab and the Jobs panel all show the Keystone user and project.
Ganeti stores only ASCII safely, so names are reduced to ASCII and the ids
are what identifies.

Ganeti 3.0 drops ``reason`` for some jobs (reinstall): for those, the
dashboard records the starter in a tag on the instance,
``openstack:job:<job id>:<user id>:<user>@<project>`` (ASCII, Ganeti's tag
characters, at most 128), added by a tag job that carries the reason trail
itself; the newest few are kept. :func:`recorded_starters` reads them back,
:func:`attach_starters` for jobs of a list, and :func:`who` says it on a
page.
"""

import logging
import re

from django.utils.translation import gettext_lazy as _

from ganeti_dashboard.api import errors

LOG = logging.getLogger(__name__)

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


# Actions whose Ganeti job leaves the ``reason`` out of its trail, and
# their opcodes.
REASON_DROPPED = ("reinstall",)
UNATTRIBUTED_OPS = ("OP_INSTANCE_REINSTALL",)
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
    the job itself has started.
    """
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


def attach_starters(client, found):
    """Set ``starter`` of those ``found`` jobs (of one cluster) whose
    reason Ganeti dropped, from their instances' starter tags: one query
    for all of them. Best effort: without it they say "another client".
    """
    names = {}
    for job in found:
        if job.reason:
            continue
        for op in job.data.get("ops") or []:
            op = op or {}
            if op.get("OP_ID") in UNATTRIBUTED_OPS and op.get(
                    "instance_name"):
                names.setdefault(op["instance_name"], []).append(job)
    if not names:
        return
    # Inside "&": a bare "|" of names is a lookup by name, which answers
    # 500 if one of them (a deleted instance) is unknown.
    qfilter = ["&", ["|"] + [["=", "name", name] for name in sorted(names)]]
    try:
        rows = client.query("instance", ("name", "tags"), qfilter)
    except errors.RapiError:
        return
    for row in rows:
        starters = recorded_starters(row.get("tags"))
        for job in names.get(row["name"], ()):
            job.starter = starters.get(job.job_id)


def starter_of(job):
    """``{"user", "user_id", "project", ...}`` of the Keystone user who
    started ``job`` (a :class:`models.Job`) from the dashboard: its reason
    trail, else its instance's starter tag (no ``project_id`` then); None
    for a job started elsewhere.
    """
    return parse_reason(job.reason) or job.starter or None


def who(job):
    """Who started the job (a :class:`models.Job`), as the page says it."""
    starter = starter_of(job)
    if starter:
        return "%s (%s)" % (starter["user"], starter["project"])
    return job.reason or _("Ganeti CLI or another client")
