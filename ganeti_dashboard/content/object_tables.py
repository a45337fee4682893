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

"""Table parts of the admin panels whose objects say themselves what an
action cannot do (``cannot(action)``): nodes, node groups, networks.

Each row action opens the panel's modal form of that name (its rule is
the form registry's, :class:`action_view.FormAction`); an action that
cannot apply stays in the menu, disabled, and says why. A row whose
object has a job of ours still running (``api.job_runs.Tracked``) polls
until the job ends (:class:`TrackedRow`, :func:`state_column`).
"""

from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables

from ganeti_dashboard.api import job_runs
from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import actions as instance_actions
from ganeti_dashboard.content import rows


class CannotLink(instance_actions.ActionLink):
    """Disabled, with the reason, where the object's ``cannot(name)``
    says so (the server's check too).
    """

    def allowed(self, request, datum=None):
        return True

    def refusal_of(self, request, datum):
        return datum.cannot(self.name)


def form_link(base, registry, action, label, danger=False):
    """The row action ``<Action>Link`` (a subclass of ``base``) that opens
    the form ``registry[action]`` under its rule.
    """
    classes = ("ajax-modal", "btn-danger") if danger else ("ajax-modal",)
    return type(str("%sLink" % action.title().replace("_", "")), (base,),
                {"name": action, "form": action, "verbose_name": label,
                 "classes": classes,
                 "policy_rules": registry[action].rules})


def create_link(namespace, label, rule):
    """The table action that opens the panel's create form."""
    return type(str("CreateLink"), (tables.LinkAction,),
                {"name": "create", "verbose_name": label,
                 "url": namespace + ":create", "classes": ("ajax-modal",),
                 "icon": "plus", "policy_rules": access.rules(rule)})


def tags_text(obj):
    """A tags column's text."""
    return ", ".join(obj.tags) or "-"


class ObjectRows:
    """A table of objects with an ``id`` (the row's) and a ``name``."""

    def get_object_id(self, datum):
        return datum.id

    def get_object_display(self, datum):
        return datum.name


class TrackedRow(rows.RefreshedRow):
    """A row that Horizon asks again (``?action=row_update``) while its
    state column is not final: each time, the object fresh from ``api``
    (``api.get(id)``) and one call about its jobs; a job that failed is
    said in the page.
    """

    api = None

    def fetch(self, request, obj_id):
        obj = self.api.get(obj_id)
        for text in job_runs.refresh_pending(obj):
            messages.error(request, _("Job on %(name)s failed: %(error)s")
                           % {"name": obj.name, "error": text})
        return obj


def tracked_row(api, model):
    """The row class of a table of ``model`` objects read by ``api``."""
    return type(str("%sRow" % model.__name__), (TrackedRow,),
                {"api": api, "model": model})


def state_column(classes=("ganeti-state",)):
    """The status column of a table of Tracked objects: "Ready", or the
    job of ours still running on the row's object (the row then polls),
    or why its cluster could not tell.
    """
    ready = job_runs.Tracked.READY
    return tables.Column(lambda obj: obj.status_label,
                         verbose_name=_("State"), status=True,
                         status_choices=((ready, True),),
                         display_choices=((ready, _("Ready")),),
                         classes=classes)
