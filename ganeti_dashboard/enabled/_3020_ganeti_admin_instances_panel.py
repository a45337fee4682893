PANEL = "ganeti_instances"
PANEL_DASHBOARD = "admin"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.admin.instances.panel.Instances"
