"""The console proxy, and the short-lived single-use tokens it checks.

Horizon's side of a console is elsewhere: where it listens is
:mod:`ganeti_dashboard.api.console_endpoints`, the tab and pages
``content/instances/console_tab.py``, which calls
:func:`links.console_link` for a token and its URL; the
``ganeti-console-proxy`` service (:mod:`proxy`) verifies the token and
bridges the browser's WebSocket to the instance's VNC server or serial
console. See ``doc/source/console.rst``.
"""
