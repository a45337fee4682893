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

"""View parts of the admin panels of one kind of Ganeti object read
through its API module (``api.list_all()``, ``api.get(id)``): nodes,
node groups, networks.
"""

from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages
from horizon.utils import memoized

from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import redirects
from ganeti_dashboard.content import snapshot_notes


def list_all(request, api, say=None):
    """Every cluster's objects (``api.list_all()``: the objects, the
    snapshots they come from, then anything more the panel has to say),
    the clusters that did not answer said on the page, and the rest by
    ``say(request, *more)``; none, said, if the configuration is broken.
    """
    try:
        found, snapshots, *more = api.list_all()
    except loader.ConfigError as exc:
        messages.error(request, str(exc))
        return []
    snapshot_notes.report(request, snapshots)
    if say is not None:
        say(request, *more)
    return found


class FreshObject:
    """Reads the URL's object (``kwargs[id_kwarg]``) once, fresh, by
    ``api.get``, or leaves for ``index_url`` saying ``read_error``: the
    view's object (put it before the view class).
    """

    api = None
    id_kwarg = None  # e.g. "node_id"
    index_url = None
    read_error = None  # "... %s": the reason

    @memoized.memoized_method
    def get_fresh(self):
        return redirects.read_or_leave(
            self.request, lambda: self.api.get(self.kwargs[self.id_kwarg]),
            self.index_url, self.read_error)

    def get_object(self):
        return self.get_fresh()


class CannotContext:
    """An action view whose template says why the object cannot take
    the action (``cannot``), from the object's own ``cannot(action)``.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cannot"] = self.get_object().cannot(self.kwargs["action"])
        return context


class CreateView(access.PolicyView, forms.ModalFormView):
    """A panel's create form, its cluster chosen already when the URL says
    ``?cluster=<name>``.
    """

    submit_label = _("Create")

    def get_initial(self):
        return {"cluster": self.request.GET.get("cluster", "")}
