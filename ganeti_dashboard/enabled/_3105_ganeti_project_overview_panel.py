PANEL = "ganeti_overview"
PANEL_DASHBOARD = "project"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.project.overview.panel.Overview"
