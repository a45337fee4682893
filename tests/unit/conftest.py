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
    instances.MERGED.clear()
    yield
    snapshots.drain()
    cache.clear()
    snapshots.forget_decoded()
