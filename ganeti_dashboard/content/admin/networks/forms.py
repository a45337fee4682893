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

"""Modal forms of Admin > Ganeti > Networks: create, and the actions on
one network. Each starts a Ganeti job through ``api.networks`` and names
it; Ganeti's refusal is the form's error. A malformed subnet, an address
outside the subnet, a name RAPI could not address and non-ASCII text are
refused here, before any job.
"""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms

from ganeti_dashboard.api import networks as network_api
from ganeti_dashboard.content.action_view import FormAction
from ganeti_dashboard.content import job_forms

MODE_CHOICES = (("bridged", _("Bridged")), ("routed", _("Routed")),
                ("openvswitch", _("Open vSwitch")))


def _ascii(value, what):
    if value and not value.isascii():
        raise django_forms.ValidationError(
            _("%s may contain only ASCII characters.") % what)
    return value


class Ipv6Fields(django_forms.Form):
    """The IPv6 subnet, its gateway and the MAC prefix, on create and on
    modify.
    """

    subnet6 = forms.CharField(
        label=_("IPv6 subnet"), required=False, max_length=64,
        help_text=_("Optional, in CIDR notation: 2001:db8::/64. Ganeti "
                    "keeps no pool of IPv6 addresses."))
    gateway6 = forms.CharField(
        label=_("IPv6 gateway"), required=False, max_length=64,
        help_text=_("An address inside the IPv6 subnet, or empty."))
    mac_prefix = forms.CharField(
        label=_("MAC prefix"), required=False, max_length=8,
        help_text=_("Three octets, such as aa:00:00: the MAC addresses "
                    "Ganeti makes for NICs on this network start with "
                    "them."))

    def check_ipv6(self, data, subnet6_now=None):
        """``data`` with its IPv6 fields checked (errors on their fields)
        and normalised, the gateway against the new or else the current
        (``subnet6_now``) IPv6 subnet.
        """
        for field, what in (("subnet6", _("The IPv6 subnet")),
                            ("gateway6", _("The IPv6 gateway")),
                            ("mac_prefix", _("The MAC prefix"))):
            value = (data.get(field) or "").strip()
            try:
                data[field] = _ascii(value, what)
            except django_forms.ValidationError as exc:
                self.add_error(field, exc)
                data[field] = ""
        subnet6, why = network_api.parse_subnet6(data["subnet6"])
        if why:
            self.add_error("subnet6", why)
            return data
        data["subnet6"] = str(subnet6) if subnet6 else ""
        mac_prefix, why = network_api.parse_mac_prefix(data["mac_prefix"])
        if why:
            self.add_error("mac_prefix", why)
        data["mac_prefix"] = mac_prefix or ""
        if data["gateway6"]:
            subnet6 = subnet6 or network_api.parse_subnet6(subnet6_now)[0]
            if subnet6 is None:
                self.add_error("gateway6", _("An IPv6 gateway needs an IPv6 "
                                             "subnet."))
                return data
            gateway6, why = network_api.parse_address(
                data["gateway6"], subnet6, _("IPv6 gateway"))
            if why:
                self.add_error("gateway6", why)
            data["gateway6"] = gateway6 or ""
        return data


