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

"""Backups: an instance's Export..., Admin > Ganeti > Exports, and the
create workflow's "from export" source, against the HTTP-level fake RAPI.
"""

from unittest import mock

from django.urls import reverse

from openstack_dashboard.test import helpers as test

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.api import pending_jobs
from ganeti_dashboard.api import snapshots
from ganeti_dashboard.test import fake_rapi
from ganeti_dashboard.test import helpers

EXPORTS_URL = reverse("horizon:admin:ganeti_exports:index")
CREATE_URL = reverse("horizon:project:ganeti_instances:create")


def _export_url(obj_id, panel="admin"):
    return reverse("horizon:%s:ganeti_instances:action" % panel,
                   args=[obj_id, "export"])


def _fake_ganeti(config):
    """alpha: nodes n1 (master), n2, n3 (drained), n4 (offline); a file
    instance f1 (running), a diskless one d1, a plain one p1; beta: one
    node with an export old1.
    """
    fake = fake_rapi.FakeGaneti.from_config(config)
    alpha, beta = fake["alpha"], fake["beta"]
    alpha.nodes.clear()
    beta.nodes.clear()
    alpha.add_node("n1.alpha", "M")
    alpha.add_node("n2.alpha", "C")
    alpha.add_node("n3.alpha", "D")
    alpha.add_node("n4.alpha", "O")
    alpha.add_instance("f1.alpha", pnode="n1.alpha", disk_template="file",
                       disks=[1024])
    alpha.add_instance("d1.alpha", pnode="n1.alpha")
    alpha.add_instance("p1.alpha", pnode="n1.alpha", disk_template="plain",
                       disks=[1024])
    alpha.os_names = ["noop"]
    alpha.info["enabled_disk_templates"] = ["diskless", "file"]
    alpha.info["ipolicy"]["disk-templates"] = ["diskless", "file"]
    beta.add_node("n1.beta", "M")
    beta.exports["n1.beta"] = {"old1.beta"}
    return fake


class _Case(helpers.FakeRapiMixin):

    def make_fake(self):
        return _fake_ganeti(self.CONFIG)

    def export(self, obj_id="alpha:f1.alpha", **data):
        body = {"destination": "n2.alpha", "shutdown": "on"}
        body.update(data)
        return self.client.post(_export_url(obj_id), {
            k: v for k, v in body.items() if v is not None})

    def exports_shown(self):
        res = self.client.get(EXPORTS_URL)
        self.assertEqual(200, res.status_code)
        return [(e.cluster, e.node, e.name)
                for e in res.context["table"].data]


