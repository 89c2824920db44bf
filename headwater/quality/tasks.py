"""Periodic work of the water-quality app (Huey). The task a saved plan schedules on commit,
`services.generate_for`, lives with the service that schedules it."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core import clock
from headwater.core.models import Organization
from headwater.quality.services import generate_tasks, mark_missed
from headwater.quality.services.sampling import LOOKAHEAD


@db_periodic_task(crontab(minute="0"))
def generate_sampling_tasks() -> int:
    """Every hour: create the sampling tasks every plan has due in the next 26 hours."""
    now = clock.now()
    return sum(generate_tasks(org, now, now + LOOKAHEAD) for org in Organization.objects.all())


@db_periodic_task(crontab(minute="*/15"))
def mark_missed_tasks() -> int:
    """Every 15 minutes: tasks past their deadline become missed and the lab heads are told."""
    now = clock.now()
    return sum(mark_missed(org, now) for org in Organization.objects.all())
