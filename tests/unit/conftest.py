"""Unit tests never touch the network: any unmocked connection fails."""

import socket

import pytest


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("unit test tried to reach the network: %r"
                             % (args[:2],))
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(autouse=True)
def fresh_snapshots():
    """Every test starts with no cluster snapshot, shared or decoded."""
    from django.core.cache import cache

    from ganeti_dashboard.api import instances
    from ganeti_dashboard.api import snapshots
    cache.clear()
    snapshots.forget_decoded()
    instances._merged.clear()
    yield
    snapshots.drain()
    cache.clear()
    snapshots.forget_decoded()
