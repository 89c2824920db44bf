"""Reminders on the task queue (run by the Huey worker: `headwater run_huey`)."""

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core import clock
from headwater.notices.models import Reminder
from headwater.notices.services import send_reminder

__all__ = ["deliver_open_reminders", "send_reminder"]


@db_periodic_task(crontab(minute="*/5"))
def deliver_open_reminders() -> int:
    """Every five minutes: queue each reminder tapped over a minute ago and not yet delivered
    (a worker that restarted lost it), so no reminder is lost. Returns how many."""
    due = list(
        Reminder.objects.filter(
            delivered_at__isnull=True, sent_at__lt=clock.now() - dt.timedelta(minutes=1)
        ).values_list("pk", flat=True)[:100]
    )
    for pk in due:
        send_reminder(pk)
    return len(due)
