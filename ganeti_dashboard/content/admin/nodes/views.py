"""Views of Admin > Ganeti > Nodes: list, detail, action forms."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import exceptions
from horizon import messages
from horizon import tables
from horizon import tabs
from horizon.forms import views as form_views
from horizon.utils import memoized

from openstack_dashboard import policy

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import page_blocks
from ganeti_dashboard.content.admin.nodes import forms as node_forms
from ganeti_dashboard.content.admin.nodes import tables as node_tables
from ganeti_dashboard.content.admin.nodes import tabs as node_tabs

INDEX_URL = reverse_lazy("horizon:admin:ganeti_nodes:index")


class IndexView(page_blocks.KeptBlocksMixin, tables.DataTableView):
    table_class = node_tables.NodesTable
    page_title = _("Ganeti Nodes")

    def get_data(self):
        try:
            found, failures = node_api.list_all()
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        for cluster, exc in sorted(failures.items()):
            messages.warning(self.request, _(
                "Cluster %(cluster)s could not be queried: %(error)s")
                % {"cluster": cluster, "error": exc})
        return found


class NodeMixin:

    @memoized.memoized_method
    def get_node(self):
        try:
            return node_api.get(self.kwargs["node_id"])
        except errors.NotFound:
            raise Http404()
        except (errors.RapiError, loader.ConfigError) as exc:
            raise exceptions.Http302(INDEX_URL, message=_(
                "Cannot show the node: %s") % exc)


class DetailView(NodeMixin, page_blocks.KeptBlocksMixin, tabs.TabView):
    tab_group_class = node_tabs.NodeDetailTabs
    template_name = "horizon/common/_detail.html"
    page_title = "{{ node.name }}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        node = self.get_node()
        context["node"] = node
        context["url"] = INDEX_URL
        context["actions"] = node_tables.NodesTable(
            self.request).render_row_actions(node)
        return context

    def get_tabs(self, request, *args, **kwargs):
        return self.tab_group_class(request, node=self.get_node(), **kwargs)


class ActionView(NodeMixin, form_views.ModalFormView):
    template_name = "admin/ganeti_nodes/action.html"
    submit_label = _("Confirm")
    success_url = INDEX_URL

    def dispatch(self, request, *args, **kwargs):
        action = kwargs.get("action")
        if action not in node_forms.FORMS:
            raise Http404()
        # The panel checks ganeti:node:list; each action has its own rule,
        # also for a form opened or posted by URL.
        if not policy.check((("ganeti", "ganeti:node:%s" % action),),
                            request):
            raise PermissionDenied()
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return node_forms.FORMS[self.kwargs["action"]][0]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["node"] = self.get_node()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        node = self.get_node()
        action = self.kwargs["action"]
        context["node"] = node
        context["page_title"] = context["modal_header"] = "%s: %s" % (
            node_forms.FORMS[action][1], node.name)
        context["submit_url"] = reverse("horizon:admin:ganeti_nodes:action",
                                        args=[node.id, action])
        context["cancel_url"] = INDEX_URL
        context["form_id"] = "node_%s_form" % action
        context["cannot"] = node.cannot(action)
        return context
