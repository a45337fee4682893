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


"""The forms of an instance's Disks and NICs tabs, and of its disk
operations (activate, deactivate, recreate, replace) and primary node.

Each is an entry of the instance forms' registry (``forms.FORMS``), at
``<instance id>/<action>/``, under its own rule. A disk or NIC is picked
in the form; ``?index=N`` (the tabs' row links) preselects it. What
Ganeti would refuse later in a failed job is refused here first: a new
size not above the current one, a MAC or IP that is not one, non-ASCII
text in any field.
"""

import ipaddress
import re

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import cluster_state
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import instance_devices
from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import limits
from ganeti_dashboard.content import action_messages
from ganeti_dashboard.content.action_view import FormAction
from ganeti_dashboard.content.instances import base_forms

# Ganeti's device names, links and node names, ASCII only.
DEVICE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
LINK_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$")
MAC_RE = re.compile(r"^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")
MAX_DISK_MB = 16 * 1024 * 1024
# Ganeti's NIC modes (api.instance_devices.NIC_MODES), as the form says them.
NIC_MODES = (("bridged", _("bridged")), ("routed", _("routed")),
             ("openvswitch", _("openvswitch")))


def validate_device_name(value):
    if value and not DEVICE_NAME_RE.match(value):
        raise django_forms.ValidationError(_(
            "Use ASCII letters, digits, '.', '_' and '-' only."))


def validate_link(value):
    if value and not LINK_RE.match(value):
        raise django_forms.ValidationError(_(
            "A link is a bridge or interface name: ASCII letters, digits, "
            "'.', '_', ':' and '-' only."))


def validate_mac(value):
    if value and value not in ("auto", "generate") \
            and not MAC_RE.match(value):
        raise django_forms.ValidationError(_(
            "Give a MAC address as aa:00:00:12:34:56, or leave it empty."))


def validate_ip(value):
    if not value or value in ("none", "pool"):
        return
    try:
        if not value.isascii():
            raise ValueError(value)
        ipaddress.ip_address(value)
    except ValueError:
        raise django_forms.ValidationError(_(
            "Give an IP address, 'pool' (an address of the network) or "
            "'none'."))


class _DeviceForm(base_forms.InstanceActionForm):
    """A form that picks one of the instance's disks or NICs."""

    device_field = None  # "disk" or "nic"

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        if self.device_field:
            field = self.fields[self.device_field]
            field.choices = self.device_choices()
            index = request.GET.get("index")
            if index is not None and index.isdigit():
                field.initial = index

    def device_choices(self):
        if self.device_field == "disk":
            return [(str(d["index"]),
                     _("disk %(i)d (%(size)s MiB%(name)s)") % {
                         "i": d["index"], "size": d["size"],
                         "name": ", %s" % d["name"] if d["name"] else ""})
                    for d in instance_devices.disks(self.instance)]
        return [(str(n["index"]), _("NIC %(i)d (%(mac)s)") % {
            "i": n["index"], "mac": n["mac"]})
            for n in instance_devices.nics(self.instance)]

    def options(self, data):
        if self.device_field:
            return {"index": int(data[self.device_field])}
        return {}

    def handle(self, request, data):
        try:
            job_id = instance_api.act(request, self.scope, self.instance.id,
                                      self.action, **self.options(data))
        except errors.RapiError as exc:
            self.refused(exc)
            return False
        return self.settle(request, job_id)

    def settle(self, request, job_id):
        """Say what the job does; for a device change of a running
        instance, wait (bounded) to say whether it was hotplugged or
        waits for the next reboot.
        """
        self.report(request, job_id)
        if self.action not in instance_devices.HOTPLUG \
                or not self.instance.is_running:
            return True
        try:
            done = instance_devices.hotplugged(self.instance.cluster,
                                               job_id)
        except errors.RapiError as exc:
            messages.error(request, action_messages.refused(
                self.action, self.instance.name, str(exc)))
            return True
        if done:
            messages.info(request, _(
                "The change was hotplugged: the running instance has it "
                "now."))
        elif done is None:
            messages.info(request, _(
                "Ganeti applies the change by hotplug where the "
                "hypervisor can; otherwise it takes effect at the "
                "instance's next reboot (see its Operations tab)."))
        else:
            messages.warning(request, _(
                "The hypervisor cannot hotplug: the change takes effect "
                "at the instance's next reboot."))
        return True


class _LimitedForm(_DeviceForm):
    """A change that adds disk space: admitted within the project's
    limits (``api.limits.admit``), like the resize form's.
    """

    def added_mb(self, data):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if not self.errors:
            base_forms.enforce_limits(
                self.request, self.instance.project_id,
                limits.Delta(disk_mb=self.added_mb(data)),
                admin=self.scope.project_id is None)
        return data

    def handle(self, request, data):
        started = []

        def start():
            started.append(instance_api.act(
                request, self.scope, self.instance.id, self.action,
                **self.options(data)))
            return self.instance.cluster, started, None

        try:
            limits.admit(request, self.instance.project_id,
                         limits.Delta(disk_mb=self.added_mb(data)), start,
                         admin=self.scope.project_id is None)
        except errors.RapiError as exc:
            self.refused(exc)
            return False
        except (limits.LimitExceeded, limits.LimitError) as exc:
            self.api_error(str(exc))
            return False
        return self.settle(request, started[0])


