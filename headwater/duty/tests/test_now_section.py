"""The duty section of the daily briefing: None for an organization without posts; the
leader on duty, the shifts below minimum, those ended without a handover and the swaps."""

import datetime as dt

from headwater.core.tiles import resolve
from headwater.duty.choices import PostKind
from headwater.duty.models import Swap
from headwater.duty.sections import duty_section
from headwater.duty.tests.factories import make_post
from headwater.duty.tests.now_helpers import D, at, day_and_night, roster, shift


def test_no_section_without_posts(org):
    assert duty_section(org, D) is None


def test_the_section_names_the_leader_the_short_shifts_and_the_missing_handovers(
    org, tree, control_room, operators, people
):
    rost = roster(tree["plant1"])
    # D: the day shift has no licensed operator (操作员4 is not licensed); nobody hands over.
    day_and_night(rost, control_room, D, operators[4:5], operators[:1])
    leader = make_post(tree["company"], "集团带班领导", kind=PostKind.LEADER)
    shift(rost, leader, at(D + dt.timedelta(days=1), 8), 24, [people["head"]])
    a = control_room.shifts.get(starts_at=at(D, 20)).assignments.get()
    Swap.objects.create(
        organization=org,
        assignment=a,
        from_person=operators[0],
        to_person=operators[1],
        requested_at=at(D, 9),
    )
    section = resolve(duty_section(org, D + dt.timedelta(days=1)), "en")
    assert section["lines"] == [
        "Leader on duty on 03-11: 王厂长.",
        "Shifts below their minimum: 1; shifts without a handover: 1; swaps asked: 1, approved: 0.",
    ]
    kinds = [f["kind"] for f in section["flags"]]
    assert kinds == ["abnormal", "overdue", "decision"]
    assert "第一水厂中控室" in section["flags"][1]["text"]
    assert section["figures"][0]["value"] == 1


def test_a_quiet_day_is_a_zero_report(org, tree, control_room, operators):
    section = resolve(duty_section(org, D), "en")
    assert section["flags"] == []
    assert section["quiet"] == "Every shift was staffed and handed over."
