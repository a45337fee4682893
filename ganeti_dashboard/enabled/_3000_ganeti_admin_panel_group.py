from django.utils.translation import gettext_lazy as _

from ganeti_dashboard.api import errors

PANEL_GROUP = "ganeti"
PANEL_GROUP_NAME = _("Ganeti")
PANEL_GROUP_DASHBOARD = "admin"

ADD_INSTALLED_APPS = ["ganeti_dashboard"]
ADD_EXCEPTIONS = {
    "recoverable": errors.RECOVERABLE,
    "not_found": errors.NOT_FOUND,
    "unauthorized": errors.UNAUTHORIZED,
}
