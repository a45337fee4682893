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
from horizon import messages

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import networks as network_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import action_messages
from ganeti_dashboard.content.action_view import FormAction
from ganeti_dashboard.content.admin.clusters.forms import TAG_RE

MODE_CHOICES = (("bridged", _("Bridged")), ("routed", _("Routed")),
                ("openvswitch", _("Open vSwitch")))
TAG_HELP = _("Tags may hold only ASCII letters, digits and . + * / : @ - _ "
             "(at most 128).")


def _done_text(label, name, started):
    text = _("%(action)s %(name)s: Ganeti job %(job)s") % {
        "action": label, "name": name, "job": started.job_id}
    if started.done:
        return _("%s succeeded.") % text
    return _("%s started; it is still running (see Admin > Ganeti > "
             "Jobs).") % text


def _ascii(value, what):
    if value and not value.isascii():
        raise django_forms.ValidationError(
            _("%s may contain only ASCII characters.") % what)
    return value


def _tags(text):
    tags = [t for t in (text or "").replace(",", " ").split() if t]
    for tag in tags:
        if not TAG_RE.match(tag):
            raise django_forms.ValidationError(TAG_HELP)
    return tags


class JobForm(forms.SelfHandlingForm):
    """Runs ``start()`` and says which job it started, or Ganeti's
    refusal as the form's error.
    """

    label = None

    def start(self, request, data):
        raise NotImplementedError

    def object_name(self, data):
        raise NotImplementedError

    def handle(self, request, data):
        try:
            started = self.start(request, data)
        except errors.JobFailed as exc:
            self.api_error(_("Ganeti job %(job)s failed: %(error)s")
                           % {"job": exc.job_id, "error": exc})
            return False
        except errors.Refused as exc:
            self.api_error(self.refused_text(exc.refusal or exc))
            return False
        except errors.RapiError as exc:
            self.api_error(str(exc))
            return False
        messages.success(request, _done_text(
            self.label, self.object_name(data), started))
        return True

    def refused_text(self, why):
        return str(why)


class CreateForm(JobForm):
    label = _("Create network")
    cluster = forms.ChoiceField(label=_("Cluster"))
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

    def __init__(self, request, *args, **kwargs):
        kwargs.pop("network", None)
        super().__init__(request, *args, **kwargs)
        try:
            names = [c.name for c in cluster_api.settings().clusters
                     if not c.read_only]
        except loader.ConfigError:
            names = []
        self.fields["cluster"].choices = [(n, n) for n in names]

    def clean_name(self):
        name = self.cleaned_data["name"]
        why = network_api.check_name(name)
        if why:
            raise django_forms.ValidationError(why)
        return name

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
        return _tags(_ascii(self.cleaned_data.get("tags", ""), _("Tags")))

    def clean(self):
        data = super().clean()
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

    def object_name(self, data):
        return data["name"]

    def start(self, request, data):
        return network_api.create(
            request, data["cluster"], data["name"], str(data["subnet"]),
            gateway=data.get("gateway") or None,
            reserved_ips=data.get("reserved_ips") or [],
            tags=data.get("tags") or [])


class NetworkActionForm(JobForm):
    """Base of the actions on one network: ``self.network``, fresh."""

    action = None  # the action's name in FORMS
    message_key = None  # action_messages' word for it, if not ``action``

    def __init__(self, request, *args, **kwargs):
        self.network = kwargs.pop("network")
        super().__init__(request, *args, **kwargs)

    def clean(self):
        why = self.network.cannot(self.action)
        if why:
            raise django_forms.ValidationError(self.refused_text(why))
        return super().clean()

    def refused_text(self, why):
        return action_messages.refused(self.message_key or self.action,
                                       self.network.name, why)

    def object_name(self, data):
        return self.network.name


class ModifyForm(NetworkActionForm):
    action = "modify"
    message_key = "modify_network"
    label = _("Modify network")
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
        self.fields["gateway"].help_text = _("%(help)s Now: %(now)s.") % {
            "help": self.fields["gateway"].help_text,
            "now": self.network.gateway or "-"}
        self.fields["remove_reserved"].help_text = _(
            "External reservations to release. Now: %s.") % (
            ", ".join(self.network.external) or "-")

    def clean(self):
        data = super().clean()
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
        if not (gateway or data["add_reserved"] or data["remove_reserved"]):
            raise django_forms.ValidationError(_("Nothing to change."))
        return data

    def start(self, request, data):
        return network_api.modify(
            request, self.network, gateway=data.get("gateway") or None,
            add_reserved=data["add_reserved"],
            remove_reserved=data["remove_reserved"])


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


class AddTagForm(NetworkActionForm):
    action = "add_tag"
    label = _("Add tag to network")
    tag = forms.CharField(label=_("Tag"), max_length=128)

    def clean_tag(self):
        tag = self.cleaned_data["tag"]
        if not TAG_RE.match(tag):
            raise django_forms.ValidationError(TAG_HELP)
        return tag

    def start(self, request, data):
        return network_api.add_tags(request, self.network, [data["tag"]])


class RemoveTagForm(NetworkActionForm):
    action = "remove_tag"
    label = _("Remove tag from network")
    tag = forms.ChoiceField(label=_("Tag"))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["tag"].choices = [(t, t) for t in self.network.tags]

    def start(self, request, data):
        return network_api.remove_tags(request, self.network,
                                       [data["tag"]])


class DeleteForm(NetworkActionForm):
    action = "delete"
    label = _("Delete network")

    def start(self, request, data):
        return network_api.delete(request, self.network)


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
