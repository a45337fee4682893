"""``{% kept_block %}``: a block of Horizon's page through :mod:`page_blocks`.

Pages of the dashboard show Horizon's navigation and script tags from
``page_blocks`` (kept a while per token and place) instead of rendering
them again on every view; see ``ganeti_dashboard/page.html``.
"""

from django import template

from ganeti_dashboard.content import page_blocks

register = template.Library()


@register.simple_tag(takes_context=True)
def kept_block(context, path, per_user=True):
    """``{% include path %}``, kept (``per_user`` False: one for all users,
    for blocks that depend on the language and theme only)."""
    return page_blocks.render(context["request"], path, per_user)
