from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.projects import views

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^(?P<project_id>[^/]+)/map/$", views.MapView.as_view(),
            name="map"),
    re_path(r"^(?P<project_id>[^/]+)/unmap/$", views.UnmapView.as_view(),
            name="unmap"),
    re_path(r"^(?P<project_id>[^/]+)/limits/$", views.LimitsView.as_view(),
            name="limits"),
])
