from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.project.overview import views

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
])
