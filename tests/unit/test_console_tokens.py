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

"""Console tokens: signature, expiry, single use, binding, opacity.

The store is Django's process-local cache (its ``add`` is atomic under a
lock, as memcached's is across processes); time comes from an injected
clock, so expiry never depends on how fast the machine is.
"""

import base64
import dataclasses
import json
import threading

from django.core.cache.backends import locmem
from django.core import signing
import pytest

from ganeti_dashboard.console import store as store_mod
from ganeti_dashboard.console import tokens

SECRET = "unit-test-console-secret"
T0 = 1_800_000_000.0


class Clock:
    def __init__(self, now=T0):
        self.now = now

    def __call__(self):
        return self.now


@pytest.fixture
def store(request):
    return locmem.LocMemCache("console-tokens-%s" % request.node.name, {})


@pytest.fixture
def clock():
    return Clock()


def vnc_claims(**changes):
    values = dict(user_id="u-alice", project_id="p-a", cluster="prod",
                  instance="web1.example.org", kind="vnc", host="198.18.80.2",
                  port=11000, node="node1.example.org")
    values.update(changes)
    return tokens.Claims(**values)


def serial_claims(**changes):
    values = dict(user_id="u-alice", project_id="p-a", cluster="prod",
                  instance="web1.example.org", kind="serial",
                  node="node1.example.org",
                  socket_path="/run/ganeti/kvm-hypervisor/ctrl/web1.serial")
    values.update(changes)
    return tokens.Claims(**values)


def issue(store, clock, claims=None, ttl=60):
    return tokens.issue(SECRET, claims or vnc_claims(), store, ttl, clock=clock)


def verify(token, store, clock, ttl=60, **kwargs):
    return tokens.verify(token, SECRET, ttl, store, clock=clock, **kwargs)


def test_a_token_returns_its_claims_once(store, clock):
    token = issue(store, clock)
    claims = verify(token, store, clock)
    assert dataclasses.replace(claims, jti="", issued_at=0.0) == vnc_claims()
    assert claims.issued_at == T0 and len(claims.jti) == 24
    with pytest.raises(tokens.TokenUsed) as used:
        verify(token, store, clock)
    assert str(used.value) == ("The console link was already used: open the "
                               "console again.")


def test_serial_claims_round_trip(store, clock):
    claims = verify(issue(store, clock, serial_claims()), store, clock)
    assert (claims.node, claims.socket_path) == (
        "node1.example.org", "/run/ganeti/kvm-hypervisor/ctrl/web1.serial")


def test_the_token_shows_nothing_but_a_random_id_and_its_time(store, clock):
    token = issue(store, clock, serial_claims())
    payload, signature = token.rsplit(":", 1)
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert sorted(data) == ["iat", "jti"]
    for secret_part in ("node1", "198.18", "11000", "serial", "alice", "prod",
                        "web1", SECRET):
        assert secret_part not in token
    assert len(token) < 120


def test_every_token_has_its_own_id(store, clock):
    assert issue(store, clock) != issue(store, clock)


@pytest.mark.parametrize("tamper", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),    # signature
    lambda t: ("f" if t[0] != "f" else "e") + t[1:],      # payload
    lambda t: t.rsplit(":", 1)[0],                         # no signature
    lambda t: t + "x",
    lambda t: "",
    lambda t: "garbage",
    lambda t: "x" * 5000,
    lambda t: None,
])
def test_a_tampered_or_garbled_token_is_invalid(store, clock, tamper):
    token = issue(store, clock)
    with pytest.raises(tokens.TokenInvalid) as invalid:
        verify(tamper(token), store, clock)
    assert str(invalid.value) == "The console link is not valid."
    verify(token, store, clock)  # the real one was not used up


def test_another_secret_does_not_verify(store, clock):
    token = issue(store, clock)
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(token, "another-secret", 60, store, clock=clock)


def test_a_value_signed_with_djangos_secret_key_is_not_a_token(store, clock):
    forged = signing.dumps({"jti": "A" * 24, "iat": T0})
    with pytest.raises(tokens.TokenInvalid):
        verify(forged, store, clock)


def test_expiry_is_counted_from_the_issue_time(store, clock):
    token = issue(store, clock, ttl=30)
    clock.now = T0 + 30.001
    with pytest.raises(tokens.TokenExpired) as expired:
        verify(token, store, clock, ttl=30)
    assert str(expired.value) == ("The console link has expired: open the "
                                  "console again.")
    clock.now = T0 + 30
    assert verify(token, store, clock, ttl=30).instance == "web1.example.org"


def test_a_token_from_the_future_is_refused_beyond_the_clock_skew(store, clock):
    late = Clock(T0 - tokens.MAX_CLOCK_SKEW + 1)
    assert verify(issue(store, clock), store, late).kind == "vnc"
    too_early = Clock(T0 - tokens.MAX_CLOCK_SKEW - 1)
    with pytest.raises(tokens.TokenInvalid) as invalid:
        verify(issue(store, clock), store, too_early)
    assert "clocks" in str(invalid.value)


