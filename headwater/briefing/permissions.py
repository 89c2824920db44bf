"""Permissions of the briefing app, granted to roles in apps.py."""

VIEW_BRIEFING = "briefing.view_briefing"  # the archive, a briefing and its downloads
GENERATE_BRIEFING = "briefing.generate_briefing"  # generate for a date, send a version
