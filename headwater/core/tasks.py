"""Periodic jobs of the core app (run by the Huey worker: `headwater run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core.models import Organization
from headwater.core.services import purge_expired_personal_data


@db_periodic_task(crontab(hour="3", minute="30"))
def purge_personal_data() -> int:
    """Nightly: delete leavers' personal data past the retention period."""
    return sum(purge_expired_personal_data(org) for org in Organization.objects.all())
