from django.utils.translation import gettext_lazy as _

import horizon


class Clusters(horizon.Panel):
    name = _("Clusters")
    slug = "ganeti_clusters"
    policy_rules = (("ganeti", "ganeti:cluster:list"),)
