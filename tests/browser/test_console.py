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

"""Consoles in a real browser, against a real KVM guest on the sandbox.

A project member opens the console tab of their own KVM instance (QEMU
under emulation, booting the sandbox's busybox guest): the noVNC canvas
connects and draws the guest's screen (read back with tesseract), a command
typed into it runs; the serial terminal answers a command too. Then the
refusals: another project's member, a reused link, a stopped instance.
"""

import subprocess
import time
import uuid

from playwright import sync_api as playwright_api
import pytest

from tests.browser.conftest import DEMO_MEMBER
from tests.browser.conftest import OTHER_MEMBER
from tests.browser.pages import SETTLE

pytestmark = pytest.mark.browser

URL = "/project/ganeti_instances/"
GUEST_PROMPT = "guest#"


def _ocr(path):
    """The text tesseract reads in a screenshot of the VNC canvas."""
    done = subprocess.run(["tesseract", path, "-", "--psm", "6"],
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def _poll(what, check, limit):
    deadline = time.monotonic() + limit
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            assert found, "no %s within %ss" % (what, limit)
            return found
        time.sleep(1)


@pytest.fixture
def kvm_instance(made_instance, mapped_projects, console_proxy):
    return made_instance(
        name="gdcon-%s.ganeti.test" % uuid.uuid4().hex[:8],
        hypervisor="kvm", tags=["openstack:project:%s"
                                % mapped_projects["demo"]])


def _click_tab(page, horizon_url, name):
    """The instance's detail page with its console tab opened (loaded only
    now: the tab is not preloaded).
    """
    page.goto("%s%ssandbox:%s/" % (horizon_url, URL, name))
    page.wait_for_load_state("networkidle")
    page.locator("a:text-is('Console')").first.click()


def _open_tab(page, horizon_url, name):
    _click_tab(page, horizon_url, name)
    page.locator(".ganeti-console-frame").wait_for(timeout=30_000)
    return page.frame_locator(".ganeti-console-frame")


def _vnc_text(frame, tmp_path, tag):
    path = str(tmp_path / ("vnc-%s.png" % tag))
    frame.locator("#screen canvas").screenshot(path=path)
    return _ocr(path)


def _serial_text(page):
    """The serial terminal's text, from whichever frame holds it (the VNC
    frame the tab showed before may still be among the page's frames).
    """
    return next(
        (text for text in (_terminal_text(f) for f in reversed(page.frames))
         if text is not None), "")


def _terminal_text(frame):
    """The terminal's text in ``frame``, or None: none there, or the frame
    is between two pages (the VNC page giving way to the serial one), when
    Playwright cannot evaluate in it; the caller polls again.
    """
    try:
        return _evaluate_terminal(frame)
    except playwright_api.Error:
        return None


def _evaluate_terminal(frame):
    return frame.evaluate("""() => {
        const terminal = window.ganetiConsole && window.ganetiConsole.term;
        if (!terminal || !terminal.buffer) {
            return null;
        }
        const buffer = terminal.buffer.active;
        const lines = [];
        for (let i = 0; i < buffer.length; i++) {
            lines.push(buffer.getLine(i).translateToString(true));
        }
        return lines.join("\\n");
    }""")


def test_member_uses_vnc_and_serial_console(login, horizon_url, kvm_instance,
                                            tmp_path, screenshot):
    page = login(DEMO_MEMBER)
    frame = _open_tab(page, horizon_url, kvm_instance)
    status = frame.locator("#status")
    status.filter(has_text="Connected").wait_for(timeout=60_000)
    # The guest's VGA console, drawn by noVNC: its prompt, read back.
    _poll("guest prompt on the VNC screen",
          lambda: GUEST_PROMPT in _vnc_text(frame, tmp_path, "prompt"), 90)
    frame.locator("#screen canvas").click()
    # noVNC sends QEMU the keys' scan codes: a shifted character would need
    # Shift pressed, so the command has none. Its answer, 42, is not part of
    # what was typed: only the guest's shell can have written it.
    page.keyboard.type("expr 44 - 2\n", delay=40)
    _poll("the VNC command's answer",
          lambda: "42" in _vnc_text(frame, tmp_path, "answer").split(), 60)
    screenshot(page, "vnc")  # for the user guide
    # No node address or VNC port reaches the page.
    html = page.content() + frame.locator("html").inner_html()
    assert "198.18.80" not in html and "11000" not in html

    # The switch: the serial console, a terminal in the same frame.
    page.locator(".ganeti-console-kinds a", has_text="Serial console").click()
    serial = page.frame_locator(".ganeti-console-frame")
    serial.locator("#status").filter(has_text="Connected").wait_for(
        timeout=60_000)
    serial.locator(".xterm").wait_for()
    _poll("guest prompt on the serial console",
          lambda: GUEST_PROMPT in _serial_text(page), 60)
    serial.locator(".xterm").click()
    page.keyboard.type("echo serial-$((6*7))-ok\n", delay=20)
    _poll("the serial command's answer",
          lambda: "serial-42-ok" in _serial_text(page), 30)
    # Its own window: a page of its own, with a token of its own.
    with page.expect_popup() as popup:
        page.locator(".ganeti-console-window").click()
    window = popup.value
    window.locator("#status").filter(has_text="Connected").wait_for(
        timeout=60_000)
    window.close()


def test_serial_console_window_shows_the_screen_and_what_came_before(
        login, horizon_url, kvm_instance):
    page = login(DEMO_MEMBER)
    _open_tab(page, horizon_url, kvm_instance)
    page.locator(".ganeti-console-kinds a", has_text="Serial console").click()
    tab = page.frame_locator(".ganeti-console-frame")
    tab.locator("#status").filter(has_text="Connected").wait_for(
        timeout=60_000)
    _poll("guest prompt on the serial console",
          lambda: GUEST_PROMPT in _serial_text(page), 90)
    tab.locator(".xterm").click()
    page.keyboard.type("echo before-$((6*7))\n", delay=20)
    _poll("the tab's answer", lambda: "before-42" in _serial_text(page), 30)
    # Its own window, while the tab is still on the console (QEMU serves
    # one connection): the screen at once, what came before in its
    # scrollback, and both windows live.
    with page.expect_popup() as popup:
        page.locator(".ganeti-console-window").click()
    window = popup.value
    window.locator("#status").filter(has_text="Connected").wait_for(
        timeout=60_000)
    _poll("the tab's output in the window",
          lambda: "before-42" in _serial_text(window), 10)
    assert window.evaluate(
        "window.ganetiConsole.term.options.scrollback") >= 1000
    window.locator(".xterm").click()
    window.keyboard.type("echo after-$((6*7))\n", delay=20)
    _poll("the window's answer", lambda: "after-42" in _serial_text(window),
          30)
    _poll("the window's answer in the tab",
          lambda: "after-42" in _serial_text(page), 30)
    window.close()


def test_other_project_gets_no_console_and_links_work_once(
        login, horizon_url, kvm_instance, browser):
    other = login(OTHER_MEMBER)
    for kind in ("vnc", "serial"):
        response = other.goto("%s%ssandbox:%s/console/%s/"
                              % (horizon_url, URL, kvm_instance, kind))
        assert response.status == 404
    assert other.goto("%s%ssandbox:%s/" % (horizon_url, URL, kvm_instance)
                      ).status == 404

    # A console page's link connects once: a second page using the same
    # token is refused by the proxy and says so.
    member = login(DEMO_MEMBER)
    member.goto("%s%ssandbox:%s/console/serial/"
                % (horizon_url, URL, kvm_instance))
    member.locator("#status").filter(has_text="Connected").wait_for(
        timeout=60_000)
    used = member.locator("body").get_attribute("data-ws-url")
    again = member.context.new_page()
    again.goto("%s%ssandbox:%s/console/serial/"
               % (horizon_url, URL, kvm_instance))
    again.evaluate("""(url) => new Promise((done) => {
        const ws = new WebSocket(url);
        ws.onclose = (e) => { window.closeReason = e.code + " " + e.reason;
                              done(); };
    })""", used)
    reason = again.evaluate("window.closeReason")
    assert reason.startswith("1008") and "already used" in reason


def test_console_tab_says_when_the_instance_stops(login, horizon_url,
                                                  kvm_instance, rapi_client):
    page = login(DEMO_MEMBER)
    page.goto("%s%ssandbox:%s/console/serial/"
              % (horizon_url, URL, kvm_instance))
    status = page.locator("#status")
    status.filter(has_text="Connected").wait_for(timeout=60_000)
    rapi_client.wait_for_job(rapi_client.shutdown_instance(kvm_instance,
                                                           timeout=0))
    status.filter(has_text="The instance has stopped").wait_for(
        timeout=SETTLE)
    # Opened again: the reason, no console.
    _click_tab(page, horizon_url, kvm_instance)
    page.locator(".ganeti-console-message",
                 has_text="not running").wait_for()


def test_fake_instance_console_gives_ganetis_reason(
        login, horizon_url, made_instance, mapped_projects, console_proxy):
    name = made_instance(tags=["openstack:project:%s"
                               % mapped_projects["demo"]])
    page = login(DEMO_MEMBER)
    _click_tab(page, horizon_url, name)
    page.locator(".ganeti-console-message",
                 has_text="Console not available for fake hypervisor"
                 ).wait_for(timeout=30_000)
