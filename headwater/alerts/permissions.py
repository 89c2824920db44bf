"""Permissions of the alerts app (granted to roles in AppConfig.ready)."""

MANAGE_WEBHOOKS = "alerts.manage_webhooks"
