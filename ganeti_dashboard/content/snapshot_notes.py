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

"""What a list page says about clusters it cannot show as they are now.

Every list reads snapshots (see :mod:`ganeti_dashboard.api.snapshots`): a
cluster with none yet is named with its cause; one whose last refresh
failed, or whose snapshot is older than ``max_snapshot_age``, is shown as
it was, and the page says how long ago. Written once for every list:
clusters, nodes, instances, jobs, and the usage of the Project overview
(:func:`report_usage`); the projects list says it per project, for the
projects mapped to such a cluster only (:func:`unavailable`).
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horizon import messages

from ganeti_dashboard.api import clusters


def age_text(seconds):
    seconds = int(seconds or 0)
    if seconds < 120:
        return ngettext("%d second", "%d seconds", seconds) % seconds
    minutes = seconds // 60
    if minutes < 120:
        return ngettext("%d minute", "%d minutes", minutes) % minutes
    hours = minutes // 60
    return ngettext("%d hour", "%d hours", hours) % hours


def unavailable(found):
    """``{cluster: why}`` of the snapshots of ``found`` that hold no data,
    ``why`` as the page says it.
    """
    return {name: snapshot.error or _("it has not answered yet")
            for name, snapshot in found.items() if not snapshot.available}


def report(request, found):
    """Messages for ``found`` (cluster name -> Snapshot) of one page.
    Returns the names of the clusters it has no snapshot of.
    """
    limit = clusters.settings().max_snapshot_age
    missing = unavailable(found)
    for name, snapshot in sorted(found.items()):
        if name in missing:
            messages.warning(request, _(
                "Cluster %(cluster)s could not be queried: %(error)s")
                % {"cluster": name, "error": missing[name]})
        elif snapshot.error:
            messages.warning(request, _(
                "Cluster %(cluster)s is shown as it was %(age)s ago: it "
                "cannot be queried now: %(error)s")
                % {"cluster": name, "age": age_text(snapshot.age),
                   "error": snapshot.error})
        elif snapshot.age > limit:
            messages.info(request, _(
                "Cluster %(cluster)s is shown as it was %(age)s ago; it is "
                "being queried again.")
                % {"cluster": name, "age": age_text(snapshot.age)})
    return sorted(missing)


def report_usage(request, found):
    """:func:`report` for a page that counts usage from the instance
    snapshots ``found``; whether it can: not when a cluster has none (a
    usage that leaves out a cluster would tell a project it has room it
    has not), and the page then says so.
    """
    if report(request, found):
        messages.warning(request, _(
            "Usage is not shown while a cluster cannot be queried."))
        return False
    return True
