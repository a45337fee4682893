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

"""What the Horizon console tab calls: claims in, WebSocket URL out.

The URL is ``<proxy_url>/<kind>?token=<token>``: the path names the console
kind so that the proxy refuses a serial token on the VNC endpoint (and the
other way round), and so reverse proxies and logs can tell them apart. The
token is the only secret in it, good for one connection within
``token_ttl`` seconds. noVNC takes the URL's path and query as its ``path``
parameter (put it in the page URL's fragment so it reaches no server log);
an xterm.js page opens it with ``new WebSocket(url)`` and
``binaryType = "arraybuffer"``.
"""

import time
import urllib.parse

from ganeti_dashboard.console import store as store_mod
from ganeti_dashboard.console import tokens

NODE_PLACEHOLDER = "{node}"


def websocket_url(console, kind, token, node=None):
    """The URL of ``token``'s console on the proxy ``console`` names."""
    base = console.require("proxy_url")
    if NODE_PLACEHOLDER in base:
        if not node:
            raise ValueError("proxy_url names a proxy per node ({node}), but "
                             "the console's node is not known")
        base = base.replace(NODE_PLACEHOLDER, node)
    return "%s/%s?%s" % (base, kind, urllib.parse.urlencode({"token": token}))


def console_link(console, claims, clock=time.time):
    """Issue a token for ``claims`` and return the URL the browser opens.

    ``console`` is ``loader.load().console``. Raises ``ConfigError`` when the
    console is not configured (no secret or proxy_url) and
    :class:`tokens.TokenStoreError` when the token store is down; both have
    a ``str()`` fit for the page.
    """
    secret = console.require("secret")
    console.require("proxy_url")
    token = tokens.issue(secret, claims, store_mod.shared(console),
                         console.token_ttl, clock=clock)
    return websocket_url(console, claims.kind, token, node=claims.node)
