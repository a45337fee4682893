from django.utils.translation import gettext_lazy as _

import horizon


class Overview(horizon.Panel):
    name = _("Overview")
    slug = "ganeti_overview"
    policy_rules = (("ganeti", "ganeti:limits:get"),)
