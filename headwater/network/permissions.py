"""Permissions of the network app (管网与重点用户), granted to roles in apps.py."""

# The map, the critical customers' board, burst impact, the criticality ranking and the
# pressure charts: office, leaders, dispatchers, repair crews, the quality department.
VIEW_NETWORK = "network.view_network"
# Import network models and valve layers, keep the critical-customer registry, pressure
# points, their thresholds and telemetry devices (office).
MANAGE_NETWORK = "network.manage_network"
# Open, advance and close the network's work orders (bursts, pressure alarms, checks):
# office, dispatchers, crews.
MANAGE_WORK_ORDERS = "network.manage_work_orders"
