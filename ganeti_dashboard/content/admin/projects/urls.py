from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.projects import views

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^(?P<project_id>[^/]+)/(?P<action>[a-z_]+)/$",
            views.ActionView.as_view(), name="action"),
])
