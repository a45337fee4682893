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

"""Edit Settings and Redistribute Config of a cluster.

The settings form is built from the cluster's ``/2/info``: a setting the
cluster does not hold is not offered, each field shows the current value
beside it, and only the fields whose value changed are sent.
"""

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import cluster_settings
from ganeti_dashboard.api import errors
from ganeti_dashboard.api import preconditions

YES_NO = (("yes", _("yes")), ("no", _("no")))
ISPEC_LABELS = {
    "memory-size": _("memory (MiB)"), "cpu-count": _("vCPUs"),
    "disk-count": _("disks"), "disk-size": _("disk size (MiB)"),
    "nic-count": _("NICs"), "spindle-use": _("spindles")}


def _ascii(value):
    if isinstance(value, str) and not value.isascii():
        raise django_forms.ValidationError(_(
            "Only ASCII text can be sent to Ganeti."))
    return value


def _shown(value):
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "-"
    return "-" if value in (None, "") else str(value)


class SettingsForm(forms.SelfHandlingForm):
    """Fields are named by where they go: ``cps`` (candidate pool size),
    ``be_<param>``, ``ip_<ratio>``, ``std_/min_/max_<spec>``, ``hv_<param>``
    (of the default hypervisor), ``enabled_hypervisors``,
    ``enabled_disk_templates``.
    """

    def __init__(self, request, *args, **kwargs):
        self.settings = kwargs.pop("settings")
        super().__init__(request, *args, **kwargs)
        self.current = {}
        s = self.settings
        info = s.info
        if "candidate_pool_size" in info:
            self._int("cps", _("Candidate pool size"),
                      info["candidate_pool_size"], minimum=1)
        be = s.beparams
        for param, label, minimum in (
                ("maxmem", _("Default maximum memory (MiB)"), 1),
                ("minmem", _("Default minimum memory (MiB)"), 1),
                ("vcpus", _("Default vCPUs"), 1)):
            if param in be:
                self._int("be_" + param, label, be[param], minimum)
        if "auto_balance" in be:
            self._bool("be_auto_balance", _("Default auto balance"),
                       be["auto_balance"])
        if "enabled_hypervisors" in info and s.known_hypervisors:
            self._many("enabled_hypervisors", _("Enabled hypervisors"),
                       info["enabled_hypervisors"], s.known_hypervisors,
                       _("The first enabled one is the default."))
        if "enabled_disk_templates" in info and s.known_disk_templates:
            self._many("enabled_disk_templates", _("Enabled disk templates"),
                       info["enabled_disk_templates"],
                       s.known_disk_templates)
        ipolicy = s.ipolicy
        for key, label in (("vcpu-ratio", _("Policy: vCPU ratio")),
                           ("spindle-ratio", _("Policy: spindle ratio"))):
            if key in ipolicy:
                self._float("ip_" + key.replace("-", "_"), label,
                            ipolicy[key])
        pairs = [("std", _("Policy std"), ipolicy.get("std") or {})]
        if s.minmax:
            pairs = [("min", _("Policy min"), s.minmax.get("min") or {}),
                     ("max", _("Policy max"), s.minmax.get("max") or {})] \
                + pairs
        for prefix, label, specs in pairs:
            for spec in cluster_settings.ISPECS:
                if spec in specs:
                    self._int("%s_%s" % (prefix, spec.replace("-", "_")),
                              "%s %s" % (label, ISPEC_LABELS[spec]),
                              specs[spec], minimum=0)
        for param, value in sorted(s.hvparams.items()):
            label = _("%(hv)s: %(param)s") % {"hv": s.default_hypervisor,
                                              "param": param}
            name = "hv_" + param
            if isinstance(value, bool):
                self._bool(name, label, value)
            elif isinstance(value, int):
                self._int(name, label, value, None)
            else:
                self._text(name, label, value)

    # -- building fields ---------------------------------------------------

    def _add(self, name, field, current):
        field.help_text = _("Now: %s") % _shown(current)
        self.fields[name] = field
        self.current[name] = current
        self.initial.setdefault(name, field.initial)

    def _int(self, name, label, current, minimum):
        self._add(name, forms.IntegerField(
            label=label, initial=current, min_value=minimum), current)

    def _float(self, name, label, current):
        self._add(name, forms.FloatField(label=label, initial=current,
                                         min_value=0.0), current)

    def _bool(self, name, label, current):
        self._add(name, forms.ChoiceField(
            label=label, choices=YES_NO,
            initial="yes" if current else "no"), current)

    def _text(self, name, label, current):
        self._add(name, forms.CharField(
            label=label, initial=current, required=False,
            max_length=1024), current)

    def _many(self, name, label, current, choices, note=None):
        field = forms.MultipleChoiceField(
            label=label, initial=list(current),
            choices=[(c, c) for c in choices],
            widget=django_forms.CheckboxSelectMultiple)
        self._add(name, field, list(current))
        if note:
            field.help_text = "%s %s" % (field.help_text, note)

    # -- checking and sending ---------------------------------------------

    def clean(self):
        why = preconditions.cluster_refusal(self.settings)
        if why:
            raise django_forms.ValidationError(
                _("Not possible now: %s.") % why)
        data = super().clean()
        for name, value in list(data.items()):
            try:
                _ascii(value)
            except django_forms.ValidationError as exc:
                self.add_error(name, exc)
        for name in ("ip_vcpu_ratio", "ip_spindle_ratio"):
            if data.get(name) is not None and data[name] <= 0:
                self.add_error(name, _("A ratio must be above 0."))
        for spec in cluster_settings.ISPECS:
            key = spec.replace("-", "_")
            low, std, high = (data.get("%s_%s" % (p, key))
                              for p in ("min", "std", "max"))
            if None not in (low, high) and low > high:
                self.add_error("max_" + key, _("Below the policy's min."))
            if None not in (low, std) and std < low:
                self.add_error("std_" + key, _("Below the policy's min."))
            if None not in (high, std) and std > high:
                self.add_error("std_" + key, _("Above the policy's max."))
        if data.get("be_minmem") and data.get("be_maxmem") \
                and data["be_minmem"] > data["be_maxmem"]:
            self.add_error("be_minmem", _("Above the maximum memory."))
        if not self.errors and not self.changes(data):
            raise django_forms.ValidationError(_(
                "Nothing changed: every value is the current one."))
        return data

    def _value(self, name, data):
        value = data.get(name)
        current = self.current[name]
        if isinstance(current, bool):
            return value == "yes"
        if isinstance(current, list):
            return list(value or [])
        if isinstance(current, float) or name.startswith("ip_"):
            return float(value)
        return value

    def changes(self, data):
        """The ``/2/modify`` body of what differs from the current."""
        body = {}
        minmax = None
        for name in self.current:
            if name not in data:
                continue
            value = self._value(name, data)
            current = self.current[name]
            if name in ("enabled_hypervisors", "enabled_disk_templates"):
                if sorted(value) == sorted(current):
                    continue
                # Keep the default hypervisor first while it stays.
                value = [v for v in current if v in value] + sorted(
                    v for v in value if v not in current)
                body[name] = value
                continue
            if value == current:
                continue
            if name == "cps":
                body["candidate_pool_size"] = value
            elif name.startswith("be_"):
                body.setdefault("beparams", {})[name[3:]] = value
            elif name.startswith("ip_"):
                body.setdefault("ipolicy", {})[
                    name[3:].replace("_", "-")] = value
            elif name.startswith("std_"):
                body.setdefault("ipolicy", {}).setdefault("std", {})[
                    name[4:].replace("_", "-")] = value
            elif name.startswith(("min_", "max_")):
                minmax = True
            elif name.startswith("hv_"):
                body.setdefault("hvparams", {}).setdefault(
                    self.settings.default_hypervisor, {})[name[3:]] = value
        if minmax:
            # Ganeti replaces the min/max list whole: send the pair.
            pair = {}
            for side in ("min", "max"):
                pair[side] = dict(self.settings.minmax[side])
                for spec in cluster_settings.ISPECS:
                    name = "%s_%s" % (side, spec.replace("-", "_"))
                    if name in data and data[name] is not None:
                        pair[side][spec] = data[name]
            body.setdefault("ipolicy", {})["minmax"] = [pair]
        return body

    def handle(self, request, data):
        changes = self.changes(data)
        try:
            started = cluster_settings.modify(request, self.settings,
                                              changes)
        except errors.JobFailed as exc:
            self.api_error(_("Ganeti refused the change (job %(job)s "
                             "failed): %(error)s. Nothing was changed.")
                           % {"job": exc.job_id, "error": exc})
            return False
        except errors.RapiError as exc:
            self.api_error(_("Ganeti refused the change: %s. Nothing was "
                             "changed.") % exc)
            return False
        text = _("Settings of %(cluster)s: Ganeti job %(job)s started "
                 "(changed: %(what)s)") % {
            "cluster": self.settings.cluster, "job": started.job_id,
            "what": ", ".join(sorted(changes))}
        if started.done:
            text = _("%s and succeeded.") % text
        else:
            text = _("%s; it is still running.") % text
        messages.success(request, text)
        return True


class RedistributeForm(forms.SelfHandlingForm):
    """The confirmation of a redistribute-config."""

    def __init__(self, request, *args, **kwargs):
        self.cluster = kwargs.pop("cluster")
        super().__init__(request, *args, **kwargs)

    def clean(self):
        why = preconditions.cluster_refusal(self.cluster)
        if why:
            raise django_forms.ValidationError(
                _("Not possible now: %s.") % why)
        return super().clean()

    def handle(self, request, data):
        try:
            started = cluster_settings.redistribute_config(
                request, self.cluster.name)
        except errors.JobFailed as exc:
            self.api_error(_("Ganeti job %(job)s failed: %(error)s")
                           % {"job": exc.job_id, "error": exc})
            return False
        except errors.RapiError as exc:
            self.api_error(str(exc))
            return False
        text = _("Redistribute config of %(cluster)s: Ganeti job %(job)s "
                 "started") % {"cluster": self.cluster.name,
                               "job": started.job_id}
        text = (_("%s and succeeded.") if started.done
                else _("%s; it is still running.")) % text
        messages.success(request, text)
        return True