class ExportTests(_Case, test.BaseAdminViewTests):

    def test_export_of_a_file_instance_stops_it_for_the_copy(self):
        res = self.export()
        self.assertNoFormErrors(res)
        (sent,) = self.fake.writes()
        self.assertEqual(("PUT", "/2/instances/f1.alpha/export"),
                         (sent.method, sent.path))
        # file disks cannot be snapshotted: Ganeti copies them only with
        # the instance down for the whole copy (long_sleep).
        self.assertEqual({"mode": "local", "destination": "n2.alpha",
                          "shutdown": True, "long_sleep": True,
                          "remove_instance": False}, sent.body)
        self.assertIn("horizon user=", sent.query["reason"])
        job = self.fake["alpha"].queue.jobs[int(sent.answer)]
        self.assertEqual("success", job.status)
        snapshots.mark_stale("alpha")
        self.assertIn(("alpha", "n2.alpha", "f1.alpha"),
                      self.exports_shown())

    def test_plain_instance_may_be_exported_running(self):
        res = self.export("alpha:p1.alpha", shutdown=None)
        self.assertNoFormErrors(res)
        (sent,) = self.fake.writes()
        self.assertEqual({"mode": "local", "destination": "n2.alpha",
                          "shutdown": False, "remove_instance": False},
                         sent.body)

    def test_refused_before_any_job(self):
        cases = (
            # Ganeti would shut it down, then fail: nothing to export.
            ("alpha:d1.alpha", {}, "it has no disks to export"),
            # Drained and offline nodes are not offered.
            ("alpha:f1.alpha", {"destination": "n3.alpha"},
             "Select a valid choice"),
            ("alpha:f1.alpha", {"destination": "n4.alpha"},
             "Select a valid choice"),
            ("alpha:f1.alpha", {"shutdown": None},
             "Ganeti cannot snapshot file disks"),
            ("alpha:f1.alpha", {"destination": "n\u00e9.alpha"},
             "Select a valid choice"),
        )
        for obj_id, data, said in cases:
            res = self.export(obj_id, **data)
            self.assertEqual(200, res.status_code, data)
            self.assertContains(res, said, msg_prefix=str(data))
        self.assertEqual([], self.fake.writes())

    def test_form_offers_usable_nodes_and_warns_of_the_shutdown(self):
        res = self.client.get(_export_url("alpha:f1.alpha"))
        content = res.content.decode()
        self.assertIn('value="n2.alpha"', content)
        self.assertNotIn('value="n3.alpha"', content)  # drained
        self.assertNotIn('value="n4.alpha"', content)  # offline
        self.assertIn("shut down while its disks are copied", content)

    def test_ganetis_refusal_is_shown_in_the_job(self):
        # What the dashboard cannot know (e.g. the space left on the
        # node's export directory) is Ganeti's to say, in the job.
        self.client.get(_export_url("alpha:f1.alpha"))  # nodes' snapshot
        self.fake["alpha"].nodes["n2.alpha"]["role"] = "D"
        res = self.export()  # the snapshot still says n2 is usable
        self.assertNoFormErrors(res)
        (sent,) = self.fake.writes()
        job = self.fake["alpha"].queue.jobs[int(sent.answer)]
        self.assertEqual("error", job.status)
        self.assertIn("Can't use drained node n2.alpha", str(job.as_dict()))

    def test_lists_exports_of_every_cluster(self):
        self.assertEqual([("beta", "n1.beta", "old1.beta")],
                         self.exports_shown())
        content = self.client.get(EXPORTS_URL).content.decode()
        self.assertIn("export=beta%3An1.beta%3Aold1.beta", content)

    def test_a_newer_export_replaces_the_older_one(self):
        self.export()
        self.export(destination="n1.alpha")
        snapshots.mark_stale("alpha")
        shown = [e for e in self.exports_shown() if e[0] == "alpha"]
        self.assertEqual([("alpha", "n1.alpha", "f1.alpha")], shown)


class ReadOnlyTests(_Case, test.BaseAdminViewTests):

    CONFIG = helpers.TWO_CLUSTERS.replace(
        "rapi_password = secret-alpha",
        "rapi_password = secret-alpha\nread_only = true")

    def test_read_only_cluster_refuses_export(self):
        res = self.export()
        self.assertContains(res, "read-only")
        self.assertEqual([], self.fake.writes())


class MemberTests(_Case, test.TestCase):

    def test_members_cannot_export_nor_list_exports(self):
        res = self.client.post(_export_url("alpha:f1.alpha", "project"),
                               {"destination": "n2.alpha",
                                "shutdown": "on"})
        self.assertIn(res.status_code, (403, 404))
        self.assertNotEqual(200, self.client.get(EXPORTS_URL).status_code)
        self.assertEqual([], self.fake.writes())


GOOD = {"name": "new1.example.org", "cluster": "beta", "os": "noop",
        "vcpus": 1, "memory": 128, "disk_template": "file", "disks": "1024",
        "nic_mode": "", "nic_link": "", "nic_network": "", "node": "",
        "start": "on", "source_export": "n1.beta/old1.beta"}


class _ImportCase(_Case):

    def setUp(self):
        super().setUp()
        mock.patch.object(keystone_api, "clusters_of_project",
                          return_value={"alpha", "beta"}).start()
        self.addCleanup(mock.patch.stopall)
        beta = self.fake["beta"]
        beta.info["enabled_disk_templates"] = ["diskless", "file"]
        beta.info["ipolicy"]["disk-templates"] = ["diskless", "file"]
        beta.os_names = ["noop"]

    def creates(self):
        return [r for r in self.fake.writes()
                if (r.method, r.path) == ("POST", "/2/instances")]


