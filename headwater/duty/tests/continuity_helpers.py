"""Builders for continuity tests: a published roster written directly (round-robin over a
crew), a code in force written as health writes it, and the moment the tests run at."""

import datetime as dt

from django.utils import timezone

from headwater.core import clock, codes
from headwater.duty.choices import RosterState
from headwater.duty.models import Assignment, Roster, Shift
from headwater.duty.patterns import bounds

D = dt.date(2026, 3, 9)  # a Monday: the roster's first day
BEFORE = timezone.make_aware(dt.datetime(2026, 3, 8, 20, 0))  # the evening before


def day(n: int) -> dt.date:
    return D + dt.timedelta(days=n)


def publish_roster(post, crew, *, start=D, days=7, state=RosterState.PUBLISHED) -> Roster:
    """Each shift of each day to the next of `crew` in turn (day 0 day shift: crew[0], day 0
    night: crew[1], day 1 day: crew[2] ...)."""
    org = post.organization
    roster = Roster.objects.create(
        organization=org,
        unit=post.unit,
        starts_on=start,
        ends_on=start + dt.timedelta(days=days - 1),
        state=state,
        published_at=clock.now() if state == RosterState.PUBLISHED else None,
    )
    turn = 0
    for n in range(days):
        for sd in post.shift_defs.order_by("starts"):
            starts_at, ends_at = bounds(start + dt.timedelta(days=n), sd.starts, sd.hours)
            shift = Shift.objects.create(
                organization=org,
                roster=roster,
                post=post,
                shift_def=sd,
                label=sd.label,
                starts_at=starts_at,
                ends_at=ends_at,
                night=sd.night,
            )
            Assignment.objects.create(organization=org, shift=shift, person=crew[turn % len(crew)])
            turn += 1
    return roster


def set_code(person, colour="red", green_on=None):
    """A code in force, as health's recompute writes it, and the change announced."""
    from headwater.health.models import HealthCode

    HealthCode.objects.filter(person=person).update(is_current=False)
    code = HealthCode.objects.create(
        organization=person.organization,
        person=person,
        colour=colour,
        reason="测试",
        rule_set_version=1,
        green_on=green_on,
    )
    codes.announce_change([person.pk])
    return code


def shifts_of(person, roster=None):
    qs = Assignment.objects.filter(person=person).order_by("shift__starts_at")
    if roster is not None:
        qs = qs.filter(shift__roster=roster)
    return [a.shift for a in qs.select_related("shift")]
