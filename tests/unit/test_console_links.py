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

"""What Horizon's console tab gets: a WebSocket URL holding a fresh token."""

import urllib.parse

from django.core.cache.backends import locmem
import pytest

from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import links
from ganeti_dashboard.console import store as store_mod
from ganeti_dashboard.console import tokens
from ganeti_dashboard import memcached


def console(**values):
    values.setdefault("path", "/etc/ganeti-dashboard/ganeti-dashboard.conf")
    return loader.ConsoleConfig(**values)


CLAIMS = tokens.Claims(user_id="u", project_id="p", cluster="prod",
                       instance="web1", kind="serial", node="node1.example.org",
                       socket_path="/run/ganeti/kvm-hypervisor/ctrl/web1.serial")


def test_the_url_names_the_kind_and_carries_the_token_quoted():
    url = links.websocket_url(console(proxy_url="wss://console.example.org"),
                              "vnc", "abc:d/e+f")
    assert url == "wss://console.example.org/vnc?token=abc%3Ad%2Fe%2Bf"


def test_a_proxy_per_node_is_picked_by_the_node_name():
    per_node = console(proxy_url="wss://{node}:6080")
    assert links.websocket_url(per_node, "serial", "t", node="node1") \
        == "wss://node1:6080/serial?token=t"
    with pytest.raises(ValueError):
        links.websocket_url(per_node, "serial", "t")


def test_console_link_issues_a_token_the_proxy_can_verify(monkeypatch):
    shared = locmem.LocMemCache("console-links", {})
    monkeypatch.setattr(store_mod, "shared", lambda config: shared)
    config = console(proxy_url="ws://127.0.0.1:6080", secret="s", token_ttl=30)
    url = links.console_link(config, CLAIMS)
    parts = urllib.parse.urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("ws", "127.0.0.1:6080",
                                                        "/serial")
    token = urllib.parse.parse_qs(parts.query)["token"][0]
    claims = tokens.verify(token, "s", 30, shared, expect={"kind": "serial"})
    assert claims.socket_path == CLAIMS.socket_path


@pytest.mark.parametrize("missing", ["secret", "proxy_url"])
def test_console_link_without_configuration_is_a_config_error(missing):
    values = {"secret": "s", "proxy_url": "ws://127.0.0.1:6080", missing: None}
    with pytest.raises(loader.ConfigError) as failed:
        links.console_link(console(**values), CLAIMS)
    assert "option %s is required in section [console]" % missing \
        in str(failed.value)


def test_the_store_is_built_from_the_config_without_connecting():
    cache = store_mod.build(console(token_store=("10.0.0.5:11211",),
                                    connect_timeout=2.0))
    assert cache._servers == ["10.0.0.5:11211"]
    options = cache._options
    assert isinstance(options["serde"], store_mod.TextSerde)
    assert options["retry_attempts"] == 0
    # Thread-safe: one store serves a whole Horizon or proxy process.
    assert options["use_pooling"] is True
    assert options["connect_timeout"] == options["timeout"] == 2.0
    # One server: pymemcache does not hash every key to choose it.
    assert cache._cache.hasher.__class__ is memcached.ServerChoice
    cache.close()


def test_one_store_serves_a_process_per_token_store():
    first = store_mod.shared(console(token_store=("10.0.0.5:11211",)))
    again = store_mod.shared(console(token_store=("10.0.0.5:11211",)))
    other = store_mod.shared(console(token_store=("10.0.0.6:11211",)))
    assert first is again and first is not other
