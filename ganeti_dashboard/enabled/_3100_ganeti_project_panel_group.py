from django.utils.translation import gettext_lazy as _

PANEL_GROUP = "ganeti"
PANEL_GROUP_NAME = _("Ganeti")
PANEL_GROUP_DASHBOARD = "project"
