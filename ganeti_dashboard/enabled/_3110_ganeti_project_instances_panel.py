PANEL = "ganeti_instances"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.project.instances.panel.Instances"
