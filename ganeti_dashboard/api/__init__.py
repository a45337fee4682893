"""The only layer that speaks to Ganeti's RAPI (and, later, Keystone)."""

from ganeti_dashboard.api import clusters  # noqa: F401
from ganeti_dashboard.api import errors  # noqa: F401
from ganeti_dashboard.api import rapi  # noqa: F401
