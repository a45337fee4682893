from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.nodes import views

# Node ids are "<cluster>:<name>": no slash in either.
NODE = r"(?P<node_id>[^/]+:[^/]+)"

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^%s/$" % NODE, views.DetailView.as_view(), name="detail"),
    re_path(r"^%s/(?P<action>[a-z_]+)/$" % NODE, views.ActionView.as_view(),
            name="action"),
])
