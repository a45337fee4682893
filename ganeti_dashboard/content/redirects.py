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

"""Leaving a page for another one, saying why.

Horizon's middleware turns ``exceptions.Http302`` into a bare redirect and
drops the exception's ``message``; so the reason is added as a Horizon
message first, and shows on the page the user lands on.
"""

from django.http import Http404

from horizon import exceptions
from horizon import messages

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.conf import loader


def redirect_saying(request, url, message, level=messages.error):
    """Raise the redirect to ``url``; ``message`` shows there."""
    level(request, message)
    raise exceptions.Http302(url)


def read_or_leave(request, read, url, failure):
    """``read()``, the object a page is about.

    Nothing there (RAPI's 404, or outside the request's scope) is a 404;
    a cluster, Keystone or the configuration file that cannot answer now
    is a redirect to ``url`` saying ``failure % why``.
    """
    try:
        return read()
    except errors.NotFound:
        raise Http404()
    except (errors.RapiError, keystone_api.KeystoneError,
            loader.ConfigError) as exc:
        redirect_saying(request, url, failure % exc)
