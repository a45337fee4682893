from django.utils.translation import gettext_lazy as _

import horizon


class Instances(horizon.Panel):
    name = _("Instances")
    slug = "ganeti_instances"
    policy_rules = (("ganeti", "ganeti:instance:list"),)
