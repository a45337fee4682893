"""Horizon's navigation is reused only where it would come out the same.

``page_blocks`` keeps the instances list's navigation and script tags for a
while. These tests hold it to Horizon: whoever else asks (another role,
project, panel, language, theme, an anonymous user), or once the time is up,
the block is rendered again, so nobody sees navigation made for someone
else; and a repeated view of the list does reuse it.
"""

import re
import types
from unittest import mock

from django.test import SimpleTestCase
from django.test import utils as django_test_utils
from django.urls import reverse
from django.utils import translation

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.content import page_blocks
from ganeti_dashboard.test import helpers
from tests.unit.test_admin_instances import _patched

SIDEBAR = "horizon/common/_sidebar.html"
SCRIPTS = "horizon/_scripts.html"


def _user(roles=("admin",), token="token-1", user_id="u1", project="p1",
          authenticated=True):
    return types.SimpleNamespace(
        is_authenticated=authenticated, id=user_id, project_id=project,
        token=types.SimpleNamespace(id=token), services_region="RegionOne",
        roles=[{"name": r} for r in roles])


def _request(user=None, panel="ganeti_instances", dashboard="admin",
             cookies=None):
    return types.SimpleNamespace(
        user=user or _user(), COOKIES=cookies or {},
        horizon={"dashboard": types.SimpleNamespace(slug=dashboard),
                 "panel": types.SimpleNamespace(slug=panel)})


class KeptBlockTests(SimpleTestCase):

    def setUp(self):
        page_blocks.forget()
        self.addCleanup(page_blocks.forget)
        self.rendered = []

        def render_to_string(path, request=None):
            self.rendered.append(path)
            return "%s #%d" % (path, len(self.rendered))

        patcher = mock.patch.object(page_blocks.loader, "render_to_string",
                                    render_to_string)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_same_user_and_place_reuses_the_block(self):
        first = page_blocks.render(_request(), SIDEBAR)
        again = page_blocks.render(_request(), SIDEBAR)
        self.assertEqual(first, again)
        self.assertEqual([SIDEBAR], self.rendered)

    def test_anyone_else_or_elsewhere_gets_a_block_of_their_own(self):
        page_blocks.render(_request(), SIDEBAR)
        others = [
            _request(_user(roles=("reader",))),
            _request(_user(project="p2")),
            _request(_user(user_id="u2")),
            _request(_user(token="token-2")),
            _request(panel="ganeti_nodes"),
            _request(dashboard="project"),
        ]
        texts = {page_blocks.render(r, SIDEBAR) for r in others}
        self.assertEqual(len(others), len(texts))
        self.assertEqual(1 + len(others), len(self.rendered))

    def test_another_language_is_rendered_again(self):
        page_blocks.render(_request(), SIDEBAR)
        with translation.override("de"):
            page_blocks.render(_request(), SIDEBAR)
        self.assertEqual(2, len(self.rendered))

    def test_another_theme_is_rendered_again(self):
        themes = (("default", "Default", "themes/default"),
                  ("material", "Material", "themes/material"))
        with django_test_utils.override_settings(AVAILABLE_THEMES=themes,
                                                 SELECTABLE_THEMES=themes):
            page_blocks.render(_request(), SCRIPTS, per_user=False)
            page_blocks.render(_request(cookies={"theme": "material"}),
                               SCRIPTS, per_user=False)
        self.assertEqual(2, len(self.rendered))

    def test_script_tags_are_shared_by_users(self):
        page_blocks.render(_request(), SCRIPTS, per_user=False)
        page_blocks.render(_request(_user(roles=("member",), user_id="u2",
                                          token="t2")),
                           SCRIPTS, per_user=False)
        self.assertEqual([SCRIPTS], self.rendered)

    def test_a_kept_block_expires(self):
        with mock.patch.object(page_blocks.time, "monotonic",
                               return_value=1000.0):
            page_blocks.render(_request(), SIDEBAR)
        with mock.patch.object(page_blocks.time, "monotonic",
                               return_value=1000.0 + page_blocks.TTL - 1):
            page_blocks.render(_request(), SIDEBAR)
        self.assertEqual(1, len(self.rendered))
        with mock.patch.object(page_blocks.time, "monotonic",
                               return_value=1000.0 + page_blocks.TTL + 1):
            page_blocks.render(_request(), SIDEBAR)
        self.assertEqual(2, len(self.rendered))

    def test_never_kept_for_an_anonymous_user_or_with_the_profiler(self):
        anonymous = _request(_user(authenticated=False))
        page_blocks.render(anonymous, SIDEBAR)
        page_blocks.render(anonymous, SIDEBAR)
        self.assertEqual(2, len(self.rendered))
        with django_test_utils.override_settings(
                OPENSTACK_PROFILER={"enabled": True}):
            page_blocks.render(_request(), SCRIPTS, per_user=False)
            page_blocks.render(_request(), SCRIPTS, per_user=False)
        self.assertEqual(4, len(self.rendered))

    def test_keeps_a_bounded_number(self):
        with mock.patch.object(page_blocks, "MAX_ENTRIES", 3):
            for n in range(5):
                page_blocks.render(_request(_user(user_id="u%d" % n)),
                                   SIDEBAR)
            self.assertEqual(3, len(page_blocks._kept))
            page_blocks.render(_request(_user(user_id="u4")), SIDEBAR)
            page_blocks.render(_request(_user(user_id="u0")), SIDEBAR)
        self.assertEqual(6, len(self.rendered))


