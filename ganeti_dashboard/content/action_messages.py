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

"""The one place that words what an action did: started, refused, failed.

Every instance action (one click, bulk or a form) and every node action
says what happened through these functions, so the same case reads the
same everywhere: "Starting: web1 (Ganeti job 12).", "web1 was not
started: it is already running.", "web1 was not started: <Ganeti's own
text>". Horizon's own batch message ("You are not allowed to start
instance: X") is never used: it says the same for a refusal by policy
and by state.
"""

import dataclasses

from django.utils.translation import gettext as _

from horizon import messages


def _done(action):
    """The past participle of ``action`` (a key of api.instances.ACTIONS
    or a node action), as the messages use it.
    """
    return {
        "start": _("started"), "shutdown": _("shut down"),
        "reboot": _("rebooted"), "reinstall": _("reinstalled"),
        "rename": _("renamed"), "modify": _("resized"),
        "grow_disk": _("grown"), "migrate": _("migrated"),
        "failover": _("failed over"), "delete": _("deleted"),
        "set_role": _("given a new role"), "evacuate": _("evacuated"),
        "modify_group": _("modified"), "assign_nodes": _("given nodes"),
        "add_tag": _("tagged"), "remove_tag": _("untagged"),
        "disk_add": _("given a new disk"), "disk_grow": _("grown"),
        "disk_remove": _("changed (disk removal)"),
        "nic_add": _("given a new network interface"),
        "nic_modify": _("changed (network interface)"),
        "nic_remove": _("changed (network interface removal)"),
        "activate_disks": _("changed (disk activation)"),
        "deactivate_disks": _("changed (disk deactivation)"),
        "recreate_disks": _("changed (disk recreation)"),
        "replace_disks": _("changed (disk replacement)"),
        "change_primary": _("moved to another primary node"),
        "connect": _("connected"), "disconnect": _("disconnected"),
        "modify_network": _("modified"),
    }.get(action, action)


@dataclasses.dataclass
class Outcome:
    """What one action on one object came to: a job started (``job``),
    refused before any job (``refusal``, a ``preconditions.Refusal`` or
    text), or refused by Ganeti (``error``, its text).
    """

    name: str
    job: int | None = None
    refusal: object = None
    error: str | None = None


def started(label, outcomes):
    """"Starting: web1 (Ganeti job 12), web2 (Ganeti job 13)."."""
    items = [_("%(name)s (Ganeti job %(job)s)") % {"name": o.name,
                                                   "job": o.job}
             for o in outcomes]
    return _("%(label)s: %(items)s.") % {"label": label,
                                         "items": ", ".join(items)}


def refused(action, name, why):
    """"web1 was not started: it is already running."."""
    return _("%(name)s was not %(done)s: %(why)s.") % {
        "name": name, "done": _done(action), "why": why}


def report(request, action, label, outcomes):
    """Put one message per kind of outcome on the page.

    Started jobs are one success message; an object already as the action
    would leave it (``refusal.done``) is information, not an error; every
    other refusal and every failure is an error naming the object and why.
    """
    ok = [o for o in outcomes if o.job is not None]
    if ok:
        messages.success(request, started(label, ok))
    for outcome in outcomes:
        if outcome.job is not None:
            continue
        why = outcome.refusal if outcome.refusal is not None \
            else outcome.error
        text = refused(action, outcome.name, why)
        if getattr(outcome.refusal, "done", False):
            messages.info(request, text)
        else:
            messages.error(request, text)
