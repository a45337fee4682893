PANEL = "ganeti_jobs"
PANEL_DASHBOARD = "admin"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.admin.jobs.panel.Jobs"
