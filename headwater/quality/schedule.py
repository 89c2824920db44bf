"""When a sampling plan falls due: the occurrences of a plan in a time window.

Pure: reads the plan's fields, never the database, so it can be tested on unsaved plans.
Times are local (settings.TIME_ZONE, Asia/Shanghai): a plan "at 08:00" means 08:00 at the
plant, whatever the server's clock.
"""

import calendar
import datetime as dt

from django.utils import timezone

from headwater.quality.choices import Frequency

DEFAULT_TIME = dt.time(8, 0)
DEFAULT_MONTHS = (1, 7)


def parse_time(text: str) -> dt.time:
    """ "08:00" or "8:00" → time; ValueError for anything else."""
    hours, _, minutes = str(text).strip().partition(":")
    return dt.time(int(hours), int(minutes or 0))


def occurrences(plan, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """The aware datetimes in [start, end) at which `plan` falls due, in order, none before
    the plan's first day (`starts_on`)."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    if plan.starts_on and plan.starts_on > first:
        first = plan.starts_on
    found = []
    day = first
    while day <= last:
        for time in _times_on(plan, day):
            when = timezone.make_aware(dt.datetime.combine(day, time))
            if start <= when < end:
                found.append(when)
        day += dt.timedelta(days=1)
    return found


def _times_on(plan, day: dt.date) -> list[dt.time]:
    """The local times of day at which the plan falls due on `day` (empty: not that day)."""
    frequency = plan.frequency
    if frequency == Frequency.EVERY_N_HOURS:
        step = plan.every_hours or 24
        return [dt.time(hour) for hour in range(0, 24, step)]
    if frequency == Frequency.TIMES_DAILY:
        return sorted({parse_time(t) for t in plan.times}) or [DEFAULT_TIME]
    first = _first_time(plan)
    if frequency == Frequency.DAILY:
        return [first]
    if frequency == Frequency.WEEKDAYS:
        return [first] if day.weekday() in set(plan.weekdays or ()) else []
    if frequency == Frequency.MONTHLY:
        return [first] if day.day == _day_in_month(plan, day) else []
    if frequency == Frequency.HALF_YEARLY:
        months = set(plan.months or DEFAULT_MONTHS)
        return [first] if day.month in months and day.day == _day_in_month(plan, day) else []
    return []


def _first_time(plan) -> dt.time:
    return parse_time(plan.times[0]) if plan.times else DEFAULT_TIME


def _day_in_month(plan, day: dt.date) -> int:
    """The plan's day of month, clamped to the month's last day (31 → 30 April, 28/29 Feb)."""
    last = calendar.monthrange(day.year, day.month)[1]
    return min(plan.day_of_month or 1, last)
