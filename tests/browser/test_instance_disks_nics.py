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


"""An instance's Disks and NICs tabs in a real browser, against sandbox2.

The instance is a 'file' one made by the test and deleted after it
(its disks sparse files; the instance policy wants 1 GiB at least). The
fake hypervisor refuses hotplug: device changes of the running instance
are said to take effect at the next reboot, and a disk can be removed
only once it is stopped. DRBD cannot exist on the sandbox (no
device-mapper), so replace-disks is seen here only disabled, with its
reason; it is exercised on the fake RAPI (tests/unit).
"""

import time

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser

SETTLE = 60_000  # ms


def _detail(page, horizon_url, name, tab):
    page.goto("%s/admin/ganeti_instances/sandbox2:%s/?tab="
              "instance_details__%s" % (horizon_url, name, tab))
    page.wait_for_load_state("networkidle")
    pane = page.locator("#instance_details__%s" % tab)
    pane.locator("table").wait_for()
    return pane


def _dismiss_messages(page):
    page.evaluate("document.querySelectorAll('.messages .alert')"
                  ".forEach(e => e.remove())")


def _open_form(page, button):
    _dismiss_messages(page)
    button.click()
    page.locator(".modal form").wait_for()


def _submit(page):
    page.locator(".modal input.btn-primary[type=submit]").click()
    page.wait_for_load_state("networkidle")


def _messages(page):
    page.locator(".messages .alert").first.wait_for(timeout=SETTLE)
    return " ".join(page.locator(".messages .alert").all_inner_texts())


def _until(check, what, timeout=120):
    """Poll ``check`` (bounded) until it is true: Ganeti's job ends."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.5)


def _disks(client, name):
    return client.instance(name)["disk.sizes"]


def _nic_count(client, name):
    return len(client.instance(name)["nic.macs"])


@pytest.fixture
def file_instance(made_instance2):
    return made_instance2(disk_template="file", disks=[{"size": 1024}])


def test_nics_add_change_remove(login, horizon_url, rapi_client2,
                                file_instance, screenshot):
    name = file_instance
    page = login(ADMIN)
    pane = _detail(page, horizon_url, name, "nics")
    assert pane.locator("tbody tr[data-nic]").count() == 1
    # Add: the fake hypervisor cannot hotplug.
    _open_form(page, pane.locator("a[data-action=nic_add]"))
    page.fill("#id_nic_name", "extra")
    _submit(page)
    said = _messages(page)
    assert "Adding NIC" in said
    assert "takes effect at the instance's next reboot" in said
    pane = _detail(page, horizon_url, name, "nics")
    assert pane.locator("tbody tr[data-nic]").count() == 2
    _until(lambda: _nic_count(rapi_client2, name) == 2, "NIC added")
    # Change it: a refused MAC first, then an IP.
    row = pane.locator("tbody tr[data-nic='1']")
    _open_form(page, row.locator("a[data-action=nic_modify]"))
    page.fill("#id_mac", "not-a-mac")
    _submit(page)
    assert "Give a MAC address" in page.locator(".modal form").inner_text()
    page.fill("#id_mac", "")
    page.fill("#id_ip", "198.18.99.7")
    _submit(page)
    assert "Changing NIC" in _messages(page)
    pane = _detail(page, horizon_url, name, "nics")
    assert "198.18.99.7" in pane.locator(
        "tbody tr[data-nic='1']").inner_text()
    assert rapi_client2.instance(name)["nic.ips"][1] == "198.18.99.7"
    screenshot(page, "nics")
    # Remove it.
    _open_form(page, pane.locator("tbody tr[data-nic='1'] "
                                  "a[data-action=nic_remove]"))
    _submit(page)
    assert "Removing NIC" in _messages(page)
    _until(lambda: _nic_count(rapi_client2, name) == 1, "NIC removed")
    pane = _detail(page, horizon_url, name, "nics")
    assert pane.locator("tbody tr[data-nic]").count() == 1
    assert len(rapi_client2.instance(name)["nic.macs"]) == 1
    assert page.errors == []


def test_disks_grow_add_remove(login, horizon_url, rapi_client2,
                               file_instance, screenshot):
    name = file_instance
    page = login(ADMIN)
    pane = _detail(page, horizon_url, name, "disks")
    # Replace-disks is for DRBD only: disabled, with the reason.
    replace = pane.locator("button[data-action=replace_disks]")
    assert "only DRBD disks can be replaced; its disks are file" \
        in replace.inner_text()
    assert replace.is_disabled()
    # Removing a disk of the running instance needs hotplug.
    remove = pane.locator("tbody tr[data-disk='0'] "
                          "button[data-action=disk_remove]")
    assert "cannot hotplug" in remove.inner_text()
    # A shrink (or the same size) is refused in the form, no job.
    _open_form(page, pane.locator("a[data-action=disk_grow]"))
    page.fill("#id_size", "1024")
    _submit(page)
    assert "disks cannot shrink" in page.locator(".modal form").inner_text()
    page.fill("#id_size", "1280")
    _submit(page)
    assert "Growing disk" in _messages(page)
    _until(lambda: _disks(rapi_client2, name) == [1280], "disk grown")
    # Add one.
    pane = _detail(page, horizon_url, name, "disks")
    _open_form(page, pane.locator("a[data-action=disk_add]"))
    page.fill("#id_size", "1024")
    page.fill("#id_disk_name", "data")
    _submit(page)
    said = _messages(page)
    assert "Adding disk" in said
    _until(lambda: _disks(rapi_client2, name) == [1280, 1024], "disk added")
    pane = _detail(page, horizon_url, name, "disks")
    assert "data" in pane.locator("tbody tr[data-disk='1']").inner_text()
    screenshot(page, "disks")
    # Stopped, the disk can go.
    rapi_client2.wait_for_job(rapi_client2.shutdown_instance(name,
                                                             timeout=0))
    pane = _detail(page, horizon_url, name, "disks")
    _open_form(page, pane.locator("tbody tr[data-disk='1'] "
                                  "a[data-action=disk_remove]"))
    # Horizon's themed checkbox: the input is hidden, its label shows.
    page.locator(".modal label[for=id_confirm]").first.click()
    _submit(page)
    assert "Removing disk" in _messages(page)
    _until(lambda: _disks(rapi_client2, name) == [1280], "disk removed")
    assert page.errors == []


def test_change_primary_of_a_stopped_instance(login, horizon_url,
                                              rapi_client2, sandbox2,
                                              made_instance2):
    """Diskless, so that nothing is left on the old node (Ganeti only
    records the new primary node).
    """
    name = made_instance2(start=False)
    page = login(ADMIN)
    pane = _detail(page, horizon_url, name, "disks")
    _open_form(page, pane.locator("a[data-action=change_primary]"))
    offered = page.locator("#id_node option").all_inner_texts()
    assert sandbox2["NODE2"] in offered
    assert sandbox2["NODE"] not in offered  # its primary node now
    page.select_option("#id_node", sandbox2["NODE2"])
    _submit(page)
    said = _messages(page)
    assert "Changing primary node" in said \
        or "moved to another primary node" in said, said
    _until(lambda: rapi_client2.instance(name)["pnode"] == sandbox2["NODE2"],
           "primary node changed")
    # Running, it must be shut down first: the button says so.
    rapi_client2.wait_for_job(rapi_client2.startup_instance(name))
    pane = _detail(page, horizon_url, name, "disks")
    button = pane.locator("button[data-action=change_primary]")
    assert "it must be shut down first" in button.inner_text()
    assert button.is_disabled()
    assert page.errors == []
