"""Robot deliveries on the task queue (run by the Huey worker: `headwater run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.alerts.models import Delivery
from headwater.alerts.services import deliver
from headwater.core import clock

BATCH = 500
__all__ = ["deliver", "retry_due_deliveries"]


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
