"""Check-in reminders, the reads: which reminder time is due, and who has not checked in.
Sending them is health.services.reminders."""

import datetime as dt

from django.utils import timezone

from headwater.core import levels
from headwater.core.models import Organization
from headwater.health.windows import current_slot

WINDOW = dt.timedelta(minutes=5)


def due_time(organization: Organization, now: dt.datetime) -> str | None:
    """The reminder time (HH:MM) that fell in the 5 minutes up to now, if any."""
    local = timezone.localtime(now)
    for text in levels.value(organization, "health.reminder_times"):
        try:
            hours, minutes = (int(x) for x in text.split(":"))
        except ValueError:
            continue
        at = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
        if at <= local < at + WINDOW:
            return text
    return None


def missing_people(organization: Organization, now: dt.datetime):
    """Active people with no check-in in the slot open now."""
    day = timezone.localdate(now)
    slot = current_slot(organization, now)
    return (
        organization.people.active()
        .exclude(checkins__date=day, checkins__slot=slot)
        .select_related("unit")
    )
