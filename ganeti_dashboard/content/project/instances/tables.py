from ganeti_dashboard.api import scope as scope_api
from ganeti_dashboard.content.instances import actions
from ganeti_dashboard.content.instances import tables as base


class ProjectInstancesTable(base.InstancesTable):
    url_namespace = "horizon:project:ganeti_instances"

    @classmethod
    def scope(cls, request):
        return scope_api.for_member(request)

    class Meta(base.InstancesTable.Meta):
        table_actions = (actions.CreateLink,) + \
            base.InstancesTable.Meta.table_actions
        row_actions = base.InstancesTable.Meta.row_actions[:-1] + (
            actions.CreateFromInstance, actions.DeleteInstance)
