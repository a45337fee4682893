from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.clusters import views

CLUSTER = r"(?P<cluster>[^/:]+)"

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^%s/$" % CLUSTER, views.DetailView.as_view(), name="detail"),
    re_path(r"^%s/tags/add/$" % CLUSTER, views.TagView.as_view(),
            name="add_tag"),
    re_path(r"^%s/tags/remove/$" % CLUSTER,
            views.TagView.as_view(remove=True), name="remove_tag"),
])
