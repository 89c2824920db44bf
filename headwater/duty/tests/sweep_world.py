"""The duty rows of the shared sweep world (core/tests/world.py): a post of the victim unit
with the victim on its team (posts are organization-wide: "who is on duty now", so
its name is marked ORGV-), a draft roster of one day with its shifts and the victim on the
first, a leave and a wish of the victim; returns the ids the sweep fills path parameters
with."""

import datetime as dt

from headwater.duty.models import Assignment, Leave, Preference, Roster, Shift
from headwater.duty.patterns import bounds
from headwater.duty.tests.factories import make_post


def victim_rows(world) -> dict:
    org, unit = world.org, world.unit
    person = world.users["victim_staff"].person
    day = dt.date(2020, 2, 10)
    post = make_post(unit, "ORGV-值班室", duty_phone="0571-80000003", team=[person])
    roster = Roster.objects.create(organization=org, unit=unit, starts_on=day, ends_on=day)
    shifts = []
    for d in post.shift_defs.order_by("starts"):
        begins, ends = bounds(day, d.starts, d.hours)
        shifts.append(
            Shift.objects.create(
                organization=org,
                roster=roster,
                post=post,
                shift_def=d,
                label=d.label,
                starts_at=begins,
                ends_at=ends,
                night=d.night,
            )
        )
    assignment = Assignment.objects.create(organization=org, shift=shifts[0], person=person)
    leave = Leave.objects.create(
        organization=org, person=person, kind="annual", starts_on=day, ends_on=day
    )
    wish = Preference.objects.create(
        organization=org, person=person, day=day + dt.timedelta(days=1), kind="day_off"
    )
    return {
        "post": post.pk,
        "roster": roster.pk,
        "shift": shifts[0].pk,
        "assignment": assignment.pk,
        "leave": leave.pk,
        "wish": wish.pk,
    }
