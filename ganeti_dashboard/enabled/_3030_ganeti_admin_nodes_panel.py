PANEL = "ganeti_nodes"
PANEL_DASHBOARD = "admin"
PANEL_GROUP = "ganeti"
ADD_PANEL = "ganeti_dashboard.content.admin.nodes.panel.Nodes"
