"""Leaving a page for another one, saying why.

Horizon's middleware turns ``exceptions.Http302`` into a bare redirect and
drops the exception's ``message``; so the reason is added as a Horizon
message first, and shows on the page the user lands on.
"""

from horizon import exceptions
from horizon import messages


def redirect_saying(request, url, message, level=messages.error):
    """Raise the redirect to ``url``; ``message`` shows there."""
    level(request, message)
    raise exceptions.Http302(url)
