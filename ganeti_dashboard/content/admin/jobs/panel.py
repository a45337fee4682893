from django.utils.translation import gettext_lazy as _

import horizon


class Jobs(horizon.Panel):
    name = _("Jobs")
    slug = "ganeti_jobs"
    policy_rules = (("ganeti", "ganeti:job:list"),)
