"""Periodic work of the water-quality app (Huey)."""

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from headwater.core import clock
from headwater.core.models import Organization

# Hourly runs over the next 26 hours overlap, so one or two failed runs lose no task and the
# technicians see tomorrow morning's tasks the evening before.
LOOKAHEAD = dt.timedelta(hours=26)


@db_periodic_task(crontab(minute="0"))
def generate_sampling_tasks() -> int:
    """Every hour: create the sampling tasks every plan has due in the next 26 hours."""
    from headwater.quality.planning import generate_tasks

    now = clock.now()
    return sum(generate_tasks(org, now, now + LOOKAHEAD) for org in Organization.objects.all())


@db_task()
def generate_for(organization_id: int) -> int:
    """Right after a plan is saved: its tasks of the next 26 hours, without waiting an hour."""
    from headwater.quality.planning import generate_tasks

    now = clock.now()
    return generate_tasks(Organization.objects.get(pk=organization_id), now, now + LOOKAHEAD)


@db_periodic_task(crontab(minute="*/15"))
def mark_missed_tasks() -> int:
    """Every 15 minutes: tasks past their deadline become missed and the lab heads are told."""
    from headwater.quality.planning import mark_missed

    now = clock.now()
    return sum(mark_missed(org, now) for org in Organization.objects.all())
