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

"""Why the console proxy closes a console, in every language.

The proxy serves every user and knows none's language, so it closes the
WebSocket with the English reason. The console page carries the
translations of these reasons (:func:`translations`, in the viewer's
language) and shows the one whose English matches. So every reason the proxy
can send is here, once.
"""

import re


def gettext_noop(message):
    """Marks a reason for extraction, as Django's does; Django's own needs
    Django's settings, which the proxy runs without.
    """
    return message


LINK_REFUSED = gettext_noop("The console link was refused.")
LINK_INVALID = gettext_noop("The console link is not valid.")
LINK_EXPIRED = gettext_noop(
    "The console link has expired: open the console again.")
LINK_USED = gettext_noop(
    "The console link was already used: open the console again.")
STORE_DOWN = gettext_noop(
    "Console links cannot be checked right now: the console token store is "
    "not available.")
LINK_FROM_FUTURE = gettext_noop(
    "The console link was issued in the future: the clocks of Horizon and "
    "the console proxy differ.")
LINK_OTHER_KIND = gettext_noop(
    "The console link was issued for another kind of console.")
LINK_OTHER_USER = gettext_noop(
    "The console link was issued for another user.")
LINK_OTHER_PROJECT = gettext_noop(
    "The console link was issued for another project.")
LINK_OTHER_CLUSTER = gettext_noop(
    "The console link was issued for another cluster.")
LINK_OTHER_INSTANCE = gettext_noop(
    "The console link was issued for another instance.")
# Which claim of a link did not match what the proxy was asked for.
LINK_OTHER = {"kind": LINK_OTHER_KIND, "user_id": LINK_OTHER_USER,
              "project_id": LINK_OTHER_PROJECT,
              "cluster": LINK_OTHER_CLUSTER,
              "instance": LINK_OTHER_INSTANCE}
LINK_UNKNOWN = gettext_noop(
    "The console link is not known to the console proxy (has it expired, "
    "or do Horizon and the proxy use different token stores?).")
VNC_REFUSED = gettext_noop(
    "The VNC server of the instance refused the connection: is the "
    "instance running?")
VNC_SILENT = gettext_noop(
    "The VNC server of the instance did not answer within %(seconds)g "
    "seconds.")
VNC_UNREACHABLE = gettext_noop(
    "The VNC server of the instance cannot be reached.")
SERIAL_ELSEWHERE = gettext_noop(
    "The serial console of the instance is not on this node: is the "
    "instance running here?")
SERIAL_FORBIDDEN = gettext_noop(
    "The console proxy may not open the serial console.")
SERIAL_SILENT = gettext_noop(
    "The serial console of the instance did not answer.")
SERIAL_REFUSED = gettext_noop(
    "The serial console of the instance refused the connection.")
SSH_LOGIN = gettext_noop(
    "The console proxy cannot log in to the instance's node.")
SSH_SERIAL = gettext_noop(
    "The serial console of the instance cannot be opened on its node.")
SSH_MISSING = gettext_noop("The console proxy cannot run ssh.")

ALL = tuple(value for name, value in sorted(globals().items())
            if name.isupper() and isinstance(value, str))

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdg]")


def pattern(reason):
    """A JavaScript regular expression that matches the English reason,
    with a named group for each of its values.
    """
    parts = []
    last = 0
    for match in _PLACEHOLDER.finditer(reason):
        parts.append(_js_escape(reason[last:match.start()]))
        parts.append("(?<%s>.+?)" % match.group(1))
        last = match.end()
    parts.append(_js_escape(reason[last:]))
    return "^%s$" % "".join(parts)


def _js_escape(text):
    return re.sub(r"([\\^$.*+?()[\]{}|/])", r"\\\1", text)


def translations():
    """``[[pattern, translated reason], ...]`` in the active language."""
    from django.utils.translation import gettext
    return [[pattern(reason), gettext(reason)] for reason in ALL]
