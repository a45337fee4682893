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

"""Admin > Ganeti > Projects and the Keystone mapping helpers (mocked)."""

import types
from unittest import mock

from django.test import RequestFactory
from django.urls import reverse
from keystoneauth1 import exceptions as ks_exceptions

from openstack_dashboard.api import keystone as horizon_keystone
from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import rapi
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_projects:index")


def _url(action, project_id):
    return reverse("horizon:admin:ganeti_projects:action",
                   args=[project_id, action])


def _project(pid, name, tags=(), description=""):
    return types.SimpleNamespace(id=pid, name=name, tags=list(tags),
                                 description=description, enabled=True)


PROJECTS = [
    _project("p-other", "other", ["ganeti:cluster:beta", "unrelated",
                                  "ganeti:cluster:gone"],
             description="<b>bold</b>"),
    _project("p-demo", "demo", ["ganeti:cluster:alpha"]),
    _project("p-empty", "empty"),
]


def _keystone(**errors_):
    """A keystoneclient whose ``projects`` manager knows PROJECTS."""
    client = mock.Mock()
    by_id = {p.id: p for p in PROJECTS}

    def get(pid):
        if pid not in by_id:
            raise ks_exceptions.NotFound(message="Could not find project")
        return by_id[pid]

    client.projects.list.return_value = PROJECTS
    client.projects.get.side_effect = get
    for method, exc in errors_.items():
        getattr(client.projects, method).side_effect = exc
    return client


class _Base(test.BaseAdminViewTests):

    def keystone(self, **errors_):
        self.ks = _keystone(**errors_)
        patcher = mock.patch.object(horizon_keystone, "keystoneclient",
                                    return_value=self.ks)
        self.ks_factory = patcher.start()
        self.addCleanup(patcher.stop)
        return self.ks


class AdminProjectsTests(_Base):

    def setUp(self):
        super().setUp()
        conf = helpers.config_file(helpers.TWO_CLUSTERS)
        conf.__enter__()
        self.addCleanup(conf.__exit__, None, None, None)
        # The table counts each project's usage from the instance lists.
        patcher = mock.patch.object(rapi.RapiClient, "instances",
                                    lambda c, bulk=True: [])
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_filtered_by_cluster_on_the_server(self):
        self.keystone()
        res = self.client.post(INDEX_URL, {
            "projects__filter__q_field": "clusters",
            "projects__filter__q": "beta"}, follow=True)
        self.assertEqual(["other"],
                         [r.name for r in res.context["table"].data])
        self.assertContains(res, "Displaying 1 item, sorted by name")

    def test_lists_projects_with_mapped_clusters(self):
        self.keystone()
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        rows = res.context["table"].data
        self.assertEqual(["demo", "empty", "other"], [r.name for r in rows])
        self.assertEqual(("beta", "gone"), rows[2].clusters)
        self.assertEqual(["gone"], rows[2].unconfigured())
        self.assertEqual(["alpha"], rows[2].unmapped())
        content = res.content.decode()
        self.assertIn("gone <em>(not configured)</em>", content)
        self.assertNotIn("unrelated", content)
        self.assertNotIn("<b>bold</b>", content)
        self.assertIn("&lt;b&gt;bold&lt;/b&gt;", content)
        # One list call, for every project and its tags.
        self.ks.projects.list.assert_called_once_with()
        self.ks_factory.assert_called_with(mock.ANY, admin=True)
        # A fully mapped project has no "Map" action, an unmapped no remove.
        self.assertIn(_url("map", "p-demo"), content)
        self.assertIn(_url("unmap", "p-demo"), content)
        self.assertNotIn(_url("unmap", "p-empty"), content)

    def test_keystone_down_is_a_message_not_a_500(self):
        self.keystone(list=ks_exceptions.ConnectFailure("connection refused"))
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        # (Horizon's test helpers stub keystoneauth's exception texts.)
        self.assertContains(res, "Keystone could not be reached")

    def test_hostile_tag_is_escaped(self):
        self.keystone()
        self.ks.projects.list.return_value = [_project(
            "p-x", "x", ["ganeti:cluster:<script>alert(1)</script>"])]
        res = self.client.get(INDEX_URL)
        self.assertNotIn(b"<script>alert(1)</script>", res.content)
        self.assertContains(res, "&lt;script&gt;")

    def test_map_form_offers_only_unmapped_configured_clusters(self):
        self.keystone()
        res = self.client.get(_url("map", "p-demo"))
        self.assertEqual(200, res.status_code)
        self.assertEqual([("beta", "beta")],
                         res.context["form"].fields["cluster"].choices)

    def test_map_adds_the_tag(self):
        self.keystone()
        res = self.client.post(_url("map", "p-demo"), {"cluster": "beta"})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.ks.projects.add_tag.assert_called_once_with(
            "p-demo", "ganeti:cluster:beta")
        self.assertMessageCount(success=1)

    def test_map_refuses_a_cluster_that_is_not_configured(self):
        self.keystone()
        res = self.client.post(_url("map", "p-demo"),
                               {"cluster": "x/y,z"})
        self.assertEqual(200, res.status_code)
        self.assertTrue(res.context["form"].errors)
        self.ks.projects.add_tag.assert_not_called()

    def test_keystones_refusal_is_shown_in_the_form(self):
        self.keystone(add_tag=ks_exceptions.Forbidden(
            message="You are not authorized to perform the requested "
                    "action: identity:create_project_tag."))
        res = self.client.post(_url("map", "p-demo"), {"cluster": "beta"})
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "identity:create_project_tag")
        self.assertContains(res, "HTTP 403")

    def test_unmap_removes_the_tag_even_of_an_unconfigured_cluster(self):
        self.keystone()
        res = self.client.get(_url("unmap", "p-other"))
        self.assertEqual(["beta", "gone"], [
            c[0] for c in res.context["form"].fields["cluster"].choices])
        self.assertContains(res, "gone (not configured)")
        res = self.client.post(_url("unmap", "p-other"), {"cluster": "gone"})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.ks.projects.delete_tag.assert_called_once_with(
            "p-other", "ganeti:cluster:gone")

    def test_unmap_of_a_tag_already_gone_is_done(self):
        self.keystone(delete_tag=ks_exceptions.NotFound(message="gone"))
        res = self.client.post(_url("unmap", "p-demo"), {"cluster": "alpha"})
        self.assertNoFormErrors(res)
        self.assertRedirectsNoFollow(res, INDEX_URL)

    def test_map_needs_the_map_rule_not_only_the_list_rule(self):
        self.keystone()

        def check(actions, request, target=None):
            return ("ganeti", "ganeti:project:map") not in actions
        with mock.patch("openstack_dashboard.policy.check", check):
            res = self.client.post(_url("map", "p-demo"),
                                   {"cluster": "beta"})
        self.assertEqual(403, res.status_code)
        self.ks.projects.add_tag.assert_not_called()

    def test_form_of_unknown_project_goes_back_with_a_message(self):
        self.keystone()
        res = self.client.get(_url("map", "nope"))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertMessageCount(error=1)

    def test_broken_config_still_lists_projects(self):
        self.keystone()
        with helpers.config_file("[cluster:bad name]\nrapi_url = x\n"):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertEqual(3, len(res.context["table"].data))
        self.assertContains(res, "may hold only")


