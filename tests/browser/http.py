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

"""Horizon as a hand-made client sees it: a logged-in HTTP session.

For the requests a hostile user writes himself (a form's POST replayed by
another role, many posts at once), which a browser's page never sends.
"""

import html
import re

import requests

_INPUT = re.compile(r"<input[^>]*>", re.I)
_ATTR = re.compile(r'(\w[\w-]*)="([^"]*)"')


def form_fields(page_html):
    """``{name: value}`` of every input of ``page_html`` (checkboxes only
    when checked).
    """
    found = {}
    for tag in _INPUT.findall(page_html):
        attrs = {k.lower(): html.unescape(v) for k, v in _ATTR.findall(tag)}
        name = attrs.get("name")
        if not name:
            continue
        if attrs.get("type") == "checkbox" and "checked" not in tag:
            continue
        found[name] = attrs.get("value", "")
    return found


def session(horizon_url, credentials):
    """A requests session logged in to Horizon as ``credentials``.

    Each request has a connection of its own: gunicorn closes an idle
    kept-alive connection after a few seconds, and a POST sent on one it
    has just closed fails with no answer (a browser retries it; requests
    does not).
    """
    http = requests.Session()
    http.headers["User-Agent"] = "ganeti-dashboard tests"
    http.headers["Connection"] = "close"
    page = http.get(horizon_url + "/auth/login/", timeout=60)
    page.raise_for_status()
    fields = form_fields(page.text)
    fields.update(username=credentials[0], password=credentials[1])
    answer = http.post(horizon_url + "/auth/login/", data=fields,
                       timeout=60, allow_redirects=False)
    assert answer.status_code == 302 and "/auth/login" not in \
        answer.headers.get("Location", ""), "login of %s failed" \
        % credentials[0]
    return http


def post(http, url, data, **kwargs):
    """POST ``data`` with the session's CSRF token, as Horizon's forms do;
    redirects are not followed (a refusal may be one).
    """
    data = dict(data)
    token = http.cookies.get("csrftoken")
    if token:
        data.setdefault("csrfmiddlewaretoken", token)
    headers = {"Referer": url, "X-CSRFToken": token or ""}
    return http.post(url, data=data, headers=headers, timeout=120,
                     allow_redirects=False, **kwargs)


def refused(answer):
    """A refusal as Horizon and Django answer it: 403, 404, or a redirect
    to the login page (a panel's rule fails).
    """
    if answer.status_code in (403, 404):
        return True
    return answer.status_code in (301, 302) and "/auth/login" in \
        answer.headers.get("Location", "")
