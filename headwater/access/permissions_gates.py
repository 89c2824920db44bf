"""The gates part's own permission (granted to roles in apps.py).

Managing a gate's duty teams is the office's (it holds `access.manage_gates` too) and, for the
gates at their units' sites, the unit head's: the people who stand at a plant's gate are the
plant's to pick. Gates themselves and their scanner devices stay the office's."""

MANAGE_TEAMS = "access.manage_gate_teams"
