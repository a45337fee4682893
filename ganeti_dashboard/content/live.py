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

"""The Live tabs of a node's and a cluster's detail page, and the JSON
their graphs poll.

The tab itself holds no figure: it renders at once, and its script asks
the JSON endpoint every ``live_interval`` seconds (``api.monitoring``
reads the daemons, once for all viewers), so no daemon, up, slow or down,
ever holds a page. A failure is in the JSON, per cluster, node and
collector, never an error page.
"""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from horizon import tabs

from ganeti_dashboard.api import errors
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access

RULE = access.rules("ganeti:node:metrics")
# Points each graph keeps in the page (the oldest drop off).
POINTS = 120


class LiveView(access.PolicyView, generic.View):
    """GET: the figures as JSON (:meth:`figures`)."""

    policy_rules = RULE

    def figures(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        try:
            found, status = self.figures(), 200
        except errors.NotFound:
            found, status = {"error": _("not found")}, 404
        except (errors.RapiError, loader.ConfigError) as exc:
            found, status = {"error": str(exc)}, 503
        answer = JsonResponse(found, status=status)
        answer["Cache-Control"] = "no-store"
        return answer


class LiveTab(tabs.Tab):
    """Graphs that fill in the browser; ``url_of(tab)`` says where they
    poll.
    """

    name = gettext_lazy("Live")
    slug = "live"
    template_name = "ganeti_dashboard/_live.html"
    policy_rules = RULE
    scope = "node"

    def url(self):
        raise NotImplementedError

    def get_context_data(self, request):
        interval = loader.load().live_interval
        return {"live_url": self.url(), "interval": interval,
                "points": POINTS, "scope": self.scope}
