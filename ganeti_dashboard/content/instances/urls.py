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
        re_path(r"^%s/(?P<action>[a-z_]+)/$" % INSTANCE,
                views.ActionView.as_view(), name="action"),
    ]
    if hasattr(views, "CreateView"):
        found.insert(1, re_path(r"^create/$", views.CreateView.as_view(),
                                name="create"))
    return found
