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

"""Moves between the two sandbox clusters in a real browser: an operator
moves a 'file' instance of sandbox2 to sandbox with Move to Cluster...,
Ganeti's remote export and import run for real (the sandbox shares the
clusters' domain secret and routes between their nodes, see
tools/lib/sandbox/peers.sh), and the instance arrives with its owner tags;
and a move the destination refuses (the name is taken there) is the
form's error and changes nothing.

The instance is named c2vmNNN.ganeti.test: Ganeti resolves the source
instance's name on the destination's master, and sandbox's nodes resolve
sandbox2's instance names. Everything made is removed afterwards on both
clusters: instances through RAPI, exports with ``gnt-backup remove``.
"""

import os
import random
import re
import subprocess
import time

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import REPO
from tests.browser import pages

pytestmark = pytest.mark.browser

SETTLE = 180  # s: a job of a move (connect timeouts are Ganeti's own)


def _remove_export(cluster, name):
    subprocess.run([os.path.join(REPO, "tools", "ganeti-sandbox"),
                    "--cluster", cluster, "exec", "gnt-backup", "remove",
                    name], capture_output=True, timeout=120, check=False)


def _remove_everywhere(clients, names):
    from ganeti_dashboard.api import errors
    for sandbox_id, client in clients:
        for name in names:
            if name in client.instance_names():
                try:
                    client.wait_for_job(client.delete_instance(name),
                                        timeout=SETTLE)
                except errors.RapiError:
                    pass
            found, _silent = client.exports()
            if any(export == name for _node, export in found):
                _remove_export(sandbox_id, name)


@pytest.fixture
def movable(rapi_client, rapi_client2, sandbox2, keystone_projects):
    """A running 'file' instance c2vmNNN.ganeti.test on sandbox2, owned
    by the demo project (and a user), with a name free on both clusters;
    whatever of that name is on either cluster afterwards is removed.
    """
    taken = set(rapi_client.instance_names()) | set(
        rapi_client2.instance_names())
    free = ["c2vm%03d.ganeti.test" % n for n in range(100, 255)
            if "c2vm%03d.ganeti.test" % n not in taken]
    name = random.choice(free)
    tags = ["openstack:project:%s" % keystone_projects["demo"],
            "openstack:user:gdmove-test-user", "gdmove:not-an-owner-tag"]
    clients = (("dash1", rapi_client), ("dash2", rapi_client2))
    try:
        rapi_client2.wait_for_job(rapi_client2.create_instance({
            "name": name, "disk_template": "file", "disks": [{"size": 1024}],
            "nics": [{}], "os_type": sandbox2["OS"],
            "pnode": sandbox2["NODE"], "beparams": {"memory": 128},
            "start": True, "name_check": False, "ip_check": False,
            "tags": tags}), timeout=SETTLE)
        yield name, tags
    finally:
        _remove_everywhere(clients, [name])
        for _sandbox_id, client in clients:
            assert name not in client.instance_names()
            assert not any(export == name
                           for _node, export in client.exports()[0])


def _open_move(page, horizon_url, name):
    found = pages.open_instance(page, horizon_url + "/admin/ganeti_instances/",
                                name, limit=120)
    pages.row_action(page, found, "Move to Cluster...")


def _job_ids(text):
    """(prepare, export, import) job ids of the form's success message."""
    found = re.search(r"jobs (\d+) \(prepare\) and (\d+) \(export\) on "
                      r"\S+, (\d+) \(import\)", text)
    assert found, text
    return tuple(int(group) for group in found.groups())


def test_move_a_file_instance_to_the_other_cluster(
        login, horizon_url, rapi_client, rapi_client2, sandbox, movable):
    name, tags = movable
    page = login(ADMIN)
    _open_move(page, horizon_url, name)
    page.select_option("#id_cluster", "sandbox")
    page.fill("#id_node", sandbox["NODE"])
    # Horizon's themed checkbox: the input is hidden, its label shows.
    page.locator(".modal label[for=id_remove_source]").first.click()
    assert page.locator("#id_remove_source").is_checked()
    pages.submit_modal(page)
    message = pages.success_text(page, timeout=150_000)
    prepare, export, importing = _job_ids(message)

    # Both jobs end well within their bound: the disk was sent and received.
    sent = rapi_client2.wait_for_job(export, timeout=SETTLE)
    assert sent["status"] == "success", sent["opresult"]
    assert any("finished sending data" in str(entry)
               for entry in sent["oplog"][0])
    received = rapi_client.wait_for_job(importing, timeout=SETTLE)
    assert received["status"] == "success", received["opresult"]
    assert not any("not imported successfully" in str(entry)
                   for entry in received["oplog"][0])
    assert rapi_client2.job(prepare)["status"] == "success"

    # On sandbox: running, file disk, its owner tags (only those).
    moved = rapi_client.instance(name)
    assert moved["status"] == "running"
    assert moved["disk_template"] == "file"
    assert sorted(moved["tags"]) == sorted(
        tag for tag in tags if tag.startswith("openstack:"))
    # Gone from sandbox2 (the export job removed it, as asked).
    assert name not in rapi_client2.instance_names()

    # The dashboard lists it on sandbox, owned by demo.
    def listed_on_sandbox():
        pages.open_instance(page, horizon_url + "/admin/ganeti_instances/",
                            name, limit=120)
        found = pages.cluster_row(page, "instances", name, "sandbox")
        if found.count() != 1 or pages.row(page, name).count() != 1:
            return None
        return found
    found = pages.until(listed_on_sandbox, timeout=120,
                        what="the instance listed on sandbox only")
    assert found.locator("td", has_text=pages.exactly("demo")).count() == 1
    assert page.errors == []


