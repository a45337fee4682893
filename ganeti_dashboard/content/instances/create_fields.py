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

"""Fields of the create workflow whose choices depend on the cluster.

Every cluster of the scope is rendered into the page at once, from its
snapshots: a choice carries ``data-clusters`` (the clusters that offer it),
and a field one line per cluster stating, e.g., its instance policy's bounds
(``data-ganeti-hint-for``). The workflow's script shows the chosen
cluster's own (``_create.html``); without it every choice shows, and the
server checks every posted value against the chosen cluster anyway.

Horizon's ``switchable``/``switched`` fields would need one field per
cluster and concept, and its script hides every switched field while the
switchable one is not visible: in a workflow, whenever another step than
the cluster's is open (as when a step with errors opens first).
"""

import re

from django import forms as django_forms
from django.utils.html import format_html
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

# instance policy spec -> the unit its values are shown in
UNITS = {"memory-size": _("MiB"), "cpu-count": _("vCPUs"),
         "disk-size": _("MiB per disk"), "disk-count": _("disks"),
         "nic-count": _("network interfaces")}


class HintsMixin:
    """A widget followed by one line per cluster (``hints``: ``((cluster,
    text), ...)``), the chosen cluster's shown only.
    """

    hints = ()

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.hints:
            return html
        lines = format_html_join("", (
            '<span class="help-block ganeti-hint" '
            'data-ganeti-hint-for="{}">{}</span>'), self.hints)
        return format_html("{}{}", html, lines)


class PerClusterSelect(HintsMixin, django_forms.Select):
    """A select whose options say which clusters offer them.

    ``offered``: value -> cluster names (a value absent from it, such as
    "" for the cluster's default, is offered by all).
    """

    def __init__(self, attrs=None, offered=None):
        super().__init__(attrs)
        self.offered = offered or {}

    def get_context(self, name, value, attrs):
        attrs = dict(attrs or {}, **{"data-ganeti-per-cluster": "1"})
        return super().get_context(name, value, attrs)

    def create_option(self, name, value, label, selected, index,
                      subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index,
                                       subindex, attrs)
        clusters = self.offered.get(str(value))
        if clusters is not None:
            option["attrs"]["data-clusters"] = " ".join(sorted(clusters))
        return option


def per_cluster_choices(field, options, values_of, first=None):
    """Set the choices of ``field`` (a :class:`PerClusterSelect`) from
    every cluster's ``options``: ``values_of(options)`` lists a cluster's
    values; ``first``: a ``(value, label)`` every cluster offers.
    """
    offered = {}
    for cluster, found in sorted(options.items()):
        for value in values_of(found):
            offered.setdefault(value, []).append(cluster)
    choices = [first] if first else []
    choices += [(v, v) for v in sorted(offered)]
    field.widget.offered = offered
    field.choices = choices


def bounds_text(options, spec):
    """What a cluster's instance policy allows of ``spec``, or None."""
    low, high = options["min"].get(spec), options["max"].get(spec)
    if low is None and high is None:
        return None
    text = _("%(low)s to %(high)s %(unit)s") % {
        "low": "-" if low is None else low,
        "high": "-" if high is None else high, "unit": UNITS[spec]}
    std = options["std"].get(spec)
    if std is not None:
        text = _("%(range)s (standard %(std)s)") % {
            "range": text, "std": std}
    return text


class BoundedNumberInput(HintsMixin, django_forms.NumberInput):
    pass


class BoundedTextInput(HintsMixin, django_forms.TextInput):
    pass


class BoundedCheckboxInput(HintsMixin, django_forms.CheckboxInput):
    pass


def show_bounds(field, options, *specs):
    """Put the bounds of ``specs`` of every cluster beside ``field``."""
    lines = []
    for cluster, found in sorted(options.items()):
        texts = [t for t in (bounds_text(found, s) for s in specs) if t]
        if texts:
            lines.append((cluster, _("Instance policy of %(cluster)s: "
                                     "%(bounds)s") % {
                "cluster": cluster,
                "bounds": "; ".join(str(t) for t in texts)}))
    field.widget.hints = tuple(lines)


def policy_message(spec, low, high, cluster):
    """The error of a value outside the instance policy of ``cluster``."""
    return _("Cluster %(cluster)s's instance policy allows %(low)s to "
             "%(high)s %(unit)s.") % {
        "cluster": cluster, "low": "-" if low is None else low,
        "high": "-" if high is None else high, "unit": UNITS[spec]}


# The one place a name pattern numbers its instances: %d, or %02d (up to
# %09d) for numbers of that many digits (web-01, web-02, ...).
NUMBER = re.compile(r"%(0[1-9])?d")


def batch_names(text, count):
    """The names that ``text`` gives ``count`` instances, numbered from
    1; raises ``ValidationError`` when it is not one pattern (a count of
    1 takes a plain name too).
    """
    text = text or ""
    found = NUMBER.findall(text)
    rest = NUMBER.sub("", text)
    if len(found) > 1 or "%" in rest:
        raise django_forms.ValidationError(_(
            "Put %(number)s (or %(padded)s for 01, 02, ...) once in the "
            "name, where the number of each instance goes, and no other "
            "%(sign)s.") % {"number": "%d", "padded": "%02d", "sign": "%"})
    if not found:
        if count > 1:
            raise django_forms.ValidationError(_(
                "To create more than one, give a name pattern with "
                "%(number)s where the number goes, e.g. %(example)s.") % {
                "number": "%d", "example": "web-%d.example.org"})
        return [text]
    width = int(found[0] or "0")
    return [NUMBER.sub("%0*d" % (width, number), text, count=1)
            for number in range(1, count + 1)]
