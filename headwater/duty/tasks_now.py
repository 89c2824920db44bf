"""Periodic work of the "now" part (Huey); the work itself is in services.now_log."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core.models import Organization


@db_periodic_task(crontab(minute="*/10"))
def flag_missing_handovers() -> int:
    """Every 10 minutes: shifts that ended without a handover alert their unit heads (once)."""
    from headwater.duty.services.now_log import flag_missing_handovers as flag

    return sum(flag(org) for org in Organization.objects.all())