class ImportTests(_ImportCase, test.BaseAdminViewTests):

    def test_import_from_an_export_with_the_owner_tags(self):
        res = self.client.post(CREATE_URL, GOOD)
        self.assertNoFormErrors(res)
        (create,) = self.creates()
        body = create.body
        self.assertEqual("import", body["mode"])
        self.assertEqual("n1.beta", body["src_node"])
        self.assertEqual("old1.beta", body["src_path"])
        self.assertEqual([{"size": 1024}], body["disks"])
        self.assertIn("openstack:project:%s" % self.tenant.id, body["tags"])
        self.assertIn("openstack:user:%s" % self.user.id, body["tags"])
        self.assertIn("horizon user=", create.query["reason"])
        self.assertIn("new1.example.org", self.fake["beta"].instances)

    def test_form_offers_the_exports_and_is_prefilled_from_the_panel(self):
        res = self.client.get(CREATE_URL + "?export=beta:n1.beta:old1.beta")
        content = res.content.decode()
        self.assertIn('value="n1.beta/old1.beta"', content)
        self.assertIn("None: install the operating system", content)

    def test_an_export_of_another_cluster_is_refused(self):
        res = self.client.post(CREATE_URL, dict(GOOD, cluster="alpha"))
        self.assertContains(res, "Cluster alpha has no export "
                                 "n1.beta/old1.beta")
        self.assertEqual([], self.creates())


class MemberImportTests(_ImportCase, test.TestCase):

    def test_members_get_no_export_source(self):
        content = self.client.get(CREATE_URL).content.decode()
        self.assertNotIn("source_export", content)
        res = self.client.post(CREATE_URL, GOOD)
        self.assertNoFormErrors(res)
        (create,) = self.creates()
        # The posted export was not a field of theirs: a plain create.
        self.assertNotIn("src_path", create.body)
        self.assertEqual("create", create.body["mode"])

    def test_a_member_refused_the_import_url_creates_nothing(self):
        url = CREATE_URL + "?export=beta:n1.beta:old1.beta"
        self.assertEqual(403, self.client.get(url).status_code)
        self.assertEqual(403, self.client.post(url, GOOD).status_code)
        self.assertEqual([], self.creates())


def _move_url(obj_id):
    return reverse("horizon:admin:ganeti_instances:action",
                   args=[obj_id, "move"])


