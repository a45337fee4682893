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

"""Admin > Ganeti > Networks in a real browser against sandbox2, and a
member's instance on a network with an address from its pool.

Every network and instance a test makes is removed afterwards (instances
first, then each network disconnected and deleted):
tests/integration/test_rapi_client.py expects sandbox2 without networks.
"""

import ipaddress
import random
import re
import time
import uuid

import pytest

from tests.browser.conftest import ADMIN
from tests.browser.conftest import DEMO_MEMBER
from tests.browser import http
from tests.browser.pages import cell
from tests.browser.pages import dismiss_messages
from tests.browser.pages import fill_create_workflow
from tests.browser.pages import row
from tests.browser.pages import row_action
from tests.browser.pages import SETTLE
from tests.browser.pages import submit_modal
from tests.browser.pages import success_text
from tests.browser.test_create_workflow import demo_on_both  # noqa: F401

pytestmark = pytest.mark.browser

URL = "/admin/ganeti_networks/"
CREATE = "/project/ganeti_instances/create/"
GROUP = "default"


def _subnet():
    """A /28 of 10.99.0.0/16 no other test run is likely to hold."""
    return "10.99.%d.%d/28" % (random.randint(0, 255),
                               16 * random.randint(0, 15))


def _remove_network(client, name):
    if name not in [n["name"] for n in client.networks(bulk=False)]:
        return
    for group in client.network(name).get("group_list") or []:
        client.wait_for_job(client.disconnect_network(name, group[0]))
    client.wait_for_job(client.delete_network(name))


@pytest.fixture
def made(rapi_client2):
    """Names of networks and instances the test makes on sandbox2;
    removed afterwards whatever happened.
    """
    found = {"networks": [], "instances": []}
    yield found
    for name in found["instances"]:
        if name in rapi_client2.instance_names():
            rapi_client2.wait_for_job(rapi_client2.delete_instance(name),
                                      timeout=120)
    for name in found["networks"]:
        _remove_network(rapi_client2, name)


def _name():
    return "gdtest-net-%s" % uuid.uuid4().hex[:8]


def _network_row(page, name):
    return row(page, name, table="networks")


def _open(page, horizon_url, name=None):
    page.goto(horizon_url + URL)
    page.wait_for_load_state("networkidle")
    if name:
        found = _network_row(page, name)
        found.wait_for(timeout=30_000)
        return found
    return None


def _form_errors(page, expected):
    """The modal form's text once it is back with the error ``expected``
    (the modal is replaced: the old one may still show older errors).
    """
    page.locator(".modal form", has_text=expected).first.wait_for(
        timeout=30_000)
    return " ".join(page.locator(".modal form").all_inner_texts())


def _success(page):
    return success_text(page, timeout=60_000)


def _cell(found, column):
    return cell(found, "ganeti-network-%s" % column)


def _start_create(page, horizon_url, name, subnet):
    """The create form, opened from the list, for ``name`` on sandbox2."""
    _open(page, horizon_url)
    dismiss_messages(page)
    page.click("#networks__action_create")
    page.locator(".modal form").wait_for()
    page.select_option("#id_cluster", "sandbox2")
    page.fill("#id_name", name)
    page.fill("#id_subnet", subnet)


