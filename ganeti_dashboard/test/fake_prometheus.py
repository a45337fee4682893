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

"""A fake Prometheus HTTP API for unit tests (``/api/v1/query_range``),
as a requests transport adapter mounted on every session
:mod:`api.prometheus` makes: answers as Prometheus 2.42 does, or fails as
a real one can (``fault``: refused, connect-timeout, hanging, untrusted,
an HTTP status with Prometheus' error JSON, "html" for a 502 page from a
proxy, "not-json", "not-matrix").
"""

import json
import threading
import time
from unittest import mock
import urllib.parse

import requests
from requests import adapters

from ganeti_dashboard.api import prometheus


class FakePrometheus(adapters.BaseAdapter):

    def __init__(self, value=42.0):
        super().__init__()
        self.value = value
        self.fault = None
        self.delay = 0.0
        self.queries = []   # (query, start, end, step) asked
        self.lock = threading.Lock()

    def install(self, testcase):
        real = prometheus._session

        def session():
            found = real()
            found.mount("http://", self)
            found.mount("https://", self)
            return found
        patch = mock.patch.object(prometheus, "_session", session)
        patch.start()
        testcase.addCleanup(patch.stop)
        return self

    def close(self):
        pass

    def send(self, request, stream=False, timeout=None, verify=True,
             cert=None, proxies=None):
        parts = urllib.parse.urlsplit(request.url)
        params = {k: v[0] for k, v in
                  urllib.parse.parse_qs(parts.query).items()}
        with self.lock:
            self.queries.append((params.get("query"), params.get("start"),
                                 params.get("end"), params.get("step")))
        if self.delay:
            time.sleep(self.delay)
        fault = self.fault
        if fault == "refused":
            raise requests.exceptions.ConnectionError(
                "HTTPConnectionPool: Max retries exceeded (Caused by "
                "NewConnectionError: Failed to establish a new connection: "
                "[Errno 111] Connection refused)", request=request)
        if fault == "connect-timeout":
            raise requests.exceptions.ConnectTimeout(request=request)
        if fault == "hanging":
            raise requests.exceptions.ReadTimeout(request=request)
        if fault == "untrusted" and verify is not False:
            raise requests.exceptions.SSLError(
                "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
                "failed: self-signed certificate in certificate chain "
                "(_ssl.c:1006)", request=request)
        status, body = 200, None
        if isinstance(fault, int):
            status = fault
            body = {"status": "error", "errorType": "bad_data",
                    "error": "1:5: parse error: unexpected \"}\""}
        elif fault == "html":
            status, body = 502, "<html><body>Bad Gateway</body></html>"
        elif fault == "not-json":
            body = "this is not JSON"
        elif fault == "not-matrix":
            body = {"status": "success",
                    "data": {"resultType": "vector", "result": []}}
        elif parts.path != "/api/v1/query_range":
            status, body = 404, "404 page not found"
        else:
            body = self.answer(params)
        answer = requests.Response()
        answer.status_code = status
        answer.request = request
        answer.url = request.url
        answer._content = (json.dumps(body) if isinstance(body, dict)
                           else body).encode()
        answer.headers["Content-Type"] = "application/json"
        return answer

    def answer(self, params):
        start, end = float(params["start"]), float(params["end"])
        step = float(params["step"])
        points = []
        when = start
        while when <= end:
            points.append([when, str(self.value)])
            when += step
        points.append([end, "NaN"])  # left out
        return {"status": "success", "data": {
            "resultType": "matrix",
            "result": [{"metric": {"node": "n1.alpha"},
                        "values": points}]}}
