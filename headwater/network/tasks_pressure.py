"""The pressure watch's periodic job: every five minutes, alert the points gone silent."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from headwater.core.models import Organization
from headwater.network.models import PressurePoint
from headwater.network.services import pressure_alarms


@db_periodic_task(crontab(minute="*/5"))
def alert_silent_points() -> int:
    """Each organization with a watched point, one at a time (short transactions)."""
    org_ids = (
        PressurePoint.objects.filter(active=True, device__isnull=False)
        .values_list("organization_id", flat=True)
        .distinct()
        .order_by("organization_id")
    )
    raised = 0
    for org in Organization.objects.filter(pk__in=list(org_ids)).order_by("pk"):
        raised += pressure_alarms.alert_silent_points(org)
    return raised
