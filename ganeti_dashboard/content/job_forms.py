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

"""The modal forms of the admin panels that start a Ganeti job (node
groups, networks, nodes), written once: run the action, say which job it
started, or show Ganeti's refusal as the form's error; and the check of a
tag, which every panel with tags makes before any job.
"""

import re

from django import forms as django_forms
from django.utils.translation import gettext_lazy as _

from horizon import forms
from horizon import messages

from ganeti_dashboard.api import clusters as cluster_api
from ganeti_dashboard.api import errors
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import action_messages

# Ganeti's tag rule, restricted to ASCII (non-ASCII text can brick a
# cluster: doc/source/contributor/rapi-facts.rst).
TAG_RE = re.compile(r"^[A-Za-z0-9.+*/:@_-]{1,128}$")
TAG_HELP = _("Tags may hold only ASCII letters, digits and . + * / : @ - _ "
             "(at most 128).")


def check_tag(tag, message=TAG_HELP):
    """``tag`` if Ganeti can store it safely, else a form error."""
    if not TAG_RE.match(tag):
        raise django_forms.ValidationError(message)
    return tag


def split_tags(text):
    """The tags of a field that separates them by spaces or commas, each
    checked.
    """
    tags = [t for t in (text or "").replace(",", " ").split() if t]
    for tag in tags:
        check_tag(tag)
    return tags


def checked_name(api, name):
    """``name`` if ``api.check_name`` (the panel's API module) takes it,
    else a form error saying why.
    """
    why = api.check_name(name)
    if why:
        raise django_forms.ValidationError(why)
    return name


def writable_clusters():
    """The names of the clusters an operator may create things on."""
    try:
        return [c.name for c in cluster_api.settings().clusters
                if not c.read_only]
    except loader.ConfigError:
        return []


def say_now(form, values):
    """Adds each field's current value (``{field: value}``) to its help,
    so a modify form shows what it changes.
    """
    for field, now in values.items():
        form.fields[field].help_text = _("%(help)s Now: %(now)s.") % {
            "help": form.fields[field].help_text,
            "now": "-" if now in (None, "") else now}


def done_text(label, name, started):
    """What the page says of a job ``started`` (``job_id``, ``done``)."""
    text = _("%(action)s %(name)s: Ganeti job %(job)s") % {
        "action": label, "name": name, "job": started.job_id}
    if started.done:
        return _("%s succeeded.") % text
    return _("%s started; it is still running (see Admin > Ganeti > "
             "Jobs).") % text


class JobForm(forms.SelfHandlingForm):
    """Runs ``start()`` and says which job it started (:meth:`report`),
    or Ganeti's refusal as the form's error.
    """

    label = None

    def start(self, request, data):
        """Start the job; what it started, or None: nothing to say."""
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
        self.report(request, data, started)
        return True

    def report(self, request, data, started):
        if started is not None:
            messages.success(request, done_text(
                self.label, self.object_name(data), started))

    def refused_text(self, why):
        return str(why)


class CreateJobForm(JobForm):
    """A create form: its ``cluster`` field offers the writable
    clusters.
    """

    api = None  # the panel's API module (``check_name``)
    object_kwarg = None  # the action views' keyword, not passed here

    cluster = forms.ChoiceField(label=_("Cluster"))

    def __init__(self, request, *args, **kwargs):
        kwargs.pop(self.object_kwarg, None)
        super().__init__(request, *args, **kwargs)
        self.fields["cluster"].choices = [
            (n, n) for n in writable_clusters()]

    def clean_name(self):
        return checked_name(self.api, self.cleaned_data["name"])

    def object_name(self, data):
        return data["name"]


class ObjectActionForm(JobForm):
    """Base of the actions on one object that the view read fresh, given
    as the keyword ``object_kwarg`` and kept as that attribute: refused
    before any job where its ``cannot(action)`` says why.
    """

    object_kwarg = None  # "group", "network", "node"
    api = None  # the panel's API module, for the shared actions below
    action = None  # the action's name in the panel's FORMS
    message_key = None  # action_messages' word for it, if not ``action``

    def __init__(self, request, *args, **kwargs):
        self.subject = kwargs.pop(self.object_kwarg)
        setattr(self, self.object_kwarg, self.subject)
        super().__init__(request, *args, **kwargs)

    def clean(self):
        why = self.subject.cannot(self.action)
        if why:
            raise django_forms.ValidationError(self.refused_text(why))
        return super().clean()

    def refused_text(self, why):
        return action_messages.refused(self.message_key or self.action,
                                       self.subject.name, why)

    def object_name(self, data):
        return self.subject.name


class AddTagForm(ObjectActionForm):
    """Add one tag: ``api.add_tags``."""

    action = "add_tag"
    tag = forms.CharField(label=_("Tag"), max_length=128)

    def clean_tag(self):
        return check_tag(self.cleaned_data["tag"])

    def start(self, request, data):
        return self.api.add_tags(request, self.subject, [data["tag"]])


class RemoveTagForm(ObjectActionForm):
    """Remove one of the object's tags: ``api.remove_tags``."""

    action = "remove_tag"
    tag = forms.ChoiceField(label=_("Tag"))

    def __init__(self, request, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["tag"].choices = [(t, t) for t in self.subject.tags]

    def start(self, request, data):
        return self.api.remove_tags(request, self.subject, [data["tag"]])


class DeleteForm(ObjectActionForm):
    """Delete the object: ``api.delete``."""

    action = "delete"

    def start(self, request, data):
        return self.api.delete(request, self.subject)
