from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.instances import views
from ganeti_dashboard.content.instances import urls as instance_urls

urlpatterns = access.guarded(instance_urls.patterns(views) + [
    re_path(r"^assign-owner/$", views.AssignOwnerView.as_view(),
            name="assign_owner"),
])
