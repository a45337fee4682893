import logging
import os

import pytest

from ganeti_dashboard.conf import loader


def _write(tmp_path, text, name="ganeti-dashboard.conf"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_reads_clusters_sorted_by_name(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    path = _write(tmp_path, """
[DEFAULT]
cache_ttl = 5
[cluster:zz-one]
rapi_url = https://one.example.test:5080/
rapi_user = u
rapi_password = s3cret-pw
ca_file = %s
read_only = true
[cluster:two]
rapi_url = https://two.example.test:5080
read_timeout = 2.5
[unrelated]
x = 1
""" % ca)
    settings = loader.load(path)
    assert [c.name for c in settings.clusters] == ["two", "zz-one"]
    two, one = settings.clusters
    assert one.rapi_url == "https://one.example.test:5080"
    assert one.read_only and one.ca_file == str(ca) and one.verify_tls
    assert two.read_timeout == 2.5 and two.connect_timeout == 3.0
    assert settings.cache_ttl == 5
    assert settings.cluster("two") is two and settings.cluster("x") is None
    assert "s3cret-pw" not in repr(one)  # the password never shows in logs


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
    ("[DEFAULT]\ncache_ttl = -1\n", "cache_ttl"),
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
