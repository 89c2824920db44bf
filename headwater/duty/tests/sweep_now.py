"""The victim unit's duty rows for the outsider sweep (core/tests/world.py): a post of the
victim unit with a published roster, the victim's shift tomorrow (not running at the sweep's
moment: "on duty now" shows whoever is on duty to every member, by design), a swap asked, a
log entry and a handover. Returns the ids the sweep fills parameters with."""

import datetime as dt

from headwater.duty.models import Assignment, Eligibility, Handover, LogEntry, Post, Roster, Shift


def victim_duty(world, moment: dt.datetime) -> dict:
    org, unit = world.org, world.unit
    staff, head = world.users["victim_staff"], world.users["victim_head"]
    post = Post.objects.create(
        organization=org, name="ORGV-值班岗", kind="control_room", unit=unit, duty_phone="0571-1"
    )
    for person in (staff.person, head.person):
        Eligibility.objects.create(organization=org, post=post, person=person)
    day = moment.date()
    roster = Roster.objects.create(
        organization=org,
        unit=unit,
        starts_on=day,
        ends_on=day + dt.timedelta(days=3),
        state="published",
    )
    start = moment + dt.timedelta(days=1)
    shift = Shift.objects.create(
        organization=org,
        roster=roster,
        post=post,
        label="VICTIM-白班",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=12),
    )
    later = Shift.objects.create(
        organization=org,
        roster=roster,
        post=post,
        label="VICTIM-夜班",
        starts_at=start + dt.timedelta(hours=12),
        ends_at=start + dt.timedelta(hours=24),
    )
    assignment = Assignment.objects.create(organization=org, shift=shift, person=staff.person)
    Assignment.objects.create(organization=org, shift=later, person=head.person)
    swap = assignment.swaps.create(
        organization=org, from_person=staff.person, to_person=head.person, reason="VICTIM-换班"
    )
    LogEntry.objects.create(organization=org, shift=shift, kind="call", text="VICTIM-来电")
    handover = Handover.objects.create(
        organization=org, shift=shift, next_shift=later, note="VICTIM-交班", written_by=staff
    )
    return {
        "shift": shift.pk,
        "assignment": assignment.pk,
        "swap": swap.pk,
        "handover": handover.pk,
        "handover_shift": shift.pk,
    }
