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

"""The instances list's filter: applied on the server, before paging.

:class:`ServerFilter` is the filter box Horizon shows; :func:`filter_clusters`
and :func:`filter_rows` apply what it holds to the clusters to read and to
their snapshots' rows.
"""

from django.utils.translation import gettext_lazy as _

from horizon import tables

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import models


class ServerFilter(tables.FilterAction):
    """Filters applied on the server, over every cluster, before paging."""

    filter_type = "server"
    filter_choices = (
        ("name", _("Name ="), True),
        ("cluster", _("Cluster ="), True),
        ("status", _("Status ="), True),
        ("node", _("Primary node ="), True),
    )


def _filter_value(value):
    return (value or "").strip().lower()


def filter_clusters(clusters, field, value):
    """The clusters whose instances a filter ``field = value`` can show:
    all of them, unless it filters on the cluster (as :func:`filter_rows`
    does).
    """
    value = _filter_value(value)
    if field != "cluster" or not value:
        return clusters
    return [c for c in clusters if value in c.name.lower()]


_OWNER = models.OWNER_PROJECT_TAG


def owner_of(row):
    """The id of the project a snapshot row's instance belongs to, or
    None.
    """
    for tag in row[instance_api.TAGS] or ():
        if tag.startswith(_OWNER):
            return tag[len(_OWNER):]
    return None


def filter_rows(rows, field, value, project_names):
    """The listing rows (``(name, cluster, snapshot row)``) that the
    server-side filter ``field = value`` keeps (case-insensitive; a part
    of the text matches). ``project_names()`` gives ``{id: name}``, asked
    only for the project filter.
    """
    value = _filter_value(value)
    if not field or not value:
        return rows
    if field == "name":
        return [r for r in rows if value in r[0].lower()]
    if field == "cluster":
        return [r for r in rows if value in r[1].lower()]
    if field == "node":
        return [r for r in rows
                if value in (r[2][instance_api.PNODE] or "").lower()]
    if field == "status":
        def text(status):
            return ("%s %s" % (status, models.STATUS_LABELS.get(
                status, status))).lower()
        return [r for r in rows if value in text(r[2][instance_api.STATUS])]
    if field == "project":
        names = project_names()

        def project(row):
            owner = owner_of(row)
            return ("%s %s" % (names.get(owner) or "",
                               owner or "unassigned")).lower()
        return [r for r in rows if value in project(r[2])]
    return rows
