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

"""Instance exports (Ganeti's backups): listed per cluster and node, made
by an instance's Export action, imported by the create workflow.

What Ganeti 3.0's RAPI offers of them, measured on the sandboxes:

* the list is ``/2/query/export`` with the fields ``node`` and
  ``export`` only: no size, no date (they are in the export's
  ``config.ini`` on its node, which RAPI does not read);
* an export is named after its instance, and a new export of an instance
  removes its older ones on every node;
* RAPI has no call that removes an export (``OpBackupRemove`` is
  ``gnt-backup remove`` only).
"""

import dataclasses

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.api import texts
from ganeti_dashboard.api.texts import gettext_noop


def _fetch(client):
    found, silent = client.exports()
    return [[list(row) for row in found], silent]


SNAPSHOT = snapshots.register(snapshots.Kind("exports", _fetch))


@dataclasses.dataclass(frozen=True)
class Export:
    """One export: on ``node`` of ``cluster``, named ``name`` (the name
    of the instance it was made of).
    """

    cluster: str
    node: str
    name: str

    @property
    def id(self):
        """``<cluster>:<node>:<export>``: none of them holds a colon."""
        return "%s:%s:%s" % (self.cluster, self.node, self.name)

    @property
    def value(self):
        """The form value of the export within its cluster."""
        return "%s/%s" % (self.node, self.name)


def split_value(value):
    """``(node, export)`` of a form value ``node/export``."""
    node, _sep, name = (value or "").partition("/")
    if not node or not name:
        raise errors.BadRequest(texts.Text(gettext_noop("no such export")))
    return node, name


def list_all(cluster_names=None):
    """``(exports, snapshots, silent)``: every export of the configured
    clusters (or ``cluster_names``), sorted by cluster, node and name;
    each cluster's snapshot; ``{cluster: [node]}`` of nodes that could
    not list theirs.
    """
    conf = clusters.settings()
    chosen = [c for c in conf.clusters
              if cluster_names is None or c.name in cluster_names]
    found = snapshots.read(chosen, SNAPSHOT.name)
    exports, silent = [], {}
    for name, snap in sorted(found.items()):
        if not snap.available:
            continue
        rows, quiet = snap.data
        exports += [Export(name, node, export) for node, export in rows]
        if quiet:
            silent[name] = quiet
    return exports, found, silent


def of_cluster(cluster):
    """The exports of one cluster, from its snapshot (empty when none)."""
    return list_all([cluster])[0]
