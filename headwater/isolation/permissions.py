"""Permissions of the isolation app, granted to roles in apps.py."""

VIEW_CASES = "isolation.view_cases"  # the case list and pages (unit head: subtree; office: all)
MANAGE_CASES = "isolation.manage_cases"  # open, import, extend, assign, approve release (office)
# The monitor role: the menu's "today's monitoring" page. Recording a case's follow-ups is
# by assignment (the case's monitor), whatever the role.
RECORD_CHECKS = "isolation.record_checks"
# The volunteer pool: holders serve the service requests of cases in their units that have no
# volunteer of their own (granted to the monitor / volunteer role).
SERVE_REQUESTS = "isolation.serve_requests"
# The escalation flow: the unit head informs the office; the office refers and records the
# outcome. Opening one by hand for a person on duty: unit heads (their subtree) and the office.
HANDLE_FLOWS = "isolation.handle_flows"
# Two-level supervision (ADR 0022): draw the day's sample and record the calls (office,
# leaders). Closing a correction item needs the unit-head grant over the case's unit.
SUPERVISE = "isolation.supervise"
CLOSE_CORRECTIONS = "isolation.close_corrections"
