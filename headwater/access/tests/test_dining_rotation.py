"""The rotation (循环滚动) over a week: which slot each unit eats in on each day, through
`dining.slot_for` — rotating units take turns at the early and late slots, fixed ones keep
theirs, a group starting later covers nobody yet, a unit's group covers the units below it
and a sub-unit's own group wins."""

import datetime as dt

import pytest

from headwater.access.dining import slot_for
from headwater.access.tests.factories_dining import DiningGroupFactory, make_canteen, make_slots
from headwater.core.tests.factories import PersonFactory, make_unit

MONDAY = dt.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture
def canteen(org):
    return make_canteen(org)


@pytest.fixture
def slots(canteen):
    return make_slots(canteen)  # 11:10, 11:25, 11:40


@pytest.fixture
def four(org, tree):
    units = [make_unit(org, f"班组{i}", f"T{i}", tree["company"]) for i in range(4)]
    return [PersonFactory(unit=u) for u in units]


def week_of(person, canteen):
    return [
        getattr(slot_for(person, MONDAY + dt.timedelta(days=d), canteen.pk), "name", None)
        for d in range(7)
    ]


def test_four_units_take_turns_over_three_slots_each_day(canteen, slots, four):
    for i, person in enumerate(four):
        DiningGroupFactory(canteen=canteen, unit=person.unit, position=i % 3, starts_on=MONDAY)

    assert week_of(four[0], canteen) == [
        "第1批",
        "第2批",
        "第3批",
        "第1批",
        "第2批",
        "第3批",
        "第1批",
    ]
    assert week_of(four[1], canteen) == [
        "第2批",
        "第3批",
        "第1批",
        "第2批",
        "第3批",
        "第1批",
        "第2批",
    ]
    assert week_of(four[2], canteen) == [
        "第3批",
        "第1批",
        "第2批",
        "第3批",
        "第1批",
        "第2批",
        "第3批",
    ]
    assert week_of(four[3], canteen) == [
        "第1批",
        "第2批",
        "第3批",
        "第1批",
        "第2批",
        "第3批",
        "第1批",
    ]


def test_a_fixed_unit_keeps_its_slot_every_day(canteen, slots, four):
    DiningGroupFactory(canteen=canteen, unit=four[0].unit, position=2, rotates=False)

    assert week_of(four[0], canteen) == ["第3批"] * 7


def test_a_group_starting_later_covers_nobody_before_its_first_day(canteen, slots, four):
    DiningGroupFactory(
        canteen=canteen, unit=four[0].unit, position=1, starts_on=MONDAY + dt.timedelta(days=3)
    )

    assert week_of(four[0], canteen) == [None, None, None, "第2批", "第3批", "第1批", "第2批"]


def test_a_units_group_covers_the_units_below_it(canteen, slots, tree, people):
    DiningGroupFactory(canteen=canteen, unit=tree["plant1"], position=1)

    assert week_of(people["operator"], canteen)[:3] == ["第2批", "第3批", "第1批"]  # shift A
    assert slot_for(people["other_plant"], MONDAY, canteen.pk) is None  # plant 2: no group


def test_a_sub_units_own_group_wins_over_its_parents(canteen, slots, tree, people):
    DiningGroupFactory(canteen=canteen, unit=tree["plant1"], position=0)
    DiningGroupFactory(canteen=canteen, unit=tree["shift_a"], position=2, rotates=False)

    assert week_of(people["operator"], canteen)[:2] == ["第3批", "第3批"]
    assert week_of(people["head"], canteen)[:2] == ["第1批", "第2批"]


def test_another_canteen_is_asked_by_its_id(org, canteen, slots, people, tree):
    other = make_canteen(org, name="二厂食堂")
    other_slots = make_slots(other, first=dt.time(11, 30), count=2)
    DiningGroupFactory(canteen=other, unit=tree["plant1"], position=1)

    assert slot_for(people["head"], MONDAY, other.pk) == other_slots[1]
    assert slot_for(people["head"], MONDAY, canteen.pk) is None
    assert slot_for(people["head"], MONDAY) == other_slots[1]
