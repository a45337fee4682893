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

"""The proxy's pieces that need no network: start-up checks, ssh command,
log redaction, and how connection failures read to the user.
"""

import errno
import io
import logging
import os
import socket
import subprocess
import sys

import pytest

from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import handler
from ganeti_dashboard.console import logs
from ganeti_dashboard.console import proxy
from ganeti_dashboard.console import targets

PATH = "/etc/ganeti-dashboard/ganeti-dashboard.conf"


@pytest.fixture
def root_logging():
    """logs.setup() takes over the root logger: give pytest's back after."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def console(**values):
    values = dict(dict(path=PATH, secret="s",
                       allowed_origins=("https://horizon.example.org",)),
                  **values)
    return loader.ConsoleConfig(**values)


def test_a_complete_config_passes_the_start_up_check():
    proxy.check(console())


@pytest.mark.parametrize("values, expected", [
    (dict(secret=None), "option secret is required in section [console] to "
                        "run ganeti-console-proxy"),
    (dict(allowed_origins=()), "option allowed_origins is required in section "
                               "[console] to run ganeti-console-proxy"),
    (dict(cert_file="/nonexistent/c.pem", key_file="/nonexistent/k.pem"),
     "option cert_file in section [console] names /nonexistent/c.pem"),
    (dict(serial_mode="ssh", ssh_known_hosts_file="/nonexistent/kh"),
     "option ssh_known_hosts_file in section [console] names /nonexistent/kh"),
])
def test_the_proxy_does_not_start_without_what_it_needs(values, expected):
    with pytest.raises(loader.ConfigError) as failed:
        proxy.check(console(**values))
    assert str(failed.value).startswith(PATH + ": ")
    assert expected in str(failed.value)


def test_ssh_without_an_ssh_command_is_a_config_error(monkeypatch):
    monkeypatch.setattr(proxy.shutil, "which", lambda name: None)
    with pytest.raises(loader.ConfigError) as failed:
        proxy.check(console(serial_mode="ssh"))
    assert "this host has no ssh command" in str(failed.value)


def test_main_reports_a_config_error_and_exits_2(tmp_path, capsys, root_logging):
    path = tmp_path / "gd.conf"
    path.write_text("[console]\nsecret = s\n")
    assert proxy.main(["--config-file", str(path)]) == 2
    assert ("option allowed_origins is required in section [console]"
            in capsys.readouterr().err)


def test_ssh_command_checks_host_keys_and_never_reads_options_from_the_node():
    command = targets.ssh_command(
        "node1.example.org", "/run/ganeti/kvm-hypervisor/ctrl/web 1.serial",
        console(serial_mode="ssh", ssh_key_file="/etc/gd/id", ssh_port=2222,
                ssh_known_hosts_file="/etc/gd/known_hosts", ssh_user="gnt",
                connect_timeout=2.5))
    assert command == [
        "ssh", "-T", "-p", "2222", "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=3",
        "-o", "LogLevel=ERROR", "-i", "/etc/gd/id", "-o", "IdentitiesOnly=yes",
        "-o", "UserKnownHostsFile=/etc/gd/known_hosts", "-l", "gnt", "--",
        "node1.example.org",
        "socat STDIO 'UNIX-CONNECT:/run/ganeti/kvm-hypervisor/ctrl/web 1.serial'"]


def test_tokens_are_masked_in_every_log_line(root_logging):
    stream = io.StringIO()
    logs.setup(stream=stream)
    logging.getLogger("websocket.type").info(
        "Bad request syntax ('GET /vnc?token=eyJqdGkiOi.abc:XYZ&x=1 x')")
    try:
        raise ValueError("path /serial?TOKEN=secret-part")
    except ValueError:
        logging.getLogger("x").exception("failed")
    text = stream.getvalue()
    assert "token=***&x=1" in text and "TOKEN=***" in text
    assert "eyJqdGkiOi" not in text and "secret-part" not in text


@pytest.mark.parametrize("raised, words", [
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"),
     "refused the connection"),
    (TimeoutError("timed out"), "did not answer within 2.5 seconds"),
    (OSError(errno.EHOSTUNREACH, "No route to host"), "cannot be reached"),
])
def test_vnc_failures_read_plainly_and_name_no_address(monkeypatch, raised, words):
    def fail(address, timeout):
        assert timeout == 2.5
        raise raised

    monkeypatch.setattr(socket, "create_connection", fail)
    with pytest.raises(targets.Unavailable) as failed:
        targets.open_vnc("198.18.80.2", 11000, 2.5)
    assert words in str(failed.value)
    assert "198.18" not in str(failed.value) and "11000" not in str(failed.value)
    assert "198.18.80.2:11000" in failed.value.detail


def test_close_reasons_fit_in_a_close_frame():
    reason = handler._reason("é" * 100)
    assert len(reason.encode("utf-8")) <= 123 and reason == "é" * 61


def test_the_proxy_starts_without_django_settings():
    """ganeti-console-proxy runs outside Horizon: importing it (its
    translatable reasons too) may not need Django's settings.
    """
    env = {k: v for k, v in os.environ.items()
           if k != "DJANGO_SETTINGS_MODULE"}
    ran = subprocess.run(
        [sys.executable, "-c", "from ganeti_dashboard.console import proxy"],
        env=env, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
