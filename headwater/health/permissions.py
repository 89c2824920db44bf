"""Permissions of the health app, granted to roles in apps.py."""

CHECK_IN = "health.check_in"
VIEW_UNIT_CHECKINS = "health.view_unit_checkins"
SUBMIT_UNIT_REPORT = "health.submit_unit_report"
VIEW_OVERVIEW = "health.view_overview"
MANAGE_RULES = "health.manage_rules"
MANAGE_RISK_AREAS = "health.manage_risk_areas"
MANAGE_STATUSES = "health.manage_statuses"
