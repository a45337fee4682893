from django.utils.translation import gettext_lazy as _

from horizon import messages

from ganeti_dashboard.content import access
from ganeti_dashboard.content.instances import views as base
from ganeti_dashboard.content.project.instances import tables


class _Project:
    table_class = tables.ProjectInstancesTable


class IndexView(_Project, base.IndexView):
    policy_rules = access.rules("ganeti:instance:list")
    page_title = _("Instances")

    def get_data(self):
        data = super().get_data()
        if not self.scope().cluster_names:
            messages.info(self.request, _(
                "This project may not use any Ganeti cluster yet: an "
                "operator maps projects to clusters in Admin > Ganeti > "
                "Projects."))
        return data


class DetailView(_Project, base.DetailView):
    pass


class ActionView(_Project, base.ActionView):
    pass


class ConsoleView(_Project, base.ConsoleView):
    pass


class ConsoleStateView(_Project, base.ConsoleStateView):
    pass


class CreateView(_Project, base.CreateView):
    pass