def test_operator_runs_a_network_through_its_life(
        login, horizon_url, rapi_client2, made, screenshot):
    name, subnet = _name(), _subnet()
    net = ipaddress.IPv4Network(subnet)
    gateway, reserved, outside = str(net[1]), str(net[5]), "192.0.2.77"
    made["networks"].append(name)
    page = login(ADMIN)

    # A gateway outside the subnet is a form error; nothing is made.
    _start_create(page, horizon_url, name, subnet)
    page.fill("#id_gateway", outside)
    page.fill("#id_reserved_ips", "%s, 10.98.0.1" % reserved)
    submit_modal(page)
    text = _form_errors(page, "outside the subnet")
    assert "outside the subnet" in text, text
    assert name not in [n["name"] for n in
                        rapi_client2.networks(bulk=False)]
    # A malformed subnet, and non-ASCII text, likewise.
    page.fill("#id_subnet", "10.99.0.1/24")
    page.fill("#id_gateway", "")
    page.fill("#id_reserved_ips", "")
    page.fill("#id_tags", "caf\u00e9")
    submit_modal(page)
    text = _form_errors(page, "host bits set")
    assert "host bits set" in text and "ASCII" in text, text

    # Create it for real.
    page.fill("#id_subnet", subnet)
    page.fill("#id_gateway", gateway)
    page.fill("#id_reserved_ips", reserved)
    page.fill("#id_tags", "gdtest:net")
    submit_modal(page)
    assert name in _success(page)
    found = _network_row(page, name)
    found.wait_for(timeout=30_000)
    assert _cell(found, "subnet") == str(net)
    assert _cell(found, "gateway") == gateway
    # network, broadcast, gateway and the reserved one of 16.
    assert _cell(found, "addresses").startswith("12 free, 4 reserved")
    assert "gdtest:net" in _cell(found, "tags")
    data = rapi_client2.network(name)
    assert reserved in data["external_reservations"]

    # Modify: reserve one more address, release the first; an address
    # already reserved is refused in the form.
    row_action(page, found, "Modify...")
    page.fill("#id_add_reserved", reserved)
    submit_modal(page)
    assert "reserved or in use already" in _form_errors(
        page, "reserved or in use already")
    page.fill("#id_add_reserved", str(net[6]))
    page.fill("#id_remove_reserved", reserved)
    submit_modal(page)
    assert "Modify network" in _success(page)
    data = rapi_client2.network(name)
    assert str(net[6]) in data["external_reservations"]
    assert reserved not in data["external_reservations"]

    # Connect to group default; delete is then disabled with the reason.
    found = _open(page, horizon_url, name)
    row_action(page, found, "Connect to Group...")
    page.select_option("#id_group", GROUP)
    page.select_option("#id_mode", "bridged")
    page.fill("#id_link", "gntbr0")
    submit_modal(page)
    assert "Connect network" in _success(page)
    found = _open(page, horizon_url, name)
    assert _cell(found, "groups") == "%s (bridged, gntbr0)" % GROUP
    dismiss_messages(page)
    found.locator(".dropdown-toggle").click()
    delete = found.locator("a", has_text="Delete Network...")
    assert "still connected to group %s" % GROUP in delete.inner_text()

    # The detail page: the chart and the connection.
    page.goto(horizon_url + URL + "sandbox2:%s/" % name)
    page.locator(".pie-chart-usage").first.wait_for()
    assert "%s (bridged, gntbr0)" % GROUP in page.locator(
        "td.ganeti-network-groups").inner_text()
    screenshot(page, "detail")

    # Disconnect, then delete.
    found = _open(page, horizon_url, name)
    row_action(page, found, "Disconnect from Group...")
    page.select_option("#id_group", GROUP)
    submit_modal(page)
    assert "Disconnect network" in _success(page)
    found = _open(page, horizon_url, name)
    row_action(page, found, "Delete Network...")
    submit_modal(page)
    assert "Delete network" in _success(page)
    assert name not in [n["name"] for n in
                        rapi_client2.networks(bulk=False)]
    # The job carries the operator in its reason trail.
    page.goto(horizon_url + URL)
    _network_row(page, name).wait_for(state="detached", timeout=30_000)


def test_operator_gives_a_network_ipv6_and_a_mac_prefix(
        login, horizon_url, rapi_client2, made):
    name, subnet = _name(), _subnet()
    six = "2001:db8:%x::/64" % random.randint(1, 0xffff)
    net6 = ipaddress.IPv6Network(six)
    made["networks"].append(name)
    page = login(ADMIN)

    # A multicast MAC prefix and an IPv6 gateway outside the IPv6 subnet
    # are form errors; nothing is made.
    _start_create(page, horizon_url, name, subnet)
    page.fill("#id_subnet6", six)
    page.fill("#id_gateway6", "2001:db8:ffff::1")
    page.fill("#id_mac_prefix", "ab:00:00")
    submit_modal(page)
    text = _form_errors(page, "multicast")
    assert "outside the subnet" in text, text
    assert name not in [n["name"] for n in
                        rapi_client2.networks(bulk=False)]

    page.fill("#id_gateway6", str(net6[1]))
    page.fill("#id_mac_prefix", "AA:0D:01")
    submit_modal(page)
    assert name in _success(page)
    data = rapi_client2.network(name)
    assert (data["network6"], data["gateway6"], data["mac_prefix"]) == (
        str(net6), str(net6[1]), "aa:0d:01")

    # Modify: a new IPv6 gateway, checked against the current IPv6 subnet.
    found = _open(page, horizon_url, name)
    row_action(page, found, "Modify...")
    page.fill("#id_gateway6", "2001:db8:ffff::2")
    submit_modal(page)
    assert "outside the subnet" in _form_errors(page, "outside the subnet")
    page.fill("#id_gateway6", str(net6[2]))
    submit_modal(page)
    assert "Modify network" in _success(page)
    assert rapi_client2.network(name)["gateway6"] == str(net6[2])

    page.goto(horizon_url + URL + "sandbox2:%s/" % name)
    assert page.locator("td.ganeti-network-subnet6").inner_text() == str(
        net6)
    assert page.locator("td.ganeti-network-gateway6").inner_text() == str(
        net6[2])
    assert page.locator("td.ganeti-network-mac-prefix").inner_text() == \
        "aa:0d:01"


