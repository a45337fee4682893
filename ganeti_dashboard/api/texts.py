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

"""Texts the backend writes for the page, translated when they are shown.

A cluster's failure is found where no user's language is known (a snapshot
refresh runs in a background thread) and kept in the shared cache for every
viewer, whatever language each reads. So the backend keeps the English
message id and its values, and the page translates them, in the viewer's
language, when it shows them (``str()``); logs get the English
(:func:`english`), whoever's request wrote them.

Message ids are marked with ``gettext_noop`` so that the extraction
(``tox -e extract-messages``) finds them.
"""

from django.conf import settings
from django.utils.translation import gettext


def gettext_noop(message):
    """Marks ``message`` for extraction, as Django's does; Django's own
    needs Django's settings, which a script that imports the RAPI client
    (tools/lib) may not have.
    """
    return message


class Text:
    """A message id with its values; ``str()`` translates, picklable."""

    __slots__ = ("msgid", "params")

    def __init__(self, msgid, params=None):
        self.msgid = msgid
        self.params = dict(params or {})

    def _render(self, translate):
        # The console proxy runs without Django settings: English there.
        translate = translate and settings.configured
        template = gettext(self.msgid) if translate else self.msgid
        if not self.params:
            return template
        return template % {
            key: (value if not isinstance(value, Text)
                  else str(value) if translate else value.english)
            for key, value in self.params.items()}

    def __str__(self):
        return self._render(True)

    @property
    def english(self):
        return self._render(False)

    def __eq__(self, other):
        if isinstance(other, Text):
            return self.english == other.english
        if isinstance(other, str):
            return self.english == other
        return NotImplemented

    def __hash__(self):
        return hash(self.english)

    def __contains__(self, part):
        return part in self.english

    def __repr__(self):
        return "Text(%r)" % self.english

    def __getstate__(self):
        return (self.msgid, self.params)

    def __setstate__(self, state):
        self.msgid, self.params = state


def english(value):
    """A text for the logs: English whatever language is active."""
    if isinstance(value, Text):
        return value.english
    english_of = getattr(value, "english", None)
    if isinstance(english_of, str):
        return english_of
    return str(value)


# A cluster whose first snapshot is still being taken.
NO_ANSWER_YET = Text(gettext_noop("no answer yet"))


def not_configured(cluster):
    return Text(gettext_noop("no cluster named %(cluster)s is configured"),
                {"cluster": cluster})