class MappingHelpersTests(test.TestCase):

    def bare_request(self):
        return RequestFactory().get("/")

    def test_cluster_tag(self):
        self.assertEqual("ganeti:cluster:sandbox-2.x_y",
                         keystone_api.cluster_tag("sandbox-2.x_y"))
        for bad in ("", "a/b", "a,b", "caf\u00e9", "x" * 250, "a\nb"):
            with self.assertRaises(ValueError):
                keystone_api.cluster_tag(bad)

    def test_clusters_of_project_reads_one_project_as_the_user(self):
        client = _keystone()
        request = self.bare_request()
        with mock.patch.object(horizon_keystone, "keystoneclient",
                               return_value=client) as factory:
            self.assertEqual({"alpha"}, keystone_api.clusters_of_project(
                request, "p-demo"))
            self.assertEqual({"alpha"}, keystone_api.clusters_of_project(
                request, "p-demo"))
        # The member's own client (no admin endpoint, no project list),
        # and once per request.
        factory.assert_called_once_with(request, admin=False)
        client.projects.get.assert_called_once_with("p-demo")
        client.projects.list.assert_not_called()

    def test_clusters_of_project_refused_is_an_error_not_empty(self):
        client = _keystone(get=ks_exceptions.Forbidden(message="no"))
        with mock.patch.object(horizon_keystone, "keystoneclient",
                               return_value=client):
            with self.assertRaises(keystone_api.KeystoneError):
                keystone_api.clusters_of_project(self.bare_request(), "p-other")

    def test_add_mapping_of_a_tag_already_there_is_done(self):
        # Keystone answers 400 "non-unique elements" to such a PUT.
        client = _keystone(add_tag=ks_exceptions.BadRequest(message="dup"))
        client.projects.list_tags.return_value = ["ganeti:cluster:alpha"]
        with mock.patch.object(horizon_keystone, "keystoneclient",
                               return_value=client):
            keystone_api.add_mapping(self.bare_request(), "p-demo", "alpha")
            with self.assertRaises(keystone_api.KeystoneError):
                keystone_api.add_mapping(self.bare_request(), "p-demo",
                                         "beta")

    def test_add_mapping_forgets_what_the_request_remembered(self):
        client = _keystone()
        request = self.bare_request()
        with mock.patch.object(horizon_keystone, "keystoneclient",
                               return_value=client):
            keystone_api.clusters_of_project(request, "p-demo")
            keystone_api.add_mapping(request, "p-demo", "beta")
            keystone_api.clusters_of_project(request, "p-demo")
        self.assertEqual(2, client.projects.get.call_count)


class AdminProjectsMemberTests(test.TestCase):
    """A project member (no admin role) has no Admin > Ganeti > Projects."""

    def test_member_cannot_open_projects(self):
        client = _keystone()
        with mock.patch.object(horizon_keystone, "keystoneclient",
                               return_value=client), \
                helpers.config_file(helpers.TWO_CLUSTERS):
            res = self.client.get(INDEX_URL)
            post = self.client.post(_url("map", "p-demo"),
                                    {"cluster": "beta"})
        self.assertNotEqual(200, res.status_code)
        self.assertNotIn(b"p-demo", res.content)
        self.assertNotEqual(200, post.status_code)
        client.projects.add_tag.assert_not_called()
