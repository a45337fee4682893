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

"""Write the default policy file Horizon loads for the service ``ganeti``.

    python tools/lib/horizon_default_policies.py OUTPUT_FILE

The file (``DEFAULT_POLICY_FILES["ganeti"]``, committed as
``ganeti_dashboard/conf/default_policies/ganeti.yaml``) is what Horizon's
own management command ``dump_default_policies`` makes of the rules in
``ganeti_dashboard/conf/policies.py``, after a header saying so: exactly the
format Horizon reads, as Horizon makes its own services' files.

The command finds the rules, as every oslopolicy-* tool does, through the
entry point ``ganeti`` of the group ``oslo.policy.policies``: run it where
the package is installed (``tox -e genpolicy``), or through
``tools/check-sample-config``, which provides this checkout's entry points.
"""

import contextlib
import io
import sys

HEADER = """\
# Default policy rules of ganeti-dashboard (Horizon policy service "ganeti"),
# registered with Horizon as DEFAULT_POLICY_FILES["ganeti"]. Do not edit:
# generated from ganeti_dashboard/conf/policies.py by Horizon's
# dump_default_policies (tools/check-sample-config --update, or
# tox -e genpolicy). Operators override rules in the file that
# POLICY_FILES["ganeti"] names, see doc/source/policy.rst.
"""


def dump(namespace="ganeti"):
    """Horizon's ``dump_default_policies`` output for ``namespace``."""
    import django
    from django.conf import settings
    from django.core import management

    if not settings.configured:
        # The command needs Django set up, and nothing but its own app.
        settings.configure(INSTALLED_APPS=["openstack_dashboard"])
        django.setup()
    out = io.StringIO()
    # It writes to sys.stdout itself, not to the command's stdout.
    with contextlib.redirect_stdout(out):
        management.call_command("dump_default_policies",
                                namespace=namespace)
    return out.getvalue()


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: horizon_default_policies.py OUTPUT_FILE")
    text = dump()
    with open(argv[0], "w", encoding="utf-8") as f:
        f.write(HEADER + text)


if __name__ == "__main__":
    main(sys.argv[1:])
