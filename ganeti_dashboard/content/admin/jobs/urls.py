from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.jobs import views

# Job ids are "<cluster>:<number>".
JOB = r"(?P<job_id>[^/:]+:\d+)"

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^%s/$" % JOB, views.DetailView.as_view(), name="detail"),
])
