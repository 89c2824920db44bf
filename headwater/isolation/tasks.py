"""Periodic work of the isolation app (Huey); the work itself is in the services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core.models import Organization
from headwater.isolation import services


@db_periodic_task(crontab(minute="*/5"))
def escalate_missing_checks() -> int:
    """Every 5 minutes: open cases without today's follow-up past the due times go up the
    monitoring chain (once per level and day)."""
    return sum(services.escalate_missing_checks(org) for org in Organization.objects.all())


@db_periodic_task(crontab(minute="*/5"))
def alert_unaccepted_requests() -> int:
    """Every 5 minutes: service requests not accepted in time alert the case's monitor."""
    from headwater.isolation.services.requests_alerts import alert_unaccepted

    return sum(alert_unaccepted(org) for org in Organization.objects.all())


@db_periodic_task(crontab(minute="*"))
def escalate_overdue_flows() -> int:
    """Every minute: a late step of an escalation flow alerts the next level (once)."""
    from headwater.isolation.services.flow_sweep import escalate_overdue_flows as sweep

    return sweep()