class MoveTests(_Case, test.BaseAdminViewTests):
    """Moves from alpha to beta: Ganeti's remote export and import."""

    def setUp(self):
        super().setUp()
        alpha, beta = self.fake["alpha"], self.fake["beta"]
        alpha.instances["f1.alpha"]["tags"] = [
            "openstack:project:p1", "openstack:user:u1", "other:tag"]
        beta.domain_secret = alpha.domain_secret = "shared"
        beta.os_names = ["noop"]

    def move(self, **data):
        body = {"cluster": "beta", "node": "n1.beta"}
        body.update(data)
        return self.client.post(_move_url("alpha:f1.alpha"), {
            k: v for k, v in body.items() if v is not None})

    def test_move_runs_the_three_steps_with_owner_tags(self):
        res = self.move(remove_source="on")
        self.assertNoFormErrors(res)
        sent = [(r.cluster, r.method, r.path) for r in self.fake.writes()]
        self.assertEqual([
            ("alpha", "PUT", "/2/instances/f1.alpha/prepare-export"),
            ("beta", "POST", "/2/instances"),
            ("alpha", "PUT", "/2/instances/f1.alpha/export")], sent)
        prepare, create, export = self.fake.writes()
        self.assertEqual("remote", prepare.query["mode"])
        body = create.body
        self.assertEqual("remote-import", body["mode"])
        self.assertEqual("f1.alpha", body["source_instance_name"])
        self.assertEqual([0, "fakehash", "shared"], body["source_handshake"])
        self.assertEqual(["openstack:project:p1", "openstack:user:u1"],
                         body["tags"])
        self.assertEqual([{"size": 1024}], body["disks"])
        self.assertEqual("n1.beta", body["pnode"])
        self.assertEqual("remote", export.body["mode"])
        self.assertTrue(export.body["remove_instance"])
        # file disks cannot be snapshotted: sent from the stopped
        # instance, which Ganeti refuses without long_sleep (and leaves
        # the instance stopped).
        self.assertTrue(export.body["shutdown"])
        self.assertTrue(export.body["long_sleep"])
        self.assertTrue(export.body["x509_key_name"])
        self.assertIn("fake destination", export.body["destination_x509_ca"])
        self.assertEqual(1, len(export.body["destination"]))
        for request in (prepare, create, export):
            self.assertIn("horizon user=", request.query["reason"])
        self.assertIn("f1.alpha", self.fake["beta"].instances)
        self.assertNotIn("f1.alpha", self.fake["alpha"].instances)

    def test_snapshot_capable_disks_are_sent_without_long_sleep(self):
        beta = self.fake["beta"]
        beta.info["enabled_disk_templates"] = ["diskless", "file", "plain"]
        beta.info["ipolicy"]["disk-templates"] = list(
            beta.info["enabled_disk_templates"])
        res = self.client.post(_move_url("alpha:p1.alpha"),
                               {"cluster": "beta", "node": "n1.beta"})
        self.assertNoFormErrors(res)
        export = self.fake.writes()[-1]
        self.assertEqual("/2/instances/p1.alpha/export", export.path)
        self.assertNotIn("long_sleep", export.body)

    def test_a_failed_move_says_the_destination_may_keep_an_instance(self):
        self.assertNoFormErrors(self.move())
        pending = pending_jobs.pending("alpha", "f1.alpha")
        self.assertEqual(("move", "beta"),
                         (pending["action"], pending["destination"]))
        # As if the export had failed (the source's node cut off).
        failing = clusters.client("alpha").export_instance(
            "d1.alpha", "n1.alpha", shutdown=True)
        pending_jobs.remember("alpha", "f1.alpha", failing, "move",
                              "Moving", extra=dict(pending, job=failing))
        res = self.client.get(
            reverse("horizon:admin:ganeti_instances:index")
            + "?action=row_update&table=instances&obj_id=alpha:f1.alpha",
            HTTP_X_REQUESTED_WITH="XMLHttpRequest")
        self.assertEqual(200, res.status_code)
        said = res["X-Horizon-Messages"]
        self.assertIn("Job on f1.alpha failed", said)
        self.assertIn("Ganeti job %s on beta may still make the instance "
                      "there" % pending["import_job"], said)

    def test_source_kept_unless_asked(self):
        self.assertNoFormErrors(self.move())
        export = self.fake.writes()[-1]
        self.assertFalse(export.body["remove_instance"])
        self.assertIn("f1.alpha", self.fake["alpha"].instances)

    def test_a_destination_that_refuses_is_the_forms_error_no_export(self):
        self.fake["beta"].domain_secret = "another"
        res = self.move()
        self.assertContains(res, "clusters don&#x27;t share the same "
                                 "domain secret")
        self.assertEqual(["/2/instances/f1.alpha/prepare-export",
                          "/2/instances"],
                         [r.path for r in self.fake.writes()])
        self.assertIn("f1.alpha", self.fake["alpha"].instances)

    def test_refused_before_any_job(self):
        for obj_id, data, said in (
                ("alpha:d1.alpha", {}, "it has no disks to export"),
                ("alpha:f1.alpha", {"cluster": "alpha"},
                 "Select a valid choice"),
                ("alpha:f1.alpha", {"node": "n\u00e9.beta"},
                 "Use a host name")):
            body = {"cluster": "beta", "node": "n1.beta"}
            body.update(data)
            res = self.client.post(_move_url(obj_id), body)
            self.assertContains(res, said, msg_prefix=str(data))
        self.assertEqual([], self.fake.writes())

    def test_no_listening_within_the_bound_is_said_and_canceled(self):
        from ganeti_dashboard.api import moves
        with mock.patch.object(moves, "import_info", return_value=None), \
                mock.patch.object(moves, "LISTEN_WAIT", 0):
            self.fake["beta"].hold_jobs = True
            res = self.move()
        self.assertContains(res, "did not listen within")
        self.assertEqual(["prepare-export", "instances"],
                         [r.path.rsplit("/", 1)[-1]
                          for r in self.fake.writes()
                          if r.method != "DELETE"])
