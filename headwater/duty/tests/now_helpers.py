"""Builders for the "now" tests: rosters with shifts and their people written directly (the
roster services are tested on their own), at fixed local times."""

import datetime as dt

from django.utils import timezone

from headwater.duty.choices import RosterState
from headwater.duty.models import Assignment, Roster, Shift

D = dt.date(2026, 3, 10)  # a Tuesday


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def roster(unit, start=D - dt.timedelta(days=5), end=D + dt.timedelta(days=10), *, published=True):
    return Roster.objects.create(
        organization=unit.organization,
        unit=unit,
        starts_on=start,
        ends_on=end,
        state=RosterState.PUBLISHED if published else RosterState.DRAFT,
    )


def shift(rost, post, starts: dt.datetime, hours=12, people=(), *, label="", leads=None):
    """A shift of `post` with `people` on it (`leads`: the one leading the watch)."""
    row = Shift.objects.create(
        organization=post.organization,
        roster=rost,
        post=post,
        label=label or ("夜班" if starts.hour >= 20 else "白班"),
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        night=starts.hour >= 20,
    )
    for person in people:
        Assignment.objects.create(
            organization=post.organization, shift=row, person=person, leads=person == leads
        )
    return row


def day_and_night(rost, post, day: dt.date, day_people=(), night_people=()):
    return (
        shift(rost, post, at(day, 8), 12, day_people),
        shift(rost, post, at(day, 20), 12, night_people),
    )
