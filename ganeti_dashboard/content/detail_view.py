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

"""The one detail page of an object of a list: clusters, instances, nodes,
jobs.

Horizon's ``horizon/common/_detail.html``: the object's tabs, a link back
to its list and, when the list's table has row actions, those of the
object's row.
"""

from django.utils.translation import pgettext_lazy

from horizon import tabs

from ganeti_dashboard.content import access

_YES_NO = {True: pgettext_lazy("Ganeti parameter value", "yes"),
           False: pgettext_lazy("Ganeti parameter value", "no")}


def parameters(mapping):
    """Ganeti's parameters as a detail page lists them: by name, their
    values as Ganeti gives them, but yes/no in the viewer's language.
    """
    return sorted((key, _YES_NO.get(value, value) if isinstance(value, bool)
                   else value) for key, value in (mapping or {}).items())


class DetailView(access.PolicyView, tabs.TabView):
    """Subclasses say ``policy_rules``, ``tab_group_class``,
    ``object_name`` (the object's name in the context and, unless
    :meth:`tab_kwargs` says otherwise, for the tabs), ``table_class`` (the
    list's table, for its row actions; None: none) and ``index_url``, and
    read the object once (:meth:`get_object`).
    """

    template_name = "horizon/common/_detail.html"
    object_name = None
    table_class = None
    index_url = None

    def get_object(self):
        raise NotImplementedError

    def get_index_url(self):
        return self.index_url

    def tab_kwargs(self):
        return {self.object_name: self.get_object()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        context[self.object_name] = obj
        context["url"] = self.get_index_url()
        if self.table_class is not None:
            context["actions"] = self.table_class(
                self.request).render_row_actions(obj)
        return context

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, **self.tab_kwargs(), **kwargs)
