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

"""Admin > Ganeti > Clusters against the HTTP-level fake RAPI: the list
and a cluster's detail read the clusters' snapshots (info, nodes,
instances); tags are read and written directly.
"""

import json
import re
import time

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import helpers

INDEX_URL = reverse("horizon:admin:ganeti_clusters:index")
INSTANCES_URL = reverse("horizon:admin:ganeti_instances:index")


def _detail_url(cluster, tab=None):
    url = reverse("horizon:admin:ganeti_clusters:detail", args=[cluster])
    return url + "?tab=cluster_details__%s" % tab if tab else url


def _said(res):
    return [str(m) for m in get_messages(res.wsgi_request)]


class _ClustersCase(helpers.FakeRapiMixin):
    """alpha: two nodes of 4096 MiB, 10240 MiB of disk and 4 CPUs each,
    and vm1 on its first node (1024 MiB, 2 vCPUs, a 2048 MiB disk);
    beta: as the fake makes a cluster.
    """

    def make_fake(self):
        fake = super().make_fake()
        alpha = fake["alpha"]
        alpha.info["enabled_hypervisors"] = ["fake", "kvm"]
        alpha.nodes.clear()
        for name in ("n1", "n2"):
            alpha.add_node(name, mtotal=4096, dtotal=10240, ctotal=4)
        alpha.add_instance("vm1", pnode="n1", disk_template="file",
                           disks=[2048],
                           beparams={"memory": 1024, "vcpus": 2})
        return fake


