"""Permissions of the testing app (test campaigns, 核酸检测), granted to roles in apps.py.

Working a desk of a campaign is by assignment (`CampaignOperator`), whatever the role: an
operator sees that campaign's roster, queue, tubes and samples and nothing of any other."""

# Campaigns, their progress and completeness: the office and leaders organization-wide, a
# unit head for their units' people (outsiders on the roster only organization-wide).
VIEW_CAMPAIGNS = "testing.view_campaigns"
# Create and run campaigns: sites, desks and operators, roster and outsiders, tube labels,
# notices, results and their import (the office).
MANAGE_CAMPAIGNS = "testing.manage_campaigns"
