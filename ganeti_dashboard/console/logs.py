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

"""The proxy's logging: to stderr, and never a token.

The handler already strips ``?token=`` from the request before websockify
can log it. This is the second belt: every line the proxy writes, exception
texts included, goes through :func:`redact`, so a token that some message
still carried (a malformed request line logged by http.server, say) is
masked too.
"""

import logging
import re
import sys

_TOKEN = re.compile(r"(token=)[^&\s'\"]+", re.IGNORECASE)
# The thread names the connection (console-<client address>:<port>).
FORMAT = "%(asctime)s %(process)d %(threadName)s %(levelname)s %(name)s: %(message)s"


def redact(text):
    return _TOKEN.sub(r"\1***", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record):
        return redact(super().format(record))


def setup(verbose=False, stream=None):
    """Send every logger's records to ``stream`` (stderr), redacted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingFormatter(FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # The proxy's own process: the plugin's logger goes where every other
    # does, whatever a Django LOGGING loaded beside it said.
    plugin = logging.getLogger("ganeti_dashboard")
    for old in list(plugin.handlers):
        plugin.removeHandler(old)
    plugin.propagate = True
    plugin.setLevel(logging.NOTSET)
