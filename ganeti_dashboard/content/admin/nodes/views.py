"""Views of Admin > Ganeti > Nodes: list, detail, action forms."""

from django.http import Http404
from django.urls import reverse
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from horizon import messages
from horizon import tables
from horizon import tabs
from horizon.utils import memoized

from ganeti_dashboard.api import errors
from ganeti_dashboard.api import nodes as node_api
from ganeti_dashboard.conf import loader
from ganeti_dashboard.content import access
from ganeti_dashboard.content import action_view
from ganeti_dashboard.content.admin.nodes import forms as node_forms
from ganeti_dashboard.content.admin.nodes import tables as node_tables
from ganeti_dashboard.content.admin.nodes import tabs as node_tabs
from ganeti_dashboard.content import redirects
from ganeti_dashboard.content import snapshot_notes

INDEX_URL = reverse_lazy("horizon:admin:ganeti_nodes:index")
LIST_RULE = access.rules("ganeti:node:list")


class IndexView(access.PolicyView, tables.DataTableView):
    policy_rules = LIST_RULE
    table_class = node_tables.NodesTable
    page_title = _("Ganeti Nodes")

    def get_data(self):
        try:
            found, snapshots = node_api.list_all()
        except loader.ConfigError as exc:
            messages.error(self.request, str(exc))
            return []
        snapshot_notes.report(self.request, snapshots)
        return found


class NodeMixin:

    @memoized.memoized_method
    def get_node(self):
        try:
            return node_api.get(self.kwargs["node_id"])
        except errors.NotFound:
            raise Http404()
        except (errors.RapiError, loader.ConfigError) as exc:
            redirects.redirect_saying(self.request, INDEX_URL, _(
                "Cannot show the node: %s") % exc)


class DetailView(NodeMixin, access.PolicyView, tabs.TabView):
    policy_rules = LIST_RULE
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


class ActionView(NodeMixin, action_view.FormActionView):
    """A node action's form; its rule is the registry's
    (:data:`node_forms.FORMS`)."""

    registry = node_forms.FORMS
    template_name = "admin/ganeti_nodes/action.html"
    submit_label = _("Confirm")
    success_url = INDEX_URL
    form_prefix = "node"
    object_name = "node"

    def get_object(self):
        return self.get_node()

    def action_url(self, node, action):
        return reverse("horizon:admin:ganeti_nodes:action",
                       args=[node.id, action])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cannot"] = self.get_node().cannot(self.kwargs["action"])
        return context
