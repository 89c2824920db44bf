"""Bus services: routes name a bus gate; a week of trips comes from a timetable in one step
and generating again adds only what is missing; a trip's disinfection is recorded once by its
crew (a retry with the same key answers the first), corrected only by the office with a
reason, in the trail; every refusal leaves nothing changed."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from headwater.access.choices import GateKind
from headwater.access.inputs_buses import DisinfectionInput, RouteInput, TimetableInput
from headwater.access.models import BusRoute, BusTrip
from headwater.access.services import buses as services
from headwater.access.tests.buses_helpers import D, bus_world
from headwater.access.tests.factories_buses import make_gate, make_trip
from headwater.core.errors import DomainError, NotAllowed
from headwater.core.tests.timing import at


@pytest.fixture
def bus(org, tree, clock_at):
    clock_at(at(D, 7, 0))
    return bus_world(org, tree)


def timetable(**more):
    data = {"starts_on": D, "departures": "07:10, 17:30", "plate": "湘A·D2020"}
    return TimetableInput.parse(data | more)


def test_a_week_of_trips_comes_from_the_timetable_and_again_adds_only_the_missing(bus, office_user):
    created, new = services.generate_trips(bus.route, timetable(), by=office_user)
    assert new is True and len(created) == 14
    trips = BusTrip.objects.filter(route=bus.route)
    assert trips.count() == 14
    assert {t.day for t in trips} == {D + dt.timedelta(days=i) for i in range(7)}
    assert {t.plate for t in trips} == {"湘A·D2020"}

    created, new = services.generate_trips(
        bus.route, timetable(departures="07:10 12:00 17:30"), by=office_user
    )
    assert new is True and len(created) == 7
    assert {t.departs for t in created} == {dt.time(12, 0)}
    created, new = services.generate_trips(bus.route, timetable(), by=office_user)
    assert (created, new) == ([], False)
    assert BusTrip.objects.filter(route=bus.route).count() == 21


def test_bad_timetables_are_refused_naming_each_field():
    with pytest.raises(DomainError) as e:
        TimetableInput.parse({"starts_on": "", "departures": "7点, 17:30", "days": 30})
    assert set(e.value.fields) == {"starts_on", "departures", "days"}
    with pytest.raises(DomainError) as e:
        TimetableInput.parse({"starts_on": D, "departures": ""})
    assert set(e.value.fields) == {"departures"}


def test_only_the_office_generates_trips_and_a_route_out_of_service_gets_none(
    bus, office_user, unit_head_user
):
    with pytest.raises(NotAllowed):
        services.generate_trips(bus.route, timetable(), by=unit_head_user)
    with pytest.raises(NotAllowed):
        services.generate_trips(bus.route, timetable(), by=bus.driver)
    bus.route.active = False
    bus.route.save()
    with pytest.raises(DomainError) as e:
        services.generate_trips(bus.route, timetable(), by=office_user)
    assert e.value.status == 409
    assert BusTrip.objects.count() == 0


def test_a_route_needs_a_bus_gate_of_its_own_organization(bus, org, tree, outsider):
    plant_gate = make_gate(bus.site, "大门", GateKind.GATE)
    with pytest.raises(DomainError) as e:
        RouteInput.parse({"name": "2号线", "gate_id": plant_gate.pk}, org.pk)
    assert set(e.value.fields) == {"gate_id"}
    with pytest.raises(DomainError):
        RouteInput.parse({"name": "2号线", "gate_id": bus.gate.pk}, outsider.organization_id)
    data = RouteInput.parse({"name": "2号线", "gate_id": bus.gate.pk, "stops": "A → B"}, org.pk)
    assert data.gate == bus.gate and data.active is True


def test_the_office_saves_a_route_and_others_are_refused(bus, org, office_user, staff_user):
    data = RouteInput.parse({"name": "2号线", "gate_id": bus.gate.pk}, org.pk)
    with pytest.raises(NotAllowed):
        services.save_route(org, data, by=staff_user)
    assert BusRoute.objects.count() == 1
    route, created = services.save_route(org, data, by=office_user)
    assert created is True and route.gate == bus.gate
    changed = RouteInput.parse(
        {"name": "2号线（停运）", "gate_id": bus.gate.pk, "active": ""}, org.pk
    )
    route, created = services.save_route(org, changed, by=office_user, route=route)
    assert (created, route.name, route.active) == (False, "2号线（停运）", True)


def test_the_crew_records_the_disinfection_once_and_a_retry_answers_the_first(bus):
    trip = make_trip(bus.route, D, dt.time(7, 10))
    data = DisinfectionInput.parse({"at": "2026-03-10T06:50", "note": "含氯消毒液"})
    recorded, created = services.record_disinfection(trip, data, by=bus.driver, key="k1")
    assert created is True
    trip.refresh_from_db()
    assert trip.disinfected_at == at(D, 6, 50)
    assert (trip.disinfected_by, trip.disinfection_note) == (bus.driver, "含氯消毒液")

    again, created = services.record_disinfection(trip, data, by=bus.driver, key="k1")
    assert (again.pk, created) == (trip.pk, False)
    other = DisinfectionInput.parse({"note": "再次"})
    with pytest.raises(DomainError) as e:
        services.record_disinfection(trip, other, by=bus.driver, key="k2")
    assert e.value.status == 409
    trip.refresh_from_db()
    assert (trip.disinfected_at, trip.disinfection_note) == (at(D, 6, 50), "含氯消毒液")


def test_a_time_in_the_future_is_refused_and_now_is_the_default(bus):
    with pytest.raises(DomainError) as e:
        DisinfectionInput.parse({"at": "2026-03-10T09:00"})
    assert set(e.value.fields) == {"at"}
    assert DisinfectionInput.parse({}).at == at(D, 7, 0)


def test_someone_not_of_the_crew_may_not_record_and_nothing_changes(
    bus, staff_user, unit_head_user
):
    trip = make_trip(bus.route, D, dt.time(7, 10))
    for user in (staff_user, unit_head_user):
        with pytest.raises(NotAllowed):
            services.record_disinfection(trip, DisinfectionInput.parse({}), by=user)
    trip.refresh_from_db()
    assert trip.disinfected_at is None


def test_the_office_corrects_a_record_with_a_reason_in_the_trail(bus, office_user):
    trip = make_trip(bus.route, D, dt.time(7, 10))
    with pytest.raises(DomainError) as e:
        DisinfectionInput.parse({"at": "2026-03-10T06:40"}, correction=True)
    assert set(e.value.fields) == {"reason"}
    fix = DisinfectionInput.parse(
        {"at": "2026-03-10T06:40", "note": "过氧乙酸", "reason": "司机填错时间"}, correction=True
    )
    with pytest.raises(DomainError) as e:  # nothing recorded yet: record it instead
        services.correct_disinfection(trip, fix, by=office_user)
    assert e.value.status == 409
    services.record_disinfection(trip, DisinfectionInput.parse({}), by=bus.driver)
    with pytest.raises(NotAllowed):
        services.correct_disinfection(trip, fix, by=bus.driver)
    trip, created = services.correct_disinfection(trip, fix, by=office_user)
    trip.refresh_from_db()
    assert (created, trip.disinfected_at, trip.disinfection_note) == (
        False,
        at(D, 6, 40),
        "过氧乙酸",
    )
    assert trip.disinfected_by == bus.driver
    entries = LogEntry.objects.get_for_object(trip).filter(actor=office_user)
    event = next(e for e in entries if "correction_reason" in e.changes_dict)
    assert event.changes_dict["correction_reason"] == [None, "司机填错时间"]
    assert event.changes_dict["disinfection_corrected"] == [None, "2026-03-10 07:00"]
