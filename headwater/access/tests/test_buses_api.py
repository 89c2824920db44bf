"""The bus API: routes, a week's trips from a timetable (201, then 200 with nothing new), the
trips of a day with their counts, a trip's passengers, the disinfection recorded once with an
Idempotency-Key and corrected by the office; refusals in the one error shape, nothing
changed; other organizations get 404."""

import datetime as dt

import pytest

from headwater.access.models import BusTrip
from headwater.access.tests.buses_helpers import D, bus_world
from headwater.access.tests.factories_buses import make_passage, make_trip
from headwater.core.tests.timing import at

API = "/api/v1/access"


@pytest.fixture
def bus(org, tree, clock_at):
    clock_at(at(D, 7, 0))
    return bus_world(org, tree)


@pytest.fixture
def trip(bus, people):
    trip = make_trip(bus.route, D, dt.time(7, 10))
    make_passage(bus.gate, at(D, 6, 55), people["operator"], temperature=36.5, trip=trip)
    return trip


def test_the_office_creates_a_route_and_generates_a_week(client, office_user, bus):
    client.force_login(office_user)
    response = client.post(
        f"{API}/bus-routes",
        {"name": "2号线", "gate_id": bus.gate.pk},
        content_type="application/json",
    )
    assert response.status_code == 201
    route_id = response.json()["id"]
    body = {"starts_on": "2026-03-10", "departures": ["07:10", "17:30"], "plate": "湘A·1"}
    response = client.post(
        f"{API}/bus-routes/{route_id}/trips", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["created"] == 14
    response = client.post(
        f"{API}/bus-routes/{route_id}/trips", body, content_type="application/json"
    )
    assert (response.status_code, response.json()["created"]) == (200, 0)
    listed = client.get(f"{API}/bus-routes").json()
    assert listed["count"] == 2


def test_a_route_on_a_gate_that_is_not_a_bus_is_refused(client, office_user, bus, org, tree):
    from headwater.access.tests.factories_buses import make_gate

    gate = make_gate(bus.site, "大门")
    client.force_login(office_user)
    response = client.post(
        f"{API}/bus-routes", {"name": "2号线", "gate_id": gate.pk}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"gate_id"}


def test_trips_of_the_day_and_passengers(client, office_user, trip):
    client.force_login(office_user)
    items = client.get(f"{API}/bus-trips?day=2026-03-10").json()["items"]
    assert [(t["id"], t["boarded"], t["disinfected_at"]) for t in items] == [(trip.pk, 1, None)]
    passengers = client.get(f"{API}/bus-trips/{trip.pk}/passengers").json()
    assert [(p["name"], p["temperature"]) for p in passengers["items"]] == [("李操作", "36.5")]


def test_the_driver_records_once_and_a_retry_answers_the_first(client, bus, trip):
    client.force_login(bus.driver)
    url = f"{API}/bus-trips/{trip.pk}/disinfection"
    first = client.post(
        url, {"note": "含氯"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1"
    )
    assert first.status_code == 201
    retry = client.post(
        url, {"note": "含氯"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a1"
    )
    assert retry.status_code == 200
    assert retry.json()["disinfected_at"] == first.json()["disinfected_at"]
    second = client.post(
        url, {"note": "又一次"}, content_type="application/json", HTTP_IDEMPOTENCY_KEY="a2"
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "duplicate"
    trip.refresh_from_db()
    assert trip.disinfection_note == "含氯"
    correction = client.put(url, {"note": "x", "reason": "错"}, content_type="application/json")
    assert correction.status_code == 403


def test_the_office_corrects_with_a_reason(client, office_user, bus, trip):
    trip.disinfected_at = at(D, 6, 50)
    trip.save()
    client.force_login(office_user)
    url = f"{API}/bus-trips/{trip.pk}/disinfection"
    response = client.put(
        url, {"at": "2026-03-10T06:40", "note": "补"}, content_type="application/json"
    )
    assert response.status_code == 422  # the reason is required
    response = client.put(
        url,
        {"at": "2026-03-10T06:40", "note": "补", "reason": "时间填错"},
        content_type="application/json",
    )
    assert response.status_code == 200
    trip.refresh_from_db()
    assert trip.disinfected_at == at(D, 6, 40)


def test_staff_and_outsiders_are_refused_and_nothing_changes(client, staff_user, outsider, trip):
    client.force_login(staff_user)
    assert client.get(f"{API}/bus-routes").status_code == 403
    assert client.get(f"{API}/bus-trips/{trip.pk}").status_code == 404
    assert client.get(f"{API}/bus-trips").json()["items"] == []
    response = client.post(
        f"{API}/bus-trips/{trip.pk}/disinfection", {}, content_type="application/json"
    )
    assert response.status_code == 404
    client.force_login(outsider)
    assert client.get(f"{API}/bus-trips/{trip.pk}").status_code == 404
    assert client.get(f"{API}/bus-trips/{trip.pk}/passengers").status_code == 404
    assert client.get(f"{API}/bus-routes").json()["count"] == 0
    response = client.post(
        f"{API}/bus-trips/{trip.pk}/disinfection", {}, content_type="application/json"
    )
    assert response.status_code == 404
    assert BusTrip.objects.get().disinfected_at is None
