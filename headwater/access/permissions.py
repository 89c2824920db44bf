"""Permissions of the access app (gates and checkpoints, 门禁卡点), granted to roles in apps.py.

Guarding a gate is by assignment (`GateTeamMember`), whatever the role: a team member sees
that gate, scans there and registers its visitors and vehicles. A scanner device enrolled for
a gate (`GateDevice`) acts for that gate only."""

# Passages, ledgers, visitors and vehicles of the gates at the sites of one's units (unit
# heads their subtree; office and leaders the organization).
VIEW_PASSAGES = "access.view_passages"
# Scan and register at any gate of the sites one's grants reach (guards with a unit or
# organization grant; a gate's team members at their own gate without it).
SCAN = "access.scan"
# Gates, their devices and teams, printed pass cards and their revocation, the signing keys,
# canteen slots and their rotation, bus routes (the office).
MANAGE_GATES = "access.manage_gates"
# Contact tracing and opening follow-ups for the contacts found (the office).
TRACE = "access.trace"
# Every member of staff: their own pass page, visits they host, their unit's meal orders
# when they are its unit head.
OWN_PASS = "access.own_pass"
