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

"""``pip install .`` carries everything Horizon needs from the package
(the README's install commands, followed in a fresh Horizon from PyPI:
``tests/browser/test_readme_install.py``).
"""

import os
import subprocess
import sys
import zipfile

import pytest

from ganeti_dashboard import static_assets
from tests import checkout_copy

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

pytestmark = pytest.mark.integration


def test_wheel_holds_panels_wiring_policy_and_templates(tmp_path):
    # Built from a copy without .git: the package data must not depend on
    # git, whose list of files pbr otherwise uses.
    copy = str(tmp_path / "checkout")
    version = checkout_copy.checkout_copy(copy)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "--disable-pip-version-check", "-w", str(tmp_path), copy],
                   check=True, capture_output=True,
                   env=dict(os.environ, PBR_VERSION=version))
    wheel, = tmp_path.glob("ganeti_dashboard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
            "ganeti_dashboard/api/rapi.py",
            "ganeti_dashboard/enabled/_3000_ganeti_admin_panel_group.py",
            "ganeti_dashboard/enabled/_3010_ganeti_admin_clusters_panel.py",
            "ganeti_dashboard/local_settings.d/_3000_ganeti_dashboard.py",
            "ganeti_dashboard/conf/default_policies/ganeti.yaml",
            "ganeti_dashboard/conf/ganeti_policy.yaml",
            "ganeti_dashboard/content/admin/clusters/templates/"
            "ganeti_clusters/_detail_overview.html"):
        assert needed in names
    assert not any(n.startswith("tests/") for n in names)
    # Every file of the package git holds (templates of every panel too),
    # and the console's libraries, which git does not hold.
    tracked = subprocess.run(["git", "ls-files", "ganeti_dashboard"],
                             cwd=REPO, check=True, capture_output=True,
                             text=True).stdout.split()
    assert tracked and sorted(set(tracked) - names) == []
    assets = "ganeti_dashboard/console/assets/node_modules/"
    for name in (static_assets.NOVNC, static_assets.XTERM,
                 static_assets.XTERM_CSS, static_assets.XTERM_FIT,
                 "@novnc/novnc/LICENSE.txt", "@xterm/xterm/LICENSE"):
        assert assets + name in names
    metadata = next(n for n in names if n.endswith("entry_points.txt"))
    entry_points = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "ganeti_dashboard.conf.opts:list_opts" in entry_points
    assert "ganeti = ganeti_dashboard.conf.policies:list_rules" in \
        entry_points


def test_the_wheel_installs_a_working_ganeti_console_proxy(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "--disable-pip-version-check", "-w", str(tmp_path), REPO],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob("ganeti_dashboard-*.whl")
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-index",
                    "--no-deps", "-q", "--disable-pip-version-check",
                    "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    script = target / "bin" / "ganeti-console-proxy"
    config = tmp_path / "ganeti-dashboard.conf"
    config.write_text("[console]\nsecret = s\n")
    env = dict(os.environ, PYTHONPATH=str(target))
    ran = subprocess.run([str(script), "--config-file", str(config)],
                         capture_output=True, text=True, env=env, timeout=60)
    # It starts, reads the file and refuses to listen without allowed_origins.
    assert ran.returncode == 2
    assert ("%s: option allowed_origins is required in section [console]"
            % config) in ran.stderr
