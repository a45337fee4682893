"""Keystone: project names, and the project tags that map clusters.

Horizon's own Keystone API module does the authenticated calls with the
user's token; this module only adds what the dashboard needs of it.
"""

from openstack_dashboard.api import keystone as horizon_keystone


NAMES_TTL = 60


def project_names(request):
    """``{project_id: name}`` of every project (admins only).

    Cached briefly in Django's cache: row updates need one name each.
    """
    from django.core.cache import cache
    key = "ganeti-dashboard:project-names"
    names = cache.get(key)
    if names is None:
        projects, _ = horizon_keystone.tenant_list(request, admin=True)
        names = {p.id: p.name for p in projects}
        cache.set(key, names, NAMES_TTL)
    return names