INDEX_URL = reverse("horizon:admin:ganeti_instances:index")
_SIDEBAR = re.compile(r'<nav id="sidebar">.*?</nav>', re.S)


class InstancesListTests(test.BaseAdminViewTests):

    def setUp(self):
        super().setUp()
        patcher = mock.patch(
            "ganeti_dashboard.api.keystone.project_names", return_value={})
        patcher.start()
        self.addCleanup(patcher.stop)

    def _sidebar_renders(self, calls):
        return [c for c in calls if c.args and c.args[0] == SIDEBAR]

    def test_a_repeated_view_shows_the_same_navigation_rendered_once(self):
        original = page_blocks.loader.render_to_string
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(page_blocks.loader, "render_to_string",
                                  side_effect=original) as render:
            first = self.client.get(INDEX_URL)
            again = self.client.get(INDEX_URL + "?page=1")
        self.assertEqual(1, len(self._sidebar_renders(render.call_args_list)))
        first_nav = _SIDEBAR.search(first.content.decode()).group(0)
        self.assertEqual(first_nav,
                         _SIDEBAR.search(again.content.decode()).group(0))
        # The panel shown is the one marked active.
        active = re.search(r'class="[^"]*openstack-panel active[^"]*"\s+'
                           r'href="([^"]+)"', first_nav)
        self.assertEqual(INDEX_URL, active.group(1))

    def test_a_reader_on_the_same_token_gets_navigation_of_their_own(self):
        original = page_blocks.loader.render_to_string
        with helpers.config_file(helpers.TWO_CLUSTERS), _patched(), \
                mock.patch.object(page_blocks.loader, "render_to_string",
                                  side_effect=original) as render:
            self.client.get(INDEX_URL)
            helpers.become_reader(self)
            self.client.get(INDEX_URL)
        self.assertEqual(2, len(self._sidebar_renders(render.call_args_list)))


class OtherPagesTests(test.BaseAdminViewTests):
    """Every full page of the dashboard shows the kept navigation, also
    when its clusters are down (the page then names them)."""

    URLS = ("horizon:admin:ganeti_nodes:index",
            "horizon:admin:ganeti_jobs:index",
            "horizon:admin:ganeti_clusters:index")

    def test_lists_render_the_navigation_once_and_mark_their_panel(self):
        from ganeti_dashboard.api import errors
        from ganeti_dashboard.api import rapi

        def down(*args, **kwargs):
            raise errors.Unreachable("connection refused")

        original = page_blocks.loader.render_to_string
        for name in self.URLS:
            url = reverse(name)
            page_blocks.forget()
            with self.subTest(url=url), \
                    helpers.config_file(helpers.TWO_CLUSTERS), \
                    mock.patch.object(rapi.RapiClient, "request", down), \
                    mock.patch.object(page_blocks.loader, "render_to_string",
                                      side_effect=original) as render:
                first = self.client.get(url)
                again = self.client.get(url)
                self.assertEqual(200, again.status_code)
                self.assertContains(again, "connection refused")
                self.assertTemplateUsed(again, "ganeti_dashboard/page.html")
                sidebars = [c for c in render.call_args_list
                            if c.args and c.args[0] == SIDEBAR]
                self.assertEqual(1, len(sidebars))
                navs = [_SIDEBAR.search(r.content.decode()).group(0)
                        for r in (first, again)]
                self.assertEqual(navs[0], navs[1])
                active = re.search(r'class="[^"]*openstack-panel active'
                                   r'[^"]*"\s+href="([^"]+)"', navs[0])
                self.assertEqual(url, active.group(1))
