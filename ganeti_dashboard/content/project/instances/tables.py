from django.utils.translation import gettext_lazy as _

from horizon import messages

from ganeti_dashboard.api import instances as instance_api
from ganeti_dashboard.api import keystone as keystone_api
from ganeti_dashboard.content.instances import tables as base

_SCOPE = "_ganeti_project_scope"


def project_scope(request):
    """The current project's instances on the clusters mapped to it.

    Asked of Keystone once per request. If Keystone cannot say, the scope
    is empty (nothing is shown, nothing can be acted on) and the page says
    why: an unknown mapping never widens what a member may reach.
    """
    scope = getattr(request, _SCOPE, None)
    if scope is None:
        project_id = request.user.project_id
        try:
            names = keystone_api.clusters_of_project(request, project_id)
        except keystone_api.KeystoneError as exc:
            messages.error(request, _("Cannot read which clusters this "
                                      "project may use: %s") % exc)
            names = set()
        scope = instance_api.Scope(project_id=project_id,
                                   cluster_names=frozenset(names))
        setattr(request, _SCOPE, scope)
    return scope


class ProjectInstancesTable(base.InstancesTable):
    url_namespace = "horizon:project:ganeti_instances"

    def scope(self, request):
        return project_scope(request)

    class Meta(base.InstancesTable.Meta):
        table_actions = (base.CreateLink,) + \
            base.InstancesTable.Meta.table_actions
        row_actions = base.InstancesTable.Meta.row_actions[:-1] + (
            base.CreateFromInstance, base.DeleteInstance)
