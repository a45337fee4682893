"""OpenStack Horizon plugin to run Ganeti clusters through their RAPI."""
