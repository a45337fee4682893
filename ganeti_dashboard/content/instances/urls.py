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

# Instance ids are "<cluster>:<name>": no slash in either.
INSTANCE = r"(?P<instance_id>[^/]+:[^/]+)"


def patterns(views):
    """The URLs every instances panel has, bound to that panel's views."""
    found = [
        re_path(r"^$", views.IndexView.as_view(), name="index"),
        re_path(r"^%s/$" % INSTANCE, views.DetailView.as_view(),
                name="detail"),
        re_path(r"^%s/console/(?P<kind>vnc|serial)/$" % INSTANCE,
                views.ConsoleView.as_view(), name="console"),
        re_path(r"^%s/console/state/$" % INSTANCE,
                views.ConsoleStateView.as_view(), name="console_state"),
        re_path(r"^%s/live/$" % INSTANCE, views.LiveView.as_view(),
                name="live"),
        re_path(r"^%s/history/$" % INSTANCE, views.HistoryView.as_view(),
                name="history"),
        re_path(r"^%s/(?P<action>[a-z_]+)/$" % INSTANCE,
                views.ActionView.as_view(), name="action"),
    ]
    if hasattr(views, "CreateView"):
        found.insert(1, re_path(r"^create/$", views.CreateView.as_view(),
                                name="create"))
    return found