def test_the_store_keeps_the_record_as_long_as_the_token_may_be_used(clock):
    seen = {}

    class Recording(locmem.LocMemCache):
        def add(self, key, value, timeout=None, version=None):
            seen[key.split(":")[1]] = timeout
            return super().add(key, value, timeout, version)

    recording = Recording("console-tokens-timeouts", {})
    verify(issue(recording, clock, ttl=60), recording, clock, ttl=60)
    assert seen == {"claims": 60 + tokens.MAX_CLOCK_SKEW + 1,
                    "used": 60 + tokens.MAX_CLOCK_SKEW + 1}


def test_only_one_of_many_racing_uses_wins(store, clock):
    token = issue(store, clock)
    outcomes = []
    barrier = threading.Barrier(8)

    def use():
        barrier.wait()
        try:
            verify(token, store, clock)
            outcomes.append("ok")
        except tokens.TokenUsed:
            outcomes.append("used")

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(outcomes) == ["ok"] + ["used"] * 7


@pytest.mark.parametrize("name, value, words", [
    ("kind", "serial", "another kind of console"),
    ("user_id", "u-mallory", "another user"),
    ("project_id", "p-b", "another project"),
    ("cluster", "test", "another cluster"),
    ("instance", "db1.example.org", "another instance"),
])
def test_a_token_is_bound_to_its_user_project_instance_and_kind(
        store, clock, name, value, words):
    token = issue(store, clock)
    with pytest.raises(tokens.TokenInvalid) as invalid:
        verify(token, store, clock, expect={name: value})
    assert str(invalid.value) == "The console link was issued for %s." % words
    # Refusing a mismatch does not use the token up for its owner.
    right = getattr(vnc_claims(), name)
    assert getattr(verify(token, store, clock, expect={name: right}), name) == right


def test_a_token_whose_record_is_gone_is_unknown(store, clock):
    token = issue(store, clock)
    store.clear()
    with pytest.raises(tokens.TokenInvalid) as invalid:
        verify(token, store, clock)
    assert "different token stores" in str(invalid.value)


def test_whoever_can_write_the_store_cannot_retarget_a_token(store, clock):
    token = issue(store, clock)
    jti = tokens._open(token, SECRET)[0]
    key = "ganeti-console:claims:" + jti
    # A record signed with another key, pointing elsewhere:
    forged = signing.Signer(key="attacker", salt="ganeti_dashboard.console.claims",
                            fallback_keys=[]).sign_object(
        dict(vnc_claims(host="10.0.0.9")._record(), jti=jti))
    store.set(key, forged)
    with pytest.raises(tokens.TokenInvalid):
        verify(token, store, clock)
    # Nor swap in the (genuine) record of another token:
    other = issue(store, clock, vnc_claims(instance="db1.example.org"))
    store.set(key, store.get("ganeti-console:claims:"
                             + tokens._open(other, SECRET)[0]))
    with pytest.raises(tokens.TokenInvalid):
        verify(token, store, clock)


class BrokenStore:
    def add(self, *args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    get = add


def test_a_store_outage_says_so(store, clock):
    token = issue(store, clock)
    with pytest.raises(tokens.TokenStoreError) as failed:
        verify(token, BrokenStore(), clock)
    assert "token store is not available" in str(failed.value)
    with pytest.raises(tokens.TokenStoreError):
        issue(BrokenStore(), clock)


def test_a_store_that_silently_drops_writes_is_an_outage(clock):
    class Forgetful:
        def add(self, *args, **kwargs):
            return False

    with pytest.raises(tokens.TokenStoreError):
        issue(Forgetful(), clock)


@pytest.mark.parametrize("claims", [
    dict(kind="rdp"),
    dict(port=None),
    dict(port=70000),
    dict(port=True),
    dict(host=None),
    dict(host="-oProxyCommand=evil"),
    dict(user_id=""),
    dict(project_id=None),
    dict(kind="serial", socket_path=None),
    dict(kind="serial", node=None, socket_path="/run/x.serial"),
    dict(kind="serial", node="n1", socket_path="relative.serial"),
    dict(kind="serial", node="n1", socket_path="/run/../etc/shadow"),
    dict(kind="serial", node="n1", socket_path="/run/a b.serial"),
    dict(kind="serial", node="n1; rm", socket_path="/run/x.serial"),
])
def test_malformed_claims_are_refused_at_issue(claims):
    with pytest.raises(ValueError):
        vnc_claims(**claims)


def test_the_store_holds_text_only():
    serde = store_mod.TextSerde()
    assert serde.serialize("k", "é") == ("é".encode(), 0)
    assert serde.deserialize("k", "é".encode(), 0) == "é"
    with pytest.raises(TypeError):
        serde.serialize("k", {"a": 1})
    # A pickle planted by whoever can write to memcached is never unpickled.
    assert serde.deserialize("k", b"\x80\x04K\x01.", 1) is None
    assert serde.deserialize("k", b"\xff", 0) is None
    # The same for Redis, which has no flags: what is not UTF-8 is absent.
    serializer = store_mod.TextSerializer()
    assert serializer.dumps("é") == "é".encode()
    assert serializer.loads("é".encode()) == "é"
    with pytest.raises(TypeError):
        serializer.dumps(1)
    assert serializer.loads(b"\x80\x04\x95K\x01.") is None
