"""Robot deliveries on the task queue (run by the Huey worker: `headwater run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.alerts.models import Delivery
from headwater.alerts.services import deliver, escalate_overdue
from headwater.core import clock
from headwater.core.models import Organization

BATCH = 500
__all__ = ["deliver", "escalate_overdue_alerts", "retry_due_deliveries"]


@db_periodic_task(crontab(minute="*"))
def retry_due_deliveries() -> int:
    """Every minute: queue every pending delivery whose next attempt is due, so none is lost
    to a failed endpoint or a restarted worker. Returns how many were queued."""
    due = list(
        Delivery.objects.due(clock.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for pk in due:
        deliver(pk)
    return len(due)


@db_periodic_task(crontab(minute="*"))
def escalate_overdue_alerts() -> int:
    """Every minute: critical alerts nobody acknowledged within their organization's level's
    time go one role up, once each (services.escalate). Returns how many escalated."""
    return sum(escalate_overdue(org) for org in Organization.objects.all())
