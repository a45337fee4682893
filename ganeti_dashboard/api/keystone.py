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

"""Keystone: project names, and the project tags that map clusters.

Horizon's own Keystone API module does the authenticated calls with the
user's token; this module only adds what the dashboard needs of it.

Which project may use which cluster is the Keystone project tag
``ganeti:cluster:<name>``: operators can also set it with ``openstack
project set --tag``, and there is nothing of ours to keep in sync: every
read asks Keystone.
"""

import contextlib
import dataclasses
import re

from django.utils.translation import gettext_lazy as _
from keystoneauth1 import exceptions as ks_exceptions

from openstack_dashboard.api import keystone as horizon_keystone


NAMES_TTL = 60
NAMES_KEY = "ganeti-dashboard:project-names"
# Keystone's project ids: 32 hex digits from its SQL backend, other
# backends' ids are at most 64 characters too.
PROJECT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
CLUSTER_TAG_PREFIX = "ganeti:cluster:"
# Keystone refuses tags longer than this, or holding '/' or ','.
TAG_MAX = 255
_MEMO = "_ganeti_project_clusters"
_NAME_MEMO = "_ganeti_project_name"


class KeystoneError(Exception):
    """A Keystone call failed; ``str()`` is fit for the page."""


def project_names(request, fresh=False):
    """``{project_id: name}`` of every project (admins only).

    Cached briefly in Django's cache: row updates need one name each. A
    form that offers the projects asks for them ``fresh``: one made a
    moment ago must be there (the cache is then renewed from the answer;
    while Keystone fails, the cached names still do).
    """
    from django.core.cache import cache
    names = cache.get(NAMES_KEY)
    if names is None or fresh:
        try:
            projects, _unused = horizon_keystone.tenant_list(request,
                                                             admin=True)
        except ks_exceptions.ClientException:
            if names is None:
                raise
            return names
        names = {p.id: p.name for p in projects}
        cache.set(NAMES_KEY, names, NAMES_TTL)
    return names


def project_name(request, project_id):
    """The name of project ``project_id`` as Keystone says it now (admins
    only), or None when there is no such project.

    For a project the cached :func:`project_names` do not know yet (made
    since): the cached names are then dropped, so that the next page
    names it too. Remembered on the request (Horizon builds a refused
    form twice). Raises :class:`KeystoneError` when Keystone fails.
    """
    from django.core.cache import cache
    # An id from a form post: nothing that could be read as a path.
    if not PROJECT_ID.fullmatch(project_id or ""):
        return None
    memo = getattr(request, _NAME_MEMO, None)
    if memo is None:
        memo = {}
        setattr(request, _NAME_MEMO, memo)
    if project_id not in memo:
        client = horizon_keystone.keystoneclient(request, admin=True)
        with _calling(_("read project %s") % project_id):
            try:
                memo[project_id] = client.projects.get(project_id).name
            except ks_exceptions.NotFound:
                memo[project_id] = None
        if memo[project_id] is not None:
            cache.delete(NAMES_KEY)
    return memo[project_id]


def cluster_tag(cluster):
    """The project tag that lets a project use ``cluster``.

    The config loader already restricts cluster names; this check keeps a
    name from elsewhere (a form post) from making a tag Keystone would
    refuse or read as a path.
    """
    tag = CLUSTER_TAG_PREFIX + (cluster or "")
    if (not cluster or not tag.isascii() or not tag.isprintable()
            or "/" in tag or "," in tag or len(tag) > TAG_MAX):
        raise ValueError("%r cannot be part of a Keystone project tag"
                         % cluster)
    return tag


def clusters_in_tags(tags):
    """Cluster names named by ``ganeti:cluster:<name>`` tags, as a set."""
    return {t[len(CLUSTER_TAG_PREFIX):] for t in tags or ()
            if t.startswith(CLUSTER_TAG_PREFIX)
            and len(t) > len(CLUSTER_TAG_PREFIX)}


@dataclasses.dataclass
class ProjectMapping:
    """A Keystone project and the clusters its tags map it to.

    ``configured`` (names of the clusters in ganeti-dashboard.conf, or None
    when the file cannot be read) is filled in by the panel, which needs
    to flag tags naming clusters that are not configured.
    """

    id: str
    name: str
    description: str = ""
    enabled: bool = True
    clusters: tuple = ()
    configured: frozenset | None = None
    # Filled in by the Projects panel: api.limits.ProjectLimits and Usage,
    # and {cluster: why} of mapped clusters whose usage cannot be counted.
    limits: object = None
    usage: object = None
    usage_missing: dict | None = None

    @classmethod
    def from_keystone(cls, project):
        return cls(id=project.id, name=project.name,
                   description=getattr(project, "description", "") or "",
                   enabled=getattr(project, "enabled", True),
                   clusters=tuple(sorted(clusters_in_tags(
                       getattr(project, "tags", None)))))

    def unconfigured(self):
        """Mapped clusters that ganeti-dashboard.conf does not know."""
        if self.configured is None:
            return []
        return [c for c in self.clusters if c not in self.configured]

    def unmapped(self):
        """Configured clusters this project may not use yet."""
        return sorted(set(self.configured or ()) - set(self.clusters))


