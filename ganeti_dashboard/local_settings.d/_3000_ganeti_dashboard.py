# ganeti-dashboard: copy into openstack_dashboard/local/local_settings.d/.
# Set GANETI_DASHBOARD_CONFIG in local_settings.py to use another file than
# /etc/ganeti-dashboard/ganeti-dashboard.conf.
from ganeti_dashboard import settings_snippet as _ganeti_settings

_ganeti_settings.apply(globals())