class DiskAddForm(_LimitedForm):
    action = "disk_add"
    size = forms.IntegerField(label=_("Size (MiB)"), min_value=1,
                              max_value=MAX_DISK_MB)
    mode = forms.ChoiceField(label=_("Access"), initial="rw",
                             choices=(("rw", _("Read-write")),
                                      ("ro", _("Read-only"))))
    disk_name = forms.CharField(label=_("Name"), required=False,
                                max_length=63,
                                validators=[validate_device_name])

    def added_mb(self, data):
        return data.get("size") or 0

    def options(self, data):
        return {"size": data["size"], "mode": data["mode"],
                "disk_name": data.get("disk_name") or None}


class DiskGrowForm(_LimitedForm):
    action = "disk_grow"
    device_field = "disk"
    disk = forms.ChoiceField(label=_("Disk"))
    size = forms.IntegerField(label=_("New size (MiB)"), min_value=1,
                              max_value=MAX_DISK_MB,
                              help_text=_("Disks only grow: the new size "
                                          "must be above the current one."))

    def current(self, data):
        try:
            return self.instance.disk_sizes[int(data.get("disk"))]
        except (TypeError, ValueError, IndexError):
            return None

    def clean(self):
        data = self.cleaned_data
        current = self.current(data)
        size = data.get("size")
        if size is not None and current is not None and size <= current:
            self.add_error("size", _(
                "Disk %(i)s is %(size)d MiB now: give a larger size "
                "(disks cannot shrink).") % {"i": data["disk"],
                                             "size": current})
        return super().clean()

    def added_mb(self, data):
        current = self.current(data)
        if current is None or not data.get("size"):
            return 0
        return max(data["size"] - current, 0)

    def options(self, data):
        return {"index": int(data["disk"]), "amount": self.added_mb(data)}


class DiskRemoveForm(_DeviceForm):
    action = "disk_remove"
    device_field = "disk"
    disk = forms.ChoiceField(label=_("Disk"),
                             help_text=_("The disk and all its data are "
                                         "deleted."))
    confirm = forms.BooleanField(label=_("I understand that its data is "
                                         "lost"))


def _network_options(cluster):
    """``(networks, links, default mode, default link)`` of a cluster,
    from its snapshots (empty when they have nothing yet).
    """
    try:
        found = cluster_state.create_options(cluster)
    except errors.RapiError:
        return [], [], None, None
    return (found.get("network_names") or [], found.get("links") or [],
            found.get("nic_mode"), found.get("nic_link"))


class _NicFieldsForm(_DeviceForm):
    network = forms.ChoiceField(label=_("Network"), required=False)
    mode = forms.ChoiceField(label=_("Mode"), required=False)
    link = forms.CharField(label=_("Link"), required=False, max_length=63,
                           validators=[validate_link])
    mac = forms.CharField(label=_("MAC address"), required=False,
                          max_length=17, validators=[validate_mac])
    ip = forms.CharField(label=_("IP address"), required=False,
                         max_length=45, validators=[validate_ip])
    nic_name = forms.CharField(label=_("Name"), required=False,
                               max_length=63,
                               validators=[validate_device_name])

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        networks, links, mode, link = _network_options(self.instance.cluster)
        self.fields["network"].choices = [("", _("none: mode and link"))] \
            + [(n, n) for n in networks]
        self.fields["network"].help_text = _(
            "A network connected to the instance's node group gives the "
            "NIC its mode and link.")
        self.fields["mode"].choices = [("", _("the cluster's default (%s)")
                                        % (mode or "-"))] + list(NIC_MODES)
        self.fields["link"].help_text = _(
            "A bridge or interface; empty: the cluster's default (%s). "
            "Known: %s.") % (link or "-", ", ".join(links) or "-")

    def clean(self):
        data = super().clean()
        if data.get("network") and (data.get("mode") or data.get("link")):
            self.add_error("network", _(
                "With a network, Ganeti takes the mode and link from it: "
                "leave those empty."))
        if data.get("ip") == "pool" and not data.get("network"):
            self.add_error("ip", _("An address from the pool needs a "
                                   "network."))
        return data

    def nic_options(self, data):
        return {"network": data.get("network") or None,
                "mode": data.get("mode") or None,
                "link": data.get("link") or None,
                "mac": data.get("mac") or None,
                "ip": data.get("ip") or None,
                "nic_name": data.get("nic_name") or None}


class NicAddForm(_NicFieldsForm):
    action = "nic_add"

    def options(self, data):
        return self.nic_options(data)


