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

"""ServerChoice: the server of a key, hashed only when there is a choice."""

from pymemcache.client import rendezvous

from ganeti_dashboard import memcached

SERVERS = ["10.0.0.1:11211", "10.0.0.2:11211", "10.0.0.3:11211"]
KEYS = ["ganeti-dashboard:1:ganeti-dashboard:pending:c%d:vm%d" % (i % 3, i)
        for i in range(200)]


def _both(servers):
    stock, ours = rendezvous.RendezvousHash(), memcached.ServerChoice()
    for server in servers:
        stock.add_node(server)
        ours.add_node(server)
    return stock, ours


def test_several_servers_are_chosen_as_pymemcache_chooses_them():
    stock, ours = _both(SERVERS)
    chosen = [ours.get_node(k) for k in KEYS]
    assert chosen == [stock.get_node(k) for k in KEYS]
    # The keys do spread: a choice that always answered one server would
    # not tell the two apart.
    assert set(chosen) == set(SERVERS)


def test_one_server_is_chosen_without_hashing_the_key(monkeypatch):
    _stock, ours = _both(SERVERS[:1])

    def hashed(_value):
        raise AssertionError("a key was hashed with one server to choose")

    monkeypatch.setattr(ours, "hash_function", hashed)
    assert [ours.get_node(k) for k in KEYS] == SERVERS[:1] * len(KEYS)


def test_the_choice_follows_servers_marked_dead_and_back():
    # HashClient removes a failing server and adds it back later.
    stock, ours = _both(SERVERS[:2])
    stock.remove_node(SERVERS[1])
    ours.remove_node(SERVERS[1])
    assert {ours.get_node(k) for k in KEYS} == {SERVERS[0]}
    ours.remove_node(SERVERS[0])
    assert ours.get_node(KEYS[0]) is None
    ours.add_node(SERVERS[0])
    ours.add_node(SERVERS[1])
    stock.add_node(SERVERS[1])
    assert [ours.get_node(k) for k in KEYS] == [stock.get_node(k) for k in KEYS]
