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
from ganeti_dashboard.content.admin.nodes import views

# Node ids are "<cluster>:<name>": no slash in either.
NODE = r"(?P<node_id>[^/]+:[^/]+)"

urlpatterns = access.guarded([
    re_path(r"^$", views.IndexView.as_view(), name="index"),
    re_path(r"^%s/$" % NODE, views.DetailView.as_view(), name="detail"),
    re_path(r"^%s/live/$" % NODE, views.LiveView.as_view(), name="live"),
    re_path(r"^%s/history/$" % NODE, views.HistoryView.as_view(),
            name="history"),
    re_path(r"^%s/(?P<action>[a-z_]+)/$" % NODE, views.ActionView.as_view(),
            name="action"),
])
