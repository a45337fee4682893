"""Keystone: project names, and the project tags that map clusters.

Horizon's own Keystone API module does the authenticated calls with the
user's token; this module only adds what the dashboard needs of it.
"""

from openstack_dashboard.api import keystone as horizon_keystone


def project_names(request):
    """``{project_id: name}`` of every project the user may list."""
    projects, _ = horizon_keystone.tenant_list(request, admin=True)
    return {p.id: p.name for p in projects}
