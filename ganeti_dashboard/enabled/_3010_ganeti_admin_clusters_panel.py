PANEL = "ganeti_clusters"
PANEL_DASHBOARD = "admin"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.admin.clusters.panel.Clusters"
