"""Permissions of the notices app (granted to roles in AppConfig.ready)."""

PUBLISH = "notices.publish"  # publish a notice (office: anywhere; unit head: own units)
VIEW_RECEIPTS = "notices.view_receipts"  # see who has read a notice, remind them
