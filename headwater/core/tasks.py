"""Periodic jobs of the core app (run by the Huey worker: `headwater run_huey`)."""

import datetime as dt

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core import clock
from headwater.core.models import Organization
from headwater.core.services import purge_expired_personal_data
from headwater.core.writes import forget_old_keys


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_personal_data() -> int:
    """Nightly: delete leavers' personal data past the retention period."""
    return sum(purge_expired_personal_data(org) for org in Organization.objects.all())


@db_periodic_task(crontab(hour="3", minute="40"))
def forget_idempotency_keys() -> int:
    """Nightly: a retry older than 30 days is a new request; its key is forgotten."""
    return forget_old_keys(clock.now() - dt.timedelta(days=30))
