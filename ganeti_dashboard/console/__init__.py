"""Consoles: short-lived single-use tokens and the proxy that checks them.

Horizon (the console tab) calls :func:`links.console_link`; the
``ganeti-console-proxy`` service (:mod:`proxy`) verifies the token and
bridges the browser's WebSocket to the instance's VNC server or serial
console. See ``doc/source/console.rst``.
"""
