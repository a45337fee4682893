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

"""RAPI client logic that needs no cluster (HTTP is mocked: no sockets)."""

from unittest import mock

import pytest
import requests

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import rapi
from ganeti_dashboard.conf import loader

CONFIG = loader.ClusterConfig(name="c", rapi_url="https://c.test:5080",
                              rapi_user="u", rapi_password="p",
                              ca_file="/etc/c-ca.pem")


def _answer(status, body):
    response = requests.Response()
    response.status_code = status
    response._content = body.encode()
    return response


@pytest.fixture
def sent():
    with mock.patch.object(requests.Session, "request") as request:
        yield request


def test_http_errors_become_typed_errors(sent):
    client = rapi.RapiClient(CONFIG)
    cases = [
        (401, "{}", errors.AuthenticationFailed, "authentication failed"),
        (403, "{}", errors.Forbidden, "read-only"),
        (404, "{}", errors.NotFound, "not found"),
        (400, '{"message": "Name doesn&#x27;t fit", "explain": "Bad"}',
         errors.BadRequest, "Name doesn't fit"),
        (502, "<html>", errors.RapiError, "HTTP 502"),
    ]
    for status, body, kind, text in cases:
        sent.return_value = _answer(status, body)
        with pytest.raises(kind) as failed:
            client.info()
        assert text in str(failed.value)


def test_a_500_means_missing_only_where_rapi_says_so(sent):
    client = rapi.RapiClient(CONFIG)
    sent.return_value = _answer(
        500, '{"message": "(\'Instance name x not found\', '
             '\'unknown_entity\')"}')
    with pytest.raises(errors.NotFound):
        client.instance_tags("x")
    with pytest.raises(errors.RapiError) as failed:
        client.info()
    assert not isinstance(failed.value, errors.NotFound)


def test_tls_uses_the_configured_ca_with_every_request(sent):
    sent.return_value = _answer(200, "{}")
    rapi.RapiClient(CONFIG).info()
    assert sent.call_args.kwargs["verify"] == "/etc/c-ca.pem"
    rapi.RapiClient(loader.ClusterConfig(name="c", rapi_url="https://c",
                                         verify_tls=False)).info()
    assert sent.call_args.kwargs["verify"] is False


@pytest.mark.parametrize("raised, kind, text", [
    (requests.exceptions.SSLError(
        "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
        "self-signed certificate in certificate chain (_ssl.c:1006)"),
     errors.CertificateError,
     "certificate not trusted (self-signed certificate in certificate "
     "chain)"),
    (requests.exceptions.ConnectTimeout(), errors.Timeout,
     "no connection within 3s"),
    (requests.exceptions.ConnectionError(
        "Failed to establish a new connection: [Errno 111] Connection "
        "refused"), errors.Unreachable, "connection refused"),
    (requests.exceptions.ConnectionError("No route to host"),
     errors.Unreachable, "no route to host"),
])
def test_transport_failures_become_page_texts(sent, raised, kind, text):
    sent.side_effect = raised
    with pytest.raises(kind) as failed:
        rapi.RapiClient(CONFIG).info()
    assert str(failed.value) == text


def test_job_error_text_is_ganetis_own():
    job = {"id": 7, "status": "error", "opstatus": ["success", "error"],
           "opresult": [None, ["OpPrereqError",
                               ["Instance &#x27;x&#x27; has no disks",
                                "wrong_input"]]]}
    assert rapi.job_error(job) == "Instance 'x' has no disks"
    assert "canceled" in rapi.job_error(
        {"id": 8, "status": "canceled", "opstatus": ["canceled"],
         "opresult": [None]})


def test_wait_for_job_is_bounded(sent):
    sent.return_value = _answer(200, '{"id": 3, "status": "running"}')
    with mock.patch.object(rapi.time, "sleep"), \
            mock.patch.object(rapi.time, "monotonic",
                              side_effect=[0, 1, 5, 200]):
        with pytest.raises(errors.Timeout) as failed:
            rapi.RapiClient(CONFIG).wait_for_job(3, timeout=120)
    assert "still running" in str(failed.value)


def test_a_write_calls_the_after_write_hook_whatever_the_answer(sent):
    written = mock.Mock()
    client = rapi.RapiClient(CONFIG, after_write=written)
    sent.return_value = _answer(200, '[{"id": "vm1"}]')
    assert client.instance_names() == ["vm1"]
    sent.return_value = _answer(200, '{"fields": [{"name": "name"}], '
                                     '"data": [[[0, "vm1"]]]}')
    assert client.query("instance", ["name"]) == [{"name": "vm1"}]
    written.assert_not_called()  # reads, the query's PUT among them
    sent.return_value = _answer(200, "5")
    client.startup_instance("vm1")
    assert written.call_count == 1
    # A refused write may have changed something all the same (a job
    # that started): the hook runs too.
    sent.return_value = _answer(500, '{"message": "busy"}')
    with pytest.raises(errors.RapiError):
        client.shutdown_instance("vm1")
    assert written.call_count == 2
    assert sent.call_count == 4  # nothing is answered from a cache


def test_the_registrys_client_makes_its_clusters_snapshots_due(sent):
    from django.core.cache import cache

    from ganeti_dashboard.api import cluster_state  # noqa: F401 its kinds
    from ganeti_dashboard.api import clusters
    from ganeti_dashboard.api import job_queue  # noqa: F401 its kind
    from ganeti_dashboard.api import snapshots
    from ganeti_dashboard.test import helpers

    def stale(cluster):
        return {kind: cache.get(snapshots._key(cluster, kind, "stale"))
                for kind in ("instances", "nodes", "jobs", "info", "os")}

    with helpers.config_file(helpers.TWO_CLUSTERS):
        client = clusters.client("alpha")
        assert clusters.client("alpha") is client  # one per cluster
        sent.return_value = _answer(200, "[]")
        client.instance_names()
        assert set(stale("alpha").values()) == {None}
        sent.return_value = _answer(200, "5")
        before = snapshots._now()
        client.startup_instance("vm1")
    marked = stale("alpha")
    assert all(at is not None and at >= before for at in marked.values())
    assert set(stale("beta").values()) == {None}
