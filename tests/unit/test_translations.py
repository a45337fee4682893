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

"""Every page of the plugin in a pseudo-translation: no unmarked English.

The pages are those of the authorization matrix (every URL of every
panel), as an operator and as a project member see them.
"""

import copy

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from ganeti_dashboard.api import errors
from tests.unit import pseudo_locale
from tests.unit import test_authorization_matrix as matrix


class PseudoTranslationTests(matrix.AuthorizationMatrixTests):

    # The matrix itself runs in its own module.
    test_every_url_role_and_method_agrees_with_the_policy = None

    def setUp(self):
        super().setUp()
        self.catalog = pseudo_locale.enable(self)

    def _pages(self, role):
        self.become(role)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = \
            pseudo_locale.LANGUAGE
        alpha = self.fake["alpha"]
        for case in self.cases():
            if case.method != "get" or case.ajax:
                continue
            alpha.instances, alpha.nodes, alpha.groups, alpha.networks = \
                copy.deepcopy(self.pristine)
            cache.clear()
            res = self.client.get(case.url)
            if res.status_code == 200 and \
                    res["Content-Type"].startswith("text/html"):
                yield case.url, res.content.decode()

    def test_every_page_shows_no_unmarked_english(self):
        alpha = self.fake["alpha"]
        data = pseudo_locale.data_words(
            alpha.instances, alpha.nodes, alpha.info, self.tenant.name,
            self.user.name, ["alpha", "beta", "demo"])
        patterns = pseudo_locale.horizon_patterns()
        left, seen = {}, 0
        for role in ("admin", "member"):
            for url, page in self._pages(role):
                seen += 1
                self.assertIn(pseudo_locale.OPEN, page, url)
                found = pseudo_locale.unmarked(page, data, patterns)
                if found:
                    left["%s %s" % (role, url)] = found
        self.assertGreater(seen, 25)
        self.assertEqual({}, left, "\n".join(
            "%s: %s" % (url, " | ".join(texts)) for url, texts in left.items()))

    def test_a_cluster_failure_is_shown_in_the_viewers_language(self):
        # Kept in the shared cache by a thread that knows no language.
        failure = errors.Timeout(errors.Timeout.summary, "alpha")
        with translation.override(pseudo_locale.LANGUAGE):
            self.assertEqual("\u27e6timed out\u27e7", str(failure))
        self.assertEqual("timed out", failure.english)
