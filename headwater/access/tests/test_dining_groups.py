"""Units in a canteen's rotation: one unit placed (again: its place changes), several spread
evenly over the slots in one step, the people each brings (a sub-unit with its own group
leaves its parent's count), and the capacity warning — the days of the coming week on which
a slot would get more people than places — which warns and never refuses."""

import datetime as dt

import pytest
import time_machine

from headwater.access import dining_reads
from headwater.access.inputs_dining import GroupInput, SpreadInput
from headwater.access.models import DiningGroup
from headwater.access.services import dining as service
from headwater.access.tests.factories_dining import DiningGroupFactory, make_canteen, make_slots
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.factories import PersonFactory, make_unit

MONDAY = dt.date(2026, 3, 2)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def canteen(org):
    return make_canteen(org)


def crew(org, parent, code, size):
    unit = make_unit(org, f"班组{code}", code, parent)
    for _ in range(size):
        PersonFactory(unit=unit)
    return unit


def test_placing_a_unit_twice_changes_its_place(canteen, tree, office_user):
    make_slots(canteen)
    data = {"unit_id": tree["plant1"].pk, "position": "1", "starts_on": "2026-03-02"}
    group, created = service.set_group(
        canteen, GroupInput.parse(data, canteen.organization_id), by=office_user
    )
    again, created_again = service.set_group(
        canteen,
        GroupInput.parse({**data, "position": "2", "rotates": "0"}, canteen.organization_id),
        by=office_user,
    )

    assert (created, created_again, again.pk) == (True, False, group.pk)
    assert DiningGroup.objects.filter(canteen=canteen).count() == 1
    again.refresh_from_db()
    assert (again.position, again.rotates) == (2, False)


def test_a_slot_the_canteen_does_not_have_is_refused(canteen, tree, office_user):
    make_slots(canteen, count=2)
    data = GroupInput.parse(
        {"unit_id": tree["plant1"].pk, "position": "2", "starts_on": "2026-03-02"},
        canteen.organization_id,
    )
    with pytest.raises(DomainError) as e:
        service.set_group(canteen, data, by=office_user)

    assert e.value.fields == {"position": "请选择第一天的时段。"}
    assert DiningGroup.objects.count() == 0


def test_units_are_placed_only_once_the_canteen_has_slots(canteen, tree, office_user):
    data = GroupInput.parse(
        {"unit_id": tree["plant1"].pk, "position": "0", "starts_on": "2026-03-02"},
        canteen.organization_id,
    )
    with pytest.raises(DomainError) as e:
        service.set_group(canteen, data, by=office_user)

    assert e.value.code == "dining_no_slots"
    assert DiningGroup.objects.count() == 0


def test_a_unit_head_may_not_place_units(canteen, tree, unit_head_user):
    make_slots(canteen)
    data = GroupInput.parse(
        {"unit_id": tree["plant1"].pk, "position": "0", "starts_on": "2026-03-02"},
        canteen.organization_id,
    )
    with pytest.raises(NotAllowed):
        service.set_group(canteen, data, by=unit_head_user)

    assert DiningGroup.objects.count() == 0


def test_spreading_four_units_over_three_slots_balances_the_people(org, canteen, tree, office_user):
    make_slots(canteen)
    units = [crew(org, tree["company"], f"C{i}", n) for i, n in enumerate((3, 5, 2, 4))]
    data = SpreadInput.parse({"unit_ids": [u.pk for u in units], "starts_on": "2026-03-02"}, org.pk)
    groups, created = service.spread_units(canteen, data, by=office_user)

    assert created is True
    placed = {g.unit.name: g.position for g in DiningGroup.objects.select_related("unit")}
    # largest first to the emptiest slot: C1 (5) → 0, C3 (4) → 1, C0 (3) → 2, C2 (2) → 2
    assert placed == {"班组C1": 0, "班组C3": 1, "班组C0": 2, "班组C2": 2}
    monday = dining_reads.week(canteen, MONDAY).days[0]
    assert [c.people for c in monday.cells] == [5, 4, 5]


def test_the_people_of_a_sub_unit_with_its_own_group_leave_its_parents_count(canteen, tree, people):
    make_slots(canteen)
    DiningGroupFactory(canteen=canteen, unit=tree["plant1"], position=0)
    DiningGroupFactory(canteen=canteen, unit=tree["shift_a"], position=1)

    week = dining_reads.week(canteen, MONDAY)
    assert {g.unit.name: g.people for g in week.groups} == {"第一水厂": 1, "运行甲班": 1}


def test_the_capacity_warning_names_each_day_and_slot_over_its_places(org, canteen, tree):
    make_slots(canteen, capacity=6)
    big = crew(org, tree["company"], "B", 5)
    small = crew(org, tree["company"], "S", 2)
    DiningGroupFactory(canteen=canteen, unit=big, position=0, rotates=True)
    DiningGroupFactory(canteen=canteen, unit=small, position=0, rotates=False)

    warnings = dining_reads.week(canteen, MONDAY).warnings
    # the big unit is in slot 1 with the fixed small one on Monday and Thursday (and Sunday)
    assert [(day.isoformat(), cell.slot.name, cell.people) for day, cell in warnings] == [
        ("2026-03-02", "第1批", 7),
        ("2026-03-05", "第1批", 7),
        ("2026-03-08", "第1批", 7),
    ]


def test_over_capacity_is_a_warning_not_a_refusal(org, canteen, tree, office_user):
    make_slots(canteen, capacity=1)
    unit = crew(org, tree["company"], "B", 3)
    group, created = service.set_group(
        canteen,
        GroupInput.parse({"unit_id": unit.pk, "position": "0", "starts_on": "2026-03-02"}, org.pk),
        by=office_user,
    )

    assert created is True
    warnings = dining_reads.week(canteen, MONDAY).warnings
    assert [(d.day, c.slot.position, c.people) for d, c in warnings][:3] == [
        (2, 0, 3),
        (3, 1, 3),
        (4, 2, 3),
    ]
    assert len(warnings) == 7  # over every day of the week, in the slot of the day


def test_the_week_grid_costs_three_queries_whatever_the_units(
    org, canteen, tree, django_assert_num_queries
):
    make_slots(canteen)
    for i in range(6):
        DiningGroupFactory(
            canteen=canteen, unit=crew(org, tree["company"], f"Q{i}", 2), position=i % 3
        )

    with django_assert_num_queries(3):  # the slots, the groups with their units, the people
        week = dining_reads.week(canteen, MONDAY)
    assert sum(c.people for c in week.days[0].cells) == 12