def test_move_the_destination_refuses_is_said_and_changes_nothing(
        login, horizon_url, rapi_client, rapi_client2, sandbox, sandbox2,
        movable):
    """The name is taken on sandbox by the time the form is sent: the
    destination's import job refuses, the form says Ganeti's reason
    within its bound, no export starts, and both instances are as they
    were.
    """
    name, _tags = movable
    page = login(ADMIN)
    _open_move(page, horizon_url, name)
    rapi_client.wait_for_job(rapi_client.create_instance({
        "name": name, "disk_template": "diskless", "disks": [],
        "nics": [{}], "os_type": sandbox["OS"], "pnode": sandbox["NODE"],
        "beparams": {"memory": 128}, "start": False, "name_check": False,
        "ip_check": False}), timeout=SETTLE)
    page.select_option("#id_cluster", "sandbox")
    page.fill("#id_node", sandbox["NODE"])
    started = time.monotonic()
    page.locator(".modal input.btn-primary[type=submit]").click()
    error = page.locator(".modal .alert-danger")
    error.wait_for(timeout=150_000)
    assert time.monotonic() - started < 150
    assert "is already in the cluster" in error.inner_text()
    # No export job on sandbox2; the source still runs there, the
    # instance on sandbox is still the diskless one.
    jobs = rapi_client2.jobs(rapi_client2.job_ids()[:20],
                             fields=("id", "ops"))
    assert not any(op.get("OP_ID") == "OP_BACKUP_EXPORT"
                   and op.get("instance_name") == name
                   for job in jobs for op in job["ops"])
    assert rapi_client2.instance(name)["status"] == "running"
    assert rapi_client.instance(name)["disk_template"] == "diskless"


def test_move_to_a_destination_the_source_cannot_reach(
        login, horizon_url, rapi_client, rapi_client2, sandbox, sandbox2,
        movable):
    """sandbox2's first node loses its route to sandbox for the test: the
    form still starts the move (RAPI cannot know), the export job fails
    with Ganeti's message ("Network is unreachable" in its log), the
    source runs again, and the instance's row says the move failed and
    that sandbox's import job may still make an empty instance there.
    That job waits 300 s for data before it ends (Ganeti 3.0.2), so this
    test takes about six minutes; the route is put back at once.
    """
    name, _tags = movable
    netns, peer_net, via = "gnt-dash2-n1", "198.18.80.0/24", "198.18.82.1"
    assert sandbox2["NODE"].startswith("node1.")
    importing = None
    subprocess.run(["ip", "-n", netns, "route", "del", peer_net],
                   check=True, timeout=30)
    try:
        page = login(ADMIN)
        _open_move(page, horizon_url, name)
        page.select_option("#id_cluster", "sandbox")
        page.fill("#id_node", sandbox["NODE"])
        pages.submit_modal(page)
        _prepare, export, importing = _job_ids(
            pages.success_text(page, timeout=150_000))

        # The list the form went back to: the instance's row follows the
        # export job and says what is left to do (no reload needed).
        def said():
            texts = " ".join(page.locator(".messages .alert")
                             .all_inner_texts())
            return "may still make the instance there" in texts and texts
        texts = pages.until(said, timeout=150, what="the failed move said")
        assert "Job on %s failed" % name in texts
        assert "Ganeti job %d on sandbox" % importing in texts

        from ganeti_dashboard.api import errors
        with pytest.raises(errors.JobFailed) as failed:
            rapi_client2.wait_for_job(export, timeout=SETTLE)
        assert "errors in disk export" in str(failed.value)
        assert "Network is unreachable" in str(
            rapi_client2.job(export)["oplog"])
        assert rapi_client2.instance(name)["status"] == "running"
    finally:
        subprocess.run(["ip", "-n", netns, "route", "replace", peer_net,
                        "via", via], check=True, timeout=30)
        if importing is not None:
            # Its instance can be removed only once it has ended.
            deadline = time.monotonic() + 400
            while rapi_client.job(importing)["status"] not in (
                    "success", "error", "canceled") \
                    and time.monotonic() < deadline:
                time.sleep(5)
