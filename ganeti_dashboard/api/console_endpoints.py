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

"""Where an instance's consoles listen, worked out on the server from RAPI.

The console tab and pages (``content/instances/console_tab.py``) ask this
module, put what it finds in a token's claims
(:mod:`ganeti_dashboard.console`) and the console proxy connects there.

Ganeti's console resource answers one kind per instance: with the serial
console on, it says ``ssh`` (node and the command that opens the serial
socket) even though VNC listens too; for a VNC-only KVM instance Ganeti
3.0.2 answers HTTP 500 (a luxid bug); for a stopped instance 503; for the
fake hypervisor a ``msg``. So the serial console comes from the ``ssh``
answer, and the VNC endpoint is computed from the instance itself: its
primary node and ``network_port``, bound where ``vnc_bind_address`` says
(a wildcard means the node's primary address). The answer is used only on
the server: it becomes the claims of a console token, never page content.

One or two RAPI calls beyond reading the instance, made only when a
console tab or page is opened.
"""

import dataclasses
import re

from ganeti_dashboard.api import clusters
from ganeti_dashboard.api import errors

WILDCARDS = ("", "0.0.0.0", "::", "[::]")
_SERIAL_SOCKET = re.compile(r"(/[A-Za-z0-9_.+@/-]+\.serial)$")


@dataclasses.dataclass(frozen=True)
class Vnc:
    host: str
    port: int
    node: str


@dataclasses.dataclass(frozen=True)
class Serial:
    node: str
    socket_path: str


@dataclasses.dataclass(frozen=True)
class Consoles:
    """The endpoints an instance offers; ``message`` says why when it
    offers none.
    """

    vnc: Vnc | None = None
    serial: Serial | None = None
    message: str | None = None

    @property
    def kinds(self):
        return [k for k, v in (("vnc", self.vnc), ("serial", self.serial))
                if v is not None]

    def target(self, kind):
        return {"vnc": self.vnc, "serial": self.serial}.get(kind)


NOT_RUNNING = "The instance is not running, so it has no console."


def _serial(answer):
    """The node and serial socket of an ``ssh`` console answer, or None."""
    if not answer or answer.get("kind") != "ssh" or not answer.get("host"):
        return None
    for part in reversed(answer.get("command") or []):
        match = _SERIAL_SOCKET.search(str(part))
        if match:
            return Serial(node=answer["host"], socket_path=match.group(1))
    return None


def _vnc(client, data):
    """The VNC endpoint of a KVM instance, or None if it has none."""
    hvparams = data.get("hvparams") or {}
    port = data.get("network_port")
    if "vnc_bind_address" not in hvparams or not port:
        return None
    bind = hvparams.get("vnc_bind_address")
    if bind is None:
        return None
    node = data.get("pnode")
    if str(bind).strip() in WILDCARDS:
        bind = (client.node(node) or {}).get("pip")
        if not bind:
            return None
    return Vnc(host=str(bind), port=int(port), node=node)


def resolve(instance):
    """The :class:`Consoles` of an instance that the caller has just read
    within its scope (``api.instances.get``, fresh from RAPI).
    """
    client = clusters.client(instance.cluster)
    data = instance.data
    if not data.get("oper_state"):
        return Consoles(message=NOT_RUNNING)
    try:
        answer = client.instance_console(instance.name)
    except errors.NotFound:
        raise  # the instance went away meanwhile: the caller's 404
    except errors.RapiError as exc:
        # 503: stopped meanwhile; 500: Ganeti 3.0.2 on a VNC-only instance.
        if getattr(exc, "status_code", None) == 503:
            return Consoles(message=NOT_RUNNING)
        answer = None
        failure = str(exc)
    else:
        failure = None
    serial = _serial(answer)
    vnc = _vnc(client, data)
    if vnc is None and serial is None:
        if answer and answer.get("kind") == "msg" and answer.get("message"):
            return Consoles(message=str(answer["message"]))
        return Consoles(message=failure or (
            "Ganeti reports no console this dashboard can open for the "
            "instance (kind %s)." % ((answer or {}).get("kind") or "none")))
    return Consoles(vnc=vnc, serial=serial)


def state(instance):
    """Whether the instance runs, for a console page whose connection has
    just closed: ``(running, status label)``, from an instance the caller
    has just read (``api.instances.get``), so no second call.
    """
    return bool(instance.data.get("oper_state")), instance.status_label
