"""The day's supervision sample, drawn at 09:00 (ADR 0022) so the supervisors find their
calls waiting; a supervisor pressing "draw" earlier or later gets the same sample."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core.models import Organization
from headwater.isolation.services.supervision import draw_sample


@db_periodic_task(crontab(hour="9", minute="0"))
def draw_supervision_samples() -> int:
    """Returns how many organizations had a new sample drawn."""
    return sum(draw_sample(org)[1] for org in Organization.objects.all())