class NicModifyForm(_NicFieldsForm):
    action = "nic_modify"
    device_field = "nic"
    nic = forms.ChoiceField(label=_("Network interface"))
    field_order = ("nic", "network", "mode", "link", "mac", "ip",
                   "nic_name")

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["mac"].help_text = _("Empty: unchanged.")
        self.fields["ip"].help_text = _(
            "Empty: unchanged; 'none' removes the address.")

    def clean(self):
        data = super().clean()
        if not self.errors and not any(self.nic_options(data).values()):
            raise django_forms.ValidationError(_("Nothing to change."))
        if data.get("mac") in ("auto", "generate"):
            self.add_error("mac", _("Give the new MAC address itself."))
        return data

    def options(self, data):
        return dict(self.nic_options(data), index=int(data["nic"]))


class NicRemoveForm(_DeviceForm):
    action = "nic_remove"
    device_field = "nic"
    nic = forms.ChoiceField(label=_("Network interface"))


class ActivateDisksForm(_DeviceForm):
    action = "activate_disks"
    ignore_size = forms.BooleanField(
        label=_("Ignore the recorded sizes"), required=False,
        help_text=_("Only to repair disks whose real size differs from "
                    "Ganeti's record."))

    def options(self, data):
        return {"ignore_size": data["ignore_size"]}


class DeactivateDisksForm(_DeviceForm):
    action = "deactivate_disks"


class RecreateDisksForm(_DeviceForm):
    action = "recreate_disks"
    confirm = forms.BooleanField(label=_(
        "I understand that the disks are created empty"))


class ReplaceDisksForm(_DeviceForm):
    action = "replace_disks"
    mode = forms.ChoiceField(label=_("Mode"), initial="replace_auto", choices=(
        ("replace_auto", _("Automatic: replace what is faulty")),
        ("replace_on_primary", _("On the primary node")),
        ("replace_on_secondary", _("On the secondary node")),
        ("replace_new_secondary", _("Onto a new secondary node"))))
    remote_node = forms.ChoiceField(label=_("New secondary node"),
                                    required=False)

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["remote_node"].choices = base_forms.node_choices(
            request, self.instance.cluster,
            exclude={self.instance.pnode, *self.instance.snodes},
            first=[("", _("Chosen by the cluster's iallocator"))])
        self.fields["remote_node"].help_text = _(
            "For a new secondary only.")

    def clean(self):
        data = super().clean()
        if data.get("remote_node") \
                and data.get("mode") != "replace_new_secondary":
            self.add_error("remote_node", _(
                "A node is chosen only for a new secondary."))
        return data

    def options(self, data):
        options = {"mode": data["mode"]}
        if data["mode"] == "replace_new_secondary":
            if data.get("remote_node"):
                options["remote_node"] = data["remote_node"]
            else:
                options["iallocator"] = "hail"
        return options


class ChangePrimaryForm(_DeviceForm):
    action = "change_primary"
    node = forms.ChoiceField(
        label=_("New primary node"),
        help_text=_("Ganeti only records the new node: the disks must "
                    "already be reachable there (shared storage, or moved "
                    "by hand)."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["node"].choices = base_forms.node_choices(
            request, self.instance.cluster, exclude={self.instance.pnode})

    def options(self, data):
        return {"node": data["node"]}


# action in the URL -> its form, title and policy rule.
FORMS = {
    "disk_add": FormAction(DiskAddForm, _("Add Disk"),
                           "ganeti:instance:disk_add"),
    "disk_grow": FormAction(DiskGrowForm, _("Grow Disk"),
                            "ganeti:instance:disk_grow"),
    "disk_remove": FormAction(DiskRemoveForm, _("Remove Disk"),
                              "ganeti:instance:disk_remove"),
    "nic_add": FormAction(NicAddForm, _("Add Network Interface"),
                          "ganeti:instance:nic_add"),
    "nic_modify": FormAction(NicModifyForm, _("Change Network Interface"),
                             "ganeti:instance:nic_modify"),
    "nic_remove": FormAction(NicRemoveForm, _("Remove Network Interface"),
                             "ganeti:instance:nic_remove"),
    "activate_disks": FormAction(ActivateDisksForm, _("Activate Disks"),
                                 "ganeti:instance:activate_disks"),
    "deactivate_disks": FormAction(DeactivateDisksForm,
                                   _("Deactivate Disks"),
                                   "ganeti:instance:deactivate_disks"),
    "recreate_disks": FormAction(RecreateDisksForm, _("Recreate Disks"),
                                 "ganeti:instance:recreate_disks"),
    "replace_disks": FormAction(ReplaceDisksForm, _("Replace Disks"),
                                "ganeti:instance:replace_disks"),
    "change_primary": FormAction(ChangePrimaryForm,
                                 _("Change Primary Node"),
                                 "ganeti:instance:change_primary"),
}
