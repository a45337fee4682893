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

"""Backups in a real browser against the real two-node cluster: an
operator exports a 'file' instance of sandbox2 to its second node, sees
the export in Admin > Ganeti > Exports, and imports it as a new instance
through the create workflow. Everything made is removed afterwards: the
instances through RAPI, the export with ``gnt-backup remove`` (RAPI has no
call that removes one). Moves to the other cluster are in test_moves.py.
"""

import os
import re
import subprocess
import uuid

import pytest
import requests

from tests.browser.conftest import ADMIN
from tests.browser.conftest import REPO
from tests.browser import pages

pytestmark = pytest.mark.browser

SETTLE = 120  # s


def _open_action(page, url, name, label):
    """The instance's row action ``label`` opened: its modal form."""
    found = pages.open_instance(page, url, name, limit=SETTLE)
    pages.dismiss_messages(page)
    found.locator(".dropdown-toggle").click()
    found.locator("a", has_text=label).click()
    page.locator(".modal form").wait_for()


def _exports(client):
    found, _silent = client.exports()
    return found


def _remove_export(name):
    """``gnt-backup remove`` on sandbox2 (RAPI cannot remove exports)."""
    subprocess.run([os.path.join(REPO, "tools", "ganeti-sandbox"),
                    "--cluster", "dash2", "exec", "gnt-backup", "remove",
                    name], capture_output=True, timeout=120, check=False)


@pytest.fixture
def admin_on_sandbox2(keystone_admin, keystone_projects):
    """The admin project may use sandbox2 (the mapping undone afterwards
    if the test made it): the create workflow is the project's.
    """
    url, headers = keystone_admin
    tags_url = "%s/projects/%s/tags/ganeti:cluster:sandbox2" % (
        url, keystone_projects["admin"])
    had = requests.get(tags_url, headers=headers,
                       timeout=30).status_code != 404
    if not had:
        answer = requests.put(tags_url, headers=headers, timeout=30)
        if answer.status_code != 400:
            answer.raise_for_status()
    yield keystone_projects["admin"]
    if not had:
        requests.delete(tags_url, headers=headers, timeout=30)


@pytest.fixture
def file_instance(rapi_client2, sandbox2):
    """A running 'file' instance on sandbox2's first node; it, the
    instance imported from it and its exports are removed afterwards.
    """
    from ganeti_dashboard.api import errors
    name = "gdbkp-%s.ganeti.test" % uuid.uuid4().hex[:8]
    made = [name]
    rapi_client2.wait_for_job(rapi_client2.create_instance({
        "name": name, "disk_template": "file", "disks": [{"size": 1024}],
        "nics": [{}], "os_type": sandbox2["OS"], "pnode": sandbox2["NODE"],
        "beparams": {"memory": 128}, "start": True, "name_check": False,
        "ip_check": False}), timeout=SETTLE)
    yield name, made
    for made_name in made:
        try:
            rapi_client2.wait_for_job(rapi_client2.delete_instance(
                made_name), timeout=SETTLE)
        except errors.RapiError:
            pass
        if any(export == made_name
               for _node, export in _exports(rapi_client2)):
            _remove_export(made_name)
    assert not any(export in made
                   for _node, export in _exports(rapi_client2))


def test_export_list_and_import_a_file_instance(
        login, horizon_url, rapi_client2, sandbox2, file_instance,
        admin_on_sandbox2):
    name, made = file_instance
    node2 = sandbox2["NODE2"]
    page = login(ADMIN)

    # Export... from the instance's row, to the second node.
    _open_action(page, horizon_url + "/admin/ganeti_instances/", name,
                 "Export...")
    assert page.locator("#id_shutdown").is_checked()
    assert "shut down while its disks are copied" in \
        page.locator(".modal").inner_text()
    page.select_option("#id_destination", node2)
    page.locator(".modal input.btn-primary[type=submit]").click()
    page.wait_for_load_state("networkidle")
    message = page.locator(".alert-success").first
    message.wait_for(timeout=30_000)
    assert re.search(r"Ganeti job \d+", message.inner_text())
    pages.until(lambda: (node2, name) in _exports(rapi_client2),
                what="the export on " + node2)

    # Admin > Ganeti > Exports lists it (after the snapshot's refresh).
    page.goto(horizon_url + "/admin/ganeti_exports/")
    page.wait_for_load_state("networkidle")
    export_row = pages.row(page, name, table="exports")
    pages.until(lambda: export_row.count(), what="the export's row", page=page)
    text = export_row.inner_text()
    assert node2 in text and "sandbox2" in text
    assert page.errors == []

    # Import as New Instance...: the create workflow, source preset.
    new_name = "gdimp-%s.ganeti.test" % uuid.uuid4().hex[:8]
    made.append(new_name)
    pages.dismiss_messages(page)
    link = export_row.locator("a", has_text="Import as New Instance...")
    if not link.is_visible():
        export_row.locator(".dropdown-toggle").click()
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_source_export").input_value() == \
        "%s/%s" % (node2, name)
    assert page.locator("#id_cluster").input_value() == "sandbox2"
    pages.fill_create_workflow(page, new_name, cluster=None,
                               disk_template="file", disks="1024")
    page.click("a:text-is('Placement')")
    page.select_option("#id_node", sandbox2["NODE"])
    page.click("input.btn-primary[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/project/ganeti_instances/" in page.url

    def imported():
        try:
            return rapi_client2.instance(new_name)
        except Exception:
            return None
    found = pages.until(imported, what="the imported instance")
    assert "openstack:project:%s" % admin_on_sandbox2 in found["tags"]
    assert found["disk_template"] == "file"
    # The create job was an import of that export, and it succeeded.
    jobs = rapi_client2.jobs(rapi_client2.job_ids()[:30],
                             fields=("id", "ops"))
    (job_id,) = [job["id"] for job in jobs for op in job["ops"]
                 if op.get("OP_ID") == "OP_INSTANCE_CREATE"
                 and op.get("instance_name") == new_name]
    done = rapi_client2.wait_for_job(job_id, timeout=SETTLE)
    op = done["ops"][0]
    assert op["mode"] == "import" and op["src_path"].endswith(name)
    assert any("export" in str(entry).lower() or "import" in
               str(entry).lower() for entry in done["oplog"][0])
