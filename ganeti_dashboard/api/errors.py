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

"""Typed RAPI failures.

Each class carries a short text meant for the page ("connection refused",
"authentication failed", ...) so panels never have to interpret HTTP codes or
exception chains themselves. Horizon's exception handling is told about these
classes in the enabled files (``ADD_EXCEPTIONS``), so an unhandled one is a
message in the page, never a 500.
"""


class RapiError(Exception):
    """Any failure talking to a cluster; ``str()`` is fit for the page."""

    status_code = None
    summary = "RAPI error"

    def __init__(self, message=None, cluster=None, status_code=None):
        self.message = message or self.summary
        self.cluster = cluster
        if status_code is not None:
            self.status_code = status_code
        super().__init__(self.message)

    def __str__(self):
        return self.message


class Unreachable(RapiError):
    summary = "cluster unreachable"


class Timeout(Unreachable):
    summary = "timed out"


class CertificateError(Unreachable):
    summary = "certificate not trusted"


class AuthenticationFailed(RapiError):
    status_code = 401
    summary = "authentication failed"


class Forbidden(RapiError):
    status_code = 403
    summary = "this cluster is read-only for the dashboard"


class NotFound(RapiError):
    status_code = 404
    summary = "not found"


class BadRequest(RapiError):
    status_code = 400
    summary = "request refused"


class Refused(RapiError):
    """The dashboard refused before asking Ganeti: the object's state
    (``api.preconditions``) says Ganeti would refuse, or do nothing.
    ``refusal`` says why; no job was sent.
    """

    status_code = 409
    summary = "refused"

    def __init__(self, message=None, cluster=None, refusal=None):
        self.refusal = refusal
        super().__init__(message, cluster)


class JobFailed(RapiError):
    summary = "job failed"

    def __init__(self, message=None, cluster=None, job_id=None, status=None):
        self.job_id = job_id
        self.status = status
        super().__init__(message, cluster)


# Groups for Horizon's ADD_EXCEPTIONS: these are the backend's fault or the
# user's request, never the dashboard's, so Horizon shows a message.
RECOVERABLE = (RapiError,)
NOT_FOUND = (NotFound,)
UNAUTHORIZED = ()
