from django.urls import re_path

from ganeti_dashboard.content.admin.clusters import views

urlpatterns = [
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^(?P<cluster>[^/]+)/$", views.DetailView.as_view(),
            name="detail"),
]
