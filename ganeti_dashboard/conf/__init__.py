"""Configuration: ganeti-dashboard.conf options and policy defaults."""
