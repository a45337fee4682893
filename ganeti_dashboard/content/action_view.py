"""The one view of every modal action form (instances and nodes alike).

Each panel keeps a registry, action name -> :class:`FormAction`, which names
the action's form, its title and its policy rule. The view takes its rule
from the registry entry that the URL names, so an action cannot be
registered without a rule, and :class:`access.PolicyView` checks it before
the object is read or the form built; the table's link to the action shows
under the same rule (:meth:`FormAction.rules`).
"""

import dataclasses

from django.http import Http404
from django.utils.functional import Promise

from horizon.forms import views as form_views

from ganeti_dashboard.content import access


@dataclasses.dataclass(frozen=True)
class FormAction:
    form: type
    title: Promise | str
    rule: str  # a rule of the policy service "ganeti"

    @property
    def rules(self):
        return access.rules(self.rule)


class FormActionView(access.PolicyView, form_views.ModalFormView):
    """Subclasses say ``registry``, ``form_prefix``, and how to read the
    object (:meth:`get_object`) and reach the action (:meth:`action_url`,
    :meth:`get_success_url`)."""

    registry = {}
    form_prefix = None  # e.g. "instance": form ids "instance_<action>_form"
    object_name = None  # the form's and template's name of the object

    @classmethod
    def choices_of(cls, argument):
        if argument == "action":
            return tuple(cls.registry)
        return super().choices_of(argument)

    def entry(self):
        found = self.registry.get(self.kwargs.get("action"))
        if found is None:
            raise Http404()
        return found

    def required_rules(self):
        return self.entry().rules

    def get_object(self):
        raise NotImplementedError

    def action_url(self, obj, action):
        raise NotImplementedError

    def get_form_class(self):
        return self.entry().form

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs[self.object_name] = self.get_object()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.get_object()
        action = self.kwargs["action"]
        context[self.object_name] = obj
        context["page_title"] = context["modal_header"] = "%s: %s" % (
            self.entry().title, obj.name)
        context["submit_url"] = self.action_url(obj, action)
        context["cancel_url"] = self.get_success_url()
        context["form_id"] = "%s_%s_form" % (self.form_prefix, action)
        return context
