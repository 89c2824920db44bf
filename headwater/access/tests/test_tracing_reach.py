"""The second level (`contacts.reached`): per other person and kind, the sources met and the
number of separate encounters with each. At a gate a passage is given to the nearest source passage
before it and the nearest after it, when within `access.trace_minutes` (inclusive); a
source farther back in a crowd of sources is not credited. The same answers on SQLite and
PostgreSQL (CI runs both)."""

import datetime as dt

import pytest

from headwater.access.choices import GateKind
from headwater.access.tests.factories_tracing import D, at, gate, passage, slot, trip
from headwater.core import contacts
from headwater.core.tests.factories import PersonFactory
from headwater.duty.models import Assignment, Post, Roster, Shift

pytestmark = pytest.mark.django_db
NEXT = D + dt.timedelta(days=1)


@pytest.fixture
def crowd(tree):
    return [
        PersonFactory(unit=tree["plant1"], name=f"人{i}", employee_no=f"R{i}") for i in range(8)
    ]


def rows(lines):
    """The lines as (source, other, kind, encounters) pairs."""
    return sorted(
        (source, line.other_id, line.kind, count)
        for line in lines
        for source, count in zip(line.sources, line.counts, strict=True)
    )


def test_a_passage_goes_to_the_nearest_source_on_each_side_within_the_interval(org, crowd):
    s1, s2, s3, o, edge, far, *_ = crowd
    east = gate(org, "东门")
    passage(s1, east, at(D, 8, 0))
    passage(s2, east, at(D, 8, 10))
    passage(s3, east, at(D, 8, 20))
    passage(o, east, at(D, 8, 12))  # between s2 (2 min before) and s3 (8 min after)
    passage(edge, east, at(D, 8, 35))  # s3 exactly 15 minutes before: a contact
    passage(far, east, at(D, 8, 35, 1))  # and one second later

    found = contacts.reached([s1.pk, s2.pk, s3.pk], at(D, 0), at(NEXT, 0))

    assert rows(found) == sorted(
        [
            (s2.pk, o.pk, "gate", 1),
            (s3.pk, o.pk, "gate", 1),
            (s3.pk, edge.pk, "gate", 1),
        ]
    )
    # s1 met o within 12 minutes too, but s2 stood between them: not credited.


def test_encounters_count_gates_and_days_and_the_first_time_is_kept(org, crowd):
    s, o, *_ = crowd
    east, west = gate(org, "东门"), gate(org, "西门")
    passage(s, east, at(D, 8, 0))
    passage(o, east, at(D, 8, 5))
    passage(o, east, at(D, 8, 6))  # the same gate and day: the same encounter
    passage(s, west, at(D, 17, 0))
    passage(o, west, at(D, 17, 1))
    passage(s, east, at(NEXT, 8, 0))
    passage(o, east, at(NEXT, 7, 58))

    found = contacts.reached([s.pk], at(D, 0), at(NEXT + dt.timedelta(days=1), 0))

    assert found == [contacts.Line(o.pk, "gate", [s.pk], [3], at(D, 8, 5))]


def test_an_encounter_is_dated_by_the_sources_passage_across_midnight(org, crowd):
    s, o, *_ = crowd
    east = gate(org, "东门")
    passage(s, east, at(NEXT, 0, 0))
    passage(o, east, at(D, 23, 58))  # the day before, by the other's clock
    passage(o, east, at(NEXT, 0, 5))

    found = contacts.reached([s.pk], at(D, 0), at(NEXT + dt.timedelta(days=1), 0))

    # One passage of the source: one encounter, on the source's day.
    assert found == [contacts.Line(o.pk, "gate", [s.pk], [1], at(D, 23, 58))]


def test_skipped_people_the_sources_and_passages_outside_the_window_are_left_out(org, crowd):
    s, level1, o, late, *_ = crowd
    east = gate(org, "东门")
    passage(s, east, at(D, 8, 0))
    passage(level1, east, at(D, 8, 1))
    passage(o, east, at(D, 8, 2))
    passage(s, east, at(NEXT, 9, 0))  # after the window: not a source passage
    passage(late, east, at(NEXT, 9, 1))

    found = contacts.reached([s.pk], at(D, 0), at(NEXT, 0), skip=[level1.pk])

    assert rows(found) == [(s.pk, o.pk, "gate", 1)]


def test_slots_and_bus_trips_are_pairs_per_source(org, crowd):
    s1, s2, o, *_ = crowd
    door, bus = gate(org, "食堂", GateKind.CANTEEN), gate(org, "班车", GateKind.BUS)
    first, morning = slot(door), trip(bus)
    passage(s1, door, at(D, 11, 10), slot=first)
    passage(s2, door, at(D, 11, 11), slot=first)
    passage(o, door, at(D, 11, 24), slot=first)
    passage(s1, bus, at(D, 7, 20), trip=morning)
    passage(o, bus, at(D, 7, 29), trip=morning)

    found = contacts.reached([s1.pk, s2.pk], at(D, 0), at(NEXT, 0))

    assert rows(found) == sorted(
        [
            (s1.pk, o.pk, "slot", 1),
            (s2.pk, o.pk, "slot", 1),
            (s1.pk, o.pk, "bus", 1),
        ]
    )


def test_a_provider_without_a_summary_is_folded_one_encounter_per_contact(org, tree, crowd):
    s, o, *_ = crowd
    post = Post.objects.create(
        organization=org, name="调度台", kind="dispatch", unit=tree["plant1"]
    )
    roster = Roster.objects.create(organization=org, unit=tree["plant1"], starts_on=D, ends_on=D)
    for start in (at(D, 8), at(D, 20)):
        shift = Shift.objects.create(
            organization=org,
            roster=roster,
            post=post,
            label="班",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=12),
        )
        for person in (s, o):
            Assignment.objects.create(organization=org, shift=shift, person=person)

    found = contacts.reached([s.pk], at(D, 0), at(NEXT, 0))

    assert rows(found) == [(s.pk, o.pk, "shift", 2)]


def test_a_line_lists_its_sources_most_met_first_and_dates_from_that_one(org, crowd):
    s1, s2, o, *_ = crowd
    east = gate(org, "东门")
    passage(s1, east, at(D, 8, 0))
    passage(o, east, at(D, 8, 1))
    passage(s2, east, at(NEXT, 9, 0))
    passage(o, east, at(NEXT, 9, 1))
    passage(s2, east, at(NEXT + dt.timedelta(days=1), 9, 0))
    passage(o, east, at(NEXT + dt.timedelta(days=1), 9, 2))

    found = contacts.reached([s1.pk, s2.pk], at(D, 0), at(NEXT + dt.timedelta(days=2), 0))

    assert found == [contacts.Line(o.pk, "gate", [s2.pk, s1.pk], [2, 1], at(NEXT, 9, 1))]


def test_a_source_at_the_very_time_of_a_passage_is_the_one_before_it(org, crowd):
    s0, s1, s2, o, *_ = crowd
    east = gate(org, "东门")
    passage(s0, east, at(D, 7, 55))
    passage(s1, east, at(D, 8, 0))
    passage(o, east, at(D, 8, 0))  # the same instant as s1: s1 is "before", s2 "after"
    passage(s2, east, at(D, 8, 10))

    found = contacts.reached([s0.pk, s1.pk, s2.pk], at(D, 0), at(NEXT, 0))

    assert rows(found) == [(s1.pk, o.pk, "gate", 1), (s2.pk, o.pk, "gate", 1)]
