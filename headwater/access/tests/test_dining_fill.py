"""The live fill of today's slots: the people let in at a canteen's doors within each slot's
window (allowed, going in; a person scanned twice counts once; a visitor by their visit),
nothing from refused scans, other days, other canteens or other kinds of gate; which slot is
on now; and who may watch which canteen."""

import datetime as dt

import pytest
import time_machine

from headwater.access.choices import Decision, Direction, GateKind
from headwater.access.dining_reads import fill, live_canteens
from headwater.access.models import Gate, GateTeam, GateTeamMember, Visit
from headwater.access.tests.factories_dining import (
    make_canteen,
    make_door,
    make_passage,
    make_slots,
)
from headwater.core.tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def local(hour, minute, day=2):
    return dt.datetime(2026, 3, day, hour, minute)


@pytest.fixture(autouse=True)
def at_1130():
    with time_machine.travel(dt.datetime(2026, 3, 2, 3, 30, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def canteen(org):
    return make_canteen(org)


@pytest.fixture
def slots(canteen):
    return make_slots(canteen, capacity=3)


def test_fill_counts_the_people_let_in_within_each_slot(org, canteen, slots, tree, office_user):
    door, side = make_door(canteen), make_door(canteen, "侧门")
    a, b, c, d = (PersonFactory(unit=tree["plant1"]) for _ in range(4))
    make_passage(door, local(11, 10), person=a)  # first slot, at its start
    make_passage(side, local(11, 24), person=b)  # first slot, other door
    make_passage(door, local(11, 20), person=a)  # a again: counted once
    make_passage(door, local(11, 12), person=c, decision=Decision.REFUSE)  # refused
    make_passage(door, local(11, 15), person=d, direction=Direction.OUT)  # going out
    make_passage(door, local(11, 25), person=c)  # second slot, at its start
    visit = Visit.objects.create(organization=org, site=canteen, name="访客", reason="送货")
    make_passage(door, local(11, 30), visit=visit)  # a visitor, second slot
    make_passage(door, local(11, 5), person=d)  # before the first slot
    make_passage(door, local(11, 12, day=1), person=d)  # yesterday
    other = make_canteen(org, name="二食堂")
    make_slots(other)
    make_passage(make_door(other), local(11, 12), person=d)  # another canteen
    plant_gate = Gate.objects.create(
        organization=org, site=canteen, name="大门", kind=GateKind.GATE
    )
    make_passage(plant_gate, local(11, 13), person=d)  # not a canteen door

    [result] = fill(office_user, [canteen])

    assert [(s.slot.name, s.people, s.state) for s in result.slots] == [
        ("第1批", 2, "past"),
        ("第2批", 2, "now"),
        ("第3批", 0, "next"),
    ]
    assert result.people == 4
    assert [s.percent for s in result.slots] == [67, 67, 0]


def test_a_slot_over_its_places_is_marked(canteen, slots, tree, office_user):
    door = make_door(canteen)
    for minute in (26, 27, 28, 29):
        make_passage(door, local(11, minute), person=PersonFactory(unit=tree["plant1"]))

    now = fill(office_user, [canteen])[0].slots[1]
    assert (now.people, now.over, now.percent) == (4, True, 100)


def test_the_office_watches_every_canteen_with_slots(org, canteen, slots, office_user):
    make_canteen(org, name="没有时段的食堂")

    assert live_canteens(office_user) == [canteen]


def test_a_door_guard_watches_their_canteen_only(org, canteen, slots, tree):
    door = make_door(canteen)
    other = make_canteen(org, name="二食堂")
    make_slots(other)
    make_door(other)
    guard_person = PersonFactory(unit=tree["plant2"])
    team = GateTeam.objects.create(organization=org, gate=door, name="一班")
    GateTeamMember.objects.create(organization=org, team=team, person=guard_person)
    guard = make_user("guard", person=guard_person, roles=[("guard", None)])
    make_passage(door, local(11, 26), person=PersonFactory(unit=tree["plant1"]))

    assert live_canteens(guard) == [canteen]
    assert fill(guard, [canteen])[0].slots[1].people == 1


def test_a_member_of_staff_and_an_outsider_watch_nothing(canteen, slots, staff_user, outsider):
    make_door(canteen)

    assert live_canteens(staff_user) == []
    assert live_canteens(outsider) == []


def test_the_fill_costs_two_queries_for_any_number_of_canteens(
    org, canteen, slots, office_user, django_assert_num_queries
):
    other = make_canteen(org, name="二食堂")
    make_slots(other)
    assert office_user.grants  # read once per request, before this

    with django_assert_num_queries(2):  # the slots, one aggregate of the passages
        result = fill(office_user, [canteen, other])
    assert [len(f.slots) for f in result] == [3, 3]