class ClustersPanelTests(_ClustersCase, test.BaseAdminViewTests):

    def test_lists_every_cluster_with_its_facts(self):
        res = self.client.get(INDEX_URL)
        self.assertTemplateUsed(res, "horizon/common/_data_table_view.html")
        rows = res.context["table"].data
        self.assertEqual(["alpha", "beta"], [r.name for r in rows])
        self.assertEqual([(2, 1), (1, 0)],
                         [(r.node_count, r.instance_count) for r in rows])
        content = res.content.decode()
        self.assertIn("3.0.2", content)
        self.assertIn("node1.beta.example.test", content)
        self.assertIn("fake, kvm", content)
        self.assertIn("reachable", content)

    def test_one_cluster_down_shows_its_error_and_the_other(self):
        self.fake["beta"].fail("refused")
        res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        self.assertIn("connection refused", content)
        self.assertIn("3.0.2", content)
        alpha, beta = res.context["table"].data
        self.assertTrue(alpha.reachable)
        self.assertFalse(beta.reachable)
        self.assertIn("Cluster beta could not be queried: connection "
                      "refused", _said(res))

    def test_wrong_password_says_authentication_failed(self):
        self.fake["alpha"].users["ganeti"][0] = "changed-on-the-cluster"
        res = self.client.get(INDEX_URL)
        self.assertContains(res, "authentication failed")

    def test_missing_config_file_is_a_message_not_a_500(self):
        with helpers.config_file("") as path:
            pass  # deleted on exit: the setting now names a missing file
        with self.settings(GANETI_DASHBOARD_CONFIG=path):
            res = self.client.get(INDEX_URL)
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "does not exist")
        self.assertContains(res, path)

    def test_hostile_texts_are_escaped(self):
        alpha = self.fake["alpha"]
        alpha.nodes["n1"]["role"] = "C"
        alpha.add_node("<b>m</b>\"'", "M")
        alpha.info["software_version"] = "\u00e9"
        # Ganeti's error texts arrive HTML-escaped and are unescaped once.
        self.fake["beta"].fail(500, body=json.dumps(
            {"code": 500, "message": "&lt;script&gt;x&lt;/script&gt;"}))
        res = self.client.get(INDEX_URL)
        content = res.content.decode()
        self.assertEqual(200, res.status_code)
        self.assertIn("\u00e9", content)
        self.assertNotIn("<script>x</script>", content)
        self.assertIn("&lt;script&gt;x&lt;/script&gt;", content)
        self.assertNotIn("<b>m</b>", content)
        self.assertIn("&lt;b&gt;m&lt;/b&gt;", content)

    def test_detail_shows_cluster_info(self):
        res = self.client.get(_detail_url("alpha"))
        self.assertEqual(200, res.status_code)
        self.assertContains(res, "alpha.example.test")
        self.assertContains(res, "diskless, file, sharedfile")
        self.assertNotContains(res, "secret-alpha")

    def test_detail_charts_resource_use(self):
        res = self.client.get(_detail_url("alpha"))
        content = res.content.decode()
        # 1024 of 8192 MiB memory = 12 %; 2048 of 20480 MiB disk = 10 %.
        self.assertIn('data-used="12"', content)
        self.assertIn('data-used="10"', content)
        self.assertIn("1024 / 8192 MiB", content)
        self.assertIn("vm1", content)

    def test_add_tag_starts_a_job_with_the_reason(self):
        url = reverse("horizon:admin:ganeti_clusters:add_tag",
                      args=["alpha"])
        res = self.client.post(url, {"tag": "env:prod"})
        self.assertNoFormErrors(res)
        (write,) = self.fake.writes()
        self.assertEqual(("alpha", "PUT", "/2/tags", "env:prod"),
                         (write.cluster, write.method, write.path,
                          write.query["tag"]))
        self.assertIn("horizon user=", write.query["reason"])
        self.assertEqual(["env:prod"], self.fake["alpha"].tags)

    def test_removing_a_tag_asks_first_and_sends_nothing_until_confirmed(
            self):
        self.fake["alpha"].tags.append("env:prod")
        url = reverse("horizon:admin:ganeti_clusters:remove_tag",
                      args=["alpha"])
        asked = self.client.get(url + "?tag=env:prod")
        self.assertContains(asked, "Remove the tag <strong>env:prod</strong>"
                                   " from cluster <strong>alpha</strong>?")
        self.assertContains(asked, 'value="Remove Tag"')
        self.assertContains(asked, 'type="hidden" name="tag" '
                                   'value="env:prod"')
        self.assertEqual([], self.fake.writes())
        res = self.client.post(url, {"tag": "env:prod"})
        self.assertNoFormErrors(res)
        self.assertEqual(["DELETE"], [w.method for w in self.fake.writes()])
        self.assertEqual([], self.fake["alpha"].tags)

    def test_overview_labels_are_never_cut(self):
        # Bootstrap's dl-horizontal cuts a label to 160 px ("Enabled disk
        # templ..."): the overview is a table whose labels wrap.
        content = self.client.get(_detail_url("alpha")).content.decode()
        self.assertNotIn("dl-horizontal", content)
        self.assertIn('<th scope="row">Enabled disk templates</th>',
                      content)

    def test_bad_tags_are_form_errors_and_nothing_is_sent(self):
        url = reverse("horizon:admin:ganeti_clusters:add_tag",
                      args=["alpha"])
        for bad in ("caf\u00e9", "<b>x</b>", "a b", "x=y"):
            res = self.client.post(url, {"tag": bad})
            self.assertFormErrors(res, 1)
        self.assertEqual([], self.fake.writes())

    def test_read_only_cluster_refuses_tag_changes(self):
        conf = helpers.TWO_CLUSTERS.replace(
            "rapi_password = secret-alpha",
            "rapi_password = secret-alpha\nread_only = true")
        url = reverse("horizon:admin:ganeti_clusters:add_tag",
                      args=["alpha"])
        with helpers.config_file(conf):
            res = self.client.post(url, {"tag": "ok"})
        self.assertEqual(302, res.status_code)
        self.assertEqual([], self.fake.writes())

    def test_detail_of_unknown_cluster_redirects_with_message(self):
        res = self.client.get(_detail_url("nope"))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertIn("No cluster named nope is configured.", _said(res))

    def test_detail_of_unreachable_cluster_redirects_with_message(self):
        # No snapshot of its info at all: nothing to show.
        self.fake["alpha"].fail("hanging")
        res = self.client.get(_detail_url("alpha"))
        self.assertRedirectsNoFollow(res, INDEX_URL)
        # A refresh waits refresh_timeout, not the read timeout of pages.
        self.assertIn("Cluster alpha: no answer within 120s", _said(res))


class ClusterDetailInstancesTests(_ClustersCase, test.BaseAdminViewTests):
    """The Instances tab: the first instances by name, the total, and
    the way to the whole list.
    """

    def test_first_fifty_and_the_total_with_a_link_to_the_list(self):
        alpha = self.fake["alpha"]
        for number in range(52):
            alpha.add_instance("web%02d.alpha" % number, pnode="n2")
        res = self.client.get(_detail_url("alpha", "instances"))
        self.assertEqual(200, res.status_code)
        content = res.content.decode()
        shown = sorted(alpha.instances)[:50]
        self.assertEqual("web48.alpha", shown[-1])
        for name in shown:
            self.assertIn(reverse("horizon:admin:ganeti_instances:detail",
                                  args=["alpha:" + name]), content)
        for name in ("web49.alpha", "web50.alpha", "web51.alpha"):
            self.assertNotIn(name, content)
        self.assertIn("The first 50 of 53 instances, by name.", content)
        self.assertIn('<a href="%s">All instances, with filters and '
                      'pages</a>' % INSTANCES_URL, content)

    def test_all_shown_says_no_more(self):
        res = self.client.get(_detail_url("alpha", "instances"))
        self.assertContains(res, reverse(
            "horizon:admin:ganeti_instances:detail", args=["alpha:vm1"]))
        self.assertNotContains(res, "The first ")


