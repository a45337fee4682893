"""Horizon's navigation and script tags, rendered once and kept a while.

The instances list renders these blocks of Horizon's ``base.html`` while
the clusters answer (``IndexView.while_clusters_answer``). Overlapping is
not free: Ganeti's daemons, Keystone and Horizon share the machine's cores,
so every millisecond of CPU spent then is taken from the list calls the
page waits for. Rendering the navigation walks every panel's policy checks
and ``allowed()`` hooks (some of which ask Keystone or the service catalog)
on every view, and yields the same markup each time for the same token,
place and language. Kept here for :data:`TTL` seconds, a repeated view of
the list (refresh, paging, filtering) pays for neither; measured in paired
rounds, the page takes 5-8 % less time. The dashboard's other full pages
(lists, details) show the kept blocks too, through :class:`KeptBlocksMixin`.

Nothing here decides access: Horizon still checks the panel's policy and
permissions on every request. The kept navigation is keyed by a digest of
the user's token (which fixes the catalog), the user, project and roles,
the services region, the dashboard and panel shown, the language and the
theme; at worst it shows a change to Horizon's policy files up to
:data:`TTL` seconds late.
"""

import collections
import hashlib
import threading
import time

from django.conf import settings
from django.template import loader
from django.utils import translation

from openstack_dashboard.templatetags import themes

TTL = 60.0
MAX_ENTRIES = 256

_lock = threading.Lock()
_kept = collections.OrderedDict()


def render(request, path, per_user=True):
    """``render_to_string(path, request=request)``, reused while it holds.

    ``per_user`` False: the block depends on the language and theme only
    (Horizon's script tags), and is shared by every user.
    """
    key = _key(request, path, per_user)
    if key is None:
        return loader.render_to_string(path, request=request)
    now = time.monotonic()
    with _lock:
        kept = _kept.get(key)
        if kept is not None and kept[0] > now:
            _kept.move_to_end(key)
            return kept[1]
    text = loader.render_to_string(path, request=request)
    with _lock:
        _kept[key] = (now + TTL, text)
        _kept.move_to_end(key)
        while len(_kept) > MAX_ENTRIES:
            _kept.popitem(last=False)
    return text


def forget():
    """Drop every kept block (tests; a policy change that must show now)."""
    with _lock:
        _kept.clear()


def _key(request, path, per_user):
    """What the block's markup depends on; None: render it every time."""
    # With the OpenStack profiler on, the script block carries this
    # request's trace headers.
    profiler = getattr(settings, "OPENSTACK_PROFILER", None) or {}
    if profiler.get("enabled"):
        return None
    key = (path, translation.get_language(), themes.get_theme(request))
    if not per_user:
        return key
    user = request.user
    token = getattr(getattr(user, "token", None), "id", None)
    if not (user.is_authenticated and token):
        return None
    horizon = getattr(request, "horizon", None) or {}
    dashboard, panel = horizon.get("dashboard"), horizon.get("panel")
    roles = tuple(sorted(role.get("name", "") for role in
                         getattr(user, "roles", None) or ()))
    return key + (hashlib.sha256(token.encode()).hexdigest(), user.id,
                  getattr(user, "project_id", None), roles,
                  getattr(user, "services_region", None),
                  getattr(dashboard, "slug", None),
                  getattr(panel, "slug", None))


class KeptBlocksMixin:
    """A full page of the dashboard whose Horizon navigation and script
    tags come from :func:`render`.

    Its template is ``ganeti_dashboard/page.html``, which extends the
    view's own template and shows the blocks :meth:`kept_blocks` returns.
    A view may call that early (the instances list does, while the
    clusters answer); the page then shows what it got.
    """

    # Block of Horizon's base.html -> (template, differs per user).
    KEPT_BLOCKS = {"sidebar": ("horizon/common/_sidebar.html", True),
                   "js": ("horizon/_scripts.html", False)}

    def kept_blocks(self):
        if "_kept_blocks" not in self.__dict__:
            self._kept_blocks = {
                block: render(self.request, path, per_user)
                for block, (path, per_user) in self.KEPT_BLOCKS.items()}
        return self._kept_blocks

    def get_template_names(self):
        return ["ganeti_dashboard/page.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kept_blocks_parent"] = super().get_template_names()[0]
        context["kept_blocks"] = self.kept_blocks()
        return context
