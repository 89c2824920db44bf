"""When check-ins may be made and when the unit daily report is due, from the per-level
settings (health.checkins_per_day, health.morning_closes, health.report_deadline).

Reads only: the services, the pages, the reminders and the tasks all ask here."""

import datetime as dt

from django.utils import timezone

from headwater.core import clock, levels
from headwater.core.models import Organization
from headwater.health.choices import Slot


def parse_time(text: str) -> dt.time:
    hours, minutes = (int(x) for x in str(text).split(":"))
    return dt.time(hours, minutes)


def slots_for(organization: Organization) -> list[str]:
    return (
        [Slot.MORNING, Slot.AFTERNOON]
        if levels.value(organization, "health.checkins_per_day") >= 2
        else [Slot.MORNING]
    )


def window(organization: Organization, day: dt.date, slot: str) -> tuple[dt.datetime, dt.datetime]:
    """When a slot's check-in may be made or corrected (Asia/Shanghai)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tz)
    end = start + dt.timedelta(days=1)
    if len(slots_for(organization)) == 1:
        return start, end
    noon = dt.datetime.combine(
        day, parse_time(levels.value(organization, "health.morning_closes")), tz
    )
    return (start, noon) if slot == Slot.MORNING else (noon, end)


def current_slot(organization: Organization, now: dt.datetime | None = None) -> str:
    now = now or clock.now()
    day = timezone.localdate(now)
    for slot in slots_for(organization):
        opens, closes = window(organization, day, slot)
        if opens <= now < closes:
            return slot
    return Slot.MORNING


def report_deadline(organization: Organization, day: dt.date) -> dt.datetime:
    at = parse_time(levels.value(organization, "health.report_deadline"))
    return dt.datetime.combine(day, at, timezone.get_current_timezone())
