PANEL = "ganeti_projects"
PANEL_DASHBOARD = "admin"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.admin.projects.panel.Projects"
