"""The contacts the gates and duty report through `core.contacts`: the same gate within
`access.trace_minutes` (inclusive), the same canteen slot the same day, the same bus trip,
the same duty shift — exact people and evidence."""

import datetime as dt

import pytest

from headwater.access.choices import GateKind
from headwater.access.tests.factories_tracing import D, at, gate, passage, slot, trip
from headwater.core import contacts
from headwater.core.tests.factories import PersonFactory
from headwater.duty.models import Assignment, Post, Roster, Shift

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(tree):
    return [
        PersonFactory(unit=tree["plant1"], name=f"人{i}", employee_no=f"T{i}") for i in range(8)
    ]


def window():
    return at(D, 0), at(D + dt.timedelta(days=1), 0)


def summary(found):
    return sorted((c.person_id, c.other_id, c.kind, c.label) for c in found)


def test_the_same_gate_within_the_interval_is_a_contact_the_boundary_included(org, crowd):
    a, near, edge, late, elsewhere, *_ = crowd
    east, west = gate(org, "东门"), gate(org, "西门")
    passage(a, east, at(D, 10, 0))
    passage(near, east, at(D, 9, 50))  # 10 minutes before
    passage(edge, east, at(D, 10, 15, 0))  # exactly 15 minutes after: inside
    passage(late, east, at(D, 10, 15, 1))  # one second more: outside
    passage(elsewhere, west, at(D, 10, 0))  # same time, another gate

    found = contacts.found([a.pk], *window())

    assert summary(found) == sorted(
        [(a.pk, near.pk, "gate", "东门"), (a.pk, edge.pk, "gate", "东门")]
    )
    by_other = {c.other_id: c for c in found}
    assert by_other[near.pk].at == at(D, 10, 0)
    assert by_other[near.pk].evidence == {
        "gate_id": east.pk,
        "days": 1,
        "other_at": at(D, 9, 50),
        "count": 1,
    }


def test_overlapping_windows_give_one_contact_per_gate_counting_each_encounter(org, crowd):
    a, b, *_ = crowd
    east = gate(org, "东门")
    passage(a, east, at(D, 8, 0))
    passage(a, east, at(D, 8, 20))
    passage(b, east, at(D, 8, 10))  # within 15 minutes of both of a's passages
    passage(b, east, at(D, 17, 0))  # alone

    (found,) = contacts.found([a.pk], *window())

    assert (found.other_id, found.kind, found.at) == (b.pk, "gate", at(D, 8, 0))
    assert (found.evidence["other_at"], found.evidence["count"]) == (at(D, 8, 10), 2)


def test_days_at_one_gate_are_one_contact_that_counts_each_day(org, crowd):
    a, b, *_ = crowd
    east, west = gate(org, "东门"), gate(org, "西门")
    next_day = D + dt.timedelta(days=1)
    passage(a, east, at(D, 8, 0))
    passage(b, east, at(D, 8, 5))
    passage(a, east, at(next_day, 8, 0))
    passage(b, east, at(next_day, 7, 55))
    passage(a, west, at(next_day, 17, 0))
    passage(b, west, at(next_day, 17, 1))

    found = contacts.found([a.pk], at(D, 0), at(next_day + dt.timedelta(days=1), 0))

    assert sorted((c.label, c.times, c.evidence["count"], c.at) for c in found) == [
        ("东门", 2, 2, at(D, 8, 0)),
        ("西门", 1, 1, at(next_day, 17, 0)),
    ]


def test_only_the_asked_persons_passages_in_the_window_count_the_end_excluded(org, crowd):
    a, b, c, *_ = crowd
    east = gate(org, "东门")
    start, end = window()
    passage(a, east, start)  # at the start: inside
    passage(b, east, start + dt.timedelta(minutes=5))
    passage(a, east, end)  # at the end: outside
    passage(c, east, end + dt.timedelta(minutes=1))

    assert summary(contacts.found([a.pk], start, end)) == [(a.pk, b.pk, "gate", "东门")]


def test_the_same_canteen_slot_the_same_day_is_a_contact_however_far_apart(org, crowd):
    a, b, other_day, other_slot, *_ = crowd
    door = gate(org, "食堂", GateKind.CANTEEN)
    first, second = slot(door, "第一批"), slot(door, "第二批", dt.time(11, 25))
    passage(a, door, at(D, 11, 10), slot=first)
    passage(b, door, at(D, 11, 24, 59), slot=first)
    passage(other_day, door, at(D - dt.timedelta(days=1), 11, 12), slot=first)
    passage(other_slot, door, at(D, 11, 26), slot=second)  # two minutes after b: not a's slot

    found = contacts.found([a.pk], *window())

    assert summary(found) == [(a.pk, b.pk, "slot", "第一批")]
    assert found[0].evidence["slot_id"] == first.pk


def test_the_same_bus_trip_is_a_contact_another_trip_of_the_bus_is_not(org, crowd):
    a, b, later, *_ = crowd
    bus = gate(org, "1路班车", GateKind.BUS)
    morning, evening = trip(bus), trip(bus, departs=dt.time(17, 30))
    passage(a, bus, at(D, 7, 20), trip=morning)
    passage(b, bus, at(D, 7, 50), trip=morning)  # 30 minutes apart, same trip
    passage(later, bus, at(D, 17, 25), trip=evening)

    found = contacts.found([a.pk], *window())

    assert summary(found) == [(a.pk, b.pk, "bus", "1路 07:30")]
    assert found[0].evidence["trip_id"] == morning.pk


def test_people_on_the_same_duty_shift_are_contacts_through_the_interface(org, tree, crowd):
    a, b, c, off, *_ = crowd
    post = Post.objects.create(
        organization=org, name="中控室", kind="control_room", unit=tree["plant1"]
    )
    roster = Roster.objects.create(organization=org, unit=tree["plant1"], starts_on=D, ends_on=D)
    night = Shift.objects.create(
        organization=org,
        roster=roster,
        post=post,
        label="夜班",
        starts_at=at(D, 20),
        ends_at=at(D, 20) + dt.timedelta(hours=12),
    )
    other = Shift.objects.create(
        organization=org,
        roster=roster,
        post=post,
        label="白班",
        starts_at=at(D, 8),
        ends_at=at(D, 20),
    )
    for person, shift in ((a, night), (b, night), (c, night), (off, other)):
        Assignment.objects.create(organization=org, shift=shift, person=person)

    found = contacts.found([a.pk], at(D, 21), at(D, 22))

    label = "中控室 夜班"
    assert summary(found) == [(a.pk, b.pk, "shift", label), (a.pk, c.pk, "shift", label)]
    assert found[0].evidence["shift_id"] == night.pk


def test_visitors_passages_and_refusals(org, crowd):
    """A refused person still stood at the gate (a contact); a visitor's passage (no person)
    is not traced here."""
    a, refused, *_ = crowd
    east = gate(org, "东门")
    passage(a, east, at(D, 9, 0))
    passage(refused, east, at(D, 9, 1), decision="refuse")
    passage(None, east, at(D, 9, 2))

    assert summary(contacts.found([a.pk], *window())) == [(a.pk, refused.pk, "gate", "东门")]
