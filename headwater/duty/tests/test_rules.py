"""The hard rules of a roster (duty.rules.check): each rule named with its post, shift and
person; a roster keeping every rule has no break."""

import datetime as dt

from django.utils import timezone

from headwater.core import availability
from headwater.duty.errors import DutyError
from headwater.duty.rules import Facts, Limits, Slot, check

D = dt.date(2026, 3, 9)  # a Monday
POST = 7


def slot(key, day, hour=8, hours=12, min_people=1, min_qualified=0, qual=""):
    start = timezone.make_aware(dt.datetime.combine(D + dt.timedelta(days=day), dt.time(hour)))
    return Slot(
        key,
        POST,
        "中控室",
        "白班",
        start,
        start + dt.timedelta(hours=hours),
        min_people,
        min_qualified,
        qual,
    )


def facts(**extra) -> Facts:
    f = Facts(
        names={1: "甲", 2: "乙", 3: "丙"},
        eligible={POST: {1, 2, 3}},
        qualified={1: {"plant_operator": None}, 2: {"plant_operator": D}},
    )
    for k, v in extra.items():
        setattr(f, k, v)
    return f


DEFAULT = Limits()


def rules_broken(slots, assigned, f=None, limits=DEFAULT):
    return [(b.rule, b.slot_key, b.person_id) for b in check(slots, assigned, f or facts(), limits)]


def test_a_roster_keeping_every_rule_has_no_break():
    slots = [slot("d0", 0, min_qualified=1, qual="plant_operator"), slot("n0", 0, hour=20)]
    assert rules_broken(slots, {"d0": [1], "n0": [2]}) == []


def test_each_hard_rule_is_named_with_its_shift_and_person():
    slots = [
        slot("a", 0, min_people=2),  # one short
        slot("b", 1, min_qualified=1, qual="plant_operator"),  # 2's licence ended on D
        slot("c", 1, hour=14),  # overlaps b for person 2
        slot("d", 2, hour=4),  # rest after c ends at 02:00: 2 h
    ]
    broken = rules_broken(slots, {"a": [1], "b": [2], "c": [2], "d": [2]})
    assert broken == [
        (DutyError.BELOW_MINIMUM, "a", None),
        (DutyError.NOT_QUALIFIED, "b", None),
        (DutyError.OVERLAP, "c", 2),
        (DutyError.REST_TOO_SHORT, "d", 2),
    ]


def test_someone_away_or_with_a_red_code_or_off_the_team_cannot_take_a_shift():
    away = {3: [availability.Absence(3, D, None, "居家隔离", "health")]}
    f = facts(
        absences=away, not_green={1: ("红码", D + dt.timedelta(days=1))}, eligible={POST: {1, 3}}
    )
    broken = rules_broken([slot("a", 0, min_people=3), slot("b", 1)], {"a": [1, 2, 3], "b": [1]}, f)
    assert broken == [
        (DutyError.UNAVAILABLE, "a", 1),  # red until tomorrow; on "b" (tomorrow) it is green
        (DutyError.NOT_QUALIFIED, "a", 2),
        (DutyError.UNAVAILABLE, "a", 3),
    ]


def test_too_many_days_in_a_row_and_too_many_hours_in_a_week():
    slots = [slot(i, i) for i in range(7)]  # Monday to Sunday, 12 h each
    broken = rules_broken(
        slots, {i: [1] for i in range(7)}, limits=Limits(max_consecutive_days=6, max_week_hours=72)
    )
    assert broken == [(DutyError.TOO_MANY_SHIFTS, None, 1), (DutyError.TOO_MANY_HOURS, None, 1)]
