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
exception chains themselves. The text is an :class:`api.texts.Text` where
the dashboard wrote it (translated when shown, English in the logs), or
Ganeti's own words. Horizon's exception handling is told about these
classes in the enabled files (``ADD_EXCEPTIONS``), so an unhandled one is a
message in the page, never a 500.
"""


from ganeti_dashboard.api.texts import english
from ganeti_dashboard.api.texts import gettext_noop
from ganeti_dashboard.api.texts import Text


class RapiError(Exception):
    """Any failure talking to a cluster; ``str()`` is fit for the page."""

    status_code = None
    summary = Text(gettext_noop("RAPI error"))

    def __init__(self, message=None, cluster=None, status_code=None):
        self.message = message or self.summary
        self.cluster = cluster
        if status_code is not None:
            self.status_code = status_code
        super().__init__(self.message)

    def __str__(self):
        return str(self.message)

    @property
    def english(self):
        """For the logs, whatever the viewer's language."""
        return english(self.message)


class Unreachable(RapiError):
    summary = Text(gettext_noop("cluster unreachable"))


class Timeout(Unreachable):
    summary = Text(gettext_noop("timed out"))


class CertificateError(Unreachable):
    summary = Text(gettext_noop("certificate not trusted"))


class AuthenticationFailed(RapiError):
    status_code = 401
    summary = Text(gettext_noop("authentication failed"))


class Forbidden(RapiError):
    status_code = 403
    summary = Text(gettext_noop(
        "this cluster is read-only for the dashboard"))


class NotFound(RapiError):
    status_code = 404
    summary = Text(gettext_noop("not found"))


class BadRequest(RapiError):
    status_code = 400
    summary = Text(gettext_noop("request refused"))


class Refused(RapiError):
    """The dashboard refused before asking Ganeti: the object's state
    (``api.preconditions``) says Ganeti would refuse, or do nothing.
    ``refusal`` says why; no job was sent.
    """

    status_code = 409
    summary = Text(gettext_noop("refused"))

    def __init__(self, message=None, cluster=None, refusal=None):
        self.refusal = refusal
        super().__init__(message, cluster)


class JobFailed(RapiError):
    summary = Text(gettext_noop("job failed"))

    def __init__(self, message=None, cluster=None, job_id=None, status=None):
        self.job_id = job_id
        self.status = status
        super().__init__(message, cluster)


# Groups for Horizon's ADD_EXCEPTIONS: these are the backend's fault or the
# user's request, never the dashboard's, so Horizon shows a message.
RECOVERABLE = (RapiError,)
NOT_FOUND = (NotFound,)
UNAUTHORIZED = ()
