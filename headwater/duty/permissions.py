"""Permissions of the duty app (值班值守), granted to roles in apps.py."""

# "Who is on duty now" with the duty phones, and one's own shifts: everybody.
VIEW_ON_DUTY = "duty.view_on_duty"
# Rosters, duty logs, margins and flags of the posts of one's units (unit heads: their
# subtree; office and leaders: the organization).
VIEW_ROSTERS = "duty.view_rosters"
# Generate, edit and publish rosters, approve swaps, accept replacements, manage closed-loop
# groups and the reserve pool for the posts of one's units (unit heads, office).
MANAGE_ROSTERS = "duty.manage_rosters"
# Create and change posts, their shifts, minimums and duty phones (office).
MANAGE_POSTS = "duty.manage_posts"