@contextlib.contextmanager
def _calling(what):
    """Turn keystoneauth's exceptions into a :class:`KeystoneError`."""
    try:
        yield
    except ks_exceptions.ConnectionError as exc:
        raise KeystoneError(_("Keystone could not be reached (%(what)s): "
                              "%(error)s") % {"what": what, "error": exc})
    except ks_exceptions.HttpError as exc:
        # keystoneauth's message already ends in "(HTTP <status>)".
        error = exc.message or ""
        if "HTTP %s" % exc.http_status not in error:
            error = "%s (HTTP %s)" % (error, exc.http_status)
        raise KeystoneError(_("Keystone refused to %(what)s: %(error)s")
                            % {"what": what, "error": error})
    except ks_exceptions.ClientException as exc:
        raise KeystoneError(_("Keystone failed to %(what)s: %(error)s")
                            % {"what": what, "error": exc})


def projects_with_clusters(request):
    """Every project (admins only) with its mapped clusters, by name.

    One ``GET /v3/projects``: Keystone returns each project's tags with it.
    """
    client = horizon_keystone.keystoneclient(request, admin=True)
    with _calling(_("list projects")):
        projects = client.projects.list()
    return sorted((ProjectMapping.from_keystone(p) for p in projects),
                  key=lambda p: (p.name.lower(), p.id))


def project(request, project_id, admin=False):
    """One project with its mapped clusters.

    ``GET /v3/projects/{id}``, which a member may make for the project of
    their token (listing projects they may not); ``admin`` picks Horizon's
    admin client, which the admin panel uses for any project.
    """
    client = horizon_keystone.keystoneclient(request, admin=admin)
    with _calling(_("read project %s") % project_id):
        return ProjectMapping.from_keystone(client.projects.get(project_id))


def clusters_of_project(request, project_id):
    """Names of the clusters ``project_id`` may use, as a set.

    Works with a member's token for the token's own project. Remembered on
    the request, so the checks of one page ask Keystone once; a mapping
    change by an operator shows from the next request on. Raises
    :class:`KeystoneError` when Keystone fails or refuses: the caller
    decides, and must not read that as "no clusters" silently.
    """
    memo = getattr(request, _MEMO, None)
    if memo is None:
        memo = {}
        setattr(request, _MEMO, memo)
    if project_id not in memo:
        memo[project_id] = frozenset(project(request, project_id).clusters)
    return set(memo[project_id])


def _forget(request, project_id):
    getattr(request, _MEMO, {}).pop(project_id, None)


def add_mapping(request, project_id, cluster):
    """Let ``project_id`` use ``cluster``; a no-op if it already may.

    Keystone (30.0) answers ``PUT /v3/projects/{id}/tags/{tag}`` of a tag
    the project already has with 400 "non-unique elements", so a 400 is
    checked against the project's tags before it counts as a refusal (the
    tag may have been added meanwhile, by another operator or the CLI).
    """
    def add(client, tag):
        try:
            client.projects.add_tag(project_id, tag)
        except ks_exceptions.BadRequest:
            if tag not in client.projects.list_tags(project_id):
                raise
    _change_mapping(request, project_id, cluster, _("add tag %s"), add)


def remove_mapping(request, project_id, cluster):
    """Take ``cluster`` away from ``project_id``.

    Keystone answers 404 when the tag is already gone (someone else removed
    it); that is what was asked for, so it is not an error.
    """
    def remove(client, tag):
        try:
            client.projects.delete_tag(project_id, tag)
        except ks_exceptions.NotFound:
            pass
    _change_mapping(request, project_id, cluster, _("remove tag %s"), remove)


def _change_mapping(request, project_id, cluster, what, change):
    """``change(client, tag)`` with the admin client, for the tag of
    ``cluster``; what this request remembers of the project's clusters is
    forgotten first.
    """
    tag = cluster_tag(cluster)
    client = horizon_keystone.keystoneclient(request, admin=True)
    _forget(request, project_id)
    with _calling(what % tag):
        change(client, tag)
