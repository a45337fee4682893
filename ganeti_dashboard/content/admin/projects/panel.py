from django.utils.translation import gettext_lazy as _

import horizon


class Projects(horizon.Panel):
    name = _("Projects")
    slug = "ganeti_projects"
    policy_rules = (("ganeti", "ganeti:project:list"),)
