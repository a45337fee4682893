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

import logging
import os

from django.core.cache.backends import redis as redis_backend
import pytest

from ganeti_dashboard.conf import loader
from ganeti_dashboard.console import store as store_mod


def _write(tmp_path, text, name="ganeti-dashboard.conf"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_reads_clusters_sorted_by_name(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    path = _write(tmp_path, """
[DEFAULT]
refresh_interval = 5
max_snapshot_age = 120
snapshot_wait = 2.5
[cluster:zz-one]
rapi_url = https://one.example.test:5080/
rapi_user = u
rapi_password = s3cret-pw
ca_file = %s
read_only = true
[cluster:two]
rapi_url = https://two.example.test:5080
read_timeout = 2.5
refresh_timeout = 300
[unrelated]
x = 1
""" % ca)
    settings = loader.load(path)
    assert [c.name for c in settings.clusters] == ["two", "zz-one"]
    two, one = settings.clusters
    assert one.rapi_url == "https://one.example.test:5080"
    assert one.read_only and one.ca_file == str(ca) and one.verify_tls
    assert two.read_timeout == 2.5 and two.connect_timeout == 3.0
    assert (two.refresh_timeout, one.refresh_timeout) == (300.0, 120.0)
    assert (settings.refresh_interval, settings.max_snapshot_age,
            settings.snapshot_wait) == (5, 120, 2.5)
    assert settings.cluster("two") is two and settings.cluster("x") is None
    assert "s3cret-pw" not in repr(one)  # the password never shows in logs


def test_snapshot_defaults(tmp_path):
    settings = loader.load(_write(tmp_path, "[cluster:a]\n"
                                            "rapi_url = https://a\n"))
    assert (settings.refresh_interval, settings.max_snapshot_age,
            settings.snapshot_wait, settings.first_snapshot_wait) == (
                10, 300, 10.0, 30.0)
    assert settings.clusters[0].refresh_timeout == 120.0


def test_cache_ttl_is_still_read_as_refresh_interval(tmp_path, caplog):
    """Files written before snapshots keep working, with a warning."""
    with caplog.at_level(logging.WARNING):
        settings = loader.load(_write(tmp_path, "[DEFAULT]\ncache_ttl = 7\n"))
    assert settings.refresh_interval == 7
    assert "cache_ttl" in caplog.text and "refresh_interval" in caplog.text


def test_missing_file_names_the_file_and_how_to_set_it(tmp_path):
    path = str(tmp_path / "absent.conf")
    with pytest.raises(loader.ConfigError) as failed:
        loader.load(path)
    assert path in str(failed.value)
    assert "GANETI_DASHBOARD_CONFIG" in str(failed.value)


@pytest.mark.parametrize("text, expected", [
    ("[cluster:a]\nrapi_user = u\n",
     "option rapi_url is required in section [cluster:a]"),
    ("[cluster:a]\nrapi_url = https://a\nread_timeout = soon\n",
     "read_timeout"),
    ("[cluster:a]\nrapi_url = ftp://a\n", "must be an https:// (or http://) URL"),
    ("[cluster:a]\nrapi_url = https://a\nrapi_password = a$b\n",
     "must be written '$$'"),
    ("[cluster:a]\nrapi_url = https://a\nca_file = /nonexistent/ca.pem\n",
     "option ca_file in section [cluster:a] names /nonexistent/ca.pem"),
    ("[cluster:]\nrapi_url = https://a\n", "has no cluster name"),
    ("[cluster:a:b]\nrapi_url = https://a\n", "may hold only letters"),
    ("[DEFAULT]\nrefresh_interval = 0\n", "option refresh_interval"),
    # A file of before snapshots: the option it names is the one it uses.
    ("[DEFAULT]\ncache_ttl = -1\n",
     "option refresh_interval was called cache_ttl before"),
    ("[DEFAULT]\nmax_snapshot_age = 0\n", "option max_snapshot_age"),
    ("[DEFAULT]\nsnapshot_wait = soon\n", "option snapshot_wait"),
    ("[cluster:a]\nrapi_url = https://a\nrefresh_timeout = 0\n",
     "option refresh_timeout"),
    ("this is not ini\n", "cannot be parsed"),
])
def test_wrong_file_names_file_and_option(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(loader.ConfigError) as failed:
        loader.load(path)
    assert path in str(failed.value)
    assert expected in str(failed.value)


def test_turning_tls_verification_off_is_logged(tmp_path, caplog):
    path = _write(tmp_path, "[cluster:lab]\nrapi_url = https://lab\n"
                            "verify_tls = false\n")
    with caplog.at_level(logging.WARNING):
        settings = loader.load(path)
    assert settings.clusters[0].verify_tls is False
    assert "TLS verification is OFF for Ganeti cluster lab" in caplog.text


def test_file_is_read_again_when_it_changes(tmp_path):
    path = _write(tmp_path, "[cluster:a]\nrapi_url = https://a\n")
    assert [c.name for c in loader.load(path).clusters] == ["a"]
    with open(path, "a") as f:
        f.write("[cluster:b]\nrapi_url = https://b\n")
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10 ** 9))
    assert [c.name for c in loader.load(path).clusters] == ["a", "b"]


def test_path_comes_from_setting_then_environment(settings, monkeypatch):
    settings.GANETI_DASHBOARD_CONFIG = "/from/setting.conf"
    monkeypatch.setenv("GANETI_DASHBOARD_CONFIG", "/from/env.conf")
    assert loader.config_path() == "/from/setting.conf"
    settings.GANETI_DASHBOARD_CONFIG = None
    assert loader.config_path() == "/from/env.conf"
    monkeypatch.delenv("GANETI_DASHBOARD_CONFIG")
    assert loader.config_path() == loader.DEFAULT_PATH


def test_dollar_doubled_in_a_password_reads_as_one(tmp_path):
    path = _write(tmp_path, "[cluster:a]\nrapi_url = https://a\n"
                            "rapi_password = pa$$word\n")
    assert loader.load(path).clusters[0].rapi_password == "pa$word"


def test_instance_templates(tmp_path):
    path = _write(tmp_path, "[cluster:a]\nrapi_url = https://a\n"
                            "[template:small]\nvcpus = 1\nmemory = 512\n"
                            "disks = 1024,2048\nos = noop\n")
    template = loader.load(path).template("small")
    assert (template.vcpus, template.memory, template.disks, template.os) \
        == (1, 512, (1024, 2048), "noop")
    assert loader.load(path).template("big") is None


def test_console_defaults_without_a_console_section(tmp_path):
    console = loader.load(_write(tmp_path, "[cluster:a]\nrapi_url = https://a\n")).console
    assert (console.listen_address, console.listen_port, console.token_ttl,
            console.token_store, console.serial_mode, console.ssh_user,
            console.ssh_port, console.connect_timeout) == (
        "127.0.0.1", 6080, 60, ("127.0.0.1:11211",), "local", "root", 22, 5.0)
    assert console.proxy_url is None and console.secret is None
    assert console.allowed_origins == () and not console.tls


def test_console_section(tmp_path):
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("x")
    key.write_text("x")
    path = _write(tmp_path, """
[console]
proxy_url = wss://console.example.org/
listen_address = 0.0.0.0
listen_port = 6443
cert_file = %s
key_file = %s
allowed_origins = https://Horizon.example.org, http://127.0.0.1:8080
token_ttl = 30
secret = co$$nsole-s3cret
token_store = 10.0.0.5:11211,10.0.0.6:11211
serial_mode = ssh
ssh_user = console
ssh_port = 2222
connect_timeout = 2.5
""" % (cert, key))
    console = loader.load(path).console
    assert console.proxy_url == "wss://console.example.org"
    assert (console.listen_address, console.listen_port) == ("0.0.0.0", 6443)
    assert console.tls and console.cert_file == str(cert)
    assert console.allowed_origins == ("https://horizon.example.org",
                                       "http://127.0.0.1:8080")
    assert console.token_ttl == 30 and console.secret == "co$nsole-s3cret"
    assert console.token_store == ("10.0.0.5:11211", "10.0.0.6:11211")
    assert (console.serial_mode, console.ssh_user, console.ssh_port,
            console.connect_timeout) == ("ssh", "console", 2222, 2.5)
    assert "s3cret" not in repr(console) and "s3cret" not in repr(loader.load(path))
    assert console.require("secret") == "co$nsole-s3cret"
    assert console.require_readable("cert_file") == str(cert)


@pytest.mark.parametrize("text, expected", [
    ("proxy_url = https://console.example.org\n",
     "option proxy_url in section [console] must be a wss:// (or ws://) URL"),
    ("cert_file = /etc/c.pem\n",
     "options cert_file and key_file in section [console] go together"),
    ("allowed_origins = https://horizon.example.org/dashboard\n",
     "option allowed_origins in section [console] holds "
     "'https://horizon.example.org/dashboard'"),
    ("allowed_origins = *\n", "option allowed_origins in section [console]"),
    ("token_store = memcached\n",
     "option token_store in section [console] holds 'memcached', which is "
     "not host:port"),
    ("token_store = redis://127.0.0.1:6379/0,127.0.0.1:11211\n",
     "holds a Redis URL among other servers"),
    ("token_store = redis://:pw@127.0.0.1:6379/cache\n",
     "holds a Redis URL that is not like redis://host:6379/0"),
    ("token_store = redis://127.0.0.1:port/0\n",
     "holds a Redis URL that is not like redis://host:6379/0"),
    ("serial_mode = telnet\n", "serial_mode"),
    ("token_ttl = 1\n", "token_ttl"),
    ("listen_port = 99999\n", "listen_port"),
])
def test_wrong_console_option_names_file_and_option(tmp_path, text, expected):
    path = _write(tmp_path, "[console]\n" + text)
    with pytest.raises(loader.ConfigError) as failed:
        loader.load(path)
    assert path in str(failed.value)
    assert expected in str(failed.value)


def test_a_redis_token_store_is_one_url_whose_password_is_never_shown(
        tmp_path):
    path = _write(tmp_path, "[console]\n"
                            "token_store = redis://:s3cret@10.0.0.7:6379/2\n")
    console = loader.load(path).console
    assert console.token_store == ("redis://:s3cret@10.0.0.7:6379/2",)
    assert store_mod.describe(console) == "redis://:***@10.0.0.7:6379/2"
    cache = store_mod.build(console)
    assert isinstance(cache, redis_backend.RedisCache)
    assert cache._servers == ["redis://:s3cret@10.0.0.7:6379/2"]
    assert cache._options["serializer"] is store_mod.TextSerializer
    with pytest.raises(loader.ConfigError) as failed:
        loader.load(_write(tmp_path, "[console]\ntoken_store = "
                                     "redis://:s3cret@h:1/x\n", name="b.conf"))
    assert "s3cret" not in str(failed.value)


def test_a_console_option_needed_but_unset_names_file_section_option(tmp_path):
    path = _write(tmp_path, "[console]\nproxy_url = ws://127.0.0.1:6080\n")
    console = loader.load(path).console
    with pytest.raises(loader.ConfigError) as failed:
        console.require("secret")
    assert str(failed.value) == ("%s: option secret is required in section "
                                 "[console] to use consoles" % path)
    console = loader.load(_write(tmp_path, "[console]\nssh_key_file = "
                                           "/nonexistent/id_ed25519\n",
                                 name="other.conf")).console
    with pytest.raises(loader.ConfigError) as failed:
        console.require_readable("ssh_key_file")
    assert ("option ssh_key_file in section [console] names "
            "/nonexistent/id_ed25519, which cannot be read") in str(failed.value)