class CreateForm(job_forms.CreateJobForm, Ipv6Fields):
    api = network_api
    object_kwarg = "network"
    label = _("Create network")
    field_order = ("cluster", "name", "subnet", "gateway", "reserved_ips",
                   "subnet6", "gateway6", "mac_prefix", "tags")
    name = forms.CharField(label=_("Name"), max_length=network_api.NAME_MAX,
                           help_text=_("Letters, digits, '.', '_' and '-'."))
    subnet = forms.CharField(
        label=_("Subnet"), max_length=64,
        help_text=_("IPv4, in CIDR notation: 10.0.0.0/24. From /16 to "
                    "/30."))
    gateway = forms.CharField(label=_("Gateway"), required=False,
                              max_length=64,
                              help_text=_("An address inside the subnet, "
                                          "or empty."))
    reserved_ips = forms.CharField(
        label=_("Reserved addresses"), required=False, max_length=4096,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Addresses of the subnet Ganeti must never give to an "
                    "instance, separated by commas or spaces."))
    tags = forms.CharField(label=_("Tags"), required=False, max_length=1024,
                           help_text=_("Separated by spaces or commas."))

    def clean_subnet(self):
        subnet, why = network_api.parse_subnet(self.cleaned_data["subnet"])
        if why:
            raise django_forms.ValidationError(why)
        return subnet

    def clean_gateway(self):
        return _ascii(self.cleaned_data.get("gateway", "").strip(),
                      _("The gateway"))

    def clean_reserved_ips(self):
        return _ascii(self.cleaned_data.get("reserved_ips", ""),
                      _("Reserved addresses"))

    def clean_tags(self):
        return job_forms.split_tags(_ascii(self.cleaned_data.get("tags", ""),
                                           _("Tags")))

    def clean(self):
        data = self.check_ipv6(super().clean())
        subnet = data.get("subnet")
        if subnet is None:
            return data
        if data.get("gateway"):
            gateway, why = network_api.parse_address(
                data["gateway"], subnet, _("Gateway"))
            if why:
                self.add_error("gateway", why)
            data["gateway"] = gateway
        if "reserved_ips" in data:
            found, problems = network_api.parse_addresses(
                data["reserved_ips"], subnet, _("Reserved address"))
            for why in problems:
                self.add_error("reserved_ips", why)
            data["reserved_ips"] = found
        return data

    def start(self, request, data):
        return network_api.create(
            request, data["cluster"], data["name"], str(data["subnet"]),
            gateway=data.get("gateway") or None,
            reserved_ips=data.get("reserved_ips") or [],
            tags=data.get("tags") or [], subnet6=data.get("subnet6"),
            gateway6=data.get("gateway6"), mac_prefix=data.get("mac_prefix"))


class NetworkActionForm(job_forms.ObjectActionForm):
    """Base of the actions on one network: ``self.network``, fresh."""

    object_kwarg = "network"
    api = network_api


