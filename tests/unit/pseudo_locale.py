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

"""A pseudo-translation of the plugin, and what a page shows untranslated.

Every message the extraction finds (the same keywords as
``tox -e extract-messages``) is "translated" to itself between ⟦ and ⟧. A
page rendered in that language then shows, outside those brackets, only
data (names from the clusters, numbers) and Horizon's own words: any other
English is a string nobody marked.
"""

import html.parser
import os
import re
import shutil
import tempfile

from babel.messages import catalog as babel_catalog
from babel.messages import extract
from babel.messages import mofile
from babel.messages import pofile
from django.test.utils import override_settings

import ganeti_dashboard

# Afrikaans: two plural forms, a Django catalog, none of Horizon's.
LANGUAGE = "af"
OPEN, CLOSE = "\u27e6", "\u27e7"
KEYWORDS = dict(extract.DEFAULT_KEYWORDS, gettext_noop=None,
                gettext_lazy=None, ngettext_lazy=(1, 2),
                pgettext_lazy=((1, "c"), 2), npgettext_lazy=((1, "c"), 2, 3))
METHODS = [("**/templates/**.html", "enmerkar.extract:extract_django"),
           ("**.py", "python")]
PACKAGE = os.path.dirname(ganeti_dashboard.__file__)


def messages():
    """``[(msgid or (singular, plural), context)]`` of the plugin."""
    found = []
    for _name, _line, message, _comments, context in \
            extract.extract_from_dir(PACKAGE, METHODS, keywords=KEYWORDS):
        found.append((message, context))
    return found


def _wrap(text):
    return OPEN + text + CLOSE


def write_catalog(directory):
    """The pseudo catalog as ``<directory>/af/LC_MESSAGES/django.mo``."""
    catalog = babel_catalog.Catalog(locale=LANGUAGE)
    for message, context in messages():
        if isinstance(message, (tuple, list)):
            string = tuple(_wrap(form) for form in message[:2])
        else:
            string = _wrap(message)
        catalog.add(message, string, context=context)
    target = os.path.join(directory, LANGUAGE, "LC_MESSAGES")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "django.mo"), "wb") as out:
        mofile.write_mo(out, catalog)
    return catalog


def enable(test):
    """The pseudo language offered for the rest of ``test`` (a Django
    test case), its catalog in a folder of its own: the catalog. A
    request is in it with the language cookie set to :data:`LANGUAGE`.
    """
    directory = tempfile.mkdtemp()
    test.addCleanup(shutil.rmtree, directory)
    catalog = write_catalog(directory)
    languages = override_settings(
        LOCALE_PATHS=[directory],
        LANGUAGES=[("en", "English"), (LANGUAGE, "Pseudo")])
    languages.enable()
    test.addCleanup(languages.disable)
    return catalog


def horizon_patterns():
    """Horizon's own texts (as its German catalog lists them), which
    Horizon translates, not the plugin.
    """
    import django
    import horizon
    import openstack_dashboard
    patterns = []
    for package, language in ((horizon, "de"), (openstack_dashboard, "de"),
                              (django, LANGUAGE)):
        path = os.path.join(os.path.dirname(package.__file__), "locale",
                            language, "LC_MESSAGES", "django.po")
        if package is django:
            path = os.path.join(os.path.dirname(package.__file__), "conf",
                                "locale", language, "LC_MESSAGES",
                                "django.po")
        with open(path, "rb") as po:
            for message in pofile.read_po(po):
                # Horizon's English ids; Django's translations (its
                # yes/no, dates and sizes show translated).
                texts = message.id if package is not django \
                    else message.string
                for text in (texts if isinstance(texts, tuple)
                             else (texts,)):
                    # "yes,no,maybe" is one text, shown a word at a time.
                    for part in (text.split(",") if package is django
                                 else [text]):
                        # Not "%s" alone, which would match anything.
                        if _WORD.search(_PLACEHOLDER.sub("", part)):
                            patterns.append(_pattern(part))
    return patterns


_PLACEHOLDER = re.compile(r"%(\(\w+\))?[sdfg]")


def _pattern(text):
    parts = _PLACEHOLDER.split(text)
    literal = parts[::2]  # split() interleaves the group it captured
    return re.compile("^%s$" % ".+".join(
        r"\s*".join(re.escape(word) for word in part.split())
        for part in literal))


class _Texts(html.parser.HTMLParser):
    """The texts a user reads in ``#content_body``: text, titles,
    placeholders and the options of select boxes.
    """

    SKIP = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "source", "track", "wbr"}

    def __init__(self, whole_body):
        super().__init__()
        self.whole_body = whole_body
        self.depth = 0          # inside #content_body when > 0
        self.skipping = 0
        self.texts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth == 0:
            if attrs.get("id") == "content_body" or (
                    self.whole_body and tag == "body"):
                self.depth = 1
            return
        if tag not in self.VOID:
            self.depth += 1
        if tag in self.SKIP:
            self.skipping += 1
        for name in ("title", "placeholder", "alt", "aria-label"):
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") \
                and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_startendtag(self, tag, attrs):
        if self.depth:
            self.handle_starttag(tag, attrs)
            if tag not in self.VOID:
                self.depth -= 1

    def handle_endtag(self, tag):
        if self.depth == 0:
            return
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        self.depth -= 1

    def handle_data(self, data):
        if self.depth and not self.skipping and data.strip():
            self.texts.append(data)


_WRAPPED = re.compile("%s[^%s%s]*%s" % (OPEN, OPEN, CLOSE, CLOSE))
# Words a page shows as Ganeti or the data say them: identifiers
# (``auto_balance``, ``memory-size``, ``OS_DIAGNOSE``, host names, URLs),
# numbers; and IEC unit symbols, which are the same in every language.
_DATA_TOKEN = re.compile(r"^(\W*[\w.+-]*[_\-.:/+0-9(][\w.+:/()-]*\W*|"
                         r"\W*[A-Z][A-Z0-9_]+\W*|\W*[KMGT]iB\W*)$")
_WORD = re.compile(r"[A-Za-z]{2,}")
_SEPARATOR = "\n"


def unmarked(page, data_words, patterns):
    """The texts of ``page`` with English outside the brackets that is
    neither data nor Horizon's (nor Django's, translated).
    """
    # A console page is a page of its own, without Horizon's frame.
    parser = _Texts(whole_body='id="content_body"' not in page)
    parser.feed(page)
    # One text can span elements (a name in <strong> inside a sentence).
    rest = _SEPARATOR.join(" ".join(t.split()) for t in parser.texts)
    while True:
        shorter = _WRAPPED.sub(" ", rest)
        if shorter == rest:
            break
        rest = shorter
    found = []
    for text in rest.split(_SEPARATOR):
        text = " ".join(text.split())
        words = [w for token in text.split()
                 if not _DATA_TOKEN.match(token)
                 for w in _WORD.findall(token)
                 if w.lower() not in data_words]
        if not words or any(p.match(text) for p in patterns):
            continue
        found.append(text)
    return found


def data_words(*values):
    """Every word of the data a page may show: values (names, tags,
    states as Ganeti says them) and the names of Ganeti's parameters.
    """
    words = set()

    def walk(value, params=False):
        if isinstance(value, dict):
            for key, item in value.items():
                if params:
                    words.update(w.lower() for w in _WORD.findall(key))
                walk(item, params or str(key).endswith(
                    ("params", "policy", "specs", "std", "min", "max")))
        elif isinstance(value, (list, tuple, set)):
            for item in value:
                walk(item, params)
        elif isinstance(value, str):
            words.update(w.lower() for w in _WORD.findall(value))
    walk(values)
    return words