class ClusterWentDownTests(_ClustersCase, test.BaseAdminViewTests):
    """A cluster that went down is shown as its last snapshots show it,
    with their age and the cause.
    """

    CONFIG = helpers.AGING

    def setUp(self):
        super().setUp()
        self.clock = helpers.SnapshotClock(self)

    def _down_since_two_minutes(self, cluster, page):
        self.client.get(page)  # the snapshots are taken
        self.fake[cluster].fail("refused")
        self.clock.now += 125  # too old to serve without a new try
        return self.client.get(page)

    def test_list_shows_its_last_facts_with_age_and_cause(self):
        res = self._down_since_two_minutes("beta", INDEX_URL)
        self.assertEqual(200, res.status_code)
        alpha, beta = res.context["table"].data
        self.assertTrue(alpha.reachable)
        self.assertFalse(beta.reachable)
        self.assertEqual(("3.0.2", 1, 0), (beta.info["software_version"],
                                           beta.node_count,
                                           beta.instance_count))
        self.assertContains(res, "node1.beta.example.test")
        self.assertIn("Cluster beta is shown as it was 2 minutes ago: it "
                      "cannot be queried now: connection refused",
                      _said(res))

    def test_list_says_the_age_of_an_old_snapshot_being_refreshed(self):
        started = time.monotonic()
        self.client.get(INDEX_URL)
        self.clock.now += 90
        # beta's info is being refreshed by another worker since long.
        cache.add(snapshots._key("beta", cluster_state.INFO.name, "lease"),
                  ("another", self.clock.now - 30), 60)
        res = self.client.get(INDEX_URL)
        took = time.monotonic() - started
        self.assertTrue(all(s.reachable for s in res.context["table"].data))
        said = _said(res)
        self.assertEqual(1, len(said), said)
        # 90 s and what the two pages took (the clock runs on meanwhile).
        found = re.fullmatch(r"Cluster beta is shown as it was (\d+) "
                             r"seconds ago; it is being queried again\.",
                             said[0])
        self.assertTrue(found, said)
        self.assertLessEqual(90, int(found.group(1)))
        self.assertLessEqual(int(found.group(1)), 90 + took + 1)

    def test_detail_shows_its_last_snapshot_with_age_and_cause(self):
        res = self._down_since_two_minutes("alpha", _detail_url("alpha"))
        self.assertEqual(200, res.status_code)
        self.assertIn("Cluster alpha is shown as it was 2 minutes ago: it "
                      "cannot be queried now: connection refused",
                      _said(res))
        content = res.content.decode()
        self.assertIn("alpha.example.test", content)
        self.assertIn("1024 / 8192 MiB", content)  # the resource charts
        self.assertIn('data-used="12"', content)

    def test_detail_shows_the_other_tabs_from_the_snapshots(self):
        self.client.get(_detail_url("alpha"))
        self.fake["alpha"].fail("refused")
        self.clock.now += 125
        res = self.client.get(_detail_url("alpha", "instances"))
        self.assertContains(res, reverse(
            "horizon:admin:ganeti_instances:detail", args=["alpha:vm1"]))


class ClusterHangingTests(_ClustersCase, test.BaseAdminViewTests):
    """A cluster that hangs from the start (no snapshot yet) holds the
    page for snapshot_wait once, not once per kind of snapshot.
    """

    CONFIG = helpers.AGING

    def setUp(self):
        super().setUp()
        helpers.hang_for_real(self.fake, self)

    def test_list_waits_snapshot_wait_once(self):
        self.fake["beta"].fail("hanging")
        started = time.monotonic()
        res = self.client.get(INDEX_URL)
        took = time.monotonic() - started
        self.assertLess(took, 2.5)  # snapshot_wait is 1 second
        alpha, beta = res.context["table"].data
        self.assertEqual("3.0.2", alpha.info["software_version"])
        self.assertEqual("no answer yet", beta.error)

    def test_detail_waits_snapshot_wait_once_then_says_why(self):
        self.fake["alpha"].fail("hanging")
        started = time.monotonic()
        res = self.client.get(_detail_url("alpha"))
        self.assertLess(time.monotonic() - started, 2.5)
        self.assertRedirectsNoFollow(res, INDEX_URL)
        self.assertIn("Cluster alpha: no answer yet", _said(res))


class ClustersPanelMemberTests(_ClustersCase, test.TestCase):
    """A project member (no admin role) has no Admin > Ganeti."""

    def test_member_cannot_open_clusters(self):
        res = self.client.get(INDEX_URL)
        self.assertNotEqual(200, res.status_code)
        self.assertNotIn(b"alpha.example.test", res.content)
        self.assertEqual([], self.fake.requests)