def test_a_row_follows_a_job_ganeti_holds(login, horizon_url, rapi_client2,
                                          made):
    """A job that outlives the form's wait (held here by a real PAUSE job
    filter) marks the network's row, which follows it to its end without
    a reload.
    """
    name, subnet = _name(), _subnet()
    made["networks"].append(name)
    page = login(ADMIN)
    _start_create(page, horizon_url, name, subnet)
    submit_modal(page)
    assert name in _success(page)
    rule = rapi_client2.add_filter(
        10, [["opcode", ["=", "OP_ID", "OP_NETWORK_SET_PARAMS"]],
             ["opcode", ["=", "network_name", name]]], "PAUSE",
        reason="gdtest: hold the network's modify")
    try:
        found = _open(page, horizon_url, name)
        row_action(page, found, "Modify...")
        page.fill("#id_mac_prefix", "aa:0d:03")
        submit_modal(page)
        assert "still running" in _success(page)
        found = _network_row(page, name)
        found.locator("td.ganeti-network-state",
                      has_text="Modifying (job").wait_for(timeout=30_000)
        assert rapi_client2.network(name)["mac_prefix"] is None
    finally:
        rapi_client2.delete_filter(rule)
    found.locator("td.ganeti-network-state", has_text="Ready").wait_for(
        timeout=60_000)
    assert rapi_client2.network(name)["mac_prefix"] == "aa:0d:03"


def test_member_gets_an_address_from_the_pool(
        login, horizon_url, rapi_client2, made, demo_on_both):  # noqa
    name, subnet = _name(), _subnet()
    net = ipaddress.IPv4Network(subnet)
    made["networks"].append(name)
    rapi_client2.wait_for_job(rapi_client2.create_network(
        name, subnet, gateway=str(net[1]), mac_prefix="aa:0d:02"))
    rapi_client2.wait_for_job(rapi_client2.connect_network(
        name, GROUP, "bridged", "gntbr0"))
    instance = "gdweb-%s.ganeti.test" % uuid.uuid4().hex[:8]
    made["instances"].append(instance)
    page = login(DEMO_MEMBER)

    def offered():
        """The networks' snapshot is refreshed at most once a minute: a
        network made behind the dashboard's back shows within two.
        """
        page.goto(horizon_url + CREATE)
        page.locator("#id_hypervisor").wait_for()
        page.select_option("#id_cluster", "sandbox2")
        return name in page.evaluate(
            """() => Array.from(document.querySelector(
                "select[name='nic_network']").options)
                .filter(o => !o.disabled && !o.hidden).map(o => o.value)""")
    deadline = time.monotonic() + 180
    while not offered():
        assert time.monotonic() < deadline, "network never offered"
        time.sleep(5)
    fill_create_workflow(page, instance, cluster="sandbox2")
    page.click("a:text-is('Network')")
    page.select_option("#id_nic_network", name)
    page.locator("#id_nic_ip_pool + label, label[for=id_nic_ip_pool]") \
        .first.click()
    assert page.locator("#id_nic_ip_pool").is_checked()
    page.click("input.btn-primary[type=submit]")
    found = row(page, instance)
    found.wait_for(timeout=SETTLE)
    found.locator("td", has_text="Running").wait_for(timeout=SETTLE)
    data = rapi_client2.instance(instance)
    assert data["nic.networks.names"] == [name]
    address = data["nic.ips"][0]
    assert ipaddress.IPv4Address(address) in net
    # Ganeti made the NIC's MAC address from the network's prefix.
    assert data["nic.macs"][0].startswith("aa:0d:02:")
    assert address != str(net[1])
    assert instance in rapi_client2.network(name)["inst_list"]


def test_a_network_no_group_connects_is_refused(
        horizon_url, rapi_client2, made, demo_on_both):  # noqa
    """Not offered, and a forged post naming it is refused on the
    server: no instance is made.
    """
    name = _name()
    made["networks"].append(name)
    rapi_client2.wait_for_job(rapi_client2.create_network(name, _subnet()))
    instance = "gdweb-%s.ganeti.test" % uuid.uuid4().hex[:8]
    made["instances"].append(instance)
    session = http.session(horizon_url, DEMO_MEMBER)
    form = session.get(horizon_url + CREATE, timeout=60)
    assert form.status_code == 200
    answer = http.post(session, horizon_url + CREATE, {
        "name": instance, "cluster": "sandbox2", "os": "noop",
        "hypervisor": "", "vcpus": 1, "memory": 128,
        "disk_template": "diskless", "disks": "", "nic_mode": "",
        "nic_link": "", "nic_network": name, "nic_ip_pool": "on",
        "group": "", "node": "", "snode": "", "start": "on"})
    assert answer.status_code == 200
    # Not a choice of any cluster, or not of sandbox2: a field error.
    assert re.search(r"Cluster sandbox2 has no network %s\.|%s is not one "
                     r"of the available choices" % (name, name),
                     answer.text), answer.text
    assert instance not in rapi_client2.instance_names()
