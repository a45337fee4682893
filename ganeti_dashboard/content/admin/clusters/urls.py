# Copyright 2026 The ganeti-dashboard Authors
#
#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

from django.urls import re_path

from ganeti_dashboard.content import access
from ganeti_dashboard.content.admin.clusters import map_view
from ganeti_dashboard.content.admin.clusters import views

CLUSTER = r"(?P<cluster>[^/:]+)"

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^%s/$" % CLUSTER, views.DetailView.as_view(), name="detail"),
    re_path(r"^%s/live/$" % CLUSTER, views.LiveView.as_view(), name="live"),
    re_path(r"^%s/map/$" % CLUSTER, map_view.MapView.as_view(),
            name="map"),
    re_path(r"^%s/tags/add/$" % CLUSTER, views.TagView.as_view(),
            name="add_tag"),
    re_path(r"^%s/tags/remove/$" % CLUSTER,
            views.TagView.as_view(remove=True), name="remove_tag"),
    re_path(r"^%s/settings/$" % CLUSTER, views.SettingsView.as_view(),
            name="settings"),
    re_path(r"^%s/redistribute-config/$" % CLUSTER,
            views.RedistributeView.as_view(), name="redistribute"),
])