class ModifyForm(NetworkActionForm, Ipv6Fields):
    action = "modify"
    message_key = "modify_network"
    label = _("Modify network")
    field_order = ("gateway", "add_reserved", "remove_reserved", "subnet6",
                   "gateway6", "mac_prefix")
    gateway = forms.CharField(
        label=_("New gateway"), required=False, max_length=64,
        help_text=_("An address inside the subnet; empty: unchanged. "
                    "Ganeti changes the gateway and the reserved addresses "
                    "in separate jobs: change one or the other."))
    add_reserved = forms.CharField(
        label=_("Reserve addresses"), required=False, max_length=4096,
        help_text=_("Free addresses of the subnet, separated by commas or "
                    "spaces."))
    remove_reserved = forms.CharField(
        label=_("Release reserved addresses"), required=False,
        max_length=4096,
        help_text=_("External reservations to release."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        job_forms.say_now(self, {
            "gateway": self.network.gateway,
            "subnet6": self.network.subnet6,
            "gateway6": self.network.gateway6,
            "mac_prefix": self.network.mac_prefix})
        self.fields["remove_reserved"].help_text = _(
            "External reservations to release. Now: %s.") % (
            ", ".join(self.network.external) or "-")

    def clean(self):
        data = self.check_ipv6(super().clean(), self.network.subnet6)
        subnet = self.network.subnet_net
        for field in ("gateway", "add_reserved", "remove_reserved"):
            try:
                _ascii(data.get(field), _("Addresses"))
            except django_forms.ValidationError as exc:
                self.add_error(field, exc)
        if self.errors or subnet is None:
            return data
        gateway = (data.get("gateway") or "").strip()
        if gateway:
            gateway, why = network_api.parse_address(gateway, subnet,
                                                     _("Gateway"))
            if why:
                self.add_error("gateway", why)
        data["gateway"] = gateway
        for field, what in (("add_reserved", _("Address to reserve")),
                            ("remove_reserved", _("Address to release"))):
            found, problems = network_api.parse_addresses(
                data.get(field), subnet, what)
            for why in problems:
                self.add_error(field, why)
            data[field] = found
        if self.errors:
            return data
        adding, removing = data["add_reserved"], data["remove_reserved"]
        for address in adding:
            if self.network.is_reserved(address):
                self.add_error("add_reserved", _(
                    "%s is reserved or in use already.") % address)
        for address in removing:
            if address not in self.network.external:
                self.add_error("remove_reserved", _(
                    "%s is not an external reservation of the network.")
                    % address)
        if self.errors:
            return data
        if gateway and (data["add_reserved"] or data["remove_reserved"]):
            raise django_forms.ValidationError(_(
                "Change the gateway and the reserved addresses one at a "
                "time: Ganeti refuses both in one job."))
        if not (gateway or data["add_reserved"] or data["remove_reserved"]
                or data["subnet6"] or data["gateway6"]
                or data["mac_prefix"]):
            raise django_forms.ValidationError(_("Nothing to change."))
        return data

    def start(self, request, data):
        return network_api.modify(
            request, self.network, gateway=data.get("gateway") or None,
            add_reserved=data["add_reserved"],
            remove_reserved=data["remove_reserved"],
            subnet6=data["subnet6"] or None,
            gateway6=data["gateway6"] or None,
            mac_prefix=data["mac_prefix"] or None)


class ConnectForm(NetworkActionForm):
    action = "connect"
    label = _("Connect network")
    group = forms.ChoiceField(label=_("Node group"))
    mode = forms.ChoiceField(label=_("Mode"), choices=MODE_CHOICES,
                             initial="bridged")
    link = forms.CharField(
        label=_("Link"), max_length=64,
        help_text=_("The bridge (bridged), routing table (routed) or "
                    "switch (openvswitch) of the group's nodes."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["group"].choices = [
            (g, g) for g in self.network.unconnected_groups]

    def clean_link(self):
        link = _ascii(self.cleaned_data["link"].strip(), _("The link"))
        if not network_api.NAME.match(link):
            raise django_forms.ValidationError(_(
                "A link may contain only letters, digits, '.', '_' and "
                "'-'."))
        return link

    def start(self, request, data):
        return network_api.connect(request, self.network, data["group"],
                                   data["mode"], data["link"])


class DisconnectForm(NetworkActionForm):
    action = "disconnect"
    label = _("Disconnect network")
    group = forms.ChoiceField(
        label=_("Node group"),
        help_text=_("Ganeti refuses while instances of the group have a "
                    "network interface on the network."))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["group"].choices = [(g, g) for g in self.network.groups]

    def start(self, request, data):
        return network_api.disconnect(request, self.network, data["group"])


class AddTagForm(NetworkActionForm, job_forms.AddTagForm):
    label = _("Add tag to network")


class RemoveTagForm(NetworkActionForm, job_forms.RemoveTagForm):
    label = _("Remove tag from network")


class DeleteForm(NetworkActionForm, job_forms.DeleteForm):
    label = _("Delete network")


# action in the URL -> its form, title and policy rule.
FORMS = {
    "modify": FormAction(ModifyForm, _("Modify Network"),
                         "ganeti:network:modify"),
    "connect": FormAction(ConnectForm, _("Connect Network to Group"),
                          "ganeti:network:connect"),
    "disconnect": FormAction(DisconnectForm,
                             _("Disconnect Network from Group"),
                             "ganeti:network:disconnect"),
    "add_tag": FormAction(AddTagForm, _("Add Tag"), "ganeti:network:tag"),
    "remove_tag": FormAction(RemoveTagForm, _("Remove Tag"),
                             "ganeti:network:tag"),
    "delete": FormAction(DeleteForm, _("Delete Network"),
                         "ganeti:network:delete",
                         submit_label=_("Delete")),
}
