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

"""The console proxy, and the short-lived single-use tokens it checks.

Horizon's side of a console is elsewhere: where it listens is
:mod:`ganeti_dashboard.api.console_endpoints`, the tab and pages
``content/instances/console_tab.py``, which calls
:func:`links.console_link` for a token and its URL; the
``ganeti-console-proxy`` service (:mod:`proxy`) verifies the token and
bridges the browser's WebSocket to the instance's VNC server or serial
console. See ``doc/source/console.rst``.
"""
