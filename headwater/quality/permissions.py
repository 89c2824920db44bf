"""Permissions of the water-quality app, granted to roles in apps.py."""

VIEW = "quality.view"  # points, plans, tasks, results of the units one's grants reach
ENTER_RESULTS = "quality.enter_results"  # level 1: the technician
CHECK_RESULTS = "quality.check_results"  # level 2: the plant lab head
APPROVE_RESULTS = "quality.approve_results"  # level 3: the central lab / quality department
MANAGE = "quality.manage"  # points, plans, internal limits; proposes relaxations
MANAGE_LIMITS = "quality.manage_limits"  # internal limits (内控指标): quality dept and office
APPROVE_RELAXATION = "quality.approve_relaxation"
VIEW_REPORTS = "quality.view_reports"
