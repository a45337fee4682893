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

"""The RAPI coverage table and the opcode of each write, against the
Ganeti installed here (its ``connector.py`` lists the handlers, its
``rlib2.py`` the opcode of each method).
"""

import glob
import os
import re

import pytest

from ganeti_dashboard.api import opcodes

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
TABLE = os.path.join(REPO, "doc", "source", "rapi-coverage.rst")
# Placeholders as connector.py names them, and as the table writes them.
PLACEHOLDERS = {"node_name": "node_name", "instance_name": "instance_name",
                "group_name": "group_name", "network_name": "network_name",
                "job_id": "job_id", "disk": "disk_index",
                "query_res": "resource", "filter_uuid": "filter_uuid"}
SAMPLES = {"job_id": "17", "disk_index": "0"}


def _rapi_dir():
    found = sorted(glob.glob("/usr/share/ganeti/3.*/ganeti/rapi"))
    if not found:
        pytest.fail("Ganeti 3 is not installed (tools/test installs it)")
    return found[-1]


def handlers():
    """``{path template: handler class}`` of Ganeti's RAPI."""
    with open(os.path.join(_rapi_dir(), "connector.py")) as source:
        text = source.read()
    body = text[text.index("def GetHandlers"):]
    found = {}
    for literal, call, handler in re.findall(
            r'(?:"(/[^"]*)"|translate_fn\(([^)]*)\)):\s*rlib2\.(R_\w+)', body):
        if literal:
            found[literal] = handler
            continue
        path = ""
        for part in (p.strip() for p in call.split(",")):
            path += part.strip('"') if part.startswith('"') \
                else "[%s]" % PLACEHOLDERS[part]
        found[path] = handler
    return found


def handler_opcodes():
    """``{handler class: {method: OP_ID}}`` from ``rlib2.py``."""
    with open(os.path.join(_rapi_dir(), "rlib2.py")) as source:
        text = source.read()
    own, bases = {}, {}
    for block in re.split(r"\nclass ", text)[1:]:
        name, parents = re.match(r"(\w+)\(([^)]*)\)", block).groups()
        bases[name] = [p.strip() for p in parents.split(",")]
        own[name] = {
            method: "OP_" + re.sub(r"(?<!^)(?=[A-Z])", "_", op).upper()
            for method, op in re.findall(
                r"\n  (GET|PUT|POST|DELETE)_OPCODE = opcodes\.Op(\w+)",
                block)}

    def resolved(name):  # a class's opcodes over those it inherits
        found = {}
        for parent in reversed(bases.get(name, [])):
            found.update(resolved(parent))
        found.update(own.get(name, {}))
        return found
    return {name: resolved(name) for name in own}


def _sample(template):
    return re.sub(r"\[(\w+)\]",
                  lambda m: SAMPLES.get(m.group(1), "web1.example.test"),
                  template)


def table_rows():
    """The resources the coverage table lists, and what it says of each."""
    with open(TABLE) as source:
        text = source.read()
    return dict(re.findall(r"\n   \* - ``([^`]+)``\n     - ([^\n]+)", text))


def test_ganetis_rapi_is_read():
    found = handlers()
    # Ganeti 3.0 has 60; a parse that finds few has broken.
    assert len(found) >= 58, sorted(found)
    assert found["/2/instances/[instance_name]/startup"] == \
        "R_2_instances_name_startup"


def test_every_handler_is_in_the_coverage_table():
    rows = table_rows()
    assert sorted(set(handlers()) - set(rows)) == []
    # And the table names nothing Ganeti does not have.
    assert sorted(set(rows) - set(handlers())) == []
    # A resource the dashboard leaves alone says why.
    text = open(TABLE).read()
    for path, methods in rows.items():
        if methods == "none":
            entry = text[text.index("``%s``" % path):]
            assert "Not used:" in entry.split("   * - ")[0], path


def test_each_writes_opcode_is_ganetis():
    """The log line of a started job names the opcode Ganeti runs."""
    ops = handler_opcodes()
    checked = 0
    for template, handler in handlers().items():
        for method, op_id in ops.get(handler, {}).items():
            ours = opcodes.opcode(method, _sample(template))
            if method == "GET" or ours is None:
                continue
            assert ours == op_id, (method, template)
            checked += 1
    assert checked >= 30
    # Every entry of the dashboard's table is one of Ganeti's writes.
    writes = [(method, _sample(template))
              for template, handler in handlers().items()
              for method in ops.get(handler, {}) if method != "GET"]
    for method, pattern, _op in opcodes._COMPILED:
        assert any(m == method and pattern.match(path)
                   for m, path in writes), (method, pattern.pattern)
