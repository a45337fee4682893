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

"""What a request may reach: which clusters, and whose instances.

A :class:`Scope` is built here and nowhere else. The Admin panels reach
every configured cluster and every instance (:data:`ALL`); a project
reaches the clusters Keystone maps it to (its ``ganeti:cluster:<name>``
tags) and only the instances tagged with it (:func:`for_project`; a
member's own project: :func:`for_member`). Every read and write of an
instance checks its scope (``api.instances.get`` and ``act``), the lists
read only its clusters, and the limits count usage within it.

When Keystone cannot say which clusters a project may use, the scope is
empty and ``unknown`` says why: an unknown mapping never widens what a
member may reach. That is the one way a failure is handled: a page of the
member shows nothing (and says why, :func:`for_member`), and a limit check
refuses (``api.limits``), since an empty scope would count no usage.
"""

import dataclasses

from django.utils.translation import gettext_lazy as _

from horizon import messages

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import keystone as keystone_api

_MEMO = "_ganeti_member_scope"


@dataclasses.dataclass(frozen=True)
class Scope:
    """``project_id`` None: every project; ``cluster_names`` None: all.

    ``unknown``: why the project's clusters could not be read (the scope
    then has none).
    """

    project_id: str | None = None
    cluster_names: frozenset | None = None
    unknown: str | None = None

    def clusters(self):
        return clusters.settings().clusters_named(self.cluster_names)

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


def for_project(request, project_id):
    """The scope of ``project_id``: its tagged instances on the clusters
    mapped to it. Empty, with ``unknown`` set, when Keystone cannot say
    (see the module docstring); never raises for it.
    """
    try:
        names = keystone_api.clusters_of_project(request, project_id)
    except keystone_api.KeystoneError as exc:
        return Scope(project_id=project_id, cluster_names=frozenset(),
                     unknown=str(exc))
    return Scope(project_id=project_id, cluster_names=frozenset(names))


def for_member(request):
    """The scope of the Project panels: :func:`for_project` of the
    request's project, built once per request. When it is unknown, the
    page says why (once).
    """
    scope = getattr(request, _MEMO, None)
    if scope is None:
        scope = for_project(request, request.user.project_id)
        if scope.unknown:
            messages.error(request, _("Cannot read which clusters this "
                                      "project may use: %s") % scope.unknown)
        setattr(request, _MEMO, scope)
    return scope
