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

"""The console tab and what the console pages are given.

Where a console listens comes from
:mod:`ganeti_dashboard.api.console_endpoints`; the token and its WebSocket
URL from :mod:`ganeti_dashboard.console` (the proxy's package). The tab is
loaded only when it is opened (never a console call per row or page view);
it says which consoles the instance has, or Ganeti's reason when it has
none, and frames the console page of the first. Each console page load
issues its own token (see :mod:`ganeti_dashboard.console.tokens`): the
browser gets a WebSocket URL holding an opaque, single-use token, and
nothing else: no node address, no RAPI credential, no VNC password.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from horizon import tabs

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import console_endpoints
from ganeti_dashboard.api import errors
from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import links
from ganeti_dashboard.console import tokens
from ganeti_dashboard import static_assets

RULE = (("ganeti", "ganeti:instance:console"),)
LABELS = {"vnc": _("VNC"), "serial": _("Serial console")}


def unavailable():
    """Why no console page can work on this Horizon, or None."""
    try:
        console = clusters.settings().console
        console.require("secret")
        console.require("proxy_url")
    except loader.ConfigError as exc:
        return _("Consoles are not set up on this dashboard: %s") % exc
    if static_assets.missing():
        return _("Consoles are not set up on this dashboard: the console "
                 "libraries (noVNC, xterm.js) are not installed.")
    return None


def page_context(request, instance, kind):
    """``{"ws_url": ...}`` for a console page, or ``{"error": ...}``."""
    why = unavailable()
    if why:
        return {"error": why}
    try:
        found = console_endpoints.resolve(instance)
    except errors.RapiError as exc:
        return {"error": _("Ganeti cannot say where the console is: %s")
                % exc}
    target = found.target(kind)
    if target is None:
        return {"error": found.message or _(
            "The instance has no %s.") % LABELS[kind]}
    claims = tokens.Claims(
        user_id=request.user.id, project_id=request.user.project_id,
        cluster=instance.cluster, instance=instance.name, kind=kind,
        node=target.node,
        **({"host": target.host, "port": target.port} if kind == "vnc"
           else {"socket_path": target.socket_path}))
    try:
        url = links.console_link(clusters.settings().console, claims)
    except (loader.ConfigError, tokens.TokenError) as exc:
        return {"error": str(exc)}
    return {"ws_url": url, "kind": kind, "label": LABELS[kind]}


class ConsoleTab(tabs.Tab):
    name = _("Console")
    slug = "console"
    template_name = "ganeti_dashboard/instances/_detail_console.html"
    policy_rules = RULE
    preload = False

    def get_context_data(self, request):
        instance = self.tab_group.kwargs["instance"]
        namespace = self.tab_group.kwargs["namespace"]
        why = unavailable()
        found = None
        if not why:
            try:
                found = console_endpoints.resolve(instance)
            except errors.RapiError as exc:
                # Said in the tab only: the tab is loaded by AJAX, so a
                # Horizon message would show on whatever page comes next.
                why = _("Unable to find the console: %s") % exc
        kinds = [{"kind": kind, "label": LABELS[kind],
                  "url": reverse("%s:console" % namespace,
                                 args=[instance.id, kind])}
                 for kind in (found.kinds if found else [])]
        return {"instance": instance, "kinds": kinds,
                "message": why or (found.message if found else None)}
